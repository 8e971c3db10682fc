//! Query-time search over a loaded index: graph search with re-scoring, exact search,
//! facet filters and "more like this".

use crate::index::{Facets, FileRef, Graph, IndexError, Manifest, Vectors};
use crate::quant::{self, QPoint};

/// One result: article number (position in the catalog order) and cosine similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub index: u32,
    pub score: f32,
}

/// A conjunction of facet constraints; within a facet any of the listed values matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// (facet position in [`Facets::facets`], allowed value codes)
    clauses: Vec<(usize, Vec<u16>)>,
}

impl Filter {
    /// Resolves `(facet name, value)` pairs against the index's facets.
    pub fn parse<'a>(
        facets: &Facets,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self, IndexError> {
        let mut clauses: Vec<(usize, Vec<u16>)> = Vec::new();
        for (name, value) in pairs {
            let pos = facets
                .facets
                .iter()
                .position(|f| f.name == name)
                .ok_or_else(|| IndexError::UnknownFacet(name.to_string()))?;
            let facet = &facets.facets[pos];
            let code = facet
                .values
                .iter()
                .position(|v| v.eq_ignore_ascii_case(value))
                .ok_or_else(|| IndexError::UnknownFacetValue {
                    facet: name.to_string(),
                    value: value.to_string(),
                })? as u16
                + 1;
            match clauses.iter_mut().find(|c| c.0 == pos) {
                Some(c) => c.1.push(code),
                None => clauses.push((pos, vec![code])),
            }
        }
        Ok(Self { clauses })
    }

    pub fn is_empty(&self) -> bool {
        self.clauses.is_empty()
    }

    pub fn matches(&self, facets: &Facets, index: u32) -> bool {
        self.clauses
            .iter()
            .all(|(f, codes)| codes.contains(&facets.facets[*f].codes[index as usize]))
    }
}

/// A filter matching at most this share of the catalog is searched exactly.
const EXACT_SHARE: f32 = 0.10;

/// A loaded index, ready to answer queries.
pub struct Index {
    pub manifest: Manifest,
    pub facets: Facets,
    graph: Graph,
    /// Quantized vectors by article number (from the graph's points).
    points: Vec<QPoint>,
    /// Full-precision vectors, where loaded (native); re-scoring uses them.
    full: Option<Vectors>,
}

impl Index {
    /// Loads an index from the bytes of its files, checking each against the manifest.
    /// `vectors` (full precision) is optional: browsers skip it.
    pub fn load(
        manifest: Manifest,
        graph: &[u8],
        facets: &[u8],
        vectors: Option<&[u8]>,
        ef_search: Option<usize>,
    ) -> Result<Self, IndexError> {
        let files = &manifest.files;
        files.graph.check(graph)?;
        files.facets.check(facets)?;
        let graph = Graph::decode(&files.graph, graph, ef_search)?;
        let facets = Facets::decode(&files.facets, facets)?;
        let full = match vectors {
            Some(bytes) => {
                files.vectors.check(bytes)?;
                Some(Vectors::decode(&files.vectors, bytes)?)
            }
            None => None,
        };
        let n = manifest.articles as usize;
        let inconsistent = |file: &FileRef, message: String| IndexError::Inconsistent {
            file: file.path.clone(),
            message,
        };
        if facets.articles as usize != n {
            return Err(inconsistent(
                &files.facets,
                "article count differs from the manifest".into(),
            ));
        }
        if graph.dim != manifest.model.dim as usize {
            return Err(inconsistent(
                &files.graph,
                "dimension differs from the manifest".into(),
            ));
        }
        if let Some(v) = &full {
            if v.len() != n || v.dim != graph.dim {
                return Err(inconsistent(
                    &files.vectors,
                    "vector count or dimension differs from the manifest".into(),
                ));
            }
        }
        let mut points: Vec<Option<QPoint>> = vec![None; n];
        for (index, p) in graph.points() {
            match points.get_mut(index as usize) {
                Some(slot) if p.q.len() == graph.dim => *slot = Some(p.clone()),
                _ => {
                    return Err(inconsistent(
                        &files.graph,
                        format!("point for article {index} is out of range"),
                    ))
                }
            }
        }
        let points = points
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| inconsistent(&files.graph, "some articles have no point".into()))?;
        Ok(Self {
            manifest,
            facets,
            graph,
            points,
            full,
        })
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// Whether full-precision vectors are loaded.
    pub fn has_full_vectors(&self) -> bool {
        self.full.is_some()
    }

    /// The best available similarity of article `i` to `query`.
    fn score(&self, query: &[f32], i: u32) -> f32 {
        match &self.full {
            Some(v) => quant::dot(query, v.get(i as usize)),
            None => self.points[i as usize].dot_f32(query),
        }
    }

    fn top_k(&self, query: &[f32], k: usize, candidates: impl Iterator<Item = u32>) -> Vec<Hit> {
        let mut hits: Vec<Hit> = candidates
            .map(|index| Hit {
                index,
                score: self.score(query, index),
            })
            .collect();
        let k = k.min(hits.len());
        if k == 0 {
            return Vec::new();
        }
        hits.select_nth_unstable_by(k - 1, |a, b| {
            b.score.total_cmp(&a.score).then(a.index.cmp(&b.index))
        });
        hits.truncate(k);
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.index.cmp(&b.index)));
        hits
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

    /// Approximate search through the graph, re-scored with the best vectors available.
    /// Narrow filters are answered exactly, so filtered results are the true best matches.
    pub fn search(&self, query: &[f32], k: usize, filter: &Filter) -> Vec<Hit> {
        if !filter.is_empty() {
            let matching = (0..self.len() as u32)
                .filter(|&i| filter.matches(&self.facets, i))
                .count();
            if matching as f32 <= EXACT_SHARE * self.len() as f32 {
                return self.search_exact(query, k, filter);
            }
        }
        let q = QPoint::quantize(query);
        let candidates = self.graph.candidates(&q);
        let hits = self.top_k(
            query,
            k,
            candidates
                .into_iter()
                .map(|c| c.0)
                .filter(|&i| filter.matches(&self.facets, i)),
        );
        if hits.len() < k && !filter.is_empty() {
            return self.search_exact(query, k, filter);
        }
        hits
    }

    /// "More like this": the nearest neighbours of article `index`, without a model call.
    pub fn similar(&self, index: u32, k: usize, filter: &Filter) -> Vec<Hit> {
        if index as usize >= self.len() {
            return Vec::new();
        }
        let query: Vec<f32> = match &self.full {
            Some(v) => v.get(index as usize).to_vec(),
            None => {
                let p = &self.points[index as usize];
                p.q.iter().map(|&x| x as f32 * p.scale).collect()
            }
        };
        let mut hits = self.search(&query, k + 1, filter);
        hits.retain(|h| h.index != index);
        hits.truncate(k);
        hits
    }
}
