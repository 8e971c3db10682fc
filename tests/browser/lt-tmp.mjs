import { chromium } from "playwright-core";
const url = process.argv[2];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 412, height: 823 } });
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
await page.addInitScript(() => {
  window.__ev = [];
  const log = (what) => window.__ev.push([Math.round(performance.now()), what]);
  new PerformanceObserver((l) => { for (const e of l.getEntries()) log(`LONGTASK ${Math.round(e.duration)} ms (start ${Math.round(e.startTime)})`); }).observe({ type: "longtask", buffered: true });
  new MutationObserver(() => {
    const r = document.querySelector(".results");
    const st = r && r.dataset.state;
    const cards = document.querySelectorAll(".card").length;
    const groups = document.querySelectorAll(".facet").length;
    const key = `${st} cards=${cards} groups=${groups} loading=${!!document.querySelector(".loading")}`;
    if (key !== window.__last) { window.__last = key; log(key); }
  }).observe(document, { subtree: true, childList: true, attributes: true });
});
await page.goto(url);
await page.waitForTimeout(8000);
for (const [t, w] of await page.evaluate(() => window.__ev)) console.log(t, w);
await browser.close();
