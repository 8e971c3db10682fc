//! How a card pictures a product that has no photo: one of our own illustrations (a
//! silhouette in `public/illustrations/`, used as a CSS mask) in the article's colour,
//! with its pattern drawn by CSS. Which illustration and which pattern is data
//! (`app/data/pictures.json`), read once and looked up by map.

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
struct Table {
    default_illustration: String,
    illustration_by_type: HashMap<String, String>,
    illustration_by_group: HashMap<String, String>,
    pattern_by_appearance: HashMap<String, String>,
}

thread_local! {
    static TABLE: Table = serde_json::from_str(include_str!("../data/pictures.json"))
        .unwrap_or_default();
}

/// The illustration for a product type ("Dress"), else for its product group
/// ("Garment Full body"), else the default: a file name under `illustrations/`,
/// without `.svg`.
pub fn illustration(product_type: &str, product_group: &str) -> String {
    TABLE.with(|t| {
        t.illustration_by_type
            .get(product_type)
            .or_else(|| t.illustration_by_group.get(product_group))
            .cloned()
            .unwrap_or_else(|| t.default_illustration.clone())
    })
}

/// The CSS pattern class for a graphical appearance ("Stripe" → `pattern-stripe`);
/// empty for solid colours and unknown appearances.
pub fn pattern_class(appearance: &str) -> String {
    TABLE.with(|t| {
        t.pattern_by_appearance
            .get(appearance)
            .map(|p| format!("pattern-{p}"))
            .unwrap_or_default()
    })
}

/// The URL of an illustration, relative to the page.
pub fn illustration_url(name: &str) -> String {
    format!("url(./illustrations/{name}.svg)")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_table_parses_and_every_illustration_exists() {
        TABLE.with(|t| {
            assert_eq!(t.default_illustration, "hanger");
            assert!(t.illustration_by_type.len() > 100);
            // Every name the table uses is a file of public/illustrations.
            let files = [
                "bag",
                "beanie",
                "belt",
                "bikini",
                "boot",
                "bra",
                "briefs",
                "cap",
                "dress",
                "gloves",
                "hairband",
                "hanger",
                "hat",
                "heel",
                "hoodie",
                "jacket",
                "jewellery",
                "jumpsuit",
                "leggings",
                "sandal",
                "scarf",
                "set",
                "shirt",
                "shorts",
                "skirt",
                "sneaker",
                "socks",
                "sunglasses",
                "sweater",
                "swimsuit",
                "tie",
                "trousers",
                "tshirt",
                "vest",
            ];
            for name in t
                .illustration_by_type
                .values()
                .chain(t.illustration_by_group.values())
            {
                assert!(files.contains(&name.as_str()), "{name} has no file");
            }
        });
    }

    #[wasm_bindgen_test]
    fn looks_up_by_type_then_group_then_default() {
        assert_eq!(illustration("Dress", "Garment Full body"), "dress");
        assert_eq!(illustration("Sneakers", "Shoes"), "sneaker");
        assert_eq!(illustration("Something new", "Shoes"), "sneaker");
        assert_eq!(illustration("Side table", "Furniture"), "hanger");
        assert_eq!(pattern_class("Stripe"), "pattern-stripe");
        assert_eq!(pattern_class("Solid"), "");
    }
}
