//! What a result count counts, in a shopper's words: "139 red dresses" when the search
//! selects a definite set (its filters and the attributes named in its words; the
//! engine's `total`), "24 best matches" when it only ranks.

use atelier_engine::api::SearchResponse;
use std::collections::BTreeMap;

/// `1234` → "1,234".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The plural of a product type as a shopper says it ("Dress" → "dresses"): the names
/// table's `plural` entries first (`app/data/names.json`), then English's common rules.
pub fn plural(noun: &str) -> String {
    if let Some(p) = crate::names::listed("plural", noun) {
        return p;
    }
    let lower = noun.to_lowercase();
    let ends = |s: &str| lower.ends_with(s);
    if ends("ss") || ends("x") || ends("ch") || ends("sh") {
        format!("{lower}es")
    } else if ends("s") || ends("wear") {
        lower
    } else if ends("y") && !(ends("ay") || ends("ey") || ends("oy") || ends("uy")) {
        format!("{}ies", &lower[..lower.len() - 1])
    } else {
        format!("{lower}s")
    }
}

/// The one value a search asks for in a facet, from its words or its filters.
fn single<'a>(understood: &'a [String], filter: Option<&'a Vec<String>>) -> Option<&'a str> {
    match (understood, filter.map(Vec::as_slice)) {
        ([one], _) => Some(one),
        ([], Some([one])) => Some(one),
        _ => None,
    }
}

/// What a set is: "red dresses", "dresses", "red items", "items".
pub fn noun_phrase(r: &SearchResponse, filters: &BTreeMap<String, Vec<String>>) -> String {
    let (colours, types) = match &r.understood {
        Some(u) => (u.colours.as_slice(), u.types.as_slice()),
        None => (&[][..], &[][..]),
    };
    let colour = single(colours, filters.get("colour_master"))
        .or_else(|| single(&[], filters.get("colour")))
        .map(str::to_lowercase);
    let what = single(types, filters.get("product_type"))
        .map(|t| plural(&crate::names::shown("product_type", t)))
        .or_else(|| {
            single(&[], filters.get("product_group"))
                .map(|g| crate::names::shown("product_group", g).to_lowercase())
        })
        .unwrap_or_else(|| "items".into());
    match colour {
        Some(c) => format!("{c} {what}"),
        None => what,
    }
}

/// The count line: "139 red dresses" (a set), "1 dress", "24 best matches" (a ranking).
pub fn count_line(r: &SearchResponse, filters: &BTreeMap<String, Vec<String>>) -> String {
    match r.total {
        Some(1) => format!("1 {}", singular(&noun_phrase(r, filters))),
        Some(total) => format!("{} {}", thousands(total), noun_phrase(r, filters)),
        None => {
            let n = r.results.len();
            match n {
                0 => "No matches".into(),
                1 => "1 best match".into(),
                n => format!("{n} best matches"),
            }
        }
    }
}

/// One of a set: the count of one ("1 red dress") names the thing, not its plural.
fn singular(phrase: &str) -> String {
    if let Some(s) = phrase.strip_suffix("ies") {
        format!("{s}y")
    } else if let Some(s) = phrase
        .strip_suffix("sses")
        .or_else(|| phrase.strip_suffix("xes"))
        .or_else(|| phrase.strip_suffix("ches"))
        .or_else(|| phrase.strip_suffix("shes"))
    {
        let tail = &phrase[s.len()..phrase.len() - 2];
        format!("{s}{tail}")
    } else if phrase.ends_with("items") {
        phrase.trim_end_matches('s').to_string()
    } else {
        phrase.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn counts_read_as_a_shopper_says_them() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(139), "139");
        assert_eq!(thousands(1234), "1,234");
        assert_eq!(thousands(105542), "105,542");
        assert_eq!(plural("Dress"), "dresses");
        assert_eq!(plural("T-shirt"), "t-shirts");
        assert_eq!(plural("Trousers"), "trousers");
        assert_eq!(plural("Hoodie"), "hoodies");
        assert_eq!(plural("Body"), "bodies");
        assert_eq!(plural("Nightwear"), "nightwear");
        assert_eq!(singular("red dresses"), "red dress");
        assert_eq!(singular("red items"), "red item");
        assert_eq!(singular("trousers"), "trousers");
    }
}
