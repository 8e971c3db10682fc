//! Occasions recognised by meaning: "outfit for a rave", "what the bridesmaids wear",
//! "a day at the spa" land on the need that answers them even when the shopper's words are
//! in no lexicon phrase.
//!
//! The descriptions are data (`engine/data/occasions.json`: a few hundred sentences, each
//! under a need of `engine/data/lexicon.json`, which says once what answers it). The
//! indexer embeds them with the index's model into the index's occasions file
//! ([`OccasionVectors`]); at query time the query's own vector is compared with them
//! ([`OccasionVectors::closest`]) and [`crate::understand::understand_as`] reads the query
//! as that need. The lexical ranking, which has no query vector, reads needs by their
//! words alone.

use crate::format::{self, Codec, FileKind};
use crate::index::{decode_payload, postcard_error, FileRef, IndexError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `engine/data/occasions.json`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Descriptions {
    /// What the file is (for its readers).
    #[allow(dead_code)]
    about: String,
    /// The least cosine similarity between a query and a description for the query to be
    /// read as its occasion.
    pub threshold: f32,
    /// The least similarity for the occasion to replace the needs the query's words
    /// named ("cycling to *work* in the dark" is about the dark, not the office).
    pub strong: f32,
    /// Need name → descriptions of it.
    pub occasions: BTreeMap<String, Vec<String>>,
}

impl Descriptions {
    /// The compiled-in descriptions (only the indexer reads them: a browser gets their
    /// vectors in the index). `tests::descriptions_name_known_needs` keeps them valid.
    pub fn builtin() -> Self {
        serde_json::from_str(include_str!("../data/occasions.json"))
            .unwrap_or_else(|e| panic!("engine/data/occasions.json: {e}"))
    }

    /// Every (need, description) in file order.
    pub fn each(&self) -> impl Iterator<Item = (&str, &str)> {
        self.occasions
            .iter()
            .flat_map(|(need, texts)| texts.iter().map(move |t| (need.as_str(), t.as_str())))
    }
}

/// The descriptions' vectors, as the index stores them: int8 with one scale per row
/// (a few hundred rows of the model's dimension: about 100 kB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OccasionVectors {
    pub dim: u32,
    pub threshold: f32,
    /// See [`Descriptions::strong`].
    pub strong: f32,
    /// The needs, once each.
    pub needs: Vec<String>,
    /// Each row's need (an index into `needs`).
    pub row_need: Vec<u16>,
    /// Each row's scale: value = code × scale.
    pub scales: Vec<f32>,
    /// Row-major codes, `dim` per row.
    pub codes: Vec<i8>,
}

impl OccasionVectors {
    /// Quantizes `rows` — (need, unit vector) — for the file.
    pub fn new(dim: usize, threshold: f32, strong: f32, rows: &[(&str, Vec<f32>)]) -> Self {
        let mut out = Self {
            dim: dim as u32,
            threshold,
            strong,
            needs: Vec::new(),
            row_need: Vec::with_capacity(rows.len()),
            scales: Vec::with_capacity(rows.len()),
            codes: Vec::with_capacity(rows.len() * dim),
        };
        for (need, v) in rows {
            assert_eq!(v.len(), dim, "an occasion vector of the model's dimension");
            let n = match out.needs.iter().position(|x| x == need) {
                Some(n) => n,
                None => {
                    out.needs.push(need.to_string());
                    out.needs.len() - 1
                }
            };
            out.row_need.push(n as u16);
            let max = v
                .iter()
                .fold(0f32, |m, x| m.max(x.abs()))
                .max(f32::MIN_POSITIVE);
            let scale = max / 127.0;
            out.scales.push(scale);
            out.codes.extend(
                v.iter()
                    .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8),
            );
        }
        out
    }

    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Occasions,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("occasion vectors serialize"),
        )
    }

    /// Reads the occasions file, checking its shape (`dim`: the manifest's).
    pub fn decode(file: &FileRef, bytes: &[u8], dim: usize) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Occasions)?;
        let o: Self = postcard::from_bytes(&raw).map_err(|e| postcard_error(file, e))?;
        let rows = o.row_need.len();
        let consistent = o.dim as usize == dim
            && o.scales.len() == rows
            && o.codes.len() == rows * dim
            && o.row_need.iter().all(|&n| (n as usize) < o.needs.len())
            && o.threshold.is_finite()
            && o.strong.is_finite();
        if !consistent {
            return Err(IndexError::Inconsistent {
                file: file.path.clone(),
                message: "occasion vectors do not match their counts or the model's dimension"
                    .into(),
            });
        }
        Ok(o)
    }

    /// Each row's similarity to `query` (a unit vector of the model's dimension).
    fn similarities<'a>(&'a self, query: &'a [f32]) -> impl Iterator<Item = f32> + 'a {
        self.codes
            .chunks_exact(self.dim as usize)
            .zip(&self.scales)
            .map(move |(codes, scale)| {
                codes
                    .iter()
                    .zip(query)
                    .map(|(&c, &q)| c as f32 * q)
                    .sum::<f32>()
                    * scale
            })
    }

    /// The need whose description is most similar to `query` (a unit vector), and whether
    /// that similarity is strong, when it reaches the threshold.
    pub fn closest(&self, query: &[f32]) -> Option<(&str, bool)> {
        if query.len() != self.dim as usize {
            return None;
        }
        let (row, sim) = self
            .similarities(query)
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(&b.1))?;
        (sim >= self.threshold).then(|| {
            (
                self.needs[self.row_need[row] as usize].as_str(),
                sim >= self.strong,
            )
        })
    }

    /// The occasion `query` reads as, given the needs its words `named` (names of the
    /// lexicon; "" for a need written in place). With none named: the closest
    /// description's need when it reaches the threshold. With some: only when that
    /// similarity is strong *and* the query's meaning supports none of the needs named —
    /// none of their own descriptions reaches the threshold. "Cycling to *work* in the
    /// dark" is about the dark, not the office; "a *christmas* party dress" stays
    /// Christmas however close it comes to "a fancy dress party".
    pub fn read(&self, query: &[f32], named: &[&str]) -> Option<&str> {
        let (need, strong) = self.closest(query)?;
        if named.is_empty() {
            return Some(need);
        }
        let supported = |n: &str| {
            self.similarities(query)
                .zip(&self.row_need)
                .any(|(sim, &r)| self.needs[r as usize] == n && sim >= self.threshold)
        };
        (strong && !named.iter().any(|n| supported(n))).then_some(need)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(v: &[f32]) -> Vec<f32> {
        let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter().map(|x| x / n).collect()
    }

    #[test]
    fn descriptions_name_known_needs() {
        let d = Descriptions::builtin();
        assert!(d.each().count() >= 200, "a few hundred descriptions");
        for (need, text) in d.each() {
            assert!(
                crate::lexicon::lexicon().need(need).is_some(),
                "{text:?}: {need:?} is no need of the lexicon"
            );
        }
        assert!(0.0 < d.threshold && d.threshold <= d.strong && d.strong < 1.0);
    }

    #[test]
    fn closest_reaches_the_threshold_or_says_nothing() {
        let rows = [
            ("rave", unit(&[1.0, 0.0, 0.0])),
            ("spa", unit(&[0.0, 1.0, 0.0])),
            ("spa", unit(&[0.0, 1.0, 1.0])),
        ];
        let o = OccasionVectors::new(3, 0.85, 0.97, &rows);
        assert_eq!(o.needs, ["rave", "spa"]);
        assert_eq!(o.closest(&unit(&[0.1, 1.0, 0.0])), Some(("spa", true)));
        assert_eq!(o.closest(&unit(&[0.5, 1.0, 0.0])), Some(("spa", false)));
        assert_eq!(
            o.closest(&unit(&[1.0, 1.0, 1.0])),
            None,
            "no description close enough"
        );
        assert_eq!(
            o.closest(&[1.0, 0.0]),
            None,
            "a vector of another dimension"
        );
    }

    #[test]
    fn a_named_need_the_meaning_supports_stands() {
        let rows = [
            ("halloween", unit(&[1.0, 0.0, 0.0])),
            ("christmas", unit(&[0.0, 1.0, 0.0])),
            ("formal", unit(&[0.0, 0.0, 1.0])),
        ];
        let o = OccasionVectors::new(3, 0.5, 0.8, &rows);
        // Strongly halloween, a little christmas (0.54 ≥ 0.5): the named christmas stands.
        let q = unit(&[0.84, 0.54, 0.0]);
        assert_eq!(o.closest(&q), Some(("halloween", true)));
        assert_eq!(o.read(&q, &["christmas"]), None);
        // Nothing supports the office: the strong meaning replaces it.
        assert_eq!(o.read(&q, &["formal"]), Some("halloween"));
        assert_eq!(o.read(&q, &[""]), Some("halloween"));
        assert_eq!(o.read(&q, &[]), Some("halloween"));
        // Not strong: the named need stands; nothing named: the closest reads.
        let q = unit(&[0.7, 0.0, 0.71]);
        assert_eq!(o.read(&q, &["christmas"]), None);
        assert_eq!(o.read(&q, &[]), Some("formal"));
    }

    #[test]
    fn the_file_round_trips_and_refuses_another_dimension() {
        let o = OccasionVectors::new(2, 0.5, 0.7, &[("beach", unit(&[1.0, 2.0]))]);
        let file = FileRef {
            path: "occasions-0000000000000000.bin".into(),
            bytes: 0,
            sha256: String::new(),
        };
        let bytes = o.encode();
        assert_eq!(OccasionVectors::decode(&file, &bytes, 2).unwrap(), o);
        assert!(matches!(
            OccasionVectors::decode(&file, &bytes, 3),
            Err(IndexError::Inconsistent { .. })
        ));
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last] ^= 0xff;
        assert!(OccasionVectors::decode(&file, &bad, 2).is_err());
    }
}
