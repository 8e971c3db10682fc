//! The OpenAPI 3.1 description (`/api/openapi.json`) and a self-contained interactive
//! docs page (`/docs`) that renders it and lets one try each endpoint — no CDN, no
//! downloads.

use crate::routes::AppState;
use atelier_engine::api::{MAX_K, MAX_QUERY_CHARS};
use atelier_engine::index::Facets;
use axum::extract::State;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value};

/// One query parameter per facet of the loaded index, its values listed: the description
/// states exactly what the server's validation accepts (schemathesis checks the two agree).
fn facet_parameters(facets: &Facets) -> Vec<Value> {
    facets
        .facets
        .iter()
        .map(|f| {
            json!({
                "name": f.name,
                "in": "query",
                "required": false,
                "description": format!(
                    "Filter by {} (repeat for several values: any matches; facets combine \
                     with AND). Values match regardless of ASCII case.",
                    f.label.to_lowercase()
                ),
                "style": "form",
                "explode": true,
                "schema": {"type": "array", "items": {"type": "string", "enum": f.values}},
                "x-atelier-facet": true,
            })
        })
        .collect()
}

/// A facet in a JSON body: one value or a list of values.
fn facet_body_schemas(facets: &Facets) -> serde_json::Map<String, Value> {
    facets
        .facets
        .iter()
        .map(|f| {
            let value = json!({"type": "string", "enum": f.values});
            let schema = json!({"oneOf": [value, {"type": "array", "items": value}]});
            (f.name.clone(), schema)
        })
        .collect()
}

/// What `q` accepts: up to 512 characters after trimming white space, none of them
/// control characters (`api::validate_query`); empty (or only spaces) with at least one
/// filter browses what the filters select (without a filter it is a 400).
fn query_schema() -> Value {
    const NOT_CONTROL: &str = r"[^\u0000-\u001f\u007f-\u009f]";
    json!({
        "type": "string",
        "maxLength": MAX_QUERY_CHARS,
        "pattern": format!("^{NOT_CONTROL}*$"),
        "description": "The shopper's words. Empty with at least one facet filter: browse what the filters select (one card per product, in catalog order).",
    })
}

/// What `ignore` accepts: a part of an understanding (`forget::is_part`).
fn ignore_schema() -> Value {
    use atelier_engine::facets::{CATALOG_FACETS, FACETS};
    let parts: Vec<&str> = atelier_engine::forget::PARTS
        .iter()
        .copied()
        .chain(FACETS[CATALOG_FACETS..].iter().map(|f| f.0))
        .collect();
    json!({"type": "string", "enum": parts})
}

fn k_parameter() -> Value {
    json!({"name": "k", "in": "query", "required": false,
           "description": format!("Number of results (1..={MAX_K}, default 10)."),
           "schema": {"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 10}})
}

fn error_responses() -> Value {
    json!({
        "400": {"description": "Invalid input; `field` names it.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "Body too large.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "408": {"description": "The request timed out."},
        "503": {"description": "Too many searches at once; retry after `Retry-After` seconds.",
                "headers": {"retry-after": {"schema": {"type": "integer"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    })
}

/// The OpenAPI document for an index with these facets.
pub fn document(facets: &Facets) -> Value {
    let with_facets = |mut params: Vec<Value>| {
        params.extend(facet_parameters(facets));
        params
    };
    // "" is the default too (as an HTML form's empty choice sends it).
    let modes = json!(["hybrid", "vector", "keyword", "lexical", ""]);
    let mut request_properties = facet_body_schemas(facets);
    request_properties.insert("q".into(), query_schema());
    request_properties.insert(
        "k".into(),
        json!({"type": ["integer", "null"], "minimum": 1, "maximum": MAX_K}),
    );
    request_properties.insert(
        "mode".into(),
        json!({"type": ["string", "null"],
               "enum": [&modes[0], &modes[1], &modes[2], &modes[3], &modes[4], null]}),
    );
    request_properties.insert(
        "ignore".into(),
        json!({"type": "array", "items": ignore_schema(),
               "description": "Parts of what the query was understood to mean to forget (the shopper removed them)."}),
    );
    request_properties.insert(
        "filters".into(),
        json!({"type": "object", "additionalProperties": false,
               "properties": facet_body_schemas(facets)}),
    );
    let search_ok = json!({
        "description": "Results, exactly as `indexer search --json` prints them. \
                        Header `x-cache: hit|miss` says whether Redis answered.",
        "headers": {"x-cache": {"schema": {"type": "string", "enum": ["hit", "miss"]}}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}
    });
    let mut search_responses = error_responses();
    search_responses["200"] = search_ok;
    let mut similar_responses = error_responses();
    similar_responses["200"] = json!({"description": "The articles nearest to this one (vector similarity).",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResponse"}}}});
    similar_responses["404"] = json!({"description": "No such article.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let mut facet_responses = error_responses();
    facet_responses["200"] = json!({"description": "Facet value counts under the filters.",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Facets"}}}});
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Atelier search API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "AI fashion search over a catalog: the same engine and ranking as the \
                            on-device app and `indexer search`."
        },
        "paths": {
            "/api/search": {
                "get": {
                    "summary": "Search the catalog",
                    "operationId": "searchGet",
                    "parameters": with_facets(vec![
                        json!({"name": "q", "in": "query", "required": true,
                         "description": "What the shopper typed (up to 512 characters after trimming white space; no control characters). Empty with at least one facet filter: browse what the filters select.",
                         "schema": query_schema(),
                         "example": "red dress for a summer wedding"}),
                        k_parameter(),
                        json!({"name": "mode", "in": "query", "required": false,
                         "description": "Ranking: hybrid (the default, also when empty), vector, keyword or lexical.",
                         "schema": {"type": "string", "enum": modes, "default": "hybrid"}}),
                        json!({"name": "ignore", "in": "query", "required": false,
                         "description": "A part of what the query was understood to mean to forget (repeatable): the shopper removed it.",
                         "style": "form", "explode": true,
                         "schema": {"type": "array", "items": ignore_schema()}}),
                    ]),
                    "responses": search_responses
                },
                "post": {
                    "summary": "Search the catalog (JSON body)",
                    "operationId": "searchPost",
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/SearchRequest"},
                        "example": {"q": "warm jumper", "k": 5, "filters": {"audience": ["Men"]}}
                    }}},
                    "responses": search_responses
                }
            },
            "/api/similar/{article_id}": {
                "get": {
                    "summary": "Articles similar to one article",
                    "operationId": "similar",
                    "parameters": with_facets(vec![
                        json!({"name": "article_id", "in": "path", "required": true,
                         "schema": {"type": "string", "minLength": 1}, "example": "0108775015"}),
                        k_parameter(),
                    ]),
                    "responses": similar_responses
                }
            },
            "/api/facets": {
                "get": {
                    "summary": "Facets and their value counts",
                    "description": "Each facet counts the articles matching every other filter.",
                    "operationId": "facets",
                    "parameters": with_facets(Vec::new()),
                    "responses": facet_responses
                }
            },
            "/photos/{folder}/{file}": {
                "get": {
                    "summary": "A product photo",
                    "description": "A thumbnail that `indexer build --images` wrote into the index folder: the URL a result's relative `image` names (`photos/010/0108775015.webp?v=…`). Cached for good: a new set of photos has new URLs.",
                    "operationId": "photo",
                    "parameters": [
                        {"name": "folder", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]{3}$"}},
                        {"name": "file", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9]+\\.webp$"}}
                    ],
                    "responses": {
                        "200": {"description": "The photo.", "content": {"image/webp": {}}},
                        "404": {"description": "No such photo.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
                    }
                }
            },
            "/health": {
                "get": {
                    "summary": "Index version, vector store and Redis status",
                    "operationId": "health",
                    "responses": {
                        "200": {"description": "Serving, always once the server listens: `status` is `ok`; `loading` while the vector store is checked, loaded or rebuilt (searches use the index's own graph meanwhile); `degraded` when the store cannot be opened (retried in the background; searches use the graph) or Redis is down.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}
                    }
                }
            },
            "/ready": {
                "get": {
                    "summary": "Readiness for load balancers",
                    "description": "200 once the vector store is loaded; 503 with Retry-After while it loads or cannot be opened (the server still answers searches then, from the index's own graph). Redis does not count.",
                    "operationId": "ready",
                    "responses": {
                        "200": {"description": "The vector store is ready.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}},
                        "503": {"description": "The vector store is loading or unavailable.",
                                "headers": {"retry-after": {"schema": {"type": "integer"}}},
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}
                    }
                }
            },
            "/metrics": {
                "get": {
                    "summary": "Prometheus metrics (OpenMetrics text)",
                    "operationId": "metrics",
                    "responses": {"200": {"description": "Metrics.",
                        "content": {"application/openmetrics-text": {"schema": {"type": "string"}}}}}
                }
            }
        },
        "components": {"schemas": {
            "SearchRequest": {
                "type": "object", "required": ["q"],
                "description": "`q`, `k`, `mode`, and facet filters either under `filters` or as top-level fields like the query string's (a value or a list of values).",
                "properties": request_properties,
                "additionalProperties": false
            },
            "SearchResponse": {
                "type": "object", "required": ["query", "took_ms", "results"],
                "properties": {
                    "query": {"type": "string"},
                    "took_ms": {"type": "number", "description": "Embedding plus ranking (when computed)."},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/ResultItem"}},
                    "understood": {"type": "object", "description": "Recognised colours and shade names, types, audiences, patterns, materials, what the query excludes (`excluded`: \"not denim\", \"without a heel\"), keyword terms and spelling corrections (hybrid and lexical modes)."},
                    "preliminary": {"type": "boolean", "description": "A lexical answer given while the vectors load (never from the server)."},
                    "notice": {"type": "string", "description": "Filters relaxed, or why nothing matched."},
                    "total": {"type": "integer", "description": "How many cards the search selects when its filters and the attributes named in its words select a definite set (\"139 red dresses\"); absent when it only ranks (\"best matches\")."},
                    "facets": {"type": "array", "description": "Facet counts over that set, each facet under the other filters (absent without a set, and when browsing: then /api/facets gives them).",
                        "items": {"$ref": "#/components/schemas/FacetCounts"}},
                    "suggestions": {"type": "array", "items": {"type": "string"}, "description": "Searches to try instead when nothing matched the words: the catalog's most common kinds of garment (absent otherwise)."}
                }
            },
            "ResultItem": {
                "type": "object",
                "properties": {
                    "article_id": {"type": "string"},
                    "score": {"type": "number"},
                    "product_code": {"type": "string"},
                    "prod_name": {"type": "string"},
                    "product_type_name": {"type": "string"},
                    "product_group_name": {"type": "string"},
                    "colour_group_name": {"type": "string"},
                    "perceived_colour_master_name": {"type": "string"},
                    "graphical_appearance_name": {"type": "string"},
                    "department_name": {"type": "string"},
                    "index_group_name": {"type": "string"},
                    "section_name": {"type": "string"},
                    "garment_group_name": {"type": "string"},
                    "audience": {"type": "string"},
                    "detail_desc": {"type": "string"},
                    "image": {"type": "string", "description": "The article's photo, when the index has photos: an absolute URL (a shop's CDN), or one relative to this server (its /photos/ thumbnails)."},
                    "variants": {"type": "array", "description": "The product's colour variants, this article included (absent when it has one colour).",
                        "items": {"type": "object", "properties": {
                            "article_id": {"type": "string"},
                            "colour_group_name": {"type": "string"},
                            "perceived_colour_master_name": {"type": "string"},
                            "graphical_appearance_name": {"type": "string"},
                            "image": {"type": "string"}
                        }}}
                }
            },
            "Facets": {
                "type": "object",
                "properties": {
                    "articles": {"type": "integer"},
                    "facets": {"type": "array", "items": {"$ref": "#/components/schemas/FacetCounts"}}
                }
            },
            "FacetCounts": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"}, "label": {"type": "string"},
                    "values": {"type": "array", "items": {"type": "object", "properties": {
                        "value": {"type": "string"}, "count": {"type": "integer"}}}}
                }
            },
            "Health": {
                "type": "object",
                "properties": {
                    "status": {"type": "string", "enum": ["ok", "loading", "degraded"]},
                    "index": {"type": "object", "properties": {
                        "id": {"type": "string"}, "format_version": {"type": "integer"},
                        "articles": {"type": "integer"}, "created_unix": {"type": "integer"}}},
                    "vector_store": {"type": "object", "properties": {
                        "status": {"type": "string", "enum": ["ok", "loading", "error"]},
                        "kind": {"type": ["string", "null"], "enum": ["qdrant-edge", "qdrant-remote", null]},
                        "points": {"type": ["integer", "null"]},
                        "exact": {"type": ["boolean", "null"]},
                        "layout": {"type": "string", "description": "A remote collection's shards and copies and how many answer; the embedded store's graph parameters."},
                        "stage": {"type": "string", "description": "While loading: checking the store, loading points, building the store's graph."},
                        "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                        "error": {"type": "string"}}},
                    "redis": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "down", "disabled"]}}}
                }
            },
            "Error": {
                "type": "object", "required": ["error", "field", "message"],
                "properties": {
                    "error": {"type": "string"},
                    "field": {"type": "string", "description": "The offending input (q, k, mode, a facet name, body, ...)."},
                    "message": {"type": "string"}
                }
            }
        }}
    })
}

/// `GET /api/openapi.json`: described from the loaded index's facets.
pub async fn spec(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        document(&state.catalog.index().facets).to_string(),
    )
        .into_response()
}

/// `GET /docs`
/// The docs page's policy: its own script and style from this server, `fetch` to it.
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub async fn docs() -> impl IntoResponse {
    (
        [(header::CONTENT_SECURITY_POLICY, DOCS_CSP)],
        Html(DOCS_PAGE),
    )
}

pub async fn docs_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        DOCS_JS,
    )
}

pub async fn docs_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        DOCS_CSS,
    )
}

const DOCS_PAGE: &str = r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Atelier API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/docs.css">
</head><body>
<h1>Atelier search API</h1><p class="d">Rendered from <a href="/api/openapi.json">/api/openapi.json</a>.
Facet filters are extra query parameters, e.g. <code>colour=Red</code>.</p>
<div id="ops">Loading…</div>
<script src="/docs/docs.js"></script></body></html>
"#;

const DOCS_CSS: &str = r#"body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:960px;padding:1rem 1.5rem;color:#222}
h1{margin-bottom:.2rem} .op{border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:.6rem 1rem}
.m{display:inline-block;min-width:3.5rem;font-weight:700;color:#fff;border-radius:4px;text-align:center;margin-right:.5rem}
.get{background:#2b7de9}.post{background:#2e9e5b} code{background:#f3f3f3;padding:0 .25rem;border-radius:3px}
label{display:block;margin:.3rem 0} input,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.3rem}
pre{background:#111;color:#eee;padding:.7rem;border-radius:6px;overflow:auto;max-height:28rem}
button{font:inherit;padding:.3rem 1rem;margin-top:.4rem;cursor:pointer} .d{color:#555}
"#;

const DOCS_JS: &str = r#"const esc = s => String(s).replace(/[&<>"]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
fetch('/api/openapi.json').then(r => r.json()).then(spec => {
  const ops = document.getElementById('ops'); ops.innerHTML = '';
  for (const [path, methods] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(methods)) {
    const div = document.createElement('div'); div.className = 'op';
    const params = (op.parameters || []).filter(p => !p['x-atelier-facet']);
    let html = `<h3><span class="m ${method}">${method.toUpperCase()}</span><code>${esc(path)}</code> — ${esc(op.summary||'')}</h3>`;
    if (op.description) html += `<p class="d">${esc(op.description)}</p>`;
    for (const p of params) html += `<label>${esc(p.name)}${p.required?' *':''} <span class="d">${esc(p.description||'')}</span>
      <input data-in="${p.in}" name="${esc(p.name)}" value="${esc(p.example||'')}"></label>`;
    if ((op.parameters||[]).some(p => p['x-atelier-facet'])) html += `<label>facet filters <span class="d">e.g. colour=Red&amp;audience=Ladies</span><input data-in="extra" name="extra"></label>`;
    if (op.requestBody) html += `<label>JSON body<textarea rows="4" name="body">${esc(JSON.stringify(op.requestBody.content['application/json'].example||{}, null, 1))}</textarea></label>`;
    html += `<button>Try it</button><pre hidden></pre>`;
    div.innerHTML = html; ops.appendChild(div);
    div.querySelector('button').onclick = async () => {
      let url = path; const qs = new URLSearchParams();
      for (const i of div.querySelectorAll('input')) {
        if (i.dataset.in === 'path') url = url.replace('{' + i.name + '}', encodeURIComponent(i.value));
        else if (i.dataset.in === 'query' && i.value !== '') qs.append(i.name, i.value);
        else if (i.dataset.in === 'extra' && i.value) for (const [k, v] of new URLSearchParams(i.value)) qs.append(k, v);
      }
      const q = qs.toString(); if (q) url += '?' + q;
      const init = {method: method.toUpperCase()};
      const body = div.querySelector('textarea');
      if (body) { init.body = body.value; init.headers = {'content-type': 'application/json'}; }
      const pre = div.querySelector('pre'); pre.hidden = false; pre.textContent = '…';
      try {
        const r = await fetch(url, init); const t = await r.text();
        let shown = t; try { shown = JSON.stringify(JSON.parse(t), null, 2); } catch (_) {}
        pre.textContent = `${r.status} ${r.statusText}  x-cache: ${r.headers.get('x-cache')||'-'}\n${url}\n\n${shown}`;
      } catch (e) { pre.textContent = String(e); }
    };
  }
}).catch(e => { document.getElementById('ops').textContent = 'Cannot load the OpenAPI document: ' + e; });
"#;
