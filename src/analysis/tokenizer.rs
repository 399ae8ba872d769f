//! Stage 1: split text into raw words with their byte offsets.
//!
//! A word is a run of letters, digits and combining marks that begins
//! with a letter or digit (a mark alone, even one Unicode counts as
//! alphabetic such as U+0363, folds to nothing and is no word). Inside a word,
//! an apostrophe (`'`, `’`, `ʼ`) or a hyphen (`-`, `‐`, `‑`) between two
//! letters or digits joins (`l’OTAN`, `États-Unis`, `COVID-19`), and so
//! does an invisible character such as the soft hyphen (see
//! `normalize::is_invisible`, which drops it); a comma or
//! dot between two digits joins too (`5,5`, `1.5`). `%` and `€` are words
//! of their own, so `2 %` stays searchable. Everything else, including
//! U+00A0 and the other Unicode spaces, punctuation, emoji and control
//! characters, separates words.

use super::normalize::{is_combining as is_mark, is_invisible};

/// One raw word: its text and where it starts in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawWord<'a> {
    pub start: usize,
    pub text: &'a str,
}

/// Apostrophes that may join (and, in `elision`, end an elided article).
pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Hyphens that may join a compound word.
pub(crate) fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        c.is_alphanumeric()
    }
}

fn is_symbol_word(c: char) -> bool {
    matches!(c, '%' | '€')
}

/// Iterates over the raw words of `text`.
pub fn raw_words(text: &str) -> impl Iterator<Item = RawWord<'_>> {
    RawWords { text, pos: 0 }
}

/// One pass over the text. ASCII bytes are classified directly; other
/// characters are decoded where they stand.
struct RawWords<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> RawWords<'a> {
    /// The character at byte `i` (a character boundary) and its length.
    #[inline]
    fn char_at(&self, i: usize) -> Option<(char, usize)> {
        let b = *self.text.as_bytes().get(i)?;
        if b < 0x80 {
            return Some((b as char, 1));
        }
        let c = self.text.get(i..)?.chars().next()?;
        Some((c, c.len_utf8()))
    }
}

impl<'a> Iterator for RawWords<'a> {
    type Item = RawWord<'a>;

    fn next(&mut self) -> Option<RawWord<'a>> {
        // Skip to the first character that starts a word.
        let (start, first, len) = loop {
            let (c, len) = self.char_at(self.pos)?;
            if (is_word_char(c) && !is_mark(c)) || is_symbol_word(c) {
                break (self.pos, c, len);
            }
            self.pos += len;
        };
        let mut end = start + len;
        if !is_symbol_word(first) {
            let mut prev = first;
            while let Some((c, len)) = self.char_at(end) {
                let joins = is_word_char(c)
                    || is_mark(c)
                    || match self.char_at(end + len) {
                        Some((n, _)) if is_word_char(n) => {
                            ((is_apostrophe(c) || is_hyphen(c) || is_invisible(c)) && (prev.is_alphanumeric() || is_mark(prev)))
                                || ((c == ',' || c == '.') && prev.is_ascii_digit() && n.is_ascii_digit())
                        }
                        _ => false,
                    };
                if !joins {
                    break;
                }
                end += len;
                prev = c;
            }
        }
        self.pos = end;
        Some(RawWord { start, text: self.text.get(start..end).unwrap_or_default() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        raw_words(s).map(|w| w.text).collect()
    }

    #[test]
    fn splits_on_spaces_punctuation_and_nbsp() {
        assert_eq!(words("M.\u{a0}Stoltenberg, «\u{a0}OTAN\u{a0}»"), ["M", "Stoltenberg", "OTAN"]);
        assert_eq!(words("l’OTAN et l'Europe"), ["l’OTAN", "et", "l'Europe"]);
        assert_eq!(words("États-Unis; COVID-19."), ["États-Unis", "COVID-19"]);
        assert_eq!(words("5,5 milliards, 2014. 18\u{a0}%"), ["5,5", "milliards", "2014", "18", "%"]);
        assert_eq!(words("'cité' - tiret -x"), ["cité", "tiret", "x"]);
        assert_eq!(words("🙂👍🏽 \u{0}\u{7} ..."), Vec::<&str>::new());
        // Combining marks (U+0363 is alphabetic to Unicode) begin no word,
        // but stay in the word they follow.
        assert_eq!(words("\u{363}- \u{301}x e\u{301}\u{363}"), ["x", "e\u{301}\u{363}"]);
    }

    #[test]
    fn invisible_characters_stay_inside_a_word_only() {
        assert_eq!(words("vbSun\u{ad}day o\u{200d}tan O\u{2060}T\u{feff}A\u{200c}N"), ["vbSun\u{ad}day", "o\u{200d}tan", "O\u{2060}T\u{feff}A\u{200c}N"]);
        // Not at an edge, not doubled, and the zero-width space separates.
        assert_eq!(words("\u{ad}otan\u{ad} ot\u{ad}\u{ad}an ot\u{200b}an 🙂\u{200d}🙂"), ["otan", "ot", "an", "ot", "an"]);
    }

    #[test]
    fn offsets_are_byte_offsets() {
        let s = "Déjà vu";
        let w: Vec<_> = raw_words(s).collect();
        assert_eq!(&s[w[1].start..w[1].start + w[1].text.len()], "vu");
    }
}
