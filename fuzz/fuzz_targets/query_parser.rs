//! Arbitrary query strings through the parser and the whole engine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recherche::engine::Engine;
use recherche::options::SearchOptions;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let q = recherche::query::parse(&text);
    assert!(q.must.len() <= recherche::query::MAX_CLAUSES);
    let engine = Engine::embedded().expect("embedded index");
    let r = engine.search(&text, &SearchOptions::default()).expect("search");
    assert!(r.hits.len() <= r.total);
});
