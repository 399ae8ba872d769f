//! Arbitrary text through the analyzer: no panic, offsets on character
//! boundaries, and the same terms at build and query time.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recherche::analysis::{self, Mode, TokenKind};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut index = Vec::new();
    analysis::analyze(&text, 0, Mode::Index, |t| {
        assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        if t.kind == TokenKind::Word {
            index.push(t.term);
        }
    });
    let mut query = Vec::new();
    analysis::analyze(&text, 0, Mode::Query, |t| query.push(t.term));
    assert_eq!(index, query);
});
