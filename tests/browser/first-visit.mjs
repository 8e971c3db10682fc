// Progressive first visit over emulated mobile links, in Debian's headless Chromium: for
// each link (rate + RTT, scripts/serve.py --rate-kbit --rtt-ms --gzip --control) and each
// query, a cold visit of SITE/?q=QUERY (fresh context: no HTTP cache, no service worker)
// and when
//   first  the first result card is on screen, in any state (the preliminary keyword
//          answer, or already the full one);
//   full   the first card of the full answer (data-state="ready") is on screen;
//   quiet  (--offline) the network is quiet again: the worker's background fill of the
//          service worker's cache (every metadata shard, for offline use) is done;
// with the bytes the server had sent by then, in total and by kind of file. Run by
// scripts/bench/first-visit.sh; one JSON line per run on stdout, then a summary table per
// link (medians over runs and queries, min–max).
//
//   node tests/browser/first-visit.mjs [SITE] [options]
//     --site DIR          the built site (index.html, wasm, sw.js, static-index/)   env SITE
//     --query Q           a query (repeatable; default: 4 of different kinds)
//     --queries FILE      queries, one per line                                      env QUERIES
//     --links L,L         RATE_KBIT:RTT_MS links (default 9000:60,1600:150)          env LINKS
//     --runs N            cold visits per (link, query) (default 3)                  env RUNS
//     --no-gzip           serve identity; --gzip-bin no: gzip all but .bin files     env GZIP=0, GZIP_BIN
//     --expect FILE       `indexer search --json` lines: compare the full answer's
//                         top 10 with them, by query                                 env EXPECT
//     --expect-lexical F  the same with `--mode lexical`: the preliminary answer     env EXPECT_LEXICAL
//     --offline           then wait until no byte has moved for --quiet-s (3) seconds,
//                         at most --offline-cap-s (300)                              env OFFLINE=1, QUIET_S, OFFLINE_CAP_S
//     --timeout-s N       per visit, to the full answer (default 1200)               env TIMEOUT_S
//     --first-only        end each visit at the first card (slow links: the first
//                         answer without waiting minutes for the full one)           env FIRST_ONLY=1
//     --no-warm           do not pre-compress the site's files before measuring
//     --print-queries     print the queries, one per line, and exit
//   CHROMIUM (default /usr/bin/chromium), ATELIER_ROOT (default: this clone)
//
// Bytes are response bodies (as serve.py counts them), measured live: the browser talks to
// serve.py through a counting TCP proxy in this process, which attributes every chunk of
// every response to its file and time as it leaves the emulated link — so "bytes at the
// first card" includes the part of the codes and model already downloaded. serve.py's own
// /__stats (completed responses only) is sampled at each moment too (done_bytes_*), and its
// total at the end must equal the proxy's (checked: stats_mismatch).

import { spawn } from "node:child_process";
import { readFileSync, readdirSync, statSync, existsSync, realpathSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import net from "node:net";

// ------------------------------------------------------------------ options

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    site: { type: "string" },
    query: { type: "string", multiple: true },
    queries: { type: "string" },
    links: { type: "string" },
    runs: { type: "string" },
    "no-gzip": { type: "boolean" },
    "gzip-bin": { type: "string" },
    expect: { type: "string" },
    "expect-lexical": { type: "string" },
    offline: { type: "boolean" },
    "quiet-s": { type: "string" },
    "offline-cap-s": { type: "string" },
    "timeout-s": { type: "string" },
    "no-warm": { type: "boolean" },
    "first-only": { type: "boolean" },
    "print-queries": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});
const HERE = dirname(fileURLToPath(import.meta.url));
if (opt.help) {
  const src = readFileSync(fileURLToPath(import.meta.url), "utf8");
  const lines = src.split("\n");
  console.log(lines.slice(0, lines.findIndex((l) => !l.startsWith("//"))).join("\n").replace(/^\/\/ ?/gm, ""));
  process.exit(0);
}
const env = process.env;
const ROOT = env.ATELIER_ROOT || resolve(HERE, "../..");
const SITE = resolve(opt.site || positionals[0] || env.SITE || env.ATELIER_DIST || "");
const DEFAULT_QUERIES = ["red dress", "something warm for the kids", "black jeans for men", "cardigen"];
const queriesFile = opt.queries || env.QUERIES;
const QUERIES = opt.query?.length ? opt.query
  : queriesFile ? readFileSync(queriesFile, "utf8").split("\n").map((l) => l.trim()).filter(Boolean)
  : DEFAULT_QUERIES;
const LINKS = (opt.links || env.LINKS || "9000:60,1600:150").split(",").map((s) => {
  const [rate, rtt] = s.trim().split(":").map(Number);
  if (!(rate > 0) || !(rtt >= 0)) throw new Error(`bad link ${s} (want RATE_KBIT:RTT_MS)`);
  return { name: `${rate}:${rtt}`, rate, rtt };
});
if (opt["print-queries"]) { // for scripts/bench/first-visit.sh: the queries to compute expectations for
  console.log(QUERIES.join("\n"));
  process.exit(0);
}
const RUNS = Number(opt.runs || env.RUNS || 3);
const GZIP = !opt["no-gzip"] && env.GZIP !== "0";
const GZIP_BIN = opt["gzip-bin"] || env.GZIP_BIN || "yes";
const OFFLINE = !!opt.offline || env.OFFLINE === "1";
const FIRST_ONLY = !!opt["first-only"] || env.FIRST_ONLY === "1";
const QUIET_MS = 1000 * Number(opt["quiet-s"] || env.QUIET_S || 3);
const OFFLINE_CAP_MS = 1000 * Number(opt["offline-cap-s"] || env.OFFLINE_CAP_S || 300);
const TIMEOUT_MS = 1000 * Number(opt["timeout-s"] || env.TIMEOUT_S || 1200);
const WARM = !opt["no-warm"];

if (!existsSync(join(SITE, "index.html")) || !existsSync(join(SITE, "static-index/manifest.json"))) {
  console.error(`first-visit: ${SITE || "(no site)"} is not a built site with static-index/ (pass --site DIR)`);
  process.exit(2);
}

/** query -> top-10 article ids, from `indexer search --json` lines. */
function expected(file) {
  if (!file) return null;
  const map = new Map();
  for (const line of readFileSync(file, "utf8").split("\n").filter((l) => l.trim())) {
    const r = JSON.parse(line);
    map.set(r.query, r.results.map((x) => x.article_id).slice(0, 10));
  }
  return map;
}
const EXPECT = expected(opt.expect || env.EXPECT);
const EXPECT_LEXICAL = expected(opt["expect-lexical"] || env.EXPECT_LEXICAL);

const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now(); // epoch ms, like the page's

// ------------------------------------------------------------------ kinds of file

const CLASSES = ["app", "manifest", "facets", "keywords", "shards", "codes", "points", "graph", "model", "words", "other"];
/** page, app and worker scripts/wasm/css | manifest | facets | keywords | shards | codes |
 *  points (the partitions a query re-scores with) | graph (no longer fetched) |
 *  model (+ tokenizer + config) | words (the rows of the model's word embeddings a query's
 *  tokens need) | other (vectors, which browsers never fetch; errors) */
function classify(path) {
  const p = decodeURIComponent(path.split("?")[0]);
  const m = p.match(/\/static-index\/(.*)$/);
  if (!m) return "app";
  const name = m[1];
  if (name === "manifest.json") return "manifest";
  const kind = (name.match(/^([a-z]+)/) || [])[1];
  if (["facets", "keywords", "codes", "points", "graph", "words"].includes(kind)) return kind;
  if (kind === "column") return "facets";
  if (kind === "postings") return "keywords";
  if (kind === "shard" || kind === "shards") return "shards";
  if (kind === "model" || kind === "tokenizer" || kind === "config") return "model";
  return "other";
}

// ------------------------------------------------------------------ the counting proxy

/** Every response body chunk with its time and kind, for one visit. */
class Meter {
  constructor() { this.reset(); }
  reset() {
    this.events = []; // [epoch ms, body bytes, class]
    this.responses = []; // {path, cls, status, bytes, length, t0, t1, complete}
    this.requests = 0;
    this.headerBytes = 0;
    this.lastActivity = now();
  }
  request() { this.requests++; this.lastActivity = now(); }
  open(path, status, length, t) {
    const r = { path, cls: status >= 400 ? "other" : classify(path), status, bytes: 0, length, t0: t, t1: null, complete: false };
    this.responses.push(r);
    this.lastActivity = t;
    return r;
  }
  body(r, t, n) {
    r.bytes += n;
    this.events.push([t, n, r.cls]);
    this.lastActivity = t;
  }
  close(r, t) {
    if (r.t1 !== null) return;
    r.t1 = t;
    r.complete = r.length === null || r.bytes === r.length;
  }
  outstanding() { return this.requests - this.responses.filter((r) => r.t1 !== null).length; }
  /** Body bytes sent up to epoch ms `t` (all, by default), in total and by kind. */
  at(t = Infinity) {
    const by = Object.fromEntries(CLASSES.map((c) => [c, 0]));
    let total = 0;
    for (const [te, n, c] of this.events) {
      if (te > t) break;
      by[c] += n;
      total += n;
    }
    return { total, by };
  }
  lastByte() { return this.events.length ? this.events[this.events.length - 1][0] : null; }
}

/** A TCP proxy to serve.py that parses the HTTP/1.x exchanges it carries (no pipelining:
 *  responses come in request order) and counts response bodies into `meter`. */
function startProxy(upstreamPort, meter) {
  const sockets = new Set();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    sockets.add(client);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const queue = []; // requests awaiting their response: {method, path}
    let reqHead = "";
    let reqSkip = 0;
    client.on("data", (d) => {
      // Requests are small: keep them as latin1 text.
      let s = d.toString("latin1");
      while (s.length) {
        if (reqSkip > 0) {
          const k = Math.min(reqSkip, s.length);
          reqSkip -= k;
          s = s.slice(k);
          continue;
        }
        reqHead += s;
        s = "";
        const end = reqHead.indexOf("\r\n\r\n");
        if (end < 0) break;
        const head = reqHead.slice(0, end);
        s = reqHead.slice(end + 4);
        reqHead = "";
        const [method, path] = head.split("\r\n")[0].split(" ");
        queue.push({ method, path });
        meter.request();
        const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
        reqSkip = cl ? Number(cl[1]) : 0;
      }
    });
    let pending = Buffer.alloc(0);
    let remaining = null; // body bytes still to come; null: reading a head
    let cur = null;
    upstream.on("data", (d) => {
      const t = now();
      let buf = d;
      while (buf.length) {
        if (remaining === null) {
          pending = pending.length ? Buffer.concat([pending, buf]) : buf;
          const end = pending.indexOf("\r\n\r\n");
          if (end < 0) return;
          const head = pending.toString("latin1", 0, end);
          meter.headerBytes += end + 4;
          buf = pending.subarray(end + 4);
          pending = Buffer.alloc(0);
          const status = Number(head.split(" ")[1]);
          if (status >= 100 && status < 200) continue; // interim; the request still waits
          const req = queue.shift() || { method: "GET", path: "(unknown)" };
          const cl = /\r\ncontent-length:\s*(\d+)/i.exec(head);
          const bodyless = req.method === "HEAD" || status === 204 || status === 304;
          remaining = bodyless ? 0 : cl ? Number(cl[1]) : Infinity; // no length: until close
          cur = meter.open(req.path, status, bodyless ? 0 : cl ? Number(cl[1]) : null, t);
        } else {
          const k = Math.min(remaining, buf.length);
          meter.body(cur, t, k);
          remaining -= k;
          buf = buf.subarray(k);
        }
        if (remaining === 0) {
          meter.close(cur, t);
          remaining = null;
          cur = null;
        }
      }
    });
    const finish = () => {
      if (cur) meter.close(cur, now());
      cur = null;
      // Requests that never got a response (the visit closed first) are no longer waited for.
      meter.requests -= queue.length;
      queue.length = 0;
    };
    upstream.on("close", () => { finish(); client.destroy(); });
    client.on("close", () => { sockets.delete(client); upstream.destroy(); });
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolveStart) => {
    server.listen(0, "127.0.0.1", () => resolveStart({
      port: server.address().port,
      open: () => sockets.size,
      close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
    }));
  });
}

// ------------------------------------------------------------------ the emulated link

async function startServer(link) {
  const port = await freePort();
  const args = [join(ROOT, "scripts/serve.py"), SITE, "--port", String(port), "--control",
    "--rate-kbit", String(link.rate), "--rtt-ms", String(link.rtt)];
  if (GZIP) args.push("--gzip", "--gzip-bin", GZIP_BIN);
  const child = spawn("python3", args, {
    stdio: ["ignore", "ignore", "inherit"], env: { ...env, ATELIER_SERVE_QUIET: "1" },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try { if ((await fetch(`${base}/__stats`)).ok) break; } catch {}
    if (child.exitCode !== null) throw new Error("serve.py exited");
    await sleep(100);
  }
  const post = async (what) => (await fetch(`${base}${what}`, { method: "POST" })).json();
  return {
    base, port,
    stats: async () => (await fetch(`${base}/__stats`)).json(),
    reset: () => post("/__stats/reset"),
    stop: () => new Promise((r) => {
      if (child.exitCode !== null) return r();
      child.once("exit", r);
      child.kill("SIGTERM");
    }),
  };
}

/** Every file a browser may fetch (not vectors-*.bin), biggest first, as URL paths. */
function siteFiles() {
  const out = [];
  const seen = new Set(); // real paths: each file once, by the URL a browser uses
  const walk = (dir) => {
    // static-index/ first: the index may also be reachable by another name.
    const names = readdirSync(dir).sort((a, b) => (b === "static-index") - (a === "static-index"));
    for (const name of names) {
      const p = join(dir, name);
      const real = realpathSync(p);
      if (seen.has(real)) continue;
      seen.add(real);
      const st = statSync(p); // follows the static-index link
      if (st.isDirectory()) walk(p);
      else if (!/^vectors-/.test(name)) out.push({ path: "/" + relative(SITE, p).split("\\").join("/"), size: st.size });
    }
  };
  walk(SITE);
  return out.sort((a, b) => b.size - a.size);
}

/** serve.py gzips a file on its first request and keeps it: compressing the 16 MB model
 *  then takes seconds, which would be charged to the first visit. A HEAD request with
 *  Accept-Encoding: gzip fills that cache without sending a body through the link. */
async function warm(server) {
  if (!GZIP) return;
  const t0 = Date.now();
  const files = siteFiles();
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const f = files[next++];
      const r = await fetch(server.base + f.path.split("/").map(encodeURIComponent).join("/"),
        { method: "HEAD", headers: { "Accept-Encoding": "gzip" } });
      if (!r.ok) log(`  warm: ${f.path}: HTTP ${r.status}`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]); // small files wait an RTT each
  log(`  gzip cache warmed: ${files.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await server.reset();
}

// ------------------------------------------------------------------ one visit

// In the page: the first animation frame after (a) the first result card and (b) the
// first card of the full answer are in the DOM (a MutationObserver notices them), as in
// bench.mjs; each is reported to node at once (to sample serve.py's /__stats) and kept in
// window.__fv.
const TIMING = () => {
  const marks = (window.__fv = {});
  const mark = (name, state) => {
    requestAnimationFrame(() => {
      const m = {
        t: performance.now(), origin: performance.timeOrigin, state,
        ids: [...document.querySelectorAll(".results .card[data-article-id]")].map((e) => e.dataset.articleId),
        text: name === "error" ? (document.querySelector('[role="alert"]') || {}).textContent || "" : undefined,
      };
      marks[name] = m;
      if (typeof window.__fvEvent === "function") window.__fvEvent(name, m).catch(() => {});
    });
  };
  const seen = {};
  const observer = new MutationObserver(() => {
    const results = document.querySelector(".results");
    if (!results) return;
    const state = results.dataset.state;
    if (!seen.first && results.querySelector(".card[data-article-id]")) { seen.first = true; mark("first", state); }
    if (!seen.full && state === "ready" && results.querySelector(".card[data-article-id]")) { seen.full = true; mark("full", state); }
    if (!seen.error && state === "error") { seen.error = true; mark("error", state); }
    if (seen.full) observer.disconnect();
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
};

const top10 = (ids) => ids.slice(0, 10);
const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

async function visit(browser, server, proxy, meter, link, query, run) {
  await server.reset();
  // The previous visit's connections are gone (closing its context closed them).
  for (let i = 0; i < 100 && proxy.open() > 0; i++) await sleep(100);
  meter.reset();
  const context = await browser.newContext(); // cold: no cache, no service worker
  const samples = {}; // name -> {node time, serve.py stats}
  const waiters = {};
  const got = (name) => new Promise((r) => { (waiters[name] ||= []).push(r); });
  await context.exposeFunction("__fvEvent", async (name, m) => {
    const tNode = now();
    let stats = null;
    try { stats = await server.stats(); } catch {}
    samples[name] = { ...m, tNode, stats };
    for (const w of waiters[name] || []) w();
  });
  await context.addInitScript(TIMING);
  const problems = [];
  const workerLog = [];
  context.on("console", (msg) => {
    const t = msg.text();
    if (/^atelier-worker:/.test(t)) workerLog.push(t);
    if (msg.type() === "error") problems.push(`console: ${t}`);
  });
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const url = `http://127.0.0.1:${proxy.port}/?q=${encodeURIComponent(query)}`;
  const rec = {
    link: link.name, rate_kbit: link.rate, rtt_ms: link.rtt, gzip: GZIP ? (GZIP_BIN === "yes" ? "all" : "no-bin") : "off",
    query, run,
  };
  const started = Date.now();
  try {
    await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT_MS });
    const outcome = await Promise.race([
      got(FIRST_ONLY ? "first" : "full").then(() => "full"),
      got("error").then(() => "error"),
      sleep(TIMEOUT_MS).then(() => "timeout"),
    ]);
    if (outcome !== "full") {
      rec.error = outcome === "error" ? `error state: ${samples.error.text.trim().slice(0, 200)}` : `no ${FIRST_ONLY ? "first" : "full"} answer in ${TIMEOUT_MS / 1000} s`;
    }
    if (!samples.first && outcome === "full") await Promise.race([got("first"), sleep(5000)]); // the same frame
  } catch (e) {
    rec.error = String(e.message || e).split("\n")[0];
  }

  // A page event at page time m.t is epoch m.origin + m.t on the proxy's clock (both are the
  // system clock); if the two disagree by more than the callback's latency could explain,
  // use the time node heard of it instead.
  const moment = (m) => {
    const epoch = m.origin + m.t;
    const skew = m.tNode - epoch;
    return { epoch: skew < -50 || skew > 2000 ? m.tNode : epoch, skew };
  };
  for (const [name, key] of [["first", "first_card"], ["full", "full"]]) {
    const m = samples[name];
    if (!m) continue;
    const { epoch, skew } = moment(m);
    const at = meter.at(epoch);
    rec[`t_${key}_ms`] = Math.round(m.t);
    rec[`bytes_${key}`] = at.total;
    rec[`by_class_${key}`] = at.by;
    rec[`done_bytes_${key}`] = m.stats ? m.stats.bytes : null; // serve.py: completed responses
    rec[`clock_skew_${key}_ms`] = Math.round(skew);
  }
  if (samples.first) {
    rec.first_state = samples.first.state;
    rec.preliminary = samples.first.state !== "ready";
    if (EXPECT_LEXICAL && rec.preliminary && EXPECT_LEXICAL.has(query)) {
      // The first answer's cards are drawn a few per task: the first card's moment shows the
      // first six or so, which must be the lexical ranking's first ones.
      const shown = top10(samples.first.ids);
      rec.preliminary_ids_match = shown.length > 0 && same(shown, EXPECT_LEXICAL.get(query).slice(0, shown.length));
      rec.preliminary_ids_shown = shown.length;
    }
  }
  if (samples.full) {
    rec.full_ids = top10(samples.full.ids);
    rec.full_ids_match = EXPECT && EXPECT.has(query) ? same(rec.full_ids, EXPECT.get(query)) : null;
  }

  if (OFFLINE && samples.full) {
    const t0 = Date.now();
    while (Date.now() - t0 < OFFLINE_CAP_MS) {
      if (meter.outstanding() <= 0 && now() - meter.lastActivity >= QUIET_MS) break;
      await sleep(250);
    }
    rec.offline_capped = Date.now() - t0 >= OFFLINE_CAP_MS;
    const last = meter.lastByte();
    const origin = samples.full.origin;
    rec.t_quiet_ms = last === null ? null : Math.round(last - origin);
    rec.offline_bytes = meter.at().total;
    // Has the service worker cached every shard the manifest lists (as the offline test checks)?
    rec.offline_ready = await page.evaluate(async () => {
      if (!navigator.serviceWorker.controller || !(await caches.keys()).includes("atelier-index-v1")) return false;
      const cache = await caches.open("atelier-index-v1");
      const hit = await cache.match(new URL("static-index/manifest.json", location.href).href);
      if (!hit) return false;
      const manifest = await hit.json();
      const keys = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
      const set = manifest.files.shards; // member n is <stem><n>-<hash>.bin
      return set.bytes.every((_, n) => keys.has(new URL(`static-index/${set.stem}${n}-${set.hash}.bin`, location.href).pathname));
    }).catch(() => null);
  }

  // Everything sent during the visit: until quiet with --offline, else until the full answer
  // (and the moment it took to notice it).
  const total = meter.at();
  rec.bytes_total = total.total;
  rec.by_class_total = total.by;
  rec.requests = meter.responses.length;
  rec.not_modified = meter.responses.filter((r) => r.status === 304).length;
  rec.incomplete = meter.responses.filter((r) => r.t1 !== null && !r.complete).map((r) => r.path).slice(0, 5);
  rec.header_bytes = meter.headerBytes;
  // TRACE=1: every response, in ms from the navigation (where a first answer's time goes).
  if (env.TRACE === "1" && samples.first) {
    const origin = samples.first.origin;
    rec.trace = meter.responses.map((r) => [r.path.split("?")[0].slice(-40), Math.round(r.t0 - origin),
      r.t1 === null ? null : Math.round(r.t1 - origin), r.bytes]);
  }
  if (OFFLINE) {
    // Every response is complete now: serve.py's count must equal the proxy's.
    const stats = await server.stats().catch(() => null);
    const mine = meter.responses.reduce((s, r) => s + r.bytes, 0);
    if (stats && stats.bytes !== mine) rec.stats_mismatch = { serve_py: stats.bytes, proxy: mine };
  }
  rec.worker_log = workerLog.filter((l) => /loaded|ready|prefetch/i.test(l)).slice(0, 6);
  if (problems.length) rec.problems = problems.slice(0, 5);
  rec.wall_s = Math.round((Date.now() - started) / 100) / 10;
  await context.close().catch(() => {});
  return rec;
}

// ------------------------------------------------------------------ summary

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}
const range = (v, f) => (v.length ? `${f(median(v))} (${f(Math.min(...v))}–${f(Math.max(...v))})` : "–");
const sec = (ms) => (ms / 1000).toFixed(2);
const mbs = (b) => (b / 1e6).toFixed(2);

function summary(link, recs) {
  const ok = recs.filter((r) => !r.error);
  const lines = [];
  const gz = GZIP ? (GZIP_BIN === "yes" ? "gzip" : "gzip except .bin") : "no compression";
  lines.push(`\n### ${link.rate / 1000} Mbit/s, ${link.rtt} ms RTT (${gz}): ${QUERIES.length} queries × ${RUNS} runs` +
    (recs.length - ok.length ? `, ${recs.length - ok.length} failed` : ""));
  lines.push("");
  lines.push("| phase | time, s: median (min–max) | MB sent: median (min–max) | of which, MB (medians) |");
  lines.push("|---|---|---|---|");
  const row = (label, rs, tKey, bKey, byKey) => {
    if (!rs.length) return;
    const by = CLASSES.map((c) => [c, median(rs.map((r) => r[byKey][c]))]).filter(([, v]) => v >= 5e3);
    lines.push(`| ${label} | ${range(rs.map((r) => r[tKey]), sec)} | ${range(rs.map((r) => r[bKey]), mbs)} | ` +
      `${by.sort((a, b) => b[1] - a[1]).map(([c, v]) => `${c} ${mbs(v)}`).join(", ")} |`);
  };
  const firsts = ok.filter((r) => r.t_first_card_ms !== undefined);
  const prelim = firsts.filter((r) => r.preliminary).length;
  row(`first card (preliminary in ${prelim}/${firsts.length})`, firsts, "t_first_card_ms", "bytes_first_card", "by_class_first_card");
  row("full answer", ok.filter((r) => r.t_full_ms !== undefined), "t_full_ms", "bytes_full", "by_class_full");
  if (OFFLINE) {
    const q = ok.filter((r) => r.offline_bytes !== undefined);
    const capped = q.filter((r) => r.offline_capped).length;
    const ready = q.filter((r) => r.offline_ready).length;
    row(`quiet: offline fill done (${ready}/${q.length} all shards cached${capped ? `, ${capped} capped` : ""})`,
      q, "t_quiet_ms", "offline_bytes", "by_class_total");
  }
  const checked = ok.filter((r) => typeof r.full_ids_match === "boolean");
  if (checked.length) lines.push(`\nFull answer = \`indexer search --json\` top 10: ${checked.filter((r) => r.full_ids_match).length}/${checked.length}.`);
  const lex = ok.filter((r) => typeof r.preliminary_ids_match === "boolean");
  if (lex.length) lines.push(`Preliminary answer = \`--mode lexical\` top 10: ${lex.filter((r) => r.preliminary_ids_match).length}/${lex.length}.`);
  lines.push("");
  lines.push("| query | first card, s | first state | MB at first card | full answer, s | MB at full answer |" + (OFFLINE ? " quiet, s | MB total |" : ""));
  lines.push("|---|---|---|---|---|---|" + (OFFLINE ? "---|---|" : ""));
  for (const q of QUERIES) {
    // (With --first-only a visit ends at its first card: no full-answer columns.)
    const rs = ok.filter((r) => r.query === q && (FIRST_ONLY || r.t_full_ms !== undefined));
    if (!rs.length) { lines.push(`| ${q} | failed |  |  |  |  |` + (OFFLINE ? "  |  |" : "")); continue; }
    const states = [...new Set(rs.map((r) => r.first_state))].join("/");
    const full = (f) => (FIRST_ONLY ? "—" : f());
    lines.push(`| ${q} | ${sec(median(rs.map((r) => r.t_first_card_ms)))} | ${states} | ${mbs(median(rs.map((r) => r.bytes_first_card)))} | ` +
      `${full(() => sec(median(rs.map((r) => r.t_full_ms))))} | ${full(() => mbs(median(rs.map((r) => r.bytes_full))))} |` +
      (OFFLINE ? ` ${sec(median(rs.map((r) => r.t_quiet_ms)))} | ${mbs(median(rs.map((r) => r.offline_bytes)))} |` : ""));
  }
  return lines.join("\n");
}

// ------------------------------------------------------------------ main

log(`first visit: ${SITE}; links ${LINKS.map((l) => l.name).join(", ")}; ${QUERIES.length} queries × ${RUNS} runs` +
  `${OFFLINE ? `; until quiet (${QUIET_MS / 1000} s, cap ${OFFLINE_CAP_MS / 1000} s)` : ""}`);
// (Imported here: --help and --print-queries work before `npm ci`.)
const { launch, freePort } = await import("./chromium.mjs");
const browser = await launch();
const tables = [];
let failed = 0;
try {
  for (const link of LINKS) {
    log(`link ${link.name}: ${link.rate} kbit/s, ${link.rtt} ms RTT`);
    const server = await startServer(link);
    const meter = new Meter();
    const proxy = await startProxy(server.port, meter);
    const recs = [];
    try {
      if (WARM) await warm(server);
      for (let run = 1; run <= RUNS; run++) {
        for (const query of QUERIES) {
          const rec = await visit(browser, server, proxy, meter, link, query, run);
          recs.push(rec);
          if (rec.error) failed++;
          console.log(JSON.stringify(rec));
          log(`  ${query} #${run}: ` + (rec.t_first_card_ms !== undefined
            ? `first card ${sec(rec.t_first_card_ms)} s (${rec.first_state}, ${mbs(rec.bytes_first_card)} MB)` : "no card") +
            (rec.t_full_ms !== undefined ? `, full ${sec(rec.t_full_ms)} s (${mbs(rec.bytes_full)} MB)` : "") +
            (rec.offline_bytes !== undefined ? `, quiet ${sec(rec.t_quiet_ms)} s (${mbs(rec.offline_bytes)} MB)` : "") +
            (rec.full_ids_match === false ? ", FULL IDS DIFFER" : "") + (rec.error ? `, ERROR ${rec.error}` : ""));
        }
      }
    } finally {
      await proxy.close();
      await server.stop();
    }
    tables.push(summary(link, recs));
  }
} finally {
  await browser.close();
}
console.log(tables.join("\n"));
if (failed) log(`${failed} visit(s) failed`);
process.exit(failed ? 1 : 0);
