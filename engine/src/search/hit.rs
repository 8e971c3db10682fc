//! One search result, and the one order every ranking sorts results by.

/// One result: article number (position in the catalog order) and its score (the cosine
/// similarity for a vector search).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub index: u32,
    pub score: f32,
}

impl Hit {
    /// Best first: the higher score, then the lower article number. A total order, so
    /// every front end breaks ties the same way.
    pub fn rank(a: &Hit, b: &Hit) -> std::cmp::Ordering {
        b.score.total_cmp(&a.score).then(a.index.cmp(&b.index))
    }

    /// The `n` best of `hits`, best first ([`Hit::rank`]): selected, then only they are
    /// sorted — the same list as a full sort and a truncation.
    pub fn best(mut hits: Vec<Hit>, n: usize) -> Vec<Hit> {
        if n == 0 {
            return Vec::new();
        }
        if hits.len() > n {
            hits.select_nth_unstable_by(n - 1, Hit::rank);
            hits.truncate(n);
        }
        hits.sort_by(Hit::rank);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::Hit;

    fn hits(scores: &[f32]) -> Vec<Hit> {
        scores
            .iter()
            .enumerate()
            .map(|(i, &score)| Hit {
                index: (scores.len() - i) as u32,
                score,
            })
            .collect()
    }

    #[test]
    fn best_is_a_full_sort_truncated() {
        // Ties on score (broken by the lower article), a negative zero, every n.
        let all = hits(&[0.5, 0.9, 0.5, -0.0, 0.0, 0.9, 0.1, 0.5, -1.0, 0.7]);
        let mut sorted = all.clone();
        sorted.sort_by(Hit::rank);
        assert_eq!(
            sorted[0],
            Hit {
                index: 5,
                score: 0.9
            }
        );
        assert_eq!(
            sorted[1],
            Hit {
                index: 9,
                score: 0.9
            }
        );
        for n in 0..=all.len() + 2 {
            let want: Vec<Hit> = sorted.iter().copied().take(n).collect();
            assert_eq!(Hit::best(all.clone(), n), want, "n = {n}");
        }
        assert!(Hit::best(Vec::new(), 3).is_empty());
    }
}
