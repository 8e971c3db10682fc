// Browser tests of the address and the browser's history (registered by run.mjs, which
// runs them): a search's URL is written when its answer arrives (app/src/address.rs), so
// Back pressed while a search is still under way must leave for the previous search and
// the late answer must change nothing.

import assert from "node:assert/strict";

export function historyTests({ test, newContext, nativeIds, top, LOAD_TIMEOUT }) {
  test("Back while a search is under way: the previous search, and the late answer is dropped", async ({ browser, base }) => {
    const { context, problems } = await newContext(browser);
    const page = await context.newPage();
    const control = (what, pattern) =>
      fetch(`${base}/__${what}?pattern=${encodeURIComponent(pattern)}`, { method: "POST" });
    const stats = async () => (await fetch(`${base}/__stats`)).json();
    // Without the codes every answer is the keyword one, and each new term's bucket of
    // postings is fetched when a search needs it: holding those holds a search. (Few
    // requests are held at once: a browser opens six connections to a host, and a
    // seventh request would wait behind them.)
    const model = "/static-index/codes-";
    const postings = "/static-index/postings\\d*-";
    const cards = () => page.$$eval(".results .card", (els) => els.map((e) => e.dataset.articleId));
    const answered = (q) => page.waitForFunction(
      (want) => new URLSearchParams(location.search).get("q") === want &&
        document.querySelector('.results[data-state="preliminary"] .card'),
      q, { timeout: 60_000 }).catch(async (e) => {
      const now = await page.evaluate(() => ({
        url: location.href,
        state: document.querySelector(".results")?.dataset.state,
        text: document.querySelector(".results")?.innerText.slice(0, 300),
      })).catch((err) => err.message);
      const st = await stats();
      throw new Error(`${e.message}\nwaiting for "${q}"; now: ${JSON.stringify(now)}; held: ${st.held}; ` +
        `sent: ${st.files.map((f) => f.path.replace(/-[0-9a-f]+\.bin$/, "")).join(" ")}`);
    });
    await fetch(`${base}/__stats/reset`, { method: "POST" });
    await control("hold", model);
    try {
      await page.goto(`${base}/?q=shirt`);
      await answered("shirt");
      const shirt = await cards();
      assert.deepEqual(top(shirt), nativeIds(["--k", "10", "--mode", "lexical", "shirt"]));
      await page.fill("#q", "dress");
      await page.keyboard.press("Enter");
      await answered("dress");
      await page.waitForFunction((before) => {
        const ids = [...document.querySelectorAll(".results .card")].map((e) => e.dataset.articleId);
        return ids.join() !== before.join();
      }, shirt, { timeout: LOAD_TIMEOUT });

      // A search whose postings are held: under way, its address not written yet.
      await control("hold", postings);
      const q = "raincoat";
      await page.fill("#q", q);
      await page.keyboard.press("Enter");
      let held = [];
      for (let i = 0; i < 100 && !held.some((p) => /postings/.test(p)); i++) {
        await new Promise((r) => setTimeout(r, 100));
        held = (await stats()).held;
      }
      assert.ok(held.some((p) => /postings/.test(p)), `the new search waits for its postings: ${held}`);
      assert.equal(new URL(page.url()).searchParams.get("q"), "dress", "no address before the answer");

      // Back: the search before "dress" (the one under way never had an entry).
      await page.goBack();
      await answered("shirt");
      await page.waitForFunction((want) => {
        const ids = [...document.querySelectorAll(".results .card")].map((e) => e.dataset.articleId);
        return ids.join() === want.join();
      }, shirt, { timeout: LOAD_TIMEOUT }).catch(async (e) => {
        const st = await stats();
        throw new Error(`${e.message}\nafter Back: cards ${(await cards()).slice(0, 5)}… (${(await cards()).length}), ` +
          `shirt's ${shirt.slice(0, 5)}… (${shirt.length}); held: ${st.held}`);
      });
      assert.equal(await page.inputValue("#q"), "shirt");

      // The late answer arrives: nothing moves, no address is written.
      await control("release", postings);
      for (let i = 0; i < 100 && (await stats()).held.some((p) => /postings/.test(p)); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await page.waitForTimeout(1500);
      assert.equal(new URL(page.url()).searchParams.get("q"), "shirt");
      assert.deepEqual(await cards(), shirt, "the late answer is not shown");
      assert.equal(await page.inputValue("#q"), "shirt");
      // Forward is "dress", as before: the late search did not take its place.
      await page.goForward();
      await answered("dress");
    } finally {
      await control("release", postings);
      await control("release", model);
    }
    assert.deepEqual(problems, []);
    await context.close();
  });
}
