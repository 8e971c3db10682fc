//! The address bar follows the search, once the search has its answer.
//!
//! Writing the history (`pushState`) is not free: the browser's own process records
//! the entry and tells its observers, and on a two-core device that work ran beside
//! the query's embedding and slowed it (the model's forward pass took 18–20 ms in the
//! page against 12–15 ms with the history left alone; docs/BENCHMARKS.md). So a new
//! search starts at once and its address is written when its answer arrives (or
//! before the next change of search, or never if the shopper went back meanwhile).

use leptos::prelude::*;

/// An address waiting for its search's answer.
#[derive(Clone, Copy)]
pub struct Address {
    pending: StoredValue<Option<Entry>>,
}

#[derive(Clone)]
struct Entry {
    target: String,
    /// Edit the current history entry instead of adding one (while typing).
    replace: bool,
}

impl Default for Address {
    fn default() -> Self {
        Self::new()
    }
}

impl Address {
    pub fn new() -> Self {
        Self {
            pending: StoredValue::new(None),
        }
    }

    /// Writes `target` when the answer arrives ([`Address::flush`]).
    pub fn defer(&self, target: String, replace: bool) {
        self.flush();
        self.pending.set_value(Some(Entry { target, replace }));
    }

    /// Writes `target` now (and anything waiting first, to keep the order).
    pub fn write(&self, target: String, replace: bool) {
        self.flush();
        write(&Entry { target, replace });
    }

    /// Writes the address waiting, if any: the search's answer is here.
    pub fn flush(&self) {
        if let Some(entry) = self.pending.try_update_value(Option::take).flatten() {
            write(&entry);
        }
    }

    /// Drops the address waiting: the shopper moved through the history meanwhile,
    /// and the browser's own address is the one to keep.
    pub fn forget(&self) {
        self.pending.set_value(None);
    }
}

fn write(entry: &Entry) {
    if let Ok(h) = window().history() {
        let url = Some(entry.target.as_str());
        let _ = if entry.replace {
            h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", url)
        } else {
            h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", url)
        };
    }
}
