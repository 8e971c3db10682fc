//! First-visit progress: bytes of the index and model downloaded so far — before the
//! first answers, then (smaller) while the full model refines them. A landmark of its
//! own (`aside`), as all of the page's content is.

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
                <aside class="loading" aria-label="Download" data-loaded=loaded data-total=total>
                    <p role="status" aria-live="polite">{label}</p>
                    <progress max=total.max(1) value=loaded aria-label="Download progress"></progress>
                </aside>
            }
            .into_any())
        }
        Status::Ready {
            refined: false,
            loaded,
            total,
            ..
        } if total > 0 => Some(view! {
            <aside class="loading refining-progress" aria-label="Download" data-loaded=loaded data-total=total>
                <p>
                    {format!(
                        "Searching by keyword while the full model downloads: {} of {}",
                        mb(loaded),
                        mb(total)
                    )}
                </p>
                <progress max=total.max(1) value=loaded aria-label="Model download progress"></progress>
            </aside>
        }
        .into_any()),
        _ => None,
    }
    }
}
