//! A clear, readable error panel (never a blank page).

use leptos::prelude::*;

#[component]
pub fn ErrorView(title: &'static str, message: Signal<String>) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            <strong>{title}</strong>
            <p>{move || message.get()}</p>
        </div>
    }
}
