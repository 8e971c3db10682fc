//! Compares ways of storing the browser's model (docs/BENCHMARKS.md, "Browser model size
//! and parity"): for each quantization scheme, the bytes of the file (raw and deflated, as
//! a static host sends it) and how close its query vectors are to the f32 model's and to
//! sentence-transformers'.
//!
//! ```text
//! cargo run --release -p atelier-engine --example model_schemes -- MODEL_DIR \
//!     [q6_k/q8_0 q4_k/q5_k …]
//! ```
//!
//! Texts: every query of bench/queries.txt and of the judged sets (bench/relevance/*.json),
//! and the parity fixture's texts (tests/fixtures/parity.json, whose sentence-transformers
//! vectors are the reference for "vs ST").

use atelier_engine::embed::{cosine, quantize_weights_as, Quantization, SHIPPED};
use atelier_engine::Embedder;
use std::path::{Path, PathBuf};

const DEFAULT: [&str; 6] = [
    "q6_k/q8_0",
    "q6_k/q6_k",
    "q5_k/q6_k",
    "q4_k/q6_k",
    "q4_k/q5_k",
    "q4_k/q4_k",
];

fn queries(root: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut out: Vec<String> = std::fs::read_to_string(root.join("bench/queries.txt"))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    for entry in std::fs::read_dir(root.join("bench/relevance"))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)?;
            let list = v.get("queries").unwrap_or(&v);
            for q in list.as_array().into_iter().flatten() {
                if let Some(text) = q.get("query").and_then(|t| t.as_str()) {
                    out.push(text.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn deflated(bytes: &[u8]) -> usize {
    miniz_oxide::deflate::compress_to_vec(bytes, 9).len()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(model_dir) = args.first().map(PathBuf::from) else {
        return Err("usage: model_schemes MODEL_DIR [WORD/MATRICES …]".into());
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let names: Vec<&str> = match args.get(1..) {
        Some(named) if !named.is_empty() => named.iter().map(String::as_str).collect(),
        _ => DEFAULT.to_vec(),
    };
    let schemes: Vec<Quantization> = names
        .iter()
        .map(|s| Quantization::parse(s))
        .collect::<Result<_, _>>()?;
    let config = std::fs::read(model_dir.join("config.json"))?;
    let tokenizer = std::fs::read(model_dir.join("tokenizer.json"))?;
    let safetensors = std::fs::read(model_dir.join("model.safetensors"))?;
    let texts = queries(&root)?;
    let fixture: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("tests/fixtures/parity.json"))?)?;
    let st_texts: Vec<String> = serde_json::from_value(fixture["texts"].clone())?;
    let st_vectors: Vec<Vec<f32>> = serde_json::from_value(fixture["vectors"].clone())?;

    let reference = Embedder::from_bytes(&config, &tokenizer, safetensors.clone())?;
    let embed_all = |e: &Embedder| -> Result<Vec<Vec<f32>>, Box<dyn std::error::Error>> {
        Ok(texts.iter().map(|t| e.embed(t)).collect::<Result<_, _>>()?)
    };
    let f32_vectors = embed_all(&reference)?;
    println!(
        "{} queries; {} parity texts; shipped scheme {}",
        texts.len(),
        st_texts.len(),
        SHIPPED.name()
    );
    println!("| scheme | bytes | deflated | queries vs f32: min / p1 / mean | parity texts vs ST: min / mean |");
    println!("| --- | ---: | ---: | ---: | ---: |");
    for scheme in schemes {
        let gguf = quantize_weights_as(&safetensors, scheme)?;
        let (bytes, gz) = (gguf.len(), deflated(&gguf));
        let e = Embedder::from_bytes(&config, &tokenizer, gguf)?;
        let mut cos: Vec<f32> = embed_all(&e)?
            .iter()
            .zip(&f32_vectors)
            .map(|(a, b)| cosine(a, b))
            .collect();
        cos.sort_by(f32::total_cmp);
        let mean = cos.iter().sum::<f32>() / cos.len() as f32;
        let p1 = cos[cos.len() / 100];
        let st: Vec<f32> = st_texts
            .iter()
            .zip(&st_vectors)
            .map(|(t, v)| e.embed(t).map(|x| cosine(&x, v)))
            .collect::<Result<_, _>>()?;
        let st_min = st.iter().copied().fold(f32::MAX, f32::min);
        let st_mean = st.iter().sum::<f32>() / st.len() as f32;
        println!(
            "| {} | {bytes} | {gz} | {:.5} / {p1:.5} / {mean:.5} | {st_min:.5} / {st_mean:.5} |",
            scheme.name(),
            cos[0]
        );
    }
    Ok(())
}
