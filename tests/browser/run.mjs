// Atelier's browser tests: the built site (dist/) in Debian's headless Chromium, driven by
// playwright-core. Run by scripts/test-browser.sh, which builds the demo index and the
// site and sets the environment below.
//
//   ATELIER_ROOT   repository root        ATELIER_DIST  built site (with static-index/)
//   INDEXER        the indexer binary     ATELIER_INDEX the index inside the site
//   CHROMIUM       browser (default /usr/bin/chromium)
//   ATELIER_SERVER_URL  optional: an Atelier server on the same index (server-mode test)

import { spawn, execFileSync } from "node:child_process";
import { join } from "node:path";
import fs from "node:fs";
import { pictureTests } from "./pictures.mjs";
import { resultSetTests } from "./results.mjs";
import { historyTests } from "./history.mjs";
import { auditTests } from "./audits.mjs";
import { offlineTests } from "./offline.mjs";
import assert from "node:assert/strict";
import { launch, freePort } from "./chromium.mjs";

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run scripts/test-browser.sh)`);
  return v;
};
const ROOT = env("ATELIER_ROOT");
const DIST = env("ATELIER_DIST");
const INDEXER = env("INDEXER");
const INDEX = env("ATELIER_INDEX");
const LOAD_TIMEOUT = Number(process.env.ATELIER_LOAD_TIMEOUT ?? 180_000);

// ------------------------------------------------------------------ helpers

async function startServer(port, dist = DIST) {
  // --control: tests can hold files back (/__hold, /__release) to see what answers first.
  const child = spawn("python3", [join(ROOT, "scripts/serve.py"), dist, "--port", String(port), "--control"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, ATELIER_SERVE_QUIET: "1" },
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${base}/index.html`);
      if (r.ok) return { base, stop: () => stop(child) };
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  throw new Error("the static server did not start");
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", resolve);
    child.kill("SIGTERM");
  });
}

/** `indexer search --json` on the same index: what every front end must show. */
function native(args) {
  const out = execFileSync(INDEXER, ["search", "--index", INDEX, "--json", ...args], {
    encoding: "utf8",
  });
  return JSON.parse(out.trim().split("\n")[0]);
}
const nativeIds = (args) => native(args).results.map((r) => r.article_id);

async function newContext(browser, options = {}) {
  const context = await browser.newContext(options);
  const problems = [];
  context.on("page", (p) => watch(p, problems));
  return { context, problems };
}

function watch(page, problems) {
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (process.env.ATELIER_TEST_CONSOLE) console.log(`  [console ${m.type()}] ${m.text()}`);
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
}

/** Waits for a completed search and returns the card ids in rank order. */
async function resultIds(page, timeout = LOAD_TIMEOUT) {
  await page.waitForSelector('.results[data-state="ready"] .timing', { timeout });
  // ("ready" comes once every card is drawn; the places kept for cards say so too.)
  await page.waitForFunction(() => !document.querySelector(".results .card-slot"), null, { timeout });
  return page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
}

/** Runs `action` and waits until the results reflect a new search. */
async function afterSearch(page, action) {
  const tookBefore = await page.$eval(".timing", (e) => e.dataset.tookMs).catch(() => null);
  const idsBefore = await page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
  await action();
  await page.waitForFunction(
    ([tb, ib]) => {
      const r = document.querySelector(".results");
      if (!r || r.dataset.state !== "ready" || r.querySelector(".card-slot")) return false;
      const t = document.querySelector(".timing");
      const ids = [...document.querySelectorAll(".results .card")].map((e) => e.dataset.articleId);
      return (t && t.dataset.tookMs !== tb) || ids.join() !== ib.join();
    },
    [tookBefore, idsBefore],
    { timeout: 60_000 },
  ).catch(async (e) => {
    const state = await page.evaluate(() => ({
      url: location.href,
      state: document.querySelector(".results")?.dataset.state,
      took: document.querySelector(".timing")?.dataset.tookMs,
      text: document.querySelector(".results")?.innerText.slice(0, 600),
    }));
    throw new Error(`${e.message}\nbefore: ${tookBefore} ${idsBefore.join()}\nnow: ${JSON.stringify(state)}`);
  });
  return resultIds(page);
}

const top = (ids, n = 10) => ids.slice(0, n);

// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

const QUERIES = [
  "I need a red dress for a summer wedding",
  "something warm for the kids",
  "black jeans",
  "striped shirt for men",
  "cardigen",
];

test("a search from the URL shows the native ranking, with timing", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  for (const q of QUERIES) {
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    const ids = await resultIds(page);
    assert.deepEqual(top(ids), nativeIds(["--k", "10", q]), `ranking for ${q}`);
    const took = Number(await page.$eval(".timing", (e) => e.dataset.tookMs));
    assert.ok(took > 0 && took < 10_000, `data-took-ms is a duration (${took})`);
    assert.equal(await page.inputValue("#q"), q);
    // No developer details for shoppers: scores and ids are data attributes, not text.
    const text = await page.textContent(".results");
    assert.ok(!/match \d\.\d/.test(text) && !/\b0\d{9}\b/.test(text), "no raw scores or article ids shown");
    assert.ok(Number(await page.$eval(".card", (e) => e.dataset.score)) > 0);
  }
  await page.waitForSelector(".foot[data-index-version]");
  assert.doesNotMatch(await page.textContent(".foot"), /index [0-9a-f]{8}/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the page does not jump while it loads (cumulative layout shift at most 0.02)", async ({ browser, base }) => {
  // At phone width, through the first answer and its replacement by the full one ("red
  // dress": its count and "refining…" note once wrapped to two lines, 0.031).
  // At desktop width, the filters beside the results: their counts once moved every group
  // (the catalog's shown first, then the set's, 0.07).
  for (const [query, width] of [["something warm for the kids", 390], ["red dress", 412], ["red dress", 1280]]) {
    const { context, problems } = await newContext(browser, { viewport: { width, height: 844 } });
    await context.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: "layout-shift", buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`${base}/?q=${encodeURIComponent(query)}`);
    await resultIds(page);
    // The background download's progress goes when the full answer is in.
    await page.waitForFunction(() => !document.querySelector(".loading"), null, { timeout: LOAD_TIMEOUT });
    await page.waitForTimeout(500);
    // The cards come a few per task, each in a place kept at a card's size: all drawn now.
    assert.equal(await page.locator(".card-slot").count(), 0, "no card left undrawn");
    const cls = await page.evaluate(() => window.__cls);
    assert.ok(cls <= 0.02, `${query} at ${width} px: cumulative layout shift ${cls.toFixed(3)}`);
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test("installable: a web manifest with icons, a theme colour, an apple-touch-icon", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const manifestUrl = new URL(await page.getAttribute('link[rel="manifest"]', "href"), `${base}/`);
  const m = await (await fetch(manifestUrl)).json();
  assert.equal(await page.getAttribute('meta[name="theme-color"]', "content"), m.theme_color);
  // Installable needs PNG icons of 192 and 512 px (one of them maskable, for Android).
  for (const size of ["192x192", "512x512"]) {
    const icon = m.icons.find((i) => i.sizes === size && i.type === "image/png");
    assert.ok(icon, `a ${size} PNG icon`);
    const got = await page.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      await img.decode();
      return `${img.naturalWidth}x${img.naturalHeight}`;
    }, new URL(icon.src, manifestUrl).href);
    assert.equal(got, size, icon.src);
  }
  assert.ok(m.icons.some((i) => (i.purpose || "").split(" ").includes("maskable")), "a maskable icon");
  const touch = new URL(await page.getAttribute('link[rel="apple-touch-icon"]', "href"), `${base}/`);
  const r = await fetch(touch);
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type") || "", /image\/png/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the site works under its strict Content-Security-Policy", async ({ browser, base }) => {
  // scripts/csp.py (a Trunk hook) writes the policy into _headers and index.html; the test
  // server sends _headers like Netlify or Cloudflare Pages would.
  const r = await fetch(`${base}/`);
  const csp = r.headers.get("content-security-policy") || "";
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*/, "nothing loosened");
  assert.match(await r.text(), /<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
  const worker = await fetch(`${base}/atelier-worker_loader.js`);
  assert.equal(worker.headers.get("content-security-policy"), csp, "the workers get it too");

  const { context, problems } = await newContext(browser);
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  // A search (both workers, the model and the codes), swatches (inline colours), filters.
  await page.goto(`${base}/?q=t-shirt`);
  assert.deepEqual(top(await resultIds(page)), nativeIds(["--k", "10", "t-shirt"]));
  await page.waitForFunction(() => !document.querySelector(".loading"), null, { timeout: LOAD_TIMEOUT });
  const swatch = page.locator(".card .swatch").first();
  assert.notEqual(await swatch.evaluate((e) => getComputedStyle(e).backgroundColor), "rgba(0, 0, 0, 0)",
    "swatch colours are set");
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a first answer by keyword while the model and codes are held back, then the full one", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  const control = (what, pattern) =>
    fetch(`${base}/__${what}?pattern=${encodeURIComponent(pattern)}`, { method: "POST" });
  const held = "/static-index/(codes|model|tokenizer|config)-";
  await fetch(`${base}/__stats/reset`, { method: "POST" });
  await control("hold", held);
  try {
    const q = "black jeans";
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    await page.waitForSelector('.results[data-state="preliminary"] .card', { timeout: LOAD_TIMEOUT });
    const first = await page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
    assert.deepEqual(top(first), nativeIds(["--k", "10", "--mode", "lexical", q]), "the lexical answer");
    assert.match(await page.textContent(".refining"), /refining/i);
    // Nothing of the model or the vectors has been sent (no graph ever is).
    const stats = await (await fetch(`${base}/__stats`)).json();
    assert.ok(stats.held.length >= 1, "the model and codes requests are waiting");
    assert.ok(!stats.files.some((f) => /\/(graph|codes|points|model)\d*-/.test(f.path)), "no model or vector bytes sent");
    // The model's code comes with the model (its own worker), not before the first answer.
    assert.ok(!stats.files.some((f) => /atelier-encoder/.test(f.path)), "no model code sent");
    assert.ok(stats.files.some((f) => /atelier-worker_bg/.test(f.path)), "the stats see the worker's code");
    // Of the keyword postings, only the buckets of the query's terms.
    const manifest = await (await fetch(`${base}/static-index/manifest.json`)).json();
    const sent = new Set(stats.files.map((f) => f.path).filter((p) => /\/postings\d+-/.test(p))).size;
    const all = manifest.files.postings.bytes.length;
    assert.ok(sent >= 1 && sent < all / 2, `the query's postings only: ${sent} of ${all} buckets sent`);
    // The filters count the set the search selects (black jeans) before the full answer,
    // as the full answer will — never the catalog's counts first (they moved every group:
    // a layout shift of 0.07 at desktop width).
    await page.waitForSelector(".facet-groups .facet .count");
    const shown = await page.$$eval(".facet-groups input[data-facet]", (els) =>
      els.map((e) => [e.dataset.facet, e.dataset.value, Number(e.closest("label").querySelector(".count").textContent)]));
    const counts = new Map();
    for (const f of native(["--k", "10", q]).facets) for (const v of f.values) counts.set(`${f.name}=${v.value}`, v.count);
    assert.ok(shown.length > 10, `filters shown (${shown.length})`);
    for (const [facet, value, count] of shown) {
      assert.equal(count, counts.get(`${facet}=${value}`) ?? 0, `the set's count of ${facet}=${value}`);
    }
    assert.equal(await page.$eval(".results", (e) => e.dataset.state), "preliminary", "still the first answer");
    // The shopper scrolls and keeps the cursor in the box; the full answer must not undo it.
    await page.setViewportSize({ width: 390, height: 500 });
    const scrolled = await page.evaluate(() => {
      document.querySelector("#q").focus({ preventScroll: true });
      window.scrollTo(0, 400);
      return window.scrollY;
    });
    await control("release", held);
    await page.waitForSelector('.results[data-state="ready"] .card', { timeout: LOAD_TIMEOUT });
    const full = await page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
    assert.deepEqual(top(full), nativeIds(["--k", "10", q]), "the full answer replaces it");
    assert.equal(await page.locator(".refining").count(), 0);
    assert.equal(await page.inputValue("#q"), q);
    assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), "q");
    // (Chromium's scroll anchoring may move it by the height of the notes that go.)
    const after = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 0 && Math.abs(after - scrolled) < 120, `the scroll position stays (${scrolled} → ${after})`);
  } finally {
    await control("release", held);
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("typing searches as you type; Enter searches; the URL follows", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('.results[data-state="ready"]', { timeout: LOAD_TIMEOUT });
  await page.click("#q");
  let ids = await afterSearch(page, () => page.keyboard.type("black jeans", { delay: 30 }));
  assert.deepEqual(top(ids), nativeIds(["--k", "10", "black jeans"]));
  assert.match(page.url(), /\?q=black\+jeans$/);
  ids = await afterSearch(page, async () => {
    await page.fill("#q", "yellow raincoat");
    await page.keyboard.press("Enter");
  });
  assert.deepEqual(top(ids), nativeIds(["--k", "10", "yellow raincoat"]));
  assert.match(page.url(), /q=yellow\+raincoat/);
  // Pauses longer than the debounce between words: each pause searches, and the box
  // keeps exactly what was typed (spaces included) while the URL follows.
  await page.fill("#q", "");
  let typed = "";
  for (const part of ["red ", "summer ", "dress"]) {
    await page.keyboard.type(part, { delay: 20 });
    typed += part;
    await page.waitForTimeout(600);
    assert.equal(await page.inputValue("#q"), typed, "the box keeps what was typed");
  }
  assert.equal(await page.inputValue("#q"), "red summer dress");
  await page.waitForFunction(() => location.search === "?q=red+summer+dress", null, { timeout: 30_000 });
  assert.deepEqual(top(await resultIds(page)), nativeIds(["--k", "10", "red summer dress"]));
  assert.deepEqual(problems, []);
  await context.close();
});

test("negations, shade names, details and occasions: said on the page, removable, ranked as native, details as filters", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  for (const [q, said] of [
    ["a skirt but not denim", /without: denim/],
    ["burgundy jumper", /colour: burgundy \(dark red\)/],
    ["sleeveless dress", /sleeve length: Sleeveless/],
  ]) {
    await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
    const ids = await resultIds(page);
    assert.deepEqual(top(ids), nativeIds(["--k", "10", q]), `ranking for ${q}`);
    assert.match(await page.textContent(".understood"), said, q);
  }
  // An occasion nobody wrote down as words is read by its meaning, and said.
  const occasion = "outfit for a techno night";
  await page.goto(`${base}/?q=${encodeURIComponent(occasion)}`);
  assert.deepEqual(top(await resultIds(page)), nativeIds(["--k", "10", occasion]), occasion);
  assert.match(await page.textContent(".understood"), /occasion: rave/);
  // Each part understood can be removed: the search forgets it, the box keeps the words.
  const q = "a skirt but not denim";
  await page.goto(`${base}/?q=${encodeURIComponent(q)}`);
  await resultIds(page);
  const without = await afterSearch(page, () =>
    page.click('button.remove-part[aria-label*="without: denim"]'));
  assert.match(page.url(), /ignore=without/);
  assert.equal(await page.inputValue("#q"), q);
  assert.deepEqual(top(without), nativeIds(["--k", "10", "--ignore", "without", q]));
  assert.doesNotMatch(await page.textContent(".understood"), /without/);
  // The details read from the descriptions are filters with counts (counted within the
  // set a search selects: dresses have sleeve lengths, skirts none).
  await afterSearch(page, () => page.goto(`${base}/?q=dress`));
  const sleeves = page.locator('input[data-facet="sleeves"]').first();
  await sleeves.waitFor({ timeout: 60_000 });
  assert.ok((await page.$$eval('input[data-facet="sleeves"]', (els) => els.length)) > 1);
  assert.match(await page.textContent(".facets"), /Sleeve length/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("filters, more like this, and back/forward", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/?q=dress`);
  const plain = await resultIds(page);
  assert.deepEqual(top(plain), nativeIds(["--k", "10", "dress"]));

  // A facet value with its count; choosing it filters the results.
  const box = page.locator('input[data-facet="colour"]').first();
  await box.waitFor({ timeout: 60_000 });
  const colour = await box.getAttribute("data-value");
  const filtered = await afterSearch(page, () => box.check());
  assert.ok(page.url().includes(`colour=${encodeURIComponent(colour).replace(/%20/g, "+")}`), page.url());
  assert.deepEqual(top(filtered), nativeIds(["--k", "10", "--filter", `colour=${colour}`, "dress"]));
  assert.ok(await box.isChecked());
  const counts = await page.$$eval('input[data-facet="colour"]', (els) => els.length);
  assert.ok(counts > 1, "other colours stay selectable, with counts");

  // More like this on the first card.
  const first = filtered[0];
  const like = await afterSearch(page, () =>
    page.click(`.card[data-article-id="${first}"] button.like`));
  assert.ok(page.url().includes(`like=${first}`), page.url());
  assert.deepEqual(top(like), nativeIds(["--k", "10", "--filter", `colour=${colour}`, "--like", first]));
  assert.ok(!like.includes(first), "the article itself is not among its neighbours");
  // The button pressed went with the old results: the focus moves to the new heading.
  await page.waitForFunction(() => document.activeElement && document.activeElement.matches(".like-head h2"),
    null, { timeout: 5_000 });

  // Back: the filtered search again; forward: more like this again.
  let ids = await afterSearch(page, () => page.goBack());
  assert.deepEqual(ids, filtered);
  ids = await afterSearch(page, () => page.goBack());
  assert.deepEqual(ids, plain);
  assert.equal(await page.inputValue("#q"), "dress");
  ids = await afterSearch(page, () => page.goForward());
  assert.deepEqual(ids, filtered);
  ids = await afterSearch(page, () => page.goForward());
  assert.deepEqual(ids, like);

  // A shared URL reproduces the search in a fresh tab.
  const shared = page.url();
  const other = await context.newPage();
  await other.goto(shared);
  assert.deepEqual(await resultIds(other), like);
  // "Back to search" leaves the focus on the results, not lost on the page.
  await afterSearch(other, () => other.click(".like-head button.link"));
  await other.waitForFunction(() => document.activeElement && document.activeElement.id === "results",
    null, { timeout: 5_000 });
  assert.deepEqual(problems, []);
  await context.close();
});

test("colour variants share one card with switchable swatches", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/?q=t-shirt`);
  await resultIds(page);
  const card = page.locator(".card:has(.variants)").first();
  await card.waitFor({ timeout: 10_000 });
  const swatches = card.locator(".swatch-button");
  assert.ok((await swatches.count()) > 1);
  const before = await card.locator(".colour").innerText();
  await swatches.nth(1).click();
  assert.equal(await swatches.nth(1).getAttribute("aria-pressed"), "true");
  assert.notEqual(await card.locator(".colour").innerText(), before);
  // The card keeps the ranked article's id.
  const ids = await page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
  assert.deepEqual(top(ids), nativeIds(["--k", "10", "t-shirt"]));
  // "More like this" follows the colour on show, and its heading names it.
  const shownId = await card.getAttribute("data-shown-id");
  const name = (await card.locator("h3").innerText()).trim();
  assert.notEqual(shownId, await card.getAttribute("data-article-id"));
  await afterSearch(page, () => card.locator("button.like").click());
  assert.ok(page.url().includes(`like=${shownId}`), page.url());
  assert.match(await page.textContent(".like-head h2"), new RegExp(`More like this: ${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} in `));
  assert.deepEqual(problems, []);
  await context.close();
});

test("a page shell before any wasm; what is typed into it is kept", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  const control = (what) => fetch(`${base}/__${what}?pattern=${encodeURIComponent("/atelier-app-[0-9a-f]+_bg\\.wasm")}`, { method: "POST" });
  await control("hold");
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector("#shell .skeleton-card");
    assert.equal(await page.locator("h1").count(), 1);
    assert.ok(await page.locator("#shell #q").isVisible());
    await page.fill("#q", "red dress");
  } finally {
    await control("release");
  }
  await page.waitForSelector('.results[data-state="ready"] .card', { timeout: LOAD_TIMEOUT });
  assert.equal(await page.locator("#shell").count(), 0, "the app replaced the shell");
  assert.equal(await page.inputValue("#q"), "red dress");
  assert.ok(page.url().includes("q=red+dress") || page.url().includes("q=red%20dress"), page.url());
  assert.deepEqual(top(await resultIds(page)), nativeIds(["--k", "10", "red dress"]));
  assert.deepEqual(problems, []);
  await context.close();
});

pictureTests({ test, newContext, resultIds, startServer, freePort, ROOT, DIST, INDEXER });
resultSetTests({ test, newContext, resultIds, afterSearch, native, nativeIds });
historyTests({ test, newContext, nativeIds, top, LOAD_TIMEOUT });
auditTests({ test, newContext, resultIds, afterSearch, LOAD_TIMEOUT });

// "Load more" pressed where it is, without scrolling to it first: scrolled into view it
// loads the next page by itself too (its own test), and on a busy machine one scroll and
// one press then gave two pages, or a press waited for a button already gone at 96.
const pressLoadMore = (page) =>
  page.evaluate(() => {
    const button = document.querySelector("button.load-more");
    if (!button) throw new Error("no Load more button");
    button.click();
  });

test("load more: the same ranking's next page, the focus on its first card, at most 96", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/?q=dress`);
  const first = await resultIds(page);
  assert.equal(first.length, 24);
  const more = await afterSearch(page, () => pressLoadMore(page));
  assert.deepEqual(more.slice(0, 24), first, "the first page does not move");
  assert.deepEqual(more, nativeIds(["--k", "48", "dress"]));
  await page.waitForFunction(() => document.activeElement?.matches(".cards > li:nth-child(25)"));
  // Up to 96 (the engine's most, in whole pages), or fewer when the ranking runs out.
  await afterSearch(page, () => pressLoadMore(page));
  const all = await afterSearch(page, () => pressLoadMore(page));
  assert.ok(all.length > 72 && all.length <= 96, `${all.length} results`);
  assert.deepEqual(all, nativeIds(["--k", "96", "dress"]));
  assert.equal(await page.locator("button.load-more").count(), 0);
  // A search with more than 96: the most shown, and a note saying so.
  await page.goto(`${base}/?q=black`);
  await resultIds(page);
  for (let i = 0; i < 3; i++) await afterSearch(page, () => pressLoadMore(page));
  assert.equal((await resultIds(page)).length, 96);
  assert.equal(await page.locator("button.load-more").count(), 0);
  assert.match(await page.textContent(".results"), /best 96\. Add a word or a filter/);
  // A new search starts from one page again.
  const next = await afterSearch(page, async () => {
    await page.fill("#q", "red dress");
    await page.keyboard.press("Enter");
  });
  assert.equal(next.length, 24);
  assert.deepEqual(problems, []);
  await context.close();
});

test("keyboard only, at phone width", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser, { viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.waitForSelector('.results[data-state="ready"]', { timeout: LOAD_TIMEOUT });
  let focused = "";
  for (let i = 0; i < 5 && focused !== "q"; i++) {
    await page.keyboard.press("Tab");
    focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  }
  assert.equal(focused, "q", "the search box is reachable with Tab");
  const ids = await afterSearch(page, async () => {
    await page.keyboard.type("warm hat");
    await page.keyboard.press("Enter");
  });
  assert.deepEqual(top(ids), nativeIds(["--k", "10", "warm hat"]));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at phone width (${overflow}px)`);
  const label = await page.$eval("#q", (e) => e.labels[0] && e.labels[0].textContent);
  assert.ok(label && label.length > 3, "the search box has a label");
  // One h1; a short live summary instead of the whole list read out.
  assert.equal(await page.locator("h1").count(), 1);
  assert.equal(await page.locator(".results[aria-live]").count(), 0, "the list is not a live region");
  // ("24 best matches" for a ranking, "139 red dresses" for a set.)
  assert.match(await page.textContent("#announce"), /^[\d,]+ [a-z][a-z &'-]*$/);
  // Escape empties the box and the search.
  await page.focus("#q");
  await page.keyboard.press("Escape");
  assert.equal(await page.inputValue("#q"), "");
  await page.waitForFunction(() => !new URL(location.href).searchParams.has("q"));
  // The first Tab stop skips to the results, past the header and the filters.
  await page.goto(`${base}/?q=${encodeURIComponent("warm hat")}`);
  await resultIds(page);
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to results");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "results");
  await page.keyboard.press("Tab");
  assert.ok(await page.evaluate(() => document.activeElement.closest(".results") !== null),
    "the next Tab stop is inside the results");
  assert.ok(new URL(page.url()).searchParams.get("q") === "warm hat" && !page.url().includes("#"));
  assert.deepEqual(problems, []);
  await context.close();
});

test("filters on a phone: folded at the top, chips for those in force, 24 px targets, no overflow at 320 px", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser, { viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await page.goto(`${base}/?q=dress`);
  await resultIds(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (${overflow}px)`);
  // The filters come before the results, folded behind one button.
  const toggle = page.locator("button.filters-toggle");
  assert.ok(await toggle.isVisible(), "a Filters button on a phone");
  const card = await page.locator(".results .card").first().boundingBox();
  assert.ok((await toggle.boundingBox()).y < card.y, "the Filters button comes before the results");
  const box = page.locator('input[data-facet="colour"]').first();
  await box.waitFor({ state: "attached", timeout: 60_000 });
  assert.equal(await box.isVisible(), false, "the lists start folded");
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  await box.waitFor({ state: "visible" });
  const size = await box.boundingBox();
  assert.ok(size.width >= 24 && size.height >= 24, `a checkbox is ${size.width} × ${size.height} px`);
  const value = await box.getAttribute("data-value");
  await afterSearch(page, () => box.check());
  // The filter in force is a chip that removes it.
  const chip = page.locator(`.active-filters button[data-value="${value}"]`);
  assert.equal(await chip.count(), 1, "a chip for the filter");
  await toggle.click();
  assert.match(await toggle.textContent(), /\(1 on\)/);
  await afterSearch(page, () => chip.click());
  assert.ok(!page.url().includes("colour="), page.url());
  assert.equal(await page.locator(".active-filters").count(), 0);
  // No visible button, box or link smaller than 24 × 24 px (WCAG 2.2 target size).
  await toggle.click();
  const small = await page.evaluate(() => [...document.querySelectorAll("button, input, a, select")]
    .filter((e) => e.checkVisibility() && e.type !== "search" && e.type !== "text")
    .map((e) => [e, e.getBoundingClientRect()])
    .filter(([, r]) => r.width > 0 && (r.width < 24 || r.height < 24) && r.bottom > 0)
    .map(([e, r]) => `${e.tagName}.${e.className} ${Math.round(r.width)}×${Math.round(r.height)}`));
  assert.deepEqual(small, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test("more like this for an article the catalog does not have: a plain message and a way back", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/?q=dress&like=0999999999`);
  await page.waitForSelector('.results[data-state="error"]', { timeout: LOAD_TIMEOUT });
  const text = await page.textContent(".results .error");
  assert.match(text, /That item is not in this catalog/);
  assert.doesNotMatch(text, /article_id|index\b|\(like\)/, "no developer words");
  const ids = await afterSearch(page, () => page.click(".results button.back-to-search"));
  assert.deepEqual(top(ids), nativeIds(["--k", "10", "dress"]));
  assert.ok(!page.url().includes("like="), page.url());
  assert.deepEqual(problems, []);
  await context.close();
});

test("words the catalog does not know: \"no good matches\", and searches to try that run", async ({ browser, base }) => {
  const { context, problems } = await newContext(browser);
  const page = await context.newPage();
  await page.goto(`${base}/?q=xqzv`);
  await resultIds(page);
  const want = native(["--k", "24", "xqzv"]);
  assert.match(await page.textContent(".results .notice"), /^No good matches for “xqzv”/);
  const tries = await page.$$eval(".suggestions button", (els) => els.map((e) => e.textContent.trim()));
  assert.deepEqual(tries, want.suggestions);
  const ids = await afterSearch(page, () => page.click(".suggestions button"));
  assert.deepEqual(top(ids), nativeIds(["--k", "10", tries[0]]));
  assert.equal(await page.inputValue("#q"), tries[0]);
  assert.equal(await page.locator(".suggestions").count(), 0, "a search that matches suggests nothing");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a missing or incompatible index is a clear message", async ({ browser, base }) => {
  for (const [body, status, expect] of [
    ["not found", 404, /HTTP 404/],
    [null, 200, /version 99 is not supported/],
    ["{ this is not json", 200, /manifest\.json is invalid/],
  ]) {
    const { context } = await newContext(browser, { serviceWorkers: "block" });
    await context.route("**/static-index/manifest.json", async (route) => {
      if (body !== null) return route.fulfill({ status, body });
      const real = await (await route.fetch()).json();
      real.format_version = 99;
      return route.fulfill({ status, body: JSON.stringify(real), contentType: "application/json" });
    });
    const page = await context.newPage();
    await page.goto(`${base}/?q=red+dress`);
    await page.waitForSelector('.results[data-state="error"]', { timeout: LOAD_TIMEOUT });
    const alert = await page.locator('[role="alert"]').first().innerText();
    assert.match(alert, expect);
    await context.close();
  }
});

offlineTests({ test, newContext, resultIds, afterSearch, nativeIds, top, startServer, INDEXER });

if (process.env.ATELIER_SERVER_URL) {
  test("server-backed mode shows the same ranking", async ({ browser, base }) => {
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    const backend = process.env.ATELIER_SERVER_URL;
    let workers = 0;
    context.on("request", (r) => {
      // (The service worker's install precaches the loader: that is not a worker start.)
      if (r.url().endsWith("/atelier-worker_loader.js") && !r.serviceWorker()) workers++;
    });
    for (const q of QUERIES.slice(0, 3)) {
      await page.goto(`${base}/?q=${encodeURIComponent(q)}&backend=${encodeURIComponent(backend)}`);
      assert.deepEqual(top(await resultIds(page)), nativeIds(["--k", "10", q]));
    }
    const box = page.locator('input[data-facet="colour"]').first();
    await box.waitFor({ timeout: 30_000 });
    const colour = await box.getAttribute("data-value");
    const ids = await afterSearch(page, () => box.check());
    assert.ok(page.url().includes("backend="), "the backend stays in the URL");
    assert.deepEqual(top(ids), nativeIds(["--k", "10", "--filter", `colour=${colour}`, QUERIES[2]]));
    const first = ids[0];
    const like = await afterSearch(page, () =>
      page.click(`.card[data-article-id="${first}"] button.like`));
    assert.deepEqual(top(like), nativeIds(["--k", "10", "--filter", `colour=${colour}`, "--like", first]));
    assert.equal(workers, 0, "no search worker is started when a server answers");
    assert.deepEqual(problems, []);
    await context.close();
  });
}

// ------------------------------------------------------------------ runner

const only = process.argv[2];
const port = await freePort();
let server = await startServer(port);
const base = server.base;
const browser = await launch();
let failed = 0;
let ran = 0;
for (const t of tests) {
  if (only && !t.name.includes(only)) continue;
  ran++;
  const started = Date.now();
  try {
    await t.fn({
      browser,
      base,
      server,
      restart: async () => { server = await startServer(port); },
    });
    console.log(`ok   ${t.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (e) {
    failed++;
    // A test that stopped the server and failed before restarting it.
    if (server.stopped) server = await startServer(port);
    console.log(`FAIL ${t.name}\n     ${String(e && e.stack || e).split("\n").join("\n     ")}`);
  }
}
await browser.close();
await server.stop();
if (!ran) console.log(`no browser test's name contains "${only}"`);
else console.log(failed ? `${failed} browser test(s) failed` :
  ran === tests.length ? `all ${ran} browser tests passed` : `${ran} of ${tests.length} browser tests run, all passed`);
process.exit(failed || !ran ? 1 : 0);
