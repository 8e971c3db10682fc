//! Keyword retrieval: a compact BM25 inverted index over the article's fields.
//!
//! Field weights make a match in the product type, colour or name count more than one in
//! the description. Postings are delta-coded varints (document gaps) with a weighted term
//! frequency byte, deflated in the container.

use crate::catalog::Article;
use crate::format::{self, Codec, FileKind};
use crate::index::{FileRef, IndexError};
use crate::text::audience_phrase;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const K1: f32 = 1.2;
const B: f32 = 0.75;

const STOPWORDS: &[&str] = &[
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
    let mut out = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut Vec<(String, bool)>| {
        if !word.is_empty() {
            if STOPWORDS.contains(&word.as_str()) {
                out.push((word.clone(), true));
            } else {
                out.push((stem(word), false));
            }
            word.clear();
        }
    };
    for ch in text.chars() {
        let folded = fold(ch);
        if folded.is_alphanumeric() {
            word.extend(folded.to_lowercase());
        } else if ch == '\'' || ch == '’' {
            // "boys'" and "men's": drop the apostrophe and what follows it in the word.
            continue;
        } else {
            flush(&mut word, &mut out);
        }
    }
    flush(&mut word, &mut out);
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

/// The inverted index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeywordIndex {
    /// Sorted vocabulary.
    pub terms: Vec<String>,
    /// Byte offset of each term's postings in `postings` (plus a final end offset).
    offsets: Vec<u32>,
    /// Per term: (doc gap varint, weighted tf byte)*.
    postings: Vec<u8>,
    /// Weighted length of each document.
    doc_len: Vec<u16>,
    /// Number of documents containing each term.
    pub df: Vec<u32>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u32> {
    let mut v = 0u32;
    for shift in (0..35).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        v |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

impl KeywordIndex {
    /// Indexes `articles` (document number = position).
    pub fn build(articles: &[Article]) -> Self {
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
        let mut bytes = Vec::new();
        let mut offsets = Vec::with_capacity(terms.len() + 1);
        let mut df = Vec::with_capacity(terms.len());
        for t in &terms {
            offsets.push(bytes.len() as u32);
            let list = &postings[t];
            df.push(list.len() as u32);
            let mut prev = 0u32;
            for &(doc, f) in list {
                put_varint(&mut bytes, doc - prev);
                bytes.push(f.min(255) as u8);
                prev = doc;
            }
        }
        offsets.push(bytes.len() as u32);
        Self {
            terms,
            offsets,
            postings: bytes,
            doc_len,
            df,
        }
    }

    pub fn docs(&self) -> usize {
        self.doc_len.len()
    }

    pub fn term_id(&self, term: &str) -> Option<usize> {
        self.terms.binary_search_by(|t| t.as_str().cmp(term)).ok()
    }

    /// (document, weighted tf) of a term.
    pub fn postings(&self, term: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (start, end) = (self.offsets[term] as usize, self.offsets[term + 1] as usize);
        let bytes = &self.postings[..end];
        let mut pos = start;
        let mut doc = 0u32;
        std::iter::from_fn(move || {
            if pos >= end {
                return None;
            }
            doc += get_varint(bytes, &mut pos)?;
            let tf = *bytes.get(pos)? as u32;
            pos += 1;
            Some((doc, tf))
        })
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
    pub fn scores(&self, terms: &[(usize, f32)]) -> HashMap<u32, f32> {
        let avg = self.doc_len.iter().map(|&l| l as f32).sum::<f32>() / self.docs().max(1) as f32;
        let mut acc: HashMap<u32, f32> = HashMap::new();
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
    /// tolerance), preferring frequent terms; `None` if `word` is known or nothing is close.
    pub fn correct(&self, word: &str) -> Option<&str> {
        if word.len() < 4
            || self.term_id(word).is_some()
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let max = if word.chars().count() >= 8 { 2 } else { 1 };
        let mut best: Option<(usize, u32, &str)> = None;
        for (i, t) in self.terms.iter().enumerate() {
            let tl = t.chars().count() as isize;
            if (tl - word.chars().count() as isize).abs() > max as isize || self.df[i] < 3 {
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

    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Keywords,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("keyword index serializes"),
        )
    }

    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let err = |message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        let raw = format::decode_file(bytes, FileKind::Keywords).map_err(|source| {
            IndexError::Format {
                file: file.path.clone(),
                source,
            }
        })?;
        let k: KeywordIndex = postcard::from_bytes(&raw).map_err(|e| err(e.to_string()))?;
        let ok = k.offsets.len() == k.terms.len() + 1
            && k.df.len() == k.terms.len()
            && k.offsets.windows(2).all(|w| w[0] <= w[1])
            && k.offsets
                .last()
                .is_some_and(|&e| e as usize == k.postings.len());
        if !ok {
            return Err(err("keyword index tables do not fit together".into()));
        }
        // Every posting must name a real document.
        for t in 0..k.terms.len() {
            let mut n = 0;
            for (doc, _) in k.postings(t) {
                if doc as usize >= k.docs() {
                    return Err(err(format!(
                        "term {:?} points past the last article",
                        k.terms[t]
                    )));
                }
                n += 1;
            }
            if n != k.df[t] {
                return Err(err(format!(
                    "term {:?} has a damaged posting list",
                    k.terms[t]
                )));
            }
        }
        Ok(k)
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
        let k = KeywordIndex::build(&docs);
        let t = k.term_id("cardigan").unwrap();
        assert_eq!(k.postings(t).count(), 100);
        assert!(k.postings(t).all(|(d, tf)| d % 3 == 1 && tf == 6));
        let s = k.scores(&[(t, 1.0)]);
        assert_eq!(s.len(), 100);
        assert_eq!(k.correct("cardigen"), Some("cardigan"));
        assert_eq!(k.correct("cardigan"), None);
        let knit = KeywordIndex::build(&[mk("Knitted top", "Top", "Knit, knitting.")]);
        let names: Vec<&str> = knit
            .family("knit")
            .into_iter()
            .map(|i| knit.terms[i].as_str())
            .collect();
        assert_eq!(names, ["knit", "knitted"]);
        let file = FileRef {
            path: "k.bin".into(),
            bytes: 0,
            sha256: String::new(),
        };
        assert_eq!(KeywordIndex::decode(&file, &k.encode()).unwrap(), k);
    }
}
