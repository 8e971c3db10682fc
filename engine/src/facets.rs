//! Facets: the catalog's attributes a shopper filters by, and each article's value.
//!
//! Two kinds of file hold them, so a browser fetches only what a query reads:
//!
//! - `facets-<h>.bin` ([`Facets`]): every facet's name, label, values (most frequent
//!   first) and counts, and each article's product number (colour variants). Query
//!   understanding, validation and every ranking need it; it is small.
//! - `column-<h>.bin` ([`FacetColumn`]), one per facet: each article's value code. A
//!   ranking that reads a column not attached yet reads "no value" and the column is
//!   recorded as missing; [`Facets::take_missing`] names the columns to fetch before
//!   ranking again (the keyword postings work the same way). Native readers attach all.
//!
//! A facet that its parent almost determines ([`PARENTS`]: the colour family and tone
//! by the colour, the audience and department by the section, …) is stored as its difference from
//! the parent: for each parent value the usual child value, and per article 0 (the
//! usual one) or its own code + 1. Read together — a colour query reads colour and
//! colour family — the two cost little more than the parent alone (colour family:
//! 53.7 → 9.8 kB on the full catalog). Reading a child records its parent as
//! missing too, and a child that arrives first waits for it.

use crate::catalog::Article;
use crate::format::{self, Codec, FileKind};
use crate::index::{decode_payload, postcard_error, FileRef, IndexError};
use crate::text::Audience;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::Mutex;

/// The facets, in display order: (name in URLs and APIs, human label).
/// The last eight are detail attributes read from each article's words
/// ([`crate::details`]).
pub const FACETS: [(&str, &str); 19] = [
    ("product_group", "Product group"),
    ("product_type", "Product type"),
    ("colour", "Colour"),
    ("colour_master", "Colour family"),
    ("colour_value", "Tone"),
    ("pattern", "Pattern"),
    ("audience", "For"),
    ("index_group", "Department"),
    ("garment_group", "Garment group"),
    ("section", "Section"),
    ("gender", "Boys/Girls"),
    ("sleeves", "Sleeve length"),
    ("neckline", "Neckline"),
    ("length", "Length"),
    ("fit", "Fit"),
    ("rise", "Waist"),
    ("closure", "Fastening"),
    ("wiring", "Wiring"),
    ("padding", "Padding"),
];

/// (child, parent): facets stored as their difference from a parent facet that almost
/// determines them (see the module documentation). A parent has no parent.
pub const PARENTS: [(&str, &str); 6] = [
    ("colour_master", "colour"),
    ("colour_value", "colour"),
    ("audience", "section"),
    ("gender", "section"),
    ("index_group", "section"),
    ("product_group", "product_type"),
];

/// How many of [`FACETS`] come from the catalog's columns; the rest are details.
pub const CATALOG_FACETS: usize = 11;

fn facet_value(name: &str, a: &Article) -> String {
    match name {
        "product_group" => a.product_group_name.clone(),
        "product_type" => a.product_type_name.clone(),
        "colour" => a.colour_group_name.clone(),
        "colour_master" => a.perceived_colour_master_name.clone(),
        "colour_value" => a.perceived_colour_value_name.clone(),
        "pattern" => a.graphical_appearance_name.clone(),
        "audience" => Audience::of(a)
            .map(|x| x.label().to_string())
            .unwrap_or_default(),
        "index_group" => a.index_group_name.clone(),
        "garment_group" => a.garment_group_name.clone(),
        "section" => a.section_name.clone(),
        "gender" => crate::text::gender(a).unwrap_or_default().to_string(),
        detail => crate::details::details().value(detail, a),
    }
}

/// One facet: its values (most frequent first), their counts, and — once its column is
/// attached — each article's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facet {
    pub name: String,
    pub label: String,
    pub values: Vec<String>,
    pub counts: Vec<u32>,
    /// The facet whose values this one's column is stored against ([`PARENTS`]).
    pub parent: Option<u32>,
    /// `codes[article]` indexes `values` (1-based; 0 is "no value"). Empty until the
    /// facet's column is attached (it is a file of its own: [`FacetColumn`]).
    #[serde(skip)]
    pub codes: Vec<u16>,
    /// A child's column that arrived before its parent's.
    #[serde(skip)]
    pending: Option<FacetColumn>,
}

/// All facets, plus each article's product (to group colour variants).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub articles: u32,
    pub facets: Vec<Facet>,
    /// `product[article]`: dense product number (articles sharing a `product_code`).
    /// Stored as differences from the previous article's (mostly 0 or 1 in a catalog in
    /// id order, which deflate shrinks to almost nothing).
    #[serde(with = "deltas")]
    pub product: Vec<u32>,
    /// Columns read while not attached (see the module documentation).
    #[serde(skip)]
    missing: Missing,
}

/// One facet's value code for every article: the payload of a `column` file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetColumn {
    pub name: String,
    /// A child facet's usual code for each parent code (empty without a parent).
    pub usual: Vec<u16>,
    /// The codes; a child's are 0 for its usual value, else code + 1. With `changed`
    /// (by product), only those of each product's first article and of the articles in
    /// `changed`, in article order.
    pub codes: Vec<u16>,
    /// Stored by product ([`FacetColumn::by_product`]): the articles after a product's
    /// first whose code is not the one of the article before, as gaps from the previous
    /// one listed (the first from article 0), after a leading 0 that says "by product";
    /// empty: every article's code is in `codes`.
    pub changed: Vec<u32>,
}

impl FacetColumn {
    /// `codes` (one per article) stored by product where that is smaller: a facet of the
    /// product (its type, section, garment group) is the same for its colour variants,
    /// which the indexer writes side by side, so a code per product and the few
    /// exceptions say it all (format 10: product type 47 → 35 kB gzip on the full
    /// catalog, section 42 → 31 kB). A facet of the variant (its colour) keeps a code per
    /// article.
    fn by_product(name: &str, usual: Vec<u16>, codes: Vec<u16>, product: &[u32]) -> Self {
        let mut kept = Vec::new();
        let mut changed = vec![0u32];
        let mut last = 0usize;
        for (i, &c) in codes.iter().enumerate() {
            let continues = i > 0 && product.get(i) == product.get(i - 1);
            if !continues {
                kept.push(c);
            } else if c != codes[i - 1] {
                kept.push(c);
                changed.push((i - last) as u32);
                last = i;
            }
        }
        let whole = Self {
            name: name.to_string(),
            usual,
            codes,
            changed: Vec::new(),
        };
        let by_product = Self {
            name: whole.name.clone(),
            usual: whole.usual.clone(),
            codes: kept,
            changed,
        };
        let size = |c: &Self| {
            miniz_oxide::deflate::compress_to_vec(
                &postcard::to_allocvec(c).expect("a facet column serializes"),
                9,
            )
            .len()
        };
        if product.len() == whole.codes.len() && size(&by_product) < size(&whole) {
            by_product
        } else {
            whole
        }
    }

    /// Every article's code (undoes [`FacetColumn::by_product`]); `None` when the column
    /// does not fit the products.
    fn expand(self, product: &[u32]) -> Option<Self> {
        match self.changed.first() {
            None => return Some(self),
            Some(0) => {}
            Some(_) => return None,
        }
        let mut changed = self.changed[1..].iter();
        let mut next = changed.next().map(|&g| g as usize);
        let mut stored = self.codes.iter();
        let mut codes = Vec::with_capacity(product.len());
        for i in 0..product.len() {
            let continues = i > 0 && product[i] == product[i - 1];
            let code = if !continues {
                *stored.next()?
            } else if next == Some(i) {
                next = match changed.next() {
                    Some(&g) if g > 0 => Some(i.checked_add(g as usize)?),
                    Some(_) => return None,
                    None => None,
                };
                // (Only a code that changes is listed.)
                Some(*stored.next()?).filter(|&c| c != codes[i - 1])?
            } else {
                codes[i - 1]
            };
            codes.push(code);
        }
        // Every stored code and listed change used, each at an article that continues a
        // product.
        if stored.next().is_some() || next.is_some() {
            return None;
        }
        Some(Self {
            codes,
            changed: Vec::new(),
            ..self
        })
    }

    /// A child's codes, given its parent's (`None`: they do not fit together).
    fn resolve(&self, parent: &[u16], values: usize) -> Option<Vec<u16>> {
        if self.usual.iter().any(|&c| c as usize > values) || parent.len() != self.codes.len() {
            return None;
        }
        self.codes
            .iter()
            .zip(parent)
            .map(|(&c, &p)| match c {
                0 => self.usual.get(p as usize).copied(),
                c => Some(c - 1).filter(|&c| c as usize <= values),
            })
            .collect()
    }
}

/// The set of facets read before their column arrived. Not part of the value: clones
/// start empty and every two compare equal.
#[derive(Debug, Default)]
struct Missing(Mutex<BTreeSet<u32>>);

impl Clone for Missing {
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl PartialEq for Missing {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Missing {}

/// A `Vec<u32>` stored as zigzag differences between neighbours.
mod deltas {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(v: &[u32], s: S) -> Result<S::Ok, S::Error> {
        let mut prev = 0i64;
        let d: Vec<u64> = v
            .iter()
            .map(|&x| {
                let diff = x as i64 - prev;
                prev = x as i64;
                ((diff << 1) ^ (diff >> 63)) as u64
            })
            .collect();
        d.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        let raw = Vec::<u64>::deserialize(d)?;
        let mut prev = 0i64;
        raw.into_iter()
            .map(|z| {
                let diff = (z >> 1) as i64 ^ -((z & 1) as i64);
                prev = prev
                    .checked_add(diff)
                    .filter(|x| (0..=u32::MAX as i64).contains(x))
                    .ok_or_else(|| serde::de::Error::custom("product numbers out of range"))?;
                Ok(prev as u32)
            })
            .collect()
    }
}

impl Facets {
    /// Computes the facet tables of `articles`, every column attached.
    pub fn from_articles(articles: &[Article]) -> Self {
        use std::collections::HashMap;
        let facets = FACETS
            .iter()
            .map(|(name, label)| {
                let mut counts: HashMap<String, u32> = HashMap::new();
                for a in articles {
                    let v = facet_value(name, a);
                    if !v.is_empty() {
                        *counts.entry(v).or_default() += 1;
                    }
                }
                let mut values: Vec<(String, u32)> = counts.into_iter().collect();
                values.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                // Code 0 is reserved for "no value".
                let lookup: HashMap<&str, u16> = values
                    .iter()
                    .enumerate()
                    .map(|(i, (v, _))| (v.as_str(), (i + 1).min(u16::MAX as usize) as u16))
                    .collect();
                let codes = articles
                    .iter()
                    .map(|a| {
                        lookup
                            .get(facet_value(name, a).as_str())
                            .copied()
                            .unwrap_or(0)
                    })
                    .collect();
                Facet {
                    name: name.to_string(),
                    label: label.to_string(),
                    counts: values.iter().map(|v| v.1).collect(),
                    values: values.into_iter().map(|v| v.0).collect(),
                    parent: PARENTS
                        .iter()
                        .find(|(child, _)| child == name)
                        .and_then(|(_, p)| FACETS.iter().position(|(n, _)| n == p))
                        .map(|p| p as u32),
                    codes,
                    pending: None,
                }
            })
            .collect();
        let mut products: HashMap<&str, u32> = HashMap::new();
        let product = articles
            .iter()
            .map(|a| {
                let next = products.len() as u32;
                *products.entry(a.product_code.as_str()).or_insert(next)
            })
            .collect();
        Self {
            articles: articles.len() as u32,
            facets,
            product,
            missing: Missing::default(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Facet> {
        self.facets.iter().find(|f| f.name == name)
    }

    /// Whether facet `name` has the value `value` in this catalog.
    pub fn has_value(&self, name: &str, value: &str) -> bool {
        self.get(name)
            .is_some_and(|f| f.values.iter().any(|v| v == value))
    }

    /// The position of facet `name`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.facets.iter().position(|f| f.name == name)
    }

    /// Article `i`'s value code for facet number `f` (0: none). A column not attached
    /// yet reads 0 and is recorded as missing.
    pub fn code(&self, f: usize, i: u32) -> u16 {
        let Some(facet) = self.facets.get(f) else {
            return 0;
        };
        match facet.codes.get(i as usize) {
            Some(&c) => c,
            None => {
                if !self.has_column(f) {
                    let mut missing = self.missing.0.lock().unwrap_or_else(|e| e.into_inner());
                    missing.insert(f as u32);
                    if let Some(p) = facet.parent.filter(|&p| !self.has_column(p as usize)) {
                        missing.insert(p);
                    }
                }
                0
            }
        }
    }

    /// Article `i`'s value of facet `name` (`None`: no value, or its column is missing).
    pub fn value(&self, name: &str, i: u32) -> Option<&str> {
        let f = self.position(name)?;
        let code = self.code(f, i) as usize;
        self.facets[f]
            .values
            .get(code.checked_sub(1)?)
            .map(String::as_str)
    }

    /// Whether facet number `f`'s column is attached.
    pub fn has_column(&self, f: usize) -> bool {
        self.articles == 0
            || self
                .facets
                .get(f)
                .is_some_and(|x| x.codes.len() == self.articles as usize)
    }

    /// Whether every column is attached.
    pub fn is_complete(&self) -> bool {
        (0..self.facets.len()).all(|f| self.has_column(f))
    }

    /// The facets whose columns are not attached.
    pub fn absent(&self) -> Vec<u32> {
        (0..self.facets.len())
            .filter(|&f| !self.has_column(f))
            .map(|f| f as u32)
            .collect()
    }

    /// The columns read since the last call while not attached (ascending), and forgets them.
    pub fn take_missing(&self) -> Vec<u32> {
        let mut m = self.missing.0.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut *m).into_iter().collect()
    }

    /// The tables file (names, labels, values, counts, products; no columns).
    pub fn encode(&self) -> Vec<u8> {
        format::encode_file(
            FileKind::Facets,
            Codec::Deflate,
            &postcard::to_allocvec(self).expect("facets serialize"),
        )
    }

    /// One column file per facet, in facet order.
    pub fn encode_columns(&self) -> Vec<Vec<u8>> {
        self.facets
            .iter()
            .map(|f| {
                let column = match f.parent {
                    Some(p) => self.child_column(f, &self.facets[p as usize]),
                    None => FacetColumn {
                        name: f.name.clone(),
                        usual: Vec::new(),
                        codes: f.codes.clone(),
                        changed: Vec::new(),
                    },
                };
                let column = FacetColumn::by_product(
                    &column.name,
                    column.usual,
                    column.codes,
                    &self.product,
                );
                format::encode_file(
                    FileKind::FacetColumn,
                    Codec::Deflate,
                    &postcard::to_allocvec(&column).expect("a facet column serializes"),
                )
            })
            .collect()
    }

    /// `child`'s column stored against `parent`'s codes: the most frequent child code of
    /// each parent code (ties: the lower code), and per article 0 where it is that one.
    fn child_column(&self, child: &Facet, parent: &Facet) -> FacetColumn {
        use std::collections::HashMap;
        let mut counts: HashMap<(u16, u16), u32> = HashMap::new();
        for (&c, &p) in child.codes.iter().zip(&parent.codes) {
            *counts.entry((p, c)).or_default() += 1;
        }
        let mut usual = vec![0u16; parent.values.len() + 1];
        let mut best = vec![0u32; parent.values.len() + 1];
        let mut pairs: Vec<_> = counts.into_iter().collect();
        pairs.sort();
        for ((p, c), n) in pairs {
            if n > best[p as usize] {
                best[p as usize] = n;
                usual[p as usize] = c;
            }
        }
        let codes = child
            .codes
            .iter()
            .zip(&parent.codes)
            .map(|(&c, &p)| if usual[p as usize] == c { 0 } else { c + 1 })
            .collect();
        FacetColumn {
            name: child.name.clone(),
            usual,
            codes,
            changed: Vec::new(),
        }
    }

    /// Reads the tables file; no column is attached.
    pub fn decode(file: &FileRef, bytes: &[u8]) -> Result<Self, IndexError> {
        let raw = decode_payload(file, bytes, FileKind::Facets)?;
        let f: Facets = postcard::from_bytes(&raw).map_err(|e| postcard_error(file, e))?;
        let n = f.facets.len();
        let consistent = f.product.len() == f.articles as usize
            && f.facets.iter().enumerate().all(|(i, x)| {
                x.counts.len() == x.values.len()
                    && x.parent.is_none_or(|p| {
                        p as usize != i && (p as usize) < n && f.facets[p as usize].parent.is_none()
                    })
            });
        if !consistent {
            return Err(IndexError::Inconsistent {
                file: file.path.clone(),
                message: "facet tables do not match the article count".into(),
            });
        }
        Ok(f)
    }

    /// Attaches facet number `f`'s column (`file` is its manifest entry).
    pub fn attach_column(
        &mut self,
        f: usize,
        file: &FileRef,
        bytes: &[u8],
    ) -> Result<(), IndexError> {
        let wrong = |message: &str| IndexError::Inconsistent {
            file: file.path.clone(),
            message: message.into(),
        };
        let facet = self
            .facets
            .get(f)
            .ok_or_else(|| wrong("the manifest lists more facet columns than facets"))?;
        let raw = decode_payload(file, bytes, FileKind::FacetColumn)?;
        let column: FacetColumn =
            postcard::from_bytes(&raw).map_err(|e| postcard_error(file, e))?;
        let column = column
            .expand(&self.product)
            .ok_or_else(|| wrong("the facet column does not fit the articles' products"))?;
        if column.name != facet.name {
            return Err(wrong(&format!(
                "holds facet {:?}, the manifest places {:?} there",
                column.name, facet.name
            )));
        }
        let values = facet.values.len();
        let fits = column.codes.len() == self.articles as usize
            && match facet.parent {
                None => {
                    column.usual.is_empty() && column.codes.iter().all(|&c| c as usize <= values)
                }
                Some(p) => {
                    column.usual.len() == self.facets[p as usize].values.len() + 1
                        && column.usual.iter().all(|&c| c as usize <= values)
                        && column.codes.iter().all(|&c| c as usize <= values + 1)
                }
            };
        if !fits {
            return Err(wrong("the facet column does not match its table"));
        }
        match self.facets[f].parent {
            None => self.facets[f].codes = column.codes,
            Some(_) => self.facets[f].pending = Some(column),
        }
        self.resolve_pending(file)
    }

    /// Resolves every child column whose parent is attached.
    fn resolve_pending(&mut self, file: &FileRef) -> Result<(), IndexError> {
        for c in 0..self.facets.len() {
            let Some(p) = self.facets[c].parent else {
                continue;
            };
            if self.facets[c].pending.is_none() || !self.has_column(p as usize) {
                continue;
            }
            let column = self.facets[c].pending.take().expect("checked above");
            let codes = column
                .resolve(&self.facets[p as usize].codes, self.facets[c].values.len())
                .ok_or_else(|| IndexError::Inconsistent {
                    file: file.path.clone(),
                    message: format!("facet {:?} does not fit its parent's column", column.name),
                })?;
            self.facets[c].codes = codes;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> FileRef {
        FileRef {
            path: path.into(),
            bytes: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn facets_roundtrip_with_products_in_any_order() {
        let mk = |id: &str, product: &str, colour: &str| Article {
            article_id: id.into(),
            product_code: product.into(),
            colour_group_name: colour.into(),
            ..Article::default()
        };
        // Products in id order, then one seen before (a catalog not sorted by id).
        let articles = [
            mk("1", "p1", "Black"),
            mk("2", "p1", "Red"),
            mk("3", "p2", "Black"),
            mk("4", "p3", "Blue"),
            mk("5", "p1", "White"),
        ];
        let f = Facets::from_articles(&articles);
        assert_eq!(f.product, [0, 0, 1, 2, 0]);
        let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
        let colour = f.position("colour").unwrap();
        // No column yet: reads are "no value", and are recorded.
        assert!(!back.is_complete());
        assert_eq!(back.value("colour", 1), None);
        assert_eq!(back.code(colour, 0), 0);
        assert_eq!(back.take_missing(), [colour as u32]);
        assert!(back.take_missing().is_empty(), "taken once");
        for (n, bytes) in f.encode_columns().iter().enumerate() {
            back.attach_column(n, &file("column.bin"), bytes).unwrap();
        }
        assert_eq!(back, f);
        assert!(back.is_complete() && back.absent().is_empty());
        assert_eq!(back.value("colour", 1), Some("Red"));
        assert!(back.take_missing().is_empty());
    }

    #[test]
    fn a_facet_of_the_product_is_stored_once_per_product() {
        // 40 products of 3 colour variants each: the product type is the product's (one
        // variant of the last product differs), the colour each variant's.
        let types = ["Dress", "Skirt", "Top", "Coat", "Shirt"];
        let colours = ["Black", "Red", "Blue"];
        let articles: Vec<Article> = (0..120)
            .map(|i| Article {
                article_id: format!("{i:04}"),
                product_code: format!("p{}", i / 3),
                product_type_name: if i == 119 { "Hat" } else { types[(i / 3) % 5] }.into(),
                colour_group_name: colours[i % 3].into(),
                ..Article::default()
            })
            .collect();
        let f = Facets::from_articles(&articles);
        let columns = f.encode_columns();
        let stored = |name: &str| -> FacetColumn {
            let raw = decode_payload(
                &file("c"),
                &columns[f.position(name).unwrap()],
                FileKind::FacetColumn,
            )
            .unwrap();
            postcard::from_bytes(&raw).unwrap()
        };
        let by_type = stored("product_type");
        assert_eq!(
            by_type.codes.len(),
            41,
            "a code per product and the exception"
        );
        assert_eq!(by_type.changed, [0, 119]);
        assert!(stored("colour").changed.is_empty(), "a code per variant");
        let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
        for (n, bytes) in columns.iter().enumerate() {
            back.attach_column(n, &file("column.bin"), bytes).unwrap();
        }
        assert_eq!(back, f);
        assert_eq!(back.value("product_type", 119), Some("Hat"));
        assert_eq!(back.value("product_type", 118), Some("Shirt"));

        // A column whose changes do not fit the products is an error, not wrong values.
        for changed in [
            vec![0, 3],
            vec![0, 120],
            vec![0, 119, 0],
            vec![1, 119],
            vec![0],
        ] {
            let broken = FacetColumn {
                changed,
                ..by_type.clone()
            };
            let bytes = format::encode_file(
                FileKind::FacetColumn,
                Codec::Deflate,
                &postcard::to_allocvec(&broken).unwrap(),
            );
            let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
            let n = f.position("product_type").unwrap();
            let err = back.attach_column(n, &file("t.bin"), &bytes).unwrap_err();
            assert!(err.to_string().contains("products"), "{err}");
        }
    }

    #[test]
    fn a_column_in_the_wrong_place_is_an_error() {
        let a = Article {
            article_id: "1".into(),
            colour_group_name: "Red".into(),
            ..Article::default()
        };
        let f = Facets::from_articles(&[a.clone(), a]);
        let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
        let columns = f.encode_columns();
        let colour = f.position("colour").unwrap();
        let err = back
            .attach_column(colour, &file("column.bin"), &columns[0])
            .unwrap_err();
        assert!(err.to_string().contains("holds facet"), "{err}");
        assert!(back
            .attach_column(99, &file("column.bin"), &columns[0])
            .is_err());
        let other = Facets::from_articles(&[]);
        let err = back
            .attach_column(0, &file("column.bin"), &other.encode_columns()[0])
            .unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
    }

    #[test]
    fn a_child_column_is_stored_against_its_parent_and_waits_for_it() {
        let mk = |id: &str, colour: &str, master: &str| Article {
            article_id: id.into(),
            product_code: id.into(),
            colour_group_name: colour.into(),
            perceived_colour_master_name: master.into(),
            ..Article::default()
        };
        // Dark Red is nearly always Red; one article is an exception.
        let articles = [
            mk("1", "Dark Red", "Red"),
            mk("2", "Dark Red", "Red"),
            mk("3", "Dark Red", "Brown"),
            mk("4", "Black", "Black"),
            mk("5", "Black", ""),
        ];
        let f = Facets::from_articles(&articles);
        let colour = f.position("colour").unwrap();
        let master = f.position("colour_master").unwrap();
        assert_eq!(f.facets[master].parent, Some(colour as u32));
        let columns = f.encode_columns();
        let raw = decode_payload(&file("c"), &columns[master], FileKind::FacetColumn).unwrap();
        let stored: FacetColumn = postcard::from_bytes(&raw).unwrap();
        assert_eq!(
            stored.codes.iter().filter(|&&c| c != 0).count(),
            2,
            "only the exceptions are stored: {stored:?}"
        );

        let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
        // Reading the child names its parent too.
        assert_eq!(back.value("colour_master", 0), None);
        assert_eq!(back.take_missing(), [colour as u32, master as u32]);
        // The child first: it waits for its parent.
        back.attach_column(master, &file("m.bin"), &columns[master])
            .unwrap();
        assert!(!back.has_column(master));
        back.attach_column(colour, &file("c.bin"), &columns[colour])
            .unwrap();
        assert!(back.has_column(master));
        let masters: Vec<_> = (0..5).map(|i| back.value("colour_master", i)).collect();
        assert_eq!(
            masters,
            [Some("Red"), Some("Red"), Some("Brown"), Some("Black"), None]
        );
        for (n, bytes) in columns.iter().enumerate() {
            back.attach_column(n, &file("column.bin"), bytes).unwrap();
        }
        assert_eq!(back, f);

        // A child whose usual values name codes its facet does not have is corrupt.
        let mut bad = stored.clone();
        bad.usual[1] = 99;
        let bytes = format::encode_file(
            FileKind::FacetColumn,
            Codec::Deflate,
            &postcard::to_allocvec(&bad).unwrap(),
        );
        let mut back = Facets::decode(&file("facets.bin"), &f.encode()).unwrap();
        let err = back
            .attach_column(master, &file("m.bin"), &bytes)
            .unwrap_err();
        assert!(err.to_string().contains("does not match"), "{err}");
    }
}
