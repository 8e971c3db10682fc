//! A loaded index and model, and the answers to the app's requests.

use crate::fetch::{cached_file_names, fetch_bytes, index_file, sleep_ms, FetchError};
use atelier_engine::api::{
    self, ApiError, SearchRequest, SearchResponse, SimilarRequest, WorkerEvent, WorkerRequest,
};
use atelier_engine::format::{self, FileKind};
use atelier_engine::index::{decode_model_file, FileRef, Shard};
use atelier_engine::{
    rank, Article, EmbedError, Embedder, Index, IndexBytes, IndexError, Manifest,
};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// Why the index could not be loaded or a request not answered.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("cannot download the index: {0}")]
    Fetch(#[from] FetchError),
    #[error("the index is unusable: {0}")]
    Index(#[from] IndexError),
    #[error("the model cannot be loaded: {0}")]
    Model(#[from] EmbedError),
    #[error("{0}")]
    Invalid(#[from] ApiError),
    #[error("article {0:?} is not in this index")]
    UnknownArticle(String),
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

/// Everything the worker needs to answer queries.
pub struct Session {
    base: String,
    index: Index,
    embedder: Embedder,
    version: String,
    load_ms: f64,
    shards: RefCell<HashMap<usize, Rc<Shard>>>,
    /// A request has been answered (the shard prefetch waits for the first one).
    answered: Cell<bool>,
}

impl Session {
    /// Downloads and loads the index under `base` (a URL prefix ending in `/`).
    /// `progress(loaded, total)` reports bytes over every file the first query needs.
    pub async fn load(
        base: &str,
        progress: impl Fn(u64, u64) + 'static,
    ) -> Result<Self, SessionError> {
        let start = now_ms();
        let base = if base.ends_with('/') {
            base.to_string()
        } else {
            format!("{base}/")
        };
        let manifest_bytes = fetch_bytes(&format!("{base}manifest.json"), |_| {}).await?;
        let manifest = Manifest::from_json(&manifest_bytes)?;
        let version = format::sha256_hex(&manifest_bytes)[..16].to_string();
        let f = &manifest.files;
        let needed: [&FileRef; 6] = [
            &f.graph,
            &f.facets,
            &f.keywords,
            &f.model_weights,
            &f.tokenizer,
            &f.model_config,
        ];
        let total: u64 = needed.iter().map(|r| r.bytes).sum();
        let loaded = Rc::new(Cell::new(0u64));
        let reported = Rc::new(Cell::new(0u64));
        let progress = Rc::new(progress);
        progress(0, total);
        let download = |r: &FileRef| {
            let url = format!("{base}{}", r.path);
            let (loaded, reported, progress) = (loaded.clone(), reported.clone(), progress.clone());
            async move {
                let count = move |n: u64| {
                    loaded.set(loaded.get() + n);
                    // At most ~200 progress messages per load.
                    if loaded.get() - reported.get() >= total / 200 || loaded.get() == total {
                        reported.set(loaded.get());
                        progress(loaded.get(), total);
                    }
                };
                Ok::<_, SessionError>(index_file(&url, count).await?)
            }
        };
        // Everything downloads at once; the model (smaller) is loaded while the graph
        // is still arriving.
        let model_ms = Cell::new(0.0);
        let model = async {
            let (weights, tokenizer, config) = futures::future::try_join3(
                download(&f.model_weights),
                download(&f.tokenizer),
                download(&f.model_config),
            )
            .await?;
            let t = now_ms();
            for (r, b) in needed[3..].iter().zip([&weights, &tokenizer, &config]) {
                r.check_size(b)?; // decode_model_file checks the container's CRC-32
            }
            let embedder = Embedder::from_bytes(
                &decode_model_file(&f.model_config, &config, FileKind::ModelConfig)?,
                &decode_model_file(&f.tokenizer, &tokenizer, FileKind::Tokenizer)?,
                decode_model_file(&f.model_weights, &weights, FileKind::ModelWeights)?,
            )?;
            model_ms.set(now_ms() - t);
            Ok::<_, SessionError>(embedder)
        };
        let files = futures::future::try_join3(
            download(&f.graph),
            download(&f.facets),
            download(&f.keywords),
        );
        let (embedder, (graph, facets, keywords)) = futures::future::try_join(model, files).await?;
        let fetched = now_ms();
        let index = Index::load(
            manifest,
            IndexBytes {
                graph: &graph,
                facets: &facets,
                keywords: &keywords,
                vectors: None,
            },
            None,
        )?;
        drop((graph, facets, keywords));
        let indexed = now_ms();
        // The first forward pass is slow (allocations, tokenizer set-up): pay it now.
        embedder.embed("warm up")?;
        let end = now_ms();
        web_sys::console::info_1(
            &format!(
                "atelier-worker: loaded in {:.0} ms (fetch {:.0}, of which model {:.0}; index {:.0}, warm-up {:.0})",
                end - start,
                fetched - start,
                model_ms.get(),
                indexed - fetched,
                end - indexed
            )
            .into(),
        );
        Ok(Self {
            base,
            index,
            embedder,
            version,
            load_ms: now_ms() - start,
            shards: RefCell::new(HashMap::new()),
            answered: Cell::new(false),
        })
    }

    pub fn articles(&self) -> u32 {
        self.index.manifest.articles
    }

    /// Identifies this build of the index (a prefix of the manifest's SHA-256).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn load_ms(&self) -> f64 {
        self.load_ms
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The model, as loaded from the index.
    pub fn embedder(&self) -> &Embedder {
        &self.embedder
    }

    /// Answers one request with the event the app expects.
    pub async fn answer(&self, request: WorkerRequest) -> WorkerEvent {
        let event = self.answer_inner(request).await;
        self.answered.set(true);
        event
    }

    async fn answer_inner(&self, request: WorkerRequest) -> WorkerEvent {
        let (id, result) = match request {
            WorkerRequest::Init { .. } => {
                return WorkerEvent::Failed {
                    message: "the index is already loaded".into(),
                }
            }
            WorkerRequest::Search { id, request } => (id, self.search(&request).await),
            WorkerRequest::Similar { id, request } => (id, self.similar(&request).await),
            WorkerRequest::Facets { id, filters } => {
                return match api::validate_filters(&self.index.facets, &filters) {
                    Ok(filter) => WorkerEvent::FacetCounts {
                        id,
                        facets: api::facet_counts(&self.index, &filter),
                    },
                    Err(e) => error_event(id, SessionError::Invalid(e)),
                };
            }
        };
        match result {
            Ok(response) => WorkerEvent::Results { id, response },
            Err(e) => error_event(id, e),
        }
    }

    /// Embeds and ranks; `took_ms` covers embedding and ranking, not metadata fetches.
    pub async fn search(&self, request: &SearchRequest) -> Result<SearchResponse, SessionError> {
        let valid = request.validate(&self.index.facets)?;
        let start = now_ms();
        let vector = if valid.mode == atelier_engine::Mode::Keyword {
            Vec::new()
        } else {
            self.embedder.embed(&valid.query)?
        };
        let embedded = now_ms();
        let ranked = rank(
            &self.index,
            &valid.query,
            &vector,
            valid.k,
            &valid.filter,
            valid.mode,
            false,
        );
        let end = now_ms();
        web_sys::console::debug_1(
            &format!(
                "atelier-worker: query embedded in {:.1} ms, ranked in {:.1} ms",
                embedded - start,
                end - embedded
            )
            .into(),
        );
        self.respond(&valid.query, end - start, &ranked, valid.mode)
            .await
    }

    /// The response for `ranked`, with each result's metadata and colour variants.
    async fn respond(
        &self,
        query: &str,
        took: f64,
        ranked: &atelier_engine::Ranked,
        mode: atelier_engine::Mode,
    ) -> Result<SearchResponse, SessionError> {
        let variants: Vec<Vec<u32>> = ranked
            .hits
            .iter()
            .map(|h| api::variant_numbers(&self.index, h.index))
            .collect();
        let mut indices: Vec<u32> = ranked.hits.iter().map(|h| h.index).collect();
        indices.extend(variants.iter().flatten());
        let articles = self.articles_of(&indices).await?;
        let get = |i: u32| {
            articles
                .get(&i)
                .cloned()
                .ok_or_else(|| SessionError::UnknownArticle(i.to_string()))
        };
        let mut response = SearchResponse::new(query, took, ranked, mode, get)?;
        for (item, numbers) in response.results.iter_mut().zip(&variants) {
            if numbers.len() > 1 {
                item.variants = numbers
                    .iter()
                    .filter_map(|i| articles.get(i).map(api::Variant::from))
                    .collect();
            }
        }
        Ok(response)
    }

    /// "More like this": the article's nearest neighbours, no model call.
    pub async fn similar(&self, request: &SimilarRequest) -> Result<SearchResponse, SessionError> {
        let k = api::validate_k(request.k)?;
        let filter = api::validate_filters(&self.index.facets, &request.filters)?;
        let id = request.article_id.trim();
        let number = self.article_number(id).await?;
        let start = now_ms();
        let hits = api::similar_products(&self.index, number, k, &filter);
        let took = now_ms() - start;
        let ranked = atelier_engine::Ranked {
            hits,
            ..Default::default()
        };
        self.respond(id, took, &ranked, atelier_engine::Mode::Vector)
            .await
    }

    /// The article number of `id`, from the shard the manifest points to.
    async fn article_number(&self, id: &str) -> Result<u32, SessionError> {
        let unknown = || SessionError::UnknownArticle(id.to_string());
        let shard_no = self.index.manifest.shard_for_id(id).ok_or_else(unknown)?;
        self.shard(shard_no)
            .await?
            .number_of(id)
            .ok_or_else(unknown)
    }

    async fn shard(&self, n: usize) -> Result<Rc<Shard>, SessionError> {
        if let Some(s) = self.shards.borrow().get(&n) {
            return Ok(s.clone());
        }
        let file = self
            .index
            .manifest
            .files
            .shards
            .get(n)
            .ok_or_else(|| SessionError::UnknownArticle(format!("shard {n}")))?
            .clone();
        let bytes = index_file(&format!("{}{}", self.base, file.path), |_| {}).await?;
        file.check_size(&bytes)?; // Shard::decode checks the CRC-32
        let shard = Rc::new(Shard::decode(&file, &bytes)?);
        self.shards.borrow_mut().insert(n, shard.clone());
        Ok(shard)
    }

    /// Metadata of the given article numbers (fetching their shards concurrently).
    async fn articles_of(&self, indices: &[u32]) -> Result<HashMap<u32, Article>, SessionError> {
        let mut wanted: Vec<usize> = indices
            .iter()
            .map(|&i| self.index.manifest.shard_of(i).0)
            .collect();
        wanted.sort_unstable();
        wanted.dedup();
        // Fetched shards land in `self.shards`; read the articles from there.
        futures::future::try_join_all(wanted.into_iter().map(|n| self.shard(n))).await?;
        let loaded = self.shards.borrow();
        let mut out = HashMap::new();
        for &i in indices {
            let (n, pos) = self.index.manifest.shard_of(i);
            let article = loaded
                .get(&n)
                .and_then(|s| s.articles.get(pos))
                .ok_or_else(|| SessionError::UnknownArticle(i.to_string()))?;
            out.insert(i, article.clone());
        }
        Ok(out)
    }

    /// Downloads every metadata shard the service worker has not cached yet, one at a
    /// time, so that the app works offline. It starts once the first request has been
    /// answered (or after two seconds), so it never delays the first results, and a warm
    /// start, with every shard cached, fetches nothing. Stops at the first failure.
    pub async fn prefetch_shards(&self) {
        for _ in 0..20 {
            if self.answered.get() {
                break;
            }
            sleep_ms(100).await;
        }
        // Without a cache (no service worker) there is no offline copy to fill.
        let Some(cached) = cached_file_names().await else {
            return;
        };
        let files = self.index.manifest.files.shards.clone();
        for (n, file) in files.iter().enumerate() {
            if self.shards.borrow().contains_key(&n)
                || cached.contains(file.path.rsplit('/').next().unwrap_or(&file.path))
            {
                continue;
            }
            if fetch_bytes(&format!("{}{}", self.base, file.path), |_| {})
                .await
                .is_err()
            {
                return;
            }
        }
    }
}

fn error_event(id: u32, e: SessionError) -> WorkerEvent {
    let field = match &e {
        SessionError::Invalid(a) => Some(a.field.clone()),
        _ => None,
    };
    WorkerEvent::Error {
        id,
        message: e.to_string(),
        field,
    }
}
