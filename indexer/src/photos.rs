//! `indexer build --images DIR` and `--photo-url TEMPLATE`: where the index's product
//! photos come from ([`atelier_engine::photos`]).
//!
//! With `--images`, every article's photo in the Kaggle layout (`DIR/010/0108775015.jpg`)
//! becomes a small lossy WebP thumbnail written into the index folder
//! (`photos/010/0108775015.webp`), one file per article so a results page fetches only
//! its cards' pictures; the manifest's template carries a hash of them all, so a new
//! set of pictures has new URLs and caches never serve an old one. Articles without a
//! photo, and photos that cannot be read (counted and named), get none: the app draws
//! its illustration instead.

use crate::progress::bar;
use anyhow::{bail, Result};
use atelier_engine::photos::Photos;
use atelier_engine::Article;
use atelier_folder::publish::Publish;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(clap::Args, Debug, Default)]
pub struct PhotoArgs {
    /// Folder of product photos in the Kaggle layout (`DIR/010/0108775015.jpg`, or
    /// `DIR/images/010/…`): written into the index as small WebP thumbnails.
    #[arg(long, value_name = "DIR", conflicts_with = "photo_url")]
    images: Option<PathBuf>,
    /// URL template of the shop's own photos, e.g.
    /// `https://cdn.example.com/{folder}/{article_id}.jpg` ({article_id}, {product_code}
    /// and {folder}, the id's first three digits, are replaced).
    #[arg(long, value_name = "TEMPLATE")]
    photo_url: Option<String>,
    /// Longest side of a thumbnail, in pixels.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(32..=1200))]
    photo_size: u32,
    /// WebP quality of a thumbnail (0–100).
    #[arg(long, default_value_t = 70.0)]
    photo_quality: f32,
}

impl PhotoArgs {
    /// Checks the options before the long work starts.
    pub fn check(&self) -> Result<()> {
        if let Some(url) = &self.photo_url {
            Photos::new(url).map_err(anyhow::Error::msg)?;
        }
        if let Some(dir) = &self.images {
            if !dir.is_dir() {
                bail!("--images {}: not a folder", dir.display());
            }
        }
        if !(0.0..=100.0).contains(&self.photo_quality) {
            bail!("--photo-quality is between 0 and 100");
        }
        Ok(())
    }

    /// The manifest's `photos`: the template given, or the thumbnails written.
    pub fn write(&self, articles: &[Article], publish: &Publish) -> Result<Option<Photos>> {
        if let Some(url) = &self.photo_url {
            return Ok(Some(Photos::new(url).map_err(anyhow::Error::msg)?));
        }
        let Some(dir) = &self.images else {
            return Ok(None);
        };
        thumbnails(
            &root(dir),
            articles,
            publish,
            self.photo_size,
            self.photo_quality,
        )
        .map(Some)
    }
}

/// `DIR` itself, or `DIR/images` when that is where the numbered folders are.
fn root(dir: &Path) -> PathBuf {
    let nested = dir.join("images");
    if nested.is_dir() {
        nested
    } else {
        dir.to_path_buf()
    }
}

/// Where an article's photo is and where its thumbnail goes.
fn paths(root: &Path, id: &str) -> (PathBuf, String) {
    let folder = id.get(..3).unwrap_or(id);
    (
        root.join(folder).join(format!("{id}.jpg")),
        format!("photos/{folder}/{id}.webp"),
    )
}

enum Outcome {
    Thumbnail(Vec<u8>),
    Missing,
    Unreadable(String),
}

fn thumbnail(path: &Path, size: u32, quality: f32) -> Outcome {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Outcome::Missing,
        Err(e) => return Outcome::Unreadable(e.to_string()),
    };
    let image = match image::load_from_memory(&bytes) {
        Ok(i) => i,
        Err(e) => return Outcome::Unreadable(e.to_string()),
    };
    let rgb = image.thumbnail(size, size).to_rgb8();
    let webp = webp::Encoder::from_rgb(rgb.as_raw(), rgb.width(), rgb.height()).encode(quality);
    Outcome::Thumbnail(webp.to_vec())
}

/// Thumbnails every article's photo into `publish`'s folder; the template that finds them.
fn thumbnails(
    root: &Path,
    articles: &[Article],
    publish: &Publish,
    size: u32,
    quality: f32,
) -> Result<Photos> {
    let progress = bar(articles.len() as u64, "photos");
    let mut hash = Sha256::new();
    let (mut written, mut missing) = (0usize, 0usize);
    let mut unreadable: Vec<(String, String)> = Vec::new();
    // In chunks: the work in parallel, the writing and the hash in article order.
    for chunk in articles.chunks(512) {
        let done: Vec<(&Article, Outcome)> = chunk
            .par_iter()
            .map(|a| (a, thumbnail(&paths(root, &a.article_id).0, size, quality)))
            .collect();
        for (a, outcome) in done {
            match outcome {
                Outcome::Thumbnail(bytes) => {
                    let (_, file) = paths(root, &a.article_id);
                    publish.write(&file, &bytes)?;
                    hash.update(file.as_bytes());
                    hash.update(&bytes);
                    written += 1;
                }
                Outcome::Missing => missing += 1,
                Outcome::Unreadable(why) => unreadable.push((a.article_id.clone(), why)),
            }
            progress.inc(1);
        }
    }
    progress.finish_and_clear();
    if written == 0 {
        bail!(
            "--images {}: no photo of any article was found (expected {})",
            root.display(),
            paths(
                root,
                &articles
                    .first()
                    .map(|a| a.article_id.clone())
                    .unwrap_or_else(|| "0108775015".into())
            )
            .0
            .display()
        );
    }
    eprintln!(
        "photos: {written} thumbnails, {missing} articles without a photo{}",
        if unreadable.is_empty() {
            String::new()
        } else {
            format!(", {} unreadable (skipped)", unreadable.len())
        }
    );
    for (id, why) in unreadable.iter().take(5) {
        eprintln!("  photo of {id} unreadable: {why}");
    }
    let version = hex::encode(&hash.finalize()[..8]);
    Photos::new(&format!(
        "photos/{{folder}}/{{article_id}}.webp?v={version}"
    ))
    .map_err(anyhow::Error::msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_kaggle_layout() {
        let (src, dst) = paths(Path::new("/data/images"), "0108775015");
        assert_eq!(src, Path::new("/data/images/010/0108775015.jpg"));
        assert_eq!(dst, "photos/010/0108775015.webp");
    }

    #[test]
    fn a_broken_photo_is_unreadable_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.jpg");
        std::fs::write(&path, b"not a jpeg").unwrap();
        assert!(matches!(
            thumbnail(&path, 300, 70.0),
            Outcome::Unreadable(_)
        ));
        assert!(matches!(
            thumbnail(&dir.path().join("none.jpg"), 300, 70.0),
            Outcome::Missing
        ));
    }
}
