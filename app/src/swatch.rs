//! Catalog colour names ("Dark Red", "Light Beige", "Off White") to CSS colours for swatches.

/// A CSS colour for a catalog colour group name; grey when the name is unknown.
pub fn css_colour(name: &str) -> String {
    match rgb(name) {
        Some((r, g, b)) => format!("rgb({r}, {g}, {b})"),
        None => "#9a9a9a".into(),
    }
}

/// The class that sets the colour a pattern is drawn in over an article of colour
/// `name`: dark on light colours, light on dark ones.
pub fn pattern_ink(name: &str) -> &'static str {
    let (r, g, b) = rgb(name).unwrap_or((154, 154, 154));
    let luma = 0.299 * r as f32 + 0.587 * g as f32 + 0.114 * b as f32;
    if luma > 150.0 {
        "ink-dark"
    } else {
        "ink-light"
    }
}

fn rgb(name: &str) -> Option<(u8, u8, u8)> {
    let lower = name.to_lowercase();
    let base = [
        ("off white", (240, 236, 225)),
        ("white", (250, 250, 250)),
        ("black", (20, 20, 20)),
        ("grey", (140, 140, 140)),
        ("gray", (140, 140, 140)),
        ("silver", (192, 192, 192)),
        ("gold", (201, 165, 60)),
        ("beige", (214, 196, 160)),
        ("khaki", (156, 145, 98)),
        ("brown", (120, 80, 45)),
        ("bronze", (150, 100, 50)),
        ("copper", (184, 115, 51)),
        ("red", (200, 30, 40)),
        ("pink", (240, 140, 170)),
        ("orange", (240, 130, 30)),
        ("yellow", (245, 210, 40)),
        ("green", (50, 140, 60)),
        ("turquoise", (40, 190, 180)),
        ("blue", (40, 90, 190)),
        ("purple", (120, 60, 150)),
        ("lilac", (190, 160, 220)),
        ("mole", (110, 100, 90)),
        ("greenish khaki", (120, 125, 80)),
        ("yellowish brown", (160, 120, 50)),
        ("transparent", (235, 235, 235)),
    ];
    let &(_, (r, g, b)) = base
        .iter()
        .filter(|(k, _)| lower.contains(k))
        .max_by_key(|(k, _)| k.len())?;
    let shade = |c: u8, f: f32| -> u8 {
        if f >= 0.0 {
            (c as f32 + (255.0 - c as f32) * f) as u8
        } else {
            (c as f32 * (1.0 + f)) as u8
        }
    };
    let f = if lower.starts_with("light") {
        0.45
    } else if lower.starts_with("dark") {
        -0.45
    } else if lower.starts_with("other") {
        0.2
    } else {
        0.0
    };
    Some((shade(r, f), shade(g, f), shade(b, f)))
}

#[cfg(test)]
mod tests {
    use super::{css_colour, pattern_ink};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn shades_follow_the_name() {
        assert_eq!(css_colour("Red"), "rgb(200, 30, 40)");
        assert_ne!(css_colour("Dark Red"), css_colour("Red"));
        assert_ne!(css_colour("Light Red"), css_colour("Red"));
        assert_eq!(css_colour("Off White"), "rgb(240, 236, 225)");
        assert_eq!(css_colour("Greenish Khaki"), "rgb(120, 125, 80)");
        assert_eq!(css_colour("Unknown"), "#9a9a9a");
        assert_ne!(pattern_ink("White"), pattern_ink("Black"));
        assert_eq!(pattern_ink("Light Pink"), pattern_ink("White"));
    }
}
