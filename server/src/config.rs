//! Configuration: command-line flags override environment variables, which override a
//! TOML file (`--config`), which overrides the defaults. The defaults work out of the box:
//! `static-index`, the embedded Qdrant store, no Redis, 127.0.0.1:8000.

use crate::error::ServerError;
use crate::store::SearchMode;
use clap::{Parser, ValueEnum};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Which vector store holds the nearest-neighbour index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum StoreKind {
    /// Qdrant's engine in-process (qdrant-edge), persisted in `qdrant_path`.
    #[default]
    Edge,
    /// A Qdrant server or cluster at `qdrant_url` (gRPC, e.g. http://localhost:6334).
    Remote,
}

/// When the store searches exhaustively instead of through its HNSW graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ExactMode {
    /// Exact up to `exact_below` articles, HNSW above.
    #[default]
    Auto,
    Always,
    Never,
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Command-line flags (each also readable from the environment variable shown).
#[derive(Debug, Parser, Default)]
#[command(
    name = "atelier-server",
    version,
    about = "Atelier's search server: the shared engine over HTTP, with Qdrant, Redis and Prometheus"
)]
pub struct Args {
    /// TOML configuration file (keys as the long flags, with underscores).
    #[arg(long, env = "ATELIER_CONFIG")]
    pub config: Option<PathBuf>,
    /// Index folder written by `indexer build` [default: static-index].
    #[arg(long, env = "ATELIER_INDEX")]
    pub index: Option<PathBuf>,
    /// Address to listen on [default: 127.0.0.1:8000] (port 0: any free port).
    #[arg(long, env = "ATELIER_LISTEN")]
    pub listen: Option<String>,
    /// Vector store [default: edge].
    #[arg(long, env = "ATELIER_STORE")]
    pub store: Option<StoreKind>,
    /// Directory of the embedded Qdrant store [default: ~/.cache/atelier/qdrant-edge].
    #[arg(long, env = "ATELIER_QDRANT_PATH")]
    pub qdrant_path: Option<PathBuf>,
    /// Remote Qdrant's gRPC URL (store = remote); a cluster's peers comma-separated,
    /// e.g. http://q1:6334,http://q2:6334 (searches go on to the next when one fails).
    #[arg(long, env = "QDRANT_URL")]
    pub qdrant_url: Option<String>,
    /// Remote Qdrant collection name prefix (the index version is appended) [default: atelier].
    #[arg(long, env = "ATELIER_QDRANT_COLLECTION")]
    pub qdrant_collection: Option<String>,
    /// Remote collection's shards [default: one per Qdrant peer the server finds].
    #[arg(long, env = "ATELIER_QDRANT_SHARDS")]
    pub qdrant_shards: Option<u32>,
    /// Remote collection's copies of each shard [default: 2 on a cluster, 1 on one node].
    #[arg(long, env = "ATELIER_QDRANT_REPLICAS")]
    pub qdrant_replicas: Option<u32>,
    /// Milliseconds a remote store search may take before the server answers from the
    /// index's own graph instead [default: 2000].
    #[arg(long, env = "ATELIER_QDRANT_TIMEOUT_MS")]
    pub qdrant_timeout_ms: Option<u64>,
    /// Exhaustive vector search: auto, always or never [default: auto].
    #[arg(long, env = "ATELIER_EXACT")]
    pub exact: Option<ExactMode>,
    /// With exact = auto, catalogs up to this many articles are searched exhaustively [default: 20000].
    #[arg(long, env = "ATELIER_EXACT_BELOW")]
    pub exact_below: Option<usize>,
    /// HNSW candidate list size of the store's searches: at 1024 the candidates' recall@10
    /// stays ≥ 0.97 from 0.1 to 1 million articles, under filters too (docs/BENCHMARKS.md)
    /// [default: 1024].
    #[arg(long, env = "ATELIER_HNSW_EF")]
    pub hnsw_ef: Option<usize>,
    /// Redis URL for the result cache, e.g. redis://127.0.0.1:6379 [default: no cache].
    #[arg(long, env = "ATELIER_REDIS_URL")]
    pub redis_url: Option<String>,
    /// Seconds a cached result lives [default: 3600].
    #[arg(long, env = "ATELIER_CACHE_TTL")]
    pub cache_ttl_secs: Option<u64>,
    /// Milliseconds a cache read or write may take before the search goes on without it [default: 50].
    #[arg(long, env = "ATELIER_CACHE_TIMEOUT_MS")]
    pub cache_timeout_ms: Option<u64>,
    /// Redis keys per index version: the cache holds at most this many results, each at
    /// most --cache-max-entry-bytes [default: 16384].
    #[arg(long, env = "ATELIER_CACHE_SLOTS")]
    pub cache_slots: Option<u64>,
    /// Results larger than this are not cached [default: 65536].
    #[arg(long, env = "ATELIER_CACHE_MAX_ENTRY_BYTES")]
    pub cache_max_entry_bytes: Option<usize>,
    /// Allowed CORS origin (repeatable; `*` for any) [default: *].
    #[arg(
        long = "cors-origin",
        env = "ATELIER_CORS_ORIGINS",
        value_delimiter = ','
    )]
    pub cors_origins: Vec<String>,
    /// Seconds before a request is answered 408 [default: 10].
    #[arg(long, env = "ATELIER_REQUEST_TIMEOUT")]
    pub request_timeout_secs: Option<u64>,
    /// Largest accepted request body in bytes [default: 16384].
    #[arg(long, env = "ATELIER_BODY_LIMIT")]
    pub body_limit_bytes: Option<usize>,
    /// Searches computed at once (0: one per core) [default: 0].
    #[arg(long, env = "ATELIER_SEARCH_THREADS")]
    pub search_threads: Option<usize>,
    /// Searches that may wait for a search thread; beyond them a search is answered 503
    /// with Retry-After at once (load shedding) [default: 64].
    #[arg(long, env = "ATELIER_SEARCH_QUEUE")]
    pub search_queue: Option<usize>,
    /// API requests one client address may have in progress; beyond them its next one is
    /// answered 503 with Retry-After, so that one client cannot take every search slot
    /// [default: 16].
    #[arg(long, env = "ATELIER_MAX_REQUESTS_PER_CLIENT")]
    pub max_requests_per_client: Option<usize>,
    /// Open connections in all; beyond them a new one is answered 503 and closed [default: 1024].
    #[arg(long, env = "ATELIER_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Open connections from one client address [default: 128].
    #[arg(long, env = "ATELIER_MAX_CONNECTIONS_PER_CLIENT")]
    pub max_connections_per_client: Option<usize>,
    /// Seconds a client may take to send a request's headers, and to start the next
    /// request on a kept-alive connection [default: 10].
    #[arg(long, env = "ATELIER_HEADER_TIMEOUT")]
    pub header_timeout_secs: Option<u64>,
    /// Log format [default: text]; the level comes from RUST_LOG (default info).
    #[arg(long, env = "ATELIER_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
}

/// The configuration file: the same keys as [`Args`], all optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub index: Option<PathBuf>,
    pub listen: Option<String>,
    pub store: Option<StoreKind>,
    pub qdrant_path: Option<PathBuf>,
    pub qdrant_url: Option<String>,
    pub qdrant_collection: Option<String>,
    pub qdrant_shards: Option<u32>,
    pub qdrant_replicas: Option<u32>,
    pub qdrant_timeout_ms: Option<u64>,
    pub exact: Option<ExactMode>,
    pub exact_below: Option<usize>,
    pub hnsw_ef: Option<usize>,
    pub redis_url: Option<String>,
    pub cache_ttl_secs: Option<u64>,
    pub cache_timeout_ms: Option<u64>,
    pub cache_slots: Option<u64>,
    pub cache_max_entry_bytes: Option<usize>,
    pub cors_origins: Option<Vec<String>>,
    pub request_timeout_secs: Option<u64>,
    pub body_limit_bytes: Option<usize>,
    pub search_threads: Option<usize>,
    pub search_queue: Option<usize>,
    pub max_requests_per_client: Option<usize>,
    pub max_connections: Option<usize>,
    pub max_connections_per_client: Option<usize>,
    pub header_timeout_secs: Option<u64>,
    pub log_format: Option<LogFormat>,
}

/// The resolved configuration.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    pub index: PathBuf,
    pub listen: String,
    pub store: StoreKind,
    pub qdrant_path: PathBuf,
    pub qdrant_url: Option<String>,
    pub qdrant_collection: String,
    pub qdrant_shards: Option<u32>,
    pub qdrant_replicas: Option<u32>,
    pub qdrant_timeout_ms: u64,
    pub exact: ExactMode,
    pub exact_below: usize,
    pub hnsw_ef: usize,
    pub redis_url: Option<String>,
    pub cache_ttl_secs: u64,
    pub cache_timeout_ms: u64,
    pub cache_slots: u64,
    pub cache_max_entry_bytes: usize,
    pub cors_origins: Vec<String>,
    pub request_timeout_secs: u64,
    pub body_limit_bytes: usize,
    pub search_threads: usize,
    pub search_queue: usize,
    pub max_requests_per_client: usize,
    pub max_connections: usize,
    pub max_connections_per_client: usize,
    pub header_timeout_secs: u64,
    pub log_format: LogFormat,
}

fn default_qdrant_path() -> PathBuf {
    let cache = std::env::var_os("ATELIER_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/atelier")))
        .unwrap_or_else(|| PathBuf::from(".atelier-cache"));
    cache.join("qdrant-edge")
}

impl Default for Config {
    fn default() -> Self {
        Self {
            index: PathBuf::from("static-index"),
            listen: "127.0.0.1:8000".into(),
            store: StoreKind::Edge,
            qdrant_path: default_qdrant_path(),
            qdrant_url: None,
            qdrant_collection: "atelier".into(),
            qdrant_shards: None,
            qdrant_replicas: None,
            qdrant_timeout_ms: 2000,
            exact: ExactMode::Auto,
            exact_below: atelier_engine::codes::EXACT_BELOW,
            hnsw_ef: 1024,
            redis_url: None,
            cache_ttl_secs: 3600,
            cache_timeout_ms: 50,
            cache_slots: 16_384,
            cache_max_entry_bytes: 65_536,
            cors_origins: vec!["*".into()],
            request_timeout_secs: 10,
            body_limit_bytes: 16 * 1024,
            search_threads: 0,
            search_queue: 64,
            max_requests_per_client: 16,
            max_connections: 1024,
            max_connections_per_client: 128,
            header_timeout_secs: 10,
            log_format: LogFormat::Text,
        }
    }
}

impl Config {
    /// Resolves flags, environment (both in `args`), the file they name, and defaults.
    pub fn resolve(args: Args) -> Result<Self, ServerError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => FileConfig::default(),
        };
        let d = Config::default();
        let config = Config {
            index: args.index.or(file.index).unwrap_or(d.index),
            listen: args.listen.or(file.listen).unwrap_or(d.listen),
            store: args.store.or(file.store).unwrap_or(d.store),
            qdrant_path: args
                .qdrant_path
                .or(file.qdrant_path)
                .unwrap_or(d.qdrant_path),
            qdrant_url: args.qdrant_url.or(file.qdrant_url),
            qdrant_collection: args
                .qdrant_collection
                .or(file.qdrant_collection)
                .unwrap_or(d.qdrant_collection),
            qdrant_shards: args.qdrant_shards.or(file.qdrant_shards),
            qdrant_replicas: args.qdrant_replicas.or(file.qdrant_replicas),
            qdrant_timeout_ms: args
                .qdrant_timeout_ms
                .or(file.qdrant_timeout_ms)
                .unwrap_or(d.qdrant_timeout_ms),
            exact: args.exact.or(file.exact).unwrap_or(d.exact),
            exact_below: args
                .exact_below
                .or(file.exact_below)
                .unwrap_or(d.exact_below),
            hnsw_ef: args.hnsw_ef.or(file.hnsw_ef).unwrap_or(d.hnsw_ef),
            redis_url: args.redis_url.or(file.redis_url).filter(|u| !u.is_empty()),
            cache_ttl_secs: args
                .cache_ttl_secs
                .or(file.cache_ttl_secs)
                .unwrap_or(d.cache_ttl_secs),
            cache_timeout_ms: args
                .cache_timeout_ms
                .or(file.cache_timeout_ms)
                .unwrap_or(d.cache_timeout_ms),
            cache_slots: args
                .cache_slots
                .or(file.cache_slots)
                .unwrap_or(d.cache_slots),
            cache_max_entry_bytes: args
                .cache_max_entry_bytes
                .or(file.cache_max_entry_bytes)
                .unwrap_or(d.cache_max_entry_bytes),
            cors_origins: if args.cors_origins.is_empty() {
                file.cors_origins.unwrap_or(d.cors_origins)
            } else {
                args.cors_origins
            },
            request_timeout_secs: args
                .request_timeout_secs
                .or(file.request_timeout_secs)
                .unwrap_or(d.request_timeout_secs),
            body_limit_bytes: args
                .body_limit_bytes
                .or(file.body_limit_bytes)
                .unwrap_or(d.body_limit_bytes),
            search_threads: args
                .search_threads
                .or(file.search_threads)
                .unwrap_or(d.search_threads),
            search_queue: args
                .search_queue
                .or(file.search_queue)
                .unwrap_or(d.search_queue),
            max_requests_per_client: args
                .max_requests_per_client
                .or(file.max_requests_per_client)
                .unwrap_or(d.max_requests_per_client),
            max_connections: args
                .max_connections
                .or(file.max_connections)
                .unwrap_or(d.max_connections),
            max_connections_per_client: args
                .max_connections_per_client
                .or(file.max_connections_per_client)
                .unwrap_or(d.max_connections_per_client),
            header_timeout_secs: args
                .header_timeout_secs
                .or(file.header_timeout_secs)
                .unwrap_or(d.header_timeout_secs),
            log_format: args.log_format.or(file.log_format).unwrap_or(d.log_format),
        };
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ServerError> {
        let bad = |m: &str| Err(ServerError::Config(m.to_string()));
        if self.hnsw_ef == 0 {
            return bad("hnsw_ef must be at least 1");
        }
        if self.qdrant_shards == Some(0) || self.qdrant_replicas == Some(0) {
            return bad("qdrant_shards and qdrant_replicas must be at least 1");
        }
        if self.qdrant_timeout_ms == 0 {
            return bad("qdrant_timeout_ms must be at least 1");
        }
        if self.cache_ttl_secs == 0 {
            return bad("cache_ttl_secs must be at least 1");
        }
        if self.max_requests_per_client == 0 {
            return bad("max_requests_per_client must be at least 1");
        }
        if self.cache_slots == 0 {
            return bad("cache_slots must be at least 1");
        }
        if self.request_timeout_secs == 0 {
            return bad("request_timeout_secs must be at least 1");
        }
        if self.body_limit_bytes < 64 {
            return bad("body_limit_bytes must be at least 64");
        }
        if self.max_connections == 0 || self.max_connections_per_client == 0 {
            return bad("max_connections and max_connections_per_client must be at least 1");
        }
        if self.header_timeout_secs == 0 {
            return bad("header_timeout_secs must be at least 1");
        }
        if self.cors_origins.is_empty() {
            return bad("cors_origins must list at least one origin (or \"*\")");
        }
        Ok(())
    }

    /// How the store searches a catalog of `articles`.
    pub fn search_mode(&self, articles: usize) -> SearchMode {
        let exact = match self.exact {
            ExactMode::Always => true,
            ExactMode::Never => false,
            ExactMode::Auto => articles <= self.exact_below,
        };
        SearchMode {
            exact,
            hnsw_ef: self.hnsw_ef,
        }
    }

    /// The connection limits of [`crate::listen`].
    pub fn limits(&self) -> crate::listen::Limits {
        crate::listen::Limits {
            max_connections: self.max_connections,
            max_connections_per_client: self.max_connections_per_client,
            header_timeout: std::time::Duration::from_secs(self.header_timeout_secs),
        }
    }

    /// Computations run at once.
    pub fn search_permits(&self) -> usize {
        if self.search_threads > 0 {
            self.search_threads
        } else {
            std::thread::available_parallelism().map_or(2, |n| n.get())
        }
    }
}

fn read_file(path: &Path) -> Result<FileConfig, ServerError> {
    let text = std::fs::read_to_string(path).map_err(|e| ServerError::io(path, e))?;
    toml::from_str(&text).map_err(|e| ServerError::Config(format!("{}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_the_file_which_overrides_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(
            &path,
            "index = \"/data/index\"\nlisten = \"0.0.0.0:9000\"\ncache_ttl_secs = 60\ncors_origins = [\"https://shop.example\"]\n",
        )
        .unwrap();
        let args = Args {
            config: Some(path.clone()),
            listen: Some("127.0.0.1:0".into()),
            ..Args::default()
        };
        let c = Config::resolve(args).unwrap();
        assert_eq!(c.index, PathBuf::from("/data/index"));
        assert_eq!(c.listen, "127.0.0.1:0");
        assert_eq!(c.cache_ttl_secs, 60);
        assert_eq!(c.cors_origins, vec!["https://shop.example".to_string()]);
        assert_eq!(c.hnsw_ef, 1024);
        assert!(c.redis_url.is_none());

        std::fs::write(&path, "colour = 1\n").unwrap();
        let err = Config::resolve(Args {
            config: Some(path),
            ..Args::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("colour"), "{err}");
    }

    #[test]
    fn exact_search_follows_the_catalog_size() {
        let c = Config::default();
        assert!(c.search_mode(2_993).exact);
        assert!(!c.search_mode(105_542).exact);
    }
}
