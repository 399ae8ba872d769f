//! Stage 2: French elision. `l’OTAN` is searched as `OTAN`.
//!
//! An elided article or pronoun is written as a short prefix and an
//! apostrophe, typographic (`’`) or straight (`'`). Only the prefixes
//! below are removed, so `aujourd’hui` is left to the compound stage.

use super::tokenizer::is_apostrophe;

/// Elided prefixes, lower case, without their apostrophe.
pub const ELISIONS: &[&str] = &["c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t"];

/// Strips an elided prefix from `word` (starting at byte `start` of the
/// text). Returns the new start and the rest of the word.
pub fn strip(start: usize, word: &str) -> (usize, &str) {
    if let Some((i, c)) = word.char_indices().find(|&(_, c)| is_apostrophe(c)) {
        let prefix = word.get(..i).unwrap_or_default();
        let rest = word.get(i + c.len_utf8()..).unwrap_or_default();
        if !rest.is_empty() && prefix.len() <= 7 && ELISIONS.iter().any(|e| e.eq_ignore_ascii_case(prefix)) {
            return (start + i + c.len_utf8(), rest);
        }
    }
    (start, word)
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
    }
}
