//! `indexer search`: queries against an index through the engine's one searcher,
//! embedding with the model the index ships; and `indexer bench`.

use anyhow::{bail, Context, Result};
use atelier_engine::api::{SearchResponse, ValidSearch};
use atelier_engine::{rank, Filter, Mode, Part, Searcher};
use atelier_folder::ShardCache;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Args)]
pub struct SearchArgs {
    /// Index folder.
    #[arg(long, default_value = "static-index")]
    index: PathBuf,
    /// Number of results.
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Brute force over full-precision vectors (to measure recall).
    #[arg(long)]
    exact: bool,
    /// Ranking: hybrid (vector + keywords + query understanding), vector, keyword, or
    /// lexical (the hybrid without its vector part: what a browser answers first).
    #[arg(long, default_value = "hybrid")]
    mode: Mode,
    /// One JSON object per query per line.
    #[arg(long)]
    json: bool,
    /// Facet filter, e.g. --filter colour=Red --filter product_type=Dress (repeatable).
    #[arg(long = "filter", value_name = "FACET=VALUE")]
    filters: Vec<String>,
    /// A part of what the query was understood to mean to forget, as a shopper removes it
    /// on the page: without, colour, type, audience, pattern, material, occasion, or a
    /// detail facet such as sleeves (repeatable).
    #[arg(long = "ignore", value_name = "PART")]
    ignore: Vec<String>,
    /// HNSW candidate list size (default: the index's).
    #[arg(long)]
    ef: Option<usize>,
    /// Embed queries with this model folder instead of the model the index ships.
    #[arg(long)]
    model: Option<PathBuf>,
    /// "More like this": the products nearest to this article id (no query, no model).
    #[arg(long, conflicts_with_all = ["query", "exact", "model"])]
    like: Option<String>,
    /// No words: list what the filters select (one card per product, in catalog order)
    /// and how many there are, as a shop's browsing does.
    #[arg(long, conflicts_with_all = ["query", "like"], requires = "filters")]
    browse: bool,
    /// Queries; none: read one per line from stdin.
    query: Vec<String>,
}

fn now_ms() -> f64 {
    thread_local!(static START: Instant = Instant::now());
    START.with(|s| s.elapsed().as_secs_f64() * 1000.0)
}

fn parse_filters(searcher: &Searcher, raw: &[String]) -> Result<Filter> {
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in raw {
        let Some((k, v)) = f.split_once('=') else {
            bail!("--filter {f:?}: expected FACET=VALUE");
        };
        filters
            .entry(k.trim().to_string())
            .or_default()
            .push(v.trim().to_string());
    }
    Ok(searcher.filter(&filters)?)
}

pub fn run(args: SearchArgs) -> Result<()> {
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    // Rankings scan the codes and score with the points every front end has (the
    // browser does not download the f32 ones); --exact brute-forces the f32 vectors
    // instead. The lexical
    // and keyword modes need neither graph nor model (a browser's first answer).
    let vectors = (args.mode.uses_vectors() && !args.browse) || args.like.is_some();
    let mut parts = Vec::new();
    if vectors {
        parts.extend([Part::Codes, Part::Points]);
    }
    if args.exact {
        parts.push(Part::FullVectors);
    }
    if vectors && args.model.is_none() && args.like.is_none() {
        parts.push(Part::Model);
    }
    let (folder, mut searcher) = crate::store::searcher(&args.index, &parts, args.ef)?;
    if let Some(dir) = &args.model {
        searcher.attach_embedder(crate::model::load_embedder(Some(dir))?);
    }
    let filter = parse_filters(&searcher, &args.filters)?;
    let ignore = atelier_engine::api::validate_ignore(&args.ignore)?;
    let mut shards = ShardCache::new(&folder);
    if let Some(id) = &args.like {
        let number = folder.number_of(&searcher, id)?;
        let pending = searcher.similar(id, number, args.k, &filter, now_ms)?;
        let response = shards.respond(&pending)?;
        return print(&response, args.json, &format!("more like {id}"));
    }
    let mut run_one = |q: &str| -> Result<()> {
        let valid = ValidSearch {
            query: q.to_string(),
            k: args.k,
            filter: filter.clone(),
            mode: args.mode,
            ignore: ignore.clone(),
        };
        let pending = searcher.search(&valid, args.exact, now_ms)?;
        print(&shards.respond(&pending)?, args.json, q)
    };
    if args.browse {
        run_one("")?;
    } else if args.query.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading queries from stdin")?;
            let q = line.trim();
            if !q.is_empty() {
                run_one(q)?;
            }
        }
    } else {
        run_one(&args.query.join(" "))?;
    }
    Ok(())
}

/// One answer: a JSON line, or a line per result.
fn print(response: &SearchResponse, json: bool, title: &str) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if json {
        writeln!(out, "{}", serde_json::to_string(response)?)?;
    } else {
        let title = if title.is_empty() { "browse" } else { title };
        let of = response
            .total
            .map(|n| format!(" of {n}"))
            .unwrap_or_default();
        writeln!(
            out,
            "{title}  ({}{of} results in {:.1} ms)",
            response.results.len(),
            response.took_ms
        )?;
        if let Some(n) = &response.notice {
            writeln!(out, "     {n}")?;
        }
        for (rank, r) in response.results.iter().enumerate() {
            writeln!(
                out,
                "{:>3}. {:.3}  {}  {} · {} · {} · {}",
                rank + 1,
                r.score,
                r.article_id,
                r.prod_name,
                r.product_type_name,
                r.colour_group_name,
                r.index_group_name
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Index folder.
    #[arg(long, default_value = "static-index")]
    index: PathBuf,
    /// Queries, one per line.
    #[arg(long, default_value = "bench/queries.txt")]
    queries: PathBuf,
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// HNSW candidate list size (default: the index's).
    #[arg(long)]
    ef: Option<usize>,
    /// Facet filter applied to every query (repeatable).
    #[arg(long = "filter", value_name = "FACET=VALUE")]
    filters: Vec<String>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i]
}

/// `indexer bench`: recall@k of the vector search a browser runs (the codes' candidates
/// re-scored with their points) and of the HNSW graph against exact search, the points a
/// query downloads, and latency percentiles.
pub fn bench(args: BenchArgs) -> Result<()> {
    let text = std::fs::read_to_string(&args.queries)
        .with_context(|| format!("reading {}", args.queries.display()))?;
    let queries: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if queries.is_empty() {
        bail!("{} has no queries", args.queries.display());
    }
    let (folder, full) = crate::store::searcher(
        &args.index,
        &[Part::Graph, Part::FullVectors, Part::Model],
        args.ef,
    )?;
    let filter = parse_filters(&full, &args.filters)?;
    let (index, embedder) = (full.index(), full.embedder().expect("model loaded"));
    // What a browser holds once every partition of points is in.
    let t = Instant::now();
    let (_, browser) = crate::store::searcher(&args.index, &[Part::Codes, Part::Points], None)?;
    let browser = browser.index();
    let load_browser_ms = t.elapsed().as_secs_f64() * 1e3;
    // What it holds on a first visit: the codes, no points (to count what a query fetches).
    let (_, cold) = crate::store::searcher(&args.index, &[Part::Codes], None)?;
    let cold = cold.index();
    let points = &folder.loader().manifest().files.points;
    let mut t_ms: [Vec<f64>; 5] = Default::default();
    let (mut fetched_parts, mut fetched_bytes) = (Vec::new(), Vec::new());
    let (mut found_codes, mut found_graph, mut wanted) = (0usize, 0usize, 0usize);
    let mut timed = |n: usize, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        t_ms[n].push(t.elapsed().as_secs_f64() * 1e3);
    };
    for q in &queries {
        let mut v = Vec::new();
        let mut err = None;
        timed(0, &mut || match embedder.embed(q) {
            Ok(x) => v = x,
            Err(e) => err = Some(e),
        });
        if let Some(e) = err {
            return Err(e.into());
        }
        let (mut codes, mut graph, mut exact) = (Vec::new(), Vec::new(), Vec::new());
        timed(1, &mut || codes = browser.search(&v, args.k, &filter));
        timed(2, &mut || graph = index.search(&v, args.k, &filter));
        timed(3, &mut || exact = index.search_exact(&v, args.k, &filter));
        timed(4, &mut || {
            std::hint::black_box(rank(browser, q, &v, args.k, &filter, Mode::Hybrid, false));
        });
        // The partitions the hybrid ranking reads on a first visit.
        std::hint::black_box(rank(cold, q, &v, args.k, &filter, Mode::Hybrid, false));
        let missing = cold.take_missing_points();
        fetched_parts.push(missing.len() as f64);
        fetched_bytes.push(
            missing
                .iter()
                .filter_map(|&p| points.get(p as usize))
                .map(|f| f.bytes as f64)
                .sum::<f64>(),
        );
        wanted += exact.len();
        let hits = |found: &[atelier_engine::Hit]| {
            found
                .iter()
                .filter(|h| exact.iter().any(|e| e.index == h.index))
                .count()
        };
        found_codes += hits(&codes);
        found_graph += hits(&graph);
    }
    for v in t_ms
        .iter_mut()
        .chain([&mut fetched_parts, &mut fetched_bytes])
    {
        v.sort_by(f64::total_cmp);
    }
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    let stats = |v: &[f64]| serde_json::json!({"p50_ms": round(percentile(v, 0.5)), "p95_ms": round(percentile(v, 0.95))});
    let recall = |found: usize| (found as f64 / wanted.max(1) as f64 * 10000.0).round() / 10000.0;
    let report = serde_json::json!({
        "index": args.index.display().to_string(),
        "articles": index.len(),
        "queries": queries.len(),
        "k": args.k,
        "filters": args.filters,
        "matching": index.count(&filter),
        "recall_at_k": recall(found_codes),
        "recall_at_k_hnsw": recall(found_graph),
        "ef_search": args.ef.unwrap_or(index.manifest.graph.ef_search as usize),
        "embed": stats(&t_ms[0]),
        "search_codes": stats(&t_ms[1]),
        "search_hnsw": stats(&t_ms[2]),
        "search_exact": stats(&t_ms[3]),
        "browser_like": {
            "load_codes_and_points_ms": load_browser_ms.round(),
            "rank_hybrid": stats(&t_ms[4]),
            "first_visit_points_per_query": {
                "partitions_p50": percentile(&fetched_parts, 0.5),
                "partitions_p95": percentile(&fetched_parts, 0.95),
                "bytes_p50": percentile(&fetched_bytes, 0.5),
                "bytes_p95": percentile(&fetched_bytes, 0.95),
                "of_partitions": points.len(),
            },
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
