//! The index the server answers from: read from an index directory exactly as
//! `indexer search` reads it (int8 vectors for scoring, the model the index ships), plus
//! every article's metadata in memory and the index version.

use crate::error::ServerError;
use atelier_engine::catalog::Article;
use atelier_engine::format::FileKind;
use atelier_engine::index::{self, decode_model_file, FileRef, Shard, Vectors};
use atelier_engine::{Embedder, Index, IndexBytes, Manifest};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Identifies one build of an index: the manifest lists every file's SHA-256, so a hash of
/// the manifest changes whenever anything in the index does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndexVersion {
    /// First 16 hex digits of the manifest's SHA-256.
    pub id: String,
    pub format_version: u16,
    pub articles: u32,
    pub created_unix: u64,
}

/// A loaded index with its model and metadata.
pub struct Catalog {
    pub dir: PathBuf,
    pub index: Index,
    pub embedder: Embedder,
    pub version: IndexVersion,
    articles: Vec<Article>,
    by_id: HashMap<String, u32>,
}

fn read_file(dir: &Path, file: &FileRef) -> Result<Vec<u8>, ServerError> {
    let path = dir.join(&file.path);
    let bytes = std::fs::read(&path).map_err(|e| ServerError::io(&path, e))?;
    file.check(&bytes).map_err(|e| ServerError::index(dir, e))?;
    Ok(bytes)
}

/// Reads and checks `manifest.json`; returns it with the index version.
pub fn read_manifest(dir: &Path) -> Result<(Manifest, IndexVersion), ServerError> {
    let path = dir.join(index::MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| ServerError::io(&path, e))?;
    let manifest = Manifest::from_json(&bytes).map_err(|e| ServerError::index(dir, e))?;
    let version = IndexVersion {
        id: hex::encode(&Sha256::digest(&bytes)[..8]),
        format_version: manifest.format_version,
        articles: manifest.articles,
        created_unix: manifest.build.created_unix,
    };
    Ok((manifest, version))
}

impl Catalog {
    /// Loads the index in `dir` (graph, facets, keywords, model, every shard).
    pub fn load(dir: &Path) -> Result<Self, ServerError> {
        let (manifest, version) = read_manifest(dir)?;
        let f = &manifest.files;
        let graph = read_file(dir, &f.graph)?;
        let facets = read_file(dir, &f.facets)?;
        let keywords = read_file(dir, &f.keywords)?;
        let model = |file: &FileRef, kind: FileKind| -> Result<Vec<u8>, ServerError> {
            decode_model_file(file, &read_file(dir, file)?, kind)
                .map_err(|e| ServerError::index(dir, e))
        };
        let config = model(&f.model_config, FileKind::ModelConfig)?;
        let tokenizer = model(&f.tokenizer, FileKind::Tokenizer)?;
        let weights = model(&f.model_weights, FileKind::ModelWeights)?;
        let embedder = Embedder::from_bytes(&config, &tokenizer, weights)?;
        let mut articles = Vec::with_capacity(manifest.articles as usize);
        for (n, file) in f.shards.iter().enumerate() {
            let shard = Shard::decode(file, &read_file(dir, file)?)
                .map_err(|e| ServerError::index(dir, e))?;
            if shard.first as usize != n * manifest.shard_size as usize {
                return Err(ServerError::Inconsistent(format!(
                    "{}: shard {n} starts at article {}",
                    file.path, shard.first
                )));
            }
            articles.extend(shard.articles);
        }
        if articles.len() != manifest.articles as usize {
            return Err(ServerError::Inconsistent(format!(
                "the shards hold {} articles, the manifest says {}",
                articles.len(),
                manifest.articles
            )));
        }
        // Scores come from the int8 vectors, as in `indexer search` and the browser.
        let bytes = IndexBytes {
            graph: &graph,
            facets: &facets,
            keywords: &keywords,
            vectors: None,
        };
        let index = Index::load(manifest, bytes, None).map_err(|e| ServerError::index(dir, e))?;
        let by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.article_id.clone(), i as u32))
            .collect();
        Ok(Self {
            dir: dir.to_path_buf(),
            index,
            embedder,
            version,
            articles,
            by_id,
        })
    }

    /// Article number `i`'s metadata.
    pub fn article(&self, i: u32) -> Result<&Article, ServerError> {
        self.articles
            .get(i as usize)
            .ok_or_else(|| ServerError::Inconsistent(format!("no article number {i}")))
    }

    /// The article number of `article_id`.
    pub fn find(&self, article_id: &str) -> Option<u32> {
        self.by_id.get(article_id).copied()
    }

    pub fn len(&self) -> usize {
        self.articles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.articles.is_empty()
    }

    /// The f32 vectors the indexer wrote (what vector stores are loaded with).
    pub fn read_vectors(&self) -> Result<Vectors, ServerError> {
        let file = &self.index.manifest.files.vectors;
        let bytes = read_file(&self.dir, file)?;
        let v = Vectors::decode(file, &bytes).map_err(|e| ServerError::index(&self.dir, e))?;
        if v.len() != self.len() {
            return Err(ServerError::Inconsistent(format!(
                "{}: {} vectors for {} articles",
                file.path,
                v.len(),
                self.len()
            )));
        }
        Ok(v)
    }
}
