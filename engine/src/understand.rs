//! Query understanding: colours, product types, patterns, materials and audiences
//! recognised in a shopper's words (from the catalog's own vocabularies plus synonyms),
//! typo correction against the index's vocabulary, and the keyword terms to search.

use crate::index::Facets;
use crate::keyword::{stem, tokenize, KeywordIndex};
use serde::{Deserialize, Serialize};

/// What the engine understood of a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Perceived colour families (facet `colour_master`).
    pub colours: Vec<String>,
    /// Product types (facet `product_type`).
    pub types: Vec<String>,
    /// Audiences (facet `audience`).
    pub audiences: Vec<String>,
    /// "Boy" or "Girl", matched against the section (boys' / girls' departments).
    pub gender: Option<String>,
    /// Patterns (facet `pattern`).
    pub patterns: Vec<String>,
    /// Materials, matched as keywords.
    pub materials: Vec<String>,
    /// Keyword terms with weights (corrected spellings, synonyms at lower weight).
    pub terms: Vec<(String, f32)>,
    /// Spelling corrections made, as (typed, used).
    pub corrections: Vec<(String, String)>,
}

impl Intent {
    /// Whether any attribute (not just keywords) was recognised.
    pub fn has_attributes(&self) -> bool {
        !(self.colours.is_empty()
            && self.types.is_empty()
            && self.audiences.is_empty()
            && self.patterns.is_empty())
    }
}

enum Meaning {
    Colour(&'static [&'static str]),
    Type(&'static [&'static str]),
    Audience(&'static str, Option<&'static str>),
    Pattern(&'static [&'static str]),
    Material,
    /// Extra keyword terms to search for.
    Expand(&'static [&'static str]),
}

/// Phrases (stemmed tokens joined by spaces) and what they mean. Longest match wins.
const LEXICON: &[(&str, Meaning)] = &[
    // Colours → perceived colour families.
    ("black", Meaning::Colour(&["Black"])),
    ("white", Meaning::Colour(&["White"])),
    ("off white", Meaning::Colour(&["White", "Beige"])),
    ("cream", Meaning::Colour(&["White", "Beige"])),
    ("ivory", Meaning::Colour(&["White", "Beige"])),
    ("blue", Meaning::Colour(&["Blue"])),
    ("navy", Meaning::Colour(&["Blue"])),
    ("denim blue", Meaning::Colour(&["Blue"])),
    ("pink", Meaning::Colour(&["Pink"])),
    ("rose", Meaning::Colour(&["Pink"])),
    ("grey", Meaning::Colour(&["Grey"])),
    ("gray", Meaning::Colour(&["Grey"])),
    ("red", Meaning::Colour(&["Red"])),
    ("burgundy", Meaning::Colour(&["Red"])),
    ("maroon", Meaning::Colour(&["Red"])),
    ("wine", Meaning::Colour(&["Red"])),
    ("beige", Meaning::Colour(&["Beige"])),
    ("camel", Meaning::Colour(&["Beige", "Brown"])),
    ("tan", Meaning::Colour(&["Beige", "Brown"])),
    ("nude", Meaning::Colour(&["Beige"])),
    ("green", Meaning::Colour(&["Green", "Khaki green"])),
    ("khaki", Meaning::Colour(&["Khaki green"])),
    ("olive", Meaning::Colour(&["Khaki green"])),
    ("yellow", Meaning::Colour(&["Yellow"])),
    ("mustard", Meaning::Colour(&["Yellow"])),
    ("orange", Meaning::Colour(&["Orange"])),
    ("brown", Meaning::Colour(&["Brown", "Mole"])),
    ("chocolate", Meaning::Colour(&["Brown"])),
    ("gold", Meaning::Colour(&["Metal"])),
    ("golden", Meaning::Colour(&["Metal"])),
    ("silver", Meaning::Colour(&["Metal"])),
    ("turquoise", Meaning::Colour(&["Turquoise"])),
    ("teal", Meaning::Colour(&["Turquoise"])),
    ("aqua", Meaning::Colour(&["Turquoise"])),
    ("purple", Meaning::Colour(&["Lilac Purple"])),
    ("lilac", Meaning::Colour(&["Lilac Purple"])),
    ("lavender", Meaning::Colour(&["Lilac Purple"])),
    ("violet", Meaning::Colour(&["Lilac Purple"])),
    // Product types and their synonyms.
    ("dress", Meaning::Type(&["Dress"])),
    ("gown", Meaning::Type(&["Dress"])),
    ("trouser", Meaning::Type(&["Trousers"])),
    ("pant", Meaning::Type(&["Trousers"])),
    ("chino", Meaning::Type(&["Trousers"])),
    ("jean", Meaning::Type(&["Trousers"])),
    ("jogger", Meaning::Type(&["Trousers"])),
    ("sweatpant", Meaning::Type(&["Trousers"])),
    ("track pant", Meaning::Type(&["Trousers"])),
    ("sweater", Meaning::Type(&["Sweater"])),
    ("jumper", Meaning::Type(&["Sweater"])),
    ("pullover", Meaning::Type(&["Sweater"])),
    ("knit", Meaning::Type(&["Sweater", "Cardigan"])),
    ("sweatshirt", Meaning::Type(&["Sweater", "Hoodie"])),
    ("t shirt", Meaning::Type(&["T-shirt"])),
    ("tshirt", Meaning::Type(&["T-shirt"])),
    ("tee", Meaning::Type(&["T-shirt"])),
    ("tee shirt", Meaning::Type(&["T-shirt"])),
    (
        "top",
        Meaning::Type(&["Top", "Vest top", "T-shirt", "Blouse"]),
    ),
    ("vest top", Meaning::Type(&["Vest top"])),
    ("tank top", Meaning::Type(&["Vest top"])),
    ("tank", Meaning::Type(&["Vest top"])),
    ("blouse", Meaning::Type(&["Blouse"])),
    ("jacket", Meaning::Type(&["Jacket"])),
    ("coat", Meaning::Type(&["Coat", "Jacket"])),
    ("raincoat", Meaning::Type(&["Jacket", "Coat"])),
    ("rain jacket", Meaning::Type(&["Jacket", "Coat"])),
    ("rain coat", Meaning::Type(&["Jacket", "Coat"])),
    ("parka", Meaning::Type(&["Jacket", "Coat"])),
    ("puffer", Meaning::Type(&["Jacket"])),
    ("anorak", Meaning::Type(&["Jacket"])),
    ("short", Meaning::Type(&["Shorts"])),
    ("shirt", Meaning::Type(&["Shirt"])),
    ("polo", Meaning::Type(&["Polo shirt"])),
    ("polo shirt", Meaning::Type(&["Polo shirt"])),
    ("skirt", Meaning::Type(&["Skirt"])),
    ("hoodie", Meaning::Type(&["Hoodie"])),
    ("hoody", Meaning::Type(&["Hoodie"])),
    ("bra", Meaning::Type(&["Bra"])),
    ("sock", Meaning::Type(&["Socks"])),
    ("legging", Meaning::Type(&["Leggings/Tights"])),
    (
        "tight",
        Meaning::Type(&["Leggings/Tights", "Underwear Tights"]),
    ),
    ("sneaker", Meaning::Type(&["Sneakers"])),
    ("trainer", Meaning::Type(&["Sneakers"])),
    ("cardigan", Meaning::Type(&["Cardigan"])),
    ("beanie", Meaning::Type(&["Hat/beanie", "Beanie"])),
    (
        "hat",
        Meaning::Type(&[
            "Hat/beanie",
            "Hat/brim",
            "Beanie",
            "Bucket hat",
            "Straw hat",
            "Felt hat",
        ]),
    ),
    ("cap", Meaning::Type(&["Cap/peaked", "Cap"])),
    (
        "bag",
        Meaning::Type(&[
            "Bag",
            "Tote bag",
            "Shoulder bag",
            "Cross-body bag",
            "Backpack",
            "Weekend/Gym bag",
        ]),
    ),
    ("backpack", Meaning::Type(&["Backpack", "Bag"])),
    ("handbag", Meaning::Type(&["Bag", "Shoulder bag"])),
    ("earring", Meaning::Type(&["Earring", "Earrings"])),
    ("jumpsuit", Meaning::Type(&["Jumpsuit/Playsuit"])),
    ("playsuit", Meaning::Type(&["Jumpsuit/Playsuit"])),
    ("romper", Meaning::Type(&["Jumpsuit/Playsuit", "Bodysuit"])),
    (
        "pyjama",
        Meaning::Type(&["Pyjama set", "Pyjama jumpsuit/playsuit", "Pyjama bottom"]),
    ),
    (
        "pajama",
        Meaning::Type(&["Pyjama set", "Pyjama jumpsuit/playsuit", "Pyjama bottom"]),
    ),
    (
        "pj",
        Meaning::Type(&["Pyjama set", "Pyjama jumpsuit/playsuit", "Pyjama bottom"]),
    ),
    ("nightgown", Meaning::Type(&["Night gown"])),
    ("nightie", Meaning::Type(&["Night gown"])),
    ("blazer", Meaning::Type(&["Blazer"])),
    (
        "suit",
        Meaning::Type(&["Blazer", "Trousers", "Garment Set"]),
    ),
    ("boot", Meaning::Type(&["Boots", "Bootie"])),
    ("ankle boot", Meaning::Type(&["Boots"])),
    ("scarf", Meaning::Type(&["Scarf"])),
    ("bodysuit", Meaning::Type(&["Bodysuit"])),
    ("body", Meaning::Type(&["Bodysuit"])),
    (
        "onesie",
        Meaning::Type(&["Bodysuit", "Pyjama jumpsuit/playsuit"]),
    ),
    (
        "bikini",
        Meaning::Type(&["Bikini top", "Swimwear bottom", "Swimwear set"]),
    ),
    ("swimsuit", Meaning::Type(&["Swimsuit"])),
    ("swimming costume", Meaning::Type(&["Swimsuit"])),
    (
        "bathing suit",
        Meaning::Type(&["Swimsuit", "Bikini top", "Swimwear bottom"]),
    ),
    ("swim short", Meaning::Type(&["Swimwear bottom", "Shorts"])),
    ("swim trunk", Meaning::Type(&["Swimwear bottom"])),
    (
        "swimwear",
        Meaning::Type(&["Swimsuit", "Bikini top", "Swimwear bottom", "Swimwear set"]),
    ),
    (
        "sandal",
        Meaning::Type(&["Sandals", "Heeled sandals", "Flip flop"]),
    ),
    ("flip flop", Meaning::Type(&["Flip flop"])),
    ("sunglass", Meaning::Type(&["Sunglasses"])),
    ("necklace", Meaning::Type(&["Necklace"])),
    ("belt", Meaning::Type(&["Belt"])),
    ("glove", Meaning::Type(&["Gloves"])),
    ("mitten", Meaning::Type(&["Gloves"])),
    ("dungaree", Meaning::Type(&["Dungarees"])),
    ("overall", Meaning::Type(&["Dungarees", "Outdoor overall"])),
    ("slipper", Meaning::Type(&["Slippers"])),
    (
        "heel",
        Meaning::Type(&["Pumps", "Heeled sandals", "Heels", "Wedge"]),
    ),
    ("pump", Meaning::Type(&["Pumps"])),
    ("ballerina", Meaning::Type(&["Ballerinas"])),
    ("ballet flat", Meaning::Type(&["Ballerinas"])),
    ("robe", Meaning::Type(&["Robe"])),
    ("dressing gown", Meaning::Type(&["Robe"])),
    ("bathrobe", Meaning::Type(&["Robe"])),
    ("tie", Meaning::Type(&["Tie"])),
    (
        "waistcoat",
        Meaning::Type(&["Outdoor Waistcoat", "Tailored Waistcoat"]),
    ),
    ("gilet", Meaning::Type(&["Outdoor Waistcoat"])),
    (
        "underwear",
        Meaning::Type(&["Underwear bottom", "Bra", "Underwear body", "Underwear set"]),
    ),
    ("brief", Meaning::Type(&["Underwear bottom"])),
    ("boxer", Meaning::Type(&["Underwear bottom"])),
    ("knicker", Meaning::Type(&["Underwear bottom"])),
    ("ring", Meaning::Type(&["Ring"])),
    ("bracelet", Meaning::Type(&["Bracelet"])),
    ("watch", Meaning::Type(&["Watch"])),
    ("wallet", Meaning::Type(&["Wallet"])),
    ("umbrella", Meaning::Type(&["Umbrella"])),
    ("costume", Meaning::Type(&["Costumes"])),
    // Audiences.
    ("women", Meaning::Audience("Ladies", None)),
    ("woman", Meaning::Audience("Ladies", None)),
    ("womens", Meaning::Audience("Ladies", None)),
    ("lady", Meaning::Audience("Ladies", None)),
    ("ladie", Meaning::Audience("Ladies", None)),
    ("female", Meaning::Audience("Ladies", None)),
    ("her", Meaning::Audience("Ladies", None)),
    ("wife", Meaning::Audience("Ladies", None)),
    ("girlfriend", Meaning::Audience("Ladies", None)),
    ("mum", Meaning::Audience("Ladies", None)),
    ("mom", Meaning::Audience("Ladies", None)),
    ("mother", Meaning::Audience("Ladies", None)),
    ("men", Meaning::Audience("Men", None)),
    ("man", Meaning::Audience("Men", None)),
    ("mens", Meaning::Audience("Men", None)),
    ("male", Meaning::Audience("Men", None)),
    ("him", Meaning::Audience("Men", None)),
    ("his", Meaning::Audience("Men", None)),
    ("husband", Meaning::Audience("Men", None)),
    ("boyfriend", Meaning::Audience("Men", None)),
    ("dad", Meaning::Audience("Men", None)),
    ("father", Meaning::Audience("Men", None)),
    ("kid", Meaning::Audience("Kids", None)),
    ("child", Meaning::Audience("Kids", None)),
    ("children", Meaning::Audience("Kids", None)),
    ("boy", Meaning::Audience("Kids", Some("Boy"))),
    ("girl", Meaning::Audience("Kids", Some("Girl"))),
    ("son", Meaning::Audience("Kids", Some("Boy"))),
    ("daughter", Meaning::Audience("Kids", Some("Girl"))),
    ("baby", Meaning::Audience("Baby", None)),
    ("newborn", Meaning::Audience("Baby", None)),
    ("infant", Meaning::Audience("Baby", None)),
    ("toddler", Meaning::Audience("Baby", None)),
    ("baby boy", Meaning::Audience("Baby", Some("Boy"))),
    ("baby girl", Meaning::Audience("Baby", Some("Girl"))),
    // Patterns.
    ("stripe", Meaning::Pattern(&["Stripe"])),
    ("striped", Meaning::Pattern(&["Stripe"])),
    ("dot", Meaning::Pattern(&["Dot"])),
    ("polka dot", Meaning::Pattern(&["Dot"])),
    ("spotted", Meaning::Pattern(&["Dot"])),
    ("check", Meaning::Pattern(&["Check"])),
    ("checked", Meaning::Pattern(&["Check"])),
    ("plaid", Meaning::Pattern(&["Check"])),
    ("tartan", Meaning::Pattern(&["Check"])),
    ("gingham", Meaning::Pattern(&["Check"])),
    (
        "floral",
        Meaning::Pattern(&["All over pattern", "Placement print"]),
    ),
    ("flowery", Meaning::Pattern(&["All over pattern"])),
    (
        "patterned",
        Meaning::Pattern(&["All over pattern", "Placement print", "Front print"]),
    ),
    ("leopard", Meaning::Pattern(&["All over pattern"])),
    ("lace", Meaning::Pattern(&["Lace"])),
    ("sequin", Meaning::Pattern(&["Sequin"])),
    ("sequinned", Meaning::Pattern(&["Sequin"])),
    ("sequined", Meaning::Pattern(&["Sequin"])),
    (
        "glitter",
        Meaning::Pattern(&["Glittering/Metallic", "Sequin"]),
    ),
    (
        "glittery",
        Meaning::Pattern(&["Glittering/Metallic", "Sequin"]),
    ),
    (
        "metallic",
        Meaning::Pattern(&["Glittering/Metallic", "Metallic"]),
    ),
    ("embroidered", Meaning::Pattern(&["Embroidery"])),
    ("jacquard", Meaning::Pattern(&["Jacquard"])),
    ("melange", Meaning::Pattern(&["Melange"])),
    (
        "graphic",
        Meaning::Pattern(&["Front print", "Placement print"]),
    ),
    (
        "printed",
        Meaning::Pattern(&["Front print", "Placement print", "All over pattern"]),
    ),
    // Materials (keywords).
    ("wool", Meaning::Material),
    ("cotton", Meaning::Material),
    ("linen", Meaning::Material),
    ("denim", Meaning::Material),
    ("suede", Meaning::Material),
    ("leather", Meaning::Material),
    ("silk", Meaning::Material),
    ("satin", Meaning::Material),
    ("cashmere", Meaning::Material),
    ("jersey", Meaning::Material),
    ("fleece", Meaning::Material),
    ("velvet", Meaning::Material),
    ("corduroy", Meaning::Material),
    ("chiffon", Meaning::Material),
    ("viscose", Meaning::Material),
    ("mesh", Meaning::Material),
    ("knitted", Meaning::Material),
    ("padded", Meaning::Material),
    // Synonym expansions (keywords only).
    ("sneaker", Meaning::Expand(&["trainer"])),
    ("jogger", Meaning::Expand(&["jogger", "sweatpant"])),
    ("sweatpant", Meaning::Expand(&["jogger"])),
    ("raincoat", Meaning::Expand(&["rain", "water", "repellent"])),
    (
        "rain jacket",
        Meaning::Expand(&["rain", "water", "repellent"]),
    ),
    ("jumper", Meaning::Expand(&["sweater", "jumper"])),
    ("pullover", Meaning::Expand(&["sweater", "jumper"])),
    ("tee", Meaning::Expand(&["t", "shirt"])),
    ("pant", Meaning::Expand(&["trouser"])),
    ("jean", Meaning::Expand(&["denim", "jean"])),
    ("navy", Meaning::Expand(&["dark", "blue"])),
    (
        "warm",
        Meaning::Expand(&["padded", "wool", "fleece", "lined", "knit"]),
    ),
    ("wedding", Meaning::Expand(&["party", "occasion"])),
    (
        "ski",
        Meaning::Expand(&["ski", "padded", "water", "thermal"]),
    ),
    (
        "gym",
        Meaning::Expand(&["sport", "training", "fast", "drying"]),
    ),
    ("workout", Meaning::Expand(&["sport", "training"])),
    ("running", Meaning::Expand(&["running", "sport"])),
    ("beach", Meaning::Expand(&["swim", "beach", "linen"])),
    (
        "interview",
        Meaning::Expand(&["tailored", "blazer", "shirt"]),
    ),
    ("office", Meaning::Expand(&["tailored", "blazer", "shirt"])),
];

/// Tokens that are never spelling-corrected (so "tee" is not "tie").
fn lexicon_word(w: &str) -> bool {
    LEXICON.iter().any(|(p, _)| p.split(' ').any(|x| x == w))
}

fn push_unique(v: &mut Vec<String>, items: &[&str]) {
    for i in items {
        if !v.iter().any(|x| x == i) {
            v.push(i.to_string());
        }
    }
}

/// Understands `query` against the index's vocabularies.
pub fn understand(query: &str, facets: &Facets, keywords: &KeywordIndex) -> Intent {
    let mut intent = Intent::default();
    // Tokens, with spelling corrected where a token is unknown to both the lexicon and the index.
    let raw = tokenize(query);
    let mut tokens = Vec::with_capacity(raw.len());
    for t in raw {
        if !lexicon_word(&t) {
            if let Some(fixed) = keywords.correct(&t) {
                intent.corrections.push((t.clone(), fixed.to_string()));
                tokens.push(fixed.to_string());
                continue;
            }
        }
        tokens.push(t);
    }
    let known = |facet: &str, v: &str| {
        facets
            .get(facet)
            .is_some_and(|f| f.values.iter().any(|x| x == v))
    };
    let mut i = 0;
    while i < tokens.len() {
        // Longest phrase first (up to three words).
        let mut matched = 0;
        for len in (1..=3.min(tokens.len() - i)).rev() {
            let phrase = tokens[i..i + len].join(" ");
            let meanings: Vec<&Meaning> = LEXICON
                .iter()
                .filter(|(p, _)| *p == phrase)
                .map(|(_, m)| m)
                .collect();
            if meanings.is_empty() {
                continue;
            }
            for m in meanings {
                match m {
                    Meaning::Colour(v) => push_unique(&mut intent.colours, v),
                    Meaning::Type(v) => {
                        let v: Vec<&str> = v
                            .iter()
                            .copied()
                            .filter(|t| known("product_type", t))
                            .collect();
                        push_unique(&mut intent.types, &v)
                    }
                    Meaning::Audience(a, g) => {
                        push_unique(&mut intent.audiences, &[a]);
                        if let Some(g) = g {
                            intent.gender = Some(g.to_string());
                        }
                    }
                    Meaning::Pattern(v) => push_unique(&mut intent.patterns, v),
                    Meaning::Material => push_unique(&mut intent.materials, &[&phrase]),
                    Meaning::Expand(terms) => {
                        for t in terms.iter() {
                            let t = stem(t);
                            if !intent.terms.iter().any(|x| x.0 == t) {
                                intent.terms.push((t, 0.5));
                            }
                        }
                    }
                }
            }
            matched = len;
            break;
        }
        let len = matched.max(1);
        for t in &tokens[i..i + len] {
            match intent.terms.iter_mut().find(|x| &x.0 == t) {
                Some(x) => x.1 = 1.0,
                None => intent.terms.push((t.clone(), 1.0)),
            }
        }
        i += len;
    }
    // A shopper speaking of themselves ("I need…", "for me") with no audience named
    // means grown-up sizes.
    let first_person = query
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "i" | "i'm" | "im" | "me" | "my" | "myself"
            )
        });
    if first_person && intent.audiences.is_empty() {
        push_unique(&mut intent.audiences, &["Ladies", "Men", "Sport"]);
    }
    // "baby" with "boy"/"girl" is a baby, not a kid.
    if intent.audiences.iter().any(|a| a == "Baby") {
        intent.audiences.retain(|a| a != "Kids");
    }
    intent.colours.retain(|c| known("colour_master", c));
    intent.patterns.retain(|p| known("pattern", p));
    intent
}
