//! The embedding cache: vectors keyed by a hash of (model, text), so a rebuild after
//! editing a few rows re-embeds only those rows. One file per model; a damaged cache is
//! reported and ignored, never fatal. Its payload does not depend on the index format, so
//! a new index format version keeps the cache.

use anyhow::{Context, Result};
use atelier_engine::format::{self, Codec, FileKind};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub type Key = [u8; 16];

pub struct EmbeddingCache {
    path: Option<PathBuf>,
    model: [u8; 32],
    dim: usize,
    entries: HashMap<Key, Box<[f32]>>,
    added: usize,
}

/// `$ATELIER_CACHE_DIR`, else `$XDG_CACHE_HOME/atelier`, else `~/.cache/atelier`.
pub fn default_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("atelier"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("atelier"))
}

impl EmbeddingCache {
    /// A cache that keeps nothing on disk.
    pub fn disabled(model: [u8; 32], dim: usize) -> Self {
        Self {
            path: None,
            model,
            dim,
            entries: HashMap::new(),
            added: 0,
        }
    }

    /// Opens the cache for `model` in `dir` (empty if absent or unreadable).
    pub fn open(dir: &Path, model: [u8; 32], dim: usize) -> Self {
        let path = dir.join(format!("embeddings-{}.bin", &hex::encode(model)[..16]));
        let mut cache = Self {
            path: Some(path.clone()),
            ..Self::disabled(model, dim)
        };
        match std::fs::read(&path) {
            Ok(bytes) => match cache.decode(&bytes) {
                Ok(()) => {}
                Err(e) => eprintln!(
                    "warning: ignoring the embedding cache {}: {e:#}",
                    path.display()
                ),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => eprintln!(
                "warning: cannot read the embedding cache {}: {e}",
                path.display()
            ),
        }
        cache
    }

    fn decode(&mut self, bytes: &[u8]) -> Result<()> {
        let raw = format::decode_file_any_version(bytes, FileKind::EmbeddingCache)?;
        anyhow::ensure!(raw.len() >= 40, "cache header is missing");
        anyhow::ensure!(raw[..32] == self.model, "cache belongs to another model");
        let dim = u32::from_le_bytes(raw[32..36].try_into()?) as usize;
        let count = u32::from_le_bytes(raw[36..40].try_into()?) as usize;
        anyhow::ensure!(
            dim == self.dim,
            "cache has dimension {dim}, the model {}",
            self.dim
        );
        let entry = 16 + dim * 4;
        anyhow::ensure!(
            raw.len() == 40 + count * entry,
            "cache size does not match its count"
        );
        for chunk in raw[40..].chunks_exact(entry) {
            let key: Key = chunk[..16].try_into()?;
            let v: Box<[f32]> = chunk[16..]
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
                .collect();
            self.entries.insert(key, v);
        }
        Ok(())
    }

    pub fn key(&self, text: &str) -> Key {
        let mut h = Sha256::new();
        h.update(self.model);
        h.update(text.as_bytes());
        h.finalize()[..16].try_into().expect("16 bytes")
    }

    pub fn get(&self, key: &Key) -> Option<&[f32]> {
        self.entries.get(key).map(|v| &v[..])
    }

    pub fn insert(&mut self, key: Key, v: &[f32]) {
        if self.entries.insert(key, v.into()).is_none() {
            self.added += 1;
        }
    }

    /// Writes the cache (atomically) if anything was added.
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        if self.added == 0 {
            return Ok(());
        }
        let mut raw = Vec::with_capacity(40 + self.entries.len() * (16 + self.dim * 4));
        raw.extend_from_slice(&self.model);
        raw.extend_from_slice(&(self.dim as u32).to_le_bytes());
        raw.extend_from_slice(&(self.entries.len() as u32).to_le_bytes());
        for (k, v) in &self.entries {
            raw.extend_from_slice(k);
            for x in v.iter() {
                raw.extend_from_slice(&x.to_le_bytes());
            }
        }
        let bytes = format::encode_file(FileKind::EmbeddingCache, Codec::Stored, &raw);
        let dir = path.parent().context("cache path has no folder")?;
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(&mut tmp, &bytes)?;
        // On disk before it replaces the old cache (a crash leaves one or the other).
        tmp.as_file().sync_all()?;
        tmp.persist(path)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    }
}
