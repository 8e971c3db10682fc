//! How an article answers what a query was understood to mean: the articles that
//! mention a word, the keyword and detail groups, the tier of attributes an article
//! matches, what the shopper named themselves, shade closeness and exclusions.

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

    /// How many of the recognised attribute groups article `i` matches (a colour named
    /// in the colour group and its shade count extra); `groups` is
    /// [`Index::keyword_groups`] of the same intent.
    pub fn tier(&self, intent: &Intent, groups: &[IdSet], i: u32) -> usize {
        let has = |facet: &str, wanted: &[String]| {
            self.facet_value(facet, i)
                .is_some_and(|v| wanted.iter().any(|w| w == v))
        };
        // Every facet a clause below may read is read first, whatever it finds: a browser
        // learns every column the ranking needs in one round ([`Facets::take_missing`]).
        let colour_group = (!intent.colours.is_empty()).then(|| self.facet_value("colour", i));
        let (gender, section) = if intent.audiences.is_empty() {
            (None, None)
        } else {
            (
                self.facet_value("gender", i),
                self.facet_value("section", i),
            )
        };
        let details: Vec<bool> = intent
            .details
            .iter()
            .map(|(facet, values)| has(facet, values))
            .collect();
        let mut tier = 0;
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
            tier += 1
                + usize::from(by_name && intent.colour_named && named)
                + usize::from(by_name && shade);
        }
        tier += usize::from(!intent.types.is_empty() && has("product_type", &intent.types));
        tier += usize::from(!intent.patterns.is_empty() && has("pattern", &intent.patterns));
        tier += usize::from(!intent.sections.is_empty() && has("section", &intent.sections));
        tier += usize::from(self.for_audience(intent, gender, section, i));
        tier += groups.iter().filter(|g| g.contains(&i)).count();
        tier += details.iter().filter(|ok| **ok).count();
        tier
    }

    /// How many of the things the shopper named themselves article `i` is: for the
    /// person named ("for my little boy"; a person's sportswear in their own sport
    /// section) and of the product type named ("a dress"). They rank before every
    /// attribute a need implied: at a wedding a women's blouse matches the need's types,
    /// colours and fabrics, but not the boy.
    pub fn named_matches(&self, intent: &Intent, i: u32) -> usize {
        let person = intent.audience_named
            && crate::understand::names_person(&intent.audiences)
            && self.fits_person(intent, i);
        let kind = intent.type_named
            && self
                .facet_value("product_type", i)
                .is_some_and(|t| intent.types.iter().any(|w| w == t));
        usize::from(person) + usize::from(kind)
    }

    /// Whether article `i` is for a person `intent` names, in that person's gender
    /// (boys, girls), sportswear in the person's own sport section included.
    fn fits_person(&self, intent: &Intent, i: u32) -> bool {
        let gender_ok = match &intent.gender {
            Some(g) => self.facet_value("gender", i) == Some(g.as_str()),
            None => true,
        };
        gender_ok
            && match self.facet_value("audience", i) {
                Some("Sport") => self
                    .facet_value("section", i)
                    .is_some_and(|s| in_sections_of(s, &intent.audiences)),
                Some(a) => intent.audiences.iter().any(|w| w == a),
                None => false,
            }
    }

    /// Whether article `i` is for the audience `intent` names (its gender and section
    /// already read): a boys' section for a boy, a named person's own sport section for
    /// their sportswear ("men's running shorts"). False when no audience is named.
    fn for_audience(
        &self,
        intent: &Intent,
        gender: Option<&str>,
        section: Option<&str>,
        i: u32,
    ) -> bool {
        let wanted = &intent.audiences;
        if wanted.is_empty()
            || !self
                .facet_value("audience", i)
                .is_some_and(|v| wanted.iter().any(|w| w == v))
        {
            return false;
        }
        let gender_ok = match &intent.gender {
            Some(g) => gender == Some(g.as_str()),
            None => true,
        };
        let sport_ok = self.facet_value("audience", i) != Some("Sport")
            || !crate::understand::names_person(wanted)
            || section.is_some_and(|s| in_sections_of(s, wanted));
        gender_ok && sport_ok
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
