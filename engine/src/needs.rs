//! Applying the needs a query named (occasions, activities, gifts: "a ski trip", "keep my
//! hands warm") to its [`Intent`]: what they rule out, who they are for, and the product
//! types, colours, patterns, sections, details and traits that answer them — each only where
//! the shopper did not name that kind of thing themselves. What each need means is data
//! ([`crate::lexicon`]); [`crate::understand`] finds the needs in the words.

use crate::index::Facets;
use crate::keyword::stem;
use crate::lexicon::{lexicon, Need};
use crate::negation::exclude_values;
use crate::understand::{add_detail, push_unique, Intent};

/// Applies `needs` (and the `occasion` the shopper picked, which replaces them) to `intent`,
/// whose words named the product types `named_types`; `first_person` when the shopper spoke
/// of themselves ("I need…").
pub(crate) fn apply_needs(
    intent: &mut Intent,
    mut needs: Vec<&Need>,
    named_types: Vec<String>,
    first_person: bool,
    occasion: Option<&str>,
    facets: &Facets,
) {
    let lex = lexicon();
    let known = |facet: &str, v: &str| facets.has_value(facet, v);
    // (An occasion the words named already changes nothing.)
    let occasion = occasion
        .and_then(|name| lex.need(name))
        .filter(|n| !needs.iter().any(|w| w.name == n.name));
    if let Some(n) = occasion {
        needs.clear();
        intent.needs.clear();
        needs.push(n);
        push_unique(&mut intent.needs, &[&n.name]);
        intent.occasion = Some(n.name.clone());
    }
    // What the needs rule out, unless the shopper named that kind of thing themselves
    // ("a white bridesmaid dress") or someone it is not for ("a wedding outfit for men").
    // (So does a type the needs rule out: "a linen blazer for a heatwave".)
    let named_colour = intent.colour_named;
    let named_pattern = !intent.patterns.is_empty();
    let mut excluded_types: Vec<&str> = Vec::new();
    for n in &needs {
        if !n.exclude_for.is_empty() && intent.audiences.iter().any(|a| !n.exclude_for.contains(a))
        {
            continue;
        }
        for (facet, values) in &n.exclude {
            let named = match facet.as_str() {
                "colour_master" | "colour" | "colour_value" => named_colour,
                "pattern" => named_pattern,
                "product_type" => !named_types.is_empty(),
                _ => false,
            };
            if !named {
                exclude_values(&mut intent.excluded, facets, facet, values);
                if facet == "product_type" {
                    excluded_types.extend(values.iter().map(String::as_str));
                }
            }
        }
    }
    let sport = needs.iter().any(|n| n.sport);
    if intent.audiences.is_empty() && !sport {
        for n in &needs {
            push_unique(&mut intent.audiences, &n.audiences);
        }
    }
    // A shopper speaking of themselves ("I need…", "for me") with no audience named
    // means grown-up sizes.
    if first_person && intent.audiences.is_empty() && !sport {
        push_unique(&mut intent.audiences, &lex.adults);
    }
    // Sportswear: with a person named, that person's sport section or clothes; else Sport.
    if sport {
        push_unique(&mut intent.audiences, &["Sport"]);
    }
    // The needs' types, each further need narrowing them when they share types ("cosy"
    // and "gift": scarves, slippers, robes…); named types, narrowed by the needs when
    // they share any ("shoes for walking": sneakers).
    let mut need_types: Vec<&str> = Vec::new();
    for n in &needs {
        let types: Vec<&str> = if n.gift {
            gift_types(&intent.audiences)
        } else {
            n.types.iter().map(String::as_str).collect()
        };
        if types.is_empty() {
            continue;
        }
        let shared: Vec<&str> = need_types
            .iter()
            .copied()
            .filter(|t| types.contains(t))
            .collect();
        if need_types.is_empty() || shared.is_empty() {
            for t in types {
                if !need_types.contains(&t) {
                    need_types.push(t);
                }
            }
        } else {
            need_types = shared;
        }
    }
    need_types.retain(|t| known("product_type", t) && !excluded_types.contains(t));
    let narrowed: Vec<String> = named_types
        .iter()
        .filter(|t| need_types.contains(&t.as_str()))
        .cloned()
        .collect();
    intent.type_named = !named_types.is_empty();
    intent.types = if named_types.is_empty() {
        need_types.iter().map(|t| t.to_string()).collect()
    } else if narrowed.is_empty() {
        named_types
    } else {
        narrowed
    };
    if intent.colours.is_empty() {
        for n in &needs {
            push_unique(&mut intent.colours, &n.colours);
        }
    }
    if intent.patterns.is_empty() {
        for n in &needs {
            push_unique(&mut intent.patterns, &n.patterns);
        }
    }
    if intent.sections.is_empty() {
        for n in &needs {
            push_unique(&mut intent.sections, &n.sections);
        }
    }
    let named_details: Vec<String> = intent.details.iter().map(|(f, _)| f.clone()).collect();
    for n in &needs {
        // What answers the need for the types settled on, when it says.
        let for_types = n
            .for_types
            .iter()
            .find(|f| !intent.types.is_empty() && intent.types.iter().all(|t| f.types.contains(t)));
        let details = n
            .details
            .iter()
            .chain(for_types.iter().flat_map(|f| &f.details));
        for (facet, values) in details {
            if !named_details.contains(facet) {
                add_detail(&mut intent.details, facet, values);
            }
        }
        let traits = for_types.map_or(&n.traits, |f| &f.traits);
        for traits in std::iter::once(traits).chain(&n.trait_groups) {
            let group: Vec<String> = traits.iter().map(|t| stem(t)).collect();
            if !group.is_empty() && !intent.traits.contains(&group) {
                intent.traits.push(group);
            }
        }
    }
}

/// What makes a good gift for `audiences`.
fn gift_types(audiences: &[String]) -> Vec<&'static str> {
    let lex = lexicon();
    let has = |a: &str| audiences.iter().any(|x| x == a);
    let strs = |v: &'static [String]| v.iter().map(String::as_str);
    if has("Baby") {
        return strs(&lex.baby_gift_types).collect();
    }
    if has("Kids") {
        return strs(&lex.gift_kids_types).collect();
    }
    let mut types: Vec<&str> = strs(&lex.gift_types).collect();
    if has("Ladies") || audiences.is_empty() {
        types.extend(strs(&lex.gift_ladies_types));
    }
    types
}

#[cfg(test)]
mod tests {
    use crate::catalog::Article;
    use crate::index::Facets;
    use crate::keyword::KeywordIndex;
    use crate::understand::{understand, Intent};

    fn understood(query: &str) -> Intent {
        let mk = |t: &str, desc: &str| Article {
            prod_name: t.into(),
            product_type_name: t.into(),
            detail_desc: desc.into(),
            // (Sleeve lengths are read for garments.)
            product_group_name: "Garment Full body".into(),
            perceived_colour_master_name: "Black".into(),
            index_group_name: "Ladieswear".into(),
            section_name: "Womens Everyday Collection".into(),
            ..Article::default()
        };
        let mut articles = Vec::new();
        for _ in 0..5 {
            articles.extend([
                mk("Dress", "Dress in a soft wool knit with long sleeves."),
                mk(
                    "Dress",
                    "Short dress in airy linen with narrow shoulder straps.",
                ),
                mk("Coat", "Padded coat with a hood."),
                mk("Blazer", "Fitted jacket in a linen weave."),
                mk("Shirt", "Short-sleeved shirt in linen."),
                mk("Sandals", "Sandals with lacing at the front."),
                mk("Boots", "Hiking boots with lacing and a chunky grip sole."),
                mk(
                    "Outdoor trousers",
                    "Hiking trousers in water-repellent fabric.",
                ),
            ]);
        }
        let facets = Facets::from_articles(&articles);
        let keywords = KeywordIndex::build(&articles).0;
        understand(query, &facets, &keywords)
    }

    fn traits(i: &Intent) -> Vec<String> {
        i.traits.concat()
    }

    #[test]
    fn a_need_may_answer_some_types_its_own_way() {
        // A warm coat is padded; a warm dress is knitted, and long-sleeved.
        let coat = understood("a warm coat");
        assert!(traits(&coat).contains(&"padded".to_string()), "{coat:?}");
        assert!(coat.details.is_empty(), "{coat:?}");
        let dress = understood("a warm dress");
        assert!(traits(&dress).contains(&"knit".to_string()), "{dress:?}");
        assert!(!traits(&dress).contains(&"padded".to_string()), "{dress:?}");
        assert_eq!(
            dress.details,
            [("sleeves".to_string(), vec!["Long sleeves".to_string()])]
        );
        // Hiking boots lace up and grip; hiking clothes do not.
        assert!(traits(&understood("hiking boots")).contains(&"lacing".to_string()));
        assert!(!traits(&understood("a hiking trip")).contains(&"lacing".to_string()));
    }

    #[test]
    fn a_need_rules_out_types_unless_the_shopper_names_one() {
        let excluded_types = |i: &Intent| {
            i.excluded
                .facets
                .iter()
                .find(|(f, _)| f == "product_type")
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        // Nothing heavy in a heatwave: no blazer, no coat, even for the office.
        let office = understood("office outfit for a heatwave");
        assert!(!office.types.iter().any(|t| t == "Blazer"), "{office:?}");
        assert!(office.types.iter().any(|t| t == "Shirt"), "{office:?}");
        assert!(excluded_types(&office).contains(&"Blazer".to_string()));
        assert!(excluded_types(&office).contains(&"Coat".to_string()));
        // A type named wins: "a linen blazer for a heatwave".
        let blazer = understood("a linen blazer for a heatwave");
        assert_eq!(blazer.types, ["Blazer"]);
        assert!(excluded_types(&blazer).is_empty(), "{blazer:?}");
    }
}
