//! The Redis result cache. Keys hold the index version, so a re-indexed catalog never
//! serves stale results; every Redis call is bounded by a timeout, and after a failure
//! Redis is left alone for a moment — searches then go on uncached, and
//! `atelier_cache_errors_total` counts what happened.

use crate::error::ServerError;
use crate::metrics::Metrics;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// After a Redis error, how long searches skip the cache.
const BACKOFF: Duration = Duration::from_secs(1);

/// The cache (or its absence: `redis_url` unset).
pub struct Cache {
    conn: Option<ConnectionManager>,
    ttl_secs: u64,
    timeout: Duration,
    down_until: Mutex<Option<Instant>>,
    metrics: Arc<Metrics>,
}

/// What `/health` reports about Redis.
#[derive(Debug, Clone, Serialize)]
pub struct CacheStatus {
    /// `ok`, `down` or `disabled`.
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Everything a search result depends on, in a canonical form.
#[derive(Serialize)]
pub struct KeyParts<'a> {
    /// The query, trimmed, whitespace runs collapsed and ASCII lower-cased (the engine and
    /// the model are case-insensitive for ASCII).
    pub q: String,
    pub k: usize,
    pub mode: &'a str,
    /// The filter as resolved by the engine (canonical facet values, facets in order).
    pub filters: Vec<(String, Vec<String>)>,
}

/// The normalised form of a query used in cache keys.
pub fn normalise_query(q: &str) -> String {
    q.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// `atelier:search:<index version>:<sha256 of the canonical request>`.
pub fn search_key(index_version: &str, parts: &KeyParts<'_>) -> String {
    let canonical = serde_json::to_vec(parts).unwrap_or_default();
    let digest = Sha256::digest(&canonical);
    format!("atelier:search:{index_version}:{}", hex::encode(digest))
}

impl Cache {
    /// A cache at `url` (connected lazily; a Redis that is down now may come up later).
    pub fn new(
        url: Option<&str>,
        ttl_secs: u64,
        timeout: Duration,
        metrics: Arc<Metrics>,
    ) -> Result<Self, ServerError> {
        let conn = match url {
            None => None,
            Some(url) => {
                let client = redis::Client::open(url)
                    .map_err(|e| ServerError::Config(format!("redis_url {url:?}: {e}")))?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(timeout.max(Duration::from_millis(100))))
                    .set_response_timeout(Some(timeout))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(200));
                Some(
                    ConnectionManager::new_lazy_with_config(client, config)
                        .map_err(|e| ServerError::Config(format!("redis_url {url:?}: {e}")))?,
                )
            }
        };
        Ok(Self {
            conn,
            ttl_secs,
            timeout,
            down_until: Mutex::new(None),
            metrics,
        })
    }

    pub fn enabled(&self) -> bool {
        self.conn.is_some()
    }

    /// The connection, unless Redis failed a moment ago (then counted as skipped).
    fn connection(&self) -> Option<ConnectionManager> {
        let conn = self.conn.as_ref()?;
        if let Ok(mut down) = self.down_until.lock() {
            match *down {
                Some(until) if Instant::now() < until => {
                    self.metrics.cache_error("skipped");
                    return None;
                }
                Some(_) => *down = None,
                None => {}
            }
        }
        Some(conn.clone())
    }

    fn failed(&self, op: &str, error: &dyn std::fmt::Display) {
        self.metrics.cache_error(op);
        tracing::warn!(op, %error, "redis cache unavailable; answering uncached");
        if let Ok(mut down) = self.down_until.lock() {
            *down = Some(Instant::now() + BACKOFF);
        }
    }

    /// The cached value of `key`, if Redis has it and answers in time.
    pub async fn get(&self, key: &str) -> Option<String> {
        let mut conn = self.connection()?;
        let cmd = redis::cmd("GET").arg(key).to_owned();
        match tokio::time::timeout(self.timeout, cmd.query_async::<Option<String>>(&mut conn)).await
        {
            Ok(Ok(v)) => v,
            Ok(Err(e)) => {
                self.failed("get", &e);
                None
            }
            Err(_) => {
                self.failed("get", &"timed out");
                None
            }
        }
    }

    /// Stores `value` under `key` with the configured TTL, in the background.
    pub fn set(self: &Arc<Self>, key: String, value: String) {
        let Some(mut conn) = self.connection() else {
            return;
        };
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let cmd = redis::cmd("SET")
                .arg(&key)
                .arg(value)
                .arg("EX")
                .arg(this.ttl_secs)
                .to_owned();
            match tokio::time::timeout(this.timeout, cmd.query_async::<()>(&mut conn)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => this.failed("set", &e),
                Err(_) => this.failed("set", &"timed out"),
            }
        });
    }

    /// Pings Redis (for `/health`).
    pub async fn status(&self) -> CacheStatus {
        let Some(conn) = &self.conn else {
            return CacheStatus {
                status: "disabled",
                error: None,
            };
        };
        let mut conn = conn.clone();
        let ping = redis::cmd("PING").to_owned();
        let limit = self.timeout.max(Duration::from_millis(250));
        match tokio::time::timeout(limit, ping.query_async::<String>(&mut conn)).await {
            Ok(Ok(_)) => CacheStatus {
                status: "ok",
                error: None,
            },
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "redis ping failed");
                CacheStatus {
                    status: "down",
                    error: Some("unreachable (details in the server log)".into()),
                }
            }
            Err(_) => CacheStatus {
                status: "down",
                error: Some("timed out".into()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spacing_and_hold_the_index_version() {
        let parts = |q: &str, k| KeyParts {
            q: normalise_query(q),
            k,
            mode: "hybrid",
            filters: vec![("colour".into(), vec!["Red".into()])],
        };
        let a = search_key("v1", &parts("  Red   dress ", 10));
        assert_eq!(a, search_key("v1", &parts("red dress", 10)));
        assert_ne!(a, search_key("v2", &parts("red dress", 10)));
        assert_ne!(a, search_key("v1", &parts("red dress", 11)));
        assert_ne!(a, search_key("v1", &parts("red dresses", 10)));
        assert!(a.starts_with("atelier:search:v1:"));
        // Non-ASCII letters keep their case (the engine folds accents only in lower case).
        assert_ne!(normalise_query("CAFÉ"), normalise_query("café"));
    }
}
