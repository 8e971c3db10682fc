//! Query vectors for the full answer. In the browser they come from the encoder worker
//! (`atelier-encoder`), which this worker starts once the model's files are here: the
//! model's code is most of the browser's code, and the first answers — lexical — never
//! need it. [`QueryEncoder`] is what a [`crate::Session`] asks; [`StartEncoder`] makes
//! one from the model's files (the wasm tests run the model in this worker instead).

use crate::fetch::describe;
use atelier_engine::api::{EncodeRequest, EncoderEvent};
use atelier_engine::index::ModelBytes;
use futures::channel::oneshot;
use futures::future::LocalBoxFuture;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// The encoder worker's script, next to this worker's (Trunk's loader for
/// `atelier-encoder`; one of the files [`crate::fetch::keep_scripts`] keeps offline).
const SCRIPT: &str = crate::fetch::ENCODER_LOADER;

/// What embedding a query's text gave.
#[derive(Debug, Clone, PartialEq)]
pub enum Encoded {
    /// The model's vector.
    Vector(Vec<f32>),
    /// The word files (`words<n>-<set>.bin`, by number) its tokens need first.
    NeedsWords(Vec<usize>),
}

/// Turns a query's text into the model's vector.
pub trait QueryEncoder {
    fn embed<'a>(&'a self, text: &'a str) -> LocalBoxFuture<'a, Result<Encoded, String>>;
    /// Hands the model word files' payloads (checked: `Loader::word_file`), by number.
    fn attach_words(&self, words: Vec<(usize, Vec<u8>)>) -> Result<(), String>;
}

/// Starts a [`QueryEncoder`] from the model's decoded files.
pub type StartEncoder =
    Rc<dyn Fn(ModelBytes) -> LocalBoxFuture<'static, Result<Rc<dyn QueryEncoder>, String>>>;

/// The encoder worker, started for each session.
pub fn encoder_worker() -> StartEncoder {
    Rc::new(|model| {
        Box::pin(async move {
            let w = EncoderWorker::start(model).await?;
            Ok(Rc::new(w) as Rc<dyn QueryEncoder>)
        })
    })
}

type Reply = oneshot::Sender<Result<Encoded, String>>;

/// What the encoder worker's messages update: its start-up, and the queries waiting.
#[derive(Default)]
struct State {
    started: Option<oneshot::Sender<()>>,
    ready: Option<oneshot::Sender<Result<(), String>>>,
    waiting: HashMap<u32, Reply>,
    /// Set once the worker failed: every later query fails at once with this.
    failed: Option<String>,
}

impl State {
    fn fail(&mut self, message: String) {
        self.started = None;
        if let Some(ready) = self.ready.take() {
            let _ = ready.send(Err(message.clone()));
        }
        for (_, reply) in self.waiting.drain() {
            let _ = reply.send(Err(message.clone()));
        }
        self.failed = Some(message);
    }

    fn on_event(&mut self, event: EncoderEvent) {
        match event {
            EncoderEvent::Started => {
                if let Some(started) = self.started.take() {
                    let _ = started.send(());
                }
            }
            EncoderEvent::Ready => {
                if let Some(ready) = self.ready.take() {
                    let _ = ready.send(Ok(()));
                }
            }
            EncoderEvent::Failed { message } => self.fail(message),
            EncoderEvent::Vector { id, vector, ms } => {
                if let Some(reply) = self.waiting.remove(&id) {
                    web_sys::console::debug_1(
                        &format!(
                            "atelier-worker: the model's worker embedded the query in {ms:.1} ms"
                        )
                        .into(),
                    );
                    let _ = reply.send(Ok(Encoded::Vector(vector)));
                }
            }
            EncoderEvent::NeedsWords { id, files } => {
                if let Some(reply) = self.waiting.remove(&id) {
                    let _ = reply.send(Ok(Encoded::NeedsWords(files)));
                }
            }
            EncoderEvent::Error { id, message } => {
                if let Some(reply) = self.waiting.remove(&id) {
                    let _ = reply.send(Err(message));
                }
            }
        }
    }
}

/// The client side of the encoder worker.
struct EncoderWorker {
    worker: Worker,
    state: Rc<RefCell<State>>,
    next: Cell<u32>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl EncoderWorker {
    /// Starts the worker, hands it the model's files (moved, not copied twice) once it
    /// listens, and waits until it has loaded them.
    async fn start(model: ModelBytes) -> Result<Self, String> {
        let worker = Worker::new(SCRIPT)
            .map_err(|e| format!("cannot start the model's worker: {}", describe(&e)))?;
        let state = Rc::new(RefCell::new(State::default()));
        let (started_tx, started_rx) = oneshot::channel();
        let (ready_tx, ready_rx) = oneshot::channel();
        state.borrow_mut().started = Some(started_tx);
        state.borrow_mut().ready = Some(ready_tx);
        let on_message = {
            let state = state.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
                let event = ev
                    .data()
                    .as_string()
                    .ok_or_else(|| "not text".to_string())
                    .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()));
                match event {
                    Ok(event) => state.borrow_mut().on_event(event),
                    Err(e) => web_sys::console::warn_1(
                        &format!("atelier-worker: bad message from the model's worker: {e}").into(),
                    ),
                }
            })
        };
        let on_error = {
            let state = state.clone();
            Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
                let message = format!("the model's worker stopped: {}", ev.message());
                web_sys::console::error_1(&message.clone().into());
                state.borrow_mut().fail(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // From here on, dropping `me` (an error below) stops the worker.
        let me = Self {
            worker,
            state,
            next: Cell::new(0),
            _on_message: on_message,
            _on_error: on_error,
        };
        if started_rx.await.is_err() {
            let failed = me.state.borrow().failed.clone();
            return Err(failed.unwrap_or_else(|| "the model's worker did not start".into()));
        }
        let files = js_sys::Array::of1(&"model".into());
        let transfer = js_sys::Array::new();
        for bytes in [model.config, model.tokenizer, model.weights] {
            let array = js_sys::Uint8Array::from(&bytes[..]);
            transfer.push(&array.buffer());
            files.push(&array);
        }
        me.worker
            .post_message_with_transfer(&files, &transfer)
            .map_err(|e| format!("cannot send the model to its worker: {}", describe(&e)))?;
        ready_rx
            .await
            .map_err(|_| "the model's worker went away".to_string())??;
        Ok(me)
    }
}

impl QueryEncoder for EncoderWorker {
    fn attach_words(&self, words: Vec<(usize, Vec<u8>)>) -> Result<(), String> {
        let message = js_sys::Array::of1(&"words".into());
        let transfer = js_sys::Array::new();
        for (n, bytes) in words {
            let array = js_sys::Uint8Array::from(&bytes[..]);
            transfer.push(&array.buffer());
            message.push(&JsValue::from_f64(n as f64));
            message.push(&array);
        }
        self.worker
            .post_message_with_transfer(&message, &transfer)
            .map_err(|e| {
                format!(
                    "cannot send word files to the model's worker: {}",
                    describe(&e)
                )
            })
    }

    fn embed<'a>(&'a self, text: &'a str) -> LocalBoxFuture<'a, Result<Encoded, String>> {
        Box::pin(async move {
            let id = self.next.get();
            self.next.set(id.wrapping_add(1));
            let (tx, rx) = oneshot::channel();
            {
                let mut state = self.state.borrow_mut();
                if let Some(message) = &state.failed {
                    return Err(message.clone());
                }
                state.waiting.insert(id, tx);
            }
            let request = EncodeRequest {
                id,
                text: text.to_string(),
            };
            let json = serde_json::to_string(&request).map_err(|e| e.to_string())?;
            if let Err(e) = self.worker.post_message(&JsValue::from_str(&json)) {
                self.state.borrow_mut().waiting.remove(&id);
                return Err(format!("cannot reach the model's worker: {}", describe(&e)));
            }
            rx.await
                .map_err(|_| "the model's worker went away".to_string())?
        })
    }
}

impl Drop for EncoderWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
