//! A search under way that a newer search has replaced.
//!
//! Leptos's `LocalResource` takes up a change of what it reads only once the future
//! under way has finished (reactive_graph's `AsyncDerived` awaits it first). So a search
//! waiting for its files — its postings over a slow link — held back the search that
//! replaced it (a new query, or Back) and showed its own late answer first. Each
//! search's future races its answer against [`Superseded::wait`], which returns once
//! the search it serves is no longer the one wanted.

use futures::channel::oneshot;
use leptos::prelude::*;

/// Wakes the searches under way when what is wanted changes.
#[derive(Clone, Copy)]
pub struct Superseded {
    waiting: StoredValue<Vec<oneshot::Sender<()>>, LocalStorage>,
}

impl Default for Superseded {
    fn default() -> Self {
        Self::new()
    }
}

impl Superseded {
    pub fn new() -> Self {
        Self {
            waiting: StoredValue::new_local(Vec::new()),
        }
    }

    /// What is wanted changed: every search under way checks whether it is still it.
    pub fn changed(&self) {
        let waiting = self
            .waiting
            .try_update_value(std::mem::take)
            .unwrap_or_default();
        for tx in waiting {
            let _ = tx.send(());
        }
    }

    /// Resolves once, after a change, `stale()` says the search is no longer wanted;
    /// never while it still is.
    pub async fn wait(&self, stale: impl Fn() -> bool) {
        loop {
            let (tx, rx) = oneshot::channel();
            self.waiting.update_value(|w| w.push(tx));
            if rx.await.is_err() {
                // (The page is going away.)
                std::future::pending::<()>().await;
            }
            if stale() {
                return;
            }
        }
    }
}
