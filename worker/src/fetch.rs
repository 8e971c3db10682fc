//! `fetch` from a worker, streaming the body so progress can be reported in bytes, and
//! reads of the service worker's index cache.

use js_sys::{Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::HashSet;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, Cache, ReadableStreamDefaultReader, Request, Response, WorkerGlobalScope};

/// The service worker's cache of index files (`INDEX_CACHE` in `public/sw.js`).
const INDEX_CACHE: &str = "atelier-index-v1";

thread_local! {
    /// The index cache, once opened ([`index_cache`]).
    static OPENED: RefCell<Option<Cache>> = const { RefCell::new(None) };
    /// Cache writes [`index_file`] started in the background and [`stored`] has not
    /// awaited yet.
    static STORING: RefCell<Vec<Promise>> = const { RefCell::new(Vec::new()) };
}

/// A failed download.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: the network request failed ({message})")]
    Network { url: String, message: String },
    #[error("{url}: the server answered HTTP {status}")]
    Status { url: String, status: u16 },
}

pub(crate) fn describe(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| format!("{v:?}"))
}

fn scope() -> WorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Whether `url` (absolute or relative) is of this worker's origin.
fn same_origin(url: &str) -> bool {
    let here = scope().location();
    web_sys::Url::new_with_base(url, &here.href())
        .map(|u| u.origin() == here.origin())
        .unwrap_or(false)
}

/// Fetches `url`, calling `progress(bytes)` as each chunk arrives.
pub async fn fetch_bytes(url: &str, progress: impl FnMut(u64)) -> Result<Vec<u8>, FetchError> {
    fetch_from(url, false, progress).await
}

/// The request header that tells the service worker (`public/sw.js`) to stay out of a
/// request: Chromium ends a service worker's fetch event after five minutes, and the
/// 16 MB model takes longer than that over a slow phone link, so index files come
/// straight from the network and this worker stores them in the cache itself.
const DIRECT: &str = "x-atelier-direct";

async fn fetch_from(
    url: &str,
    direct: bool,
    mut progress: impl FnMut(u64),
) -> Result<Vec<u8>, FetchError> {
    let network = |e: JsValue| FetchError::Network {
        url: url.to_string(),
        message: describe(&e),
    };
    // Only a same-origin request can pass the service worker (and a custom header on a
    // cross-origin one would need a CORS preflight).
    let promise = if direct && same_origin(url) {
        let init = web_sys::RequestInit::new();
        let headers = web_sys::Headers::new().map_err(network)?;
        headers.set(DIRECT, "1").map_err(network)?;
        init.set_headers(&headers);
        scope().fetch_with_str_and_init(url, &init)
    } else {
        scope().fetch_with_str(url)
    };
    let response: Response = JsFuture::from(promise)
        .await
        .map_err(network)?
        .unchecked_into();
    if !response.ok() {
        return Err(FetchError::Status {
            url: url.to_string(),
            status: response.status(),
        });
    }
    let Some(body) = response.body() else {
        return Ok(Vec::new());
    };
    let length = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|l| l.parse::<usize>().ok())
        .unwrap_or(0);
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut out = Vec::with_capacity(length);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(network)?;
        let done = Reflect::get(&chunk, &"done".into())
            .map_err(network)?
            .as_bool()
            .unwrap_or(true);
        if done {
            break;
        }
        let value: Uint8Array = Reflect::get(&chunk, &"value".into())
            .map_err(network)?
            .unchecked_into();
        let start = out.len();
        out.resize(start + value.length() as usize, 0);
        value.copy_to(&mut out[start..]);
        progress(value.length() as u64);
    }
    Ok(out)
}

/// The service worker's index cache, when this context can open it: opened once (each
/// opening is a round trip to the browser, and a repeat visit's first answer reads 30
/// and more files from it).
async fn index_cache() -> Option<Cache> {
    if let Some(cache) = OPENED.with(|c| c.borrow().clone()) {
        return Some(cache);
    }
    let cache = open_cache(INDEX_CACHE).await?;
    OPENED.with(|c| *c.borrow_mut() = Some(cache.clone()));
    Some(cache)
}

async fn open_cache(name: &str) -> Option<Cache> {
    let caches = scope().caches().ok()?;
    let cache = JsFuture::from(caches.open(name)).await.ok()?;
    Some(cache.unchecked_into())
}

/// A content-hashed index file: straight from the service worker's cache when it is
/// there (`progress` then hears the whole length at once), else downloaded past the
/// service worker and stored in its cache for offline use (in the background).
pub async fn index_file(url: &str, mut progress: impl FnMut(u64)) -> Result<Vec<u8>, FetchError> {
    if let Some(bytes) = cached_bytes(url).await {
        progress(bytes.len() as u64);
        return Ok(bytes);
    }
    let bytes = fetch_from(url, true, progress).await?;
    store(url, &bytes);
    Ok(bytes)
}

/// Stores `bytes` as `url` in the index cache, in the background ([`stored`] waits).
/// The manifest too: a search worker started before the service worker controlled the
/// page (a first visit) fetches it past the service worker, which would not keep it.
pub fn store(url: &str, bytes: &[u8]) {
    let body = Uint8Array::from(bytes);
    let url = url.to_string();
    let store = wasm_bindgen_futures::future_to_promise(async move {
        let cache = index_cache()
            .await
            .ok_or_else(|| JsValue::from_str("no cache"))?;
        let response = Response::new_with_opt_buffer_source(Some(body.as_ref()))?;
        JsFuture::from(cache.put_with_str(&url, &response))
            .await
            .inspect_err(|e| {
                web_sys::console::warn_1(
                    &format!("atelier-worker: not cached: {url}: {}", describe(e)).into(),
                )
            })
    });
    STORING.with(|s| s.borrow_mut().push(store));
}

/// The service worker's cache of the app's own files (`APP_CACHE` in `public/sw.js`).
const APP_CACHE: &str = "atelier-app-v1";

/// The model worker's loader (Trunk's name for `atelier-encoder`'s, next to this
/// worker's loader, which `app/index.html` starts).
pub const ENCODER_LOADER: &str = "./atelier-encoder_loader.js";

/// This worker's and the model worker's scripts and wasm (Trunk's names for them).
const SCRIPTS: [&str; 6] = [
    "./atelier-worker_loader.js",
    "./atelier-worker.js",
    "./atelier-worker_bg.wasm",
    ENCODER_LOADER,
    "./atelier-encoder.js",
    "./atelier-encoder_bg.wasm",
];

/// Puts this worker's and the model worker's files into the app's cache, so that the
/// next visit starts them offline: the page starts this worker at once, before the
/// service worker controls it, so their downloads passed the service worker. They come
/// from the browser's HTTP cache (`force-cache`: no second download). `false` when one
/// could not be stored.
pub async fn keep_scripts() -> bool {
    let Some(cache) = open_cache(APP_CACHE).await else {
        return false;
    };
    let mut all = true;
    for url in SCRIPTS {
        let cached = JsFuture::from(cache.match_with_str(url))
            .await
            .ok()
            .and_then(|hit| hit.dyn_into::<Response>().ok())
            .is_some();
        if cached {
            continue;
        }
        let init = web_sys::RequestInit::new();
        init.set_cache(web_sys::RequestCache::ForceCache);
        let stored = async {
            let response: Response = JsFuture::from(scope().fetch_with_str_and_init(url, &init))
                .await?
                .unchecked_into();
            if !response.ok() {
                return Err(JsValue::from_str(&format!("status {}", response.status())));
            }
            JsFuture::from(cache.put_with_str(url, &response)).await
        };
        if let Err(e) = stored.await {
            web_sys::console::warn_1(
                &format!("atelier-worker: not cached: {url}: {}", describe(&e)).into(),
            );
            all = false;
        }
    }
    all
}

/// Waits for every cache write [`index_file`] has started; `false` when one failed (or
/// there is no cache), so that not everything downloaded is stored for offline use.
pub async fn stored() -> bool {
    let mut all = true;
    while let Some(p) = STORING.with(|s| s.borrow_mut().pop()) {
        all &= JsFuture::from(p).await.is_ok();
    }
    all
}

/// `url` read straight from the service worker's cache, or `None` when it is not there.
/// Reading the cache here instead of through the service worker's `fetch` handler skips
/// a copy of every byte through its thread.
async fn cached_bytes(url: &str) -> Option<Vec<u8>> {
    let cache = index_cache().await?;
    let hit = JsFuture::from(cache.match_with_str(url)).await.ok()?;
    let response: Response = hit.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    // Through a Blob (backed by the cache entry) rather than `Response.arrayBuffer()`,
    // which streams the body: measured twice as fast for a 58 MB file in Chromium.
    let blob: Blob = JsFuture::from(response.blob().ok()?)
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    let buffer = JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(Uint8Array::new(&buffer).to_vec())
}

/// The last path segments (file names) of everything in the index cache; `None` when
/// there is no cache (then there is no offline copy to fill either).
pub async fn cached_file_names() -> Option<HashSet<String>> {
    let cache = index_cache().await?;
    let keys = JsFuture::from(cache.keys()).await.ok()?;
    let keys: js_sys::Array = keys.dyn_into().ok()?;
    Some(
        keys.iter()
            .filter_map(|k| k.dyn_into::<Request>().ok())
            .filter_map(|r| r.url().rsplit('/').next().map(str::to_string))
            .collect(),
    )
}

/// Resolves after `ms` milliseconds.
pub async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}
