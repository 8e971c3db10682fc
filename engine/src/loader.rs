//! The one loader every front end uses: the indexer and the server read an index folder,
//! the browser's worker fetches the same files, and all three hand their bytes to this
//! module, which checks them the same way and builds the [`Searcher`].
//!
//! Loading is in parts, so a browser can answer before every byte has arrived:
//!
//! | part | files | what it makes possible |
//! | --- | --- | --- |
//! | [`Part::Lexical`] | facets, keywords | query understanding, filters, counts |
//! | [`Part::Postings`] | postings buckets | BM25 scores: a browser fetches the buckets a query needs ([`crate::SearchError::Needs`]) |
//! | [`Part::FacetColumns`] | one column per facet | each article's facet values: filters, facet ranking, counts; fetched the same way |
//! | [`Part::Codes`] | codes, occasions | vector search (every article's compact code), the hybrid ranking, more like this, occasions read by meaning |
//! | [`Part::Points`] | one file of points (residuals of the codes) per partition | re-scoring the codes' candidates: a browser fetches the partitions a query needs ([`crate::SearchError::Needs`]) |
//! | [`Part::Graph`] | graph, occasions | the HNSW graph over every int8 point (`indexer bench` compares it; searches use the codes when attached) |
//! | [`Part::Model`] | model weights, tokenizer, config | embedding queries (with the words their tokens need) |
//! | [`Part::Words`] | one file per 64 token ids of the model's word embeddings | embedding a query: a browser fetches those its tokens fall in (`Embedder::missing_words`); native front ends read them all with the model |
//! | [`Part::FullVectors`] | f32 vectors | exact search and re-scoring (native only) |
//!
//! Metadata shards are read on demand: [`Loader::shard`] checks that a shard holds the
//! articles the manifest says it holds, in order, so a swapped or edited entry is an error
//! rather than the wrong product on a card.

use crate::format::{self, FileKind};
use crate::index::{
    decode_model_file, nth, FileRef, IndexError, Manifest, ModelBytes, Shard, MANIFEST,
};
use crate::searcher::Searcher;
use crate::Index;

/// Largest `manifest.json` accepted (the full catalog's is about 80 kB).
pub const MAX_MANIFEST_BYTES: u64 = 16 << 20;

/// A group of files loaded together (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Lexical,
    Postings,
    FacetColumns,
    Codes,
    Points,
    Graph,
    Model,
    Words,
    FullVectors,
}

/// A checked manifest: the plan of what to read, and the checks of what was read.
#[derive(Debug, Clone)]
pub struct Loader {
    manifest: Manifest,
    version: String,
}

impl Loader {
    /// Parses and checks `manifest.json`: format and version, shard count, every file
    /// name (a plain content-hashed name, so a reader can never be sent outside the
    /// index folder or to a device), and the shards' first ids in ascending order.
    pub fn new(manifest_json: &[u8]) -> Result<Self, IndexError> {
        if manifest_json.len() as u64 > MAX_MANIFEST_BYTES {
            return Err(IndexError::Manifest(format!(
                "{} bytes; at most {MAX_MANIFEST_BYTES} are accepted",
                manifest_json.len()
            )));
        }
        let manifest = Manifest::from_json(manifest_json)?;
        for (file, _) in manifest.files.all() {
            check_name(file)?;
        }
        let ids = &manifest.shard_first_ids;
        if !ids.is_empty() && !ids.windows(2).all(|w| w[0] < w[1]) {
            return Err(IndexError::Manifest(
                "shard_first_ids are not in ascending order".into(),
            ));
        }
        Ok(Self {
            manifest,
            version: format::sha256_hex(manifest_json)[..16].to_string(),
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Identifies this build of the index: the first 16 hex digits of the manifest's
    /// SHA-256 (the manifest lists every file's hash, so any change changes it).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The name of the manifest in an index folder.
    pub fn manifest_name() -> &'static str {
        MANIFEST
    }

    /// The files of one part.
    pub fn files(&self, part: Part) -> Vec<&FileRef> {
        let f = &self.manifest.files;
        match part {
            Part::Lexical => vec![&f.facets, &f.keywords],
            Part::Postings => f.postings.iter().collect(),
            Part::FacetColumns => f.facet_columns.iter().collect(),
            Part::Codes => std::iter::once(&f.codes).chain(&f.occasions).collect(),
            Part::Points => f.points.iter().collect(),
            Part::Graph => std::iter::once(&f.graph).chain(&f.occasions).collect(),
            Part::Model => vec![&f.model_weights, &f.tokenizer, &f.model_config],
            Part::Words => f.words.iter().collect(),
            Part::FullVectors => vec![&f.vectors],
        }
    }

    /// The searcher over the lexical part (`facets`, `keywords`: the files' bytes).
    pub fn lexical(&self, facets: &[u8], keywords: &[u8]) -> Result<Searcher, IndexError> {
        let index = Index::lexical(self.manifest.clone(), facets, keywords)?;
        Ok(Searcher::new(index, self.version.clone()))
    }

    /// The model files decoded (sizes and container checks), for
    /// [`Searcher::attach_model`].
    pub fn model_files(
        &self,
        weights: &[u8],
        tokenizer: &[u8],
        config: &[u8],
    ) -> Result<ModelBytes, IndexError> {
        let f = &self.manifest.files;
        let one = |file: &FileRef, bytes: &[u8], kind| {
            file.check_size(bytes)?;
            decode_model_file(file, bytes, kind)
        };
        Ok(ModelBytes {
            config: one(&f.model_config, config, FileKind::ModelConfig)?,
            tokenizer: one(&f.tokenizer, tokenizer, FileKind::Tokenizer)?,
            weights: one(&f.model_weights, weights, FileKind::ModelWeights)?,
            words: Vec::new(),
        })
    }

    /// Word file `n`'s payload (size and container checked), for
    /// `Embedder::attach_words` or [`ModelBytes::words`].
    pub fn word_file(&self, n: usize, bytes: &[u8]) -> Result<Vec<u8>, IndexError> {
        let file = nth(&self.manifest.files.words, n, "word file")?;
        file.check_size(bytes)?;
        decode_model_file(file, bytes, FileKind::Words)
    }

    /// Decodes shard `n` and checks that it holds the articles the manifest places
    /// there: the right first article number and count, and (when the manifest lists
    /// them) the right first id, with ids ascending up to the next shard's first.
    pub fn shard(&self, n: usize, bytes: &[u8]) -> Result<Shard, IndexError> {
        let m = &self.manifest;
        let file = nth(&m.files.shards, n, "shard")?;
        file.check_size(bytes)?;
        let shard = Shard::decode(file, bytes)?;
        let start = n * m.shard_size as usize;
        let expected = (m.articles as usize)
            .saturating_sub(start)
            .min(m.shard_size as usize);
        let wrong = |message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        if shard.first as usize != start || shard.articles.len() != expected {
            return Err(wrong(format!(
                "holds articles {}..{}, the manifest places {start}..{} there",
                shard.first,
                shard.first as usize + shard.articles.len(),
                start + expected
            )));
        }
        if !m.shard_first_ids.is_empty() {
            let ids = || shard.articles.iter().map(|a| a.article_id.as_str());
            let ascending = shard
                .articles
                .windows(2)
                .all(|w| w[0].article_id < w[1].article_id);
            let first_ok = ids().next() == m.shard_first_ids.get(n).map(String::as_str);
            let before_next = match m.shard_first_ids.get(n + 1) {
                Some(next) => ids().next_back().is_some_and(|last| last < next.as_str()),
                None => true,
            };
            if !(ascending && first_ok && before_next) {
                return Err(wrong(
                    "its article ids are not the ones the manifest lists for it".into(),
                ));
            }
        }
        Ok(shard)
    }
}

/// A file name must be `<stem>-<16 hex digits>.bin` (a large file) or
/// `<stem><n>-<16 hex digits>.bin` (member `n` of a set): nothing else is ever written, and
/// nothing else can point outside the folder.
fn check_name(file: &FileRef) -> Result<(), IndexError> {
    let ok = file
        .path
        .strip_suffix(".bin")
        .and_then(|s| s.rsplit_once('-'))
        .is_some_and(|(stem, hash)| {
            let letters = stem.trim_end_matches(|c: char| c.is_ascii_digit());
            !letters.is_empty()
                && letters.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
                && hash.len() == 16
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        });
    if ok {
        Ok(())
    } else {
        Err(IndexError::Manifest(format!(
            "{:?} is not an index file name (expected NAME-<16 hex digits>.bin)",
            file.path
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(path: &str) -> FileRef {
        FileRef {
            path: path.into(),
            bytes: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn only_content_hashed_names_pass() {
        assert!(check_name(&named("graph-0123456789abcdef.bin")).is_ok());
        assert!(check_name(&named("shard12-0123456789abcdef.bin")).is_ok());
        for bad in [
            "../graph-0123456789abcdef.bin",
            "/dev/zero",
            "sub/graph-0123456789abcdef.bin",
            "graph-0123456789abcde.bin",
            "shard-01234567.bin",
            "12-0123456789abcdef.bin",
            "graph-0123456789ABCDEF.bin",
            "graph-0123456789abcdef.bin.bak",
            "-0123456789abcdef.bin",
            "graph.bin",
        ] {
            assert!(check_name(&named(bad)).is_err(), "{bad} accepted");
        }
    }
}
