//! What a search selects, when it selects something definite: the articles its filters
//! and the attributes understood in its words admit ("red dress": the red dresses), less
//! what it excludes. Its size in cards ("139 red dresses") and its facet counts are what
//! the page shows beside a ranking; a search that only ranks ("something warm") selects
//! nothing definite and says "best matches" instead.

use crate::api::{facet_counts_over, FacetCounts};
use crate::search::{Filter, Hit, Index};
use crate::understand::Intent;
use std::collections::HashSet;

/// The set a search selects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// Cards in the set under the shopper's filters (one per product, or per product and
    /// colour when a colour was asked for — as the results show them).
    pub total: usize,
    /// Facet counts over the set, each facet under the shopper's other filters; `None`
    /// while some facet column is not attached (a browser's first answer).
    pub facets: Option<Vec<FacetCounts>>,
}

/// How many cards `members` make (one per product, or per product and colour).
pub fn cards(index: &Index, members: impl IntoIterator<Item = u32>, by_colour: bool) -> usize {
    members
        .into_iter()
        .map(|i| index.variant_key(i, by_colour))
        .collect::<HashSet<_>>()
        .len()
}

/// Browsing without words: the first `k` products `filter` selects, in catalog order
/// (one card each, its first colour), and the set's size.
pub fn browse(index: &Index, filter: &Filter, k: usize) -> (Vec<Hit>, Selection) {
    let members = index.matching(filter);
    let mut seen = HashSet::new();
    let hits = members
        .iter()
        .filter(|&&i| seen.insert(index.variant_key(i, false)))
        .take(k)
        .map(|&index| Hit { index, score: 0.0 })
        .collect();
    let selection = Selection {
        total: cards(index, members.iter().copied(), false),
        // The catalog's counts under the filters: what `facet_counts` gives already.
        facets: None,
    };
    (hits, selection)
}

/// The set of a search whose words named attributes: `attributes` is the filter of
/// those attributes alone (without the shopper's filters), `filter` the shopper's.
pub fn select(index: &Index, filter: &Filter, attributes: &Filter, intent: &Intent) -> Selection {
    let excludes = !intent.excluded.is_empty();
    let members: Vec<u32> = index
        .matching(attributes)
        .into_iter()
        .filter(|&i| !excludes || !index.excluded(intent, i))
        .collect();
    let total = cards(
        index,
        members
            .iter()
            .copied()
            .filter(|&i| filter.matches(&index.facets, i)),
        intent.colour_named,
    );
    let facets = index
        .facets
        .absent()
        .is_empty()
        .then(|| facet_counts_over(index, filter, &members));
    Selection { total, facets }
}
