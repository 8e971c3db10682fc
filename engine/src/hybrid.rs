//! Hybrid ranking: vector retrieval, BM25 keyword retrieval and query understanding,
//! fused — the one ranking every front end uses.
//!
//! 1. Candidates: the vector search's best (filtered by the shopper's facets), the best
//!    among articles matching the recognised attributes (exact when that set is narrow),
//!    and BM25's best.
//! 2. Each candidate's *tier* is how many recognised attribute groups (colour, type,
//!    audience, pattern) it matches; within a tier, reciprocal rank fusion of its vector
//!    and keyword ranks orders it.
//! 3. Colour variants of one product are collapsed unless the shopper asked for a colour.
//! 4. No result under the attributes or filters: they are relaxed, and the result says so.

use crate::ids::{IdMap, IdSet};
use crate::search::{ExactSearch, Filter, GraphSearch, Hit, Index, Tier, VectorSearch};
use crate::selection::Selection;
use crate::understand::Intent;
use serde::Serialize;
use std::collections::HashSet;

mod prepare;
use prepare::Words;
pub use prepare::{prepare, Prepared};

/// Which retrieval to use (the benchmark compares them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    Vector,
    Keyword,
    #[default]
    Hybrid,
    /// The hybrid ranking without its vector part: query understanding, BM25 and facets.
    /// What a browser answers with before the model and the graph have arrived.
    Lexical,
}

impl Mode {
    /// Whether the mode embeds the query (and needs the graph or vectors).
    pub fn uses_vectors(self) -> bool {
        matches!(self, Mode::Vector | Mode::Hybrid)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Vector => "vector",
            Mode::Keyword => "keyword",
            Mode::Hybrid => "hybrid",
            Mode::Lexical => "lexical",
        }
    }
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "vector" => Ok(Mode::Vector),
            "keyword" => Ok(Mode::Keyword),
            "hybrid" => Ok(Mode::Hybrid),
            "lexical" => Ok(Mode::Lexical),
            _ => Err(format!(
                "unknown mode {s:?} (hybrid, vector, keyword or lexical)"
            )),
        }
    }
}

/// A ranked answer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ranked {
    #[serde(skip)]
    pub hits: Vec<Hit>,
    /// What the query was understood to mean.
    pub understood: Intent,
    /// Said to the shopper when filters were relaxed or nothing matched.
    pub notice: Option<String>,
    /// The set the search selects, when it selects one (browsing, or attributes named).
    #[serde(skip)]
    pub selection: Option<Selection>,
    /// Searches to try instead, when nothing matched the words ([`suggestions`]).
    #[serde(skip)]
    pub suggestions: Vec<String>,
}

/// What a shopper whose words the catalog does not know could search for instead: the
/// catalog's most common kinds of garment, in its own words ("trousers", "dress").
pub fn suggestions(index: &Index, n: usize) -> Vec<String> {
    let Some(f) = index.facets.position("product_type") else {
        return Vec::new();
    };
    let facet = &index.facets.facets[f];
    let mut by_count: Vec<(u32, &String)> =
        facet.counts.iter().copied().zip(&facet.values).collect();
    by_count.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    by_count
        .into_iter()
        .take(n)
        .map(|(_, v)| v.to_lowercase())
        .collect()
}

const CANDIDATES: usize = 200;
/// Searches suggested when nothing matched.
const SUGGESTIONS: usize = 5;
const RRF_K: f32 = 60.0;
/// Weight of the keyword rank in the fusion when no attribute was recognised (needs and
/// occasions: there the words rarely appear in the articles). Measured on the relevance
/// benchmark: 1.0 → overall P@10 0.706, 0.3 → 0.728, 0 → 0.730.
const KEYWORD_WEIGHT_WITHOUT_ATTRIBUTES: f32 = 0.25;

/// Ranks articles for `query` (its embedding is `vector`) with the index's own vector
/// search (`exact`: brute force instead of the graph).
pub fn rank(
    index: &Index,
    query: &str,
    vector: &[f32],
    k: usize,
    filter: &Filter,
    mode: Mode,
    exact: bool,
) -> Ranked {
    let result = if exact {
        rank_with(&ExactSearch(index), index, query, vector, k, filter, mode)
    } else {
        rank_with(&GraphSearch(index), index, query, vector, k, filter, mode)
    };
    match result {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

/// What the shopper asked: the query's words, and the parts of what they were understood
/// to mean that the shopper removed ([`crate::forget`]; none for a plain `&str`).
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    pub text: &'a str,
    pub ignore: &'a [String],
}

impl<'a> From<&'a str> for Query<'a> {
    fn from(text: &'a str) -> Self {
        Self { text, ignore: &[] }
    }
}

/// Below this similarity the best hit of a query whose words the catalog does not use is
/// no match ("xylophone" 0.40, "plimsolls" 0.43; "pj's" finds pyjamas at 0.59).
const WEAK_SIMILARITY: f32 = 0.45;

/// [`rank`] with nearest neighbours from `source` (e.g. the server's vector store);
/// everything else — keywords, query understanding, fusion, scores — comes from `index`,
/// so every source ranks alike when it finds the same neighbours.
pub fn rank_with<'q, V: VectorSearch>(
    source: &V,
    index: &Index,
    query: impl Into<Query<'q>>,
    vector: &[f32],
    k: usize,
    filter: &Filter,
    mode: Mode,
) -> Result<Ranked, V::Error> {
    finish_with(
        source,
        index,
        prepare(index, query, k, filter, mode, vector),
        vector,
        mode,
    )
}

/// Finishes a ranking [`prepare`]d before its vector arrived, with `vector` (empty for
/// lexical) and nearest neighbours from `source`: the same answer as [`rank_with`] in
/// one go. Should the vector read the query as an occasion the words did not name, the
/// vector-free part is prepared again.
pub fn finish_with<V: VectorSearch>(
    source: &V,
    index: &Index,
    prepared: Prepared,
    vector: &[f32],
    mode: Mode,
) -> Result<Ranked, V::Error> {
    let Prepared {
        query,
        k,
        filter,
        mut out,
        done,
        words,
    } = prepared;
    if done {
        return Ok(out);
    }
    // (The lexical ranking stands for a browser's first answer, which has no vector.)
    let lexical = mode == Mode::Lexical;
    match mode {
        Mode::Vector => {
            out.hits = source.nearest(vector, k, &filter)?;
            return Ok(out);
        }
        Mode::Keyword => {
            let p = prepare(index, query, k, &filter, mode, &[]);
            return Ok(Ranked {
                notice: out.notice.or(p.out.notice),
                ..p.out
            });
        }
        Mode::Hybrid | Mode::Lexical => {}
    }
    let read = if lexical { &[][..] } else { vector };
    let words = match words {
        Some(w) if !w.rereads(index, read) => w,
        _ => Box::new(Words::new(index, query, &filter, read)),
    };
    let Words {
        intent,
        kw,
        unknown,
        attr_filter,
        unmatched,
        selection,
        groups,
        mentioned,
        kw_top,
        avoided,
        ..
    } = *words;
    if selection.is_some() {
        out.selection = selection;
    }
    // Lexical: the keyword score stands in for the vector similarity everywhere below
    // (candidates, their order and the score shown).
    // Articles that are not among the vector search's candidates are compared by the
    // codes' estimate (their points may be in partitions nobody fetched); the
    // candidates keep the search's re-scored similarity (`known`, below).
    let estimate = index.estimate(vector);
    let similarity = |i: u32| {
        if lexical {
            kw.get(&i).copied().unwrap_or(0.0)
        } else {
            estimate.of(i)
        }
    };
    let vsearch = |f: &Filter, n: usize| -> Result<Vec<Hit>, V::Error> {
        if lexical {
            Ok(best_by_keywords(index, &kw, f, n))
        } else {
            source.nearest(vector, n, f)
        }
    };
    // The nearest under the shopper's filters, and under the attributes too.
    let mut candidates: Vec<Hit> = match &attr_filter {
        None => vsearch(&filter, CANDIDATES)?,
        Some(af) if lexical => {
            let mut c = vsearch(&filter, CANDIDATES)?;
            c.extend(vsearch(af, CANDIDATES)?);
            c
        }
        Some(af) => {
            let (mut c, more) = source.nearest_two(vector, CANDIDATES, &filter, af)?;
            c.extend(more);
            c
        }
    };
    // Articles mentioning the materials and traits asked for, the nearest first.
    let mut mentioned: Vec<(f32, u32)> =
        mentioned.into_iter().map(|d| (similarity(d), d)).collect();
    mentioned.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.extend(
        mentioned
            .into_iter()
            .take(CANDIDATES)
            .map(|(score, index)| Hit { index, score }),
    );
    let mut seen = IdSet::default();
    let mut pool: Vec<u32> = Vec::new();
    for i in candidates
        .iter()
        .map(|h| h.index)
        .chain(kw_top.iter().map(|h| h.index))
    {
        if seen.insert(i) {
            pool.push(i);
        }
    }
    // What the shopper excluded is never shown; articles mentioning excluded words
    // ("not denim") come after those that do not.
    if !intent.excluded.is_empty() {
        let kept: Vec<u32> = pool
            .iter()
            .copied()
            .filter(|&i| !index.excluded(&intent, i))
            .collect();
        pool = kept;
    }
    // Ranks within the pool.
    let mut known: IdMap<f32> = IdMap::default();
    for h in &candidates {
        known.entry(h.index).or_insert(h.score);
    }
    let cos: IdMap<f32> = pool
        .iter()
        .map(|&i| (i, known.get(&i).copied().unwrap_or_else(|| similarity(i))))
        .collect();
    let mut by_vec = pool.clone();
    by_vec.sort_by(|a, b| cos[b].total_cmp(&cos[a]).then(a.cmp(b)));
    let vrank: IdMap<usize> = by_vec.iter().enumerate().map(|(r, &i)| (i, r)).collect();
    let mut by_kw: Vec<u32> = pool
        .iter()
        .copied()
        .filter(|i| kw.contains_key(i))
        .collect();
    by_kw.sort_by(|a, b| kw[b].total_cmp(&kw[a]).then(a.cmp(b)));
    let krank: IdMap<usize> = by_kw.iter().enumerate().map(|(r, &i)| (i, r)).collect();
    let kw_weight = if intent.has_attributes() {
        1.0
    } else {
        KEYWORD_WEIGHT_WITHOUT_ATTRIBUTES
    };
    // How many of the shopper's own words each pooled article mentions.
    // (Only with attributes recognised: otherwise the vector search leads.)
    let mut focus: IdMap<usize> = IdMap::default();
    if intent.has_attributes() {
        for t in &intent.focus {
            let mut docs = IdSet::default();
            for id in index.keywords.family(t) {
                docs.extend(
                    index
                        .keywords
                        .postings(id)
                        .map(|(d, _)| d)
                        .filter(|d| seen.contains(d)),
                );
            }
            for d in docs {
                *focus.entry(d).or_default() += 1;
            }
        }
    }
    // (tier, shade closeness, excluded words mentioned, own words mentioned, fused, article)
    let mut scored: Vec<(Tier, usize, usize, usize, f32, u32)> = pool
        .iter()
        .map(|&i| {
            let mut fused = 1.0 / (RRF_K + vrank[&i] as f32);
            if let Some(r) = krank.get(&i) {
                fused += kw_weight / (RRF_K + *r as f32);
            }
            let covered = focus.get(&i).copied().unwrap_or(0);
            let avoid = avoided.get(&i).copied().unwrap_or(0);
            let tier = index.tier(&intent, &groups, i);
            (tier, index.closeness(&intent, i), avoid, covered, fused, i)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then(b.3.cmp(&a.3))
            .then(b.4.total_cmp(&a.4))
            .then(a.5.cmp(&b.5))
    });
    // One card per product unless a colour was asked for (then one per product and colour).
    let by_colour = intent.colour_named;
    let mut products = HashSet::new();
    for (_, _, _, _, _, i) in scored {
        if out.hits.len() == k {
            break;
        }
        if products.insert(index.variant_key(i, by_colour)) {
            out.hits.push(Hit {
                index: i,
                score: cos[&i],
            });
        }
    }
    // (The vectors may still find the thing under another name: "necktie", "pj's".)
    let weak = out
        .hits
        .first()
        .is_none_or(|h| lexical || h.score < WEAK_SIMILARITY);
    if unknown && weak && out.notice.is_none() {
        out.suggestions = suggestions(index, SUGGESTIONS);
        out.notice = Some(if out.hits.is_empty() {
            format!("No good matches for “{}”.", query.text)
        } else {
            format!(
                "No good matches for “{}”: these are the nearest items.",
                query.text
            )
        });
    }
    if unmatched && out.notice.is_none() {
        out.notice =
            Some("Nothing matches everything you asked for; showing the closest matches.".into());
    }
    out.understood = intent;
    Ok(out)
}

/// The `n` articles under `filter` with the best keyword scores (articles without one
/// after them, in catalog order): the lexical stand-in for a vector search.
fn best_by_keywords(index: &Index, kw: &IdMap<f32>, filter: &Filter, n: usize) -> Vec<Hit> {
    let hits = (0..index.len() as u32)
        .filter(|&i| filter.matches(&index.facets, i))
        .map(|i| Hit {
            index: i,
            score: kw.get(&i).copied().unwrap_or(0.0),
        })
        .collect();
    Hit::best(hits, n)
}
