//! The full H&M catalog, end to end: runs when the catalog is present (../shared/data/hm/
//! articles.csv.gz beside the clone, data/raw/articles.csv, or $ATELIER_FULL_CATALOG) and
//! prints why it skipped otherwise. Uses the normal embedding cache, so only the first run
//! on a machine pays for embedding ~100k texts.

mod common;
use common::*;
use std::path::PathBuf;

fn full_catalog() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("ATELIER_FULL_CATALOG").map(PathBuf::from),
        Some(root().join("data/raw/articles.csv")),
        Some(root().join("../shared/data/hm/articles.csv.gz")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

#[test]
fn full_catalog_build_search_and_recall() {
    let Some(catalog) = full_catalog() else {
        println!("SKIPPED full_catalog_build_search_and_recall: no full catalog (put articles.csv in data/raw/ or set ATELIER_FULL_CATALOG)");
        return;
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("full-index");
    let mut build = indexer();
    match std::env::var_os("ATELIER_CACHE_DIR") {
        Some(dir) => build.env("ATELIER_CACHE_DIR", dir),
        None => build.env_remove("ATELIER_CACHE_DIR"),
    };
    let status = build
        .args([
            "build",
            "--catalog",
            catalog.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(ok(&["verify", "--index", out.to_str().unwrap()]).starts_with("ok:"));
    let m = manifest(&out);
    assert!(
        m["articles"].as_u64().unwrap() > 100_000,
        "{}",
        m["articles"]
    );
    // A catalog this large re-scores with 6-bit residuals (three quarters of int8's bytes).
    assert_eq!(m["codes"]["point_bits"], 6);

    let res = ok(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "--json",
        "I need a red dress for a summer wedding",
    ]);
    let results = json_lines(&res)[0]["results"].as_array().unwrap().clone();
    let dresses = results
        .iter()
        .filter(|r| r["product_type_name"] == "Dress")
        .count();
    let red = results
        .iter()
        .filter(|r| r["colour_group_name"].as_str().unwrap().contains("Red"))
        .count();
    println!("red dress query: {dresses} dresses, {red} red in the top 10");
    assert!(dresses >= 8 && red >= 5, "{results:#?}");

    // Recall@10 of the graph against exact search over the committed benchmark queries.
    let queries = std::fs::read_to_string(root().join("bench/queries.txt")).unwrap();
    let (recall, n) = vector_recall(&out, &queries);
    assert!(n >= 200, "{n} queries");
    println!("recall@10 over {n} queries: {recall:.4}");
    assert!(recall >= 0.95, "recall@10 = {recall}");
    // And under filters: one answered by an exact scan of the matching articles (52 % of
    // the catalog) and one by the graph's filtered candidates (70 %).
    for filters in [
        &["audience=Ladies"][..],
        &["index_group=Ladieswear", "index_group=Baby/Children"][..],
    ] {
        let (recall, _) = vector_recall_filtered(&out, &queries, filters);
        println!("recall@10 under {filters:?}: {recall:.4}");
        assert!(recall >= 0.95, "recall@10 under {filters:?} = {recall}");
    }
}
