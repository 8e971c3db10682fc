//! Mounts the Atelier app (see `atelier_app`) in place of the page shell.

fn main() {
    console_error_panic_hook::set_once();
    let focused = atelier_app::shell::take_over();
    leptos::mount::mount_to_body(atelier_app::App);
    if focused {
        atelier_app::shell::refocus();
    }
}
