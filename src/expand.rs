//! Expanding a query word over the term dictionary: completions of a
//! prefix, and spellings within a few edits (typos).
//!
//! Both walk the fst, which shares prefixes between terms, so a whole
//! subtree is skipped as soon as it cannot match. The Levenshtein
//! automaton is the classic dynamic-programming row: its state is one row
//! of the edit-distance table, and a branch is abandoned when the row's
//! minimum exceeds the budget. It works on bytes; dictionary terms are
//! accent-folded, so French words are ASCII.

use crate::index::read::Index;
use crate::index::IndexError;
use fst::{Automaton, IntoStreamer, Streamer};

/// Dictionary entries examined for one prefix, at most.
pub const MAX_PREFIX_SCAN: usize = 4096;

/// Completions kept for one prefix: the most frequent ones.
pub const MAX_PREFIX_EXPANSIONS: usize = 24;

/// Typo variants kept for one word: the closest, then the most frequent.
pub const MAX_TYPO_EXPANSIONS: usize = 16;

/// One expansion of a query word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub term: String,
    /// Postings offset.
    pub offset: u64,
    pub doc_freq: u32,
    /// Edits from the query word (0 for a completion).
    pub edits: u8,
}

/// Terms starting with `prefix`, other than `except`, most frequent first.
pub fn prefix(index: &Index, prefix: &str, except: &str) -> Result<Vec<Expansion>, IndexError> {
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let automaton = fst::automaton::Str::new(prefix).starts_with();
    let mut stream = index.terms().search(automaton).into_stream();
    let mut out = Vec::new();
    let mut scanned = 0;
    while let Some((key, offset)) = stream.next() {
        scanned += 1;
        if scanned > MAX_PREFIX_SCAN {
            break;
        }
        if key == except.as_bytes() {
            continue;
        }
        let Ok(term) = std::str::from_utf8(key) else { continue };
        out.push(Expansion { term: term.to_string(), offset, doc_freq: index.doc_freq(offset)?, edits: 0 });
    }
    crate::sort::sort_by(&mut out, |a, b| b.doc_freq.cmp(&a.doc_freq).then_with(|| a.term.cmp(&b.term)));
    out.truncate(MAX_PREFIX_EXPANSIONS);
    Ok(out)
}

/// Terms within `max_edits` edits of `word` (not `word` itself), closest
/// first, then most frequent.
pub fn typos(index: &Index, word: &str, max_edits: u8) -> Result<Vec<Expansion>, IndexError> {
    if max_edits == 0 || word.is_empty() {
        return Ok(Vec::new());
    }
    let lev = Levenshtein { query: word.as_bytes(), max: max_edits as u32 };
    let mut stream = index.terms().search(&lev).into_stream();
    let mut out = Vec::new();
    while let Some((key, offset)) = stream.next() {
        if key == word.as_bytes() {
            continue;
        }
        let Ok(term) = std::str::from_utf8(key) else { continue };
        let edits = distance(word.as_bytes(), key) as u8;
        out.push(Expansion { term: term.to_string(), offset, doc_freq: index.doc_freq(offset)?, edits });
    }
    crate::sort::sort_by(&mut out, |a, b| a.edits.cmp(&b.edits).then(b.doc_freq.cmp(&a.doc_freq)).then_with(|| a.term.cmp(&b.term)));
    out.truncate(MAX_TYPO_EXPANSIONS);
    Ok(out)
}

/// Levenshtein distance between two byte strings.
pub fn distance(a: &[u8], b: &[u8]) -> u32 {
    let mut row: Vec<u32> = (0..=a.len() as u32).collect();
    for &cb in b {
        row = step(a, &row, cb);
    }
    row[a.len()]
}

fn step(query: &[u8], row: &[u32], byte: u8) -> Vec<u32> {
    let mut next = Vec::with_capacity(row.len());
    next.push(row[0] + 1);
    for i in 1..row.len() {
        let cost = if query[i - 1] == byte { 0 } else { 1 };
        next.push((row[i - 1] + cost).min(row[i] + 1).min(next[i - 1] + 1));
    }
    next
}

/// A Levenshtein automaton over bytes.
struct Levenshtein<'q> {
    query: &'q [u8],
    max: u32,
}

impl Automaton for &Levenshtein<'_> {
    type State = Option<Vec<u32>>;

    fn start(&self) -> Self::State {
        Some((0..=self.query.len() as u32).collect())
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.as_ref().map_or(false, |row| row[self.query.len()] <= self.max)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let row = state.as_ref()?;
        let next = step(self.query, row, byte);
        (next.iter().min().copied().unwrap_or(u32::MAX) <= self.max).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance(b"washington", b"washingtn"), 1);
        assert_eq!(distance(b"stoltenberg", b"stoltenbreg"), 2);
        assert_eq!(distance(b"", b"abc"), 3);
        assert_eq!(distance(b"otan", b"otan"), 0);
    }
}
