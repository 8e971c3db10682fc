//! Query understanding: colours, product types, patterns, materials and audiences
//! recognised in a shopper's words (from the catalog's own vocabularies plus synonyms),
//! needs and occasions ("a ski trip", "keep my hands warm") turned into the product types,
//! sections and traits that answer them, typo correction against the index's vocabulary,
//! and the keyword terms to search.

use crate::index::Facets;
use crate::keyword::{stem, words, KeywordIndex};
use serde::{Deserialize, Serialize};

/// What the engine understood of a query.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Intent {
    /// Perceived colour families (facet `colour_master`).
    pub colours: Vec<String>,
    /// Whether the shopper named the colours (rather than a need implying them).
    #[serde(skip)]
    pub colour_named: bool,
    /// "Dark" or "Light" when the shopper qualified the colour ("navy", "light blue").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shade: Option<String>,
    /// Product types (facet `product_type`): named, or answering a need.
    pub types: Vec<String>,
    /// Audiences (facet `audience`). With a person audience, `Sport` means that
    /// audience's sportswear ("men's running shorts": Men's or Men's sport sections).
    pub audiences: Vec<String>,
    /// "Boy" or "Girl", matched against the section (boys' / girls' departments).
    pub gender: Option<String>,
    /// Patterns (facet `pattern`).
    pub patterns: Vec<String>,
    /// Sections (facet `section`): "plus size" → H&M+, an interview → the tailoring sections.
    #[serde(default)]
    pub sections: Vec<String>,
    /// Materials, matched as keywords.
    pub materials: Vec<String>,
    /// Traits a need asks for, each group matched as keywords ("ski trip" → ski, thermal).
    #[serde(default)]
    pub traits: Vec<Vec<String>>,
    /// The needs and occasions recognised ("ski", "gift", "hand", …).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Products the shopper mentioned as context, not as what they want ("hold up my
    /// trousers", "under a skirt").
    #[serde(default)]
    pub context: Vec<String>,
    /// Keyword terms with weights (corrected spellings, synonyms at lower weight).
    pub terms: Vec<(String, f32)>,
    /// The shopper's own descriptive words (stemmed, corrected); an article mentioning
    /// more of them ranks first among equals.
    #[serde(default)]
    pub focus: Vec<String>,
    /// Spelling corrections made, as (typed, used).
    pub corrections: Vec<(String, String)>,
}

impl Intent {
    /// Whether any attribute (not just keywords) was recognised.
    pub fn has_attributes(&self) -> bool {
        !(self.colours.is_empty()
            && self.types.is_empty()
            && self.audiences.is_empty()
            && self.patterns.is_empty()
            && self.sections.is_empty()
            && self.traits.is_empty())
    }
}

/// A need or occasion: what answers it. Types, colours, audiences and sections apply only
/// when the shopper did not name their own; traits always add a keyword group.
struct Need {
    types: &'static [&'static str],
    colours: &'static [&'static str],
    patterns: &'static [&'static str],
    audiences: &'static [&'static str],
    sections: &'static [&'static str],
    traits: &'static [&'static str],
    /// Sportswear (adds the Sport audience).
    sport: bool,
    /// A gift: the types depend on who it is for.
    gift: bool,
}

const NEED: Need = Need {
    types: &[],
    colours: &[],
    patterns: &[],
    audiences: &[],
    sections: &[],
    traits: &[],
    sport: false,
    gift: false,
};

// Product-type groups from the catalog's `product_type_name` vocabulary.
const OUTSIDE_TYPES: &[&str] = &[
    "Jacket",
    "Coat",
    "Outdoor overall",
    "Outdoor trousers",
    "Outdoor Waistcoat",
    "Hat/beanie",
    "Beanie",
    "Gloves",
    "Scarf",
    "Boots",
];
const WARM_TYPES: &[&str] = &[
    "Jacket",
    "Coat",
    "Outdoor overall",
    "Outdoor trousers",
    "Outdoor Waistcoat",
    "Sweater",
    "Cardigan",
    "Hoodie",
    "Hat/beanie",
    "Beanie",
    "Gloves",
    "Scarf",
    "Boots",
    "Socks",
    "Slippers",
];
const WARM_TRAITS: &[&str] = &[
    "padded",
    "wool",
    "fleece",
    "pile",
    "thermal",
    "warm",
    "quilted",
    "shearling",
    "teddy",
    "cashmere",
    "mohair",
    "alpaca",
];
const RAIN_TYPES: &[&str] = &[
    "Jacket",
    "Coat",
    "Outdoor overall",
    "Outdoor trousers",
    "Boots",
    "Umbrella",
];
const RAIN_TRAITS: &[&str] = &[
    "rain",
    "raincoat",
    "rainproof",
    "waterproof",
    "repellent",
    "wellington",
    "rainboot",
];
const SNOW_TYPES: &[&str] = &[
    "Jacket",
    "Coat",
    "Outdoor overall",
    "Outdoor trousers",
    "Boots",
    "Gloves",
    "Hat/beanie",
    "Beanie",
];
const SKI_TYPES: &[&str] = &[
    "Jacket",
    "Outdoor trousers",
    "Outdoor overall",
    "Gloves",
    "Hat/beanie",
    "Beanie",
    "Long John",
];
const SLEEP_TYPES: &[&str] = &[
    "Pyjama set",
    "Pyjama bottom",
    "Pyjama jumpsuit/playsuit",
    "Night gown",
];
const LOUNGE_TYPES: &[&str] = &[
    "Pyjama set",
    "Pyjama bottom",
    "Pyjama jumpsuit/playsuit",
    "Night gown",
    "Robe",
    "Slippers",
];
const COSY_TYPES: &[&str] = &[
    "Pyjama set",
    "Pyjama bottom",
    "Pyjama jumpsuit/playsuit",
    "Robe",
    "Slippers",
    "Sweater",
    "Cardigan",
    "Hoodie",
    "Scarf",
    "Gloves",
    "Hat/beanie",
    "Beanie",
    "Socks",
];
const COSY_TRAITS: &[&str] = &[
    "fleece", "pile", "teddy", "brushed", "velour", "flannel", "fluffy", "fur", "soft", "knit",
    "warm", "cashmere", "wool",
];
const HOME_TYPES: &[&str] = &[
    "Trousers",
    "Hoodie",
    "Sweater",
    "Pyjama bottom",
    "Pyjama set",
    "Cardigan",
];
const HOME_TRAITS: &[&str] = &["jogger", "sweatpant", "lounge", "relaxed", "loose", "soft"];
const BEACH_TYPES: &[&str] = &[
    "Swimsuit",
    "Bikini top",
    "Swimwear bottom",
    "Swimwear set",
    "Swimwear top",
    "Sarong",
    "Flip flop",
    "Straw hat",
    "Hat/brim",
    "Sunglasses",
];
const PARTY_TYPES: &[&str] = &[
    "Dress",
    "Top",
    "Vest top",
    "Blouse",
    "Skirt",
    "Bodysuit",
    "Jumpsuit/Playsuit",
];
const PARTY_TRAITS: &[&str] = &[
    "sequin",
    "sequinned",
    "glitter",
    "glittery",
    "metallic",
    "satin",
    "velvet",
    "velour",
    "lurex",
    "mesh",
];
const FORMAL_TYPES: &[&str] = &[
    "Blazer",
    "Trousers",
    "Shirt",
    "Blouse",
    "Skirt",
    "Dress",
    "Tailored Waistcoat",
    "Tie",
];
const FORMAL_SECTIONS: &[&str] = &[
    "Womens Tailoring",
    "Men Suits & Tailoring",
    "Contemporary Smart",
];
const FORMAL_TRAITS: &[&str] = &["tailored", "suit", "smart", "crepe", "weave"];
const WEDDING_TYPES: &[&str] = &[
    "Dress",
    "Jumpsuit/Playsuit",
    "Blazer",
    "Trousers",
    "Shirt",
    "Blouse",
    "Skirt",
    "Tailored Waistcoat",
    "Tie",
];
const SPORT_TYPES: &[&str] = &[
    "Leggings/Tights",
    "Shorts",
    "T-shirt",
    "Vest top",
    "Bra",
    "Top",
    "Trousers",
    "Hoodie",
    "Sweater",
    "Sneakers",
    "Jacket",
];
const OUTDOOR_TYPES: &[&str] = &[
    "Jacket",
    "Outdoor trousers",
    "Trousers",
    "Outdoor Waistcoat",
    "Boots",
    "Top",
    "T-shirt",
    "Sweater",
    "Shorts",
    "Leggings/Tights",
];
const GIFT_TYPES: &[&str] = &[
    "Scarf",
    "Gloves",
    "Hat/beanie",
    "Wallet",
    "Watch",
    "Tie",
    "Belt",
    "Sunglasses",
    "Bag",
    "Robe",
    "Slippers",
    "Pyjama set",
    "Giftbox",
];
/// Gifts for women also include jewellery and cosmetics.
const GIFT_LADIES_TYPES: &[&str] = &[
    "Necklace",
    "Earring",
    "Earrings",
    "Bracelet",
    "Ring",
    "Fine cosmetics",
];
const GIFT_KIDS_TYPES: &[&str] = &[
    "Soft Toys",
    "Garment Set",
    "Hat/beanie",
    "Gloves",
    "Scarf",
    "Bag",
    "Pyjama set",
    "Accessories set",
];
const BABY_GIFT_TYPES: &[&str] = &[
    "Garment Set",
    "Soft Toys",
    "Bodysuit",
    "Pyjama jumpsuit/playsuit",
    "Sleeping sack",
    "Giftbox",
    "Bootie",
    "Hat/beanie",
    "Jumpsuit/Playsuit",
];
const HATS: &[&str] = &[
    "Hat/beanie",
    "Beanie",
    "Hat/brim",
    "Cap/peaked",
    "Cap",
    "Bucket hat",
    "Straw hat",
    "Felt hat",
];
const HAIR: &[&str] = &[
    "Hair string",
    "Hair ties",
    "Hair clip",
    "Hair/alice band",
    "Alice band",
    "Hairband",
];
const FOOTWEAR: &[&str] = &[
    "Sneakers",
    "Boots",
    "Bootie",
    "Sandals",
    "Heeled sandals",
    "Ballerinas",
    "Pumps",
    "Heels",
    "Wedge",
    "Flat shoe",
    "Flat shoes",
    "Other shoe",
    "Moccasins",
    "Slippers",
    "Flip flop",
];
const BAGS: &[&str] = &[
    "Bag",
    "Backpack",
    "Weekend/Gym bag",
    "Tote bag",
    "Shoulder bag",
    "Cross-body bag",
];
const JEWELLERY: &[&str] = &["Necklace", "Earring", "Earrings", "Bracelet", "Ring"];
const LINGERIE: &[&str] = &[
    "Bra",
    "Underwear bottom",
    "Underwear body",
    "Underwear set",
    "Underwear corset",
];
const ADULTS: &[&str] = &["Ladies", "Men", "Sport"];

const WARM: Need = Need {
    types: WARM_TYPES,
    traits: WARM_TRAITS,
    ..NEED
};
const HOT: Need = Need {
    traits: &[
        "linen",
        "short",
        "sleeveless",
        "strap",
        "airy",
        "lightweight",
    ],
    ..NEED
};
const RAIN: Need = Need {
    types: RAIN_TYPES,
    traits: RAIN_TRAITS,
    ..NEED
};
const SNOW: Need = Need {
    types: SNOW_TYPES,
    traits: &[
        "snow",
        "padded",
        "repellent",
        "waterproof",
        "thermal",
        "fleece",
        "pile",
        "warm",
    ],
    ..NEED
};
const SKI: Need = Need {
    types: SKI_TYPES,
    traits: &["ski", "thermal", "thermolite", "snow"],
    ..NEED
};
const BEACH: Need = Need {
    types: BEACH_TYPES,
    ..NEED
};
const SUN_PROTECTION: Need = Need {
    traits: &["upf", "uv"],
    ..NEED
};
const SLEEP: Need = Need {
    types: SLEEP_TYPES,
    ..NEED
};
const NIGHT_IN: Need = Need {
    types: LOUNGE_TYPES,
    traits: COSY_TRAITS,
    audiences: ADULTS,
    ..NEED
};
const COSY: Need = Need {
    types: COSY_TYPES,
    traits: COSY_TRAITS,
    ..NEED
};
const HOME: Need = Need {
    types: HOME_TYPES,
    traits: HOME_TRAITS,
    audiences: ADULTS,
    ..NEED
};
const COMFY: Need = Need {
    traits: &[
        "soft",
        "relaxed",
        "loose",
        "stretch",
        "comfortable",
        "cushioned",
    ],
    ..NEED
};
const PARTY: Need = Need {
    types: PARTY_TYPES,
    traits: PARTY_TRAITS,
    ..NEED
};
const NIGHT_OUT: Need = Need {
    types: PARTY_TYPES,
    traits: PARTY_TRAITS,
    audiences: ADULTS,
    ..NEED
};
const GARDEN_PARTY: Need = Need {
    types: &["Dress", "Skirt", "Jumpsuit/Playsuit", "Blouse"],
    traits: &["floral", "flower", "broderie", "chiffon", "eyelet"],
    audiences: ADULTS,
    ..NEED
};
const PROM: Need = Need {
    types: &["Dress", "Jumpsuit/Playsuit"],
    traits: &["maxi", "tulle", "sequin", "satin", "ankle"],
    audiences: ADULTS,
    ..NEED
};
const WEDDING: Need = Need {
    types: WEDDING_TYPES,
    sections: FORMAL_SECTIONS,
    ..NEED
};
const FORMAL: Need = Need {
    types: FORMAL_TYPES,
    sections: FORMAL_SECTIONS,
    traits: FORMAL_TRAITS,
    colours: &["Black", "Blue", "Grey", "White", "Beige", "Mole"],
    patterns: &["Solid", "Melange", "Stripe", "Check"],
    audiences: ADULTS,
    ..NEED
};
const FUNERAL: Need = Need {
    types: FORMAL_TYPES,
    sections: FORMAL_SECTIONS,
    colours: &["Black"],
    patterns: &["Solid"],
    audiences: ADULTS,
    ..NEED
};
const CHRISTMAS: Need = Need {
    traits: &["christmas", "xmas", "santa", "festive", "reindeer"],
    ..NEED
};
const HALLOWEEN: Need = Need {
    traits: &["halloween", "costume", "skeleton", "pumpkin"],
    ..NEED
};
const VALENTINE: Need = Need {
    colours: &["Red", "Pink"],
    traits: &["heart", "lace", "satin"],
    ..NEED
};
const SPORT: Need = Need {
    types: SPORT_TYPES,
    sport: true,
    ..NEED
};
const YOGA: Need = Need {
    types: SPORT_TYPES,
    traits: &["yoga"],
    sport: true,
    ..NEED
};
const RUNNING: Need = Need {
    traits: &["running"],
    sport: true,
    ..NEED
};
const HIKING: Need = Need {
    types: OUTDOOR_TYPES,
    // ("outdoor" would match every article of the Outdoor garment group.)
    traits: &["hiking", "repellent", "windproof"],
    sport: true,
    ..NEED
};
const GIFT: Need = Need {
    types: GIFT_TYPES,
    gift: true,
    ..NEED
};
const OUTSIDE: Need = Need {
    types: OUTSIDE_TYPES,
    ..NEED
};
const ANIMAL_PRINT: Need = Need {
    patterns: &["All over pattern"],
    traits: &["leopard", "snakeskin", "zebra", "tiger"],
    ..NEED
};
const WALKING: Need = Need {
    types: &["Sneakers"],
    ..NEED
};
const BABY_GIFT: Need = Need {
    types: BABY_GIFT_TYPES,
    audiences: &["Baby"],
    ..NEED
};
const NEWBORN: Need = Need {
    audiences: &["Baby"],
    traits: &["newborn"],
    ..NEED
};
const FEET: Need = Need {
    types: &[
        "Socks",
        "Slippers",
        "Boots",
        "Bootie",
        "Sneakers",
        "Sandals",
        "Ballerinas",
        "Flat shoe",
        "Other shoe",
    ],
    ..NEED
};

enum Meaning {
    Colour(&'static [&'static str]),
    /// "Dark" or "Light": the shade of a named colour.
    Shade(&'static str),
    /// Sections of the catalog ("plus size" → H&M+).
    Section(&'static [&'static str]),
    /// A material named by another word ("woolly" → wool).
    MaterialOf(&'static str),
    /// A need or occasion.
    Need(Need),
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
    ("navy", Meaning::Shade("Dark")),
    ("dark", Meaning::Shade("Dark")),
    ("light", Meaning::Shade("Light")),
    ("pale", Meaning::Shade("Light")),
    ("pastel", Meaning::Shade("Light")),
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
    // More product words shoppers use.
    ("singlet", Meaning::Type(&["Vest top"])),
    ("vest", Meaning::Type(&["Vest top"])),
    ("camisole", Meaning::Type(&["Vest top"])),
    ("cami", Meaning::Type(&["Vest top"])),
    ("puffer vest", Meaning::Type(&["Outdoor Waistcoat"])),
    ("padded vest", Meaning::Type(&["Outdoor Waistcoat"])),
    ("quilted vest", Meaning::Type(&["Outdoor Waistcoat"])),
    ("down vest", Meaning::Type(&["Outdoor Waistcoat"])),
    ("body warmer", Meaning::Type(&["Outdoor Waistcoat"])),
    ("bodywarmer", Meaning::Type(&["Outdoor Waistcoat"])),
    ("suit vest", Meaning::Type(&["Tailored Waistcoat"])),
    ("court shoe", Meaning::Type(&["Pumps"])),
    (
        "stiletto",
        Meaning::Type(&["Pumps", "Heeled sandals", "Heels"]),
    ),
    ("pantyhose", Meaning::Type(&["Underwear Tights"])),
    ("hosiery", Meaning::Type(&["Underwear Tights", "Socks"])),
    ("stocking", Meaning::Type(&["Underwear Tights", "Socks"])),
    ("sleepsuit", Meaning::Type(&["Pyjama jumpsuit/playsuit"])),
    (
        "babygrow",
        Meaning::Type(&["Pyjama jumpsuit/playsuit", "Bodysuit"]),
    ),
    (
        "baby grow",
        Meaning::Type(&["Pyjama jumpsuit/playsuit", "Bodysuit"]),
    ),
    (
        "snowsuit",
        Meaning::Type(&["Outdoor overall", "Jumpsuit/Playsuit"]),
    ),
    (
        "snowsuit",
        Meaning::Need(Need {
            traits: &["padded", "snow", "pile", "repellent", "quilted"],
            ..NEED
        }),
    ),
    ("welly", Meaning::Type(&["Boots"])),
    ("wellington", Meaning::Type(&["Boots"])),
    ("rain boot", Meaning::Type(&["Boots"])),
    ("rainboot", Meaning::Type(&["Boots"])),
    ("gumboot", Meaning::Type(&["Boots"])),
    (
        "welly",
        Meaning::Need(Need {
            traits: RAIN_TRAITS,
            ..NEED
        }),
    ),
    (
        "wellington",
        Meaning::Need(Need {
            traits: RAIN_TRAITS,
            ..NEED
        }),
    ),
    (
        "rain boot",
        Meaning::Need(Need {
            traits: RAIN_TRAITS,
            ..NEED
        }),
    ),
    (
        "rainboot",
        Meaning::Need(Need {
            traits: RAIN_TRAITS,
            ..NEED
        }),
    ),
    (
        "gumboot",
        Meaning::Need(Need {
            traits: RAIN_TRAITS,
            ..NEED
        }),
    ),
    (
        "flat",
        Meaning::Type(&["Ballerinas", "Flat shoe", "Flat shoes"]),
    ),
    (
        "loafer",
        Meaning::Type(&["Other shoe", "Flat shoe", "Moccasins"]),
    ),
    ("shoe", Meaning::Type(FOOTWEAR)),
    ("footwear", Meaning::Type(FOOTWEAR)),
    ("jewellery", Meaning::Type(JEWELLERY)),
    ("jewelry", Meaning::Type(JEWELLERY)),
    ("lingerie", Meaning::Type(LINGERIE)),
    ("yoga pant", Meaning::Type(&["Leggings/Tights", "Trousers"])),
    ("yoga pant", Meaning::Need(YOGA)),
    ("yoga legging", Meaning::Type(&["Leggings/Tights"])),
    ("yoga legging", Meaning::Need(YOGA)),
    ("jogging bottom", Meaning::Type(&["Trousers"])),
    ("jogging bottom", Meaning::Expand(&["jogger", "sweatpant"])),
    ("jogging pant", Meaning::Type(&["Trousers"])),
    ("jogging pant", Meaning::Expand(&["jogger", "sweatpant"])),
    ("tracksuit bottom", Meaning::Type(&["Trousers"])),
    (
        "tracksuit bottom",
        Meaning::Expand(&["jogger", "sweatpant"]),
    ),
    ("track bottom", Meaning::Type(&["Trousers"])),
    ("track bottom", Meaning::Expand(&["jogger", "sweatpant"])),
    ("boxer brief", Meaning::Type(&["Underwear bottom"])),
    ("trunk", Meaning::Type(&["Underwear bottom"])),
    (
        "crop top",
        Meaning::Type(&["Top", "T-shirt", "Vest top", "Blouse"]),
    ),
    ("trench", Meaning::Type(&["Coat", "Jacket"])),
    ("bomber", Meaning::Type(&["Jacket"])),
    ("windbreaker", Meaning::Type(&["Jacket"])),
    ("sarong", Meaning::Type(&["Sarong"])),
    ("scrunchie", Meaning::Type(HAIR)),
    ("polo neck", Meaning::Type(&["Sweater", "Top"])),
    ("turtle neck", Meaning::Type(&["Sweater", "Top"])),
    ("turtleneck", Meaning::Type(&["Sweater", "Top"])),
    ("roll neck", Meaning::Type(&["Sweater", "Top"])),
    // Necklines, so that "neck" is not read as a body part.
    ("v neck", Meaning::Expand(&[])),
    ("crew neck", Meaning::Expand(&[])),
    ("scoop neck", Meaning::Expand(&[])),
    ("boat neck", Meaning::Expand(&[])),
    ("high neck", Meaning::Expand(&[])),
    // Who it is for, beyond the audience facet.
    ("teen", Meaning::Audience("Kids", None)),
    ("teen", Meaning::Section(&["Young Girl", "Young Boy"])),
    ("teenager", Meaning::Audience("Kids", None)),
    ("teenager", Meaning::Section(&["Young Girl", "Young Boy"])),
    ("teenage", Meaning::Audience("Kids", None)),
    ("teenage", Meaning::Section(&["Young Girl", "Young Boy"])),
    ("tween", Meaning::Audience("Kids", None)),
    ("plus size", Meaning::Section(&["H&M+"])),
    ("plus", Meaning::Section(&["H&M+"])),
    ("curvy", Meaning::Section(&["H&M+"])),
    ("maternity", Meaning::Section(&["Mama"])),
    ("pregnancy", Meaning::Section(&["Mama"])),
    ("pregnant", Meaning::Section(&["Mama"])),
    ("bump", Meaning::Section(&["Mama"])),
    ("mama", Meaning::Section(&["Mama"])),
    ("grandma", Meaning::Audience("Ladies", None)),
    ("granny", Meaning::Audience("Ladies", None)),
    ("grandmother", Meaning::Audience("Ladies", None)),
    ("nan", Meaning::Audience("Ladies", None)),
    ("nana", Meaning::Audience("Ladies", None)),
    ("sister", Meaning::Audience("Ladies", None)),
    ("aunt", Meaning::Audience("Ladies", None)),
    ("grandpa", Meaning::Audience("Men", None)),
    ("grandad", Meaning::Audience("Men", None)),
    ("granddad", Meaning::Audience("Men", None)),
    ("grandfather", Meaning::Audience("Men", None)),
    ("brother", Meaning::Audience("Men", None)),
    ("uncle", Meaning::Audience("Men", None)),
    ("nephew", Meaning::Audience("Kids", Some("Boy"))),
    ("niece", Meaning::Audience("Kids", Some("Girl"))),
    ("woolly hat", Meaning::Type(&["Hat/beanie", "Beanie"])),
    ("wooly hat", Meaning::Type(&["Hat/beanie", "Beanie"])),
    ("bobble hat", Meaning::Type(&["Hat/beanie", "Beanie"])),
    ("knitted hat", Meaning::Type(&["Hat/beanie", "Beanie"])),
    ("winter hat", Meaning::Type(&["Hat/beanie", "Beanie"])),
    ("woolly hat", Meaning::MaterialOf("wool")),
    ("wooly hat", Meaning::MaterialOf("wool")),
    ("knitted hat", Meaning::MaterialOf("knit")),
    ("woolly", Meaning::MaterialOf("wool")),
    ("wooly", Meaning::MaterialOf("wool")),
    ("woollen", Meaning::MaterialOf("wool")),
    ("woolen", Meaning::MaterialOf("wool")),
    ("quilted", Meaning::Material),
    ("ribbed", Meaning::Material),
    ("sheer", Meaning::Material),
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
    ("leopard", Meaning::Need(ANIMAL_PRINT)),
    ("animal print", Meaning::Need(ANIMAL_PRINT)),
    ("leopard print", Meaning::Need(ANIMAL_PRINT)),
    ("snakeskin", Meaning::Need(ANIMAL_PRINT)),
    ("snake print", Meaning::Need(ANIMAL_PRINT)),
    ("zebra", Meaning::Need(ANIMAL_PRINT)),
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
    ("wedding", Meaning::Expand(&["party", "occasion"])),
    // Needs and occasions → the types, sections and traits that answer them.
    // Weather and warmth.
    ("warm", Meaning::Need(WARM)),
    ("cold", Meaning::Need(WARM)),
    ("winter", Meaning::Need(WARM)),
    ("chilly", Meaning::Need(WARM)),
    ("freezing", Meaning::Need(WARM)),
    ("frosty", Meaning::Need(WARM)),
    ("warm weather", Meaning::Need(HOT)),
    ("hot weather", Meaning::Need(HOT)),
    ("hot", Meaning::Need(HOT)),
    ("heat", Meaning::Need(HOT)),
    ("heatwave", Meaning::Need(HOT)),
    ("rain", Meaning::Need(RAIN)),
    ("rainy", Meaning::Need(RAIN)),
    ("wet", Meaning::Need(RAIN)),
    ("drizzle", Meaning::Need(RAIN)),
    ("dry", Meaning::Need(RAIN)),
    ("waterproof", Meaning::Need(RAIN)),
    ("snow", Meaning::Need(SNOW)),
    ("snowy", Meaning::Need(SNOW)),
    ("ski", Meaning::Need(SKI)),
    ("skiing", Meaning::Need(SKI)),
    ("snowboard", Meaning::Need(SKI)),
    ("snowboarding", Meaning::Need(SKI)),
    ("slope", Meaning::Need(SKI)),
    // Sun and water.
    ("beach", Meaning::Need(BEACH)),
    ("pool", Meaning::Need(BEACH)),
    ("poolside", Meaning::Need(BEACH)),
    ("swim", Meaning::Need(BEACH)),
    ("swimming", Meaning::Need(BEACH)),
    ("seaside", Meaning::Need(BEACH)),
    ("sunbathing", Meaning::Need(BEACH)),
    ("sun protection", Meaning::Need(SUN_PROTECTION)),
    ("uv", Meaning::Need(SUN_PROTECTION)),
    ("upf", Meaning::Need(SUN_PROTECTION)),
    ("sunburn", Meaning::Need(SUN_PROTECTION)),
    // Sleep and home.
    ("sleep", Meaning::Need(SLEEP)),
    ("sleeping", Meaning::Need(SLEEP)),
    ("bed", Meaning::Need(SLEEP)),
    ("bedtime", Meaning::Need(SLEEP)),
    ("nightwear", Meaning::Need(SLEEP)),
    ("sleepwear", Meaning::Need(SLEEP)),
    ("cosy night", Meaning::Need(NIGHT_IN)),
    ("cozy night", Meaning::Need(NIGHT_IN)),
    ("movie night", Meaning::Need(NIGHT_IN)),
    ("lazy day", Meaning::Need(NIGHT_IN)),
    ("lazy sunday", Meaning::Need(NIGHT_IN)),
    ("cosy", Meaning::Need(COSY)),
    ("cozy", Meaning::Need(COSY)),
    ("snug", Meaning::Need(COSY)),
    ("working home", Meaning::Need(HOME)),
    ("work home", Meaning::Need(HOME)),
    ("wfh", Meaning::Need(HOME)),
    ("stay home", Meaning::Need(HOME)),
    ("lounge", Meaning::Need(HOME)),
    ("lounging", Meaning::Need(HOME)),
    ("loungewear", Meaning::Need(HOME)),
    ("comfy", Meaning::Need(COMFY)),
    ("comfortable", Meaning::Need(COMFY)),
    // Going out, celebrations, formal occasions.
    ("party", Meaning::Need(PARTY)),
    ("going out", Meaning::Need(NIGHT_OUT)),
    ("night out", Meaning::Need(NIGHT_OUT)),
    ("clubbing", Meaning::Need(NIGHT_OUT)),
    ("club", Meaning::Need(NIGHT_OUT)),
    ("friday night", Meaning::Need(NIGHT_OUT)),
    ("saturday night", Meaning::Need(NIGHT_OUT)),
    ("date night", Meaning::Need(NIGHT_OUT)),
    ("date", Meaning::Need(NIGHT_OUT)),
    ("cocktail", Meaning::Need(NIGHT_OUT)),
    ("year eve", Meaning::Need(NIGHT_OUT)),
    ("nye", Meaning::Need(NIGHT_OUT)),
    ("disco", Meaning::Need(NIGHT_OUT)),
    ("garden party", Meaning::Need(GARDEN_PARTY)),
    ("picnic", Meaning::Need(GARDEN_PARTY)),
    ("prom", Meaning::Need(PROM)),
    ("ball", Meaning::Need(PROM)),
    ("gala", Meaning::Need(PROM)),
    ("black tie", Meaning::Need(PROM)),
    ("evening", Meaning::Need(PROM)),
    ("wedding", Meaning::Need(WEDDING)),
    ("bridesmaid", Meaning::Need(WEDDING)),
    ("interview", Meaning::Need(FORMAL)),
    ("office", Meaning::Need(FORMAL)),
    ("work", Meaning::Need(FORMAL)),
    ("workwear", Meaning::Need(FORMAL)),
    ("business", Meaning::Need(FORMAL)),
    ("meeting", Meaning::Need(FORMAL)),
    ("formal", Meaning::Need(FORMAL)),
    ("smart", Meaning::Need(FORMAL)),
    ("funeral", Meaning::Need(FUNERAL)),
    ("memorial", Meaning::Need(FUNERAL)),
    ("mourning", Meaning::Need(FUNERAL)),
    ("christmas", Meaning::Need(CHRISTMAS)),
    ("xmas", Meaning::Need(CHRISTMAS)),
    ("festive", Meaning::Need(CHRISTMAS)),
    ("santa", Meaning::Need(CHRISTMAS)),
    ("halloween", Meaning::Need(HALLOWEEN)),
    ("spooky", Meaning::Need(HALLOWEEN)),
    ("fancy dress", Meaning::Need(HALLOWEEN)),
    ("valentine", Meaning::Need(VALENTINE)),
    ("valentines", Meaning::Need(VALENTINE)),
    // Sport and the outdoors.
    ("gym", Meaning::Need(SPORT)),
    ("workout", Meaning::Need(SPORT)),
    ("training", Meaning::Need(SPORT)),
    ("exercise", Meaning::Need(SPORT)),
    ("fitness", Meaning::Need(SPORT)),
    ("sport", Meaning::Need(SPORT)),
    ("sporty", Meaning::Need(SPORT)),
    ("athletic", Meaning::Need(SPORT)),
    ("pilates", Meaning::Need(SPORT)),
    ("yoga", Meaning::Need(YOGA)),
    ("run", Meaning::Need(RUNNING)),
    ("running", Meaning::Need(RUNNING)),
    ("jogging", Meaning::Need(RUNNING)),
    ("jog", Meaning::Need(RUNNING)),
    ("marathon", Meaning::Need(RUNNING)),
    ("hiking", Meaning::Need(HIKING)),
    ("hike", Meaning::Need(HIKING)),
    ("trek", Meaning::Need(HIKING)),
    ("trekking", Meaning::Need(HIKING)),
    ("camping", Meaning::Need(HIKING)),
    ("walking", Meaning::Need(WALKING)),
    ("match", Meaning::Need(OUTSIDE)),
    ("stadium", Meaning::Need(OUTSIDE)),
    ("outside", Meaning::Need(OUTSIDE)),
    ("bonfire", Meaning::Need(OUTSIDE)),
    ("firework", Meaning::Need(OUTSIDE)),
    ("outdoor", Meaning::Need(HIKING)),
    // Gifts.
    ("gift", Meaning::Need(GIFT)),
    ("present", Meaning::Need(GIFT)),
    ("birthday", Meaning::Need(GIFT)),
    ("stocking filler", Meaning::Need(GIFT)),
    ("baby shower", Meaning::Need(BABY_GIFT)),
    ("christening", Meaning::Need(BABY_GIFT)),
    ("baptism", Meaning::Need(BABY_GIFT)),
    ("hospital", Meaning::Need(NEWBORN)),
    ("coming home", Meaning::Need(NEWBORN)),
    // What a part of the body needs.
    (
        "hand",
        Meaning::Need(Need {
            types: &["Gloves"],
            ..NEED
        }),
    ),
    (
        "finger",
        Meaning::Need(Need {
            types: &["Ring", "Gloves"],
            ..NEED
        }),
    ),
    (
        "wrist",
        Meaning::Need(Need {
            types: &["Watch", "Bracelet"],
            ..NEED
        }),
    ),
    (
        "neck",
        Meaning::Need(Need {
            types: &["Scarf", "Necklace"],
            ..NEED
        }),
    ),
    (
        "ear",
        Meaning::Need(Need {
            types: &["Hat/beanie", "Beanie", "Earring", "Earrings"],
            ..NEED
        }),
    ),
    (
        "eye",
        Meaning::Need(Need {
            types: &["Sunglasses"],
            ..NEED
        }),
    ),
    (
        "head",
        Meaning::Need(Need {
            types: HATS,
            ..NEED
        }),
    ),
    (
        "hair",
        Meaning::Need(Need {
            types: HAIR,
            ..NEED
        }),
    ),
    ("foot", Meaning::Need(FEET)),
    ("feet", Meaning::Need(FEET)),
    ("toe", Meaning::Need(FEET)),
    (
        "leg",
        Meaning::Need(Need {
            types: &[
                "Underwear Tights",
                "Leggings/Tights",
                "Trousers",
                "Leg warmers",
                "Socks",
            ],
            ..NEED
        }),
    ),
    (
        "waist",
        Meaning::Need(Need {
            types: &["Belt"],
            ..NEED
        }),
    ),
    (
        "hold up",
        Meaning::Need(Need {
            types: &["Belt", "Braces"],
            ..NEED
        }),
    ),
    (
        "carry",
        Meaning::Need(Need {
            types: BAGS,
            ..NEED
        }),
    ),
    (
        "laptop",
        Meaning::Need(Need {
            types: BAGS,
            traits: &["laptop", "computer", "backpack"],
            ..NEED
        }),
    ),
];

/// Tokens that are never spelling-corrected (so "tee" is not "tie").
fn lexicon_word(w: &str) -> bool {
    LEXICON.iter().any(|(p, _)| p.split(' ').any(|x| x == w))
}

/// The consonants of a word, doubled letters once: "sandle" and "sandal" are both
/// "sndl", "hoodey" and "hoody" "hd".
fn skeleton(w: &str) -> String {
    let mut out = String::new();
    for c in w.chars().filter(|c| !"aeiouy".contains(*c)) {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The shopper word of the lexicon that `w` most likely misspells: within one edit
/// (two for long words), or — for a word the catalog never uses (`unknown`) — with the
/// same first letter and consonants.
fn lexicon_correction(w: &str, unknown: bool) -> Option<&'static str> {
    let n = w.chars().count();
    if n < 4 {
        return None;
    }
    let max = if n >= 8 { 2 } else { 1 };
    let sk = skeleton(w);
    let mut best: Option<(usize, &'static str)> = None;
    for word in LEXICON.iter().flat_map(|(p, _)| p.split(' ')) {
        let wl = word.chars().count();
        if wl < 4 || wl.abs_diff(n) > 2 {
            continue;
        }
        let mut d = crate::keyword::edit_distance(w, word, max);
        if d > max && unknown && word.chars().next() == w.chars().next() && skeleton(word) == sk {
            d = max;
        }
        if d <= max && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, word));
        }
    }
    best.map(|b| b.1)
}

fn push_unique(v: &mut Vec<String>, items: &[&str]) {
    for i in items {
        if !v.iter().any(|x| x == i) {
            v.push(i.to_string());
        }
    }
}

/// Words before a product that make it context, not the thing wanted: "hold up *my*
/// trousers", "to wear *under* a skirt", "to go *with* my jeans".
const CONTEXT_BEFORE: &[&str] = &[
    "my",
    "your",
    "his",
    "her",
    "our",
    "their",
    "under",
    "underneath",
    "beneath",
    "over",
    "with",
    "up",
    "match",
    "matching",
];
/// Words after a product word that make it a verb: "*tie* my hair back", "*dress* me".
const VERB_AFTER: &[&str] = &[
    "my", "your", "his", "her", "our", "their", "me", "him", "them", "it", "up",
];
/// Words that describe no article: left out of the focus terms.
const FILLER: &[&str] = &[
    "clothe",
    "clothing",
    "outfit",
    "keep",
    "stuff",
    "look",
    "wearing",
    "help",
    "perfect",
    "great",
    "best",
    "cute",
    "pretty",
    "lovely",
    "idea",
    "suitable",
    "appropriate",
    "day",
    "time",
    "all",
    "going",
    "out",
    "trip",
    "holiday",
    "weather",
    "protect",
    "protection",
    "first",
];
const PERSON_AUDIENCES: [&str; 4] = ["Ladies", "Men", "Kids", "Baby"];

/// Understands `query` against the index's vocabularies.
pub fn understand(query: &str, facets: &Facets, keywords: &KeywordIndex) -> Intent {
    let mut intent = Intent::default();
    // Words (stop words kept, flagged), with spelling corrected where a word is unknown to
    // both the lexicon and the index.
    // A word the catalog uses rarely, close to a shopper word, is taken as that word
    // ("leggins", "sandles"); one it does not use at all, as its closest catalog word.
    let rare = (keywords.docs() / 2000).max(3) as u32;
    let mut all = words(query);
    for (w, stop) in all.iter_mut() {
        if *stop || lexicon_word(w) || FILLER.contains(&w.as_str()) {
            continue;
        }
        let df = keywords.term_id(w).map_or(0, |t| keywords.df[t]);
        let fixed = if df < rare {
            lexicon_correction(w, df == 0).or_else(|| keywords.correct(w))
        } else {
            None
        };
        if let Some(fixed) = fixed {
            intent.corrections.push((w.clone(), fixed.to_string()));
            *w = fixed.to_string();
        }
    }
    // Content words and their positions among all words.
    let content: Vec<usize> = (0..all.len()).filter(|&p| !all[p].1).collect();
    let tokens: Vec<&str> = content.iter().map(|&p| all[p].0.as_str()).collect();
    let known = |facet: &str, v: &str| {
        facets
            .get(facet)
            .is_some_and(|f| f.values.iter().any(|x| x == v))
    };
    // Whether the product named by content tokens `i..j` is context, not the thing wanted.
    let is_context = |i: usize, j: usize| {
        let before = all[..content[i]]
            .iter()
            .rev()
            .map(|(w, _)| w.as_str())
            .find(|w| !matches!(*w, "a" | "an" | "the"));
        let after = all.get(content[j - 1] + 1).map(|(w, _)| w.as_str());
        before.is_some_and(|w| CONTEXT_BEFORE.contains(&w))
            || after.is_some_and(|w| VERB_AFTER.contains(&w))
    };
    let mut needs: Vec<&Need> = Vec::new();
    let mut named_types: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Longest phrase first (up to three words).
        let mut matched = 0;
        let mut context = false;
        let mut need_words = false;
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
            matched = len;
            if meanings.iter().any(|m| matches!(m, Meaning::Type(_))) && is_context(i, i + len) {
                context = true;
                intent.context.push(phrase);
                break;
            }
            for m in meanings {
                match m {
                    Meaning::Colour(v) => {
                        push_unique(&mut intent.colours, v);
                        intent.colour_named = true;
                    }
                    Meaning::Shade(s) => intent.shade = Some(s.to_string()),
                    Meaning::Type(v) => {
                        let v: Vec<&str> = v
                            .iter()
                            .copied()
                            .filter(|t| known("product_type", t))
                            .collect();
                        push_unique(&mut named_types, &v)
                    }
                    Meaning::Audience(a, g) => {
                        push_unique(&mut intent.audiences, &[a]);
                        if let Some(g) = g {
                            intent.gender = Some(g.to_string());
                        }
                    }
                    Meaning::Pattern(v) => push_unique(&mut intent.patterns, v),
                    Meaning::Section(v) => push_unique(&mut intent.sections, v),
                    Meaning::Material => push_unique(&mut intent.materials, &[&phrase]),
                    Meaning::MaterialOf(m) => push_unique(&mut intent.materials, &[m]),
                    Meaning::Need(n) => {
                        needs.push(n);
                        push_unique(&mut intent.needs, &[&phrase]);
                        need_words = true;
                    }
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
            break;
        }
        let len = matched.max(1);
        if !context {
            for t in &tokens[i..i + len] {
                let t = t.to_string();
                if !need_words && !FILLER.contains(&t.as_str()) && !intent.focus.contains(&t) {
                    intent.focus.push(t.clone());
                }
                match intent.terms.iter_mut().find(|x| x.0 == t) {
                    Some(x) => x.1 = 1.0,
                    None => intent.terms.push((t, 1.0)),
                }
            }
        }
        i += len;
    }
    let sport = needs.iter().any(|n| n.sport);
    if intent.audiences.is_empty() && !sport {
        for n in &needs {
            push_unique(&mut intent.audiences, n.audiences);
        }
    }
    // A shopper speaking of themselves ("I need…", "for me") with no audience named
    // means grown-up sizes.
    let first_person = all
        .iter()
        .any(|(w, _)| matches!(w.as_str(), "i" | "im" | "me" | "my" | "myself"));
    if first_person && intent.audiences.is_empty() && !sport {
        push_unique(&mut intent.audiences, ADULTS);
    }
    // Sportswear: with a person named, that person's sport section or clothes; else Sport.
    if sport {
        push_unique(&mut intent.audiences, &["Sport"]);
    }
    // The needs' types, each further need narrowing them when they share types ("cosy"
    // and "gift": scarves, slippers, robes…); named types, narrowed by the needs when
    // they share any ("shoes for walking": sneakers).
    let mut need_types: Vec<&str> = Vec::new();
    for n in &needs {
        let types: Vec<&str> = if n.gift {
            gift_types(&intent.audiences)
        } else {
            n.types.to_vec()
        };
        if types.is_empty() {
            continue;
        }
        let shared: Vec<&str> = need_types
            .iter()
            .copied()
            .filter(|t| types.contains(t))
            .collect();
        if need_types.is_empty() || shared.is_empty() {
            for t in types {
                if !need_types.contains(&t) {
                    need_types.push(t);
                }
            }
        } else {
            need_types = shared;
        }
    }
    need_types.retain(|t| known("product_type", t));
    let narrowed: Vec<String> = named_types
        .iter()
        .filter(|t| need_types.contains(&t.as_str()))
        .cloned()
        .collect();
    intent.types = if named_types.is_empty() {
        need_types.iter().map(|t| t.to_string()).collect()
    } else if narrowed.is_empty() {
        named_types
    } else {
        narrowed
    };
    if intent.colours.is_empty() {
        for n in &needs {
            push_unique(&mut intent.colours, n.colours);
        }
    }
    if intent.patterns.is_empty() {
        for n in &needs {
            push_unique(&mut intent.patterns, n.patterns);
        }
    }
    if intent.sections.is_empty() {
        for n in &needs {
            push_unique(&mut intent.sections, n.sections);
        }
    }
    for n in &needs {
        let group: Vec<String> = n.traits.iter().map(|t| stem(t)).collect();
        if !group.is_empty() && !intent.traits.contains(&group) {
            intent.traits.push(group);
        }
    }
    // "baby" with "boy"/"girl" is a baby, not a kid.
    if intent.audiences.iter().any(|a| a == "Baby") {
        intent.audiences.retain(|a| a != "Kids");
    }
    intent.colours.retain(|c| known("colour_master", c));
    intent.patterns.retain(|p| known("pattern", p));
    intent.sections.retain(|s| known("section", s));
    intent
}

/// What makes a good gift for `audiences`.
fn gift_types(audiences: &[String]) -> Vec<&'static str> {
    let has = |a: &str| audiences.iter().any(|x| x == a);
    if has("Baby") {
        return BABY_GIFT_TYPES.to_vec();
    }
    if has("Kids") {
        return GIFT_KIDS_TYPES.to_vec();
    }
    let mut types = GIFT_TYPES.to_vec();
    if has("Ladies") || audiences.is_empty() {
        types.extend_from_slice(GIFT_LADIES_TYPES);
    }
    types
}

/// Whether the audiences name a person (not only `Sport`).
pub fn names_person(audiences: &[String]) -> bool {
    audiences
        .iter()
        .any(|a| PERSON_AUDIENCES.contains(&a.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Article;

    fn catalog() -> (Facets, KeywordIndex) {
        let mk = |name: &str, t: &str, group: &str, section: &str| Article {
            prod_name: name.into(),
            product_type_name: t.into(),
            perceived_colour_master_name: "Black".into(),
            index_group_name: group.into(),
            section_name: section.into(),
            ..Article::default()
        };
        let mut articles = Vec::new();
        for _ in 0..5 {
            articles.extend([
                mk(
                    "Slim trousers",
                    "Trousers",
                    "Menswear",
                    "Men Suits & Tailoring",
                ),
                mk("Leather belt", "Belt", "Menswear", "Men Accessories"),
                mk("Braces", "Braces", "Menswear", "Men Accessories"),
                mk("Running shorts", "Shorts", "Sport", "Men H&M Sport"),
                mk("Sneakers", "Sneakers", "Ladieswear", "Womens Shoes"),
                mk("Boots", "Boots", "Ladieswear", "Womens Shoes"),
                mk("Sandals", "Sandals", "Ladieswear", "Womens Shoes"),
                mk(
                    "Wool scarf",
                    "Scarf",
                    "Ladieswear",
                    "Womens Big accessories",
                ),
                mk(
                    "Slippers",
                    "Slippers",
                    "Ladieswear",
                    "Womens Nightwear, Socks & Tigh",
                ),
                mk(
                    "Necklace",
                    "Necklace",
                    "Ladieswear",
                    "Womens Small accessories",
                ),
                mk("Gloves", "Gloves", "Ladieswear", "Womens Big accessories"),
                mk("Blazer", "Blazer", "Ladieswear", "Womens Tailoring"),
            ]);
        }
        (
            Facets::from_articles(&articles),
            KeywordIndex::build(&articles).0,
        )
    }

    #[test]
    fn a_product_named_as_context_is_not_the_product_wanted() {
        let (f, k) = catalog();
        let i = understand("something to hold up my trousers", &f, &k);
        assert_eq!(i.types, ["Belt", "Braces"]);
        assert_eq!(i.context, ["trouser"]);
        assert!(!i.terms.iter().any(|t| t.0 == "trouser"));
        let i = understand("shoes to go with my blazer", &f, &k);
        assert!(i.types.contains(&"Sneakers".to_string()));
        assert!(!i.types.contains(&"Blazer".to_string()));
    }

    #[test]
    fn needs_give_types_and_narrow_named_ones() {
        let (f, k) = catalog();
        assert_eq!(understand("keep my hands warm", &f, &k).types, ["Gloves"]);
        let i = understand("comfortable shoes for walking", &f, &k);
        assert_eq!(i.types, ["Sneakers"]);
        assert_eq!(i.traits.len(), 1);
        // Two needs sharing types narrow each other.
        let i = understand("cosy gift for grandma", &f, &k);
        assert_eq!(i.audiences, ["Ladies"]);
        assert!(i
            .types
            .iter()
            .all(|t| ["Scarf", "Gloves", "Slippers"].contains(&t.as_str())));
        // A gift for her may be jewellery; for him, not.
        assert!(understand("a gift for my wife", &f, &k)
            .types
            .contains(&"Necklace".to_string()));
        assert!(!understand("a gift for my husband", &f, &k)
            .types
            .contains(&"Necklace".to_string()));
        let i = understand("an outfit for a job interview", &f, &k);
        assert_eq!(i.sections, ["Womens Tailoring", "Men Suits & Tailoring"]);
        assert!(!i.colour_named);
    }

    #[test]
    fn sport_words_add_sportswear_to_the_audience() {
        let (f, k) = catalog();
        let i = understand("men's running shorts", &f, &k);
        assert_eq!(i.audiences, ["Men", "Sport"]);
        assert_eq!(i.traits, [vec!["running".to_string()]]);
        assert_eq!(understand("gym", &f, &k).audiences, ["Sport"]);
    }

    #[test]
    fn rare_words_close_to_shopper_words_are_corrected() {
        let (f, k) = catalog();
        let i = understand("sandles", &f, &k);
        assert_eq!(
            i.corrections,
            [("sandle".to_string(), "sandal".to_string())]
        );
        assert_eq!(i.types, ["Sandals"]);
        assert_eq!(skeleton("hoodey"), skeleton("hoody"));
        assert_eq!(lexicon_correction("skrit", true), Some("skirt"));
        // Filler words are left alone.
        assert!(understand("my first coat", &f, &k).corrections.is_empty());
    }
}
