//! Compact vectors: int8 with a per-vector scale, and the distance the HNSW graph uses.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Calls a portable kernel compiled for AVX2 + FMA when the CPU has them (x86-64 builds
/// target the SSE2 baseline, where these loops vectorise at half the width), else
/// as is. Results are identical either way: integer sums are exact, and Rust never fuses
/// float multiply-adds on its own, so the f32 kernels round the same.
macro_rules! multiversion {
    ($kernel:ident($a:expr => $ta:ty, $b:expr => $tb:ty) -> $ret:ty) => {{
        let (a, b): ($ta, $tb) = ($a, $b);
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2,fma")]
            fn wide(a: $ta, b: $tb) -> $ret {
                $kernel(a, b)
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                // SAFETY: the CPU supports AVX2 and FMA (checked just above).
                unsafe { wide(a, b) }
            } else {
                $kernel(a, b)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            $kernel(a, b)
        }
    }};
}

/// A unit vector quantized to int8: `v[i] ≈ q[i] * scale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QPoint {
    pub scale: f32,
    /// Shared, so the index can keep every article's point in article order without a
    /// second copy of the graph's 40 MB (full catalog) of int8 components.
    #[serde(with = "int8_bytes")]
    pub q: Arc<[i8]>,
}

/// The components as one byte string in binary formats. In postcard a byte string and a
/// sequence of `i8` are the same bytes (a varint length, then one byte per component), so
/// files are unchanged — but decoding copies the whole slice at once instead of visiting
/// 384 elements per point (40 million for the full catalog, the largest part of a
/// browser's index load).
mod int8_bytes {
    use serde::de::{Deserializer, SeqAccess, Visitor};
    use serde::ser::Serializer;
    use serde::Serialize;
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(q: &Arc<[i8]>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            q.serialize(s)
        } else {
            let bytes: Vec<u8> = q.iter().map(|&x| x as u8).collect();
            s.serialize_bytes(&bytes)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[i8]>, D::Error> {
        struct Int8;
        impl<'de> Visitor<'de> for Int8 {
            type Value = Arc<[i8]>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("int8 components")
            }
            fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Self::Value, E> {
                Ok(b.iter().map(|&x| x as i8).collect())
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(x) = seq.next_element::<i8>()? {
                    v.push(x);
                }
                Ok(v.into())
            }
        }
        if d.is_human_readable() {
            d.deserialize_seq(Int8)
        } else {
            d.deserialize_bytes(Int8)
        }
    }
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
        multiversion!(dot_i8_f32_portable(&self.q => &[i8], v => &[f32]) -> f32) * self.scale
    }
}

#[inline(always)]
fn dot_i8_f32_portable(q: &[i8], v: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (qa, qr) = q.as_chunks::<8>();
    let (va, vr) = v.as_chunks::<8>();
    for (q, x) in qa.iter().zip(va) {
        for j in 0..8 {
            acc[j] += q[j] as f32 * x[j];
        }
    }
    let tail: f32 = qr.iter().zip(vr).map(|(&q, &x)| q as f32 * x).sum();
    acc.iter().sum::<f32>() + tail
}

#[inline]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    multiversion!(dot_i8_portable(a => &[i8], b => &[i8]) -> i32)
}

#[inline(always)]
fn dot_i8_portable(a: &[i8], b: &[i8]) -> i32 {
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
    multiversion!(dot_f32_portable(a => &[f32], b => &[f32]) -> f32)
}

#[inline(always)]
fn dot_f32_portable(a: &[f32], b: &[f32]) -> f32 {
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

    #[test]
    fn points_encode_as_before() {
        // The same bytes as a plain sequence of i8 (what format-2 files hold).
        #[derive(Serialize)]
        struct Plain {
            scale: f32,
            q: Vec<i8>,
        }
        let p = QPoint::quantize(&[0.5, -0.25, 0.0, 1.0, -1.0]);
        let plain = Plain {
            scale: p.scale,
            q: p.q.to_vec(),
        };
        let bytes = postcard::to_allocvec(&p).unwrap();
        assert_eq!(bytes, postcard::to_allocvec(&plain).unwrap());
        assert_eq!(postcard::from_bytes::<QPoint>(&bytes).unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<QPoint>(&json).unwrap(), p);
    }

    #[test]
    fn dispatched_kernels_equal_the_portable_ones_bit_for_bit() {
        // Native (AVX2 when present) and wasm (the portable loops) must rank identically.
        for len in [384, 385, 7, 0] {
            let a: Vec<f32> = (0..len)
                .map(|i| ((i * 37 % 101) as f32 - 50.0) / 61.0)
                .collect();
            let b: Vec<f32> = (0..len)
                .map(|i| ((i * 53 % 97) as f32 - 48.0) / 59.0)
                .collect();
            let (qa, qb) = (QPoint::quantize(&a), QPoint::quantize(&b));
            assert_eq!(dot(&a, &b).to_bits(), dot_f32_portable(&a, &b).to_bits());
            assert_eq!(dot_i8(&qa.q, &qb.q), dot_i8_portable(&qa.q, &qb.q));
            assert_eq!(
                qa.dot_f32(&b).to_bits(),
                (dot_i8_f32_portable(&qa.q, &b) * qa.scale).to_bits()
            );
        }
    }
}
