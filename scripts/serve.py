#!/usr/bin/env python3
"""Serves a built Atelier site (dist/) on 127.0.0.1 — the demo's and the tests' web server.

    python3 scripts/serve.py dist --port 8080 [--log-bytes FILE] [--cors]

Any static host works (the site is plain files); this one adds what the tests and the
benchmarks need: correct types for .wasm, no caching surprises, an optional CORS header
(for wasm tests fetching from another origin), and, with --log-bytes, one JSON line per
response ({"path", "bytes"}) so the first-visit transfer can be measured at the source.
"""
import argparse
import functools
import http.server
import json
import os
import sys
import threading


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".webmanifest": "application/manifest+json",
        ".bin": "application/octet-stream",
    }
    log_file = None
    cors = False
    lock = threading.Lock()

    def end_headers(self):
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        # Revalidate every time: the service worker, not the HTTP cache, makes the app
        # work offline, and benchmarks must see real transfers.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def copyfile(self, source, outputfile):
        sent = 0
        while True:
            buf = source.read(256 * 1024)
            if not buf:
                break
            outputfile.write(buf)
            sent += len(buf)
        if self.log_file:
            with self.lock, open(self.log_file, "a") as f:
                f.write(json.dumps({"path": self.path, "bytes": sent}) + "\n")

    def log_message(self, fmt, *args):
        if os.environ.get("ATELIER_SERVE_QUIET"):
            return
        super().log_message(fmt, *args)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("root", help="folder to serve (e.g. dist)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--bind", default="127.0.0.1")
    p.add_argument("--log-bytes", help="append one JSON line per response to this file")
    p.add_argument("--cors", action="store_true", help="send Access-Control-Allow-Origin: *")
    a = p.parse_args()
    if not os.path.isdir(a.root):
        sys.exit(f"serve.py: {a.root} is not a folder (build the site first: trunk build --release)")
    Handler.log_file = a.log_bytes
    Handler.cors = a.cors
    handler = functools.partial(Handler, directory=a.root)
    server = http.server.ThreadingHTTPServer((a.bind, a.port), handler)
    print(f"serving {a.root} at http://{a.bind}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
