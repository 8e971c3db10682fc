//! The shopper's search — query, facet filters, "more like this" — and its URL form
//! (`?q=red+dress&colour=Red&like=0108775015`), so searches can be shared and reloaded.

use std::collections::BTreeMap;

/// What is being searched.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchState {
    pub q: String,
    /// facet name → selected values (any value matches; facets combine with AND)
    pub filters: BTreeMap<String, Vec<String>>,
    /// "More like this" article, when browsing neighbours instead of a query.
    pub like: Option<String>,
    /// Parts of what the query was understood to mean that the shopper removed (the
    /// engine's `ignore`); a new query starts with none.
    pub ignore: Vec<String>,
}

impl SearchState {
    /// Reads a URL query string (with or without the leading `?`).
    pub fn from_query_string(qs: &str) -> Self {
        let mut s = Self::default();
        for (k, v) in parse_query(qs) {
            match k.as_str() {
                "q" => s.q = v,
                "like" => s.like = Some(v).filter(|v| !v.trim().is_empty()),
                "ignore" if !v.is_empty() && !s.ignore.contains(&v) => s.ignore.push(v),
                "ignore" => {}
                "backend" => {}
                _ if !v.is_empty() => {
                    let values = s.filters.entry(k).or_default();
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The URL query string (with `?`, or empty), keeping `extra` pairs such as `backend`.
    pub fn to_query_string(&self, extra: &[(String, String)]) -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if !self.q.trim().is_empty() {
            pairs.push(("q", self.q.trim()));
        }
        if let Some(id) = &self.like {
            pairs.push(("like", id));
        }
        for part in &self.ignore {
            pairs.push(("ignore", part));
        }
        for (k, values) in &self.filters {
            for v in values {
                pairs.push((k, v));
            }
        }
        for (k, v) in extra {
            pairs.push((k, v));
        }
        if pairs.is_empty() {
            return String::new();
        }
        let body: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        format!("?{}", body.join("&"))
    }

    /// Nothing to show: no words, no filters to browse, no "more like this".
    pub fn is_idle(&self) -> bool {
        self.q.trim().is_empty() && self.like.is_none() && self.filters.is_empty()
    }

    pub fn is_selected(&self, facet: &str, value: &str) -> bool {
        self.filters
            .get(facet)
            .is_some_and(|v| v.iter().any(|x| x == value))
    }

    /// Selects or deselects one facet value.
    pub fn toggle(&mut self, facet: &str, value: &str) {
        let values = self.filters.entry(facet.to_string()).or_default();
        if let Some(pos) = values.iter().position(|v| v == value) {
            values.remove(pos);
        } else {
            values.push(value.to_string());
        }
        if values.is_empty() {
            self.filters.remove(facet);
        }
    }
}

/// Parameters of a query string that are kept as they are (e.g. `backend`).
pub fn kept_params(qs: &str) -> Vec<(String, String)> {
    parse_query(qs)
        .into_iter()
        .filter(|(k, _)| k == "backend")
        .collect()
}

/// One parameter's value, if present.
pub fn param(qs: &str, name: &str) -> Option<String> {
    parse_query(qs)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// `application/x-www-form-urlencoded` pairs (`+` is a space; bad escapes kept as typed).
pub fn parse_query(qs: &str) -> Vec<(String, String)> {
    qs.trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .filter(|(k, _)| !k.is_empty())
        .collect()
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn round_trips_through_the_url() {
        let mut s = SearchState {
            q: "red dress & co".into(),
            ..Default::default()
        };
        s.toggle("colour", "Dark Red");
        s.toggle("colour", "Red");
        s.toggle("audience", "Ladies");
        let extra = vec![("backend".to_string(), "http://127.0.0.1:8080".to_string())];
        let qs = s.to_query_string(&extra);
        assert_eq!(
            qs,
            "?q=red+dress+%26+co&audience=Ladies&colour=Dark+Red&colour=Red&backend=http%3A%2F%2F127.0.0.1%3A8080"
        );
        assert_eq!(SearchState::from_query_string(&qs), s);
        assert_eq!(kept_params(&qs), extra);
        s.toggle("colour", "Red");
        s.toggle("colour", "Dark Red");
        assert!(!s.filters.contains_key("colour"));
    }

    #[wasm_bindgen_test]
    fn tolerates_odd_urls() {
        let s = SearchState::from_query_string("?q=%zz&like=&colour=&&=x&q2");
        assert_eq!(s.q, "%zz");
        assert_eq!(s.like, None);
        assert!(!s.filters.contains_key("colour"));
        assert_eq!(s.filters.get("q2"), None);
        assert_eq!(decode("caf%C3%A9%"), "café%");
        assert!(SearchState::from_query_string("").is_idle());
        // Filters alone browse.
        assert!(!SearchState::from_query_string("?product_type=Dress").is_idle());
    }
}
