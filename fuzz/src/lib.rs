//! # atelier-fuzz
//!
//! One function per fuzz target, each taking arbitrary bytes and feeding them to the
//! engine the way a front end would: the CSV reader, every index file's decoder (through
//! its checked container and, wrapped in a valid container, straight into its parser),
//! the manifest, query understanding and ranking over a small real index, API bodies
//! and worker messages. A target passes when it returns: errors are expected, panics,
//! hangs and unbounded allocations are findings.
//!
//! `cargo +nightly fuzz run TARGET` (feature `libfuzzer`, the binaries in
//! `fuzz_targets/`) fuzzes one target; `cargo test -p atelier-fuzz` replays the
//! committed corpora (`corpus/TARGET/`) and every past finding (`regressions/TARGET/`)
//! on stable Rust, so CI runs them all.
//!
//! The fixture (`fixture/`) is the lexical part, shards, codes and points of an index the real
//! indexer built from the first 120 articles of our own demo catalog.

use atelier_engine::api::{EncodeRequest, EncoderEvent, SearchRequest, WorkerEvent, WorkerRequest};
use atelier_engine::catalog::CatalogReader;
use atelier_engine::format::{self, Codec, FileKind};
use atelier_engine::index::{Facets, FileRef, Manifest, Shard, Vectors};
use atelier_engine::keyword::KeywordIndex;
use atelier_engine::{Article, Index, Loader, Searcher};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The fixture index's files, by manifest path.
mod fixture {
    include!(concat!(env!("CARGO_MANIFEST_DIR"), "/fixture/files.rs"));
}

struct Fixture {
    loader: Loader,
    searcher: Searcher,
    articles: Vec<Article>,
}

fn file(path: &str) -> &'static [u8] {
    fixture::FILES
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| *b)
        .unwrap_or_else(|| panic!("the fixture has no {path}"))
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let loader = Loader::new(file("manifest.json")).expect("the fixture's manifest");
        let f = &loader.manifest().files;
        let mut searcher = loader
            .lexical(file(&f.facets.path), file(&f.keywords.path))
            .expect("the fixture's lexical part");
        for (n, p) in f.postings.iter().enumerate() {
            searcher
                .attach_postings(n, file(&p.path))
                .expect("the fixture's postings");
        }
        for (n, p) in f.facet_columns.iter().enumerate() {
            searcher
                .attach_facet_column(n, file(&p.path))
                .expect("the fixture's facet columns");
        }
        searcher
            .attach_codes(file(&f.codes.path))
            .expect("the fixture's codes");
        for (n, p) in f.points.iter().enumerate() {
            searcher
                .attach_points(n, file(&p.path))
                .expect("the fixture's points");
        }
        let articles = (0..f.shards.len())
            .flat_map(|n| {
                loader
                    .shard(n, file(&f.shards[n].path))
                    .expect("the fixture's shards")
                    .articles
            })
            .collect();
        Fixture {
            loader,
            searcher,
            articles,
        }
    })
}

/// The CSV reader over any bytes: every row read (errors are rows too).
pub fn csv(data: &[u8]) {
    let Ok(reader) = CatalogReader::new("fuzz.csv", data) else {
        return;
    };
    for row in reader.take(10_000) {
        let _ = row;
    }
}

const KINDS: [FileKind; 9] = [
    FileKind::Facets,
    FileKind::Keywords,
    FileKind::Graph,
    FileKind::Vectors,
    FileKind::Shard,
    FileKind::Postings,
    FileKind::FacetColumn,
    FileKind::Codes,
    FileKind::Points,
];

/// `data[0]` picks a decoder and whether the rest is a whole file (checked container)
/// or a payload to wrap in a valid container (straight into the parser).
pub fn index_file(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let kind = KINDS[pick as usize % KINDS.len()];
    let wrapped;
    let bytes = if pick & 0x80 != 0 {
        let codec = if pick & 0x40 != 0 {
            Codec::Deflate
        } else {
            Codec::Stored
        };
        wrapped = format::encode_file(kind, codec, rest);
        &wrapped[..]
    } else {
        rest
    };
    let file = FileRef {
        path: "fuzz".into(),
        bytes: bytes.len() as u64,
        sha256: String::new(),
    };
    match kind {
        FileKind::Facets => drop(Facets::decode(&file, bytes)),
        FileKind::Keywords => drop(KeywordIndex::decode(&file, bytes)),
        FileKind::Graph => drop(atelier_engine::graph::Graph::decode(&file, bytes, None)),
        FileKind::Vectors => drop(Vectors::decode(&file, bytes)),
        FileKind::Shard => drop(Shard::decode(&file, bytes)),
        FileKind::FacetColumn => facet_column(bytes),
        FileKind::Codes => drop(atelier_engine::codes::Codes::decode(&file, bytes)),
        FileKind::Points => points(bytes),
        _ => postings(bytes),
    }
}

/// The fixture's lexical index, its manifest first changed by `edit` (to list a fuzzed
/// file's size, so that the bytes reach the decoder).
fn lexical_index(edit: impl FnOnce(&mut Manifest)) -> Option<Index> {
    let f = &fixture().loader.manifest().files;
    let mut manifest: Manifest = fixture().loader.manifest().clone();
    edit(&mut manifest);
    Index::lexical(manifest, file(&f.facets.path), file(&f.keywords.path)).ok()
}

/// `bytes` as each of the fixture's facet columns, through the index's own checks.
fn facet_column(bytes: &[u8]) {
    let sized = |m: &mut Manifest| {
        for n in 0..m.files.facet_columns.len() {
            m.files.facet_columns.set_bytes(n, bytes.len() as u64);
        }
    };
    if let Some(mut index) = lexical_index(sized) {
        for n in 0..index.manifest.files.facet_columns.len() {
            let _ = index.attach_facet_column(n, bytes);
        }
    }
}

/// `bytes` as the fixture's first bucket of postings, through the index's own checks.
fn postings(bytes: &[u8]) {
    let sized = |m: &mut Manifest| {
        m.files.postings.set_bytes(0, bytes.len() as u64);
    };
    if let Some(mut index) = lexical_index(sized) {
        let _ = index.attach_postings(0, bytes);
    }
}

/// `bytes` as the fixture's first partition of points, through the index's own checks
/// (after its codes).
fn points(bytes: &[u8]) {
    let sized = |m: &mut Manifest| {
        m.files.points.set_bytes(0, bytes.len() as u64);
    };
    let codes = &fixture().loader.manifest().files.codes;
    if let Some(mut index) = lexical_index(sized) {
        if index.attach_codes(file(&codes.path)).is_ok() && index.attach_points(0, bytes).is_ok() {
            // Every point read back (partition 0's from these bytes).
            for i in 0..index.len() as u32 {
                let _ = index.vector(i);
            }
        }
    }
}

/// `manifest.json` as any bytes: parsed and checked, then every part's files listed
/// and the fixture's files offered to it.
pub fn manifest(data: &[u8]) {
    let Ok(loader) = Loader::new(data) else {
        return;
    };
    let f = &loader.manifest().files;
    let _ = loader.lexical(file(&fixture().loader.manifest().files.facets.path), &[]);
    for part in [
        atelier_engine::Part::Lexical,
        atelier_engine::Part::Postings,
        atelier_engine::Part::FacetColumns,
        atelier_engine::Part::Graph,
        atelier_engine::Part::Model,
        atelier_engine::Part::Words,
        atelier_engine::Part::FullVectors,
    ] {
        let _ = loader.files(part);
    }
    for n in 0..f.shards.len().min(4) {
        let _ = loader.shard(n, &[]);
    }
}

const MODES: [&str; 5] = ["hybrid", "vector", "keyword", "lexical", "other"];

/// A search as arbitrary bytes: `data[0]` the mode, `data[1]` k, then the query; after
/// a `\n`, `facet=value` filters one per line. Validated and, when valid, ranked over the
/// fixture (lexically, and with a vector made from the bytes) and answered.
pub fn query(data: &[u8]) {
    let (head, text) = data.split_at(data.len().min(2));
    let mode = head
        .first()
        .map(|&m| MODES[m as usize % MODES.len()].to_string());
    let k = head.get(1).map(|&k| k as usize);
    let text = String::from_utf8_lossy(text);
    let mut lines = text.split('\n');
    let q = lines.next().unwrap_or_default().to_string();
    let mut filters: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ignore = Vec::new();
    for line in lines.take(16) {
        let (name, value) = line.split_once('=').unwrap_or((line, ""));
        if name == "ignore" {
            ignore.push(value.to_string());
            continue;
        }
        filters
            .entry(name.to_string())
            .or_default()
            .push(value.to_string());
    }
    let request = SearchRequest {
        q,
        k,
        filters,
        mode,
        ignore,
    };
    let fx = fixture();
    let Ok(valid) = fx.searcher.validate(&request) else {
        return;
    };
    let dim = fx.loader.manifest().model.dim as usize;
    let mut vector: Vec<f32> = (0..dim)
        .map(|i| data.get(i % data.len().max(1)).copied().unwrap_or(1) as f32 - 127.5)
        .collect();
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        vector.iter_mut().for_each(|x| *x /= norm);
    }
    for v in [None, Some(&vector[..])] {
        let pending = fx
            .searcher
            .search_vector(&valid, v, || 0.0)
            .expect("a valid search over a loaded index is answered");
        let response = pending.respond(|i| {
            fx.articles
                .get(i as usize)
                .ok_or_else(|| format!("no article {i}"))
        });
        let response = response.expect("every article a ranking names exists");
        assert!(response.results.len() <= valid.k);
    }
}

/// An HTTP body: a search request as JSON, validated against the fixture.
pub fn body(data: &[u8]) {
    if let Ok(request) = serde_json::from_slice::<SearchRequest>(data) {
        let _ = fixture().searcher.validate(&request);
    }
}

/// A message between the app, the search worker and the encoder worker, as JSON.
pub fn worker_message(data: &[u8]) {
    if let Ok(WorkerRequest::Search { request, .. } | WorkerRequest::SearchFacets { request, .. }) =
        serde_json::from_slice(data)
    {
        let _ = fixture().searcher.validate(&request);
    }
    if let Ok(WorkerRequest::Facets { filters, .. }) = serde_json::from_slice(data) {
        if let Ok(filter) = fixture().searcher.filter(&filters) {
            let _ = atelier_engine::api::facet_counts(fixture().searcher.index(), &filter);
        }
    }
    let _ = serde_json::from_slice::<WorkerEvent>(data);
    let _ = serde_json::from_slice::<EncodeRequest>(data);
    let _ = serde_json::from_slice::<EncoderEvent>(data);
}
