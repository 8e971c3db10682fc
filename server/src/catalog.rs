//! The index the server answers from, opened through the engine's one loader (as
//! `indexer search` and the browser's worker open it: int8 vectors for scoring, the
//! model the index ships) plus every article's metadata in memory and the index version.

use crate::error::ServerError;
use atelier_engine::catalog::Article;
use atelier_engine::index::Vectors;
use atelier_engine::{Index, Part, Searcher};
use atelier_folder::{FolderError, IndexFolder};
use serde::Serialize;
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
    pub searcher: Searcher,
    pub version: IndexVersion,
    folder: IndexFolder,
    articles: Vec<Article>,
    by_id: HashMap<String, u32>,
}

impl From<FolderError> for ServerError {
    fn from(e: FolderError) -> Self {
        ServerError::Index(e.to_string())
    }
}

/// Opens the index folder and returns it with the index version.
pub fn open(dir: &Path) -> Result<(IndexFolder, IndexVersion), ServerError> {
    let folder = IndexFolder::open(dir)?;
    let m = folder.loader().manifest();
    let version = IndexVersion {
        id: folder.loader().version().to_string(),
        format_version: m.format_version,
        articles: m.articles,
        created_unix: m.build.created_unix,
    };
    Ok((folder, version))
}

impl Catalog {
    /// Loads the index in `dir` (graph, facets, keywords, model, every shard).
    pub fn load(dir: &Path) -> Result<Self, ServerError> {
        let (folder, version) = open(dir)?;
        let searcher = folder.searcher(&[Part::Codes, Part::Points, Part::Model], None)?;
        let articles = folder.all_articles()?;
        let by_id = articles
            .iter()
            .enumerate()
            .map(|(i, a)| (a.article_id.clone(), i as u32))
            .collect();
        Ok(Self {
            dir: dir.to_path_buf(),
            searcher,
            version,
            folder,
            articles,
            by_id,
        })
    }

    pub fn index(&self) -> &Index {
        self.searcher.index()
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
        let file = &self.folder.loader().manifest().files.vectors;
        let bytes = self.folder.read(file)?;
        let v = Vectors::decode(file, &bytes).map_err(|e| ServerError::Index(e.to_string()))?;
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
