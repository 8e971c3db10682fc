//! # atelier-engine
//!
//! The one engine behind Atelier's indexer, browser app and server, so that all three
//! rank identically. It does no I/O: bytes in, results out.
//!
//! - [`catalog`] streams articles from CSV in the H&M `articles.csv` schema.
//! - [`text`] turns an article into the text the model embeds.
//! - [`embed`] runs all-MiniLM-L6-v2 with candle (tokenise, encode, mean-pool, normalise);
//!   [`bert`] is its encoder; [`matmul`] multiplies a query's few tokens by a weight matrix.
//!   These three are the `model` feature: without it (the browser's search worker, whose
//!   query vectors come from a worker of their own) the engine loads and ranks all the same.
//! - [`format`] is the binary container of every index file (version, kind, checksum).
//! - [`index`] defines every file of the static index, for writing and reading.
//! - [`quant`] holds the int8 vectors the HNSW graph is built over; [`graph`] is that
//!   graph, laid out flat and searched in place.
//! - [`search`] answers queries: graph search with re-scoring, exact search, filters.
//! - [`keyword`] is the BM25 inverted index; [`understand`] recognises colours, types,
//!   audiences, patterns and materials in a query and corrects typos, from the lexicon
//!   (`engine/data/lexicon.json`, data read once by the private `lexicon` module).
//! - [`occasions`] reads occasions nobody wrote down by their meaning (descriptions in
//!   `engine/data/occasions.json`, embedded into the index); [`forget`] drops the parts of
//!   an understanding a shopper removed.
//! - [`hybrid`] fuses them into the one ranking every front end shows.
//! - [`api`] is the request/response shape (and its validation) every front end shares.
//! - [`loader`] is the one loader (a checked manifest, the parts of an index and the
//!   checks of their bytes) and [`searcher`] the one searcher (validate, embed, rank,
//!   the articles an answer needs, the response) that the indexer, the browser's worker
//!   and the server all call: they add transport, nothing else.

/// Calls a portable kernel compiled for AVX2 + FMA when the CPU has them (x86-64 builds
/// target the SSE2 baseline, where these loops vectorise at half the width), else
/// as is. Results are identical either way: integer sums are exact, and Rust never fuses
/// float multiply-adds on its own, so the f32 kernels round the same. Kernels take one or
/// two arguments.
macro_rules! multiversion {
    ($kernel:ident($a:expr => $ta:ty) -> $ret:ty) => {{
        multiversion!(@dispatch $kernel, (a: $ta), ($a), $ret)
    }};
    ($kernel:ident($a:expr => $ta:ty, $b:expr => $tb:ty) -> $ret:ty) => {{
        multiversion!(@dispatch $kernel, (a: $ta, b: $tb), ($a, $b), $ret)
    }};
    (@dispatch $kernel:ident, ($($p:ident: $t:ty),*), ($($arg:expr),*), $ret:ty) => {{
        let ($($p,)*): ($($t,)*) = ($($arg,)*);
        #[cfg(target_arch = "x86_64")]
        {
            #[target_feature(enable = "avx2,fma")]
            fn wide($($p: $t),*) -> $ret {
                $kernel($($p),*)
            }
            if std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
            {
                // SAFETY: the CPU supports AVX2 and FMA (checked just above).
                unsafe { wide($($p),*) }
            } else {
                $kernel($($p),*)
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            $kernel($($p),*)
        }
    }};
}

pub mod api;
#[cfg(feature = "model")]
pub mod bert;
pub mod catalog;
pub mod codes;
pub mod details;
#[cfg(feature = "model")]
pub mod embed;
pub mod facets;
pub mod fileset;
pub mod forget;
pub mod format;
pub mod graph;
pub mod hybrid;
pub mod ids;
pub mod index;
pub mod keyword;
mod lexicon;
pub mod loader;
#[cfg(feature = "model")]
pub mod matmul;
mod needs;
mod negation;
pub mod occasions;
pub mod photos;
pub mod quant;
pub mod search;
pub mod searcher;
pub mod selection;
pub mod text;
pub mod understand;
#[cfg(feature = "model")]
pub mod words;

pub use catalog::{Article, CatalogError, CatalogReader};
#[cfg(feature = "model")]
pub use embed::{EmbedError, Embedder};
pub use hybrid::{finish_with, prepare, rank, rank_with, Mode, Prepared, Ranked};
pub use index::{IndexError, Manifest};
pub use loader::{Loader, Part};
pub use negation::embedding_text;
pub use search::{ExactSearch, Filter, GraphSearch, Hit, Index, VectorSearch};
pub use searcher::{Needed, Pending, SearchError, Searcher};
