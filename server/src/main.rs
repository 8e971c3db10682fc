//! `atelier-server`: see `atelier-server --help`, README.md ("Server") and ARCHITECTURE.md.

use anyhow::Result;
use atelier_server::config::{Args, Config};
use clap::Parser;

/// mimalloc rather than glibc's malloc: loading the store builds each facet's payload
/// index from every point's JSON payload (docs/BENCHMARKS.md, "A million articles").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let config = Config::resolve(Args::parse())?;
    atelier_server::init_logging(config.log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(atelier_server::serve(config))?;
    Ok(())
}
