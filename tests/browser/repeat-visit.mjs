// Repeat visits: one visit until the offline copy is (nearly) filled, then reloads of
// `?q=…`, each timed from navigation to the first result card of any answer. With
// VERBOSE=1, each reload's timeline: requests (the worker's too) and the workers'
// console lines, in ms after navigation. A benchmark harness, not a test
// (docs/BENCHMARKS.md, "A repeat visit's first answer").
//
//   ATELIER_ROOT, ATELIER_DIST (site with static-index/), QUERY (default "red dress"),
//   RELOADS (default 7), SETTLE (ms after the first answer, default 60000),
//   CHROMIUM (default /usr/bin/chromium), VERBOSE

import { spawn } from "node:child_process";
import { join } from "node:path";
import { launch, freePort } from "./chromium.mjs";

const ROOT = process.env.ATELIER_ROOT;
const DIST = process.env.ATELIER_DIST;
const QUERY = process.env.QUERY || "red dress";
const RELOADS = Number(process.env.RELOADS || 7);
const SETTLE = Number(process.env.SETTLE || 60000);

const port = await freePort();
const server = spawn("python3", [join(ROOT, "scripts/serve.py"), DIST, "--port", String(port)], {
  stdio: ["ignore", "ignore", "ignore"], env: { ...process.env, ATELIER_SERVE_QUIET: "1" },
});
const base = `http://127.0.0.1:${port}`;
for (let i = 0; i < 100; i++) {
  try { if ((await fetch(`${base}/index.html`)).ok) break; } catch {}
  await new Promise((r) => setTimeout(r, 100));
}

const browser = await launch();
try {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    new MutationObserver(() => {
      if (!window.__firstCard && document.querySelector(".results .card[data-article-id]")) {
        window.__firstCard = performance.now();
      }
    }).observe(document, { subtree: true, childList: true });
  });
  const page = await context.newPage();
  await page.goto(`${base}/?q=${encodeURIComponent(QUERY)}`);
  await page.waitForSelector('.results[data-state="ready"] .card[data-article-id]', { timeout: 600000 });
  await new Promise((r) => setTimeout(r, SETTLE));

  const cards = [];
  for (let i = 0; i < RELOADS; i++) {
    const events = [];
    const short = (url) => url.replace(/^https?:\/\/[^/]+\//, "").slice(0, 60);
    const onRequest = (r) => events.push([Date.now(), `request  ${short(r.url())}`]);
    const onFinished = (r) => events.push([Date.now(), `finished ${short(r.url())}`]);
    const onConsole = (m) => events.push([Date.now(), `console  ${m.text().slice(0, 100)}`]);
    page.on("request", onRequest);
    page.on("requestfinished", onFinished);
    page.on("console", onConsole);
    await page.reload();
    await page.waitForFunction(() => window.__firstCard, null, { timeout: 60000 });
    const card = Math.round(await page.evaluate(() => window.__firstCard));
    const origin = await page.evaluate(() => performance.timeOrigin);
    cards.push(card);
    await new Promise((r) => setTimeout(r, 3000));
    page.off("request", onRequest);
    page.off("requestfinished", onFinished);
    page.off("console", onConsole);
    console.log(`reload ${i + 1}: first card ${card} ms`);
    if (process.env.VERBOSE) {
      for (const [t, what] of events.sort((a, b) => a[0] - b[0])) {
        console.log(`  ${String(Math.round(t - origin)).padStart(6)}  ${what}`);
      }
    }
  }
  const sorted = [...cards].sort((a, b) => a - b);
  console.log(`first card on a repeat visit: median ${sorted[sorted.length >> 1]} ms ` +
    `(${sorted[0]}–${sorted[sorted.length - 1]}), ${RELOADS} reloads of "${QUERY}"`);
} finally {
  await browser.close();
  server.kill();
}
