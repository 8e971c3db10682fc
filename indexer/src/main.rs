//! `indexer`: builds Atelier's static index from a fashion catalog and searches it.
//!
//! See `indexer --help`, README.md and ARCHITECTURE.md.

mod build;
mod cache;
mod cli;
mod details;
mod model;
mod photos;
mod progress;
mod query;
mod relevance;
mod store;

fn main() -> std::process::ExitCode {
    match cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
