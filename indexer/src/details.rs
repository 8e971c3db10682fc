//! `indexer details`: the detail attributes (sleeve length, neckline, fit, …) the engine
//! reads from a sample of a catalog's articles, for checking the extractor by reading;
//! with `--judged`, its precision per attribute against values read by a person.

use anyhow::{Context, Result};
use atelier_engine::details::details;
use atelier_engine::Article;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct DetailsArgs {
    /// Catalog in the H&M articles.csv schema (.csv or .csv.gz)
    #[arg(long)]
    catalog: PathBuf,
    /// Articles to sample (one per product, among those with at least one detail read)
    #[arg(long, default_value_t = 200)]
    sample: usize,
    /// Picks a different sample
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Judged values (JSON: [{"article_id", "attribute", "value"}], "" for "not said"):
    /// prints the precision per attribute instead of the sample
    #[arg(long)]
    judged: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Judged {
    article_id: String,
    attribute: String,
    value: String,
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// A stable pseudo-random order: FNV-1a of the seed and the id, then splitmix64's
/// finaliser (so ids that differ in their last digit land far apart).
fn rank(seed: u64, id: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in id.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

fn read(article: &Article) -> BTreeMap<String, String> {
    let d = details();
    d.names()
        .map(|n| (n.to_string(), d.value(n, article)))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

pub fn run(args: DetailsArgs) -> Result<()> {
    let (articles, _, _) = crate::build::read_catalog(&args.catalog, None, true)?;
    if let Some(path) = &args.judged {
        let judged: Vec<Judged> = serde_json::from_slice(
            &std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
        )
        .with_context(|| format!("{} is not a list of judged details", path.display()))?;
        let by_id: HashMap<&str, &Article> = articles
            .iter()
            .map(|a| (a.article_id.as_str(), a))
            .collect();
        // attribute → (values read, of which right)
        let mut table: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        let mut wrong = Vec::new();
        for j in &judged {
            let a = by_id
                .get(j.article_id.as_str())
                .with_context(|| format!("article {} is not in the catalog", j.article_id))?;
            let got = details().value(&j.attribute, a);
            if got.is_empty() {
                continue;
            }
            let row = table.entry(j.attribute.as_str()).or_default();
            row.0 += 1;
            if got == j.value {
                row.1 += 1;
            } else {
                wrong.push(format!(
                    "{} {}: read {got:?}, is {:?}",
                    j.article_id, j.attribute, j.value
                ));
            }
        }
        println!("| attribute | values read | right | precision |");
        println!("| --- | ---: | ---: | ---: |");
        let (mut n, mut r) = (0, 0);
        for (attr, (read, right)) in &table {
            println!(
                "| {attr} | {read} | {right} | {:.3} |",
                *right as f64 / *read as f64
            );
            n += read;
            r += right;
        }
        println!("| all | {n} | {r} | {:.3} |", r as f64 / n.max(1) as f64);
        for w in wrong {
            eprintln!("wrong: {w}");
        }
        return Ok(());
    }
    let mut sample: Vec<(&Article, BTreeMap<String, String>)> = articles
        .iter()
        .map(|a| (a, read(a)))
        .filter(|(_, d)| !d.is_empty())
        .collect();
    sample.sort_by_key(|(a, _)| rank(args.seed, &a.article_id));
    let mut products = std::collections::HashSet::new();
    sample.retain(|(a, _)| products.insert(a.product_code.clone()));
    sample.truncate(args.sample);
    for (a, d) in sample {
        println!(
            "{}",
            serde_json::json!({
                "article_id": a.article_id,
                "prod_name": a.prod_name,
                "product_type_name": a.product_type_name,
                "detail_desc": a.detail_desc,
                "details": d,
            })
        );
    }
    Ok(())
}
