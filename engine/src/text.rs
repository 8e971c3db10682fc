//! What an article "says" to the embedding model, and derived attributes such as the audience.

use crate::catalog::Article;
use serde::{Deserialize, Serialize};

/// Who an article is for, derived from the index group, index and section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Audience {
    Ladies,
    Men,
    Kids,
    Baby,
    Sport,
}

impl Audience {
    /// All audiences, in display order.
    pub const ALL: [Audience; 5] = [
        Audience::Ladies,
        Audience::Men,
        Audience::Kids,
        Audience::Baby,
        Audience::Sport,
    ];

    /// Display label (also the facet value).
    pub fn label(self) -> &'static str {
        match self {
            Audience::Ladies => "Ladies",
            Audience::Men => "Men",
            Audience::Kids => "Kids",
            Audience::Baby => "Baby",
            Audience::Sport => "Sport",
        }
    }

    /// Derives the audience of an article; `None` when the catalog does not say.
    pub fn of(article: &Article) -> Option<Audience> {
        match article.index_group_name.as_str() {
            "Ladieswear" | "Divided" => Some(Audience::Ladies),
            "Menswear" => Some(Audience::Men),
            "Sport" => Some(Audience::Sport),
            "Baby/Children" if article.index_name.starts_with("Baby") => Some(Audience::Baby),
            "Baby/Children" => Some(Audience::Kids),
            _ => None,
        }
    }
}

/// "Boy" or "Girl" for children's and babies' articles whose department or section says so.
pub fn gender(article: &Article) -> Option<&'static str> {
    if !matches!(Audience::of(article), Some(Audience::Kids | Audience::Baby)) {
        return None;
    }
    for name in [&article.department_name, &article.section_name] {
        let n = name.to_lowercase();
        if n.contains("boy") && !n.contains("boyfriend") {
            return Some("Boy");
        }
        if n.contains("girl") {
            return Some("Girl");
        }
    }
    None
}

fn known(value: &str) -> Option<&str> {
    let v = value.trim();
    match v {
        "" | "Unknown" | "undefined" | "-1" => None,
        _ => Some(v),
    }
}

/// The phrase naming who the article is for, in words shoppers use.
pub fn audience_phrase(article: &Article) -> Option<&'static str> {
    let section = article.section_name.as_str();
    let boy = section.contains("Boy");
    let girl = section.contains("Girl");
    Some(match Audience::of(article)? {
        Audience::Ladies => "for women",
        Audience::Men => "for men",
        Audience::Kids if boy => "for boys, kids",
        Audience::Kids if girl => "for girls, kids",
        Audience::Kids => "for kids",
        Audience::Baby if boy => "for baby boys",
        Audience::Baby if girl => "for baby girls",
        Audience::Baby => "for babies",
        Audience::Sport if section.starts_with("Men") => "sportswear for men",
        Audience::Sport if section.starts_with("Kids") => "sportswear for kids",
        Audience::Sport => "sportswear for women",
    })
}

/// The text embedded for an article: name, then colour, pattern, product type and audience,
/// garment group, and the description — the attributes shoppers search by.
///
/// `Strap top: black vest top for women. Jersey Basic. Jersey top with narrow shoulder straps.`
pub fn embedding_text(a: &Article) -> String {
    let mut head = Vec::with_capacity(5);
    if let Some(c) = known(&a.colour_group_name) {
        head.push(c.to_lowercase());
    }
    if let Some(p) = known(&a.graphical_appearance_name).filter(|p| *p != "Solid") {
        head.push(p.to_lowercase());
    }
    if let Some(t) = known(&a.product_type_name) {
        head.push(t.to_lowercase());
    }
    if let Some(aud) = audience_phrase(a) {
        head.push(aud.to_string());
    }
    let mut text = String::with_capacity(64 + a.detail_desc.len());
    text.push_str(a.prod_name.trim());
    if !head.is_empty() {
        text.push_str(": ");
        text.push_str(&head.join(" "));
    }
    text.push('.');
    if let Some(g) = known(&a.garment_group_name) {
        text.push(' ');
        text.push_str(g);
        text.push('.');
    }
    if let Some(d) = known(&a.detail_desc) {
        text.push(' ');
        text.push_str(d);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article() -> Article {
        Article {
            prod_name: "Strap top".into(),
            product_type_name: "Vest top".into(),
            graphical_appearance_name: "Stripe".into(),
            colour_group_name: "Black".into(),
            index_group_name: "Baby/Children".into(),
            index_name: "Children Sizes 92-140".into(),
            section_name: "Kids Girl".into(),
            garment_group_name: "Jersey Basic".into(),
            detail_desc: "Jersey top with narrow shoulder straps.".into(),
            ..Article::default()
        }
    }

    #[test]
    fn text_carries_shopper_attributes() {
        assert_eq!(
            embedding_text(&article()),
            "Strap top: black stripe vest top for girls, kids. Jersey Basic. Jersey top with narrow shoulder straps."
        );
        assert_eq!(Audience::of(&article()), Some(Audience::Kids));
    }

    #[test]
    fn unknowns_and_solid_are_left_out() {
        let mut a = article();
        a.graphical_appearance_name = "Solid".into();
        a.colour_group_name = "Unknown".into();
        a.garment_group_name = "Unknown".into();
        a.detail_desc.clear();
        a.index_group_name = "Menswear".into();
        assert_eq!(embedding_text(&a), "Strap top: vest top for men.");
    }
}
