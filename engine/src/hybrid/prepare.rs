//! The part of a ranking of words that needs no query vector: the query understood by
//! its words, its keyword scores, the attribute filter and the articles it admits, the
//! keyword groups and the keyword candidates. A browser prepares it while the model
//! embeds the query (in another worker, on another core), so that only the vector's own
//! part is left when the vector arrives; [`super::rank_with`] prepares and finishes in
//! one go, so every front end ranks alike.

use super::{Mode, Query, Ranked, CANDIDATES};
use crate::ids::{IdMap, IdSet};
use crate::lexicon::lexicon;
use crate::search::{Filter, Hit, Index};
use crate::selection::{self, Selection};
use crate::understand::{understand, understand_as, Intent};

/// A ranking prepared up to its vector part ([`prepare`]), finished by
/// [`super::finish_with`].
#[derive(Debug)]
pub struct Prepared<'q> {
    pub(super) query: Query<'q>,
    pub(super) k: usize,
    /// The shopper's filters, relaxed (last first) until something matches.
    pub(super) filter: Filter,
    /// The notice of relaxed filters; the whole answer when `done`.
    pub(super) out: Ranked,
    /// The answer needs no vector (browsing, keyword ranking): `out` is it.
    pub(super) done: bool,
    /// The vector-free part of a hybrid or lexical ranking (`None` for the vector
    /// ranking, and for browsing).
    pub(super) words: Option<Box<Words>>,
}

/// What a ranking of words knows before the vector part.
#[derive(Debug)]
pub(super) struct Words {
    pub intent: Intent,
    pub kw: IdMap<f32>,
    /// Nothing recognised and no word the catalog uses.
    pub unknown: bool,
    pub attr_filter: Option<Filter>,
    /// Nothing has every attribute named (the tiers still order by them).
    pub unmatched: bool,
    pub selection: Option<Selection>,
    /// [`Index::keyword_groups`] of the intent.
    pub groups: Vec<IdSet>,
    /// Articles mentioning what was sought, those matching the most groups (all of
    /// them when few), not yet ordered by similarity.
    pub mentioned: Vec<u32>,
    /// BM25's best under the filters.
    pub kw_top: Vec<Hit>,
    /// How many excluded words each article mentions.
    pub avoided: IdMap<usize>,
    /// Whether a vector was read for the occasion by meaning.
    vector_read: bool,
    /// `Some(the needs the words named)` when the words leave some unexplained, so that
    /// the vector may read the query as an occasion by meaning.
    by_meaning: Option<Vec<&'static str>>,
}

impl Words {
    /// Whether the query's vector `vector` changes the understanding prepared (the
    /// occasion by meaning; a vector-free preparation reads none).
    pub fn rereads(&self, index: &Index, vector: &[f32]) -> bool {
        if self.vector_read {
            vector.is_empty()
        } else {
            !vector.is_empty()
                && self
                    .by_meaning
                    .as_ref()
                    .is_some_and(|named| index.occasion(vector, named).is_some())
        }
    }

    /// The vector-free part of a ranking of words under `filter` (`vector`: the query's
    /// embedding if it is here, for the occasion by meaning; empty for lexical).
    pub fn new(index: &Index, query: Query, filter: &Filter, vector: &[f32]) -> Self {
        let (mut intent, by_meaning) = understand_query(index, query, vector);
        let kw = index.keywords.scores(&term_ids(index, &intent));
        let unknown = !intent.has_attributes()
            && intent.needs.is_empty()
            && intent.excluded.is_empty()
            && kw.is_empty();
        // The attribute filter and the articles it admits (one pass over the catalog).
        let mut gender = true;
        let mut attr_filter = attribute_filter(index, &intent, filter, gender);
        let mut admitted = attr_filter.as_ref().map(|af| index.matching(af));
        if admitted.as_ref().is_some_and(|m| m.is_empty()) && !intent.sections.is_empty() {
            // Sections are a preference: drop them before giving up on the attributes
            // (and from the ranking: a wedding outfit for a boy is not a bride's dress
            // from the tailoring section).
            intent.sections.clear();
            attr_filter = attribute_filter(index, &intent, filter, gender);
            admitted = attr_filter.as_ref().map(|af| index.matching(af));
        }
        if admitted.as_ref().is_some_and(|m| m.is_empty()) && intent.gender.is_some() {
            // So is a boy's or a girl's department (it still ranks first).
            gender = false;
            attr_filter = attribute_filter(index, &intent, filter, gender);
            admitted = attr_filter.as_ref().map(|af| index.matching(af));
        }
        let unmatched = admitted.as_ref().is_some_and(|m| m.is_empty());
        if unmatched {
            attr_filter = None;
            admitted = None;
        }
        // Attributes named (not implied by a need: "something warm" only ranks) select a
        // definite set: "red dress", the red dresses.
        let mut selection = None;
        if attr_filter.is_some() && intent.needs.is_empty() {
            if let Some(attributes) = attribute_filter(index, &intent, &Filter::default(), gender) {
                selection = Some(selection::select(index, filter, &attributes, &intent));
            }
        }
        // Articles mentioning the materials and traits asked for, within the attributes;
        // the details asked for ("midi", "sleeveless") find candidates the same way.
        let groups = index.keyword_groups(&intent);
        let sought: Vec<IdSet> = groups
            .iter()
            .cloned()
            .chain(index.detail_sets(&intent))
            .collect();
        let mut mentioned = Vec::new();
        if !sought.is_empty() {
            let mut inside = vec![admitted.is_none(); index.len()];
            for &d in admitted.iter().flatten() {
                inside[d as usize] = true;
            }
            let mut counts: IdMap<usize> = IdMap::default();
            for g in &sought {
                for &d in g {
                    if inside[d as usize] {
                        *counts.entry(d).or_default() += 1;
                    }
                }
            }
            let mut most_mentioned: Vec<(usize, u32)> = counts
                .into_iter()
                .filter(|(d, _)| admitted.is_some() || filter.matches(&index.facets, *d))
                .map(|(d, n)| (n, d))
                .collect();
            // The articles matching the most groups (all of them when few).
            let most = most_mentioned.iter().map(|m| m.0).max().unwrap_or(0);
            let keep_all = most_mentioned.len() <= CANDIDATES;
            most_mentioned.retain(|m| keep_all || m.0 == most);
            mentioned = most_mentioned.into_iter().map(|(_, d)| d).collect();
        }
        let kw_top = Hit::best(
            kw.iter()
                .filter(|(d, _)| filter.matches(&index.facets, **d))
                .map(|(&index, &score)| Hit { index, score })
                .collect(),
            CANDIDATES,
        );
        let mut avoided: IdMap<usize> = IdMap::default();
        for w in &intent.excluded.words {
            for d in index.mentioning(std::slice::from_ref(w)) {
                *avoided.entry(d).or_default() += 1;
            }
        }
        Self {
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
            vector_read: !vector.is_empty(),
            by_meaning,
        }
    }
}

/// Prepares the ranking of `query` up to its vector part: the filters relaxed, browsing
/// and keyword answers whole, the vector-free part of a hybrid or lexical ranking
/// (`Words`). `vector` is the query's embedding if it is here already (empty if not:
/// [`super::finish_with`] then checks whether its vector reads the query otherwise).
pub fn prepare<'q>(
    index: &Index,
    query: impl Into<Query<'q>>,
    k: usize,
    filter: &Filter,
    mode: Mode,
    vector: &[f32],
) -> Prepared<'q> {
    let query: Query = query.into();
    let mut out = Ranked::default();
    let mut filter = filter.clone();
    // Zero results under the shopper's filters: relax them, last first.
    let mut relaxed = Vec::new();
    while !filter.is_empty() && index.count(&filter) == 0 {
        if let Some(c) = filter.pop() {
            relaxed.push(index.describe(&c));
        }
    }
    if !relaxed.is_empty() {
        out.notice = Some(format!(
            "No articles match {}; showing results without it.",
            relaxed.join(" and ")
        ));
    }
    let mut done = false;
    let mut words = None;
    if query.text.trim().is_empty() {
        // No words, only filters: browse what they select.
        let (hits, selection) = selection::browse(index, &filter, k);
        out.hits = hits;
        out.selection = Some(selection);
        done = true;
    } else {
        match mode {
            Mode::Keyword => {
                let (intent, _) = understand_query(index, query, &[]);
                out.hits = keyword_top(index, &intent, &filter, k);
                out.understood = intent;
                done = true;
            }
            Mode::Vector => {}
            // (The lexical ranking stands for a browser's first answer: no vector.)
            Mode::Lexical => words = Some(Box::new(Words::new(index, query, &filter, &[]))),
            Mode::Hybrid => words = Some(Box::new(Words::new(index, query, &filter, vector))),
        }
    }
    Prepared {
        query,
        k,
        filter,
        out,
        done,
        words,
    }
}

/// [`understand`], and where the words leave some unexplained ("outfit for a rave", "a
/// spa weekend"), the occasion the query's vector is closest to ([`Index::occasion`]),
/// read as if the shopper had named it: when the words named no need, or in place of
/// those they named when the meaning is strongly that occasion ("cycling to *work* in the
/// dark", unless its meaning supports the needs named too: [`Index::occasion`]). (The
/// lexical ranking has no vector: it reads needs by their words alone.) Then the parts the
/// shopper removed are forgotten. Beside the intent: `Some(the needs the words named)`
/// when a vector may read the query as an occasion.
fn understand_query(
    index: &Index,
    query: Query,
    vector: &[f32],
) -> (Intent, Option<Vec<&'static str>>) {
    let mut intent = understand(query.text, &index.facets, &index.keywords);
    let removed = |part: &str| query.ignore.iter().any(|p| p == part);
    let by_meaning = (!(intent.unexplained.is_empty() || removed("occasion"))).then(|| {
        let lex = lexicon();
        let mut named: Vec<&'static str> = Vec::new();
        for n in intent.needs.iter().flat_map(|p| lex.needs_named(p)) {
            if !named.contains(&n) {
                named.push(n);
            }
        }
        named
    });
    if let Some(named) = by_meaning.as_ref().filter(|_| !vector.is_empty()) {
        if let Some(need) = index.occasion(vector, named) {
            intent = understand_as(query.text, &index.facets, &index.keywords, Some(need));
        }
    }
    for part in query.ignore {
        intent.forget(part);
    }
    (intent, by_meaning)
}

fn term_ids(index: &Index, intent: &Intent) -> Vec<(usize, f32)> {
    intent
        .terms
        .iter()
        .filter_map(|(t, w)| index.keywords.term_id(t).map(|id| (id, *w)))
        .collect()
}

fn keyword_top(index: &Index, intent: &Intent, filter: &Filter, k: usize) -> Vec<Hit> {
    let scores = index.keywords.scores(&term_ids(index, intent));
    let hits = scores
        .into_iter()
        .filter(|(d, _)| filter.matches(&index.facets, *d))
        .map(|(index, score)| Hit { index, score })
        .collect();
    Hit::best(hits, k)
}

/// The shopper's filter narrowed to the recognised facet attributes, if any were
/// recognised (`gender`: including a boy's or a girl's department asked for).
fn attribute_filter(index: &Index, intent: &Intent, base: &Filter, gender: bool) -> Option<Filter> {
    let mut f = base.clone();
    let mut narrowed = false;
    let groups: [(&str, &Vec<String>); 5] = [
        ("colour_master", &intent.colours),
        ("product_type", &intent.types),
        ("audience", &intent.audiences),
        ("pattern", &intent.patterns),
        ("section", &intent.sections),
    ];
    for (facet, values) in groups {
        if !values.is_empty() {
            f.require_any(&index.facets, facet, values);
            narrowed = true;
        }
    }
    if let Some(g) = intent.gender.as_ref().filter(|_| gender) {
        if index.facets.position("gender").is_some() {
            f.require_any(&index.facets, "gender", std::slice::from_ref(g));
            narrowed = true;
        }
    }
    narrowed.then_some(f)
}
