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
    assert_eq!(m["format_version"], 10);
    assert_eq!(m["model"]["dim"], 384);
    let n = m["articles"].as_u64().unwrap();
    assert!(n > 2000, "{n} articles");
    // The small files come in sets: a stem, one hash over the members, each one's size.
    let set = |key: &str| -> Vec<u64> {
        let set = &m["files"][key];
        assert_eq!(set["hash"].as_str().unwrap().len(), 16, "{key}: {set}");
        assert!(
            set.get("path").is_none(),
            "{key}: listed as a set, not by name"
        );
        set["bytes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_u64().unwrap())
            .collect()
    };
    let shards = set("shards");
    assert_eq!(
        shards.len() as u64,
        n.div_ceil(m["shard_size"].as_u64().unwrap())
    );
    let postings = set("postings");
    assert!(postings.len() > 1, "the keyword postings come in buckets");
    let columns = set("facet_columns");
    assert_eq!(columns.len(), 19, "one column per facet");
    // The points (residuals of the codes) come in partitions of about 100 articles each.
    let points = set("points");
    assert_eq!(
        points.len() as u64,
        m["codes"]["partitions"].as_u64().unwrap()
    );
    assert!(
        points.len() as u64 >= n / 200,
        "{} partitions",
        points.len()
    );
    // A catalog searched exactly keeps 8 bits per component (28-byte container header,
    // a 16-byte points header, then a 4-byte scale and 384 bytes per member).
    assert_eq!(m["codes"]["point_bits"], 8);
    let members: u64 = points.iter().map(|p| (p - 28 - 16) / (4 + 384)).sum();
    assert_eq!(members, n, "every article's point, 388 bytes each");
    // The model's word embeddings: 64 token ids a file (30,522 of them).
    let words = set("words");
    assert_eq!(words.len(), 30_522usize.div_ceil(64));
    for key in ["words", "points", "shards", "postings", "facet_columns"] {
        let stem = m["files"][key]["stem"].as_str().unwrap();
        let hash = m["files"][key]["hash"].as_str().unwrap();
        for (n, listed) in set(key).into_iter().enumerate() {
            // Member n of the set: <stem><n>-<the set's hash>.bin, of the listed size.
            let path = dir.join(format!("{stem}{n}-{hash}.bin"));
            assert_eq!(std::fs::metadata(&path).unwrap().len(), listed, "{path:?}");
        }
    }
    assert_eq!(m["files"]["graph"]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(m["files"]["codes"]["sha256"].as_str().unwrap().len(), 64);
    // The occasion descriptions' vectors, read with the codes.
    let occasions = &m["files"]["occasions"];
    assert!(occasions["path"]
        .as_str()
        .unwrap()
        .starts_with("occasions-"));
    assert_eq!(occasions["sha256"].as_str().unwrap().len(), 64);
    // Nothing but the manifest and the listed files (graph, vectors, codes, facets,
    // keywords, model, tokenizer, config, occasions, and the small ones).
    let listed = 1 + 9 + shards.len() + postings.len() + columns.len() + points.len() + words.len();
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

#[test]
fn re_indexing_in_place_updates_the_graph_of_the_changed_articles_only() {
    let tmp = tempfile::tempdir().unwrap();
    let out = demo_copy(tmp.path());
    let dir = out.to_str().unwrap();
    let lines: Vec<String> = std::fs::read_to_string(demo_catalog())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let articles = lines.len() - 1;
    // Every 100th article gets a new product name (so a new embedding text).
    let mut changed = lines.clone();
    let mut renamed = 0;
    for row in changed.iter_mut().skip(1).step_by(100) {
        let mut cols: Vec<String> = row.splitn(4, ',').map(str::to_string).collect();
        cols[2] = format!("{} Anchor Edition", cols[2]);
        *row = cols.join(",");
        renamed += 1;
    }
    let catalog = tmp.path().join("changed.csv");
    std::fs::write(&catalog, changed.join("\n") + "\n").unwrap();
    let build = |extra: &[&str]| {
        let mut args = vec![
            "build",
            "--catalog",
            catalog.to_str().unwrap(),
            "--out",
            dir,
        ];
        args.extend(extra);
        let o = run(&args);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let log = build(&[]);
    assert!(
        log.contains(&format!(
            "graph: updated the previous index's graph ({renamed} of {articles} articles re-linked)"
        )),
        "{log}"
    );
    ok(&["verify", "--index", dir]);
    let queries = "black jeans\nwarm winter coat for kids\nstriped t-shirt\nswimsuit\nsports bra\nwool scarf\nleather bag\npyjamas for girls\nlinen shirt for men\nsneakers\nanchor edition\n";
    let (recall, _) = vector_recall(&out, queries);
    assert!(recall >= 0.95, "recall@10 of the updated graph = {recall}");
    // Unchanged since: nothing to re-link; --full-graph builds it anew.
    assert!(log_has(&build(&[]), "(0 of"));
    assert!(!build(&["--full-graph"]).contains("graph: updated"));
    // Another set of articles: the graph is built from scratch, and says why.
    std::fs::write(&catalog, changed[..changed.len() - 1].join("\n") + "\n").unwrap();
    let log = build(&[]);
    assert!(
        log.contains(&format!(
            "graph: building from scratch (the index in {dir} has {articles} articles, the catalog {})",
            articles - 1
        )),
        "{log}"
    );
}

fn log_has(log: &str, needle: &str) -> bool {
    log.lines()
        .any(|l| l.starts_with("graph: updated") && l.contains(needle))
}

#[test]
fn more_like_this_follows_what_the_item_is_not_its_name() {
    let index = demo_index().to_str().unwrap();
    // A dress, corduroy trousers, a half-zip jumper, suede boots (the demo catalog's).
    for (id, kind) in [
        ("0990003001", "Dress"),
        ("0990004001", "Trousers"),
        ("0990007001", "Sweater"),
        ("0990017001", "Boots"),
    ] {
        let out = ok(&[
            "search", "--index", index, "--json", "--k", "8", "--like", id,
        ]);
        let line = &json_lines(&out)[0];
        let results = line["results"].as_array().unwrap();
        assert_eq!(results.len(), 8, "{id}");
        for r in &results[..5] {
            assert_eq!(r["product_type_name"], kind, "{id}: {}", r["prod_name"]);
        }
        // Of its audience first: the first three share the first result's audience.
        let audience = &results[0]["audience"];
        assert!(
            results[..3].iter().all(|r| &r["audience"] == audience),
            "{id}"
        );
    }
}
