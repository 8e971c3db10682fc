//! Training the codes and the partitions at build time (k-means, on all cores with the
//! `build` feature). Deterministic: the same vectors and seed give the same files.

use super::{point_bits, Codes, Points, CENTROIDS};
use crate::index::Vectors;
use crate::quant::dot;

/// Vectors k-means learns from (a spread sample of the catalog; every article is then
/// assigned).
const SAMPLE: usize = 25_000;
/// Rounds of k-means (assignment, then means).
const ROUNDS: usize = 10;

/// Codes and every partition's points file.
pub struct Trained {
    pub codes: Codes,
    /// Container bytes of each partition's [`Points`], by partition.
    pub points: Vec<Vec<u8>>,
}

fn par_map<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "build")]
    {
        use rayon::prelude::*;
        (0..n).into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "build"))]
    {
        (0..n).map(f).collect()
    }
}

/// A small deterministic generator (xorshift64*), for samples and first centroids.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }

    /// `k` distinct numbers below `n`, ascending.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k.min(n) {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k.min(n));
        all.sort_unstable();
        all
    }
}

fn sq(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The nearest of `centroids` (rows of `d`) to `x`, by Euclidean distance.
fn nearest(x: &[f32], centroids: &[f32], norms: &[f32], d: usize) -> usize {
    let mut best = (f32::INFINITY, 0);
    for (c, norm) in norms.iter().enumerate() {
        let row = &centroids[c * d..(c + 1) * d];
        // |x − c|² − |x|², the same order.
        let dist = if d >= 32 {
            norm - 2.0 * dot(x, row)
        } else {
            sq(x, row)
        };
        if dist < best.0 {
            best = (dist, c);
        }
    }
    best.1
}

/// k-means over `rows` (each `d` floats): `k` centroids (fewer when there are fewer
/// rows), started from distinct rows.
fn kmeans(rows: &[f32], d: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    let n = rows.len() / d;
    let k = k.min(n).max(1);
    let mut centroids: Vec<f32> = rng
        .sample(n, k)
        .into_iter()
        .flat_map(|i| rows[i * d..(i + 1) * d].iter().copied())
        .collect();
    for _ in 0..ROUNDS {
        let norms: Vec<f32> = centroids.chunks_exact(d).map(|c| dot(c, c)).collect();
        let assigned = par_map(n, |i| {
            nearest(&rows[i * d..(i + 1) * d], &centroids, &norms, d)
        });
        let mut sums = vec![0f64; k * d];
        let mut counts = vec![0usize; k];
        for (i, &c) in assigned.iter().enumerate() {
            counts[c] += 1;
            for (s, x) in sums[c * d..(c + 1) * d]
                .iter_mut()
                .zip(&rows[i * d..(i + 1) * d])
            {
                *s += *x as f64;
            }
        }
        for c in 0..k {
            // An empty cluster keeps its centroid.
            if counts[c] > 0 {
                for j in 0..d {
                    centroids[c * d + j] = (sums[c * d + j] / counts[c] as f64) as f32;
                }
            }
        }
    }
    centroids
}

/// A residual quantised to `bits` (6 or 8): its scale (the largest component's share of
/// the top level) and levels (`-127..=127`, or `-31..=31` for 6 bits).
pub fn quantize(r: &[f32], bits: u32) -> (f32, Vec<i8>) {
    let top = ((1 << (bits - 1)) - 1) as f32;
    let scale = r.iter().fold(0f32, |m, x| m.max(x.abs())) / top;
    if scale == 0.0 || !scale.is_finite() {
        return (0.0, vec![0; r.len()]);
    }
    let levels = r
        .iter()
        .map(|x| (x / scale).round().clamp(-top, top) as i8)
        .collect();
    (scale, levels)
}

/// Trains `m`-byte codes and `partitions` partitions (fewer for small catalogs: about a
/// hundred articles each) on `vectors`, and lays out each partition's points with `bits`
/// per component (6 or 8; 0: [`point_bits`] of the catalog's size).
/// `progress` hears each step.
pub fn train(
    vectors: &Vectors,
    m: usize,
    partitions: usize,
    seed: u64,
    bits: u32,
    progress: &dyn Fn(&str),
) -> Trained {
    let (n, dim) = (vectors.len(), vectors.dim);
    assert!(m > 0 && dim % m == 0, "{dim} components in {m} sub-spaces");
    let partitions = partitions.clamp(1, n.div_ceil(100).max(1)).min(1 << 16);
    let mut rng = Rng(seed | 1);
    let sample = rng.sample(n, SAMPLE);
    let rows: Vec<f32> = sample
        .iter()
        .flat_map(|&i| vectors.get(i).iter().copied())
        .collect();

    progress(&format!(
        "partitions: k-means of {partitions} over {} vectors",
        sample.len()
    ));
    let centres = kmeans(&rows, dim, partitions, &mut rng);
    let k = centres.len() / dim;
    let norms: Vec<f32> = centres.chunks_exact(dim).map(|c| dot(c, c)).collect();
    let partition: Vec<u16> = par_map(n, |i| nearest(vectors.get(i), &centres, &norms, dim) as u16);

    progress(&format!("codes: {m} sub-spaces of {CENTROIDS} centroids"));
    let d = dim / m;
    let mut centroids = Vec::with_capacity(m * CENTROIDS * d);
    for s in 0..m {
        let sub: Vec<f32> = rows
            .chunks_exact(dim)
            .flat_map(|r| r[s * d..(s + 1) * d].iter().copied())
            .collect();
        let c = kmeans(&sub, d, CENTROIDS, &mut rng);
        // Fewer rows than centroids (a tiny catalog): repeat the last to fill the table.
        let have = c.len() / d;
        centroids.extend_from_slice(&c);
        for _ in have..CENTROIDS {
            centroids.extend_from_slice(&c[(have - 1) * d..have * d]);
        }
    }
    let codes: Vec<u8> = par_map(n, |i| {
        let v = vectors.get(i);
        (0..m)
            .map(|s| {
                let x = &v[s * d..(s + 1) * d];
                let table = &centroids[s * CENTROIDS * d..(s + 1) * CENTROIDS * d];
                let mut best = (f32::INFINITY, 0u8);
                for c in 0..CENTROIDS {
                    let dist = sq(x, &table[c * d..(c + 1) * d]);
                    if dist < best.0 {
                        best = (dist, c as u8);
                    }
                }
                best.1
            })
            .collect::<Vec<u8>>()
    })
    .into_iter()
    .flatten()
    .collect();

    let codes = Codes::new(dim, m, k, centroids, codes, partition);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
    for i in 0..n as u32 {
        members[codes.place(i).0].push(i);
    }
    let bits = point_bits(bits, n);
    let points = par_map(k, |p| {
        let (mut scales, mut q) = (Vec::new(), Vec::new());
        let mut residual = vec![0f32; dim];
        for &i in &members[p] {
            codes.reconstruct(i, &mut residual);
            for (r, x) in residual.iter_mut().zip(vectors.get(i as usize)) {
                *r = x - *r;
            }
            let (scale, levels) = quantize(&residual, bits);
            scales.push(scale);
            q.extend_from_slice(&levels);
        }
        Points::encode(dim, p, bits, &scales, &q)
    });
    Trained { codes, points }
}
