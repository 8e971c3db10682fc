//! The parts of an understanding a shopper removed: each part the page says it understood
//! ("without: denim · colour: ochre (dark yellow) · sleeve length: Sleeveless") has a
//! close button, and a search that carries its name in `ignore` ranks as if that part had
//! not been understood — its attributes gone, and its words no longer matched for it.
//! The query text stays as typed.

use crate::lexicon::{lexicon, Meaning};
use crate::understand::{Excluded, Intent};

/// The parts that can be removed besides the detail facets (named by their facet:
/// `sleeves`, `length`, …): what was excluded, the colour, the product type, who it is
/// for, the pattern, the material, and the occasion read by meaning.
pub const PARTS: [&str; 7] = [
    "without", "colour", "type", "audience", "pattern", "material", "occasion",
];

/// What a lexicon meaning is a part of (`""`: none that can be removed).
fn part_of(m: &Meaning) -> &str {
    match m {
        Meaning::Colour(_) | Meaning::Shade(_) | Meaning::ShadeOf(_) => "colour",
        Meaning::Type(_) => "type",
        Meaning::Audience(..) => "audience",
        Meaning::Pattern(_) => "pattern",
        Meaning::Material | Meaning::MaterialOf(_) => "material",
        Meaning::Detail(facet, _) => facet.as_str(),
        _ => "",
    }
}

/// Whether the (stemmed) word `w` says only parts among `parts` ("red": colour).
fn says_only(w: &str, parts: &[impl AsRef<str>]) -> bool {
    let meanings = lexicon().meanings(w);
    !meanings.is_empty()
        && meanings
            .iter()
            .all(|m| parts.iter().any(|p| p.as_ref() == part_of(m)))
}

/// The text a query's vector is made of when `ignore` parts are forgotten: the query
/// without what it negates (forgetting an exclusion makes the negated words neither
/// wanted nor unwanted), and without the words that said only forgotten parts ("red
/// dress" without its colour: "dress").
pub fn embedding_text(query: &str, ignore: &[String]) -> String {
    let text = crate::negation::embedding_text(query);
    if ignore.is_empty() {
        return text;
    }
    let kept: Vec<&str> = crate::keyword::word_spans(&text)
        .into_iter()
        .filter(|(_, w, stop)| *stop || !says_only(w, ignore))
        .map(|(span, _, _)| &text[span])
        .collect();
    if kept.is_empty() {
        // (As a query of only negations: something to wear.)
        return "clothing".into();
    }
    kept.join(" ")
}

/// Whether `part` names a removable part.
pub fn is_part(part: &str) -> bool {
    use crate::facets::{CATALOG_FACETS, FACETS};
    PARTS.contains(&part) || FACETS[CATALOG_FACETS..].iter().any(|f| f.0 == part)
}

impl Intent {
    /// Forgets `part` of what was understood (a name [`is_part`] accepts; others change
    /// nothing). The occasion read by meaning is forgotten before it is read
    /// ([`crate::hybrid`]); here it only loses its name.
    pub fn forget(&mut self, part: &str) {
        match part {
            "without" => self.excluded = Excluded::default(),
            "colour" => {
                self.colours.clear();
                self.colour_groups.clear();
                self.tones.clear();
                self.shades.clear();
                self.shade = None;
                self.colour_named = false;
            }
            "type" => {
                self.types.clear();
                self.type_named = false;
            }
            "audience" => {
                self.audiences.clear();
                self.audience_named = false;
                self.gender = None;
            }
            "pattern" => self.patterns.clear(),
            "material" => self.materials.clear(),
            "occasion" => self.occasion = None,
            facet => self.details.retain(|(f, _)| f != facet),
        }
        // The words that said it no longer count for it.
        let said_it = |w: &str| says_only(w, &[part]);
        self.terms.retain(|(t, _)| !said_it(t));
        self.focus.retain(|t| !said_it(t));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intent() -> Intent {
        Intent {
            colours: vec!["Red".into()],
            colour_named: true,
            types: vec!["Dress".into()],
            details: vec![("sleeves".into(), vec!["Sleeveless".into()])],
            terms: vec![
                ("red".into(), 1.0),
                ("dress".into(), 1.0),
                ("silky".into(), 1.0),
            ],
            focus: vec!["red".into(), "dress".into(), "silky".into()],
            excluded: Excluded {
                phrases: vec!["denim".into()],
                words: vec!["denim".into()],
                ..Excluded::default()
            },
            ..Intent::default()
        }
    }

    #[test]
    fn a_forgotten_part_loses_its_attributes_and_its_words() {
        let mut i = intent();
        i.forget("colour");
        assert!(i.colours.is_empty() && !i.colour_named);
        assert_eq!(i.types, ["Dress"], "the type stays");
        assert!(!i.terms.iter().any(|(t, _)| t == "red"), "{:?}", i.terms);
        assert!(
            i.terms.iter().any(|(t, _)| t == "silky"),
            "words of no part stay"
        );
        assert_eq!(i.focus, ["dress", "silky"]);
        i.forget("without");
        assert!(i.excluded.is_empty());
        i.forget("sleeves");
        assert!(i.details.is_empty());
    }

    #[test]
    fn the_vector_text_leaves_out_the_words_of_forgotten_parts() {
        let ignore = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(embedding_text("red dress", &ignore(&["colour"])), "dress");
        assert_eq!(embedding_text("Red Dress", &[]), "Red Dress");
        assert_eq!(embedding_text("red dress", &ignore(&["type"])), "red");
        assert_eq!(embedding_text("a skirt but not denim", &[]), "a skirt");
        assert_eq!(
            embedding_text("a skirt but not denim", &ignore(&["without"])),
            "a skirt"
        );
        assert_eq!(embedding_text("red", &ignore(&["colour"])), "clothing");
        assert_eq!(
            embedding_text("sleeveless linen dress", &ignore(&["sleeves"])),
            "linen dress"
        );
    }

    #[test]
    fn the_parts_are_the_fixed_ones_and_the_detail_facets() {
        for p in PARTS.iter().chain(&["sleeves", "neckline", "length"]) {
            assert!(is_part(p), "{p}");
        }
        for p in ["", "colours", "product_type", "price"] {
            assert!(!is_part(p), "{p}");
        }
    }
}
