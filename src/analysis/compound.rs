//! Stage 3: compounds. `États-Unis` is searchable by its parts (`unis`)
//! and, at index time, as a whole (see [`super::TokenKind::Joined`]).
//!
//! A word is split on the hyphens and apostrophes the tokenizer let
//! inside it; digit separators (`5,5`) stay.

use super::normalize::{is_combining, is_invisible};
use super::tokenizer::{is_apostrophe, is_hyphen};

/// The parts of `word` with their byte offsets in the text, into `parts`
/// (cleared first; a buffer reused from word to word). A part made only
/// of combining marks and invisible characters (`é-\u{363}`,
/// `é-\u{363}\u{ad}\u{363}`) folds to nothing and is left out.
pub fn split_into<'a>(start: usize, word: &'a str, parts: &mut Vec<(usize, &'a str)>) {
    parts.clear();
    let mut from = 0;
    for (i, c) in word.char_indices() {
        if is_hyphen(c) || is_apostrophe(c) {
            push(parts, start + from, word.get(from..i).unwrap_or_default());
            from = i + c.len_utf8();
        }
    }
    push(parts, start + from, word.get(from..).unwrap_or_default());
}

fn push<'a>(parts: &mut Vec<(usize, &'a str)>, start: usize, part: &'a str) {
    if !part.chars().all(|c| is_combining(c) || is_invisible(c)) {
        parts.push((start, part));
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
        assert_eq!(split(0, "é-\u{363}"), vec![(0, "é")]);
        assert_eq!(split(0, "é-\u{363}\u{ad}\u{363}"), vec![(0, "é")]);
    }
}
