//! Query understanding: colours, product types, patterns, materials and audiences
//! recognised in a shopper's words (from the catalog's own vocabularies plus synonyms),
//! needs and occasions ("a ski trip", "keep my hands warm") turned into the product types,
//! sections and traits that answer them, typo correction against the index's vocabulary,
//! and the keyword terms to search. What the words mean is data
//! ([`crate::lexicon`]); this module applies it.

use crate::index::Facets;
use crate::keyword::{stem, words, KeywordIndex};
use crate::lexicon::{lexicon, Meaning, Need};
use crate::needs::apply_needs;
use crate::negation::{negate, roles, Role};
use serde::{Deserialize, Serialize};

/// A shade name the catalog does not use ("ochre", "sage", "cobalt"): the colour
/// families it belongs to, and the colour groups and tones (perceived colour values) that
/// render it best, which rank first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Hue {
    /// Colour families (facet `colour_master`).
    pub colours: Vec<String>,
    /// Colour groups (facet `colour`); empty: any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
    /// Tones (facet `colour_value`); empty: any.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tones: Vec<String>,
}

/// What the shopper said they do not want ("not denim", "without a heel", "isn't black").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Excluded {
    /// The phrases negated, as understood (stemmed: "denim", "heel", "black").
    pub phrases: Vec<String>,
    /// Facet values not wanted, as (facet name, values): an article with one is left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facets: Vec<(String, Vec<String>)>,
    /// Colours not wanted: an article of one of these is left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colours: Vec<Hue>,
    /// Words (stemmed) an article should not mention: those that do rank after those
    /// that do not.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<String>,
}

impl Excluded {
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
            && self.facets.is_empty()
            && self.colours.is_empty()
            && self.words.is_empty()
    }
}

/// What the engine understood of a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Perceived colour families (facet `colour_master`).
    pub colours: Vec<String>,
    /// Whether the shopper named the colours (rather than a need implying them).
    #[serde(skip)]
    pub colour_named: bool,
    /// "Dark" or "Light" when the shopper qualified the colour ("navy", "light blue").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shade: Option<String>,
    /// Colour groups (facet `colour`) that render a named shade best ("ochre": Dark
    /// Yellow, Yellow); they rank first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub colour_groups: Vec<String>,
    /// Tones (facet `colour_value`) that render a named shade best ("ochre": Dark,
    /// Medium Dusty); they rank first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tones: Vec<String>,
    /// The shade names recognised, as said ("ochre", "sage green").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shades: Vec<String>,
    /// Product types (facet `product_type`): named, or answering a need.
    pub types: Vec<String>,
    /// Whether the shopper named the types (rather than a need implying them).
    #[serde(skip)]
    pub type_named: bool,
    /// Audiences (facet `audience`). With a person audience, `Sport` means that
    /// audience's sportswear ("men's running shorts": Men's or Men's sport sections).
    pub audiences: Vec<String>,
    /// Whether the shopper named the audience ("for my son"), rather than a need
    /// implying it: then it ranks before every other attribute.
    #[serde(skip)]
    pub audience_named: bool,
    /// "Boy" or "Girl", matched against the section (boys' / girls' departments).
    pub gender: Option<String>,
    /// Patterns (facet `pattern`).
    pub patterns: Vec<String>,
    /// Sections (facet `section`): "plus size" → H&M+, an interview → the tailoring sections.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Materials, matched as keywords.
    pub materials: Vec<String>,
    /// Details read from descriptions at index time, as (facet, values): "sleeveless"
    /// is sleeve length Sleeveless, "midi" length Midi.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<(String, Vec<String>)>,
    /// Traits a need asks for, each group matched as keywords ("ski trip" → ski, thermal).
    #[serde(default)]
    pub traits: Vec<Vec<String>>,
    /// The needs and occasions recognised ("ski", "gift", "hand", …).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Products the shopper mentioned as context, not as what they want ("hold up my
    /// trousers", "under a skirt").
    #[serde(default)]
    pub context: Vec<String>,
    /// Keyword terms with weights (corrected spellings, synonyms at lower weight).
    pub terms: Vec<(String, f32)>,
    /// The shopper's own descriptive words (stemmed, corrected); an article mentioning
    /// more of them ranks first among equals.
    #[serde(default)]
    pub focus: Vec<String>,
    /// Spelling corrections made, as (typed, used).
    pub corrections: Vec<(String, String)>,
    /// What the shopper does not want (and what an occasion rules out: a bridesmaid's
    /// dress is not white).
    #[serde(default, skip_serializing_if = "Excluded::is_empty")]
    pub excluded: Excluded,
    /// The occasion the query was read as by its meaning (a need of the lexicon, as
    /// [`crate::occasions`] matched it): when its words named no need, or in place of
    /// those they named when the meaning is strongly that occasion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occasion: Option<String>,
    /// Content words no lexicon phrase explains ("techno", "bike", "weekend"): only a
    /// query with some is read as an occasion by its meaning.
    #[serde(skip)]
    pub unexplained: Vec<String>,
}

impl Intent {
    /// Whether any attribute (not just keywords) was recognised.
    pub fn has_attributes(&self) -> bool {
        !(self.colours.is_empty()
            && self.types.is_empty()
            && self.audiences.is_empty()
            && self.patterns.is_empty()
            && self.sections.is_empty()
            && self.details.is_empty()
            && self.traits.is_empty())
    }
}

/// Tokens that are never spelling-corrected (so "tee" is not "tie").
fn lexicon_word(w: &str) -> bool {
    lexicon().has_word(w)
}

/// The consonants of a word, doubled letters once: "sandle" and "sandal" are both
/// "sndl", "hoodey" and "hoody" "hd".
fn skeleton(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars().filter(|c| !"aeiouy".contains(*c)) {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The shopper word of the lexicon that `w` most likely misspells, starting with the same
/// letter (shoppers rarely mistype the first: "flight" is not "light"): within one edit
/// (two for long words), or — for a word the catalog never uses (`unknown`) — with the
/// same consonants, three at least ("sandle", "skrit"; two match too much: "muddy" is not
/// "midi", "haul" not "heel").
fn lexicon_correction(w: &str, unknown: bool) -> Option<&'static str> {
    let n = w.chars().count();
    if n < 4 {
        return None;
    }
    let max = if n >= 8 { 2 } else { 1 };
    let sk = skeleton(w);
    let mut best: Option<(usize, &'static str)> = None;
    for word in lexicon().words.iter().map(String::as_str) {
        let wl = word.chars().count();
        if wl < 4 || wl.abs_diff(n) > 2 || word.chars().next() != w.chars().next() {
            continue;
        }
        let mut d = crate::keyword::edit_distance(w, word, max);
        if d > max && unknown && sk.len() >= 3 && skeleton(word) == sk {
            d = max;
        }
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, word));
        }
    }
    best.map(|b| b.1)
}

/// `w` as two words run together: both shopper words of the lexicon, or one of them and
/// the other a word the catalog uses (not rarely); the first such split, both-lexicon
/// splits before the others.
fn split_joined(w: &str, keywords: &KeywordIndex, rare: u32) -> Option<(String, String)> {
    if w.len() < 6 || !w.is_ascii() {
        return None;
    }
    let used = |x: &str| keywords.term_id(x).is_some_and(|t| keywords.df[t] >= rare);
    let splits = || (3..=w.len() - 3).map(|i| (&w[..i], stem(&w[i..])));
    splits()
        .find(|(a, b)| lexicon_word(a) && lexicon_word(b))
        .or_else(|| {
            splits().find(|(a, b)| (lexicon_word(a) && used(b)) || (used(a) && lexicon_word(b)))
        })
        .map(|(a, b)| (a.to_string(), b))
}

pub(crate) fn push_unique<S: AsRef<str>>(v: &mut Vec<String>, items: &[S]) {
    for i in items {
        let i = i.as_ref();
        if !v.iter().any(|x| x == i) {
            v.push(i.to_string());
        }
    }
}

/// Reads the compiled-in tables that understanding uses (the lexicon, the details) now
/// rather than during the first query: a front end calls it while it waits for the
/// index's files. Calling it again costs nothing.
pub fn prepare() {
    lexicon();
    crate::details::details();
}

/// Understands `query` against the index's vocabularies.
pub fn understand(query: &str, facets: &Facets, keywords: &KeywordIndex) -> Intent {
    understand_as(query, facets, keywords, None)
}

/// [`understand`], reading the query as the need named `occasion` (recognised by meaning:
/// [`crate::occasions`]) in place of any its words named.
pub fn understand_as(
    query: &str,
    facets: &Facets,
    keywords: &KeywordIndex,
    occasion: Option<&str>,
) -> Intent {
    let mut intent = Intent::default();
    let lex = lexicon();
    // Words (stop words kept, flagged), with spelling corrected where a word is unknown to
    // both the lexicon and the index.
    // A word the catalog uses rarely, close to a shopper word, is taken as that word
    // ("leggins", "sandles"); one it does not use at all, as its closest catalog word.
    let rare = (keywords.docs() / 2000).max(3) as u32;
    // Two words run together that the catalog does not use as one ("reddress") are
    // the two words.
    let mut all: Vec<(String, bool)> = Vec::new();
    for (mut w, stop) in words(query) {
        if !(stop || lexicon_word(&w) || lex.filler.contains(&w) || lex.negates(&w)) {
            let df = keywords.term_id(&w).map_or(0, |t| keywords.df[t]);
            if let Some((a, b)) = (df == 0)
                .then(|| split_joined(&w, keywords, rare))
                .flatten()
            {
                intent.corrections.push((w, format!("{a} {b}")));
                all.extend([(a, false), (b, false)]);
                continue;
            }
            let fixed = if df < rare {
                lexicon_correction(&w, df == 0).or_else(|| keywords.correct(&w))
            } else {
                None
            };
            if let Some(fixed) = fixed {
                intent.corrections.push((w.clone(), fixed.to_string()));
                w = fixed.to_string();
            }
        }
        all.push((w, stop));
    }
    // What negates what ("not denim"); the negating words themselves are not content.
    let role = roles(&all);
    // Content words and their positions among all words.
    let content: Vec<usize> = (0..all.len())
        .filter(|&p| !all[p].1 && role[p] != Role::Cue)
        .collect();
    let tokens: Vec<&str> = content.iter().map(|&p| all[p].0.as_str()).collect();
    let known = |facet: &str, v: &str| facets.has_value(facet, v);
    // Whether the product named by content tokens `i..j` is context, not the thing wanted.
    // Where the last phrase of two or more words ends (among all words): a word of such a
    // phrase ("lace *up*") makes no product after it context.
    let phrase_end = std::cell::Cell::new(0usize);
    let is_context = |i: usize, j: usize| {
        let before = all[..content[i]]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, (w, _))| !matches!(w.as_str(), "a" | "an" | "the"))
            .filter(|(p, _)| *p >= phrase_end.get())
            .map(|(_, (w, _))| w.as_str());
        let after = all.get(content[j - 1] + 1).map(|(w, _)| w.as_str());
        before.is_some_and(|w| lex.context_before.iter().any(|x| x == w))
            || after.is_some_and(|w| lex.verb_after.iter().any(|x| x == w))
    };
    let mut needs: Vec<&Need> = Vec::new();
    let mut named_types: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // A negated phrase: what it means becomes an exclusion, never a match.
        if let Role::Negated(unit) = role[content[i]] {
            let len = (i..tokens.len())
                .take_while(|&j| role[content[j]] == Role::Negated(unit))
                .count();
            negate(&tokens[i..i + len].join(" "), &mut intent, facets);
            i += len;
            continue;
        }
        // Longest phrase first (up to three words).
        let mut matched = 0;
        let mut context = false;
        let mut need_words = false;
        // (A phrase never runs into a negated one.)
        let plain = (i..tokens.len())
            .take_while(|&j| role[content[j]] == Role::Plain)
            .count();
        for len in (1..=3.min(plain)).rev() {
            let phrase = tokens[i..i + len].join(" ");
            let meanings = lex.meanings(&phrase);
            if meanings.is_empty() {
                continue;
            }
            matched = len;
            if meanings.iter().any(|m| matches!(m, Meaning::Type(_))) && is_context(i, i + len) {
                context = true;
                intent.context.push(phrase);
                break;
            }
            for m in meanings {
                match m {
                    Meaning::Colour(v) => {
                        push_unique(&mut intent.colours, v);
                        intent.colour_named = true;
                    }
                    Meaning::Shade(s) => intent.shade = Some(s.to_string()),
                    Meaning::ShadeOf(h) => {
                        push_unique(&mut intent.colours, &h.colours);
                        push_unique(&mut intent.colour_groups, &h.groups);
                        push_unique(&mut intent.tones, &h.tones);
                        push_unique(&mut intent.shades, &[&phrase]);
                        intent.colour_named = true;
                    }
                    Meaning::Type(v) => {
                        let v: Vec<&str> = v
                            .iter()
                            .map(String::as_str)
                            .filter(|t| known("product_type", t))
                            .collect();
                        push_unique(&mut named_types, &v)
                    }
                    Meaning::Audience(a, g) => {
                        push_unique(&mut intent.audiences, &[a]);
                        intent.audience_named = true;
                        if let Some(g) = g {
                            intent.gender = Some(g.to_string());
                        }
                    }
                    Meaning::Pattern(v) => push_unique(&mut intent.patterns, v),
                    Meaning::Section(v) => push_unique(&mut intent.sections, v),
                    Meaning::Detail(f, v) => add_detail(&mut intent.details, f, v),
                    Meaning::Material => push_unique(&mut intent.materials, &[&phrase]),
                    Meaning::MaterialOf(m) => push_unique(&mut intent.materials, &[m]),
                    Meaning::Need(n) => {
                        needs.push(n);
                        push_unique(&mut intent.needs, &[lex.written(&phrase)]);
                        need_words = true;
                    }
                    Meaning::Expand(terms) => {
                        for t in terms.iter() {
                            let t = stem(t);
                            if !intent.terms.iter().any(|x| x.0 == t) {
                                intent.terms.push((t, 0.5));
                            }
                        }
                    }
                }
            }
            break;
        }
        let len = matched.max(1);
        if matched == 0 && !lex.filler.iter().any(|f| f == tokens[i]) {
            intent.unexplained.push(tokens[i].to_string());
        }
        if matched > 1 {
            phrase_end.set(content[i + len - 1] + 1);
        }
        if !context {
            for t in &tokens[i..i + len] {
                let t = t.to_string();
                if !need_words && !lex.filler.contains(&t) && !intent.focus.contains(&t) {
                    intent.focus.push(t.clone());
                }
                match intent.terms.iter_mut().find(|x| x.0 == t) {
                    Some(x) => x.1 = 1.0,
                    None => intent.terms.push((t, 1.0)),
                }
            }
        }
        i += len;
    }
    // A shopper speaking of themselves ("I need…", "for me") with no audience named
    // means grown-up sizes.
    let first_person = all
        .iter()
        .any(|(w, _)| matches!(w.as_str(), "i" | "im" | "me" | "my" | "myself"));
    apply_needs(
        &mut intent,
        needs,
        named_types,
        first_person,
        occasion,
        facets,
    );
    // "baby" with "boy"/"girl" is a baby, not a kid.
    if intent.audiences.iter().any(|a| a == "Baby") {
        intent.audiences.retain(|a| a != "Kids");
    }
    intent.colours.retain(|c| known("colour_master", c));
    intent.patterns.retain(|p| known("pattern", p));
    intent.sections.retain(|s| known("section", s));
    intent.details.retain_mut(|(f, values)| {
        values.retain(|v| known(f, v));
        !values.is_empty()
    });
    intent
}

/// Adds detail values of facet `facet` to `details`.
pub(crate) fn add_detail(details: &mut Vec<(String, Vec<String>)>, facet: &str, values: &[String]) {
    match details.iter_mut().find(|(f, _)| f == facet) {
        Some((_, have)) => push_unique(have, values),
        None => details.push((facet.to_string(), values.to_vec())),
    }
}

/// Whether the audiences name a person (not only `Sport`).
pub fn names_person(audiences: &[String]) -> bool {
    audiences
        .iter()
        .any(|a| lexicon().person_audiences.contains(a))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Article;

    fn catalog() -> (Facets, KeywordIndex) {
        let mk = |name: &str, t: &str, group: &str, section: &str| Article {
            prod_name: name.into(),
            product_type_name: t.into(),
            perceived_colour_master_name: "Black".into(),
            index_group_name: group.into(),
            section_name: section.into(),
            ..Article::default()
        };
        let mut articles = Vec::new();
        for _ in 0..5 {
            articles.extend([
                mk(
                    "Slim trousers",
                    "Trousers",
                    "Menswear",
                    "Men Suits & Tailoring",
                ),
                mk("Leather belt", "Belt", "Menswear", "Men Accessories"),
                mk("Braces", "Braces", "Menswear", "Men Accessories"),
                mk("Running shorts", "Shorts", "Sport", "Men H&M Sport"),
                mk("Sneakers", "Sneakers", "Ladieswear", "Womens Shoes"),
                mk("Boots", "Boots", "Ladieswear", "Womens Shoes"),
                mk("Sandals", "Sandals", "Ladieswear", "Womens Shoes"),
                mk(
                    "Wool scarf",
                    "Scarf",
                    "Ladieswear",
                    "Womens Big accessories",
                ),
                mk(
                    "Slippers",
                    "Slippers",
                    "Ladieswear",
                    "Womens Nightwear, Socks & Tigh",
                ),
                mk(
                    "Necklace",
                    "Necklace",
                    "Ladieswear",
                    "Womens Small accessories",
                ),
                mk("Gloves", "Gloves", "Ladieswear", "Womens Big accessories"),
                mk("Blazer", "Blazer", "Ladieswear", "Womens Tailoring"),
            ]);
        }
        (
            Facets::from_articles(&articles),
            KeywordIndex::build(&articles).0,
        )
    }

    #[test]
    fn a_product_named_as_context_is_not_the_product_wanted() {
        let (f, k) = catalog();
        let i = understand("something to hold up my trousers", &f, &k);
        assert_eq!(i.types, ["Belt", "Braces"]);
        assert_eq!(i.context, ["trouser"]);
        assert!(!i.terms.iter().any(|t| t.0 == "trouser"));
        let i = understand("shoes to go with my blazer", &f, &k);
        assert!(i.types.contains(&"Sneakers".to_string()));
        assert!(!i.types.contains(&"Blazer".to_string()));
    }

    #[test]
    fn needs_give_types_and_narrow_named_ones() {
        let (f, k) = catalog();
        assert_eq!(understand("keep my hands warm", &f, &k).types, ["Gloves"]);
        let i = understand("comfortable shoes for walking", &f, &k);
        assert_eq!(i.types, ["Sneakers"]);
        assert_eq!(i.traits.len(), 1);
        // Two needs sharing types narrow each other.
        let i = understand("cosy gift for grandma", &f, &k);
        assert_eq!(i.audiences, ["Ladies"]);
        assert!(i
            .types
            .iter()
            .all(|t| ["Scarf", "Gloves", "Slippers"].contains(&t.as_str())));
        // A gift for her may be jewellery; for him, not.
        assert!(understand("a gift for my wife", &f, &k)
            .types
            .contains(&"Necklace".to_string()));
        assert!(!understand("a gift for my husband", &f, &k)
            .types
            .contains(&"Necklace".to_string()));
        let i = understand("an outfit for a job interview", &f, &k);
        assert_eq!(i.sections, ["Womens Tailoring", "Men Suits & Tailoring"]);
        assert!(!i.colour_named);
    }

    #[test]
    fn sport_words_add_sportswear_to_the_audience() {
        let (f, k) = catalog();
        let i = understand("men's running shorts", &f, &k);
        assert_eq!(i.audiences, ["Men", "Sport"]);
        assert_eq!(i.traits, [vec!["running".to_string()]]);
        assert_eq!(understand("gym", &f, &k).audiences, ["Sport"]);
    }

    #[test]
    fn rare_words_close_to_shopper_words_are_corrected() {
        let (f, k) = catalog();
        let i = understand("sandles", &f, &k);
        assert_eq!(
            i.corrections,
            [("sandle".to_string(), "sandal".to_string())]
        );
        assert_eq!(i.types, ["Sandals"]);
        assert_eq!(skeleton("hoodey"), skeleton("hoody"));
        assert_eq!(lexicon_correction("skrit", true), Some("skirt"));
        // Real words are not misspellings of words that sound different ("moody" is not
        // "midi"), nor of words with another first letter ("plight" is not "light").
        assert_eq!(lexicon_correction("moodi", true), None);
        assert_eq!(lexicon_correction("plight", true), None);
        // Filler words are left alone.
        assert!(understand("my first coat", &f, &k).corrections.is_empty());
    }

    /// Skirts, sandals, dresses and tops in a few colours, patterns and tones.
    fn wardrobe() -> (Facets, KeywordIndex) {
        let mk =
            |name: &str, t: &str, pattern: &str, colour: (&str, &str, &str), desc: &str| Article {
                prod_name: name.into(),
                product_type_name: t.into(),
                graphical_appearance_name: pattern.into(),
                colour_group_name: colour.0.into(),
                perceived_colour_master_name: colour.1.into(),
                perceived_colour_value_name: colour.2.into(),
                index_group_name: "Ladieswear".into(),
                detail_desc: desc.into(),
                ..Article::default()
            };
        let black = ("Black", "Black", "Dark");
        let white = ("White", "White", "Light");
        let ochre = ("Dark Yellow", "Yellow", "Medium Dusty");
        let mut articles = Vec::new();
        for _ in 0..5 {
            articles.extend([
                mk(
                    "Denim skirt",
                    "Skirt",
                    "Denim",
                    black,
                    "Short skirt in washed denim.",
                ),
                mk(
                    "Jersey skirt",
                    "Skirt",
                    "Solid",
                    white,
                    "Skirt in soft jersey.",
                ),
                mk(
                    "Heeled sandals",
                    "Heeled sandals",
                    "Solid",
                    black,
                    "Heel 8 cm.",
                ),
                mk("Flat sandals", "Sandals", "Solid", ochre, "Flat sandals."),
                mk(
                    "Shirt dress",
                    "Dress",
                    "Solid",
                    ("Dark Blue", "Blue", "Dark"),
                    "Long sleeves.",
                ),
                mk(
                    "Strappy dress",
                    "Dress",
                    "Solid",
                    ochre,
                    "Sleeveless with shoulder straps.",
                ),
                mk(
                    "Vest top",
                    "Vest top",
                    "Front print",
                    white,
                    "Sleeveless top with a print.",
                ),
            ]);
        }
        (
            Facets::from_articles(&articles),
            KeywordIndex::build(&articles).0,
        )
    }

    #[test]
    fn negated_phrases_are_excluded_never_matched() {
        let (f, k) = wardrobe();
        let i = understand("a skirt but not denim", &f, &k);
        assert_eq!(i.types, ["Skirt"]);
        assert_eq!(i.excluded.phrases, ["denim"]);
        assert!(i
            .excluded
            .facets
            .contains(&("pattern".into(), vec!["Denim".into()])));
        assert!(i.excluded.words.contains(&"denim".to_string()));
        assert!(!i.terms.iter().any(|t| t.0 == "denim" || t.0 == "not"));
        assert!(!i.materials.contains(&"denim".to_string()));
        // A heel: not a heeled type, and flat is the opposite.
        let i = understand("sandals without a heel", &f, &k);
        assert!(i
            .excluded
            .facets
            .iter()
            .any(|(f, v)| f == "product_type" && v.contains(&"Heeled sandals".to_string())));
        assert!(i.traits.contains(&vec!["flat".to_string()]));
        // Colours: the family and the groups named after it; "navy" is a dark blue.
        let i = understand("a dress that isn't black or navy", &f, &k);
        assert_eq!(i.types, ["Dress"]);
        assert!(i.colours.is_empty(), "excluded colours are not wanted ones");
        assert_eq!(i.excluded.colours.len(), 2);
        assert_eq!(i.excluded.colours[1].colours, ["Blue"]);
        assert_eq!(i.excluded.colours[1].tones, ["Dark"]);
        // "No sleeves" means sleeveless; the word "no" matches nothing.
        let i = understand("a top with no sleeves", &f, &k);
        assert!(i
            .traits
            .iter()
            .any(|t| t.contains(&"sleeveless".to_string())));
        assert!(!i.terms.iter().any(|t| t.0 == "no" || t.0 == "sleeve"));
    }

    #[test]
    fn shades_name_their_colour_groups_and_tones() {
        let (f, k) = wardrobe();
        let i = understand("ochre dress", &f, &k);
        assert_eq!(i.colours, ["Yellow"], "families the index knows");
        assert_eq!(i.colour_groups, ["Dark Yellow", "Yellow"]);
        assert_eq!(i.tones, ["Dark", "Medium Dusty"]);
        assert_eq!(i.shades, ["ochre"]);
        assert!(i.colour_named);
        assert_eq!(
            understand("sage green dress", &f, &k).shades,
            ["sage green"]
        );
    }
}
