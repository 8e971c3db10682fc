// Browser tests of the cards' pictures (registered by run.mjs, which runs them): our
// illustrations on the demo, and photos written by `indexer build --images`.

import { execFileSync } from "node:child_process";
import { join } from "node:path";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import zlib from "node:zlib";

export function pictureTests({ test, newContext, resultIds, startServer, freePort, ROOT, DIST, INDEXER }) {
  test("cards lead with a picture: our illustration in the article's colour and pattern; shoppers' names", async ({ browser, base }) => {
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${base}/?q=${encodeURIComponent("striped shirt for men")}`);
    await resultIds(page);
    const cards = await page.$$eval(".results .card", (els) => els.map((card) => {
      const art = card.querySelector(".picture .illustration");
      const style = art && getComputedStyle(art);
      return {
        first: card.firstElementChild.classList.contains("picture"),
        name: card.querySelector(".picture").dataset.illustration,
        mask: style && style.maskImage,
        colour: style && style.backgroundColor,
        patterned: art && /pattern-stripe/.test(art.className) && style.backgroundImage.includes("repeating-linear-gradient"),
        swatch: getComputedStyle(card.querySelector(".variants .swatch-button.selected .swatch") || art).backgroundColor,
        box: card.querySelector(".picture").getBoundingClientRect().height,
        type: card.querySelector(".meta").textContent,
      };
    }));
    for (const c of cards) {
      assert.ok(c.first, "the picture comes first");
      assert.ok(c.box > 100, `the picture box is sized before anything loads (${c.box} px)`);
      assert.match(c.mask, /illustrations\/[a-z]+\.svg/);
      assert.equal(c.colour, c.swatch, "drawn in the colour on show");
    }
    assert.ok(cards.filter((c) => c.name === "shirt").length >= 3, cards.map((c) => c.name).join());
    assert.ok(cards.some((c) => c.patterned), "striped articles are drawn striped");
    // The service worker precaches every illustration (any card draws offline).
    const sw = fs.readFileSync(join(ROOT, "public/sw.js"), "utf8");
    const listed = JSON.parse(sw.match(/const ILLUSTRATIONS = (\[[^\]]*\])/)[1].replace(/,\s*\]/, "]"));
    assert.deepEqual(listed, fs.readdirSync(join(ROOT, "public/illustrations")).map((f) => f.replace(/\.svg$/, "")).sort());
    // Every illustration the page used loaded.
    const loaded = await page.evaluate(() => performance.getEntriesByType("resource")
      .filter((e) => e.name.includes("/illustrations/")).map((e) => e.responseStatus));
    assert.ok(loaded.length > 0 && loaded.every((s) => s === 200), JSON.stringify(loaded));
    // Once cards are drawn, the service worker caches the rest in the background (not
    // while installing: that held back the first answer).
    await page.waitForFunction(async (n) => {
      const cache = await caches.open("atelier-app-v1");
      return (await cache.keys()).filter((r) => r.url.includes("/illustrations/")).length >= n;
    }, listed.length, { polling: 250, timeout: 30000 });
    // Switching a swatch redraws the picture in that colour.
    const card = page.locator(".card:has(.variants)").first();
    const before = await card.locator(".illustration").evaluate((e) => getComputedStyle(e).backgroundColor);
    await card.locator(".swatch-button").nth(1).click();
    assert.notEqual(await card.locator(".illustration").evaluate((e) => getComputedStyle(e).backgroundColor), before);
    // Shoppers' names for the catalog's internal ones, in filters.
    const groups = await page.$$eval('input[data-facet="product_group"]', (els) =>
      els.map((e) => [e.dataset.value, e.closest("label").querySelector(".value").textContent]));
    assert.ok(groups.some(([v, shown]) => v === "Garment Upper body" && shown === "Tops"), JSON.stringify(groups));
    assert.doesNotMatch(await page.textContent(".facets"), /Garment Upper body|Jersey Fancy/);
    assert.deepEqual(problems, []);
    await context.close();
  });

  /** A PNG of one colour (photos for the test's index: the indexer reads any format). */
  function png(w, h, [r, g, b]) {
    const chunk = (type, data) => {
      const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
      const td = Buffer.concat([Buffer.from(type), data]);
      const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32(td));
      return Buffer.concat([len, td, crc]);
    };
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
    const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3).map((_, i) => [r, g, b][i % 3])]);
    const raw = Buffer.concat(Array.from({ length: h }, () => row));
    return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr),
      chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
  }

  test("photos from `indexer build --images`: shown on cards, lazy, an illustration where one is missing", async ({ browser }) => {
    const tmp = fs.mkdtempSync(join(os.tmpdir(), "atelier-photos-"));
    const ids = fs.readFileSync(join(ROOT, "data/demo/articles.csv"), "utf8").split("\n").slice(1, 301)
      .map((l) => l.split(",")[0]).filter(Boolean);
    for (const id of ids) {
      fs.mkdirSync(join(tmp, "images", id.slice(0, 3)), { recursive: true });
      fs.writeFileSync(join(tmp, "images", id.slice(0, 3), `${id}.jpg`), png(60, 90, [120, 40, 160]));
    }
    const index = join(tmp, "index");
    execFileSync(INDEXER, ["build", "--catalog", join(ROOT, "data/demo/articles.csv"), "--limit", "300",
      "--out", index, "--images", tmp], { stdio: ["ignore", "ignore", "pipe"] });
    // The top result's photo goes missing (as on a CDN that lacks one).
    const q = "polo shirt";
    const first = JSON.parse(execFileSync(INDEXER, ["search", "--index", index, "--json", q], { encoding: "utf8" })
      .split("\n")[0]).results[0].article_id;
    fs.rmSync(join(index, "photos", first.slice(0, 3), `${first}.webp`));
    // The same site over the photo index.
    const site = join(tmp, "site");
    fs.mkdirSync(site);
    for (const e of fs.readdirSync(DIST)) if (e !== "static-index") fs.symlinkSync(join(DIST, e), join(site, e));
    fs.symlinkSync(index, join(site, "static-index"));
    const server = await startServer(await freePort(), site);
    const { context, problems } = await newContext(browser);
    try {
      const page = await context.newPage();
      await page.goto(`${server.base}/?q=${encodeURIComponent(q)}`);
      await resultIds(page);
      await page.waitForFunction(() => [...document.querySelectorAll(".card .picture img")].some((i) => i.complete && i.naturalWidth > 0));
      // The missing photo gives way to the illustration.
      await page.locator(`.card[data-shown-id="${first}"] .picture .illustration`).waitFor({ timeout: 10_000 });
      const pics = await page.$$eval(".results .card", (els) => els.map((c) => ({
        id: c.dataset.shownId,
        src: c.querySelector(".picture img")?.getAttribute("src"),
        loading: c.querySelector(".picture img")?.getAttribute("loading"),
        width: c.querySelector(".picture img")?.naturalWidth,
      })));
      const shown = pics.filter((p) => p.src);
      assert.ok(shown.length >= 3, JSON.stringify(pics));
      for (const p of shown) {
        assert.match(p.src, new RegExp(`^\\./static-index/photos/${p.id.slice(0, 3)}/${p.id}\\.webp\\?v=[0-9a-f]{16}$`));
        assert.equal(p.loading, "lazy");
      }
      assert.ok(shown.some((p) => p.width === 200), "the 200 × 300 thumbnail decoded");
    } finally {
      await context.close();
      await server.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    // The missing photo's 404 is expected noise; nothing else is.
    assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  });
}
