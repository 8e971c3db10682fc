//! Shopper-facing names for the catalog's own ("Garment Upper body" → "Tops", "Jersey
//! Fancy" → "Jersey tops & dresses"): a table of data (`app/data/names.json`), read once
//! and looked up by map. Only what the page shows changes: filters, URLs and searches
//! keep the catalog's values.

use std::collections::HashMap;

type Table = HashMap<String, HashMap<String, String>>;

thread_local! {
    static NAMES: Table = serde_json::from_str::<serde_json::Value>(include_str!("../data/names.json"))
        .ok()
        .and_then(|mut v| {
            v.as_object_mut()?.remove("note");
            serde_json::from_value(v).ok()
        })
        .unwrap_or_default();
}

/// The name a shopper sees for `value` of facet `facet` (the value itself when the
/// table has none).
pub fn shown(facet: &str, value: &str) -> String {
    NAMES.with(|t| {
        t.get(facet)
            .and_then(|m| m.get(value))
            .cloned()
            .unwrap_or_else(|| value.to_string())
    })
}

/// The entry for `key` in the table named `table`, if it has one (e.g. `plural`).
pub fn listed(table: &str, key: &str) -> Option<String> {
    NAMES.with(|t| t.get(table).and_then(|m| m.get(key)).cloned())
}

#[cfg(test)]
mod tests {
    use super::shown;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn catalog_names_become_shoppers_names() {
        assert_eq!(shown("product_group", "Garment Upper body"), "Tops");
        assert_eq!(
            shown("garment_group", "Jersey Fancy"),
            "Jersey tops & dresses"
        );
        assert_eq!(shown("product_type", "Cap/peaked"), "Cap");
        // Not listed: as it is.
        assert_eq!(shown("product_type", "Dress"), "Dress");
        assert_eq!(shown("colour", "Dark Red"), "Dark Red");
    }
}
