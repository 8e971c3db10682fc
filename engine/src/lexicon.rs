//! The lexicon: what shoppers say and what it means in the catalog — colours, shades,
//! product types, audiences, patterns, sections, materials, needs and occasions. Data,
//! not code: `engine/data/lexicon.json`, compiled in and read once; phrases are looked up
//! by map. [`crate::understand`] applies it.

use crate::keyword::{stem, STOPWORDS};
use crate::understand::Hue;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

/// A need or occasion: what answers it. Types, colours, audiences and sections apply only
/// when the shopper did not name their own; traits always add a keyword group.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Need {
    /// Its name in the file's `needs` (empty for a need written inline in a phrase).
    #[serde(skip)]
    pub name: String,
    pub types: Vec<String>,
    pub colours: Vec<String>,
    pub patterns: Vec<String>,
    pub audiences: Vec<String>,
    pub sections: Vec<String>,
    pub traits: Vec<String>,
    /// More keyword groups, each counted on its own: a prom dress is long *and* in an
    /// evening fabric.
    pub trait_groups: Vec<Vec<String>>,
    /// Sportswear (adds the Sport audience).
    pub sport: bool,
    /// A gift: the types depend on who it is for.
    pub gift: bool,
    /// Facet values that do not answer it (facet name → values), unless the shopper
    /// named them: a bridesmaid does not wear white.
    pub exclude: BTreeMap<String, Vec<String>>,
    /// The audiences `exclude` is for (empty: every one); naming another audience lifts
    /// it: a wedding guest does not wear white, a page boy may.
    pub exclude_for: Vec<String>,
    /// Details that answer it, as (facet, values), unless the shopper named that facet's
    /// own: a bridesmaid's dress is long (length Maxi or Midi).
    pub details: Vec<(String, Vec<String>)>,
    /// What answers it for some types only: the first entry whose types hold every type
    /// the query settled on replaces `traits` and adds its details. A warm coat is padded,
    /// a warm dress is knitted and long-sleeved.
    pub for_types: Vec<ForTypes>,
}

/// Traits and details of a need for some product types only ([`Need::for_types`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct ForTypes {
    pub types: Vec<String>,
    pub traits: Vec<String>,
    pub details: Vec<(String, Vec<String>)>,
}

/// What a negated phrase means ("without a heel", "no sleeves"), where it is more than
/// "not the phrase's own attributes".
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub(crate) struct Negated {
    /// Facet values that are not wanted (facet name → values).
    pub exclude: BTreeMap<String, Vec<String>>,
    /// Words an article should not mention (`None`: the phrase's own words).
    pub words: Option<Vec<String>>,
    /// Words that say the opposite ("no sleeves" → sleeveless), matched as a trait.
    pub traits: Vec<String>,
    /// Patterns that say the opposite ("no print" → solid).
    pub patterns: Vec<String>,
    /// Detail values that say the opposite ("no sleeves" → sleeve length sleeveless), as
    /// (facet, values).
    pub details: Vec<(String, Vec<String>)>,
}

/// The words that negate what follows ("not", "without"), or what precedes ("-free").
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NegationWords {
    pub before: Vec<String>,
    pub after: Vec<String>,
    /// "but" negates after these ("anything but black").
    pub but_after: Vec<String>,
    /// Carry a negation on to the next phrase ("not black or navy").
    pub joiners: Vec<String>,
}

/// What a phrase means.
#[derive(Debug)]
pub(crate) enum Meaning {
    /// Perceived colour families.
    Colour(Vec<String>),
    /// "Dark" or "Light": the shade of a named colour.
    Shade(String),
    /// A shade name: colour families, preferring some colour groups and tones.
    ShadeOf(Hue),
    /// A detail read from descriptions at index time: (facet, values) — "sleeveless",
    /// "midi", "lace-up".
    Detail(String, Vec<String>),
    /// Sections of the catalog ("plus size" → H&M+).
    Section(Vec<String>),
    /// A material named by another word ("woolly" → wool).
    MaterialOf(String),
    /// A need or occasion (boxed: a need is large).
    Need(Box<Need>),
    Type(Vec<String>),
    /// An audience, and for kids which of boys or girls.
    Audience(String, Option<String>),
    Pattern(Vec<String>),
    /// The phrase is itself a material.
    Material,
    /// Extra keyword terms to search for.
    Expand(Vec<String>),
}

/// The lexicon, expanded (groups resolved, needs in place).
#[derive(Debug)]
pub(crate) struct Lexicon {
    /// Phrase (stemmed words joined by spaces) → its meanings, in file order.
    phrases: HashMap<String, Vec<Meaning>>,
    /// Phrase (stemmed) → as the file first writes it ("christma" → "christmas").
    written: HashMap<String, String>,
    /// Every word of every phrase, first appearance first (spelling corrections prefer
    /// the earliest of equally close words).
    pub words: Vec<String>,
    word_set: HashSet<String>,
    /// Words before a product that make it context ("hold up *my* trousers").
    pub context_before: Vec<String>,
    /// Words after a product word that make it a verb ("*tie* my hair back").
    pub verb_after: Vec<String>,
    /// Words that describe no article: left out of the focus terms.
    pub filler: Vec<String>,
    /// The audiences that name a person (not only `Sport`).
    pub person_audiences: Vec<String>,
    /// Grown-up sizes ("I need…").
    pub adults: Vec<String>,
    pub gift_types: Vec<String>,
    pub gift_ladies_types: Vec<String>,
    pub gift_kids_types: Vec<String>,
    pub baby_gift_types: Vec<String>,
    pub negation: NegationWords,
    /// Negated phrase → what its negation means, where the default does not do.
    negated: HashMap<String, Negated>,
    /// Need name → the need.
    needs: HashMap<String, Need>,
}

/// A phrase as the lexicon looks it up: its words as a query's words are understood
/// (stemmed), so that the file can say "christmas" or "sleeves" and match what a query's
/// "christmas" becomes ("christma"). A stop word is an error: understanding reads only
/// a query's other words, so a phrase with one ("maid of honour") could never match.
fn key(phrase: &str) -> Result<String, String> {
    let mut out = Vec::new();
    for w in phrase.split(' ') {
        if STOPWORDS.contains(&w) {
            return Err(format!(
                "phrase {phrase:?}: {w:?} is a stop word, which understanding never reads; \
                 write the phrase without it"
            ));
        }
        out.push(stem(w));
    }
    Ok(out.join(" "))
}

/// The lexicon (read from the compiled-in file on first use).
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        // The file is part of the build; `tests::the_lexicon_loads` keeps it valid.
        Lexicon::parse(include_str!("../data/lexicon.json"))
            .unwrap_or_else(|e| panic!("engine/data/lexicon.json: {e}"))
    })
}

impl Lexicon {
    pub fn meanings(&self, phrase: &str) -> &[Meaning] {
        self.phrases.get(phrase).map_or(&[], Vec::as_slice)
    }

    pub fn has_word(&self, w: &str) -> bool {
        self.word_set.contains(w)
    }

    /// The need named `name` (an occasion recognised by meaning names one).
    pub fn need(&self, name: &str) -> Option<&Need> {
        self.needs.get(name)
    }

    /// `phrase` (as understood: stemmed) as the lexicon writes it: what `understood`
    /// shows ("christmas", not "christma").
    pub fn written<'a>(&'a self, phrase: &'a str) -> &'a str {
        self.written.get(phrase).map_or(phrase, String::as_str)
    }

    /// The names of the needs `phrase` (as stemmed or as written) names; "" for a need
    /// written in place ("hand": gloves), which no occasion describes.
    pub fn needs_named<'a>(&'a self, phrase: &str) -> impl Iterator<Item = &'a str> {
        let key = key(phrase).unwrap_or_default();
        self.meanings(&key).iter().filter_map(|m| match m {
            Meaning::Need(n) => Some(n.name.as_str()),
            _ => None,
        })
    }

    /// What negating `phrase` means, when the lexicon says.
    pub fn negated(&self, phrase: &str) -> Option<&Negated> {
        self.negated.get(phrase)
    }

    /// Whether `phrase` is a phrase of the lexicon (or has a negated meaning).
    pub fn knows(&self, phrase: &str) -> bool {
        self.phrases.contains_key(phrase) || self.negated.contains_key(phrase)
    }

    /// Whether `w` is a negation word of any kind.
    pub fn negates(&self, w: &str) -> bool {
        let n = &self.negation;
        [&n.before, &n.after, &n.joiners]
            .iter()
            .any(|l| l.iter().any(|x| x == w))
    }

    fn parse(text: &str) -> Result<Self, String> {
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let expand = |list: &[String]| -> Result<Vec<String>, String> {
            let mut out = Vec::new();
            for item in list {
                match item.strip_prefix('@') {
                    Some(name) => out.extend(
                        file.groups
                            .get(name)
                            .ok_or_else(|| format!("no group {name:?}"))?
                            .iter()
                            .cloned(),
                    ),
                    None => out.push(item.clone()),
                }
            }
            Ok(out)
        };
        let need = |name: &str, n: &Need| -> Result<Need, String> {
            Ok(Need {
                name: name.to_string(),
                types: expand(&n.types)?,
                colours: expand(&n.colours)?,
                patterns: expand(&n.patterns)?,
                audiences: expand(&n.audiences)?,
                sections: expand(&n.sections)?,
                traits: expand(&n.traits)?,
                trait_groups: n
                    .trait_groups
                    .iter()
                    .map(|g| expand(g))
                    .collect::<Result<_, _>>()?,
                sport: n.sport,
                gift: n.gift,
                exclude: n
                    .exclude
                    .iter()
                    .map(|(facet, values)| Ok((facet.clone(), expand(values)?)))
                    .collect::<Result<_, String>>()?,
                exclude_for: expand(&n.exclude_for)?,
                details: n.details.clone(),
                for_types: n
                    .for_types
                    .iter()
                    .map(|f| {
                        Ok(ForTypes {
                            types: expand(&f.types)?,
                            traits: expand(&f.traits)?,
                            details: f.details.clone(),
                        })
                    })
                    .collect::<Result<_, String>>()?,
            })
        };
        let group = |name: &str| expand(&[format!("@{name}")]);
        let mut phrases: HashMap<String, Vec<Meaning>> = HashMap::new();
        let mut written = HashMap::new();
        let mut words = Vec::new();
        let mut word_set = HashSet::new();
        for (phrase, spec) in &file.phrases {
            let meaning = match spec {
                Spec::Colour(v) => Meaning::Colour(expand(v)?),
                Spec::Shade(s) => Meaning::Shade(s.clone()),
                Spec::ShadeOf(h) => Meaning::ShadeOf(h.clone()),
                Spec::Detail((facet, values)) => Meaning::Detail(facet.clone(), values.clone()),
                Spec::Section(v) => Meaning::Section(expand(v)?),
                Spec::MaterialOf(m) => Meaning::MaterialOf(m.clone()),
                Spec::Need(NeedSpec::Named(name)) => Meaning::Need(Box::new(need(
                    name,
                    file.needs
                        .get(name)
                        .ok_or_else(|| format!("{phrase:?}: no need {name:?}"))?,
                )?)),
                Spec::Need(NeedSpec::Inline(n)) => Meaning::Need(Box::new(need("", n)?)),
                Spec::Type(v) => Meaning::Type(expand(v)?),
                Spec::Audience(v) => match v.as_slice() {
                    [a] => Meaning::Audience(a.clone(), None),
                    [a, g] => Meaning::Audience(a.clone(), Some(g.clone())),
                    _ => return Err(format!("{phrase:?}: an audience is [who] or [who, gender]")),
                },
                Spec::Pattern(v) => Meaning::Pattern(expand(v)?),
                Spec::Material => Meaning::Material,
                Spec::Expand(v) => Meaning::Expand(expand(v)?),
            };
            let written_as = phrase;
            let phrase = key(phrase)?;
            for w in phrase.split(' ') {
                if word_set.insert(w.to_string()) {
                    words.push(w.to_string());
                }
            }
            if phrase != *written_as {
                written
                    .entry(phrase.clone())
                    .or_insert_with(|| written_as.clone());
            }
            phrases.entry(phrase).or_default().push(meaning);
        }
        let mut needs = HashMap::new();
        for (name, n) in &file.needs {
            needs.insert(name.clone(), need(name, n)?);
        }
        let mut negated = HashMap::new();
        for (phrase, n) in file.negated {
            let phrase = key(&phrase)?;
            for w in phrase.split(' ') {
                if word_set.insert(w.to_string()) {
                    words.push(w.to_string());
                }
            }
            if negated.insert(phrase.clone(), n).is_some() {
                return Err(format!("negated {phrase:?} is listed twice"));
            }
        }
        Ok(Self {
            phrases,
            written,
            needs,
            negated,
            negation: file.negation,
            words,
            word_set,
            context_before: file.context_before,
            verb_after: file.verb_after,
            filler: file.filler,
            person_audiences: file.person_audiences,
            adults: group("adults")?,
            gift_types: group("gift_types")?,
            gift_ladies_types: group("gift_ladies_types")?,
            gift_kids_types: group("gift_kids_types")?,
            baby_gift_types: group("baby_gift_types")?,
        })
    }
}

/// `engine/data/lexicon.json` as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[allow(dead_code)]
    about: String,
    groups: BTreeMap<String, Vec<String>>,
    needs: BTreeMap<String, Need>,
    context_before: Vec<String>,
    verb_after: Vec<String>,
    filler: Vec<String>,
    person_audiences: Vec<String>,
    negation: NegationWords,
    negated: Vec<(String, Negated)>,
    phrases: Vec<(String, Spec)>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Spec {
    Colour(Vec<String>),
    Shade(String),
    ShadeOf(Hue),
    Detail((String, Vec<String>)),
    Section(Vec<String>),
    MaterialOf(String),
    Need(NeedSpec),
    Type(Vec<String>),
    Audience(Vec<String>),
    Pattern(Vec<String>),
    Material,
    Expand(Vec<String>),
}

/// A need by name (`needs` in the file) or written in place.
#[derive(Deserialize)]
#[serde(untagged)]
enum NeedSpec {
    Named(String),
    Inline(Box<Need>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lexicon_loads() {
        let l = Lexicon::parse(include_str!("../data/lexicon.json")).unwrap();
        assert_eq!(
            l.meanings("navy").len(),
            3,
            "a phrase may mean several things"
        );
        assert!(matches!(l.meanings("dress"), [Meaning::Type(t)] if t == &["Dress"]));
        // Phrases are looked up as a query's words are understood: stemmed.
        assert_eq!(l.needs_named("christma").collect::<Vec<_>>(), ["christmas"]);
        assert_eq!(l.needs_named("race").collect::<Vec<_>>(), ["garden_party"]);
        assert!(l.meanings("christmas").is_empty());
        assert_eq!(l.written("christma"), "christmas");
        assert_eq!(l.written("dress"), "dress");
        assert_eq!(
            l.needs_named("christmas").collect::<Vec<_>>(),
            ["christmas"]
        );
        let [Meaning::Need(warm)] = l.meanings("warm") else {
            panic!("warm is a need");
        };
        assert!(
            warm.types.iter().any(|t| t == "Coat"),
            "groups are expanded"
        );
        assert!(l.has_word("tee") && l.has_word("off") && !l.has_word("xylophone"));
        assert_eq!(l.adults, ["Ladies", "Men", "Sport"]);
    }

    #[test]
    fn bad_lexicons_are_errors() {
        let base = r#"{"about":"","groups":{},"needs":{},"context_before":[],"verb_after":[],"filler":[],"person_audiences":[],"negation":{"before":[],"after":[],"but_after":[],"joiners":[]},"negated":[],"phrases":"#;
        let bad = |phrases: &str| Lexicon::parse(&format!("{base}{phrases}}}")).unwrap_err();
        assert!(bad(r#"[["x",{"type":["@nope"]}]]"#).contains("no group \"nope\""));
        assert!(bad(r#"[["x",{"need":"nope"}]]"#).contains("no need"));
        assert!(bad(r#"[["x",{"audience":[]}]]"#).contains("audience"));
        assert!(bad(r#"[["x",{"colour":"Red"}]]"#).contains("invalid type"));
    }
}
