//! # atelier-encoder
//!
//! The model's own Web Worker. The search worker (`atelier-worker`) answers the first
//! queries lexically from a small download; the model — candle, the tokenizer and their
//! kernels, most of the browser's code — lives here, so its code downloads only when the
//! search worker starts it, after the first answer. The search worker sends the model's
//! decoded files (an array: `"model"`, then config, tokenizer and weights bytes), then one
//! [`EncodeRequest`] per query; this worker answers with [`EncoderEvent`]s: the engine's
//! one [`Embedder`], the same the native indexer and server run. The model comes without
//! its word embeddings: a query whose tokens need rows not here yet is answered
//! [`EncoderEvent::NeedsWords`], and the search worker sends those files (`"words"`, then
//! number and bytes of each) and the query again.

use atelier_engine::api::{EncodeRequest, EncoderEvent};
use atelier_engine::{EmbedError, Embedder};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .map(|p| p.unchecked_into::<web_sys::Performance>().now())
        .unwrap_or_else(|_| js_sys::Date::now())
}

fn post(event: &EncoderEvent) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match serde_json::to_string(event) {
        Ok(s) => {
            if let Err(e) = scope.post_message(&JsValue::from_str(&s)) {
                web_sys::console::error_2(&"atelier-encoder: postMessage failed".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("atelier-encoder: {e}").into()),
    }
}

fn bytes_at(files: &js_sys::Array, i: u32) -> Result<Vec<u8>, String> {
    files
        .get(i)
        .dyn_into::<js_sys::Uint8Array>()
        .map(|a| a.to_vec())
        .map_err(|_| format!("value {i} is not a byte array"))
}

/// The model from its three files (`"model"`, config, tokenizer, weights). A model with
/// its word embeddings whole is warmed up here (the first forward pass pays for
/// allocations and the tokenizer's set-up); a split one with its first query.
fn load(files: &js_sys::Array) -> Result<Embedder, String> {
    if files.length() != 4 {
        return Err(format!(
            "expected the model's 3 files, got {} values",
            files.length().saturating_sub(1)
        ));
    }
    let embedder = Embedder::from_bytes(
        &bytes_at(files, 1)?,
        &bytes_at(files, 2)?,
        bytes_at(files, 3)?,
    )
    .map_err(|e| e.to_string())?;
    if embedder.word_files() == 0 {
        embedder.embed("warm up").map_err(|e| e.to_string())?;
    } else {
        embedder
            .missing_words("warm up")
            .map_err(|e| e.to_string())?;
    }
    Ok(embedder)
}

/// Attaches word files (`"words"`, then each file's number and payload).
fn attach_words(embedder: &mut Embedder, files: &js_sys::Array) -> Result<(), String> {
    let mut i = 1;
    while i + 1 < files.length() {
        let n = files
            .get(i)
            .as_f64()
            .filter(|n| n.fract() == 0.0 && *n >= 0.0)
            .ok_or_else(|| format!("value {i} is not a word file number"))?;
        embedder
            .attach_words(n as usize, &bytes_at(files, i + 1)?)
            .map_err(|e| e.to_string())?;
        i += 2;
    }
    if i != files.length() {
        return Err("a word file number without its bytes".into());
    }
    Ok(())
}

fn answer(embedder: Option<&Embedder>, text: &str) -> EncoderEvent {
    let request: EncodeRequest = match serde_json::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            web_sys::console::warn_1(&format!("atelier-encoder: bad message: {e}").into());
            return EncoderEvent::Failed {
                message: format!("bad message: {e}"),
            };
        }
    };
    let id = request.id;
    match embedder {
        None => EncoderEvent::Error {
            id,
            message: "the model is not loaded".into(),
        },
        Some(e) => match (now_ms(), e.embed(&request.text)) {
            (start, Ok(vector)) => EncoderEvent::Vector {
                id,
                vector,
                ms: now_ms() - start,
            },
            (_, Err(EmbedError::MissingWords(files))) => EncoderEvent::NeedsWords { id, files },
            (_, Err(e)) => EncoderEvent::Error {
                id,
                message: e.to_string(),
            },
        },
    }
}

/// Installs the message handler: the model's files first, then queries.
pub fn start() {
    console_error_panic_hook::set_once();
    let embedder: Rc<RefCell<Option<Embedder>>> = Rc::new(RefCell::new(None));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        if let Some(text) = data.as_string() {
            post(&answer(embedder.borrow().as_ref(), &text));
        } else if let Some(files) = data.dyn_ref::<js_sys::Array>() {
            match files.get(0).as_string().as_deref() {
                Some("model") => match load(files) {
                    Ok(e) => {
                        *embedder.borrow_mut() = Some(e);
                        post(&EncoderEvent::Ready);
                    }
                    Err(message) => post(&EncoderEvent::Failed { message }),
                },
                Some("words") => {
                    let attached = match embedder.borrow_mut().as_mut() {
                        Some(e) => attach_words(e, files),
                        None => Err("word files before the model".into()),
                    };
                    // The search worker checked them (size, checksum): one that does not
                    // fit is a broken model.
                    if let Err(e) = attached {
                        let message = format!("the model's word files: {e}");
                        post(&EncoderEvent::Failed { message });
                    }
                }
                _ => web_sys::console::warn_1(
                    &"atelier-encoder: ignoring an unknown array message".into(),
                ),
            }
        } else {
            web_sys::console::warn_1(&"atelier-encoder: ignoring an unknown message".into());
        }
    });
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&EncoderEvent::Started);
}
