//! The default store: Qdrant's engine in-process (`qdrant-edge`), persisted in a
//! directory, needing nothing else running.
//!
//! Layout: `<root>/index-<version>/` holds the shard of one index version, and
//! `<root>/index-<version>/atelier-loaded.json` is written once every point is in and
//! flushed. A directory without that marker (an interrupted load) is wiped and loaded
//! again; after a load, incomplete directories and all but the two most recently loaded
//! other versions are removed.

use super::{facet_fields, Clauses, SearchMode, StoreStatus, VectorStore};
use crate::catalog::Catalog;
use crate::error::ServerError;
use qdrant_edge::{
    CreateIndex, Distance, EdgeConfigBuilder, EdgeShard, EdgeVectorParamsBuilder,
    FieldIndexOperations, Filter, JsonPath, PayloadFieldSchema, PayloadSchemaType,
    PointInsertOperations, PointOperations, PointStruct, QueryEnum, QueryRequestBuilder,
    ScoringQuery, SearchParams, UpdateOperation, DEFAULT_VECTOR_NAME,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Written into a shard directory when its load completed.
const MARKER: &str = "atelier-loaded.json";
/// Points per upsert while loading.
const BATCH: usize = 1024;

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Marker {
    index_version: String,
    points: u64,
}

/// An embedded Qdrant shard holding one index version.
pub struct EdgeStore {
    shard: EdgeShard,
    dir: PathBuf,
    mode: SearchMode,
}

fn store_err(context: &str, e: impl std::fmt::Display) -> ServerError {
    ServerError::Store(format!("qdrant-edge: {context}: {e}"))
}

/// The shard directory of an index version under `root`.
pub fn shard_dir(root: &Path, version: &str) -> PathBuf {
    root.join(format!("index-{version}"))
}

/// `{"must": [{"key": facet, "match": {"any": values}}, ...]}` in Qdrant's filter language.
pub fn qdrant_filter_json(clauses: &Clauses) -> serde_json::Value {
    let must: Vec<serde_json::Value> = clauses
        .iter()
        .map(|(key, values)| serde_json::json!({"key": key, "match": {"any": values}}))
        .collect();
    serde_json::json!({ "must": must })
}

/// The payload stored with article `i`: its number, id and facet values.
pub fn payload(catalog: &Catalog, i: u32) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert("article".into(), i.into());
    if let Ok(a) = catalog.article(i) {
        map.insert("article_id".into(), a.article_id.clone().into());
    }
    for facet in &catalog.index().facets.facets {
        let code = facet.codes.get(i as usize).copied().unwrap_or(0) as usize;
        if let Some(v) = code.checked_sub(1).and_then(|c| facet.values.get(c)) {
            map.insert(facet.name.clone(), v.clone().into());
        }
    }
    serde_json::Value::Object(map)
}

impl EdgeStore {
    /// Opens the shard for `catalog`'s index version under `root`, loading it from the
    /// index's f32 vectors first if it is missing or incomplete.
    pub fn open(root: &Path, catalog: &Catalog, mode: SearchMode) -> Result<Self, ServerError> {
        let version = &catalog.version.id;
        let dir = shard_dir(root, version);
        let wanted = Marker {
            index_version: version.clone(),
            points: catalog.len() as u64,
        };
        let loaded = std::fs::read(dir.join(MARKER))
            .ok()
            .and_then(|b| serde_json::from_slice::<Marker>(&b).ok())
            .is_some_and(|m| m == wanted);
        let shard = if loaded {
            tracing::info!(dir = %dir.display(), "opening the embedded Qdrant store");
            EdgeShard::load(&dir, None).map_err(|e| store_err("load", e))?
        } else {
            let shard = Self::load(&dir, catalog)?;
            let marker = serde_json::to_vec(&wanted).map_err(|e| store_err("marker", e))?;
            std::fs::write(dir.join(MARKER), marker).map_err(|e| ServerError::io(&dir, e))?;
            remove_other_versions(root, &dir);
            shard
        };
        Ok(Self { shard, dir, mode })
    }

    /// Creates the shard and fills it with every article's vector and facet payload.
    fn load(dir: &Path, catalog: &Catalog) -> Result<EdgeShard, ServerError> {
        let t = Instant::now();
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| ServerError::io(dir, e))?;
        }
        let vectors = catalog.read_vectors()?;
        tracing::info!(
            dir = %dir.display(),
            points = vectors.len(),
            "loading the embedded Qdrant store from the index's vectors"
        );
        let config = EdgeConfigBuilder::new()
            .vector(
                DEFAULT_VECTOR_NAME,
                EdgeVectorParamsBuilder::new(vectors.dim, Distance::Cosine).build(),
            )
            .wal_enabled(false)
            .build();
        let shard = EdgeShard::new(dir, config).map_err(|e| store_err("create", e))?;
        // Payload indexes first, so the HNSW graph is built aware of the filters.
        for field in facet_fields() {
            let field_name: JsonPath = field
                .parse()
                .map_err(|()| store_err("payload index", format!("bad field name {field}")))?;
            shard
                .update(UpdateOperation::FieldIndexOperation(
                    FieldIndexOperations::CreateIndex(CreateIndex {
                        field_name,
                        field_schema: Some(PayloadFieldSchema::FieldType(
                            PayloadSchemaType::Keyword,
                        )),
                    }),
                ))
                .map_err(|e| store_err("payload index", e))?;
        }
        let n = vectors.len() as u32;
        let mut start = 0u32;
        while start < n {
            let end = (start + BATCH as u32).min(n);
            let points = (start..end)
                .map(|i| {
                    PointStruct::new(
                        i as u64,
                        vectors.get(i as usize).to_vec(),
                        payload(catalog, i),
                    )
                    .into()
                })
                .collect();
            shard
                .update(UpdateOperation::PointOperation(
                    PointOperations::UpsertPoints(PointInsertOperations::PointsList(points)),
                ))
                .map_err(|e| store_err("upsert", e))?;
            start = end;
        }
        shard.optimize().map_err(|e| store_err("optimize", e))?;
        shard.flush().map_err(|e| store_err("flush", e))?;
        tracing::info!(
            points = n,
            seconds = t.elapsed().as_secs_f64(),
            "embedded Qdrant store loaded"
        );
        Ok(shard)
    }
}

/// Shards of other index versions kept besides the current one (switching back and
/// forth between, say, the demo and the full catalog reloads nothing).
const KEEP_OTHER_VERSIONS: usize = 2;

/// Removes incomplete shards and all but the most recently loaded other versions.
fn remove_other_versions(root: &Path, keep: &Path) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let mut others: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if !e.file_name().to_string_lossy().starts_with("index-") || path == keep {
            continue;
        }
        match std::fs::metadata(path.join(MARKER)).and_then(|m| m.modified()) {
            Ok(loaded) => others.push((loaded, path)),
            Err(_) => remove(&path),
        }
    }
    others.sort_by_key(|o| std::cmp::Reverse(o.0));
    for (_, path) in others.into_iter().skip(KEEP_OTHER_VERSIONS) {
        remove(&path);
    }
}

fn remove(path: &Path) {
    match std::fs::remove_dir_all(path) {
        Ok(()) => tracing::info!(dir = %path.display(), "removed an outdated store"),
        Err(e) => {
            tracing::warn!(dir = %path.display(), error = %e, "cannot remove an outdated store")
        }
    }
}

impl VectorStore for EdgeStore {
    fn nearest(
        &self,
        query: &[f32],
        limit: usize,
        clauses: &Clauses,
    ) -> Result<Vec<(u32, f32)>, ServerError> {
        let mut request = QueryRequestBuilder::new(limit)
            .query(ScoringQuery::Vector(QueryEnum::Nearest(
                qdrant_edge::NamedQuery::default_dense(query.to_vec()),
            )))
            .params(SearchParams {
                hnsw_ef: Some(self.mode.hnsw_ef.max(limit)),
                exact: self.mode.exact,
                ..Default::default()
            });
        if !clauses.is_empty() {
            let filter: Filter = serde_json::from_value(qdrant_filter_json(clauses))
                .map_err(|e| store_err("filter", e))?;
            request = request.filter(filter);
        }
        let points = self
            .shard
            .query(request.build())
            .map_err(|e| store_err("query", e))?;
        points
            .into_iter()
            .map(|p| match p.id {
                qdrant_edge::PointId::NumId(id) if id <= u32::MAX as u64 => {
                    Ok((id as u32, p.score))
                }
                other => Err(store_err("query", format!("unexpected point id {other:?}"))),
            })
            .collect()
    }

    fn status(&self) -> StoreStatus {
        let (status, points, error) = match self.shard.info() {
            Ok(info) => ("ok", Some(info.points_count as u64), None),
            Err(e) => ("error", None, Some(e.to_string())),
        };
        StoreStatus {
            kind: "qdrant-edge",
            status,
            points,
            location: self.dir.display().to_string(),
            exact: self.mode.exact,
            error,
        }
    }
}
