//! A product's picture: its photo when the index has one (lazy-loaded, in a box sized
//! before it arrives), else — or when the photo fails to load — our own illustration of
//! its product type in its colour and pattern ([`crate::pictures`]). Decorative: the
//! card's heading names the product.

use crate::pictures::{illustration, illustration_url, pattern_class};
use crate::swatch::{css_colour, pattern_ink};
use leptos::prelude::*;

#[component]
pub fn ProductPicture(
    product_type: String,
    product_group: String,
    /// The colour on show (catalog name).
    colour: Signal<String>,
    /// The graphical appearance on show ("Stripe").
    pattern: Signal<String>,
    /// The photo on show, if the index has photos.
    photo: Signal<Option<String>>,
) -> impl IntoView {
    let name = illustration(&product_type, &product_group);
    let shape = illustration_url(&name);
    // A photo that failed (missing from the shop's folder or CDN) gives way to the
    // illustration; another colour's photo gets its own try.
    let failed = RwSignal::new(None::<String>);
    let showing_photo = move || photo.get().filter(|p| failed.get().as_ref() != Some(p));
    view! {
        <div class="picture" aria-hidden="true" data-illustration=name>
            {move || match showing_photo() {
                Some(src) => {
                    let s = src.clone();
                    view! {
                        <img
                            src=src
                            alt=""
                            loading="lazy"
                            decoding="async"
                            on:error=move |_| failed.set(Some(s.clone()))
                        />
                    }
                    .into_any()
                }
                None => {
                    let shape = shape.clone();
                    view! {
                    <span class="figure">
                        <span
                            class=move || {
                                let c = colour.get();
                                format!("illustration {} {}", pattern_class(&pattern.get()), pattern_ink(&c))
                            }
                            style:mask-image=shape.clone()
                            style:background-color=move || css_colour(&colour.get())
                        ></span>
                    </span>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
