//! The page: search box, loading progress, facet filters and results, with the search
//! kept in the URL (shareable, reloadable, back/forward).

use crate::address::Address;
use crate::backend::{AppError, Backend, ServerBackend, Status, WorkerBackend};
use crate::components::{
    error_view::ErrorView, examples::Examples, facet_panel::FacetPanel, loading::Loading,
    results::Results, search_box::SearchBox,
};
use crate::state::{kept_params, param, SearchState};
use crate::superseded::Superseded;
use atelier_engine::api::{FacetCounts, SearchRequest, SearchResponse, SimilarRequest};
use leptos::prelude::*;
use std::rc::Rc;

/// Results shown per search, and added by each "Load more".
pub const RESULTS_PER_PAGE: usize = 24;
/// The most one search shows: the engine's `MAX_K`, in whole pages.
pub const MAX_SHOWN: usize = atelier_engine::api::MAX_K / RESULTS_PER_PAGE * RESULTS_PER_PAGE;

/// How many results the search on screen shows ("Load more" adds a page; a new search
/// starts again from one): provided by [`App`].
#[derive(Debug, Clone, Copy)]
pub struct Shown(pub RwSignal<usize>);

/// Whether the answer on screen has all its cards drawn (they come a few per task, so
/// that no task is long: [`crate::components::results`]); the results say "loading"
/// until it has. Answers are numbered as they arrive, and each drawing of a result list
/// has a number of its own: only the latest list's end counts (an earlier list of the
/// same answer, replaced while it drew, must not say "ready" for the one on screen).
#[derive(Clone, Copy)]
pub struct Drawing {
    /// The number of the latest answer.
    pub answer: Memo<u64>,
    /// The latest result list: the answer it shows and its own number.
    pub shown: RwSignal<(u64, u64)>,
    /// The number of the last result list whose cards are all drawn.
    pub drawn: RwSignal<u64>,
}

impl Drawing {
    /// Whether the list on screen shows the latest answer and is all drawn.
    pub fn done(&self) -> bool {
        let (answer, list) = self.shown.get();
        answer == self.answer.get() && self.drawn.get() == list
    }
}

/// Changes the search: `(next, replace)` — `replace` edits the current history entry
/// instead of adding one (used while the shopper is still typing).
pub type Navigate = Callback<(SearchState, bool)>;

/// Where relative photo URLs of results point from (the index folder, or the server):
/// provided by [`App`] to every card.
#[derive(Debug, Clone, Default)]
pub struct PhotoBase(pub String);

impl PhotoBase {
    /// A result's `image` as the page loads it: absolute URLs as they are.
    pub fn resolve(&self, image: &str) -> String {
        if image.starts_with("https://") || image.starts_with("http://") || image.starts_with('/') {
            image.to_string()
        } else {
            format!("{}{image}", self.0)
        }
    }
}

fn current_query_string() -> String {
    window().location().search().unwrap_or_default()
}

/// The worker script (written by Trunk next to the page) and the index folder.
const WORKER_SCRIPT: &str = "./atelier-worker_loader.js";
const INDEX_BASE: &str = "./static-index/";

fn start_backend(qs: &str, status: RwSignal<Status>) -> Result<Backend, AppError> {
    let server = param(qs, "backend")
        .filter(|b| !b.trim().is_empty())
        .or_else(|| option_env!("ATELIER_BACKEND").map(str::to_string));
    provide_context(PhotoBase(match &server {
        Some(url) => format!("{}/", url.trim_end_matches('/')),
        None => option_env!("ATELIER_INDEX_BASE")
            .unwrap_or(INDEX_BASE)
            .to_string(),
    }));
    match server {
        Some(url) => {
            let server = Rc::new(ServerBackend::new(&url));
            crate::backend::stop_early_worker();
            let s = server.clone();
            leptos::task::spawn_local(async move { s.connect(status).await });
            Ok(Backend::Server(server))
        }
        None => {
            let index_base = option_env!("ATELIER_INDEX_BASE").unwrap_or(INDEX_BASE);
            Ok(Backend::Worker(WorkerBackend::start(
                WORKER_SCRIPT,
                index_base,
                status,
            )))
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    let qs = current_query_string();
    let kept = kept_params(&qs);
    let search = RwSignal::new(SearchState::from_query_string(&qs));
    let shown = RwSignal::new(RESULTS_PER_PAGE);
    provide_context(Shown(shown));

    let status = RwSignal::new(Status::Loading {
        loaded: 0,
        total: 0,
    });
    let backend = start_backend(&qs, status);
    let server_mode = matches!(backend, Ok(Backend::Server(_)));
    if let Err(e) = &backend {
        status.set(Status::Failed(e.to_string()));
    }

    let address = Address::new();
    let navigate: Navigate = Callback::new(move |(next, replace): (SearchState, bool)| {
        // What is still waiting is written first: the comparison below is with the
        // address of the search on screen.
        address.flush();
        let url = next.to_query_string(&kept);
        let changes = search.get_untracked() != next;
        if url != current_query_string() {
            let target = if url.is_empty() {
                window()
                    .location()
                    .pathname()
                    .unwrap_or_else(|_| "./".into())
            } else {
                url
            };
            if changes {
                address.defer(target, replace);
            } else {
                address.write(target, replace);
            }
        }
        if changes {
            shown.set(RESULTS_PER_PAGE);
            search.set(next);
        }
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        address.forget();
        shown.set(RESULTS_PER_PAGE);
        search.set(SearchState::from_query_string(&current_query_string()));
    });

    // A worker answers lexically until the codes and the model are in; then the search
    // on screen runs again and its full answer replaces the first (the Transition keeps
    // the cards, the box and the scroll position meanwhile).
    let refined = Memo::new(move |_| status.with(Status::is_refined));
    let b = backend.clone();
    // A search under way gives way to the one that replaces it (`superseded.rs`): it then
    // resolves to the answer on screen, and the new search starts at once.
    let superseded = Superseded::new();
    Effect::new(move |_| {
        refined.track();
        search.track();
        shown.track();
        superseded.changed();
    });
    let on_screen: StoredValue<Option<Result<Option<SearchResponse>, AppError>>, LocalStorage> =
        StoredValue::new_local(None);
    // How many times the search's future has ended (the facet counts' check).
    let answers = StoredValue::new(0u64);
    let results = LocalResource::new(move || {
        superseded.track();
        let r = refined.get();
        let s = search.get();
        let k = shown.get();
        let b = b.clone();
        async move {
            use futures::future::{select, Either};
            let wanted = s.clone();
            let stale = move || {
                refined.get_untracked() != r
                    || shown.get_untracked() != k
                    || search.with_untracked(|now| *now != wanted)
            };
            let work = std::pin::pin!(answer(b, s, k));
            let gave_way = std::pin::pin!(superseded.wait(&stale));
            let response = select(work, gave_way).await;
            answers.update_value(|n| *n += 1);
            match response {
                Either::Left((response, _)) if !stale() => {
                    // The search's address is written once its answer is here (or failed).
                    address.flush();
                    on_screen.set_value(Some(response.clone()));
                    response
                }
                // Replaced (while under way, or as its answer came): the answer on screen
                // stays until the search wanted now answers.
                _ => {
                    superseded.rerun();
                    on_screen.get_value().unwrap_or(Ok(None))
                }
            }
        }
    });
    let filters = Memo::new(move |_| search.with(|s| s.filters.clone()));
    // Facet counts over what the search selects when it selects a set ("red dress"),
    // else over the catalog under the filters. Each set of counts waits for its answer,
    // which says which they are (the catalog's shown first, then the set's, moved every
    // group); the Transition keeps the last ones meanwhile.
    // (reactive_graph may lose the mark of a change made while these counts are under
    // way — `superseded.rs` says how — so they check for one themselves as they end.)
    let facets_again = RwSignal::new(0u64);
    let facets = LocalResource::new(move || {
        facets_again.track();
        let f = filters.get();
        let b = backend.clone();
        async move {
            let answer = results.await;
            let seen = answers.get_value();
            let counts = facet_counts(b, answer, f.clone(), search).await;
            if answers.get_value() != seen || filters.with_untracked(|now| *now != f) {
                facets_again.update(|n| *n += 1);
            }
            counts
        }
    });

    let drawing = Drawing {
        answer: Memo::new(move |prev: Option<&u64>| {
            results.track();
            prev.map_or(1, |n| n + 1)
        }),
        shown: RwSignal::new((0, 0)),
        drawn: RwSignal::new(0),
    };
    provide_context(drawing);
    let pending = RwSignal::new(false);
    let data_state = move || {
        if matches!(status.get(), Status::Failed(_)) {
            return "error";
        }
        match results.get() {
            _ if pending.get() => "loading",
            None => "loading",
            Some(Err(_)) => "error",
            Some(Ok(Some(_))) if !drawing.done() => "loading",
            Some(Ok(Some(r))) if r.preliminary => "preliminary",
            Some(Ok(_)) => "ready",
        }
    };

    // A short summary for screen readers, not the whole list read out again.
    let announce = move || match results.get() {
        _ if pending.get() => "Searching…".to_string(),
        Some(Ok(Some(r))) => format!(
            "{}{}",
            search.with_untracked(|s| crate::count::count_line(&r, &s.filters)),
            if r.preliminary { ", refining" } else { "" }
        ),
        Some(Err(_)) => "The search failed".to_string(),
        _ => String::new(),
    };
    // The skip link moves focus to the results (no #fragment: the URL holds the search).
    let skip = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(el) = document().get_element_by_id("results") {
            use wasm_bindgen::JsCast;
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };

    // The page in two tasks: the header and the box at once, the rest in the next task
    // (mounting everything was the longest task of a first visit: the wasm's functions
    // compile on their first call).
    let rest = RwSignal::new(false);
    set_timeout(move || rest.set(true), std::time::Duration::ZERO);

    view! {
        <a class="skip" href="#results" on:click=skip>"Skip to results"</a>
        <header class="top">
            <h1 class="brand-title">
                <a class="brand" href="./" aria-label="Atelier home">"Atelier"</a>
            </h1>
            <SearchBox search=search navigate=navigate/>
        </header>
        <p id="announce" class="visually-hidden" role="status" aria-live="polite">{announce}</p>
        <Loading status=status/>
        {move || match status.get() {
            Status::Failed(message) => Some(view! {
                <ErrorView title="Search is unavailable" message=Signal::stored(message)/>
            }),
            _ => None,
        }}
        {move || rest.get().then(|| view! {
        <Examples search=search navigate=navigate/>
        <main class="layout">
            <FacetPanel facets=facets search=search navigate=navigate/>
            <section id="results" class="results" aria-label="Results" tabindex="-1" data-state=data_state>
                <Transition
                    fallback=|| view! { <p class="hint">"Loading…"</p> }
                    set_pending=pending.write_only()
                >
                    <ErrorBoundary fallback=move |errors| {
                        // "More like this" that failed (an old link): a way back.
                        let back = move |_| {
                            let mut next = search.get_untracked();
                            next.like = None;
                            navigate.run((next, false));
                        };
                        view! {
                            <ErrorView
                                title="That search failed"
                                message=Signal::derive(move || {
                                    errors
                                        .get()
                                        .into_iter()
                                        .map(|(_, e)| e.to_string())
                                        .collect::<Vec<_>>()
                                        .join("; ")
                                })
                            />
                            <Show when=move || search.with(|s| s.like.is_some())>
                                <button type="button" class="link back-to-search" on:click=back>
                                    "Back to search"
                                </button>
                            </Show>
                        }
                    }>
                        {move || Suspend::new(async move {
                            results.await.map(|r| view! { <Results response=r search=search navigate=navigate/> })
                        })}
                    </ErrorBoundary>
                </Transition>
            </section>
        </main>
        <footer
            class="foot"
            data-offline=move || status.with(|s| matches!(s, Status::Ready { offline: true, .. }).then_some("ready"))
            data-index-version=move || status.with(|s| match s {
                Status::Ready { version, .. } => Some(version.clone()),
                _ => None,
            })
        >
            {move || match status.get() {
                Status::Ready { articles, load_ms, offline, .. } => format!(
                    "{articles} articles · ready in {:.1} s · {}{}",
                    load_ms / 1000.0,
                    if server_mode { "searches run on the server" } else { "searches run on this device" },
                    if offline { " · available offline" } else { "" }
                ),
                _ => String::new(),
            }}
        </footer>
        })}
    }
}

/// The answer to search `s`, showing `k` results (none for the idle page).
async fn answer(
    backend: Result<Backend, AppError>,
    s: SearchState,
    k: usize,
) -> Result<Option<SearchResponse>, AppError> {
    if s.is_idle() {
        return Ok(None);
    }
    let b = backend?;
    let response = match s.like {
        Some(article_id) => {
            b.similar(SimilarRequest {
                article_id,
                k: Some(k),
                filters: s.filters,
            })
            .await
        }
        None => {
            b.search(SearchRequest {
                q: s.q,
                k: Some(k),
                filters: s.filters,
                mode: None,
                ignore: s.ignore,
            })
            .await
        }
    };
    response.map(Some)
}

/// The facet counts for `answer`: its own, or else over the set it selects or over the
/// catalog under `filters`.
async fn facet_counts(
    backend: Result<Backend, AppError>,
    answer: Result<Option<SearchResponse>, AppError>,
    filters: std::collections::BTreeMap<String, Vec<String>>,
    search: RwSignal<SearchState>,
) -> Result<Vec<FacetCounts>, AppError> {
    let counts = match answer {
        Ok(Some(r)) => match r.facets {
            Some(counts) => return Ok(counts),
            // A first visit's first answer selects a set before every facet column is
            // here: the worker counts it once they are.
            None if r.preliminary && r.total.is_some() => Counts::OfSearch,
            None => Counts::Catalog,
        },
        _ => Counts::Catalog,
    };
    // The cards first: on a first visit these counts read every facet column (about
    // 0.2 MB on the full catalog), which must not share the link with the answer's own
    // downloads nor delay its drawing.
    after_paint().await;
    match counts {
        Counts::OfSearch => {
            let request = search.with_untracked(|s| SearchRequest {
                q: s.q.clone(),
                // (The counts do not depend on how many cards are shown.)
                k: Some(1),
                filters: s.filters.clone(),
                mode: None,
                ignore: s.ignore.clone(),
            });
            backend?.search_facets(request).await
        }
        Counts::Catalog => backend?.facets(filters).await,
    }
}

/// Where the facet panel's counts come from when the answer has none.
enum Counts {
    /// Over the set the search selects, asked for separately.
    OfSearch,
    /// The catalog's under the filters.
    Catalog,
}

/// Resolves once the browser has painted what is on the page now (two animation frames).
async fn after_paint() {
    let (tx, rx) = futures::channel::oneshot::channel();
    request_animation_frame(move || {
        request_animation_frame(move || {
            let _ = tx.send(());
        })
    });
    let _ = rx.await;
}
