//! all-MiniLM-L6-v2 sentence embeddings with candle, shared by native and wasm builds.
//!
//! Exactly what sentence-transformers does: WordPiece tokenisation with batch-longest
//! padding and truncation at [`MAX_TOKENS`], the BERT encoder, masked mean pooling and
//! L2 normalisation. Only where the bytes of the weights come from differs per platform.

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use std::collections::HashMap;
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2.
pub const MAX_TOKENS: usize = 256;
/// Identifier of the model, recorded in every index.
pub const MODEL_ID: &str = "sentence-transformers/all-MiniLM-L6-v2";

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
}

/// A loaded sentence embedding model.
pub struct Embedder {
    model: BertModel,
    tokenizer: Tokenizer,
    dim: usize,
    device: Device,
}

impl Embedder {
    /// Loads the model from the bytes of `config.json`, `tokenizer.json` and a safetensors
    /// file (f32 or f16; computation is always f32).
    pub fn from_bytes(
        config_json: &[u8],
        tokenizer_json: &[u8],
        weights: Vec<u8>,
    ) -> Result<Self, EmbedError> {
        let config: Config =
            serde_json::from_slice(config_json).map_err(|e| EmbedError::Config(e.to_string()))?;
        let dim: usize = serde_json::from_slice::<serde_json::Value>(config_json)
            .ok()
            .and_then(|v| v.get("hidden_size")?.as_u64())
            .ok_or_else(|| EmbedError::Config("hidden_size is missing".into()))?
            as usize;
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
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &device)
            .map_err(|e| EmbedError::Weights(e.to_string()))?;
        let model = BertModel::load(vb, &config).map_err(|e| EmbedError::Weights(e.to_string()))?;
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
        let ids = Tensor::from_vec(ids, (n, len), &self.device)?;
        let types = Tensor::from_vec(types, (n, len), &self.device)?;
        let mask = Tensor::from_vec(mask, (n, len), &self.device)?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
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

/// Converts safetensors weights to f16 (what the browser downloads: half the bytes,
/// cosine ≥ 0.99999 to the f32 embeddings).
pub fn weights_to_f16(weights: &[u8]) -> Result<Vec<u8>, EmbedError> {
    let tensors = candle_core::safetensors::load_buffer(weights, &Device::Cpu)
        .map_err(|e| EmbedError::Weights(e.to_string()))?;
    let mut converted: Vec<(String, Tensor)> = tensors
        .into_iter()
        .map(|(name, t)| {
            let t = if t.dtype().is_float() {
                t.to_dtype(DType::F16)?
            } else {
                t
            };
            Ok((name, t))
        })
        .collect::<Result<_, candle_core::Error>>()?;
    converted.sort_by(|a, b| a.0.cmp(&b.0));
    safetensors::serialize(converted, None::<HashMap<String, String>>)
        .map_err(|e| EmbedError::Weights(e.to_string()))
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
