//! Replaces the model file of an index with this build's quantized export of a model
//! directory, leaving every other file as it is: to compare the browser's model of two
//! builds on the same documents (docs/BENCHMARKS.md, "Browser model size and parity").
//!
//! ```text
//! cp -al INDEX COPY   # hard links: only the model file and the manifest are replaced
//! cargo run --release -p atelier-engine --example swap_model -- MODEL_DIR COPY [f32 | WORD/MATRICES]
//! ```
//!
//! With `f32`, the model directory's f32 safetensors go in as they are (the reference the
//! quantized model is measured against); with a scheme such as `q4_k/q5_k`, that
//! quantization instead of the shipped one (`embed::Quantization::parse`).
//!
//! The model goes in whole (its word embeddings not split into files as `indexer build`
//! does; the index's word files are left unlisted): the vectors are the same either way.
//!
//! New files are written beside the old ones and renamed into place, so files the copy
//! shares with the original (hard links) are never written to.

use atelier_engine::embed::{quantize_weights_as, Quantization, SHIPPED};
use atelier_engine::format::{self, Codec, FileKind};
use atelier_engine::index::{FileRef, FileSet, MANIFEST};
use atelier_engine::Manifest;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (model_dir, index_dir, scheme) = match args.as_slice() {
        [m, i] => (m, i, Some(SHIPPED)),
        [m, i, f] if f == "f32" => (m, i, None),
        [m, i, s] => (m, i, Some(Quantization::parse(s)?)),
        _ => return Err("usage: swap_model MODEL_DIR INDEX_DIR [f32 | WORD/MATRICES]".into()),
    };
    let (model_dir, index_dir) = (PathBuf::from(model_dir), PathBuf::from(index_dir));
    let mut manifest = Manifest::from_json(&std::fs::read(index_dir.join(MANIFEST))?)?;
    let safetensors = std::fs::read(model_dir.join("model.safetensors"))?;
    let (weights, dtype) = match scheme {
        None => (safetensors, "f32".to_string()),
        Some(s) => (quantize_weights_as(&safetensors, s)?, s.describe()),
    };
    let file = format::encode_file(FileKind::ModelWeights, Codec::Stored, &weights);
    let new = FileRef {
        path: format::content_name("model", &file),
        bytes: file.len() as u64,
        sha256: format::sha256_hex(&file),
    };
    let old = std::mem::replace(&mut manifest.files.model_weights, new.clone());
    // The new model has its word embeddings whole: the index's word files (the old
    // model's, split off) are no longer listed.
    manifest.files.words = FileSet::new("words", &[]);
    let write = |name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let tmp = index_dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, index_dir.join(name))
    };
    write(&new.path, &file)?;
    manifest.model.weights_dtype = dtype;
    write(MANIFEST, &manifest.to_json())?;
    if old.path != new.path {
        std::fs::remove_file(index_dir.join(&old.path))?;
    }
    println!(
        "{}: {} ({} bytes) replaces {} ({} bytes)",
        index_dir.display(),
        new.path,
        new.bytes,
        old.path,
        old.bytes
    );
    Ok(())
}
