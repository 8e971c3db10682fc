//! The encoder worker's entry point: embeds the search worker's queries (see
//! `atelier_encoder`).

fn main() {
    atelier_encoder::start();
}
