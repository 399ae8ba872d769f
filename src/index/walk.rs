//! The one automaton that walks the fst dictionaries.
//!
//! fst's streams are generic over their automaton, and each automaton
//! type a module runs is another copy of their code (`seek_min`,
//! `next_with`: about 2.5 KB per type). Completion and typo tolerance
//! over SURFACES ([`crate::expand`] in the engine) and a term's accent
//! variants over VARIANTS (keys `term␁accented`, [`super::read`]) all
//! walk with [`Walk`], so the module holds one copy.
//!
//! - [`Walk::Prefix`] matches the keys that start with its bytes; once
//!   they are all read, every key below matches. (It also answers
//!   [`Automaton::will_always_match`], as fst's `StartsWith` does, though
//!   fst 0.4's streams never ask.)
//! - [`Walk::Typos`] is the restricted Damerau–Levenshtein distance
//!   (optimal string alignment: an adjacent transposition, `Fonctoins`,
//!   is one edit), computed as a dynamic-programming row per byte read;
//!   its state keeps the last two rows and the last byte. As in most
//!   spelling correctors the first byte must be right, which prunes all
//!   but one branch at the root of the dictionary.

use fst::Automaton;

/// Longest query word the typo automaton takes, in bytes (terms are at
/// most [`crate::analysis::MAX_TERM_BYTES`]).
pub const MAX_WORD: usize = crate::analysis::MAX_TERM_BYTES;

/// One row of the edit-distance table, capped at `max + 1` so it fits a byte.
type Row = [u8; MAX_WORD + 1];

/// The typo automaton's state: the rows for the last two bytes read, and
/// the last byte (for transpositions). `row[0]` counts the bytes read.
#[derive(Clone)]
pub struct State {
    row: Row,
    prev: Row,
    last: u8,
}

/// A restricted Damerau–Levenshtein automaton over bytes. Its state is
/// two fixed rows of the dynamic-programming table: walking the
/// dictionary allocates nothing.
pub struct Damerau<'q> {
    query: &'q [u8],
    max: u8,
}

/// Every walk of a dictionary, as one automaton type (see the module
/// documentation).
pub enum Walk<'q> {
    /// The keys that start with these bytes.
    Prefix(&'q [u8]),
    /// The keys within the automaton's edits of its query.
    Typos(Damerau<'q>),
}

impl<'q> Walk<'q> {
    /// The keys within `max` edits of `query` (at most [`MAX_WORD`] bytes),
    /// first byte equal.
    pub fn typos(query: &'q [u8], max: u8) -> Walk<'q> {
        debug_assert!(query.len() <= MAX_WORD);
        Walk::Typos(Damerau { query, max })
    }
}

/// A walk's state; `None` once no key below can match.
#[derive(Clone)]
pub enum Step {
    /// Bytes of the prefix matched so far (all of them: every key below
    /// matches).
    Prefix(usize),
    Typos(State),
}

impl Automaton for &Walk<'_> {
    type State = Option<Step>;

    fn start(&self) -> Self::State {
        Some(match self {
            Walk::Prefix(_) => Step::Prefix(0),
            Walk::Typos(d) => Step::Typos(d.start()),
        })
    }

    fn is_match(&self, state: &Self::State) -> bool {
        match (self, state) {
            (Walk::Prefix(p), Some(Step::Prefix(i))) => *i >= p.len(),
            // row[0] > 0: at least the first byte was read.
            (Walk::Typos(d), Some(Step::Typos(s))) => s.row[0] > 0 && s.row[d.query.len()] <= d.max,
            _ => false,
        }
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Self::State) -> bool {
        matches!((self, state), (Walk::Prefix(p), Some(Step::Prefix(i))) if *i >= p.len())
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        match (self, state.as_ref()?) {
            (Walk::Prefix(p), &Step::Prefix(i)) => match p.get(i) {
                None => Some(Step::Prefix(i)),
                Some(&b) => (b == byte).then_some(Step::Prefix(i + 1)),
            },
            (Walk::Typos(d), Step::Typos(s)) => d.accept(s, byte).map(Step::Typos),
            _ => None,
        }
    }
}

impl Damerau<'_> {
    fn start(&self) -> State {
        let mut row = [0u8; MAX_WORD + 1];
        for (i, r) in row.iter_mut().enumerate().take(self.query.len() + 1) {
            *r = (i as u8).min(self.max + 1);
        }
        State { row, prev: [self.max + 1; MAX_WORD + 1], last: 0 }
    }

    fn accept(&self, s: &State, byte: u8) -> Option<State> {
        let row = &s.row;
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
            let mut d = (row[i - 1] + cost).min(row[i] + 1).min(next[i - 1] + 1);
            // Transposition: query[i-2..i] is the last two bytes read, swapped.
            if i > 1 && row[0] > 0 && self.query[i - 1] == s.last && self.query[i - 2] == byte {
                d = d.min(s.prev[i - 2] + 1);
            }
            next[i] = d.min(cap);
            least = least.min(next[i]);
        }
        // A transposition can still lower the next row by reading one more
        // byte: its minimum must count the current row too.
        let reachable = least.min(row.iter().take(n + 1).copied().min().unwrap_or(cap));
        (reachable <= self.max).then_some(State { row: next, prev: *row, last: byte })
    }
}
