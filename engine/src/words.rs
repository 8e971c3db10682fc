//! The model's word embeddings in files of [`ROWS_PER_FILE`] rows, fetched as queries
//! need them.
//!
//! The word-embedding table (30,522 tokens × 384, q4_k: 6.6 MB) is most of the model an
//! index ships, yet a query reads a handful of its rows. An index stores the model
//! without it (`model-<h>.bin`, whose GGUF metadata says how the table is split: the
//! rows' quantization and [`ROWS_PER_FILE`]) and the table's rows in `words-<h>.bin`
//! files of 64 consecutive token ids each (raw quantized blocks: 64 rows of 384 are 96
//! whole k-quant blocks of 256). A native front end attaches every file at load; the
//! browser's model worker asks for the files a query's tokens fall in
//! ([`crate::Embedder::missing_words`]) and attaches them first. The rows dequantize to
//! the very floats the whole table would have given, so the vectors are bit-identical.

use crate::embed::EmbedError;
use candle_core::quantized::{ggml_file, gguf_file, GgmlDType, QTensor};
use candle_core::{Device, Tensor};

/// Consecutive token ids per `words-<h>.bin` file.
pub const ROWS_PER_FILE: usize = 64;
/// The tensor the split takes out of the model.
pub(crate) const TENSOR: &str = "embeddings.word_embeddings.weight";
/// GGUF metadata of a model whose word embeddings are split off: their type's name
/// (`q4_k`, see [`crate::embed::Quantization`]) and rows per file.
const DTYPE_KEY: &str = "atelier.words.dtype";
const ROWS_KEY: &str = "atelier.words.rows_per_file";

fn bad(message: impl std::fmt::Display) -> EmbedError {
    EmbedError::Weights(message.to_string())
}

/// Splits the word embeddings out of a GGUF file of [`crate::embed::quantize_weights`]:
/// the model without them (its metadata naming the split) and the table's rows in files
/// of [`ROWS_PER_FILE`], each the raw blocks of its rows.
pub fn split(gguf: &[u8]) -> Result<(Vec<u8>, Vec<Vec<u8>>), EmbedError> {
    let mut reader = std::io::Cursor::new(gguf);
    let content = gguf_file::Content::read(&mut reader).map_err(bad)?;
    let mut names: Vec<&String> = content.tensor_infos.keys().collect();
    names.sort();
    let mut tensors = Vec::with_capacity(names.len());
    let mut words = None;
    for name in names {
        let q = content.tensor(&mut reader, name, &Device::Cpu)?;
        if name == TENSOR {
            words = Some(q);
        } else {
            tensors.push((name.as_str(), q));
        }
    }
    let words = words.ok_or_else(|| bad(format!("the model has no {TENSOR}")))?;
    let dtype = words.dtype();
    let dims = crate::embed::stored_shape(&content, TENSOR)?
        .unwrap_or_else(|| words.shape().dims().to_vec());
    let &[rows, hidden] = dims.as_slice() else {
        return Err(bad(format!("{TENSOR} has shape {dims:?}")));
    };
    // The files must be what a reader takes: whole blocks each.
    let split = Split {
        dtype,
        rows_per_file: ROWS_PER_FILE,
    };
    WordRows::new(split, rows, hidden)?;
    let block = dtype.block_size();
    let data = words.data()?;
    let bytes_per_file = ROWS_PER_FILE * hidden / block * dtype.type_size();
    if data.len() != rows * hidden / block * dtype.type_size() {
        return Err(bad(format!("{TENSOR} holds {} bytes", data.len())));
    }
    let files = data.chunks(bytes_per_file).map(<[u8]>::to_vec).collect();
    let mut metadata: Vec<(String, gguf_file::Value)> = content
        .metadata
        .iter()
        .filter(|(k, _)| !k.ends_with(TENSOR))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    metadata.sort_by(|a, b| a.0.cmp(&b.0));
    metadata.push((
        DTYPE_KEY.into(),
        gguf_file::Value::String(crate::embed::type_name(dtype).into()),
    ));
    metadata.push((ROWS_KEY.into(), gguf_file::Value::U32(ROWS_PER_FILE as u32)));
    let metadata: Vec<(&str, &gguf_file::Value)> =
        metadata.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let tensors: Vec<(&str, &QTensor)> = tensors.iter().map(|(n, q)| (*n, q)).collect();
    let mut out = std::io::Cursor::new(Vec::new());
    gguf_file::write(&mut out, &metadata, &tensors)?;
    Ok((out.into_inner(), files))
}

/// How a split model's word rows are stored (from its GGUF metadata).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Split {
    pub dtype: GgmlDType,
    pub rows_per_file: usize,
}

impl Split {
    /// The split a GGUF file's metadata names, if any.
    pub(crate) fn of(content: &gguf_file::Content) -> Result<Option<Self>, EmbedError> {
        let (Some(dtype), Some(rows)) = (
            content.metadata.get(DTYPE_KEY),
            content.metadata.get(ROWS_KEY),
        ) else {
            return Ok(None);
        };
        let dtype = dtype.to_string().map_err(bad)?;
        let dtype = crate::embed::type_named(dtype)
            .ok_or_else(|| bad(format!("unknown word embedding type {dtype:?}")))?;
        let rows_per_file = rows.to_u32().map_err(bad)? as usize;
        if rows_per_file == 0 || rows_per_file > 1 << 16 {
            return Err(bad(format!("{rows_per_file} word rows per file")));
        }
        Ok(Some(Self {
            dtype,
            rows_per_file,
        }))
    }
}

/// The word-embedding table: whole (a model directory, or a model shipped whole), or in
/// files attached as they arrive.
pub(crate) enum WordTable {
    Whole(Tensor),
    Split(WordRows),
}

impl WordTable {
    /// The rows of `ids`, `(ids.len(), hidden)` (the caller has checked that a split
    /// table has their files: [`WordRows::missing`]).
    pub(crate) fn lookup(&self, ids: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Self::Whole(t) => t.embedding(ids),
            Self::Split(rows) => rows.lookup(&ids.to_vec1::<u32>()?),
        }
    }

    /// The split table's rows, if split.
    pub(crate) fn rows(&mut self) -> Option<&mut WordRows> {
        match self {
            Self::Whole(_) => None,
            Self::Split(rows) => Some(rows),
        }
    }

    pub(crate) fn missing(&self, ids: &[u32]) -> Vec<usize> {
        match self {
            Self::Whole(_) => Vec::new(),
            Self::Split(rows) => rows.missing(ids),
        }
    }

    pub(crate) fn hidden(&self) -> candle_core::Result<usize> {
        match self {
            Self::Whole(t) => t.dim(1),
            Self::Split(rows) => Ok(rows.hidden),
        }
    }
}

/// A split table's rows: each file's dequantized rows once attached.
pub(crate) struct WordRows {
    split: Split,
    vocab: usize,
    hidden: usize,
    files: Vec<Option<Vec<f32>>>,
}

impl WordRows {
    pub(crate) fn new(split: Split, vocab: usize, hidden: usize) -> Result<Self, EmbedError> {
        let block = split.dtype.block_size();
        let whole_blocks = |rows: usize| (rows * hidden).is_multiple_of(block);
        if !whole_blocks(split.rows_per_file) || !whole_blocks(vocab) {
            return Err(bad(format!(
                "word rows of {hidden} in files of {} do not fill whole blocks of {block}",
                split.rows_per_file
            )));
        }
        Ok(Self {
            split,
            vocab,
            hidden,
            files: vec![None; vocab.div_ceil(split.rows_per_file)],
        })
    }

    pub(crate) fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Rows in file `n` (the last may hold fewer).
    fn rows_in(&self, n: usize) -> usize {
        (self.vocab - n * self.split.rows_per_file).min(self.split.rows_per_file)
    }

    /// The files holding `ids` that are not attached yet, ascending (ids past the
    /// vocabulary are left to the lookup's error).
    pub(crate) fn missing(&self, ids: &[u32]) -> Vec<usize> {
        let mut files: Vec<usize> = ids
            .iter()
            .map(|&id| id as usize / self.split.rows_per_file)
            .filter(|&n| self.files.get(n).is_some_and(Option::is_none))
            .collect();
        files.sort_unstable();
        files.dedup();
        files
    }

    /// Attaches file `n`: its rows' raw blocks, exactly as many bytes as they fill.
    pub(crate) fn attach(&mut self, n: usize, raw: &[u8]) -> Result<(), EmbedError> {
        if n >= self.files.len() {
            return Err(bad(format!(
                "there is no word file {n} (the model has {})",
                self.files.len()
            )));
        }
        let elements = self.rows_in(n) * self.hidden;
        let dtype = self.split.dtype;
        let expected = elements / dtype.block_size() * dtype.type_size();
        if raw.len() != expected {
            return Err(bad(format!(
                "word file {n} holds {} bytes, its {} rows fill {expected}",
                raw.len(),
                self.rows_in(n)
            )));
        }
        // An owned copy: the blocks are read in place, so they must be the allocator's
        // (aligned), and exactly as long as checked above.
        let raw = raw.to_vec();
        let dims = if dtype.block_size() > 1 {
            vec![elements / dtype.block_size(), dtype.block_size()]
        } else {
            vec![elements]
        };
        let q = ggml_file::qtensor_from_ggml(dtype, &raw, dims, &Device::Cpu)?;
        let rows = q
            .dequantize(&Device::Cpu)?
            .flatten_all()?
            .to_vec1::<f32>()?;
        self.files[n] = Some(rows);
        Ok(())
    }

    fn lookup(&self, ids: &[u32]) -> candle_core::Result<Tensor> {
        let mut out = Vec::with_capacity(ids.len() * self.hidden);
        for &id in ids {
            let id = id as usize;
            let per = self.split.rows_per_file;
            let rows = self
                .files
                .get(id / per)
                .and_then(Option::as_ref)
                .filter(|_| id < self.vocab)
                .ok_or_else(|| {
                    candle_core::Error::Msg(format!(
                        "token id {id}: its word file is not attached, or it is past the vocabulary"
                    ))
                })?;
            let at = (id % per) * self.hidden;
            out.extend_from_slice(&rows[at..at + self.hidden]);
        }
        Tensor::from_vec(out, (ids.len(), self.hidden), &Device::Cpu)
    }
}
