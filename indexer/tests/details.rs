//! `indexer details`: a sample of the detail attributes read from a catalog, and the
//! extractor's precision against values a person read.

mod common;
use common::*;

#[test]
fn a_sample_shows_the_details_read_and_judged_values_give_precision() {
    let catalog = demo_catalog();
    let out = ok(&[
        "details",
        "--catalog",
        catalog.to_str().unwrap(),
        "--sample",
        "6",
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 6);
    let mut ids = std::collections::HashSet::new();
    for l in &lines {
        assert!(ids.insert(l["article_id"].as_str().unwrap().to_string()));
        assert!(!l["details"].as_object().unwrap().is_empty(), "{l}");
    }
    // Another seed, another sample.
    let other = ok(&[
        "details",
        "--catalog",
        catalog.to_str().unwrap(),
        "--sample",
        "6",
        "--seed",
        "9",
    ]);
    assert_ne!(out, other);
    // One judgement agrees with what is read, one does not: precision 1/2, and the
    // disagreement is named.
    let first = &lines[0];
    let (attr, value) = first["details"].as_object().unwrap().iter().next().unwrap();
    let id = first["article_id"].as_str().unwrap();
    let judged = serde_json::json!([
        {"article_id": id, "attribute": attr, "value": value},
        {"article_id": lines[1]["article_id"], "attribute": lines[1]["details"].as_object().unwrap().keys().next().unwrap(), "value": "Something else"},
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("judged.json");
    std::fs::write(&path, judged.to_string()).unwrap();
    let out = run(&[
        "details",
        "--catalog",
        catalog.to_str().unwrap(),
        "--judged",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("| all | 2 | 1 | 0.500 |"), "{table}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Something else"));
    // A judged article the catalog does not have is an error naming it.
    std::fs::write(
        &path,
        r#"[{"article_id": "0000000000", "attribute": "fit", "value": ""}]"#,
    )
    .unwrap();
    let err = fails(&[
        "details",
        "--catalog",
        catalog.to_str().unwrap(),
        "--judged",
        path.to_str().unwrap(),
    ]);
    assert!(err.contains("0000000000"), "{err}");
}
