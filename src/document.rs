//! A document: what the corpus reader produces, what the index stores and
//! what `getDocument` returns.

use serde::Serialize;

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
}
