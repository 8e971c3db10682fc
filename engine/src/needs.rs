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
    let known = |facet: &str, v: &str| {
        facets
            .get(facet)
            .is_some_and(|f| f.values.iter().any(|x| x == v))
    };
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
    let named_colour = intent.colour_named;
    let named_pattern = !intent.patterns.is_empty();
    for n in &needs {
        if !n.exclude_for.is_empty() && intent.audiences.iter().any(|a| !n.exclude_for.contains(a))
        {
            continue;
        }
        for (facet, values) in &n.exclude {
            let named = match facet.as_str() {
                "colour_master" | "colour" | "colour_value" => named_colour,
                "pattern" => named_pattern,
                _ => false,
            };
            if !named {
                exclude_values(&mut intent.excluded, facets, facet, values);
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
    need_types.retain(|t| known("product_type", t));
    let narrowed: Vec<String> = named_types
        .iter()
        .filter(|t| need_types.contains(&t.as_str()))
        .cloned()
        .collect();
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
        for (facet, values) in &n.details {
            if !named_details.contains(facet) {
                add_detail(&mut intent.details, facet, values);
            }
        }
        for traits in std::iter::once(&n.traits).chain(&n.trait_groups) {
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
