//! `fetch` from a worker, streaming the body so progress can be reported in bytes.

use js_sys::{Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response, WorkerGlobalScope};

/// A failed download.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: the network request failed ({message})")]
    Network { url: String, message: String },
    #[error("{url}: the server answered HTTP {status}")]
    Status { url: String, status: u16 },
}

fn describe(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| format!("{v:?}"))
}

/// Fetches `url`, calling `progress(bytes)` as each chunk arrives.
pub async fn fetch_bytes(url: &str, mut progress: impl FnMut(u64)) -> Result<Vec<u8>, FetchError> {
    let network = |e: JsValue| FetchError::Network {
        url: url.to_string(),
        message: describe(&e),
    };
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let response: Response = JsFuture::from(scope.fetch_with_str(url))
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
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut out = Vec::new();
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
