//! French text analysis: the one code path that turns text into index terms.
//!
//! `build.rs` runs it over the corpus and the wasm module runs it over
//! queries and over the stored text it highlights, so a word is always
//! analysed the same way wherever it is seen.
//!
//! ```text
//!   text ─▶ tokenizer ─▶ elision ─▶ compound ─▶ normalize ─▶ stopwords ─▶ stem ─▶ Token
//!          (words, offsets) (l’, qu’) (États-Unis) (case, accents)  (le, de)  (Snowball)
//! ```
//!
//! Each stage lives in its own file. A [`Token`] keeps three spellings of
//! the word: `lower` (case-folded, canonically composed, accents kept),
//! `folded` (accents and ligatures folded to ASCII where French has them)
//! and `term` (the Snowball French stem of `folded`, the key the index
//! uses). Stemming works on the folded form so that `securite` and
//! `sécurité` meet on one term; `lower` is what lets ranking prefer an
//! exact accented match.

mod compound;
mod elision;
mod normalize;
mod stem;
mod stopwords;
mod tokenizer;

pub use normalize::{fold, lowercase};
pub use stopwords::is_stop_word;
pub use tokenizer::{raw_words, RawWord};

/// Characters of a word's beginning that [`analyze_where`] shows its filter.
pub const PREFIX_CHARS: usize = 12;

/// Characters at the end of a Snowball French stem that may differ from
/// its word (suffix rewrites such as `-euse` → `-eux`, `-ence` → `-ent`):
/// the rest of the stem begins the folded word.
pub const STEM_REWRITE_CHARS: usize = 3;

/// Longest term kept, in bytes. Longer words (hashes, URLs, base64) are
/// cut at a character boundary, identically at build and query time, so
/// they still match themselves.
pub const MAX_TERM_BYTES: usize = 64;

/// One analysed word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Index key: Snowball French stem of `folded`. Empty for stop words.
    pub term: String,
    /// Lower-cased, accent-folded spelling before stemming.
    pub folded: String,
    /// Lower-cased spelling with its accents.
    pub lower: String,
    /// Word position. Stop words take a position too, so phrases keep
    /// their shape; compound parts take one position each.
    pub position: u32,
    /// Byte range of the word in the analysed text (elided article excluded).
    pub start: usize,
    pub end: usize,
    /// A French stop word: it has a position but no `term`.
    pub stop: bool,
    /// The stem with the word's own accents put back (`sécurit` for
    /// `sécurité`), when the stem part carries any; `None` otherwise.
    /// Ranking uses it to put an exact accented match above a folded one.
    pub accented: Option<String>,
    /// What produced the token.
    pub kind: TokenKind,
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// An ordinary word, or one part of a compound (`unis` in `États-Unis`).
    Word,
    /// A compound written whole (`etatsunis` for `États-Unis`), indexed at
    /// the position of its first part so that the compound is searchable
    /// as a whole as well as by its parts. Only emitted in [`Mode::Index`]
    /// (the query parser reads it too, but does not search it: a title
    /// written like the query counts it in its length).
    Joined,
}

/// Whether compounds are also emitted whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Index side: compound parts and the joined compound. The query
    /// parser reads a query this way too, and searches the parts only (a
    /// query compound becomes a phrase of its parts, which matches the
    /// hyphenated and spaced forms).
    Index,
    /// Parts only.
    Query,
}

/// Analyses `text`, numbering positions from `first_position`, and calls
/// `sink` for every token in order. Returns the position after the last token.
pub fn analyze(text: &str, first_position: u32, mode: Mode, sink: impl FnMut(Token)) -> u32 {
    run(text, first_position, mode, None, sink)
}

/// [`analyze`], but only the words whose folded beginning `wanted` accepts
/// are normalised and stemmed; the others keep their position and produce
/// no token. `wanted` gets the first [`PREFIX_CHARS`] characters of the
/// word, lower-cased and accent-folded. Snowball French only rewrites the
/// last few characters of a word ([`STEM_REWRITE_CHARS`]), so the rest of
/// a term begins every word that stems to it: highlighting asks only for
/// words starting like a matched term, and skips the cost of analysing
/// every other word of a document. In [`Mode::Index`], a joined compound
/// is emitted when `wanted` accepts its own beginning (`weeken` for
/// `week-end`), whether or not it accepted its parts: highlighting sees
/// the joined forms the index holds, so that `weekend` marks `week-end`.
pub fn analyze_where(text: &str, first_position: u32, mode: Mode, wanted: impl Fn(&str) -> bool, sink: impl FnMut(Token)) -> u32 {
    run(text, first_position, mode, Some(&wanted), sink)
}

/// The pipeline; word heads are computed only when there is a filter.
fn run(text: &str, first_position: u32, mode: Mode, wanted: Option<&dyn Fn(&str) -> bool>, mut sink: impl FnMut(Token)) -> u32 {
    let mut position = first_position;
    let mut head = String::new();
    let mut parts = Vec::new();
    for raw in tokenizer::raw_words(text) {
        let (start, word) = elision::strip(raw.start, raw.text);
        compound::split_into(start, word, &mut parts);
        let first = position;
        let n_parts = parts.len();
        for (part_start, part) in &parts {
            if is_wanted(wanted, part, &mut head) {
                sink(make_token(part, *part_start, position, TokenKind::Word));
            }
            position = position.saturating_add(1);
        }
        if mode == Mode::Index && n_parts > 1 {
            let joined: String = parts.iter().map(|(_, p)| *p).collect();
            if is_wanted(wanted, &joined, &mut head) {
                let (s, e) = (parts[0].0, raw.start + raw.text.len());
                let mut t = make_token(&joined, s, first, TokenKind::Joined);
                t.end = e;
                if !t.stop {
                    sink(t);
                }
            }
        }
    }
    position
}

/// Whether the filter of [`analyze_where`], if any, accepts `word`: it is
/// shown the first [`PREFIX_CHARS`] letters as `normalize` keeps them (no
/// marks, no invisible characters), as a term's head counts them,
/// lower-cased and folded (into `head`, reused).
fn is_wanted(wanted: Option<&dyn Fn(&str) -> bool>, word: &str, head: &mut String) -> bool {
    let Some(wanted) = wanted else { return true };
    head.clear();
    for c in word.chars().filter(|&c| !normalize::is_combining(c) && !normalize::is_invisible(c)).take(PREFIX_CHARS) {
        normalize::push_lower_folded(c, head);
    }
    wanted(head)
}

/// The index term of a word whose folded form is `folded` (its Snowball
/// French stem), as [`analyze`] gives it unless the word is a stop word.
pub fn stem_folded(folded: &str) -> String {
    stem::stem(folded)
}

/// The analysed terms of `text` (stop words left out), as the index sees them.
pub fn terms(text: &str, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    analyze(text, 0, mode, |t| {
        if !t.stop {
            out.push(t.term)
        }
    });
    out
}

fn make_token(word: &str, start: usize, position: u32, kind: TokenKind) -> Token {
    let (lower, folded) = normalize::normalize(word);
    let lower = truncate(lower);
    let folded = truncate(folded);
    let stop = stopwords::is_stop_word(&folded);
    let term = if stop { String::new() } else { stem::stem(&folded) };
    let accented = if stop { None } else { accent_form(&term, &folded, &lower) };
    Token { term, folded, lower, position, start, end: start + word.len(), stop, kind, accented }
}

/// The stem spelt with the word's accents: the characters of `lower`
/// are taken one by one while their folded forms spell the beginning of
/// `term` (`œ` folds to `oe`, two characters of the stem), and the rest
/// of the stem (what stemming rewrote) is kept as it is. `None` when that
/// changes nothing. So `sécurités` gives `sécurit` and `cœurs` gives
/// `cœur`, the same as `sécurité` and `cœur`: plural and singular of one
/// spelling weigh as the same spelling.
pub fn accent_form(term: &str, _folded: &str, lower: &str) -> Option<String> {
    if lower.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(term.len() + 4);
    let mut rest = term;
    let mut one = String::new();
    for c in lower.chars() {
        if rest.is_empty() {
            break;
        }
        one.clear();
        normalize::push_lower_folded(c, &mut one);
        if one.is_empty() {
            // A combining mark left after composition: it belongs to the
            // character before it.
            out.push(c);
            continue;
        }
        match rest.strip_prefix(one.as_str()) {
            Some(r) => {
                out.push(c);
                rest = r;
            }
            None => break,
        }
    }
    out.push_str(rest);
    (out != term).then_some(out)
}

fn truncate(mut s: String) -> String {
    if s.len() > MAX_TERM_BYTES {
        let mut cut = MAX_TERM_BYTES;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Vec<String> {
        terms(s, Mode::Query)
    }

    #[test]
    fn elisions_with_both_apostrophes() {
        assert_eq!(t("l’OTAN"), t("OTAN"));
        assert_eq!(t("l'OTAN"), t("otan"));
        for w in ["d’Europe", "qu’Europe", "jusqu’Europe", "lorsqu'Europe", "puisqu’Europe", "quoiqu'Europe"] {
            assert_eq!(t(w), t("europe"), "{w}");
        }
        for p in ["n", "s", "c", "j", "m", "t"] {
            assert_eq!(t(&format!("{p}’avion")), t("avion"), "{p}");
        }
        // Not an elision: kept, split like a compound.
        assert_eq!(t("aujourd'hui").len(), 2);
    }

    #[test]
    fn invisible_characters_inside_a_word_are_ignored() {
        assert_eq!(t("ot\u{ad}an"), t("otan"));
        assert_eq!(t("sé\u{ad}cu\u{ad}ri\u{200d}té"), t("sécurité"));
        assert_eq!(t("l’O\u{2060}TAN"), t("otan"));
    }

    #[test]
    fn accents_case_and_stems_meet() {
        assert_eq!(t("sécurité"), t("securite"));
        assert_eq!(t("États"), t("Etats"));
        assert_eq!(t("missiles"), t("missile"));
        assert_eq!(t("terrorisme"), t("terroriste"));
        assert_eq!(t("ÉCONOMIE"), t("economie"));
        // Decomposed input (e + combining acute) is the same word.
        assert_eq!(t("se\u{301}curite\u{301}"), t("sécurité"));
        assert_eq!(t("cœur"), t("coeur"));
    }

    #[test]
    fn accent_forms_follow_the_stem() {
        let tok = |w: &str| {
            let mut v = Vec::new();
            analyze(w, 0, Mode::Query, |t| v.push(t));
            v.remove(0)
        };
        assert_eq!(tok("sécurité").accented.as_deref(), Some("sécurit"));
        assert_eq!(tok("Sécurités").accented, tok("sécurité").accented);
        assert_eq!(tok("securite").accented, None);
        assert_eq!(tok("États").accented.as_deref(), Some("état"));
        assert_eq!(tok("cœur").accented.as_deref(), Some("cœur"));
        // Plural and singular of one spelling share their accented stem.
        assert_eq!(tok("cœurs").accented, tok("cœur").accented);
        assert_eq!(tok("Œuvres").accented.as_deref(), Some("œuvr"));
    }

    #[test]
    fn compounds_split_and_join() {
        let mut toks = Vec::new();
        analyze("États-Unis", 0, Mode::Index, |t| toks.push(t));
        let parts: Vec<_> = toks.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.position).collect();
        assert_eq!(parts, vec![0, 1]);
        let joined = toks.iter().find(|t| t.kind == TokenKind::Joined).unwrap();
        assert_eq!(joined.position, 0);
        assert_eq!(joined.folded, "etatsunis");
        assert_eq!(t("Royaume-Uni"), t("royaume uni"));
    }

    #[test]
    fn numbers_acronyms_and_percent_survive() {
        assert_eq!(t("2 %"), vec!["2".to_string(), "%".to_string()]);
        assert_eq!(t("2%"), t("2 %"));
        assert_eq!(t("COVID-19"), vec!["covid".to_string(), "19".to_string()]);
        assert_eq!(t("PIB"), vec!["pib".to_string()]);
        assert_eq!(t("5,5 milliards")[0], "5,5");
        assert_eq!(t("OTAN"), vec!["otan".to_string()]);
    }

    #[test]
    fn stop_words_keep_positions() {
        let mut toks = Vec::new();
        analyze("sommet de Washington", 0, Mode::Query, |t| toks.push(t));
        assert_eq!(toks.len(), 3);
        assert!(toks[1].stop && toks[1].term.is_empty());
        assert_eq!((toks[0].position, toks[2].position), (0, 2));
        assert!(t("de la les").is_empty());
    }

    #[test]
    fn filtered_analysis_keeps_positions_and_tokens() {
        let text = "Le sommet de l’OTAN à Washington, États-Unis.";
        let mut all = Vec::new();
        analyze(text, 0, Mode::Query, |t| all.push(t));
        let mut some = Vec::new();
        analyze_where(text, 0, Mode::Query, |head| head.starts_with("was") || head.starts_with("eta"), |t| some.push(t));
        let expected: Vec<_> = all.into_iter().filter(|t| t.folded.starts_with("was") || t.folded.starts_with("eta")).collect();
        assert_eq!(some, expected);
        assert_eq!(some.len(), 2);
        // In index mode, a joined compound is shown its own beginning.
        let text = "Un week-end à Washington, aux États-Unis.";
        for wanted in ["weeken", "was", "eta", "etatsu", "end"] {
            let mut all = Vec::new();
            analyze(text, 0, Mode::Index, |t| all.push(t));
            let mut some = Vec::new();
            analyze_where(text, 0, Mode::Index, |head| head.starts_with(wanted), |t| some.push(t));
            let expected: Vec<_> = all.into_iter().filter(|t| t.folded.starts_with(wanted)).collect();
            assert!(!some.is_empty(), "{wanted}");
            assert_eq!(some, expected, "{wanted}");
        }
    }

    #[test]
    fn offsets_point_at_the_word_without_its_article() {
        let text = "Il a vu l’OTAN.";
        let mut toks = Vec::new();
        analyze(text, 0, Mode::Query, |t| toks.push(t));
        let otan = toks.last().unwrap();
        assert_eq!(&text[otan.start..otan.end], "OTAN");
        assert_eq!(otan.lower, "otan");
    }

    #[test]
    fn long_words_are_cut_consistently() {
        let long = "a".repeat(500);
        let terms = t(&long);
        assert_eq!(terms.len(), 1);
        assert!(terms[0].len() <= MAX_TERM_BYTES);
        assert_eq!(t(&long), t(&long.to_uppercase()));
    }

    #[test]
    fn nbsp_and_odd_whitespace_separate_words() {
        assert_eq!(t("M.\u{a0}Stoltenberg"), t("M. Stoltenberg"));
        assert_eq!(t("18\u{a0}%"), t("18 %"));
        assert_eq!(t("otan\u{202f}pib\u{2009}onu"), t("otan pib onu"));
    }
}
