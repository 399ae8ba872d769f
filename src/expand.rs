//! Expanding a query word over the dictionary of words as written
//! (`SURFACES`, folded): completions of a prefix, and spellings within a
//! few edits (typos).
//!
//! Both work on the words the reader types, not on stems: `politiq`
//! completes to `politique` even though its stem is `polit`, and
//! `plusiers` is one edit from `plusieurs` (whose stem is `plusieur`),
//! not from `plus`. Each surface word leads to its term (value: postings
//! offset and document frequency, see [`crate::index::surface_parts`]);
//! several words of one term (`politique`, `politiques`) give that term
//! once.
//!
//! Both walk the fst, which shares prefixes between words, so a whole
//! subtree is skipped as soon as it cannot match
//! ([`crate::index::walk`]). The typo automaton is
//! the restricted Damerau–Levenshtein distance (optimal string alignment:
//! an adjacent transposition, `Fonctoins`, is one edit), computed as a
//! dynamic-programming row per byte read; its state keeps the last two
//! rows and the last byte. Dictionary words are accent-folded, so French
//! words are ASCII. As in most spelling correctors, the first letter must
//! be right: typos are tolerated after it. That prunes all but one branch
//! at the root of the dictionary, which keeps a two-typo search cheap.

use crate::analysis;
use crate::index::read::Index;
use crate::index::shards::PREFIX_KEY_BYTES;
use crate::index::walk::{Walk, MAX_WORD};
use crate::index::{surface_parts, IndexError};
use fst::{Automaton, IntoStreamer, Streamer};

/// Dictionary words examined for one prefix, at most. Completions are
/// ranked by frequency over all of them, so this is only a bound on the
/// cost of a one-letter-long-prefix-like query on a huge dictionary.
pub const MAX_PREFIX_SCAN: usize = 65_536;

/// Completions kept for one prefix: the terms of the most frequent ones.
pub const MAX_PREFIX_EXPANSIONS: usize = 24;

/// Typo variants kept for one word: the closest, then the most frequent.
pub const MAX_TYPO_EXPANSIONS: usize = 16;

/// Dictionary words examined for one typo search, at most.
pub const MAX_TYPO_SCAN: usize = 65_536;

/// One expansion of a query word: a term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub term: String,
    /// Postings offset.
    pub offset: u64,
    /// Document frequency, as SURFACES codes it: exact below 32, then
    /// within 1/32 (see [`crate::index::surface_value`]).
    pub doc_freq: u32,
    /// Edits from the query word to the closest word of this term (0 for a
    /// completion).
    pub edits: u8,
}

/// One term met while walking: offset, frequency, edits, and one of its
/// words (to compute the term, by stemming, only for the terms kept).
struct Found {
    offset: u64,
    df: u32,
    edits: u8,
    word: Vec<u8>,
}

/// `kept`, their terms' postings records located where their dictionary
/// shards are loaded (a split index then fetches each record alone).
fn noted(index: &Index, kept: Vec<Expansion>) -> Vec<Expansion> {
    for e in &kept {
        index.note_term(&e.term, e.offset);
    }
    kept
}

/// The `keep` best terms of the words met (`found`, in walk order) by
/// `cmp`, as expansions: one per term, from the word with the fewest
/// edits (the first met among those), whose stem is the term.
///
/// One stable sort by `cmp`, then the first of each term until `keep`
/// are kept: n·log n in the words met, plus `keep` comparisons a word.
/// (Looking each word's term up among all the terms met so far was
/// quadratic: a one-letter prefix meets up to [`MAX_PREFIX_SCAN`]
/// words.) `cmp` puts fewer edits first and ends with the offset, so a
/// term's first word in that order is its best, and the order the words
/// come in does not change which terms are kept.
#[inline(never)]
fn finish(found: Vec<Found>, keep: usize, cmp: &dyn Fn(&Found, &Found) -> std::cmp::Ordering) -> Vec<Expansion> {
    let n = found.len();
    let mut out: Vec<Expansion> = Vec::with_capacity(keep.min(n));
    for f in crate::sort::top_k(found, n, cmp) {
        if out.len() == keep {
            break;
        }
        if out.iter().any(|e| e.offset == f.offset) {
            continue;
        }
        let Ok(word) = std::str::from_utf8(&f.word) else { continue };
        out.push(Expansion { term: analysis::stem_folded(word), offset: f.offset, doc_freq: f.df, edits: f.edits });
    }
    out
}

/// Terms of the words starting with `prefix` (folded), other than the
/// term at `except`, most frequent first.
pub fn prefix(index: &Index, prefix: &str, except: Option<u64>) -> Result<Vec<Expansion>, IndexError> {
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let automaton = Walk::Prefix(prefix.as_bytes());
    // A prefix of 3 bytes or more has all its words in one dictionary
    // shard; a shorter one, in the words shard of its first byte.
    let dict = if prefix.len() >= PREFIX_KEY_BYTES { index.dictionary(prefix.as_bytes()) } else { index.words(prefix.as_bytes()) };
    let Some(dict) = dict else { return Ok(Vec::new()) };
    let mut stream = dict.surfaces.search(&automaton).into_stream();
    let mut found: Vec<Found> = Vec::new();
    let mut scanned = 0;
    while let Some((key, value)) = stream.next() {
        scanned += 1;
        if scanned > MAX_PREFIX_SCAN {
            break;
        }
        let (offset, df) = surface_parts(value);
        if Some(offset) == except {
            continue;
        }
        // Most words of a term are next to each other (`politique`,
        // `politiques`): the first of them is kept, the others need no copy.
        if found.last().is_some_and(|f| f.offset == offset) {
            continue;
        }
        found.push(Found { offset, df, edits: 0, word: key.to_vec() });
    }
    Ok(noted(index, finish(found, MAX_PREFIX_EXPANSIONS, &|a, b| b.df.cmp(&a.df).then(a.offset.cmp(&b.offset)))))
}

/// Whether `folded` is a word of the corpus as written (accents and case
/// folded), not only a word with the same stem: `perme` is not, though
/// its stem `perm` is a term. A word that exists as typed is never
/// corrected; one that does not is, even when its stem matches
/// (see `crate::engine`). `None` while the dictionary shard that would
/// hold it is not loaded (a split index; reading it recorded it as wanted).
pub fn exists_as_typed(index: &Index, folded: &str) -> Option<bool> {
    let dict = index.dictionary(folded.as_bytes());
    if !index.has_dictionary(folded.as_bytes()) {
        return None;
    }
    Some(dict.is_some_and(|d| d.surfaces.contains_key(folded)))
}

/// Terms of the words within `max_edits` edits of `word` (folded; its own
/// term `except` left out), closest first, then most frequent.
pub fn typos(index: &Index, word: &str, max_edits: u8, except: Option<u64>) -> Result<Vec<Expansion>, IndexError> {
    if max_edits == 0 || word.is_empty() || word.len() > MAX_WORD {
        return Ok(Vec::new());
    }
    let lev = Walk::typos(word.as_bytes(), max_edits);
    let Some(dict) = index.words(word.as_bytes()) else { return Ok(Vec::new()) };
    let mut stream = dict.surfaces.search(&lev).into_stream();
    let mut found: Vec<Found> = Vec::new();
    let mut scanned = 0;
    while let Some((key, value)) = stream.next() {
        scanned += 1;
        if scanned > MAX_TYPO_SCAN {
            break;
        }
        let (offset, df) = surface_parts(value);
        if Some(offset) == except || key == word.as_bytes() {
            continue;
        }
        let edits = distance(word.as_bytes(), key).min(u8::MAX as u32) as u8;
        found.push(Found { offset, df, edits, word: key.to_vec() });
    }
    Ok(noted(index, finish(found, MAX_TYPO_EXPANSIONS, &|a, b| a.edits.cmp(&b.edits).then(b.df.cmp(&a.df)).then(a.offset.cmp(&b.offset)))))
}

/// Whether the typo automaton accepts `word` for `query` within
/// `max_edits` (first letter equal, restricted Damerau–Levenshtein
/// distance at most `max_edits`), run over `word` alone: what the
/// dictionary walk does on each of its paths, pruning included.
pub fn typo_accepts(query: &str, word: &str, max_edits: u8) -> bool {
    if query.is_empty() || query.len() > MAX_WORD || max_edits == 0 {
        return false;
    }
    let a = Walk::typos(query.as_bytes(), max_edits);
    let mut state = (&a).start();
    for &b in word.as_bytes() {
        state = (&a).accept(&state, b);
        if !(&a).can_match(&state) {
            return false;
        }
    }
    (&a).is_match(&state)
}

/// Restricted Damerau–Levenshtein distance (optimal string alignment)
/// between two byte strings: insertions, deletions, substitutions and
/// transpositions of two adjacent bytes each cost one edit.
pub fn distance(a: &[u8], b: &[u8]) -> u32 {
    let n = a.len();
    let mut prev2: Vec<u32> = vec![0; n + 1];
    let mut prev: Vec<u32> = (0..=n as u32).collect();
    let mut cur: Vec<u32> = vec![0; n + 1];
    for (j, &cb) in b.iter().enumerate() {
        cur[0] = j as u32 + 1;
        for i in 1..=n {
            let cost = u32::from(a[i - 1] != cb);
            let mut d = (prev[i - 1] + cost).min(prev[i] + 1).min(cur[i - 1] + 1);
            if i > 1 && j > 0 && a[i - 1] == b[j - 1] && a[i - 2] == cb {
                d = d.min(prev2[i - 2] + 1);
            }
            cur[i] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the automaton over `w`.
    fn accepts(q: &str, w: &str, max: u8) -> bool {
        let lev = Walk::typos(q.as_bytes(), max);
        let mut state = (&lev).start();
        for &b in w.as_bytes() {
            state = (&lev).accept(&state, b);
        }
        (&lev).is_match(&state)
    }

    #[test]
    fn the_automaton_agrees_with_the_distance() {
        let words = ["washington", "washingtn", "wahsington", "wash", "stoltenberg", "otan", "otans", "toan", "a", "", "seuil", "seul", "secur", "fonctions", "fonctoins"];
        for q in words.iter().filter(|w| !w.is_empty()) {
            for max in [1u8, 2] {
                for w in &words {
                    let same_first = q.as_bytes().first() == w.as_bytes().first();
                    assert_eq!(accepts(q, w, max), same_first && distance(q.as_bytes(), w.as_bytes()) <= max as u32, "{q} {w} {max}");
                }
            }
        }
    }

    #[test]
    fn a_budget_above_the_most_edits_counts_as_the_most() {
        use crate::index::walk::MAX_EDITS;
        assert_eq!(MAX_EDITS, 2);
        // Two edits, three, and two with a transposition, on long words
        // (the band moves along the diagonal).
        let q = "constitutionnellement";
        for (w, within) in [("constitutionelement", true), ("constittionelemnt", false), ("cnostitutionnellemnet", true)] {
            assert_eq!(distance(q.as_bytes(), w.as_bytes()) <= 2, within, "{w}");
            for max in [2, 3, u8::MAX] {
                assert_eq!(accepts(q, w, max), within, "{w} {max}");
            }
        }
    }

    #[test]
    fn distances() {
        assert_eq!(distance(b"washington", b"washingtn"), 1);
        assert_eq!(distance(b"fonctions", b"fonctoins"), 1);
        assert_eq!(distance(b"stoltenberg", b"stoltenbreg"), 1);
        assert_eq!(distance(b"ca", b"abc"), 3);
        assert_eq!(distance(b"", b"abc"), 3);
        assert_eq!(distance(b"otan", b"otan"), 0);
    }
}
