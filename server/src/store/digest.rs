//! What an embedded store's directory held when its load completed: every file's path,
//! size and SHA-256. Checked before the store is opened again, so that a file deleted,
//! truncated, zeroed or flipped since then is found before Qdrant reads it (a damaged id
//! tracker can make it allocate without bound and abort the process) and the store is
//! rebuilt from the index instead.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// One file of a store directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileDigest {
    /// Relative to the directory, `/`-separated.
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
}

/// The first difference between a directory and its recorded digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Missing(String),
    Added(String),
    Resized { path: String, was: u64, now: u64 },
    Modified(String),
    Unreadable { path: String, error: String },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Missing(p) => write!(f, "{p} is missing"),
            Change::Added(p) => write!(f, "{p} was not there when the store was loaded"),
            Change::Resized { path, was, now } => {
                write!(f, "{path} has {now} bytes instead of {was}")
            }
            Change::Modified(p) => write!(f, "{p} has other content"),
            Change::Unreadable { path, error } => write!(f, "{path} cannot be read: {error}"),
        }
    }
}

/// The files under `dir` (recursively, sorted by path), skipping the names in `skip`.
fn files(dir: &Path, skip: &[&str]) -> std::io::Result<Vec<(String, PathBuf)>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let kind = entry.file_type()?;
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            if skip.contains(&rel.as_str()) {
                continue;
            }
            if kind.is_dir() {
                pending.push(path);
            } else {
                out.push((rel, path));
            }
        }
    }
    out.sort();
    Ok(out)
}

fn sha256_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// The SHA-256 of each of `paths`, in order, hashed on every core (largest files first,
/// each one's size read once, so that one large file does not finish last alone): a
/// million-point store is ≈ 3 GB.
fn sha256_files(paths: &[PathBuf]) -> Vec<std::io::Result<String>> {
    let mut order: Vec<usize> = (0..paths.len()).collect();
    order.sort_by_cached_key(|&i| {
        std::cmp::Reverse(std::fs::metadata(&paths[i]).map_or(0, |m| m.len()))
    });
    let next = AtomicUsize::new(0);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(paths.len().max(1));
    let mut out: Vec<Option<std::io::Result<String>>> = paths.iter().map(|_| None).collect();
    let done: Vec<Vec<(usize, std::io::Result<String>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed)) {
                        mine.push((i, sha256_file(&paths[i])));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(std::io::Error::other("not hashed"))))
        .collect()
}

/// The digest of every file under `dir` except `skip`.
pub fn of_dir(dir: &Path, skip: &[&str]) -> std::io::Result<Vec<FileDigest>> {
    let (rels, paths): (Vec<String>, Vec<PathBuf>) = files(dir, skip)?.into_iter().unzip();
    let hashes = sha256_files(&paths);
    rels.into_iter()
        .zip(&paths)
        .zip(hashes)
        .map(|((rel, path), sha256)| {
            Ok(FileDigest {
                path: rel,
                bytes: std::fs::metadata(path)?.len(),
                sha256: sha256?,
            })
        })
        .collect()
}

/// The first way `dir` differs from `recorded` (sizes are compared before any content is
/// read), or `None` when it holds exactly those files.
pub fn first_change(dir: &Path, recorded: &[FileDigest], skip: &[&str]) -> Option<Change> {
    let present = match files(dir, skip) {
        Ok(f) => f,
        Err(e) => {
            return Some(Change::Unreadable {
                path: ".".into(),
                error: e.to_string(),
            })
        }
    };
    let names: std::collections::BTreeSet<&str> =
        present.iter().map(|(rel, _)| rel.as_str()).collect();
    if let Some(f) = recorded.iter().find(|f| !names.contains(f.path.as_str())) {
        return Some(Change::Missing(f.path.clone()));
    }
    let known: std::collections::BTreeSet<&str> =
        recorded.iter().map(|f| f.path.as_str()).collect();
    if let Some((rel, _)) = present
        .iter()
        .find(|(rel, _)| !known.contains(rel.as_str()))
    {
        return Some(Change::Added(rel.clone()));
    }
    for f in recorded {
        let path = dir.join(&f.path);
        match std::fs::metadata(&path) {
            Ok(m) if m.len() != f.bytes => {
                return Some(Change::Resized {
                    path: f.path.clone(),
                    was: f.bytes,
                    now: m.len(),
                })
            }
            Ok(_) => {}
            Err(e) => {
                return Some(Change::Unreadable {
                    path: f.path.clone(),
                    error: e.to_string(),
                })
            }
        }
    }
    let paths: Vec<PathBuf> = recorded.iter().map(|f| dir.join(&f.path)).collect();
    for (f, hash) in recorded.iter().zip(sha256_files(&paths)) {
        match hash {
            Ok(h) if h == f.sha256 => {}
            Ok(_) => return Some(Change::Modified(f.path.clone())),
            Err(e) => {
                return Some(Change::Unreadable {
                    path: f.path.clone(),
                    error: e.to_string(),
                })
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_change_is_found_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("segment")).unwrap();
        std::fs::write(d.join("segment/vectors"), [1u8; 64]).unwrap();
        std::fs::write(d.join("version.info"), b"1").unwrap();
        std::fs::write(d.join("marker.json"), b"{}").unwrap();
        let recorded = of_dir(d, &["marker.json"]).unwrap();
        assert_eq!(recorded.len(), 2);
        assert_eq!(recorded[0].path, "segment/vectors");
        assert_eq!(first_change(d, &recorded, &["marker.json"]), None);

        std::fs::write(d.join("segment/vectors"), [0u8; 64]).unwrap();
        assert_eq!(
            first_change(d, &recorded, &["marker.json"]),
            Some(Change::Modified("segment/vectors".into()))
        );
        std::fs::write(d.join("segment/vectors"), [1u8; 60]).unwrap();
        assert!(matches!(
            first_change(d, &recorded, &["marker.json"]),
            Some(Change::Resized {
                was: 64,
                now: 60,
                ..
            })
        ));
        std::fs::write(d.join("segment/vectors"), [1u8; 64]).unwrap();
        std::fs::remove_file(d.join("version.info")).unwrap();
        assert_eq!(
            first_change(d, &recorded, &["marker.json"]),
            Some(Change::Missing("version.info".into()))
        );
        std::fs::write(d.join("version.info"), b"1").unwrap();
        std::fs::write(d.join("segment/stray"), b"x").unwrap();
        assert_eq!(
            first_change(d, &recorded, &["marker.json"]),
            Some(Change::Added("segment/stray".into()))
        );
        std::fs::remove_dir_all(d.join("segment")).unwrap();
        assert_eq!(
            first_change(d, &recorded, &["marker.json"]),
            Some(Change::Missing("segment/vectors".into()))
        );
    }
}
