//! Sets of small files written together: the postings buckets, facet columns, partitions
//! of points, word files and metadata shards of one build.
//!
//! The manifest lists a set as its stem, one hash over all its members and each member's
//! size — not a name per file: a name's hash digits cost about 10 bytes gzip each, and
//! the full catalog's 3,372 small files made the manifest (which every first visit reads
//! before anything else) 39 kB gzip. Member `n` of a set is `<stem><n>-<set hash>.bin`:
//! still write-once (the set's hash changes with any member's bytes, so a new build never
//! reuses a name), still a plain file name the loader can check. A member is checked by
//! its size (the manifest's) and its container's CRC-32 as it decodes; `indexer verify`
//! checks the set's hash over every member.

use crate::format;
use crate::index::FileRef;
use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// Hex digits of a set's hash in its members' names.
pub const SET_HASH_DIGITS: usize = 16;

/// A numbered set of files; it reads as the slice of its members' [`FileRef`]s.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FileSet {
    stem: String,
    hash: String,
    files: Vec<FileRef>,
}

impl std::ops::Deref for FileSet {
    type Target = [FileRef];
    fn deref(&self) -> &[FileRef] {
        &self.files
    }
}

impl<'a> IntoIterator for &'a FileSet {
    type Item = &'a FileRef;
    type IntoIter = std::slice::Iter<'a, FileRef>;
    fn into_iter(self) -> Self::IntoIter {
        self.files.iter()
    }
}

/// How the manifest lists a set.
#[derive(Serialize, Deserialize)]
struct Listed {
    stem: String,
    hash: String,
    bytes: Vec<u64>,
}

impl FileSet {
    /// The set of `members` (each a whole file, container included), by number.
    pub fn new(stem: &str, members: &[Vec<u8>]) -> Self {
        let hash = Self::hash_of(members.iter().map(Vec::as_slice));
        let sizes = members.iter().map(|m| m.len() as u64).collect();
        Self::listed(stem.to_string(), hash, sizes)
    }

    fn listed(stem: String, hash: String, sizes: Vec<u64>) -> Self {
        let files = sizes
            .into_iter()
            .enumerate()
            .map(|(n, bytes)| FileRef {
                path: format!("{stem}{n}-{hash}.bin"),
                bytes,
                sha256: String::new(),
            })
            .collect();
        Self { stem, hash, files }
    }

    /// The hash that names a set of these members: SHA-256 over each member's size and
    /// SHA-256, in order (its first [`SET_HASH_DIGITS`] hex digits).
    pub fn hash_of<'a>(members: impl IntoIterator<Item = &'a [u8]>) -> String {
        let mut h = Sha256::new();
        for m in members {
            h.update((m.len() as u64).to_le_bytes());
            h.update(Sha256::digest(m));
        }
        hex::encode(h.finalize())[..SET_HASH_DIGITS].to_string()
    }

    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// The hash in the members' names ([`FileSet::hash_of`] their bytes).
    pub fn hash(&self) -> &str {
        &self.hash
    }

    /// Bytes of every member together.
    pub fn total_bytes(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }

    /// Lists member `n` with a size of `bytes` (for tests and fuzzing, which hand the
    /// loader files of their own); nothing else of a member can change.
    pub fn set_bytes(&mut self, n: usize, bytes: u64) {
        if let Some(f) = self.files.get_mut(n) {
            f.bytes = bytes;
        }
    }

    /// Whether `path` names a member of a set (`<stem><n>-<hash>.bin`, the stem's
    /// letters followed by the member's number).
    pub fn is_member_name(path: &str) -> bool {
        path.rsplit_once('-')
            .is_some_and(|(stem, _)| stem.ends_with(|c: char| c.is_ascii_digit()))
    }
}

impl Serialize for FileSet {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Listed {
            stem: self.stem.clone(),
            hash: self.hash.clone(),
            bytes: self.files.iter().map(|f| f.bytes).collect(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for FileSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let l = Listed::deserialize(d)?;
        let stem_ok =
            !l.stem.is_empty() && l.stem.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        let hash_ok = l.hash.len() == SET_HASH_DIGITS
            && l.hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !stem_ok || !hash_ok {
            return Err(D::Error::custom(format!(
                "a set of files needs a stem of lower-case letters and a hash of \
                 {SET_HASH_DIGITS} lower-case hex digits (stem {:?}, hash {:?})",
                l.stem, l.hash
            )));
        }
        if l.bytes.iter().any(|&b| b < format::HEADER_LEN as u64) {
            return Err(D::Error::custom(format!(
                "a {} file is listed smaller than a file's header",
                l.stem
            )));
        }
        Ok(Self::listed(l.stem, l.hash, l.bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_lists_members_by_number_and_round_trips() {
        let members = vec![vec![7u8; 40], vec![9u8; 50]];
        let set = FileSet::new("shard", &members);
        assert_eq!(set.len(), 2);
        assert_eq!(set[1].path, format!("shard1-{}.bin", set.hash()));
        assert_eq!(set[1].bytes, 50);
        assert_eq!(set.total_bytes(), 90);
        assert!(FileSet::is_member_name(&set[0].path));
        assert!(!FileSet::is_member_name("graph-0123456789abcdef.bin"));
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(
            json,
            format!(
                r#"{{"stem":"shard","hash":"{}","bytes":[40,50]}}"#,
                set.hash()
            )
        );
        assert_eq!(serde_json::from_str::<FileSet>(&json).unwrap(), set);
    }

    #[test]
    fn any_member_changed_changes_the_names() {
        let a = FileSet::new("postings", &[vec![1u8; 40], vec![2u8; 40]]);
        let b = FileSet::new("postings", &[vec![1u8; 40], vec![3u8; 40]]);
        let swapped = FileSet::new("postings", &[vec![2u8; 40], vec![1u8; 40]]);
        assert_ne!(a.hash(), b.hash());
        assert_ne!(a.hash(), swapped.hash());
    }

    #[test]
    fn bad_listings_are_refused() {
        for bad in [
            r#"{"stem":"../x","hash":"0123456789abcdef","bytes":[40]}"#,
            r#"{"stem":"shard","hash":"0123456789ABCDEF","bytes":[40]}"#,
            r#"{"stem":"shard","hash":"0123","bytes":[40]}"#,
            r#"{"stem":"shard","hash":"0123456789abcdef","bytes":[1]}"#,
            r#"{"stem":"shard1","hash":"0123456789abcdef","bytes":[40]}"#,
            r#"{"stem":"","hash":"0123456789abcdef","bytes":[40]}"#,
        ] {
            assert!(serde_json::from_str::<FileSet>(bad).is_err(), "{bad}");
        }
    }
}
