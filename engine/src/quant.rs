//! Compact vectors: int8 with a per-vector scale, and the distance the HNSW graph uses.

use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A unit vector quantized to int8: `v[i] ≈ q[i] * scale`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QPoint {
    pub scale: f32,
    /// Shared: instant-distance clones points as it builds the graph.
    #[serde(with = "int8_bytes")]
    pub q: Arc<[i8]>,
}

/// The components as one byte string in binary formats (the graph's serde form, which
/// [`crate::graph`] reads once as it lays a new graph out). In postcard a byte string and
/// a sequence of `i8` are the same bytes (a varint length, then one byte per component),
/// but decoding copies the whole slice at once instead of visiting 384 elements per point.
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
        dot_i8_f32(&self.q, v) * self.scale
    }
}

/// Dot product of int8 components with a full-precision vector (unscaled).
#[inline]
pub(crate) fn dot_i8_f32(q: &[i8], v: &[f32]) -> f32 {
    multiversion!(dot_i8_f32_portable(q => &[i8], v => &[f32]) -> f32)
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

/// Dot product of two int8 vectors.
#[inline]
pub(crate) fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let r = simd128::dot_i8(a, b);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let r = multiversion!(dot_i8_portable(a => &[i8], b => &[i8]) -> i32);
    r
}

/// The int8 dot product with WebAssembly SIMD's `i32x4.dot_i16x8_s`, which LLVM does not
/// make of the portable loop; the graph walk computes a few thousand per query. Integer
/// sums are exact, so the result is the portable loop's (checked in the browser by the
/// worker's wasm tests). The f32 kernels need no such help: LLVM vectorises them for
/// SIMD128 as they are.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128 {
    use std::arch::wasm32::*;

    #[inline]
    pub fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
        let n = a.len().min(b.len());
        let (a, b) = (&a[..n], &b[..n]);
        let whole = n / 16 * 16;
        let mut acc = i32x4_splat(0);
        for at in (0..whole).step_by(16) {
            // SAFETY: `at + 16 <= n` for both slices; v128_load reads unaligned.
            let (x, y) = unsafe {
                (
                    v128_load(a.as_ptr().add(at).cast::<v128>()),
                    v128_load(b.as_ptr().add(at).cast::<v128>()),
                )
            };
            let lo = i32x4_dot_i16x8(i16x8_extend_low_i8x16(x), i16x8_extend_low_i8x16(y));
            let hi = i32x4_dot_i16x8(i16x8_extend_high_i8x16(x), i16x8_extend_high_i8x16(y));
            acc = i32x4_add(acc, i32x4_add(lo, hi));
        }
        let tail: i32 = a[whole..]
            .iter()
            .zip(&b[whole..])
            .map(|(&x, &y)| x as i32 * y as i32)
            .sum();
        i32x4_extract_lane::<0>(acc)
            + i32x4_extract_lane::<1>(acc)
            + i32x4_extract_lane::<2>(acc)
            + i32x4_extract_lane::<3>(acc)
            + tail
    }
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

/// Checks that the kernels this build uses (AVX2, WebAssembly SIMD or portable) give the
/// portable loops' results bit for bit, on vectors of several lengths; `Err` names the
/// first that does not. For tests on every target (the browser's included).
#[doc(hidden)]
pub fn check_kernels() -> Result<(), String> {
    for len in [384, 385, 391, 7, 16, 0] {
        let a: Vec<f32> = (0..len)
            .map(|i| ((i * 37 % 101) as f32 - 50.0) / 61.0)
            .collect();
        let b: Vec<f32> = (0..len)
            .map(|i| ((i * 53 % 97) as f32 - 48.0) / 59.0)
            .collect();
        let (qa, qb) = (QPoint::quantize(&a), QPoint::quantize(&b));
        if dot(&a, &b).to_bits() != dot_f32_portable(&a, &b).to_bits() {
            return Err(format!("f32 dot product, length {len}"));
        }
        if dot_i8(&qa.q, &qb.q) != dot_i8_portable(&qa.q, &qb.q) {
            return Err(format!("int8 dot product, length {len}"));
        }
        if dot_i8_f32(&qa.q, &b).to_bits() != dot_i8_f32_portable(&qa.q, &b).to_bits() {
            return Err(format!("int8 × f32 dot product, length {len}"));
        }
    }
    #[cfg(feature = "model")]
    crate::matmul::check_kernels()?;
    Ok(())
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
        // The same bytes as a plain sequence of i8.
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
        // Native (AVX2 when present) and wasm (SIMD128) must rank identically; the worker's
        // wasm tests run the same check in a browser.
        check_kernels().unwrap();
    }
}
