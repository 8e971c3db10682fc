//! Errors: [`ServerError`] for starting and running the server, [`HttpError`] for what a
//! client is told (always JSON, naming the offending field).

use atelier_engine::api::ApiError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::path::Path;

/// Why the server could not start, or why a search failed inside it.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("index {0}")]
    Index(String),
    #[error("index is inconsistent: {0}")]
    Inconsistent(String),
    #[error("embedding failed: {0}")]
    Embed(String),
    #[error("vector store: {0}")]
    Store(String),
    #[error("configuration: {0}")]
    Config(String),
    #[error("{0}")]
    Internal(String),
    /// Too many searches computing or waiting: this one is shed.
    #[error("too many searches at once")]
    Overloaded,
}

impl ServerError {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

impl From<atelier_engine::EmbedError> for ServerError {
    fn from(e: atelier_engine::EmbedError) -> Self {
        Self::Embed(e.to_string())
    }
}

impl From<atelier_engine::SearchError<ServerError>> for ServerError {
    fn from(e: atelier_engine::SearchError<ServerError>) -> Self {
        use atelier_engine::SearchError as E;
        match e {
            E::Store(e) => e,
            E::Model(e) => Self::Embed(e),
            E::Index(e) => Self::Index(e.to_string()),
            E::UnknownArticle(id) => Self::Inconsistent(format!("no article {id:?}")),
            other => Self::Internal(other.to_string()),
        }
    }
}

/// An error answer: status plus `{"error", "field", "message"}`.
#[derive(Debug)]
pub struct HttpError {
    pub status: StatusCode,
    pub field: String,
    pub message: String,
    /// Seconds after which a retry may succeed (`Retry-After`), for 503s.
    pub retry_after: Option<u32>,
}

impl HttpError {
    pub fn bad_request(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            field: field.into(),
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn not_found(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            field: field.into(),
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<ApiError> for HttpError {
    fn from(e: ApiError) -> Self {
        Self::bad_request(e.field, e.message)
    }
}

impl From<ServerError> for HttpError {
    /// What a client is told: the kind of failure, never the details (file paths, the
    /// store's own error texts), which go to the log.
    fn from(e: ServerError) -> Self {
        let (status, message, retry_after) = match &e {
            ServerError::Overloaded => (
                StatusCode::SERVICE_UNAVAILABLE,
                "too many searches at once; retry in a second",
                Some(1),
            ),
            ServerError::Store(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "the vector store is unavailable; retry shortly",
                Some(5),
            ),
            _ => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "the search failed inside the server (details in its log)",
                None,
            ),
        };
        if matches!(e, ServerError::Overloaded) {
            tracing::debug!("search shed: too many at once");
        } else {
            tracing::error!(error = %e, "request failed");
        }
        Self {
            status,
            field: "server".into(),
            message: message.into(),
            retry_after,
        }
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let error = if self.field.is_empty() {
            self.message.clone()
        } else {
            format!("{}: {}", self.field, self.message)
        };
        let body = serde_json::json!({
            "error": error,
            "field": self.field,
            "message": self.message,
        });
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
