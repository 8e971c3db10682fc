#!/usr/bin/env python3
"""Self-test of scripts/serve.py, the static server and link emulator (stdlib only, ~6 s).

    python3 tests/serve_test.py        (or: python3 -m unittest tests/serve_test.py -v)
"""
import gzip
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

SERVE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "serve.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_site(root):
    rng = random.Random(7)
    words = ["red", "dress", "summer", "wedding", "black", "jeans", "striped", "shirt", "boots"]
    text = " ".join(f"{rng.choice(words)}{rng.randrange(1000)}" for _ in range(40_000)).encode()
    files = {"app.js": text, "held.json": b'{"held": true}', "index.bin": rng.randbytes(50_000),
             "big.bin": rng.randbytes(200_000), "index.html": b"<!doctype html><p>hi</p>"}
    for name, data in files.items():
        with open(os.path.join(root, name), "wb") as f:
            f.write(data)
    return files


class Server:
    def __init__(self, root, *args):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "ATELIER_SERVE_QUIET": "1"}
        self.proc = subprocess.Popen([sys.executable, SERVE, root, "--port", str(self.port), *args],
                                     stdout=subprocess.PIPE, env=env, text=True)
        assert "serving" in self.proc.stdout.readline()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(5)
        self.proc.stdout.close()

    def get(self, path, method="GET", **headers):
        req = urllib.request.Request(self.base + path, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()

    def json(self, path, method="GET"):
        return json.loads(self.get(path, method)[2])


def timed_get(server, path, out, key):
    t = time.monotonic()
    body = server.get(path)[2]
    out[key] = (len(body), time.monotonic() - t)


class ServeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "site")
        os.mkdir(cls.root)
        cls.files = make_site(cls.root)
        cls.log = os.path.join(cls.tmp.name, "bytes.jsonl")
        cls.servers = []
        cls.main = cls.start("--gzip", "--control", "--cors", "--log-bytes", cls.log)
        cls.plain = cls.start()
        cls.link = cls.start("--rate-kbit", "1600")  # 200,000 bytes/s for everybody together
        cls.slow = cls.start("--rtt-ms", "300", "--gzip", "--gzip-bin", "no")

    @classmethod
    def start(cls, *args):
        server = Server(cls.root, *args)
        cls.servers.append(server)
        return server

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        cls.tmp.cleanup()

    def test_identity(self):
        for server in (self.main, self.plain):
            status, headers, body = server.get("/app.js")
            self.assertEqual((status, body), (200, self.files["app.js"]))
            self.assertEqual(headers["Content-Type"], "text/javascript")
            self.assertEqual(headers["Cache-Control"], "no-cache")
            self.assertNotIn("Content-Encoding", headers)
        self.assertNotIn("Vary", self.plain.get("/app.js", **{"Accept-Encoding": "gzip"})[1])
        self.assertEqual(self.plain.get("/")[2], self.files["index.html"])
        self.assertEqual(self.main.get("/app.js")[1]["Access-Control-Allow-Origin"], "*")

    def test_gzip(self):
        ident = self.main.get("/app.js")[1]
        status, headers, body = self.main.get("/app.js", **{"Accept-Encoding": "br, gzip"})
        self.assertEqual(headers["Content-Encoding"], "gzip")
        self.assertEqual(headers["Vary"], "Accept-Encoding")
        self.assertEqual(int(headers["Content-Length"]), len(body))
        self.assertLess(len(body), len(self.files["app.js"]) / 2)
        self.assertEqual(gzip.decompress(body), self.files["app.js"])
        self.assertNotEqual(headers["ETag"], ident["ETag"])
        # the cache answers the same bytes; HEAD gives the compressed length and no body
        self.assertEqual(self.main.get("/app.js", **{"Accept-Encoding": "gzip"})[2], body)
        head = self.main.get("/app.js", "HEAD", **{"Accept-Encoding": "gzip"})
        self.assertEqual((head[1]["Content-Length"], head[2]), (str(len(body)), b""))
        # a matching ETag revalidates: 304 (urllib raises it as an HTTPError)
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.main.get("/app.js", **{"Accept-Encoding": "gzip", "If-None-Match": headers["ETag"]})
        self.assertEqual(e.exception.code, 304)
        # .bin is compressed unless --gzip-bin no; q=0 refuses gzip
        self.assertEqual(self.main.get("/index.bin", **{"Accept-Encoding": "gzip"})[1]
                         .get("Content-Encoding"), "gzip")
        self.assertNotIn("Content-Encoding", self.slow.get("/index.bin", **{"Accept-Encoding": "gzip"})[1])
        self.assertNotIn("Content-Encoding", self.main.get("/app.js", **{"Accept-Encoding": "gzip;q=0"})[1])

    def test_shared_rate(self):
        one = {}
        timed_get(self.link, "/big.bin", one, 0)
        self.assertEqual(one[0][0], 200_000)
        self.assertGreater(one[0][1], 0.9)
        self.assertLess(one[0][1], 1.6)
        two, t = {}, time.monotonic()
        threads = [threading.Thread(target=timed_get, args=(self.link, "/big.bin", two, i)) for i in range(2)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        wall = time.monotonic() - t
        self.assertGreater(wall, 1.8)  # they share the link: not ~1 s each in parallel
        self.assertLess(wall, 3.0)
        self.assertGreater(min(d for _, d in two.values()), 1.6)  # and share it fairly

    def test_rtt(self):
        t = time.monotonic()
        self.assertEqual(self.slow.get("/held.json")[2], self.files["held.json"])
        slow = time.monotonic() - t
        t = time.monotonic()
        self.plain.get("/held.json")
        self.assertGreater(slow, 0.3)
        self.assertLess(time.monotonic() - t, slow - 0.2)  # the delay is the emulator's

    def test_hold_release(self):
        got = {}
        try:
            self.assertIn(r"held\.json", self.main.json(r"/__hold?pattern=held\.json", "POST")["patterns"])
            waiter = threading.Thread(target=timed_get, args=(self.main, "/held.json", got, "held"))
            waiter.start()
            time.sleep(0.3)
            self.assertEqual(self.main.get("/app.js")[0], 200)  # other paths are served meanwhile
            self.assertEqual(self.main.json("/__stats")["held"], ["/held.json"])
            self.assertNotIn("held", got)
            self.main.json(r"/__release?pattern=held\.json", "POST")
            waiter.join(5)
            self.assertEqual(got["held"][0], len(self.files["held.json"]))
            self.assertGreater(got["held"][1], 0.3)
            # release without a pattern frees everything
            self.main.json("/__hold?pattern=.", "POST")
            waiter = threading.Thread(target=timed_get, args=(self.main, "/index.bin", got, "bin"))
            waiter.start()
            time.sleep(0.2)
            self.assertEqual(self.main.json("/__release", "POST")["patterns"], [])
            waiter.join(5)
            self.assertEqual(got["bin"][0], len(self.files["index.bin"]))
        finally:
            self.main.get("/__release", "POST")

    def test_stats_and_log(self):
        self.main.json("/__stats/reset", "POST")
        self.assertEqual(self.main.json("/__stats")["requests"], 0)
        body = self.main.get("/app.js?v=1", **{"Accept-Encoding": "gzip"})[2]
        self.main.get("/index.html")
        # A request is recorded once its last byte is sent, which can come just after the
        # client has read it: wait for the second record.
        deadline = time.monotonic() + 5
        stats = self.main.json("/__stats")
        while stats["requests"] < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
            stats = self.main.json("/__stats")
        raw = len(self.files["app.js"])
        self.assertEqual(stats["requests"], 2)
        self.assertEqual(stats["bytes"], len(body) + len(self.files["index.html"]))
        gz, html = stats["files"]
        self.assertEqual((gz["path"], gz["bytes"], gz["raw"], gz["status"]), ("/app.js?v=1", len(body), raw, 200))
        self.assertEqual((html["bytes"], html["raw"]), (len(self.files["index.html"]),) * 2)
        self.assertLessEqual(gz["t"], html["t"])
        with open(self.log) as f:
            records = [json.loads(line) for line in f]
        self.assertIn(gz, records)
        self.assertIn(html, records)
        # control endpoints are off by default
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.plain.get("/__stats")
        self.assertEqual(e.exception.code, 404)
        with self.assertRaises(urllib.error.HTTPError) as e:
            self.plain.get("/__release", "POST")
        self.assertEqual(e.exception.code, 501)


if __name__ == "__main__":
    unittest.main()
