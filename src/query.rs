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

use crate::analysis::{self, Mode, TokenKind};

/// Most required (and, separately, excluded) clauses a query keeps.
pub const MAX_CLAUSES: usize = 32;

/// Characters (UTF-16 units, as JS counts them) of a query the wasm API
/// reads; the rest is not copied into the module, and `ignored` says so.
/// Far beyond what the clause limits use, it bounds the copy and the scan.
pub const MAX_QUERY_CHARS: usize = 16_384;

/// Words kept in [`Query::ignored`] at most.
pub const MAX_IGNORED: usize = 32;

/// Characters of one ignored word or phrase shown in [`Query::ignored`];
/// longer ones are cut and end with `…`.
pub const MAX_IGNORED_CHARS: usize = 64;

/// Bytes of one query item (a word, a quoted phrase, a compound or a run
/// joined by punctuation such as `si,si,si`) that are analysed. The rest
/// of the item is listed in [`Query::ignored`]. 1 KiB is far more than
/// any real phrase, and it bounds the work and memory of analysing one item.
pub const MAX_ITEM_BYTES: usize = 1024;

/// Terms kept in one phrase or compound; later words of it are listed in
/// [`Query::ignored`]. Each term of a phrase costs a read of its positions.
pub const MAX_PHRASE_TERMS: usize = 12;

/// Terms kept in the whole query, required and excluded together. With
/// [`MAX_PHRASE_TERMS`], this bounds the postings a query reads.
pub const MAX_QUERY_TERMS: usize = 64;

/// Distinct compounds written whole that a query keeps for the title tier
/// ([`Query::joined`]); each is read once, however often it is written.
/// A compound of stop words only (`est-ce`) takes no term of
/// [`MAX_QUERY_TERMS`], so without this bound `est-ce,est-ce,…` would
/// read one postings list thousands of times. A query with more distinct
/// compounds than this is only ranked as if its title held no more.
pub const MAX_JOINED_TERMS: usize = 16;

/// Shortest beginning of a word, in letters, that is completed when it is
/// a stop word (`pou` is not, `pour` → `pourtant` is).
pub const MIN_PREFIX_CHARS: usize = 3;

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
    /// Edits tolerated when the word is not in the corpus as written.
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
    /// The query is only a stop word being typed, of [`MIN_PREFIX_CHARS`]
    /// letters or more (`pour`): it is searched as the beginning of longer
    /// words (`pourtant`). After other words, such a stop word is ignored
    /// as usual (its completions would only add noise to their ranking).
    pub optional: bool,
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
    /// The compounds the query writes whole, as the index also holds them
    /// (`etatsun` for `États-Unis`, `estce` for the ignored `est-ce`),
    /// distinct, each with how many times it is written: a title written
    /// like the query counts them in its length, which the title tier
    /// compares with the query's ([`crate::rank::tier`]). Only those of
    /// required items whose parts were all analysed; at most
    /// [`MAX_JOINED_TERMS`].
    pub joined: Vec<(String, u32)>,
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

/// Lists `text` in [`Query::ignored`], if there is room.
/// Adds a compound written whole to [`Query::joined`].
fn join(q: &mut Query, term: String) {
    if let Some((_, times)) = q.joined.iter_mut().find(|(t, _)| *t == term) {
        *times = times.saturating_add(1);
    } else if q.joined.len() < MAX_JOINED_TERMS {
        q.joined.push((term, 1));
    }
}

fn ignore(q: &mut Query, text: &str) {
    if !text.trim().is_empty() && q.ignored.len() < MAX_IGNORED {
        q.ignored.push(shown(text.trim()));
    }
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

/// `text` as listed in [`Query::ignored`]: at most [`MAX_IGNORED_CHARS`]
/// characters.
fn shown(text: &str) -> String {
    match text.char_indices().nth(MAX_IGNORED_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The longest beginning of `text` of at most [`MAX_ITEM_BYTES`] bytes
/// that ends between words (or at a character boundary inside one huge
/// word), and the rest.
fn cut_item(text: &str) -> (&str, &str) {
    if text.len() <= MAX_ITEM_BYTES {
        return (text, "");
    }
    let mut cut = MAX_ITEM_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    let at = head.rfind(|c: char| !c.is_alphanumeric()).filter(|&i| i > 0).unwrap_or(cut);
    (&text[..at], &text[at..])
}

/// The next item of `rest` (which starts at a non-space): its text,
/// whether it was quoted and whether it was negated, and what follows it.
fn next_item(rest: &str) -> (&str, bool, bool, &str) {
    let mut rest = rest;
    let mut negated = false;
    if let Some(after) = rest.strip_prefix('-') {
        match after.chars().next() {
            Some(n) if !n.is_whitespace() && n != '-' => {
                negated = true;
                rest = after;
            }
            // A lone `-` (or `--`): a separator.
            _ => return ("", false, false, after),
        }
    }
    let c = rest.chars().next().unwrap_or(' ');
    if is_quote(c) {
        let inner = &rest[c.len_utf8()..];
        let end = inner.find(is_quote).unwrap_or(inner.len());
        let after = &inner[end..];
        let after = after.chars().next().map_or(after, |q| &after[q.len_utf8()..]);
        (&inner[..end], true, negated, after)
    } else {
        let end = rest.find(|c: char| c.is_whitespace() || is_quote(c)).unwrap_or(rest.len());
        (&rest[..end], false, negated, &rest[end..])
    }
}

/// Parses a query. Never fails.
///
/// The cost is linear in the length of the input and bounded beyond
/// that: the input is scanned once; an item is analysed only while a
/// clause can still take it, and only its first [`MAX_ITEM_BYTES`]; a
/// phrase keeps [`MAX_PHRASE_TERMS`] terms and the query
/// [`MAX_QUERY_TERMS`]. Whatever is left out is listed in
/// [`Query::ignored`] (up to [`MAX_IGNORED`] entries).
pub fn parse(input: &str) -> Query {
    let mut q = Query::default();
    let ends_open = input.chars().next_back().is_some_and(|c| !c.is_whitespace() && !is_quote(c));
    let mut budget = MAX_QUERY_TERMS;
    let mut position = 0u32;
    let mut rest = input.trim_start_matches(is_space);
    while !rest.is_empty() {
        let (text, quoted, negated, after) = next_item(rest);
        rest = after.trim_start_matches(is_space);
        if text.is_empty() {
            continue;
        }
        let is_last = rest.is_empty();
        let taken = if negated { q.must_not.len() } else { q.must.len() };
        if taken >= MAX_CLAUSES || budget == 0 {
            ignore(&mut q, text);
            continue;
        }
        let (head, tail) = cut_item(text);
        let last_open = is_last && tail.is_empty() && ends_open && !quoted && !negated;
        let mut terms = Vec::new();
        let mut first_pos = None;
        let mut dropped_at = None;
        let mut words = 0;
        let mut stop_word = None;
        let keep = budget.min(MAX_PHRASE_TERMS);
        // Analysed as the index analyses a title, so that its joined
        // compounds are known; they are not words to search.
        let next = analysis::analyze(head, position, Mode::Index, |t| {
            if t.kind == TokenKind::Joined {
                // Only a compound whose parts are all kept (it follows
                // them). One of stop words only counts too: they are
                // searched for nothing, but a title holds the compound
                // (`Qu'est-ce que l'OTAN` is `otan` and `estce`).
                if !negated && dropped_at.is_none() {
                    join(&mut q, t.term);
                }
                return;
            }
            words += 1;
            if t.stop {
                stop_word = Some((t.folded, t.position));
                return;
            }
            if terms.len() >= keep {
                dropped_at.get_or_insert(t.start);
                return;
            }
            let base = *first_pos.get_or_insert(t.position);
            terms.push(QueryTerm { max_typos: typos_for(&t.folded), term: t.term, folded: t.folded, accented: t.accented, offset: t.position - base, prefix: false });
        });
        // An excluded item is not text standing between the words around
        // it: it takes no query position, so `otan -russie défense` finds
        // `otan défense` adjacent, as `otan défense` does.
        if !negated {
            position = next;
        }
        if terms.is_empty() {
            match stop_word {
                // The stop word being typed: only its completions are searched.
                Some((folded, at)) if last_open && words == 1 && folded.chars().count() >= MIN_PREFIX_CHARS => {
                    budget -= 1;
                    let term = QueryTerm { term: String::new(), folded, accented: None, offset: 0, prefix: true, max_typos: 0 };
                    q.must.push(Clause { terms: vec![term], phrase: false, position: at, optional: true });
                }
                _ => {
                    ignore(&mut q, head);
                    ignore(&mut q, tail);
                }
            }
            continue;
        }
        if let Some(at) = dropped_at {
            ignore(&mut q, &head[at..]);
        }
        ignore(&mut q, tail);
        budget -= terms.len();
        let phrase = quoted || terms.len() > 1 || dropped_at.is_some();
        if phrase {
            // Exact words only inside a phrase.
            for t in &mut terms {
                t.max_typos = 0;
            }
        } else if last_open {
            terms[0].prefix = true;
        }
        let position = first_pos.unwrap_or(position);
        let target = if negated { &mut q.must_not } else { &mut q.must };
        target.push(Clause { terms, phrase, position, optional: false });
    }
    // A stop word being typed is completed only when it is the whole query.
    if q.must.len() > 1 {
        if let Some(i) = q.must.iter().position(|c| c.optional) {
            let c = q.must.remove(i);
            ignore(&mut q, &c.terms[0].folded);
        }
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
    fn exclusions_take_no_position() {
        let positions = |s: &str| parse(s).must.iter().map(|c| c.position).collect::<Vec<_>>();
        assert_eq!(positions("otan -russie défense"), positions("otan défense"));
        assert_eq!(positions("otan -\"sommet de Washington\" de défense"), positions("otan de défense"));
        assert_eq!(positions("-russie otan défense"), vec![0, 1]);
        // Stop words still count: they stand between the words.
        assert_eq!(positions("otan de défense"), vec![0, 2]);
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
        assert_eq!(q.joined, vec![("etatsun".to_string(), 1)]);
        let q = parse("\"le Royaume-Uni et les États-Unis\" otan -COVID-19");
        assert_eq!(q.joined.len(), 2);
        assert_eq!(terms(&q.must[0]), vec!["royaum", "uni", "etat", "unis"]);
        // Those of an exclusion are not kept; those of stop words are.
        assert_eq!(parse("otan -COVID-19").joined, vec![]);
        assert_eq!(parse("Qu'est-ce que l'OTAN").joined, vec![("estce".to_string(), 1)]);
        assert_eq!(parse("États-Unis, États-Unis").joined, vec![("etatsun".to_string(), 2)]);
        // Distinct ones are bounded, however many are written.
        let many: String = (0..5000).map(|i| format!("a{i}-b{i} est-ce ")).collect();
        let q = parse(&many);
        assert_eq!(q.joined.len(), MAX_JOINED_TERMS);
        assert_eq!(parse(&"est-ce ".repeat(3000)).joined, vec![("estce".to_string(), 3000)]);
        assert_eq!(parse(&format!("otan,{}", "est-ce,".repeat(3000))).joined.len(), 1);
    }

    #[test]
    fn malformed_input_is_never_an_error() {
        for s in ["\"", "\"\"\"", "-", "- -", "---", "!!!???", "🙂👍🏽", "\u{0}\u{1}", "«", "-\"", "\"a", "-(", ""] {
            let q = parse(s);
            assert!(q.must.len() <= MAX_CLAUSES, "{s}");
        }
        assert!(parse("de la les ").is_empty());
        assert_eq!(parse("de la les ").ignored, vec!["de", "la", "les"]);
        // A stop word being typed is completed when it is the whole query.
        let q = parse("pour");
        assert_eq!(q.must.len(), 1);
        assert!(q.must[0].optional && q.must[0].terms[0].prefix && q.must[0].terms[0].term.is_empty());
        assert_eq!(q.must[0].terms[0].folded, "pour");
        let q = parse("ministre pour");
        assert_eq!((q.must.len(), q.ignored.clone()), (1, vec!["pour".to_string()]));
        assert!(parse("de").is_empty() && parse("pour ").is_empty());
        let long = "otan ".repeat(2_000);
        let q = parse(&long);
        assert_eq!(q.must.len(), MAX_CLAUSES);
        assert_eq!(q.ignored.len(), MAX_IGNORED);
        assert!(parse("\"sommet de").must[0].phrase);
    }
}
