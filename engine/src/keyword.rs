//! Keyword retrieval: a compact BM25 inverted index over the article's fields.
//!
//! Field weights make a match in the product type, colour or name count more than one in
//! the description. Postings are delta-coded varints (document gaps) with a weighted term
//! frequency byte, deflated in the container.

use crate::catalog::Article;
use crate::format::{self, Codec, FileKind};
use crate::ids::IdMap;
use crate::index::{decode_payload, FileRef, IndexError};
use crate::text::audience_phrase;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

mod varint;
use varint::{get_varint, put_varint};

const K1: f32 = 1.2;
const B: f32 = 0.75;

pub(crate) const STOPWORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "the",
    "for",
    "with",
    "in",
    "of",
    "to",
    "i",
    "im",
    "need",
    "my",
    "me",
    "some",
    "something",
    "on",
    "at",
    "is",
    "it",
    "that",
    "this",
    "looking",
    "want",
    "please",
    "what",
    "which",
    "should",
    "can",
    "could",
    "would",
    "buy",
    "wear",
    "get",
    "find",
    "show",
    "or",
    "from",
    "by",
    "be",
    "are",
    "you",
    "your",
    "our",
    "we",
    "any",
    "nice",
    "good",
    "new",
    "thing",
    "things",
    "one",
    "ones",
    "item",
    "items",
    "kind",
    "like",
    "do",
    "does",
    "if",
    "when",
    "where",
    "who",
    "how",
    "very",
    "really",
    "just",
    "also",
    "too",
    "so",
    "but",
    "has",
    "have",
];

/// Lower-cases, folds common accents, splits on anything but letters and digits, drops
/// stop words and stems plurals: `"Boys' Joggers"` → `["boy", "jogger"]`.
pub fn tokenize(text: &str) -> Vec<String> {
    words(text)
        .into_iter()
        .filter(|(_, stop)| !stop)
        .map(|(w, _)| w)
        .collect()
}

/// Every word of `text` as [`tokenize`] splits it, stop words included (flagged `true`,
/// unstemmed), so query understanding can read the words around a term ("my trousers").
pub fn words(text: &str) -> Vec<(String, bool)> {
    word_spans(text)
        .into_iter()
        .map(|(_, w, stop)| (w, stop))
        .collect()
}

/// [`words`] with where each word lies in `text` (a byte range), so a query can be
/// rewritten without some of its words (the negated ones, for the vector query).
pub fn word_spans(text: &str) -> Vec<(std::ops::Range<usize>, String, bool)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut start = 0;
    let mut end = 0;
    let flush = |word: &mut String, span: std::ops::Range<usize>, out: &mut Vec<_>| {
        if !word.is_empty() {
            if STOPWORDS.contains(&word.as_str()) {
                out.push((span, word.clone(), true));
            } else {
                out.push((span, stem(word), false));
            }
            word.clear();
        }
    };
    for (at, ch) in text.char_indices() {
        let folded = fold(ch);
        if folded.is_alphanumeric() {
            if word.is_empty() {
                start = at;
            }
            word.extend(folded.to_lowercase());
            end = at + ch.len_utf8();
        } else if ch == '\'' || ch == '’' {
            // "boys'" and "men's": the apostrophe is dropped and the word goes on.
            continue;
        } else {
            flush(&mut word, start..end, &mut out);
        }
    }
    flush(&mut word, start..end, &mut out);
    out
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'å' | 'ã' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'ø' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        _ => c,
    }
}

/// A light English plural stemmer, the same for documents and queries.
pub fn stem(w: &str) -> String {
    let n = w.len();
    if n > 4 && w.ends_with("ies") {
        return format!("{}y", &w[..n - 3]);
    }
    if n > 4
        && (w.ends_with("sses") || w.ends_with("shes") || w.ends_with("ches") || w.ends_with("xes"))
    {
        return w[..n - 2].to_string();
    }
    if n > 3 && w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        return w[..n - 1].to_string();
    }
    w.to_string()
}

/// The weighted fields of an article, as (text, weight).
fn fields(a: &Article) -> Vec<(String, u32)> {
    let mut f = vec![
        (a.prod_name.clone(), 3),
        (a.product_type_name.clone(), 3),
        (a.colour_group_name.clone(), 2),
        (a.perceived_colour_master_name.clone(), 2),
        (a.graphical_appearance_name.clone(), 1),
        (a.garment_group_name.clone(), 1),
        (a.section_name.clone(), 1),
        (a.department_name.clone(), 1),
        (a.detail_desc.clone(), 1),
    ];
    if let Some(p) = audience_phrase(a) {
        f.push((p.to_string(), 2));
    }
    if let Some(g) = crate::text::gender(a) {
        f.push((g.to_string(), 2));
    }
    f
}

/// Postings are cut into buckets of consecutive terms of about this many bytes, each a
/// file of its own, so a browser fetches only the buckets of a query's terms (Pagefind's
/// way); the vocabulary, document frequencies and lengths come first, in one small file.
/// (16 kB before format 10: "something warm for the kids" fetched 132 kB of postings for
/// its first answer, 4 kB buckets 85 kB; 456 buckets on the full catalog, not 202.)
pub const BUCKET_BYTES: usize = 4 * 1024;

/// The inverted index: the vocabulary and statistics (the `keywords` file), and the
/// postings in buckets (`postings` files) attached as they arrive.
///
/// A posting read from a bucket that is not attached yet reads as empty and is recorded:
/// [`KeywordIndex::take_missing`] tells the caller which buckets to fetch before ranking
/// again (the engine does no I/O).
#[derive(Debug, Serialize, Deserialize)]
pub struct KeywordIndex {
    /// Sorted vocabulary (stored front-coded: 48 → 34 kB gzip on the full catalog).
    #[serde(with = "front_coded")]
    pub terms: Vec<String>,
    /// Number of documents containing each term.
    pub df: Vec<u32>,
    /// Weighted length of each document.
    doc_len: Vec<u16>,
    /// The first term of each bucket of postings (ascending from 0).
    bucket_starts: Vec<u32>,
    #[serde(skip)]
    buckets: Vec<Option<Bucket>>,
    /// Buckets a lookup needed and did not find.
    #[serde(skip)]
    missing: Mutex<BTreeSet<u32>>,
}

/// The postings of a run of consecutive terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    first_term: u32,
    /// Byte offset of each term's postings in `postings` (plus a final end offset).
    offsets: Vec<u32>,
    /// Per term: (doc gap varint, weighted tf byte)*.
    postings: Vec<u8>,
}

impl Bucket {
    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Postings,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("postings serialize"),
        )
    }

    fn terms(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
}

/// A sorted `Vec<String>` stored as, per string, the length of the prefix it shares
/// with the previous one, the rest's length (varints) and the rest.
mod front_coded {
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(terms: &[String], s: S) -> Result<S::Ok, S::Error> {
        let mut out = Vec::new();
        let mut prev: &[u8] = &[];
        for t in terms {
            let t = t.as_bytes();
            let shared = t.iter().zip(prev).take_while(|(a, b)| a == b).count();
            super::put_varint(&mut out, shared as u32);
            super::put_varint(&mut out, (t.len() - shared) as u32);
            out.extend_from_slice(&t[shared..]);
            prev = t;
        }
        (terms.len() as u32, out).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        let (n, bytes) = <(u32, Vec<u8>)>::deserialize(d)?;
        let bad = || D::Error::custom("the vocabulary's front coding is corrupt");
        let mut terms: Vec<String> = Vec::with_capacity((n as usize).min(bytes.len()));
        let mut prev: Vec<u8> = Vec::new();
        let mut pos = 0;
        for _ in 0..n {
            let shared = super::get_varint(&bytes, &mut pos).ok_or_else(bad)? as usize;
            let len = super::get_varint(&bytes, &mut pos).ok_or_else(bad)? as usize;
            let rest = bytes
                .get(pos..pos.checked_add(len).ok_or_else(bad)?)
                .ok_or_else(bad)?;
            pos += len;
            if shared > prev.len() {
                return Err(bad());
            }
            prev.truncate(shared);
            prev.extend_from_slice(rest);
            terms.push(String::from_utf8(prev.clone()).map_err(|_| bad())?);
        }
        if pos != bytes.len() {
            return Err(bad());
        }
        Ok(terms)
    }
}

/// (document, weighted tf) pairs of `bytes[start..end]`.
fn read_postings(bytes: &[u8], start: usize, end: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
    let bytes = &bytes[..end.min(bytes.len())];
    let mut pos = start;
    let mut doc = 0u32;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        doc = doc.checked_add(get_varint(bytes, &mut pos)?)?;
        let tf = *bytes.get(pos)? as u32;
        pos += 1;
        Some((doc, tf))
    })
}

impl KeywordIndex {
    /// Indexes `articles` (document number = position): the index with every bucket
    /// attached, and the buckets (to write out).
    pub fn build(articles: &[Article]) -> (Self, Vec<Bucket>) {
        Self::build_in(articles, BUCKET_BYTES)
    }

    fn build_in(articles: &[Article], bucket_bytes: usize) -> (Self, Vec<Bucket>) {
        let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
        let mut doc_len = Vec::with_capacity(articles.len());
        for (doc, a) in articles.iter().enumerate() {
            let mut tf: HashMap<String, u32> = HashMap::new();
            let mut len = 0u32;
            for (text, weight) in fields(a) {
                for t in tokenize(&text) {
                    *tf.entry(t).or_default() += weight;
                    len += weight;
                }
            }
            doc_len.push(len.min(u16::MAX as u32) as u16);
            for (t, f) in tf {
                postings.entry(t).or_default().push((doc as u32, f));
            }
        }
        let mut terms: Vec<String> = postings.keys().cloned().collect();
        terms.sort();
        let mut buckets: Vec<Bucket> = Vec::new();
        let mut df = Vec::with_capacity(terms.len());
        for (i, t) in terms.iter().enumerate() {
            if buckets
                .last()
                .is_none_or(|b| b.postings.len() >= bucket_bytes)
            {
                buckets.push(Bucket {
                    first_term: i as u32,
                    offsets: vec![0],
                    postings: Vec::new(),
                });
            }
            let b = buckets.last_mut().expect("a bucket was just pushed");
            let list = &postings[t];
            df.push(list.len() as u32);
            let mut prev = 0u32;
            for &(doc, f) in list {
                put_varint(&mut b.postings, doc - prev);
                b.postings.push(f.min(255) as u8);
                prev = doc;
            }
            b.offsets.push(b.postings.len() as u32);
        }
        let index = Self {
            terms,
            df,
            doc_len,
            bucket_starts: buckets.iter().map(|b| b.first_term).collect(),
            buckets: buckets.iter().cloned().map(Some).collect(),
            missing: Mutex::default(),
        };
        (index, buckets)
    }

    pub fn docs(&self) -> usize {
        self.doc_len.len()
    }

    /// How many buckets of postings the index has.
    pub fn bucket_count(&self) -> usize {
        self.bucket_starts.len()
    }

    /// Whether bucket `n` of the postings is attached.
    pub fn has_bucket(&self, n: usize) -> bool {
        self.buckets.get(n).is_some_and(Option::is_some)
    }

    /// Whether every bucket of postings is attached.
    pub fn is_complete(&self) -> bool {
        self.buckets.iter().all(Option::is_some)
    }

    /// The buckets lookups needed and did not find since the last call (ascending).
    pub fn take_missing(&self) -> Vec<u32> {
        let mut m = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *m).into_iter().collect()
    }

    fn bucket_of(&self, term: usize) -> usize {
        self.bucket_starts
            .partition_point(|&s| s as usize <= term)
            .saturating_sub(1)
    }

    pub fn term_id(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }

    /// (document, weighted tf) of a term; nothing (and the bucket recorded as missing)
    /// while its bucket is not attached.
    pub fn postings(&self, term: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let n = self.bucket_of(term);
        let found = self.buckets.get(n).and_then(Option::as_ref).and_then(|b| {
            let i = term.checked_sub(b.first_term as usize)?;
            Some((&b.postings[..], *b.offsets.get(i)?, *b.offsets.get(i + 1)?))
        });
        let (bytes, start, end) = found.unwrap_or_else(|| {
            if n < self.bucket_count() {
                self.missing
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(n as u32);
            }
            (&[][..], 0, 0)
        });
        read_postings(bytes, start as usize, end as usize)
    }
    /// `term` and its inflections in the vocabulary ("crop" → crop, cropped; "knit" →
    /// knit, knitted), for matching a shopper's word in article text. Short terms match
    /// exactly ("ski" must not find "skirt").
    pub fn family(&self, term: &str) -> Vec<usize> {
        const SUFFIXES: &[&str] = &["d", "ed", "ped", "ted", "ing", "er", "y", "ly", "len"];
        let mut out: Vec<usize> = self.term_id(term).into_iter().collect();
        if term.len() < 4 {
            return out;
        }
        let start = self.terms.partition_point(|t| t.as_str() <= term);
        for (i, t) in self.terms.iter().enumerate().skip(start) {
            let Some(rest) = t.strip_prefix(term) else {
                break;
            };
            if SUFFIXES.contains(&rest) {
                out.push(i);
            }
        }
        out
    }

    fn idf(&self, term: usize) -> f32 {
        let n = self.docs() as f32;
        let df = self.df[term] as f32;
        ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
    }

    /// BM25 scores of every document matching any of `terms` (each with a query weight).
    pub fn scores(&self, terms: &[(usize, f32)]) -> IdMap<f32> {
        let avg = self.doc_len.iter().map(|&l| l as f32).sum::<f32>() / self.docs().max(1) as f32;
        let mut acc: IdMap<f32> = IdMap::default();
        for &(t, qw) in terms {
            let idf = self.idf(t) * qw;
            for (doc, tf) in self.postings(t) {
                let tf = tf as f32;
                let len = self.doc_len[doc as usize] as f32;
                let s = idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / avg.max(1.0)));
                *acc.entry(doc).or_default() += s;
            }
        }
        acc
    }

    /// The vocabulary term closest to `word` within a small edit distance (typo
    /// tolerance) and starting with the same letter, preferring frequent terms; `None` if
    /// `word` is known or nothing is close.
    pub fn correct(&self, word: &str) -> Option<&str> {
        if word.len() < 4
            || self.term_id(word).is_some()
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let max = if word.chars().count() >= 8 { 2 } else { 1 };
        let first = word.chars().next();
        let mut best: Option<(usize, u32, &str)> = None;
        for (i, t) in self.terms.iter().enumerate() {
            let tl = t.chars().count() as isize;
            if (tl - word.chars().count() as isize).abs() > max as isize
                || self.df[i] < 3
                || t.chars().next() != first
            {
                continue;
            }
            let d = edit_distance(word, t, max);
            if d <= max {
                let better = match best {
                    None => true,
                    Some((bd, bdf, _)) => d < bd || (d == bd && self.df[i] > bdf),
                };
                if better {
                    best = Some((d, self.df[i], t));
                }
            }
        }
        best.map(|b| b.2)
    }

    /// The vocabulary and statistics (the `keywords` file; postings are written apart).
    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Keywords,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("keyword index serializes"),
        )
    }

    /// The vocabulary and statistics, checked; no bucket is attached yet.
    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let err = |message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        let raw = decode_payload(file, bytes, FileKind::Keywords)?;
        let mut k: KeywordIndex = postcard::from_bytes(&raw).map_err(|e| err(e.to_string()))?;
        let starts = &k.bucket_starts;
        let ok = k.df.len() == k.terms.len()
            && k.terms.windows(2).all(|w| w[0] < w[1])
            && starts.first().is_none_or(|&s| s == 0)
            && starts.windows(2).all(|w| w[0] < w[1])
            && starts.last().is_none_or(|&s| (s as usize) < k.terms.len())
            && (starts.is_empty() == k.terms.is_empty())
            && k.df.iter().all(|&d| d as usize <= k.doc_len.len());
        if !ok {
            return Err(err("keyword index tables do not fit together".into()));
        }
        k.buckets = vec![None; starts.len()];
        Ok(k)
    }

    /// Decodes bucket `n` of the postings and attaches it, after checking that it holds
    /// the terms the vocabulary places there, each with as many postings as its document
    /// frequency, every one naming a real document.
    pub fn attach(&mut self, n: usize, file: &FileRef, bytes: &[u8]) -> Result<(), IndexError> {
        let err = |message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        let raw = decode_payload(file, bytes, FileKind::Postings)?;
        let b: Bucket = postcard::from_bytes(&raw).map_err(|e| err(e.to_string()))?;
        let start = *self
            .bucket_starts
            .get(n)
            .ok_or_else(|| err(format!("there is no bucket {n} of postings")))?;
        let end = self
            .bucket_starts
            .get(n + 1)
            .map_or(self.terms.len(), |&e| e as usize);
        let ok = b.first_term == start
            && b.terms() == end - start as usize
            && b.offsets.first() == Some(&0)
            && b.offsets.windows(2).all(|w| w[0] <= w[1])
            && b.offsets
                .last()
                .is_some_and(|&e| e as usize == b.postings.len());
        if !ok {
            return Err(err(format!(
                "holds other terms than the vocabulary places in bucket {n}"
            )));
        }
        for i in 0..b.terms() {
            let term = start as usize + i;
            let (s, e) = (b.offsets[i] as usize, b.offsets[i + 1] as usize);
            let mut count = 0;
            for (doc, _) in read_postings(&b.postings, s, e) {
                if doc as usize >= self.docs() {
                    return Err(err(format!(
                        "term {:?} points past the last article",
                        self.terms[term]
                    )));
                }
                count += 1;
            }
            if count != self.df[term] {
                return Err(err(format!(
                    "term {:?} has a damaged posting list",
                    self.terms[term]
                )));
            }
        }
        self.buckets[n] = Some(b);
        Ok(())
    }
}

/// Edit distance counting a swap of two neighbouring letters as one edit ("skrit" →
/// "skirt"), giving up (returning `max + 1`) beyond `max`.
pub fn edit_distance(a: &str, b: &str, max: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
            row_min = row_min.min(cur[j]);
        }
        if row_min > max {
            return max + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenize_stems_and_drops_stopwords() {
        assert_eq!(tokenize("Boys' grey Joggers"), ["boy", "grey", "jogger"]);
        assert_eq!(
            tokenize("I need a red dress for a summer wedding"),
            ["red", "dress", "summer", "wedding"]
        );
        assert_eq!(
            tokenize("Men's T-shirts, Café"),
            ["men", "t", "shirt", "cafe"]
        );
        assert_eq!(tokenize("dresses babies jeans"), ["dress", "baby", "jean"]);
    }

    #[test]
    fn the_vocabulary_is_front_coded_and_checked() {
        let mk = |name: &str| Article {
            article_id: name.into(),
            prod_name: name.into(),
            ..Article::default()
        };
        let (k, _) = KeywordIndex::build(&[mk("cardigan cardigans"), mk("card café")]);
        let back = KeywordIndex::decode(&file("keywords.bin"), &k.encode()).unwrap();
        assert_eq!(back.terms, k.terms);
        assert!(
            k.terms.iter().any(|t| t == "card") && k.terms.len() > 2,
            "{:?}",
            k.terms
        );
        // A shared prefix longer than the previous term is corrupt, not a panic.
        let mut raw = postcard::to_allocvec(&k).unwrap();
        raw[2] = 0x7f; // the first term's shared-prefix length
        let bytes = format::encode_file(FileKind::Keywords, Codec::Deflate, &raw);
        assert!(KeywordIndex::decode(&file("keywords.bin"), &bytes).is_err());
    }

    #[test]
    fn edit_distance_is_bounded() {
        assert_eq!(edit_distance("trosers", "trouser", 2), 2);
        assert_eq!(edit_distance("cardigen", "cardigan", 2), 1);
        assert_eq!(edit_distance("abc", "xyzxyz", 1), 2);
        assert_eq!(edit_distance("skrit", "skirt", 1), 1);
        assert_eq!(edit_distance("sokcs", "socks", 2), 1);
    }

    #[test]
    fn postings_roundtrip_and_scores() {
        let mk = |name: &str, t: &str, desc: &str| Article {
            prod_name: name.into(),
            product_type_name: t.into(),
            detail_desc: desc.into(),
            ..Article::default()
        };
        let docs: Vec<Article> = (0..300)
            .map(|i| match i % 3 {
                0 => mk("Linen dress", "Dress", "Airy linen."),
                1 => mk("Wool cardigan", "Cardigan", "Soft wool."),
                _ => mk("Denim jeans", "Trousers", "Stretch denim."),
            })
            .collect();
        let (k, buckets) = KeywordIndex::build(&docs);
        assert_eq!(buckets.len(), 1);
        let t = k.term_id("cardigan").unwrap();
        assert_eq!(k.postings(t).count(), 100);
        assert!(k.postings(t).all(|(d, tf)| d % 3 == 1 && tf == 6));
        let s = k.scores(&[(t, 1.0)]);
        assert_eq!(s.len(), 100);
        assert_eq!(k.correct("cardigen"), Some("cardigan"));
        assert_eq!(k.correct("cardigan"), None);
        let (knit, _) = KeywordIndex::build(&[mk("Knitted top", "Top", "Knit, knitting.")]);
        let names: Vec<&str> = knit
            .family("knit")
            .into_iter()
            .map(|i| knit.terms[i].as_str())
            .collect();
        assert_eq!(names, ["knit", "knitted"]);
    }

    fn file(path: &str) -> FileRef {
        FileRef {
            path: path.into(),
            bytes: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn postings_arrive_by_bucket_and_missing_ones_are_named() {
        let docs: Vec<Article> = (0..400)
            .map(|i| Article {
                prod_name: format!("Item{i} dress"),
                product_type_name: ["Dress", "Cardigan", "Skirt", "Top"][i % 4].into(),
                detail_desc: format!("Soft word{} fabric.", i % 37),
                ..Article::default()
            })
            .collect();
        let (full, buckets) = KeywordIndex::build_in(&docs, 64);
        assert!(buckets.len() > 5, "{} buckets", buckets.len());
        assert!(full.is_complete() && full.take_missing().is_empty());
        let mut k = KeywordIndex::decode(&file("k.bin"), &full.encode()).unwrap();
        assert_eq!(
            (k.terms.clone(), k.df.clone()),
            (full.terms.clone(), full.df.clone())
        );
        assert!(!k.is_complete());
        let terms = [k.term_id("cardigan").unwrap(), k.term_id("word7").unwrap()];
        let query: Vec<(usize, f32)> = terms.iter().map(|&t| (t, 1.0)).collect();
        // Nothing attached: no scores, and the two buckets the query needs are named.
        assert!(k.scores(&query).is_empty());
        let mut needed: Vec<u32> = terms.iter().map(|&t| k.bucket_of(t) as u32).collect();
        needed.sort_unstable();
        needed.dedup();
        assert_eq!(k.take_missing(), needed);
        assert!(k.take_missing().is_empty(), "taken once");
        for &n in &needed {
            k.attach(n as usize, &file("p.bin"), &buckets[n as usize].encode())
                .unwrap();
        }
        assert_eq!(k.scores(&query), full.scores(&query));
        assert!(k.take_missing().is_empty());
        // A bucket in another's place, or damaged, is refused.
        let other = (0..buckets.len())
            .find(|n| !needed.contains(&(*n as u32)))
            .unwrap();
        let wrong = buckets[(other + 1) % buckets.len()].encode();
        assert!(k.attach(other, &file("p.bin"), &wrong).is_err());
        let mut cut = buckets[other].clone();
        cut.postings.pop();
        *cut.offsets.last_mut().unwrap() -= 1;
        assert!(k.attach(other, &file("p.bin"), &cut.encode()).is_err());
        assert!(k
            .attach(buckets.len(), &file("p.bin"), &buckets[0].encode())
            .is_err());
    }
}
