//! The result list: timing, what the query was understood as ([`Understood`]), notices,
//! product cards.

use crate::components::app::{Drawing, Navigate, RESULTS_PER_PAGE};
use crate::components::load_more::LoadMore;
use crate::components::product_card::ProductCard;
use crate::components::suggestions::Suggestions;
use crate::components::understood::Understood;
use crate::state::SearchState;
use atelier_engine::api::{ResultItem, SearchResponse};
use leptos::prelude::*;
use std::cell::Cell;

thread_local! {
    /// The article "More like this" was last asked for, and how its card named it.
    static LIKED: std::cell::RefCell<Option<(String, String)>> = const { std::cell::RefCell::new(None) };
    /// Set by "More like this" and "Back to search": the control the shopper used goes
    /// away with the old results, so the next results take the focus (not on a plain
    /// search, where it stays in the search box).
    static TAKE_FOCUS: Cell<bool> = const { Cell::new(false) };
    /// Result lists drawn so far (each list's number: [`Drawing`]).
    static LISTS: Cell<u64> = const { Cell::new(0) };
}

/// Remembers the card's name for article `id`, for the "More like this" heading (a
/// shared link has only the id: its heading is the plain one).
pub fn liked(id: &str, name: &str) {
    LIKED.set(Some((id.to_string(), name.to_string())));
}

/// The next results shown take the keyboard focus: their "More like this" heading, or
/// the results area.
pub fn focus_next_results() {
    TAKE_FOCUS.set(true);
}

/// Moves the focus to the like heading or the results area, once they are on the page.
fn take_focus_when_asked() {
    if !TAKE_FOCUS.replace(false) {
        return;
    }
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        let target = document()
            .query_selector(".like-head h2")
            .ok()
            .flatten()
            .or_else(|| document().get_element_by_id("results"));
        if let Some(el) = target {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

/// Cards drawn per task on a first page.
const CARDS_PER_TASK: usize = 6;

/// Draws the cards behind `rest`'s flags one task after another (each its own task, so
/// input is answered between them), then calls `done`. Stops if the answer was replaced
/// meanwhile.
fn draw_in_turn(mut rest: std::collections::VecDeque<RwSignal<bool>>, done: impl Fn() + 'static) {
    set_timeout(
        move || match rest.pop_front() {
            Some(next) => {
                if next.try_set(true).is_none() {
                    draw_in_turn(rest, done);
                }
            }
            None => done(),
        },
        std::time::Duration::ZERO,
    );
}

#[component]
pub fn Results(
    response: Option<SearchResponse>,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    let drawing = use_context::<Drawing>();
    // (This answer's number: the one the resource has just given.)
    let answer = drawing.map_or(0, |d| d.answer.get_untracked());
    let Some(r) = response else {
        return view! {
            <p class="hint">"Describe what you are looking for — an occasion, a colour, who it is for."</p>
        }
        .into_any();
    };
    let like = search.with_untracked(|s| s.like.clone());
    let back = move |_| {
        let mut next = search.get_untracked();
        next.like = None;
        focus_next_results();
        navigate.run((next, false));
    };
    let heading = like.as_ref().map(|id| {
        let title = LIKED.with_borrow(|l| match l {
            Some((liked, name)) if liked == id => format!("More like this: {name}"),
            _ => "More like this".to_string(),
        });
        view! {
            <div class="like-head">
                <h2 tabindex="-1">{title}</h2>
                <button type="button" class="link" on:click=back>"Back to search"</button>
            </div>
        }
    });
    let understood =
        view! { <Understood understood=r.understood.clone() search=search navigate=navigate/> };
    // On the timing line, not a line of its own: when the full answer replaces this one,
    // nothing below moves (no layout shift).
    let refining = r.preliminary.then(|| {
        view! {
            <span class="refining" role="status">
                " · quick matches by keyword, refining with the full model…"
            </span>
        }
    });
    let n = r.results.len();
    let took = r.took_ms;
    // What the count counts: the set the search selects ("139 red dresses"), or the
    // ranking's best matches.
    let filters = search.with_untracked(|s| s.filters.clone());
    let timing = format!("{} · {took:.0} ms", crate::count::count_line(&r, &filters));
    let total = r.total;
    // A first page is drawn a few cards per task (24 cards at once were one task of
    // 60 ms, 240 ms on Lighthouse's phone: most of its blocking time). The cards not
    // drawn yet hold their place at a card's size, so nothing moves when they come, and
    // the shopper's scroll position is kept when a full answer replaces the first.
    // ("Load more" draws at once: its first new card takes the focus.)
    let items: Vec<(usize, ResultItem)> = r.results.into_iter().enumerate().collect();
    let size = if n <= RESULTS_PER_PAGE {
        CARDS_PER_TASK
    } else {
        n.max(1)
    };
    let parts: Vec<Vec<(usize, ResultItem)>> = items.chunks(size).map(<[_]>::to_vec).collect();
    let drawn: Vec<RwSignal<bool>> = (0..parts.len()).map(|k| RwSignal::new(k == 0)).collect();
    let all_drawn = drawn.last().copied().unwrap_or_else(|| RwSignal::new(true));
    let list = LISTS.with(|n| {
        n.set(n.get() + 1);
        n.get()
    });
    if let Some(d) = drawing {
        d.shown.set((answer, list));
    }
    let done = move || {
        if let Some(d) = drawing {
            d.drawn.try_set(list);
        }
    };
    if drawn.len() > 1 {
        draw_in_turn(drawn.iter().skip(1).copied().collect(), done);
    } else {
        done();
    }
    let cards = parts
        .into_iter()
        .zip(drawn)
        .map(|(part, on)| {
            move || {
                if on.get() {
                    leptos::either::Either::Left(
                        part.iter()
                            .map(|(i, item)| view! { <ProductCard item=item.clone() rank=i + 1 search=search navigate=navigate/> })
                            .collect_view(),
                    )
                } else {
                    leptos::either::Either::Right(
                        part.iter()
                            .map(|_| view! { <li class="card-slot" aria-hidden="true"></li> })
                            .collect_view(),
                    )
                }
            }
        })
        .collect_view();
    // The first answer's cards and the full answer's are different elements: patching
    // one article's card into another's moved what stayed (its text, the cards below) and
    // counted as layout shift when the full answer came (0.023 for "red dress" on a
    // phone); new cards in place of old ones do not.
    let list = if r.preliminary {
        leptos::either::Either::Left(view! { <ol class="cards">{cards}</ol> })
    } else {
        leptos::either::Either::Right(view! { <ol class="cards">{cards}</ol> })
    };
    take_focus_when_asked();
    // More of the same search: the ranking's next page (its first pages do not move).
    let more = move || all_drawn.get().then(|| view! { <LoadMore shown_now=n/> });
    view! {
        {heading}
        <p class="timing" data-took-ms=format!("{took:.3}") data-total=total.map(|t| t.to_string())>{timing}{refining}</p>
        {understood}
        {r.notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
        {(!r.suggestions.is_empty()).then(|| view! { <Suggestions words=r.suggestions.clone() search=search navigate=navigate/> })}
        {(n == 0).then(|| view! { <p class="hint">"Nothing found. Try fewer words or remove a filter."</p> })}
        {list}
        {more}
    }
    .into_any()
}
