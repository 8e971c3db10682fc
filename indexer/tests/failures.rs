//! Bad input gets a clear error and loses nothing: malformed catalogs, failed builds,
//! damaged index files.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn demo_lines(n: usize) -> Vec<String> {
    std::fs::read_to_string(demo_catalog())
        .unwrap()
        .lines()
        .take(n)
        .map(str::to_string)
        .collect()
}

fn write_catalog(dir: &Path, lines: &[String]) -> PathBuf {
    let p = dir.join("articles.csv");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

/// Replaces the integer in column 4 (product_type_no) of a simple row with `abc`.
fn break_row(line: &str) -> String {
    let mut cols: Vec<&str> = line.splitn(5, ',').collect();
    cols[3] = "abc";
    cols.join(",")
}

#[test]
fn a_malformed_row_fails_naming_file_line_and_column_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = demo_lines(40);
    lines[7] = break_row(&lines[7]);
    let catalog = write_catalog(tmp.path(), &lines);
    let out = tmp.path().join("idx");
    let err = fails(&[
        "build",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        err.contains("articles.csv") && err.contains("line 8") && err.contains("product_type_no"),
        "{err}"
    );
    assert!(err.contains("--skip-bad-rows"), "{err}");
    assert!(!out.exists());
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn skip_bad_rows_skips_and_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = demo_lines(40);
    lines[7] = break_row(&lines[7]);
    lines[9] = "0990009999,0990009,Too short".into();
    lines.push(lines[1].clone()); // duplicate article_id
    let catalog = write_catalog(tmp.path(), &lines);
    let out = tmp.path().join("idx");
    ok(&[
        "build",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--skip-bad-rows",
    ]);
    let m = manifest(&out);
    assert_eq!(m["build"]["rows_skipped"], 3);
    assert_eq!(m["articles"], 39 - 2);
}

#[test]
fn a_missing_column_lists_the_columns_found() {
    let tmp = tempfile::tempdir().unwrap();
    let lines: Vec<String> = demo_lines(5)
        .iter()
        .map(|l| l.replacen("article_id,", "id,", 1))
        .collect();
    let catalog = write_catalog(tmp.path(), &lines);
    let err = fails(&[
        "build",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        tmp.path().join("i").to_str().unwrap(),
    ]);
    assert!(
        err.contains("missing column")
            && err.contains("article_id")
            && err.contains("product_code"),
        "{err}"
    );
}

#[test]
fn a_failed_rebuild_keeps_the_previous_index() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let before = std::fs::read(index.join("manifest.json")).unwrap();
    let mut lines = demo_lines(30);
    lines[20] = break_row(&lines[20]);
    let catalog = write_catalog(tmp.path(), &lines);
    fails(&[
        "build",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(index.join("manifest.json")).unwrap(), before);
    assert!(ok(&["verify", "--index", index.to_str().unwrap()]).starts_with("ok:"));
    assert!(leftovers(tmp.path()).is_empty());
}

#[test]
fn a_build_killed_between_moving_the_old_index_aside_and_the_new_one_in_loses_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let before = std::fs::read(index.join("manifest.json")).unwrap();
    let catalog = write_catalog(tmp.path(), &demo_lines(40));
    // Where the file system cannot exchange two folders, publishing takes two renames;
    // the process dies between them.
    let killed = indexer()
        .env("ATELIER_FAULT", "publish-after-move-aside")
        .args(["build", "--catalog", catalog.to_str().unwrap(), "--out"])
        .arg(&index)
        .output()
        .unwrap();
    assert!(!killed.status.success(), "the fault did not fire");
    assert!(!index.exists(), "killed with the old index moved aside");
    // The next build puts the old index back first, even though it fails itself.
    fails(&[
        "build",
        "--catalog",
        tmp.path().join("missing.csv").to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(index.join("manifest.json")).unwrap(), before);
    assert!(ok(&["verify", "--index", index.to_str().unwrap()]).starts_with("ok:"));
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
    // And a normal rebuild replaces it in one step, leaving nothing behind.
    ok(&[
        "build",
        "--catalog",
        catalog.to_str().unwrap(),
        "--out",
        index.to_str().unwrap(),
    ]);
    assert_ne!(std::fs::read(index.join("manifest.json")).unwrap(), before);
    assert!(
        leftovers(tmp.path()).is_empty(),
        "{:?}",
        leftovers(tmp.path())
    );
}

#[test]
fn build_refuses_to_replace_a_folder_that_is_not_an_index() {
    let tmp = tempfile::tempdir().unwrap();
    let precious = tmp.path().join("docs");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("notes.txt"), "mine").unwrap();
    let err = fails(&[
        "build",
        "--catalog",
        demo_catalog().to_str().unwrap(),
        "--out",
        precious.to_str().unwrap(),
        "--limit",
        "5",
    ]);
    assert!(err.contains("refusing"), "{err}");
    assert_eq!(
        std::fs::read_to_string(precious.join("notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn gzip_catalogs_and_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let gz = tmp.path().join("articles.csv.gz");
    let mut enc = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    std::io::Write::write_all(&mut enc, (demo_lines(60).join("\n") + "\n").as_bytes()).unwrap();
    enc.finish().unwrap();
    let out = tmp.path().join("idx");
    ok(&[
        "build",
        "--catalog",
        gz.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--limit",
        "25",
    ]);
    assert_eq!(manifest(&out)["articles"], 25);
}

#[test]
fn the_embedding_cache_re_embeds_only_changed_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let lines = demo_lines(101);
    let catalog = write_catalog(tmp.path(), &lines);
    let out = tmp.path().join("idx");
    let build = |catalog: &Path| {
        let o = indexer()
            .env("ATELIER_CACHE_DIR", &cache)
            .args([
                "build",
                "--catalog",
                catalog.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        manifest(&out)["build"].clone()
    };
    let first = build(&catalog);
    assert_eq!(first["cache_hits"], 0);
    let mut changed = lines.clone();
    for row in [5, 6] {
        let mut cols: Vec<String> = changed[row].splitn(4, ',').map(str::to_string).collect();
        cols[2] = format!("{} Edition", cols[2]);
        changed[row] = cols.join(",");
    }
    let catalog2 = write_catalog(tmp.path(), &changed);
    let second = build(&catalog2);
    let distinct = second["distinct_texts"].as_u64().unwrap();
    let embedded = second["embedded"].as_u64().unwrap();
    let expected = 2;
    assert_eq!(embedded, expected, "{second}");
    assert_eq!(second["cache_hits"].as_u64().unwrap(), distinct - expected);
    // A damaged cache is ignored, not fatal.
    for e in std::fs::read_dir(&cache).unwrap() {
        std::fs::write(e.unwrap().path(), b"garbage").unwrap();
    }
    let third = build(&catalog2);
    assert_eq!(third["cache_hits"], 0);
}

/// Rewrites a file of the index and fixes the manifest so only the intended damage remains.
fn replace_file(index: &Path, key: &str, bytes: Vec<u8>) {
    let mut m = manifest(index);
    let path = m["files"][key]["path"].as_str().unwrap().to_string();
    std::fs::write(index.join(&path), &bytes).unwrap();
    m["files"][key]["bytes"] = bytes.len().into();
    m["files"][key]["sha256"] = atelier_sha256(&bytes).into();
    std::fs::write(
        index.join("manifest.json"),
        serde_json::to_vec_pretty(&m).unwrap(),
    )
    .unwrap();
}

fn atelier_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

fn file_of(index: &Path, key: &str) -> PathBuf {
    index.join(manifest(index)["files"][key]["path"].as_str().unwrap())
}

fn assert_search_fails(index: &Path, needle: &str) {
    let err = fails(&["search", "--index", index.to_str().unwrap(), "red dress"]);
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
    let err = fails(&["verify", "--index", index.to_str().unwrap()]);
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
}

#[test]
fn a_truncated_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let codes = file_of(&index, "codes");
    let bytes = std::fs::read(&codes).unwrap();
    std::fs::write(&codes, &bytes[..bytes.len() / 2]).unwrap();
    assert_search_fails(&index, "expected");
    // Even with the manifest updated to the truncated size, the container notices.
    replace_file(&index, "codes", bytes[..bytes.len() / 2].to_vec());
    assert_search_fails(&index, "truncated");
}

#[test]
fn a_corrupted_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let facets = file_of(&index, "facets");
    let mut bytes = std::fs::read(&facets).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&facets, &bytes).unwrap();
    assert_search_fails(&index, "SHA-256");
    replace_file(&index, "facets", bytes);
    assert_search_fails(&index, "checksum");
}

#[test]
fn a_corrupted_shard_is_reported_by_verify() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let m = manifest(&index);
    let set = &m["files"]["shards"];
    let name = format!("shard1-{}.bin", set["hash"].as_str().unwrap());
    let shard = index.join(&name);
    let mut bytes = std::fs::read(&shard).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&shard, &bytes).unwrap();
    let err = fails(&["verify", "--index", index.to_str().unwrap()]);
    // Its checksum, and the set's hash over every shard.
    assert!(err.contains(&name), "{err}");
    assert!(err.contains("do not hash to"), "{err}");
}

#[test]
fn a_wrong_version_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    let mut bytes = std::fs::read(file_of(&index, "codes")).unwrap();
    bytes[4] = 12; // format version, little endian
    replace_file(&index, "codes", bytes);
    assert_search_fails(&index, "version 12 is not supported");

    let index = demo_copy(&tmp.path().join("second"));
    let mut m = manifest(&index);
    m["format_version"] = 11.into();
    std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    assert_search_fails(&index, "version 11 is not supported");
}

#[test]
fn a_missing_or_foreign_manifest_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let err = fails(&["search", "--index", tmp.path().to_str().unwrap(), "x"]);
    assert!(
        err.contains("manifest.json") && err.contains("indexer build"),
        "{err}"
    );
    std::fs::write(
        tmp.path().join("manifest.json"),
        b"{\"name\": \"some other app\"}",
    )
    .unwrap();
    let err = fails(&["verify", "--index", tmp.path().to_str().unwrap()]);
    assert!(err.contains("not an Atelier index"), "{err}");
    std::fs::write(tmp.path().join("manifest.json"), b"\x00\x01garbage").unwrap();
    let err = fails(&["search", "--index", tmp.path().to_str().unwrap(), "x"]);
    assert!(err.contains("manifest.json is invalid"), "{err}");
}

#[test]
fn a_missing_file_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    std::fs::remove_file(file_of(&index, "codes")).unwrap();
    assert_search_fails(&index, "codes-");
    // Search scores with the int8 vectors and does not read the f32 ones; verify does.
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    std::fs::remove_file(file_of(&index, "vectors")).unwrap();
    // Rankings use the int8 vectors every front end has: only exact search and verify
    // read the f32 vectors, and they name the missing file.
    let err = fails(&[
        "search",
        "--index",
        index.to_str().unwrap(),
        "--exact",
        "red dress",
    ]);
    assert!(err.contains("vectors-"), "{err}");
    let err = fails(&["verify", "--index", index.to_str().unwrap()]);
    assert!(err.contains("vectors-"), "{err}");
    ok(&["search", "--index", index.to_str().unwrap(), "red dress"]);
    let tmp = tempfile::tempdir().unwrap();
    let index = demo_copy(tmp.path());
    std::fs::remove_file(file_of(&index, "keywords")).unwrap();
    assert_search_fails(&index, "keywords-");
}

/// Every reader checks the manifest the same way (the engine's one loader): a swapped
/// shard or postings entry, an edited shard size, a path out of the folder or to a device are errors,
/// never wrong products or an endless read.
#[test]
fn a_tampered_manifest_is_an_error_not_a_wrong_answer() {
    let tmp = tempfile::tempdir().unwrap();
    let search = |index: &Path| {
        fails(&[
            "search",
            "--index",
            index.to_str().unwrap(),
            "--json",
            "--k",
            "50",
            "red dress",
        ])
    };
    // Two members of the shards' set swapped (both files intact, under each other's name).
    let member = |m: &serde_json::Value, key: &str, n: usize| {
        let set = &m["files"][key];
        format!(
            "{}{n}-{}.bin",
            set["stem"].as_str().unwrap(),
            set["hash"].as_str().unwrap()
        )
    };
    let swap = |index: &Path, a: &str, b: &str| {
        let tmp = index.join("swapping");
        std::fs::rename(index.join(a), &tmp).unwrap();
        std::fs::rename(index.join(b), index.join(a)).unwrap();
        std::fs::rename(&tmp, index.join(b)).unwrap();
    };
    let index = demo_copy(&tmp.path().join("swapped"));
    let m = manifest(&index);
    // (Shards 0 and 1 hold the same number of articles: their sizes may differ.)
    let (s0, s1) = (member(&m, "shards", 0), member(&m, "shards", 1));
    let mut m2 = m.clone();
    let sizes = m2["files"]["shards"]["bytes"].as_array_mut().unwrap();
    sizes.swap(0, 1);
    std::fs::write(
        index.join("manifest.json"),
        serde_json::to_vec(&m2).unwrap(),
    )
    .unwrap();
    swap(&index, &s0, &s1);
    let err = search(&index);
    assert!(err.contains("shard") && err.contains("manifest"), "{err}");
    let err = fails(&["verify", "--index", index.to_str().unwrap()]);
    assert!(err.contains("shard"), "{err}");

    // Two buckets of keyword postings swapped, or one left out.
    let index = demo_copy(&tmp.path().join("postings"));
    let mut m = manifest(&index);
    let (p0, p1) = (member(&m, "postings", 0), member(&m, "postings", 1));
    m["files"]["postings"]["bytes"]
        .as_array_mut()
        .unwrap()
        .swap(0, 1);
    std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    swap(&index, &p0, &p1);
    let err = search(&index);
    assert!(err.contains("postings") && err.contains("bucket"), "{err}");
    m["files"]["postings"]["bytes"]
        .as_array_mut()
        .unwrap()
        .pop();
    std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    let err = search(&index);
    assert!(
        err.contains("keywords-") && err.contains("postings"),
        "{err}"
    );

    // The points' bits a component edited (6 for the demo's 8): each file says its own.
    let index = demo_copy(&tmp.path().join("bits"));
    let mut m = manifest(&index);
    m["codes"]["point_bits"] = 6.into();
    std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    let err = search(&index);
    assert!(err.contains("points") && err.contains("bits"), "{err}");

    // shard_size edited (with the shard count made to agree).
    let index = demo_copy(&tmp.path().join("size"));
    let mut m = manifest(&index);
    let articles = m["articles"].as_u64().unwrap();
    let n = m["files"]["shards"]["bytes"].as_array().unwrap().len() as u64;
    let size = articles.div_ceil(n - 1);
    m["shard_size"] = size.into();
    m["files"]["shards"]["bytes"].as_array_mut().unwrap().pop();
    m["shard_first_ids"].as_array_mut().unwrap().pop();
    std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
    let err = search(&index);
    assert!(err.contains("shard"), "{err}");

    // Paths out of the folder, or to a device.
    for bad in [
        "/dev/zero",
        "../graph-0123456789abcdef.bin",
        "sub/graph-0123456789abcdef.bin",
    ] {
        let index = demo_copy(&tmp.path().join(format!("path{}", bad.len())));
        let mut m = manifest(&index);
        m["files"]["graph"]["path"] = bad.into();
        m["files"]["graph"]["bytes"] = (1u64 << 40).into();
        std::fs::write(index.join("manifest.json"), serde_json::to_vec(&m).unwrap()).unwrap();
        let err = search(&index);
        assert!(err.contains("not an index file name"), "{bad}: {err}");
    }

    // A file larger than the manifest says is refused before it is read.
    let index = demo_copy(&tmp.path().join("larger"));
    let keywords = file_of(&index, "keywords");
    let mut bytes = std::fs::read(&keywords).unwrap();
    bytes.extend_from_slice(&[0; 100]);
    std::fs::write(&keywords, &bytes).unwrap();
    let err = search(&index);
    assert!(
        err.contains("keywords-") && err.contains("expected"),
        "{err}"
    );
}
