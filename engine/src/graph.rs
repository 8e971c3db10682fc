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
        Self::from_map(vectors.dim, &points, &map)
    }

    /// Our layout of an instant-distance map built over `points`.
    fn from_map(
        dim: usize,
        points: &[QPoint],
        map: &instant_distance::HnswMap<QPoint, u32>,
    ) -> Self {
        let serde_form = postcard::to_allocvec(map).expect("graph serializes");
        let map: SerdeMap =
            postcard::from_bytes(&serde_form).expect("instant-distance's serde form is known");
        let raw = Self::lay_out(dim, points, map);
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
        let entry = if n == 0 { 0 } else { article(0) };
        let top = upper.first().map_or(0, Vec::len);
        let upper_articles: Vec<u32> = (0..top as u32).map(article).collect();
        debug_assert_eq!(hnsw.points.len(), n);
        Self::write(
            dim,
            hnsw.ef_search,
            entry,
            &upper_articles,
            points,
            &zero,
            &upper,
        )
    }

    /// The payload of a graph given its parts: `zero` holds each article's neighbours,
    /// `upper[k]` each node's on upper layer k + 1 (whose nodes are the first
    /// `upper[k].len()` of `upper_articles`).
    fn write(
        dim: usize,
        ef_search: usize,
        entry: u32,
        upper_articles: &[u32],
        points: &[QPoint],
        zero: &[Vec<u32>],
        upper: &[Vec<Vec<u32>>],
    ) -> Vec<u8> {
        let n = points.len();
        let width = bits_for(n);
        let mut out = Vec::new();
        for v in [
            dim,
            n,
            ef_search,
            upper.len(),
            width as usize,
            entry as usize,
        ] {
            out.extend((v as u32).to_le_bytes());
        }
        for layer in upper {
            out.extend((layer.len() as u32).to_le_bytes());
        }
        for &a in upper_articles {
            out.extend(a.to_le_bytes());
        }
        for p in points {
            out.extend(p.scale.to_le_bytes());
        }
        for p in points {
            out.extend(p.q.iter().map(|&x| x as u8));
        }
        write_links(&mut out, zero, width);
        for layer in upper {
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
        self.candidates_ef(query, self.ef_search)
    }

    /// [`Graph::candidates`] with a beam of `ef` instead of the graph's own.
    pub fn candidates_ef(&self, query: &QPoint, ef: usize) -> Vec<(u32, f32)> {
        let ef = ef.max(1);
        if self.n == 0 {
            return Vec::new();
        }
        let upper = self.layers.len() - 1;
        let distance = self.point(self.entry).distance(query);
        let mut entry = Candidate {
            distance,
            id: self.entry,
        };
        if upper > 0 {
            // Upper layers number their nodes; node 0 is the entry article.
            let mut node = Candidate { distance, id: 0 };
            let mut beam = Beam::new(self.upper_articles.len());
            let distance = |id: u32| self.point(self.upper_articles[id as usize]).distance(query);
            for layer in (1..=upper).rev() {
                beam.restart(node);
                beam.search(1, |id| self.neighbours(layer, id), distance);
                node = beam.nearest[0];
            }
            entry = Candidate {
                distance: node.distance,
                id: self.upper_articles[node.id as usize],
            };
        }
        let mut beam = Beam::new(self.n);
        beam.restart(entry);
        beam.search(
            ef,
            |id| self.neighbours(0, id),
            |id| self.point(id).distance(query),
        );
        beam.nearest
            .into_iter()
            .map(|c| (c.id, c.distance))
            .collect()
    }
}

/// The graph's lists decoded for editing, with the points they are built over.
struct Editable<'a> {
    points: &'a [QPoint],
    /// `layers[0][article]`, then `layers[k][node]` for upper layer k.
    layers: Vec<Vec<Vec<u32>>>,
    upper_articles: &'a [u32],
}

impl Editable<'_> {
    /// The article of `id` on `layer`.
    #[inline]
    fn article(&self, layer: usize, id: u32) -> u32 {
        if layer == 0 {
            id
        } else {
            self.upper_articles[id as usize]
        }
    }

    #[inline]
    fn distance(&self, a: u32, b: u32) -> f32 {
        use instant_distance::Point;
        self.points[a as usize].distance(&self.points[b as usize])
    }

    /// Re-links `article` (upper-layer `node` on layers 1..=`level`) as HNSW inserts a
    /// node: greedy descent from `entry`, then on each of its layers a beam of `ef` whose
    /// nearest become its neighbours by instant-distance's heuristic, and each new
    /// neighbour re-picks its own list with the article among the candidates.
    fn relink(
        &mut self,
        article: u32,
        node: u32,
        level: usize,
        entry: u32,
        ef: usize,
        beams: &mut [Beam; 2],
    ) {
        let top = self.layers.len() - 1;
        let mut at = Candidate {
            distance: self.distance(article, entry),
            id: if top == 0 { entry } else { 0 },
        };
        for layer in (0..=top).rev() {
            let beam = &mut beams[usize::from(layer > 0)];
            beam.restart(at);
            let lists = &self.layers[layer];
            beam.search(
                if layer <= level { ef } else { 1 },
                |id| lists[id as usize].iter().copied(),
                |id| self.distance(article, self.article(layer, id)),
            );
            let found: Vec<Candidate> = beam
                .nearest
                .iter()
                .copied()
                .filter(|c| self.article(layer, c.id) != article)
                .collect();
            // (A layer where the beam meets no other node keeps the article's old list.)
            if layer <= level && !found.is_empty() {
                let me = if layer == 0 { article } else { node };
                let max = if layer == 0 { 2 * M } else { M };
                let mine = self.select(layer, article, &found, max);
                for &b in &mine {
                    let of_b = self.article(layer, b);
                    let mut cands: Vec<Candidate> = self.layers[layer][b as usize]
                        .iter()
                        .filter(|&&c| c != me)
                        .map(|&c| Candidate {
                            distance: self.distance(of_b, self.article(layer, c)),
                            id: c,
                        })
                        .chain(std::iter::once(Candidate {
                            distance: self.distance(of_b, article),
                            id: me,
                        }))
                        .collect();
                    cands.sort();
                    self.layers[layer][b as usize] = self.select(layer, of_b, &cands, max);
                }
                self.layers[layer][me as usize] = mine;
            }
            if layer > 0 {
                // The layer below numbers nodes alike, except layer 0 (by article).
                let next = found.first().copied().unwrap_or(at);
                at = Candidate {
                    distance: next.distance,
                    id: if layer == 1 {
                        self.upper_articles[next.id as usize]
                    } else {
                        next.id
                    },
                };
            }
        }
    }

    /// instant-distance's neighbour heuristic (keep pruned, no extension): from `cands`,
    /// nearest first, those nearer to `article` than to any already picked, then the
    /// others, up to `max`.
    fn select(&self, layer: usize, article: u32, cands: &[Candidate], max: usize) -> Vec<u32> {
        let mut picked: Vec<u32> = Vec::with_capacity(max);
        let mut pruned = Vec::new();
        for c in cands {
            if picked.len() >= max {
                break;
            }
            let ca = self.article(layer, c.id);
            if ca == article {
                continue;
            }
            let dominated = picked
                .iter()
                .any(|&r| self.distance(ca, self.article(layer, r)) < c.distance);
            if dominated {
                pruned.push(c.id);
            } else {
                picked.push(c.id);
            }
        }
        for id in pruned {
            if picked.len() >= max {
                break;
            }
            picked.push(id);
        }
        picked
    }
}

impl Graph {
    /// This graph, built over an earlier version of the same articles (same number, same
    /// order), brought up to date with `vectors`: every article whose int8 point changed is
    /// re-linked as HNSW inserts a node ([`Editable::relink`], a beam of `ef_construction`
    /// on each of its layers); every other article keeps its lists, and every article its
    /// layers. Links that others hold to a changed article stay (they are valid edges,
    /// only less useful). Refused when more than `max_changed` articles changed (a build
    /// from scratch is then as fast, and links everything anew) or when the vectors do not
    /// fit this graph.
    pub fn update(&self, vectors: &Vectors, ef_construction: usize, max_changed: usize) -> Update {
        if vectors.dim != self.dim || vectors.len() != self.n || self.n == 0 {
            return Update::Mismatch;
        }
        let points: Vec<QPoint> = (0..self.n)
            .map(|i| QPoint::quantize(vectors.get(i)))
            .collect();
        let changed: Vec<u32> = (0..self.n as u32)
            .filter(|&i| {
                let old = self.point(i);
                let new = &points[i as usize];
                old.scale.to_bits() != new.scale.to_bits() || old.q != &new.q[..]
            })
            .collect();
        if changed.len() > max_changed {
            return Update::TooManyChanged(changed.len());
        }
        let layers: Vec<Vec<Vec<u32>>> = (0..self.layers.len())
            .map(|l| {
                (0..self.layers[l].starts.len() as u32 - 1)
                    .map(|id| self.neighbours(l, id).collect())
                    .collect()
            })
            .collect();
        // Each upper-layer node's number, by article: node j is on layers 1..=k while
        // layer k has more than j nodes.
        let mut node_of = std::collections::HashMap::new();
        for (j, &a) in self.upper_articles.iter().enumerate() {
            node_of.insert(a, j as u32);
        }
        let mut edit = Editable {
            points: &points,
            layers,
            upper_articles: &self.upper_articles,
        };
        let mut beams = [Beam::new(self.n), Beam::new(self.upper_articles.len())];
        for &a in &changed {
            let (node, level) = match node_of.get(&a) {
                Some(&j) => (
                    j,
                    (1..edit.layers.len())
                        .take_while(|&l| (j as usize) < edit.layers[l].len())
                        .count(),
                ),
                None => (0, 0),
            };
            edit.relink(a, node, level, self.entry, ef_construction, &mut beams);
        }
        let Editable { layers, .. } = edit;
        let mut layers = layers.into_iter();
        let zero = layers.next().expect("layer 0");
        let upper: Vec<Vec<Vec<u32>>> = layers.collect();
        let mut raw = Self::write(
            self.dim,
            self.ef_search,
            self.entry,
            &self.upper_articles,
            &points,
            &zero,
            &upper,
        );
        raw.shrink_to_fit();
        let graph = Self::from_raw(raw).expect("an updated graph is consistent");
        Update::Updated {
            graph,
            changed: changed.len(),
        }
    }
}

/// What [`Graph::update`] made of the new vectors.
pub enum Update {
    /// The graph for the new vectors; `changed` articles were re-linked.
    Updated { graph: Graph, changed: usize },
    /// This many articles changed, more than the caller allowed.
    TooManyChanged(usize),
    /// The vectors are not of this graph's articles (another count or dimension).
    Mismatch,
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
mod tests;
