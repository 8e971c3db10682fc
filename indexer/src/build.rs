//! `indexer build`: catalog → embeddings (cached, deduplicated, length-sorted, parallel)
//! → HNSW → index files, written to a temporary folder and renamed into place at the end.

use crate::cache::{self, EmbeddingCache};
use crate::progress::bar;
use anyhow::{bail, Context, Result};
use atelier_engine::graph::Update;
use atelier_engine::index::{self, BuildInfo, BuildParams, Graph, Vectors};
use atelier_engine::occasions::{Descriptions, OccasionVectors};
use atelier_engine::text::embedding_text;
use atelier_engine::{Article, CatalogReader, Embedder};
use atelier_folder::publish::Publish;
use std::collections::{HashMap, HashSet};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

#[derive(clap::Args)]
pub struct BuildArgs {
    /// Catalog in the H&M articles.csv schema (.csv or .csv.gz).
    #[arg(long)]
    catalog: PathBuf,
    /// Output folder (replaced atomically when the build succeeds).
    #[arg(long, default_value = "static-index")]
    out: PathBuf,
    /// Model directory (config.json, tokenizer.json, model.safetensors).
    #[arg(long, env = "ATELIER_MODEL_DIR")]
    model: Option<PathBuf>,
    /// Index only the first N valid articles.
    #[arg(long)]
    limit: Option<usize>,
    /// Skip (and count) malformed rows instead of failing.
    #[arg(long)]
    skip_bad_rows: bool,
    /// Embedding cache folder [default: ~/.cache/atelier].
    #[arg(long, env = "ATELIER_CACHE_DIR")]
    cache_dir: Option<PathBuf>,
    /// Do not read or write the embedding cache.
    #[arg(long)]
    no_cache: bool,
    /// Texts per model call.
    #[arg(long, default_value_t = 32)]
    batch_size: usize,
    /// Parallel embedding workers [default: number of cores].
    #[arg(long)]
    workers: Option<usize>,
    /// Articles per metadata shard (a browser fetches the shards of the cards it shows).
    #[arg(long, default_value_t = atelier_engine::index::BuildParams::default().shard_size)]
    shard_size: u32,
    /// Bits per component of the points that re-score the codes' candidates: 8 (the
    /// int8 vectors' precision) or 6 (three quarters of the bytes, recall@10 0.977 on
    /// the full catalog) [default: 8 up to 20,000 articles, 6 above].
    #[arg(long, value_parser = point_bits)]
    point_bits: Option<u32>,
    /// Build the HNSW graph from scratch even when the index in --out has the same
    /// articles (by default its graph is updated: only changed articles are re-linked).
    #[arg(long)]
    full_graph: bool,
    #[command(flatten)]
    photos: crate::photos::PhotoArgs,
}

/// `--point-bits`: 6 or 8.
fn point_bits(s: &str) -> Result<u32, String> {
    match s {
        "6" => Ok(6),
        "8" => Ok(8),
        _ => Err(format!("{s:?}: the points have 6 or 8 bits per component")),
    }
}

/// Updating the previous graph re-links changed articles one at a time; past this share
/// of the catalog a parallel build from scratch is as fast and links everything anew.
const MAX_UPDATED_SHARE: f64 = 0.1;

/// The graph of the index already in `out`, when it indexes the same articles (the same
/// ids in the same order) with the same graph parameters; `None` (and why, when there is
/// an index) otherwise. A damaged or unreadable previous index is never an error: the
/// graph is then built from scratch.
fn previous_graph(out: &Path, articles: &[Article], params: &BuildParams) -> Option<Graph> {
    let folder = match atelier_folder::IndexFolder::open(out) {
        Ok(f) => f,
        Err(_) if !out.join(index::MANIFEST).exists() => return None,
        Err(e) => {
            eprintln!(
                "graph: building from scratch (the index in {} cannot be read: {e:#})",
                out.display()
            );
            return None;
        }
    };
    let manifest = folder.loader().manifest();
    let why = if manifest.graph != params.graph {
        Some("has other graph parameters".to_string())
    } else if manifest.articles as usize != articles.len() {
        Some(format!(
            "has {} articles, the catalog {}",
            manifest.articles,
            articles.len()
        ))
    } else {
        let same_ids = (0..manifest.files.shards.len()).try_fold(0usize, |at, n| {
            let shard = folder.shard(n).ok()?;
            let ids = shard.articles.iter().map(|a| a.article_id.as_str());
            let end = at + shard.articles.len();
            (end <= articles.len()
                && ids.eq(articles[at..end].iter().map(|a| a.article_id.as_str())))
            .then_some(end)
        });
        (same_ids != Some(articles.len())).then(|| "has other articles".to_string())
    };
    if let Some(why) = why {
        eprintln!(
            "graph: building from scratch (the index in {} {why})",
            out.display()
        );
        return None;
    }
    let file = &manifest.files.graph;
    let graph = folder.read(file).map_err(anyhow::Error::from);
    match graph.and_then(|b: Vec<u8>| Ok(Graph::decode(file, &b, None)?)) {
        Ok(g) => Some(g),
        Err(e) => {
            eprintln!("graph: building from scratch (the previous graph cannot be read: {e:#})");
            None
        }
    }
}

/// Opens a catalog, decompressing gzip (detected by its magic bytes).
pub fn open_catalog(path: &Path) -> Result<CatalogReader<Box<dyn Read>>> {
    let mut file = BufReader::new(
        std::fs::File::open(path)
            .with_context(|| format!("cannot open the catalog {}", path.display()))?,
    );
    let gz = {
        use std::io::BufRead;
        file.fill_buf()?.starts_with(&[0x1f, 0x8b])
    };
    let reader: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(file))
    } else {
        Box::new(file)
    };
    Ok(CatalogReader::new(path.display().to_string(), reader)?)
}

/// Reads valid articles; row errors fail the build or, with `skip`, are counted.
pub fn read_catalog(
    path: &Path,
    limit: Option<usize>,
    skip: bool,
) -> Result<(Vec<Article>, u64, u64)> {
    let mut articles = Vec::new();
    let mut seen = HashSet::new();
    let (mut read, mut skipped) = (0u64, 0u64);
    for row in open_catalog(path)? {
        if limit.is_some_and(|l| articles.len() >= l) {
            break;
        }
        read += 1;
        let article = match row {
            Ok(a) if !seen.contains(&a.article_id) => a,
            Ok(a) => {
                let msg = format!("{}: duplicate article_id {}", path.display(), a.article_id);
                if !skip {
                    bail!("{msg} (use --skip-bad-rows to skip such rows)");
                }
                skipped += 1;
                if skipped <= 10 {
                    eprintln!("skipping: {msg}");
                }
                continue;
            }
            Err(e) if skip && e.is_row_error() => {
                skipped += 1;
                if skipped <= 10 {
                    eprintln!("skipping: {e}");
                }
                continue;
            }
            Err(e) if e.is_row_error() => bail!("{e} (use --skip-bad-rows to skip malformed rows)"),
            Err(e) => return Err(e.into()),
        };
        seen.insert(article.article_id.clone());
        articles.push(article);
    }
    if skipped > 10 {
        eprintln!("… and {} more", skipped - 10);
    }
    if articles.is_empty() {
        bail!("{}: the catalog has no articles", path.display());
    }
    Ok((articles, read, skipped))
}

/// Embeds `texts` (distinct) with length-sorted batches on `workers` threads.
/// Sets up `workers` embedding threads (default: one per core) and returns their number.
/// Call before any other thread starts.
pub fn configure_workers(workers: Option<usize>) -> usize {
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let workers = workers.unwrap_or(cores).max(1);
    if workers > 1 {
        // Measured on 2 cores: one single-threaded model per core beats one model whose
        // matrix products use every core (92 vs 68 texts/s). The global rayon pool (graph
        // construction, tokenisation) keeps every core; candle's matmul reads this variable.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(cores)
            .build_global();
        std::env::set_var("RAYON_NUM_THREADS", "1");
    }
    workers
}

pub fn embed_all(
    embedder: &Embedder,
    texts: &[&str],
    batch: usize,
    workers: usize,
) -> Result<Vec<Vec<f32>>> {
    let mut order: Vec<(usize, usize)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (embedder.token_count(t), i))
        .collect();
    order.sort_unstable_by(|a, b| b.cmp(a));
    let batches: Vec<Vec<usize>> = order
        .chunks(batch.max(1))
        .map(|c| c.iter().map(|x| x.1).collect())
        .collect();
    let progress = bar(texts.len() as u64, "embedding");
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Vec<f32>>>> = Mutex::new(vec![None; texts.len()]);
    let error: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    std::thread::scope(|s| {
        for _ in 0..workers.max(1) {
            s.spawn(|| loop {
                let b = next.fetch_add(1, Ordering::Relaxed);
                let Some(ids) = batches.get(b) else { break };
                if error.lock().expect("lock").is_some() {
                    break;
                }
                let batch_texts: Vec<&str> = ids.iter().map(|&i| texts[i]).collect();
                match embedder.embed_batch(&batch_texts) {
                    Ok(vs) => {
                        let mut r = results.lock().expect("lock");
                        for (&i, v) in ids.iter().zip(vs) {
                            r[i] = Some(v);
                        }
                        progress.inc(ids.len() as u64);
                    }
                    Err(e) => {
                        *error.lock().expect("lock") = Some(e.into());
                        break;
                    }
                }
            });
        }
    });
    progress.finish();
    if let Some(e) = error.into_inner().expect("lock") {
        return Err(e.context("embedding failed"));
    }
    Ok(results
        .into_inner()
        .expect("lock")
        .into_iter()
        .map(|v| v.expect("every batch ran"))
        .collect())
}

pub fn run(args: BuildArgs) -> Result<()> {
    let started = Instant::now();
    let workers = configure_workers(args.workers);
    let out = args.out.clone();
    // Restores an index an interrupted build moved aside, refuses to replace anything
    // that is not an index, and opens the hidden folder the new one is written to.
    args.photos.check()?;
    let publish = Publish::begin(&out)?;
    // Fail early on a missing model, before reading a large catalog.
    let model = crate::model::read_model(args.model.as_deref())?;
    let (mut articles, rows_read, rows_skipped) =
        read_catalog(&args.catalog, args.limit, args.skip_bad_rows)?;
    // Article numbers follow article ids, so a client finds an id's shard from the
    // manifest alone (H&M's file is already in this order: then this is a no-op).
    articles.sort_by(|a, b| a.article_id.cmp(&b.article_id));
    eprintln!(
        "read {} articles from {}{}",
        articles.len(),
        args.catalog.display(),
        if rows_skipped > 0 {
            format!(" ({rows_skipped} bad rows skipped)")
        } else {
            String::new()
        }
    );

    let embedder = crate::model::embedder_from(&model)?;
    let dim = embedder.dim();
    let fingerprint = crate::model::fingerprint(&model);
    let mut cache = match (&args.cache_dir, args.no_cache) {
        (_, true) => EmbeddingCache::disabled(fingerprint, dim),
        (Some(dir), false) => EmbeddingCache::open(dir, fingerprint, dim),
        (None, false) => match cache::default_dir() {
            Some(dir) => EmbeddingCache::open(&dir, fingerprint, dim),
            None => EmbeddingCache::disabled(fingerprint, dim),
        },
    };

    // Each distinct text is embedded once; cached texts not at all.
    let texts: Vec<String> = articles.iter().map(embedding_text).collect();
    let mut slot_of: HashMap<&str, usize> = HashMap::new();
    let mut distinct: Vec<&str> = Vec::new();
    let article_slot: Vec<usize> = texts
        .iter()
        .map(|t| {
            *slot_of.entry(t.as_str()).or_insert_with(|| {
                distinct.push(t.as_str());
                distinct.len() - 1
            })
        })
        .collect();
    let keys: Vec<_> = distinct.iter().map(|t| cache.key(t)).collect();
    let missing: Vec<usize> = (0..distinct.len())
        .filter(|&i| cache.get(&keys[i]).is_none())
        .collect();
    eprintln!(
        "{} distinct texts: {} cached, {} to embed",
        distinct.len(),
        distinct.len() - missing.len(),
        missing.len()
    );
    let missing_texts: Vec<&str> = missing.iter().map(|&i| distinct[i]).collect();
    let embed_started = Instant::now();
    let fresh = embed_all(&embedder, &missing_texts, args.batch_size, workers)?;
    let embed_seconds = embed_started.elapsed().as_secs_f64();
    for (&i, v) in missing.iter().zip(&fresh) {
        cache.insert(keys[i], v);
    }
    if !missing.is_empty() {
        eprintln!(
            "embedded {} texts in {:.1}s ({:.1} texts/s)",
            missing.len(),
            embed_seconds,
            missing.len() as f64 / embed_seconds.max(1e-9)
        );
    }
    if let Err(e) = cache.save() {
        eprintln!("warning: could not save the embedding cache: {e:#}");
    }
    let mut data = Vec::with_capacity(articles.len() * dim);
    for &slot in &article_slot {
        data.extend_from_slice(cache.get(&keys[slot]).expect("embedded or cached"));
    }
    let vectors = Vectors { dim, data };

    let mut params = BuildParams {
        shard_size: args.shard_size.max(1),
        ..BuildParams::default()
    };
    params.codes.point_bits =
        atelier_engine::codes::point_bits(args.point_bits.unwrap_or(0), articles.len());
    let graph_started = Instant::now();
    let previous = (!args.full_graph)
        .then(|| previous_graph(&out, &articles, &params))
        .flatten();
    let max_changed = (MAX_UPDATED_SHARE * articles.len() as f64) as usize;
    let update = previous
        .map(|old| old.update(&vectors, params.graph.ef_construction as usize, max_changed));
    let graph = match update {
        Some(Update::Updated { graph, changed }) => {
            eprintln!(
                "graph: updated the previous index's graph ({changed} of {} articles re-linked)",
                articles.len()
            );
            graph
        }
        other => {
            if let Some(Update::TooManyChanged(changed)) = other {
                eprintln!(
                    "graph: building from scratch ({changed} of {} articles changed, over {:.0} %)",
                    articles.len(),
                    MAX_UPDATED_SHARE * 100.0
                );
            }
            let graph_bar = bar(articles.len() as u64, "graph");
            let graph = Graph::build(
                &vectors,
                &params.graph,
                instant_distance::Builder::default().progress(graph_bar.clone()),
            );
            graph_bar.finish();
            graph
        }
    };
    let graph_seconds = graph_started.elapsed().as_secs_f64();

    let codes_started = Instant::now();
    let trained = atelier_engine::codes::train(
        &vectors,
        params.codes.m as usize,
        params.codes.partitions as usize,
        params.graph.seed,
        params.codes.point_bits,
        &|step| eprintln!("{step}"),
    );
    eprintln!(
        "codes: {} partitions of points in {:.1}s",
        trained.codes.partitions(),
        codes_started.elapsed().as_secs_f64()
    );

    let info = BuildInfo {
        tool: format!("atelier-indexer {}", env!("CARGO_PKG_VERSION")),
        created_unix: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0),
        catalog: args
            .catalog
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        rows_read,
        rows_skipped,
        distinct_texts: distinct.len() as u64,
        embedded: missing.len() as u64,
        cache_hits: (distinct.len() - missing.len()) as u64,
        seconds: 0.0,
    };
    let occasions = occasion_vectors(&embedder)?;
    let mut built = index::assemble(
        &articles,
        &vectors,
        &graph,
        &trained.codes,
        &trained.points,
        &model,
        &params,
        info,
        Some(&occasions),
    )?;
    built.manifest.photos = args.photos.write(&articles, &publish)?;
    built.manifest.build.seconds = (started.elapsed().as_secs_f64() * 10.0).round() / 10.0;
    write_files(publish, &built)?;
    let total: u64 = built.files.iter().map(|f| f.1.len() as u64).sum();
    eprintln!(
        "wrote {} ({} articles, {} files, {:.1} MB) in {:.1}s (embedding {:.1}s, graph {:.1}s)",
        out.display(),
        articles.len(),
        built.files.len() + 1,
        total as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        embed_seconds,
        graph_seconds
    );
    Ok(())
}

/// The occasion descriptions (`engine/data/occasions.json`) embedded with the articles'
/// model, for the index's occasions file.
fn occasion_vectors(embedder: &Embedder) -> Result<OccasionVectors> {
    let descriptions = Descriptions::builtin();
    let texts: Vec<&str> = descriptions.each().map(|(_, t)| t).collect();
    let mut vectors = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(64) {
        vectors.extend(embedder.embed_batch(chunk)?);
    }
    let rows: Vec<(&str, Vec<f32>)> = descriptions.each().map(|(n, _)| n).zip(vectors).collect();
    Ok(OccasionVectors::new(
        embedder.dim(),
        descriptions.threshold,
        descriptions.strong,
        &rows,
    ))
}

/// Writes every file into the staging folder (synced), then the manifest, then swaps
/// the new folder into place in one step ([`atelier_folder::publish`]): a failure or a
/// kill before that leaves the previous index (or nothing) as it was.
fn write_files(publish: Publish, built: &index::BuiltIndex) -> Result<()> {
    let write_bar = bar(built.files.len() as u64 + 1, "writing");
    for (file, bytes) in &built.files {
        publish.write(file, bytes)?;
        write_bar.inc(1);
    }
    publish.commit(&built.manifest.to_json())?;
    write_bar.finish_and_clear();
    Ok(())
}

/// `indexer texts`: the embedding text of each article, one JSON string per line.
pub fn print_texts(catalog: &Path, limit: Option<usize>, distinct: bool) -> Result<()> {
    let (articles, _, _) = read_catalog(catalog, limit, true)?;
    let mut seen = HashSet::new();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for a in &articles {
        let t = embedding_text(a);
        if distinct && !seen.insert(t.clone()) {
            continue;
        }
        std::io::Write::write_all(
            &mut out,
            format!("{}\n", serde_json::to_string(&t)?).as_bytes(),
        )?;
    }
    Ok(())
}

/// `indexer embed-bench`: times embedding a JSONL file of texts, prints one JSON line.
pub fn embed_bench(
    texts: &Path,
    model: Option<&Path>,
    limit: Option<usize>,
    batch_size: usize,
    workers: Option<usize>,
) -> Result<()> {
    let workers = configure_workers(workers);
    let raw =
        std::fs::read_to_string(texts).with_context(|| format!("reading {}", texts.display()))?;
    let mut all: Vec<String> = Vec::new();
    for (n, line) in raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let text = serde_json::from_str(line).with_context(|| {
            format!(
                "{}: line {}: expected a JSON string",
                texts.display(),
                n + 1
            )
        })?;
        all.push(text);
    }
    if let Some(l) = limit {
        all.truncate(l);
    }
    let t = std::time::Instant::now();
    let embedder = crate::model::load_embedder(model)?;
    let load = t.elapsed().as_secs_f64();
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let t = std::time::Instant::now();
    embed_all(&embedder, &refs, batch_size, workers)?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "peer": "atelier (candle)",
            "version": env!("CARGO_PKG_VERSION"),
            "texts": all.len(),
            "seconds": (secs * 1000.0).round() / 1000.0,
            "texts_per_second": (all.len() as f64 / secs * 10.0).round() / 10.0,
            "load_seconds": (load * 1000.0).round() / 1000.0,
            "workers": workers,
            "batch_size": batch_size,
        })
    );
    Ok(())
}
