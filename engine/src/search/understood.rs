//! How an article answers what a query was understood to mean: the articles that
//! mention a word, the keyword and detail groups, an article's [`Tier`] (what the
//! shopper named that it is, the attributes it matches), shade closeness and exclusions.

use super::{is_among, Filter, Index};
use crate::ids::IdSet;
use crate::understand::Intent;

impl Index {
    /// The articles whose text mentions any of `terms` or their inflections.
    pub fn mentioning(&self, terms: &[String]) -> IdSet {
        terms
            .iter()
            .flat_map(|t| self.keywords.family(&crate::keyword::stem(t)))
            .flat_map(|t| self.keywords.postings(t).map(|(d, _)| d))
            .collect()
    }

    /// The articles with each detail of `intent` (sleeve length Sleeveless, …), read
    /// from the facet columns.
    pub fn detail_sets(&self, intent: &Intent) -> Vec<IdSet> {
        intent
            .details
            .iter()
            .filter(|(facet, _)| self.facets.position(facet).is_some())
            .map(|(facet, values)| {
                let mut filter = Filter::default();
                filter.require_any(&self.facets, facet, values);
                self.matching(&filter).into_iter().collect()
            })
            .collect()
    }

    /// The articles matching each keyword group of `intent`: its materials, then each
    /// need's traits.
    pub fn keyword_groups(&self, intent: &Intent) -> Vec<IdSet> {
        let mut groups = Vec::with_capacity(1 + intent.traits.len());
        if !intent.materials.is_empty() {
            groups.push(self.mentioning(&intent.materials));
        }
        for t in &intent.traits {
            groups.push(self.mentioning(t));
        }
        groups
    }

    /// Where article `i` stands against `intent`: what the shopper named that it is, then
    /// how many of the recognised attribute groups it matches. `groups` is
    /// [`Index::keyword_groups`] of the same intent.
    pub fn tier(&self, intent: &Intent, groups: &[IdSet], i: u32) -> Tier {
        let has = |facet: &str, wanted: &[String]| is_among(self.facet_value(facet, i), wanted);
        // Every facet a clause below may read is read first, whatever it finds: a browser
        // learns every column the ranking needs in one round ([`Facets::take_missing`]).
        let colour_group = (!intent.colours.is_empty()).then(|| self.facet_value("colour", i));
        let (audience, gender, section) = if intent.audiences.is_empty() {
            (None, None, None)
        } else {
            (
                self.facet_value("audience", i),
                self.facet_value("gender", i),
                self.facet_value("section", i),
            )
        };
        let details: Vec<bool> = intent
            .details
            .iter()
            .map(|(facet, values)| has(facet, values))
            .collect();
        let mut attributes = 0;
        if !intent.colours.is_empty() && has("colour_master", &intent.colours) {
            // A colour group named after the colour ("Dark Red" for red) is the surer match.
            let group = colour_group.flatten().unwrap_or("").to_lowercase();
            let named = intent
                .colours
                .iter()
                .any(|c| group.contains(&c.to_lowercase()));
            let shade = intent
                .shade
                .as_ref()
                .is_some_and(|s| group.contains(&s.to_lowercase()));
            // (A shade name ranks by its groups and tones instead: [`Index::closeness`].)
            let by_name = intent.colour_groups.is_empty() && intent.tones.is_empty();
            attributes += 1
                + usize::from(by_name && intent.colour_named && named)
                + usize::from(by_name && shade);
        }
        let of_type = !intent.types.is_empty() && has("product_type", &intent.types);
        attributes += usize::from(of_type);
        attributes += usize::from(!intent.patterns.is_empty() && has("pattern", &intent.patterns));
        attributes += usize::from(!intent.sections.is_empty() && has("section", &intent.sections));
        // The audience: a boys' section for a boy; sportswear for a named person in that
        // person's own sport section ("men's running shorts").
        let person = crate::understand::names_person(&intent.audiences);
        let gender_ok = intent.gender.as_deref().is_none_or(|g| gender == Some(g));
        let listed = gender_ok && is_among(audience, &intent.audiences);
        let own_section = section.is_some_and(|s| in_sections_of(s, &intent.audiences));
        let sport = audience == Some("Sport");
        attributes += usize::from(listed && (!sport || !person || own_section));
        attributes += groups.iter().filter(|g| g.contains(&i)).count();
        attributes += details.iter().filter(|ok| **ok).count();
        // What the shopper named themselves ranks before every attribute a need implied:
        // at a wedding a women's blouse matches the need's types, colours and fabrics,
        // but not the boy. A named person's sportswear counts in their own sport section
        // even when no sport was named.
        let for_person = intent.audience_named
            && person
            && if sport {
                gender_ok && own_section
            } else {
                listed
            };
        Tier {
            named: usize::from(for_person) + usize::from(intent.type_named && of_type),
            attributes,
        }
    }

    /// How close article `i` is to the shade names in `intent` ("ochre": its colour group
    /// is Dark Yellow or Yellow, its tone Dark or Medium Dusty): within a tier, closer
    /// first.
    pub fn closeness(&self, intent: &Intent, i: u32) -> usize {
        if intent.colour_groups.is_empty() && intent.tones.is_empty() {
            return 0;
        }
        let group = self.facet_value("colour", i);
        let tone = self.facet_value("colour_value", i);
        usize::from(is_among(group, &intent.colour_groups))
            + usize::from(is_among(tone, &intent.tones))
    }

    /// Whether article `i` has something the shopper excluded (a facet value or a colour;
    /// [`crate::understand::Excluded`]).
    pub fn excluded(&self, intent: &Intent, i: u32) -> bool {
        let ex = &intent.excluded;
        // Every column read first, whatever it finds (a browser learns them in one round).
        let values: Vec<Option<&str>> = ex
            .facets
            .iter()
            .map(|(facet, _)| self.facet_value(facet, i))
            .collect();
        let colour = (!ex.colours.is_empty()).then(|| {
            (
                self.facet_value("colour_master", i),
                self.facet_value("colour", i),
                self.facet_value("colour_value", i),
            )
        });
        let facet = ex
            .facets
            .iter()
            .zip(&values)
            .any(|((_, list), v)| is_among(*v, list));
        let colour = colour.is_some_and(|(master, group, tone)| {
            ex.colours.iter().any(|h| {
                is_among(master, &h.colours)
                    && (h.groups.is_empty() || is_among(group, &h.groups))
                    && (h.tones.is_empty() || is_among(tone, &h.tones))
            })
        });
        facet || colour
    }
}

/// Where an article stands against what a query was understood to mean; the better
/// compares greater, `named` first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Tier {
    /// How many of the things the shopper named themselves the article is: for the
    /// person named ("for my little boy") and of the product type named ("a dress").
    pub named: usize,
    /// How many recognised attribute groups it matches (colour, named colour group,
    /// shade, type, pattern, section, audience, each material/trait group, each detail).
    pub attributes: usize,
}

/// Whether `section` is one of the person audiences' own sections ("Men H&M Sport" for
/// Men).
fn in_sections_of(section: &str, audiences: &[String]) -> bool {
    audiences.iter().any(|a| match a.as_str() {
        "Ladies" => section.starts_with("Ladies"),
        "Men" => section.starts_with("Men"),
        "Kids" | "Baby" => section.starts_with("Kids"),
        _ => false,
    })
}
