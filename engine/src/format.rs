//! The binary container every index file is wrapped in, and content hashing.
//!
//! ```text
//! offset size field
//!      0    4 magic  b"ATLR"
//!      4    2 format version (u16 LE), see [`FORMAT_VERSION`]
//!      6    1 file kind, see [`FileKind`]
//!      7    1 codec: 0 = stored, 1 = deflate
//!      8    8 length of the decoded payload (u64 LE)
//!     16    8 length of the stored payload (u64 LE)
//!     24    4 CRC-32 of the stored payload (u32 LE)
//!     28    … stored payload
//! ```
//!
//! Decoding checks every field before it allocates, so a truncated, corrupted or
//! wrong-version file yields a [`FormatError`], never a panic or a huge allocation.

use sha2::{Digest, Sha256};

/// Version of the on-disk index format. Bump on any incompatible change.
pub const FORMAT_VERSION: u16 = 10;
/// First bytes of every index file.
pub const MAGIC: [u8; 4] = *b"ATLR";
/// Size of the fixed header.
pub const HEADER_LEN: usize = 28;
/// Upper bound for a decoded payload (guards allocations on corrupted headers).
pub const MAX_PAYLOAD: u64 = 1 << 31;

/// What a file holds. Decoding a file as the wrong kind is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FileKind {
    /// HNSW graph over quantized vectors.
    Graph = 1,
    /// Full-precision (f32) vectors, for exact search and re-scoring.
    Vectors = 2,
    /// A shard of article metadata.
    Shard = 3,
    /// Facet tables and per-article facet codes.
    Facets = 4,
    /// Model weights (GGUF from `embed::quantize_weights`, or safetensors).
    ModelWeights = 5,
    /// Tokenizer definition (tokenizer.json).
    Tokenizer = 6,
    /// Model configuration (config.json).
    ModelConfig = 7,
    /// The indexer's embedding cache (not part of an index).
    EmbeddingCache = 8,
    /// BM25 vocabulary and statistics.
    Keywords = 9,
    /// A bucket of BM25 postings.
    Postings = 10,
    /// One facet's value for every article.
    FacetColumn = 11,
    /// Occasion descriptions' vectors ([`crate::occasions`]).
    Occasions = 12,
    /// Every article's compact code and partition ([`crate::codes::Codes`]).
    Codes = 13,
    /// One partition's points (residuals of the codes) ([`crate::codes::Points`]).
    Points = 14,
    /// A run of the model's word-embedding rows (`crate::words`, the `model` feature's).
    Words = 15,
}

impl FileKind {
    fn from_u8(v: u8) -> Option<Self> {
        Some(match v {
            1 => Self::Graph,
            2 => Self::Vectors,
            3 => Self::Shard,
            4 => Self::Facets,
            5 => Self::ModelWeights,
            6 => Self::Tokenizer,
            7 => Self::ModelConfig,
            8 => Self::EmbeddingCache,
            9 => Self::Keywords,
            10 => Self::Postings,
            11 => Self::FacetColumn,
            12 => Self::Occasions,
            13 => Self::Codes,
            14 => Self::Points,
            15 => Self::Words,
            _ => return None,
        })
    }
}

/// Whether to deflate the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Stored as is (for data that does not compress, like float vectors).
    Stored = 0,
    /// Deflate (RFC 1951).
    Deflate = 1,
}

/// Why a file could not be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FormatError {
    #[error("file is truncated: {needed} bytes needed, {found} present")]
    Truncated { needed: u64, found: u64 },
    #[error("not an Atelier index file (bad magic bytes)")]
    BadMagic,
    #[error("index format version {found} is not supported (this build reads version {supported}); rebuild the index")]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("file holds {found} data, expected {expected}")]
    WrongKind { expected: String, found: String },
    #[error("unknown codec {0}")]
    UnknownCodec(u8),
    #[error("checksum mismatch: the file is corrupted")]
    Checksum,
    #[error("file has {0} trailing bytes after its payload")]
    TrailingBytes(u64),
    #[error("declared payload of {0} bytes is implausibly large")]
    TooLarge(u64),
    #[error("payload could not be decompressed: {0}")]
    Decompress(String),
    #[error("payload could not be decoded: {0}")]
    Decode(String),
}

/// Wraps `payload` in the container.
pub fn encode_file(kind: FileKind, codec: Codec, payload: &[u8]) -> Vec<u8> {
    let stored: std::borrow::Cow<[u8]> = match codec {
        Codec::Stored => payload.into(),
        Codec::Deflate => miniz_oxide::deflate::compress_to_vec(payload, 9).into(),
    };
    let mut out = Vec::with_capacity(HEADER_LEN + stored.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.push(kind as u8);
    out.push(codec as u8);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&(stored.len() as u64).to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&stored).to_le_bytes());
    out.extend_from_slice(&stored);
    out
}

/// The parsed fixed header of a file.
#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub version: u16,
    pub kind: FileKind,
    pub codec: Codec,
    pub raw_len: u64,
    pub stored_len: u64,
    pub crc: u32,
}

/// Parses and checks the header (magic, version, kind, lengths) without touching the payload.
pub fn read_header(bytes: &[u8]) -> Result<Header, FormatError> {
    if bytes.len() < HEADER_LEN {
        if bytes.len() >= 4 && bytes[..4] != MAGIC {
            return Err(FormatError::BadMagic);
        }
        return Err(FormatError::Truncated {
            needed: HEADER_LEN as u64,
            found: bytes.len() as u64,
        });
    }
    if bytes[..4] != MAGIC {
        return Err(FormatError::BadMagic);
    }
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(FormatError::UnsupportedVersion {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let kind = FileKind::from_u8(bytes[6]).ok_or_else(|| FormatError::WrongKind {
        expected: "a known kind".into(),
        found: format!("kind {}", bytes[6]),
    })?;
    let codec = match bytes[7] {
        0 => Codec::Stored,
        1 => Codec::Deflate,
        c => return Err(FormatError::UnknownCodec(c)),
    };
    let raw_len = u64_at(8);
    let stored_len = u64_at(16);
    if raw_len > MAX_PAYLOAD {
        return Err(FormatError::TooLarge(raw_len));
    }
    let crc = u32::from_le_bytes(bytes[24..28].try_into().expect("4 bytes"));
    Ok(Header {
        version,
        kind,
        codec,
        raw_len,
        stored_len,
        crc,
    })
}

/// Checks the container and returns the decoded payload of a file of kind `expected`.
pub fn decode_file(bytes: &[u8], expected: FileKind) -> Result<Vec<u8>, FormatError> {
    decode_checked(read_header(bytes)?, bytes, expected)
}

/// Like [`decode_file`], but accepts any container version up to this one: for files whose
/// payload does not depend on the index format (the indexer's embedding cache). The
/// container's own layout has not changed since version 1.
pub fn decode_file_any_version(bytes: &[u8], expected: FileKind) -> Result<Vec<u8>, FormatError> {
    let header = match read_header(bytes) {
        Err(FormatError::UnsupportedVersion { found, .. })
            if (1..FORMAT_VERSION).contains(&found) =>
        {
            let mut patched = bytes[..HEADER_LEN].to_vec();
            patched[4..6].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
            read_header(&patched)?
        }
        other => other?,
    };
    decode_checked(header, bytes, expected)
}

fn decode_checked(
    header: Header,
    bytes: &[u8],
    expected: FileKind,
) -> Result<Vec<u8>, FormatError> {
    if header.kind != expected {
        return Err(FormatError::WrongKind {
            expected: format!("{expected:?}"),
            found: format!("{:?}", header.kind),
        });
    }
    let have = (bytes.len() - HEADER_LEN) as u64;
    if have < header.stored_len {
        return Err(FormatError::Truncated {
            needed: HEADER_LEN as u64 + header.stored_len,
            found: bytes.len() as u64,
        });
    }
    if have > header.stored_len {
        return Err(FormatError::TrailingBytes(have - header.stored_len));
    }
    let stored = &bytes[HEADER_LEN..];
    if crc32fast::hash(stored) != header.crc {
        return Err(FormatError::Checksum);
    }
    let raw = match header.codec {
        Codec::Stored => stored.to_vec(),
        Codec::Deflate => {
            miniz_oxide::inflate::decompress_to_vec_with_limit(stored, header.raw_len as usize)
                .map_err(|e| FormatError::Decompress(format!("{:?}", e.status)))?
        }
    };
    if raw.len() as u64 != header.raw_len {
        return Err(FormatError::Decompress(format!(
            "expected {} bytes, got {}",
            header.raw_len,
            raw.len()
        )));
    }
    Ok(raw)
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content-hashed, write-once name of a file: `{stem}-{16 hex digits}.bin`.
pub fn content_name(stem: &str, bytes: &[u8]) -> String {
    format!("{stem}-{}.bin", &sha256_hex(bytes)[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_both_codecs() {
        let payload: Vec<u8> = (0..10_000u32)
            .flat_map(|i| (i % 97).to_le_bytes())
            .collect();
        for codec in [Codec::Stored, Codec::Deflate] {
            let file = encode_file(FileKind::Shard, codec, &payload);
            assert_eq!(decode_file(&file, FileKind::Shard).unwrap(), payload);
        }
        let deflated = encode_file(FileKind::Shard, Codec::Deflate, &payload);
        assert!(deflated.len() < payload.len() / 4);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let file = encode_file(
            FileKind::Facets,
            Codec::Deflate,
            b"hello hello hello facets",
        );
        for cut in 0..file.len() {
            assert!(
                decode_file(&file[..cut], FileKind::Facets).is_err(),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn every_flipped_byte_is_an_error() {
        let file = encode_file(FileKind::Graph, Codec::Deflate, &[7u8; 300]);
        for i in 0..file.len() {
            let mut bad = file.clone();
            bad[i] ^= 0x41;
            assert!(decode_file(&bad, FileKind::Graph).is_err(), "byte {i}");
        }
    }

    #[test]
    fn caches_of_older_versions_stay_readable() {
        let mut file = encode_file(FileKind::EmbeddingCache, Codec::Stored, b"vectors");
        file[4..6].copy_from_slice(&1u16.to_le_bytes());
        assert!(decode_file(&file, FileKind::EmbeddingCache).is_err());
        assert_eq!(
            decode_file_any_version(&file, FileKind::EmbeddingCache).unwrap(),
            b"vectors"
        );
        file[4..6].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
        assert!(decode_file_any_version(&file, FileKind::EmbeddingCache).is_err());
    }

    #[test]
    fn wrong_version_and_kind_are_typed() {
        let mut file = encode_file(FileKind::Graph, Codec::Stored, b"x");
        assert!(matches!(
            decode_file(&file, FileKind::Shard),
            Err(FormatError::WrongKind { .. })
        ));
        file[4] = 99;
        assert_eq!(
            decode_file(&file, FileKind::Graph),
            Err(FormatError::UnsupportedVersion {
                found: 99,
                supported: FORMAT_VERSION
            })
        );
        assert_eq!(
            decode_file(b"PK\x03\x04 zip file here, not ours", FileKind::Graph),
            Err(FormatError::BadMagic)
        );
    }
}
