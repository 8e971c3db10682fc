//! What the query was understood to mean, one removable chip per part ("without: denim",
//! "colour: ochre (dark yellow)", "sleeve length: Sleeveless", "occasion: rave"), and the
//! spelling corrections made. Removing a chip searches again with that part forgotten
//! (the engine's `ignore`); the query text stays as typed.

use crate::components::app::Navigate;
use crate::state::SearchState;
use atelier_engine::understand::Intent;
use leptos::prelude::*;

/// Each part shown: (part name for `ignore`, chip text).
fn parts(u: &Intent) -> Vec<(String, String)> {
    let mut parts: Vec<(String, String)> = Vec::new();
    // A shade name says itself and the catalog's colour it stands for.
    let shades: Vec<String> = u
        .shades
        .iter()
        .map(|s| match u.colour_groups.first() {
            Some(g) => format!("{s} ({})", g.to_lowercase()),
            None => s.clone(),
        })
        .collect();
    let colours = if shades.is_empty() {
        &u.colours
    } else {
        &shades
    };
    let occasion: Vec<String> = u.occasion.iter().map(|o| o.replace('_', " ")).collect();
    for (part, label, values) in [
        ("occasion", "occasion", &occasion),
        ("without", "without", &u.excluded.phrases),
        ("colour", "colour", colours),
        ("type", "type", &u.types),
        ("audience", "for", &u.audiences),
        ("pattern", "pattern", &u.patterns),
        ("material", "material", &u.materials),
    ] {
        if !values.is_empty() {
            parts.push((part.into(), format!("{label}: {}", values.join(" or "))));
        }
    }
    // Details by their facet's own label ("sleeve length: Sleeveless").
    for (facet, values) in &u.details {
        let label = atelier_engine::index::FACETS
            .iter()
            .find(|f| f.0 == facet)
            .map_or(facet.as_str(), |f| f.1)
            .to_lowercase();
        parts.push((facet.clone(), format!("{label}: {}", values.join(" or "))));
    }
    parts
}

#[component]
pub fn Understood(
    understood: Option<Intent>,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    let Some(u) = understood else {
        return ().into_any();
    };
    let parts = parts(&u);
    let corrections: Vec<String> = u
        .corrections
        .iter()
        .map(|(typed, used)| format!("“{typed}” → “{used}”"))
        .collect();
    if parts.is_empty() && corrections.is_empty() {
        return ().into_any();
    }
    let chips = parts
        .into_iter()
        .map(|(part, text)| {
            let label = format!("Remove “{text}” from what was understood");
            let remove = move |_| {
                let mut next = search.get_untracked();
                if !next.ignore.contains(&part) {
                    next.ignore.push(part.clone());
                }
                navigate.run((next, false));
            };
            view! {
                <li>
                    <span class="part">{text}</span>
                    <button type="button" class="remove-part" aria-label=label on:click=remove>
                        <span aria-hidden="true">"×"</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="understood">
            <span>"Understood"</span>
            <ul class="understood-parts" aria-label="What the search understood">{chips}</ul>
            {(!corrections.is_empty()).then(|| format!(" — corrected {}", corrections.join(", ")))}
        </div>
    }
    .into_any()
}
