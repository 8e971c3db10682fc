//! The static index: one definition of every file, used both to write and to read.
//!
//! ```text
//! static-index/
//!   manifest.json          format version, model, counts, build info, every file's size (+ SHA-256 of the large ones)
//!   graph-<hash>.bin       HNSW (built by instant-distance) over int8 vectors, read in place
//!   vectors-<hash>.bin     f32 vectors, for exact search and re-scoring (not needed by browsers)
//!   codes-<hash>.bin       every article's product-quantisation code and partition
//!   facets-<hash>.bin      facet values and counts, each article's product
//!   keywords-<hash>.bin    BM25 vocabulary, document frequencies and lengths
//!   model-<hash>.bin       MiniLM weights (quantized GGUF, see embed::quantize_weights) without the word embeddings
//!   tokenizer-<hash>.bin, config-<hash>.bin   the model's tokenizer.json and config.json
//!   occasions-<hash>.bin   the occasion descriptions' vectors
//! and the small files, in sets (crate::fileset: `<stem><n>-<the set's hash>.bin`):
//!   column<n>-<set>.bin    one facet's value for each article (one file per facet)
//!   postings<n>-<set>.bin  BM25 postings of a run of terms, fetched for a query's terms
//!   points<n>-<set>.bin    one partition's points (residuals of the codes), fetched for a query's candidates
//!   shard<n>-<set>.bin     article metadata, `shard_size` articles per shard, fetched on demand
//!   words<n>-<set>.bin     the word embeddings' rows, 64 token ids per file (see words), fetched for a query's tokens
//! ```
//!
//! Every `.bin` file is wrapped in the [`crate::format`] container (version, kind, CRC-32).

use crate::catalog::Article;
pub use crate::fileset::FileSet;
use crate::format::{self, Codec, FileKind, FormatError};
use serde::{Deserialize, Serialize};

/// Name of the manifest in an index directory.
pub const MANIFEST: &str = "manifest.json";
/// Value of the manifest's `format` field.
pub const FORMAT_NAME: &str = "atelier-index";

/// Why an index could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{file}: {source}")]
    Format {
        file: String,
        #[source]
        source: FormatError,
    },
    #[error("manifest.json is invalid: {0}")]
    Manifest(String),
    #[error("index format version {found} is not supported (this build reads version {supported}); rebuild the index")]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("{file}: expected {expected} bytes (per manifest), found {found}")]
    SizeMismatch {
        file: String,
        expected: u64,
        found: u64,
    },
    #[error("{file}: content does not match the manifest's SHA-256 (corrupted or replaced)")]
    HashMismatch { file: String },
    #[error("{file}: {message}")]
    Inconsistent { file: String, message: String },
    #[error("unknown facet {0:?}")]
    UnknownFacet(String),
    #[error("facet {facet:?} has no value {value:?}")]
    UnknownFacetValue { facet: String, value: String },
}

/// A file of the index as listed in the manifest.
///
/// The few large files carry their whole SHA-256 (and its first 16 hex digits in their
/// name); the many small ones a browser fetches per query (postings buckets, facet
/// columns, partitions of points, word files, metadata shards) are members of a
/// [`FileSet`], listed by size only, so the manifest every visit reads first stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    pub path: String,
    pub bytes: u64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
}

impl FileRef {
    /// (For [`assemble`], the `model` feature's.)
    #[cfg(feature = "model")]
    fn of(stem: &str, bytes: &[u8]) -> Self {
        Self {
            path: format::content_name(stem, bytes),
            bytes: bytes.len() as u64,
            sha256: format::sha256_hex(bytes),
        }
    }

    /// Checks `bytes` against this entry's size and hash (its whole SHA-256 when the
    /// manifest lists it, otherwise the 16 hex digits of it in the file's name). A member
    /// of a set is checked by its size here, by its container's CRC-32 as it decodes and
    /// by the set's hash in `indexer verify` ([`FileSet::hash_of`]).
    pub fn check(&self, bytes: &[u8]) -> Result<(), IndexError> {
        self.check_size(bytes)?;
        if FileSet::is_member_name(&self.path) {
            return Ok(());
        }
        let hash = format::sha256_hex(bytes);
        let expected = if self.sha256.is_empty() {
            self.name_hash()
        } else {
            Some(self.sha256.as_str()).filter(|e| e.len() >= 16)
        };
        if expected.is_none_or(|e| !hash.starts_with(e)) {
            return Err(IndexError::HashMismatch {
                file: self.path.clone(),
            });
        }
        Ok(())
    }

    /// The hash digits of a content-hashed name (`<stem>-<16 hex digits>.bin`).
    fn name_hash(&self) -> Option<&str> {
        self.path
            .strip_suffix(".bin")
            .and_then(|s| s.rsplit_once('-'))
            .map(|(_, hash)| hash)
            .filter(|h| h.len() == 16)
    }

    /// Only the size: for callers that fetched the file by its content-hashed name and
    /// decode it next (every container carries a CRC-32 of its payload, checked on
    /// decode). Browsers use this: SHA-256 over 100 MB costs seconds in WebAssembly.
    pub fn check_size(&self, bytes: &[u8]) -> Result<(), IndexError> {
        if bytes.len() as u64 != self.bytes {
            return Err(IndexError::SizeMismatch {
                file: self.path.clone(),
                expected: self.bytes,
                found: bytes.len() as u64,
            });
        }
        Ok(())
    }
}

/// The model an index was built with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelInfo {
    pub id: String,
    pub dim: u32,
    pub max_tokens: u32,
    pub pooling: String,
    pub normalized: bool,
    /// How the weights the browser loads are stored: [`crate::embed::Quantization::describe`]
    /// (indexes of earlier builds: "f16" safetensors, which still load).
    pub weights_dtype: String,
}

/// HNSW parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphInfo {
    pub kind: String,
    pub m: u32,
    pub ef_construction: u32,
    pub ef_search: u32,
    pub quantization: String,
    pub seed: u64,
}

/// The vector codes ([`crate::codes`]): bytes per article's code, partitions of points
/// (at most; about a hundred articles each), and how many candidates a search re-scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodesInfo {
    pub m: u32,
    pub partitions: u32,
    pub rescore: u32,
    /// Bits per component of the points' residuals: 6 or 8 (0 in build parameters:
    /// chosen by the catalog's size, [`crate::codes::point_bits`]).
    pub point_bits: u32,
}

/// Facts about the build (informational).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BuildInfo {
    pub tool: String,
    pub created_unix: u64,
    pub catalog: String,
    pub rows_read: u64,
    pub rows_skipped: u64,
    pub distinct_texts: u64,
    pub embedded: u64,
    pub cache_hits: u64,
    pub seconds: f64,
}

/// File `n` of one of the manifest's numbered lists (postings buckets, facet columns,
/// partitions of points, word files, shards); `what` names one for the error.
pub fn nth<'a>(list: &'a [FileRef], n: usize, what: &str) -> Result<&'a FileRef, IndexError> {
    list.get(n)
        .ok_or_else(|| IndexError::Manifest(format!("there is no {what} {n}")))
}

/// Every file of the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Files {
    pub graph: FileRef,
    pub vectors: FileRef,
    /// Every article's compact code and partition ([`crate::codes`]): what a vector
    /// search scans.
    pub codes: FileRef,
    /// Each partition's points (residuals of the codes), by partition number: the re-scoring a query's
    /// candidates need (a browser fetches those partitions only).
    pub points: FileSet,
    pub facets: FileRef,
    /// Each facet's column of article values, in the facets' order (see
    /// [`crate::facets`]): a browser fetches those its queries read.
    pub facet_columns: FileSet,
    pub keywords: FileRef,
    /// The keyword postings in buckets of consecutive terms (see [`crate::keyword`]).
    pub postings: FileSet,
    pub shards: FileSet,
    pub model_weights: FileRef,
    /// The model's word-embedding rows in runs of consecutive token ids
    /// (`crate::words`): a browser fetches those its queries' tokens fall in.
    pub words: FileSet,
    pub tokenizer: FileRef,
    pub model_config: FileRef,
    /// The occasion descriptions' vectors ([`crate::occasions`]); indexes built before
    /// them have none, and read needs by their words alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occasions: Option<FileRef>,
}

impl Files {
    /// Every file with the kind its container must carry.
    pub fn all(&self) -> Vec<(&FileRef, FileKind)> {
        let mut v = vec![
            (&self.graph, FileKind::Graph),
            (&self.vectors, FileKind::Vectors),
            (&self.codes, FileKind::Codes),
            (&self.facets, FileKind::Facets),
            (&self.keywords, FileKind::Keywords),
            (&self.model_weights, FileKind::ModelWeights),
            (&self.tokenizer, FileKind::Tokenizer),
            (&self.model_config, FileKind::ModelConfig),
        ];
        v.extend(
            self.facet_columns
                .iter()
                .map(|s| (s, FileKind::FacetColumn)),
        );
        v.extend(self.postings.iter().map(|s| (s, FileKind::Postings)));
        v.extend(self.shards.iter().map(|s| (s, FileKind::Shard)));
        v.extend(self.points.iter().map(|s| (s, FileKind::Points)));
        v.extend(self.words.iter().map(|s| (s, FileKind::Words)));
        v.extend(self.occasions.iter().map(|s| (s, FileKind::Occasions)));
        v
    }

    /// The sets of small files, by the kind of their members.
    pub fn sets(&self) -> [(&FileSet, FileKind); 5] {
        [
            (&self.facet_columns, FileKind::FacetColumn),
            (&self.postings, FileKind::Postings),
            (&self.shards, FileKind::Shard),
            (&self.points, FileKind::Points),
            (&self.words, FileKind::Words),
        ]
    }
}

/// `manifest.json`: the one small file a client reads first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u16,
    pub model: ModelInfo,
    pub articles: u32,
    pub shard_size: u32,
    pub graph: GraphInfo,
    pub codes: CodesInfo,
    pub build: BuildInfo,
    pub files: Files,
    /// The first article id of each shard, when articles are in ascending id order (the
    /// indexer sorts them): a client finds an id's shard without loading any other.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shard_first_ids: Vec<String>,
    /// Where the articles' photos are ([`crate::photos`]); none without.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photos: Option<crate::photos::Photos>,
}

impl Manifest {
    /// Parses and checks `manifest.json`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, IndexError> {
        let value: serde_json::Value =
            serde_json::from_slice(bytes).map_err(|e| IndexError::Manifest(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT_NAME) {
            return Err(IndexError::Manifest(format!(
                "not an Atelier index manifest (\"format\" is not {FORMAT_NAME:?})"
            )));
        }
        let version = value
            .get("format_version")
            .and_then(|v| v.as_u64())
            .ok_or_else(|| IndexError::Manifest("format_version is missing".into()))?;
        if version != format::FORMAT_VERSION as u64 {
            return Err(IndexError::UnsupportedVersion {
                found: version.min(u16::MAX as u64) as u16,
                supported: format::FORMAT_VERSION,
            });
        }
        let m: Manifest =
            serde_json::from_value(value).map_err(|e| IndexError::Manifest(e.to_string()))?;
        if let Some(p) = &m.photos {
            crate::photos::Photos::new(&p.url).map_err(IndexError::Manifest)?;
        }
        let expected_shards = (m.articles as usize).div_ceil(m.shard_size.max(1) as usize);
        if m.shard_size == 0 || m.files.shards.len() != expected_shards {
            return Err(IndexError::Manifest(format!(
                "{} articles in shards of {} need {} shards, the manifest lists {}",
                m.articles,
                m.shard_size,
                expected_shards,
                m.files.shards.len()
            )));
        }
        Ok(m)
    }

    /// Compact JSON (every client reads it first: no byte of it is spare).
    pub fn to_json(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec(self).expect("manifest serializes");
        v.push(b'\n');
        v
    }

    /// The shard that would hold article `id` (`None` when the manifest cannot tell).
    pub fn shard_for_id(&self, id: &str) -> Option<usize> {
        if self.shard_first_ids.len() != self.files.shards.len() {
            return None;
        }
        self.shard_first_ids
            .partition_point(|first| first.as_str() <= id)
            .checked_sub(1)
    }

    /// Which shard holds article number `index`, and its position in that shard.
    pub fn shard_of(&self, index: u32) -> (usize, usize) {
        (
            (index / self.shard_size) as usize,
            (index % self.shard_size) as usize,
        )
    }
}

pub(crate) fn decode_payload(
    file: &FileRef,
    bytes: &[u8],
    kind: FileKind,
) -> Result<Vec<u8>, IndexError> {
    format::decode_file(bytes, kind).map_err(|source| IndexError::Format {
        file: file.path.clone(),
        source,
    })
}

pub(crate) fn postcard_error(file: &FileRef, e: postcard::Error) -> IndexError {
    IndexError::Format {
        file: file.path.clone(),
        source: FormatError::Decode(e.to_string()),
    }
}

// ---------------------------------------------------------------- vectors

/// Full-precision unit vectors, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct Vectors {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl Vectors {
    pub fn len(&self) -> usize {
        self.data.len() / self.dim.max(1)
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn get(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Container bytes: `dim: u32, count: u32`, then the floats, little endian.
    pub fn encode(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(8 + self.data.len() * 4);
        raw.extend_from_slice(&(self.dim as u32).to_le_bytes());
        raw.extend_from_slice(&(self.len() as u32).to_le_bytes());
        for x in &self.data {
            raw.extend_from_slice(&x.to_le_bytes());
        }
        format::encode_file(FileKind::Vectors, Codec::Stored, &raw)
    }

    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Vectors)?;
        let bad = |message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        if raw.len() < 8 {
            return Err(bad("vector header is missing".into()));
        }
        let dim = u32::from_le_bytes(raw[0..4].try_into().expect("4")) as usize;
        let count = u32::from_le_bytes(raw[4..8].try_into().expect("4")) as usize;
        let expected = dim.checked_mul(count).and_then(|n| n.checked_mul(4));
        if dim == 0 || expected != Some(raw.len() - 8) {
            return Err(bad(format!(
                "{count} vectors of {dim} floats do not fit {} bytes",
                raw.len() - 8
            )));
        }
        let data = raw[8..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        Ok(Self { dim, data })
    }
}

// ---------------------------------------------------------------- graph

pub use crate::graph::Graph;

// ---------------------------------------------------------------- facets

pub use crate::facets::{Facet, FacetColumn, Facets, FACETS};

// ---------------------------------------------------------------- shards

/// A run of `shard_size` consecutive articles' metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub first: u32,
    pub articles: Vec<Article>,
}

impl Shard {
    /// The article number of `id`, if this shard holds it.
    pub fn number_of(&self, id: &str) -> Option<u32> {
        let pos = self.articles.iter().position(|a| a.article_id == id)?;
        Some(self.first + pos as u32)
    }

    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Shard,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("shard serializes"),
        )
    }

    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Shard)?;
        postcard::from_bytes(&raw).map_err(|e| postcard_error(file, e))
    }
}

// ---------------------------------------------------------------- model files

/// The model files as raw bytes, as read from a model directory or an index.
pub struct ModelBytes {
    pub config: Vec<u8>,
    pub tokenizer: Vec<u8>,
    pub weights: Vec<u8>,
    /// The word files' payloads, by number, when the weights leave the word embeddings
    /// out (an index's model; empty for a browser, which fetches those a query needs).
    pub words: Vec<(usize, Vec<u8>)>,
}

/// Unwraps one of the index's model files.
pub fn decode_model_file(
    file: &FileRef,
    bytes: &[u8],
    kind: FileKind,
) -> Result<Vec<u8>, IndexError> {
    decode_payload(file, bytes, kind)
}

// ---------------------------------------------------------------- writing

/// Parameters of a build.
#[derive(Debug, Clone)]
pub struct BuildParams {
    pub shard_size: u32,
    pub graph: GraphInfo,
    pub codes: CodesInfo,
}

impl Default for BuildParams {
    fn default() -> Self {
        Self {
            // 32: a first answer's 24 cards come from about 24 shards (format 10; 64 before:
            // 97 → 60 kB of a first answer on the full catalog, the offline copy 1.1 MB more).
            shard_size: 32,
            graph: GraphInfo {
                kind: "hnsw (instant-distance 0.6)".into(),
                m: 32,
                ef_construction: 128,
                ef_search: 512,
                quantization: "int8, one f32 scale per vector".into(),
                seed: 0x00A7_E11E,
            },
            codes: CodesInfo {
                m: 64,
                partitions: 1024,
                rescore: crate::codes::RESCORE as u32,
                point_bits: 0,
            },
        }
    }
}

/// A complete index in memory, ready to be written out.
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// (file name, bytes) of every file except the manifest.
    pub files: Vec<(String, Vec<u8>)>,
}

/// Assembles every file of an index from articles, their vectors and the model.
/// `graph` is built by the caller with [`Graph::build`] and `codes` and `points` trained
/// with `codes::train` (so that it can show progress).
#[cfg(feature = "model")]
#[allow(clippy::too_many_arguments)]
pub fn assemble(
    articles: &[Article],
    vectors: &Vectors,
    graph: &Graph,
    codes: &crate::codes::Codes,
    points: &[Vec<u8>],
    model: &ModelBytes,
    params: &BuildParams,
    build: BuildInfo,
    occasions: Option<&crate::occasions::OccasionVectors>,
) -> Result<BuiltIndex, crate::embed::EmbedError> {
    assert_eq!(articles.len(), vectors.len(), "one vector per article");
    let mut files = Vec::new();
    let mut add_file = |stem: &str, bytes: Vec<u8>| -> FileRef {
        let r = FileRef::of(stem, &bytes);
        files.push((r.path.clone(), bytes));
        r
    };
    let graph_ref = add_file("graph", graph.encode());
    let vectors_ref = add_file("vectors", vectors.encode());
    let codes_ref = add_file("codes", codes.encode());
    let facets = Facets::from_articles(articles);
    let facets_ref = add_file("facets", facets.encode());
    let (keywords, buckets) = crate::keyword::KeywordIndex::build(articles);
    let keywords_ref = add_file("keywords", keywords.encode());
    let (weights, word_rows) =
        crate::words::split(&crate::embed::quantize_weights(&model.weights)?)?;
    let model_weights = add_file(
        "model",
        format::encode_file(FileKind::ModelWeights, Codec::Stored, &weights),
    );
    let tokenizer = add_file(
        "tokenizer",
        format::encode_file(FileKind::Tokenizer, Codec::Deflate, &model.tokenizer),
    );
    let model_config = add_file(
        "config",
        format::encode_file(FileKind::ModelConfig, Codec::Deflate, &model.config),
    );
    let occasions = occasions.map(|o| add_file("occasions", o.encode()));
    // The many small files a browser fetches per query: sets, listed without a name each.
    let mut add_set = |stem: &str, members: Vec<Vec<u8>>| -> FileSet {
        let set = FileSet::new(stem, &members);
        files.extend(set.iter().map(|f| f.path.clone()).zip(members));
        set
    };
    let points = add_set("points", points.to_vec());
    let facet_columns = add_set("column", facets.encode_columns());
    let postings = add_set("postings", buckets.iter().map(|b| b.encode()).collect());
    let sorted = articles
        .windows(2)
        .all(|w| w[0].article_id < w[1].article_id);
    let shard_first_ids = if sorted {
        articles
            .chunks(params.shard_size as usize)
            .map(|c| c[0].article_id.clone())
            .collect()
    } else {
        Vec::new()
    };
    let shards = add_set(
        "shard",
        articles
            .chunks(params.shard_size as usize)
            .enumerate()
            .map(|(i, chunk)| {
                Shard {
                    first: (i * params.shard_size as usize) as u32,
                    articles: chunk.to_vec(),
                }
                .encode()
            })
            .collect(),
    );
    let words = add_set(
        "words",
        word_rows
            .iter()
            .map(|rows| format::encode_file(FileKind::Words, Codec::Stored, rows))
            .collect(),
    );

    let manifest = Manifest {
        format: FORMAT_NAME.into(),
        format_version: format::FORMAT_VERSION,
        model: ModelInfo {
            id: crate::embed::MODEL_ID.into(),
            dim: vectors.dim as u32,
            max_tokens: crate::embed::MAX_TOKENS as u32,
            pooling: "mean".into(),
            normalized: true,
            weights_dtype: crate::embed::SHIPPED.describe(),
        },
        articles: articles.len() as u32,
        shard_size: params.shard_size,
        graph: params.graph.clone(),
        codes: CodesInfo {
            partitions: codes.partitions() as u32,
            point_bits: crate::codes::point_bits(params.codes.point_bits, articles.len()),
            ..params.codes.clone()
        },
        build,
        files: Files {
            graph: graph_ref,
            vectors: vectors_ref,
            codes: codes_ref,
            points,
            facets: facets_ref,
            facet_columns,
            keywords: keywords_ref,
            postings,
            shards,
            model_weights,
            words,
            tokenizer,
            model_config,
            occasions,
        },
        shard_first_ids,
        photos: None,
    };
    Ok(BuiltIndex { manifest, files })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_listed_without_its_hash_is_checked_by_its_name() {
        let bytes = b"some shard".to_vec();
        let hash = format::sha256_hex(&bytes);
        let listed = |path: String, sha256: &str| FileRef {
            path,
            bytes: bytes.len() as u64,
            sha256: sha256.into(),
        };
        let name = format::content_name("shard", &bytes);
        assert!(listed(name.clone(), "").check(&bytes).is_ok());
        // A set's member: its size here, its CRC-32 on decode, the set's hash in verify.
        let member = format!("shard3-{}.bin", &hash[..16]);
        assert!(listed(member.clone(), "").check(b"other byte").is_ok());
        assert!(listed(member, "").check(&bytes[1..]).is_err());
        assert!(listed(name.clone(), &hash).check(&bytes).is_ok());
        let mut changed = bytes.clone();
        changed[0] ^= 1;
        for bad in [
            listed(name.clone(), "").check(&changed),
            listed(name.clone(), &hash).check(&changed),
            listed(name.clone(), &hash[..8]).check(&bytes),
            listed("shard.bin".into(), "").check(&bytes),
            listed(format::content_name("shard", b"other"), "").check(&bytes),
        ] {
            assert!(
                matches!(bad, Err(IndexError::HashMismatch { .. })),
                "{bad:?}"
            );
        }
        // Written without the field, read back as listed without it.
        let json = serde_json::to_string(&listed(name, "")).unwrap();
        assert!(!json.contains("sha256"), "{json}");
    }
}
