//! End to end against the real server binary, the real embedded Qdrant engine, a real
//! `redis-server` and a real Prometheus: results equal `indexer search --json`, filters,
//! similar, facets, cache hit/miss/invalidation, Redis down, bad inputs, metrics, scrape.

mod common;
use common::*;
use serde_json::Value;
use std::time::{Duration, Instant};

const QUERIES: &[&str] = &[
    "I need a red dress for a summer wedding",
    "something warm for the kids",
    "black jeans",
    "striped t-shirt",
    "wool scarf",
    "sneakers",
    "a skirt but not denim",
    "linen shirt for men",
    "pyjamas for girls",
    "yelow raincoat",
    "party outfit",
];

fn ids(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap_or_else(|| panic!("no results in {v}"))
        .iter()
        .map(|r| r["article_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn results_equal_indexer_search_json() {
    answers_equal_indexer_search_json(&[]);
}

/// The same through a real Qdrant (`QDRANT_URL`, gRPC; one node or a cluster) as the
/// server's store.
#[test]
fn remote_store_answers_equal_indexer_search_json() {
    let Ok(url) = std::env::var("QDRANT_URL") else {
        println!(
            "skipped: QDRANT_URL is not set (no Qdrant server to test the remote store against)"
        );
        return;
    };
    let prefix = format!("atelier-server-test-{}", std::process::id());
    let server = answers_equal_indexer_search_json(&[
        "--store",
        "remote",
        "--qdrant-url",
        &url,
        "--qdrant-collection",
        &prefix,
    ]);
    // The store answered every search (none fell back to the index's graph).
    let h = server.get("/health").json();
    assert_eq!(h["vector_store"]["kind"], "qdrant-remote", "{h}");
    assert_eq!(h["vector_store"]["points"], 2993, "{h}");
    let metrics = server.metrics();
    assert!(
        !metrics.contains("atelier_store_fallbacks_total{"),
        "searches fell back to the index's graph:\n{metrics}"
    );
    assert!(metric(&metrics, "atelier_vector_search_duration_seconds_count") > 0.0);
    drop(server);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    // The first peer listed (QDRANT_URL may list a cluster's peers).
    let client = qdrant_client::Qdrant::from_url(url.split(',').next().unwrap())
        .skip_compatibility_check()
        .build()
        .unwrap();
    let all = runtime.block_on(client.list_collections()).unwrap();
    for c in all.collections {
        if c.name.starts_with(&prefix) {
            runtime.block_on(client.delete_collection(&c.name)).unwrap();
        }
    }
}

fn answers_equal_indexer_search_json(server_args: &[&str]) -> Server {
    let index = demo_index();
    let dir = index.to_str().unwrap();
    let server = Server::start(index, server_args);
    // (indexer flags, the same as query parameters)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
    let cases: &[Case] = &[
        (&[], &[]),
        (&["--mode", "vector"], &[("mode", "vector")]),
        (&["--mode", "keyword"], &[("mode", "keyword")]),
        (&["--mode", "lexical"], &[("mode", "lexical")]),
        (&["--k", "25"], &[("k", "25")]),
        (&["--filter", "audience=Ladies"], &[("audience", "Ladies")]),
        (
            &["--filter", "colour_master=Blue", "--mode", "vector"],
            &[("colour_master", "Blue"), ("mode", "vector")],
        ),
        (
            &["--filter", "product_group=Garment Upper body"],
            &[("product_group", "Garment Upper body")],
        ),
        (
            &["--ignore", "colour", "--ignore", "without"],
            &[("ignore", "colour"), ("ignore", "without")],
        ),
    ];
    let mut compared = 0;
    for (cli, params) in cases {
        let mut args = vec!["--index", dir];
        args.extend_from_slice(cli);
        let expected = indexer_search(&args, QUERIES);
        assert_eq!(expected.len(), QUERIES.len());
        for (q, want) in QUERIES.iter().zip(expected) {
            let mut p = vec![("q", *q)];
            p.extend_from_slice(params);
            let got = server.search(&p);
            assert_eq!(got.status, 200, "{}", got.body);
            assert_eq!(got.content_type.as_deref(), Some("application/json"));
            assert_eq!(
                without_timing(got.json()),
                without_timing(want),
                "server and indexer differ for {q:?} with {params:?}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, cases.len() * QUERIES.len());
    server
}

/// Filters without words browse (GET and POST), as `indexer search --browse` does, with
/// the set's size; no words and no filter is a 400 naming `q`.
#[test]
fn filters_without_words_browse_as_the_indexer_does() {
    let index = demo_index();
    let dir = index.to_str().unwrap();
    let server = Server::start(index, &[]);
    let want = indexer_search(
        &[
            "--index",
            dir,
            "--browse",
            "--filter",
            "product_type=Dress",
            "--k",
            "30",
        ],
        &[],
    )
    .remove(0);
    assert!(want["total"].as_u64().unwrap() > 0, "{want}");
    let got = server.search(&[("q", ""), ("product_type", "Dress"), ("k", "30")]);
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(without_timing(got.json()), without_timing(want.clone()));
    let posted = server.post(
        "/api/search",
        r#"{"q":"  ","filters":{"product_type":["Dress"]},"k":30}"#,
    );
    assert_eq!(posted.status, 200, "{}", posted.body);
    assert_eq!(without_timing(posted.json()), without_timing(want));
    let bad = server.search(&[("q", "")]);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(bad.body.contains("\"q\""), "{}", bad.body);
}

/// A store that cannot be opened (a file stands where its folder should be) is retried in
/// the background while every search is answered from the index's own graph — exactly
/// as `indexer search` answers — and `/health` says `degraded` (200: the server answers);
/// once the obstacle is gone the store opens and `/health` says `ok`.
#[test]
fn without_its_store_the_server_answers_from_the_index_and_recovers() {
    let index = demo_index();
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("qdrant");
    std::fs::write(&blocker, b"not a folder").unwrap();
    let server = Server::start_listening(dir, index, &[]);
    let deadline = Instant::now() + Duration::from_secs(60);
    let health = loop {
        let h = server.get("/health");
        assert_eq!(h.status, 200, "{}", h.body);
        if h.json()["vector_store"]["status"] == "error" {
            break h;
        }
        assert!(Instant::now() < deadline, "{}", h.body);
        std::thread::sleep(Duration::from_millis(50));
    };
    let h = health.json();
    assert_eq!(h["status"], "degraded");
    assert!(
        !health.body.contains("/tmp") && !health.body.contains("qdrant\""),
        "{}",
        health.body
    );
    // Load balancers that want a loaded store are told to wait; searches still work.
    let ready = server.get("/ready");
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(ready.header("retry-after").as_deref(), Some("5"));
    assert_eq!(ready.json()["status"], "degraded");

    let queries = &QUERIES[..4];
    let expected = indexer_search(&["--index", index.to_str().unwrap()], queries);
    for (q, want) in queries.iter().zip(expected) {
        let got = server.search(&[("q", q)]);
        assert_eq!(got.status, 200, "{}", got.body);
        assert_eq!(without_timing(got.json()), without_timing(want), "{q:?}");
    }
    let similar = server.get(&format!(
        "/api/similar/{}",
        ids(&server.search(&[("q", "dress")]).json())[0]
    ));
    assert_eq!(similar.status, 200, "{}", similar.body);
    let text = server.metrics();
    assert!(
        metric(&text, "atelier_store_fallbacks_total{reason=\"not_ready\"}") >= 5.0,
        "{text}"
    );
    assert!(server.log().contains("the vector store cannot be opened"));

    std::fs::remove_file(&blocker).unwrap();
    server.wait_for_store(Duration::from_secs(120));
    assert_eq!(server.get("/health").json()["status"], "ok");
    assert_eq!(server.get("/ready").status, 200);
    assert!(server
        .metrics()
        .contains("atelier_vector_store_points 2993"));
}

#[test]
fn post_filters_similar_facets_health_and_docs() {
    let server = Server::start(demo_index(), &["--cors-origin", "https://shop.example"]);

    // POST with the engine's SearchRequest shape equals GET with query parameters.
    let get = server.search(&[("q", "summer dress"), ("k", "7"), ("colour_master", "Red")]);
    let post = server.post(
        "/api/search",
        r#"{"q":"summer dress","k":7,"filters":{"colour_master":["Red"]}}"#,
    );
    let flat = server.post(
        "/api/search",
        r#"{"q":"summer dress","k":7,"colour_master":"Red"}"#,
    );
    assert_eq!(get.status, 200, "{}", get.body);
    assert_eq!(without_timing(get.json()), without_timing(post.json()));
    assert_eq!(without_timing(get.json()), without_timing(flat.json()));
    let results = get.json()["results"].as_array().unwrap().clone();
    assert_eq!(results.len(), 7);
    assert!(results
        .iter()
        .all(|r| r["perceived_colour_master_name"] == "Red"));

    // Several values of a facet: any matches; facets combine with AND.
    let r = server.search(&[
        ("q", "shoes"),
        ("k", "30"),
        ("audience", "Men"),
        ("audience", "Ladies"),
        ("product_group", "Shoes"),
    ]);
    let results = r.json()["results"].as_array().unwrap().clone();
    assert!(!results.is_empty());
    for a in &results {
        assert_eq!(a["product_group_name"], "Shoes", "{a}");
        assert!(a["audience"] == "Men" || a["audience"] == "Ladies", "{a}");
    }

    // Similar articles: not the article itself, most similar first, filters apply.
    let first = ids(&get.json())[0].clone();
    let similar = server.get(&format!("/api/similar/{first}?k=5"));
    assert_eq!(similar.status, 200, "{}", similar.body);
    let s = similar.json();
    assert_eq!(s["query"], first.as_str());
    let scores: Vec<f64> = s["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 5);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(!ids(&s).contains(&first));
    // The same "more like this" as the indexer and the browser: one card per product.
    for extra in [&[][..], &["--filter", "colour_master=Blue"][..]] {
        let out = indexer()
            .args(["search", "--json", "--index"])
            .arg(demo_index())
            .args(["--like", &first, "--k", "5"])
            .args(extra)
            .output()
            .expect("indexer runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let params = if extra.is_empty() {
            ""
        } else {
            "&colour_master=Blue"
        };
        let got = server.get(&format!("/api/similar/{first}?k=5{params}"));
        assert_eq!(
            without_timing(got.json()),
            without_timing(want),
            "server and indexer --like differ ({extra:?})"
        );
    }
    let blue = server.get(&format!("/api/similar/{first}?k=5&colour_master=Blue"));
    assert!(blue.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["perceived_colour_master_name"] == "Blue"));
    let missing = server.get("/api/similar/0000000000");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["field"], "article_id");

    // Facets: every facet, counts under the other filters.
    let all = server.get("/api/facets").json();
    let total = all["articles"].as_u64().unwrap();
    assert_eq!(total, 2993);
    let facets = all["facets"].as_array().unwrap();
    assert_eq!(facets.len(), atelier_engine::index::FACETS.len());
    // The details read from the descriptions are facets like the others.
    let sleeves = facets.iter().find(|f| f["name"] == "sleeves").unwrap();
    assert_eq!(sleeves["label"], "Sleeve length");
    assert!(sleeves["values"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["value"] == "Sleeveless"));
    let audience = facets.iter().find(|f| f["name"] == "audience").unwrap();
    let sum: u64 = audience["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["count"].as_u64().unwrap())
        .sum();
    assert!(sum <= total && sum > 0);
    let red = server.get("/api/facets?colour_master=Red").json();
    assert!(red["articles"].as_u64().unwrap() < total);

    // Health: index version, store, Redis.
    let h = server.get("/health").json();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["index"]["format_version"], 10);
    assert_eq!(h["index"]["articles"], 2993);
    assert_eq!(h["index"]["id"].as_str().unwrap().len(), 16);
    assert_eq!(h["vector_store"]["kind"], "qdrant-edge");
    assert_eq!(h["vector_store"]["points"], 2993);
    assert_eq!(h["vector_store"]["exact"], true);
    assert_eq!(h["redis"]["status"], "disabled");

    // OpenAPI and the docs page.
    let spec = server.get("/api/openapi.json").json();
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/search",
        "/api/similar/{article_id}",
        "/api/facets",
        "/health",
        "/ready",
        "/metrics",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} undocumented");
    }
    // Facet parameters are the index's own, their values listed (schemathesis checks the
    // description against the validation: scripts/bench/schemathesis.sh).
    let params = spec["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let colour = params
        .iter()
        .find(|p| p["name"] == "colour")
        .expect("colour");
    let values = colour["schema"]["items"]["enum"].as_array().unwrap();
    assert!(values.iter().any(|v| v == "Red"), "{colour}");
    assert!(params.iter().all(|p| p["name"] != "facet"));
    let request = &spec["components"]["schemas"]["SearchRequest"];
    assert_eq!(request["additionalProperties"], false);
    assert_eq!(
        request["properties"]["filters"]["additionalProperties"],
        false
    );
    assert!(request["properties"]["audience"]["oneOf"].is_array());
    let docs = server.get("/docs");
    assert_eq!(docs.status, 200);
    assert!(docs.body.contains("/api/openapi.json"));

    // CORS: the configured origin only.
    let ok = server.get_with("/api/search?q=dress", &[("origin", "https://shop.example")]);
    assert_eq!(ok.allow_origin.as_deref(), Some("https://shop.example"));
    let other = server.get_with("/api/search?q=dress", &[("origin", "https://evil.example")]);
    assert_eq!(other.allow_origin, None);

    // Unknown paths are JSON 404s.
    let nf = server.get("/api/nothing");
    assert_eq!(nf.status, 404);
    assert_eq!(nf.json()["field"], "path");
}

#[test]
fn bad_inputs_are_json_4xx_naming_the_field() {
    let mut server = Server::start(demo_index(), &["--body-limit-bytes", "1024"]);
    let long = "a".repeat(513);
    let cases: Vec<(String, u16, &str)> = vec![
        ("/api/search".into(), 400, "q"),
        ("/api/search?q=".into(), 400, "q"),
        ("/api/search?q=%20%20%20".into(), 400, "q"),
        (format!("/api/search?q={long}"), 400, "q"),
        ("/api/search?q=a%00b".into(), 400, "q"),
        ("/api/search?q=dress&q=coat".into(), 400, "q"),
        ("/api/search?q=dress&k=0".into(), 400, "k"),
        ("/api/search?q=dress&k=101".into(), 400, "k"),
        ("/api/search?q=dress&k=-1".into(), 400, "k"),
        ("/api/search?q=dress&k=ten".into(), 400, "k"),
        (
            "/api/search?q=dress&k=99999999999999999999999".into(),
            400,
            "k",
        ),
        ("/api/search?q=dress&mode=psychic".into(), 400, "mode"),
        ("/api/search?q=dress&ignore=price".into(), 400, "ignore"),
        ("/api/search?q=dress&flavour=vanilla".into(), 400, "flavour"),
        ("/api/search?q=dress&colour=Plaid".into(), 400, "colour"),
        ("/api/similar/0108775015?k=0".into(), 400, "k"),
        ("/api/similar/x?colour=Nope".into(), 400, "colour"),
        (
            format!("/api/similar/{}", "9".repeat(65)),
            400,
            "article_id",
        ),
        ("/api/facets?size=XL".into(), 400, "size"),
    ];
    for (path, status, field) in &cases {
        let r = server.get(path);
        assert_eq!(r.status, *status, "{path}: {}", r.body);
        let v = r.json();
        assert_eq!(v["field"], *field, "{path}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let bodies: &[(&str, u16, &str)] = &[
        ("", 400, "body"),
        ("not json", 400, "body"),
        ("[]", 400, "body"),
        (r#"{"k":3}"#, 400, "q"),
        (r#"{"q":""}"#, 400, "q"),
        (r#"{"q":7}"#, 400, "q"),
        (r#"{"q":"x","k":0}"#, 400, "k"),
        (r#"{"q":"x","k":"many"}"#, 400, "k"),
        (r#"{"q":"x","k":2.5}"#, 400, "k"),
        (r#"{"q":"x","mode":"fast"}"#, 400, "mode"),
        (r#"{"q":"x","ignore":["size"]}"#, 400, "ignore"),
        (r#"{"q":"x","ignore":7}"#, 400, "ignore"),
        (r#"{"q":"x","filters":{"colour":["Nope"]}}"#, 400, "colour"),
        (r#"{"q":"x","filters":{"colour":[1]}}"#, 400, "colour"),
        (r#"{"q":"x","sizes":["M"]}"#, 400, "sizes"),
    ];
    for (body, status, field) in bodies {
        let r = server.post("/api/search", body);
        assert_eq!(r.status, *status, "{body}: {}", r.body);
        assert_eq!(r.json()["field"], *field, "{body}: {}", r.body);
    }
    let huge = format!(r#"{{"q":"{}"}}"#, "a".repeat(4096));
    let r = server.post("/api/search", &huge);
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.json()["field"], "body");

    // Odd but valid inputs are answered.
    for q in [
        "é",
        "👗👠",
        "%",
        "dress'); DROP TABLE articles;--",
        "   trimmed   ",
    ] {
        let r = server.search(&[("q", q)]);
        assert_eq!(r.status, 200, "{q:?}: {}", r.body);
    }
    // Garbage never yields a 5xx (deterministic pseudo-random inputs).
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..60 {
        let len = (x % 40) as usize;
        let s: String = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from_u32((x % 0x2FF) as u32 + 1).unwrap_or('?')
            })
            .collect();
        for r in [
            server.search(&[("q", &s), ("k", &s)]),
            server.search(&[("q", &s), (&s, &s)]),
            server.post("/api/search", &s),
            server.get(&format!("/api/similar/{}", encode(&s))),
        ] {
            assert!(r.status < 500, "{s:?}: {} {}", r.status, r.body);
        }
    }
    assert_eq!(server.get("/health").status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());

    // Graceful shutdown on SIGTERM.
    assert!(server.terminate(Duration::from_secs(20)), "no clean exit");
}

fn cache_hits(server: &Server) -> f64 {
    metric(&server.metrics(), "atelier_cache_hits_total")
}

#[test]
fn cache_hits_misses_and_reindex_invalidation() {
    let redis = Redis::start();
    let server = Server::start(demo_index(), &["--redis-url", &redis.url()]);
    assert_eq!(server.get("/health").json()["redis"]["status"], "ok");

    let first = server.search(&[("q", "red summer dress"), ("k", "5")]);
    assert_eq!(first.status, 200);
    assert_eq!(first.x_cache.as_deref(), Some("miss"));
    // Written in the background: wait for it.
    let deadline = Instant::now() + Duration::from_secs(10);
    let second = loop {
        let r = server.search(&[("q", "red summer dress"), ("k", "5")]);
        if r.x_cache.as_deref() == Some("hit") || Instant::now() > deadline {
            break r;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(second.x_cache.as_deref(), Some("hit"));
    assert_eq!(second.body, first.body, "a hit returns the stored answer");

    // Same search typed differently: a hit that echoes this request's query.
    let typed = server.search(&[("q", "  RED   Summer dress "), ("k", "5")]);
    assert_eq!(typed.x_cache.as_deref(), Some("hit"));
    assert_eq!(typed.json()["query"], "RED   Summer dress");
    assert_eq!(ids(&typed.json()), ids(&first.json()));
    // Anything else that matters is a different key.
    for p in [
        vec![("q", "red summer dress"), ("k", "6")],
        vec![("q", "red summer dress"), ("k", "5"), ("mode", "vector")],
        vec![
            ("q", "red summer dress"),
            ("k", "5"),
            ("audience", "Ladies"),
        ],
    ] {
        assert_eq!(server.search(&p).x_cache.as_deref(), Some("miss"), "{p:?}");
    }
    let keys = redis.command("DBSIZE").unwrap();
    assert!(keys.starts_with(':'), "{keys}");
    let m = server.metrics();
    assert!(metric(&m, "atelier_cache_hits_total") >= 2.0, "{m}");
    assert!(metric(&m, "atelier_cache_misses_total") >= 4.0, "{m}");
    assert_eq!(metric(&m, "atelier_cache_errors_total"), 0.0, "{m}");

    // Metrics content.
    for name in [
        "atelier_http_requests_total{",
        "atelier_http_request_duration_seconds_bucket{",
        "atelier_embedding_duration_seconds_count",
        "atelier_vector_search_duration_seconds_count",
        "atelier_rank_duration_seconds_count",
        "atelier_index_articles 2993",
        "atelier_index_size_bytes ",
        "atelier_index_info{",
        "atelier_vector_store_points 2993",
    ] {
        assert!(m.contains(name), "{name} missing in\n{m}");
    }
    assert!(
        m.contains(r#"route="/api/search""#) && m.contains(r#"status="200""#),
        "{m}"
    );
    assert!(metric(&m, "atelier_embedding_duration_seconds_count") >= 4.0);
    drop(server);

    // Re-index: a different index behind the same Redis never gets the old answers.
    let reindexed = Server::start(small_index(), &["--redis-url", &redis.url()]);
    let after = reindexed.search(&[("q", "red summer dress"), ("k", "5")]);
    assert_eq!(after.status, 200);
    assert_eq!(after.x_cache.as_deref(), Some("miss"));
    assert_eq!(cache_hits(&reindexed), 0.0);
}

#[test]
fn redis_down_still_answers_and_counts_errors() {
    let mut redis = Redis::start();
    let port = redis.port;
    let server = Server::start(
        demo_index(),
        &["--redis-url", &redis.url(), "--cache-timeout-ms", "100"],
    );
    assert_eq!(
        server.search(&[("q", "wool scarf")]).x_cache.as_deref(),
        Some("miss")
    );
    redis.stop();
    for q in ["wool scarf", "black jeans", "sneakers", "wool scarf"] {
        let r = server.search(&[("q", q)]);
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.x_cache.as_deref(), Some("miss"));
        assert_eq!(r.json()["results"].as_array().unwrap().len(), 10);
    }
    let m = server.metrics();
    assert!(metric(&m, "atelier_cache_errors_total") >= 1.0, "{m}");
    let h = server.get("/health");
    assert_eq!(h.status, 200);
    assert_eq!(h.json()["status"], "degraded");
    assert_eq!(h.json()["redis"]["status"], "down");

    // Redis comes back: the cache works again.
    let _redis = Redis::start_on(port);
    server.wait_for_cache_hit("linen trousers", Duration::from_secs(20));
    assert_eq!(server.get("/health").json()["redis"]["status"], "ok");
}

#[test]
fn prometheus_scrapes_the_server() {
    let server = Server::start(demo_index(), &[]);
    assert_eq!(server.search(&[("q", "dress")]).status, 200);
    let target = server.url.trim_start_matches("http://").to_string();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: atelier\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let prometheus = Prometheus::start(&config, dir.path(), port);
    let api = format!("http://127.0.0.1:{port}/api/v1");
    let deadline = Instant::now() + Duration::from_secs(90);
    let value = loop {
        let up = agent()
            .get(format!(
                "{api}/query?query={}",
                encode("atelier_index_articles")
            ))
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .and_then(|b| serde_json::from_str::<Value>(&b).ok());
        if let Some(v) = up.and_then(|v| {
            v["data"]["result"][0]["value"][1]
                .as_str()
                .map(str::to_string)
        }) {
            break v;
        }
        assert!(
            Instant::now() < deadline,
            "prometheus never scraped the server:\n{}",
            prometheus.log()
        );
        std::thread::sleep(Duration::from_millis(500));
    };
    assert_eq!(value, "2993");
    let targets: Value = serde_json::from_str(
        &agent()
            .get(format!("{api}/targets"))
            .call()
            .unwrap()
            .body_mut()
            .read_to_string()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        targets["data"]["activeTargets"][0]["health"], "up",
        "{targets}"
    );
}

/// A real Prometheus; killed on drop.
struct Prometheus {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl Prometheus {
    fn start(config: &std::path::Path, dir: &std::path::Path, port: u16) -> Self {
        let log = dir.join("prometheus.log");
        let child = std::process::Command::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("prometheus is installed (scripts/setup.sh)");
        Self { child, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn photos_the_index_holds_are_served_and_nothing_else() {
    // A copy of the demo index with one thumbnail, as `indexer build --images` writes them.
    let tmp = tempfile::tempdir().unwrap();
    let index = tmp.path().join("index");
    std::fs::create_dir_all(index.join("photos/099")).unwrap();
    for e in std::fs::read_dir(demo_index()).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), index.join(e.file_name())).unwrap();
        }
    }
    let photo = "RIFF\u{0}\u{0}\u{0}\u{0}WEBPVP8 a test photo";
    std::fs::write(index.join("photos/099/0990001001.webp"), photo).unwrap();
    let server = Server::start(&index, &[]);

    let r = server.get("/photos/099/0990001001.webp?v=0123456789abcdef");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type.as_deref(), Some("image/webp"));
    assert_eq!(r.body, photo);
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k == "cache-control" && v.contains("immutable")));
    // Only thumbnails: no other file of the index, no path out of it.
    for bad in [
        "/photos/099/0990001002.webp",
        "/photos/099/0990001001.jpg",
        "/photos/100/0990001001.webp",
        "/photos/abc/0990001001.webp",
        "/photos/099/..%2Fmanifest.json",
        "/photos/..%2F..%2Fetc/passwd",
    ] {
        let r = server.get(bad);
        assert_eq!(r.status, 404, "{bad}: {}", r.body);
        assert!(
            r.body.contains("\"field\""),
            "{bad}: a JSON error, {}",
            r.body
        );
    }
    // An index without photos gives its results no `image`.
    let result = server.search(&[("q", "polo shirt")]).json();
    assert!(result["results"][0].get("image").is_none());
}
