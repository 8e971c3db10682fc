//! The search box: searches as you type (debounced) and on Enter.

use crate::components::app::Navigate;
use crate::state::SearchState;
use leptos::prelude::*;
use std::time::Duration;

/// Pause in typing before a search runs.
const DEBOUNCE: Duration = Duration::from_millis(250);

#[component]
pub fn SearchBox(search: RwSignal<SearchState>, navigate: Navigate) -> impl IntoView {
    let text = RwSignal::new(search.get_untracked().q);
    // Back/forward and example clicks change the search: show its query. A search the
    // box itself started (its text, trimmed) leaves the text alone: rewriting it would
    // eat the space the shopper just typed before the next word.
    Effect::new(move |_| {
        let q = search.with(|s| s.q.clone());
        if text.with_untracked(|t| t.trim() != q) {
            text.set(q);
        }
    });
    let timer: StoredValue<Option<TimeoutHandle>> = StoredValue::new(None);
    // While typing, one history entry is updated in place; Enter starts a new one.
    let typing = StoredValue::new(false);
    let commit = move |replace: bool| {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let mut next = search.get_untracked();
        let q = text.get_untracked().trim().to_string();
        if q != next.q {
            // What was removed from one query's understanding says nothing of another's.
            next.ignore.clear();
        }
        next.q = q;
        next.like = None;
        navigate.run((next, replace));
    };
    let on_input = move |ev| {
        text.set(event_target_value(&ev));
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let replace = typing.get_value();
                typing.set_value(true);
                commit(replace);
            },
            DEBOUNCE,
        )
        .ok();
        timer.set_value(handle);
    };
    // Escape empties the box and the search (filters stay).
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && text.with_untracked(|t| !t.is_empty()) {
            ev.prevent_default();
            text.set(String::new());
            typing.set_value(false);
            commit(false);
        }
    };
    view! {
        <form
            class="search"
            role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                typing.set_value(false);
                commit(false);
            }
        >
            <label for="q" class="visually-hidden">"Search the catalog"</label>
            <input
                id="q"
                name="q"
                type="search"
                autocomplete="off"
                placeholder="Describe what you need — “a red dress for a summer wedding”"
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
            />
            <button type="submit">"Search"</button>
        </form>
    }
}
