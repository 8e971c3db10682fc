//! Compact codes of every article's vector, and its residual stored by partition: the
//! vector search a browser can start from a few megabytes.
//!
//! Every article's unit vector has a product-quantised code ([`Codes`]: `m` sub-spaces of
//! `dim / m` components, each one byte naming the nearest of 256 centroids), 64 bytes an
//! article. A search scores every (matching) article by its code — a table of `m × 256`
//! partial dot products per query, then `m` look-ups per article — and re-scores the best
//! [`RESCORE`] with their points, which are the ranking's scores. An article's point is
//! the residual of its vector from its code's reconstruction (centroids), quantised to
//! [`Points::bits`] per component with a scale of its own: 6 bits for large catalogs
//! (292 bytes an article against 388 for an int8 vector, and as close to it: the residual
//! is a third of the vector's length; 4 or 5 bits lost recall, docs/BENCHMARKS.md
//! "Residual points"), 8 for catalogs searched exactly ([`EXACT_BELOW`]). The
//! points are stored by partition (k-means over the vectors, about a hundred articles
//! each), one file each ([`Points`]), so a browser fetches only the partitions a query's
//! candidates fall in ([`crate::SearchError::Needs`]).
//!
//! ```text
//! codes payload (little endian), stored uncompressed:
//!   u32 dim, u32 n, u32 m, u32 partitions
//!   f32 × m·256·(dim/m)  centroids: sub-space s, centroid c at (s·256 + c)·(dim/m)
//!   u8 × n·m             each article's code, article by article
//!   u16 × n              each article's partition
//! points payload (one file per partition), stored uncompressed:
//!   u32 dim, u32 count, u32 partition, u32 bits (6 or 8)
//!   f32 × count          scale of each member's residual
//!   each member's residual, members in article order: i8 × dim (8 bits), or 3 bytes
//!   (a u24, little endian) for each 4 components of 6 bits, two's complement, the
//!   first in the low bits (6 bits)
//! ```

use crate::format::{self, Codec, FileKind};
use crate::index::{decode_payload, FileRef, IndexError};

/// Candidates a search re-scores with their points (at least; more when more results are
/// asked for). The exact top 10 lay within the codes' top 200 for 99 % of queries
/// (docs/BENCHMARKS.md, "Toward 15 MB").
pub const RESCORE: usize = 200;
/// Catalogs of at most this many articles are searched exactly (every matching article's
/// point; 7.8 MB of them at most): their rankings then equal a server's whose vector
/// store searches them exhaustively (its `exact_below`, the same number by default).
pub const EXACT_BELOW: usize = 20_000;
/// Centroids per sub-space: a code is one byte.
const CENTROIDS: usize = 256;

/// Bits per component of the points of `n` articles, unless `asked` (non-zero) says:
/// 8 for catalogs searched exactly (every matching article scored by its point, so its
/// precision is the ranking's), 6 above (recall@10 0.9773 on the full catalog's bench
/// queries; 8 bits 0.9873, 5 bits 0.9581: docs/BENCHMARKS.md, "Residual points"). The
/// one place the choice is made: training and the manifest both ask here.
pub fn point_bits(asked: u32, n: usize) -> u32 {
    match asked {
        0 if n <= EXACT_BELOW => 8,
        0 => 6,
        bits => bits,
    }
}

/// Every article's code and partition.
#[derive(Debug, Clone, PartialEq)]
pub struct Codes {
    pub dim: usize,
    /// Sub-spaces (bytes per code).
    pub m: usize,
    centroids: Vec<f32>,
    codes: Vec<u8>,
    partition: Vec<u16>,
    /// Each article's position among its partition's members.
    slot: Vec<u32>,
    /// Members of each partition.
    sizes: Vec<u32>,
}

fn bad(file: &FileRef, message: impl Into<String>) -> IndexError {
    IndexError::Inconsistent {
        file: file.path.clone(),
        message: message.into(),
    }
}

fn u32_at(raw: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(raw[i * 4..i * 4 + 4].try_into().expect("4 bytes"))
}

impl Codes {
    fn new(
        dim: usize,
        m: usize,
        partitions: usize,
        centroids: Vec<f32>,
        codes: Vec<u8>,
        partition: Vec<u16>,
    ) -> Self {
        let mut sizes = vec![0u32; partitions];
        let slot = partition
            .iter()
            .map(|&p| {
                let s = sizes[p as usize];
                sizes[p as usize] += 1;
                s
            })
            .collect();
        Self {
            dim,
            m,
            centroids,
            codes,
            partition,
            slot,
            sizes,
        }
    }

    pub fn len(&self) -> usize {
        self.partition.len()
    }

    pub fn is_empty(&self) -> bool {
        self.partition.is_empty()
    }

    /// How many partitions (points files) there are.
    pub fn partitions(&self) -> usize {
        self.sizes.len()
    }

    /// Members of partition `p`.
    pub fn members(&self, p: usize) -> usize {
        self.sizes[p] as usize
    }

    /// Article `i`'s partition and its position among the partition's members.
    pub fn place(&self, i: u32) -> (usize, usize) {
        (
            self.partition[i as usize] as usize,
            self.slot[i as usize] as usize,
        )
    }

    /// The partial dot products of `query` with every centroid of every sub-space.
    pub fn table(&self, query: &[f32]) -> Vec<f32> {
        let d = self.dim / self.m;
        let mut t = Vec::with_capacity(self.m * CENTROIDS);
        for s in 0..self.m {
            let q = &query[s * d..(s + 1) * d];
            for c in 0..CENTROIDS {
                let at = (s * CENTROIDS + c) * d;
                let centroid = &self.centroids[at..at + d];
                t.push(q.iter().zip(centroid).map(|(a, b)| a * b).sum());
            }
        }
        t
    }

    /// Article `i`'s approximate similarity to the query whose [`Codes::table`] is `table`.
    #[inline]
    pub fn approx(&self, table: &[f32], i: u32) -> f32 {
        let code = &self.codes[i as usize * self.m..(i as usize + 1) * self.m];
        // A row of 256 per sub-space, indexed by a byte: no bounds to check. Sub-space
        // `s` adds into `acc[s % 4]`, summed at the end, on every platform alike.
        let (rows, _) = table.as_chunks::<CENTROIDS>();
        let (rows4, rows_rest) = rows.as_chunks::<4>();
        let (code4, code_rest) = code.as_chunks::<4>();
        let mut acc = [0f32; 4];
        for (c, r) in code4.iter().zip(rows4) {
            for j in 0..4 {
                acc[j] += r[j][c[j] as usize];
            }
        }
        for (j, (&c, r)) in code_rest.iter().zip(rows_rest).enumerate() {
            acc[j] += r[c as usize];
        }
        acc.iter().sum()
    }

    /// Writes article `i`'s reconstruction from its code (the centroids it names) into
    /// `out` (`dim` floats): what its point's residual is added to.
    pub fn reconstruct(&self, i: u32, out: &mut [f32]) {
        let d = self.dim / self.m;
        let code = &self.codes[i as usize * self.m..(i as usize + 1) * self.m];
        for ((s, &c), o) in code.iter().enumerate().zip(out.chunks_exact_mut(d)) {
            let at = (s * CENTROIDS + c as usize) * d;
            o.copy_from_slice(&self.centroids[at..at + d]);
        }
    }

    /// Container bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(16 + self.centroids.len() * 4 + self.codes.len() * 3);
        for v in [self.dim, self.len(), self.m, self.partitions()] {
            raw.extend_from_slice(&(v as u32).to_le_bytes());
        }
        for x in &self.centroids {
            raw.extend_from_slice(&x.to_le_bytes());
        }
        raw.extend_from_slice(&self.codes);
        for p in &self.partition {
            raw.extend_from_slice(&p.to_le_bytes());
        }
        format::encode_file(FileKind::Codes, Codec::Stored, &raw)
    }

    /// Decodes and checks a codes file (every size against the header; every partition
    /// number below the partition count).
    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Codes)?;
        if raw.len() < 16 {
            return Err(bad(file, "the codes header is missing"));
        }
        let (dim, n, m, partitions) = (
            u32_at(&raw, 0) as usize,
            u32_at(&raw, 1) as usize,
            u32_at(&raw, 2) as usize,
            u32_at(&raw, 3) as usize,
        );
        if dim == 0 || m == 0 || dim % m != 0 || partitions == 0 || partitions > 1 << 16 {
            return Err(bad(
                file,
                format!("{dim} components in {m} sub-spaces and {partitions} partitions"),
            ));
        }
        let centroid_floats = m * CENTROIDS * (dim / m);
        let expected = n
            .checked_mul(m + 2)
            .and_then(|x| x.checked_add(16 + centroid_floats * 4));
        if expected != Some(raw.len()) {
            return Err(bad(
                file,
                format!("{n} codes of {m} bytes do not fit {} bytes", raw.len()),
            ));
        }
        let mut at = 16;
        let centroids = raw[at..at + centroid_floats * 4]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        at += centroid_floats * 4;
        let codes = raw[at..at + n * m].to_vec();
        at += n * m;
        let partition: Vec<u16> = raw[at..]
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        if partition.iter().any(|&p| p as usize >= partitions) {
            return Err(bad(file, "an article's partition is out of range"));
        }
        Ok(Self::new(dim, m, partitions, centroids, codes, partition))
    }
}

/// The points of one partition's members: each member's residual from its code's
/// reconstruction ([`Codes::reconstruct`]), quantised with a scale per member.
#[derive(Debug, Clone, PartialEq)]
pub struct Points {
    dim: usize,
    bits: u32,
    scales: Vec<f32>,
    packed: Vec<u8>,
}

/// Whether points of `bits` per component can hold `dim` components.
fn packable(bits: u32, dim: usize) -> bool {
    bits == 8 || (bits == 6 && dim.is_multiple_of(4))
}

/// The four 6-bit two's-complement components of a u24.
#[inline]
fn sixes(b: &[u8]) -> [f32; 4] {
    let w = u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
    std::array::from_fn(|k| ((((w >> (6 * k)) as u8) << 2) as i8 >> 2) as f32)
}

impl Points {
    /// Bits per component: 6 or 8.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Adds member `slot`'s residual to `out` (its code's reconstruction): the vector
    /// the ranking scores.
    pub fn add_residual(&self, slot: usize, out: &mut [f32]) {
        let scale = self.scales[slot];
        let width = self.dim * self.bits as usize / 8;
        let row = &self.packed[slot * width..(slot + 1) * width];
        if self.bits == 8 {
            for (o, &b) in out.iter_mut().zip(row) {
                *o += scale * (b as i8) as f32;
            }
        } else {
            for (four, b) in out.chunks_exact_mut(4).zip(row.chunks_exact(3)) {
                for (o, level) in four.iter_mut().zip(sixes(b)) {
                    *o += scale * level;
                }
            }
        }
    }

    /// Container bytes of partition `partition`'s points: `q` holds each member's
    /// quantised components (in `-32..=31` for 6 bits), `dim` a member.
    pub fn encode(dim: usize, partition: usize, bits: u32, scales: &[f32], q: &[i8]) -> Vec<u8> {
        assert!(packable(bits, dim), "{bits}-bit points of {dim}");
        let mut raw = Vec::with_capacity(16 + scales.len() * 4 + q.len());
        for v in [dim, scales.len(), partition, bits as usize] {
            raw.extend_from_slice(&(v as u32).to_le_bytes());
        }
        for s in scales {
            raw.extend_from_slice(&s.to_le_bytes());
        }
        if bits == 8 {
            raw.extend(q.iter().map(|&x| x as u8));
        } else {
            for four in q.chunks_exact(4) {
                let w = four
                    .iter()
                    .enumerate()
                    .fold(0u32, |w, (k, &x)| w | u32::from(x as u8 & 63) << (6 * k));
                raw.extend_from_slice(&w.to_le_bytes()[..3]);
            }
        }
        format::encode_file(FileKind::Points, Codec::Stored, &raw)
    }

    /// Decodes partition `partition`'s points, checked to hold `members` points of `dim`.
    pub fn decode(
        file: &FileRef,
        bytes: &[u8],
        partition: usize,
        members: usize,
        dim: usize,
    ) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Points)?;
        if raw.len() < 16 {
            return Err(bad(file, "the points header is missing"));
        }
        let (d, count, p, bits) = (
            u32_at(&raw, 0) as usize,
            u32_at(&raw, 1) as usize,
            u32_at(&raw, 2) as usize,
            u32_at(&raw, 3),
        );
        if d != dim || count != members || p != partition {
            return Err(bad(
                file,
                format!(
                    "holds {count} points of {d} for partition {p}; \
                     the codes place {members} of {dim} there (partition {partition})"
                ),
            ));
        }
        if !packable(bits, dim) {
            return Err(bad(file, format!("{bits}-bit points of {dim} components")));
        }
        let width = dim * bits as usize / 8;
        if Some(raw.len()) != count.checked_mul(4 + width).map(|x| x + 16) {
            return Err(bad(file, "its size does not fit its points"));
        }
        let scales: Vec<f32> = raw[16..16 + count * 4]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().expect("4")))
            .collect();
        if scales.iter().any(|s| !s.is_finite()) {
            return Err(bad(file, "a point's scale is not a number"));
        }
        let packed = raw[16 + count * 4..].to_vec();
        Ok(Self {
            dim,
            bits,
            scales,
            packed,
        })
    }
}

#[cfg(any(test, feature = "build"))]
pub use train::{train, Trained};

#[cfg(any(test, feature = "build"))]
mod train;

#[cfg(test)]
mod tests;
