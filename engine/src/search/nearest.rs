//! An [`Index`]'s nearest-neighbour search: the codes' estimates, the points that
//! re-score them (or the graph, or the full vectors), and exact search.

use super::{Filter, Hit, Index, EXACT_SHARE};
use crate::codes::RESCORE;
use crate::graph::PointRef;
use crate::quant::{self, QPoint};

impl Index {
    /// Article `i`'s point: its code's reconstruction plus its partition's residual
    /// (`None`, and the partition recorded as missing, when that is not attached), or
    /// its int8 point in the graph.
    fn point(&self, i: u32) -> Option<Point<'_>> {
        if let Some(codes) = &self.codes {
            let (p, slot) = codes.place(i);
            if let Some(points) = &self.points[p] {
                let mut v = vec![0f32; codes.dim];
                codes.reconstruct(i, &mut v);
                points.add_residual(slot, &mut v);
                return Some(Point::Coded(v));
            }
            if self.graph.is_none() {
                self.missing_points
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(p as u32);
                return None;
            }
        }
        self.graph.as_ref().map(|g| Point::Graph(g.point(i)))
    }

    /// The similarities of articles to `query` as the codes estimate them (no points
    /// read): what orders candidates before they are re-scored.
    pub fn estimate<'a>(&'a self, query: &'a [f32]) -> Estimate<'a> {
        Estimate {
            index: self,
            query,
            table: self
                .codes
                .as_ref()
                .filter(|c| c.dim == query.len())
                .map(|c| c.table(query)),
        }
    }

    /// The best available similarity of article `i` to `query` (0 while its partition
    /// is missing: the ranking is done again once it is attached).
    pub(super) fn score(&self, query: &[f32], i: u32) -> f32 {
        match &self.full {
            Some(v) => quant::dot(query, v.get(i as usize)),
            None => self.point(i).map_or(0.0, |p| p.dot(query)),
        }
    }

    fn top_k(&self, query: &[f32], k: usize, candidates: impl Iterator<Item = u32>) -> Vec<Hit> {
        let hits = candidates
            .map(|index| Hit {
                index,
                score: self.score(query, index),
            })
            .collect();
        Hit::best(hits, k)
    }

    /// Exact search: scores every (matching) article.
    pub fn search_exact(&self, query: &[f32], k: usize, filter: &Filter) -> Vec<Hit> {
        let n = self.len() as u32;
        self.top_k(
            query,
            k,
            (0..n).filter(|&i| filter.matches(&self.facets, i)),
        )
    }

    /// Approximate search: the codes' best [`RESCORE`] (at least `k`) among the matching
    /// articles, re-scored with their points (exact below [`crate::codes::EXACT_BELOW`]
    /// articles); without codes, through the graph,
    /// re-scored with the best vectors available (narrow filters exactly).
    pub fn search(&self, query: &[f32], k: usize, filter: &Filter) -> Vec<Hit> {
        if self.codes.is_some() && self.full.is_none() {
            if self.len() <= crate::codes::EXACT_BELOW {
                return self.search_exact(query, k, filter);
            }
            let estimate = self.estimate(query);
            let everything = filter.is_empty();
            let approx: Vec<(f32, u32)> = (0..self.len() as u32)
                .filter(|&i| everything || filter.matches(&self.facets, i))
                .map(|i| (estimate.of(i), i))
                .collect();
            return self.rescore_best(query, k, approx);
        }
        let matching = (!filter.is_empty()).then(|| self.matching(filter));
        if let Some(m) = &matching {
            if m.len() as f32 <= EXACT_SHARE * self.len() as f32 {
                return self.top_k(query, k, m.iter().copied());
            }
        }
        let Some(graph) = &self.graph else {
            // No graph (yet): the full vectors, if any, answer exactly.
            return match &self.full {
                Some(_) => self.search_exact(query, k, filter),
                None => Vec::new(),
            };
        };
        let q = QPoint::quantize(query);
        // Under a filter only the matching share of the beam survives: widen it so that
        // about `ef_search` matching candidates remain (recall@10 under filters of 70 and
        // 85 % was 0.969 with the graph's own beam).
        let ef = match &matching {
            Some(m) => {
                let share = m.len().max(1) as f64 / self.len().max(1) as f64;
                (graph.ef_search() as f64 / share).ceil() as usize
            }
            None => graph.ef_search(),
        };
        let candidates = graph.candidates_ef(&q, ef);
        let hits = self.top_k(
            query,
            k,
            candidates
                .into_iter()
                .map(|c| c.0)
                .filter(|&i| filter.matches(&self.facets, i)),
        );
        match matching {
            Some(m) if hits.len() < k => self.top_k(query, k, m.into_iter()),
            _ => hits,
        }
    }

    /// [`Index::search`] under two filters, as two calls give them: with the codes, one
    /// pass estimates each article either filter admits once (a query naming attributes
    /// searches under the shopper's filters and under the attributes too).
    pub fn search_two(
        &self,
        query: &[f32],
        k: usize,
        first: &Filter,
        second: &Filter,
    ) -> (Vec<Hit>, Vec<Hit>) {
        if self.codes.is_none() || self.full.is_some() || self.len() <= crate::codes::EXACT_BELOW {
            return (self.search(query, k, first), self.search(query, k, second));
        }
        let estimate = self.estimate(query);
        let (all_first, all_second) = (first.is_empty(), second.is_empty());
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for i in 0..self.len() as u32 {
            let in_first = all_first || first.matches(&self.facets, i);
            let in_second = all_second || second.matches(&self.facets, i);
            if in_first || in_second {
                let e = estimate.of(i);
                if in_first {
                    a.push((e, i));
                }
                if in_second {
                    b.push((e, i));
                }
            }
        }
        (
            self.rescore_best(query, k, a),
            self.rescore_best(query, k, b),
        )
    }

    /// The best [`RESCORE`] (at least `k`) of the codes' estimates `approx`, re-scored
    /// with their points: the `k` best of those.
    fn rescore_best(&self, query: &[f32], k: usize, mut approx: Vec<(f32, u32)>) -> Vec<Hit> {
        let r = k.max(RESCORE).min(approx.len());
        if r > 0 && r < approx.len() {
            approx.select_nth_unstable_by(r - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            approx.truncate(r);
        }
        self.top_k(query, k, approx.into_iter().map(|a| a.1))
    }

    /// Article `index`'s vector, at the best precision loaded: the query of "more like
    /// this" (here and in front ends that search elsewhere, like the server).
    pub fn vector(&self, index: u32) -> Option<Vec<f32>> {
        let i = index as usize;
        match &self.full {
            Some(v) if i < v.len() => Some(v.get(i).to_vec()),
            _ if i < self.len() => Some(self.point(index)?.into_vec()),
            _ => None,
        }
    }
}

/// An article's vector as the ranking scores it.
enum Point<'a> {
    /// Reconstructed from its code and residual ([`crate::codes`]).
    Coded(Vec<f32>),
    /// The graph's int8 point.
    Graph(PointRef<'a>),
}

impl Point<'_> {
    fn dot(&self, query: &[f32]) -> f32 {
        match self {
            Self::Coded(v) => quant::dot(query, v),
            Self::Graph(p) => p.dot_f32(query),
        }
    }

    fn into_vec(self) -> Vec<f32> {
        match self {
            Self::Coded(v) => v,
            Self::Graph(p) => p.q.iter().map(|&x| x as f32 * p.scale).collect(),
        }
    }
}

/// Articles' similarities to one query as [`Index::estimate`] gives them: from the codes
/// when attached (no points needed), else the best available score.
pub struct Estimate<'a> {
    index: &'a Index,
    query: &'a [f32],
    table: Option<Vec<f32>>,
}

impl Estimate<'_> {
    /// Article `i`'s estimated similarity.
    pub fn of(&self, i: u32) -> f32 {
        match (&self.table, &self.index.codes) {
            (Some(t), Some(c)) => c.approx(t, i),
            _ => self.index.score(self.query, i),
        }
    }
}
