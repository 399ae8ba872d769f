//! Search as you type, and typos, as properties (issue 12).
//!
//! 1. Every beginning of three or more letters of an indexed word finds
//!    the documents that contain the word: as written, unaccented, in
//!    capitals and after an elision, on every word of the seeds and a
//!    sample of the medium corpus. The reference is computed from the
//!    corpus alone (which words each document holds, and their terms), not
//!    from the engine's dictionaries: a beginning may only miss a word when
//!    it has more than `MAX_PREFIX_EXPANSIONS` completions and the word's
//!    term is not among the most frequent of them.
//! 2. The typo automaton accepts exactly the words within the restricted
//!    Damerau–Levenshtein distance (first letter right), against a
//!    textbook full-matrix implementation, on random words; and a real
//!    dictionary walk returns every such word's term.
//! 3. The prefix walk (completion, a term's accent variants) streams
//!    exactly the keys that start with its bytes, in order, against a
//!    filter over the same keys.
//! 4. Completions and typo variants, terms, order and bounds, are exactly
//!    those a plain filter over the whole dictionary of words selects, on
//!    a synthetic vocabulary where the words of one term are far apart.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use recherche::analysis::{self, fold, Mode, TokenKind};
use recherche::corpus::{self, Document};
use recherche::engine::Engine;
use recherche::expand::{self, Expansion, MAX_PREFIX_EXPANSIONS, MAX_PREFIX_SCAN, MAX_TYPO_EXPANSIONS, MAX_TYPO_SCAN};
use recherche::index::norms::length_code;
use recherche::index::read::Index;
use recherche::index::surface_parts;
use recherche::index::write::Builder;
use recherche::options::SearchOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What the corpus holds, independently of the index: per folded word,
/// its term and the documents with it; per term, its document frequency.
struct Reference {
    words: BTreeMap<String, (String, BTreeSet<u32>, String)>,
    df: BTreeMap<String, usize>,
}

fn reference(docs: &[Document]) -> Reference {
    let mut words: BTreeMap<String, (String, BTreeSet<u32>, String)> = BTreeMap::new();
    let mut term_docs: BTreeMap<String, BTreeSet<u32>> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        let texts = std::iter::once(d.title.as_str()).chain(d.body.iter().map(String::as_str)).chain(d.captions.iter().map(String::as_str));
        for text in texts {
            analysis::analyze(text, 0, Mode::Index, |t| {
                if t.stop {
                    return;
                }
                term_docs.entry(t.term.clone()).or_default().insert(n as u32);
                if t.kind == TokenKind::Word {
                    let e = words.entry(t.folded.clone()).or_insert_with(|| (t.term.clone(), BTreeSet::new(), t.lower.clone()));
                    e.1.insert(n as u32);
                }
            });
        }
    }
    Reference { words, df: term_docs.into_iter().map(|(t, d)| (t, d.len())).collect() }
}

impl Reference {
    /// Whether the bound on completions may leave out `term` for the
    /// folded beginning `prefix`: more than the bound of terms complete it
    /// and `term` is not strictly among the most frequent, by document
    /// frequency as the index codes it (exact below 32, then within 1/32:
    /// two terms whose frequencies share a code tie).
    fn may_be_cut(&self, prefix: &str, term: &str) -> bool {
        let terms: BTreeSet<&str> = self.words.range(prefix.to_string()..).take_while(|(w, _)| w.starts_with(prefix)).map(|(_, (t, _, _))| t.as_str()).collect();
        if terms.len() <= MAX_PREFIX_EXPANSIONS {
            return false;
        }
        let coded = |t: &str| length_code(self.df[t] as u32);
        let mut dfs: Vec<u8> = terms.iter().map(|t| coded(t)).collect();
        dfs.sort_unstable_by(|a, b| b.cmp(a));
        coded(term) <= dfs[MAX_PREFIX_EXPANSIONS]
    }
}

/// Checks every beginning of the words in `sample` (folded words of the
/// reference) and returns the failures.
fn check_prefixes(engine: &Engine, r: &Reference, sample: &[&String]) -> (usize, Vec<String>) {
    let all = SearchOptions { limit: 1000, ..Default::default() };
    let mut checked = 0;
    let mut failures = Vec::new();
    for folded in sample {
        let (term, docs, lower) = &r.words[*folded];
        if !folded.chars().all(char::is_alphabetic) {
            continue;
        }
        let chars: Vec<char> = lower.chars().collect();
        for n in 3..=chars.len() {
            let typed: String = chars[..n].iter().collect();
            let typed_folded = fold(&typed);
            if r.may_be_cut(&typed_folded, term) {
                continue;
            }
            let mut variants = vec![typed.clone(), typed_folded.clone(), typed.to_uppercase()];
            if typed_folded.starts_with(['a', 'e', 'i', 'o', 'u', 'h']) {
                variants.push(format!("l’{typed}"));
            }
            for q in variants {
                checked += 1;
                let result = engine.search(&q, &all).unwrap();
                let found: BTreeSet<u32> = result.hits.iter().filter_map(|h| engine.index().doc_by_id(&h.id)).collect();
                let missing: Vec<&u32> = docs.difference(&found).collect();
                if !missing.is_empty() {
                    failures.push(format!("{q:?} (word {lower:?}): documents {missing:?} missing of {}", docs.len()));
                }
            }
        }
    }
    (checked, failures)
}

#[test]
fn every_beginning_of_every_seed_word_finds_its_documents() {
    let c = corpus::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")).unwrap();
    let r = reference(&c.documents);
    let engine = Engine::embedded().unwrap();
    assert_eq!(engine.index().doc_count() as usize, c.documents.len(), "the embedded index is the seeds'");
    let words: Vec<&String> = r.words.keys().collect();
    let (checked, failures) = check_prefixes(&engine, &r, &words);
    assert!(checked > 5_000, "{checked}");
    assert!(failures.is_empty(), "{} of {checked} failing:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
}

#[test]
fn every_beginning_of_a_sample_of_medium_words_finds_its_documents() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/medium.jsonl");
    let c = corpus::load(&path).unwrap_or_else(|e| panic!("the medium corpus is needed: {e}"));
    let r = reference(&c.documents);
    let mut b = Builder::new();
    for d in c.documents {
        b.add(d).unwrap();
    }
    let bytes = b.write(&b.counts()).unwrap().0;
    let engine = Engine::open(&bytes).unwrap();
    // A fixed sample: every 40th word in dictionary order.
    let words: Vec<&String> = r.words.keys().step_by(40).collect();
    let (checked, failures) = check_prefixes(&engine, &r, &words);
    assert!(checked > 2_000, "{checked}");
    assert!(failures.is_empty(), "{} of {checked} failing:\n{}", failures.len(), failures[..failures.len().min(30)].join("\n"));
}

/// The textbook restricted Damerau–Levenshtein distance (optimal string
/// alignment), with the whole matrix.
fn osa(a: &[u8], b: &[u8]) -> usize {
    let (n, m) = (a.len(), b.len());
    let mut d = vec![vec![0usize; m + 1]; n + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=n {
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[n][m]
}

/// Words over a small alphabet, so that near words are frequent.
fn word() -> impl Strategy<Value = String> {
    "[abcde]{1,9}"
}

/// A word and variants of it at one or two random edits (transpositions
/// included), so that the interesting distances are well covered.
fn near(w: String) -> impl Strategy<Value = String> {
    let n = w.len();
    (0..4u8, 0..=n, 0..5u8, 0..4u8, 0..=n).prop_map(move |(kind, at, letter, kind2, at2)| {
        let edit = |s: &str, kind: u8, at: usize| -> String {
            let mut b = s.as_bytes().to_vec();
            let at = at.min(b.len());
            let c = b"abcde"[letter as usize];
            match kind {
                0 if at < b.len() => b[at] = c,
                1 if at < b.len() => {
                    b.remove(at);
                }
                2 => b.insert(at, c),
                _ if at + 1 < b.len() => b.swap(at, at + 1),
                _ => {}
            }
            String::from_utf8(b).unwrap()
        };
        let once = edit(&w, kind, at);
        if kind2 % 2 == 0 {
            once
        } else {
            edit(&once, kind2, at2)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn the_typo_automaton_is_restricted_damerau_levenshtein(q in word(), w in word().prop_flat_map(near), max in 1u8..=2) {
        let expected = q.as_bytes()[0] == *w.as_bytes().first().unwrap_or(&0) && osa(q.as_bytes(), w.as_bytes()) <= max as usize;
        prop_assert_eq!(expand::typo_accepts(&q, &w, max), expected, "{} {} {} (distance {})", q, w, max, osa(q.as_bytes(), w.as_bytes()));
        prop_assert_eq!(expand::distance(q.as_bytes(), w.as_bytes()) as usize, osa(q.as_bytes(), w.as_bytes()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn a_dictionary_walk_finds_every_word_within_the_distance(words in prop::collection::btree_set(word(), 1..12), q in word(), max in 1u8..=2) {
        // Few words, so that the expansion bound (16 terms) is never reached.
        let mut b = Builder::new();
        for (i, w) in words.iter().enumerate() {
            b.add(Document { id: format!("d{i}"), title: String::new(), body: vec![w.clone()], ..Default::default() }).unwrap();
        }
        let bytes = b.write(&b.counts()).unwrap().0;
        let index = Index::open(&bytes).unwrap();
        let got: BTreeSet<String> = expand::typos(&index, &q, max, None).unwrap().into_iter().map(|e| e.term).collect();
        let expected: BTreeSet<String> = words
            .iter()
            .filter(|w| !analysis::is_stop_word(w) && *w != &q && w.as_bytes()[0] == q.as_bytes()[0] && osa(q.as_bytes(), w.as_bytes()) <= max as usize)
            .map(|w| analysis::stem_folded(w))
            .collect();
        // A word whose term is the query's own term counts as found.
        let own = analysis::stem_folded(&q);
        let expected: BTreeSet<String> = expected.into_iter().filter(|t| *t != own || got.contains(t)).collect();
        let got: BTreeSet<String> = got.into_iter().filter(|t| *t != own || expected.contains(t)).collect();
        prop_assert_eq!(got, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// The prefix walk (completion over SURFACES, a term's accent variants
    /// over VARIANTS) streams exactly the keys that start with its bytes,
    /// in order, against a filter over the same keys. Bytes are drawn from
    /// a small alphabet with the variant separator (1) and bytes at the
    /// ends of the range (0, 0xff), so that prefixes are often shared and
    /// a prefix may end in 0xff.
    #[test]
    fn the_prefix_walk_streams_exactly_the_keys_with_the_prefix(
        keys in prop::collection::btree_set(prop::collection::vec(prop::sample::select(vec![0u8, 1, b'a', b'b', 0xc3, 0xff]), 0..6), 0..40),
        prefix in prop::collection::vec(prop::sample::select(vec![0u8, 1, b'a', b'b', 0xc3, 0xff]), 0..4),
    ) {
        use fst::{IntoStreamer, Streamer};
        use recherche::index::walk::Walk;
        let map = fst::Map::from_iter(keys.iter().enumerate().map(|(i, k)| (k.clone(), i as u64))).unwrap();
        let walk = Walk::Prefix(&prefix);
        let mut stream = map.search(&walk).into_stream();
        let mut got = Vec::new();
        while let Some((k, v)) = stream.next() {
            got.push((k.to_vec(), v));
        }
        let expected: Vec<(Vec<u8>, u64)> = keys.iter().enumerate().filter(|(_, k)| k.starts_with(&prefix)).map(|(i, k)| (k.clone(), i as u64)).collect();
        prop_assert_eq!(got, expected);
    }
}

/// What `expand::prefix` (`typos` None) or `expand::typos` should give,
/// from a filter over every word of the dictionary: the words it takes
/// (those starting with `query`, or within the edits with the first
/// letter right, at most the scan bound of them), one entry per term
/// from its first word with the fewest edits, the best `keep` by
/// frequency (prefix) or by edits then frequency (typos), ties by offset.
fn expected_expansions(index: &Index, query: &str, typos: Option<u8>, except: Option<u64>) -> Vec<Expansion> {
    use fst::{IntoStreamer, Streamer};
    let whole = index.dictionary(b"a").unwrap();
    let mut stream = whole.surfaces.into_stream();
    let mut taken: Vec<(Vec<u8>, u64, u32, u8)> = Vec::new();
    let mut scanned = 0;
    let scan = if typos.is_some() { MAX_TYPO_SCAN } else { MAX_PREFIX_SCAN };
    while let Some((k, v)) = stream.next() {
        let edits = match typos {
            None if k.starts_with(query.as_bytes()) => 0,
            Some(max) if k.first() == query.as_bytes().first() && osa(query.as_bytes(), k) <= max as usize => osa(query.as_bytes(), k) as u8,
            _ => continue,
        };
        scanned += 1;
        if scanned > scan {
            break;
        }
        let (offset, df) = surface_parts(v);
        if Some(offset) == except || (typos.is_some() && k == query.as_bytes()) {
            continue;
        }
        match taken.iter_mut().find(|t| t.1 == offset) {
            Some(t) if edits < t.3 => *t = (k.to_vec(), offset, df, edits),
            Some(_) => {}
            None => taken.push((k.to_vec(), offset, df, edits)),
        }
    }
    let keep = if typos.is_some() { MAX_TYPO_EXPANSIONS } else { MAX_PREFIX_EXPANSIONS };
    taken.sort_by(|a, b| if typos.is_some() { a.3.cmp(&b.3) } else { std::cmp::Ordering::Equal }.then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
    taken.truncate(keep);
    taken.into_iter().map(|(w, offset, doc_freq, edits)| Expansion { term: analysis::stem_folded(std::str::from_utf8(&w).unwrap()), offset, doc_freq, edits }).collect()
}

/// Completions and typo variants are selected from every word they
/// walk, not only from words next to each other: on a vocabulary where
/// the words of one term are far apart in the dictionary (`bacors`,
/// `bacorse`... after `bacorafi`...) and terms far outnumber the bounds,
/// every beginning of one to four letters and every word with a typo
/// gives exactly the expansions of a plain filter over the dictionary.
#[test]
fn expansions_are_those_of_a_filter_over_the_whole_dictionary() {
    let mut seed = 7u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    let letters = b"abcilmnorstu";
    let mut stems: Vec<String> = Vec::new();
    for _ in 0..1500 {
        let len = 3 + next(5) as usize;
        let mut w = String::from(["b", "c", "m"][next(3) as usize]);
        for _ in 1..len {
            w.push(letters[next(letters.len() as u64) as usize] as char);
        }
        stems.push(w);
    }
    // Each document: words of random stems with random endings (one term,
    // many words, spread over the dictionary), so frequencies vary.
    let docs: Vec<Document> = (0..150)
        .map(|i| {
            let words: Vec<String> = (0..40).map(|_| format!("{}{}", stems[next(stems.len() as u64) as usize], ["", "s", "e", "es", "ement", "er"][next(6) as usize])).collect();
            Document { id: format!("d{i}"), title: String::new(), body: vec![words.join(" ")], ..Default::default() }
        })
        .collect();
    let mut b = Builder::new();
    for d in docs {
        b.add(d).unwrap();
    }
    let bytes = b.write(&b.counts()).unwrap().0;
    let index = Index::open(&bytes).unwrap();
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    for s in &stems {
        for n in 1..=4.min(s.len()) {
            prefixes.insert(s[..n].to_string());
        }
    }
    let mut full = 0;
    for p in &prefixes {
        let except = index.term(&analysis::stem_folded(p));
        for except in [None, except] {
            let got = expand::prefix(&index, p, except).unwrap();
            full += usize::from(got.len() == MAX_PREFIX_EXPANSIONS);
            assert_eq!(got, expected_expansions(&index, p, None, except), "prefix {p:?}");
        }
    }
    assert!(full > 50, "the bound is reached often: {full}");
    for (i, s) in stems.iter().enumerate().step_by(7) {
        // A typo: a letter after the first changed, dropped or doubled.
        let mut w = s.clone().into_bytes();
        let at = 1 + i % (w.len() - 1);
        match i % 3 {
            0 => w[at] = letters[i % letters.len()],
            1 => {
                w.remove(at);
            }
            _ => w.insert(at, w[at]),
        }
        let w = String::from_utf8(w).unwrap();
        for max in [1u8, 2] {
            let except = index.term(&analysis::stem_folded(&w));
            assert_eq!(expand::typos(&index, &w, max, except).unwrap(), expected_expansions(&index, &w, Some(max), except), "typos of {w:?} within {max}");
        }
    }
}
