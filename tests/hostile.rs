//! Hostile queries and corpora (issue 13): each reproduction that once
//! froze, exhausted or killed the engine, as a regression test. They run
//! on a generated corpus (a few hundred documents full of one frequent
//! word, and one document whose body is a single 4 MB paragraph), so they
//! stay quick; what they assert is structural (bounds on the parsed
//! query, results that are right), never a duration.
#![cfg(not(target_arch = "wasm32"))]

use recherche::corpus::{self, Document};
use recherche::engine::Engine;
use recherche::index::write::Builder;
use recherche::index::MAX_TERM_FREQUENCY;
use recherche::options::{self, SearchOptions, Value};
use recherche::query::{self, Query, MAX_CLAUSES, MAX_IGNORED, MAX_IGNORED_CHARS, MAX_JOINED_TERMS, MAX_PHRASE_TERMS, MAX_QUERY_TERMS};
use std::sync::OnceLock;

/// Bytes of the one huge paragraph.
const HUGE: usize = 4 << 20;

fn index() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let mut b = Builder::new();
        for i in 0..300 {
            // `si` is not a stop word: a very frequent indexed term.
            let body = vec![format!("si {} si alors on verra, si-si, document {i}", "si ".repeat(i % 40)), "Une autre phrase sur la défense.".to_string()];
            b.add(Document { id: format!("d{i}"), title: format!("Titre {i}"), body, date: Some(format!("2024-01-{:02}", 1 + i % 28)), ..Default::default() }).unwrap();
        }
        let mut huge = "mot ".repeat(HUGE / 4);
        huge.push_str("aiguille");
        b.add(Document { id: "huge".into(), title: "Un très long paragraphe".into(), body: vec![huge], date: Some("2025-06-01".into()), ..Default::default() }).unwrap();
        b.write(&b.counts()).unwrap().0
    })
}

fn engine() -> Engine<'static> {
    Engine::open(index()).unwrap()
}

fn terms(q: &Query) -> usize {
    q.must.iter().chain(&q.must_not).map(|c| c.terms.len()).sum()
}

/// The bounds every parsed query keeps, whatever its input.
fn assert_bounded(q: &Query) {
    assert!(q.must.len() <= MAX_CLAUSES && q.must_not.len() <= MAX_CLAUSES);
    assert!(q.must.iter().chain(&q.must_not).all(|c| c.terms.len() <= MAX_PHRASE_TERMS));
    assert!(terms(q) <= MAX_QUERY_TERMS, "{} terms", terms(q));
    assert!(q.ignored.len() <= MAX_IGNORED);
    assert!(q.ignored.iter().all(|w| w.chars().count() <= MAX_IGNORED_CHARS + 1), "{:?}", q.ignored);
    assert!(q.joined.len() <= MAX_JOINED_TERMS);
}

#[test]
fn a_long_phrase_keeps_its_first_words_and_lists_the_rest() {
    // 1. `"si si si …"` × 20,000 grew wasm memory to 4 GB.
    let text = format!("\"{}\"", vec!["si"; 20_000].join(" "));
    let q = query::parse(&text);
    assert_bounded(&q);
    assert_eq!(q.must.len(), 1);
    assert!(q.must[0].phrase);
    assert_eq!(q.must[0].terms.len(), MAX_PHRASE_TERMS);
    assert_eq!(q.must[0].terms.iter().map(|t| t.offset).collect::<Vec<_>>(), (0..MAX_PHRASE_TERMS as u32).collect::<Vec<_>>());
    assert!(q.ignored[0].starts_with("si si") && q.ignored[0].ends_with('…'), "{:?}", q.ignored);
    // It is still searched: the documents with twelve `si` in a row.
    let r = engine().search(&text, &SearchOptions::default()).unwrap();
    assert!(r.total > 0 && r.total < 300, "{}", r.total);
    assert!(r.hits.iter().all(|h| h.snippet.contains("<mark>si</mark>")));
}

#[test]
fn joined_runs_are_bounded_like_phrases() {
    // `si-si-si…` and `si,si,…` (60 KB, unquoted) took 60–170 s.
    for sep in ["-", ",", "\u{2011}", "'"] {
        let text = vec!["si"; 30_000].join(sep);
        let q = query::parse(&text);
        assert_bounded(&q);
        assert_eq!(q.must.len(), 1, "{sep}");
        assert!(!q.ignored.is_empty(), "{sep}: the rest is listed");
        let _ = engine().search(&text, &SearchOptions::default()).unwrap();
    }
}

#[test]
fn compounds_written_whole_are_read_once_each() {
    // `otan,est-ce,est-ce,…` (16 K characters) read the postings of
    // `estce` once per copy for the title tier: thousands of lists for a
    // query that keeps 64 terms. Compounds of stop words take no term.
    let e = engine();
    for text in [format!("otan,{}", "est-ce,".repeat(2300)), "otan est-ce ".repeat(1400), (0..2000).map(|i| format!("si-{i} ")).collect()] {
        let q = query::parse(&text);
        assert_bounded(&q);
        assert!(!q.joined.is_empty());
        assert!(q.joined.iter().all(|(t, _)| q.joined.iter().filter(|(u, _)| u == t).count() == 1), "distinct");
        let _ = e.search(&text, &SearchOptions::default()).unwrap();
    }
}

#[test]
fn huge_queries_are_analysed_only_as_far_as_they_are_used() {
    // A 10 MB query took 8 s: words after the 32nd were still analysed.
    let text = "otan défense ".repeat((10 << 20) / "otan défense ".len());
    let q = query::parse(&text);
    assert_bounded(&q);
    assert_eq!(q.must.len(), MAX_CLAUSES);
    assert_eq!(q.ignored.len(), MAX_IGNORED);
    // One huge word, and one huge quoted item.
    for text in ["a".repeat(5 << 20), format!("\"{}\"", "défense ".repeat(1 << 20))] {
        let q = query::parse(&text);
        assert_bounded(&q);
        assert_eq!(q.must.len(), 1);
    }
    let _ = engine().search(&text, &SearchOptions::default()).unwrap();
}

#[test]
fn many_long_excluded_phrases_are_bounded() {
    // 32 excluded phrases of 500 words each took 38 s per query.
    let phrase = format!("-\"{}\"", vec!["si alors"; 250].join(" "));
    let text = format!("défense {}", vec![phrase; 32].join(" "));
    let q = query::parse(&text);
    assert_bounded(&q);
    assert_eq!(terms(&q), MAX_QUERY_TERMS);
    let r = engine().search(&text, &SearchOptions::default()).unwrap();
    // No document has the 12-term phrase `si alors si alors …`: nothing excluded.
    assert_eq!(r.total, 300);
}

#[test]
fn a_huge_paragraph_is_scanned_only_so_far() {
    // A 52 MB one-line body made every query touching it take 5–8 s,
    // `filter({})` included. The snippet scan now stops inside it.
    let e = engine();
    let r = e.filter(&SearchOptions::default()).unwrap();
    assert_eq!(r.hits[0].id, "huge");
    assert!(r.hits[0].snippet.chars().count() <= 200, "{}", r.hits[0].snippet.len());
    let r = e.search("mot", &SearchOptions::default()).unwrap();
    assert_eq!(r.hits[0].id, "huge");
    assert!(r.hits[0].snippet.contains("<mark>mot</mark>"));
    // The needle past the scan budget is found (the index has it) but not
    // highlighted (the snippet scan stopped long before it): the lead is shown.
    let r = e.search("aiguille", &SearchOptions::default()).unwrap();
    assert_eq!(r.total, 1);
    assert!(!r.hits[0].snippet.contains("<mark>") && r.hits[0].snippet.starts_with("mot mot"), "{}", r.hits[0].snippet);
}

#[test]
fn options_refuse_huge_values_and_name_the_field() {
    // 256 filter values of 1 MB each took 5.7 s and kept 489 MB.
    let big = serde_json::json!({ "filters": { "person": vec!["x".repeat(1 << 20); 256] } });
    let e = options::parse(&Value::from(&big)).unwrap_err();
    assert_eq!(e.field, "options.filters.person");
    assert!(e.message.contains("at most 1000 characters"), "{e}");
    let e = options::parse(&Value::Object(vec![("limit".into(), Value::Threw)])).unwrap_err();
    assert_eq!((e.field.as_str(), e.message.contains("threw")), ("options.limit", true));
}

#[test]
fn pagination_selects_the_top_hits_in_order() {
    // Top-k selection must give the same pages as a full sort.
    let e = engine();
    let all = e.search("si", &SearchOptions { limit: 1000, ..Default::default() }).unwrap();
    for (offset, limit) in [(0, 1), (0, 10), (7, 13), (290, 50), (400, 5)] {
        let page = e.search("si", &SearchOptions { offset, limit, ..Default::default() }).unwrap();
        let expected: Vec<&str> = all.hits.iter().skip(offset).take(limit).map(|h| h.id.as_str()).collect();
        assert_eq!(page.hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(), expected, "{offset} {limit}");
        assert_eq!(page.total, all.total);
    }
}

#[test]
fn a_term_too_frequent_for_the_index_fails_the_build_naming_it() {
    // `zz` 17 million times was written, then every query touching it
    // failed with "corrupt index". The writer now refuses what the reader would.
    let body = "zz ".repeat(MAX_TERM_FREQUENCY as usize + 1);
    let mut b = Builder::new();
    let err = b.add(Document { id: "gros".into(), title: "t".into(), body: vec![body], ..Default::default() }).unwrap_err();
    assert!(err.contains("\"gros\"") && err.contains("\"zz\"") && err.contains("16777217 times in its body"), "{err}");
    assert!(b.documents().is_empty(), "nothing half-added");
    // Exactly at the limit, it is accepted and read back.
    let mut b = Builder::new();
    b.add(Document { id: "juste".into(), title: "t".into(), body: vec!["zz ".repeat(MAX_TERM_FREQUENCY as usize)], ..Default::default() }).unwrap();
    let bytes = b.write(&b.counts()).unwrap().0;
    let r = Engine::open(&bytes).unwrap().search("zz", &SearchOptions::default()).unwrap();
    assert_eq!(r.total, 1);
}

#[test]
fn a_byte_order_mark_is_skipped_and_origins_name_file_and_line() {
    let dir = std::env::temp_dir().join(format!("recherche-bom-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.jsonl"), "\u{feff}{\"id\": \"j1\", \"title\": \"Premier\"}\n{\"id\": \"j2\", \"title\": \"Second\"}\n").unwrap();
    std::fs::write(dir.join("b.txt"), "\u{feff}Titre de l’article\nCorps de l’article.").unwrap();
    let c = corpus::load(&dir).unwrap();
    let titles: Vec<&str> = c.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["Premier", "Second", "Titre de l’article"]);
    assert!(c.origin(1).ends_with("a.jsonl:2"), "{}", c.origin(1));
    assert!(c.origin(2).ends_with("b.txt"), "{}", c.origin(2));
    std::fs::remove_dir_all(&dir).unwrap();
}
