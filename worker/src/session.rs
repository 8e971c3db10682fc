//! The index in the browser, loaded in two steps through the engine's one loader, and the
//! answers to the app's requests through its one searcher.
//!
//! 1. [`Session::open`]: the manifest and the lexical part (facets, the keyword
//!    vocabulary): from then on searches are answered with the lexical ranking, marked
//!    `preliminary`, each fetching the buckets of keyword postings its terms need.
//! 2. [`Session::complete`]: the articles' vector codes and the model, fetched in the
//!    background, the model handed to its own worker ([`crate::encoder`]); then
//!    searches get the full hybrid ranking, the same as `indexer search --json`, each
//!    fetching the model's word files its tokens need (the model comes without its
//!    word embeddings) and the partitions of points its candidates are re-scored
//!    with.
//! 3. [`offline`]: every other file fetched into the service worker's cache in the
//!    background, then the model's word files handed to its worker.

use crate::encoder::{encoder_worker, Encoded, QueryEncoder, StartEncoder};
use crate::fetch::{fetch_bytes, index_file, sleep_ms, FetchError};
use atelier_engine::api::{
    self, ApiError, SearchRequest, SimilarRequest, WorkerEvent, WorkerRequest,
};
use atelier_engine::index::{nth, FileRef, Shard};
use atelier_engine::{
    Article, IndexError, Loader, Needed, Part, Pending, Prepared, SearchError, Searcher,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

mod offline;

/// Why the index could not be loaded or a request not answered.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot download the index: {0}")]
    Fetch(#[from] FetchError),
    #[error("the index is unusable: {0}")]
    Index(#[from] IndexError),
    #[error("the model cannot be loaded: {0}")]
    Model(String),
    #[error("{0}")]
    Invalid(#[from] ApiError),
    #[error("{0}")]
    Search(#[from] SearchError),
    #[error("article {0:?} is not in this index")]
    UnknownArticle(String),
    #[error("the rest of the index could not be loaded: {0}")]
    Incomplete(String),
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .map(|p| {
            let p: web_sys::Performance = wasm_bindgen::JsCast::unchecked_into(p);
            p.now()
        })
        .unwrap_or_else(js_sys::Date::now)
}

/// Byte progress over every file the full answer needs, reported at most ~200 times.
struct Progress {
    loaded: Cell<u64>,
    reported: Cell<u64>,
    total: u64,
    report: Box<dyn Fn(u64, u64)>,
}

impl Progress {
    fn add(&self, n: u64) {
        self.loaded.set(self.loaded.get() + n);
        let (loaded, total) = (self.loaded.get(), self.total);
        if loaded - self.reported.get() >= total / 200 || loaded == total {
            self.reported.set(loaded);
            (self.report)(loaded, total);
        }
    }
}

type Completion =
    futures::future::Shared<futures::future::LocalBoxFuture<'static, Result<(), String>>>;

/// Everything the worker needs to answer queries.
pub struct Session {
    base: String,
    loader: Loader,
    searcher: RefCell<Searcher>,
    progress: Rc<Progress>,
    started: f64,
    load_ms: Cell<f64>,
    shards: RefCell<HashMap<usize, Rc<Shard>>>,
    /// One lock per shard or postings file, held while it downloads: concurrent
    /// searches and the offline prefetch fetch (and store) each file once.
    file_locks: RefCell<HashMap<String, Rc<futures::lock::Mutex<()>>>>,
    /// A search has been asked for, and answered (background downloads wait for the
    /// first answer).
    asked: Cell<bool>,
    answered: Cell<bool>,
    /// Searches under way: the offline copy waits for them (their word files and points
    /// are what a shopper waits for).
    searching: Cell<u32>,
    /// The background load of the codes and the model, once started.
    completion: RefCell<Option<Completion>>,
    /// Query vectors, once the model is loaded (with the codes: the full answer).
    encoder: RefCell<Option<Rc<dyn QueryEncoder>>>,
    /// Which of the model's word files its worker has been handed (by number).
    words_attached: RefCell<Vec<bool>>,
    start_encoder: StartEncoder,
}

impl Session {
    /// Downloads the manifest and the lexical part of the index under `base` (a URL
    /// prefix ending in `/`). `progress(loaded, total)` reports bytes over every file
    /// the full answer needs. The model will run in the encoder worker.
    pub async fn open(
        base: &str,
        progress: impl Fn(u64, u64) + 'static,
    ) -> Result<Self, SessionError> {
        Self::open_with(base, progress, encoder_worker()).await
    }

    /// [`Session::open`] with the model run by `start_encoder`.
    pub async fn open_with(
        base: &str,
        progress: impl Fn(u64, u64) + 'static,
        start_encoder: StartEncoder,
    ) -> Result<Self, SessionError> {
        let started = now_ms();
        let base = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        let manifest_url = format!("{base}{}", Loader::manifest_name());
        let manifest = fetch_bytes(&manifest_url, |_| {}).await?;
        let loader = Loader::new(&manifest)?;
        crate::fetch::store(&manifest_url, &manifest);
        let total = [Part::Lexical, Part::FacetColumns, Part::Codes, Part::Model]
            .iter()
            .flat_map(|&p| loader.files(p))
            .map(|f| f.bytes)
            .sum();
        let progress = Rc::new(Progress {
            loaded: Cell::new(0),
            reported: Cell::new(0),
            total,
            report: Box::new(progress),
        });
        (progress.report)(0, total);
        let f = &loader.manifest().files;
        let (facets, keywords) = futures::future::try_join(
            download(&base, &f.facets, &progress),
            download(&base, &f.keywords, &progress),
        )
        .await?;
        let searcher = loader.lexical(&facets, &keywords)?;
        let session = Self {
            base,
            loader,
            searcher: RefCell::new(searcher),
            progress,
            started,
            load_ms: Cell::new(0.0),
            shards: RefCell::new(HashMap::new()),
            file_locks: RefCell::new(HashMap::new()),
            asked: Cell::new(false),
            answered: Cell::new(false),
            searching: Cell::new(0),
            completion: RefCell::new(None),
            encoder: RefCell::new(None),
            words_attached: RefCell::new(Vec::new()),
            start_encoder,
        };
        session.load_ms.set(now_ms() - started);
        web_sys::console::info_1(
            &format!(
                "atelier-worker: keywords and facets loaded in {:.0} ms",
                session.load_ms.get()
            )
            .into(),
        );
        Ok(session)
    }

    /// Starts (once) the background load of the codes and the model; the returned
    /// future resolves when searches get the full ranking.
    pub fn completion(self: &Rc<Self>) -> Completion {
        use futures::FutureExt;
        let mut slot = self.completion.borrow_mut();
        if let Some(c) = &*slot {
            return c.clone();
        }
        let me = self.clone();
        let fut: futures::future::LocalBoxFuture<'static, Result<(), String>> =
            Box::pin(async move { me.complete().await.map_err(|e| e.to_string()) });
        let shared = fut.shared();
        *slot = Some(shared.clone());
        shared
    }

    /// Downloads the codes and the model and attaches them, once the first search is
    /// answered — while one is under way (at most 20 s), else after half a second — so
    /// that its files never wait behind these 16 MB: on a first visit they would share
    /// the link, and on a repeat visit reading them from the cache held the first
    /// answer's own cache reads back (its cards' metadata took 100–120 ms, not 45).
    async fn complete(&self) -> Result<(), SessionError> {
        let f = &self.loader.manifest().files;
        self.first_answer().await;
        let t = now_ms();
        let model = async {
            let (weights, tokenizer, config) = futures::future::try_join3(
                download(&self.base, &f.model_weights, &self.progress),
                download(&self.base, &f.tokenizer, &self.progress),
                download(&self.base, &f.model_config, &self.progress),
            )
            .await?;
            // Checked and handed to the model's worker as soon as it is here, while
            // the codes are still arriving.
            let m = self.loader.model_files(&weights, &tokenizer, &config)?;
            (self.start_encoder)(m).await.map_err(SessionError::Model)
        };
        let absent = self.searcher.borrow().index().facets.absent();
        // The occasions' vectors (about 100 kB) come with the codes: both serve the
        // vector ranking.
        let occasions = async {
            match &f.occasions {
                Some(file) => download(&self.base, file, &self.progress).await.map(Some),
                None => Ok(None),
            }
        };
        let (encoder, (codes, occasions), ()) = futures::future::try_join3(
            model,
            futures::future::try_join(download(&self.base, &f.codes, &self.progress), occasions),
            self.fetch_facet_columns(&absent),
        )
        .await?;
        let mut searcher = self.searcher.borrow_mut();
        searcher.attach_codes(&codes)?;
        if let Some(bytes) = occasions {
            searcher.attach_occasions(&bytes)?;
        }
        drop(searcher);
        *self.encoder.borrow_mut() = Some(encoder);
        self.load_ms.set(now_ms() - self.started);
        web_sys::console::info_1(
            &format!(
                "atelier-worker: codes and model loaded in {:.0} ms (complete {:.0} ms after start)",
                now_ms() - t,
                self.load_ms.get()
            )
            .into(),
        );
        Ok(())
    }

    /// Waits for the first search's answer while one is under way (at most 20 s), else
    /// half a second: background downloads never share the link with its files.
    async fn first_answer(&self) {
        wait_while(|waited| {
            !self.answered.get() && waited < if self.asked.get() { 20_000 } else { 500 }
        })
        .await
    }

    pub fn articles(&self) -> u32 {
        self.loader.manifest().articles
    }

    /// Identifies this build of the index (a prefix of the manifest's SHA-256).
    pub fn version(&self) -> &str {
        self.loader.version()
    }

    /// Milliseconds from the start of the load to the last part loaded so far.
    pub fn load_ms(&self) -> f64 {
        self.load_ms.get()
    }

    /// Bytes of every file a browser uses (what its offline copy stores).
    pub fn stored_bytes(&self) -> u64 {
        let parts = [
            Part::Lexical,
            Part::FacetColumns,
            Part::Codes,
            Part::Points,
            Part::Model,
            Part::Words,
        ];
        let m = self.loader.manifest();
        parts
            .iter()
            .flat_map(|&p| self.loader.files(p))
            .chain(&m.files.postings)
            .chain(&m.files.shards)
            .map(|f| f.bytes)
            .sum()
    }

    /// Whether the codes and the model are loaded.
    pub fn is_complete(&self) -> bool {
        self.encoder.borrow().is_some() && self.searcher.borrow().index().has_vectors()
    }

    /// The searcher (for the wasm tests).
    pub fn searcher(&self) -> std::cell::Ref<'_, Searcher> {
        self.searcher.borrow()
    }

    /// Answers one request with the event the app expects.
    pub async fn answer(self: &Rc<Self>, request: WorkerRequest) -> WorkerEvent {
        // Facet counts need no download, and "more like this" waits for the codes
        // itself: only a search holds the background downloads back.
        let search = matches!(request, WorkerRequest::Search { .. });
        self.asked.set(self.asked.get() || search);
        self.searching.set(self.searching.get() + u32::from(search));
        let event = self.answer_inner(request).await;
        self.searching.set(self.searching.get() - u32::from(search));
        self.answered.set(self.answered.get() || search);
        event
    }

    async fn answer_inner(self: &Rc<Self>, request: WorkerRequest) -> WorkerEvent {
        let (id, result) = match request {
            WorkerRequest::Init { .. } => {
                return WorkerEvent::Failed {
                    message: "the index is already loaded".into(),
                }
            }
            WorkerRequest::Search { id, request } => (id, self.search(&request).await),
            WorkerRequest::Similar { id, request } => (id, self.similar(&request).await),
            WorkerRequest::Facets { id, filters } => {
                let counts = self.facet_counts(&filters).await.map(|r| r.facets);
                return facets_event(id, counts);
            }
            WorkerRequest::SearchFacets { id, request } => {
                return facets_event(id, self.search_facets(&request).await);
            }
        };
        match result {
            Ok(response) => WorkerEvent::Results { id, response },
            Err(e) => error_event(id, e),
        }
    }

    /// Ranks (lexically until the codes and model are here). The model embeds the query
    /// in its own worker while this one prepares the ranking's vector-free part (and
    /// fetches the postings it reads); the vector's part follows. `took_ms` is the
    /// wall-clock time from the request to the ranked answer, the files the ranking
    /// fetched included, not the cards' metadata.
    pub async fn search(
        &self,
        request: &SearchRequest,
    ) -> Result<api::SearchResponse, SessionError> {
        let start = now_ms();
        let valid = self.searcher.borrow().validate(request)?;
        let prepare_ms = Cell::new(0.0);
        let fetches = Fetches::default();
        let encoder = self.encoder.borrow().clone();
        let encoder = encoder.filter(|_| self.searcher.borrow().wants_vector(&valid));
        // Without a vector to wait for there is nothing to overlap: one ranking learns
        // every file it reads in one round (a prepared one would learn the facet columns
        // its second half reads in a second).
        let (vector, embed_ms, prepared) = match encoder {
            None => (None, 0.0, None),
            Some(encoder) => {
                // `join` polls the embedding first: its request is with the model's
                // worker before the preparation takes this worker's core.
                let ((vector, embed_ms), prepared) = futures::join!(
                    self.embed(&*encoder, &valid),
                    self.prepare(&valid, &prepare_ms, &fetches)
                );
                (vector, embed_ms, Some(prepared?))
            }
        };
        // Each round fetches the keyword postings, facet columns and points the ranking
        // asked for; after the first, it is ranked again whole. A second round is rare
        // (the vector read the query as an occasion its words did not name), the bound
        // only guards against a loop.
        let mut rounds = 0;
        let mut result = {
            let searcher = self.searcher.borrow();
            match prepared {
                Some(p) => searcher.search_prepared(&valid, p, vector.as_deref(), now_ms),
                None => searcher.search_vector(&valid, vector.as_deref(), now_ms),
            }
        };
        let mut pending = loop {
            match result {
                Err(SearchError::Needs(needed)) if rounds < 8 => {
                    rounds += 1;
                    fetches.time(self.fetch_needed(&needed), &needed).await?;
                }
                other => break other?,
            }
            // (Its preparation is not part of the ranking that answers.)
            prepare_ms.set(0.0);
            result = self
                .searcher
                .borrow()
                .search_vector(&valid, vector.as_deref(), now_ms);
        };
        pending.embed_ms = embed_ms;
        pending.rank_ms += prepare_ms.get();
        let took_ms = now_ms() - start;
        pending.took_ms = Some(took_ms);
        web_sys::console::debug_1(
            &format!(
                "atelier-worker: query embedded in {:.1} ms, ranked in {:.1} ms ({}), took {:.1} ms; {} files fetched in {:.1} ms",
                pending.embed_ms,
                pending.rank_ms,
                pending.mode.as_str(),
                took_ms,
                fetches.files.get(),
                fetches.ms.get(),
            )
            .into(),
        );
        self.respond(&pending).await
    }

    /// [`Searcher::prepare`], fetching what it reads first; `ms` is the last round's
    /// time (the rounds before it found files missing and are done again).
    async fn prepare<'v>(
        &self,
        valid: &'v api::ValidSearch,
        ms: &Cell<f64>,
        fetches: &Fetches,
    ) -> Result<Prepared<'v>, SessionError> {
        let mut rounds = 0;
        loop {
            let t = now_ms();
            let result = self.searcher.borrow().prepare(valid);
            ms.set(now_ms() - t);
            match result {
                Err(SearchError::Needs(needed)) if rounds < 8 => {
                    rounds += 1;
                    fetches.time(self.fetch_needed(&needed), &needed).await?;
                }
                other => return Ok(other?),
            }
        }
    }

    /// The query's vector from the model's worker (the embedding's milliseconds beside
    /// it). Should that worker fail, the answer is the lexical one, marked preliminary,
    /// rather than an error.
    async fn embed(
        &self,
        encoder: &dyn QueryEncoder,
        valid: &api::ValidSearch,
    ) -> (Option<Vec<f32>>, f64) {
        let start = now_ms();
        match self.embed_with(encoder, &valid.embed_text()).await {
            Ok(v) => (Some(v), now_ms() - start),
            Err(e) => {
                web_sys::console::warn_1(
                    &format!(
                        "atelier-worker: the query was not embedded ({e}): answering lexically"
                    )
                    .into(),
                );
                (None, now_ms() - start)
            }
        }
    }

    /// `text`'s vector, fetching the model's word files its tokens need first (one
    /// round: the model names them all at once).
    async fn embed_with(&self, encoder: &dyn QueryEncoder, text: &str) -> Result<Vec<f32>, String> {
        let mut fetched = false;
        loop {
            match encoder.embed(text).await? {
                Encoded::Vector(v) => return Ok(v),
                Encoded::NeedsWords(files) if !fetched => {
                    fetched = true;
                    let words = self.fetch_words(&files).await.map_err(|e| e.to_string())?;
                    encoder.attach_words(words)?;
                    self.mark_words_attached(&files);
                }
                Encoded::NeedsWords(files) => {
                    return Err(format!("the model still needs word files {files:?}"))
                }
            }
        }
    }

    /// Records that the model's worker has word files `numbers`.
    fn mark_words_attached(&self, numbers: &[usize]) {
        let mut attached = self.words_attached.borrow_mut();
        for &n in numbers {
            if n >= attached.len() {
                attached.resize(n + 1, false);
            }
            attached[n] = true;
        }
    }

    /// Whether the model's worker has word file `n`.
    fn has_words(&self, n: usize) -> bool {
        self.words_attached
            .borrow()
            .get(n)
            .copied()
            .unwrap_or(false)
    }

    /// The payloads of the model's word files `numbers` (from the cache or the network,
    /// size and checksum checked), for [`QueryEncoder::attach_words`].
    pub async fn fetch_words(
        &self,
        numbers: &[usize],
    ) -> Result<Vec<(usize, Vec<u8>)>, SessionError> {
        let files = &self.loader.manifest().files.words;
        futures::future::try_join_all(numbers.iter().map(|&n| async move {
            let file = nth(files, n, "word file")?;
            let lock = self.file_lock(file);
            let _downloading = lock.lock().await;
            let bytes = index_file(&format!("{}{}", self.base, file.path), |_| {}).await?;
            Ok::<_, SessionError>((n, self.loader.word_file(n, &bytes)?))
        }))
        .await
    }

    /// The response for `pending`, with each result's metadata and colour variants.
    async fn respond(&self, pending: &Pending) -> Result<api::SearchResponse, SessionError> {
        let articles = self.articles_of(&pending.needed()).await?;
        pending.respond(|i| {
            articles
                .get(&i)
                .ok_or_else(|| SessionError::UnknownArticle(i.to_string()))
        })
    }

    /// "More like this": the article's nearest neighbours, no model call (it waits for
    /// the codes).
    pub async fn similar(
        self: &Rc<Self>,
        request: &SimilarRequest,
    ) -> Result<api::SearchResponse, SessionError> {
        let k = api::validate_k(request.k)?;
        let filter = self.searcher.borrow().filter(&request.filters)?;
        let id = request.article_id.trim();
        let shard_no = self.searcher.borrow().shard_for(id)?;
        let shard = self.shard(shard_no).await?;
        let number = self.searcher.borrow().number_in(&shard, id)?;
        if !self.searcher.borrow().index().has_vectors() {
            self.completion().await.map_err(SessionError::Incomplete)?;
        }
        let mut rounds = 0;
        let pending = loop {
            let result = self
                .searcher
                .borrow()
                .similar(id, number, k, &filter, now_ms);
            match result {
                Err(SearchError::Needs(needed)) if rounds < 8 => {
                    rounds += 1;
                    self.fetch_needed(&needed).await?;
                }
                other => break other?,
            }
        };
        self.respond(&pending).await
    }

    fn file_lock(&self, file: &FileRef) -> Rc<futures::lock::Mutex<()>> {
        self.file_locks
            .borrow_mut()
            .entry(file.path.clone())
            .or_default()
            .clone()
    }

    /// Facet counts under `filters`. They read every facet column: those not here yet
    /// are fetched once the first search has its answer.
    async fn facet_counts(
        &self,
        filters: &std::collections::BTreeMap<String, Vec<String>>,
    ) -> Result<api::FacetsResponse, SessionError> {
        let absent = self.searcher.borrow().index().facets.absent();
        if !absent.is_empty() {
            self.searcher.borrow().filter(filters)?;
            self.first_answer().await;
            self.fetch_facet_columns(&absent).await?;
        }
        Ok(self.searcher.borrow().facet_counts(filters)?)
    }

    /// Facet counts over the set `request` selects (the catalog's under its filters
    /// when it selects none). A first visit's preliminary answer comes before every
    /// facet column is here: these wait for its answer, fetch the columns (about 0.2 MB
    /// on the full catalog, well before the codes and the model) and rank once more —
    /// its postings and metadata are here — so the filters show the set's counts long
    /// before the full answer, which gives the same ones.
    async fn search_facets(
        &self,
        request: &SearchRequest,
    ) -> Result<Vec<api::FacetCounts>, SessionError> {
        let absent = self.searcher.borrow().index().facets.absent();
        if !absent.is_empty() {
            self.searcher.borrow().validate(request)?;
            self.first_answer().await;
            self.fetch_facet_columns(&absent).await?;
        }
        match self.search(request).await?.facets {
            Some(counts) => Ok(counts),
            None => Ok(self.facet_counts(&request.filters).await?.facets),
        }
    }

    /// Downloads and attaches what a ranking asked for (concurrently).
    async fn fetch_needed(&self, needed: &Needed) -> Result<(), SessionError> {
        futures::future::try_join3(
            self.fetch_postings(&needed.postings),
            self.fetch_facet_columns(&needed.facet_columns),
            self.fetch_attached(Attached::Points, &needed.points),
        )
        .await?;
        Ok(())
    }

    /// Downloads and attaches the given facet columns (concurrently).
    async fn fetch_facet_columns(&self, columns: &[u32]) -> Result<(), SessionError> {
        self.fetch_attached(Attached::FacetColumn, columns).await
    }

    /// Downloads and attaches the given buckets of keyword postings (concurrently).
    async fn fetch_postings(&self, buckets: &[u32]) -> Result<(), SessionError> {
        self.fetch_attached(Attached::Postings, buckets).await
    }

    async fn fetch_attached(&self, what: Attached, numbers: &[u32]) -> Result<(), SessionError> {
        futures::future::try_join_all(numbers.iter().map(|&n| self.attach(what, n as usize)))
            .await?;
        Ok(())
    }

    /// Downloads file `n` of a kind the searcher takes by number, once, and attaches it.
    async fn attach(&self, what: Attached, n: usize) -> Result<(), SessionError> {
        let files = &self.loader.manifest().files;
        let (list, name) = match what {
            Attached::Postings => (&files.postings, "bucket of postings"),
            Attached::FacetColumn => (&files.facet_columns, "facet column"),
            Attached::Points => (&files.points, "partition of points"),
        };
        let file = nth(list, n, name)?.clone();
        let lock = self.file_lock(&file);
        let _downloading = lock.lock().await;
        let has = |s: &Searcher| match what {
            Attached::Postings => s.index().keywords.has_bucket(n),
            Attached::FacetColumn => s.index().facets.has_column(n),
            Attached::Points => s.index().has_points(n),
        };
        if has(&self.searcher.borrow()) {
            return Ok(());
        }
        match what {
            // Postings and points are not in the progress total (a query fetches a
            // few of them).
            Attached::Postings => {
                let bytes = index_file(&format!("{}{}", self.base, file.path), |_| {}).await?;
                self.searcher.borrow_mut().attach_postings(n, &bytes)?;
            }
            Attached::Points => {
                let bytes = index_file(&format!("{}{}", self.base, file.path), |_| {}).await?;
                self.searcher.borrow_mut().attach_points(n, &bytes)?;
            }
            Attached::FacetColumn => {
                let bytes = download(&self.base, &file, &self.progress).await?;
                self.searcher.borrow_mut().attach_facet_column(n, &bytes)?;
            }
        }
        Ok(())
    }

    async fn shard(&self, n: usize) -> Result<Rc<Shard>, SessionError> {
        if let Some(s) = self.shards.borrow().get(&n) {
            return Ok(s.clone());
        }
        let file = self
            .loader
            .manifest()
            .files
            .shards
            .get(n)
            .ok_or_else(|| SessionError::UnknownArticle(format!("shard {n}")))?
            .clone();
        let lock = self.file_lock(&file);
        let _downloading = lock.lock().await;
        if let Some(s) = self.shards.borrow().get(&n) {
            return Ok(s.clone());
        }
        let bytes = index_file(&format!("{}{}", self.base, file.path), |_| {}).await?;
        let shard = Rc::new(self.loader.shard(n, &bytes)?);
        self.shards.borrow_mut().insert(n, shard.clone());
        Ok(shard)
    }

    /// Metadata of the given article numbers (fetching their shards concurrently).
    async fn articles_of(&self, indices: &[u32]) -> Result<HashMap<u32, Article>, SessionError> {
        let manifest = self.loader.manifest();
        let mut wanted: Vec<usize> = indices.iter().map(|&i| manifest.shard_of(i).0).collect();
        wanted.sort_unstable();
        wanted.dedup();
        let shards =
            futures::future::try_join_all(wanted.into_iter().map(|n| self.shard(n))).await?;
        let by_number: HashMap<usize, &Rc<Shard>> = shards
            .iter()
            .map(|s| (s.first as usize / manifest.shard_size as usize, s))
            .collect();
        let mut out = HashMap::new();
        for &i in indices {
            let (n, pos) = manifest.shard_of(i);
            let article = by_number
                .get(&n)
                .and_then(|s| s.articles.get(pos))
                .ok_or_else(|| SessionError::UnknownArticle(i.to_string()))?;
            out.insert(i, article.clone());
        }
        Ok(out)
    }
}

/// Index files the searcher takes by number, as a ranking asks for them.
#[derive(Debug, Clone, Copy)]
enum Attached {
    Postings,
    FacetColumn,
    Points,
}

/// The files a search fetched for its ranking, and the time it waited for them.
#[derive(Default)]
struct Fetches {
    files: Cell<usize>,
    ms: Cell<f64>,
}

impl Fetches {
    async fn time<T>(&self, fetch: impl std::future::Future<Output = T>, needed: &Needed) -> T {
        let t = now_ms();
        let out = fetch.await;
        self.files.set(
            self.files.get()
                + needed.postings.len()
                + needed.facet_columns.len()
                + needed.points.len(),
        );
        self.ms.set(self.ms.get() + now_ms() - t);
        out
    }
}

/// Polls `busy` (given the milliseconds waited so far) every 50 ms until it says no.
async fn wait_while(busy: impl Fn(u32) -> bool) {
    let mut waited = 0;
    while busy(waited) {
        sleep_ms(50).await;
        waited += 50;
    }
}

/// One index file, from the service worker's cache or the network, its size checked.
async fn download(
    base: &str,
    file: &FileRef,
    progress: &Progress,
) -> Result<Vec<u8>, SessionError> {
    let bytes = index_file(&format!("{base}{}", file.path), |n| progress.add(n)).await?;
    file.check_size(&bytes)?;
    Ok(bytes)
}

fn facets_event(id: u32, counts: Result<Vec<api::FacetCounts>, SessionError>) -> WorkerEvent {
    match counts {
        Ok(facets) => WorkerEvent::FacetCounts { id, facets },
        Err(e) => error_event(id, e),
    }
}

fn error_event(id: u32, e: SessionError) -> WorkerEvent {
    let field = match &e {
        SessionError::Invalid(a) => Some(a.field.clone()),
        SessionError::Search(SearchError::Invalid(a)) => Some(a.field.clone()),
        // "More like this" for an id this index does not have (an old shared link).
        SessionError::Search(SearchError::UnknownArticle(_)) => Some("article_id".into()),
        _ => None,
    };
    WorkerEvent::Error {
        id,
        message: e.to_string(),
        field,
    }
}
