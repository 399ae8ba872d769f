//! Stage 2: French elision. `l’OTAN` is searched as `OTAN`.
//!
//! An elided article or pronoun is written as a short prefix and an
//! apostrophe, typographic (`’`) or straight (`'`). Only the prefixes
//! below are removed, so `aujourd’hui` is left to the compound stage.

use super::normalize::is_invisible;
use super::tokenizer::is_apostrophe;

/// Elided prefixes, lower case, without their apostrophe.
pub const ELISIONS: &[&str] = &["c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t"];

/// Strips an elided prefix from `word` (starting at byte `start` of the
/// text). Returns the new start and the rest of the word.
pub fn strip(start: usize, word: &str) -> (usize, &str) {
    if let Some((i, c)) = word.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let prefix = word.get(..i).unwrap_or_default();
        let rest = word.get(i + c.len_utf8()..).unwrap_or_default();
        if !rest.is_empty() && ELISIONS.iter().any(|e| is(prefix, e)) {
            return (start + i + c.len_utf8(), rest);
        }
    }
    (start, word)
}

/// Whether `prefix` is the elision `e`, in any case, ignoring invisible
/// characters (`lors\u{ad}qu’il`).
fn is(prefix: &str, e: &str) -> bool {
    let mut letters = prefix.chars().filter(|&c| !is_invisible(c));
    e.chars().all(|x| letters.next().is_some_and(|c| c.eq_ignore_ascii_case(&x))) && letters.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_listed_prefixes_only() {
        assert_eq!(strip(0, "l’OTAN"), (4, "OTAN"));
        assert_eq!(strip(10, "Qu'il"), (13, "il"));
        assert_eq!(strip(0, "aujourd'hui"), (0, "aujourd'hui"));
        assert_eq!(strip(0, "OTAN"), (0, "OTAN"));
        // A soft hyphen inside the prefix: still elided.
        assert_eq!(strip(0, "lors\u{ad}qu’il"), (11, "il"));
        assert_eq!(strip(0, "lors\u{ad}quo’il"), (0, "lors\u{ad}quo’il"));
    }
}
