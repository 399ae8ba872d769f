//! Stage 6: Snowball French stemming (`missiles` → `missil`,
//! `terrorisme` and `terroriste` → `terror`).
//!
//! The stemmer runs on the accent-folded word, so that a query typed
//! without accents reaches the same stem as the accented text. Words with
//! a digit (`2014`, `covid19`, `5,5`) are not stemmed.

use rust_stemmers::{Algorithm, Stemmer};

thread_local! {
    static FRENCH: Stemmer = Stemmer::create(Algorithm::French);
}

/// Stems one folded word.
pub fn stem(folded: &str) -> String {
    if folded.chars().any(|c| c.is_ascii_digit()) || folded.chars().count() < 3 {
        return folded.to_string();
    }
    FRENCH.with(|s| s.stem(folded).into_owned())
}
