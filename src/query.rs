//! The query language.
//!
//! | syntax                 | meaning                                                  |
//! |------------------------|----------------------------------------------------------|
//! | `otan défense`         | documents with every word (AND), ranked by relevance     |
//! | `Washing`              | the last word is also a prefix (search as you type)      |
//! | `Stoltenbreg`          | a word of 5+ letters tolerates 1 typo, 9+ letters 2 (first letter right) |
//! | `"sommet de Washington"` | the words adjacent and in order (also `“…”`, `«…»`)     |
//! | `États-Unis`, `2%`     | a word analysed into several terms is a phrase           |
//! | `-mot`, `-"une phrase"` | excludes documents containing it                        |
//!
//! Parsing never fails. Unbalanced quotes close at the end of the query; a
//! lone `-`, punctuation, emoji and control characters are separators;
//! stop words are dropped (listed in [`Query::ignored`]); beyond
//! [`MAX_CLAUSES`] words the rest is listed in `ignored` too.

use crate::analysis::{self, Mode};

/// Most required (and, separately, excluded) clauses a query keeps.
pub const MAX_CLAUSES: usize = 32;

/// Words kept in [`Query::ignored`] at most.
pub const MAX_IGNORED: usize = 32;

/// Shortest word (in letters) that tolerates one typo.
pub const ONE_TYPO_MIN_CHARS: usize = 5;

/// Shortest word (in letters) that tolerates two typos.
pub const TWO_TYPOS_MIN_CHARS: usize = 9;

/// One analysed query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The index term (folded stem).
    pub term: String,
    /// Folded, unstemmed spelling: what a prefix is matched against.
    pub folded: String,
    /// The stem with the query's accents, if it has any (see [`analysis::Token::accented`]).
    pub accented: Option<String>,
    /// Position relative to the first word of its phrase.
    pub offset: u32,
    /// Whether the word may also match as a prefix.
    pub prefix: bool,
    /// Edits tolerated when the word is not in the dictionary.
    pub max_typos: u8,
}

/// One clause: a single word, or a phrase of words in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub terms: Vec<QueryTerm>,
    pub phrase: bool,
    /// Position of the clause's first word in the query, stop words
    /// counted, so that ranking can reward query words found adjacent.
    pub position: u32,
}

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Every one of these must match (or, relaxed, as many as possible).
    pub must: Vec<Clause>,
    /// None of these may match.
    pub must_not: Vec<Clause>,
    /// Words not searched: stop words, and words past [`MAX_CLAUSES`].
    pub ignored: Vec<String>,
}

impl Query {
    pub fn is_empty(&self) -> bool {
        self.must.is_empty() && self.must_not.is_empty()
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '«' | '»' | '„')
}

fn typos_for(folded: &str) -> u8 {
    if folded.chars().any(|c| c.is_ascii_digit()) {
        return 0;
    }
    match folded.chars().count() {
        n if n >= TWO_TYPOS_MIN_CHARS => 2,
        n if n >= ONE_TYPO_MIN_CHARS => 1,
        _ => 0,
    }
}

/// Parses a query. Never fails.
pub fn parse(input: &str) -> Query {
    let mut q = Query::default();
    let ends_open = input.chars().next_back().map_or(false, |c| !c.is_whitespace() && !is_quote(c));
    let mut rest = input;
    // (text, quoted, negated, is_last_item)
    let mut items: Vec<(&str, bool, bool)> = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
        let Some(c) = rest.chars().next() else { break };
        let mut negated = false;
        if c == '-' {
            let after = rest.get(1..).unwrap_or_default();
            match after.chars().next() {
                Some(n) if !n.is_whitespace() && n != '-' => {
                    negated = true;
                    rest = after;
                }
                _ => {
                    rest = after;
                    continue;
                }
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        if is_quote(c) {
            let inner = rest.get(c.len_utf8()..).unwrap_or_default();
            let end = inner.find(is_quote).unwrap_or(inner.len());
            items.push((inner.get(..end).unwrap_or_default(), true, negated));
            rest = inner.get(end..).unwrap_or_default();
            if let Some(q) = rest.chars().next() {
                rest = rest.get(q.len_utf8()..).unwrap_or_default();
            }
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || is_quote(c)).unwrap_or(rest.len());
            items.push((rest.get(..end).unwrap_or_default(), false, negated));
            rest = rest.get(end..).unwrap_or_default();
        }
    }
    let n_items = items.len();
    let mut position = 0u32;
    for (i, (text, quoted, negated)) in items.into_iter().enumerate() {
        let last_open = i + 1 == n_items && ends_open && !quoted && !negated;
        let mut terms = Vec::new();
        let mut first_pos = None;
        let start = position;
        position = analysis::analyze(text, position, Mode::Query, |t| {
            if t.stop {
                return;
            }
            let base = *first_pos.get_or_insert(t.position);
            terms.push(QueryTerm {
                max_typos: typos_for(&t.folded),
                term: t.term,
                folded: t.folded,
                accented: t.accented,
                offset: t.position - base,
                prefix: false,
            });
        });
        if terms.is_empty() {
            if !text.trim().is_empty() && q.ignored.len() < MAX_IGNORED {
                q.ignored.push(text.to_string());
            }
            continue;
        }
        let phrase = quoted || terms.len() > 1;
        if phrase {
            // Exact words only inside a phrase.
            for t in &mut terms {
                t.max_typos = 0;
            }
        } else if last_open {
            terms[0].prefix = true;
        }
        let target = if negated { &mut q.must_not } else { &mut q.must };
        if target.len() >= MAX_CLAUSES {
            if q.ignored.len() < MAX_IGNORED {
                q.ignored.push(text.to_string());
            }
            continue;
        }
        let position = first_pos.unwrap_or(start);
        target.push(Clause { terms, phrase, position });
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(c: &Clause) -> Vec<&str> {
        c.terms.iter().map(|t| t.term.as_str()).collect()
    }

    #[test]
    fn words_phrases_and_exclusions() {
        let q = parse(r#"otan "sommet de Washington" -russie"#);
        assert_eq!(q.must.len(), 2);
        assert!(q.must[1].phrase);
        assert_eq!(q.must[1].terms.iter().map(|t| t.offset).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(terms(&q.must_not[0]), vec!["russ"]);
        assert!(!q.must[0].terms[0].prefix);
        let q = parse("dépenses de défense");
        assert_eq!(q.must.iter().map(|c| c.position).collect::<Vec<_>>(), vec![0, 2]);
    }

    #[test]
    fn last_word_is_a_prefix_until_a_space() {
        assert!(parse("Washing").must[0].terms[0].prefix);
        assert!(!parse("Washing ").must[0].terms[0].prefix);
        assert!(!parse("\"Washing\"").must[0].terms[0].prefix);
    }

    #[test]
    fn typo_budget_by_length() {
        let q = parse("otan défense Stoltenberg 2024");
        let t: Vec<u8> = q.must.iter().map(|c| c.terms[0].max_typos).collect();
        assert_eq!(t, vec![0, 1, 2, 0]);
    }

    #[test]
    fn compounds_become_phrases() {
        let q = parse("États-Unis");
        assert!(q.must[0].phrase);
        assert_eq!(q.must[0].terms.len(), 2);
    }

    #[test]
    fn malformed_input_is_never_an_error() {
        for s in ["\"", "\"\"\"", "-", "- -", "---", "!!!???", "🙂👍🏽", "\u{0}\u{1}", "«", "-\"", "\"a", "-(", ""] {
            let q = parse(s);
            assert!(q.must.len() <= MAX_CLAUSES, "{s}");
        }
        assert!(parse("de la les").is_empty());
        assert_eq!(parse("de la les").ignored, vec!["de", "la", "les"]);
        let long = "otan ".repeat(2_000);
        let q = parse(&long);
        assert_eq!(q.must.len(), MAX_CLAUSES);
        assert_eq!(q.ignored.len(), MAX_IGNORED);
        assert!(parse("\"sommet de").must[0].phrase);
    }
}
