//! One product: its picture, name, type, colour with swatches for its colour variants, pattern,
//! audience, description, and "More like this". The score and the shown article's id
//! are data attributes for tools and tests, not text for shoppers (a similarity does not
//! follow the rank order, and ids mean nothing to them).

use crate::components::app::{Navigate, PhotoBase};
use crate::components::product_picture::ProductPicture;
use crate::state::SearchState;
use crate::swatch::css_colour;
use atelier_engine::api::ResultItem;
use leptos::prelude::*;

#[component]
pub fn ProductCard(
    item: ResultItem,
    rank: usize,
    search: RwSignal<SearchState>,
    navigate: Navigate,
) -> impl IntoView {
    // The ranked article first, then its other colours.
    let base = use_context::<PhotoBase>().unwrap_or_default();
    let mut variants = vec![(
        item.article_id.clone(),
        item.colour_group_name.clone(),
        item.graphical_appearance_name.clone(),
        item.image.as_deref().map(|i| base.resolve(i)),
    )];
    for v in &item.variants {
        if v.article_id != item.article_id {
            variants.push((
                v.article_id.clone(),
                v.colour_group_name.clone(),
                v.graphical_appearance_name.clone(),
                v.image.as_deref().map(|i| base.resolve(i)),
            ));
        }
    }
    let variants = StoredValue::new(variants);
    let shown = RwSignal::new(0usize);
    let colour = move || variants.with_value(|v| v[shown.get()].1.clone());
    let pattern = move || variants.with_value(|v| v[shown.get()].2.clone());
    let shown_id = move || variants.with_value(|v| v[shown.get()].0.clone());
    let photo = move || variants.with_value(|v| v[shown.get()].3.clone());
    // "More like this" follows the colour on show, and its heading names it.
    let name = item.prod_name.clone();
    let more_like_this = move |_| {
        let mut next = search.get_untracked();
        let id = shown_id();
        crate::components::results::liked(&id, &format!("{name} in {}", colour()));
        next.like = Some(id);
        crate::components::results::focus_next_results();
        navigate.run((next, false));
    };
    let audience = if item.audience.is_empty() {
        item.index_group_name.clone()
    } else {
        item.audience.clone()
    };
    let swatches = (variants.with_value(|v| v.len()) > 1).then(|| {
        let buttons = variants.with_value(|v| {
            v.iter()
                .enumerate()
                .map(|(i, (id, colour, _, _))| {
                    let label = format!("Show in {colour}");
                    view! {
                        <button
                            type="button"
                            class="swatch-button"
                            class:selected=move || shown.get() == i
                            aria-pressed=move || (shown.get() == i).to_string()
                            aria-label=label.clone()
                            title=colour.clone()
                            data-variant-id=id.clone()
                            on:click=move |_| shown.set(i)
                        >
                            <span class="swatch" style:background=css_colour(colour)></span>
                        </button>
                    }
                })
                .collect_view()
        });
        view! { <div class="variants" role="group" aria-label="Colours">{buttons}</div> }
    });
    let title_id = format!("card-{}", item.article_id);
    view! {
        <li
            class="card"
            data-article-id=item.article_id.clone()
            data-rank=rank
            data-score=format!("{:.4}", item.score)
            data-shown-id=shown_id
            aria-labelledby=title_id.clone()
            tabindex="-1"
        >
            <ProductPicture
                product_type=item.product_type_name.clone()
                product_group=item.product_group_name.clone()
                colour=Signal::derive(colour)
                pattern=Signal::derive(pattern)
                photo=Signal::derive(photo)
            />
            <div class="card-top">
                <h3 id=title_id.clone()>{item.prod_name.clone()}</h3>
                <p class="meta">
                    {crate::names::shown("product_type", &item.product_type_name)} " · " {audience}
                </p>
            </div>
            <p class="colour">
                <span class="label">"Colour "</span>{colour}
                <span class="label">" · Pattern "</span>{pattern}
            </p>
            {swatches}
            <p class="desc">{item.detail_desc.clone()}</p>
            <div class="card-foot">
                <button type="button" class="like" on:click=more_like_this>"More like this"</button>
            </div>
        </li>
    }
}
