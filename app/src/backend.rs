//! Where searches run: the on-device worker (default) or an Atelier server. Both answer
//! with the engine's [`SearchResponse`], so the UI cannot tell them apart.

use atelier_engine::api::{
    ApiError, FacetCounts, FacetsResponse, SearchRequest, SearchResponse, SimilarRequest,
    WorkerEvent, WorkerRequest,
};
use futures::channel::oneshot;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A failed search, as shown to the shopper.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Failed(String),
    /// The request was refused; `field` names the part (`q`, `k`, `mode`, `article_id`,
    /// or the facet of a bad filter: `colour`, …).
    #[error("{}", invalid_text(field, message))]
    Invalid { field: String, message: String },
}

/// A refused request in a shopper's words: what to change, without field names.
fn invalid_text(field: &str, message: &str) -> String {
    // The worker's messages start with the field ("q: …"), the server's do not.
    let detail = message
        .strip_prefix(field)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(message)
        .trim_end_matches('.');
    match field {
        "q" => format!("Please change your search: {detail}."),
        "article_id" => {
            "That item is not in this catalog (it may have been taken off sale).".to_string()
        }
        "k" | "mode" => format!("This search cannot be answered: {detail}."),
        // A filter's facet (`colour`, …) or `filters` itself.
        _ => format!("One of the filters cannot be used: {detail}. Clear it and try again."),
    }
}

/// Loading state of the backend.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Bytes downloaded of everything needed before the first query.
    Loading {
        loaded: u64,
        total: u64,
    },
    /// Searches are answered. Until `refined`, a worker answers with the lexical ranking
    /// while the codes and the model download (`loaded` of `total` bytes).
    Ready {
        articles: u32,
        version: String,
        load_ms: f64,
        refined: bool,
        loaded: u64,
        total: u64,
        /// Every index file is stored on this device and the service worker serves the
        /// page: searches work without a network.
        offline: bool,
    },
    Failed(String),
}

impl Status {
    /// Whether answers are the full ranking (a server's always are).
    pub fn is_refined(&self) -> bool {
        matches!(self, Status::Ready { refined: true, .. })
    }
}

/// The search backend.
#[derive(Clone)]
pub enum Backend {
    Worker(Rc<WorkerBackend>),
    Server(Rc<ServerBackend>),
}

impl Backend {
    pub async fn search(&self, request: SearchRequest) -> Result<SearchResponse, AppError> {
        match self {
            Backend::Worker(w) => match w.call(|id| WorkerRequest::Search { id, request }).await? {
                WorkerEvent::Results { response, .. } => Ok(response),
                other => Err(unexpected(other)),
            },
            Backend::Server(s) => s.search(&request).await,
        }
    }

    pub async fn similar(&self, request: SimilarRequest) -> Result<SearchResponse, AppError> {
        match self {
            Backend::Worker(w) => {
                match w.call(|id| WorkerRequest::Similar { id, request }).await? {
                    WorkerEvent::Results { response, .. } => Ok(response),
                    other => Err(unexpected(other)),
                }
            }
            Backend::Server(s) => s.similar(&request).await,
        }
    }

    pub async fn facets(
        &self,
        filters: BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<FacetCounts>, AppError> {
        match self {
            Backend::Worker(w) => match w.call(|id| WorkerRequest::Facets { id, filters }).await? {
                WorkerEvent::FacetCounts { facets, .. } => Ok(facets),
                other => Err(unexpected(other)),
            },
            Backend::Server(s) => s.facets(&filters).await,
        }
    }

    /// Facet counts over the set `request` selects (the catalog's under its filters
    /// when it selects none): for an answer that came before the counts could.
    pub async fn search_facets(
        &self,
        request: SearchRequest,
    ) -> Result<Vec<FacetCounts>, AppError> {
        match self {
            Backend::Worker(w) => {
                match w
                    .call(|id| WorkerRequest::SearchFacets { id, request })
                    .await?
                {
                    WorkerEvent::FacetCounts { facets, .. } => Ok(facets),
                    other => Err(unexpected(other)),
                }
            }
            // (The server's answers always carry them; this is for completeness.)
            Backend::Server(s) => match s.search(&request).await?.facets {
                Some(counts) => Ok(counts),
                None => s.facets(&request.filters).await,
            },
        }
    }
}

fn unexpected(e: WorkerEvent) -> AppError {
    match e {
        WorkerEvent::Error {
            message,
            field: Some(field),
            ..
        } => AppError::Invalid { field, message },
        WorkerEvent::Error { message, .. } | WorkerEvent::Failed { message } => {
            AppError::Failed(message)
        }
        other => AppError::Failed(format!(
            "unexpected answer from the search worker: {other:?}"
        )),
    }
}

fn js_message(v: &JsValue) -> String {
    v.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| v.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

type Pending = Rc<RefCell<HashMap<u32, oneshot::Sender<WorkerEvent>>>>;

/// The on-device search worker (`atelier-worker`). It is started once the page's
/// service worker controls the page (so the worker's downloads are cached for offline
/// use) — by `index.html` itself, while this app is still loading, when it can — and
/// requests made before it listens are queued.
pub struct WorkerBackend {
    worker: RefCell<Option<web_sys::Worker>>,
    queued: RefCell<Vec<String>>,
    /// The worker has said it listens.
    listening: Cell<bool>,
    next_id: Cell<u32>,
    pending: Pending,
    handlers: RefCell<Vec<Box<dyn std::any::Any>>>,
}

/// Whether a service worker controls this page.
fn controlled() -> bool {
    let navigator = js_sys::Reflect::get(&js_sys::global(), &"navigator".into());
    navigator
        .and_then(|n| js_sys::Reflect::get(&n, &"serviceWorker".into()))
        .and_then(|c| js_sys::Reflect::get(&c, &"controller".into()))
        .is_ok_and(|c| !c.is_null() && !c.is_undefined())
}

/// Awaits the promise `window[name]`, if there is one.
async fn window_promise(name: &str) -> Option<JsValue> {
    let promise = js_sys::Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

/// The worker `index.html` started before the app loaded (`window.atelierWorker`):
/// the worker, the index folder it was told to load, the events it sent before the app
/// listened, and its load error if it failed.
struct EarlyWorker {
    worker: web_sys::Worker,
    base: String,
    events: Vec<String>,
    failed: Option<String>,
}

async fn early_worker() -> Option<EarlyWorker> {
    let early = window_promise("atelierWorker").await?;
    let get = |k: &str| js_sys::Reflect::get(&early, &k.into()).ok();
    let worker = get("worker")?.dyn_into::<web_sys::Worker>().ok()?;
    let base = get("base")?.as_string()?;
    let events = get("events")
        .and_then(|e| e.dyn_into::<js_sys::Array>().ok())
        .map(|a| a.iter().filter_map(|v| v.as_string()).collect())
        .unwrap_or_default();
    let failed = get("failed").and_then(|f| f.as_string());
    Some(EarlyWorker {
        worker,
        base,
        events,
        failed,
    })
}

/// Stops the worker `index.html` started, when the app searches elsewhere.
pub fn stop_early_worker() {
    leptos::task::spawn_local(async {
        if let Some(early) = early_worker().await {
            early.worker.terminate();
        }
    });
}

impl WorkerBackend {
    /// Starts the worker script at `script` and has it load the index under `index_base`.
    pub fn start(script: &str, index_base: &str, status: RwSignal<Status>) -> Rc<Self> {
        let this = Rc::new(Self {
            worker: RefCell::new(None),
            queued: RefCell::new(Vec::new()),
            listening: Cell::new(false),
            next_id: Cell::new(1),
            pending: Rc::new(RefCell::new(HashMap::new())),
            handlers: RefCell::new(Vec::new()),
        });
        let (me, script, base) = (this.clone(), script.to_string(), index_base.to_string());
        leptos::task::spawn_local(async move {
            let started = match early_worker().await {
                // It was sent `Init` for this index when it started.
                Some(early) if early.base == base => {
                    me.attach(early.worker, status, early.events, early.failed);
                    Ok(())
                }
                other => {
                    if let Some(early) = other {
                        early.worker.terminate();
                    }
                    match serde_json::to_string(&WorkerRequest::Init { base }) {
                        Ok(text) => me.queued.borrow_mut().insert(0, text),
                        Err(e) => web_sys::console::error_1(&e.to_string().into()),
                    }
                    me.spawn(&script, status)
                }
            };
            if let Err(e) = started {
                status.set(Status::Failed(e.to_string()));
                me.fail_pending(&e.to_string());
            }
        });
        this
    }

    fn fail_pending(&self, message: &str) {
        for (id, tx) in self.pending.borrow_mut().drain() {
            let _ = tx.send(WorkerEvent::Error {
                id,
                message: message.to_string(),
                field: None,
            });
        }
    }

    fn spawn(self: &Rc<Self>, script: &str, status: RwSignal<Status>) -> Result<(), AppError> {
        let worker = web_sys::Worker::new(script).map_err(|e| {
            AppError::Failed(format!(
                "cannot start the search worker: {}",
                js_message(&e)
            ))
        })?;
        self.attach(worker, status, Vec::new(), None);
        Ok(())
    }

    /// Listens to `worker`, first replaying `earlier` (events it sent before) and the
    /// load error `failed`, if any.
    fn attach(
        self: &Rc<Self>,
        worker: web_sys::Worker,
        status: RwSignal<Status>,
        earlier: Vec<String>,
        failed: Option<String>,
    ) {
        let routes = self.pending.clone();
        let started = Rc::downgrade(self);
        let handle = Rc::new(move |text: String| {
            let event: WorkerEvent = match serde_json::from_str(&text) {
                Ok(e) => e,
                Err(e) => {
                    status.set(Status::Failed(format!(
                        "the search worker sent a bad message: {e}"
                    )));
                    return;
                }
            };
            let id = match &event {
                WorkerEvent::Started => {
                    if let Some(me) = started.upgrade() {
                        me.flush();
                    }
                    return;
                }
                WorkerEvent::Progress { loaded, total } => {
                    status.update(|s| match s {
                        Status::Ready {
                            loaded: l,
                            total: t,
                            ..
                        } => (*l, *t) = (*loaded, *total),
                        other => {
                            *other = Status::Loading {
                                loaded: *loaded,
                                total: *total,
                            }
                        }
                    });
                    return;
                }
                WorkerEvent::Ready {
                    articles,
                    version,
                    load_ms,
                } => {
                    let (loaded, total) = match status.get_untracked() {
                        Status::Loading { loaded, total } => (loaded, total),
                        _ => (0, 0),
                    };
                    status.set(Status::Ready {
                        articles: *articles,
                        version: version.clone(),
                        load_ms: *load_ms,
                        refined: false,
                        loaded,
                        total,
                        offline: false,
                    });
                    return;
                }
                WorkerEvent::Complete { load_ms } => {
                    status.update(|s| {
                        if let Status::Ready {
                            refined,
                            load_ms: ms,
                            ..
                        } = s
                        {
                            (*refined, *ms) = (true, *load_ms);
                        }
                    });
                    return;
                }
                WorkerEvent::Offline { bytes } => {
                    // The page itself comes from the service worker's cache only when
                    // one controls it.
                    if controlled() {
                        web_sys::console::info_1(
                            &format!("Atelier works offline: {bytes} bytes stored").into(),
                        );
                        status.update(|s| {
                            if let Status::Ready { offline, .. } = s {
                                *offline = true;
                            }
                        });
                    }
                    return;
                }
                WorkerEvent::Incomplete { message } => {
                    web_sys::console::warn_1(
                        &format!("Atelier answers with keywords only: {message}").into(),
                    );
                    return;
                }
                WorkerEvent::Failed { message } => {
                    status.set(Status::Failed(message.clone()));
                    return;
                }
                WorkerEvent::Results { id, .. }
                | WorkerEvent::FacetCounts { id, .. }
                | WorkerEvent::Error { id, .. } => *id,
            };
            if let Some(tx) = routes.borrow_mut().remove(&id) {
                let _ = tx.send(event);
            }
        });
        let me = Rc::downgrade(self);
        let fail = Rc::new(move |message: String| {
            let message = format!(
                "the search worker stopped: {}",
                Some(message).filter(|m| !m.is_empty()).unwrap_or_else(|| {
                    "it could not be loaded (does this browser support WebAssembly SIMD?)".into()
                })
            );
            status.set(Status::Failed(message.clone()));
            if let Some(me) = me.upgrade() {
                me.fail_pending(&message);
            }
        });
        *self.worker.borrow_mut() = Some(worker.clone());
        for text in earlier {
            handle(text);
        }
        if let Some(message) = failed {
            fail(message);
        }
        let on_message = Closure::<dyn FnMut(_)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                handle(text);
            }
        });
        let on_error = Closure::<dyn FnMut(_)>::new(move |ev: web_sys::ErrorEvent| {
            ev.prevent_default();
            fail(ev.message());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.handlers.borrow_mut().push(Box::new(on_message));
        self.handlers.borrow_mut().push(Box::new(on_error));
    }

    /// Sends what was queued before the worker listened.
    fn flush(&self) {
        self.listening.set(true);
        let queued: Vec<String> = self.queued.borrow_mut().drain(..).collect();
        if let Some(w) = &*self.worker.borrow() {
            for text in queued {
                if let Err(e) = w.post_message(&JsValue::from_str(&text)) {
                    web_sys::console::error_1(&e);
                }
            }
        }
    }

    fn post(&self, request: &WorkerRequest) -> Result<(), AppError> {
        let text = serde_json::to_string(request).map_err(|e| AppError::Failed(e.to_string()))?;
        match &*self.worker.borrow() {
            Some(w) if self.listening.get() => w
                .post_message(&JsValue::from_str(&text))
                .map_err(|e| AppError::Failed(js_message(&e))),
            _ => {
                self.queued.borrow_mut().push(text);
                Ok(())
            }
        }
    }

    async fn call(&self, make: impl FnOnce(u32) -> WorkerRequest) -> Result<WorkerEvent, AppError> {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        let (tx, rx) = oneshot::channel();
        self.pending.borrow_mut().insert(id, tx);
        if let Err(e) = self.post(&make(id)) {
            self.pending.borrow_mut().remove(&id);
            return Err(e);
        }
        rx.await
            .map_err(|_| AppError::Failed("the search worker did not answer".into()))
    }
}

/// An Atelier server (`GET /api/search`, `/api/similar/{id}`, `/api/facets`).
pub struct ServerBackend {
    base: String,
}

impl ServerBackend {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
        }
    }

    /// Checks `/health` and reports the outcome through `status`.
    pub async fn connect(&self, status: RwSignal<Status>) {
        let start = js_sys::Date::now();
        let url = format!("{}/health", self.base);
        let result = async {
            let r = gloo_net::http::Request::get(&url)
                .send()
                .await
                .map_err(|e| format!("cannot reach the server at {}: {e}", self.base))?;
            if !r.ok() {
                return Err(format!("{url}: HTTP {}", r.status()));
            }
            r.json::<serde_json::Value>()
                .await
                .map_err(|e| format!("{url}: {e}"))
        }
        .await;
        status.set(match result {
            Ok(h) => Status::Ready {
                articles: h
                    .pointer("/index/articles")
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0) as u32,
                version: h
                    .pointer("/index/id")
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string(),
                load_ms: js_sys::Date::now() - start,
                refined: true,
                loaded: 0,
                total: 0,
                offline: false,
            },
            Err(e) => Status::Failed(e),
        });
    }

    fn filter_params(filters: &BTreeMap<String, Vec<String>>) -> Vec<(String, String)> {
        filters
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect()
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        params: Vec<(String, String)>,
    ) -> Result<T, AppError> {
        let url = format!("{}{path}", self.base);
        let r = gloo_net::http::Request::get(&url)
            .query(params.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .send()
            .await
            .map_err(|e| AppError::Failed(format!("cannot reach the server: {e}")))?;
        if !r.ok() {
            if let Ok(e) = r.json::<ApiError>().await {
                return Err(AppError::Invalid {
                    field: e.field,
                    message: e.message,
                });
            }
            return Err(AppError::Failed(format!(
                "the server answered HTTP {}",
                r.status()
            )));
        }
        r.json::<T>()
            .await
            .map_err(|e| AppError::Failed(format!("the server sent an unexpected answer: {e}")))
    }

    async fn search(&self, req: &SearchRequest) -> Result<SearchResponse, AppError> {
        let mut params = vec![("q".to_string(), req.q.clone())];
        if let Some(k) = req.k {
            params.push(("k".into(), k.to_string()));
        }
        params.extend(req.ignore.iter().map(|p| ("ignore".to_string(), p.clone())));
        params.extend(Self::filter_params(&req.filters));
        self.get("/api/search", params).await
    }

    async fn similar(&self, req: &SimilarRequest) -> Result<SearchResponse, AppError> {
        let mut params = Self::filter_params(&req.filters);
        if let Some(k) = req.k {
            params.push(("k".into(), k.to_string()));
        }
        let id: String = js_sys::encode_uri_component(&req.article_id).into();
        self.get(&format!("/api/similar/{id}"), params).await
    }

    async fn facets(
        &self,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<FacetCounts>, AppError> {
        let r: FacetsResponse = self
            .get("/api/facets", Self::filter_params(filters))
            .await?;
        Ok(r.facets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn refusals_read_without_field_names() {
        let e = |field: &str, message: &str| {
            AppError::Invalid {
                field: field.into(),
                message: message.into(),
            }
            .to_string()
        };
        assert_eq!(
            e("q", "q: the query contains control characters"),
            "Please change your search: the query contains control characters."
        );
        assert_eq!(
            e("q", "the query is empty"),
            "Please change your search: the query is empty."
        );
        assert!(e("filters", "filters: unknown colour \"Plaid\"").starts_with("One of the filters"));
        assert_eq!(
            e("colour", "colour: \"Plaid\" is not a value of this facet"),
            "One of the filters cannot be used: \"Plaid\" is not a value of this facet. Clear it and try again."
        );
        assert!(!e("k", "k: 0 is out of range (1..=100)").contains("k:"));
        assert!(e("article_id", "article \"x\" is not in this index").starts_with("That item"));
    }
}
