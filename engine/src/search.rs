//! Query-time search over a loaded index: the codes' scan with re-scoring (or a graph
//! search), exact search, facet filters and "more like this".

use crate::codes::{Codes, Points};
use crate::index::{Facets, FileRef, Graph, IndexError, Manifest, Vectors};
use crate::keyword::KeywordIndex;
use crate::occasions::OccasionVectors;
use std::collections::BTreeSet;
use std::sync::Mutex;

mod hit;
mod nearest;
mod understood;
pub use hit::Hit;
pub use nearest::Estimate;
pub use understood::Tier;

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

    /// Adds "the facet is one of `values`" (values the index does not know are ignored;
    /// if none is known the clause matches nothing).
    pub fn require_any(&mut self, facets: &Facets, name: &str, values: &[String]) {
        let Some(pos) = facets.facets.iter().position(|f| f.name == name) else {
            return;
        };
        let facet = &facets.facets[pos];
        let codes: Vec<u16> = values
            .iter()
            .filter_map(|v| {
                facet
                    .values
                    .iter()
                    .position(|x| x == v)
                    .map(|c| c as u16 + 1)
            })
            .collect();
        self.clauses.push((pos, codes));
    }

    /// The filter without its clause on facet number `facet` (for facet counts).
    pub fn without_facet(&self, facet: usize) -> Self {
        Self {
            clauses: self
                .clauses
                .iter()
                .filter(|c| c.0 != facet)
                .cloned()
                .collect(),
        }
    }

    /// The clauses as `(facet name, allowed values)`, for translating the filter into
    /// another store's query language (an empty value list matches nothing).
    pub fn named_clauses(&self, facets: &Facets) -> Vec<(String, Vec<String>)> {
        self.clauses
            .iter()
            .map(|(f, codes)| {
                let facet = &facets.facets[*f];
                let values = codes
                    .iter()
                    .filter_map(|&c| facet.values.get((c as usize).checked_sub(1)?).cloned())
                    .collect();
                (facet.name.clone(), values)
            })
            .collect()
    }

    /// Removes and returns the last clause.
    pub fn pop(&mut self) -> Option<(usize, Vec<u16>)> {
        self.clauses.pop()
    }

    pub fn matches(&self, facets: &Facets, index: u32) -> bool {
        self.clauses
            .iter()
            .all(|(f, codes)| codes.contains(&facets.code(*f, index)))
    }

    /// Every article matching, in order: [`Filter::matches`] of each, read a column at a
    /// time (the first clause's column picks, the others' narrow) when every column the
    /// filter reads is attached; article by article otherwise, so that the columns read
    /// while missing are recorded as [`Filter::matches`] records them.
    pub fn matching(&self, facets: &Facets) -> Vec<u32> {
        let n = facets.articles;
        let attached = self
            .clauses
            .iter()
            .all(|&(f, _)| f < facets.facets.len() && facets.has_column(f));
        if !attached {
            return (0..n).filter(|&i| self.matches(facets, i)).collect();
        }
        // Each clause as its column and which codes it allows.
        let clauses: Vec<(&[u16], Vec<bool>)> = self
            .clauses
            .iter()
            .map(|(f, codes)| {
                let top = codes.iter().copied().max().map_or(0, usize::from);
                let mut allowed = vec![false; top + 1];
                for &c in codes {
                    allowed[usize::from(c)] = true;
                }
                (facets.facets[*f].codes.as_slice(), allowed)
            })
            .collect();
        let allows = |allowed: &[bool], code: u16| allowed.get(usize::from(code)) == Some(&true);
        let Some(((first, allowed), rest)) = clauses.split_first() else {
            return (0..n).collect();
        };
        let mut members: Vec<u32> = (0..n)
            .zip(first.iter())
            .filter(|&(_, &c)| allows(allowed, c))
            .map(|(i, _)| i)
            .collect();
        for (column, allowed) in rest {
            members.retain(|&i| allows(allowed, column[i as usize]));
        }
        members
    }
}

/// Whether `value` is one of `list` (a missing value is none).
fn is_among(value: Option<&str>, list: &[String]) -> bool {
    value.is_some_and(|v| list.iter().any(|x| x == v))
}

/// Where ranking gets its nearest neighbours: the index's own graph, exact search, or an
/// external vector store (the server's Qdrant). Scores must be cosine similarities.
pub trait VectorSearch {
    type Error;
    /// The `k` articles nearest to the unit vector `query` among those matching `filter`.
    fn nearest(&self, query: &[f32], k: usize, filter: &Filter) -> Result<Vec<Hit>, Self::Error>;

    /// [`VectorSearch::nearest`] under two filters, exactly as two calls give them; a
    /// source that can share the work of both (one pass over the codes) does so.
    fn nearest_two(
        &self,
        query: &[f32],
        k: usize,
        first: &Filter,
        second: &Filter,
    ) -> Result<(Vec<Hit>, Vec<Hit>), Self::Error> {
        Ok((
            self.nearest(query, k, first)?,
            self.nearest(query, k, second)?,
        ))
    }
}

/// The index's HNSW graph (exact among the matches when a filter is narrow).
pub struct GraphSearch<'a>(pub &'a Index);

/// Brute force over every matching article.
pub struct ExactSearch<'a>(pub &'a Index);

impl VectorSearch for GraphSearch<'_> {
    type Error = std::convert::Infallible;
    fn nearest(&self, query: &[f32], k: usize, filter: &Filter) -> Result<Vec<Hit>, Self::Error> {
        Ok(self.0.search(query, k, filter))
    }

    fn nearest_two(
        &self,
        query: &[f32],
        k: usize,
        first: &Filter,
        second: &Filter,
    ) -> Result<(Vec<Hit>, Vec<Hit>), Self::Error> {
        Ok(self.0.search_two(query, k, first, second))
    }
}

impl VectorSearch for ExactSearch<'_> {
    type Error = std::convert::Infallible;
    fn nearest(&self, query: &[f32], k: usize, filter: &Filter) -> Result<Vec<Hit>, Self::Error> {
        Ok(self.0.search_exact(query, k, filter))
    }
}

fn inconsistent(file: &FileRef, message: &str) -> IndexError {
    IndexError::Inconsistent {
        file: file.path.clone(),
        message: message.into(),
    }
}

/// A filter matching at most this share of the catalog is searched exactly: the graph's
/// candidates thin out under a filter (at 20–50 % of the catalog its top 10 lost up to 3 %
/// recall), while a scan of the matching articles costs at most about what a graph walk
/// does in the browser (int8 vectors) and a few times it natively (f32 re-scoring).
/// docs/BENCHMARKS.md, "Under filters of every selectivity", has the figures.
const EXACT_SHARE: f32 = 0.60;

/// A loaded index, ready to answer queries.
///
/// It is loaded in parts, so that a browser can answer before every byte has arrived:
/// [`Index::lexical`] (facets and keywords: keyword ranking, filters, facet counts), then
/// [`Index::attach_codes`] (every article's compact code: vector and hybrid ranking) and
/// the partitions of points (residuals) the candidates fall in ([`Index::attach_points`]: a
/// ranking that reads a partition not attached records it, see
/// [`Index::take_missing_points`]). [`Index::attach_graph`] (the HNSW graph with every
/// article's int8 point) searches the graph instead, when no codes are attached;
/// [`Index::attach_full_vectors`] gives f32 scores (exact search).
pub struct Index {
    pub manifest: Manifest,
    pub facets: Facets,
    pub keywords: KeywordIndex,
    /// The HNSW graph, once attached; it also holds every article's int8 point.
    graph: Option<Graph>,
    /// Full-precision vectors, where loaded (native); re-scoring uses them.
    full: Option<Vectors>,
    /// Occasion descriptions' vectors, attached with the graph (when the index has them).
    occasions: Option<OccasionVectors>,
    /// Every article's code and partition, once attached.
    codes: Option<Codes>,
    /// Each partition's points, as attached.
    points: Vec<Option<Points>>,
    /// Partitions a ranking read while they were not attached.
    missing_points: Mutex<BTreeSet<u32>>,
}

impl Index {
    /// The keyword part alone: facets and the BM25 vocabulary, checked against the
    /// manifest (sizes here; every container's CRC-32 as it decodes). Postings arrive
    /// by bucket ([`Index::attach_postings`]).
    pub fn lexical(manifest: Manifest, facets: &[u8], keywords: &[u8]) -> Result<Self, IndexError> {
        let files = &manifest.files;
        files.facets.check_size(facets)?;
        files.keywords.check_size(keywords)?;
        let facets = Facets::decode(&files.facets, facets)?;
        let keywords = KeywordIndex::decode(&files.keywords, keywords)?;
        let n = manifest.articles as usize;
        if facets.articles as usize != n {
            return Err(inconsistent(
                &files.facets,
                "article count differs from the manifest",
            ));
        }
        if keywords.docs() != n {
            return Err(inconsistent(
                &files.keywords,
                "article count differs from the manifest",
            ));
        }
        if facets.facets.len() != files.facet_columns.len() {
            return Err(inconsistent(
                &files.facets,
                "its facets are not the ones whose columns the manifest lists",
            ));
        }
        if keywords.bucket_count() != files.postings.len() {
            return Err(inconsistent(
                &files.keywords,
                "its buckets of postings are not the ones the manifest lists",
            ));
        }
        Ok(Self {
            manifest,
            facets,
            keywords,
            graph: None,
            full: None,
            occasions: None,
            codes: None,
            points: Vec::new(),
            missing_points: Mutex::default(),
        })
    }

    /// Adds bucket `n` of the keyword postings (the manifest's `postings[n]`).
    pub fn attach_postings(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        let file = crate::index::nth(&self.manifest.files.postings, n, "bucket of postings")?;
        file.check_size(bytes)?;
        self.keywords.attach(n, file, bytes)
    }

    /// Adds facet number `n`'s column of article values (the manifest's
    /// `facet_columns[n]`).
    pub fn attach_facet_column(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        let file = crate::index::nth(&self.manifest.files.facet_columns, n, "facet column")?;
        file.check_size(bytes)?;
        self.facets.attach_column(n, file, bytes)
    }

    /// Adds the HNSW graph (and with it every article's int8 point).
    pub fn attach_graph(
        &mut self,
        bytes: &[u8],
        ef_search: Option<usize>,
    ) -> Result<(), IndexError> {
        let file = &self.manifest.files.graph;
        file.check_size(bytes)?;
        let graph = Graph::decode(file, bytes, ef_search)?;
        if graph.dim != self.manifest.model.dim as usize {
            return Err(inconsistent(file, "dimension differs from the manifest"));
        }
        if graph.len() != self.len() {
            return Err(inconsistent(file, "point count differs from the manifest"));
        }
        self.graph = Some(graph);
        Ok(())
    }

    /// Adds every article's code and partition (the manifest's `codes`).
    pub fn attach_codes(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        let file = &self.manifest.files.codes;
        file.check_size(bytes)?;
        let codes = Codes::decode(file, bytes)?;
        if codes.dim != self.manifest.model.dim as usize || codes.len() != self.len() {
            return Err(inconsistent(
                file,
                "code count or dimension differs from the manifest",
            ));
        }
        if codes.partitions() != self.manifest.files.points.len() {
            return Err(inconsistent(
                file,
                "its partitions are not the ones whose points the manifest lists",
            ));
        }
        self.points = vec![None; codes.partitions()];
        self.codes = Some(codes);
        Ok(())
    }

    /// Adds partition `n`'s points (the manifest's `points[n]`; after the codes).
    pub fn attach_points(&mut self, n: usize, bytes: &[u8]) -> Result<(), IndexError> {
        let file = crate::index::nth(&self.manifest.files.points, n, "partition of points")?;
        let Some(codes) = &self.codes else {
            return Err(IndexError::Manifest(
                "partitions of points are attached after the codes".into(),
            ));
        };
        file.check_size(bytes)?;
        let points = Points::decode(file, bytes, n, codes.members(n), codes.dim)?;
        let bits = self.manifest.codes.point_bits;
        if points.bits() != bits {
            return Err(IndexError::Inconsistent {
                file: file.path.clone(),
                message: format!(
                    "its points have {} bits a component, the manifest says {bits}",
                    points.bits()
                ),
            });
        }
        self.points[n] = Some(points);
        Ok(())
    }

    /// Whether partition `n`'s points are attached.
    pub fn has_points(&self, n: usize) -> bool {
        self.points.get(n).is_some_and(Option::is_some)
    }

    /// Whether some partition's points are missing (with the codes attached).
    pub fn lacks_points(&self) -> bool {
        self.codes.is_some() && self.points.iter().any(Option::is_none)
    }

    /// The partitions read since the last call while they were not attached (ascending).
    pub fn take_missing_points(&self) -> Vec<u32> {
        let mut m = self
            .missing_points
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *m).into_iter().collect()
    }

    /// Adds the occasion descriptions' vectors (the manifest's `occasions`).
    pub fn attach_occasions(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        let Some(file) = &self.manifest.files.occasions else {
            return Err(IndexError::Manifest(
                "the index lists no occasions file".into(),
            ));
        };
        file.check_size(bytes)?;
        let o = OccasionVectors::decode(file, bytes, self.manifest.model.dim as usize)?;
        self.occasions = Some(o);
        Ok(())
    }

    /// The occasion `query` (a unit vector) reads as by meaning, given the needs its
    /// words named ([`OccasionVectors::read`]); `None` without the occasions file.
    pub fn occasion(&self, query: &[f32], named: &[&str]) -> Option<&str> {
        self.occasions.as_ref()?.read(query, named)
    }

    /// Adds the full-precision vectors (exact search and re-scoring).
    pub fn attach_full_vectors(&mut self, bytes: &[u8]) -> Result<(), IndexError> {
        let file = &self.manifest.files.vectors;
        file.check_size(bytes)?;
        let v = Vectors::decode(file, bytes)?;
        if v.len() != self.len() || v.dim != self.manifest.model.dim as usize {
            return Err(inconsistent(
                file,
                "vector count or dimension differs from the manifest",
            ));
        }
        self.full = Some(v);
        Ok(())
    }

    /// Whether the codes (or the graph, or the full vectors) are attached: vector and
    /// hybrid ranking need them.
    pub fn has_vectors(&self) -> bool {
        self.graph.is_some() || self.full.is_some() || self.codes.is_some()
    }

    pub fn len(&self) -> usize {
        self.facets.articles as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether full-precision vectors are loaded.
    pub fn has_full_vectors(&self) -> bool {
        self.full.is_some()
    }

    /// Number of articles matching `filter`.
    pub fn count(&self, filter: &Filter) -> usize {
        (0..self.len() as u32)
            .filter(|&i| filter.matches(&self.facets, i))
            .count()
    }

    /// The articles matching `filter`, in catalog order.
    pub fn matching(&self, filter: &Filter) -> Vec<u32> {
        filter.matching(&self.facets)
    }

    /// A filter clause as `facet=value|value`.
    pub fn describe(&self, clause: &(usize, Vec<u16>)) -> String {
        let f = &self.facets.facets[clause.0];
        let values: Vec<&str> = clause
            .1
            .iter()
            .filter_map(|&c| {
                f.values
                    .get((c as usize).checked_sub(1)?)
                    .map(String::as_str)
            })
            .collect();
        format!("{}={}", f.name, values.join("|"))
    }

    /// Cosine similarity of article `i` to a unit `query` vector (best precision available).
    pub fn similarity(&self, query: &[f32], i: u32) -> f32 {
        self.score(query, i)
    }

    fn facet_value(&self, facet: &str, i: u32) -> Option<&str> {
        self.facets.value(facet, i)
    }

    /// Identifies a card: the product, and its colour when colours are kept apart.
    pub fn variant_key(&self, i: u32, by_colour: bool) -> (u32, u16) {
        let product = self.facets.product.get(i as usize).copied().unwrap_or(i);
        let colour = if by_colour {
            self.facets
                .position("colour")
                .map_or(0, |f| self.facets.code(f, i))
        } else {
            0
        };
        (product, colour)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Article;

    fn facets() -> Facets {
        let types = ["Dress", "Skirt", "Top", "Coat", "Shirt"];
        let colours = ["Black", "Red", "Blue", "White"];
        let articles: Vec<Article> = (0..240)
            .map(|i| Article {
                article_id: format!("{i:04}"),
                product_code: format!("p{}", i / 3),
                product_type_name: types[(i / 3) % 5].into(),
                colour_group_name: colours[(i * 7) % 4].into(),
                ..Article::default()
            })
            .collect();
        Facets::from_articles(&articles)
    }

    fn filter(f: &Facets, clauses: &[(&str, &[&str])]) -> Filter {
        let mut filter = Filter::default();
        for (name, values) in clauses {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            filter.require_any(f, name, &values);
        }
        filter
    }

    #[test]
    fn matching_reads_columns_as_matches_reads_articles() {
        let f = facets();
        let cases: [&[(&str, &[&str])]; 6] = [
            &[],
            &[("colour", &["Red"])],
            &[("colour", &["Red", "Blue"]), ("product_type", &["Dress"])],
            &[("product_type", &["Coat", "Top"]), ("colour", &["White"])],
            // Two clauses on one facet, and a value the catalog lacks (matches nothing).
            &[("colour", &["Red", "Black"]), ("colour", &["Black"])],
            &[("colour", &["Mauve"])],
        ];
        for clauses in cases {
            let filter = filter(&f, clauses);
            let expected: Vec<u32> = (0..f.articles).filter(|&i| filter.matches(&f, i)).collect();
            assert_eq!(filter.matching(&f), expected, "{clauses:?}");
        }
        assert_eq!(filter(&f, &[]).matching(&f).len(), 240);
        assert!(filter(&f, &[("colour", &["Mauve"])])
            .matching(&f)
            .is_empty());
    }

    #[test]
    fn matching_without_a_column_records_it_as_missing() {
        let f = facets();
        let file = FileRef {
            path: "facets.bin".into(),
            bytes: 0,
            sha256: String::new(),
        };
        let bare = Facets::decode(&file, &f.encode()).unwrap();
        let colour = f.position("colour").unwrap();
        let red = filter(&f, &[("colour", &["Red"])]);
        assert!(
            red.matching(&bare).is_empty(),
            "no column: no value, so no match"
        );
        assert_eq!(bare.take_missing(), [colour as u32]);
    }
}
