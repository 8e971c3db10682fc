//! Shared helpers for the indexer's end-to-end tests: run the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

pub fn root() -> PathBuf {
    // At run time, not compile time: a clone at another path may reuse this binary from a
    // shared target dir (paths in cargo's fingerprints are workspace-relative).
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("..")
}

pub fn model_dir() -> PathBuf {
    std::env::var_os("ATELIER_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/all-MiniLM-L6-v2"))
}

pub fn demo_catalog() -> PathBuf {
    root().join("data/demo/articles.csv")
}

/// The embedding cache the tests share (kept in the target folder between runs).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("ATELIER_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("embedding-cache"))
}

pub fn indexer() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_indexer"));
    c.env("ATELIER_MODEL_DIR", model_dir())
        .env("ATELIER_CACHE_DIR", cache_dir())
        .stdin(Stdio::null());
    c
}

pub fn run(args: &[&str]) -> Output {
    let out = indexer().args(args).output().expect("indexer runs");
    assert_no_panic(&out);
    out
}

pub fn assert_no_panic(out: &Output) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "the indexer panicked:\n{err}");
}

pub fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "indexer {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

pub fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert!(!out.status.success(), "indexer {args:?} should fail");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The demo index, built once per test binary.
pub fn demo_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(concat!("demo-index-", env!("CARGO_CRATE_NAME")));
        let _ = std::fs::remove_dir_all(&dir);
        ok(&[
            "build",
            "--catalog",
            demo_catalog().to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
        ]);
        dir
    })
}

/// A private copy of the demo index that a test may damage.
pub fn demo_copy(tmp: &Path) -> PathBuf {
    let dst = tmp.join("index");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(demo_index()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dst.join(e.file_name())).unwrap();
    }
    dst
}

/// What interrupted or failed builds could leave next to an index (staging folders and
/// moved-aside copies).
pub fn leftovers(parent: &Path) -> Vec<String> {
    std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap()
}

/// Parses `search --json` output: one object per line.
pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

/// Runs `indexer search --json ARGS` with `queries` on stdin; one JSON line per query.
pub fn search_stdin(args: &[&str], queries: &str) -> Vec<serde_json::Value> {
    use std::io::Write;
    let mut child = indexer()
        .arg("search")
        .arg("--json")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("indexer runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(queries.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "indexer search {args:?} failed");
    json_lines(&String::from_utf8(out.stdout).expect("utf-8"))
}

/// The article ids of one `search --json` line, in rank order.
pub fn ids(line: &serde_json::Value) -> Vec<String> {
    line["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["article_id"].as_str().unwrap().to_string())
        .collect()
}

/// Recall@k of vector search through the graph against exact search, over `queries`.
pub fn vector_recall(index: &Path, queries: &str) -> (f64, usize) {
    vector_recall_filtered(index, queries, &[])
}

/// [`vector_recall`] under facet filters (`--filter FACET=VALUE` each).
pub fn vector_recall_filtered(index: &Path, queries: &str, filters: &[&str]) -> (f64, usize) {
    let dir = index.to_str().unwrap();
    let mut args = vec!["--index", dir, "--mode", "vector"];
    for f in filters {
        args.extend(["--filter", f]);
    }
    let approx = search_stdin(&args, queries);
    args.push("--exact");
    let exact = search_stdin(&args, queries);
    assert_eq!(approx.len(), exact.len());
    let (mut found, mut total) = (0, 0);
    for (a, e) in approx.iter().zip(&exact) {
        let truth = ids(e);
        total += truth.len();
        found += ids(a).iter().filter(|id| truth.contains(id)).count();
    }
    (found as f64 / total.max(1) as f64, approx.len())
}
