//! The one searcher every front end calls: validate → embed → rank → the articles the
//! answer needs → the response, colour variants included. A front end adds transport
//! (a folder, HTTP, a Web Worker), never its own copy of these steps.
//!
//! Answers come in two steps because article metadata lives in shards that a browser
//! fetches on demand: [`Searcher::search`] returns a [`Pending`] answer that lists the
//! article numbers it needs ([`Pending::needed`]); the front end finds those articles
//! (in memory, on disk or over the network) and [`Pending::respond`] builds the
//! [`SearchResponse`].
//!
//! A searcher loaded only in part (the lexical part, before the graph and the model have
//! arrived) still answers searches: with the lexical ranking, marked `preliminary`.
//!
//! The query vector comes from the searcher's own model (the `model` feature:
//! [`Searcher::search_with`]) or from outside ([`Searcher::search_vector_with`]: the
//! browser's search worker, whose model runs in a worker of its own so that the first
//! answer never waits for the model's code).

use crate::api::{
    self, ApiError, FacetsResponse, SearchRequest, SearchResponse, ValidSearch, Variant,
};
use crate::catalog::Article;
#[cfg(feature = "model")]
use crate::embed::{EmbedError, Embedder};
use crate::hybrid::{self, Mode, Prepared, Ranked};
use crate::index::IndexError;
#[cfg(feature = "model")]
use crate::index::ModelBytes;
use crate::photos::Photos;
use crate::search::{ExactSearch, Filter, GraphSearch, Index, VectorSearch};
use std::collections::BTreeMap;
use std::convert::Infallible;

/// Why a search was not answered. `S` is the error of an external vector source (the
/// server's store); the index's own graph never fails.
#[derive(Debug, thiserror::Error)]
pub enum SearchError<S: std::fmt::Display = Infallible> {
    #[error("{0}")]
    Invalid(#[from] ApiError),
    #[error("embedding the query failed: {0}")]
    Model(String),
    #[error("the vector search failed: {0}")]
    Store(S),
    #[error("article {0:?} is not in this index")]
    UnknownArticle(String),
    #[error("the vectors are still loading")]
    NotReady,
    /// The ranking read files that are not attached yet: fetch and attach them (see
    /// [`Needed`]) and search again.
    #[error("{0}")]
    Needs(Needed),
    #[error("the index is unusable: {0}")]
    Index(#[from] IndexError),
}

#[cfg(feature = "model")]
impl<S: std::fmt::Display> From<EmbedError> for SearchError<S> {
    fn from(e: EmbedError) -> Self {
        Self::Model(e.to_string())
    }
}

impl SearchError<Infallible> {
    /// The same error for any store error type.
    pub fn widen<S: std::fmt::Display>(self) -> SearchError<S> {
        match self {
            Self::Invalid(e) => SearchError::Invalid(e),
            Self::Model(e) => SearchError::Model(e),
            Self::Store(never) => match never {},
            Self::UnknownArticle(id) => SearchError::UnknownArticle(id),
            Self::NotReady => SearchError::NotReady,
            Self::Needs(n) => SearchError::Needs(n),
            Self::Index(e) => SearchError::Index(e),
        }
    }
}

/// Files of the index a ranking read before a browser had fetched them: the manifest's
/// `postings[n]`, `facet_columns[n]` and `points[n]` for each `n` listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needed {
    pub postings: Vec<u32>,
    pub facet_columns: Vec<u32>,
    pub points: Vec<u32>,
}

impl Needed {
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty() && self.facet_columns.is_empty() && self.points.is_empty()
    }
}

impl std::fmt::Display for Needed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "parts of the index are not loaded yet (keyword postings {:?}, facet columns {:?}, \
             partitions of points {:?})",
            self.postings, self.facet_columns, self.points
        )
    }
}

/// A loaded index (in part or whole) and, once loaded, its model.
pub struct Searcher {
    index: Index,
    #[cfg(feature = "model")]
    embedder: Option<Embedder>,
    version: String,
}

impl Searcher {
    /// Usually made by [`crate::loader::Loader::lexical`].
    pub fn new(index: Index, version: String) -> Self {
        Self {
            index,
            #[cfg(feature = "model")]
            embedder: None,
            version,
        }
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The model, once attached.
    #[cfg(feature = "model")]
    pub fn embedder(&self) -> Option<&Embedder> {
        self.embedder.as_ref()
    }

    /// Identifies this build of the index (see [`crate::loader::Loader::version`]).
    pub fn version(&self) -> &str {
        &self.version
    }

    pub fn articles(&self) -> u32 {
        self.index.manifest.articles
    }

    /// Adds bucket `n` of the keyword postings (a browser adds those its queries need,
    /// as [`SearchError::Needs`] names them; native front ends add them all).
    pub fn attach_postings(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_postings(n, bytes)
    }

    /// Adds facet number `n`'s column (like postings: by need in a browser, all natively).
    pub fn attach_facet_column(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_facet_column(n, bytes)
    }

    /// Adds the HNSW graph (`ef_search`: the index's own when `None`).
    pub fn attach_graph(
        &mut self,
        bytes: &[u8],
        ef_search: Option<usize>,
    ) -> Result<(), IndexError> {
        self.index.attach_graph(bytes, ef_search)
    }

    /// Adds every article's code and partition (vector and hybrid ranking; the points
    /// they re-score with are attached by partition, as [`SearchError::Needs`] names
    /// them in a browser and all at once natively).
    pub fn attach_codes(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_codes(bytes)
    }

    /// Adds partition `n`'s points.
    pub fn attach_points(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_points(n, bytes)
    }

    /// Adds the occasion descriptions' vectors (loaded with the graph, when listed).
    pub fn attach_occasions(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_occasions(bytes)
    }

    /// Adds the f32 vectors (exact search and re-scoring).
    pub fn attach_full_vectors(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        self.index.attach_full_vectors(bytes)
    }

    /// Adds the model from its decoded files ([`crate::loader::Loader::model_files`]),
    /// with every word file when its word embeddings are split off (a searcher embeds
    /// any query: only the browser's model worker fetches a query's words as it goes).
    #[cfg(feature = "model")]
    pub fn attach_model(&mut self, model: ModelBytes) -> Result<(), EmbedError> {
        let mut embedder = Embedder::from_bytes(&model.config, &model.tokenizer, model.weights)?;
        if model.words.len() != embedder.word_files() {
            return Err(EmbedError::Weights(format!(
                "the model's word embeddings are in {} files, {} were given",
                embedder.word_files(),
                model.words.len()
            )));
        }
        for (n, rows) in &model.words {
            embedder.attach_words(*n, rows)?;
        }
        self.attach_embedder(embedder);
        Ok(())
    }

    /// Uses `embedder` for queries (the indexer's `--model DIR` swaps in another).
    #[cfg(feature = "model")]
    pub fn attach_embedder(&mut self, embedder: Embedder) {
        self.embedder = Some(embedder);
    }

    /// Whether every part the full answer needs is here (graph or vectors, and model).
    pub fn is_complete(&self) -> bool {
        #[cfg(feature = "model")]
        let model = self.embedder.is_some();
        #[cfg(not(feature = "model"))]
        let model = false;
        self.index.has_vectors() && model
    }

    /// Whether a full answer to `valid` needs a query vector: it asks for a vector
    /// ranking of words (not browsing) and the graph (or the vectors) is here.
    /// ([`ValidSearch::embed_text`] is the text to embed.)
    pub fn wants_vector(&self, valid: &ValidSearch) -> bool {
        valid.mode.uses_vectors() && !valid.is_browse() && self.index.has_vectors()
    }

    /// Checks a request against this index; the error names the first bad field.
    pub fn validate(&self, request: &SearchRequest) -> Result<ValidSearch, ApiError> {
        request.validate(&self.index.facets)
    }

    /// Resolves facet filters (unknown names and values are errors naming them).
    pub fn filter(&self, filters: &BTreeMap<String, Vec<String>>) -> Result<Filter, ApiError> {
        api::validate_filters(&self.index.facets, filters)
    }

    /// Ranks with the index's own graph (`exact`: brute force over the best vectors).
    /// `now()` is a clock in milliseconds (the engine has none of its own: browsers
    /// have no `Instant`).
    pub fn search(
        &self,
        valid: &ValidSearch,
        exact: bool,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError> {
        if exact {
            self.search_with(&ExactSearch(&self.index), valid, now)
        } else {
            self.search_with(&GraphSearch(&self.index), valid, now)
        }
    }

    /// Ranks with nearest neighbours proposed by `source`; everything else comes from
    /// the index, so every source ranks alike when it finds the same neighbours. A
    /// searcher without its vectors or model answers with the lexical ranking, marked
    /// preliminary.
    pub fn search_with<V: VectorSearch>(
        &self,
        source: &V,
        valid: &ValidSearch,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError<V::Error>>
    where
        V::Error: std::fmt::Display,
    {
        let start = now();
        #[cfg(feature = "model")]
        let vector = match &self.embedder {
            Some(e) if self.wants_vector(valid) => Some(e.embed(&valid.embed_text())?),
            _ => None,
        };
        #[cfg(not(feature = "model"))]
        let vector: Option<Vec<f32>> = None;
        let embedded = now();
        self.rank(source, valid, None, vector.as_deref(), start, embedded, now)
    }

    /// [`Searcher::search_with`] with `vector`, the query's embedding made elsewhere
    /// (`None`: none yet, a vector mode answers lexically, marked preliminary). The
    /// caller adds its embedding time to [`Pending::embed_ms`].
    pub fn search_vector_with<V: VectorSearch>(
        &self,
        source: &V,
        valid: &ValidSearch,
        vector: Option<&[f32]>,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError<V::Error>>
    where
        V::Error: std::fmt::Display,
    {
        let start = now();
        self.rank(source, valid, None, vector, start, start, now)
    }

    /// [`Searcher::search_vector_with`] over the index's own graph.
    pub fn search_vector(
        &self,
        valid: &ValidSearch,
        vector: Option<&[f32]>,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError> {
        self.search_vector_with(&GraphSearch(&self.index), valid, vector, now)
    }

    /// Prepares the ranking of `valid` up to its vector part (understanding, keyword
    /// scores, the attribute filter and what it admits): a browser does it while the
    /// model embeds the query, then calls [`Searcher::search_prepared`]. Needs no vector;
    /// [`SearchError::Needs`] names the postings and facet columns to attach first.
    pub fn prepare<'v>(&self, valid: &'v ValidSearch) -> Result<Prepared<'v>, SearchError> {
        let partial = self.begin_partial();
        let prepared = hybrid::prepare(
            &self.index,
            valid.asked(),
            valid.k,
            &valid.filter,
            valid.mode,
            &[],
        );
        self.end_partial(partial)?;
        Ok(prepared)
    }

    /// [`Searcher::search_vector`] from a ranking [`Searcher::prepare`]d before the
    /// vector arrived: the same answer. The caller sets [`Pending::embed_ms`] and, as
    /// the two overlapped, [`Pending::took_ms`].
    pub fn search_prepared(
        &self,
        valid: &ValidSearch,
        prepared: Prepared,
        vector: Option<&[f32]>,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError> {
        let start = now();
        self.rank(
            &GraphSearch(&self.index),
            valid,
            Some(prepared),
            vector,
            start,
            start,
            now,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn rank<V: VectorSearch>(
        &self,
        source: &V,
        valid: &ValidSearch,
        prepared: Option<Prepared>,
        vector: Option<&[f32]>,
        start: f64,
        embedded: f64,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError<V::Error>>
    where
        V::Error: std::fmt::Display,
    {
        let dim = self.index.manifest.model.dim as usize;
        let (mode, preliminary, vector) = match vector {
            // (Browsing ranks no words: its answer is final from the start.)
            _ if !valid.mode.uses_vectors() || valid.is_browse() => (valid.mode, false, &[][..]),
            Some(v) if self.index.has_vectors() => {
                if v.len() != dim {
                    return Err(SearchError::Model(format!(
                        "the query vector has {} values, the index's {dim}",
                        v.len()
                    )));
                }
                (valid.mode, false, v)
            }
            _ => (Mode::Lexical, true, &[][..]),
        };
        let partial = self.begin_partial();
        let prepared = prepared.unwrap_or_else(|| {
            hybrid::prepare(
                &self.index,
                valid.asked(),
                valid.k,
                &valid.filter,
                mode,
                vector,
            )
        });
        let ranked = hybrid::finish_with(source, &self.index, prepared, vector, mode)
            .map_err(SearchError::Store)?;
        self.end_partial(partial)?;
        let end = now();
        Ok(self.pending(
            &valid.query,
            ranked,
            mode,
            preliminary,
            start,
            embedded,
            end,
        ))
    }

    /// The article number of `article_id`, given its shard ([`Searcher::shard_for`]).
    pub fn number_in(
        &self,
        shard: &crate::index::Shard,
        article_id: &str,
    ) -> Result<u32, SearchError> {
        shard
            .number_of(article_id)
            .ok_or_else(|| SearchError::UnknownArticle(article_id.to_string()))
    }

    /// Which shard would hold `article_id`.
    pub fn shard_for(&self, article_id: &str) -> Result<usize, SearchError> {
        self.index
            .manifest
            .shard_for_id(article_id)
            .ok_or_else(|| SearchError::UnknownArticle(article_id.to_string()))
    }

    /// "More like this" for article number `number`, neighbours from `source`: one card
    /// per product, never the article's own product. Needs the graph (or vectors).
    pub fn similar_with<V: VectorSearch>(
        &self,
        source: &V,
        article_id: &str,
        number: u32,
        k: usize,
        filter: &Filter,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError<V::Error>>
    where
        V::Error: std::fmt::Display,
    {
        if !self.index.has_vectors() {
            return Err(SearchError::NotReady);
        }
        let start = now();
        let partial = self.begin_partial();
        let hits = api::similar_products_with(source, &self.index, number, k, filter)
            .map_err(SearchError::Store)?;
        self.end_partial(partial)?;
        let end = now();
        let ranked = Ranked {
            hits,
            ..Ranked::default()
        };
        Ok(self.pending(article_id, ranked, Mode::Vector, false, start, start, end))
    }

    /// [`Searcher::similar_with`] over the index's own graph.
    pub fn similar(
        &self,
        article_id: &str,
        number: u32,
        k: usize,
        filter: &Filter,
        now: impl Fn() -> f64,
    ) -> Result<Pending, SearchError> {
        self.similar_with(
            &GraphSearch(&self.index),
            article_id,
            number,
            k,
            filter,
            now,
        )
    }

    /// Whether some postings or facet columns are not attached; if so, forgets what
    /// was read before (a ranking records what it reads while they are missing).
    fn begin_partial(&self) -> bool {
        let (keywords, facets) = (&self.index.keywords, &self.index.facets);
        let partial = !keywords.is_complete() || !facets.is_complete() || self.index.lacks_points();
        if partial {
            keywords.take_missing();
            facets.take_missing();
            self.index.take_missing_points();
        }
        partial
    }

    /// After a ranking begun with [`Searcher::begin_partial`]: the files it read that
    /// are missing, as [`SearchError::Needs`].
    fn end_partial<S: std::fmt::Display>(&self, partial: bool) -> Result<(), SearchError<S>> {
        if !partial {
            return Ok(());
        }
        let needed = Needed {
            postings: self.index.keywords.take_missing(),
            facet_columns: self.index.facets.take_missing(),
            points: self.index.take_missing_points(),
        };
        if needed.is_empty() {
            Ok(())
        } else {
            Err(SearchError::Needs(needed))
        }
    }

    /// How many articles match `filters`, and the facet counts beside the results
    /// (every facet column is read: [`SearchError::Needs`] names those not attached).
    pub fn facet_counts(
        &self,
        filters: &BTreeMap<String, Vec<String>>,
    ) -> Result<FacetsResponse, SearchError> {
        let filter = self.filter(filters)?;
        let absent = self.index.facets.absent();
        if !absent.is_empty() {
            return Err(SearchError::Needs(Needed {
                facet_columns: absent,
                ..Needed::default()
            }));
        }
        Ok(FacetsResponse {
            articles: self.index.count(&filter),
            facets: api::facet_counts(&self.index, &filter),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn pending(
        &self,
        query: &str,
        ranked: Ranked,
        mode: Mode,
        preliminary: bool,
        start: f64,
        embedded: f64,
        end: f64,
    ) -> Pending {
        let variants = ranked
            .hits
            .iter()
            .map(|h| api::variant_numbers(&self.index, h.index))
            .collect();
        Pending {
            query: query.to_string(),
            ranked,
            mode,
            preliminary,
            embed_ms: embedded - start,
            rank_ms: end - embedded,
            took_ms: None,
            variants,
            photos: self.index.manifest.photos.clone(),
        }
    }
}

/// A ranked answer waiting for its articles' metadata.
#[derive(Debug, Clone)]
pub struct Pending {
    pub query: String,
    pub ranked: Ranked,
    /// The ranking used (lexical when a vector mode was asked of a partial searcher).
    pub mode: Mode,
    /// The lexical answer of a searcher still loading; the full one will differ.
    pub preliminary: bool,
    pub embed_ms: f64,
    pub rank_ms: f64,
    /// Embedding and ranking's wall-clock time when they overlapped (the ranking
    /// [`Searcher::prepare`]d while the model embedded); `None`: one after the other.
    pub took_ms: Option<f64>,
    /// Each hit's colour variants (article numbers, the hit included).
    variants: Vec<Vec<u32>>,
    /// Where the photos are, if the index has them.
    photos: Option<Photos>,
}

impl Pending {
    /// Every article number the response shows: the hits and their colour variants.
    pub fn needed(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self.ranked.hits.iter().map(|h| h.index).collect();
        v.extend(self.variants.iter().flatten());
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The response; `article(i)` gives article number `i`'s metadata (every number
    /// in [`Pending::needed`] is asked for).
    pub fn respond<'a, E>(
        &self,
        mut article: impl FnMut(u32) -> Result<&'a Article, E>,
    ) -> Result<SearchResponse, E> {
        let mut response = SearchResponse::new(
            &self.query,
            self.took_ms.unwrap_or(self.embed_ms + self.rank_ms),
            &self.ranked,
            self.mode,
            |i| article(i).cloned(),
        )?;
        let photo = |id: &str, product: &str| self.photos.as_ref().map(|p| p.url_for(id, product));
        for (item, numbers) in response.results.iter_mut().zip(&self.variants) {
            item.image = photo(&item.article_id, &item.product_code);
            if numbers.len() > 1 {
                item.variants = numbers
                    .iter()
                    .map(|&i| {
                        article(i).map(|a| Variant {
                            image: photo(&a.article_id, &a.product_code),
                            ..Variant::from(a)
                        })
                    })
                    .collect::<Result<_, E>>()?;
            }
        }
        response.preliminary = self.preliminary;
        Ok(response)
    }
}
