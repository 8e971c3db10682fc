//! The vector-store trait against the real embedded Qdrant engine (and against a remote
//! Qdrant when `QDRANT_URL` is set): loading from the index's vectors, persistence keyed
//! by index version, true nearest neighbours under filters, engine-equal rankings.

mod common;
use atelier_engine::api::SearchRequest;
use atelier_engine::VectorSearch;
use atelier_engine::{rank, Filter};
use atelier_server::catalog::Catalog;
use atelier_server::config::Config;
use atelier_server::metrics::Metrics;
use atelier_server::routes::rank_search;
use atelier_server::store::edge::{shard_dir, EdgeStore, Graph};
use atelier_server::store::{Progress, SearchMode, StoreSearch, StoreSlot, VectorStore};
use common::*;
use std::sync::Arc;
use std::time::Instant;

const EXACT: SearchMode = SearchMode {
    exact: true,
    hnsw_ef: 512,
};

fn filters(catalog: &Catalog) -> Vec<Filter> {
    let facets = &catalog.index().facets;
    vec![
        Filter::default(),
        Filter::parse(facets, [("audience", "Ladies")]).unwrap(),
        Filter::parse(
            facets,
            [("colour_master", "Red"), ("colour_master", "Blue")],
        )
        .unwrap(),
        Filter::parse(facets, [("product_group", "Shoes"), ("audience", "Men")]).unwrap(),
        Filter::parse(facets, [("gender", "Girl")]).unwrap(),
    ]
}

/// The store's candidates, re-scored by the engine, are exactly the engine's exact search.
fn assert_store_matches_exact_search(store: &dyn VectorStore, catalog: &Catalog) {
    let metrics = Metrics::new();
    let search = StoreSearch {
        store,
        index: catalog.index(),
        metrics: &metrics,
    };
    let texts = [
        "red dress",
        "warm winter coat",
        "baby bodysuit",
        "leather boots",
    ];
    for text in texts {
        let v = catalog.searcher.embedder().unwrap().embed(text).unwrap();
        for filter in filters(catalog) {
            for k in [1, 10, 200] {
                let got = search.nearest(&v, k, &filter).unwrap();
                let want = catalog.index().search_exact(&v, k, &filter);
                let got_ids: Vec<u32> = got.iter().map(|h| h.index).collect();
                let want_ids: Vec<u32> = want.iter().map(|h| h.index).collect();
                assert_eq!(got_ids, want_ids, "{text:?} k={k} {filter:?}");
                assert_eq!(got, want);
            }
        }
    }
    // A clause no article can match (an empty value list) finds nothing.
    let mut none = Filter::default();
    none.require_any(
        &catalog.index().facets,
        "colour",
        &["No Such Colour".into()],
    );
    let v = catalog.searcher.embedder().unwrap().embed("dress").unwrap();
    assert!(search.nearest(&v, 10, &none).unwrap().is_empty());
}

/// Hybrid ranking through the store equals the engine's own ranking.
fn assert_rankings_equal_the_engine(store: Arc<dyn VectorStore>, catalog: &Catalog) {
    let metrics = Metrics::new();
    let store = StoreSlot::ready(store, EXACT);
    for q in [
        "red dress for a wedding",
        "kids rain jacket",
        "blue striped shirt",
    ] {
        for (mode, f) in [
            ("hybrid", None),
            ("vector", None),
            ("hybrid", Some("Ladies")),
        ] {
            let mut req = SearchRequest {
                q: q.into(),
                k: Some(10),
                mode: Some(mode.into()),
                ..SearchRequest::default()
            };
            if let Some(a) = f {
                req.filters.insert("audience".into(), vec![a.into()]);
            }
            let valid = req.validate(&catalog.index().facets).unwrap();
            let ours = rank_search(catalog, &store, &metrics, &valid).unwrap();
            assert!(
                !metrics.encode().contains("store_fallbacks_total{"),
                "the store was not asked"
            );
            let v = catalog
                .searcher
                .embedder()
                .unwrap()
                .embed(&valid.embed_text())
                .unwrap();
            let theirs = rank(
                catalog.index(),
                &valid.query,
                &v,
                10,
                &valid.filter,
                valid.mode,
                false,
            );
            let a: Vec<u32> = theirs.hits.iter().map(|h| h.index).collect();
            let b: Vec<String> = ours.results.iter().map(|r| r.article_id.clone()).collect();
            let a: Vec<String> = a
                .iter()
                .map(|&i| catalog.article(i).unwrap().article_id.clone())
                .collect();
            assert_eq!(a, b, "{q:?} {mode} {f:?}");
        }
    }
}

#[test]
fn embedded_qdrant_loads_once_per_index_version_and_finds_true_neighbours() {
    let catalog = Catalog::load(demo_index()).unwrap();
    let root = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let store =
        Arc::new(EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap());
    let first_open = t.elapsed();
    let status = store.status();
    assert_eq!(status.kind, "qdrant-edge");
    assert_eq!(status.points, Some(2993));
    // Built as the server builds stores, and reported so.
    assert_eq!(store.graph(), Graph::default());
    assert!(Graph::default().int8);
    assert_eq!(status.layout, Some(Graph::default().to_string()));
    assert_store_matches_exact_search(store.as_ref(), &catalog);
    assert_rankings_equal_the_engine(Arc::clone(&store) as Arc<dyn VectorStore>, &catalog);
    drop(store);

    // Reopening the same version reuses the persisted shard.
    let dir = shard_dir(root.path(), &catalog.version.id);
    let marker = std::fs::metadata(dir.join("atelier-loaded.json")).unwrap();
    let store = EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap();
    assert_eq!(store.status().points, Some(2993));
    assert_eq!(store.graph(), Graph::default(), "read back from the shard");
    let again = std::fs::metadata(dir.join("atelier-loaded.json")).unwrap();
    assert_eq!(
        marker.modified().unwrap(),
        again.modified().unwrap(),
        "reloaded"
    );
    println!("first open {first_open:?}");
    drop(store);

    // An interrupted load (no marker) is loaded again.
    std::fs::remove_file(dir.join("atelier-loaded.json")).unwrap();
    let store = EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap();
    assert_eq!(store.status().points, Some(2993));
    assert!(dir.join("atelier-loaded.json").is_file());
    drop(store);

    // A new index version gets its own shard; a few recent other versions are kept,
    // incomplete ones are removed.
    let stale = shard_dir(root.path(), "0123456789abcdef");
    std::fs::create_dir_all(&stale).unwrap();
    let small = Catalog::load(small_index()).unwrap();
    assert_ne!(small.version.id, catalog.version.id);
    let store = EdgeStore::open(root.path(), &small, EXACT, &Progress::default()).unwrap();
    assert_eq!(store.status().points, Some(1500));
    // Made from the previous version's store: its first 1,500 articles are the same
    // (kept, not loaded again), the other 1,493 deleted.
    let updated = store
        .updated_from_previous()
        .expect("the new version's store was loaded afresh, not updated");
    println!("re-index: {updated:?}");
    assert_eq!(updated.deleted, 1493);
    assert_eq!(updated.kept + updated.upserted, 1500);
    assert!(updated.upserted < 150, "{updated:?}");
    assert_eq!(
        store.graph(),
        Graph::default(),
        "the copy keeps its graph's parameters"
    );
    assert_store_matches_exact_search(&store, &small);
    assert!(shard_dir(root.path(), &small.version.id).is_dir());
    assert!(dir.is_dir(), "the previous version should be kept");
    assert!(!stale.exists(), "an incomplete store was kept");
}

#[test]
fn embedded_qdrant_hnsw_mode_agrees_on_the_demo_catalog() {
    // The approximate path (the default above `exact_below` articles), checked for recall.
    let catalog = Catalog::load(demo_index()).unwrap();
    let root = tempfile::tempdir().unwrap();
    let mode = Config::default().search_mode(1_000_000);
    assert!(!mode.exact);
    let store = EdgeStore::open(root.path(), &catalog, mode, &Progress::default()).unwrap();
    assert_store_matches_exact_search(&store, &catalog);
}

#[test]
fn a_graph_without_the_derived_facets_links_is_read_back_and_finds_true_neighbours() {
    // `derived_links: false` (store_scale's `--derived-links false`): facets another facet
    // almost determines get a payload index but no links of their own.
    let catalog = Catalog::load(demo_index()).unwrap();
    let root = tempfile::tempdir().unwrap();
    let graph = Graph {
        derived_links: false,
        ..Graph::default()
    };
    assert!(graph.links_for("colour") && !graph.links_for("colour_master"));
    let mode = Config::default().search_mode(1_000_000);
    let points = atelier_server::store::CatalogPoints::new(&catalog).unwrap();
    let store = EdgeStore::create(
        &root.path().join("shard"),
        &points,
        mode,
        &graph,
        &Progress::default(),
    )
    .unwrap();
    assert_eq!(store.graph(), graph, "read back from the shard");
    assert!(store.graph().to_string().contains("(not derived facets)"));
    assert_store_matches_exact_search(&store, &catalog);
}

fn remote_options() -> atelier_server::store::remote::RemoteOptions {
    atelier_server::store::remote::RemoteOptions {
        shards: None,
        replicas: None,
        timeout: std::time::Duration::from_secs(5),
    }
}

/// Against a real Qdrant (`QDRANT_URL`, gRPC; one node or a cluster): the collection is
/// loaded once and laid out for the cluster found, searches find the true neighbours and
/// rank as the engine does, a loaded collection is reused as it is, an interrupted load
/// is resumed, and a collection holding other vectors is loaded again.
#[test]
fn remote_qdrant_when_configured() {
    use atelier_server::store::remote::RemoteStore;
    use qdrant_client::qdrant::{
        GetPointsBuilder, OptimizersConfigDiffBuilder, PointStruct, SetPayloadPointsBuilder,
        UpdateCollectionBuilder, UpsertPointsBuilder,
    };
    let Ok(url) = std::env::var("QDRANT_URL") else {
        println!(
            "skipped: QDRANT_URL is not set (no Qdrant server to test the remote store against)"
        );
        return;
    };
    let catalog = Arc::new(Catalog::load(demo_index()).unwrap());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let prefix = format!("atelier-test-{}", std::process::id());
    let collection = format!("{prefix}-{}", catalog.version.id);
    // The first peer listed (QDRANT_URL may list a cluster's peers).
    let client = qdrant_client::Qdrant::from_url(url.split(',').next().unwrap())
        .skip_compatibility_check()
        .build()
        .unwrap();
    let open = |what: &str| {
        let t = Instant::now();
        let store = runtime
            .block_on(RemoteStore::open(
                &url,
                &prefix,
                &catalog,
                EXACT,
                &remote_options(),
                &Progress::default(),
            ))
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        println!("{what}: {:?}, {:?}", t.elapsed(), store.layout());
        store
    };
    // A mark on a point no check looks at: kept while the collection is reused.
    let mark = || {
        runtime
            .block_on(
                client.set_payload(
                    SetPayloadPointsBuilder::new(
                        &collection,
                        qdrant_client::Payload::try_from(serde_json::json!({"mark": true}))
                            .unwrap(),
                    )
                    .points_selector(vec![qdrant_client::qdrant::PointId::from(1u64)])
                    .wait(true),
                ),
            )
            .unwrap();
    };
    let marked = || {
        let p = runtime
            .block_on(client.get_points(
                GetPointsBuilder::new(&collection, vec![1u64.into()]).with_payload(true),
            ))
            .unwrap();
        p.result[0].payload.contains_key("mark")
    };
    let search_ok = |store: RemoteStore| {
        let c = Arc::clone(&catalog);
        // Calls block on the runtime: run them off it, as the server does.
        runtime
            .block_on(runtime.spawn_blocking(move || {
                assert_eq!(store.status().points, Some(2993));
                assert_store_matches_exact_search(&store, &c);
                assert_rankings_equal_the_engine(Arc::new(store), &c);
            }))
            .unwrap();
    };

    let store = open("first open (loads)");
    let layout = store.layout();
    let peers = std::env::var("QDRANT_PEERS").map_or(layout.peers, |p| p.parse().unwrap());
    assert_eq!(layout.peers, peers, "peers found");
    assert_eq!(layout.shards, peers, "one shard per peer");
    assert_eq!(layout.replicas, peers.min(2), "two copies on a cluster");
    search_ok(store);

    mark();
    let store = open("reopened");
    assert!(marked(), "a loaded collection was loaded again");
    drop(store);

    // Interrupted after every point went in: indexing is switched on, nothing reloaded.
    runtime
        .block_on(
            client.update_collection(
                UpdateCollectionBuilder::new(&collection).optimizers_config(
                    OptimizersConfigDiffBuilder::default().indexing_threshold(0),
                ),
            ),
        )
        .unwrap();
    let store = open("resumed");
    assert!(marked(), "an unindexed collection was loaded again");
    let threshold = runtime
        .block_on(client.collection_info(&collection))
        .unwrap()
        .result
        .and_then(|r| r.config)
        .and_then(|c| c.optimizer_config)
        .and_then(|o| o.indexing_threshold);
    assert_ne!(threshold, Some(0), "indexing stayed off");
    drop(store);

    // A sampled point's vector replaced: loaded again, and right.
    let other = catalog.read_vectors().unwrap().get(7).to_vec();
    runtime
        .block_on(
            client.upsert_points(
                UpsertPointsBuilder::new(
                    &collection,
                    vec![PointStruct::new(
                        0u64,
                        other,
                        qdrant_client::Payload::try_from(serde_json::json!({"article": 0}))
                            .unwrap(),
                    )],
                )
                .wait(true),
            ),
        )
        .unwrap();
    let store = open("damaged");
    assert!(!marked(), "a collection with other vectors was reused");
    search_ok(store);
    runtime
        .block_on(client.delete_collection(&collection))
        .unwrap();
}

/// Every file under `dir` whose path contains `part`, largest first.
fn files_named(dir: &std::path::Path, part: &str) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                pending.push(p);
            } else if p
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .contains(part)
            {
                out.push(p);
            }
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(std::fs::metadata(p).unwrap().len()));
    out
}

fn rewrite(path: &std::path::Path, f: impl Fn(&mut Vec<u8>)) {
    let mut bytes = std::fs::read(path).unwrap();
    f(&mut bytes);
    std::fs::write(path, bytes).unwrap();
}

/// The damage an outside tester did to a loaded store (issue 17): each time the store is
/// found damaged at start and rebuilt from the index — never a wrong answer, a path in
/// an error, or an abort.
#[test]
fn a_damaged_embedded_store_is_found_and_rebuilt() {
    let catalog = Catalog::load(demo_index()).unwrap();
    let pristine = tempfile::tempdir().unwrap();
    drop(EdgeStore::open(pristine.path(), &catalog, EXACT, &Progress::default()).unwrap());
    let shard = |root: &std::path::Path| shard_dir(root, &catalog.version.id);
    let largest = |d: &std::path::Path, part: &str| {
        files_named(d, part)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no file named like {part:?} in the store"))
    };
    type Damage<'a> = Box<dyn Fn(&std::path::Path) + 'a>;
    let damages: Vec<(&str, Damage)> = vec![
        (
            "the segment folder deleted",
            Box::new(|d| {
                let segments = d.join("segments");
                let one = std::fs::read_dir(&segments)
                    .unwrap()
                    .flatten()
                    .next()
                    .unwrap();
                std::fs::remove_dir_all(one.path()).unwrap();
            }),
        ),
        (
            "version.info deleted",
            Box::new(|d| std::fs::remove_file(largest(d, "version.info")).unwrap()),
        ),
        (
            "the id tracker deleted",
            Box::new(|d| std::fs::remove_file(largest(d, "id_tracker")).unwrap()),
        ),
        (
            "the id tracker corrupted",
            Box::new(|d| rewrite(&largest(d, "id_tracker"), |b| b.fill(0xA5))),
        ),
        (
            "the vectors zeroed",
            Box::new(|d| rewrite(&largest(d, "vector_storage"), |b| b.fill(0))),
        ),
        (
            "the vectors flipped",
            Box::new(|d| {
                rewrite(&largest(d, "vector_storage"), |b| {
                    b.iter_mut().for_each(|x| *x = !*x)
                })
            }),
        ),
        (
            "the vectors truncated",
            Box::new(|d| rewrite(&largest(d, "vector_storage"), |b| b.truncate(b.len() / 2))),
        ),
        (
            "one payload byte changed",
            Box::new(|d| {
                rewrite(&largest(d, "payload"), |b| {
                    let middle = b.len() / 2;
                    b[middle] ^= 1
                })
            }),
        ),
    ];
    for (what, damage) in damages {
        let root = tempfile::tempdir().unwrap();
        let copied = std::process::Command::new("cp")
            .arg("-a")
            .arg(shard(pristine.path()))
            .arg(root.path())
            .status()
            .unwrap();
        assert!(copied.success());
        damage(&shard(root.path()));
        let store = EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(store.status().points, Some(2993), "{what}");
        assert_store_matches_exact_search(&store, &catalog);
        drop(store);
        // Rebuilt once: the next start finds it intact.
        let marker = shard(root.path()).join("atelier-loaded.json");
        let loaded = std::fs::metadata(&marker).unwrap().modified().unwrap();
        drop(EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap());
        let again = std::fs::metadata(&marker).unwrap().modified().unwrap();
        assert_eq!(loaded, again, "{what}: rebuilt a second time");
        println!("{what}: found and rebuilt");
    }
}

/// Damage the record of files cannot show (the record rewritten to match the damaged
/// files): the point check at start still finds vectors that are not the index's.
#[test]
fn damage_behind_a_matching_record_is_found_by_the_point_check() {
    use atelier_server::store::digest;
    let catalog = Catalog::load(demo_index()).unwrap();
    let root = tempfile::tempdir().unwrap();
    drop(EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap());
    let dir = shard_dir(root.path(), &catalog.version.id);
    let vectors = files_named(&dir, "vector_storage")
        .into_iter()
        .next()
        .unwrap();
    rewrite(&vectors, |b| b.iter_mut().for_each(|x| *x = !*x));
    let marker_path = dir.join("atelier-loaded.json");
    let mut marker: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&marker_path).unwrap()).unwrap();
    marker["files"] =
        serde_json::to_value(digest::of_dir(&dir, &["atelier-loaded.json"]).unwrap()).unwrap();
    std::fs::write(&marker_path, serde_json::to_vec(&marker).unwrap()).unwrap();
    let before = std::fs::metadata(&marker_path).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let store = EdgeStore::open(root.path(), &catalog, EXACT, &Progress::default()).unwrap();
    let after = std::fs::metadata(&marker_path).unwrap().modified().unwrap();
    assert_ne!(before, after, "the damaged store was not rebuilt");
    assert_store_matches_exact_search(&store, &catalog);
}

/// A store that fails searches is asked once, then left alone for a back-off while the
/// index answers (the engine's own ranking), then asked again.
#[test]
fn a_failing_store_is_left_alone_for_a_while() {
    use atelier_server::error::ServerError;
    use atelier_server::store::{Candidates, Clauses, StoreStatus};
    use std::sync::atomic::{AtomicUsize, Ordering};
    struct Failing(AtomicUsize);
    impl VectorStore for Failing {
        fn nearest(
            &self,
            _: &[f32],
            _: usize,
            _: &Clauses,
        ) -> Result<Vec<(u32, f32)>, ServerError> {
            self.0.fetch_add(1, Ordering::Relaxed);
            Err(ServerError::Store("unreachable".into()))
        }
        fn status(&self) -> StoreStatus {
            unreachable!()
        }
    }
    let catalog = Catalog::load(demo_index()).unwrap();
    let failing = Arc::new(Failing(AtomicUsize::new(0)));
    let slot = StoreSlot::ready(Arc::clone(&failing) as Arc<dyn VectorStore>, EXACT);
    let metrics = Metrics::new();
    let candidates = Candidates {
        slot: &slot,
        index: catalog.index(),
        metrics: &metrics,
    };
    let v = catalog
        .searcher
        .embedder()
        .unwrap()
        .embed("red dress")
        .unwrap();
    let all = Filter::default();
    let want = catalog.index().search_exact(&v, 10, &all);
    for _ in 0..20 {
        assert_eq!(candidates.nearest(&v, 10, &all).unwrap(), want);
    }
    assert_eq!(
        failing.0.load(Ordering::Relaxed),
        1,
        "asked during its back-off"
    );
    std::thread::sleep(std::time::Duration::from_millis(600));
    assert_eq!(candidates.nearest(&v, 10, &all).unwrap(), want);
    assert_eq!(
        failing.0.load(Ordering::Relaxed),
        2,
        "not asked after its back-off"
    );
    let text = metrics.encode();
    assert!(text.contains("reason=\"backing_off\"} 19"), "{text}");
    assert!(text.contains("reason=\"error\"} 2"), "{text}");
}
