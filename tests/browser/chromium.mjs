// What every browser harness shares (run.mjs and its tests, bench.mjs, first-visit.mjs,
// repeat-visit.mjs, layout-shifts.mjs, screenshots.mjs): Debian's Chromium started as
// this machine allows (never a downloaded browser), and a free local port for a server.

import net from "node:net";
import { chromium } from "playwright-core";

/** The browser: $CHROMIUM, else Debian's. */
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Headless Chromium with the flags above (`options` adds to or overrides them). */
export function launch(options = {}) {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, ...options });
}

/** A TCP port on 127.0.0.1 that nothing listens on now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on("error", reject);
  });
}
