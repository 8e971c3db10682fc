//! Compact vectors: int8 with a per-vector scale, and the distance the HNSW graph uses.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A unit vector quantized to int8: `v[i] ≈ q[i] * scale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QPoint {
    pub scale: f32,
    /// Shared, so the index can keep every article's point in article order without a
    /// second copy of the graph's 40 MB (full catalog) of int8 components.
    pub q: Arc<[i8]>,
}

impl QPoint {
    /// Quantizes `v` symmetrically so that its largest component maps to ±127.
    pub fn quantize(v: &[f32]) -> Self {
        let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
        if max == 0.0 || !max.is_finite() {
            return Self {
                scale: 0.0,
                q: vec![0; v.len()].into(),
            };
        }
        let scale = max / 127.0;
        let q = v
            .iter()
            .map(|x| (x / scale).round().clamp(-127.0, 127.0) as i8)
            .collect();
        Self { scale, q }
    }

    /// Dot product with another quantized vector.
    #[inline]
    pub fn dot(&self, other: &QPoint) -> f32 {
        dot_i8(&self.q, &other.q) as f32 * self.scale * other.scale
    }

    /// Dot product with a full-precision vector (asymmetric: more exact than [`QPoint::dot`]).
    #[inline]
    pub fn dot_f32(&self, v: &[f32]) -> f32 {
        let mut acc = [0f32; 8];
        let (qa, qr) = self.q.as_chunks::<8>();
        let (va, vr) = v.as_chunks::<8>();
        for (q, x) in qa.iter().zip(va) {
            for j in 0..8 {
                acc[j] += q[j] as f32 * x[j];
            }
        }
        let tail: f32 = qr.iter().zip(vr).map(|(&q, &x)| q as f32 * x).sum();
        (acc.iter().sum::<f32>() + tail) * self.scale
    }
}

#[inline]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 16];
    let (aa, ar) = a.as_chunks::<16>();
    let (ba, br) = b.as_chunks::<16>();
    for (x, y) in aa.iter().zip(ba) {
        for j in 0..16 {
            acc[j] += x[j] as i32 * y[j] as i32;
        }
    }
    let tail: i32 = ar.iter().zip(br).map(|(&x, &y)| x as i32 * y as i32).sum();
    acc.iter().sum::<i32>() + tail
}

impl instant_distance::Point for QPoint {
    /// Cosine distance of unit vectors.
    fn distance(&self, other: &Self) -> f32 {
        1.0 - self.dot(other)
    }
}

/// Dot product of two full-precision vectors.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (aa, ar) = a.as_chunks::<8>();
    let (ba, br) = b.as_chunks::<8>();
    for (x, y) in aa.iter().zip(ba) {
        for j in 0..8 {
            acc[j] += x[j] * y[j];
        }
    }
    let tail: f32 = ar.iter().zip(br).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantized_dot_is_close() {
        let a: Vec<f32> = (0..384)
            .map(|i| ((i * 7 % 13) as f32 - 6.0) / 40.0)
            .collect();
        let b: Vec<f32> = (0..384)
            .map(|i| ((i * 5 % 11) as f32 - 5.0) / 35.0)
            .collect();
        let exact = dot(&a, &b);
        let (qa, qb) = (QPoint::quantize(&a), QPoint::quantize(&b));
        assert!((qa.dot(&qb) - exact).abs() < 0.02 * exact.abs().max(1.0));
        assert!((qa.dot_f32(&b) - exact).abs() < 0.01 * exact.abs().max(1.0));
        assert_eq!(QPoint::quantize(&[0.0; 4]).dot_f32(&[1.0; 4]), 0.0);
    }
}
