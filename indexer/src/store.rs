//! Reading an index directory from disk, and `indexer verify`.

use anyhow::{Context, Result};
use atelier_engine::format::{self, FileKind};
use atelier_engine::index::{self, decode_model_file, FileRef, ModelBytes, Shard};
use atelier_engine::{Embedder, Index, IndexBytes, Manifest};
use std::path::Path;
use std::process::ExitCode;

pub fn read_manifest(dir: &Path) -> Result<Manifest> {
    let path = dir.join(index::MANIFEST);
    let bytes = std::fs::read(&path).with_context(|| {
        format!(
            "cannot read {} (build an index first: indexer build --catalog PATH --out {})",
            path.display(),
            dir.display()
        )
    })?;
    Manifest::from_json(&bytes).with_context(|| path.display().to_string())
}

pub fn read_file(dir: &Path, file: &FileRef) -> Result<Vec<u8>> {
    let path = dir.join(&file.path);
    let bytes = std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
    file.check(&bytes)?;
    Ok(bytes)
}

/// Loads an index for searching; `full` also loads the f32 vectors for re-scoring.
pub fn load_index(dir: &Path, full: bool, ef_search: Option<usize>) -> Result<Index> {
    let manifest = read_manifest(dir)?;
    let graph = read_file(dir, &manifest.files.graph)?;
    let facets = read_file(dir, &manifest.files.facets)?;
    let keywords = read_file(dir, &manifest.files.keywords)?;
    let vectors = if full {
        Some(read_file(dir, &manifest.files.vectors)?)
    } else {
        None
    };
    let bytes = IndexBytes {
        graph: &graph,
        facets: &facets,
        keywords: &keywords,
        vectors: vectors.as_deref(),
    };
    Index::load(manifest, bytes, ef_search)
        .with_context(|| format!("loading the index in {}", dir.display()))
}

/// The model the index ships (what the browser runs).
pub fn load_index_model(dir: &Path, manifest: &Manifest) -> Result<Embedder> {
    let f = &manifest.files;
    let model = ModelBytes {
        config: decode_model_file(
            &f.model_config,
            &read_file(dir, &f.model_config)?,
            FileKind::ModelConfig,
        )?,
        tokenizer: decode_model_file(
            &f.tokenizer,
            &read_file(dir, &f.tokenizer)?,
            FileKind::Tokenizer,
        )?,
        weights: decode_model_file(
            &f.model_weights,
            &read_file(dir, &f.model_weights)?,
            FileKind::ModelWeights,
        )?,
    };
    crate::model::embedder_from(&model)
}

pub fn read_shard(dir: &Path, manifest: &Manifest, n: usize) -> Result<Shard> {
    let file = manifest
        .files
        .shards
        .get(n)
        .with_context(|| format!("shard {n} is not in the manifest"))?;
    Ok(Shard::decode(file, &read_file(dir, file)?)?)
}

/// `indexer verify`: checks every file; prints each problem; fails if there is any.
pub fn verify(dir: &Path) -> Result<ExitCode> {
    let manifest = read_manifest(dir)?;
    let mut problems = Vec::new();
    let mut bytes_total = 0u64;
    // Each file is read once; the graph, facets, keywords and vectors are kept for the
    // final load check.
    let mut kept: std::collections::HashMap<&str, Vec<u8>> = std::collections::HashMap::new();
    for (file, kind) in manifest.files.all() {
        let bytes = match read_file(dir, file) {
            Ok(b) => b,
            Err(e) => {
                problems.push(format!("{e:#}"));
                continue;
            }
        };
        bytes_total += bytes.len() as u64;
        if let Err(e) = format::decode_file(&bytes, kind) {
            problems.push(format!("{}: {e}", file.path));
            continue;
        }
        if kind == FileKind::Shard {
            let n = manifest
                .files
                .shards
                .iter()
                .position(|s| std::ptr::eq(s, file))
                .expect("listed");
            let start = n * manifest.shard_size as usize;
            let expected = (manifest.articles as usize - start).min(manifest.shard_size as usize);
            match Shard::decode(file, &bytes) {
                Ok(shard) if shard.first as usize == start && shard.articles.len() == expected => {}
                Ok(_) => problems.push(format!("{}: holds the wrong articles", file.path)),
                Err(e) => problems.push(format!("{e:#}")),
            }
        } else if matches!(
            kind,
            FileKind::Graph | FileKind::Facets | FileKind::Keywords | FileKind::Vectors
        ) {
            kept.insert(&file.path, bytes);
        }
    }
    if problems.is_empty() {
        let f = &manifest.files;
        let bytes = IndexBytes {
            graph: &kept[f.graph.path.as_str()],
            facets: &kept[f.facets.path.as_str()],
            keywords: &kept[f.keywords.path.as_str()],
            vectors: Some(&kept[f.vectors.path.as_str()]),
        };
        if let Err(e) = Index::load(manifest.clone(), bytes, None) {
            problems.push(format!("{e:#}"));
        }
    }
    if problems.is_empty() {
        println!(
            "ok: {} ({} articles, {} files, {} bytes, format version {})",
            dir.display(),
            manifest.articles,
            manifest.files.all().len() + 1,
            bytes_total,
            manifest.format_version
        );
        Ok(ExitCode::SUCCESS)
    } else {
        for p in &problems {
            eprintln!("invalid: {p}");
        }
        eprintln!("{} problem(s) in {}", problems.len(), dir.display());
        Ok(ExitCode::FAILURE)
    }
}
