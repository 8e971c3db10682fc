//! The HTTP API: search (GET and POST), similar articles, facets, health, metrics and the
//! OpenAPI description. Search answers are exactly the engine's [`SearchResponse`], as
//! `indexer search --json` prints them.

use crate::cache::{normalise_query, search_key, Cache, KeyParts};
use crate::catalog::Catalog;
use crate::config::Config;
use crate::error::{HttpError, ServerError};
use crate::metrics::Metrics;
use crate::store::{Candidates, Phase, StoreSlot};
use atelier_engine::api::{
    validate_filters, validate_k, SearchRequest, SearchResponse, ValidSearch,
};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{DefaultBodyLimit, Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Everything a request handler needs.
#[derive(Clone)]
pub struct AppState {
    pub catalog: Arc<Catalog>,
    /// The vector store, once it is ready (searches use the index's graph until then).
    pub store: Arc<StoreSlot>,
    pub cache: Arc<Cache>,
    pub metrics: Arc<Metrics>,
    /// Bounds the searches computed at once (embedding is CPU-bound).
    pub permits: Arc<Semaphore>,
    /// Bounds the searches computing or waiting to: beyond them a search is shed (503).
    pub admitted: Arc<Semaphore>,
    /// Bounds the API requests each client has in progress.
    pub per_client: Arc<crate::per_client::PerClient>,
}

/// The raw query string; [`query_pairs`] decodes it strictly.
type QueryPairs = RawQuery;

/// The router with every route and layer (CORS, body limit, timeout, metrics, tracing).
pub fn router(state: AppState, config: &Config) -> Result<Router, ServerError> {
    let cors = cors_layer(&config.cors_origins)?;
    let metrics = Arc::clone(&state.metrics);
    // The searching routes, under each client's cap on requests in progress.
    let api = Router::new()
        .route("/api/search", get(search_get).post(search_post))
        .route("/api/similar/{article_id}", get(similar))
        .route("/api/facets", get(facets))
        .route_layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state.per_client),
            crate::per_client::limit,
        ));
    let index = config.index.clone();
    Ok(Router::new()
        .merge(api)
        .route(
            "/photos/{folder}/{file}",
            get(move |p| crate::photos::photo(index.clone(), p)),
        )
        .route("/health", get(health))
        .route("/ready", get(ready))
        .route("/metrics", get(metrics_text))
        .route("/api/openapi.json", get(crate::openapi::spec))
        .route("/docs", get(crate::openapi::docs))
        .route("/docs/docs.js", get(crate::openapi::docs_js))
        .route("/docs/docs.css", get(crate::openapi::docs_css))
        .route("/", get(|| async { Redirect::temporary("/docs") }))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(axum::middleware::from_fn_with_state(
            config.body_limit_bytes,
            refuse_announced_oversize,
        ))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::metrics::track,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(cors)
        .layer(security_header(
            "content-security-policy",
            "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        ))
        .layer(security_header("x-content-type-options", "nosniff"))
        .layer(security_header("x-frame-options", "DENY"))
        .layer(security_header("referrer-policy", "no-referrer"))
        .layer(TraceLayer::new_for_http())
        .layer(CatchPanicLayer::new()))
}

/// A header set on every answer that does not carry its own. Together: no MIME
/// sniffing, no framing, no referrer, and a Content Security Policy that lets nothing
/// run (the `/docs` page sets its own: its script and style only, from this server).
fn security_header(name: &'static str, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::HeaderName::from_static(name),
        HeaderValue::from_static(value),
    )
}

/// A body announced (Content-Length) beyond the limit is refused before any of it is
/// read: 413 at once instead of waiting for bytes that will be thrown away.
async fn refuse_announced_oversize(
    State(limit): State<usize>,
    req: Request,
    next: axum::middleware::Next,
) -> Response {
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64) {
        let mut r = HttpError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            field: "body".into(),
            message: format!("larger than the limit of {limit} bytes"),
            retry_after: None,
        }
        .into_response();
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    next.run(req).await
}

fn cors_layer(origins: &[String]) -> Result<CorsLayer, ServerError> {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
        .allow_headers([header::CONTENT_TYPE])
        .expose_headers([header::HeaderName::from_static("x-cache")]);
    if origins.iter().any(|o| o == "*") {
        return Ok(layer.allow_origin(Any));
    }
    let list = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o)
                .map_err(|e| ServerError::Config(format!("cors origin {o:?}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(layer.allow_origin(AllowOrigin::list(list)))
}

async fn not_found() -> HttpError {
    HttpError::not_found("path", "no such endpoint (see /api/openapi.json)")
}

async fn method_not_allowed() -> HttpError {
    HttpError {
        status: StatusCode::METHOD_NOT_ALLOWED,
        field: "method".into(),
        message: "method not allowed on this endpoint".into(),
        retry_after: None,
    }
}

// ---------------------------------------------------------------- request parsing

/// `name=value` pairs of a query string, percent-decoded (`+` is a space); a name or
/// value that is not UTF-8 once decoded is refused, naming it, instead of being
/// silently altered.
fn query_pairs(RawQuery(raw): QueryPairs) -> Result<Vec<(String, String)>, HttpError> {
    let raw = raw.unwrap_or_default();
    let mut pairs = Vec::new();
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = percent_decode(name).ok_or_else(|| {
            HttpError::bad_request("query", "a parameter name is not valid UTF-8")
        })?;
        let value = percent_decode(value)
            .ok_or_else(|| HttpError::bad_request(&name, "is not valid UTF-8"))?;
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// `application/x-www-form-urlencoded` decoding; `None` when the bytes are not UTF-8.
/// A `%` not followed by two hex digits stays as it is (as browsers and `form_urlencoded`
/// treat it).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let hex = |c: u8| (c as char).to_digit(16);
        match b {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 2;
                }
                _ => out.push(b),
            },
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn parse_k(raw: &str) -> Result<usize, HttpError> {
    raw.trim().parse::<usize>().map_err(|_| {
        HttpError::bad_request(
            "k",
            format!(
                "{raw:?} is not a whole number (1..={})",
                atelier_engine::api::MAX_K
            ),
        )
    })
}

/// `q`, `k`, `mode`, `ignore` and `<facet>=<value>` (both repeatable) from a query string.
fn request_from_pairs(pairs: Vec<(String, String)>) -> Result<SearchRequest, HttpError> {
    let mut req = SearchRequest::default();
    let mut seen_q = false;
    for (key, value) in pairs {
        match key.as_str() {
            "q" if seen_q => return Err(HttpError::bad_request("q", "given more than once")),
            "q" => {
                req.q = value;
                seen_q = true;
            }
            "k" if req.k.is_some() => {
                return Err(HttpError::bad_request("k", "given more than once"))
            }
            "k" => req.k = Some(parse_k(&value)?),
            "mode" if req.mode.is_some() => {
                return Err(HttpError::bad_request("mode", "given more than once"))
            }
            "mode" => req.mode = Some(value),
            "ignore" => req.ignore.push(value),
            _ => req.filters.entry(key).or_default().push(value),
        }
    }
    if !seen_q {
        return Err(HttpError::bad_request("q", "is required"));
    }
    Ok(req)
}

fn string_values(field: &str, value: Value) -> Result<Vec<String>, HttpError> {
    match value {
        Value::String(s) => Ok(vec![s]),
        Value::Array(items) => items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(HttpError::bad_request(field, "values must be strings")),
            })
            .collect(),
        _ => Err(HttpError::bad_request(
            field,
            "must be a string or an array of strings",
        )),
    }
}

/// A JSON body: `{"q", "k", "mode", "filters": {facet: [values]}}` (the engine's
/// [`SearchRequest`]), or facets as top-level fields like the query string's.
fn request_from_json(body: &[u8]) -> Result<SearchRequest, HttpError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| HttpError::bad_request("body", format!("not valid JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(HttpError::bad_request("body", "expected a JSON object"));
    };
    let mut req = SearchRequest::default();
    let mut seen_q = false;
    for (key, value) in map {
        match key.as_str() {
            "q" => match value {
                Value::String(s) => {
                    req.q = s;
                    seen_q = true;
                }
                _ => return Err(HttpError::bad_request("q", "must be a string")),
            },
            "k" => {
                req.k = match value {
                    Value::Null => None,
                    Value::Number(n) => Some(
                        n.as_u64()
                            // JSON Schema's integers include 5.0.
                            .or_else(|| {
                                n.as_f64()
                                    .filter(|f| f.fract() == 0.0 && (0.0..=1e9).contains(f))
                                    .map(|f| f as u64)
                            })
                            .and_then(|k| usize::try_from(k).ok())
                            .ok_or_else(|| {
                                HttpError::bad_request(
                                    "k",
                                    format!("{n} is not a whole number (1..=100)"),
                                )
                            })?,
                    ),
                    _ => return Err(HttpError::bad_request("k", "must be a number")),
                }
            }
            "mode" => {
                req.mode = match value {
                    Value::Null => None,
                    Value::String(s) => Some(s),
                    _ => return Err(HttpError::bad_request("mode", "must be a string")),
                }
            }
            "ignore" => req.ignore.extend(string_values("ignore", value)?),
            "filters" => match value {
                Value::Object(filters) => {
                    for (facet, values) in filters {
                        let values = string_values(&facet, values)?;
                        req.filters.entry(facet).or_default().extend(values);
                    }
                }
                _ => {
                    return Err(HttpError::bad_request(
                        "filters",
                        "must be an object of facet: [values]",
                    ))
                }
            },
            _ => {
                let values = string_values(&key, value)?;
                req.filters.entry(key).or_default().extend(values);
            }
        }
    }
    if !seen_q {
        return Err(HttpError::bad_request("q", "is required"));
    }
    Ok(req)
}

/// `facet name → values`, as requests carry them.
type Filters = BTreeMap<String, Vec<String>>;

/// Facet filters only (similar, facets): `k` allowed where `allow_k`.
fn filters_from_pairs(
    pairs: Vec<(String, String)>,
    allow_k: bool,
) -> Result<(Filters, Option<usize>), HttpError> {
    let mut filters = Filters::new();
    let mut k = None;
    for (key, value) in pairs {
        if key == "k" && allow_k {
            if k.is_some() {
                return Err(HttpError::bad_request("k", "given more than once"));
            }
            k = Some(parse_k(&value)?);
        } else {
            filters.entry(key).or_default().push(value);
        }
    }
    Ok((filters, k))
}

// ---------------------------------------------------------------- search

async fn search_get(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Response, HttpError> {
    let req = request_from_pairs(query_pairs(query)?)?;
    search(state, req).await
}

async fn search_post(
    State(state): State<AppState>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, HttpError> {
    let body = body.map_err(|e| HttpError {
        status: e.status(),
        field: "body".into(),
        message: e.body_text(),
        retry_after: None,
    })?;
    let req = request_from_json(&body)?;
    search(state, req).await
}

fn json_response(body: String, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::HeaderName::from_static("x-cache"), cache),
        ],
        body,
    )
        .into_response()
}

async fn search(state: AppState, req: SearchRequest) -> Result<Response, HttpError> {
    let valid = req.validate(&state.catalog.index().facets)?;
    let mut key = state.cache.enabled().then(|| {
        search_key(
            &state.catalog.version.id,
            &KeyParts {
                q: normalise_query(&valid.query),
                k: valid.k,
                mode: valid.mode.as_str(),
                filters: valid.filter.named_clauses(&state.catalog.index().facets),
                ignore: {
                    let mut parts = valid.ignore.clone();
                    parts.sort();
                    parts
                },
            },
            state.cache.slots(),
        )
    });
    if let Some(key) = &mut key {
        if let Some(cached) = state.cache.get(key).await {
            if let Ok(mut response) = serde_json::from_str::<SearchResponse>(&cached) {
                state.metrics.cache_hit();
                // The same search may have been typed differently; echo this request's query.
                if response.query == valid.query {
                    return Ok(json_response(cached, "hit"));
                }
                response.query = valid.query.clone();
                let body = serde_json::to_string(&response)
                    .map_err(|e| ServerError::Internal(e.to_string()))?;
                return Ok(json_response(body, "hit"));
            }
        }
    }
    state.metrics.cache_miss();
    let response = compute(&state, valid).await?;
    let body =
        serde_json::to_string(&response).map_err(|e| ServerError::Internal(e.to_string()))?;
    if let Some(key) = key {
        state.cache.set(key, &body);
    }
    Ok(json_response(body, "miss"))
}

/// Runs `f` on a blocking thread once a search permit is free; when too many searches
/// are already computing or waiting, refuses at once ([`ServerError::Overloaded`]: 503
/// with Retry-After) instead of queueing without bound.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce() -> Result<T, ServerError> + Send + 'static,
) -> Result<T, ServerError> {
    let Ok(_admitted) = Arc::clone(&state.admitted).try_acquire_owned() else {
        state.metrics.search_shed();
        return Err(ServerError::Overloaded);
    };
    let _permit = Arc::clone(&state.permits)
        .acquire_owned()
        .await
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ServerError::Internal(format!("search task failed: {e}")))?
}

/// Ranks one validated search with the engine's searcher, candidates from the store
/// (from the index's own graph while the store is not ready or when it fails).
pub fn rank_search(
    catalog: &Catalog,
    store: &StoreSlot,
    metrics: &Metrics,
    valid: &ValidSearch,
) -> Result<SearchResponse, ServerError> {
    let source = Candidates {
        slot: store,
        index: catalog.index(),
        metrics,
    };
    let pending = catalog.searcher.search_with(&source, valid, now_ms)?;
    if valid.mode.uses_vectors() {
        metrics.observe_embedding(Duration::from_secs_f64(pending.embed_ms / 1e3));
    }
    metrics.observe_rank(Duration::from_secs_f64(pending.rank_ms / 1e3));
    pending.respond(|i| catalog.article(i))
}

/// Milliseconds on a monotonic clock (the engine's searcher takes one).
fn now_ms() -> f64 {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1000.0
}

async fn compute(state: &AppState, valid: ValidSearch) -> Result<SearchResponse, ServerError> {
    let s = state.clone();
    blocking(state, move || {
        rank_search(&s.catalog, &s.store, &s.metrics, &valid)
    })
    .await
}

// ---------------------------------------------------------------- similar, facets

async fn similar(
    State(state): State<AppState>,
    article_id: Result<Path<String>, PathRejection>,
    query: QueryPairs,
) -> Result<Response, HttpError> {
    let Path(article_id) = article_id.map_err(|e| {
        HttpError::bad_request("article_id", format!("not a valid id ({})", e.body_text()))
    })?;
    let (filters, k) = filters_from_pairs(query_pairs(query)?, true)?;
    let k = validate_k(k)?;
    let filter = validate_filters(&state.catalog.index().facets, &filters)?;
    if article_id.is_empty() || article_id.len() > 64 {
        return Err(HttpError::bad_request(
            "article_id",
            "must be 1 to 64 characters",
        ));
    }
    let Some(index) = state.catalog.find(&article_id) else {
        return Err(HttpError::not_found(
            "article_id",
            format!("no article {article_id:?} in the index"),
        ));
    };
    let s = state.clone();
    let response = blocking(&state, move || {
        let source = Candidates {
            slot: &s.store,
            index: s.catalog.index(),
            metrics: &s.metrics,
        };
        let pending =
            s.catalog
                .searcher
                .similar_with(&source, &article_id, index, k, &filter, now_ms)?;
        pending.respond(|i| s.catalog.article(i))
    })
    .await?;
    Ok(Json(response).into_response())
}

async fn facets(State(state): State<AppState>, query: QueryPairs) -> Result<Response, HttpError> {
    let (filters, _) = filters_from_pairs(query_pairs(query)?, false)?;
    state.catalog.searcher.filter(&filters)?;
    let s = state.clone();
    let body = blocking(&state, move || {
        s.catalog
            .searcher
            .facet_counts(&filters)
            .map_err(|e| ServerError::Internal(e.to_string()))
    })
    .await?;
    Ok(Json(body).into_response())
}

// ---------------------------------------------------------------- health, metrics

/// The store as `/health` shows it: no file paths, no raw error texts (they are logged).
fn public_store_status(s: &crate::store::slot::SlotStatus) -> Value {
    let store = s.store.as_ref();
    if let Some(e) = store.and_then(|s| s.error.as_ref()) {
        tracing::warn!(error = %e, "vector store unhealthy");
    }
    let status = match (s.phase, store) {
        (Phase::Ready, Some(store)) => store.status,
        (Phase::Failed, _) => "error",
        _ => "loading",
    };
    let mut v = serde_json::json!({
        "status": status,
        "kind": store.map(|s| s.kind),
        "points": store.and_then(|s| s.points),
        "exact": store.map(|s| s.exact),
    });
    if let Some(layout) = store.and_then(|s| s.layout.as_ref()) {
        v["layout"] = layout.as_str().into();
    }
    if status == "loading" {
        v["stage"] = s.stage.into();
        v["percent"] = s.percent.into();
    }
    if status == "error" {
        v["error"] = "the vector store cannot be read (details in the server log)".into();
    }
    v
}

/// `200` whenever searches are answered, which is always once the server listens: `ok`;
/// `loading` (with the stage and percentage) while the vector store is checked, loaded or
/// rebuilt; `degraded` when it cannot be opened or Redis is down. Searches meanwhile use
/// the index's own graph — the ranking `indexer search` gives — so a load balancer has
/// no reason to hold traffic back.
/// `/health`'s body: the overall status and each part's.
async fn health_body(state: &AppState) -> serde_json::Value {
    let slot = Arc::clone(&state.store);
    let slot_status = tokio::task::spawn_blocking(move || slot.status()).await;
    let redis = state.cache.status().await;
    let vector_store = match &slot_status {
        Ok(s) => public_store_status(s),
        Err(e) => {
            tracing::error!(error = %e, "store status task failed");
            serde_json::json!({"status": "error", "error": "the store status could not be read"})
        }
    };
    let status = if vector_store["status"] == "loading" {
        "loading"
    } else if vector_store["status"] != "ok" || redis.status == "down" {
        "degraded"
    } else {
        "ok"
    };
    serde_json::json!({
        "status": status,
        "index": state.catalog.version,
        "vector_store": vector_store,
        "redis": redis,
    })
}

/// `GET /health`: always 200 — the server answers in every state (from the index's own
/// graph while its store is not ready) — with what works and what does not.
async fn health(State(state): State<AppState>) -> Response {
    (StatusCode::OK, Json(health_body(&state).await)).into_response()
}

/// `GET /ready`: for load balancers that should prefer instances with their vector store
/// loaded: 200 when it is, 503 + `Retry-After` while it loads or cannot be opened. Redis
/// does not count (a shared Redis down would otherwise take every instance out), nor
/// does a cluster with some copies down ("degraded": every shard still answers).
async fn ready(State(state): State<AppState>) -> Response {
    let body = health_body(&state).await;
    let store = &body["vector_store"]["status"];
    if store == "ok" || store == "degraded" {
        (StatusCode::OK, Json(body)).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "5")],
            Json(body),
        )
            .into_response()
    }
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn query_strings_become_requests() {
        let r = request_from_pairs(pairs(&[
            ("q", "red dress"),
            ("k", "5"),
            ("colour", "Red"),
            ("colour", "Blue"),
        ]))
        .unwrap();
        assert_eq!(r.q, "red dress");
        assert_eq!(r.k, Some(5));
        assert_eq!(r.filters["colour"], vec!["Red", "Blue"]);
        assert_eq!(
            request_from_pairs(pairs(&[("k", "5")])).unwrap_err().field,
            "q"
        );
        let e = request_from_pairs(pairs(&[("q", "x"), ("k", "ten")])).unwrap_err();
        assert_eq!(e.field, "k");
        let e = request_from_pairs(pairs(&[("q", "x"), ("q", "y")])).unwrap_err();
        assert_eq!(e.field, "q");
    }

    #[test]
    fn json_bodies_name_the_bad_field() {
        let r = request_from_json(
            br#"{"q":"dress","k":3,"colour":"Red","filters":{"audience":["Ladies"]}}"#,
        )
        .unwrap();
        assert_eq!(r.k, Some(3));
        assert_eq!(r.filters["colour"], vec!["Red"]);
        assert_eq!(r.filters["audience"], vec!["Ladies"]);
        for (body, field) in [
            (&b"{"[..], "body"),
            (b"[1]", "body"),
            (br#"{"k":3}"#, "q"),
            (br#"{"q":3}"#, "q"),
            (br#"{"q":"x","k":-1}"#, "k"),
            (br#"{"q":"x","k":1.5}"#, "k"),
            (br#"{"q":"x","mode":1}"#, "mode"),
            (br#"{"q":"x","colour":1}"#, "colour"),
            (br#"{"q":"x","filters":[]}"#, "filters"),
        ] {
            assert_eq!(
                request_from_json(body).unwrap_err().field,
                field,
                "{body:?}"
            );
        }
    }
}
