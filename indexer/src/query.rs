//! `indexer search`: queries against an index, embedding with the model the index ships.

use anyhow::{bail, Context, Result};
use atelier_engine::api::SearchResponse;
use atelier_engine::index::Shard;
use atelier_engine::{rank, Article, Embedder, Filter, Index, Mode, Ranked};
use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
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
    /// Ranking: hybrid (vector + keywords + query understanding), vector or keyword.
    #[arg(long, default_value = "hybrid")]
    mode: Mode,
    /// One JSON object per query per line.
    #[arg(long)]
    json: bool,
    /// Facet filter, e.g. --filter colour=Red --filter product_type=Dress (repeatable).
    #[arg(long = "filter", value_name = "FACET=VALUE")]
    filters: Vec<String>,
    /// HNSW candidate list size (default: the index's).
    #[arg(long)]
    ef: Option<usize>,
    /// Embed queries with this model folder instead of the model the index ships.
    #[arg(long)]
    model: Option<PathBuf>,
    /// "More like this": the products nearest to this article id (no query, no model).
    #[arg(long, conflicts_with_all = ["query", "exact", "model"])]
    like: Option<String>,
    /// Queries; none: read one per line from stdin.
    query: Vec<String>,
}

/// Article metadata, read shard by shard as results need it.
struct Shards<'a> {
    dir: &'a Path,
    index: &'a Index,
    loaded: HashMap<usize, Shard>,
}

impl Shards<'_> {
    fn article(&mut self, i: u32) -> Result<&Article> {
        let (shard, pos) = self.index.manifest.shard_of(i);
        if !self.loaded.contains_key(&shard) {
            let s = crate::store::read_shard(self.dir, &self.index.manifest, shard)?;
            self.loaded.insert(shard, s);
        }
        self.loaded[&shard]
            .articles
            .get(pos)
            .with_context(|| format!("article {i} is missing from shard {shard}"))
    }
}

fn parse_filters(index: &Index, raw: &[String]) -> Result<Filter> {
    let mut pairs = Vec::new();
    for f in raw {
        let Some((k, v)) = f.split_once('=') else {
            bail!("--filter {f:?}: expected FACET=VALUE");
        };
        pairs.push((k.trim(), v.trim()));
    }
    Filter::parse(&index.facets, pairs).map_err(|e| {
        let names: Vec<&str> = index
            .facets
            .facets
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        anyhow::anyhow!("{e} (facets: {})", names.join(", "))
    })
}

pub fn run(args: SearchArgs) -> Result<()> {
    if args.k == 0 {
        bail!("--k must be at least 1");
    }
    // Rankings score with the int8 vectors every front end has (the browser does not
    // download the f32 ones); --exact brute-forces the f32 vectors instead.
    let index = crate::store::load_index(&args.index, args.exact, args.ef)?;
    let filter = parse_filters(&index, &args.filters)?;
    if let Some(id) = &args.like {
        return like(&args, &index, &filter, id);
    }
    let embedder = match &args.model {
        Some(dir) => crate::model::load_embedder(Some(dir))?,
        None => crate::store::load_index_model(&args.index, &index.manifest)?,
    };
    let mut shards = Shards {
        dir: &args.index,
        index: &index,
        loaded: HashMap::new(),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut run_one = |q: &str, out: &mut dyn Write| -> Result<()> {
        let (ranked, took_ms) =
            search_one(&index, &embedder, q, args.k, &filter, args.mode, args.exact)?;
        let hits = &ranked.hits;
        if args.json {
            let response = SearchResponse::new(q, took_ms, &ranked, args.mode, |i| {
                shards.article(i).cloned()
            })?;
            writeln!(out, "{}", serde_json::to_string(&response)?)?;
        } else {
            writeln!(out, "{q}  ({} results in {took_ms:.1} ms)", hits.len())?;
            if let Some(n) = &ranked.notice {
                writeln!(out, "     {n}")?;
            }
            for (rank, h) in hits.iter().enumerate() {
                let a = shards.article(h.index)?;
                writeln!(
                    out,
                    "{:>3}. {:.3}  {}  {} · {} · {} · {}",
                    rank + 1,
                    h.score,
                    a.article_id,
                    a.prod_name,
                    a.product_type_name,
                    a.colour_group_name,
                    a.index_group_name
                )?;
            }
        }
        out.flush()?;
        Ok(())
    };
    if args.query.is_empty() {
        for line in std::io::stdin().lock().lines() {
            let line = line.context("reading queries from stdin")?;
            let q = line.trim();
            if !q.is_empty() {
                run_one(q, &mut out)?;
            }
        }
    } else {
        run_one(&args.query.join(" "), &mut out)?;
    }
    Ok(())
}

/// `indexer search --like ID`.
fn like(args: &SearchArgs, index: &Index, filter: &Filter, id: &str) -> Result<()> {
    let shard = index
        .manifest
        .shard_for_id(id)
        .with_context(|| format!("article {id:?} is not in this index"))?;
    let number = crate::store::read_shard(&args.index, &index.manifest, shard)?
        .number_of(id)
        .with_context(|| format!("article {id:?} is not in this index"))?;
    let t = Instant::now();
    let hits = atelier_engine::api::similar_products(index, number, args.k, filter);
    let took_ms = t.elapsed().as_secs_f64() * 1000.0;
    let ranked = Ranked {
        hits,
        ..Default::default()
    };
    let mut shards = Shards {
        dir: &args.index,
        index,
        loaded: HashMap::new(),
    };
    let response = SearchResponse::new(id, took_ms, &ranked, Mode::Vector, |i| {
        shards.article(i).cloned()
    })?;
    if args.json {
        println!("{}", serde_json::to_string(&response)?);
    } else {
        println!(
            "more like {id}  ({} results in {took_ms:.1} ms)",
            response.results.len()
        );
        for (rank, r) in response.results.iter().enumerate() {
            println!(
                "{:>3}. {:.3}  {}  {} · {} · {}",
                rank + 1,
                r.score,
                r.article_id,
                r.prod_name,
                r.product_type_name,
                r.colour_group_name
            );
        }
    }
    Ok(())
}

/// Embeds and ranks one query; returns the ranking and the time taken in milliseconds.
pub fn search_one(
    index: &Index,
    embedder: &Embedder,
    query: &str,
    k: usize,
    filter: &Filter,
    mode: Mode,
    exact: bool,
) -> Result<(Ranked, f64)> {
    let t = Instant::now();
    let v = if mode == Mode::Keyword {
        Vec::new()
    } else {
        embedder.embed(query)?
    };
    let ranked = rank(index, query, &v, k, filter, mode, exact);
    Ok((ranked, t.elapsed().as_secs_f64() * 1000.0))
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

/// `indexer bench`: recall@k of the graph against exact search, and latency percentiles.
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
    let index = crate::store::load_index(&args.index, true, args.ef)?;
    let filter = parse_filters(&index, &args.filters)?;
    let embedder = crate::store::load_index_model(&args.index, &index.manifest)?;
    // What a browser holds: the index without full-precision vectors (int8 scores).
    let t = Instant::now();
    let int8 = crate::store::load_index(&args.index, false, args.ef)?;
    let load_int8_ms = t.elapsed().as_secs_f64() * 1e3;
    let (mut embed_ms, mut graph_ms, mut exact_ms) = (Vec::new(), Vec::new(), Vec::new());
    let mut hybrid_ms = Vec::new();
    let (mut found, mut wanted) = (0usize, 0usize);
    for q in &queries {
        let t = Instant::now();
        let v = embedder.embed(q)?;
        embed_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let approx = index.search(&v, args.k, &filter);
        graph_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let exact = index.search_exact(&v, args.k, &filter);
        exact_ms.push(t.elapsed().as_secs_f64() * 1e3);
        let t = Instant::now();
        let ranked = rank(&int8, q, &v, args.k, &filter, Mode::Hybrid, false);
        hybrid_ms.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(ranked);
        wanted += exact.len();
        found += approx
            .iter()
            .filter(|h| exact.iter().any(|e| e.index == h.index))
            .count();
    }
    for v in [&mut embed_ms, &mut graph_ms, &mut exact_ms, &mut hybrid_ms] {
        v.sort_by(f64::total_cmp);
    }
    let stats = |v: &[f64]| serde_json::json!({"p50_ms": (percentile(v, 0.5) * 1000.0).round() / 1000.0, "p95_ms": (percentile(v, 0.95) * 1000.0).round() / 1000.0});
    let report = serde_json::json!({
        "index": args.index.display().to_string(),
        "articles": index.len(),
        "queries": queries.len(),
        "k": args.k,
        "filters": args.filters,
        "matching": index.count(&filter),
        "ef_search": args.ef.unwrap_or(index.manifest.graph.ef_search as usize),
        "recall_at_k": (found as f64 / wanted.max(1) as f64 * 10000.0).round() / 10000.0,
        "embed": stats(&embed_ms),
        "search_hnsw": stats(&graph_ms),
        "search_exact": stats(&exact_ms),
        "browser_like": {
            "load_without_full_vectors_ms": load_int8_ms.round(),
            "rank_hybrid": stats(&hybrid_ms),
        },
    });
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}
