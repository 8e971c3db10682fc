//! What a search selects: browsing by filters without words, and the size of the set a
//! search's filters and named attributes select ("139 red dresses"), checked against
//! the demo catalog itself.

mod common;
use atelier_engine::catalog::{Article, CatalogReader};
use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

fn catalog() -> Vec<Article> {
    let file = std::fs::File::open(demo_catalog()).unwrap();
    CatalogReader::new("demo", file)
        .unwrap()
        .map(|a| a.unwrap())
        .collect()
}

fn search(args: &[&str]) -> Value {
    let index = demo_index().to_str().unwrap();
    let mut all = vec!["search", "--index", index, "--json"];
    all.extend_from_slice(args);
    json_lines(&ok(&all)).remove(0)
}

#[test]
fn filters_without_words_browse_every_product_they_select() {
    let articles = catalog();
    let dresses: Vec<&Article> = articles
        .iter()
        .filter(|a| a.product_type_name == "Dress")
        .collect();
    // One card per product, the product's first dress, in catalog order.
    let mut seen = HashSet::new();
    let expected: Vec<String> = dresses
        .iter()
        .filter(|a| seen.insert(a.product_code.clone()))
        .map(|a| a.article_id.clone())
        .collect();
    assert!(expected.len() > 10, "the demo has dresses to browse");
    let line = search(&["--browse", "--filter", "product_type=Dress", "--k", "96"]);
    assert_eq!(line["total"], expected.len(), "{line}");
    let k = expected.len().min(96);
    assert_eq!(ids(&line), expected[..k].to_vec());
    assert!(line.get("preliminary").is_none(), "browsing needs no model");
    // Two filters: their conjunction.
    let line = search(&[
        "--browse",
        "--filter",
        "product_type=Dress",
        "--filter",
        "colour_master=Red",
        "--k",
        "96",
    ]);
    let red: HashSet<&str> = dresses
        .iter()
        .filter(|a| a.perceived_colour_master_name == "Red")
        .map(|a| a.product_code.as_str())
        .collect();
    assert_eq!(line["total"], red.len(), "{line}");
    // Without a filter there is nothing to browse.
    let err = fails(&[
        "search",
        "--index",
        demo_index().to_str().unwrap(),
        "--browse",
    ]);
    assert!(err.contains("--filter"), "{err}");
}

#[test]
fn a_count_says_how_many_the_words_select() {
    let articles = catalog();
    // "red dress": the red dresses, one card per product and colour (a colour was asked for).
    let cards: HashSet<(&str, &str)> = articles
        .iter()
        .filter(|a| a.product_type_name == "Dress" && a.perceived_colour_master_name == "Red")
        .map(|a| (a.product_code.as_str(), a.colour_group_name.as_str()))
        .collect();
    assert!(cards.len() > 3, "the demo has red dresses");
    for mode in ["hybrid", "lexical"] {
        let line = search(&["--mode", mode, "--k", "96", "red dress"]);
        assert_eq!(line["total"], cards.len(), "{mode}: {line}");
        // The set's facet counts: every colour group among red dresses, counted.
        let facets = line["facets"]
            .as_array()
            .expect("facet counts over the set");
        let colour = facets.iter().find(|f| f["name"] == "colour").unwrap();
        let mut want: BTreeMap<&str, u64> = BTreeMap::new();
        for a in articles
            .iter()
            .filter(|a| a.product_type_name == "Dress" && a.perceived_colour_master_name == "Red")
        {
            *want.entry(a.colour_group_name.as_str()).or_default() += 1;
        }
        let got: BTreeMap<&str, u64> = colour["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| (v["value"].as_str().unwrap(), v["count"].as_u64().unwrap()))
            .collect();
        assert_eq!(got, want, "{mode}");
        let types = facets.iter().find(|f| f["name"] == "product_type").unwrap();
        assert_eq!(types["values"].as_array().unwrap().len(), 1, "only dresses");
    }
    // A shopper's filter narrows the count; the words' own facet still counts the set.
    let line = search(&["--k", "96", "--filter", "audience=Kids", "red dress"]);
    let kids = articles
        .iter()
        .filter(|a| {
            a.product_type_name == "Dress"
                && a.perceived_colour_master_name == "Red"
                && atelier_engine::text::Audience::of(a).map(|x| x.label()) == Some("Kids")
        })
        .map(|a| (a.product_code.as_str(), a.colour_group_name.as_str()))
        .collect::<HashSet<_>>()
        .len();
    if kids == 0 {
        // Nothing has everything asked for: the closest matches, no count.
        assert!(line.get("total").is_none(), "{line}");
    } else {
        assert_eq!(line["total"], kids, "{line}");
    }
    // A need only ranks: "best matches", no count.
    let line = search(&["something warm for the kids"]);
    assert!(line.get("total").is_none(), "{line}");
    assert!(line.get("facets").is_none(), "{line}");
}
