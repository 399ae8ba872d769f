//! Validating the bytes of an `fst::Map` (fst 0.4) before `fst` reads them.
//!
//! `fst::Map::new` checks little more than the version: its traversals
//! then trust every byte, and a corrupt dictionary makes them panic (an
//! out-of-range slice, an underflowing subtraction, an assertion) or, in
//! a debug build, overflow. The index checksum catches accidental damage,
//! but [`Index::open_unverified`](super::read::Index::open_unverified)
//! skips it and a recomputed checksum defeats it. [`check`] decodes every
//! node as `fst` 0.4 does (`src/raw/node.rs`, `src/raw/mod.rs`), with
//! bounds checks: if it accepts the bytes, `Map::get`, range and full
//! streams and automaton searches (the engine's are `get` and the walks
//! of [`super::walk`]) cannot panic, read out of bounds or run
//! forever. It takes time and memory linear in the size of the map (plus
//! a binary search per transition), and runs once per dictionary when
//! the index opens.
//!
//! # Layout
//!
//! ```text
//!  0            8          16                               len-20       len-12         len-4
//!  │ version u64 │ type u64 │ node node … node root-node    │ keys u64   │ root addr u64 │ CRC32C u32 │
//! ```
//!
//! Nodes are written bottom-up, children first, one after the other with
//! nothing between them; the root is written last. A node's address is
//! its **last** byte (its state byte) and it is decoded leftwards from
//! there. Address 0 means the empty final state (no transitions, output
//! 0), which is never written: a map holding only the empty key with
//! output 0 is 36 bytes with root address 0. All integers are
//! little-endian; `o` and `t` are byte sizes given by the pack byte (high
//! nibble `t`, low nibble `o`).
//!
//! ```text
//!  one transition, to the previous node, output 0       state 11iiiiii
//!      [input] state
//!  one transition                                       state 10iiiiii
//!      [output: o] delta: t │ pack │ [input] state
//!  any number n of transitions, final if f = 1          state 0fnnnnnn
//!      [final output: o] outputs: n × o │ deltas: n × t │ inputs: n │
//!      [index: 256 if n > 32] │ pack │ [n] state
//! ```
//!
//! `[input]` is there only when `i` = 0 (otherwise `i` names a common
//! byte); `[n]` only when `n` = 0 in the state, and then 1 stands for 256.
//! Inputs, deltas and outputs are stored last transition first. A
//! transition leads to the node at address `first byte of this node -
//! delta` (address 0 if the delta is 0). The index maps an input byte to
//! its transition number; numbers ≥ n mean no transition.
//!
//! # How
//!
//! The check walks leftwards from the root: each node must end right
//! before the next one starts, down to the header (the builder writes
//! nodes back to back, and every node it writes is reachable). The walk
//! lists every node address in order, which serves as the set of visited
//! nodes: a transition's target must be one of them (a binary search),
//! and a second pass from the first node up computes, children first,
//! each node's largest output sum and key count, without recursion.
//!
//! # Checks, and what each prevents
//!
//! - version 3, root address `len - 21` (or 0 in a 36-byte map), key count
//!   fits a `usize`: `Fst::new` checks nothing of the root address (its
//!   size check only applies to address 0) and converts both with
//!   `u64_to_usize`, which panics above `u32::MAX` on wasm32. Version 3
//!   is the only one fst 0.4 writes; accepting only it fixes where the
//!   transition index is (version 1 has none).
//! - every node lies between the header and its address: `Node::new`
//!   slices `data[..addr + 1]` and finds the node's first byte by
//!   subtractions, which underflow or slice out of range otherwise (the
//!   `node.rs:645 range start index out of range` panic). The walk needs
//!   it too, to step from one node to the next.
//! - sizes `t` and `o` at most 8, and `t` at least 1 when there are
//!   transitions: `unpack_uint` asserts `1 <= size <= 8`.
//! - every delta at most the node's first byte: `unpack_delta` subtracts
//!   it from that (underflow), after `u64_to_usize` (wasm32 panic).
//! - every transition leads to address 0 or to a node the walk found
//!   before the transition's own: no bytes are decoded as a node that are
//!   not one; every path strictly decreases addresses, so traversals end;
//!   the root is never a child, as the stream's `inp.pop().unwrap()`
//!   assumes.
//! - the largest sum of outputs along any path (final output included)
//!   fits a `u64`: `Output::cat` adds with `+`, a panic in debug builds
//!   (it wraps in release). Partial sums are smaller, so none overflows.
//! - every node but the root leads to a key, and the root to as many keys
//!   as the footer says: a stream then only visits prefixes of keys, so
//!   its work is bounded by keys × length (the engine's prefix scan stops
//!   after a few thousand keys). Without this, a chain of nodes with two
//!   transitions each to the next, ending nowhere, would make a stream
//!   walk exponentially many dead paths. A map whose footer and nodes
//!   agree on a huge key count cannot be told from a large valid one.
//!
//! Two checks are not needed for safety; they reject corruption that
//! would answer wrongly (a valid map passes them):
//!
//! - inputs strictly increasing: streams return keys in input order and
//!   end a range at the first key past its bound;
//! - the index agrees with the inputs, both ways: `get` would otherwise
//!   follow a transition for another byte.

use super::{corrupt, IndexError};

/// Bytes before the first node: format version and map type, u64 each.
const HEAD: usize = 16;

/// Bytes after the root node: key count u64, root address u64, CRC32C u32.
const FOOT: usize = 20;

/// The fst format version accepted (the one fst 0.4 writes).
const VERSION: u64 = 3;

/// Nodes with more transitions than this have the 256-byte index
/// (fst's `TRANS_INDEX_THRESHOLD`).
const INDEXED: usize = 32;

/// The error for a transition to no node, or whose outputs overflow.
const BAD_TRANSITION: &str = "bad transition";

/// Little-endian integer of `n` ≤ 8 bytes at `at` (fst's `unpack_uint`;
/// 0 when `n` is 0).
fn uint(b: &[u8], at: usize, n: usize) -> u64 {
    b[at..at + n].iter().rev().fold(0, |v, &x| v << 8 | x as u64)
}

/// One decoded node, all of it within `[end, address]`.
struct Node {
    /// First byte.
    end: usize,
    /// Where the transitions' deltas end (inputs or pack byte come next).
    at: usize,
    /// Number of transitions.
    n: usize,
    /// Bytes per delta and per output.
    t: usize,
    o: usize,
    /// One-transition node whose child is the node just before it.
    next: bool,
    final_output: Option<u64>,
}

impl Node {
    /// Decodes the node at `a` (`HEAD <= a < b.len()`), checking its
    /// layout, its inputs' order and its index.
    fn new(b: &[u8], a: usize) -> Result<Node, &'static str> {
        let bad = "bad node";
        let v = b[a];
        let any = v < 0b1000_0000;
        let next = v >= 0b1100_0000;
        let fin = v & 0b1100_0000 == 0b0100_0000;
        // The byte before the state holds an input or a count.
        let extra = usize::from(v & 0b0011_1111 == 0);
        let n = match (any, extra) {
            (false, _) => 1,
            (true, 0) => (v & 0b0011_1111) as usize,
            (true, _) => match b[a - 1] {
                1 => 256,
                c => c as usize,
            },
        };
        let pack = usize::from(!next);
        let p = if next { 0 } else { b[a - extra - 1] as usize };
        let (t, o) = (p >> 4, p & 15);
        if t > 8 || o > 8 || (t == 0 && n > 0 && !next) {
            return Err(bad);
        }
        let (inputs, index) = if any { (n, if n > INDEXED { 256 } else { 0 }) } else { (0, 0) };
        let at = a.checked_sub(extra + pack + index + inputs).ok_or(bad)?;
        let end = at.checked_sub(n * (t + o) + if fin { o } else { 0 }).filter(|&e| e >= HEAD).ok_or(bad)?;
        if any {
            // Inputs, last first: strictly decreasing in memory.
            let inp = &b[at..at + n];
            if inp.windows(2).any(|w| w[0] <= w[1]) {
                return Err(bad);
            }
            if index > 0 {
                // Entries below n, each naming the transition of its byte.
                let mut found = 0;
                for (byte, &i) in b[at + n..at + n + 256].iter().enumerate() {
                    if (i as usize) < n {
                        if inp[n - 1 - i as usize] as usize != byte {
                            return Err(bad);
                        }
                        found += 1;
                    }
                }
                if found != n {
                    return Err(bad);
                }
            }
        }
        Ok(Node { end, at, n, t, o, next, final_output: fin.then(|| uint(b, end, o)) })
    }

    /// Output and target address of transition `i`.
    fn transition(&self, b: &[u8], i: usize) -> Result<(u64, usize), &'static str> {
        if self.next {
            return Ok((0, self.end - 1));
        }
        let delta = uint(b, self.at - (i + 1) * self.t, self.t);
        let out = uint(b, self.at - self.n * self.t - (i + 1) * self.o, self.o);
        let addr = match delta {
            0 => 0,
            d => (self.end as u64).checked_sub(d).ok_or(BAD_TRANSITION)? as usize,
        };
        Ok((out, addr))
    }
}

/// Checks that `b` is a well-formed fst 0.4 map (see the module
/// documentation), before `fst::Map::new` reads it.
pub fn check(b: &[u8]) -> Result<(), IndexError> {
    walk(b).map_err(corrupt)
}

/// [`check`], with its errors as static strings (no allocation until one
/// is returned).
fn walk(b: &[u8]) -> Result<(), &'static str> {
    let len = b.len();
    if len < HEAD + FOOT || uint(b, 0, 8) != VERSION {
        return Err("bad header");
    }
    let keys = uint(b, len - FOOT, 8);
    let root = uint(b, len - 12, 8);
    let last = len - FOOT - 1;
    let footer_ok = usize::try_from(keys).is_ok() && if root == 0 { len == HEAD + FOOT } else { root == last as u64 && last >= HEAD };
    if !footer_ok {
        return Err("bad footer");
    }
    // Node addresses from the root down (each node ends where the one
    // before it starts), each with, once computed, the largest output sum
    // from it down to a key and the number of keys below it.
    let mut nodes: Vec<(usize, u64, u64)> = Vec::new();
    let mut a = last;
    if root != 0 {
        loop {
            nodes.push((a, 0, 0));
            match Node::new(b, a)?.end {
                HEAD => break,
                end => a = end - 1,
            }
        }
    }
    // Children (later in `nodes`) first. Address 0: an empty key, output 0.
    for k in (0..nodes.len()).rev() {
        let node = Node::new(b, nodes[k].0)?;
        let (mut most, mut count) = (node.final_output.unwrap_or(0), u64::from(node.final_output.is_some()));
        for i in 0..node.n {
            let (out, to) = node.transition(b, i)?;
            let (m, c) = match to {
                0 => (0, 1),
                _ => {
                    let lower = &nodes[k + 1..];
                    let j = lower.binary_search_by(|x| to.cmp(&x.0)).map_err(|_| BAD_TRANSITION)?;
                    (lower[j].1, lower[j].2)
                }
            };
            most = most.max(out.checked_add(m).ok_or(BAD_TRANSITION)?);
            count = count.checked_add(c).ok_or(BAD_TRANSITION)?;
        }
        if count == 0 && k > 0 {
            return Err("a state leads to no key");
        }
        nodes[k] = (nodes[k].0, most, count);
    }
    if nodes.first().map_or(1, |n| n.2) != keys {
        return Err("wrong key count");
    }
    Ok(())
}
