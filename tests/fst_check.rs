//! `fst_check::check` against fst itself: real maps from `fst::MapBuilder`,
//! then damaged (byte flips, garbage, truncations). The check must accept
//! every undamaged map, and whenever it accepts bytes, every traversal the
//! engine uses must run without a panic and agree with a full stream of
//! the same map (so a damaged map that passes is at least self-consistent).
#![cfg(not(target_arch = "wasm32"))]

use fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};
use proptest::prelude::*;
use recherche::index::fst_check::check;
use recherche::index::walk::{Walk, MAX_WORD};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

type Keys = BTreeMap<Vec<u8>, u64>;

fn build(keys: &Keys) -> Vec<u8> {
    let mut b = MapBuilder::memory();
    for (k, v) in keys {
        b.insert(k, *v).unwrap();
    }
    b.into_inner().unwrap()
}

/// Whether automaton `a` accepts all of `key`.
fn accepts<A: Automaton>(a: A, key: &[u8]) -> bool {
    let mut s = a.start();
    for &b in key {
        if !a.can_match(&s) {
            return false;
        }
        s = a.accept(&s, b);
    }
    a.is_match(&s)
}

fn collect<'f, S: for<'a> Streamer<'a, Item = (&'a [u8], u64)>>(mut s: S, limit: usize) -> Vec<(Vec<u8>, u64)> {
    let mut out = Vec::new();
    while let Some((k, v)) = s.next() {
        out.push((k.to_vec(), v));
        assert!(out.len() <= limit, "stream longer than the key count");
    }
    out
}

/// Every traversal the engine performs, on bytes `check` accepted: `get`
/// of every original key, a full stream, and the engine's prefix and typo
/// walks ([`Walk`]) from `words` original keys (spread over them) and a few
/// others. Returns the full stream. Panics (caught by the caller) on any
/// disagreement with the full stream.
fn traverse(bytes: &[u8], probes: &Keys, words: usize) -> Vec<(Vec<u8>, u64)> {
    let map = Map::new(bytes).expect("check accepted what fst::Map::new refuses");
    let all = collect(map.stream(), map.len());
    assert_eq!(all.len(), map.len(), "key count");
    assert!(all.windows(2).all(|w| w[0].0 < w[1].0), "stream out of order");
    for (k, v) in &all {
        assert_eq!(map.get(k), Some(*v), "get disagrees with the stream");
    }
    let filter = |f: &dyn Fn(&[u8]) -> bool| all.iter().filter(|(k, _)| f(k)).cloned().collect::<Vec<_>>();
    let step = probes.len() / words.max(1) + 1;
    let mut words: Vec<&[u8]> = probes.keys().map(Vec::as_slice).step_by(step).collect();
    words.extend([&b""[..], b"a", b"zz", b"\xff"]);
    for w in &words {
        let _ = map.get(w);
        // Everything starting with `w`, as a term's accent variants are
        // read (`term␁`), then shorter prefixes, as completion reads them.
        for cut in [1, 2, w.len()] {
            let prefix = &w[..cut.min(w.len())];
            let found = collect(map.search(&Walk::Prefix(prefix)).into_stream(), all.len());
            assert_eq!(found, filter(&|k| k.starts_with(prefix)), "prefix");
        }
        // The engine's typo walk; it never takes words longer than MAX_WORD.
        for max in [1, 2] {
            if w.len() > MAX_WORD {
                continue;
            }
            let walk = Walk::typos(w, max);
            let found = collect(map.search(&walk).into_stream(), all.len());
            assert_eq!(found, filter(&|k| accepts(&walk, k)), "typos");
        }
    }
    for k in probes.keys() {
        let _ = map.get(k);
    }
    all
}

/// Checks `bytes`; if accepted, traverses them. A panic fails the test
/// with `what`. Returns whether `check` accepted.
fn probe(bytes: &[u8], probes: &Keys, words: usize, what: &str) -> bool {
    if check(bytes).is_err() {
        return false;
    }
    if let Err(e) = catch_unwind(AssertUnwindSafe(|| traverse(bytes, probes, words))) {
        let msg = e.downcast_ref::<String>().cloned().or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()));
        panic!("{what}: accepted, then {}", msg.unwrap_or_default());
    }
    true
}

/// Keys of varied length and bytes, values of every byte width, and
/// optionally one node with 33..=256 children (fst indexes nodes with
/// more than 32; 256 is written as a count byte of 1).
fn keys() -> impl Strategy<Value = Keys> {
    let byte = prop_oneof![4 => b'a'..=b'e', 2 => any::<u8>(), 1 => Just(0u8), 1 => Just(0xffu8)];
    let key = prop::collection::vec(byte, 0..10);
    let value = prop_oneof![Just(0u64), 0..256u64, any::<u32>().prop_map(u64::from), any::<u64>(), Just(u64::MAX)];
    let wide = prop::option::of((prop::collection::vec(any::<u8>(), 0..3), 33..=256usize, any::<u64>()));
    (prop::collection::btree_map(key, value, 0..120), wide).prop_map(|(mut keys, wide)| {
        if let Some((prefix, n, v)) = wide {
            for i in 0..n {
                let mut k = prefix.clone();
                k.push((i * 256 / n) as u8);
                keys.insert(k, v.wrapping_add(i as u64));
            }
        }
        keys
    })
}

#[derive(Debug, Clone)]
enum Damage {
    Flip(usize, u8),
    Garbage(usize, Vec<u8>),
    Truncate(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        4 => (any::<usize>(), 1..=255u8).prop_map(|(at, x)| Damage::Flip(at, x)),
        2 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..12)).prop_map(|(at, g)| Damage::Garbage(at, g)),
        1 => any::<usize>().prop_map(Damage::Truncate),
    ]
}

fn apply(bytes: &mut Vec<u8>, d: &Damage) {
    if bytes.is_empty() {
        return;
    }
    let n = bytes.len();
    match d {
        Damage::Flip(at, x) => bytes[at % n] ^= x,
        Damage::Garbage(at, g) => {
            for (i, b) in g.iter().enumerate() {
                if let Some(slot) = bytes.get_mut(at % n + i) {
                    *slot = *b;
                }
            }
        }
        Damage::Truncate(at) => bytes.truncate(at % n),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn undamaged_maps_pass_and_stream_their_keys(keys in keys()) {
        let bytes = build(&keys);
        prop_assert_eq!(check(&bytes), Ok(()));
        let all = traverse(&bytes, &keys, 24);
        prop_assert_eq!(all, keys.into_iter().collect::<Vec<_>>());
    }

    #[test]
    fn damaged_maps_never_panic_once_accepted(keys in keys(), damages in prop::collection::vec(damage(), 1..4)) {
        let mut bytes = build(&keys);
        for d in &damages {
            apply(&mut bytes, d);
        }
        probe(&bytes, &keys, 24, &format!("{damages:?}"));
    }
}

/// Fixed maps with every node kind: one-transition nodes with and without
/// outputs, common and rare input bytes, final nodes with outputs, nodes
/// with 2..=32 children, indexed nodes with 40 and 256 children.
fn fixed_maps() -> Vec<Keys> {
    let mut a = Keys::new();
    for (i, w) in ["", "a", "ab", "abc", "abd", "b", "otan", "otans", "stoltenberg", "washington", "x\u{e9}", "\x00", "\x7f\u{ff}"].iter().enumerate() {
        a.insert(w.as_bytes().to_vec(), (i as u64) << (i * 5 % 64));
    }
    let mut b = Keys::new();
    for i in 0..256u64 {
        b.insert(vec![b'k', i as u8], i);
    }
    for i in 0..40u64 {
        b.insert(vec![b'm', (i * 6) as u8, b'q'], u64::MAX - (i << 20));
    }
    vec![a, b]
}

#[test]
fn every_single_byte_flip_and_truncation_of_fixed_maps() {
    for keys in fixed_maps() {
        let bytes = build(&keys);
        assert_eq!(check(&bytes), Ok(()));
        let (mut accepted, mut total) = (0, 0);
        for at in 0..bytes.len() {
            for x in [0x01, 0x10, 0x80, 0xff, 0x55] {
                let mut damaged = bytes.clone();
                damaged[at] ^= x;
                total += 1;
                accepted += probe(&damaged, &keys, 4, &format!("flip {x:#x} at {at} of {}", bytes.len())) as usize;
            }
        }
        for len in 0..bytes.len() {
            assert!(!probe(&bytes[..len], &keys, 4, &format!("truncation to {len}")), "truncation to {len} accepted");
        }
        // What passes: the CRC32C trailer, the map type, outputs and
        // one-transition inputs changed in place.
        eprintln!("{} bytes, {accepted} of {total} flips accepted", bytes.len());
        assert!(accepted < total);
    }
}

#[test]
fn header_and_footer_damage_is_rejected() {
    let bytes = build(&fixed_maps()[0]);
    let n = bytes.len();
    let with = |at: usize, v: &[u8]| {
        let mut b = bytes.clone();
        b[at..at + v.len()].copy_from_slice(v);
        check(&b).map_err(|e| e.0)
    };
    assert_eq!(with(0, &2u64.to_le_bytes()), Err("bad header".into()));
    assert_eq!(with(n - 12, &(n as u64 - 22).to_le_bytes()), Err("bad footer".into()));
    assert_eq!(with(n - 12, &u64::MAX.to_le_bytes()), Err("bad footer".into()));
    assert_eq!(with(n - 12, &0u64.to_le_bytes()), Err("bad footer".into()));
    assert_eq!(with(n - 20, &u64::MAX.to_le_bytes()).unwrap_err(), if cfg!(target_pointer_width = "64") { "wrong key count" } else { "bad footer" });
    assert_eq!(with(n - 20, &(fixed_maps()[0].len() as u64 + 1).to_le_bytes()), Err("wrong key count".into()));
    // The CRC32C trailer is fst's business (its 16 KB table stays out).
    assert_eq!(with(n - 4, &[0, 0, 0, 0]), Ok(()));
}

#[test]
fn smallest_maps() {
    for keys in [vec![], vec![(vec![], 0)], vec![(vec![], 7)], vec![(vec![0], 0)], vec![(vec![0xff; 3], u64::MAX)]] {
        let keys: Keys = keys.into_iter().collect();
        let bytes = build(&keys);
        assert_eq!(check(&bytes), Ok(()), "{keys:?}");
        assert_eq!(traverse(&bytes, &keys, 24), keys.into_iter().collect::<Vec<_>>());
    }
    assert!(check(&[]).is_err());
    assert!(check(&[3, 0, 0, 0, 0, 0, 0, 0]).is_err());
}

/// A hand-made map: version 3, type 0, `nodes` (the root last), the key
/// count, the root address, a zero CRC32C (unchecked).
fn assemble(nodes: &[u8], keys: u64) -> Vec<u8> {
    let mut b = [3u64.to_le_bytes(), 0u64.to_le_bytes()].concat();
    b.extend(nodes);
    b.extend(keys.to_le_bytes());
    b.extend((b.len() as u64 - 9).to_le_bytes());
    b.extend([0; 4]);
    b
}

/// `a` → `root + last`, two 8-byte outputs. fst adds them with `+`: past
/// `u64::MAX`, a panic in this debug build (it wraps in release).
fn two_outputs(root: u64, last: u64) -> Vec<u8> {
    // 16..=26: final node, no transitions: final output, pack (o = 8), count 0, state 01_000000.
    let mut nodes = last.to_le_bytes().to_vec();
    nodes.extend([0x08, 0, 0b0100_0000]);
    // 27..=38: one transition: output, delta 27 - 26, pack (t = 1, o = 8), input, state 10_000000.
    nodes.extend(root.to_le_bytes());
    nodes.extend([1, 0x18, b'a', 0b1000_0000]);
    assemble(&nodes, 1)
}

#[test]
fn output_overflow_is_rejected() {
    let keys: Keys = [(b"a".to_vec(), 0)].into_iter().collect();
    let fine = two_outputs(u64::MAX - 5, 5);
    assert_eq!(check(&fine), Ok(()));
    assert_eq!(traverse(&fine, &keys, 1), vec![(b"a".to_vec(), u64::MAX)]);
    let over = two_outputs(u64::MAX - 5, 6);
    assert_eq!(check(&over).map_err(|e| e.0), Err("bad transition".into()));
    if cfg!(debug_assertions) {
        // What the check prevents.
        assert!(catch_unwind(|| Map::new(&over[..]).unwrap().get("a")).is_err());
    }
}

/// A state that leads to no key (`b` below), the key count still right:
/// refused, since chains of such states would let a stream walk
/// exponentially many dead paths.
#[test]
fn dead_ends_are_rejected() {
    // 16..=18: no transitions, final or not; 19..=24: root, `a` → address 0
    // (the empty final state), `b` → 18: deltas 1 then 0, inputs `b` `a`,
    // pack (t = 1), state 00_000010.
    let map = |last_state: u8, keys| assemble(&[0, 0, last_state, 1, 0, b'b', b'a', 0x10, 0b10], keys);
    let ok = map(0b0100_0000, 2);
    assert_eq!(check(&ok), Ok(()));
    assert_eq!(traverse(&ok, &Keys::new(), 0), vec![(b"a".to_vec(), 0), (b"b".to_vec(), 0)]);
    assert_eq!(check(&map(0, 1)).map_err(|e| e.0), Err("a state leads to no key".into()));
}

/// A root node whose layout reaches back into the fst header (its first
/// byte would be 13): refused before any byte of it is trusted.
#[test]
fn nodes_never_overlap_the_header() {
    // Outputs at 13..=14, deltas at 15..=22 (t = 4), inputs `b` `a`, pack
    // (t = 4, o = 1), state 00_000010 (two transitions).
    let mut nodes = vec![0; 7];
    nodes.extend([b'b', b'a', 0x41, 0b10]);
    assert_eq!(check(&assemble(&nodes, 2)).map_err(|e| e.0), Err("bad node".into()));
}
