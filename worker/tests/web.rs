//! The engine in WebAssembly, in a real browser's dedicated worker (wasm-bindgen-test):
//! the worker's own loading code fetches a demo index over HTTP, then its embeddings and
//! rankings are compared with the native indexer's on the same index.
//!
//! Run by scripts/test-browser.sh, which serves the index and the native answers and sets
//! `ATELIER_WASM_TEST_BASE` (compile time) to their URL.
#![cfg(target_arch = "wasm32")]

use atelier_engine::api::{SearchRequest, SearchResponse, SimilarRequest};
use atelier_engine::Embedder;
use atelier_worker::{Encoded, QueryEncoder, Session, StartEncoder};
use futures::future::LocalBoxFuture;
use serde::Deserialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

/// Where the fixtures are served (scripts/test-browser.sh sets it when compiling).
const BASE: &str = match option_env!("ATELIER_WASM_TEST_BASE") {
    Some(base) => base,
    None => "http://127.0.0.1:9/set-ATELIER_WASM_TEST_BASE/",
};

async fn text(path: &str) -> String {
    let url = format!("{BASE}{path}");
    let bytes = atelier_worker::fetch_bytes(&url, |_| {})
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    String::from_utf8(bytes).expect("utf-8")
}

/// The model run in this worker (the app runs it in the encoder worker, whose code is
/// the engine's same `Embedder`); `Err` from every query when `fail` is set.
struct InProcess {
    embedder: Rc<RefCell<Embedder>>,
    fail: bool,
}

impl QueryEncoder for InProcess {
    fn embed<'a>(&'a self, text: &'a str) -> LocalBoxFuture<'a, Result<Encoded, String>> {
        Box::pin(async move {
            if self.fail {
                return Err("the model's worker stopped".into());
            }
            match self.embedder.borrow().embed(text) {
                Ok(v) => Ok(Encoded::Vector(v)),
                Err(atelier_engine::EmbedError::MissingWords(files)) => {
                    Ok(Encoded::NeedsWords(files))
                }
                Err(e) => Err(e.to_string()),
            }
        })
    }

    fn attach_words(&self, words: Vec<(usize, Vec<u8>)>) -> Result<(), String> {
        let mut embedder = self.embedder.borrow_mut();
        for (n, rows) in words {
            embedder.attach_words(n, &rows).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

type Model = Rc<RefCell<Embedder>>;

/// Starts [`InProcess`] encoders, keeping the last one's model in `slot`.
fn in_process(slot: Rc<RefCell<Option<Model>>>, fail: bool) -> StartEncoder {
    Rc::new(move |m| {
        let slot = slot.clone();
        Box::pin(async move {
            let embedder = Embedder::from_bytes(&m.config, &m.tokenizer, m.weights)
                .map_err(|e| e.to_string())?;
            let embedder = Rc::new(RefCell::new(embedder));
            *slot.borrow_mut() = Some(embedder.clone());
            Ok(Rc::new(InProcess { embedder, fail }) as Rc<dyn QueryEncoder>)
        })
    })
}

async fn open(start: StartEncoder) -> Rc<Session> {
    Rc::new(
        Session::open_with(&format!("{BASE}index/"), |_, _| {}, start)
            .await
            .unwrap_or_else(|e| panic!("loading the index: {e}")),
    )
}

/// The lexical part only (what answers first).
async fn lexical_session() -> Rc<Session> {
    open(in_process(Rc::default(), false)).await
}

/// Every part: codes and model too; and the model (with every word file, so that the
/// tests can embed any text with it directly).
async fn full_session() -> (Rc<Session>, Model) {
    let slot = Rc::default();
    let s = open(in_process(Rc::clone(&slot), false)).await;
    s.completion()
        .await
        .unwrap_or_else(|e| panic!("loading the codes and model: {e}"));
    let embedder: Model = slot.borrow().clone().expect("the model was started");
    let all: Vec<usize> = (0..embedder.borrow().word_files()).collect();
    for (n, rows) in s.fetch_words(&all).await.expect("word files") {
        embedder
            .borrow_mut()
            .attach_words(n, &rows)
            .expect("attaches");
    }
    (s, embedder)
}

async fn session() -> Rc<Session> {
    full_session().await.0
}

#[derive(Deserialize)]
struct Embedded {
    text: String,
    embedding: Vec<f32>,
}

#[derive(Deserialize)]
struct Answer {
    query: String,
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb)
}

#[wasm_bindgen_test]
async fn wasm_embeddings_match_native() {
    let (_, embedder) = full_session().await;
    let native = text("native-embeddings.jsonl").await;
    let mut n = 0;
    for line in native.lines().filter(|l| !l.trim().is_empty()) {
        let e: Embedded = serde_json::from_str(line).expect("fixture line");
        let wasm = embedder.borrow().embed(&e.text).expect("embeds");
        let c = cosine(&wasm, &e.embedding);
        assert!(c >= 0.9999, "{:?}: cosine {c}", e.text);
        n += 1;
    }
    assert!(n >= 20, "only {n} parity texts");
}

#[wasm_bindgen_test]
fn simd_kernels_equal_the_portable_loops_bit_for_bit() {
    // The int8 dot products and the query's matrix products use WebAssembly SIMD here and
    // AVX2 natively; both must give the portable loops' bits, so both rank alike.
    atelier_engine::quant::check_kernels().unwrap();
}

/// Every answer in `fixture` (lines of `indexer search --json`) equals the worker's:
/// the same results with the same metadata and colour variants, understanding and notice.
async fn answers_equal_native(s: &Session, fixture: &str, preliminary: bool) {
    let native = text(fixture).await;
    let mut n = 0;
    for line in native.lines().filter(|l| !l.trim().is_empty()) {
        let want: SearchResponse = serde_json::from_str(line).expect("fixture line");
        let got = s
            .search(&SearchRequest {
                q: want.query.clone(),
                k: Some(10),
                ..Default::default()
            })
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", want.query));
        assert_eq!(got.preliminary, preliminary, "{:?}", want.query);
        // Scores agree to float noise (the attention's products are not bit-identical
        // across platforms); everything else exactly.
        let (mut got_results, mut want_results) = (got.results.clone(), want.results.clone());
        for (g, w) in got_results.iter_mut().zip(want_results.iter_mut()) {
            assert!(
                (g.score - w.score).abs() <= 1e-4,
                "{:?}: score {} vs {}",
                want.query,
                g.score,
                w.score
            );
            (g.score, w.score) = (0.0, 0.0);
        }
        assert_eq!(got_results, want_results, "results for {:?}", want.query);
        // As serialised (some of the intent's working fields are not part of the answer).
        let json = |u: &Option<_>| serde_json::to_value(u).expect("serialises");
        assert_eq!(
            json(&got.understood),
            json(&want.understood),
            "{:?}",
            want.query
        );
        assert_eq!(got.notice, want.notice, "{:?}", want.query);
        n += 1;
    }
    assert!(n >= 5);
    assert!(
        native.contains("\"variants\""),
        "{fixture}: no answer has colour variants to compare"
    );
}

/// The full answers, from a session whose model has none of its word files at first:
/// each query fetches those its tokens need (were one missing, the answer would be the
/// lexical one, marked preliminary, and unequal).
#[wasm_bindgen_test]
async fn wasm_search_matches_native() {
    let s = open(in_process(Rc::default(), false)).await;
    s.completion().await.expect("loads");
    answers_equal_native(&s, "native-search.jsonl", false).await;
    answers_equal_native(&*session().await, "native-search.jsonl", false).await;
}

/// Before the graph and model arrive, the worker answers with the lexical ranking:
/// exactly `indexer search --mode lexical`.
#[wasm_bindgen_test]
async fn the_first_answer_is_the_native_lexical_one() {
    let s = lexical_session().await;
    assert!(!s.is_complete());
    answers_equal_native(&s, "native-lexical.jsonl", true).await;
}

/// A model that fails to start, or fails a query, leaves the lexical answers (marked
/// preliminary), never an error or a panic.
#[wasm_bindgen_test]
async fn a_failing_model_leaves_the_lexical_answer() {
    let broken: StartEncoder =
        Rc::new(|_| Box::pin(async { Err("no worker in this browser".to_string()) }));
    let s = open(broken).await;
    let err = s.completion().await.expect_err("the model did not start");
    assert!(err.contains("no worker in this browser"), "{err}");
    assert!(!s.is_complete());
    answers_equal_native(&s, "native-lexical.jsonl", true).await;

    let s = open(in_process(Rc::default(), true)).await;
    s.completion().await.expect("loads");
    answers_equal_native(&s, "native-lexical.jsonl", true).await;
}

#[wasm_bindgen_test]
async fn bad_requests_are_errors_not_panics() {
    let s = session().await;
    let empty = s
        .search(&SearchRequest {
            q: "   ".into(),
            ..Default::default()
        })
        .await;
    assert!(empty.is_err());
    let unknown = s
        .similar(&SimilarRequest {
            article_id: "no-such-article".into(),
            ..Default::default()
        })
        .await;
    assert!(unknown.is_err());
    let bad_facet = s
        .search(&SearchRequest {
            q: "dress".into(),
            filters: [("colour".to_string(), vec!["Plaid Purple".to_string()])].into(),
            ..Default::default()
        })
        .await;
    assert!(bad_facet.unwrap_err().to_string().contains("colour"));
}

#[wasm_bindgen_test]
async fn a_missing_index_is_a_clear_error() {
    let err = Session::open(&format!("{BASE}no-index-here/"), |_, _| {})
        .await
        .err()
        .expect("fails");
    assert!(err.to_string().contains("HTTP 404"), "{err}");
}

fn now_ms() -> f64 {
    let performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into()).expect("performance");
    let performance: web_sys::Performance = wasm_bindgen::JsCast::unchecked_into(performance);
    performance.now()
}

/// p50, p95 and mean of warm embedding times of `texts`, `rounds` times each.
fn embedding_times(embedder: &Embedder, texts: &[String], rounds: usize) -> (f64, f64, f64) {
    let mut ms = Vec::new();
    for _ in 0..rounds {
        for t in texts {
            let start = now_ms();
            embedder.embed(t).expect("embeds");
            ms.push(now_ms() - start);
        }
    }
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), ms.iter().sum::<f64>() / ms.len() as f64)
}

/// Warm query embedding time with the index's model, printed (run with `--nocapture`), not
/// asserted: the machine is shared. docs/BENCHMARKS.md, "Browser model size and parity".
#[wasm_bindgen_test]
async fn wasm_query_embedding_time() {
    let (s, embedder) = full_session().await;
    let lines = |file: String| -> Vec<String> {
        file.lines()
            .filter(|l| !l.trim().is_empty())
            .map(String::from)
            .collect()
    };
    let queries: Vec<String> = lines(text("native-search.jsonl").await)
        .iter()
        .map(|l| {
            serde_json::from_str::<Answer>(l)
                .expect("fixture line")
                .query
        })
        .collect();
    let parity: Vec<String> = lines(text("native-embeddings.jsonl").await)
        .iter()
        .map(|l| {
            serde_json::from_str::<Embedded>(l)
                .expect("fixture line")
                .text
        })
        .collect();
    let embedder = embedder.borrow();
    embedder.embed("warm up").expect("embeds");
    console_log!(
        "model: {}; session load {:.0} ms",
        s.searcher().index().manifest.model.weights_dtype,
        s.load_ms()
    );
    for (what, texts, rounds) in [
        ("shopper queries", &queries, 10),
        ("parity texts, up to 256 tokens", &parity, 3),
    ] {
        let (p50, p95, mean) = embedding_times(&embedder, texts, rounds);
        console_log!(
            "query embedding, warm, {what} ({} × {rounds}): p50 {p50:.1} ms, p95 {p95:.1} ms, mean {mean:.1} ms",
            texts.len()
        );
    }
}
