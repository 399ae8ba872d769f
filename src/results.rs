//! What a search returns, as the JS API serialises it.

use crate::facets::FacetCounts;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

/// One search or filter result page.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// The query as given (`None` for `filter`).
    pub query: Option<String>,
    /// Matching documents, before paging.
    pub total: usize,
    /// No document had every word: these are the best partial matches.
    pub relaxed: bool,
    pub hits: Vec<Hit>,
    pub facets: FacetCounts,
    /// Query words not searched (stop words, words past the limit).
    pub ignored: Vec<String>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    /// Relevance score, rounded to 3 decimals (0 for `filter`).
    pub score: f64,
    /// HTML: escaped text with `<mark>` around matched words.
    pub snippet: String,
    pub people: Vec<String>,
    /// The section the snippet's passage is in, if it is in one.
    pub section: Option<HitSection>,
    /// Sections where the query matched, at most [`MAX_HIT_SECTIONS`]:
    /// `section` first, then the others with the most distinct query
    /// words, then the most matches, then in page order; never two with
    /// the same heading.
    pub sections: Vec<HitSection>,
}

/// Most sections listed in [`Hit::sections`].
pub const MAX_HIT_SECTIONS: usize = 3;

/// A section of a hit's page (see [`crate::document::Section`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HitSection {
    /// The heading's text.
    pub heading: String,
    /// The heading's `id`.
    pub anchor: String,
    /// The document's URL with `#anchor`, or `None` if it has no URL.
    pub url: Option<String>,
}

/// A document as `getDocument(id, query)` returns it: the document, and
/// its paragraphs as HTML with the query's words marked. The JS object is
/// the document's, plus `bodyHtml` and `captionsHtml` (set by `lib.rs`:
/// serde's `flatten` would cost the module kilobytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedDocument {
    pub document: crate::document::Document,
    /// `body`, each paragraph escaped, with `<mark>` around the words the
    /// query matched (as in snippets).
    pub body_html: Vec<String>,
    /// `captions`, likewise.
    pub captions_html: Vec<String>,
}

impl From<crate::document::Document> for MarkedDocument {
    /// A document with no query: nothing marked, no HTML.
    fn from(document: crate::document::Document) -> Self {
        MarkedDocument { document, body_html: Vec::new(), captions_html: Vec::new() }
    }
}

/// Facet counts as an ordered list of `{ value, count }`.
struct CountList<'a>(&'a [(String, u32)]);

impl Serialize for CountList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Item<'a> {
            value: &'a str,
            count: u32,
        }
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (value, count) in self.0 {
            seq.serialize_element(&Item { value, count: *count })?;
        }
        seq.end()
    }
}

/// Facet counts per field, as lists (`facetLists`). The page's API,
/// `pkg/recherche.js`, adds `facets`, the same counts as objects keyed by
/// value: serde-wasm-bindgen's objects would cost the module 0.7 KB, and
/// it sets their entries by assignment, which loses a value named
/// `__proto__`.
struct Facets<'a>(&'a FacetCounts);

impl Serialize for Facets<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Facets", 3)?;
        st.serialize_field("year", &CountList(&self.0.year))?;
        st.serialize_field("source", &CountList(&self.0.source))?;
        st.serialize_field("person", &CountList(&self.0.person))?;
        st.end()
    }
}

impl Serialize for SearchResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("SearchResult", 6)?;
        st.serialize_field("query", &self.query)?;
        // As a u32 (no index holds more documents): serde-wasm-bindgen's
        // u64 path, for numbers past 2⁵³, would cost the module its code.
        st.serialize_field("total", &(self.total as u32))?;
        st.serialize_field("relaxed", &self.relaxed)?;
        st.serialize_field("hits", &self.hits)?;
        // In count order, which JS objects would not keep for integer-like
        // keys (years).
        st.serialize_field("facetLists", &Facets(&self.facets))?;
        st.serialize_field("ignored", &self.ignored)?;
        st.end()
    }
}
