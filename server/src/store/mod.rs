//! Vector stores: where the server finds nearest-neighbour candidates. Every store is
//! loaded from the indexer's own f32 vectors (no re-embedding) and keyed by the index
//! version, and is reached through one trait, [`VectorStore`].
//!
//! The ranking itself stays in the engine: [`StoreSearch`] plugs a store into
//! [`atelier_engine::rank_with`], re-scores the store's candidates with the engine's
//! int8 vectors and keeps the engine's tie-break, so that a store returning the true
//! nearest neighbours ranks exactly like `indexer search`.

pub mod edge;
#[cfg(feature = "remote")]
pub mod remote;

use crate::catalog::Catalog;
use crate::config::{Config, StoreKind};
use crate::error::ServerError;
use crate::metrics::Metrics;
use atelier_engine::{Filter, Hit, Index, VectorSearch};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// `(facet name, allowed values)`: a conjunction; any listed value matches within a facet.
pub type Clauses = [(String, Vec<String>)];

/// Facet payload fields every store indexes (the engine's facet names).
pub fn facet_fields() -> impl Iterator<Item = &'static str> {
    atelier_engine::index::FACETS.iter().map(|f| f.0)
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

/// Opens (and if needed loads) the configured store for `catalog`.
pub async fn open(
    config: &Config,
    catalog: Arc<Catalog>,
) -> Result<Arc<dyn VectorStore>, ServerError> {
    match config.store {
        StoreKind::Edge => {
            let path = config.qdrant_path.clone();
            let options = config.search_mode(catalog.len());
            let store = tokio::task::spawn_blocking(move || {
                edge::EdgeStore::open(&path, &catalog, options)
            })
            .await
            .map_err(|e| ServerError::Internal(format!("loading the store: {e}")))??;
            Ok(Arc::new(store))
        }
        StoreKind::Remote => {
            #[cfg(feature = "remote")]
            {
                let url = config.qdrant_url.clone().ok_or_else(|| {
                    ServerError::Config("store = \"remote\" needs qdrant_url (QDRANT_URL)".into())
                })?;
                let options = config.search_mode(catalog.len());
                let store =
                    remote::RemoteStore::open(&url, &config.qdrant_collection, &catalog, options)
                        .await?;
                Ok(Arc::new(store))
            }
            #[cfg(not(feature = "remote"))]
            {
                Err(ServerError::Config(
                    "this build has no remote Qdrant support (cargo feature `remote`)".into(),
                ))
            }
        }
    }
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
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        hits.dedup_by_key(|h| h.index);
        hits.truncate(k);
        Ok(hits)
    }
}
