//! Product photos: where a front end finds an article's picture. An index may name a
//! URL template in its manifest (`photos.url`): absolute for a shop whose images live
//! on a CDN (`indexer build --photo-url`), or relative to the index folder for the
//! thumbnails the indexer wrote itself (`indexer build --images DIR`). The searcher
//! fills each result's `image` from it; an index without one has no photos, and the
//! app draws its own illustrations instead.

use serde::{Deserialize, Serialize};

/// The placeholders a template may use.
pub const PLACEHOLDERS: [&str; 3] = ["{article_id}", "{product_code}", "{folder}"];

/// Longest template accepted.
const MAX_TEMPLATE: usize = 1000;

/// `manifest.json`'s `photos`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Photos {
    /// The URL of an article's photo: `{article_id}` (`0108775015`), `{product_code}`
    /// (`0108775`) and `{folder}` (the id's first three digits, `010`: the Kaggle
    /// dataset's `images/010/0108775015.jpg` layout) are replaced.
    pub url: String,
}

impl Photos {
    /// A checked template: it names `{article_id}` or `{product_code}`, every `{…}` is
    /// a placeholder, and it has no whitespace or control characters.
    pub fn new(url: &str) -> Result<Self, String> {
        if url.is_empty() || url.len() > MAX_TEMPLATE {
            return Err(format!(
                "a photo URL template has 1 to {MAX_TEMPLATE} characters"
            ));
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("a photo URL template has no spaces or control characters".into());
        }
        if !url.contains("{article_id}") && !url.contains("{product_code}") {
            return Err(format!(
                "the photo URL template {url:?} names no article: use {{article_id}} (and {{folder}} for the Kaggle layout)"
            ));
        }
        let mut rest = url;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map(|e| start + e + 1);
            let Some(end) = end.filter(|&e| PLACEHOLDERS.contains(&&rest[start..e])) else {
                return Err(format!(
                    "the photo URL template {url:?} has an unknown placeholder (known: {})",
                    PLACEHOLDERS.join(", ")
                ));
            };
            rest = &rest[end..];
        }
        Ok(Self { url: url.into() })
    }

    /// The photo of one article.
    pub fn url_for(&self, article_id: &str, product_code: &str) -> String {
        let folder = article_id.get(..3).unwrap_or(article_id);
        self.url
            .replace("{article_id}", article_id)
            .replace("{product_code}", product_code)
            .replace("{folder}", folder)
    }

    /// Whether the URLs are relative to the index folder (the indexer's own
    /// thumbnails) rather than absolute (a CDN).
    pub fn is_relative(&self) -> bool {
        !(self.url.starts_with("https://")
            || self.url.starts_with("http://")
            || self.url.starts_with('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_the_kaggle_layout() {
        let p = Photos::new("https://cdn.example.com/images/{folder}/{article_id}.jpg").unwrap();
        assert_eq!(
            p.url_for("0108775015", "0108775"),
            "https://cdn.example.com/images/010/0108775015.jpg"
        );
        assert!(!p.is_relative());
        let own = Photos::new("photos/{folder}/{article_id}.webp?v=abc").unwrap();
        assert!(own.is_relative());
        assert_eq!(
            own.url_for("0990001001", "0990001"),
            "photos/099/0990001001.webp?v=abc"
        );
    }

    #[test]
    fn rejects_templates_that_cannot_work() {
        for bad in [
            "",
            "https://cdn.example.com/logo.png",
            "https://cdn.example.com/{id}.jpg",
            "https://cdn.example.com/{article_id.jpg",
            "https://cdn.example.com/{article_id} .jpg",
            "https://cdn.example.com/\u{7}{article_id}.jpg",
        ] {
            assert!(Photos::new(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(Photos::new("/img/{product_code}.jpg").is_ok());
    }
}
