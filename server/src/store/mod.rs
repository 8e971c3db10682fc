//! Vector stores: where the server finds nearest-neighbour candidates. Every store is
//! loaded from the indexer's own f32 vectors (no re-embedding) and keyed by the index
//! version, and is reached through one trait, [`VectorStore`].
//!
//! The ranking itself stays in the engine: [`StoreSearch`] plugs a store into
//! [`atelier_engine::rank_with`], re-scores the store's candidates with the engine's
//! int8 vectors and keeps the engine's tie-break, so that a store returning the true
//! nearest neighbours ranks exactly like `indexer search`.

pub mod digest;
pub mod edge;
#[cfg(feature = "remote")]
pub mod remote;
pub mod slot;

use crate::catalog::Catalog;
use crate::config::{Config, StoreKind};
use crate::error::ServerError;
use crate::metrics::Metrics;
use atelier_engine::{Filter, Hit, Index, VectorSearch};
use serde::Serialize;
pub use slot::{Candidates, Phase, Progress, StoreSlot};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// `(facet name, allowed values)`: a conjunction; any listed value matches within a facet.
pub type Clauses = [(String, Vec<String>)];

/// Facet payload fields every store indexes (the engine's facet names).
pub fn facet_fields() -> impl Iterator<Item = &'static str> {
    atelier_engine::index::FACETS.iter().map(|f| f.0)
}

/// What a store is loaded from: points numbered `0..len()`, each a vector and a payload
/// (the article's number, id and facet values).
pub trait PointSource: Sync {
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    fn dim(&self) -> usize;
    fn vector(&self, i: usize) -> Vec<f32>;
    fn payload(&self, i: usize) -> serde_json::Value;
}

/// An index's articles as points: its f32 vectors and facet values.
pub struct CatalogPoints<'a> {
    catalog: &'a Catalog,
    vectors: atelier_engine::index::Vectors,
}

impl<'a> CatalogPoints<'a> {
    pub fn new(catalog: &'a Catalog) -> Result<Self, ServerError> {
        Ok(Self {
            catalog,
            vectors: catalog.read_vectors()?,
        })
    }
}

impl PointSource for CatalogPoints<'_> {
    fn len(&self) -> usize {
        self.vectors.len()
    }
    fn dim(&self) -> usize {
        self.vectors.dim
    }
    fn vector(&self, i: usize) -> Vec<f32> {
        self.vectors.get(i).to_vec()
    }
    fn payload(&self, i: usize) -> serde_json::Value {
        edge::payload(self.catalog, i as u32)
    }
}

/// How a store searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SearchMode {
    /// Brute force (the true nearest neighbours) instead of the store's HNSW.
    pub exact: bool,
    /// HNSW candidate list size when not exact.
    pub hnsw_ef: usize,
}

/// What `/health` reports about a store.
#[derive(Debug, Clone, Serialize)]
pub struct StoreStatus {
    pub kind: &'static str,
    pub status: &'static str,
    pub points: Option<u64>,
    pub location: String,
    pub exact: bool,
    /// How the store is laid out: a remote collection's shards and copies, and how many
    /// copies answer ("3 shards × 2 copies on 3 peers, 6 of 6 copies active"); the
    /// embedded store's graph ("HNSW m 16, ef_construct 100, int8 scoring, …").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A vector store holding one point per article (id = article number) with the facet
/// values as payload. Calls block: run them on a blocking thread.
pub trait VectorStore: Send + Sync {
    /// Up to `limit` `(article number, store score)` nearest to `query` among the
    /// articles matching every clause.
    fn nearest(
        &self,
        query: &[f32],
        limit: usize,
        clauses: &Clauses,
    ) -> Result<Vec<(u32, f32)>, ServerError>;

    /// Health and size.
    fn status(&self) -> StoreStatus;
}

/// Refuses a configuration no store can be opened with (before the server listens).
pub fn check_config(config: &Config) -> Result<(), ServerError> {
    match config.store {
        StoreKind::Edge => Ok(()),
        #[cfg(feature = "remote")]
        StoreKind::Remote if config.qdrant_url.is_some() => Ok(()),
        #[cfg(feature = "remote")]
        StoreKind::Remote => Err(ServerError::Config(
            "store = \"remote\" needs qdrant_url (QDRANT_URL)".into(),
        )),
        #[cfg(not(feature = "remote"))]
        StoreKind::Remote => Err(ServerError::Config(
            "this build has no remote Qdrant support (cargo feature `remote`)".into(),
        )),
    }
}

/// Opens (checking it, and loading or rebuilding it when it is missing, incomplete or
/// damaged) the configured store for `catalog`.
pub async fn open(
    config: &Config,
    catalog: Arc<Catalog>,
    slot: Arc<StoreSlot>,
) -> Result<Arc<dyn VectorStore>, ServerError> {
    check_config(config)?;
    let options = config.search_mode(catalog.len());
    match config.store {
        StoreKind::Edge => {
            let path = config.qdrant_path.clone();
            let store = tokio::task::spawn_blocking(move || {
                edge::EdgeStore::open(&path, &catalog, options, &slot.progress)
            })
            .await
            .map_err(|e| ServerError::Internal(format!("loading the store: {e}")))??;
            Ok(Arc::new(store))
        }
        #[cfg(feature = "remote")]
        StoreKind::Remote => {
            let url = config.qdrant_url.clone().unwrap_or_default();
            let remote = remote::RemoteOptions {
                shards: config.qdrant_shards,
                replicas: config.qdrant_replicas,
                timeout: Duration::from_millis(config.qdrant_timeout_ms),
            };
            let store = remote::RemoteStore::open(
                &url,
                &config.qdrant_collection,
                &catalog,
                options,
                &remote,
                &slot.progress,
            )
            .await?;
            Ok(Arc::new(store))
        }
        #[cfg(not(feature = "remote"))]
        StoreKind::Remote => unreachable!("check_config refuses it"),
    }
}

/// Opens the store into `slot` in the background, trying again (after 1 s, then up to
/// a minute apart) until it opens; searches meanwhile use the index's own graph.
pub fn open_in_background(
    config: Config,
    catalog: Arc<Catalog>,
    slot: Arc<StoreSlot>,
    metrics: Arc<Metrics>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut wait = Duration::from_secs(1);
        loop {
            slot.set_phase(Phase::Loading);
            let t = Instant::now();
            match open(&config, Arc::clone(&catalog), Arc::clone(&slot)).await {
                Ok(store) => {
                    let status = {
                        let store = Arc::clone(&store);
                        tokio::task::spawn_blocking(move || store.status()).await
                    };
                    if let Ok(status) = status {
                        tracing::info!(kind = status.kind, points = ?status.points, exact = status.exact, location = %status.location, seconds = t.elapsed().as_secs_f64(), "vector store ready");
                        metrics.set_store_points(status.points.unwrap_or(0));
                    }
                    slot.set_ready(store);
                    return;
                }
                Err(e) => {
                    slot.set_phase(Phase::Failed);
                    tracing::error!(error = %e, retry_in_secs = wait.as_secs(), "the vector store cannot be opened; searches use the index's own graph meanwhile");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(60));
                }
            }
        }
    })
}

/// How many candidates to ask a store for when `k` are wanted: a margin so that
/// re-scoring with the int8 vectors cannot miss any of the engine's top `k`.
pub fn overfetch(k: usize) -> usize {
    k + (k / 2).max(32)
}

/// A store as the engine's [`VectorSearch`]: the store finds candidates, the engine scores
/// them (the same scores `indexer search` and the browser compute).
pub struct StoreSearch<'a> {
    pub store: &'a dyn VectorStore,
    pub index: &'a Index,
    pub metrics: &'a Metrics,
}

impl VectorSearch for StoreSearch<'_> {
    type Error = ServerError;

    fn nearest(&self, query: &[f32], k: usize, filter: &Filter) -> Result<Vec<Hit>, ServerError> {
        let clauses = filter.named_clauses(&self.index.facets);
        if k == 0 || clauses.iter().any(|(_, values)| values.is_empty()) {
            return Ok(Vec::new());
        }
        let t = Instant::now();
        let found = self.store.nearest(query, overfetch(k), &clauses);
        self.metrics.observe_vector_search(t.elapsed());
        let n = self.index.len();
        let mut hits: Vec<Hit> = found?
            .into_iter()
            .filter(|&(i, _)| (i as usize) < n && filter.matches(&self.index.facets, i))
            .map(|(i, _)| Hit {
                index: i,
                score: self.index.similarity(query, i),
            })
            .collect();
        hits.sort_by(Hit::rank);
        hits.dedup_by_key(|h| h.index);
        hits.truncate(k);
        Ok(hits)
    }
}
