//! First-visit progress: bytes of the index and model downloaded so far.

use crate::backend::Status;
use leptos::prelude::*;

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[component]
pub fn Loading(status: RwSignal<Status>) -> impl IntoView {
    move || match status.get() {
        Status::Loading { loaded, total } => {
            let label = if total == 0 {
                "Loading the catalog index…".to_string()
            } else {
                format!(
                    "Downloading the model and index: {} of {} ({:.0}%)",
                    mb(loaded),
                    mb(total),
                    loaded as f64 * 100.0 / total as f64
                )
            };
            Some(view! {
                <div class="loading" role="status" aria-live="polite" data-loaded=loaded data-total=total>
                    <p>{label}</p>
                    <progress max=total.max(1) value=loaded aria-label="Download progress"></progress>
                </div>
            })
        }
        _ => None,
    }
}
