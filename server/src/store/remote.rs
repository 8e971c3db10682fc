//! A remote Qdrant — one node or a cluster — through `qdrant-client` (gRPC), for
//! catalogs that outgrow one machine. One collection per index version,
//! `<prefix>-<version>`.
//!
//! - **Layout.** Shards and copies are chosen from the cluster the server finds (or
//!   configured): one shard per peer, and on a cluster two copies of each, so that
//!   losing a node loses no shard. Writes wait for one copy (write consistency 1).
//! - **Loading.** A bulk upload with Qdrant's HNSW indexing switched off
//!   (`indexing_threshold` 0) and several batches in flight; then indexing is switched
//!   on and awaited, so each segment's graph is built once, on every peer's cores.
//! - **Reopening.** The point count, indexing switched on, and a sample of points' ids
//!   and vectors checked against the index: a start on a loaded collection is a few
//!   requests. A load interrupted after every point went in only has its indexing
//!   resumed; anything else off is loaded again.
//! - **Searching.** `qdrant_url` may list several peers (comma-separated): a search goes
//!   to the last peer that answered and, when it fails or is late (`qdrant_timeout_ms`),
//!   to the next. When none answers, [`super::Candidates`] answers from the index's own
//!   graph: a degraded cluster never shows a shopper Qdrant's error text.

use super::{
    facet_fields, CatalogPoints, Clauses, PointSource, Progress, SearchMode, StoreStatus,
    VectorStore,
};
use crate::catalog::Catalog;
use crate::error::ServerError;
use qdrant_client::qdrant::point_id::PointIdOptions;
use qdrant_client::qdrant::vector_output::Vector;
use qdrant_client::qdrant::{
    Condition, CreateCollectionBuilder, CreateFieldIndexCollectionBuilder, Distance, FieldType,
    Filter, GetPointsBuilder, HnswConfigDiffBuilder, KeywordIndexParamsBuilder,
    OptimizersConfigDiffBuilder, PointId, PointStruct, QueryPointsBuilder,
    ScalarQuantizationBuilder, SearchParamsBuilder, UpdateCollectionBuilder, UpsertPointsBuilder,
    VectorParamsBuilder,
};
use qdrant_client::{Payload, Qdrant};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::runtime::Handle;

/// Points per upsert while loading.
const BATCH: usize = 1024;
/// Upserts in flight while loading.
const IN_FLIGHT: usize = 4;
/// Qdrant's indexing threshold (kB of vectors per segment) once the points are in: its
/// default, so segments above it get an HNSW graph.
const INDEXING_THRESHOLD_KB: u64 = 10_000;
/// Points whose vectors and ids are compared with the index when a collection is reused.
const SAMPLE: u64 = 64;
/// The engine's (int8) similarity of a stored vector to its own article at least this.
const SAME_VECTOR: f32 = 0.98;

/// How the server uses a remote Qdrant.
#[derive(Debug, Clone)]
pub struct RemoteOptions {
    /// Shards of a new collection [default: one per peer].
    pub shards: Option<u32>,
    /// Copies of each shard [default: 2 on a cluster, 1 on one node].
    pub replicas: Option<u32>,
    /// Deadline of one search.
    pub timeout: Duration,
}

/// Shards and copies of a collection, and the peers the server found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub peers: u32,
    pub shards: u32,
    pub replicas: u32,
}

impl Layout {
    /// The layout for a cluster of `peers`, unless configured otherwise.
    pub fn choose(peers: u32, options: &RemoteOptions) -> Self {
        let peers = peers.max(1);
        Self {
            peers,
            shards: options.shards.unwrap_or(peers),
            replicas: options.replicas.unwrap_or(peers.min(2)),
        }
    }
}

/// A collection on a remote Qdrant holding one index version.
pub struct RemoteStore {
    /// One per peer listed, for searches and status: calls time out after the deadline.
    clients: Vec<Qdrant>,
    /// The client that answered last.
    current: AtomicUsize,
    collection: String,
    urls: Vec<String>,
    mode: SearchMode,
    layout: Layout,
    timeout: Duration,
    runtime: Handle,
}

fn store_err(context: &str, e: impl std::fmt::Display) -> ServerError {
    ServerError::Store(format!("qdrant: {context}: {e}"))
}

/// The peers listed in `urls` (comma-separated).
pub fn parse_urls(urls: &str) -> Vec<String> {
    urls.split(',')
        .map(str::trim)
        .filter(|u| !u.is_empty())
        .map(String::from)
        .collect()
}

fn connect(url: &str, timeout: Duration) -> Result<Qdrant, ServerError> {
    Qdrant::from_url(url)
        .skip_compatibility_check()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(5)))
        .build()
        .map_err(|e| store_err("connect", e))
}

/// What the server finds under the collection's name.
enum Found {
    Missing,
    /// Every point is in, but indexing was never switched on (an interrupted load).
    Unindexed,
    Loaded,
    /// Holds something other than this index's points.
    Wrong(String),
}

impl RemoteStore {
    /// Connects to `url` and makes sure collection `<prefix>-<version>` holds `catalog`,
    /// indexed; loads it when it does not.
    pub async fn open(
        urls: &str,
        prefix: &str,
        catalog: &Catalog,
        mode: SearchMode,
        options: &RemoteOptions,
        progress: &Progress,
    ) -> Result<Self, ServerError> {
        let urls = parse_urls(urls);
        // Loading calls (upserts, index builds) may take minutes; searches may not.
        let admin = first_answering(&urls, options.timeout).await?;
        let collection = format!("{prefix}-{}", catalog.version.id);
        progress.stage("checking the store", 1);
        match found(&admin, &collection, catalog).await? {
            Found::Loaded => tracing::info!(%collection, "remote Qdrant collection checked"),
            Found::Unindexed => {
                tracing::info!(%collection, "remote Qdrant collection loaded but not indexed: indexing it");
                build_index(&admin, &collection, catalog.len() as u64, progress).await?;
            }
            Found::Missing => {
                let points = CatalogPoints::new(catalog)?;
                load(&admin, prefix, &collection, &points, options, progress).await?
            }
            Found::Wrong(why) => {
                tracing::warn!(%collection, problem = %why, "the remote Qdrant collection does not hold this index; loading it again");
                let points = CatalogPoints::new(catalog)?;
                load(&admin, prefix, &collection, &points, options, progress).await?;
            }
        }
        check_points(&admin, &collection, catalog)
            .await?
            .map_err(|why| store_err("check after loading", why))?;
        Self::connected(&admin, urls, collection, mode, options).await
    }

    /// Creates collection `collection` (replacing any of that name) and loads `points`
    /// into it as [`RemoteStore::open`] loads an index's articles: for a harness's own
    /// points (`examples/store_scale.rs`), without the checks against an index.
    pub async fn create(
        urls: &str,
        collection: &str,
        points: &dyn PointSource,
        mode: SearchMode,
        options: &RemoteOptions,
        progress: &Progress,
    ) -> Result<Self, ServerError> {
        let urls = parse_urls(urls);
        let admin = first_answering(&urls, options.timeout).await?;
        load(&admin, collection, collection, points, options, progress).await?;
        Self::connected(&admin, urls, collection.to_string(), mode, options).await
    }

    /// A store for `collection`, loaded, with a client for each of `urls`.
    async fn connected(
        admin: &Qdrant,
        urls: Vec<String>,
        collection: String,
        mode: SearchMode,
        options: &RemoteOptions,
    ) -> Result<Self, ServerError> {
        let layout = layout_of(admin, &collection).await?;
        Ok(Self {
            clients: urls
                .iter()
                .map(|u| connect(u, options.timeout))
                .collect::<Result<_, _>>()?,
            current: AtomicUsize::new(0),
            collection,
            urls,
            mode,
            layout,
            timeout: options.timeout,
            runtime: Handle::current(),
        })
    }

    /// Searches from now on with `mode`.
    pub fn set_mode(&mut self, mode: SearchMode) {
        self.mode = mode;
    }

    /// Deletes the collection (a harness's own, after measuring it).
    pub async fn delete(self) -> Result<(), ServerError> {
        let client = &self.clients[self.current.load(Ordering::Relaxed) % self.clients.len()];
        client
            .delete_collection(&self.collection)
            .await
            .map(|_| ())
            .map_err(|e| store_err("delete_collection", e))
    }

    /// The collection's shards and copies.
    pub fn layout(&self) -> Layout {
        self.layout
    }

    async fn count(&self) -> Result<u64, ServerError> {
        let client = &self.clients[self.current.load(Ordering::Relaxed) % self.clients.len()];
        let info = client
            .collection_info(&self.collection)
            .await
            .map_err(|e| store_err("collection_info", e))?;
        Ok(info.result.and_then(|r| r.points_count).unwrap_or(0))
    }
}

/// A client (with loading's long deadline) to the first listed peer that answers.
async fn first_answering(urls: &[String], timeout: Duration) -> Result<Qdrant, ServerError> {
    let mut last = store_err("connect", "no qdrant_url");
    for url in urls {
        let admin = connect(url, Duration::from_secs(600))?;
        match tokio::time::timeout(timeout, admin.health_check()).await {
            Ok(Ok(_)) => return Ok(admin),
            Ok(Err(e)) => last = store_err("health_check", e),
            Err(_) => last = store_err("health_check", "no answer before the deadline"),
        }
        tracing::warn!(%url, error = %last, "a listed Qdrant peer does not answer");
    }
    Err(last)
}

async fn collection_info(
    admin: &Qdrant,
    c: &str,
) -> Result<qdrant_client::qdrant::CollectionInfo, ServerError> {
    Ok(admin
        .collection_info(c)
        .await
        .map_err(|e| store_err("collection_info", e))?
        .result
        .unwrap_or_default())
}

/// The peers holding a collection's shards.
fn peers_of(info: &qdrant_client::qdrant::CollectionClusterInfoResponse) -> u32 {
    let mut peers: BTreeSet<u64> = info.remote_shards.iter().map(|s| s.peer_id).collect();
    peers.insert(info.peer_id);
    peers.len() as u32
}

async fn found(admin: &Qdrant, c: &str, catalog: &Catalog) -> Result<Found, ServerError> {
    if !admin
        .collection_exists(c)
        .await
        .map_err(|e| store_err("collection_exists", e))?
    {
        return Ok(Found::Missing);
    }
    let info = collection_info(admin, c).await?;
    let points = info.points_count.unwrap_or(0);
    if points != catalog.len() as u64 {
        return Ok(Found::Wrong(format!(
            "{points} points for {} articles",
            catalog.len()
        )));
    }
    if let Err(why) = check_points(admin, c, catalog).await? {
        return Ok(Found::Wrong(why));
    }
    let threshold = info
        .config
        .and_then(|c| c.optimizer_config)
        .and_then(|o| o.indexing_threshold);
    Ok(if threshold == Some(0) {
        Found::Unindexed
    } else {
        Found::Loaded
    })
}

/// How many peers the cluster has: Qdrant places a collection created without a shard
/// count one shard per peer, so a throwaway collection's shards name them.
async fn peers(admin: &Qdrant, prefix: &str) -> u32 {
    let probe = format!("{prefix}-peers-probe");
    let _ = admin.delete_collection(&probe).await;
    let created = admin
        .create_collection(
            CreateCollectionBuilder::new(&probe)
                .vectors_config(VectorParamsBuilder::new(1, Distance::Cosine)),
        )
        .await;
    let info = match created {
        Ok(_) => admin.collection_cluster_info(&probe).await,
        Err(e) => Err(e),
    };
    let _ = admin.delete_collection(&probe).await;
    match info {
        Ok(info) => peers_of(&info),
        Err(e) => {
            tracing::warn!(error = %e, "cannot tell the Qdrant cluster's size; assuming one node");
            1
        }
    }
}

async fn layout_of(admin: &Qdrant, c: &str) -> Result<Layout, ServerError> {
    let info = collection_info(admin, c).await?;
    let params = info.config.and_then(|c| c.params).unwrap_or_default();
    let peers = match admin.collection_cluster_info(c).await {
        Ok(info) => peers_of(&info),
        Err(_) => 1,
    };
    Ok(Layout {
        peers,
        shards: params.shard_number,
        replicas: params.replication_factor.unwrap_or(1),
    })
}

/// Creates the collection (replacing any of that name) and bulk-loads every point.
async fn load(
    admin: &Qdrant,
    prefix: &str,
    c: &str,
    source: &dyn PointSource,
    options: &RemoteOptions,
    progress: &Progress,
) -> Result<(), ServerError> {
    let t = Instant::now();
    if admin
        .collection_exists(c)
        .await
        .map_err(|e| store_err("collection_exists", e))?
    {
        admin
            .delete_collection(c)
            .await
            .map_err(|e| store_err("delete_collection", e))?;
    }
    let layout = Layout::choose(peers(admin, prefix).await, options);
    // The embedded store's graph (`edge::Graph`): its links, and int8 copies of the
    // vectors to build and search it with; candidates are re-scored by the engine.
    let graph = super::edge::Graph::default();
    tracing::info!(collection = %c, points = source.len(), peers = layout.peers, shards = layout.shards, replicas = layout.replicas, "loading the remote Qdrant collection");
    let mut create = CreateCollectionBuilder::new(c)
        .vectors_config(VectorParamsBuilder::new(
            source.dim() as u64,
            Distance::Cosine,
        ))
        .hnsw_config(
            HnswConfigDiffBuilder::default()
                .m(graph.m as u64)
                .ef_construct(graph.ef_construct as u64)
                // Links among each facet value's points (Qdrant's payload-aware graph):
                // 0 leaves filtered searches to the plain graph.
                .payload_m(graph.facet_m as u64)
                .full_scan_threshold(graph.full_scan_kb as u64),
        )
        .shard_number(layout.shards)
        .replication_factor(layout.replicas)
        .write_consistency_factor(1)
        // No graph while loading: built once at the end.
        .optimizers_config(OptimizersConfigDiffBuilder::default().indexing_threshold(0));
    if graph.int8 {
        create = create.quantization_config(
            ScalarQuantizationBuilder::default().quantile(super::edge::Graph::INT8_QUANTILE),
        );
    }
    admin
        .create_collection(create)
        .await
        .map_err(|e| store_err("create_collection", e))?;
    for field in facet_fields() {
        let mut index = CreateFieldIndexCollectionBuilder::new(c, field, FieldType::Keyword);
        if graph.links_withheld(field) {
            index =
                index.field_index_params(KeywordIndexParamsBuilder::default().enable_hnsw(false));
        }
        admin
            .create_field_index(index.wait(true))
            .await
            .map_err(|e| store_err("create_field_index", e))?;
    }
    let n = source.len();
    progress.stage("loading points", n as u64);
    let mut in_flight = tokio::task::JoinSet::new();
    let mut done = 0u64;
    let mut finish_one = |r: Result<Result<usize, ServerError>, tokio::task::JoinError>| {
        let points = r.map_err(|e| store_err("upsert", e))??;
        done += points as u64;
        progress.set(done);
        Ok::<(), ServerError>(())
    };
    for start in (0..n).step_by(BATCH) {
        let end = (start + BATCH).min(n);
        let points = (start..end)
            .map(|i| {
                let payload =
                    Payload::try_from(source.payload(i)).map_err(|e| store_err("payload", e))?;
                Ok(PointStruct::new(i as u64, source.vector(i), payload))
            })
            .collect::<Result<Vec<_>, ServerError>>()?;
        if in_flight.len() >= IN_FLIGHT {
            if let Some(r) = in_flight.join_next().await {
                finish_one(r)?;
            }
        }
        let client = admin.clone();
        let c = c.to_string();
        in_flight.spawn(async move {
            let count = points.len();
            client
                .upsert_points(UpsertPointsBuilder::new(c, points).wait(true))
                .await
                .map(|_| count)
                .map_err(|e| store_err("upsert", e))
        });
    }
    while let Some(r) = in_flight.join_next().await {
        finish_one(r)?;
    }
    let uploaded = t.elapsed();
    build_index(admin, c, n as u64, progress).await?;
    tracing::info!(collection = %c, upload_seconds = uploaded.as_secs_f64(), seconds = t.elapsed().as_secs_f64(), "remote Qdrant collection loaded");
    Ok(())
}

/// Switches indexing on and waits until the collection is green.
async fn build_index(
    admin: &Qdrant,
    c: &str,
    points: u64,
    progress: &Progress,
) -> Result<(), ServerError> {
    admin
        .update_collection(UpdateCollectionBuilder::new(c).optimizers_config(
            OptimizersConfigDiffBuilder::default().indexing_threshold(INDEXING_THRESHOLD_KB),
        ))
        .await
        .map_err(|e| store_err("update_collection", e))?;
    progress.stage("building the store's graph", points);
    // Green with every vector indexed, or green for a while (segments below the
    // threshold — small catalogs — are searched without a graph).
    let mut green = 0;
    loop {
        let info = collection_info(admin, c).await?;
        let indexed = info.indexed_vectors_count.unwrap_or(0);
        progress.set(indexed.min(points));
        // CollectionStatus: 1 green, 2 yellow, 3 red, 4 grey.
        match info.status {
            1 => green += 1,
            3 => return Err(store_err("indexing", "the collection is red")),
            _ => green = 0,
        }
        if green > 0 && indexed >= points || green >= 8 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// A sample of points (spread over the catalog) have their article's number and vector.
/// `Ok(Err(why))` when they do not; `Err` when Qdrant cannot be asked.
async fn check_points(
    admin: &Qdrant,
    c: &str,
    catalog: &Catalog,
) -> Result<Result<(), String>, ServerError> {
    let n = catalog.len() as u64;
    let mut ids: Vec<u64> = (0..SAMPLE).map(|j| j * n / SAMPLE).collect();
    ids.push(n.saturating_sub(1));
    ids.dedup();
    ids.retain(|&i| i < n);
    let got = admin
        .get_points(
            GetPointsBuilder::new(c, ids.iter().map(|&i| PointId::from(i)).collect::<Vec<_>>())
                .with_payload(true)
                .with_vectors(true),
        )
        .await
        .map_err(|e| store_err("get_points", e))?
        .result;
    if got.len() != ids.len() {
        return Ok(Err(format!(
            "{} of {} sampled points found",
            got.len(),
            ids.len()
        )));
    }
    for p in got {
        let id = match p.id.and_then(|id| id.point_id_options) {
            Some(PointIdOptions::Num(id)) if id < n => id as u32,
            other => return Ok(Err(format!("unexpected point id {other:?}"))),
        };
        let article = p.payload.get("article").and_then(|v| v.as_integer());
        if article != Some(id as i64) {
            return Ok(Err(format!("point {id} carries article {article:?}")));
        }
        let vector = match p.vectors.and_then(|v| v.get_vector()) {
            Some(Vector::Dense(v)) => v.data,
            _ => return Ok(Err(format!("point {id} has no vector"))),
        };
        let similarity = catalog.index().similarity(&vector, id);
        if similarity.is_nan() || similarity < SAME_VECTOR {
            return Ok(Err(format!(
                "point {id}'s vector differs from its article's (similarity {similarity})"
            )));
        }
    }
    Ok(Ok(()))
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
            .timeout(self.timeout.as_secs().max(1))
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
        // The peer that answered last, then the others.
        let n = self.clients.len();
        let first = self.current.load(Ordering::Relaxed);
        let mut last = store_err("query", "no qdrant_url");
        let mut answer = None;
        for attempt in 0..n {
            let i = (first + attempt) % n;
            let query = self.clients[i].query(request.clone());
            match self
                .runtime
                // (The deadline made inside the runtime: a caller on any thread may block.)
                .block_on(async { tokio::time::timeout(self.timeout, query).await })
            {
                Ok(Ok(response)) => {
                    self.current.store(i, Ordering::Relaxed);
                    answer = Some(response);
                    break;
                }
                Ok(Err(e)) => last = store_err("query", e),
                Err(_) => last = store_err("query", "no answer before the deadline"),
            }
        }
        let response = answer.ok_or(last)?;
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
        let client = &self.clients[self.current.load(Ordering::Relaxed) % self.clients.len()];
        let asked = async {
            let points = self.count().await?;
            let cluster = client
                .collection_cluster_info(&self.collection)
                .await
                .map_err(|e| store_err("collection_cluster_info", e))?;
            // ReplicaState 0: active.
            let states: Vec<i32> = (cluster.local_shards.iter().map(|s| s.state))
                .chain(cluster.remote_shards.iter().map(|s| s.state))
                .collect();
            let active = states.iter().filter(|&&s| s == 0).count();
            Ok::<_, ServerError>((points, active, states.len()))
        };
        let l = self.layout;
        let (status, points, copies, error) = match self
            .runtime
            .block_on(async { tokio::time::timeout(self.timeout, asked).await })
        {
            // Searches still find every shard while some copies are down.
            Ok(Ok((n, active, all))) if active < all => {
                ("degraded", Some(n), Some((active, all)), None)
            }
            Ok(Ok((n, active, all))) => ("ok", Some(n), Some((active, all)), None),
            Ok(Err(e)) => ("error", None, None, Some(e.to_string())),
            Err(_) => (
                "error",
                None,
                None,
                Some("no answer before the deadline".into()),
            ),
        };
        let mut layout = format!(
            "{} shards × {} copies on {} peers",
            l.shards, l.replicas, l.peers
        );
        if let Some((active, all)) = copies {
            layout += &format!(", {active} of {all} copies active");
        }
        StoreStatus {
            kind: "qdrant-remote",
            status,
            points,
            location: format!("{} collection {}", self.urls.join(","), self.collection),
            exact: self.mode.exact,
            layout: Some(layout),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cluster_gets_a_shard_per_peer_and_two_copies() {
        let auto = RemoteOptions {
            shards: None,
            replicas: None,
            timeout: Duration::from_secs(2),
        };
        let one = Layout::choose(1, &auto);
        assert_eq!((one.shards, one.replicas), (1, 1));
        let three = Layout::choose(3, &auto);
        assert_eq!((three.shards, three.replicas), (3, 2));
        let set = RemoteOptions {
            shards: Some(6),
            replicas: Some(3),
            ..auto
        };
        let l = Layout::choose(3, &set);
        assert_eq!((l.peers, l.shards, l.replicas), (3, 6, 3));
    }
}
