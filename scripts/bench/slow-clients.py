#!/usr/bin/env python3
"""Slow-client and connection-flood probe against a running atelier-server.

  scripts/bench/slow-clients.py http://127.0.0.1:8000 [--slow 2000] [--flood 20000] [--seconds 30]

From 127.0.0.2 (another "client" as far as the server's per-client cap is concerned) it
holds `--slow` connections that send their request headers one byte every 5 s, and opens
`--flood` connections that send nothing, while this address (127.0.0.1) searches once
every 50 ms. It prints what happened to the attack's connections and the honest
searches' latency (p50, p99, max) and errors during the attack, and after it.
"""

import argparse
import socket
import statistics
import threading
import time
import urllib.request
from urllib.parse import urlparse


def honest(url, stop, out):
    queries = ["red dress", "black jeans", "something warm for the kids", "striped shirt"]
    i = 0
    while not stop.is_set():
        q = queries[i % len(queries)].replace(" ", "+")
        i += 1
        t = time.monotonic()
        try:
            with urllib.request.urlopen(f"{url}/api/search?q={q}&k=10", timeout=30) as r:
                r.read()
                out.append((time.monotonic() - t, r.status))
        except Exception as e:  # noqa: BLE001 - every failure counts
            status = getattr(e, "code", 0)
            out.append((time.monotonic() - t, status))
        time.sleep(0.05)


def quiet(url, out, seconds=3):
    """Honest searches for `seconds` with no attack going on."""
    stop = threading.Event()
    t = threading.Thread(target=honest, args=(url, stop, out))
    t.start()
    time.sleep(seconds)
    stop.set()
    t.join()


def connect(host, port, source):
    s = socket.socket()
    s.setblocking(True)
    s.bind((source, 0))
    s.settimeout(5)
    s.connect((host, port))
    return s


def summary(label, samples):
    if not samples:
        print(f"{label}: no requests")
        return
    lat = sorted(d for d, _ in samples)
    errors = sum(1 for _, s in samples if s != 200)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(
        f"{label}: {len(samples)} searches, {errors} errors, "
        f"p50 {statistics.median(lat) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, "
        f"max {lat[-1] * 1000:.1f} ms"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--slow", type=int, default=2000)
    ap.add_argument("--flood", type=int, default=20000)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--source", default="127.0.0.2")
    a = ap.parse_args()
    u = urlparse(a.url)
    host, port = u.hostname, u.port or 80

    before, during, after = [], [], []
    quiet(a.url, before)

    stop = threading.Event()
    t = threading.Thread(target=honest, args=(a.url, stop, during))
    t.start()
    slow, refused_at_connect = [], 0
    for _ in range(a.slow):
        try:
            s = connect(host, port, a.source)
            s.sendall(b"GET /health HTTP/1.1\r\n")
            s.setblocking(False)
            slow.append(s)
        except OSError:
            refused_at_connect += 1
    flood_ok, flood_failed = 0, 0
    flood = []
    for _ in range(a.flood):
        try:
            flood.append(connect(host, port, a.source))
            flood_ok += 1
        except OSError:
            flood_failed += 1
    deadline = time.monotonic() + a.seconds
    cut, answered_503 = 0, 0
    alive = list(slow)
    while time.monotonic() < deadline and alive:
        still = []
        for s in alive:
            # What has the server said or done to this connection so far?
            try:
                data = s.recv(64)
            except BlockingIOError:
                data = None  # still open, nothing said: send the next byte
            except OSError:
                data = b""
            if data is None:
                try:
                    s.sendall(b"X")
                    still.append(s)
                except OSError:
                    cut += 1
            elif data.startswith(b"HTTP/1.1 503"):
                answered_503 += 1
            else:
                cut += 1  # closed by the server (or answered 408)
        alive = still
        time.sleep(min(5, max(0, deadline - time.monotonic())) if alive else 0)
    stop.set()
    t.join()
    for s in slow + flood:
        s.close()

    quiet(a.url, after)

    print(
        f"slow connections: {a.slow} opened ({refused_at_connect} failed to connect), "
        f"{answered_503} answered 503 at once, {cut} cut off by the server within "
        f"{a.seconds:.0f} s, {len(alive)} still open at the end"
    )
    print(f"flood: {flood_ok} connections opened, {flood_failed} failed to connect")
    summary("before", before)
    summary("during", during)
    summary("after", after)


if __name__ == "__main__":
    main()
