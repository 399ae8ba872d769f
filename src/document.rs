//! A document: what the corpus reader produces, what the index stores and
//! what `getDocument` returns.

use serde::Serialize;

/// Longest document id, in UTF-16 units (as JavaScript counts them): the
/// build refuses a longer one, so `getDocument` answers `null` for a
/// longer id without copying it into the module.
pub const MAX_ID_CHARS: usize = 2048;

/// Longest source or person name, in UTF-16 units: the longest string a
/// filter accepts ([`crate::options::MAX_STRING_CHARS`]), so that every
/// facet value can be filtered on. The build refuses a longer one.
pub const MAX_FACET_CHARS: usize = 1000;

/// One clean document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Document {
    /// Unique id: a seed's file name without `.txt`, or the JSONL `id`.
    pub id: String,
    pub title: String,
    /// The date the article reports, `YYYY-MM-DD`, or `None` if it has none.
    pub date: Option<String>,
    /// Last update, `YYYY-MM-DDTHH:MM`, if the text gives one.
    pub updated: Option<String>,
    /// Short source label (`OTAN`, `Presse`, or the JSONL `source`).
    pub source: Option<String>,
    pub url: Option<String>,
    /// French body text, one entry per paragraph, as written.
    pub body: Vec<String>,
    /// Photo captions (often English), kept apart from the body.
    pub captions: Vec<String>,
    /// Full names of the people the document names, in order of appearance.
    pub people: Vec<String>,
    /// The parts of an HTML page that its `h2`/`h3` headings with an `id`
    /// open, in order (see `corpus::html`); the index stores them. Other
    /// readers leave it empty, and an empty list is not serialised, so
    /// `getDocument` output is unchanged for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
}

/// A section of a document: an `h2` or `h3` heading with an `id`, and
/// everything after it up to the next such heading.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Section {
    /// The heading's text, as it reads on the page.
    pub heading: String,
    /// The heading's `id`, to link to it (`page.html#anchor`).
    pub anchor: String,
    /// Index in `Document::body` of the section's first paragraph: the
    /// heading's own paragraph. The section runs up to the next section's
    /// `paragraph` (or the end of the body).
    pub paragraph: u32,
    /// The document's URL with `#anchor` (any fragment it had replaced),
    /// filled in by `getDocument`; `None` (and not serialised) at build
    /// time and for a document without a URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// `url` with its fragment, if any, replaced by `#anchor`.
pub fn anchored(url: &str, anchor: &str) -> String {
    let base = &url[..url.bytes().position(|b| b == b'#').unwrap_or(url.len())];
    let mut out = String::with_capacity(base.len() + 1 + anchor.len());
    out.push_str(base);
    out.push('#');
    out.push_str(anchor);
    out
}
