//! "Load more": the ranking's next page under the cards. Pressed, it moves the focus to
//! the first new card; scrolled into view (by a shopper who has scrolled the page), it
//! loads the next page by itself — infinite scroll that stays a button for keyboards and
//! screen readers, and stops at the most one search shows.

use crate::components::app::{Shown, MAX_SHOWN, RESULTS_PER_PAGE};
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// Set by pressing "Load more": the first new card takes the focus once it is on the
    /// page (not when scrolling loaded it: the focus stays where the shopper left it).
    static FOCUS_CARD: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Moves the focus to the first card "Load more" added, once it is on the page.
fn focus_new_card() {
    let Some(i) = FOCUS_CARD.take() else { return };
    request_animation_frame(move || {
        let selector = format!(".results .cards > li:nth-child({})", i + 1);
        if let Some(el) = document().query_selector(&selector).ok().flatten() {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

/// Loads the next page when `button` comes near the viewport after the shopper has
/// scrolled (a short list whose button shows at once waits for a press).
fn load_when_seen(button: web_sys::HtmlElement, load: impl Fn() + 'static) {
    let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
        move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
            let seen = entries.iter().any(|e| {
                e.unchecked_into::<web_sys::IntersectionObserverEntry>()
                    .is_intersecting()
            });
            let scrolled = window().scroll_y().unwrap_or(0.0) > 0.0;
            if seen && scrolled {
                observer.disconnect();
                load();
            }
        },
    );
    let options = web_sys::IntersectionObserverInit::new();
    options.set_root_margin("400px 0px");
    let Ok(observer) = web_sys::IntersectionObserver::new_with_options(
        callback.as_ref().unchecked_ref(),
        &options,
    ) else {
        return;
    };
    observer.observe(&button);
    // The observer and its callback live as long as the button.
    let keep = send_wrapper::SendWrapper::new((observer, callback));
    on_cleanup(move || keep.0.disconnect());
}

#[component]
pub fn LoadMore(
    /// Cards on the page now.
    shown_now: usize,
) -> impl IntoView {
    focus_new_card();
    let shown = use_context::<Shown>().map(|s| s.0);
    let asked = shown.map(|s| s.get_untracked()).unwrap_or(shown_now);
    match shown {
        Some(shown) if shown_now >= asked && asked < MAX_SHOWN => {
            // One page per button, however it is asked for (scrolled to, then pressed).
            let asked_once = std::rc::Rc::new(Cell::new(false));
            let load = move || {
                if !asked_once.replace(true) {
                    shown.update(|k| *k = (*k + RESULTS_PER_PAGE).min(MAX_SHOWN));
                }
            };
            let button = NodeRef::<leptos::html::Button>::new();
            let seen = load.clone();
            button.on_load(move |el| load_when_seen(el.unchecked_into(), seen));
            view! {
                <button
                    type="button"
                    class="load-more"
                    node_ref=button
                    on:click=move |_| {
                        FOCUS_CARD.set(Some(shown_now));
                        load();
                    }
                >
                    "Load more"
                </button>
            }
            .into_any()
        }
        _ if shown_now >= MAX_SHOWN => view! {
            <p class="hint">
                {format!("These are the best {shown_now}. Add a word or a filter to see others.")}
            </p>
        }
        .into_any(),
        _ => ().into_any(),
    }
}
