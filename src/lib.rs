//! recherche: French-first client-side search, in Rust and WebAssembly.
//!
//! The data flow, one module per stage:
//!
//! ```text
//!  build.rs:  corpus ─▶ analysis ─▶ elasticlunr-rs ─▶ index::write ─▶ index.bin
//!  wasm:      index.bin ─▶ index::read ─▶ query ─▶ engine (expand, rank, facets)
//!                        ─▶ snippet ─▶ results ─▶ js ─▶ the page (www/)
//! ```
//!
//! This file holds the wasm exports and nothing else; see `ARCHITECTURE.md`.

pub mod analysis;
#[cfg(not(target_arch = "wasm32"))]
pub mod corpus;
pub mod date;
pub mod document;
pub mod engine;
pub mod expand;
pub mod facets;
pub mod index;
#[cfg(target_arch = "wasm32")]
mod js;
pub mod options;
pub mod phrase;
pub mod query;
pub mod rank;
pub mod results;
pub mod snippet;
pub mod sort;

#[cfg(target_arch = "wasm32")]
pub use wasm_api::*;

#[cfg(target_arch = "wasm32")]
mod wasm_api {
    use crate::engine::Engine;
    use crate::js;
    use crate::options::{self, SearchOptions};
    use crate::results::MarkedDocument;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    thread_local! {
        static ENGINE: Result<Engine<'static>, String> = Engine::embedded().map_err(|e| e.to_string());
    }

    #[wasm_bindgen(start)]
    fn start() {
        console_error_panic_hook::set_once();
    }

    /// A JS `Error` for an index problem met while answering.
    fn index_error(e: crate::index::IndexError) -> JsValue {
        js::error(&format!("recherche: {e}"), None)
    }

    fn with_engine<T>(f: impl FnOnce(&Engine<'static>) -> Result<T, JsValue>) -> Result<T, JsValue> {
        ENGINE.with(|e| match e {
            Ok(engine) => f(engine),
            Err(msg) => Err(js::error(&format!("recherche: {msg}"), None)),
        })
    }

    fn parse_options(options: &JsValue) -> Result<SearchOptions, JsValue> {
        options::parse(&js::to_value(options)).map_err(|e| js::error(&format!("recherche: {e}"), Some(&e.field)))
    }

    /// Searches the embedded index.
    /// `search(query, { limit, offset, sort, filters })` →
    /// `{ query, total, relaxed, hits, facets, facetLists, ignored }`.
    #[wasm_bindgen]
    pub fn search(query: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let Some(js_query) = query.dyn_ref::<js_sys::JsString>() else {
            return Err(js::error("recherche: query must be a string", Some("query")));
        };
        // Only the beginning of a huge query is copied into the module.
        let length = js_query.length() as usize;
        let max = crate::query::MAX_QUERY_CHARS;
        let query = if length > max { String::from(js_query.slice(0, max as u32)) } else { String::from(js_query) };
        let opts = parse_options(&options)?;
        #[cfg(feature = "trap-test")]
        if query == "\u{0}recherche:trap" {
            panic!("recherche: deliberate trap (trap-test feature)");
        }
        with_engine(|e| {
            let mut r = e.search(&query, &opts).map_err(index_error)?;
            if length > max {
                r.ignored.push(format!("… ({} characters past the first {max} not read)", length - max));
            }
            js::to_js(&r)
        })
    }

    /// Lists the documents passing `options.filters`, newest first by default.
    #[wasm_bindgen]
    pub fn filter(options: JsValue) -> Result<JsValue, JsValue> {
        let opts = parse_options(&options)?;
        with_engine(|e| {
            let r = e.filter(&opts).map_err(index_error)?;
            js::to_js(&r)
        })
    }

    /// The whole document with this id, or `null`. With a `query` (a
    /// string; `undefined` or `null` for none), also `bodyHtml` and
    /// `captionsHtml`: the paragraphs with the query's words marked.
    #[wasm_bindgen(js_name = getDocument)]
    pub fn get_document(id: JsValue, query: JsValue) -> Result<JsValue, JsValue> {
        let Some(id) = id.as_string() else {
            return Err(js::error("recherche: id must be a string", Some("id")));
        };
        let query = match query.as_string() {
            Some(q) => Some(q),
            None if query.is_undefined() || query.is_null() => None,
            None => return Err(js::error("recherche: query must be a string, null or undefined", Some("query"))),
        };
        with_engine(|e| {
            let found = match &query {
                Some(q) => e.marked_document(&id, q),
                None => e.document(&id).map(|d| d.map(MarkedDocument::from)),
            };
            let Some(d) = found.map_err(index_error)? else {
                return Ok(JsValue::NULL);
            };
            let v = js::to_js(&d.document)?;
            if query.is_some() {
                for (key, html) in [("bodyHtml", &d.body_html), ("captionsHtml", &d.captions_html)] {
                    js_sys::Reflect::set(&v, &JsValue::from_str(key), &js::to_js(html)?)?;
                }
            }
            Ok(v)
        })
    }
}
