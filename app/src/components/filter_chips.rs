//! The filters in force, one removable chip each, above the facet lists (which a phone
//! keeps folded).

use crate::components::app::Navigate;
use crate::state::SearchState;
use leptos::prelude::*;

#[component]
pub fn FilterChips(search: RwSignal<SearchState>, navigate: Navigate) -> impl IntoView {
    let chips = move || {
        search.with(|s| {
            s.filters
                .iter()
                .flat_map(|(facet, values)| values.iter().map(move |v| (facet.clone(), v.clone())))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <Show when=move || search.with(|s| !s.filters.is_empty())>
            <ul class="active-filters" aria-label="Filters in force">
                <For each=chips key=|chip| chip.clone() let:chip>
                    {
                        let (facet, value) = chip;
                        let shown = crate::names::shown(&facet, &value);
                        let label = format!("Remove the filter {shown}");
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="chip remove"
                                    aria-label=label
                                    data-facet=facet.clone()
                                    data-value=value.clone()
                                    on:click=move |_| {
                                        let mut next = search.get_untracked();
                                        next.toggle(&facet, &value);
                                        navigate.run((next, false));
                                    }
                                >
                                    {shown}
                                    <span aria-hidden="true">" ×"</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </Show>
    }
}
