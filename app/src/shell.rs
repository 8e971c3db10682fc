//! The page shell (`app/index.html`): a header, a search box and placeholder cards
//! painted before any wasm arrives. The app takes its place when it mounts, keeping what
//! the shopper typed into the shell's box meanwhile (and the focus).

use crate::state::{kept_params, SearchState};
use wasm_bindgen::JsCast;

/// Removes the shell; a query typed into it becomes the page's `?q=` (so the app starts
/// with it). Returns whether the shell's box had the focus.
pub fn take_over() -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let Some(shell) = document.get_element_by_id("shell") else {
        return false;
    };
    let input = shell
        .query_selector("#q")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    let focused = match (&input, document.active_element()) {
        (Some(i), Some(a)) => a.is_same_node(Some(i.as_ref())),
        _ => false,
    };
    let typed = input.map(|i| i.value()).unwrap_or_default();
    if let (false, Some(window)) = (typed.trim().is_empty(), web_sys::window()) {
        // The rest of the URL (filters, `backend`) stays.
        let current = window.location().search().unwrap_or_default();
        let mut state = SearchState::from_query_string(&current);
        state.q = typed;
        state.like = None;
        let qs = state.to_query_string(&kept_params(&current));
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&qs));
        }
    }
    shell.remove();
    focused
}

/// Gives the app's search box the focus (the shell's had it).
pub fn refocus() {
    if let Some(input) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("q"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = input.focus();
    }
}
