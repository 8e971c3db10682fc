// Browser tests of the offline copy and of a new index version (registered by run.mjs,
// which runs them): the app answers with the server stopped once the offline copy is
// complete, and a rebuilt index deployed on the same origin replaces the old one.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

export function offlineTests({ test, newContext, resultIds, afterSearch, nativeIds, top, startServer, INDEXER }) {
  test("works offline after the first visit", async ({ browser, base, server, restart }) => {
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    const q = "I need a red dress for a summer wedding";
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    const online = await resultIds(page);
    // Once every file is stored (the worker's cache writes done), the page says so.
    await page.waitForSelector('.foot[data-offline="ready"]', { timeout: 60_000 });
    assert.match(await page.textContent(".foot"), /available offline/);
    // The service worker controls the page and has every file a browser uses.
    assert.ok(await page.evaluate(async () => {
      const cache = await caches.open("atelier-index-v1");
      const manifest = await (await cache.match(new URL("static-index/manifest.json", location.href).href)).json();
      const keys = new Set((await cache.keys()).map((r) => new URL(r.url).pathname));
      const f = manifest.files;
      // A set of small files lists its stem, hash and members' sizes: member n is <stem><n>-<hash>.bin.
      const members = (set) => set.bytes.map((_, n) => ({ path: `${set.stem}${n}-${set.hash}.bin` }));
      const want = [...[f.shards, f.postings, f.facet_columns, f.points, f.words].flatMap(members), f.facets, f.keywords,
        f.codes, f.model_weights, f.tokenizer, f.model_config]
        .map((s) => new URL("static-index/" + s.path, location.href).pathname);
      return navigator.serviceWorker.controller !== null && want.every((p) => keys.has(p));
    }), "every index file is in the cache");
    // index.html starts the search worker while the app loads, and the app adopts it:
    // one worker per page (the service worker's own fetches are not counted).
    let workers = 0;
    context.on("request", (r) => {
      if (r.url().endsWith("/atelier-worker_loader.js") && !r.serviceWorker()) workers++;
    });
    await server.stop();
    server.stopped = true;
    await page.reload();
    assert.deepEqual(await resultIds(page), online);
    assert.equal(workers, 1, "one search worker for the reloaded page");
    const ids = await afterSearch(page, async () => {
      await page.fill("#q", "striped shirt for men");
      await page.keyboard.press("Enter");
    });
    assert.deepEqual(top(ids), nativeIds(["--k", "10", "striped shirt for men"]));
    // Shirts were never shown online: their illustration comes from the precache.
    assert.ok(await page.evaluate(async () =>
      !!(await caches.match(new URL("illustrations/shirt.svg", location.href).href))),
      "the shirt illustration is cached");
    await page.waitForFunction(() => performance.getEntriesByType("resource")
      .some((e) => e.name.endsWith("/illustrations/shirt.svg") && e.responseStatus === 200));
    await context.close();
    await restart();
    // Failed fetches while offline are expected console noise; nothing else is.
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(p)), []);
  });

  // The site deployed again with a rebuilt index (scripts/test-browser.sh builds one with
  // shards of another size: other files, another version) on the same origin.
  test("a new index version replaces the old one: its answers, no mix, the old files pruned", async ({ browser, base, server, restart }) => {
    const nextDist = process.env.ATELIER_DIST_NEXT;
    const nextIndex = process.env.ATELIER_INDEX_NEXT;
    if (!nextDist || !nextIndex) {
      console.log("     skipped: ATELIER_DIST_NEXT and ATELIER_INDEX_NEXT are not set (scripts/test-browser.sh sets them)");
      return;
    }
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    const q = "striped shirt for men";
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    await resultIds(page);
    await page.waitForSelector('.foot[data-offline="ready"]', { timeout: 60_000 });
    const before = await page.$eval(".foot", (e) => e.dataset.indexVersion);
    await server.stop();
    server.stopped = true;
    const next = await startServer(Number(new URL(base).port), nextDist);
    try {
      await page.reload();
      const ids = await resultIds(page);
      const after = await page.$eval(".foot", (e) => e.dataset.indexVersion);
      assert.notEqual(after, before, "the page names the new index");
      const expected = JSON.parse(execFileSync(INDEXER, ["search", "--index", nextIndex, "--json", "--k", "10", q],
        { encoding: "utf8" }).trim().split("\n")[0]).results.map((r) => r.article_id);
      assert.deepEqual(top(ids), expected, "the new index's ranking");
      // Every card's metadata came from the new index's shards: none of the old index's
      // files is fetched or kept once the new one is in the cache.
      await page.waitForSelector('.foot[data-offline="ready"]', { timeout: 60_000 });
      const stale = await page.evaluate(async () => {
        const cache = await caches.open("atelier-index-v1");
        const url = (p) => new URL("static-index/" + p, location.href).pathname;
        for (let i = 0; i < 100; i++) {
          const manifest = await (await cache.match(new URL("static-index/manifest.json", location.href).href)).json();
          const keep = new Set();
          for (const f of Object.values(manifest.files)) {
            if (f && f.path) keep.add(url(f.path));
            if (f && f.stem) f.bytes.forEach((_, n) => keep.add(url(`${f.stem}${n}-${f.hash}.bin`)));
          }
          const left = (await cache.keys()).map((r) => new URL(r.url).pathname)
            .filter((p) => p.endsWith(".bin") && !keep.has(p));
          if (left.length === 0) return [];
          if (i === 99) return left;
          await new Promise((r) => setTimeout(r, 100));
        }
      });
      assert.deepEqual(stale, [], "the old index's files are pruned from the cache");
    } finally {
      await context.close();
      await next.stop();
      await restart();
    }
    assert.deepEqual(problems, []);
  });
}
