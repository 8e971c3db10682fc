//! # atelier-folder
//!
//! An index folder on disk, read for the native front ends (the `indexer` binary and
//! `atelier-server`) through the engine's one loader ([`atelier_engine::Loader`]) — the
//! browser's worker fetches the same files and hands them to the same loader. This crate
//! is the file I/O only:
//!
//! - `manifest.json` is read up to [`atelier_engine::loader::MAX_MANIFEST_BYTES`]; the
//!   loader then refuses any file name that is not a plain content-hashed name, so every
//!   read stays inside the folder;
//! - a file's size is checked against the manifest *before* it is read (a manifest
//!   pointing at a huge or endless file cannot make a reader run out of memory), then
//!   its SHA-256;
//! - shards are checked to hold the articles the manifest places in them.
//!
//! [`publish`] writes an index folder so that a failed or killed build never loses the
//! previous one (synced files, one atomic exchange).

pub mod publish;

use atelier_engine::api::SearchResponse;
use atelier_engine::catalog::Article;
use atelier_engine::index::{FileRef, IndexError, Shard};
use atelier_engine::{EmbedError, Loader, Part, Pending, Searcher};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why an index folder could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{dir}: no index here ({path} is missing; build one with `indexer build --catalog PATH --out {dir}`)")]
    Missing { dir: PathBuf, path: PathBuf },
    #[error("{path} is not a regular file")]
    NotAFile { path: PathBuf },
    #[error("{dir}: {source}")]
    Index {
        dir: PathBuf,
        #[source]
        source: IndexError,
    },
    #[error("{dir}: the model cannot be loaded: {source}")]
    Model {
        dir: PathBuf,
        #[source]
        source: EmbedError,
    },
}

/// An index folder with its checked manifest.
#[derive(Debug, Clone)]
pub struct IndexFolder {
    dir: PathBuf,
    loader: Loader,
}

impl IndexFolder {
    /// Reads and checks `DIR/manifest.json`.
    pub fn open(dir: &Path) -> Result<Self, FolderError> {
        let path = dir.join(Loader::manifest_name());
        if !path.exists() {
            return Err(FolderError::Missing {
                dir: dir.to_path_buf(),
                path,
            });
        }
        let bytes = read_at_most(&path, atelier_engine::loader::MAX_MANIFEST_BYTES)?;
        let loader = Loader::new(&bytes).map_err(|source| FolderError::Index {
            dir: dir.to_path_buf(),
            source,
        })?;
        Ok(Self {
            dir: dir.to_path_buf(),
            loader,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn loader(&self) -> &Loader {
        &self.loader
    }

    fn index_error(&self, source: IndexError) -> FolderError {
        FolderError::Index {
            dir: self.dir.clone(),
            source,
        }
    }

    /// Reads one file of the index: its size is checked before reading, its SHA-256
    /// after.
    pub fn read(&self, file: &FileRef) -> Result<Vec<u8>, FolderError> {
        // The loader only admits plain `NAME-HASH.bin` names: this stays in the folder.
        let path = self.dir.join(&file.path);
        let meta = std::fs::metadata(&path).map_err(|source| FolderError::Io {
            path: path.clone(),
            source,
        })?;
        if !meta.is_file() {
            return Err(FolderError::NotAFile { path });
        }
        if meta.len() != file.bytes {
            return Err(self.index_error(IndexError::SizeMismatch {
                file: file.path.clone(),
                expected: file.bytes,
                found: meta.len(),
            }));
        }
        let bytes = read_at_most(&path, file.bytes)?;
        file.check(&bytes).map_err(|e| self.index_error(e))?;
        Ok(bytes)
    }

    /// A searcher over the lexical part plus `parts` (`ef_search`: the graph's beam, the
    /// index's own when `None`).
    pub fn searcher(
        &self,
        parts: &[Part],
        ef_search: Option<usize>,
    ) -> Result<Searcher, FolderError> {
        let f = &self.loader.manifest().files;
        let mut s = self
            .loader
            .lexical(&self.read(&f.facets)?, &self.read(&f.keywords)?)
            .map_err(|e| self.index_error(e))?;
        // Natively every bucket of postings and every facet column is read: a folder
        // answers any query at once.
        for (n, file) in f.postings.iter().enumerate() {
            s.attach_postings(n, &self.read(file)?)
                .map_err(|e| self.index_error(e))?;
        }
        for (n, file) in f.facet_columns.iter().enumerate() {
            s.attach_facet_column(n, &self.read(file)?)
                .map_err(|e| self.index_error(e))?;
        }
        for part in parts {
            match part {
                Part::Lexical | Part::Postings | Part::FacetColumns => {}
                Part::Codes => {
                    s.attach_codes(&self.read(&f.codes)?)
                        .map_err(|e| self.index_error(e))?;
                    if let Some(file) = &f.occasions {
                        s.attach_occasions(&self.read(file)?)
                            .map_err(|e| self.index_error(e))?;
                    }
                }
                // (After the codes: `parts` lists them first.)
                Part::Points => {
                    for (n, file) in f.points.iter().enumerate() {
                        s.attach_points(n, &self.read(file)?)
                            .map_err(|e| self.index_error(e))?;
                    }
                }
                Part::Graph => {
                    s.attach_graph(&self.read(&f.graph)?, ef_search)
                        .map_err(|e| self.index_error(e))?;
                    if let Some(file) = &f.occasions {
                        s.attach_occasions(&self.read(file)?)
                            .map_err(|e| self.index_error(e))?;
                    }
                }
                Part::FullVectors => s
                    .attach_full_vectors(&self.read(&f.vectors)?)
                    .map_err(|e| self.index_error(e))?,
                // (The word files come with the model: a native searcher embeds anything.)
                Part::Words => {}
                Part::Model => {
                    let mut model = self
                        .loader
                        .model_files(
                            &self.read(&f.model_weights)?,
                            &self.read(&f.tokenizer)?,
                            &self.read(&f.model_config)?,
                        )
                        .map_err(|e| self.index_error(e))?;
                    for (n, file) in f.words.iter().enumerate() {
                        let rows = self
                            .loader
                            .word_file(n, &self.read(file)?)
                            .map_err(|e| self.index_error(e))?;
                        model.words.push((n, rows));
                    }
                    s.attach_model(model).map_err(|source| FolderError::Model {
                        dir: self.dir.clone(),
                        source,
                    })?;
                }
            }
        }
        Ok(s)
    }

    /// Shard `n`, checked to hold the articles the manifest places there.
    pub fn shard(&self, n: usize) -> Result<Shard, FolderError> {
        let file = atelier_engine::index::nth(&self.loader.manifest().files.shards, n, "shard")
            .map_err(|e| self.index_error(e))?;
        let bytes = self.read(file)?;
        self.loader
            .shard(n, &bytes)
            .map_err(|e| self.index_error(e))
    }

    /// Every article, in order (each shard checked).
    pub fn all_articles(&self) -> Result<Vec<Article>, FolderError> {
        let m = self.loader.manifest();
        let mut out = Vec::with_capacity(m.articles as usize);
        for n in 0..m.files.shards.len() {
            out.extend(self.shard(n)?.articles);
        }
        Ok(out)
    }

    /// The article number of `article_id` (reads its shard).
    pub fn number_of(&self, searcher: &Searcher, article_id: &str) -> Result<u32, LookupError> {
        let n = searcher.shard_for(article_id)?;
        Ok(searcher.number_in(&self.shard(n)?, article_id)?)
    }
}

/// An article id that could not be found, or a shard that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error(transparent)]
    Search(#[from] atelier_engine::SearchError),
    #[error(transparent)]
    Folder(#[from] FolderError),
}

/// Article metadata read shard by shard, as answers need it.
pub struct ShardCache<'a> {
    folder: &'a IndexFolder,
    loaded: HashMap<usize, Shard>,
}

impl<'a> ShardCache<'a> {
    pub fn new(folder: &'a IndexFolder) -> Self {
        Self {
            folder,
            loaded: HashMap::new(),
        }
    }

    /// The response of `pending`, reading the shards it needs.
    pub fn respond(&mut self, pending: &Pending) -> Result<SearchResponse, FolderError> {
        let manifest = self.folder.loader().manifest();
        for i in pending.needed() {
            let (n, _) = manifest.shard_of(i);
            if !self.loaded.contains_key(&n) {
                let shard = self.folder.shard(n)?;
                self.loaded.insert(n, shard);
            }
        }
        let loaded = &self.loaded;
        pending.respond(|i| {
            let (n, pos) = manifest.shard_of(i);
            loaded
                .get(&n)
                .and_then(|s| s.articles.get(pos))
                .ok_or_else(|| FolderError::Index {
                    dir: self.folder.dir.clone(),
                    source: IndexError::Manifest(format!("no article number {i}")),
                })
        })
    }
}

/// Reads a file, failing rather than reading more than `max` bytes.
fn read_at_most(path: &Path, max: u64) -> Result<Vec<u8>, FolderError> {
    let io = |source| FolderError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(io(std::io::Error::other(format!(
            "larger than the {max} bytes expected"
        ))));
    }
    Ok(bytes)
}
