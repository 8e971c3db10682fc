//! `indexer relevance`: P@10 and nDCG@10 of the vector, keyword and hybrid rankings over
//! a judged query set (bench/relevance/queries.json), per query kind and overall.

use anyhow::{bail, Context, Result};
use atelier_engine::text::Audience;
use atelier_engine::{rank, Article, Filter, Mode, Part};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct RelevanceArgs {
    #[arg(long, default_value = "static-index")]
    index: PathBuf,
    #[arg(long, default_value = "bench/relevance/queries.json")]
    queries: PathBuf,
    #[arg(long, default_value_t = 10)]
    k: usize,
    /// Print each query's precision per mode.
    #[arg(long)]
    verbose: bool,
}

#[derive(Deserialize)]
struct QuerySet {
    queries: Vec<Judged>,
}

#[derive(Deserialize)]
struct Judged {
    id: String,
    kind: String,
    query: String,
    all: Vec<Condition>,
    #[serde(default)]
    any_text: Vec<String>,
}

#[derive(Deserialize)]
struct Condition {
    field: String,
    #[serde(default)]
    r#in: Option<Vec<String>>,
    #[serde(default)]
    not_in: Option<Vec<String>>,
    #[serde(default)]
    contains_any: Option<Vec<String>>,
}

fn field<'a>(a: &'a Article, name: &str) -> Result<std::borrow::Cow<'a, str>> {
    use std::borrow::Cow::{Borrowed, Owned};
    Ok(match name {
        "audience" => Borrowed(Audience::of(a).map(|x| x.label()).unwrap_or("")),
        "prod_name" => Borrowed(&a.prod_name),
        "product_type_name" => Borrowed(&a.product_type_name),
        "product_group_name" => Borrowed(&a.product_group_name),
        "graphical_appearance_name" => Borrowed(&a.graphical_appearance_name),
        "colour_group_name" => Borrowed(&a.colour_group_name),
        "perceived_colour_value_name" => Borrowed(&a.perceived_colour_value_name),
        "perceived_colour_master_name" => Borrowed(&a.perceived_colour_master_name),
        "department_name" => Borrowed(&a.department_name),
        "index_name" => Borrowed(&a.index_name),
        "index_group_name" => Borrowed(&a.index_group_name),
        "section_name" => Borrowed(&a.section_name),
        "garment_group_name" => Borrowed(&a.garment_group_name),
        "detail_desc" => Borrowed(&a.detail_desc),
        "index_code" => Borrowed(&a.index_code),
        "product_type_no" => Owned(a.product_type_no.to_string()),
        other => bail!("unknown field {other:?} in a judgment"),
    })
}

fn relevant(q: &Judged, a: &Article) -> Result<bool> {
    for c in &q.all {
        let v = field(a, &c.field)?;
        if let Some(set) = &c.r#in {
            if !set.iter().any(|x| x == v.as_ref()) {
                return Ok(false);
            }
        }
        if let Some(set) = &c.not_in {
            if set.iter().any(|x| x == v.as_ref()) {
                return Ok(false);
            }
        }
        if let Some(subs) = &c.contains_any {
            let lv = v.to_lowercase();
            if !subs.iter().any(|s| lv.contains(&s.to_lowercase())) {
                return Ok(false);
            }
        }
    }
    if !q.any_text.is_empty() {
        let text = format!("{} {}", a.prod_name, a.detail_desc).to_lowercase();
        if !q.any_text.iter().any(|s| text.contains(&s.to_lowercase())) {
            return Ok(false);
        }
    }
    Ok(true)
}

#[derive(Default, Clone, Copy)]
struct Sums {
    p: f64,
    ndcg: f64,
    n: usize,
}

pub fn run(args: RelevanceArgs) -> Result<()> {
    let set: QuerySet = serde_json::from_slice(
        &std::fs::read(&args.queries)
            .with_context(|| format!("reading {}", args.queries.display()))?,
    )
    .with_context(|| format!("{} is not a judged query set", args.queries.display()))?;
    let (folder, searcher) =
        crate::store::searcher(&args.index, &[Part::Codes, Part::Points, Part::Model], None)?;
    let (index, embedder) = (searcher.index(), searcher.embedder().expect("model loaded"));
    let articles: Vec<Article> = folder.all_articles()?;
    let modes = [
        ("vector", Mode::Vector),
        ("keyword", Mode::Keyword),
        ("lexical", Mode::Lexical),
        ("hybrid", Mode::Hybrid),
    ];
    let mut table: BTreeMap<(String, &str), Sums> = BTreeMap::new();
    let no_filter = Filter::default();
    // Per kind: how many queries the hybrid ranking read as an occasion by meaning.
    let mut by_meaning: BTreeMap<String, usize> = BTreeMap::new();
    for q in &set.queries {
        let judged: Vec<bool> = articles
            .iter()
            .map(|a| relevant(q, a))
            .collect::<Result<_>>()?;
        let total = judged.iter().filter(|&&r| r).count();
        let ideal: f64 = (0..total.min(args.k))
            .map(|i| 1.0 / ((i + 2) as f64).log2())
            .sum();
        let v = embedder.embed(&atelier_engine::embedding_text(&q.query))?;
        let mut line = format!("{:<10} {:<55}", q.id, q.query);
        for (name, mode) in modes {
            let ranked = rank(index, &q.query, &v, args.k, &no_filter, mode, false);
            let rels: Vec<bool> = ranked
                .hits
                .iter()
                .map(|h| judged[h.index as usize])
                .collect();
            let p = rels.iter().filter(|&&r| r).count() as f64 / args.k as f64;
            let dcg: f64 = rels
                .iter()
                .enumerate()
                .filter(|(_, &r)| r)
                .map(|(i, _)| 1.0 / ((i + 2) as f64).log2())
                .sum();
            let ndcg = if ideal > 0.0 { dcg / ideal } else { 0.0 };
            for kind in [q.kind.clone(), "overall".to_string()] {
                let s = table.entry((kind, name)).or_default();
                s.p += p;
                s.ndcg += ndcg;
                s.n += 1;
            }
            line.push_str(&format!(" {name}={p:.1}"));
            if let (Mode::Hybrid, Some(need)) = (mode, &ranked.understood.occasion) {
                *by_meaning.entry(q.kind.clone()).or_default() += 1;
                line.push_str(&format!(" (occasion by meaning: {need})"));
            }
        }
        if args.verbose {
            eprintln!("{line}");
        }
    }
    let kinds: Vec<String> = {
        let mut k: Vec<String> = table.keys().map(|(k, _)| k.clone()).collect();
        k.dedup();
        k.retain(|k| k != "overall");
        k.push("overall".into());
        k
    };
    let names: Vec<&str> = modes.iter().map(|m| m.0).collect();
    let header: Vec<String> = ["P", "nDCG"]
        .iter()
        .flat_map(|m| names.iter().map(move |n| format!("{n} {m}@{}", args.k)))
        .collect();
    println!("| kind | queries | {} |", header.join(" | "));
    println!("| --- | ---: |{}", " ---: |".repeat(header.len()));
    for kind in kinds {
        let get = |m: &str| table.get(&(kind.clone(), m)).copied().unwrap_or_default();
        let n = get("vector").n;
        let cells: Vec<String> = [false, true]
            .iter()
            .flat_map(|&ndcg| {
                names.iter().map(move |m| {
                    let s = get(m);
                    let v = if ndcg { s.ndcg } else { s.p };
                    format!("{:.3}", v / s.n.max(1) as f64)
                })
            })
            .collect();
        println!("| {kind} | {n} | {} |", cells.join(" | "));
    }
    let meaning: Vec<String> = by_meaning.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!(
        "\nQueries the hybrid ranking read as an occasion by meaning: {}",
        if meaning.is_empty() {
            "none".to_string()
        } else {
            meaning.join(", ")
        }
    );
    Ok(())
}
