//! Searches to try when nothing matched the words ("No good matches for “xqzv”"): the
//! catalog's most common kinds of garment, each a button that runs it (the shopper's
//! filters kept).

use crate::components::app::Navigate;
use crate::state::SearchState;
use leptos::prelude::*;

/// Searches to try when nothing matched: each a button that runs it.
#[component]
pub fn Suggestions(
    words: Vec<String>,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    view! {
        <p class="suggestions">
            "Try: "
            {words
                .into_iter()
                .map(|word| {
                    let q = word.clone();
                    view! {
                        <button
                            type="button"
                            class="chip"
                            on:click=move |_| {
                                let filters = search.with_untracked(|s| s.filters.clone());
                                navigate.run((SearchState { q: q.clone(), filters, ..Default::default() }, false))
                            }
                        >
                            {word}
                        </button>
                    }
                })
                .collect_view()}
        </p>
    }
}
