//! Detail attributes — sleeve length, neckline, length, fit, waist, fastening, wiring,
//! padding — read from each article's own name and description at index time and stored
//! as facets, so "sleeveless", "midi" or "lace-up" can be filtered on and ranked by, not
//! only matched as words. What the words mean is data (`engine/data/details.json`): per
//! attribute, the product groups it applies to and its values in order of precedence,
//! each with the phrases that say it.

use crate::catalog::Article;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A word of a phrase, or `*`: up to two words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Any,
}

#[derive(Debug)]
struct Attribute {
    name: String,
    groups: Vec<String>,
    /// Read the name before the description ("Skinny" jeans described as slim-fit).
    name_first: bool,
    /// (value, its phrases), in order of precedence.
    values: Vec<(String, Vec<Vec<Token>>)>,
}

/// The detail attributes and how to read them.
#[derive(Debug)]
pub struct Details {
    attributes: Vec<Attribute>,
}

/// The details table (read from the compiled-in file on first use).
pub fn details() -> &'static Details {
    static DETAILS: OnceLock<Details> = OnceLock::new();
    DETAILS.get_or_init(|| {
        // The file is part of the build; `tests::the_table_loads` keeps it valid.
        Details::parse(include_str!("../data/details.json"))
            .unwrap_or_else(|e| panic!("engine/data/details.json: {e}"))
    })
}

/// Lower-case words; anything but letters, digits and `/` separates ("long-sleeved" →
/// "long", "sleeved"; "3/4-length" → "3/4", "length").
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '/'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `pattern` occurs in `text` starting at word `at`.
fn matches_at(text: &[String], at: usize, pattern: &[Token]) -> bool {
    match pattern.split_first() {
        None => true,
        Some((Token::Word(w), rest)) => {
            text.get(at).is_some_and(|t| t == w) && matches_at(text, at + 1, rest)
        }
        Some((Token::Any, rest)) => (0..=2).any(|skip| matches_at(text, at + skip, rest)),
    }
}

impl Details {
    fn parse(text: &str) -> Result<Self, String> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct File {
            #[allow(dead_code)]
            about: String,
            attributes: Vec<Spec>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Spec {
            name: String,
            groups: Vec<String>,
            #[serde(default)]
            name_first: bool,
            values: Vec<(String, Vec<String>)>,
        }
        let file: File = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut attributes = Vec::new();
        for spec in file.attributes {
            let mut values = Vec::new();
            for (value, phrases) in spec.values {
                let mut patterns = Vec::new();
                for p in phrases {
                    let tokens: Vec<Token> = p
                        .split(' ')
                        .map(|w| match w {
                            "*" => Token::Any,
                            w => Token::Word(w.to_string()),
                        })
                        .collect();
                    let plain: Vec<String> = words(&p.replace('*', " "));
                    let written: Vec<&str> = p.split(' ').filter(|w| *w != "*").collect();
                    if plain != written || matches!(tokens.first(), Some(Token::Any) | None) {
                        return Err(format!(
                            "{}: {value}: phrase {p:?} must be lower-case words split by single spaces, not starting with *",
                            spec.name
                        ));
                    }
                    patterns.push(tokens);
                }
                values.push((value, patterns));
            }
            attributes.push(Attribute {
                name: spec.name,
                groups: spec.groups,
                name_first: spec.name_first,
                values,
            });
        }
        Ok(Self { attributes })
    }

    /// The attributes' names (facet names), in file order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.attributes.iter().map(|a| a.name.as_str())
    }

    /// Whether `name` is a detail attribute.
    pub fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|a| a.name == name)
    }

    /// Article `a`'s value of attribute `name`: the first value (in precedence order)
    /// with a phrase in its description, else in its name (the other way round for
    /// attributes marked `name_first`); "" when none is, when the attribute
    /// does not apply to the article's product group, or when there is no such attribute.
    pub fn value(&self, name: &str, a: &Article) -> String {
        let Some(attr) = self.attributes.iter().find(|x| x.name == name) else {
            return String::new();
        };
        if !attr.groups.contains(&a.product_group_name) {
            return String::new();
        }
        // The description first (a "Midi" name over a knee-length description is the
        // description's), then the name — or the other way round where the attribute says.
        let mut texts = [words(&a.detail_desc), words(&a.prod_name)];
        if attr.name_first {
            texts.reverse();
        }
        for text in texts {
            let present: HashSet<&str> = text.iter().map(String::as_str).collect();
            for (value, patterns) in &attr.values {
                for p in patterns {
                    let Some(Token::Word(first)) = p.first() else {
                        continue;
                    };
                    if present.contains(first.as_str())
                        && (0..text.len()).any(|at| matches_at(&text, at, p))
                    {
                        return value.clone();
                    }
                }
            }
        }
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(group: &str, name: &str, desc: &str) -> Article {
        Article {
            product_group_name: group.into(),
            prod_name: name.into(),
            detail_desc: desc.into(),
            ..Article::default()
        }
    }

    #[test]
    fn the_table_loads_and_names_every_detail_facet() {
        let d = Details::parse(include_str!("../data/details.json")).unwrap();
        let names: Vec<&str> = d.names().collect();
        let facets = &crate::facets::FACETS[crate::facets::CATALOG_FACETS..];
        let detail_facets: Vec<&str> = facets.iter().map(|f| f.0).collect();
        assert_eq!(
            names, detail_facets,
            "the detail facets are the table's, in order"
        );
        assert!(names.contains(&"sleeves") && names.contains(&"closure"));
        assert!(Details::parse(r#"{"about":"","attributes":[{"name":"x","groups":[],"values":[["A",["Long-Sleeved"]]]}]}"#).is_err());
        assert!(Details::parse(
            r#"{"about":"","attributes":[{"name":"x","groups":[],"values":[["A",["* sleeves"]]]}]}"#
        )
        .is_err());
    }

    #[test]
    fn details_are_read_from_the_words() {
        let d = details();
        let top = |desc: &str| article("Garment Upper body", "Top", desc);
        for (attribute, desc, value) in [
            (
                "sleeves",
                "Top in jersey with short puff sleeves.",
                "Short sleeves",
            ),
            ("sleeves", "Long-sleeved top in jersey.", "Long sleeves"),
            (
                "sleeves",
                "Fitted top with 3/4-length sleeves.",
                "3/4 sleeves",
            ),
            ("sleeves", "Sleeveless top in jersey.", "Sleeveless"),
            // Sleeves said outright come before straps that only suggest none.
            (
                "sleeves",
                "Top with shoulder straps and short sleeves.",
                "Short sleeves",
            ),
            ("neckline", "Top with a V-neck.", "V-neck"),
            ("neckline", "Top with a metal chain necklace.", ""),
        ] {
            assert_eq!(d.value(attribute, &top(desc)), value, "{desc}");
        }
        let bra = |desc: &str| article("Underwear", "Bra", desc);
        assert_eq!(d.value("wiring", &bra("Soft, non-wired bra.")), "Non-wired");
        assert_eq!(d.value("wiring", &bra("Underwired bra.")), "Underwired");
        assert_eq!(
            d.value("padding", &bra("Soft, non-padded bra.")),
            "Unpadded"
        );
        let boots = article(
            "Shoes",
            "Boots",
            "Boots with lacing at the front and a zip in one side.",
        );
        assert_eq!(d.value("closure", &boots), "Laces");
        // An attribute that does not apply to the product group is unknown.
        let jacket = article("Garment Upper body", "Jacket", "Padded jacket.");
        assert_eq!(d.value("padding", &jacket), "");
        assert_eq!(d.value("no such attribute", &jacket), "");
    }
}
