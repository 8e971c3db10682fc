// Every layout shift of one page load, with the elements that moved (what Lighthouse
// 12.2.3's own "layout-shifts" audit cannot say with Debian's Chromium: its RootCauses
// gatherer fails). A diagnosis tool, not a test: docs/BENCHMARKS.md, "Residual points",
// says what it found.
//
//   node tests/browser/layout-shifts.mjs URL [WIDTHxHEIGHT ...]   (default 1350x940 390x844)
//
// Serve the site first, e.g. `python3 scripts/serve.py SITE --port 8080 --gzip`.
import { launch } from "./chromium.mjs";

const [url, ...sizes] = process.argv.slice(2);
if (!url) {
  console.error("usage: node tests/browser/layout-shifts.mjs URL [WIDTHxHEIGHT ...]");
  process.exit(2);
}
const viewports = (sizes.length ? sizes : ["1350x940", "390x844"]).map((s) => {
  const [width, height] = s.split("x").map(Number);
  return { width, height };
});
const browser = await launch();
const describe = (node) =>
  !node ? null : node.nodeType === 1 ? node.outerHTML.slice(0, 120) : `#text ${node.textContent.slice(0, 60)}`;
for (const viewport of viewports) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript((describeSource) => {
    const describe = eval(describeSource);
    const rect = (r) => [r.x, r.y, r.width, r.height].map(Math.round);
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__shifts.push({
          at_ms: Math.round(e.startTime),
          value: +e.value.toFixed(4),
          after_input: e.hadRecentInput,
          moved: (e.sources || []).map((s) => ({ node: describe(s.node), from: rect(s.previousRect), to: rect(s.currentRect) })),
        });
      }
    }).observe({ type: "layout-shift", buffered: true });
  }, describe.toString());
  await page.goto(url);
  await page.waitForTimeout(Number(process.env.WAIT_MS || 8000));
  const shifts = await page.evaluate(() => window.__shifts);
  const total = shifts.reduce((sum, s) => sum + (s.after_input ? 0 : s.value), 0);
  console.log(`${viewport.width}x${viewport.height}: cumulative layout shift ${total.toFixed(4)}`);
  for (const s of shifts) console.log(JSON.stringify(s));
  await context.close();
}
await browser.close();
