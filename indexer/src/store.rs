//! Opening an index folder (through `atelier-folder`, the engine's one loader), and
//! `indexer verify`.

use anyhow::{Context, Result};
use atelier_engine::format::{self, FileKind};
use atelier_engine::index::FileSet;
use atelier_engine::{Part, Searcher};
use atelier_folder::IndexFolder;
use std::path::Path;
use std::process::ExitCode;

/// Opens the index in `dir` (its manifest, checked).
pub fn open(dir: &Path) -> Result<IndexFolder> {
    Ok(IndexFolder::open(dir)?)
}

/// The index in `dir` with the given parts loaded (the lexical part always).
pub fn searcher(
    dir: &Path,
    parts: &[Part],
    ef_search: Option<usize>,
) -> Result<(IndexFolder, Searcher)> {
    let folder = open(dir)?;
    let searcher = folder
        .searcher(parts, ef_search)
        .with_context(|| format!("loading the index in {}", dir.display()))?;
    Ok((folder, searcher))
}

/// `indexer verify`: checks every file; prints each problem; fails if there is any.
pub fn verify(dir: &Path) -> Result<ExitCode> {
    let folder = open(dir)?;
    let manifest = folder.loader().manifest().clone();
    let mut problems = Vec::new();
    let mut bytes_total = 0u64;
    for (file, kind) in manifest.files.all() {
        let bytes = match folder.read(file) {
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
            if let Err(e) = folder.loader().shard(n, &bytes) {
                problems.push(format!("{e:#}"));
            }
        }
    }
    // Each set's members, together, are the ones its hash names.
    for (set, _) in manifest.files.sets() {
        let members: Result<Vec<Vec<u8>>, _> = set.iter().map(|f| folder.read(f)).collect();
        if let Ok(members) = members {
            if FileSet::hash_of(members.iter().map(Vec::as_slice)) != set.hash() {
                problems.push(format!(
                    "the {} files do not hash to {} (a member was replaced or corrupted)",
                    set.stem(),
                    set.hash()
                ));
            }
        }
    }
    if problems.is_empty() {
        // Every part loads together (consistent counts and dimensions).
        let all = [
            Part::Codes,
            Part::Points,
            Part::Graph,
            Part::FullVectors,
            Part::Model,
        ];
        if let Err(e) = folder.searcher(&all, None) {
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
