//! First-visit progress: bytes of the index and model downloaded so far — before the
//! first answers, then (smaller) while the full model refines them.

use crate::backend::Status;
use leptos::prelude::*;

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[component]
pub fn Loading(status: RwSignal<Status>) -> impl IntoView {
    move || {
        match status.get() {
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
            }
            .into_any())
        }
        Status::Ready {
            refined: false,
            loaded,
            total,
            ..
        } if total > 0 => Some(view! {
            <div class="loading refining-progress" data-loaded=loaded data-total=total>
                <p>
                    {format!(
                        "Searching by keyword while the full model downloads: {} of {}",
                        mb(loaded),
                        mb(total)
                    )}
                </p>
                <progress max=total.max(1) value=loaded aria-label="Model download progress"></progress>
            </div>
        }
        .into_any()),
        _ => None,
    }
    }
}
