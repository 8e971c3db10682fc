//! The HNSW graph file, read in place, and the search over it.
//!
//! instant-distance builds the graph; this module lays it out flat — int8 points in
//! article order, neighbour lists bit-packed at a fixed width — so that loading it is a
//! checksum and a bounds check rather than a decode (a browser's warm start used to spend
//! most of its index load inflating and parsing the serde form), and searches it with
//! instant-distance's own algorithm (HNSW's greedy descent, then a beam of `ef` on the
//! bottom layer).
//!
//! ```text
//! payload (little endian), stored uncompressed:
//!   u32 dim, u32 n, u32 ef_search, u32 upper layers L, u32 link width in bits,
//!   u32 entry      the article every search starts from (node 0 of every upper layer)
//!   u32 × L        nodes in each upper layer, bottom (1) to top (L); non-increasing
//!   u32 × size[0]  article number of each upper-layer node (upper layer k holds
//!                  nodes 0..size[k-1])
//!   f32 × n        scale of each article's point
//!   i8 × n·dim     each article's point, in article order
//!   links of layer 0 (by article number), then of layers 1..L (by node number):
//!     u8 × nodes   how many neighbours each node has (≤ 64 on layer 0, ≤ 32 above)
//!     bit-packed neighbour ids, `width` bits each, nearest first, then 8 zero bytes
//! ```

use crate::format::{self, Codec, FileKind};
use crate::index::{decode_payload, FileRef, GraphInfo, IndexError, Vectors};
use crate::quant::{dot_i8, QPoint};
use serde::Deserialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::ops::Range;

/// Neighbours per node on the upper layers (instant-distance's `M`); twice that on layer 0.
const M: usize = 32;
const HEADER: usize = 24;

/// An article's int8 point, borrowed from the graph.
#[derive(Debug, Clone, Copy)]
pub struct PointRef<'a> {
    pub scale: f32,
    pub q: &'a [i8],
}

impl PointRef<'_> {
    /// Dot product with a full-precision vector (what re-scoring uses).
    #[inline]
    pub fn dot_f32(&self, v: &[f32]) -> f32 {
        crate::quant::dot_i8_f32(self.q, v) * self.scale
    }

    /// The cosine distance instant-distance builds with: `1 − q·p` on the int8 codes.
    #[inline]
    fn distance(&self, query: &QPoint) -> f32 {
        1.0 - dot_i8(&query.q, self.q) as f32 * query.scale * self.scale
    }
}

/// The neighbour lists of one layer.
struct Links {
    /// Where node i's neighbours start, in ids; `n + 1` entries.
    starts: Vec<u32>,
    /// Byte range of the packed ids in the payload.
    bits: Range<usize>,
}

/// The HNSW graph over every article's int8 point.
pub struct Graph {
    pub dim: usize,
    n: usize,
    ef_search: usize,
    width: u32,
    /// The article every search starts from.
    entry: u32,
    /// The payload, read in place.
    raw: Vec<u8>,
    /// Article numbers of upper-layer nodes.
    upper_articles: Vec<u32>,
    scales: Vec<f32>,
    points: Range<usize>,
    /// Layer 0 (by article number), then the upper layers bottom to top (by node number).
    layers: Vec<Links>,
}

/// A candidate: its distance and its id on the layer being searched.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    distance: f32,
    id: u32,
}

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then(self.id.cmp(&other.id))
    }
}

/// instant-distance's serde form of `HnswMap<QPoint, u32>`, field for field, read once at
/// build time to lay the graph out flat. (A layer-0 node is 64 ids, which serde writes as
/// a 64-tuple: two 32-tuples in a row are the same bytes.)
#[derive(Deserialize)]
struct SerdeMap {
    hnsw: SerdeHnsw,
    values: Vec<u32>,
}

#[derive(Deserialize)]
struct SerdeHnsw {
    ef_search: usize,
    points: Vec<QPoint>,
    zero: Vec<[[u32; M]; 2]>,
    layers: Vec<Vec<[u32; M]>>,
}

/// instant-distance's "no neighbour" id.
const INVALID: u32 = u32::MAX;

fn bits_for(n: usize) -> u32 {
    (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1)
}

/// Appends one layer's lists: counts, then ids packed at `width` bits, then 8 zero bytes.
fn write_links(out: &mut Vec<u8>, lists: &[Vec<u32>], width: u32) {
    out.extend(lists.iter().map(|l| l.len() as u8));
    let mut acc: u64 = 0;
    let mut filled = 0u32;
    for &id in lists.iter().flatten() {
        acc |= (id as u64) << filled;
        filled += width;
        while filled >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            filled -= 8;
        }
    }
    if filled > 0 {
        out.push(acc as u8);
    }
    out.extend([0u8; 8]);
}

impl Graph {
    /// Builds the graph with instant-distance (parallel with rayon on native targets).
    pub fn build(
        vectors: &Vectors,
        params: &GraphInfo,
        builder: instant_distance::Builder,
    ) -> Self {
        let points: Vec<QPoint> = (0..vectors.len())
            .map(|i| QPoint::quantize(vectors.get(i)))
            .collect();
        let values: Vec<u32> = (0..vectors.len() as u32).collect();
        let map = builder
            .ef_construction(params.ef_construction as usize)
            .ef_search(params.ef_search as usize)
            .seed(params.seed)
            .build(points.clone(), values);
        let serde_form = postcard::to_allocvec(&map).expect("graph serializes");
        drop(map);
        let map: SerdeMap =
            postcard::from_bytes(&serde_form).expect("instant-distance's serde form is known");
        let raw = Self::lay_out(vectors.dim, &points, map);
        Self::from_raw(raw).expect("a graph just built is consistent")
    }

    /// The flat payload of a built graph.
    fn lay_out(dim: usize, points: &[QPoint], map: SerdeMap) -> Vec<u8> {
        let n = points.len();
        let SerdeMap { hnsw, values } = map;
        let article = |pid: u32| values[pid as usize];
        let ids = |slots: &[u32]| -> Vec<u32> {
            slots
                .iter()
                .take_while(|&&p| p != INVALID)
                .copied()
                .collect()
        };
        let mut zero = vec![Vec::new(); n];
        for (pid, node) in hnsw.zero.iter().enumerate() {
            let slots: Vec<u32> = node.iter().flatten().copied().collect();
            zero[article(pid as u32) as usize] = ids(&slots).into_iter().map(article).collect();
        }
        let upper: Vec<Vec<Vec<u32>>> = hnsw
            .layers
            .iter()
            .map(|layer| layer.iter().map(|node| ids(node)).collect())
            .collect();
        let width = bits_for(n);
        let mut out = Vec::new();
        let entry = if n == 0 { 0 } else { article(0) as usize };
        for v in [dim, n, hnsw.ef_search, upper.len(), width as usize, entry] {
            out.extend((v as u32).to_le_bytes());
        }
        for layer in &upper {
            out.extend((layer.len() as u32).to_le_bytes());
        }
        let top = upper.first().map_or(0, Vec::len);
        for pid in 0..top as u32 {
            out.extend(article(pid).to_le_bytes());
        }
        for p in points {
            out.extend(p.scale.to_le_bytes());
        }
        for p in points {
            out.extend(p.q.iter().map(|&x| x as u8));
        }
        debug_assert_eq!(hnsw.points.len(), n);
        write_links(&mut out, &zero, width);
        for layer in &upper {
            write_links(&mut out, layer, width);
        }
        out
    }

    /// Container bytes (stored: deflate saves under 10 % here and costs the load its time).
    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(FileKind::Graph, Codec::Stored, &self.raw)
    }

    /// Reads a graph file; `ef_search` overrides the beam width stored in it.
    pub fn decode(
        file: &FileRef,
        bytes: &[u8],
        ef_search: Option<usize>,
    ) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Graph)?;
        let mut graph = Self::from_raw(raw).map_err(|message| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        })?;
        if let Some(ef) = ef_search {
            graph.ef_search = ef.max(1);
        }
        Ok(graph)
    }

    /// Checks a payload's every size and id, so that searching it cannot go out of bounds.
    fn from_raw(raw: Vec<u8>) -> Result<Self, String> {
        let mut at = 0usize;
        let mut take = |len: usize, what: &str| -> Result<Range<usize>, String> {
            let end = at
                .checked_add(len)
                .filter(|&e| e <= raw.len())
                .ok_or_else(|| format!("graph is truncated in its {what}"))?;
            let r = at..end;
            at = end;
            Ok(r)
        };
        let u32s = |r: Range<usize>| -> Vec<u32> {
            raw[r]
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().expect("4")))
                .collect()
        };
        let header = u32s(take(HEADER, "header")?);
        let [dim, n, ef_search, upper, width, entry] = header[..] else {
            unreachable!("six fields")
        };
        let (dim, n, upper) = (dim as usize, n as usize, upper as usize);
        if dim == 0
            || !(1..=32).contains(&width)
            || bits_for(n) > width
            || upper > 64
            || (n > 0 && entry as usize >= n)
            || (n == 0 && upper > 0)
        {
            return Err(format!(
                "graph header is invalid (dim {dim}, {n} points, width {width}, {upper} layers)"
            ));
        }
        let sizes = u32s(take(upper * 4, "layer sizes")?);
        if sizes.windows(2).any(|w| w[1] > w[0])
            || sizes.first().is_some_and(|&s| s as usize > n)
            || sizes.last() == Some(&0)
        {
            return Err(format!("graph layer sizes are invalid: {sizes:?}"));
        }
        let top = sizes.first().map_or(0, |&s| s as usize);
        let upper_articles = u32s(take(top * 4, "upper layers")?);
        if upper_articles.iter().any(|&a| a as usize >= n)
            || upper_articles.first().is_some_and(|&a| a != entry)
        {
            return Err("an upper-layer node is not an article".into());
        }
        let scales = take(n * 4, "scales")?;
        let scales: Vec<f32> = raw[scales]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        let points = take(n.checked_mul(dim).ok_or("graph is too large")?, "points")?;
        let mut layers = Vec::with_capacity(upper + 1);
        let nodes = std::iter::once((n, 2 * M)).chain(sizes.iter().map(|&s| (s as usize, M)));
        for (nodes, max) in nodes {
            let counts = take(nodes, "neighbour counts")?;
            let mut starts = Vec::with_capacity(nodes + 1);
            let mut total = 0u32;
            starts.push(0);
            for &c in &raw[counts] {
                if c as usize > max {
                    return Err(format!("a node has {c} neighbours (at most {max})"));
                }
                total += c as u32;
                starts.push(total);
            }
            let len = (total as usize * width as usize).div_ceil(8) + 8;
            let bits = take(len, "neighbour lists")?;
            let links = Links { starts, bits };
            let bound = nodes as u32;
            if (0..total).any(|j| read_id(&raw, &links, width, j) >= bound) {
                return Err("a neighbour id is out of range".into());
            }
            layers.push(links);
        }
        if at != raw.len() {
            return Err(format!("graph has {} trailing bytes", raw.len() - at));
        }
        Ok(Self {
            dim,
            n,
            ef_search: ef_search.max(1) as usize,
            width,
            entry,
            raw,
            upper_articles,
            scales,
            points,
            layers,
        })
    }

    /// Number of points (articles).
    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The beam width of a search.
    pub fn ef_search(&self) -> usize {
        self.ef_search
    }

    /// Article `i`'s point. Panics if `i` is out of range.
    #[inline]
    pub fn point(&self, i: u32) -> PointRef<'_> {
        let i = i as usize;
        let start = self.points.start + i * self.dim;
        let bytes = &self.raw[start..start + self.dim];
        // SAFETY: i8 and u8 have the same size, alignment and validity.
        let q = unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<i8>(), bytes.len()) };
        PointRef {
            scale: self.scales[i],
            q,
        }
    }

    fn neighbours(&self, layer: usize, node: u32) -> impl Iterator<Item = u32> + '_ {
        let links = &self.layers[layer];
        let (a, b) = (links.starts[node as usize], links.starts[node as usize + 1]);
        (a..b).map(move |j| read_id(&self.raw, links, self.width, j))
    }

    /// The graph's nearest candidates to `query`, nearest first, as (article number,
    /// int8 distance): instant-distance's search, over this layout.
    pub fn candidates(&self, query: &QPoint) -> Vec<(u32, f32)> {
        if self.n == 0 {
            return Vec::new();
        }
        let upper = self.layers.len() - 1;
        let mut entry = Candidate {
            distance: self.point(self.entry).distance(query),
            id: 0,
        };
        if upper > 0 {
            let mut beam = Beam::new(self.upper_articles.len());
            let distance = |id: u32| self.point(self.upper_articles[id as usize]).distance(query);
            for layer in (1..=upper).rev() {
                beam.restart(entry);
                beam.search(1, |id| self.neighbours(layer, id), distance);
                entry = beam.nearest[0];
            }
        }
        entry.id = self.entry_article(entry.id, upper);
        let mut beam = Beam::new(self.n);
        beam.restart(entry);
        beam.search(
            self.ef_search,
            |id| self.neighbours(0, id),
            |id| self.point(id).distance(query),
        );
        beam.nearest
            .into_iter()
            .map(|c| (c.id, c.distance))
            .collect()
    }

    /// The article of upper-layer node `id` (the entry itself when there are no upper layers).
    fn entry_article(&self, id: u32, upper: usize) -> u32 {
        if upper > 0 {
            self.upper_articles[id as usize]
        } else {
            self.entry
        }
    }
}

#[inline]
fn read_id(raw: &[u8], links: &Links, width: u32, j: u32) -> u32 {
    let bit = j as usize * width as usize;
    let at = links.bits.start + bit / 8;
    let word = u64::from_le_bytes(raw[at..at + 8].try_into().expect("8"));
    ((word >> (bit % 8)) & ((1u64 << width) - 1)) as u32
}

/// HNSW's search state on one layer (algorithm 2 of the paper, as instant-distance has it).
struct Beam {
    visited: Vec<u64>,
    candidates: BinaryHeap<Reverse<Candidate>>,
    /// Nearest first, at most `ef` long after each expansion.
    nearest: Vec<Candidate>,
}

impl Beam {
    fn new(nodes: usize) -> Self {
        Self {
            visited: vec![0; nodes.div_ceil(64)],
            candidates: BinaryHeap::new(),
            nearest: Vec::new(),
        }
    }

    fn restart(&mut self, entry: Candidate) {
        self.visited.fill(0);
        self.candidates.clear();
        self.nearest.clear();
        self.visit(entry.id);
        self.nearest.push(entry);
        self.candidates.push(Reverse(entry));
    }

    /// Marks `id` visited; false if it already was.
    #[inline]
    fn visit(&mut self, id: u32) -> bool {
        let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
        let fresh = self.visited[word] & bit == 0;
        self.visited[word] |= bit;
        fresh
    }

    /// Expands the nearest unexpanded candidate until none is nearer than the furthest
    /// kept, keeping the `ef` nearest nodes seen.
    fn search<I: Iterator<Item = u32>>(
        &mut self,
        ef: usize,
        neighbours: impl Fn(u32) -> I,
        distance: impl Fn(u32) -> f32,
    ) {
        while let Some(Reverse(candidate)) = self.candidates.pop() {
            if let Some(furthest) = self.nearest.last() {
                if candidate.distance > furthest.distance {
                    break;
                }
            }
            for id in neighbours(candidate.id) {
                if !self.visit(id) {
                    continue;
                }
                let new = Candidate {
                    distance: distance(id),
                    id,
                };
                let at = self.nearest.binary_search(&new).unwrap_or_else(|at| at);
                if at < ef {
                    self.nearest.insert(at, new);
                    self.candidates.push(Reverse(new));
                }
            }
            self.nearest.truncate(ef);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::BuildParams;

    fn vectors(n: usize, dim: usize, seed: u64) -> Vectors {
        let mut s = seed;
        let mut data = Vec::with_capacity(n * dim);
        for _ in 0..n {
            let v: Vec<f32> = (0..dim)
                .map(|_| {
                    s = s
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((s >> 33) as f32 / (1u64 << 31) as f32) - 0.5
                })
                .collect();
            let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            data.extend(v.iter().map(|x| x / norm));
        }
        Vectors { dim, data }
    }

    fn params(ef_search: u32) -> GraphInfo {
        GraphInfo {
            ef_search,
            ef_construction: 64,
            ..BuildParams::default().graph
        }
    }

    #[test]
    fn finds_what_instant_distance_finds() {
        // Enough points for several upper layers (instant-distance's M is 32).
        let (n, dim) = (3000, 24);
        let v = vectors(n, dim, 7);
        let info = params(48);
        let graph = Graph::build(&v, &info, instant_distance::Builder::default());
        assert!(graph.layers.len() >= 3, "{} layers", graph.layers.len());
        let points: Vec<QPoint> = (0..n).map(|i| QPoint::quantize(v.get(i))).collect();
        let map = instant_distance::Builder::default()
            .ef_construction(info.ef_construction as usize)
            .ef_search(info.ef_search as usize)
            .seed(info.seed)
            .build(points, (0..n as u32).collect::<Vec<_>>());
        let queries = vectors(50, dim, 99);
        let mut same = 0;
        for i in 0..queries.len() {
            let q = QPoint::quantize(queries.get(i));
            let ours = graph.candidates(&q);
            let mut search = instant_distance::Search::default();
            let theirs: Vec<(u32, f32)> = map
                .search(&q, &mut search)
                .map(|item| (*item.value, item.distance))
                .collect();
            assert_eq!(ours.len(), 48);
            // The same distances in the same order; ids may differ only among equal distances.
            let d = |l: &[(u32, f32)]| l.iter().map(|x| x.1.to_bits()).collect::<Vec<_>>();
            assert_eq!(d(&ours), d(&theirs), "query {i}");
            same += (ours == theirs) as usize;
        }
        assert!(same >= 45, "{same} of 50 identical");
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let v = vectors(500, 16, 3);
        let graph = Graph::build(&v, &params(32), instant_distance::Builder::default());
        let bytes = graph.encode();
        let file = FileRef {
            path: "graph-x.bin".into(),
            bytes: bytes.len() as u64,
            sha256: String::new(),
        };
        let back = Graph::decode(&file, &bytes, Some(8)).unwrap();
        assert_eq!(back.ef_search(), 8);
        assert_eq!(back.len(), 500);
        let q = QPoint::quantize(v.get(17));
        assert_eq!(back.candidates(&q)[0].0, 17);
        for i in 0..500u32 {
            assert_eq!(back.point(i).q, &QPoint::quantize(v.get(i as usize)).q[..]);
        }
        // A payload whose checksum is right but whose contents are not: every damaged
        // size or id is an error, never a panic.
        let raw = graph.raw.clone();
        for at in (0..raw.len()).step_by(7) {
            let mut bad = raw.clone();
            bad[at] ^= 0xA5;
            if let Ok(g) = Graph::from_raw(bad) {
                let _ = g.candidates(&q);
            }
        }
        for cut in [0, 3, 19, 20, 100, raw.len() - 1] {
            assert!(
                Graph::from_raw(raw[..cut].to_vec()).is_err(),
                "cut at {cut}"
            );
        }
        let empty = Graph::build(
            &Vectors {
                dim: 4,
                data: vec![],
            },
            &params(8),
            Default::default(),
        );
        assert!(empty
            .candidates(&QPoint::quantize(&[1.0, 0.0, 0.0, 0.0]))
            .is_empty());
    }
}
