//! recherche: French-first client-side search, in Rust and WebAssembly.
//!
//! The data flow, one module per stage:
//!
//! ```text
//!  build.rs:  corpus ─▶ analysis ─▶ elasticlunr-rs ─▶ index::write ─▶ index.bin
//!                                                      (split layout: + index/*.bin shards)
//!  wasm:      index.bin ─▶ index::read ─▶ query ─▶ plan (shards wanted; JS fetches, `load`)
//!                        ─▶ engine (expand, rank, phrase, facets)
//!                        ─▶ snippet ─▶ results ─▶ js ─▶ pkg/recherche.js ─▶ the page (www/)
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
pub mod heap;
pub mod index;
#[cfg(target_arch = "wasm32")]
mod js;
pub mod options;
pub mod phrase;
pub mod plan;
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
    use crate::index::read::SPLIT_SUPPORT;
    use crate::js;
    use crate::options::{self, SearchOptions};
    use crate::results::MarkedDocument;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;

    thread_local! {
        static ENGINE: Result<Engine<'static>, String> = Engine::embedded().map_err(|e| e.to_string());
    }

    /// Logs a panic's message and location to the console: in tests and
    /// in packages built with `PANIC_MESSAGES=1`. Release packages abort
    /// on a panic without any message (`-Cpanic=immediate-abort`, the
    /// Makefile's `SMALL_STD`), so they leave the hook out, and the
    /// formatting it would pull in (800 bytes gzipped). Either way a panic
    /// traps the instance and `pkg/recherche.js` runs the next call on a
    /// fresh one.
    #[wasm_bindgen(start)]
    fn start() {
        #[cfg(not(panic = "immediate-abort"))]
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

    /// An answer, or `undefined` when a split index needs files first:
    /// `wanted()` names them (see `crate::plan`).
    fn answer<T>(e: &Engine<'static>, r: Result<T, crate::index::IndexError>, f: impl FnOnce(T) -> Result<JsValue, JsValue>) -> Result<JsValue, JsValue> {
        match r {
            Ok(v) => f(v),
            Err(_) if e.index().has_wanted() => Ok(JsValue::UNDEFINED),
            Err(err) => Err(index_error(err)),
        }
    }

    /// The index files the last call needed and did not have, relative to
    /// the index folder, separated by spaces (no name holds one): fetch
    /// them, `load` them, and call again. One string rather than an array
    /// of them: the glue for an array costs the module 0.3 KB gzipped.
    #[wasm_bindgen]
    pub fn wanted() -> Result<String, JsValue> {
        // An embedded index never wants a file (and its module leaves out
        // the code that names them, as it does for `size` and `load`).
        if !SPLIT_SUPPORT {
            return Ok(String::new());
        }
        with_engine(|e| Ok(e.wanted_files().join(" ")))
    }

    /// The length in bytes of the index file `name` (0 for a name that is
    /// not a file of this index): a longer download is refused as it
    /// arrives, before anything is copied into the module. For a
    /// document's stored text, its compressed record's: the JS bounds
    /// what it inflates too (`MAX_INFLATE_RATIO`).
    #[cfg(recherche_split)]
    #[wasm_bindgen]
    pub fn size(name: String) -> Result<u32, JsValue> {
        with_engine(|e| Ok(e.file_len(&name).unwrap_or(0)))
    }

    /// Loads the index file `name` from its bytes. Throws an `Error` naming
    /// the file if they are not that file (truncated, altered, or another).
    #[cfg(recherche_split)]
    #[wasm_bindgen]
    pub fn load(name: String, bytes: Vec<u8>) -> Result<(), JsValue> {
        with_engine(|e| {
            // Two calls that wanted the same file both hand it over.
            if e.file_loaded(&name) {
                return Ok(());
            }
            let fail = |err: crate::index::IndexError| js::error(&format!("recherche: index file {}", err.0), None);
            e.check_file(&name, &bytes).map_err(fail)?;
            // Loaded shards live as long as the instance: the engine reads
            // them in place.
            let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
            e.load_file(&name, bytes).map_err(fail)
        })
    }

    // A module built for an embedded index has no files (and leaves out
    // the code that names, sizes, checks and loads them): `size` is 0 and
    // `load` refuses any name. Their arguments stay JS values, never
    // copied into the module, so its glue has no code to copy them.

    /// The length in bytes of the index file `name`: 0, as no name is a
    /// file of an embedded index.
    #[cfg(not(recherche_split))]
    #[wasm_bindgen]
    pub fn size(name: JsValue) -> u32 {
        let _ = name;
        0
    }

    /// Refuses the file `name` (an embedded index has none), naming it.
    #[cfg(not(recherche_split))]
    #[wasm_bindgen]
    pub fn load(name: JsValue, bytes: JsValue) -> Result<(), JsValue> {
        let _ = bytes;
        let name = name.as_string().unwrap_or_else(|| String::from("?"));
        Err(js::error(&format!("recherche: index file {name} is not a file of this index"), None))
    }

    /// A query's first [`crate::query::MAX_QUERY_CHARS`] UTF-16 units (only
    /// they are copied into the module, so a huge query costs no more than
    /// that), and its whole length.
    fn beginning(query: &js_sys::JsString) -> (String, usize) {
        let length = query.length() as usize;
        let max = crate::query::MAX_QUERY_CHARS;
        (if length > max { String::from(query.slice(0, max as u32)) } else { String::from(query) }, length)
    }

    fn parse_options(options: &JsValue) -> Result<SearchOptions, JsValue> {
        options::parse(&js::to_value(options)).map_err(|e| js::error(&format!("recherche: {e}"), Some(&e.field)))
    }

    /// Searches the index (`undefined`: files are wanted first, see `wanted`).
    /// `search(query, { limit, offset, sort, filters })` →
    /// `{ query, total, relaxed, hits, facetLists, ignored }` (`pkg/recherche.js`
    /// adds `facets`, the lists' counts keyed by value).
    #[wasm_bindgen]
    pub fn search(query: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        let Some(js_query) = query.dyn_ref::<js_sys::JsString>() else {
            return Err(js::error("recherche: query must be a string", Some("query")));
        };
        let (query, length) = beginning(js_query);
        let max = crate::query::MAX_QUERY_CHARS;
        let opts = parse_options(&options)?;
        #[cfg(feature = "trap-test")]
        if query == "\u{0}recherche:trap" {
            panic!("recherche: deliberate trap (trap-test feature)");
        }
        with_engine(|e| {
            answer(e, e.search(&query, &opts), |mut r| {
                if length > max {
                    r.ignored.push(format!("… ({} characters past the first {max} not read)", length - max));
                }
                js::to_js(&r)
            })
        })
    }

    /// Lists the documents passing `options.filters`, newest first by default.
    #[wasm_bindgen]
    pub fn filter(options: JsValue) -> Result<JsValue, JsValue> {
        let opts = parse_options(&options)?;
        with_engine(|e| answer(e, e.filter(&opts), |r| js::to_js(&r)))
    }

    /// The whole document with this id, or `null`. With a `query` (a
    /// string; `undefined` or `null` for none), also `bodyHtml` and
    /// `captionsHtml`: the paragraphs with the query's words marked.
    #[wasm_bindgen(js_name = getDocument)]
    pub fn get_document(id: JsValue, query: JsValue) -> Result<JsValue, JsValue> {
        let Some(id) = id.dyn_ref::<js_sys::JsString>() else {
            return Err(js::error("recherche: id must be a string", Some("id")));
        };
        // As in `search`, only the beginning of a huge query is read.
        let query = match query.dyn_ref::<js_sys::JsString>() {
            Some(q) => Some(beginning(q).0),
            None if query.is_undefined() || query.is_null() => None,
            None => return Err(js::error("recherche: query must be a string, null or undefined", Some("query"))),
        };
        // No document has a longer id (the build refuses them): not copied.
        if id.length() as usize > crate::document::MAX_ID_CHARS {
            return Ok(JsValue::NULL);
        }
        let id = String::from(id);
        with_engine(|e| {
            let found = match &query {
                Some(q) => e.marked_document(&id, q),
                None => e.document(&id).map(|d| d.map(MarkedDocument::from)),
            };
            answer(e, found, |found| {
                let Some(d) = found else {
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
        })
    }
}
