#!/usr/bin/env python3
"""Serves a built Atelier site (dist/) on 127.0.0.1 — the demo's and the tests' web server.

    python3 scripts/serve.py dist --port 8080 [--log-bytes FILE] [--cors]
        [--rate-kbit N] [--rtt-ms N] [--gzip [--gzip-bin no]] [--control]

Any static host works (the site is plain files); this one adds what the tests and the
benchmarks need: correct types for .wasm, no caching surprises, an optional CORS header
(for wasm tests fetching from another origin), the headers the site's `_headers` file
asks for every path (`/*`: the Content-Security-Policy scripts/csp.py wrote), and, with --log-bytes, one JSON line per
response ({"path", "bytes" on the wire, "raw" uncompressed, "t", "status"}) so the
first-visit transfer can be measured at the source. Optionally it emulates a link:
--rate-kbit (one downlink shared by all connections), --rtt-ms (before each response's
headers), --gzip (as static hosts do), and with --control: GET /__stats, POST /__stats/reset,
POST /__hold?pattern=RE and POST /__release[?pattern=RE] (held requests wait before headers).
"""
import argparse
import functools
import gzip
import http.server
import io
import json
import os
import re
import sys
import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

START = time.monotonic()
COMPRESSIBLE = {"text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
                "application/json", "application/manifest+json", "image/svg+xml", "application/wasm"}


class Bucket:
    """One shared downlink: a token bucket every connection draws from, one chunk at a time.

    A writer reserves its chunk (the balance may go negative: a queue of debts) and sleeps
    until the link would have carried it, so N concurrent responses each get ~1/N of the rate.
    """

    def __init__(self, kbit):
        self.rate = kbit * 125.0  # bytes per second
        self.chunk = int(max(1024, min(16384, self.rate / 50)))  # ≤ 20 ms of link per chunk
        self.lock = threading.Lock()
        self.tokens, self.stamp = float(self.chunk), time.monotonic()

    def take(self, n):
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.chunk, self.tokens + (now - self.stamp) * self.rate) - n
            self.stamp = now
            wait = -self.tokens / self.rate
        if wait > 0:
            time.sleep(wait)


class Holds:
    """Requests whose path matches a held pattern wait (before any header) until released."""

    def __init__(self):
        self.cond = threading.Condition()
        self.patterns, self.waiting = {}, []

    def hold(self, pattern):
        with self.cond:
            self.patterns[pattern] = re.compile(pattern)

    def release(self, pattern=None):
        with self.cond:
            self.patterns.clear() if pattern is None else self.patterns.pop(pattern, None)
            self.cond.notify_all()

    def wait(self, path):
        def held():
            return any(p.search(path) for p in self.patterns.values())
        with self.cond:
            if held():
                self.waiting.append(path)
                self.cond.wait_for(lambda: not held())
                self.waiting.remove(path)

    def state(self):
        with self.cond:
            return {"patterns": list(self.patterns), "held": list(self.waiting)}


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
        ".json": "application/json", ".webmanifest": "application/manifest+json",
        ".bin": "application/octet-stream",
    }
    log_file = None
    cors = gzip_on = control = False
    # .bin (index files) is compressed by default, but many hosts do not compress unknown
    # binaries: a benchmark can measure that case with --gzip-bin no.
    gzip_bin = True
    rtt, bucket, holds = 0.0, None, Holds()
    site_headers = []  # from the site's _headers file, for every path
    lock = threading.Lock()
    stats = {"requests": 0, "bytes": 0, "files": []}
    gz_cache = {}  # file path -> (mtime_ns, size, gzip body)
    sent, raw_size, status, length = 0, None, None, 0

    def send_response(self, code, message=None):
        self.status = code
        super().send_response(code, message)

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length":
            self.length = int(value)
        super().send_header(keyword, value)

    def send_error(self, code, message=None, explain=None):
        self.length = 0
        super().send_error(code, message, explain)
        if self.command != "HEAD":
            self.sent += self.length  # the error page, written straight to the socket

    def end_headers(self):
        for name, value in self.site_headers:
            self.send_header(name, value)
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        # Revalidate every time: the service worker, not the HTTP cache, makes the app
        # work offline, and benchmarks must see real transfers.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def copyfile(self, source, outputfile):
        """The body: small chunks through the shared link, counted in self.sent."""
        while buf := source.read(self.bucket.chunk if self.bucket else 256 * 1024):
            if self.bucket:
                self.bucket.take(len(buf))
            outputfile.write(buf)
            self.sent += len(buf)

    def do_GET(self):
        self.respond(super().do_GET)

    def do_HEAD(self):
        self.respond(super().do_HEAD)

    def do_POST(self):
        if not self.control:
            return self.send_error(501, "Unsupported method ('POST')")
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.control_request():
            self.send_json({"error": "no such control endpoint"}, 404)

    def respond(self, serve):
        if self.control and self.control_request():
            return
        self.holds.wait(self.path)
        if self.rtt:
            time.sleep(self.rtt)
        self.sent, self.raw_size, self.status = 0, None, None
        try:
            serve()
        except ConnectionError:  # the client went away (a cancelled fetch)
            self.close_connection = True
        finally:
            self.record()

    def record(self):
        raw = self.sent if self.raw_size is None or self.command == "HEAD" else self.raw_size
        rec = {"path": self.path, "bytes": self.sent, "raw": raw,
               "t": round(time.monotonic() - START, 4), "status": self.status}
        with self.lock:
            self.stats["requests"] += 1
            self.stats["bytes"] += self.sent
            self.stats["files"].append(rec)
            if self.log_file:
                with open(self.log_file, "a") as f:
                    f.write(json.dumps(rec) + "\n")

    def control_request(self):
        url = urlsplit(self.path)
        pattern = parse_qs(url.query).get("pattern", [None])[0]
        route = (self.command, url.path)
        if route == ("GET", "/__stats"):
            with self.lock:
                body = {**self.stats, "files": list(self.stats["files"])}
            self.send_json({**body, **self.holds.state()})
        elif route == ("POST", "/__stats/reset"):
            with self.lock:
                self.stats.update(requests=0, bytes=0, files=[])
            self.send_json({"ok": True})
        elif route == ("POST", "/__hold") and pattern is not None:
            try:
                self.holds.hold(pattern)
                self.send_json({"ok": True, **self.holds.state()})
            except re.error as e:
                self.send_json({"error": f"bad pattern: {e}"}, 400)
        elif route == ("POST", "/__release"):
            self.holds.release(pattern)
            self.send_json({"ok": True, **self.holds.state()})
        else:
            return False
        return True

    def send_json(self, obj, code=200):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)  # neither throttled nor counted

    def accepts_gzip(self):
        for part in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = part.partition(";")
            if name.strip().lower() in ("gzip", "x-gzip", "*"):
                return not re.fullmatch(r"\s*q=0(\.0*)?\s*", params)
        return False

    def compressed(self, path, st):
        key = (st.st_mtime_ns, st.st_size)
        with self.lock:
            hit = self.gz_cache.get(path)
        if hit and hit[:2] == key:
            return hit[2]
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6, mtime=0)
        with self.lock:
            self.gz_cache[path] = (*key, body)
        return body

    def send_head(self):
        """Files: identity or gzip, with ETag and conditional requests. Anything else
        (directory redirects and listings, 404s) is the standard handler's."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.isfile(path):
            return super().send_head()
        ctype = self.guess_type(path)
        st = os.stat(path)
        varies = self.gzip_on and (ctype.split(";")[0] in COMPRESSIBLE or (
            ctype == "application/octet-stream" and path.endswith(".bin") and self.gzip_bin))
        gz = varies and self.accepts_gzip()
        etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}{"-gz" if gz else ""}"'
        extra = [("ETag", etag)] + [("Vary", "Accept-Encoding")] * varies
        if self.not_modified(etag, st):
            self.send_response(304)
            for h in extra:
                self.send_header(*h)
            self.end_headers()
            return None
        if gz:
            body = self.compressed(path, st)
            f, length, self.raw_size = io.BytesIO(body), len(body), st.st_size
            extra.append(("Content-Encoding", "gzip"))
        else:
            f, length = open(path, "rb"), st.st_size
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(length))
        self.send_header("Last-Modified", self.date_time_string(st.st_mtime))
        for h in extra:
            self.send_header(*h)
        self.end_headers()
        return f

    def not_modified(self, etag, st):
        if "If-None-Match" in self.headers:
            tags = [t.strip().removeprefix("W/") for t in self.headers["If-None-Match"].split(",")]
            return etag in tags or "*" in tags
        try:
            since = parsedate_to_datetime(self.headers["If-Modified-Since"]).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
        return int(st.st_mtime) <= since

    def log_message(self, fmt, *args):
        if os.environ.get("ATELIER_SERVE_QUIET"):
            return
        super().log_message(fmt, *args)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True  # held or throttled requests never keep the process alive
    block_on_close = False


def site_headers(root):
    """The `/*` block of ROOT/_headers (Netlify / Cloudflare Pages format), if any."""
    try:
        lines = open(os.path.join(root, "_headers"), encoding="utf-8").read().splitlines()
    except OSError:
        return []
    headers, in_all = [], False
    for line in lines:
        if line and not line[0].isspace():
            in_all = line.strip() == "/*"
        elif in_all and ":" in line:
            name, value = line.strip().split(":", 1)
            headers.append((name.strip(), value.strip()))
    return headers


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("root", help="folder to serve (e.g. dist)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--log-bytes", help="append one JSON line per response to this file")
    p.add_argument("--cors", action="store_true", help="send Access-Control-Allow-Origin: *")
    p.add_argument("--rate-kbit", type=float, help="one downlink of N kbit/s shared by all")
    p.add_argument("--rtt-ms", type=float, default=0, help="delay before each response")
    p.add_argument("--gzip", action="store_true", help="gzip compressible responses")
    p.add_argument("--gzip-bin", choices=["yes", "no"], default="yes",
                   help="with --gzip, also compress .bin (index files); many hosts do not")
    p.add_argument("--control", action="store_true", help="enable /__stats, /__hold, /__release")
    a = p.parse_args()
    if not os.path.isdir(a.root):
        sys.exit(f"serve.py: {a.root} is not a folder (build the site first: trunk build --release)")
    if a.rate_kbit is not None and a.rate_kbit <= 0:
        sys.exit("serve.py: --rate-kbit must be positive")
    Handler.site_headers = site_headers(a.root)
    Handler.log_file = a.log_bytes
    Handler.cors = a.cors
    Handler.gzip_on, Handler.gzip_bin = a.gzip, a.gzip_bin == "yes"
    Handler.control = a.control
    Handler.rtt = max(0.0, a.rtt_ms / 1000)
    Handler.bucket = Bucket(a.rate_kbit) if a.rate_kbit else None
    handler = functools.partial(Handler, directory=a.root)
    server = Server((a.bind, a.port), handler)
    print(f"serving {a.root} at http://{a.bind}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
