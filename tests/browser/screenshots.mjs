// The README's screenshots (docs/screenshots/): the start, results, filters, "more like
// this" and offline views at 390 and 1280 px, from a built site served at BASE.
//
//   python3 scripts/serve.py SITE --port 8811 &
//   BASE=http://127.0.0.1:8811 OUT=docs/screenshots node tests/browser/screenshots.mjs
import { launch } from "./chromium.mjs";

const BASE = process.env.BASE || "http://127.0.0.1:8811";
const OUT = process.env.OUT || "docs/screenshots";
const browser = await launch();
const ready = (page) => page.waitForSelector('.results[data-state="ready"] .card', { timeout: 180_000 });
for (const width of [390, 1280]) {
  const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 } });
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: `${OUT}/${name}-${width}.png` });
  await page.goto(`${BASE}/`);
  await page.waitForSelector(".foot[data-offline]", { timeout: 180_000 });
  await shot("start");
  await page.goto(`${BASE}/?q=${encodeURIComponent("I need a red dress for a summer wedding")}`);
  await ready(page);
  await page.waitForFunction(() => !document.querySelector(".loading"), null, { timeout: 180_000 });
  await shot("results");
  if (width < 600) {
    await page.click(".filters-toggle");
    await page.waitForSelector(".facet-groups.open .facet");
    await shot("filters");
    await page.click(".filters-toggle");
  }
  await page.locator(".card button.like").first().click();
  await page.waitForSelector(".like-head h2");
  await ready(page);
  await shot("more-like-this");
  await context.setOffline(true);
  await page.goto(`${BASE}/?q=${encodeURIComponent("striped shirt for men")}`);
  await ready(page);
  await shot("offline");
  await context.close();
}
await browser.close();
