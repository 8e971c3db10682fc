//! The Redis result cache. Keys hold the index version, so a re-indexed catalog never
//! serves stale results; every Redis call is bounded by a timeout, and after a failure
//! Redis is left alone for a moment — searches then go on uncached, and
//! `atelier_cache_errors_total` counts what happened.
//!
//! The cache's size is bounded whatever Redis's own `maxmemory` says: a request's digest
//! names two of `slots` keys per index version, and its result goes into whichever of the
//! two is free, else replaces one of them in turn (the full digest stored in the value
//! tells requests apart). With one key a request, a few of a few hundred popular searches
//! share a slot and keep replacing each other (about 2 % misses with 260 searches in
//! 16,384 slots); with two, three must meet in the same two slots. Results larger than
//! `max_entry_bytes` are not cached. At most `slots × max_entry_bytes` per index version,
//! and every entry expires after its TTL.

use crate::error::ServerError;
use crate::metrics::Metrics;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// After a Redis error, how long searches skip the cache.
const BACKOFF: Duration = Duration::from_secs(1);

/// The cache (or its absence: `redis_url` unset).
pub struct Cache {
    conn: Option<ConnectionManager>,
    ttl_secs: u64,
    timeout: Duration,
    slots: u64,
    max_entry_bytes: usize,
    /// Which of two taken slots a result replaces next (alternating).
    turn: AtomicUsize,
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
    /// The parts of the understanding to forget, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
}

/// The normalised form of a query used in cache keys.
pub fn normalise_query(q: &str) -> String {
    q.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_ascii_lowercase()
}

/// Where a request's result lives in Redis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheKey {
    /// Its two slots, `atelier:search:<index version>:<slot>` (the same one twice only
    /// when there is a single slot).
    pub redis_keys: [String; 2],
    /// The SHA-256 of the canonical request, stored in front of the result.
    pub digest: String,
    /// Which of the two a miss stores into ([`Cache::get`] decides, [`Cache::set`] writes).
    pub write: usize,
}

/// The key of a request: its digest names two of `slots` slots of this index version.
pub fn search_key(index_version: &str, parts: &KeyParts<'_>, slots: u64) -> CacheKey {
    let canonical = serde_json::to_vec(parts).unwrap_or_default();
    let digest: [u8; 32] = Sha256::digest(&canonical).into();
    let slots = slots.max(1);
    let word = |at: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&digest[at..at + 8]);
        u64::from_le_bytes(w) % slots
    };
    let first = word(0);
    let mut second = word(8);
    if second == first {
        second = (first + 1) % slots;
    }
    CacheKey {
        redis_keys: [first, second].map(|slot| format!("atelier:search:{index_version}:{slot}")),
        digest: hex::encode(digest),
        write: 0,
    }
}

/// What a request's two slots hold, `stored`: its result (`Ok`), or the slot a miss
/// writes to (`Err`): a free one, else the one `turn` names.
fn choose(stored: [Option<String>; 2], digest: &str, turn: usize) -> Result<String, usize> {
    let body_at = digest.len() + 1;
    let mut free = None;
    for (i, value) in stored.into_iter().enumerate() {
        match value {
            None => free = free.or(Some(i)),
            Some(mut v) => {
                let ours = v.len() > body_at
                    && v.as_bytes()[..digest.len()] == *digest.as_bytes()
                    && v.as_bytes()[digest.len()] == b'\n';
                if ours {
                    return Ok(v.split_off(body_at));
                }
            }
        }
    }
    Err(free.unwrap_or(turn % 2))
}

impl Cache {
    /// A cache at `url` (connected lazily; a Redis that is down now may come up later).
    pub fn new(
        url: Option<&str>,
        ttl_secs: u64,
        timeout: Duration,
        (slots, max_entry_bytes): (u64, usize),
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
            slots,
            max_entry_bytes,
            turn: AtomicUsize::new(0),
            down_until: Mutex::new(None),
            metrics,
        })
    }

    pub fn enabled(&self) -> bool {
        self.conn.is_some()
    }

    /// How many keys each index version may use.
    pub fn slots(&self) -> u64 {
        self.slots
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

    /// The cached result for `key`, if Redis has it in one of its two slots (not another
    /// request's result) and answers in time; on a miss, `key` learns which slot
    /// [`Cache::set`] should use.
    pub async fn get(&self, key: &mut CacheKey) -> Option<String> {
        let mut conn = self.connection()?;
        let cmd = redis::cmd("MGET").arg(&key.redis_keys[..]).to_owned();
        match tokio::time::timeout(
            self.timeout,
            cmd.query_async::<Vec<Option<String>>>(&mut conn),
        )
        .await
        {
            Ok(Ok(values)) => {
                let mut values = values.into_iter();
                let stored = [values.next().flatten(), values.next().flatten()];
                let turn = self.turn.fetch_add(1, Ordering::Relaxed);
                match choose(stored, &key.digest, turn) {
                    Ok(hit) => Some(hit),
                    Err(write) => {
                        key.write = write;
                        None
                    }
                }
            }
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

    /// Stores `value` for `key` with the configured TTL, in the background; a value over
    /// the size limit is not stored.
    pub fn set(self: &Arc<Self>, key: CacheKey, value: &str) {
        if value.len() > self.max_entry_bytes {
            self.metrics.cache_error("too_large");
            return;
        }
        let Some(mut conn) = self.connection() else {
            return;
        };
        let stored = format!("{}\n{value}", key.digest);
        let this = Arc::clone(self);
        tokio::spawn(async move {
            let cmd = redis::cmd("SET")
                .arg(&key.redis_keys[key.write.min(1)])
                .arg(stored)
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
            ignore: Vec::new(),
            q: normalise_query(q),
            k,
            mode: "hybrid",
            filters: vec![("colour".into(), vec!["Red".into()])],
        };
        let key = |v, p: &KeyParts<'_>| search_key(v, p, 1 << 20);
        let a = key("v1", &parts("  Red   dress ", 10));
        assert_eq!(a, key("v1", &parts("red dress", 10)));
        assert_ne!(a, key("v2", &parts("red dress", 10)));
        assert_ne!(a.digest, key("v1", &parts("red dress", 11)).digest);
        assert_ne!(a.digest, key("v1", &parts("red dresses", 10)).digest);
        assert!(a.redis_keys[0].starts_with("atelier:search:v1:"));
        assert_ne!(a.redis_keys[0], a.redis_keys[1], "two slots");
        // Non-ASCII letters keep their case (the engine folds accents only in lower case).
        assert_ne!(normalise_query("CAFÉ"), normalise_query("café"));
    }

    #[test]
    fn requests_share_a_bounded_set_of_slots() {
        let slots: std::collections::HashSet<String> = (0..2_000)
            .flat_map(|i| {
                let parts = KeyParts {
                    ignore: Vec::new(),
                    q: format!("query {i}"),
                    k: 10,
                    mode: "hybrid",
                    filters: vec![],
                };
                search_key("v1", &parts, 16).redis_keys
            })
            .collect();
        assert_eq!(
            slots.len(),
            16,
            "2,000 requests spread over exactly 16 slots"
        );
        // One slot: both of a request's keys are it.
        let one = search_key(
            "v1",
            &KeyParts {
                ignore: Vec::new(),
                q: "x".into(),
                k: 1,
                mode: "hybrid",
                filters: vec![],
            },
            1,
        );
        assert_eq!(one.redis_keys[0], one.redis_keys[1]);
    }

    #[test]
    fn a_miss_takes_a_free_slot_else_replaces_one_in_turn() {
        let d = "ab12";
        let mine = |body: &str| Some(format!("{d}\n{body}"));
        let other = || Some("ff00\nsomeone else".to_string());
        assert_eq!(choose([None, None], d, 1), Err(0));
        assert_eq!(choose([other(), None], d, 0), Err(1), "the free one");
        assert_eq!(choose([None, other()], d, 1), Err(0), "the free one");
        assert_eq!(choose([other(), other()], d, 0), Err(0));
        assert_eq!(choose([other(), other()], d, 1), Err(1), "in turn");
        assert_eq!(choose([other(), mine("hello")], d, 0), Ok("hello".into()));
        assert_eq!(choose([mine("a"), None], d, 0), Ok("a".into()));
        // A digest that only starts like ours, or a value without a body, is not ours.
        assert_eq!(
            choose([Some("ab12ff\nx".into()), Some("ab12".into())], d, 0),
            Err(0)
        );
    }
}
