//! # atelier-server
//!
//! Atelier's optional search server, for catalogs too large to ship to a browser or
//! shops that want central metrics. It answers with the shared engine
//! ([`atelier_engine::rank_with`]), so its results are those of `indexer search --json`
//! and the on-device app for the same index.
//!
//! - [`config`]: flags, environment and a TOML file, with defaults that work as is.
//! - [`catalog`]: the index directory, read as `indexer search` reads it.
//! - [`store`]: the vector store behind one trait — embedded Qdrant (`qdrant-edge`, the
//!   default) or a remote Qdrant (`qdrant-client`, cargo feature `remote`) — loaded from
//!   the index's own vectors, keyed by the index version.
//! - [`cache`]: the Redis result cache (optional; the server answers without it).
//! - [`metrics`]: Prometheus metrics.
//! - [`routes`]: the HTTP API (axum); [`openapi`]: its description and docs page.
//! - [`listen`]: connections — header deadlines, caps in all and per client.

pub mod cache;
pub mod catalog;
pub mod config;
pub mod error;
pub mod listen;
pub mod metrics;
pub mod openapi;
pub mod per_client;
pub mod photos;
pub mod routes;
pub mod store;

use crate::cache::Cache;
use crate::catalog::Catalog;
use crate::config::{Config, LogFormat};
use crate::error::ServerError;
use crate::metrics::Metrics;
use crate::routes::AppState;
use crate::store::StoreSlot;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Sets up `tracing` (level from `RUST_LOG`, default `info` without qdrant-edge's
/// start-up chatter), as text or JSON lines.
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,qdrant_edge::common=error"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// Loads the index and builds the application state; the vector store is opened (checked,
/// loaded or rebuilt) in the background, searches using the index's own graph meanwhile.
pub async fn prepare(config: &Config) -> Result<AppState, ServerError> {
    let dir = config.index.clone();
    tracing::info!(index = %dir.display(), "loading the index");
    // The lexicon is read now, before the index loads, not by the first request.
    let catalog = tokio::task::spawn_blocking(move || {
        atelier_engine::understand::prepare();
        Catalog::load(&dir)
    })
    .await
    .map_err(|e| ServerError::Internal(e.to_string()))??;
    let catalog = Arc::new(catalog);
    tracing::info!(
        version = %catalog.version.id,
        articles = catalog.len(),
        "index loaded"
    );
    let metrics = Arc::new(Metrics::new());
    store::check_config(config)?;
    let index_bytes = catalog
        .index()
        .manifest
        .files
        .all()
        .iter()
        .map(|(f, _)| f.bytes)
        .sum();
    metrics.set_index(&catalog.version, index_bytes);
    let store = Arc::new(StoreSlot::new(config.search_mode(catalog.len())));
    store::open_in_background(
        config.clone(),
        Arc::clone(&catalog),
        Arc::clone(&store),
        Arc::clone(&metrics),
    );
    let cache = Arc::new(Cache::new(
        config.redis_url.as_deref(),
        config.cache_ttl_secs,
        Duration::from_millis(config.cache_timeout_ms),
        (config.cache_slots, config.cache_max_entry_bytes),
        Arc::clone(&metrics),
    )?);
    if cache.enabled() {
        let s = cache.status().await;
        tracing::info!(status = s.status, error = ?s.error, "redis cache");
    }
    let per_client = Arc::new(per_client::PerClient::new(
        config.max_requests_per_client,
        Arc::clone(&metrics),
    ));
    Ok(AppState {
        catalog,
        store,
        cache,
        metrics,
        permits: Arc::new(Semaphore::new(config.search_permits())),
        admitted: Arc::new(Semaphore::new(
            config.search_permits() + config.search_queue,
        )),
        per_client,
    })
}

/// Runs the server until Ctrl-C or SIGTERM, then drains open requests.
pub async fn serve(config: Config) -> Result<(), ServerError> {
    let state = prepare(&config).await?;
    let app = routes::router(state, &config)?;
    let listener = TcpListener::bind(&config.listen)
        .await
        .map_err(|e| ServerError::Config(format!("cannot listen on {}: {e}", config.listen)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    tracing::info!(%addr, "listening");
    // A stable line on stdout for scripts and tests.
    println!("atelier-server listening on http://{addr}");
    let drain = Duration::from_secs(config.request_timeout_secs + 5);
    listen::serve(listener, app, config.limits(), shutdown_signal(), drain).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down: finishing open requests");
}
