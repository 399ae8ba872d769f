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
//!   its state keeps the band of the last two rows within
//!   [`MAX_EDITS`] of the diagonal (cells beyond are over any budget),
//!   and the last byte. As in most
//!   spelling correctors the first byte must be right, which prunes all
//!   but one branch at the root of the dictionary.

use fst::Automaton;

/// Longest query word the typo automaton takes, in bytes (terms are at
/// most [`crate::analysis::MAX_TERM_BYTES`]).
pub const MAX_WORD: usize = crate::analysis::MAX_TERM_BYTES;

/// Most edits the typo automaton counts; a larger budget counts as this.
pub const MAX_EDITS: u8 = 2;

/// Half the band's width: the cells of the edit-distance table the
/// automaton keeps are those at most this far from the diagonal.
const BAND: isize = MAX_EDITS as isize;

/// Cells of a row the automaton keeps.
const WIDTH: usize = 2 * MAX_EDITS as usize + 1;

/// The typo automaton's state: the band of the rows for the last two
/// bytes read, and the last byte (for transpositions).
///
/// Cell `i` of the table's row `j` (`i` bytes of the query, `j` of the
/// key) is at least `|i − j|`, since each byte one has more is an edit.
/// So every cell farther than [`MAX_EDITS`] from the diagonal is over
/// any budget, and a row is kept as the `WIDTH` cells `i = j − BAND …
/// j + BAND`: `row[d]` is cell `i = j + d − BAND`, capped at `max + 1`,
/// and a cell outside the table (`i < 0` or `i > n`) is `max + 1` too.
/// Walking a dictionary copies a state per byte, so it is 13 bytes
/// rather than two rows of the whole query.
#[derive(Clone)]
pub struct State {
    /// Bytes of the key read.
    read: u32,
    row: [u8; WIDTH],
    prev: [u8; WIDTH],
    last: u8,
}

/// A restricted Damerau–Levenshtein automaton over bytes. Its state is
/// two fixed bands of rows of the dynamic-programming table: walking the
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
    /// first byte equal; `max` is at most [`MAX_EDITS`] (above, it counts
    /// as that).
    pub fn typos(query: &'q [u8], max: u8) -> Walk<'q> {
        debug_assert!(query.len() <= MAX_WORD);
        Walk::Typos(Damerau { query, max: max.min(MAX_EDITS) })
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
            (Walk::Typos(d), Some(Step::Typos(s))) => s.read > 0 && d.cell(s, d.query.len()) <= d.max,
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
    /// Cell `i` of the state's current row.
    fn cell(&self, s: &State, i: usize) -> u8 {
        let d = i as isize - s.read as isize + BAND;
        if (0..WIDTH as isize).contains(&d) {
            s.row[d as usize]
        } else {
            self.max + 1
        }
    }

    fn start(&self) -> State {
        let cap = self.max + 1;
        let mut row = [cap; WIDTH];
        // Row 0: cell i is i (the query's first i bytes, deleted).
        for (d, r) in row.iter_mut().enumerate() {
            let i = d as isize - BAND;
            if (0..=self.query.len() as isize).contains(&i) {
                *r = (i as u8).min(cap);
            }
        }
        State { read: 0, row, prev: [cap; WIDTH], last: 0 }
    }

    fn accept(&self, s: &State, byte: u8) -> Option<State> {
        // At the root, the first byte must match.
        if s.read == 0 && self.query.first() != Some(&byte) {
            return None;
        }
        let n = self.query.len() as isize;
        let cap = self.max + 1;
        let read = s.read.saturating_add(1);
        // Row `read`: cell i = read + d − BAND. In the rows before, the
        // same i − 1 is at d (one row up, one byte of the query less), i
        // at d + 1, and, for a transposition, i − 2 two rows up at d.
        let mut next = [cap; WIDTH];
        let mut least = cap;
        for d in 0..WIDTH {
            let i = read as isize + d as isize - BAND;
            if i < 0 || i > n {
                continue;
            }
            let i = i as usize;
            let v = if i == 0 {
                read.min(cap as u32) as u8
            } else {
                let cost = u8::from(self.query[i - 1] != byte);
                let up = if d + 1 < WIDTH { s.row[d + 1] } else { cap };
                let left = if d > 0 { next[d - 1] } else { cap };
                let mut v = (s.row[d] + cost).min(up + 1).min(left + 1);
                // Transposition: query[i-2..i] is the last two bytes read, swapped.
                if i > 1 && s.read > 0 && self.query[i - 1] == s.last && self.query[i - 2] == byte {
                    v = v.min(s.prev[d] + 1);
                }
                v.min(cap)
            };
            next[d] = v;
            least = least.min(v);
        }
        // A transposition can still lower the next row by reading one more
        // byte: its minimum must count the current row too.
        let reachable = s.row.iter().fold(least, |m, &v| m.min(v));
        (reachable <= self.max).then_some(State { read, row: next, prev: s.row, last: byte })
    }
}
