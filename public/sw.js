// Atelier's service worker: the app works offline after the first visit.
//
// - Index files (static-index/*.bin) are content-hashed and never change: cache first.
//   The search worker fetches them past this worker (header x-atelier-direct) and stores
//   them in INDEX_CACHE itself; the page's own requests for them are served from here.
// - manifest.json names the current index: network first, cached copy when offline.
//   When a new manifest arrives, cached index files it no longer lists are deleted,
//   so a new index version replaces the old one.
// - The app's content-hashed scripts, wasm and styles: cache first; the page and the
//   search worker's (unhashed) files: network first, cache when offline. Hashed files
//   the current page no longer uses are deleted.
"use strict";

const INDEX_CACHE = "atelier-index-v1";
const APP_CACHE = "atelier-app-v1";
// Product photos the index wrote (static-index/photos/…?v=<hash of the set>): cache
// first, so a photo seen once shows offline; a new set of photos replaces them.
const PHOTO_CACHE = "atelier-photos-v1";
// Our product illustrations (public/illustrations/<name>.svg; the app picks one per card
// from app/data/pictures.json): 6 kB in all, cached so that any card draws offline — in
// the background once the page draws its first cards, not while installing: 34 small
// requests before this worker controls the page held back the search worker (which
// starts only then) by 0.8 s at 9 Mbit/s + 60 ms, 1.5 s at 1.6 Mbit/s + 150 ms.
const ILLUSTRATIONS = [
  "bag", "beanie", "belt", "bikini", "boot", "bra", "briefs", "cap", "dress", "gloves",
  "hairband", "hanger", "hat", "heel", "hoodie", "jacket", "jewellery", "jumpsuit",
  "leggings", "sandal", "scarf", "set", "shirt", "shorts", "skirt", "sneaker", "socks",
  "sunglasses", "sweater", "swimsuit", "tie", "trousers", "tshirt", "vest"
];

// The page that registered this worker loaded before it existed: cache the app shell
// now (the page, its scripts, wasm and styles), so the next visit works offline. The
// server answers these revalidations with 304 when nothing changed. The search worker's
// files are not precached (fetching them here as well downloaded the worker wasm twice
// on a first visit): the page starts that worker at once, before this one controls it,
// and the worker puts its own and the model worker's files into APP_CACHE itself once
// the offline copy is filled (worker/src/fetch.rs, `keep_scripts`); on later visits
// they come through `fetch` below.
self.addEventListener("install", (event) => {
  event.waitUntil(precacheShell().catch(() => {}).then(() => self.skipWaiting()));
});

async function precacheShell() {
  const cache = await caches.open(APP_CACHE);
  const page = await fetch("./", { cache: "no-cache" });
  if (!page.ok) return;
  const html = await page.clone().text();
  await cache.put(new URL("./", self.registration.scope).pathname, page);
  const assets = new Set(["./manifest.webmanifest"]);
  for (const m of html.matchAll(/["'](\.\/[^"']+\.(?:js|wasm|css|webmanifest))["']/g)) {
    if (m[1] !== "./sw.js") assets.add(m[1]);
  }
  await Promise.all([...assets].map(async (path) => {
    const response = await fetch(path, { cache: "no-cache" });
    if (response.ok) await cache.put(path, response);
  }));
}

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("atelier-") && ![INDEX_CACHE, APP_CACHE, PHOTO_CACHE].includes(name)) {
        await caches.delete(name);
      }
    }
    await self.clients.claim();
  })());
});

// Trunk names the app's scripts, wasm and styles by content hash ("-" and 16 hex digits):
// such a file never changes, so it is served from the cache without asking the server.
const HASHED = /-[0-9a-f]{16}(?:_bg)?\.(?:js|wasm|css)$/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  // The search worker downloads index files itself and stores them in INDEX_CACHE: a
  // fetch event of a service worker ends after five minutes in Chromium, and the graph
  // takes longer than that on a slow phone link.
  if (request.headers.has("x-atelier-direct")) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (/\/static-index\/[^/]+\.bin$/.test(url.pathname)) {
    event.respondWith(cacheFirst(event, INDEX_CACHE));
  } else if (url.pathname.includes("/static-index/photos/")) {
    event.respondWith(cacheFirst(event, PHOTO_CACHE));
  } else if (url.pathname.endsWith("/static-index/manifest.json")) {
    event.respondWith(manifestNetworkFirst(event, request));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(event, APP_CACHE));
  } else if (url.pathname.includes("/illustrations/")) {
    event.respondWith(networkFirst(event, APP_CACHE));
    event.waitUntil(cacheIllustrations());
  } else {
    event.respondWith(networkFirst(event, APP_CACHE));
  }
});

// Every illustration not cached yet, once per run of this worker (the page asked for one:
// its first cards are drawn).
let illustrations = null;
function cacheIllustrations() {
  illustrations = illustrations || (async () => {
    const cache = await caches.open(APP_CACHE);
    await Promise.all(ILLUSTRATIONS.map(async (name) => {
      const path = `./illustrations/${name}.svg`;
      if (await cache.match(path)) return;
      const response = await fetch(path);
      if (response.ok) await cache.put(path, response);
    }));
  })().catch(() => { illustrations = null; });
  return illustrations;
}

// Responses are stored after they are handed over (`waitUntil`), so the page and the
// search worker read a download as it arrives rather than after it is written.
async function cacheFirst(event, cacheName) {
  const cache = await caches.open(cacheName);
  const hit = await cache.match(event.request);
  if (hit) return hit;
  const response = await fetch(event.request);
  if (response.ok) event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

async function networkFirst(event, cacheName) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  // Pages are cached without their query (?q=...): any search URL works offline.
  const navigate = request.mode === "navigate";
  const key = navigate ? new URL(request.url).pathname : request;
  try {
    const response = await fetch(request);
    if (response.ok) {
      // A new version of the page may no longer use some hashed files: prune then.
      const page = navigate ? response.clone() : null;
      event.waitUntil(refresh(cache, key, response.clone()).then((stored) =>
        stored && page ? pruneShell(cache, page) : page?.body?.cancel()).catch(() => {}));
    }
    return response;
  } catch (err) {
    const hit = await cache.match(key);
    if (hit) return hit;
    throw err;
  }
}

// Stores `response` under `key` unless the cached copy is the same version (same
// ETag / Last-Modified and length): the unhashed 6.7 MB worker wasm is not rewritten on
// every visit. Resolves to whether it stored it.
async function refresh(cache, key, response) {
  const old = await cache.match(key);
  const tag = (r) => ["etag", "last-modified", "content-length"].map((h) => r.headers.get(h)).join("|");
  if (old && tag(old) !== "||" && tag(old) === tag(response)) {
    if (response.body) await response.body.cancel();
    return false;
  }
  await cache.put(key, response);
  return true;
}

// Deletes cached content-hashed app files that the current page no longer uses.
async function pruneShell(cache, page) {
  const html = await page.text();
  const used = new Set();
  for (const m of html.matchAll(/["']\.\/([^"']+)["']/g)) used.add(m[1]);
  if (![...used].some((name) => HASHED.test("/" + name))) return; // not the app's page
  for (const request of await cache.keys()) {
    const name = new URL(request.url).pathname.split("/").pop();
    if (HASHED.test("/" + name) && !used.has(name)) await cache.delete(request);
  }
}

// The manifest is answered as soon as it arrives: storing it and pruning wait until
// after (a repeat visit's first answer waited 60 ms for the store, and pruning lists
// every cached file — 5,000 and more — so it runs only when the manifest differs from
// the one the cache was last pruned for).
async function manifestNetworkFirst(event, request) {
  const cache = await caches.open(INDEX_CACHE);
  try {
    const response = await fetch(request, { cache: "no-cache" });
    if (response.ok) {
      event.waitUntil(keepManifest(cache, request, response.clone()).catch(() => {}));
    }
    return response;
  } catch (err) {
    const hit = await cache.match(request);
    if (hit) return hit;
    throw err;
  }
}

// Stores the manifest for offline use and, when it is not the one the cache was last
// pruned for (kept beside it as manifest.json?pruned), prunes for it.
async function keepManifest(cache, request, response) {
  const text = await response.clone().text();
  await cache.put(request, response);
  const marker = new URL(request.url);
  marker.search = "?pruned";
  const last = await cache.match(marker.href);
  if (last && (await last.text()) === text) return;
  await prune(JSON.parse(text), new URL(request.url));
  await cache.put(marker.href, new Response(text));
}

// Deletes cached index files that the current manifest does not list.
async function prune(manifest, manifestUrl) {
  const files = manifest.files || {};
  const keep = new Set();
  for (const entry of Object.values(files)) {
    if (entry && entry.path) keep.add(new URL(entry.path, manifestUrl).pathname);
    // A set of small files: member n is <stem><n>-<hash>.bin.
    if (entry && entry.stem && Array.isArray(entry.bytes)) {
      entry.bytes.forEach((_, n) => keep.add(new URL(`${entry.stem}${n}-${entry.hash}.bin`, manifestUrl).pathname));
    }
  }
  const cache = await caches.open(INDEX_CACHE);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.endsWith(".bin") && !keep.has(path)) await cache.delete(request);
  }
  // Photos of another set (their URLs carry the set's hash).
  const template = (manifest.photos && manifest.photos.url) || "";
  const version = new URL(template, manifestUrl).searchParams.get("v");
  const photos = await caches.open(PHOTO_CACHE);
  for (const request of await photos.keys()) {
    if (new URL(request.url).searchParams.get("v") !== version) await photos.delete(request);
  }
}
