//! The app's components, one per file.

pub mod app;
pub mod error_view;
pub mod examples;
pub mod facet_panel;
pub mod filter_chips;
pub mod load_more;
pub mod loading;
pub mod product_card;
pub mod product_picture;
pub mod results;
pub mod search_box;
pub mod suggestions;
pub mod understood;
