//! A corrupt or truncated index is a clear error, never a panic or an
//! out-of-bounds read: truncated and bit-flipped copies of the real index,
//! opened with and without the checksum, and copies whose checksum was
//! recomputed after a flip in a dictionary.
#![cfg(not(target_arch = "wasm32"))]

use recherche::engine::{Engine, EMBEDDED_INDEX};
use recherche::index::read::Index;
use recherche::index::{fnv1a, Section, CHECKSUMMED, FNV_OFFSET, HEADER_LEN, SECTIONS};
use recherche::options::SearchOptions;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Searches that use every dictionary: exact terms and their accented
/// variants, prefixes, typos, a phrase, an exclusion.
const QUERIES: [&str; 5] = ["otan", "Washing", "Stoltenbreg", "\"sommet de Washington\"", "securite -trump"];

/// Runs [`QUERIES`], a filter and a document lookup (the ids dictionary);
/// their errors do not matter, only that they return.
fn search_all(engine: &Engine) {
    for q in QUERIES {
        let _ = engine.search(q, &SearchOptions::default());
    }
    let _ = engine.filter(&SearchOptions::default());
    let _ = engine.document("000_1b5536374200d0e3");
}

/// Opens `bytes` (checking the checksum unless `unverified`) and, if that
/// works, uses every part of it, searches included: whatever opens, even
/// unverified, is safe to search. Returns the open error, if any. Panics
/// are caught and reported with `what`.
fn exercise(bytes: &[u8], unverified: bool, what: &str) -> Option<String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let index = if unverified { Index::open_unverified(bytes) } else { Index::open(bytes) };
        let index = match index {
            Ok(i) => i,
            Err(e) => return Some(e.to_string()),
        };
        for d in 0..index.doc_count() {
            let _ = index.stored(d);
        }
        // Postings from arbitrary offsets: the decoder must hold anywhere.
        for off in (0..index.section_sizes()[Section::Postings as usize]).step_by(13) {
            if let Ok(mut p) = index.postings_with_positions(off as u64) {
                while let Ok(Some(_)) = p.next_entry() {}
            }
        }
        let engine = if unverified { Engine::open_unverified(bytes) } else { Engine::open(bytes) };
        search_all(&engine.expect("the index opened, the engine must too"));
        None
    }));
    result.unwrap_or_else(|_| panic!("panic on {what}"))
}

fn section_range(s: Section) -> std::ops::Range<usize> {
    let at = HEADER_LEN + s as usize * 8;
    let word = |o: usize| u32::from_le_bytes(EMBEDDED_INDEX[o..o + 4].try_into().unwrap()) as usize;
    word(at)..word(at) + word(at + 4)
}

/// `bytes` with the header checksum recomputed, as someone who altered
/// them on purpose would.
fn with_checksum(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = Section::ALL[..CHECKSUMMED].iter().fold(FNV_OFFSET, |h, &s| fnv1a(h, &bytes[section_range(s)]));
    bytes[HEADER_LEN - 4..HEADER_LEN].copy_from_slice(&sum.to_le_bytes());
    bytes
}

#[test]
fn the_real_index_opens() {
    assert_eq!(exercise(EMBEDDED_INDEX, false, "the real index"), None);
    assert_eq!(exercise(EMBEDDED_INDEX, true, "the real index, unverified"), None);
    assert_eq!(with_checksum(EMBEDDED_INDEX.to_vec()), EMBEDDED_INDEX);
}

#[test]
fn every_truncation_is_an_error() {
    for len in (0..EMBEDDED_INDEX.len()).step_by(7).chain([EMBEDDED_INDEX.len() - 1]) {
        for unverified in [false, true] {
            let e = exercise(&EMBEDDED_INDEX[..len], unverified, &format!("truncation to {len} (unverified: {unverified})"));
            let e = e.unwrap_or_else(|| panic!("truncation to {len} bytes opened"));
            assert!(e.starts_with("corrupt index: "), "{e}");
        }
    }
}

/// Every byte of every dictionary, flipped with three masks (two single
/// bits, varying with the position, and all bits), behind a
/// valid checksum: the flip opens or is an error naming the dictionary,
/// and whatever opens answers searches without a panic (without the fst
/// check, fst panics on some of these).
#[test]
fn dictionary_flips_behind_a_valid_checksum_never_panic() {
    let (mut opened, mut refused) = (0, 0);
    for s in [Section::Terms, Section::Variants, Section::Ids] {
        for at in section_range(s) {
            for mask in [1 << (at % 8), 0x80 >> (at % 8), 0xff] {
                let mut bytes = EMBEDDED_INDEX.to_vec();
                bytes[at] ^= mask;
                let bytes = with_checksum(bytes);
                let what = format!("{} byte {at} ^ {mask:#x}", s.name());
                let result = catch_unwind(AssertUnwindSafe(|| Engine::open(&bytes).map(|e| search_all(&e))));
                match result.unwrap_or_else(|_| panic!("panic on {what}")) {
                    Ok(()) => opened += 1,
                    Err(e) => {
                        assert!(e.to_string().starts_with(&format!("corrupt index: {} dictionary: ", s.name())), "{what}: {e}");
                        refused += 1;
                    }
                }
            }
        }
    }
    // Both outcomes happen: the checksum was really recomputed, and the
    // dictionary check really refuses.
    eprintln!("{opened} flips opened, {refused} refused");
    assert!(opened > 0 && refused > 0);
}

#[test]
fn bit_flips_in_checksummed_sections_are_errors() {
    let checked = section_range(Section::Terms).start..section_range(Section::Stored).start;
    for (i, at) in checked.clone().step_by(3).enumerate() {
        let mut bytes = EMBEDDED_INDEX.to_vec();
        bytes[at] ^= 1 << (i % 8);
        let e = exercise(&bytes, false, &format!("bit flip at {at}"));
        assert_eq!(e.as_deref(), Some("corrupt index: checksum mismatch (the index bytes were altered or truncated)"), "flip at {at}");
        // Without the checksum, the decoders and the fst check must hold.
        exercise(&bytes, true, &format!("unverified bit flip at {at}"));
    }
}

#[test]
fn bit_flips_anywhere_never_panic() {
    for (i, at) in (0..EMBEDDED_INDEX.len()).step_by(5).enumerate() {
        let mut bytes = EMBEDDED_INDEX.to_vec();
        bytes[at] ^= 1 << (i % 8);
        exercise(&bytes, false, &format!("bit flip at {at}"));
        // Behind the checksum too: the decoders themselves must hold.
        exercise(&bytes, true, &format!("unverified bit flip at {at}"));
    }
}

#[test]
fn header_errors_say_what_is_wrong() {
    let mut bytes = EMBEDDED_INDEX.to_vec();
    bytes[0] = b'X';
    assert_eq!(Index::open(&bytes).err().unwrap().to_string(), "corrupt index: not a recherche index (bad magic number)");
    let mut bytes = EMBEDDED_INDEX.to_vec();
    bytes[4] = 99;
    assert_eq!(Index::open(&bytes).err().unwrap().to_string(), format!("corrupt index: unsupported index version 99 (this module reads version {})", recherche::index::VERSION));
    let mut bytes = EMBEDDED_INDEX.to_vec();
    bytes[12] = 3;
    assert_eq!(Index::open(&bytes).err().unwrap().to_string(), format!("corrupt index: expected {SECTIONS} sections, found 3"));
    let mut bytes = EMBEDDED_INDEX.to_vec();
    let postings = HEADER_LEN + Section::Postings as usize * 8 + 4;
    bytes[postings..postings + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(Index::open(&bytes).err().unwrap().to_string(), "corrupt index: postings section out of bounds (truncated index?)");
}

#[test]
fn corrupt_stored_text_is_an_error_when_read() {
    let stored = section_range(Section::Stored);
    let mut bytes = EMBEDDED_INDEX.to_vec();
    // Invalid UTF-8 in the first document's title, past the section's
    // document count and offsets (4 + 6 × 4 bytes for the five seeds).
    let first = stored.start + 28;
    for b in &mut bytes[first + 2..first + 30] {
        *b = 0xff;
    }
    let index = Index::open(&bytes).unwrap();
    let e = index.stored(0).expect_err("an error");
    assert!(e.to_string().starts_with("corrupt index: stored text"), "{e}");
    for engine in [Engine::open(&bytes).unwrap(), Engine::open_unverified(&bytes).unwrap()] {
        assert!(engine.search("Stoltenberg", &SearchOptions::default()).is_err());
        assert!(engine.document("000_1b5536374200d0e3").is_err());
    }
}

#[test]
fn stored_sections_are_checked_when_written_and_read() {
    use recherche::corpus::{Document, Section as PageSection};
    use recherche::index::write::Builder;
    let section = |a: &str, paragraph| PageSection { heading: a.to_uppercase(), anchor: a.into(), paragraph, url: None };
    let doc = |sections| Document { id: "d".into(), title: "T".into(), body: vec!["un".into(), "deux".into()], sections, ..Default::default() };
    let write = |d: Document| {
        let mut b = Builder::new();
        b.add(d).unwrap();
        b.write(&b.counts()).map(|(bytes, _)| bytes)
    };
    let bytes = write(doc(vec![section("a", 0), section("b", 1)])).unwrap();
    let stored = Index::open(&bytes).unwrap().stored(0).unwrap().sections.iter().map(|s| (s.heading, s.anchor, s.paragraph)).collect::<Vec<_>>();
    assert_eq!(stored, [("A", "a", 0), ("B", "b", 1)]);
    assert!(write(doc(vec![section("a", 1), section("b", 0)])).unwrap_err().contains("out of order"));
    assert!(write(doc(vec![section("a", 2)])).unwrap_err().contains("past the body"));
    // The reader refuses the same. Stored text comes last, ending with the
    // sections: `A a 0 0 B b 1 17` (paragraph, then body position).
    let n = bytes.len();
    assert_eq!(bytes[n - 7..], [0, 1, b'B', 1, b'b', 1, 17]);
    for (at, value) in [(n - 2, 2), (n - 7, 18)] {
        let mut bad = bytes.clone();
        bad[at] = value;
        assert_eq!(Index::open(&bad).unwrap().stored(0).unwrap_err().to_string(), "corrupt index: stored text: section out of order or past the body");
    }
}
