//! Hostile clients against the real server binary on the demo index: slow headers,
//! connection floods, overload, invented methods, announced huge bodies, bytes that are
//! not UTF-8. Each test would fail against a server without the defence it checks.

mod common;

use common::*;
use serde_json::Value;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

fn addr(server: &Server) -> SocketAddr {
    server
        .url
        .trim_start_matches("http://")
        .parse()
        .expect("host:port")
}

/// A connection to `server` from the loopback address `from` (127.0.0.x): another
/// "client" as far as the server's per-client cap is concerned.
fn connect_from(server: &Server, from: &str) -> TcpStream {
    let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    let local: SocketAddr = format!("{from}:0").parse().unwrap();
    socket.bind(&local.into()).unwrap();
    socket.connect(&addr(server).into()).unwrap();
    let stream: TcpStream = socket.into();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Everything the server sends until it closes (or the read timeout).
fn read_all(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// One raw HTTP/1.1 request on a new connection; the whole reply.
fn raw(server: &Server, request: &[u8]) -> String {
    let mut s = TcpStream::connect(addr(server)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(request).unwrap();
    read_all(&mut s)
}

fn status_of(reply: &str) -> u16 {
    reply
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0)
}

fn body_of(reply: &str) -> Value {
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body.trim()).unwrap_or(Value::Null)
}

#[test]
fn slow_clients_are_cut_off_and_a_flood_is_refused_while_others_are_served() {
    let server = Server::start(
        demo_index(),
        &[
            "--header-timeout-secs",
            "2",
            "--max-connections",
            "200",
            "--max-connections-per-client",
            "20",
        ],
    );
    // The attacker, from 127.0.0.2: 60 connections that send their headers a byte at a
    // time, one byte every half second.
    let mut slow: Vec<TcpStream> = (0..60)
        .map(|_| connect_from(&server, "127.0.0.2"))
        .collect();
    for s in &mut slow {
        let _ = s.write_all(b"GET /health HTTP/1.1\r\n");
    }
    let started = Instant::now();
    // Honest shoppers (127.0.0.1) are answered meanwhile, and quickly.
    for q in ["dress", "black jeans", "something warm for the kids"] {
        let t = Instant::now();
        let r = server.search(&[("q", q)]);
        assert_eq!(r.status, 200, "{}", r.body);
        assert!(
            t.elapsed() < Duration::from_secs(5),
            "{q}: {:?}",
            t.elapsed()
        );
    }
    // Past the per-client cap: refused at once with 503 + Retry-After.
    let mut refused = 0;
    let mut cut = 0;
    for s in &mut slow {
        for _ in 0..3 {
            let _ = s.write_all(b"X");
            std::thread::sleep(Duration::from_millis(20));
        }
        let reply = read_all(s);
        if status_of(&reply) == 503 {
            assert!(
                reply.to_ascii_lowercase().contains("retry-after: 1"),
                "{reply}"
            );
            refused += 1;
        } else {
            // Admitted, then dropped at the header deadline (hyper answers 408 or
            // closes without a word).
            assert!(reply.is_empty() || status_of(&reply) == 408, "{reply:?}");
            cut += 1;
        }
    }
    assert_eq!(
        (refused, cut),
        (40, 20),
        "20 admitted per client, the rest refused"
    );
    assert!(
        started.elapsed() < Duration::from_secs(12),
        "slow connections were held {:?}",
        started.elapsed()
    );
    // A flood of connections that never send anything: refused beyond the cap, and the
    // server answers as soon as they are gone.
    let flood: Vec<TcpStream> = (0..300)
        .map(|_| connect_from(&server, "127.0.0.3"))
        .collect();
    let r = server.search(&[("q", "red dress")]);
    assert_eq!(r.status, 200, "{}", r.body);
    drop(flood);
    assert_eq!(server.get("/health").status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn overload_is_shed_with_503_and_retry_after_then_recovers() {
    let server = Server::start(
        demo_index(),
        &["--search-threads", "1", "--search-queue", "0"],
    );
    let url = server.url.clone();
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(48));
    let threads: Vec<_> = (0..48)
        .map(|i| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let r = agent()
                    .get(format!("{url}/api/search"))
                    .query("q", format!("warm winter coat number {i}"))
                    .query("k", "100")
                    .call();
                Reply::from(r)
            })
        })
        .collect();
    let replies: Vec<Reply> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let shed: Vec<&Reply> = replies.iter().filter(|r| r.status == 503).collect();
    let ok = replies.iter().filter(|r| r.status == 200).count();
    assert_eq!(shed.len() + ok, replies.len(), "only 200 or 503");
    assert!(ok >= 1, "some searches are answered");
    assert!(
        !shed.is_empty(),
        "48 at once on one search thread: some are shed"
    );
    for r in &shed {
        assert_eq!(r.header("retry-after").as_deref(), Some("1"));
        assert_eq!(r.json()["field"], "server", "{}", r.body);
    }
    // Recovered: answered normally once the burst is over.
    assert_eq!(server.search(&[("q", "dress")]).status, 200);
    let metrics = server.metrics();
    assert!(metric(&metrics, "atelier_searches_shed_total") >= shed.len() as f64);
}

#[test]
fn one_client_cannot_take_every_search_slot() {
    // Room for 1 + 6 searches in all; 3 in progress per client.
    let server = Server::start(
        demo_index(),
        &[
            "--search-threads",
            "1",
            "--search-queue",
            "6",
            "--max-requests-per-client",
            "3",
        ],
    );
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(25));
    // From 127.0.0.2: 24 searches at once, three rounds.
    let greedy: Vec<_> = (0..24)
        .map(|i| {
            let (target, barrier) = (addr(&server), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                (0..3)
                    .map(|round| {
                        let socket = socket2::Socket::new(
                            socket2::Domain::IPV4,
                            socket2::Type::STREAM,
                            None,
                        )
                        .unwrap();
                        let local: SocketAddr = "127.0.0.2:0".parse().unwrap();
                        socket.bind(&local.into()).unwrap();
                        socket.connect(&target.into()).unwrap();
                        let mut s: TcpStream = socket.into();
                        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                        let request = format!(
                            "GET /api/search?q=warm+winter+coat+{i}+{round}&k=100 HTTP/1.1\r\n\
                             host: x\r\nconnection: close\r\n\r\n"
                        );
                        s.write_all(request.as_bytes()).unwrap();
                        read_all(&mut s)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    // Meanwhile, from 127.0.0.1: every search answered.
    barrier.wait();
    for q in [
        "dress",
        "black jeans",
        "wool scarf",
        "sneakers",
        "striped t-shirt",
        "linen shirt",
    ] {
        let r = server.search(&[("q", q)]);
        assert_eq!(r.status, 200, "{q}: {}", r.body);
    }
    let replies: Vec<String> = greedy.into_iter().flat_map(|t| t.join().unwrap()).collect();
    let shed: Vec<&String> = replies.iter().filter(|r| status_of(r) == 503).collect();
    assert!(
        replies.iter().all(|r| [200, 503].contains(&status_of(r))),
        "only 200 or 503"
    );
    assert!(
        !shed.is_empty(),
        "24 at once against a cap of 3: some are shed"
    );
    assert!(shed.len() < replies.len(), "and some answered");
    for r in shed {
        assert!(r.to_ascii_lowercase().contains("retry-after: 1"), "{r}");
        assert_eq!(body_of(r)["field"], "server", "{r}");
    }
}

#[test]
fn invented_methods_do_not_grow_the_metrics() {
    let server = Server::start(demo_index(), &[]);
    for i in 0..40 {
        let reply = raw(
            &server,
            format!("INVENTED{i} /health HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(status_of(&reply), 405, "{reply}");
    }
    let metrics = server.metrics();
    assert!(
        !metrics.contains("INVENTED"),
        "the raw method became a label"
    );
    assert!(metrics.contains("method=\"OTHER\""), "{metrics}");
}

#[test]
fn requests_the_server_refuses_at_once() {
    let server = Server::start(demo_index(), &[]);
    // A body announced far beyond the limit: 413 before any of it is sent.
    let t = Instant::now();
    let reply = raw(
        &server,
        b"POST /api/search HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100000000\r\n\r\n",
    );
    assert_eq!(status_of(&reply), 413, "{reply}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    assert_eq!(body_of(&reply)["field"], "body");
    // Bytes that are not UTF-8 are refused, naming the field, as JSON.
    for (path, field) in [
        ("/api/search?q=%FFdress", "q"),
        ("/api/search?q=dress&colour=%C3%28", "colour"),
        ("/api/similar/%FF%FE", "article_id"),
        ("/api/similar/0108775015?k=%FF", "k"),
        ("/api/facets?%FF=Red", "query"),
    ] {
        let r = server.get(path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert_eq!(
            r.header("content-type").as_deref(),
            Some("application/json")
        );
        assert_eq!(r.json()["field"], field, "{path}: {}", r.body);
    }
    // A repeated `k` is as ambiguous as a repeated `q`.
    let r = server.get("/api/search?q=dress&k=3&k=5");
    assert_eq!((r.status, r.json()["field"].clone()), (400, "k".into()));
    // `"filters": null` is not an object of facets.
    let r = server.post("/api/search", r#"{"q":"dress","filters":null}"#);
    assert_eq!(
        (r.status, r.json()["field"].clone()),
        (400, "filters".into())
    );
    // Security headers on every answer, errors included.
    for path in ["/api/search?q=dress", "/health", "/api/search", "/nope"] {
        let r = server.get(path);
        assert_eq!(
            r.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
        assert!(r.header("content-security-policy").is_some(), "{path}");
        assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
    }
    // No file paths in what clients see.
    let health = server.get("/health").body;
    assert!(
        !health.contains("/tmp") && !health.contains("/root"),
        "{health}"
    );
}
