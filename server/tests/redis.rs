//! The Redis cache under faults a shop meets: a Redis that stops answering for a while
//! (searches go on at full speed, uncached), and a flood of distinct searches (the cache
//! keeps to its slots and size limit, and never answers one request with another's result).

mod common;
use common::*;
use std::time::{Duration, Instant};

fn ids(r: &Reply) -> Vec<String> {
    r.json()["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results in {}", r.body))
        .iter()
        .map(|v| v["article_id"].as_str().unwrap().to_string())
        .collect()
}

fn keys(redis: &Redis) -> u64 {
    let reply = redis.command("DBSIZE").expect("DBSIZE answers");
    reply
        .trim_start_matches(':')
        .parse()
        .expect("an integer reply")
}

#[test]
fn a_paused_redis_does_not_hold_searches_up() {
    let redis = Redis::start();
    let server = Server::start(
        demo_index(),
        &["--redis-url", &redis.url(), "--cache-timeout-ms", "100"],
    );
    let queries = ["wool scarf", "black jeans", "striped t-shirt", "sneakers"];
    let before: Vec<Vec<String>> = queries
        .iter()
        .map(|q| ids(&server.search(&[("q", q)])))
        .collect();

    // Redis stops answering every client for 6 s (as a blocked or swapping Redis would).
    assert_eq!(
        redis.command("CLIENT PAUSE 6000 ALL").as_deref(),
        Some("+OK")
    );
    let paused = Instant::now();
    for (q, expected) in queries.iter().zip(&before) {
        let started = Instant::now();
        let r = server.search(&[("q", q)]);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(&ids(&r), expected, "{q}: the same answer without the cache");
        assert_eq!(r.x_cache.as_deref(), Some("miss"));
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{q} waited {:?} for a paused Redis",
            started.elapsed()
        );
    }
    assert!(
        paused.elapsed() < Duration::from_secs(6),
        "the searches finished while Redis was still paused"
    );
    let m = server.metrics();
    assert!(metric(&m, "atelier_cache_errors_total") >= 1.0, "{m}");

    // Redis answers again: so does the cache.
    server.wait_for_cache_hit("linen trousers", Duration::from_secs(30));
}

#[test]
fn the_cache_keeps_to_its_slots_and_never_mixes_answers_up() {
    let redis = Redis::start();
    let server = Server::start(
        demo_index(),
        &["--redis-url", &redis.url(), "--cache-slots", "8"],
    );
    // 48 distinct requests share 8 slots.
    let words = ["dress", "jeans", "scarf", "shirt", "socks", "coat"];
    let requests: Vec<(String, String)> = words
        .iter()
        .flat_map(|w| (1..=8).map(move |k| (w.to_string(), k.to_string())))
        .collect();
    let first: Vec<Reply> = requests
        .iter()
        .map(|(q, k)| server.search(&[("q", q), ("k", k)]))
        .collect();
    std::thread::sleep(Duration::from_millis(500)); // writes are in the background
    let stored = keys(&redis);
    assert!((1..=8).contains(&stored), "{stored} keys for 8 slots");

    // Asked again (last first, so that each slot's last writer is asked before its
    // neighbours replace it), each request gets its own answer: from the cache when its
    // slot still holds it, computed otherwise — never a neighbour's.
    let mut hits = 0;
    for ((q, k), was) in requests.iter().zip(&first).rev() {
        let r = server.search(&[("q", q), ("k", k)]);
        assert_eq!(r.status, 200);
        assert_eq!(ids(&r), ids(was), "{q} k={k}");
        hits += usize::from(r.x_cache.as_deref() == Some("hit"));
    }
    assert!((1..=8).contains(&hits), "{hits} hits from 8 slots");
    assert!(keys(&redis) <= 8);
    drop(server);

    // Each request has two slots: with only two in all, the second request takes the
    // one the first left free, and both are answered from the cache (with one slot a
    // request, two requests in two slots collided half the time and replaced each other).
    assert_eq!(redis.command("FLUSHALL").as_deref(), Some("+OK"));
    let two = Server::start(
        demo_index(),
        &["--redis-url", &redis.url(), "--cache-slots", "2"],
    );
    for q in ["linen trousers", "red dress"] {
        assert_eq!(two.search(&[("q", q)]).x_cache.as_deref(), Some("miss"));
        std::thread::sleep(Duration::from_millis(300)); // the write is in the background
    }
    assert_eq!(keys(&redis), 2);
    for q in ["linen trousers", "red dress", "linen trousers"] {
        assert_eq!(
            two.search(&[("q", q)]).x_cache.as_deref(),
            Some("hit"),
            "{q}"
        );
    }
    drop(two);

    // A result over the size limit is not stored at all.
    assert_eq!(redis.command("FLUSHALL").as_deref(), Some("+OK"));
    let small = Server::start(
        demo_index(),
        &[
            "--redis-url",
            &redis.url(),
            "--cache-max-entry-bytes",
            "256",
        ],
    );
    for q in words {
        assert_eq!(small.search(&[("q", q)]).status, 200);
    }
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(keys(&redis), 0);
    let m = small.metrics();
    assert!(
        m.contains(r#"op="too_large""#),
        "oversized results are counted: {m}"
    );
}
