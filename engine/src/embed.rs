//! all-MiniLM-L6-v2 sentence embeddings with candle, shared by native and wasm builds.
//!
//! Exactly what sentence-transformers does: WordPiece tokenisation with batch-longest
//! padding and truncation at [`MAX_TOKENS`], the BERT encoder, masked mean pooling and
//! L2 normalisation. Only where the bytes of the weights come from differs per platform.
//!
//! The weights are either safetensors (f32 or f16: the model directory the indexer embeds
//! documents with) or the quantized GGUF file of [`quantize_weights`] (what an index ships
//! and the browser downloads), dequantized to f32 at load. The encoder ([`crate::bert`])
//! is the same code for both; the index's model multiplies by its weight matrices with
//! [`crate::matmul`] (fast for a query's few tokens, the same bits on every platform), a
//! model directory with candle's gemm (fast for the indexer's batches).

use crate::bert::{Bert, Config, Weights};
use candle_core::quantized::{gguf_file, GgmlDType, QTensor};
use candle_core::{DType, Device, Tensor};
use std::collections::HashMap;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2.
pub const MAX_TOKENS: usize = 256;
/// Identifier of the model, recorded in every index.
pub const MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2";
/// Changes whenever the encoder's arithmetic does (and so the last bits of its vectors),
/// so that embedding caches keyed by the model never mix vectors of two revisions.
/// 2: the vectorising GELU and softmax in every layer, AVX-512 matrix kernels.
pub const ENCODER_REVISION: u32 = 2;

/// Why the model could not be loaded or run.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("model config.json is invalid: {0}")]
    Config(String),
    #[error("tokenizer.json is invalid: {0}")]
    Tokenizer(String),
    #[error("model weights are invalid: {0}")]
    Weights(String),
    #[error("tokenisation failed: {0}")]
    Tokenize(String),
    #[error("model inference failed: {0}")]
    Inference(#[from] candle_core::Error),
    /// The text's tokens need word files not attached yet ([`Embedder::attach_words`]).
    #[error("the query needs word files {0:?} of the model")]
    MissingWords(Vec<usize>),
}

/// A loaded sentence embedding model.
pub struct Embedder {
    model: Bert,
    tokenizer: Tokenizer,
    dim: usize,
    device: Device,
}

impl Embedder {
    /// Loads the model from the bytes of `config.json`, `tokenizer.json` and the weights:
    /// a safetensors file (f32 or f16) or the GGUF file of [`quantize_weights`], told
    /// apart by their first bytes. Computation is always f32.
    pub fn from_bytes(
        config_json: &[u8],
        tokenizer_json: &[u8],
        weights: Vec<u8>,
    ) -> Result<Self, EmbedError> {
        let config: Config =
            serde_json::from_slice(config_json).map_err(|e| EmbedError::Config(e.to_string()))?;
        config.check().map_err(EmbedError::Config)?;
        let dim = config.hidden_size;
        let mut tokenizer = Tokenizer::from_bytes(tokenizer_json)
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        // tokenizer.json ships fixed padding to 128; sentence-transformers pads to the
        // longest text of the batch and truncates at 256.
        let pad = tokenizer.get_padding().cloned().unwrap_or_default();
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_to_multiple_of: None,
            ..pad
        }));
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        let device = Device::Cpu;
        let weights = if weights.starts_with(GGUF_MAGIC) {
            let (tensors, words) = load_gguf(&weights, &device)?;
            Weights {
                tensors,
                packed: true,
                words,
            }
        } else {
            Weights {
                tensors: candle_core::safetensors::load_buffer(&weights, &device)
                    .map_err(weights_error)?,
                packed: false,
                words: None,
            }
        };
        let model = Bert::load(&weights, &config).map_err(weights_error)?;
        Ok(Self {
            model,
            tokenizer,
            dim,
            device,
        })
    }

    /// Embedding dimension (384 for MiniLM-L6).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Number of tokens `text` becomes (after truncation), for length-sorted batching.
    pub fn token_count(&self, text: &str) -> usize {
        self.tokenizer
            .encode(text, true)
            .map(|e| e.get_ids().len())
            .unwrap_or(MAX_TOKENS)
    }

    /// How many word files the model's word embeddings are split into (0: the model has
    /// its whole table; see [`crate::words`]).
    pub fn word_files(&self) -> usize {
        self.model.word_files()
    }

    /// The word files `text`'s tokens fall in that are not attached yet: what
    /// [`Embedder::embed`] needs first.
    pub fn missing_words(&self, text: &str) -> Result<Vec<usize>, EmbedError> {
        let e = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        Ok(self.model.missing_words(e.get_ids()))
    }

    /// Attaches word file `n`: the raw blocks of its rows (a `words-<h>.bin` file's
    /// payload).
    pub fn attach_words(&mut self, n: usize, raw: &[u8]) -> Result<(), EmbedError> {
        self.model.attach_words(n, raw)
    }

    /// Embeds one text.
    pub fn embed(&self, text: &str) -> Result<Vec<f32>, EmbedError> {
        Ok(self
            .embed_batch(&[text])?
            .pop()
            .expect("one input, one output"))
    }

    /// Embeds a batch of texts (padded to the longest); returns unit-length vectors.
    pub fn embed_batch(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, EmbedError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let encodings = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| EmbedError::Tokenize(e.to_string()))?;
        let n = encodings.len();
        let len = encodings
            .iter()
            .map(|e| e.get_ids().len())
            .max()
            .unwrap_or(0);
        let mut ids = Vec::with_capacity(n * len);
        let mut types = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            types.extend_from_slice(e.get_type_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let missing = self.model.missing_words(&ids);
        if !missing.is_empty() {
            return Err(EmbedError::MissingWords(missing));
        }
        let ids = Tensor::from_vec(ids, (n, len), &self.device)?;
        let types = Tensor::from_vec(types, (n, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device)?;
        let hidden = self.model.forward(&ids, &types, &mask)?;
        let pooled = mean_pool(&hidden, &mask)?;
        Ok(l2_normalize(&pooled)?.to_vec2::<f32>()?)
    }
}

/// Mean of the token vectors, counting only real (unmasked) tokens.
fn mean_pool(hidden: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
    let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
    let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
    let counts = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
    summed.broadcast_div(&counts)
}

fn l2_normalize(x: &Tensor) -> candle_core::Result<Tensor> {
    let norm = x.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
    x.broadcast_div(&norm)
}

/// First bytes of a GGUF file.
const GGUF_MAGIC: &[u8] = b"GGUF";
/// GGUF metadata key (plus the tensor name) holding the shape of a tensor that is stored
/// flattened into rows of 256 (a k-quant's block), as a list of u64.
const SHAPE_KEY: &str = "atelier.shape.";
/// Elements of the largest tensor a GGUF file may declare (MiniLM's largest has 11.7 M).
const MAX_TENSOR_ELEMENTS: usize = 1 << 28;
/// How the model an index ships stores its weight matrices: the word embeddings (30,522 ×
/// 384, half the parameters) and every other matrix (the encoder's, the position and
/// token-type embeddings). Biases and LayerNorms stay f32; the pooler (unused by mean
/// pooling) and integer buffers are left out. Whatever the types, the weights are
/// dequantized to f32 at load, so the forward pass is the same code for every scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantization {
    pub word_embeddings: GgmlDType,
    pub matrices: GgmlDType,
}

/// The scheme [`quantize_weights`] ships (docs/BENCHMARKS.md, "Browser model size and
/// parity", has the schemes measured and why this one).
pub const SHIPPED: Quantization = Quantization {
    word_embeddings: GgmlDType::Q4K,
    matrices: GgmlDType::Q6K,
};

/// The types a [`Quantization`] may name, by the names GGUF tools give them.
const TYPES: [(&str, GgmlDType); 10] = [
    ("f32", GgmlDType::F32),
    ("f16", GgmlDType::F16),
    ("q8_0", GgmlDType::Q8_0),
    ("q5_0", GgmlDType::Q5_0),
    ("q4_0", GgmlDType::Q4_0),
    ("q6_k", GgmlDType::Q6K),
    ("q5_k", GgmlDType::Q5K),
    ("q4_k", GgmlDType::Q4K),
    ("q3_k", GgmlDType::Q3K),
    ("q2_k", GgmlDType::Q2K),
];

pub(crate) fn type_name(t: GgmlDType) -> &'static str {
    TYPES.iter().find(|(_, d)| *d == t).map_or("?", |(n, _)| n)
}

pub(crate) fn type_named(name: &str) -> Option<GgmlDType> {
    TYPES.iter().find(|(n, _)| *n == name).map(|(_, d)| *d)
}

impl Quantization {
    /// `WORD/MATRICES`, e.g. `q4_k/q6_k` (the shipped scheme).
    pub fn parse(s: &str) -> Result<Self, EmbedError> {
        let find = |n: &str| {
            TYPES
                .iter()
                .find(|(name, _)| *name == n)
                .map(|(_, t)| *t)
                .ok_or_else(|| {
                    let known: Vec<&str> = TYPES.iter().map(|(n, _)| *n).collect();
                    EmbedError::Weights(format!(
                        "unknown weight type {n:?} (known: {})",
                        known.join(", ")
                    ))
                })
        };
        let (word, matrices) = s.split_once('/').ok_or_else(|| {
            EmbedError::Weights(format!(
                "a quantization is WORD/MATRICES, e.g. q4_k/q6_k, not {s:?}"
            ))
        })?;
        Ok(Self {
            word_embeddings: find(word.trim())?,
            matrices: find(matrices.trim())?,
        })
    }

    /// `q4_k/q6_k`.
    pub fn name(&self) -> String {
        format!(
            "{}/{}",
            type_name(self.word_embeddings),
            type_name(self.matrices)
        )
    }

    /// What an index's manifest records of it (`weights_dtype`).
    pub fn describe(&self) -> String {
        format!(
            "gguf: {} word embeddings, {} other matrices, f32 biases and norms",
            type_name(self.word_embeddings),
            type_name(self.matrices)
        )
    }
}

fn weights_error(e: impl std::fmt::Display) -> EmbedError {
    EmbedError::Weights(e.to_string())
}

/// Quantizes safetensors weights into the GGUF file an index ships (what the browser
/// downloads) with the [`SHIPPED`] scheme: cosine ≥ 0.99 to the f32 embeddings (see
/// engine/tests/parity.rs and docs/BENCHMARKS.md).
pub fn quantize_weights(weights: &[u8]) -> Result<Vec<u8>, EmbedError> {
    quantize_weights_as(weights, SHIPPED)
}

/// [`quantize_weights`] with another scheme (to measure one). A matrix whose elements
/// fill whole blocks of its type is stored flattened into rows of one block (the
/// k-quants' 256 elements do not divide MiniLM's rows of 384), its real shape in the
/// metadata; one whose rows do not fill whole blocks falls back to q8_0 (rows of 32), or
/// f32.
pub fn quantize_weights_as(weights: &[u8], scheme: Quantization) -> Result<Vec<u8>, EmbedError> {
    let tensors =
        candle_core::safetensors::load_buffer(weights, &Device::Cpu).map_err(weights_error)?;
    let mut names: Vec<&String> = tensors.keys().collect();
    names.sort();
    let mut quantized: Vec<(&str, QTensor)> = Vec::new();
    let mut metadata: Vec<(String, gguf_file::Value)> = vec![
        (
            "general.architecture".into(),
            gguf_file::Value::String("bert".into()),
        ),
        (
            "general.name".into(),
            gguf_file::Value::String(MODEL_ID.into()),
        ),
        (
            "atelier.quantization".into(),
            gguf_file::Value::String(scheme.describe()),
        ),
    ];
    for name in names {
        let t = &tensors[name];
        if !t.dtype().is_float() || name.starts_with("pooler.") {
            continue;
        }
        let t = t.to_dtype(DType::F32)?;
        let wanted = if name.ends_with("word_embeddings.weight") {
            scheme.word_embeddings
        } else if t.rank() == 2 {
            scheme.matrices
        } else {
            GgmlDType::F32
        };
        let block = wanted.block_size();
        let q = if t.rank() == 2 && block > 1 && t.dim(1)? % block == 0 {
            QTensor::quantize(&t, wanted)?
        } else if t.rank() == 2 && block > 1 && t.elem_count() % block == 0 {
            metadata.push((
                format!("{SHAPE_KEY}{name}"),
                gguf_file::Value::Array(
                    t.dims()
                        .iter()
                        .map(|&d| gguf_file::Value::U64(d as u64))
                        .collect(),
                ),
            ));
            QTensor::quantize(&t.reshape((t.elem_count() / block, block))?, wanted)?
        } else if t.rank() == 2 && block > 1 && t.dim(1)? % 32 == 0 {
            QTensor::quantize(&t, GgmlDType::Q8_0)?
        } else if t.rank() == 2 && block == 1 {
            QTensor::quantize(&t, wanted)?
        } else {
            QTensor::quantize(&t, GgmlDType::F32)?
        };
        quantized.push((name, q));
    }
    let metadata: Vec<(&str, &gguf_file::Value)> =
        metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let tensors: Vec<(&str, &QTensor)> = quantized.iter().map(|(n, q)| (*n, q)).collect();
    let mut out = std::io::Cursor::new(Vec::new());
    gguf_file::write(&mut out, &metadata, &tensors)?;
    Ok(out.into_inner())
}

/// The real shape of a tensor [`quantize_weights_as`] stored flattened (`None` for one
/// stored in its own shape).
pub(crate) fn stored_shape(
    content: &gguf_file::Content,
    name: &str,
) -> Result<Option<Vec<usize>>, EmbedError> {
    let Some(shape) = content.metadata.get(&format!("{SHAPE_KEY}{name}")) else {
        return Ok(None);
    };
    shape
        .to_vec()
        .and_then(|v| v.iter().map(|d| Ok(d.to_u64()? as usize)).collect())
        .map(Some)
        .map_err(|e| EmbedError::Weights(format!("shape of {name}: {e}")))
}

/// Reads a GGUF file of [`quantize_weights`] into f32 tensors, and the split of its word
/// embeddings when [`crate::words::split`] took them out.
fn load_gguf(
    bytes: &[u8],
    device: &Device,
) -> Result<(HashMap<String, Tensor>, Option<crate::words::Split>), EmbedError> {
    let mut reader = std::io::Cursor::new(bytes);
    let content = gguf_file::Content::read(&mut reader).map_err(weights_error)?;
    let split = crate::words::Split::of(&content)?;
    let mut tensors = HashMap::with_capacity(content.tensor_infos.len());
    for (name, info) in &content.tensor_infos {
        // Declared sizes are checked before anything is allocated.
        info.shape
            .dims()
            .iter()
            .try_fold(1usize, |n, &d| n.checked_mul(d))
            .filter(|&n| n <= MAX_TENSOR_ELEMENTS)
            .ok_or_else(|| {
                EmbedError::Weights(format!(
                    "tensor {name} has an implausible shape {:?}",
                    info.shape
                ))
            })?;
        let q = content
            .tensor(&mut reader, name, device)
            .map_err(|e| EmbedError::Weights(format!("tensor {name}: {e}")))?;
        let mut t = q
            .dequantize(device)
            .map_err(|e| EmbedError::Weights(format!("tensor {name}: {e}")))?;
        if let Some(dims) = stored_shape(&content, name)? {
            t = t
                .reshape(dims)
                .map_err(|e| EmbedError::Weights(format!("tensor {name}: {e}")))?;
        }
        tensors.insert(name.clone(), t);
    }
    Ok((tensors, split))
}

/// Cosine similarity of two vectors (any length; 0 for zero vectors).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (x, y) in a.iter().zip(b) {
        dot += (*x as f64) * (*y as f64);
        na += (*x as f64) * (*x as f64);
        nb += (*y as f64) * (*y as f64);
    }
    if na == 0.0 || nb == 0.0 {
        return 0.0;
    }
    (dot / (na.sqrt() * nb.sqrt())) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_parse_and_name_themselves() {
        assert_eq!(Quantization::parse("q4_k/q6_k").unwrap(), SHIPPED);
        assert_eq!(SHIPPED.name(), "q4_k/q6_k");
        assert_eq!(
            SHIPPED.describe(),
            "gguf: q4_k word embeddings, q6_k other matrices, f32 biases and norms"
        );
        let e = Quantization::parse("q4_k").unwrap_err().to_string();
        assert!(e.contains("WORD/MATRICES"), "{e}");
        let e = Quantization::parse("q9_k/q6_k").unwrap_err().to_string();
        assert!(e.contains("unknown weight type \"q9_k\""), "{e}");
    }
}
