//! The store as the server holds it. It is checked, loaded or rebuilt in the background
//! (the server listens at once), and every search takes its candidates through
//! [`Candidates`]: from the store when it is ready and answers, otherwise from the
//! index's own graph — the ranking `indexer search` gives — so a loading, damaged or
//! unreachable store slows nothing down and never turns into an error for a shopper.

use super::{SearchMode, StoreSearch, StoreStatus, VectorStore};
use crate::error::ServerError;
use crate::metrics::Metrics;
use atelier_engine::{Filter, Hit, Index, VectorSearch};
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// After a store error, searches leave the store alone this long (doubling with each
/// further error up to [`MAX_BACKOFF`]; a success resets it): a store that is down or
/// slow costs one search's deadline now and then, not every search's.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// When the store is next asked after errors.
#[derive(Debug, Default)]
struct Backoff {
    until: Option<Instant>,
    wait: Duration,
}

/// How far a load has come.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    stage: Mutex<&'static str>,
}

impl Progress {
    /// A new stage of `total` steps.
    pub fn stage(&self, stage: &'static str, total: u64) {
        if let Ok(mut s) = self.stage.lock() {
            *s = stage;
        }
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    pub fn set(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    /// The stage, steps done and steps in it.
    pub fn snapshot(&self) -> (&'static str, u64, u64) {
        let stage = self.stage.lock().map(|s| *s).unwrap_or("");
        (
            stage,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// Where the store is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Opening, checking, loading or rebuilding.
    Loading,
    /// Answering.
    Ready,
    /// The last attempt failed; another follows.
    Failed,
}

/// The store once it is ready, its phase and the progress of its load.
pub struct StoreSlot {
    store: RwLock<Option<Arc<dyn VectorStore>>>,
    phase: Mutex<Phase>,
    pub progress: Progress,
    mode: SearchMode,
    backoff: Mutex<Backoff>,
}

/// What `/health` shows of the slot.
#[derive(Debug, Clone, Serialize)]
pub struct SlotStatus {
    pub phase: Phase,
    /// While loading: the current stage ("checking", "loading points", …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<&'static str>,
    /// While loading: how much of the stage is done, 0–100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<u8>,
    /// The store itself, once it is ready.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<StoreStatus>,
}

impl StoreSlot {
    pub fn new(mode: SearchMode) -> Self {
        Self {
            store: RwLock::new(None),
            phase: Mutex::new(Phase::Loading),
            progress: Progress::default(),
            mode,
            backoff: Mutex::new(Backoff::default()),
        }
    }

    /// A slot holding `store` already (tests, tools).
    pub fn ready(store: Arc<dyn VectorStore>, mode: SearchMode) -> Self {
        let slot = Self::new(mode);
        slot.set_ready(store);
        slot
    }

    pub fn set_ready(&self, store: Arc<dyn VectorStore>) {
        if let Ok(mut s) = self.store.write() {
            *s = Some(store);
        }
        self.set_phase(Phase::Ready);
    }

    pub fn set_phase(&self, phase: Phase) {
        if let Ok(mut p) = self.phase.lock() {
            *p = phase;
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase.lock().map(|p| *p).unwrap_or(Phase::Failed)
    }

    /// The store, when it is ready.
    pub fn get(&self) -> Option<Arc<dyn VectorStore>> {
        self.store.read().ok().and_then(|s| s.clone())
    }

    /// Whether searches leave the store alone for now (it failed recently).
    fn backing_off(&self) -> bool {
        self.backoff
            .lock()
            .map(|b| b.until.is_some_and(|t| Instant::now() < t))
            .unwrap_or(false)
    }

    fn store_failed(&self) {
        if let Ok(mut b) = self.backoff.lock() {
            b.wait = (b.wait * 2).clamp(FIRST_BACKOFF, MAX_BACKOFF);
            b.until = Some(Instant::now() + b.wait);
        }
    }

    fn store_answered(&self) {
        if let Ok(mut b) = self.backoff.lock() {
            if b.until.is_some() {
                *b = Backoff::default();
            }
        }
    }

    /// The slot's state for `/health`; asks a ready store for its status (blocking).
    pub fn status(&self) -> SlotStatus {
        let phase = self.phase();
        let store = self.get().map(|s| s.status());
        let (stage, percent) = if phase == Phase::Ready {
            (None, None)
        } else {
            let (stage, done, total) = self.progress.snapshot();
            let percent = (done.min(total) * 100).checked_div(total).unwrap_or(0) as u8;
            (Some(stage), Some(percent))
        };
        SlotStatus {
            phase,
            stage,
            percent,
            store,
        }
    }
}

/// Candidates for the engine: the store's when it has them, else the index's graph
/// (brute force when the server searches exactly). A store error is logged and counted,
/// never shown.
pub struct Candidates<'a> {
    pub slot: &'a StoreSlot,
    pub index: &'a Index,
    pub metrics: &'a Metrics,
}

impl Candidates<'_> {
    fn own(&self, query: &[f32], k: usize, filter: &Filter) -> Vec<Hit> {
        if self.slot.mode.exact {
            self.index.search_exact(query, k, filter)
        } else {
            self.index.search(query, k, filter)
        }
    }
}

impl VectorSearch for Candidates<'_> {
    type Error = ServerError;

    fn nearest(&self, query: &[f32], k: usize, filter: &Filter) -> Result<Vec<Hit>, ServerError> {
        let Some(store) = self.slot.get() else {
            self.metrics.store_fallback("not_ready");
            return Ok(self.own(query, k, filter));
        };
        if self.slot.backing_off() {
            self.metrics.store_fallback("backing_off");
            return Ok(self.own(query, k, filter));
        }
        let search = StoreSearch {
            store: store.as_ref(),
            index: self.index,
            metrics: self.metrics,
        };
        match search.nearest(query, k, filter) {
            Ok(hits) => {
                self.slot.store_answered();
                Ok(hits)
            }
            Err(e) => {
                tracing::warn!(error = %e, "the vector store failed; answering from the index's own graph");
                self.slot.store_failed();
                self.metrics.store_fallback("error");
                Ok(self.own(query, k, filter))
            }
        }
    }
}
