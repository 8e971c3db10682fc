//! End to end: build the demo catalog, search it, and check what a user sees.

mod common;
use common::*;

#[test]
fn demo_build_verifies_and_has_the_documented_layout() {
    let dir = demo_index();
    let out = ok(&["verify", "--index", dir.to_str().unwrap()]);
    assert!(out.starts_with("ok:"), "{out}");
    let m = manifest(dir);
    assert_eq!(m["format"], "atelier-index");
    assert_eq!(m["format_version"], 3);
    assert_eq!(m["model"]["dim"], 384);
    let n = m["articles"].as_u64().unwrap();
    assert!(n > 2000, "{n} articles");
    let shards = m["files"]["shards"].as_array().unwrap();
    assert_eq!(
        shards.len() as u64,
        n.div_ceil(m["shard_size"].as_u64().unwrap())
    );
    for f in shards {
        let path = f["path"].as_str().unwrap();
        assert!(path.starts_with("shard-") && path.ends_with(".bin"));
        let bytes = std::fs::metadata(dir.join(path)).unwrap().len();
        assert_eq!(bytes, f["bytes"].as_u64().unwrap());
    }
    // Nothing but the manifest and the listed files.
    let listed = 1 + 7 + shards.len();
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), listed);
}

#[test]
fn json_search_has_the_documented_shape_and_finds_red_dresses() {
    let out = ok(&[
        "search",
        "--index",
        demo_index().to_str().unwrap(),
        "--json",
        "I need a red dress for a summer wedding",
    ]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    let l = &lines[0];
    assert_eq!(l["query"], "I need a red dress for a summer wedding");
    assert!(l["took_ms"].as_f64().unwrap() > 0.0);
    let results = l["results"].as_array().unwrap();
    assert_eq!(results.len(), 10);
    for r in results {
        let id = r["article_id"].as_str().unwrap();
        assert!(id.len() == 10 && id.starts_with('0'), "{id}");
        let score = r["score"].as_f64().unwrap();
        assert!(score > 0.0 && score <= 1.0, "{score}");
        for key in ["prod_name", "product_type_name", "colour_group_name"] {
            assert!(r[key].is_string(), "{key} missing in {r}");
        }
    }
    let red_dresses = results
        .iter()
        .filter(|r| {
            r["product_type_name"] == "Dress"
                && r["colour_group_name"].as_str().unwrap().contains("Red")
        })
        .count();
    assert!(
        red_dresses >= 5,
        "only {red_dresses} red dresses in {results:#?}"
    );
}

#[test]
fn vector_mode_ranks_by_similarity() {
    let out = ok(&[
        "search",
        "--index",
        demo_index().to_str().unwrap(),
        "--json",
        "--mode",
        "vector",
        "warm coat",
    ]);
    let scores: Vec<f64> = json_lines(&out)[0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 10);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn stdin_queries_one_line_each_and_k() {
    let lines = search_stdin(
        &["--index", demo_index().to_str().unwrap(), "--k", "3"],
        "yellow raincoat\n\n  brown suede boots  \nbaby bodysuit\n",
    );
    let queries: Vec<&str> = lines.iter().map(|l| l["query"].as_str().unwrap()).collect();
    assert_eq!(
        queries,
        ["yellow raincoat", "brown suede boots", "baby bodysuit"]
    );
    assert!(lines
        .iter()
        .all(|l| l["results"].as_array().unwrap().len() == 3));
    let boots = lines[1]["results"].as_array().unwrap();
    assert!(
        boots.iter().any(|r| r["product_type_name"] == "Boots"),
        "{}",
        lines[1]
    );
}

#[test]
fn approximate_search_agrees_with_exact_search() {
    let queries = "black jeans\nwarm winter coat for kids\nstriped t-shirt\nswimsuit\nsports bra\nwool scarf\nleather bag\npyjamas for girls\nlinen shirt for men\nsneakers\n";
    let (recall, n) = vector_recall(demo_index(), queries);
    assert_eq!(n, 10);
    assert!(recall >= 0.95, "recall@10 = {recall}");
}

#[test]
fn filters_restrict_results_and_bad_filters_are_explained() {
    let dir = demo_index().to_str().unwrap();
    let out = ok(&[
        "search",
        "--index",
        dir,
        "--json",
        "--filter",
        "colour=Red",
        "--filter",
        "product_type=Dress",
        "summer",
    ]);
    let results = json_lines(&out)[0]["results"].as_array().unwrap().clone();
    assert!(!results.is_empty());
    assert!(results
        .iter()
        .all(|r| r["colour_group_name"] == "Red" && r["product_type_name"] == "Dress"));
    let err = fails(&["search", "--index", dir, "--filter", "flavour=Red", "x"]);
    assert!(err.contains("flavour") && err.contains("colour"), "{err}");
    let err = fails(&["search", "--index", dir, "--filter", "colour=Plaid", "x"]);
    assert!(err.contains("Plaid"), "{err}");
}

#[test]
fn embed_prints_unit_vectors() {
    let out = ok(&["embed", "--json", "red dress", "blue jeans"]);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    let v: Vec<f64> = serde_json::from_value(lines[0]["embedding"].clone()).unwrap();
    assert_eq!(v.len(), 384);
    assert!((v.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-4);
    let plain = ok(&["embed", "red dress"]);
    assert_eq!(plain.split_whitespace().count(), 384);
}

#[test]
fn a_missing_model_explains_how_to_fetch_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = indexer()
        .env("ATELIER_MODEL_DIR", tmp.path().join("nowhere"))
        .args(["embed", "hello"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fetch-model") && err.contains("model.safetensors"),
        "{err}"
    );
}
