//! Negation in a query: the words that negate ("not", "without", "isn't", "-free",
//! "anything but") and the phrases they negate ("a skirt but not *denim*", "a dress that
//! isn't *black* or *navy*"), so query understanding can exclude what the shopper does
//! not want and the vector query can leave it out. The negation words are data (the
//! lexicon's `negation`); a negated phrase is the longest lexicon phrase at that point,
//! else one word.

use crate::index::Facets;
use crate::keyword::stem;
use crate::keyword::word_spans;
use crate::lexicon::{lexicon, Meaning};
use crate::understand::{add_detail, push_unique, Excluded, Hue, Intent};

/// What a word of a query does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Plain,
    /// A word that negates, or a small word inside a negation ("not *a* heel", "*or*").
    Cue,
    /// A word of the `n`th negated phrase.
    Negated(usize),
}

/// The role of each of `words` ((word, stop word), as [`crate::keyword::words`] gives
/// them).
pub(crate) fn roles(words: &[(String, bool)]) -> Vec<Role> {
    let neg = &lexicon().negation;
    let n = words.len();
    let is = |list: &[String], w: &str| list.iter().any(|x| x == w);
    let before = |p: usize| {
        let w = words[p].0.as_str();
        is(&neg.before, w)
            || (w == "but"
                && words[..p].iter().any(|(x, _)| is(&neg.but_after, x))
                && !words.get(p + 1).is_some_and(|(x, _)| is(&neg.before, x)))
    };
    let mut roles = vec![Role::Plain; n];
    let mut unit = 0;
    let mut p = 0;
    while p < n {
        if is(&neg.after, &words[p].0) && p > 0 && !words[p - 1].1 && roles[p - 1] == Role::Plain {
            // "nickel-free": the word before.
            roles[p] = Role::Cue;
            roles[p - 1] = Role::Negated(unit);
            unit += 1;
            p += 1;
            continue;
        }
        if !before(p) {
            p += 1;
            continue;
        }
        roles[p] = Role::Cue;
        let mut q = p + 1;
        loop {
            // Small words and further negations before the phrase ("but not a").
            while q < n && (words[q].1 || before(q)) && !is(&neg.joiners, &words[q].0) {
                roles[q] = Role::Cue;
                q += 1;
            }
            let phrase = phrase_at(words, q);
            if phrase == 0 {
                break;
            }
            for r in &mut roles[q..q + phrase] {
                *r = Role::Negated(unit);
            }
            unit += 1;
            q += phrase;
            // "a black one"
            if words.get(q).is_some_and(|(w, _)| w == "one" || w == "ones") {
                roles[q] = Role::Cue;
                q += 1;
            }
            // "not black or navy": the joiner carries the negation on.
            let mut r = q;
            while r < n && matches!(words[r].0.as_str(), "a" | "an" | "the" | "any") {
                r += 1;
            }
            if r < n && is(&neg.joiners, &words[r].0) {
                for x in &mut roles[q..=r] {
                    *x = Role::Cue;
                }
                q = r + 1;
                continue;
            }
            break;
        }
        p = q.max(p + 1);
    }
    roles
}

/// How many words the negated phrase starting at `p` has: the longest phrase the
/// lexicon knows (up to three content words), else one; 0 when there is no content word.
fn phrase_at(words: &[(String, bool)], p: usize) -> usize {
    let lex = lexicon();
    let mut end = p;
    while end < words.len() && end - p < 3 && !words[end].1 && !lex.negates(&words[end].0) {
        end += 1;
    }
    (p + 1..=end)
        .rev()
        .find(|&e| {
            let phrase: Vec<&str> = words[p..e].iter().map(|(w, _)| w.as_str()).collect();
            lex.knows(&phrase.join(" "))
        })
        .map_or((end > p) as usize, |e| e - p)
}

/// The text to embed for `query`: the query without its negations ("a skirt but not
/// denim" → "a skirt"), so the vector search looks for what is wanted, not for what is
/// not. A query without negations is returned as it is.
pub fn embedding_text(query: &str) -> String {
    let spans = word_spans(query);
    let words: Vec<(String, bool)> = spans.iter().map(|(_, w, s)| (w.clone(), *s)).collect();
    let mut roles = roles(&words);
    if roles.iter().all(|r| *r == Role::Plain) {
        return query.to_string();
    }
    // Small words leading into a negation go with it ("a top *with* no sleeves").
    for p in 0..roles.len() {
        if roles[p] == Role::Cue {
            let mut q = p;
            while q > 0 && roles[q - 1] == Role::Plain && words[q - 1].1 {
                roles[q - 1] = Role::Cue;
                q -= 1;
            }
        }
    }
    let mut out = String::new();
    let mut last = 0;
    for ((span, _, _), role) in spans.iter().zip(&roles) {
        if *role != Role::Plain {
            out.push_str(&query[last..span.start]);
            last = span.end;
        }
    }
    out.push_str(&query[last..]);
    let tidy = out
        .split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .collect::<Vec<_>>()
        .join(" ");
    let tidy = tidy.trim_end_matches(|c: char| !c.is_alphanumeric());
    if tidy.is_empty() {
        // Nothing but negations ("not black"): anything, the exclusions do the rest.
        "clothing".to_string()
    } else {
        tidy.to_string()
    }
}

/// Records that the shopper does not want `phrase` (stemmed words): the lexicon's
/// negated meaning where it has one ("no sleeves": sleeveless; "without a heel": not a
/// heeled type, flat), else the phrase's own attributes and words.
pub(crate) fn negate(phrase: &str, intent: &mut Intent, facets: &Facets) {
    let lex = lexicon();
    let ex = &mut intent.excluded;
    push_unique(&mut ex.phrases, &[phrase]);
    let exclude = |ex: &mut Excluded, facet: &str, values: &[String]| {
        exclude_values(ex, facets, facet, values)
    };
    let own_words = || phrase.split(' ').map(str::to_string).collect::<Vec<_>>();
    if let Some(n) = lex.negated(phrase) {
        for (facet, values) in &n.exclude {
            exclude(ex, facet, values);
        }
        let words = n.words.clone().unwrap_or_else(own_words);
        push_unique(
            &mut ex.words,
            &words.iter().map(|w| stem(w)).collect::<Vec<_>>(),
        );
        let traits: Vec<String> = n.traits.iter().map(|t| stem(t)).collect();
        if !traits.is_empty() && !intent.traits.contains(&traits) {
            intent.traits.push(traits);
        }
        push_unique(&mut intent.patterns, &n.patterns);
        for (facet, values) in &n.details {
            add_detail(&mut intent.details, facet, values);
        }
        return;
    }
    let mut hue = Hue::default();
    for m in lex.meanings(phrase) {
        match m {
            Meaning::Colour(v) => {
                push_unique(&mut hue.colours, v);
                // The colour groups named after it too ("white": Off White).
                if let Some(f) = facets.get("colour") {
                    let named: Vec<String> = f
                        .values
                        .iter()
                        .filter(|g| {
                            g.to_lowercase()
                                .split(' ')
                                .any(|w| phrase.split(' ').any(|p| p == w))
                        })
                        .cloned()
                        .collect();
                    exclude(ex, "colour", &named);
                }
            }
            Meaning::Shade(s) => push_unique(&mut hue.tones, &[s]),
            Meaning::ShadeOf(h) => ex.colours.push(h.clone()),
            Meaning::Type(v) => exclude(ex, "product_type", v),
            Meaning::Pattern(v) => exclude(ex, "pattern", v),
            Meaning::Section(v) => exclude(ex, "section", v),
            Meaning::Audience(a, _) => exclude(ex, "audience", std::slice::from_ref(a)),
            Meaning::Need(n) if n.sport => exclude(ex, "audience", &["Sport".to_string()]),
            Meaning::Detail(f, v) => exclude(ex, f, v),
            Meaning::Need(_) | Meaning::Material | Meaning::MaterialOf(_) | Meaning::Expand(_) => {}
        }
    }
    if !hue.colours.is_empty() {
        ex.colours.push(hue);
    }
    push_unique(&mut ex.words, &own_words());
}

/// Adds `values` of `facet` (those the index has) to what is excluded.
pub(crate) fn exclude_values(ex: &mut Excluded, facets: &Facets, facet: &str, values: &[String]) {
    let Some(f) = facets.get(facet) else {
        return;
    };
    let values: Vec<String> = values
        .iter()
        .filter(|v| f.values.contains(v))
        .cloned()
        .collect();
    if values.is_empty() {
        return;
    }
    match ex.facets.iter_mut().find(|(name, _)| name == facet) {
        Some((_, have)) => push_unique(have, &values),
        None => ex.facets.push((facet.to_string(), values)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyword::words;

    fn negated(q: &str) -> Vec<String> {
        let w = words(q);
        let r = roles(&w);
        let mut out: Vec<String> = Vec::new();
        let mut last = None;
        for (i, role) in r.iter().enumerate() {
            if let Role::Negated(u) = role {
                if last == Some(*u) {
                    let s = out.last_mut().unwrap();
                    s.push(' ');
                    s.push_str(&w[i].0);
                } else {
                    out.push(w[i].0.clone());
                }
                last = Some(*u);
            }
        }
        out
    }

    #[test]
    fn negations_find_what_they_negate() {
        assert_eq!(negated("a skirt but not denim"), ["denim"]);
        assert_eq!(negated("sandals without a heel"), ["heel"]);
        assert_eq!(negated("a top with no sleeves"), ["sleeve"]);
        assert_eq!(negated("non-wired bra"), ["wired"]);
        assert_eq!(
            negated("a dress that isn't black or navy"),
            ["black", "navy"]
        );
        assert_eq!(negated("trainers that aren't white"), ["white"]);
        assert_eq!(negated("any jumper but a black one"), ["black"]);
        assert_eq!(negated("nickel-free earrings"), ["nickel"]);
        assert_eq!(negated("leggings but not for sport"), ["sport"]);
        assert_eq!(negated("neither black nor navy"), ["black", "navy"]);
        assert_eq!(negated("t-shirt with no print or logo"), ["print", "logo"]);
        // "but" alone is not a negation; nor are words that merely contain one.
        assert!(negated("warm but light coat").is_empty());
        assert!(negated("knot front top").is_empty());
        assert!(negated("red dress").is_empty());
    }

    #[test]
    fn the_vector_query_leaves_the_negation_out() {
        assert_eq!(embedding_text("a skirt but not denim"), "a skirt");
        assert_eq!(embedding_text("a top with no sleeves"), "a top");
        assert_eq!(
            embedding_text("black trousers, not jeans"),
            "black trousers"
        );
        assert_eq!(embedding_text("trainers that aren't white"), "trainers");
        assert_eq!(embedding_text("any jumper but a black one"), "any jumper");
        assert_eq!(embedding_text("Red Dress"), "Red Dress");
        assert_eq!(embedding_text("not black"), "clothing");
    }
}
