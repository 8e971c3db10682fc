//! A search under way that a newer search has replaced.
//!
//! Leptos's `LocalResource` takes up a change of what it reads only once the future
//! under way has finished (reactive_graph's `AsyncDerived` awaits it first). So a search
//! waiting for its files — its postings over a slow link — held back the search that
//! replaced it (a new query, or Back) and showed its own late answer first. Each
//! search's future races its answer against [`Superseded::wait`], which returns once
//! the search it serves is no longer the one wanted.
//!
//! Nor can a search that gave way count on the resource to run again by itself: the
//! change marked the resource dirty while its future was under way, and a resource that
//! reads it (the facet counts await the answer) clears that mark when it checks its own
//! sources in the meantime — reactive_graph 0.2.16 then sees a clean resource, and the
//! new search never starts. So a search that is no longer wanted says so itself
//! ([`Superseded::rerun`]) as its future ends, with no await between the two.

use futures::channel::oneshot;
use leptos::prelude::*;

/// Wakes the searches under way when what is wanted changes, and reruns the resource
/// whose search gave way.
#[derive(Clone, Copy)]
pub struct Superseded {
    waiting: StoredValue<Vec<oneshot::Sender<()>>, LocalStorage>,
    reruns: RwSignal<u64>,
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
            reruns: RwSignal::new(0),
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

    /// Subscribes the resource that runs the searches to [`Superseded::rerun`].
    pub fn track(&self) {
        self.reruns.track();
    }

    /// Marks that resource to run again, for the search wanted now. Called by a search
    /// that is no longer wanted, just before its future returns.
    pub fn rerun(&self) {
        self.reruns.update(|n| *n += 1);
    }
}
