//! Harness (issue 18): the embedded vector store at a million articles and more.
//!
//! Makes `--copies N` copies of an index's articles (copy 0 as they are; every other copy
//! with each vector perturbed by Gaussian noise of `--noise` per dimension and
//! renormalised, so that no two points coincide, and ids `<article_id>-<copy>`), loads
//! them into the embedded Qdrant store exactly as the server does (`EdgeStore::create`),
//! then asks it for the candidates of the bench queries — unfiltered and under facet
//! filters from broad to narrow — and reports load time, memory, search latency and the
//! recall@10 of the candidates against an exact f32 search over all points. Nothing it
//! builds is kept (unless `--keep`).
//!
//! ```sh
//! cargo run --release -p atelier-server --example store_scale -- \
//!   --index ~/.cache/atelier/target/tmp/full-index --copies 10 [--noise 0.02] \
//!   [--queries bench/queries.txt] [--dir /tmp/store-scale] [--hnsw-ef 1024,2048] \
//!   [--filters 'facet=value;…'] [--m 16] [--ef-construct 100] [--int8 true] \
//!   [--facet-m 16] [--derived-links true] [--full-scan-kb 10000] [--keep] \
//!   [--qdrant-url http://127.0.0.1:6334[,…]] [--shards N] [--replicas N]
//! # then, on the store a --keep run left: the restart alone, three times
//! cargo run --release -p atelier-server --example store_scale -- --index … --dir … --reopen
//! ```
//!
//! The graph's parameters default to the server's (`edge::Graph::default()`). After the
//! searches it times a restart on the loaded store: the digest of every file, the
//! comparison with it and Qdrant's opening of the shard.
//!
//! With `--qdrant-url` the points go to a remote Qdrant (one node or a cluster's peers)
//! instead, loaded as the server loads its remote store (`RemoteStore::create`: the
//! server's graph, layout and bulk upload) into collection `atelier-store-scale`, which
//! is deleted afterwards unless `--keep`; the graph options above do not apply to it.

use atelier_server::catalog::Catalog;
use atelier_server::store::digest;
use atelier_server::store::edge::{payload, EdgeStore, Graph};
use atelier_server::store::remote::{RemoteOptions, RemoteStore};
use atelier_server::store::{overfetch, PointSource, Progress, SearchMode, VectorStore};
use std::path::PathBuf;
use std::time::Instant;

/// The server's allocator (`src/main.rs`), so the load is measured as the server loads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Scaled {
    dim: usize,
    /// Every point's vector, row-major.
    all: Vec<f32>,
    /// The base articles' payloads.
    base: Vec<serde_json::Value>,
}

impl PointSource for Scaled {
    fn len(&self) -> usize {
        self.all.len() / self.dim
    }
    fn dim(&self) -> usize {
        self.dim
    }
    fn vector(&self, i: usize) -> Vec<f32> {
        self.all[i * self.dim..(i + 1) * self.dim].to_vec()
    }
    fn payload(&self, i: usize) -> serde_json::Value {
        let n = self.base.len();
        let mut p = self.base[i % n].clone();
        p["article"] = i.into();
        if let Some(id) = p["article_id"].as_str() {
            p["article_id"] = format!("{id}-{}", i / n).into();
        }
        p
    }
}

/// A deterministic standard normal sample for `(point, dimension)` (splitmix64 + Box–Muller).
fn gaussian(seed: u64) -> f32 {
    let mix = |mut z: u64| {
        z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let a = mix(seed);
    let b = mix(a);
    let u1 = ((a >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let u2 = (b >> 11) as f64 / (1u64 << 53) as f64;
    ((-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()) as f32
}

/// The store measured: embedded (in `--dir`) or a remote Qdrant's collection.
enum Store {
    Edge(EdgeStore),
    Remote(RemoteStore),
}

impl Store {
    fn set_mode(&mut self, mode: SearchMode) {
        match self {
            Store::Edge(s) => s.set_mode(mode),
            Store::Remote(s) => s.set_mode(mode),
        }
    }
    fn get(&self) -> &dyn VectorStore {
        match self {
            Store::Edge(s) => s,
            Store::Remote(s) => s,
        }
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn rss_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// This process's CPU time so far (user + system), in seconds: with other work on the
/// cores it says what a load costs better than the wall clock does.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command's closing parenthesis (state first); utime and stime
    // are the 12th and 13th of them, in clock ticks (100 a second on Linux).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn dir_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.metadata() {
                Ok(m) if m.is_dir() => pending.push(e.path()),
                Ok(m) => total += m.len(),
                Err(_) => {}
            }
        }
    }
    total
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// A restart on the store in `dir`: the server records every file's digest once after a
/// load; each later start compares the files with that record, then opens the shard.
fn reopen(dir: &std::path::Path) -> anyhow::Result<()> {
    let t = Instant::now();
    let files = digest::of_dir(dir, &[])?;
    let record_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let change = digest::first_change(dir, &files, &[]);
    let compare_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let shard = qdrant_edge::EdgeShard::load(dir, None)?;
    let points = shard.info()?.points_count;
    let open_s = t.elapsed().as_secs_f64();
    drop(shard);
    println!(
        "{{\"reopen\": {{\"record_seconds\": {record_s:.2}, \"compare_seconds\": {compare_s:.2}, \"open_seconds\": {open_s:.2}, \"points\": {points}, \"changed\": {}}}}}",
        change.is_some()
    );
    Ok(())
}

fn main() -> anyhow::Result<()> {
    // `RUST_LOG=qdrant_edge=debug` shows Qdrant's own steps (payload indexes, main graph,
    // the links of each facet) with their times.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().collect();
    let index = PathBuf::from(arg(&args, "--index").ok_or_else(|| anyhow::anyhow!("--index DIR"))?);
    let copies: usize = arg(&args, "--copies").map_or(Ok(10), |c| c.parse())?;
    let noise: f32 = arg(&args, "--noise").map_or(Ok(0.02), |c| c.parse())?;
    let queries = arg(&args, "--queries").unwrap_or_else(|| "bench/queries.txt".into());
    let dir = PathBuf::from(arg(&args, "--dir").unwrap_or_else(|| "/tmp/store-scale".into()));
    // One or more search widths, comma-separated: each is measured on the same load.
    let efs: Vec<usize> = arg(&args, "--hnsw-ef")
        .unwrap_or_else(|| "512".into())
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    // The graph's build parameters (the server's by default).
    let d = Graph::default();
    let graph = Graph {
        m: arg(&args, "--m").map_or(Ok(d.m), |c| c.parse())?,
        ef_construct: arg(&args, "--ef-construct").map_or(Ok(d.ef_construct), |c| c.parse())?,
        int8: arg(&args, "--int8").map_or(Ok(d.int8), |c| c.parse())?,
        facet_m: arg(&args, "--facet-m").map_or(Ok(d.facet_m), |c| c.parse())?,
        derived_links: arg(&args, "--derived-links").map_or(Ok(d.derived_links), |c| c.parse())?,
        full_scan_kb: arg(&args, "--full-scan-kb").map_or(Ok(d.full_scan_kb), |c| c.parse())?,
    };
    // Facet filters to measure besides no filter: `facet=value`, `;`-separated (broad to
    // narrow by default: 40 %, 10 % and 3 % of the catalog).
    let filters: Vec<(String, String)> = arg(&args, "--filters")
        .unwrap_or_else(|| "product_group=Garment Upper body;product_type=Dress;colour=Red".into())
        .split(';')
        .filter(|f| !f.is_empty())
        .map(|f| {
            let (k, v) = f
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("--filters: {f}"))?;
            Ok((k.to_string(), v.to_string()))
        })
        .collect::<anyhow::Result<_>>()?;

    // `--reopen`: only the restart of a store a `--keep` run left in `--dir`, three times.
    if args.iter().any(|a| a == "--reopen") {
        for _ in 0..3 {
            reopen(&dir)?;
        }
        return Ok(());
    }

    let catalog = Catalog::load(&index)?;
    let vectors = catalog.read_vectors()?;
    let (n, dim) = (vectors.len(), vectors.dim);
    let total = n * copies;
    eprintln!("{n} articles × {copies} copies = {total} points, noise {noise}, {graph:?}");
    let mut all = Vec::with_capacity(total * dim);
    for copy in 0..copies {
        for i in 0..n {
            let v = vectors.get(i);
            if copy == 0 {
                all.extend_from_slice(v);
                continue;
            }
            let point = (copy * n + i) as u64;
            let mut w: Vec<f32> = v
                .iter()
                .enumerate()
                .map(|(d, x)| x + noise * gaussian(point * dim as u64 + d as u64))
                .collect();
            let norm = w.iter().map(|x| x * x).sum::<f32>().sqrt();
            w.iter_mut().for_each(|x| *x /= norm);
            all.extend_from_slice(&w);
        }
    }
    let base = (0..n as u32).map(|i| payload(&catalog, i)).collect();
    let points = Scaled { dim, all, base };
    drop(vectors);
    let rss_before = rss_kb("VmRSS:");

    let _ = std::fs::remove_dir_all(&dir);
    let mode = SearchMode {
        exact: false,
        hnsw_ef: efs[0],
    };
    let progress = std::sync::Arc::new(Progress::default());
    let cpu_before = cpu_seconds();
    let t = Instant::now();
    // Report each stage of the load as it starts (upload, then the graph build).
    let watcher = {
        let progress = progress.clone();
        std::thread::spawn(move || {
            let mut last = "";
            while std::sync::Arc::strong_count(&progress) > 1 {
                let (stage, _, _) = progress.snapshot();
                if stage != last {
                    eprintln!("{:7.1} s  {stage}", t.elapsed().as_secs_f64());
                    last = stage;
                }
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        })
    };
    let qdrant_url = arg(&args, "--qdrant-url");
    // Kept alive while a remote store is searched (its calls block on this runtime).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut store = match &qdrant_url {
        None => Store::Edge(EdgeStore::create(&dir, &points, mode, &graph, &progress)?),
        Some(urls) => {
            let options = RemoteOptions {
                shards: arg(&args, "--shards").map(|v| v.parse()).transpose()?,
                replicas: arg(&args, "--replicas").map(|v| v.parse()).transpose()?,
                timeout: std::time::Duration::from_secs(30),
            };
            let created = RemoteStore::create(
                urls,
                "atelier-store-scale",
                &points,
                mode,
                &options,
                &progress,
            );
            let store = runtime.block_on(created)?;
            let l = store.layout();
            eprintln!(
                "remote: {} shards × {} copies on {} peers",
                l.shards, l.replicas, l.peers
            );
            Store::Remote(store)
        }
    };
    let load_s = t.elapsed().as_secs_f64();
    let load_cpu_s = cpu_seconds() - cpu_before;
    drop(progress);
    let _ = watcher.join();
    let rss_after = rss_kb("VmRSS:");
    // Resident memory not backed by files (Qdrant's mmapped storage counts in VmRSS).
    let anon_after = rss_kb("RssAnon:");
    let hwm = rss_kb("VmHWM:");
    eprintln!("loaded in {load_s:.1} s ({load_cpu_s:.1} s of CPU)");

    let embedder = catalog
        .searcher
        .embedder()
        .ok_or_else(|| anyhow::anyhow!("the index has no model"))?;
    let texts: Vec<String> = std::fs::read_to_string(&queries)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let dot = |q: &[f32], i: usize| -> f32 {
        q.iter()
            .zip(&points.all[i * dim..(i + 1) * dim])
            .map(|(a, b)| a * b)
            .sum()
    };
    let k = 10;
    let embedded: Vec<Vec<f32>> = texts
        .iter()
        .map(|text| embedder.embed(text))
        .collect::<Result<_, _>>()?;
    let cases = std::iter::once(None).chain(filters.iter().map(Some));
    for filter in cases {
        let clauses: Vec<(String, Vec<String>)> = filter
            .map(|(facet, value)| vec![(facet.clone(), vec![value.clone()])])
            .unwrap_or_default();
        let matches: Vec<bool> = (0..total)
            .map(|i| {
                filter.is_none_or(|(facet, value)| {
                    points.base[i % n][facet].as_str() == Some(value.as_str())
                })
            })
            .collect();
        let share = matches.iter().filter(|&&m| m).count() as f64 / total as f64;
        // The exact f32 top k (and the score after it) of every query, once.
        let t = Instant::now();
        let exact: Vec<(Vec<(f32, usize)>, f32)> = embedded
            .iter()
            .map(|q| {
                let mut all: Vec<(f32, usize)> = (0..total)
                    .filter(|&i| matches[i])
                    .map(|i| (dot(q, i), i))
                    .collect();
                all.select_nth_unstable_by(k, |a, b| b.0.total_cmp(&a.0));
                let next = all[k].0;
                all.truncate(k);
                (all, next)
            })
            .collect();
        eprintln!("exact search: {:.1} s", t.elapsed().as_secs_f64());
        for &hnsw_ef in &efs {
            store.set_mode(SearchMode {
                exact: false,
                hnsw_ef,
            });
            let mut times = Vec::new();
            let mut recall = 0.0;
            // Recall counting an article that ties the 10th exact score (identical texts
            // embed identically: an exact search's choice among them is arbitrary) as found.
            let mut recall_ties = 0.0;
            let mut tied_queries = 0;
            for (q, (top, next)) in embedded.iter().zip(&exact) {
                let t = Instant::now();
                let got = store.get().nearest(q, overfetch(k), &clauses)?;
                times.push(t.elapsed().as_secs_f64() * 1e3);
                // The store's candidates re-scored exactly (as the server re-scores them).
                let mut cand: Vec<(f32, usize)> = got
                    .iter()
                    .map(|&(i, _)| (dot(q, i as usize), i as usize))
                    .collect();
                cand.sort_by(|a, b| b.0.total_cmp(&a.0));
                cand.truncate(k);
                let tenth = top.iter().map(|e| e.0).fold(f32::INFINITY, f32::min);
                if *next >= tenth - 1e-6 {
                    tied_queries += 1;
                }
                let want: std::collections::HashSet<usize> = top.iter().map(|e| e.1).collect();
                recall += cand.iter().filter(|c| want.contains(&c.1)).count() as f64 / k as f64;
                recall_ties += cand
                    .iter()
                    .filter(|c| want.contains(&c.1) || c.0 >= tenth - 1e-6)
                    .count() as f64
                    / k as f64;
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{{\"store\": \"{}\", \"points\": {total}, \"filter\": {}, \"filter_share\": {share:.3}, \"queries\": {}, \"recall_at_10\": {:.4}, \"recall_at_10_ties\": {:.4}, \"queries_tied_at_10th\": {tied_queries}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}, \"load_seconds\": {load_s:.1}, \"load_cpu_seconds\": {load_cpu_s:.1}, \"store_bytes\": {}, \"rss_mb_before_load\": {}, \"rss_mb_after_load\": {}, \"anon_rss_mb_after_load\": {}, \"peak_rss_mb\": {}, \"hnsw_ef\": {hnsw_ef}, \"noise\": {noise}, \"m\": {}, \"ef_construct\": {}, \"int8\": {}, \"facet_m\": {}, \"derived_links\": {}, \"full_scan_kb\": {}}}",
                if qdrant_url.is_some() { "remote" } else { "edge" },
                filter.map_or("null".into(), |(f, v)| format!("\"{f}={v}\"")),
                texts.len(),
                recall / texts.len() as f64,
                recall_ties / texts.len() as f64,
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                dir_bytes(&dir),
                rss_before / 1024,
                rss_after / 1024,
                anon_after / 1024,
                hwm / 1024,
                graph.m,
                graph.ef_construct,
                graph.int8,
                graph.facet_m,
                graph.derived_links,
                graph.full_scan_kb,
            );
        }
    }
    let keep = args.iter().any(|a| a == "--keep");
    match store {
        Store::Remote(store) => {
            if !keep {
                runtime.block_on(store.delete())?;
            }
            return Ok(());
        }
        Store::Edge(store) => drop(store),
    }
    reopen(&dir)?;
    if keep {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
