//! Shared helpers for the server's tests: the demo index (built once per test binary
//! with the real indexer), a real `redis-server`, the real server binary, HTTP calls.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    // At run time, not compile time: a clone at another path may reuse this binary from a
    // shared target dir (paths in cargo's fingerprints are workspace-relative).
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("..")
}

pub fn tmp_root() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}

pub fn model_dir() -> PathBuf {
    std::env::var_os("ATELIER_MODEL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("models/all-MiniLM-L6-v2"))
}

/// The embedding cache the tests share with the indexer's (kept between runs).
pub fn cache_dir() -> PathBuf {
    std::env::var_os("ATELIER_CACHE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| tmp_root().join("embedding-cache"))
}

/// The `indexer` binary of this build (built first if this test runs alone).
pub fn indexer_bin() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("test executable");
        // target/<profile>/deps/<test> → target/<profile>/indexer
        let profile_dir = exe.parent().and_then(Path::parent).expect("target layout");
        let bin = profile_dir.join("indexer");
        if !bin.is_file() {
            let release = profile_dir.file_name().is_some_and(|n| n == "release");
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let mut c = Command::new(cargo);
            c.args(["build", "-p", "atelier-indexer", "--bin", "indexer"]);
            if release {
                c.arg("--release");
            }
            let status = c.current_dir(root()).status().expect("cargo runs");
            assert!(status.success(), "building the indexer failed");
        }
        bin
    })
    .clone()
}

pub fn indexer() -> Command {
    let mut c = Command::new(indexer_bin());
    c.env("ATELIER_MODEL_DIR", model_dir())
        .env("ATELIER_CACHE_DIR", cache_dir())
        .stdin(Stdio::null());
    c
}

fn build_index(dir: &Path, extra: &[&str]) {
    let _ = std::fs::remove_dir_all(dir);
    let catalog = root().join("data/demo/articles.csv");
    let out = indexer()
        .args(["build", "--catalog", catalog.to_str().unwrap(), "--out"])
        .arg(dir)
        .args(extra)
        .output()
        .expect("indexer runs");
    assert!(
        out.status.success(),
        "indexer build failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The demo index, built once per test binary.
pub fn demo_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tmp_root().join(concat!("server-demo-index-", env!("CARGO_CRATE_NAME")));
        build_index(&dir, &[]);
        dir
    })
}

/// A second, different index (the first 1,500 demo articles): "a re-index".
pub fn small_index() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tmp_root().join(concat!("server-small-index-", env!("CARGO_CRATE_NAME")));
        build_index(&dir, &["--limit", "1500"]);
        dir
    })
}

/// `indexer search --json ARGS` with `queries` on stdin: one JSON value per query.
pub fn indexer_search(args: &[&str], queries: &[&str]) -> Vec<serde_json::Value> {
    let mut child = indexer()
        .arg("search")
        .arg("--json")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("indexer runs");
    let mut input = queries.join("\n");
    input.push('\n');
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "indexer search {args:?} failed");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn require(program: &str) -> PathBuf {
    for dir in ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
        let p = Path::new(dir).join(program);
        if p.is_file() {
            return p;
        }
    }
    let which = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .expect("sh runs");
    let path = String::from_utf8_lossy(&which.stdout).trim().to_string();
    assert!(
        !path.is_empty(),
        "{program} is not installed: run scripts/setup.sh (it installs redis-server, prometheus and wrk)"
    );
    PathBuf::from(path)
}

/// A real `redis-server` on a free port, in a temporary directory; killed on drop.
pub struct Redis {
    child: Option<Child>,
    pub port: u16,
    _dir: tempfile::TempDir,
}

impl Redis {
    pub fn start() -> Self {
        Self::start_on(free_port())
    }

    pub fn start_on(port: u16) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new(require("redis-server"))
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .arg("--dir")
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts");
        let redis = Self {
            child: Some(child),
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while redis.command("PING").as_deref() != Some("+PONG") {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        redis
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Sends one inline command; returns the first reply line.
    pub fn command(&self, cmd: &str) -> Option<String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
        s.write_all(format!("{cmd}\r\n").as_bytes()).ok()?;
        let mut line = String::new();
        BufReader::new(s).read_line(&mut line).ok()?;
        Some(line.trim_end().to_string())
    }

    pub fn stop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The real server binary on a free port; killed on drop (stderr kept in its folder).
pub struct Server {
    child: Option<Child>,
    pub url: String,
    pub dir: tempfile::TempDir,
}

impl Server {
    pub fn start(index: &Path, extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::start_in(dir, index, extra)
    }

    /// Starts with its embedded store under `dir` (reused between servers when given),
    /// and waits until the store is ready.
    pub fn start_in(dir: tempfile::TempDir, index: &Path, extra: &[&str]) -> Self {
        let server = Self::start_listening(dir, index, extra);
        server.wait_for_store(Duration::from_secs(300));
        server
    }

    /// Waits until `/health` says the vector store is ready.
    pub fn wait_for_store(&self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let h = self.get("/health");
            if h.status == 200 && h.json()["vector_store"]["status"] == "ok" {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the store did not become ready: {}\n{}",
                h.body,
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Starts and returns as soon as the server listens (its store may still be loading).
    pub fn start_listening(dir: tempfile::TempDir, index: &Path, extra: &[&str]) -> Self {
        let log = std::fs::File::create(dir.path().join("server.log")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_atelier-server"))
            .arg("--index")
            .arg(index)
            .args(["--listen", "127.0.0.1:0"])
            .arg("--qdrant-path")
            .arg(dir.path().join("qdrant"))
            .args(extra)
            .env_remove("ATELIER_REDIS_URL")
            .env_remove("QDRANT_URL")
            .env_remove("ATELIER_CONFIG")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log))
            .spawn()
            .expect("atelier-server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("atelier-server listening on ") {
                    let _ = tx.send(url.to_string());
                }
            }
        });
        let url = match rx.recv_timeout(Duration::from_secs(300)) {
            Ok(url) => url,
            Err(_) => {
                let _ = child.kill();
                let log =
                    std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
                panic!("the server did not start:\n{log}");
            }
        };
        Self {
            child: Some(child),
            url,
            dir,
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).unwrap_or(0)
    }

    /// Sends SIGTERM and waits; returns whether it exited successfully in time.
    pub fn terminate(&mut self, within: Duration) -> bool {
        let Some(mut child) = self.child.take() else {
            return false;
        };
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                return status.success();
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return false;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Stops the server and hands back its folder (to restart on the same store).
    pub fn stop(mut self) -> tempfile::TempDir {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let dir = tempfile::tempdir().unwrap();
        std::mem::replace(&mut self.dir, dir)
    }

    pub fn get(&self, path_and_query: &str) -> Reply {
        let r = agent().get(format!("{}{path_and_query}", self.url)).call();
        Reply::from(r)
    }

    pub fn get_with(&self, path_and_query: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = agent().get(format!("{}{path_and_query}", self.url));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Reply::from(req.call())
    }

    pub fn post(&self, path: &str, body: &str) -> Reply {
        let r = agent()
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .send(body);
        Reply::from(r)
    }

    /// GET /api/search with these query parameters (percent-encoded here).
    pub fn search(&self, params: &[(&str, &str)]) -> Reply {
        self.get(&format!("/api/search?{}", query_string(params)))
    }

    /// Searches `q` until the answer comes from the cache (the cache recovered).
    pub fn wait_for_cache_hit(&self, q: &str, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let r = self.search(&[("q", q)]);
            assert_eq!(r.status, 200, "{}", r.body);
            if r.x_cache.as_deref() == Some("hit") {
                return;
            }
            assert!(Instant::now() < deadline, "the cache did not recover");
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn metrics(&self) -> String {
        self.get("/metrics").body
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build()
        .into()
}

pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

pub fn query_string(params: &[(&str, &str)]) -> String {
    params
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A response: status, headers we look at, body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub x_cache: Option<String>,
    pub content_type: Option<String>,
    pub allow_origin: Option<String>,
    /// Every header, names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl From<Result<ureq::http::Response<ureq::Body>, ureq::Error>> for Reply {
    fn from(r: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Self {
        let mut r = r.expect("the server answers");
        let header = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (x_cache, content_type, allow_origin) = (
            header("x-cache"),
            header("content-type"),
            header("access-control-allow-origin"),
        );
        let headers = r
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = String::new();
        let _ = r.body_mut().as_reader().read_to_string(&mut body);
        Self {
            status: r.status().as_u16(),
            x_cache,
            content_type,
            allow_origin,
            headers,
            body,
        }
    }
}

impl Reply {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

/// A search answer without its timing (which differs run to run).
pub fn without_timing(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("took_ms");
    }
    v
}

/// The value of an unlabelled metric line `name value`, or the sum over labelled ones.
pub fn metric(text: &str, name: &str) -> f64 {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter(|l| l.starts_with(&format!("{name} ")) || l.starts_with(&format!("{name}{{")))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}
