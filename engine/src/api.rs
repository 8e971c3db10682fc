//! The search API's request and response shapes, shared by `indexer search --json`, the
//! server's JSON endpoints and the browser app — so every front end validates the same
//! way and answers with the same fields.

use crate::catalog::Article;
use crate::hybrid::{Mode, Query, Ranked};
use crate::index::{Facets, IndexError};
use crate::search::{Filter, GraphSearch, Hit, Index, VectorSearch};
use crate::understand::Intent;
use serde::{Deserialize, Serialize};

/// Longest query accepted, in characters after trimming.
pub const MAX_QUERY_CHARS: usize = 512;
/// Most results one request may ask for.
pub const MAX_K: usize = 100;
/// Results when a request does not say.
pub const DEFAULT_K: usize = 10;

/// A request that failed validation; `field` names the offending input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field}: {message}")]
pub struct ApiError {
    pub field: String,
    pub message: String,
}

impl ApiError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A search as a front end receives it (query string or JSON body).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    pub q: String,
    #[serde(default)]
    pub k: Option<usize>,
    /// `facet name → values` (any of the values matches; facets combine with AND).
    #[serde(default)]
    pub filters: std::collections::BTreeMap<String, Vec<String>>,
    /// `hybrid` (default), `vector`, `keyword` or `lexical`.
    #[serde(default)]
    pub mode: Option<String>,
    /// Parts of what the query was understood to mean that the shopper removed
    /// (`without`, `colour`, `type`, `audience`, `pattern`, `material`, `occasion`, or a
    /// detail facet such as `sleeves`): the ranking forgets them ([`crate::forget`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
}

/// A validated search.
#[derive(Debug, Clone)]
pub struct ValidSearch {
    pub query: String,
    pub k: usize,
    pub filter: Filter,
    pub mode: Mode,
    /// Parts of the understanding to forget (each one [`crate::forget::is_part`]).
    pub ignore: Vec<String>,
}

impl ValidSearch {
    /// The text to embed for this search: the query without what it negates ("a skirt
    /// but not denim" → "a skirt") and without the words of the parts the shopper removed
    /// ([`crate::forget::embedding_text`]). Every front end embeds this, never the raw
    /// query.
    pub fn embed_text(&self) -> String {
        crate::forget::embedding_text(&self.query, &self.ignore)
    }

    /// Whether this search has no words, only filters: it browses what they select.
    pub fn is_browse(&self) -> bool {
        self.query.is_empty()
    }

    /// The query and what to forget of its understanding, for the ranking.
    pub fn asked(&self) -> Query<'_> {
        Query {
            text: &self.query,
            ignore: &self.ignore,
        }
    }
}

impl SearchRequest {
    /// Checks every field against the index; the error names the first bad field.
    pub fn validate(&self, facets: &Facets) -> Result<ValidSearch, ApiError> {
        // No words but filters: browse what the filters select.
        let browse = self.q.trim().is_empty();
        let query = if browse {
            String::new()
        } else {
            validate_query(&self.q)?
        };
        let k = validate_k(self.k)?;
        let filter = validate_filters(facets, &self.filters)?;
        if browse && filter.is_empty() {
            return Err(ApiError::new(
                "q",
                "the query is empty (type words, or choose filters to browse)",
            ));
        }
        let mode = match self.mode.as_deref() {
            None | Some("") => Mode::Hybrid,
            Some(m) => m.parse().map_err(|e: String| ApiError::new("mode", e))?,
        };
        let ignore = validate_ignore(&self.ignore)?;
        Ok(ValidSearch {
            query,
            k,
            filter,
            mode,
            ignore,
        })
    }
}

/// Checks the parts of an understanding to forget (each named once).
pub fn validate_ignore(parts: &[String]) -> Result<Vec<String>, ApiError> {
    let mut out: Vec<String> = Vec::new();
    for p in parts {
        if !crate::forget::is_part(p) {
            return Err(ApiError::new(
                "ignore",
                format!(
                    "{p:?} is not a part of an understanding (one of {}, or a detail facet such as sleeves)",
                    crate::forget::PARTS.join(", ")
                ),
            ));
        }
        if !out.contains(p) {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// Trims a query and checks its length.
pub fn validate_query(q: &str) -> Result<String, ApiError> {
    let q = q.trim();
    let n = q.chars().count();
    if n == 0 {
        return Err(ApiError::new("q", "the query is empty"));
    }
    if n > MAX_QUERY_CHARS {
        return Err(ApiError::new(
            "q",
            format!("the query has {n} characters; at most {MAX_QUERY_CHARS} are allowed"),
        ));
    }
    if q.chars().any(|c| c.is_control()) {
        return Err(ApiError::new("q", "the query contains control characters"));
    }
    Ok(q.to_string())
}

/// `k` defaults to [`DEFAULT_K`] and must be in `1..=MAX_K`.
pub fn validate_k(k: Option<usize>) -> Result<usize, ApiError> {
    match k {
        None => Ok(DEFAULT_K),
        Some(k) if (1..=MAX_K).contains(&k) => Ok(k),
        Some(k) => Err(ApiError::new(
            "k",
            format!("{k} is out of range (1..={MAX_K})"),
        )),
    }
}

/// Resolves facet filters; unknown facet names and values are errors naming them.
pub fn validate_filters(
    facets: &Facets,
    filters: &std::collections::BTreeMap<String, Vec<String>>,
) -> Result<Filter, ApiError> {
    let pairs = filters
        .iter()
        .flat_map(|(name, values)| values.iter().map(move |v| (name.as_str(), v.trim())));
    Filter::parse(facets, pairs).map_err(|e| match e {
        IndexError::UnknownFacet(name) => {
            let names: Vec<&str> = facets.facets.iter().map(|f| f.name.as_str()).collect();
            ApiError::new(
                name,
                format!("unknown facet (facets: {})", names.join(", ")),
            )
        }
        IndexError::UnknownFacetValue { facet, value } => {
            ApiError::new(facet, format!("{value:?} is not a value of this facet"))
        }
        other => ApiError::new("filters", other.to_string()),
    })
}

/// One result, as every front end shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultItem {
    pub article_id: String,
    /// Similarity used for the ranking (cosine for vector and hybrid, BM25 for keyword).
    pub score: f64,
    pub product_code: String,
    pub prod_name: String,
    pub product_type_name: String,
    pub product_group_name: String,
    pub colour_group_name: String,
    pub perceived_colour_master_name: String,
    pub graphical_appearance_name: String,
    pub department_name: String,
    pub index_group_name: String,
    pub section_name: String,
    pub garment_group_name: String,
    /// Ladies, Men, Kids, Baby or Sport.
    pub audience: String,
    pub detail_desc: String,
    /// The article's photo, when the index has photos ([`crate::photos`]): an absolute
    /// URL, or one relative to the index folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    /// The product's colour variants (this article included), where the front end
    /// looked them up; empty otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
}

/// One colour variant of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub article_id: String,
    pub colour_group_name: String,
    pub perceived_colour_master_name: String,
    pub graphical_appearance_name: String,
    /// This colour's photo, as [`ResultItem::image`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl From<&Article> for Variant {
    fn from(a: &Article) -> Self {
        Self {
            article_id: a.article_id.clone(),
            colour_group_name: a.colour_group_name.clone(),
            perceived_colour_master_name: a.perceived_colour_master_name.clone(),
            graphical_appearance_name: a.graphical_appearance_name.clone(),
            image: None,
        }
    }
}

/// Variants listed per card, at most.
pub const MAX_VARIANTS: usize = 12;

/// Article numbers of article `i`'s colour variants (same product), `i` included, in
/// catalog order. The indexer writes articles in id order, so a product's variants are
/// neighbours and this looks only at them.
pub fn variant_numbers(index: &Index, i: u32) -> Vec<u32> {
    let product = &index.facets.product;
    let Some(&p) = product.get(i as usize) else {
        return Vec::new();
    };
    let mut lo = i as usize;
    while lo > 0 && product[lo - 1] == p && i as usize - lo < MAX_VARIANTS {
        lo -= 1;
    }
    let mut hi = i as usize + 1;
    while hi < product.len() && product[hi] == p && hi - lo < MAX_VARIANTS {
        hi += 1;
    }
    (lo as u32..hi as u32).collect()
}

/// "More like this": the `k` products nearest to article `i` (one card per product,
/// never `i`'s own product), those of its product type and audience first, from the
/// index alone — no model call.
pub fn similar_products(index: &Index, i: u32, k: usize, filter: &Filter) -> Vec<Hit> {
    match similar_products_with(&GraphSearch(index), index, i, k, filter) {
        Ok(hits) => hits,
        Err(never) => match never {},
    }
}

/// [`similar_products`] with the nearest neighbours proposed by `source` (the server's
/// vector store); with [`GraphSearch`] the two are the same function.
pub fn similar_products_with<S: VectorSearch>(
    source: &S,
    index: &Index,
    i: u32,
    k: usize,
    filter: &Filter,
) -> Result<Vec<Hit>, S::Error> {
    let Some(query) = index.vector(i) else {
        return Ok(Vec::new());
    };
    let own = index.variant_key(i, false);
    let kin = Kinship::of(index, i);
    let mut want = k * 4 + MAX_VARIANTS;
    loop {
        let mut hits = source.nearest(&query, want + 1, filter)?;
        hits.retain(|h| h.index != i);
        hits.truncate(want);
        let exhausted = hits.len() < want;
        let mut seen = std::collections::HashSet::from([own]);
        let mut products: Vec<Hit> = hits
            .into_iter()
            .filter(|h| seen.insert(index.variant_key(h.index, false)))
            .collect();
        if products.len() >= k || exhausted || want >= index.len() {
            // What the item is before what it is called: among the nearest products,
            // those of its product type and audience first (a stable sort keeps the
            // similarity order within each), so a made-up name shared by a dress, a
            // skirt and socks does not decide.
            products.sort_by_key(|h| std::cmp::Reverse(kin.with(index, h.index)));
            products.truncate(k);
            return Ok(products);
        }
        want *= 4;
    }
}

/// What "more like this" keeps of the source article: its product type and audience.
struct Kinship {
    /// (facet position, the source's value code, weight) for each facet it has a value of.
    facets: Vec<(usize, u16, u8)>,
}

impl Kinship {
    fn of(index: &Index, i: u32) -> Self {
        let f = &index.facets;
        // The product type counts twice the audience.
        let facets = [("product_type", 2), ("audience", 1)]
            .into_iter()
            .filter_map(|(name, weight)| {
                let pos = f.position(name)?;
                let code = f.code(pos, i);
                (code != 0).then_some((pos, code, weight))
            })
            .collect();
        Self { facets }
    }

    /// How much article `j` shares with the source (0 to 3).
    fn with(&self, index: &Index, j: u32) -> u8 {
        self.facets
            .iter()
            .filter(|&&(pos, code, _)| index.facets.code(pos, j) == code)
            .map(|&(_, _, w)| w)
            .sum()
    }
}

/// What `GET /api/facets` answers: how many articles match the filters, and the facet
/// counts the app shows beside the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetsResponse {
    pub articles: usize,
    pub facets: Vec<FacetCounts>,
}

impl ResultItem {
    pub fn new(a: &Article, score: f32) -> Self {
        Self {
            article_id: a.article_id.clone(),
            score: (score as f64 * 1e6).round() / 1e6,
            product_code: a.product_code.clone(),
            prod_name: a.prod_name.clone(),
            product_type_name: a.product_type_name.clone(),
            product_group_name: a.product_group_name.clone(),
            colour_group_name: a.colour_group_name.clone(),
            perceived_colour_master_name: a.perceived_colour_master_name.clone(),
            graphical_appearance_name: a.graphical_appearance_name.clone(),
            department_name: a.department_name.clone(),
            index_group_name: a.index_group_name.clone(),
            section_name: a.section_name.clone(),
            garment_group_name: a.garment_group_name.clone(),
            audience: crate::text::Audience::of(a)
                .map(|x| x.label().to_string())
                .unwrap_or_default(),
            detail_desc: a.detail_desc.clone(),
            image: None,
            variants: Vec::new(),
        }
    }
}

/// A search answer: `indexer search --json` prints one per line; the server returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    pub query: String,
    /// Embedding plus ranking, in milliseconds (in the browser, where the two overlap,
    /// the wall-clock time from the request to the ranking, files fetched for it
    /// included).
    pub took_ms: f64,
    pub results: Vec<ResultItem>,
    /// What the query was understood to mean (hybrid mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub understood: Option<Intent>,
    /// Filters relaxed, or why nothing matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
    /// The lexical answer of a searcher whose model and vectors are still loading: the
    /// full answer follows (the browser swaps it in).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub preliminary: bool,
    /// How many cards the search selects, when its filters and the attributes in its
    /// words select a definite set ("139 red dresses"; [`crate::selection`]); absent
    /// when it only ranks ("best matches").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<usize>,
    /// Facet counts over that set (each facet under the other filters), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facets: Option<Vec<FacetCounts>>,
    /// Searches to try instead when nothing matched the words (the catalog's most
    /// common kinds of garment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

impl SearchResponse {
    /// Builds the answer; `article(i)` returns article number `i`'s metadata.
    pub fn new<E>(
        query: &str,
        took_ms: f64,
        ranked: &Ranked,
        mode: Mode,
        mut article: impl FnMut(u32) -> Result<Article, E>,
    ) -> Result<Self, E> {
        let results = ranked
            .hits
            .iter()
            .map(|h: &Hit| article(h.index).map(|a| ResultItem::new(&a, h.score)))
            .collect::<Result<Vec<_>, E>>()?;
        Ok(Self {
            query: query.to_string(),
            took_ms: (took_ms * 1000.0).round() / 1000.0,
            results,
            understood: matches!(mode, Mode::Hybrid | Mode::Lexical)
                .then(|| ranked.understood.clone()),
            notice: ranked.notice.clone(),
            preliminary: false,
            total: ranked.selection.as_ref().map(|s| s.total),
            facets: ranked.selection.as_ref().and_then(|s| s.facets.clone()),
            suggestions: ranked.suggestions.clone(),
        })
    }
}

/// One facet value with the number of articles having it under the other filters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetValueCount {
    pub value: String,
    pub count: u32,
}

/// A facet and its value counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCounts {
    pub name: String,
    pub label: String,
    pub values: Vec<FacetValueCount>,
}

/// Facet counts under `filter`: each facet counts the articles matching every *other*
/// clause (so a shopper sees what choosing another value of the same facet would give).
/// Values are ordered by count, largest first; zero counts are dropped. Every facet
/// column must be attached ([`crate::Searcher::facet_counts`] makes sure).
pub fn facet_counts(index: &Index, filter: &Filter) -> Vec<FacetCounts> {
    let all: Vec<u32> = (0..index.len() as u32).collect();
    facet_counts_over(index, filter, &all)
}

/// [`facet_counts`] over `members` only (the set a search selects:
/// [`crate::selection`]).
pub fn facet_counts_over(index: &Index, filter: &Filter, members: &[u32]) -> Vec<FacetCounts> {
    let facets = &index.facets;
    facets
        .facets
        .iter()
        .enumerate()
        .map(|(pos, f)| {
            let others = filter.without_facet(pos);
            let mut counts = vec![0u32; f.values.len() + 1];
            if others.is_empty() && facets.has_column(pos) {
                // The column read directly (the same counts, without a lookup per read).
                for &i in members {
                    if let Some(count) = f
                        .codes
                        .get(i as usize)
                        .and_then(|&c| counts.get_mut(usize::from(c)))
                    {
                        *count += 1;
                    }
                }
            } else {
                for &i in members {
                    if others.matches(facets, i) {
                        counts[facets.code(pos, i) as usize] += 1;
                    }
                }
            }
            let mut values: Vec<FacetValueCount> = f
                .values
                .iter()
                .enumerate()
                .filter(|&(c, _)| counts[c + 1] > 0)
                .map(|(c, v)| FacetValueCount {
                    value: v.clone(),
                    count: counts[c + 1],
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            FacetCounts {
                name: f.name.clone(),
                label: f.label.clone(),
                values,
            }
        })
        .collect()
}

/// "More like this" for one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimilarRequest {
    pub article_id: String,
    #[serde(default)]
    pub k: Option<usize>,
    #[serde(default)]
    pub filters: std::collections::BTreeMap<String, Vec<String>>,
}

/// What the browser app asks its search worker (one JSON message each).
///
/// Messages are externally tagged (`{"search":{"id":1,"request":{…}}}`, `"started"`):
/// a reader deserialises the variant it finds directly, where an internally tagged one
/// (`{"type":…}`) buffers every answer into an intermediate tree first — twice the
/// parsing work on the page's main thread and twice the deserialising code in its wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerRequest {
    /// Load the index (and its model) under `base`, e.g. `./static-index/`.
    Init {
        base: String,
    },
    Search {
        id: u32,
        request: SearchRequest,
    },
    Similar {
        id: u32,
        request: SimilarRequest,
    },
    Facets {
        id: u32,
        filters: std::collections::BTreeMap<String, Vec<String>>,
    },
    /// Facet counts over the set a search selects ("red dress": the red dresses), for
    /// the preliminary answer of a first visit, which comes before every facet column
    /// is here; the catalog's counts under its filters when it selects no set.
    SearchFacets {
        id: u32,
        request: SearchRequest,
    },
}

/// What the worker answers.
// Events are serialised as soon as they are made; boxing the big variant buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerEvent {
    /// The worker is running and listening (messages sent before this are lost).
    Started,
    /// Loading progress in bytes, over every file the full answer needs.
    Progress {
        loaded: u64,
        total: u64,
    },
    /// The lexical part is loaded: searches are answered (preliminary until
    /// [`WorkerEvent::Complete`]).
    Ready {
        articles: u32,
        /// The manifest's identity (changes with every rebuild).
        version: String,
        load_ms: f64,
    },
    /// The graph and the model are loaded too: answers are the full ranking.
    Complete {
        load_ms: f64,
    },
    /// Every index file is stored on this device (`bytes` in all): searches work
    /// offline from now on.
    Offline {
        bytes: u64,
    },
    /// The graph or the model could not be loaded: answers stay lexical.
    Incomplete {
        message: String,
    },
    /// Loading failed: nothing can be searched.
    Failed {
        message: String,
    },
    Results {
        id: u32,
        response: SearchResponse,
    },
    FacetCounts {
        id: u32,
        facets: Vec<FacetCounts>,
    },
    /// One request failed (`field` is set when the request was invalid).
    Error {
        id: u32,
        message: String,
        #[serde(default)]
        field: Option<String>,
    },
}

/// What the search worker asks its encoder worker (the model's own worker, so that the
/// first answers never wait for the model's code). The model comes first, as an array:
/// `"model"` and its three decoded files (config, tokenizer, weights: byte arrays, not
/// JSON); then one JSON message per query. A query whose tokens need word files the
/// model has not got is answered [`EncoderEvent::NeedsWords`]: they come as an array
/// `"words"`, then each file's number and payload, and the query again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncodeRequest {
    pub id: u32,
    pub text: String,
}

/// What the encoder worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EncoderEvent {
    /// The worker is running and listening (messages sent before this are lost).
    Started,
    /// The model is loaded (and warmed up): queries are embedded from now on.
    Ready,
    /// The model could not be loaded.
    Failed { message: String },
    /// The embedding of request `id`'s text, and the milliseconds the model took.
    Vector { id: u32, vector: Vec<f32>, ms: f64 },
    /// Request `id`'s tokens need these word files first (`Embedder::missing_words`).
    NeedsWords { id: u32, files: Vec<usize> },
    /// Request `id` could not be embedded.
    Error { id: u32, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_k_are_validated() {
        assert_eq!(validate_query("  red dress ").unwrap(), "red dress");
        assert_eq!(validate_query("   ").unwrap_err().field, "q");
        assert!(validate_query(&"a".repeat(512)).is_ok());
        assert_eq!(validate_query(&"é".repeat(513)).unwrap_err().field, "q");
        assert_eq!(validate_query("a\u{0}b").unwrap_err().field, "q");
        assert_eq!(validate_k(None).unwrap(), DEFAULT_K);
        assert_eq!(validate_k(Some(0)).unwrap_err().field, "k");
        assert_eq!(validate_k(Some(101)).unwrap_err().field, "k");
        assert_eq!(validate_k(Some(100)).unwrap(), 100);
    }

    #[test]
    fn requests_reject_unknown_fields() {
        let bad = serde_json::from_str::<SearchRequest>(r#"{"q":"x","kk":3}"#);
        assert!(bad.is_err());
        let ok: SearchRequest =
            serde_json::from_str(r#"{"q":"x","k":3,"filters":{"colour":["Red"]}}"#).unwrap();
        assert_eq!(ok.k, Some(3));
    }
}
