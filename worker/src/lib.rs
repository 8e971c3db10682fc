//! # atelier-worker
//!
//! Runs in a dedicated Web Worker so typing never waits on the model. It fetches the
//! static index in two steps (reporting progress in bytes): the manifest, facets and
//! keywords first — from then on it answers the app's [`WorkerRequest`]s with the lexical
//! ranking, marked preliminary ([`WorkerEvent::Ready`]) — then the vector codes and the model in
//! the background, after which answers are the full hybrid ranking
//! ([`WorkerEvent::Complete`]): the engine's one loader and searcher, the same code the
//! native indexer and the server run. The model runs in a worker of its own
//! (`atelier-encoder`, started by this one once the model's files are here), so this
//! worker's code — what the first answer waits for — has no model in it.
//!
//! Messages are JSON strings in both directions ([`atelier_engine::api`] defines them).
//! Metadata shards are fetched on demand, when results need them; once everything is in,
//! the rest are fetched and every file is stored in the service worker's index cache
//! ([`WorkerEvent::Offline`]: searches work without a network from then on).

mod encoder;
mod fetch;
mod session;

pub use encoder::{Encoded, QueryEncoder, StartEncoder};
pub use fetch::{fetch_bytes, FetchError};
pub use session::{Session, SessionError};

use atelier_engine::api::{WorkerEvent, WorkerRequest};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(event: &WorkerEvent) {
    match serde_json::to_string(event) {
        Ok(s) => {
            if let Err(e) = scope().post_message(&JsValue::from_str(&s)) {
                web_sys::console::error_2(&"atelier-worker: postMessage failed".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("atelier-worker: {e}").into()),
    }
}

/// Installs the message handler. Requests are handled in order of arrival; searches
/// that arrive while the index loads wait for it.
pub fn start() {
    console_error_panic_hook::set_once();
    let session: Rc<RefCell<Option<Rc<Session>>>> = Rc::new(RefCell::new(None));
    let loading: Rc<RefCell<Option<futures::future::Shared<LoadFuture>>>> =
        Rc::new(RefCell::new(None));
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let Some(text) = ev.data().as_string() else {
            web_sys::console::warn_1(&"atelier-worker: ignoring a non-text message".into());
            return;
        };
        let request: WorkerRequest = match serde_json::from_str(&text) {
            Ok(r) => r,
            Err(e) => {
                web_sys::console::warn_1(&format!("atelier-worker: bad message: {e}").into());
                return;
            }
        };
        let session = session.clone();
        let loading = loading.clone();
        wasm_bindgen_futures::spawn_local(async move {
            handle(request, session, loading).await;
        });
    });
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    post(&WorkerEvent::Started);
}

type LoadFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Rc<Session>, String>>>>;

async fn handle(
    request: WorkerRequest,
    session: Rc<RefCell<Option<Rc<Session>>>>,
    loading: Rc<RefCell<Option<futures::future::Shared<LoadFuture>>>>,
) {
    use futures::FutureExt;
    if let WorkerRequest::Init { base } = request {
        let fut: LoadFuture = Box::pin(async move {
            Session::open(&base, |loaded, total| {
                post(&WorkerEvent::Progress { loaded, total })
            })
            .await
            .map(Rc::new)
            .map_err(|e| e.to_string())
        });
        let shared = fut.shared();
        *loading.borrow_mut() = Some(shared.clone());
        // Runs while the load waits for the manifest: the first query then finds the
        // lexicon read (17–20 ms of this worker's time on a repeat visit).
        wasm_bindgen_futures::spawn_local(async { atelier_engine::understand::prepare() });
        match shared.await {
            Ok(s) => {
                post(&WorkerEvent::Ready {
                    articles: s.articles(),
                    version: s.version().to_string(),
                    load_ms: s.load_ms(),
                });
                *session.borrow_mut() = Some(s.clone());
                // Searches are answered lexically from now on; the codes and the model
                // follow in the background, then the metadata for offline use.
                match s.completion().await {
                    Ok(()) => post(&WorkerEvent::Complete {
                        load_ms: s.load_ms(),
                    }),
                    Err(message) => post(&WorkerEvent::Incomplete { message }),
                }
                if s.prefetch_offline().await && fetch::stored().await {
                    post(&WorkerEvent::Offline {
                        bytes: s.stored_bytes(),
                    });
                    s.attach_all_words().await;
                    s.attach_all_held().await;
                }
            }
            Err(message) => post(&WorkerEvent::Failed { message }),
        }
        return;
    }
    let current = session.borrow().clone();
    let s = match current {
        Some(s) => s,
        None => {
            let pending = loading.borrow().clone();
            match pending {
                Some(fut) => match fut.await {
                    Ok(s) => s,
                    Err(message) => {
                        post(&WorkerEvent::Error {
                            id: request_id(&request),
                            message: format!("the index could not be loaded: {message}"),
                            field: None,
                        });
                        return;
                    }
                },
                None => {
                    post(&WorkerEvent::Error {
                        id: request_id(&request),
                        message: "the index is not loaded yet".into(),
                        field: None,
                    });
                    return;
                }
            }
        }
    };
    post(&s.answer(request).await);
}

fn request_id(r: &WorkerRequest) -> u32 {
    match r {
        WorkerRequest::Init { .. } => 0,
        WorkerRequest::Search { id, .. }
        | WorkerRequest::Similar { id, .. }
        | WorkerRequest::Facets { id, .. }
        | WorkerRequest::SearchFacets { id, .. } => *id,
    }
}
