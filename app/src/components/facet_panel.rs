//! Facet filters with counts; they combine with the query and live in the URL. On a
//! phone the lists stay folded behind a "Filters" button at the top, the filters in
//! force shown as chips.

use crate::backend::AppError;
use crate::components::app::Navigate;
use crate::components::filter_chips::FilterChips;
use crate::state::SearchState;
use crate::swatch::css_colour;
use atelier_engine::api::FacetCounts;
use leptos::prelude::*;

/// Facets offered as filters, in this order (the details — sleeve length, length, fit,
/// neckline, waist, fastening — are read from the descriptions at index time; an index
/// without them shows the others).
const SHOWN: [&str; 12] = [
    "audience",
    "product_group",
    "product_type",
    "colour",
    "pattern",
    "sleeves",
    "length",
    "fit",
    "neckline",
    "rise",
    "closure",
    "garment_group",
];
/// Values listed before "Show all".
const FIRST_VALUES: usize = 8;

#[component]
pub fn FacetPanel(
    facets: LocalResource<Result<Vec<FacetCounts>, AppError>>,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    let clear = move |_| {
        let mut next = search.get_untracked();
        next.filters.clear();
        navigate.run((next, false));
    };
    // Folded on a phone (CSS hides the button on wider screens, where the lists show).
    let open = RwSignal::new(false);
    let toggle_text = move || {
        let on = search.with(|s| s.filters.values().map(Vec::len).sum::<usize>());
        match (open.get(), on) {
            (true, _) => "Hide filters".to_string(),
            (false, 0) => "Show filters".to_string(),
            (false, n) => format!("Show filters ({n} on)"),
        }
    };
    view! {
        <aside class="facets" aria-label="Filters">
            <div class="facets-head">
                <h2>"Filters"</h2>
                <button
                    type="button"
                    class="filters-toggle"
                    aria-controls="facet-groups"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {toggle_text}
                </button>
                <Show when=move || search.with(|s| !s.filters.is_empty())>
                    <button type="button" class="link" on:click=clear>"Clear all"</button>
                </Show>
            </div>
            <FilterChips search=search navigate=navigate/>
            <div id="facet-groups" class="facet-groups" class:open=move || open.get()>
            <Transition fallback=|| view! { <p class="hint">"Loading filters…"</p> }>
                <ErrorBoundary fallback=|_| view! { <p class="hint">"Filters are unavailable."</p> }>
                    {move || Suspend::new(async move {
                        facets.await.map(|all| {
                            SHOWN
                                .iter()
                                .filter_map(|name| all.iter().find(|f| f.name == *name).cloned())
                                // A group with nothing to choose (details a set's articles
                                // do not have) is left out, unless one of its values is on.
                                .filter(|f| {
                                    f.values.iter().any(|v| v.count > 0)
                                        || search.with_untracked(|s| s.filters.contains_key(&f.name))
                                })
                                .map(|f| view! { <FacetGroup facet=f search=search navigate=navigate/> })
                                .collect_view()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            </div>
        </aside>
    }
}

#[component]
fn FacetGroup(
    facet: FacetCounts,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    let expanded = RwSignal::new(false);
    let name = facet.name.clone();
    // Selected values stay visible even when the other filters leave them no articles.
    let selected_missing: Vec<String> = search.with_untracked(|s| {
        s.filters
            .get(&name)
            .map(|v| {
                v.iter()
                    .filter(|x| !facet.values.iter().any(|c| &c.value == *x))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    });
    let mut values: Vec<(String, u32)> = facet
        .values
        .iter()
        .map(|v| (v.value.clone(), v.count))
        .collect();
    values.extend(selected_missing.into_iter().map(|v| (v, 0)));
    let total = values.len();
    let is_colour = facet.name == "colour";
    let legend_id = format!("facet-{}", facet.name);
    // Only the rows shown are built: the first values and any selected one; the rest when
    // the shopper asks for all (on the full catalog's wider facets, hundreds of rows, each
    // with its effects, were built and hidden on every answer).
    let pinned: Vec<bool> = values
        .iter()
        .enumerate()
        .map(|(i, (v, _))| i < FIRST_VALUES || search.with_untracked(|s| s.is_selected(&name, v)))
        .collect();
    let row = move |value: String, count: u32| {
        let swatch = is_colour.then(|| {
            view! { <span class="swatch" aria-hidden="true" style:background=css_colour(&value)></span> }
        });
        let (n, v) = (name.clone(), value.clone());
        view! {
            <li>
                <label>
                    <input
                        type="checkbox"
                        data-facet=name.clone()
                        data-value=value.clone()
                        prop:checked=move || search.with(|s| s.is_selected(&n, &v))
                        on:change={
                            let (n, v) = (name.clone(), value.clone());
                            move |_| {
                                let mut next = search.get_untracked();
                                next.toggle(&n, &v);
                                navigate.run((next, false));
                            }
                        }
                    />
                    {swatch}
                    <span class="value">{crate::names::shown(&name, &value)}</span>
                    <span class="count">{count}</span>
                </label>
            </li>
        }
    };
    let (first, rest): (Vec<_>, Vec<_>) = values
        .into_iter()
        .zip(pinned)
        .partition(|(_, pinned)| *pinned);
    let first = first
        .into_iter()
        .map(|((value, count), _)| row.clone()(value, count))
        .collect_view();
    let rest: Vec<(String, u32)> = rest.into_iter().map(|(v, _)| v).collect();
    let more = move || {
        expanded.get().then(|| {
            rest.iter()
                .map(|(value, count)| row.clone()(value.clone(), *count))
                .collect_view()
        })
    };
    view! {
        <fieldset class="facet" aria-labelledby=legend_id.clone()>
            <legend id=legend_id.clone()>{facet.label.clone()}</legend>
            <ul>{first}{more}</ul>
            <Show when=move || { total > FIRST_VALUES }>
                <button
                    type="button"
                    class="link"
                    aria-expanded=move || expanded.get().to_string()
                    on:click=move |_| expanded.update(|e| *e = !*e)
                >
                    {move || if expanded.get() { "Show fewer".to_string() } else { format!("Show all {total}") }}
                </button>
            </Show>
        </fieldset>
    }
}
