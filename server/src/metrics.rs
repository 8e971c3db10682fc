//! Prometheus metrics (OpenMetrics text at `/metrics`): requests and latency by route and
//! status, cache hits/misses/errors, embedding and vector-search time, index size and
//! version.

use crate::catalog::IndexVersion;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    pub route: String,
    pub method: String,
    pub status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CacheErrorLabels {
    /// `get`, `set`, `connect` or `skipped` (Redis recently failed; not tried).
    pub op: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct FallbackLabels {
    /// `not_ready` (the store is loading or failed to open), `error` (it failed a search)
    /// or `backing_off` (it failed one recently and is left alone for a while).
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct IndexLabels {
    pub version: String,
    pub format_version: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.5 ms .. ~16 s
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// Every metric the server exports.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: HistogramFamily<RequestLabels>,
    cache_hits: Counter,
    cache_misses: Counter,
    searches_shed: Counter,
    cache_errors: Family<CacheErrorLabels, Counter>,
    store_fallbacks: Family<FallbackLabels, Counter>,
    embed_seconds: Histogram,
    vector_search_seconds: Histogram,
    rank_seconds: Histogram,
    index_articles: Gauge,
    index_bytes: Gauge,
    index_info: Family<IndexLabels, Gauge>,
    store_points: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("atelier");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        let request_seconds: HistogramFamily<RequestLabels> =
            Family::new_with_constructor(latency_histogram);
        registry.register_with_unit(
            "http_request_duration",
            "HTTP request latency by route, method and status",
            Unit::Seconds,
            request_seconds.clone(),
        );
        let cache_hits = Counter::default();
        registry.register(
            "cache_hits",
            "Searches answered from the Redis cache",
            cache_hits.clone(),
        );
        let cache_misses = Counter::default();
        registry.register(
            "cache_misses",
            "Searches computed (not in the cache, or the cache unavailable)",
            cache_misses.clone(),
        );
        let searches_shed = Counter::default();
        registry.register(
            "searches_shed",
            "Searches answered 503 at once because too many were computing or waiting",
            searches_shed.clone(),
        );
        let cache_errors = Family::<CacheErrorLabels, Counter>::default();
        registry.register(
            "cache_errors",
            "Redis operations that failed or timed out (the search went on uncached)",
            cache_errors.clone(),
        );
        let store_fallbacks = Family::<FallbackLabels, Counter>::default();
        registry.register(
            "store_fallbacks",
            "Nearest-neighbour searches answered from the index's own graph because the vector store was not ready or failed",
            store_fallbacks.clone(),
        );
        let embed_seconds = latency_histogram();
        registry.register_with_unit(
            "embedding_duration",
            "Time to embed a query with the model",
            Unit::Seconds,
            embed_seconds.clone(),
        );
        let vector_search_seconds = latency_histogram();
        registry.register_with_unit(
            "vector_search_duration",
            "Time of one nearest-neighbour search in the vector store",
            Unit::Seconds,
            vector_search_seconds.clone(),
        );
        let rank_seconds = latency_histogram();
        registry.register_with_unit(
            "rank_duration",
            "Time to rank a query (vector store, keywords, fusion), without embedding",
            Unit::Seconds,
            rank_seconds.clone(),
        );
        let index_articles = Gauge::default();
        registry.register(
            "index_articles",
            "Articles in the loaded index",
            index_articles.clone(),
        );
        let index_bytes = Gauge::default();
        registry.register_with_unit(
            "index_size",
            "Size of the loaded index's files",
            Unit::Bytes,
            index_bytes.clone(),
        );
        let index_info = Family::<IndexLabels, Gauge>::default();
        registry.register(
            "index_info",
            "The loaded index's version (1 for the loaded version)",
            index_info.clone(),
        );
        let store_points = Gauge::default();
        registry.register(
            "vector_store_points",
            "Points in the vector store (once it is ready)",
            store_points.clone(),
        );
        Self {
            registry,
            requests,
            request_seconds,
            cache_hits,
            cache_misses,
            searches_shed,
            cache_errors,
            store_fallbacks,
            embed_seconds,
            vector_search_seconds,
            rank_seconds,
            index_articles,
            index_bytes,
            index_info,
            store_points,
        }
    }

    /// Records the points of a store that became ready.
    pub fn set_store_points(&self, points: u64) {
        self.store_points.set(points.min(i64::MAX as u64) as i64);
    }

    pub fn store_fallback(&self, reason: &'static str) {
        self.store_fallbacks
            .get_or_create(&FallbackLabels { reason })
            .inc();
    }

    /// Records the loaded index.
    pub fn set_index(&self, version: &IndexVersion, bytes: u64) {
        self.index_articles.set(version.articles as i64);
        self.index_bytes.set(bytes.min(i64::MAX as u64) as i64);
        self.index_info
            .get_or_create(&IndexLabels {
                version: version.id.clone(),
                format_version: version.format_version.to_string(),
            })
            .set(1);
    }

    pub fn cache_hit(&self) {
        self.cache_hits.inc();
    }

    pub fn cache_miss(&self) {
        self.cache_misses.inc();
    }

    pub fn search_shed(&self) {
        self.searches_shed.inc();
    }

    pub fn cache_error(&self, op: &str) {
        self.cache_errors
            .get_or_create(&CacheErrorLabels { op: op.to_string() })
            .inc();
    }

    pub fn observe_embedding(&self, d: Duration) {
        self.embed_seconds.observe(d.as_secs_f64());
    }

    pub fn observe_vector_search(&self, d: Duration) {
        self.vector_search_seconds.observe(d.as_secs_f64());
    }

    pub fn observe_rank(&self, d: Duration) {
        self.rank_seconds.observe(d.as_secs_f64());
    }

    fn observe_request(&self, labels: RequestLabels, d: Duration) {
        self.request_seconds
            .get_or_create(&labels)
            .observe(d.as_secs_f64());
        self.requests.get_or_create(&labels).inc();
    }

    /// The OpenMetrics text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if let Err(e) = prometheus_client::encoding::text::encode(&mut out, &self.registry) {
            tracing::error!(error = %e, "encoding metrics");
        }
        out
    }
}

/// Middleware: counts and times every request by its route template (not its raw path,
/// so the label set stays bounded).
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    // Standard methods by name, anything else as one label: a client inventing methods
    // must not grow the exposition.
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS" | "TRACE"
        | "CONNECT") => m,
        _ => "OTHER",
    }
    .to_string();
    let t = Instant::now();
    let response = next.run(req).await;
    metrics.observe_request(
        RequestLabels {
            route,
            method,
            status: response.status().as_u16().to_string(),
        },
        t.elapsed(),
    );
    response
}
