//! Replays every committed input of every fuzz target — the corpora the fuzzer grew
//! (`corpus/TARGET/`) and each past finding (`regressions/TARGET/`) — on stable Rust, as
//! ordinary tests: a panic here is a regression.

use std::path::PathBuf;

fn replay(target: &str, run: fn(&[u8])) {
    // At run time, not compile time: a clone at another path may reuse this binary from a
    // shared target dir (paths in cargo's fingerprints are workspace-relative).
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let mut inputs = 0;
    for folder in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(folder).join(target)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let result = std::panic::catch_unwind(|| run(&bytes));
            assert!(result.is_ok(), "{target}: {} panicked", path.display());
            inputs += 1;
        }
    }
    assert!(inputs > 0, "{target}: no committed inputs");
    println!("{target}: {inputs} inputs replayed");
}

#[test]
fn csv() {
    replay("csv", atelier_fuzz::csv);
}

#[test]
fn index_file() {
    replay("index_file", atelier_fuzz::index_file);
}

#[test]
fn manifest() {
    replay("manifest", atelier_fuzz::manifest);
}

#[test]
fn query() {
    replay("query", atelier_fuzz::query);
}

#[test]
fn body() {
    replay("body", atelier_fuzz::body);
}

#[test]
fn worker_message() {
    replay("worker_message", atelier_fuzz::worker_message);
}
