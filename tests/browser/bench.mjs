// Browser benchmark: first-visit bytes, time to first result (cold and warm cache) and
// query latency, in Debian's headless Chromium. Run by scripts/bench/browser.sh.
//
//   ATELIER_ROOT, ATELIER_DIST (site with static-index/), QUERIES (one per line),
//   N_QUERIES (default 60), CHROMIUM (default /usr/bin/chromium), VERBOSE=1 (the worker's
//   line for each query, and its loads, on stderr)

import { spawn } from "node:child_process";
import { readFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, freePort } from "./chromium.mjs";

const ROOT = process.env.ATELIER_ROOT;
const DIST = process.env.ATELIER_DIST;
const N = Number(process.env.N_QUERIES || 60);
const queries = readFileSync(process.env.QUERIES, "utf8").split("\n").map((l) => l.trim()).filter(Boolean);

const port = await freePort();
const work = mkdtempSync(join(tmpdir(), "atelier-bench-"));
const log = join(work, "bytes.jsonl");
const server = spawn("python3", [join(ROOT, "scripts/serve.py"), DIST, "--port", String(port), "--log-bytes", log], {
  stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ATELIER_SERVE_QUIET: "1" },
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/index.html`)).ok) break; } catch {}
  await new Promise((r) => setTimeout(r, 100));
}

function bytesSoFar() {
  if (!existsSync(log)) return { total: 0, byKind: {} };
  const byKind = {};
  let total = 0;
  for (const line of readFileSync(log, "utf8").split("\n").filter(Boolean)) {
    const { path, bytes } = JSON.parse(line);
    const p = path.split("?")[0];
    const kind = p.includes("/static-index/")
      ? (p.match(/static-index\/([a-z]+)/) || [, "manifest"])[1]
      : p.endsWith(".wasm") ? "app wasm" : "app other";
    byKind[kind] = (byKind[kind] || 0) + bytes;
    total += bytes;
  }
  return { total, byKind };
}

const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.round((s.length - 1) * p))];
};

// The page records when its first result card is on screen — the first answer (the
// keyword ranking while the model and codes load, or the full one) and the full answer
// (`data-state="ready"`): the first animation frame after the card is in the DOM (a
// MutationObserver notices it). Reading the clock after Playwright's waitForSelector
// instead would add its polling interval, which grows to 500 ms.
const FIRST_CARD = () => {
  const observer = new MutationObserver(() => {
    // (Result cards carry an article id; the page shell's skeleton cards do not.)
    const any = document.querySelector(".results .card[data-article-id]");
    const full = document.querySelector('.results[data-state="ready"] .card[data-article-id]');
    if (any && window.__atelierAnyCard === undefined) {
      window.__atelierAnyCard = null;
      requestAnimationFrame(() => { window.__atelierAnyCard = performance.now(); });
    }
    if (!full) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__atelierFirstCard = performance.now(); });
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
};

/** Milliseconds since navigation started to [the first answer's card, the full answer's]. */
async function firstResult(page, q) {
  await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
  await page.waitForFunction(
    () => window.__atelierFirstCard !== undefined && typeof window.__atelierAnyCard === "number",
    null, { timeout: 600_000 });
  return page.evaluate(() => [window.__atelierAnyCard, window.__atelierFirstCard]);
}

const browser = await launch();
const context = await browser.newContext();
await context.addInitScript(FIRST_CARD);
const loads = []; // the worker's own phase timings, one line per start
const splits = []; // [embed ms, rank ms] per query, from the worker's log
const forward = []; // the model's worker's own time per query (its forward pass)
context.on("console", (m) => {
  const t = m.text();
  if (t.includes("atelier-worker: loaded")) loads.push(t);
  const s = t.match(/atelier-worker: query embedded in ([\d.]+) ms, ranked in ([\d.]+) ms/);
  if (s) splits.push([Number(s[1]), Number(s[2])]);
  if (process.env.VERBOSE && (s || /attached|loaded in/.test(t))) console.error(t);
  const f = t.match(/the model's worker embedded the query in ([\d.]+) ms/);
  if (f) forward.push(Number(f[1]));
});
const page = await context.newPage();
const first = queries[0];

const [coldFirstMs, coldMs] = await firstResult(page, first);
const coldBytes = bytesSoFar();
// Wait for the background shard prefetch (offline support) to finish, then count again.
let last = -1;
for (let i = 0; i < 600; i++) {
  const now = bytesSoFar().total;
  if (now === last) break;
  last = now;
  await new Promise((r) => setTimeout(r, 1000));
}
const allBytes = bytesSoFar();

const warm = [];
for (let i = 0; i < 3; i++) warm.push(await firstResult(page, first));
const warmNewTab = [];
for (let i = 0; i < 3; i++) {
  const p = await context.newPage();
  warmNewTab.push(await firstResult(p, first));
  await p.close();
}

const took = [];
const wall = [];
splits.length = 0; // only the typed queries below
forward.length = 0;
// Searches typed one after another (skipping the query already on screen).
for (const q of queries.slice(1, N + 1)) {
  if (q === (await page.inputValue("#q"))) continue;
  const before = await page.$eval(".timing", (e) => e.dataset.tookMs).catch(() => null);
  const t0 = Date.now();
  await page.fill("#q", q);
  await page.keyboard.press("Enter");
  await page.waitForFunction((tb) => {
    const r = document.querySelector(".results");
    const t = document.querySelector(".timing");
    return r && r.dataset.state === "ready" && t && t.dataset.tookMs !== tb;
  }, before, { timeout: 60_000, polling: "raf" }).catch(() => console.error(`no new result for ${q}`));
  wall.push(Date.now() - t0);
  took.push(Number(await page.$eval(".timing", (e) => e.dataset.tookMs)));
}
await browser.close();
server.kill();
rmSync(work, { recursive: true, force: true });

const mb = (b) => (b / 1e6).toFixed(2);
const report = {
  site: DIST,
  first_visit_bytes_to_first_result: coldBytes.total,
  first_visit_bytes_by_kind: coldBytes.byKind,
  first_visit_bytes_with_offline_prefetch: allBytes.total,
  // The full answer's first card (the figures before 2026-12-03 are these).
  time_to_first_result_cold_ms: Math.round(coldMs),
  time_to_first_result_warm_reload_ms: warm.map((w) => Math.round(w[1])),
  time_to_first_result_warm_new_tab_ms: warmNewTab.map((w) => Math.round(w[1])),
  // The first answer's first card (keyword ranking while the model and codes load).
  time_to_first_card_cold_ms: Math.round(coldFirstMs),
  time_to_first_card_warm_reload_ms: warm.map((w) => Math.round(w[0])),
  time_to_first_card_warm_new_tab_ms: warmNewTab.map((w) => Math.round(w[0])),
  queries: took.length,
  took_ms_p50: pct(took, 0.5),
  took_ms_p95: pct(took, 0.95),
  wall_ms_p50: pct(wall, 0.5),
  wall_ms_p95: pct(wall, 0.95),
  embed_ms_p50: pct(splits.map((s) => s[0]), 0.5),
  embed_ms_p95: pct(splits.map((s) => s[0]), 0.95),
  rank_ms_p50: pct(splits.map((s) => s[1]), 0.5),
  rank_ms_p95: pct(splits.map((s) => s[1]), 0.95),
  forward_ms_p50: pct(forward, 0.5),
  forward_ms_p95: pct(forward, 0.95),
};
console.log(JSON.stringify(report, null, 2));
for (const l of loads) console.log(l);
console.log(`\n| first visit to first result | ${mb(coldBytes.total)} MB (${Object.entries(coldBytes.byKind).map(([k, v]) => `${k} ${mb(v)}`).join(", ")}) |`);
console.log(`| first visit incl. offline shard prefetch | ${mb(allBytes.total)} MB |`);
console.log(`| time to full result, cold | ${(coldMs / 1000).toFixed(2)} s |`);
const med = (v, i) => (pct(v.map((w) => w[i]), 0.5) / 1000).toFixed(2);
console.log(`| time to full result, warm (reload / new tab, median of 3) | ${med(warm, 1)} s / ${med(warmNewTab, 1)} s |`);
console.log(`| time to first card (first answer): cold / warm reload / warm new tab | ${(coldFirstMs / 1000).toFixed(2)} s / ${med(warm, 0)} s / ${med(warmNewTab, 0)} s |`);
console.log(`| query latency data-took-ms p50 / p95 (${took.length} queries) | ${pct(took, 0.5).toFixed(1)} / ${pct(took, 0.95).toFixed(1)} ms |`);
console.log(`| of which embedding / ranking p50 (p95) | ${report.embed_ms_p50} (${report.embed_ms_p95}) / ${report.rank_ms_p50} (${report.rank_ms_p95}) ms |`);
console.log(`| of which the model's worker's own forward pass p50 (p95) | ${report.forward_ms_p50} (${report.forward_ms_p95}) ms |`);
console.log(`| query wall time Enter→rendered p50 / p95 | ${pct(wall, 0.5)} / ${pct(wall, 0.95)} ms |`);
