//! The search worker's entry point: answers the app's messages (see `atelier_worker`).

fn main() {
    atelier_worker::start();
}
