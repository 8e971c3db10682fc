//! The BERT encoder of all-MiniLM-L6-v2, written for this engine (it replaces
//! candle-transformers' `BertModel`) so that a query's linear layers can use
//! [`crate::matmul::PackedMatrix`].
//!
//! The computation is BERT's as in Hugging Face `BertModel` with absolute positions and the
//! erf GELU — all all-MiniLM-L6-v2 needs. GELU and softmax are the engine's own loops,
//! which vectorise (candle's call libm's scalar `erff` and `expf`), and the padding mask
//! is only added when a batch has padding (one query never has any).
//!
//! Two ways to multiply by a weight matrix, chosen by where the weights come from:
//! - the model an index ships (GGUF, dequantized to f32 at load) embeds queries — in the
//!   browser, the server and `indexer search` — a few tokens at a time: its matrices are
//!   packed once at load and multiplied by [`PackedMatrix`], identically on every platform;
//! - a model directory (safetensors) embeds the catalog in large batches: candle's `gemm`,
//!   which is faster there.

use crate::embed::EmbedError;
use crate::matmul::PackedMatrix;
use crate::words::{self, WordRows, WordTable};
use candle_core::{DType, Result, Tensor};
use serde::Deserialize;
use std::collections::HashMap;

/// The fields of `config.json` the encoder uses.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub vocab_size: usize,
    pub hidden_size: usize,
    pub num_hidden_layers: usize,
    pub num_attention_heads: usize,
    pub intermediate_size: usize,
    pub max_position_embeddings: usize,
    pub type_vocab_size: usize,
    pub layer_norm_eps: f64,
    #[serde(default = "default_act")]
    pub hidden_act: String,
    #[serde(default = "default_position")]
    pub position_embedding_type: String,
}

fn default_act() -> String {
    "gelu".into()
}

fn default_position() -> String {
    "absolute".into()
}

impl Config {
    /// Rejects what the encoder does not implement or cannot divide.
    pub fn check(&self) -> std::result::Result<(), String> {
        if self.hidden_act != "gelu" {
            return Err(format!("hidden_act {:?} is not supported", self.hidden_act));
        }
        if self.position_embedding_type != "absolute" {
            return Err(format!(
                "position_embedding_type {:?} is not supported",
                self.position_embedding_type
            ));
        }
        if self.num_attention_heads == 0
            || !self.hidden_size.is_multiple_of(self.num_attention_heads)
        {
            return Err("hidden_size is not a multiple of num_attention_heads".into());
        }
        Ok(())
    }
}

/// The encoder's tensors by name, and how its linear layers multiply.
pub struct Weights {
    /// f32 or f16 tensors (dequantized already, for a GGUF file).
    pub tensors: HashMap<String, Tensor>,
    /// Multiply with [`PackedMatrix`] (the model an index ships, embedding queries) rather
    /// than candle's gemm (a model directory, embedding the catalog in batches).
    pub packed: bool,
    /// Set when the word embeddings are not among the tensors but in files of their
    /// own ([`crate::words`]).
    pub(crate) words: Option<crate::words::Split>,
}

impl Weights {
    /// A tensor as f32, checked against `shape`.
    fn tensor(&self, name: &str, shape: &[usize]) -> Result<Tensor> {
        let t = self
            .tensors
            .get(name)
            .ok_or_else(|| candle_core::Error::Msg(format!("tensor {name} is missing")))?;
        if t.dims() != shape {
            candle_core::bail!("tensor {name} has shape {:?}, expected {shape:?}", t.dims());
        }
        t.to_dtype(DType::F32)
    }
}

/// A linear layer's weights and bias, in the form its multiply reads them.
enum Linear {
    /// `out × in`, multiplied through a transposed view by candle's gemm.
    Gemm { weight: Tensor, bias: Tensor },
    Packed {
        weight: PackedMatrix,
        bias: Vec<f32>,
    },
}

impl Linear {
    fn load(w: &Weights, prefix: &str, inp: usize, out: usize) -> Result<Self> {
        let weight = w.tensor(&format!("{prefix}.weight"), &[out, inp])?;
        let bias = w.tensor(&format!("{prefix}.bias"), &[out])?;
        Ok(if w.packed {
            Linear::Packed {
                weight: PackedMatrix::pack(&weight.flatten_all()?.to_vec1::<f32>()?, out, inp),
                bias: bias.to_vec1::<f32>()?,
            }
        } else {
            Linear::Gemm { weight, bias }
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Linear::Gemm { weight, bias } => x.broadcast_matmul(&weight.t()?)?.broadcast_add(bias),
            Linear::Packed { weight, bias } => Self::packed(weight, bias, x, |_| ()),
        }
    }

    /// `gelu(forward(x))`; the packed form applies [`gelu`] to its output in place.
    fn forward_gelu(&self, x: &Tensor) -> Result<Tensor> {
        match self {
            Linear::Gemm { .. } => {
                let y = self.forward(x)?;
                let dims = y.dims().to_vec();
                let mut v = y.flatten_all()?.to_vec1::<f32>()?;
                gelu(&mut v);
                Tensor::from_vec(v, dims, x.device())
            }
            Linear::Packed { weight, bias } => Self::packed(weight, bias, x, gelu),
        }
    }

    fn packed(
        weight: &PackedMatrix,
        bias: &[f32],
        x: &Tensor,
        then: impl FnOnce(&mut [f32]),
    ) -> Result<Tensor> {
        let mut dims = x.dims().to_vec();
        if dims.last() != Some(&weight.inp()) {
            candle_core::bail!("input {dims:?} does not end in {}", weight.inp());
        }
        let mut y = weight.matmul(&x.flatten_all()?.to_vec1::<f32>()?, bias);
        then(&mut y);
        *dims.last_mut().expect("checked above") = weight.out();
        Tensor::from_vec(y, dims, x.device())
    }
}

/// BERT's GELU, `x·(1 + erf(x/√2))/2`, in place, with erf as a rational function that
/// vectorises (candle's calls libm's scalar `erff` per element: a few milliseconds of a
/// browser query, and a fifth of the indexer's batch time). The approximation is the odd
/// degree-13 over even degree-8 one of the Eigen and XLA libraries; the GELU differs from
/// candle's (libm) by under 2e-6, relative to max(1, |GELU|) (tested): far below what the
/// int8 weights change. Every layer uses it, queries and the indexer's batches alike.
pub fn gelu(v: &mut [f32]) {
    multiversion!(gelu_portable(v => &mut [f32]) -> ())
}

#[inline(always)]
fn gelu_portable(v: &mut [f32]) {
    for x in v {
        *x = 0.5 * *x * (1.0 + erf(*x * std::f32::consts::FRAC_1_SQRT_2));
    }
}

/// Softmax over the last dimension of a contiguous tensor, with an `exp` that vectorises
/// (candle's fused kernel calls libm's scalar `expf`, 7 % of the indexer's batch time).
fn softmax_last_dim(x: &Tensor) -> Result<Tensor> {
    let dims = x.dims().to_vec();
    let width = *dims.last().unwrap_or(&1);
    let mut v = x.flatten_all()?.to_vec1::<f32>()?;
    if width > 0 {
        softmax_rows(&mut v, width);
    }
    Tensor::from_vec(v, dims, x.device())
}

/// Softmax of each row of `width` values, in place.
pub fn softmax_rows(v: &mut [f32], width: usize) {
    multiversion!(softmax_rows_portable(v => &mut [f32], width => usize) -> ())
}

#[inline(always)]
fn softmax_rows_portable(v: &mut [f32], width: usize) {
    for row in v.chunks_exact_mut(width) {
        let max = row.iter().fold(f32::NEG_INFINITY, |m, &x| m.max(x));
        for x in row.iter_mut() {
            *x = exp(*x - max);
        }
        let mut acc = [0f32; 8];
        let (whole, tail) = row.as_chunks::<8>();
        for c in whole {
            for j in 0..8 {
                acc[j] += c[j];
            }
        }
        let sum = acc.iter().sum::<f32>() + tail.iter().sum::<f32>();
        for x in row.iter_mut() {
            *x /= sum;
        }
    }
}

/// `eˣ` to within 2 ulp (Cephes' `expf`: x = n·ln 2 + r, a degree-5 polynomial in r, then
/// 2ⁿ from the exponent bits), written without branches so that it vectorises; 0 below
/// −87 (where f32 turns subnormal), which is what a masked score needs.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let under = x < -87.0;
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + 0.5).floor();
    let r = x - n * 0.693_359_4 - n * -2.121_944_4e-4;
    let mut p = 1.987_569_1e-4_f32;
    for c in [
        1.398_199_9e-3,
        8.333_452e-3,
        4.166_579_6e-2,
        1.666_666_5e-1,
        0.5,
    ] {
        p = p * r + c;
    }
    let y = p * r * r + r + 1.0;
    let scale = f32::from_bits(((n as i32 + 127) as u32) << 23);
    if under {
        0.0
    } else {
        y * scale
    }
}

#[inline(always)]
fn erf(x: f32) -> f32 {
    // Beyond ±3.9, erf is ±1 in f32 (and the approximation is not quite).
    let tail = x.abs() >= 3.9;
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = -2.726_142_3e-10_f32;
    for c in [
        2.770_681_4e-8,
        -2.101_024e-6,
        -5.692_506_4e-5,
        -7.349_906_3e-4,
        -2.954_600_1e-3,
        -1.609_603_3e-2,
    ] {
        p = p * x2 + c;
    }
    let mut q = -1.456_607_2e-5_f32;
    for c in [
        -2.133_740_6e-4,
        -1.682_827e-3,
        -7.373_329_2e-3,
        -1.426_474e-2,
    ] {
        q = q * x2 + c;
    }
    if tail {
        1f32.copysign(x)
    } else {
        x * p / q
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    fn load(w: &Weights, prefix: &str, size: usize, eps: f64) -> Result<Self> {
        Ok(Self {
            weight: w.tensor(&format!("{prefix}.weight"), &[size])?,
            bias: w.tensor(&format!("{prefix}.bias"), &[size])?,
            eps: eps as f32,
        })
    }

    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        candle_nn::ops::layer_norm(&x.contiguous()?, &self.weight, &self.bias, self.eps)
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attention_out: Linear,
    attention_norm: LayerNorm,
    intermediate: Linear,
    output: Linear,
    output_norm: LayerNorm,
}

/// The encoder: token ids in, one hidden vector per token out.
pub struct Bert {
    word: WordTable,
    position: Tensor,
    token_type: Tensor,
    embedding_norm: LayerNorm,
    layers: Vec<Layer>,
    heads: usize,
    head_dim: usize,
}

impl Bert {
    pub fn load(w: &Weights, c: &Config) -> Result<Self> {
        c.check().map_err(candle_core::Error::Msg)?;
        let (h, i, eps) = (c.hidden_size, c.intermediate_size, c.layer_norm_eps);
        let layers = (0..c.num_hidden_layers)
            .map(|l| {
                let linear = |name: &str, inp, out| {
                    Linear::load(w, &format!("encoder.layer.{l}.{name}"), inp, out)
                };
                let norm = |name: &str| {
                    LayerNorm::load(w, &format!("encoder.layer.{l}.{name}.LayerNorm"), h, eps)
                };
                Ok(Layer {
                    query: linear("attention.self.query", h, h)?,
                    key: linear("attention.self.key", h, h)?,
                    value: linear("attention.self.value", h, h)?,
                    attention_out: linear("attention.output.dense", h, h)?,
                    attention_norm: norm("attention.output")?,
                    intermediate: linear("intermediate.dense", h, i)?,
                    output: linear("output.dense", i, h)?,
                    output_norm: norm("output")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            word: match w.words {
                Some(split) if !w.tensors.contains_key(words::TENSOR) => WordTable::Split(
                    WordRows::new(split, c.vocab_size, h)
                        .map_err(|e| candle_core::Error::Msg(e.to_string()))?,
                ),
                _ => WordTable::Whole(w.tensor(words::TENSOR, &[c.vocab_size, h])?),
            },
            position: w.tensor(
                "embeddings.position_embeddings.weight",
                &[c.max_position_embeddings, h],
            )?,
            token_type: w.tensor(
                "embeddings.token_type_embeddings.weight",
                &[c.type_vocab_size, h],
            )?,
            embedding_norm: LayerNorm::load(w, "embeddings.LayerNorm", h, eps)?,
            layers,
            heads: c.num_attention_heads,
            head_dim: h / c.num_attention_heads,
        })
    }

    /// Word files the table is split into (0 when whole).
    pub fn word_files(&self) -> usize {
        match &self.word {
            WordTable::Whole(_) => 0,
            WordTable::Split(rows) => rows.file_count(),
        }
    }

    /// The word files `ids` fall in that are not attached yet.
    pub fn missing_words(&self, ids: &[u32]) -> Vec<usize> {
        self.word.missing(ids)
    }

    /// Attaches word file `n` (its rows' raw blocks).
    pub fn attach_words(&mut self, n: usize, raw: &[u8]) -> std::result::Result<(), EmbedError> {
        match self.word.rows() {
            Some(rows) => rows.attach(n, raw),
            None => Err(EmbedError::Weights(
                "the model's word embeddings are not split into files".into(),
            )),
        }
    }

    /// Hidden states `(batch, len, hidden)` for token ids `(batch, len)`; `mask` is 1 for
    /// real tokens and 0 for padding (u32, like the ids).
    pub fn forward(&self, ids: &Tensor, types: &Tensor, mask: &Tensor) -> Result<Tensor> {
        let (b, len) = ids.dims2()?;
        if len > self.position.dim(0)? {
            candle_core::bail!(
                "{len} tokens exceed the model's {} positions",
                self.position.dim(0)?
            );
        }
        let hidden = self.word.hidden()?;
        let words = self.word.lookup(&ids.flatten_all()?)?;
        let kinds = self.token_type.embedding(&types.flatten_all()?)?;
        let x = (words + kinds)?.reshape((b, len, hidden))?;
        let x = x.broadcast_add(&self.position.narrow(0, 0, len)?)?;
        let mut x = self.embedding_norm.forward(&x)?;
        // Padding gets a large negative score before the softmax; with no padding (one
        // query, or a batch of equal lengths) there is nothing to add.
        let bias = if mask.min_all()?.to_scalar::<u32>()? == 0 {
            let m = mask.to_dtype(DType::F32)?.reshape((b, 1, 1, len))?;
            Some(((m - 1.0)? * f32::MAX as f64)?)
        } else {
            None
        };
        let scale = 1.0 / (self.head_dim as f64).sqrt();
        for layer in &self.layers {
            let split = |t: Tensor| -> Result<Tensor> {
                t.reshape((b, len, self.heads, self.head_dim))?
                    .transpose(1, 2)?
                    .contiguous()
            };
            let q = split((layer.query.forward(&x)? * scale)?)?;
            let k = split(layer.key.forward(&x)?)?;
            let v = split(layer.value.forward(&x)?)?;
            let mut scores = q.matmul(&k.t()?)?;
            if let Some(bias) = &bias {
                scores = scores.broadcast_add(bias)?;
            }
            let probs = softmax_last_dim(&scores)?;
            let context = probs
                .matmul(&v)?
                .transpose(1, 2)?
                .reshape((b, len, hidden))?;
            let attended = layer
                .attention_norm
                .forward(&(layer.attention_out.forward(&context)? + &x)?)?;
            let inner = layer.intermediate.forward_gelu(&attended)?;
            x = layer
                .output_norm
                .forward(&(layer.output.forward(&inner)? + &attended)?)?;
        }
        Ok(x)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn gelu_matches_candles_libm_gelu() {
        let xs: Vec<f32> = (-100_000..=100_000).map(|i| i as f32 * 1e-4).collect();
        let exact = candle_core::Tensor::new(xs.as_slice(), &candle_core::Device::Cpu)
            .and_then(|t| t.gelu_erf())
            .and_then(|t| t.to_vec1::<f32>())
            .unwrap();
        let mut ours = xs.clone();
        super::gelu(&mut ours);
        let (worst, at) = ours
            .iter()
            .zip(&exact)
            .zip(&xs)
            .map(|((a, b), x)| ((a - b).abs() / b.abs().max(1.0), *x))
            .fold((0f32, 0f32), |m, d| if d.0 > m.0 { d } else { m });
        assert!(worst < 2e-6, "GELU differs by {worst} (relative) at {at}");
        let mut big = [50.0, -50.0, 0.0];
        super::gelu(&mut big);
        assert_eq!(big, [50.0, 0.0, 0.0]);
    }

    #[test]
    fn exp_is_within_two_ulp_of_libm() {
        for i in -870_000..=880_000 {
            let x = i as f32 * 1e-4;
            let (ours, libm) = (super::exp(x), x.exp());
            let ulp = (libm.to_bits() as i64 - ours.to_bits() as i64).abs();
            assert!(ulp <= 2, "exp({x}) = {ours}, libm {libm} ({ulp} ulp)");
        }
        assert_eq!(super::exp(-1e30), 0.0);
        assert_eq!(super::exp(-f32::MAX), 0.0);
    }

    #[test]
    fn softmax_matches_candles_and_ignores_masked_scores() {
        let scores: Vec<f32> = (0..7 * 13)
            .map(|i| ((i * 37 % 23) as f32 - 11.0) / 3.0)
            .collect();
        let t = candle_core::Tensor::from_vec(scores.clone(), (7, 13), &candle_core::Device::Cpu)
            .unwrap();
        let candle = candle_nn::ops::softmax_last_dim(&t)
            .unwrap()
            .flatten_all()
            .unwrap()
            .to_vec1::<f32>()
            .unwrap();
        let mut ours = scores;
        super::softmax_rows(&mut ours, 13);
        for (a, b) in ours.iter().zip(&candle) {
            assert!((a - b).abs() <= 1e-6 * b.max(1e-3), "{a} against {b}");
        }
        // A padded position (score − f32::MAX) gets exactly nothing.
        let mut row = [0.5, 1.5, 0.5 - f32::MAX];
        super::softmax_rows(&mut row, 3);
        assert_eq!(row[2], 0.0);
        assert!((row[0] + row[1] - 1.0).abs() < 1e-6);
    }
}
