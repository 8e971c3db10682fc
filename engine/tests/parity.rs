//! The engine's embeddings against sentence-transformers' (tests/fixtures/parity.json,
//! made by scripts/parity/make_fixture.py), with the f32 weights and with the quantized
//! export the browser downloads.

use atelier_engine::embed::{cosine, quantize_weights};
use atelier_engine::Embedder;
use std::path::PathBuf;

fn root() -> PathBuf {
    // At run time, not compile time: a clone at another path may reuse this binary from a
    // shared target dir (paths in cargo's fingerprints are workspace-relative).
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("..")
}

fn model_dir() -> PathBuf {
    std::env::var_os("ATELIER_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/all-MiniLM-L6-v2"))
}

fn read(name: &str) -> Vec<u8> {
    let path = model_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}. Fetch the model first: cargo run --release -p atelier-indexer -- fetch-model",
            path.display()
        )
    })
}

struct Fixture {
    texts: Vec<String>,
    vectors: Vec<Vec<f32>>,
}

fn fixture() -> Fixture {
    let raw = std::fs::read(root().join("tests/fixtures/parity.json")).expect("parity fixture");
    let v: serde_json::Value = serde_json::from_slice(&raw).expect("fixture is JSON");
    let texts: Vec<String> = serde_json::from_value(v["texts"].clone()).expect("texts");
    let vectors: Vec<Vec<f32>> = serde_json::from_value(v["vectors"].clone()).expect("vectors");
    assert!(texts.len() >= 20 && texts.len() == vectors.len());
    Fixture { texts, vectors }
}

/// Asserts every fixture text, batched and alone, is at `min_cosine` or more; returns the
/// smallest and the mean cosine (of the batched embeddings).
fn check(embedder: &Embedder, min_cosine: f32) -> (f32, f32) {
    let f = fixture();
    let (mut min, mut sum) = (f32::MAX, 0f32);
    // One batch (padding to the longest text) and one text at a time must both match.
    let refs: Vec<&str> = f.texts.iter().map(String::as_str).collect();
    let batch = embedder.embed_batch(&refs).expect("embeds");
    for (i, text) in f.texts.iter().enumerate() {
        let single = embedder.embed(text).expect("embeds");
        for (how, v) in [("batched", &batch[i]), ("single", &single)] {
            let c = cosine(v, &f.vectors[i]);
            assert!(c >= min_cosine, "{how} {text:?}: cosine {c} < {min_cosine}");
            let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            assert!((norm - 1.0).abs() < 1e-4, "{text:?} is not unit length");
        }
        let c = cosine(&batch[i], &f.vectors[i]);
        min = min.min(c);
        sum += c;
    }
    (min, sum / f.texts.len() as f32)
}

#[test]
fn f32_weights_match_sentence_transformers() {
    let e = Embedder::from_bytes(
        &read("config.json"),
        &read("tokenizer.json"),
        read("model.safetensors"),
    )
    .unwrap();
    assert_eq!(e.dim(), 384);
    let (min, mean) = check(&e, 0.9999);
    eprintln!("f32 weights: cosine to sentence-transformers min {min:.6} mean {mean:.6}");
}

/// The budget for the model file the browser downloads: two thirds of the int8 ONNX
/// MiniLM that in-browser peers ship (23 MB). The shipped scheme is 15.6 MB.
const BROWSER_MODEL_BUDGET: usize = 16_000_000;

#[test]
fn quantized_export_matches_sentence_transformers() {
    let q = quantize_weights(&read("model.safetensors")).unwrap();
    assert!(q.starts_with(b"GGUF"));
    assert!(
        q.len() <= BROWSER_MODEL_BUDGET,
        "quantized weights are {} bytes, over {BROWSER_MODEL_BUDGET}",
        q.len()
    );
    let e = Embedder::from_bytes(&read("config.json"), &read("tokenizer.json"), q.clone()).unwrap();
    let (min, mean) = check(&e, 0.99);
    eprintln!(
        "quantized export: {} bytes, cosine to sentence-transformers min {min:.6} mean {mean:.6}",
        q.len()
    );
    // Deterministic: the same weights give the same file (content-hashed name in an index).
    assert_eq!(quantize_weights(&read("model.safetensors")).unwrap(), q);
}

/// Indexes of earlier builds ship f16 safetensors; they still load.
#[test]
fn f16_safetensors_still_load() {
    let tensors = candle_core::safetensors::load_buffer(
        &read("model.safetensors"),
        &candle_core::Device::Cpu,
    )
    .unwrap();
    let f16: std::collections::HashMap<String, candle_core::Tensor> = tensors
        .into_iter()
        .map(|(name, t)| {
            let t = if t.dtype().is_float() {
                t.to_dtype(candle_core::DType::F16).unwrap()
            } else {
                t
            };
            (name, t)
        })
        .collect();
    let path = std::env::temp_dir().join(format!("atelier-f16-{}.safetensors", std::process::id()));
    candle_core::safetensors::save(&f16, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::remove_file(&path).ok();
    let e = Embedder::from_bytes(&read("config.json"), &read("tokenizer.json"), bytes).unwrap();
    let (min, mean) = check(&e, 0.999);
    eprintln!("f16 safetensors: cosine to sentence-transformers min {min:.6} mean {mean:.6}");
}

#[test]
fn long_texts_are_truncated_not_rejected() {
    let e = Embedder::from_bytes(
        &read("config.json"),
        &read("tokenizer.json"),
        read("model.safetensors"),
    )
    .unwrap();
    let long = "soft cotton jersey dress with pockets ".repeat(200);
    assert_eq!(e.token_count(&long), 256);
    assert_eq!(e.embed(&long).unwrap().len(), 384);
}

#[test]
fn bad_model_bytes_are_errors() {
    let config = read("config.json");
    let tokenizer = read("tokenizer.json");
    assert!(Embedder::from_bytes(b"{not json", &tokenizer, vec![]).is_err());
    assert!(Embedder::from_bytes(&config, b"[]", vec![]).is_err());
    assert!(Embedder::from_bytes(&config, &tokenizer, b"garbage".to_vec()).is_err());
    assert!(quantize_weights(b"not safetensors").is_err());
}

#[test]
fn bad_gguf_bytes_are_errors() {
    let config = read("config.json");
    let tokenizer = read("tokenizer.json");
    let load = |bytes: Vec<u8>| Embedder::from_bytes(&config, &tokenizer, bytes);
    assert!(load(b"GGUF".to_vec()).is_err());
    assert!(load(b"GGUF\x03\0\0\0garbage".to_vec()).is_err());
    // Header counts claiming more than the file holds.
    let mut huge = b"GGUF\x03\0\0\0".to_vec();
    huge.extend_from_slice(&u64::MAX.to_le_bytes());
    huge.extend_from_slice(&u64::MAX.to_le_bytes());
    assert!(load(huge).is_err());
    let q = quantize_weights(&read("model.safetensors")).unwrap();
    // Truncated anywhere: in the header, in the tensor table, in the tensor data.
    for cut in [5, 40, 300, 2_000, q.len() / 2, q.len() - 1] {
        assert!(load(q[..cut].to_vec()).is_err(), "cut at {cut}");
    }
    // A tensor's declared dimension replaced by a huge one.
    let key = b"embeddings.word_embeddings.weight";
    let at = q.windows(key.len()).rposition(|w| w == key).unwrap() + key.len();
    let mut bad = q.clone();
    bad[at + 4..at + 12].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
    assert!(load(bad).is_err());
    // A word-embedding shape in the metadata that does not fit the tensor.
    let key = b"atelier.shape.embeddings.word_embeddings.weight";
    let at = q.windows(key.len()).position(|w| w == key).unwrap() + key.len();
    let mut bad = q.clone();
    // value type (u32), array element type (u32), length (u64), then the first dimension.
    bad[at + 16..at + 24].copy_from_slice(&7u64.to_le_bytes());
    assert!(load(bad).is_err());
}

/// The model an index ships without its word embeddings, and their rows in files
/// (`words::split`): with the files a query's tokens fall in attached, its vector is the
/// whole model's bit for bit; without them, `MissingWords` names exactly those files.
#[test]
fn split_word_embeddings_give_the_whole_models_vectors() {
    use atelier_engine::words::{split, ROWS_PER_FILE};
    use atelier_engine::EmbedError;
    let (config, tokenizer) = (read("config.json"), read("tokenizer.json"));
    let whole_gguf = quantize_weights(&read("model.safetensors")).unwrap();
    let whole = Embedder::from_bytes(&config, &tokenizer, whole_gguf.clone()).unwrap();
    let (head, files) = split(&whole_gguf).unwrap();
    assert_eq!(files.len(), 30_522usize.div_ceil(ROWS_PER_FILE));
    assert!(head.len() + files.iter().map(Vec::len).sum::<usize>() < whole_gguf.len() + 4096);
    let mut parted = Embedder::from_bytes(&config, &tokenizer, head).unwrap();
    assert_eq!(parted.word_files(), files.len());
    assert_eq!(whole.word_files(), 0);
    for text in [
        "red dress",
        "something warm for the kids",
        "cardigen",
        "ünïcödé 🧥 jacket",
    ] {
        let needed = parted.missing_words(text).unwrap();
        assert!(
            !needed.is_empty() && needed.len() < 12,
            "{text}: {needed:?}"
        );
        match parted.embed(text) {
            Err(EmbedError::MissingWords(files)) => assert_eq!(files, needed, "{text}"),
            other => panic!("{text}: {other:?}"),
        }
        for &n in &needed {
            parted.attach_words(n, &files[n]).unwrap();
        }
        assert!(parted.missing_words(text).unwrap().is_empty());
        assert_eq!(
            parted.embed(text).unwrap(),
            whole.embed(text).unwrap(),
            "{text}"
        );
    }
    // A file of the wrong size or number is an error; the right one still attaches.
    let last = files.len() - 1;
    assert!(parted.attach_words(last, &files[0]).is_err());
    assert!(parted.attach_words(0, &files[0][1..]).is_err());
    assert!(parted.attach_words(files.len(), &files[0]).is_err());
    assert!(parted.attach_words(last, &files[last]).is_ok());
    // The whole model has no files to attach.
    let mut whole = whole;
    assert!(whole.attach_words(0, &files[0]).is_err());
}
