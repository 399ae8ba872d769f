//! Arbitrary bytes as an index. The input is laid over a copy of the real
//! index (so mutations land inside real structure), then opened both with
//! and without the checksum; whatever opens is read in full, dictionaries
//! included (the fst check makes them safe to walk even unverified).
//! Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recherche::engine::EMBEDDED_INDEX;
use recherche::expand;
use recherche::index::read::Index;
use recherche::index::Section;

fn read_all(index: &Index) {
    for d in 0..index.doc_count() {
        let _ = index.stored(d);
    }
    // Postings read from arbitrary offsets: our decoder must hold anywhere.
    let n = index.section_sizes()[Section::Postings as usize];
    for off in (0..n).step_by(61) {
        if let Ok(mut p) = index.postings_with_positions(off as u64) {
            while let Ok(Some(_)) = p.next_entry() {}
        }
    }
}

/// Every dictionary operation the engine performs: a full stream of the
/// terms (with the postings of each), lookups, the accented-variant range
/// and lookup, prefix and typo expansion, the id lookup.
fn walk_dictionaries(index: &Index) {
    let Some(dict) = index.dictionary(b"o") else { return };
    for offset in dict.terms.stream().into_values() {
        if let Ok(mut p) = index.postings(offset) {
            while let Ok(Some(_)) = p.next_entry() {}
        }
    }
    for word in ["otan", "washington", "stoltenberg", "securit", "sommet", "", "\u{ff}"] {
        let _ = index.term(word);
        let _ = index.accented_counts(word, None, &mut |_, _| {});
        let _ = index.accented_counts(word, Some("sécurité"), &mut |_, _| {});
        let _ = expand::prefix(index, word, index.term(word));
        let _ = expand::prefix(index, word.get(..3).unwrap_or(word), None);
        let _ = expand::typos(index, word, 1, None);
        let _ = expand::typos(index, word, 2, index.term(word));
    }
    let _ = index.doc_by_id("000_1b5536374200d0e3");
}

fuzz_target!(|data: &[u8]| {
    // Raw bytes as they are.
    if let Ok(i) = Index::open(data) {
        read_all(&i);
        walk_dictionaries(&i);
    }
    // The same bytes written over the real index at an offset chosen by
    // the first two bytes, then truncated by the next two.
    if data.len() > 4 {
        let at = u16::from_le_bytes([data[0], data[1]]) as usize % EMBEDDED_INDEX.len();
        let keep = EMBEDDED_INDEX.len() - (u16::from_le_bytes([data[2], data[3]]) as usize % 64);
        let mut bytes = EMBEDDED_INDEX.to_vec();
        for (i, b) in data[4..].iter().enumerate() {
            if let Some(slot) = bytes.get_mut(at + i) {
                *slot = *b;
            }
        }
        bytes.truncate(keep);
        if let Ok(i) = Index::open(&bytes) {
            read_all(&i);
            walk_dictionaries(&i);
        }
        if let Ok(i) = Index::open_unverified(&bytes) {
            read_all(&i);
            walk_dictionaries(&i);
        }
    }
});
