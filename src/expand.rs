//! Expanding a query word over the term dictionary: completions of a
//! prefix, and spellings within a few edits (typos).
//!
//! Both walk the fst, which shares prefixes between terms, so a whole
//! subtree is skipped as soon as it cannot match. The Levenshtein
//! automaton is the classic dynamic-programming row: its state is one row
//! of the edit-distance table, and a branch is abandoned when the row's
//! minimum exceeds the budget. It works on bytes; dictionary terms are
//! accent-folded, so French words are ASCII. As in most spelling
//! correctors, the first letter must be right: typos are tolerated after
//! it. That prunes all but one branch at the root of the dictionary,
//! which makes a two-typo search on a 100,000-term dictionary cheap.

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
        let Ok(term) = std::str::from_utf8(key) else {
            continue;
        };
        out.push(Expansion { term: term.to_string(), offset, doc_freq: index.doc_freq(offset)?, edits: 0 });
    }
    crate::sort::sort_by(&mut out, |a, b| b.doc_freq.cmp(&a.doc_freq).then_with(|| a.term.cmp(&b.term)));
    out.truncate(MAX_PREFIX_EXPANSIONS);
    Ok(out)
}

/// Terms within `max_edits` edits of `word` (not `word` itself), closest
/// first, then most frequent.
pub fn typos(index: &Index, word: &str, max_edits: u8) -> Result<Vec<Expansion>, IndexError> {
    if max_edits == 0 || word.is_empty() || word.len() > MAX_WORD {
        return Ok(Vec::new());
    }
    let lev = Levenshtein { query: word.as_bytes(), max: max_edits };
    let mut stream = index.terms().search(&lev).into_stream();
    let mut out = Vec::new();
    while let Some((key, offset)) = stream.next() {
        if key == word.as_bytes() {
            continue;
        }
        let Ok(term) = std::str::from_utf8(key) else {
            continue;
        };
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
    let mut next = vec![0; row.len()];
    for &cb in b {
        next[0] = row[0] + 1;
        for i in 1..row.len() {
            let cost = u32::from(a[i - 1] != cb);
            next[i] = (row[i - 1] + cost).min(row[i] + 1).min(next[i - 1] + 1);
        }
        std::mem::swap(&mut row, &mut next);
    }
    row[a.len()]
}

/// Longest query word the typo automaton takes, in bytes (terms are at
/// most [`crate::analysis::MAX_TERM_BYTES`]).
const MAX_WORD: usize = crate::analysis::MAX_TERM_BYTES;

/// One row of the edit-distance table, capped at `max + 1` so it fits a byte.
type Row = [u8; MAX_WORD + 1];

/// A Levenshtein automaton over bytes. Its state is one row of the
/// dynamic-programming table, a fixed array: walking the dictionary
/// allocates nothing.
struct Levenshtein<'q> {
    query: &'q [u8],
    max: u8,
}

impl Automaton for &Levenshtein<'_> {
    type State = Option<Row>;

    fn start(&self) -> Self::State {
        let mut row = [0u8; MAX_WORD + 1];
        for (i, r) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *r = (i as u8).min(self.max + 1);
        }
        Some(row)
    }

    fn is_match(&self, state: &Self::State) -> bool {
        // row[0] > 0: at least the first byte was read.
        state.as_ref().is_some_and(|row| row[0] > 0 && row[self.query.len()] <= self.max)
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let row = state.as_ref()?;
        // At the root (row[0] counts the bytes read), the first byte must match.
        if row[0] == 0 && self.query.first() != Some(&byte) {
            return None;
        }
        let n = self.query.len();
        let cap = self.max + 1;
        let mut next = [0u8; MAX_WORD + 1];
        next[0] = (row[0] + 1).min(cap);
        let mut least = next[0];
        for i in 1..=n {
            let cost = u8::from(self.query[i - 1] != byte);
            next[i] = (row[i - 1] + cost).min(row[i] + 1).min(next[i - 1] + 1).min(cap);
            least = least.min(next[i]);
        }
        (least <= self.max).then_some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_automaton_agrees_with_the_distance() {
        let words = ["washington", "washingtn", "wash", "stoltenberg", "otan", "otans", "a", "", "seuil", "seul", "secur"];
        for q in words.iter().filter(|w| !w.is_empty()) {
            for max in [1u8, 2] {
                let lev = Levenshtein { query: q.as_bytes(), max };
                for w in &words {
                    let mut state = (&lev).start();
                    for &b in w.as_bytes() {
                        state = (&lev).accept(&state, b);
                    }
                    let same_first = q.as_bytes().first() == w.as_bytes().first();
                    assert_eq!((&lev).is_match(&state), same_first && distance(q.as_bytes(), w.as_bytes()) <= max as u32, "{q} {w} {max}");
                }
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(distance(b"washington", b"washingtn"), 1);
        assert_eq!(distance(b"stoltenberg", b"stoltenbreg"), 2);
        assert_eq!(distance(b"", b"abc"), 3);
        assert_eq!(distance(b"otan", b"otan"), 0);
    }
}
