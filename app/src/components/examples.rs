//! A few example searches to start from.

use crate::components::app::Navigate;
use crate::state::SearchState;
use leptos::prelude::*;

const EXAMPLES: [&str; 6] = [
    "I need a red dress for a summer wedding",
    "something warm for the kids",
    "yellow raincoat",
    "black leather boots",
    "striped shirt for men",
    "cosy knitted jumper",
];

#[component]
pub fn Examples(search: RwSignal<SearchState>, navigate: Navigate) -> impl IntoView {
    view! {
        // On a phone they give way to the results once there is a search.
        <nav
            class="examples"
            class:searching=move || search.with(|s| !s.is_idle())
            aria-label="Example searches"
        >
            <span>"Try: "</span>
            {EXAMPLES
                .iter()
                .map(|&example| {
                    view! {
                        <button
                            type="button"
                            class="chip"
                            aria-pressed=move || search.with(|s| s.q == example && s.like.is_none()).to_string()
                            on:click=move |_| {
                                navigate.run((
                                    SearchState { q: example.to_string(), ..Default::default() },
                                    false,
                                ))
                            }
                        >
                            {example}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
