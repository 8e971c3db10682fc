//! The engine's embeddings against sentence-transformers' (tests/fixtures/parity.json,
//! made by scripts/parity/make_fixture.py), with the f32 weights and with the f16 export
//! the browser downloads.

use atelier_engine::embed::{cosine, weights_to_f16};
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

fn check(embedder: &Embedder, min_cosine: f32) {
    let f = fixture();
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
    }
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
    check(&e, 0.9999);
}

#[test]
fn f16_export_matches_sentence_transformers() {
    let f16 = weights_to_f16(&read("model.safetensors")).unwrap();
    assert!(
        f16.len() < 50_000_000,
        "f16 weights are {} bytes",
        f16.len()
    );
    let e = Embedder::from_bytes(&read("config.json"), &read("tokenizer.json"), f16).unwrap();
    check(&e, 0.999);
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
    assert!(weights_to_f16(b"not safetensors").is_err());
}
