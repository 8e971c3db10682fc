//! The default store: Qdrant's engine in-process (`qdrant-edge`), persisted in a
//! directory, needing nothing else running.
//!
//! Layout: `<root>/index-<version>/` holds the shard of one index version, and
//! `<root>/index-<version>/atelier-loaded.json` is written once every point is in and
//! flushed, with the size and SHA-256 of every file the shard then held. A directory
//! without that marker (an interrupted load) is wiped and loaded again; after a load,
//! incomplete directories and all but the two most recently loaded other versions are
//! removed. A new version's shard starts as a copy of the previous version's with only
//! the changed points written (`update.rs`), when few enough changed.
//!
//! Before a loaded shard is used again it is checked: its files against the marker
//! (before Qdrant reads any of them), then its point count and a sample of its points'
//! vectors and ids against the index. Anything off — a file deleted, truncated, zeroed or
//! flipped, a shard Qdrant cannot open — and the shard is rebuilt from the index, which
//! takes seconds to a minute; searches meanwhile use the index's own graph.
//!
//! The shard's HNSW graph is built and searched with int8 copies of the vectors
//! ([`Graph`]): half the build time of f32 at a million points, the same recall of the
//! candidates the server then re-scores with the index's own vectors.

use super::digest::{self, FileDigest};
use super::{
    facet_fields, CatalogPoints, Clauses, PointSource, Progress, SearchMode, StoreStatus,
    VectorStore,
};
use crate::catalog::Catalog;
use crate::error::ServerError;
use qdrant_edge::{
    AcornSearchParams, CreateIndex, Distance, EdgeConfigBuilder, EdgeShard,
    EdgeVectorParamsBuilder, FieldIndexOperations, Filter, HnswIndexConfig, JsonPath,
    KeywordIndexParams, PayloadFieldSchema, PayloadSchemaParams, PayloadSchemaType,
    PointInsertOperations, PointOperations, PointStruct, QuantizationConfig, QueryEnum,
    QueryRequestBuilder, RetrieveRequestBuilder, ScoringQuery, SearchParams, UpdateOperation,
    VectorInternal, VectorStructInternal, WithPayloadInterface, WithVector, DEFAULT_VECTOR_NAME,
};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod update;
pub use update::Updated;

/// How the store's HNSW graph is built: Qdrant's parameters, chosen by measurement
/// (docs/BENCHMARKS.md, "A million articles in the embedded store").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Graph {
    /// Links per point (Qdrant's `m`; twice as many on the bottom layer).
    pub m: usize,
    /// Candidates considered while linking a point (Qdrant's `ef_construct`).
    pub ef_construct: usize,
    /// Score with int8 copies of the vectors while building and searching (the server
    /// re-scores every candidate with the index's own vectors).
    pub int8: bool,
    /// Links per point among the points of each facet value (Qdrant's `payload_m`, its
    /// payload-aware graph); 0: none, filtered searches explore two hops (ACORN) instead.
    pub facet_m: usize,
    /// Links of their own also for the facets another facet almost determines (colour
    /// family and tone, audience, boys/girls, department, product group:
    /// `engine::facets::PARENTS`); without them a filter on such a facet walks the main
    /// graph and the links of the values it is made of.
    pub derived_links: bool,
    /// Filters admitting fewer points than this many kB of vectors are searched exactly,
    /// and facet values with fewer points get no links of their own (Qdrant's
    /// `full_scan_threshold`).
    pub full_scan_kb: usize,
}

impl Graph {
    /// Whether the graph has links among the points of each value of `facet`.
    pub fn links_for(&self, facet: &str) -> bool {
        self.facet_m > 0
            && (self.derived_links
                || !atelier_engine::facets::PARENTS
                    .iter()
                    .any(|(c, _)| *c == facet))
    }

    /// Whether `facet`'s payload index is told to add no links of its own (Qdrant's
    /// per-field `enable_hnsw: false`): a graph with links per facet value
    /// (`facet_m` > 0) that leaves this facet out. Both stores create indexes by it.
    pub fn links_withheld(&self, facet: &str) -> bool {
        self.facet_m > 0 && !self.links_for(facet)
    }

    /// The share of each vector's values the int8 copies' range covers (Qdrant's
    /// `quantile`): the embedded and the remote store quantize alike.
    pub const INT8_QUANTILE: f32 = 0.99;
}

impl Default for Graph {
    fn default() -> Self {
        Self {
            m: 16,
            ef_construct: 100,
            int8: true,
            facet_m: 16,
            derived_links: true,
            full_scan_kb: 10_000,
        }
    }
}

impl std::fmt::Display for Graph {
    /// "HNSW m 16, ef_construct 100, int8 scoring, links per facet value" (`/health`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HNSW m {}, ef_construct {}", self.m, self.ef_construct)?;
        if self.int8 {
            write!(f, ", int8 scoring")?;
        }
        if self.facet_m > 0 {
            write!(f, ", links per facet value")?;
            if self.facet_m != self.m {
                write!(f, " (m {})", self.facet_m)?;
            }
            if !self.derived_links {
                write!(f, " (not derived facets)")?;
            }
        }
        if self.full_scan_kb != Self::default().full_scan_kb {
            write!(f, ", exact under {} kB", self.full_scan_kb)?;
        }
        Ok(())
    }
}

impl Graph {
    /// The parameters a shard was built with (kept in its own configuration).
    fn of(shard: &EdgeShard) -> Self {
        let config = shard.config();
        let hnsw = config.hnsw_config();
        Self {
            m: hnsw.m,
            ef_construct: hnsw.ef_construct,
            int8: config.quantization_config.is_some(),
            facet_m: hnsw.payload_m.unwrap_or(hnsw.m),
            derived_links: shard.info().map_or(true, |info| {
                info.payload_schema
                    .iter()
                    .all(|(_, index)| index.params.as_ref().is_none_or(|p| p.enable_hnsw()))
            }),
            full_scan_kb: hnsw.full_scan_threshold,
        }
    }
}

/// Written into a shard directory when its load completed.
const MARKER: &str = "atelier-loaded.json";
/// Points per upsert while loading.
const BATCH: usize = 1024;

/// Points whose vectors and ids are compared with the index when a shard is reopened.
const SAMPLE: u32 = 64;
/// The engine's (int8) similarity of a stored vector to its own article at least this.
const SAME_VECTOR: f32 = 0.98;

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    index_version: String,
    points: u64,
    /// Every file of the shard when its load completed (empty from servers before
    /// this check existed: such a shard is rebuilt once).
    #[serde(default)]
    files: Vec<FileDigest>,
}

/// Why a shard cannot be used as it is.
enum Unusable {
    /// Never loaded, loaded for another index, or the load did not finish.
    NotLoaded,
    /// Loaded, but changed or unreadable since.
    Damaged(String),
}

/// An embedded Qdrant shard holding one index version.
pub struct EdgeStore {
    shard: EdgeShard,
    dir: PathBuf,
    mode: SearchMode,
    /// Set when this opening made the store from the previous version's.
    updated: Option<Updated>,
    graph: Graph,
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
    let facets = &catalog.index().facets;
    for facet in &facets.facets {
        if let Some(v) = facets.value(&facet.name, i) {
            map.insert(facet.name.clone(), v.into());
        }
    }
    serde_json::Value::Object(map)
}

impl EdgeStore {
    /// Opens the shard for `catalog`'s index version under `root`, after checking it;
    /// loads it from the index's f32 vectors first if it is missing, incomplete or
    /// damaged.
    pub fn open(
        root: &Path,
        catalog: &Catalog,
        mode: SearchMode,
        progress: &Progress,
    ) -> Result<Self, ServerError> {
        let version = &catalog.version.id;
        let dir = shard_dir(root, version);
        progress.stage("checking the store", 1);
        match reopen(&dir, catalog) {
            Ok(shard) => {
                tracing::info!(dir = %dir.display(), "embedded Qdrant store checked and opened");
                return Ok(Self {
                    dir,
                    mode,
                    updated: None,
                    graph: Graph::of(&shard),
                    shard,
                });
            }
            Err(Unusable::NotLoaded) => {}
            Err(Unusable::Damaged(why)) => tracing::warn!(
                dir = %dir.display(),
                problem = %why,
                "the embedded Qdrant store is damaged; rebuilding it from the index"
            ),
        }
        // A re-index: the previous version's store with only what changed (checked as
        // below), if it can be; else every point loaded.
        let (shard, updated) = match Self::update_previous(root, &dir, catalog, progress) {
            Some((shard, updated)) => (shard, Some(updated)),
            None => {
                let shard = Self::load(
                    &dir,
                    &CatalogPoints::new(catalog)?,
                    &Graph::default(),
                    progress,
                )?;
                check_points(&shard, catalog).map_err(|e| store_err("check after loading", e))?;
                (shard, None)
            }
        };
        // Qdrant's first opening of a new shard still writes (it applies the payload
        // indexes' journals and rewrites its config); later openings write nothing. So
        // open it once more before recording its files, then open it for good.
        drop(shard);
        drop(EdgeShard::load(&dir, None).map_err(|e| store_err("load", e))?);
        let files = digest::of_dir(&dir, &[MARKER]).map_err(|e| ServerError::io(&dir, e))?;
        let marker = Marker {
            index_version: version.clone(),
            points: catalog.len() as u64,
            files,
        };
        let bytes = serde_json::to_vec(&marker).map_err(|e| store_err("marker", e))?;
        atelier_folder::publish::write_durably(&dir.join(MARKER), &bytes)
            .map_err(|e| ServerError::io(&dir, e))?;
        remove_other_versions(root, &dir);
        let shard = EdgeShard::load(&dir, None).map_err(|e| store_err("load", e))?;
        Ok(Self {
            graph: Graph::of(&shard),
            shard,
            dir,
            mode,
            updated,
        })
    }

    /// What this opening changed in a copy of the previous index version's store, when
    /// it was made that way rather than loaded afresh.
    pub fn updated_from_previous(&self) -> Option<Updated> {
        self.updated
    }

    /// A store of `points` in `dir` (replacing what is there), loaded as [`Self::open`]
    /// loads an index but without the record and checks a server keeps: for harnesses
    /// that measure the store at sizes no index has (`examples/store_scale.rs`).
    pub fn create(
        dir: &Path,
        points: &dyn PointSource,
        mode: SearchMode,
        graph: &Graph,
        progress: &Progress,
    ) -> Result<Self, ServerError> {
        let shard = Self::load(dir, points, graph, progress)?;
        Ok(Self {
            // As the shard holds it (the parameters asked for, read back).
            graph: Graph::of(&shard),
            shard,
            dir: dir.to_path_buf(),
            mode,
            updated: None,
        })
    }

    /// The parameters this store's graph was built with.
    pub fn graph(&self) -> Graph {
        self.graph
    }

    /// Changes how later searches search (harnesses compare `hnsw_ef` on one load).
    pub fn set_mode(&mut self, mode: SearchMode) {
        self.mode = mode;
    }

    /// Creates the shard and fills it with every point's vector and payload.
    fn load(
        dir: &Path,
        points: &dyn PointSource,
        graph: &Graph,
        progress: &Progress,
    ) -> Result<EdgeShard, ServerError> {
        let t = Instant::now();
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| ServerError::io(dir, e))?;
        }
        tracing::info!(
            dir = %dir.display(),
            points = points.len(),
            "loading the embedded Qdrant store from the index's vectors"
        );
        let mut config = EdgeConfigBuilder::new()
            .vector(
                DEFAULT_VECTOR_NAME,
                EdgeVectorParamsBuilder::new(points.dim(), Distance::Cosine).build(),
            )
            .wal_enabled(false)
            // One search thread per core: the store lives in memory, so its searches are
            // CPU-bound, and Qdrant's default (four per core, for stores that wait on disk)
            // left idle threads spinning beside the server's own (docs/BENCHMARKS.md).
            .max_search_threads(std::thread::available_parallelism().map_or(1, |n| n.get()))
            .hnsw_config(HnswIndexConfig {
                m: graph.m,
                ef_construct: graph.ef_construct,
                // Unset when equal to `m`, as shards from before `facet_m` were made.
                payload_m: (graph.facet_m != graph.m).then_some(graph.facet_m),
                full_scan_threshold: graph.full_scan_kb,
                ..Default::default()
            });
        if graph.int8 {
            let int8: QuantizationConfig = serde_json::from_value(
                serde_json::json!({"scalar": {"type": "int8", "quantile": Graph::INT8_QUANTILE}}),
            )
            .map_err(|e| store_err("quantization", e))?;
            config = config.quantization_config(int8);
        }
        let config = config.build();
        let shard = EdgeShard::new(dir, config).map_err(|e| store_err("create", e))?;
        // Payload indexes first, so the HNSW graph is built aware of the filters.
        for field in facet_fields() {
            let field_name: JsonPath = field
                .parse()
                .map_err(|()| store_err("payload index", format!("bad field name {field}")))?;
            let field_schema = if graph.links_withheld(field) {
                PayloadFieldSchema::FieldParams(PayloadSchemaParams::Keyword(KeywordIndexParams {
                    enable_hnsw: Some(false),
                    ..Default::default()
                }))
            } else {
                PayloadFieldSchema::FieldType(PayloadSchemaType::Keyword)
            };
            shard
                .update(UpdateOperation::FieldIndexOperation(
                    FieldIndexOperations::CreateIndex(CreateIndex {
                        field_name,
                        field_schema: Some(field_schema),
                    }),
                ))
                .map_err(|e| store_err("payload index", e))?;
        }
        let n = points.len() as u32;
        progress.stage("loading points", n as u64);
        let mut start = 0u32;
        while start < n {
            let end = (start + BATCH as u32).min(n);
            let batch = (start..end)
                .map(|i| {
                    PointStruct::new(
                        i as u64,
                        points.vector(i as usize),
                        points.payload(i as usize),
                    )
                    .into()
                })
                .collect();
            shard
                .update(UpdateOperation::PointOperation(
                    PointOperations::UpsertPoints(PointInsertOperations::PointsList(batch)),
                ))
                .map_err(|e| store_err("upsert", e))?;
            start = end;
            progress.set(end as u64);
        }
        progress.stage("building the store's graph", 1);
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

/// A retrieved point's dense vector.
fn dense(vector: &Option<VectorStructInternal>) -> Option<&[f32]> {
    match vector {
        Some(VectorStructInternal::Single(v)) => Some(v),
        Some(VectorStructInternal::Named(m)) => match m.get(DEFAULT_VECTOR_NAME) {
            Some(VectorInternal::Dense(v)) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// The record a completed load left in `dir`, if it is there and readable.
fn read_marker(dir: &Path) -> Option<Marker> {
    let bytes = std::fs::read(dir.join(MARKER)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// The shard in `dir` if it holds `catalog`'s index, complete and unchanged.
fn reopen(dir: &Path, catalog: &Catalog) -> Result<EdgeShard, Unusable> {
    let marker = read_marker(dir)
        .filter(|m| m.index_version == catalog.version.id && m.points == catalog.len() as u64)
        .ok_or(Unusable::NotLoaded)?;
    if marker.files.is_empty() {
        return Err(Unusable::Damaged(
            "loaded by an older server that kept no record of its files".into(),
        ));
    }
    if let Some(change) = digest::first_change(dir, &marker.files, &[MARKER]) {
        return Err(Unusable::Damaged(change.to_string()));
    }
    let shard = std::panic::catch_unwind(|| EdgeShard::load(dir, None))
        .map_err(|_| Unusable::Damaged("Qdrant failed while opening it".into()))?
        .map_err(|e| Unusable::Damaged(format!("Qdrant cannot open it: {e}")))?;
    check_points(&shard, catalog).map_err(Unusable::Damaged)?;
    Ok(shard)
}

/// The shard holds one point per article, and a sample of points (spread over the
/// catalog) have their article's number and vector.
fn check_points(shard: &EdgeShard, catalog: &Catalog) -> Result<(), String> {
    let n = catalog.len() as u32;
    let points = shard
        .info()
        .map_err(|e| format!("Qdrant cannot count its points: {e}"))?
        .points_count;
    if points != n as usize {
        return Err(format!("{points} points for {n} articles"));
    }
    let mut ids: Vec<u32> = (0..SAMPLE)
        .map(|j| (j as u64 * n as u64 / SAMPLE as u64) as u32)
        .collect();
    ids.push(n.saturating_sub(1));
    ids.dedup();
    ids.retain(|&i| i < n);
    let request = RetrieveRequestBuilder::new(ids.iter().map(|&i| (i as u64).into()).collect())
        .with_payload(WithPayloadInterface::Bool(true))
        .with_vector(WithVector::Bool(true))
        .build();
    let records = shard
        .retrieve(request)
        .map_err(|e| format!("Qdrant cannot read its points: {e}"))?;
    if records.len() != ids.len() {
        return Err(format!(
            "{} of {} sampled points found",
            records.len(),
            ids.len()
        ));
    }
    for r in records {
        let id = match r.id {
            qdrant_edge::PointId::NumId(id) if id < n as u64 => id as u32,
            other => return Err(format!("unexpected point id {other:?}")),
        };
        let article = r
            .payload
            .as_ref()
            .and_then(|p| p.0.get("article"))
            .and_then(|v| v.as_u64());
        if article != Some(id as u64) {
            return Err(format!("point {id} carries article {article:?}"));
        }
        let vector = dense(&r.vector).ok_or_else(|| format!("point {id} has no vector"))?;
        let similarity = catalog.index().similarity(vector, id);
        // NaN (a vector of garbage) fails too.
        if similarity.is_nan() || similarity < SAME_VECTOR {
            return Err(format!(
                "point {id}'s vector differs from its article's (similarity {similarity})"
            ));
        }
    }
    Ok(())
}

/// Shards of other index versions kept besides the current one (switching back and
/// forth between, say, the demo and the full catalog reloads nothing).
const KEEP_OTHER_VERSIONS: usize = 2;

/// The other versions' shard directories under `root` (besides `keep`): the loaded ones,
/// most recently loaded first, and the incomplete ones (no marker).
fn other_versions(root: &Path, keep: &Path) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root) else {
        return (Vec::new(), Vec::new());
    };
    let mut loaded: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
    let mut incomplete = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if !e.file_name().to_string_lossy().starts_with("index-") || path == keep {
            continue;
        }
        match std::fs::metadata(path.join(MARKER)).and_then(|m| m.modified()) {
            Ok(at) => loaded.push((at, path)),
            Err(_) => incomplete.push(path),
        }
    }
    loaded.sort_by_key(|o| std::cmp::Reverse(o.0));
    (loaded.into_iter().map(|o| o.1).collect(), incomplete)
}

/// Removes incomplete shards and all but the most recently loaded other versions.
fn remove_other_versions(root: &Path, keep: &Path) {
    let (loaded, incomplete) = other_versions(root, keep);
    for path in incomplete
        .iter()
        .chain(loaded.iter().skip(KEEP_OTHER_VERSIONS))
    {
        remove(path);
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
                acorn: (self.graph.facet_m == 0).then_some(AcornSearchParams {
                    enable: true,
                    max_selectivity: None,
                }),
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
            layout: Some(self.graph.to_string()),
            error,
        }
    }
}
