// Accessibility audits (registered by run.mjs, which runs them): axe-core in the page on
// every view a shopper meets — start, results, the filters sheet, more like this, no
// good matches, an error, offline — at desktop and phone width. Zero violations.

import assert from "node:assert/strict";
import { createRequire } from "node:module";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export function auditTests({ test, newContext, resultIds, afterSearch, LOAD_TIMEOUT }) {
  /** axe-core's violations on the page as it is now, one line each. */
  async function violations(page, view) {
    if (!(await page.evaluate(() => typeof window.axe === "object"))) {
      await page.addScriptTag({ path: AXE });
    }
    const found = await page.evaluate(async () =>
      (await window.axe.run(document, { resultTypes: ["violations"] })).violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3),
      })));
    return found.map((v) => `${view}: ${v.id} (${v.impact}) at ${v.nodes.join(", ")}`);
  }

  test("axe: no accessibility violations on any view, at 1280 and 390 px", async ({ browser, base }) => {
    const found = [];
    for (const width of [1280, 390]) {
      // (The audit's script goes in as a script tag, which the site's policy forbids.)
      const { context, problems } = await newContext(browser, { viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(`${base}/`);
      await page.waitForSelector(".facet-groups .facet", { state: "attached", timeout: LOAD_TIMEOUT });
      found.push(...(await violations(page, `start at ${width}`)));

      await page.goto(`${base}/?q=red+dress`);
      await resultIds(page);
      found.push(...(await violations(page, `results at ${width}`)));
      if (width < 720) {
        await page.click(".filters-toggle");
        await page.waitForSelector(".facet-groups.open .facet");
        found.push(...(await violations(page, `filters sheet at ${width}`)));
        await page.click(".filters-toggle");
      }

      const first = await page.getAttribute(".card", "data-article-id");
      await afterSearch(page, () => page.click(`.card[data-article-id="${first}"] button.like`));
      await page.waitForSelector(".like-head h2");
      found.push(...(await violations(page, `more like this at ${width}`)));

      await page.goto(`${base}/?q=xqzv`);
      await resultIds(page);
      found.push(...(await violations(page, `no good matches at ${width}`)));

      await page.goto(`${base}/?q=dress&like=0999999999`);
      await page.waitForSelector('.results[data-state="error"]', { timeout: LOAD_TIMEOUT });
      found.push(...(await violations(page, `a failed "more like this" at ${width}`)));

      // Offline: once the first visit has stored everything, the network goes.
      await page.goto(`${base}/?q=black+jeans`);
      await resultIds(page);
      await page.waitForSelector('.foot[data-offline="ready"]', { timeout: LOAD_TIMEOUT });
      await context.setOffline(true);
      await page.reload();
      await resultIds(page);
      found.push(...(await violations(page, `offline at ${width}`)));
      await context.setOffline(false);
      assert.deepEqual(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p)), []);
      await context.close();

      // The index missing: the page says so.
      const broken = await newContext(browser, { viewport: { width, height: 900 }, bypassCSP: true, serviceWorkers: "block" });
      await broken.context.route("**/static-index/manifest.json", (route) => route.fulfill({ status: 404, body: "not found" }));
      const errorPage = await broken.context.newPage();
      await errorPage.goto(`${base}/?q=red+dress`);
      await errorPage.waitForSelector('.results[data-state="error"]', { timeout: LOAD_TIMEOUT });
      found.push(...(await violations(errorPage, `search unavailable at ${width}`)));
      await broken.context.close();
    }
    assert.deepEqual(found, []);
  });
}
