//! `GET /photos/{folder}/{file}`: the thumbnails `indexer build --images` wrote into the
//! index folder, for the results whose `image` is relative (`photos/010/0108775015.webp?v=…`).
//! Their URLs carry a hash of the whole set, so they are cached for good.

use crate::error::HttpError;
use axum::extract::Path;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use std::path::PathBuf;

/// Serves one thumbnail of `index`'s `photos/` folder; anything but a three-digit
/// folder and a numeric `.webp` name is a 404 (no path escapes the folder).
pub async fn photo(index: PathBuf, Path((folder, file)): Path<(String, String)>) -> Response {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let valid = folder.len() == 3
        && digits(&folder)
        && file
            .strip_suffix(".webp")
            .is_some_and(|id| id.len() <= 20 && digits(id) && id.starts_with(folder.as_str()));
    if !valid {
        return HttpError::not_found("path", "no such photo").into_response();
    }
    let path = index.join("photos").join(&folder).join(&file);
    match tokio::fs::read(&path).await {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/webp")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => HttpError::not_found("path", "no such photo").into_response(),
    }
}
