// Browser tests of what a search selects (registered by run.mjs, which runs them):
// browsing by filters without words, counts that say what they count, facet counts over
// the set a search selects, and "load more" by scrolling.

import assert from "node:assert/strict";

export function resultSetTests({ test, newContext, resultIds, afterSearch, native, nativeIds }) {
  test("filters without words browse; the count names the set; facets count within it", async ({ browser, base }) => {
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/`);
    await page.waitForSelector('input[data-facet="product_type"][data-value="Dress"]', { timeout: 180_000 });
    // A filter on the start page browses what it selects, in the catalog's order.
    const dress = page.locator('input[data-facet="product_type"][data-value="Dress"]');
    if (!(await dress.isVisible())) {
      await page.locator('fieldset:has(input[data-facet="product_type"]) > button.link').click();
    }
    const browsed = await afterSearch(page, () => dress.check());
    const want = native(["--browse", "--filter", "product_type=Dress", "--k", "24"]);
    assert.deepEqual(browsed, want.results.map((r) => r.article_id));
    assert.ok(page.url().includes("product_type=Dress") && !page.url().includes("q="), page.url());
    const line = await page.textContent(".timing");
    assert.match(line, new RegExp(`^${want.total.toLocaleString("en-GB")} dresses · `), line);
    assert.equal(Number(await page.getAttribute(".timing", "data-total")), want.total);
    // "red dress": a set, counted as the engine counts it, its facets counted within it.
    await afterSearch(page, async () => {
      await page.goto(`${base}/?q=red+dress`);
    });
    const red = native(["--k", "24", "red dress"]);
    assert.ok(red.total > 0, JSON.stringify(red.total));
    assert.match(await page.textContent(".timing"), new RegExp(`^${red.total} red dresses · `));
    assert.match(await page.textContent("#announce"), new RegExp(`^${red.total} red dresses`));
    const colours = Object.fromEntries(
      red.facets.find((f) => f.name === "colour").values.map((v) => [v.value, v.count]),
    );
    await page.waitForFunction(
      (want) => [...document.querySelectorAll('input[data-facet="colour"]')].every((i) => {
        const count = Number(i.closest("label").querySelector(".count").textContent);
        return want[i.dataset.value] === count;
      }) && document.querySelectorAll('input[data-facet="colour"]').length === Object.keys(want).length,
      colours,
      { timeout: 60_000 },
    );
    // A need only ranks: "best matches", no count.
    await afterSearch(page, () => page.goto(`${base}/?q=${encodeURIComponent("something warm for the kids")}`));
    assert.match(await page.textContent(".timing"), /^24 best matches · /);
    assert.equal(await page.getAttribute(".timing", "data-total"), null);
    assert.deepEqual(problems, []);
    await context.close();
  });

  test("scrolling to the end loads the next page (the focus stays put); the button still works", async ({ browser, base }) => {
    const { context, problems } = await newContext(browser, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/?q=dress`);
    assert.equal((await resultIds(page)).length, 24);
    await page.focus("#q");
    const more = await afterSearch(page, async () => {
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, 1500);
        await page.waitForTimeout(50);
      }
    });
    assert.ok(more.length >= 48, `${more.length} results after scrolling`);
    assert.deepEqual(more, nativeIds(["--k", String(more.length), "dress"]));
    assert.equal(await page.evaluate(() => document.activeElement?.id), "q", "scrolling moves no focus");
    assert.deepEqual(problems, []);
    await context.close();
  });
}
