//! A remote Qdrant (server or cluster) through `qdrant-client` (gRPC), for catalogs that
//! outgrow one machine. One collection per index version, `<prefix>-<version>`, loaded
//! from the index's f32 vectors when missing or incomplete.

use super::{facet_fields, Clauses, Progress, SearchMode, StoreStatus, VectorStore};
use crate::catalog::Catalog;
use crate::error::ServerError;
use qdrant_client::qdrant::point_id::PointIdOptions;
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder,
    Distance, FieldType, Filter, PointStruct, QueryPointsBuilder, SearchParamsBuilder,
    UpsertPointsBuilder, VectorParamsBuilder,
};
use qdrant_client::{Payload, Qdrant};
use std::time::Instant;
use tokio::runtime::Handle;

/// Points per upsert while loading.
const BATCH: usize = 512;

/// A collection on a remote Qdrant holding one index version.
pub struct RemoteStore {
    client: Qdrant,
    collection: String,
    url: String,
    mode: SearchMode,
    runtime: Handle,
}

fn store_err(context: &str, e: impl std::fmt::Display) -> ServerError {
    ServerError::Store(format!("qdrant: {context}: {e}"))
}

impl RemoteStore {
    /// Connects to `url` and makes sure collection `<prefix>-<version>` holds `catalog`.
    pub async fn open(
        url: &str,
        prefix: &str,
        catalog: &Catalog,
        mode: SearchMode,
        progress: &Progress,
    ) -> Result<Self, ServerError> {
        let client = Qdrant::from_url(url)
            .skip_compatibility_check()
            .build()
            .map_err(|e| store_err("connect", e))?;
        let collection = format!("{prefix}-{}", catalog.version.id);
        let store = Self {
            client,
            collection,
            url: url.to_string(),
            mode,
            runtime: Handle::current(),
        };
        progress.stage("checking the store", 1);
        if store.count().await.ok() != Some(catalog.len() as u64) {
            store.load(catalog, progress).await?;
        }
        Ok(store)
    }

    async fn count(&self) -> Result<u64, ServerError> {
        let exists = self
            .client
            .collection_exists(&self.collection)
            .await
            .map_err(|e| store_err("collection_exists", e))?;
        if !exists {
            return Ok(0);
        }
        let r = self
            .client
            .count(CountPointsBuilder::new(&self.collection).exact(true))
            .await
            .map_err(|e| store_err("count", e))?;
        Ok(r.result.map_or(0, |c| c.count))
    }

    async fn load(&self, catalog: &Catalog, progress: &Progress) -> Result<(), ServerError> {
        let t = Instant::now();
        let c = &self.collection;
        if self
            .client
            .collection_exists(c)
            .await
            .map_err(|e| store_err("collection_exists", e))?
        {
            self.client
                .delete_collection(c)
                .await
                .map_err(|e| store_err("delete_collection", e))?;
        }
        let vectors = catalog.read_vectors()?;
        tracing::info!(collection = %c, points = vectors.len(), "loading the remote Qdrant collection");
        self.client
            .create_collection(CreateCollectionBuilder::new(c).vectors_config(
                VectorParamsBuilder::new(vectors.dim as u64, Distance::Cosine),
            ))
            .await
            .map_err(|e| store_err("create_collection", e))?;
        for field in facet_fields() {
            self.client
                .create_field_index(
                    CreateFieldIndexCollectionBuilder::new(c, field, FieldType::Keyword).wait(true),
                )
                .await
                .map_err(|e| store_err("create_field_index", e))?;
        }
        let n = vectors.len() as u32;
        progress.stage("loading points", n as u64);
        let mut start = 0u32;
        while start < n {
            let end = (start + BATCH as u32).min(n);
            let points = (start..end)
                .map(|i| {
                    let payload = Payload::try_from(super::edge::payload(catalog, i))
                        .map_err(|e| store_err("payload", e))?;
                    Ok(PointStruct::new(
                        i as u64,
                        vectors.get(i as usize).to_vec(),
                        payload,
                    ))
                })
                .collect::<Result<Vec<_>, ServerError>>()?;
            self.client
                .upsert_points(UpsertPointsBuilder::new(c, points).wait(true))
                .await
                .map_err(|e| store_err("upsert", e))?;
            start = end;
            progress.set(end as u64);
        }
        tracing::info!(collection = %c, seconds = t.elapsed().as_secs_f64(), "remote Qdrant collection loaded");
        Ok(())
    }
}

impl VectorStore for RemoteStore {
    fn nearest(
        &self,
        query: &[f32],
        limit: usize,
        clauses: &Clauses,
    ) -> Result<Vec<(u32, f32)>, ServerError> {
        let mut request = QueryPointsBuilder::new(&self.collection)
            .query(query.to_vec())
            .limit(limit as u64)
            .params(
                SearchParamsBuilder::default()
                    .exact(self.mode.exact)
                    .hnsw_ef(self.mode.hnsw_ef.max(limit) as u64),
            );
        if !clauses.is_empty() {
            request = request.filter(Filter::must(
                clauses
                    .iter()
                    .map(|(key, values)| Condition::matches(key.clone(), values.clone())),
            ));
        }
        let response = self
            .runtime
            .block_on(self.client.query(request))
            .map_err(|e| store_err("query", e))?;
        response
            .result
            .into_iter()
            .map(|p| match p.id.and_then(|id| id.point_id_options) {
                Some(PointIdOptions::Num(id)) if id <= u32::MAX as u64 => Ok((id as u32, p.score)),
                other => Err(store_err("query", format!("unexpected point id {other:?}"))),
            })
            .collect()
    }

    fn status(&self) -> StoreStatus {
        let (status, points, error) = match self.runtime.block_on(self.count()) {
            Ok(n) => ("ok", Some(n), None),
            Err(e) => ("error", None, Some(e.to_string())),
        };
        StoreStatus {
            kind: "qdrant-remote",
            status,
            points,
            location: format!("{} collection {}", self.url, self.collection),
            exact: self.mode.exact,
            error,
        }
    }
}
