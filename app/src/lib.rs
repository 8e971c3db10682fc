//! # atelier-app
//!
//! The shopper-facing search page, a Leptos client-side app built with Trunk. It never
//! embeds or ranks on the main thread: a [`backend::Backend`] does — by default the
//! on-device search worker (`atelier-worker`, running the shared engine over the static
//! index), or an Atelier server when the page is opened with `?backend=URL` (or built
//! with `ATELIER_BACKEND` set).
//!
//! - [`address`]: the search's URL, written once its answer is here.
//! - [`state`]: the search (query, filters, "more like this") and its URL form.
//! - [`backend`]: the worker and server backends behind one interface.
//! - [`components`]: one Leptos component per file.
//! - [`count`]: what a result count counts, in a shopper's words.
//! - [`names`]: shopper-facing names for the catalog's sections and groups.
//! - [`pictures`]: which illustration and pattern draw a product without a photo.
//! - [`shell`]: the page painted before the wasm arrives, and its hand-over.
//! - [`swatch`]: catalog colour names to CSS colours.

pub mod address;
pub mod backend;
pub mod components;
pub mod count;
pub mod names;
pub mod pictures;
pub mod shell;
pub mod state;
pub mod superseded;
pub mod swatch;

pub use components::app::App;
