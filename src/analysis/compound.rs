//! Stage 3: compounds. `États-Unis` is searchable by its parts (`unis`)
//! and, at index time, as a whole (see [`super::TokenKind::Joined`]).
//!
//! A word is split on the hyphens and apostrophes the tokenizer let
//! inside it; digit separators (`5,5`) stay.

use super::tokenizer::{is_apostrophe, is_hyphen};

/// The parts of `word` with their byte offsets in the text, into `parts`
/// (cleared first; a buffer reused from word to word).
pub fn split_into<'a>(start: usize, word: &'a str, parts: &mut Vec<(usize, &'a str)>) {
    parts.clear();
    let mut from = 0;
    for (i, c) in word.char_indices() {
        if is_hyphen(c) || is_apostrophe(c) {
            if i > from {
                parts.push((start + from, word.get(from..i).unwrap_or_default()));
            }
            from = i + c.len_utf8();
        }
    }
    if from < word.len() {
        parts.push((start + from, word.get(from..).unwrap_or_default()));
    }
}

#[cfg(test)]
mod tests {
    fn split(start: usize, word: &str) -> Vec<(usize, &str)> {
        let mut parts = vec![(99, "stale")];
        super::split_into(start, word, &mut parts);
        parts
    }

    #[test]
    fn splits_on_hyphens_and_apostrophes() {
        assert_eq!(split(3, "États-Unis"), vec![(3, "États"), (10, "Unis")]);
        assert_eq!(split(0, "aujourd’hui"), vec![(0, "aujourd"), (10, "hui")]);
        assert_eq!(split(0, "5,5"), vec![(0, "5,5")]);
    }
}
