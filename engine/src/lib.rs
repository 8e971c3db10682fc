//! # atelier-engine
//!
//! The one engine behind Atelier's indexer, browser app and server, so that all three
//! rank identically. It does no I/O: bytes in, results out.
//!
//! - [`catalog`] streams articles from CSV in the H&M `articles.csv` schema.
//! - [`text`] turns an article into the text the model embeds.
//! - [`embed`] runs all-MiniLM-L6-v2 with candle (tokenise, encode, mean-pool, normalise);
//!   [`bert`] is its encoder; [`matmul`] multiplies a query's few tokens by a weight matrix.
//! - [`format`] is the binary container of every index file (version, kind, checksum).
//! - [`index`] defines every file of the static index, for writing and reading.
//! - [`quant`] holds the int8 vectors the HNSW graph is built over; [`graph`] is that
//!   graph, laid out flat and searched in place.
//! - [`search`] answers queries: graph search with re-scoring, exact search, filters.
//! - [`keyword`] is the BM25 inverted index; [`understand`] recognises colours, types,
//!   audiences, patterns and materials in a query and corrects typos.
//! - [`hybrid`] fuses them into the one ranking every front end shows.
//! - [`api`] is the request/response shape (and its validation) every front end shares.

pub mod api;
pub mod bert;
pub mod catalog;
pub mod embed;
pub mod format;
pub mod graph;
pub mod hybrid;
pub mod index;
pub mod keyword;
pub mod matmul;
pub mod quant;
pub mod search;
pub mod text;
pub mod understand;

pub use catalog::{Article, CatalogError, CatalogReader};
pub use embed::{EmbedError, Embedder};
pub use hybrid::{rank, rank_with, Mode, Ranked};
pub use index::{IndexError, Manifest};
pub use search::{ExactSearch, Filter, GraphSearch, Hit, Index, IndexBytes, VectorSearch};
