//! Mounts the Atelier app (see `atelier_app`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(atelier_app::App);
}
