//! Property tests (proptest): invariants that must hold for any input.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use recherche::analysis::{self, Mode, TokenKind};
use recherche::corpus::Document;
use recherche::engine::Engine;
use recherche::index::read::Index;
use recherche::index::write::Builder;
use recherche::options::{Filters, SearchOptions};

/// Text that stresses the analyzer: French letters and accents, both
/// apostrophes, hyphens, digits and separators, combining marks, RTL and
/// zero-width marks, NUL and other controls, U+FFFD (what a lone JS
/// surrogate becomes), emoji and ZWJ sequences, CJK.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("l’".to_string()),
        Just("d'".to_string()),
        Just("qu’".to_string()),
        Just("-".to_string()),
        Just("'".to_string()),
        Just("\u{301}".to_string()),
        Just("\u{327}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200d}".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{fffd}".to_string()),
        Just("👩‍👩‍👧".to_string()),
        Just("ﬁ".to_string()),
        Just("Œ".to_string()),
        Just("ß".to_string()),
        Just("İ".to_string()),
        Just(" ".to_string()),
        Just("\u{a0}".to_string()),
        Just(",".to_string()),
        Just(".".to_string()),
        Just("%".to_string()),
        Just("\"".to_string()),
        Just("«".to_string()),
        Just("东京".to_string()),
        "[a-zA-Zéèêàçôûœ0-9]{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

fn vocabulary() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "otan",
        "Stoltenberg",
        "défense",
        "securite",
        "États-Unis",
        "sommet",
        "Washington",
        "Trump",
        "russie",
        "chine",
        "2",
        "%",
        "PIB",
        "l’Europe",
        "alliés",
        "missiles",
        "Esper",
        "Cavoli",
        "de",
        "la",
    ])
    .prop_map(String::from)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn the_analyzer_never_panics_and_keeps_offsets_valid(text in hostile_text()) {
        let mut last = 0u32;
        analysis::analyze(&text, 0, Mode::Index, |t| {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end) && t.start <= t.end);
            assert!(t.term.len() <= analysis::MAX_TERM_BYTES);
            assert!(t.position >= last || t.kind == TokenKind::Joined);
            if t.kind == TokenKind::Word { last = t.position; }
        });
    }

    #[test]
    fn query_terms_are_the_same_at_build_and_query_time(text in hostile_text()) {
        let mut index = Vec::new();
        analysis::analyze(&text, 0, Mode::Index, |t| if t.kind == TokenKind::Word { index.push((t.term, t.position, t.stop)) });
        let mut query = Vec::new();
        analysis::analyze(&text, 0, Mode::Query, |t| query.push((t.term, t.position, t.stop)));
        prop_assert_eq!(index, query);
    }

    #[test]
    fn the_query_parser_never_fails(text in hostile_text()) {
        let q = recherche::query::parse(&text);
        prop_assert!(q.must.len() <= recherche::query::MAX_CLAUSES);
        prop_assert!(q.must.iter().chain(&q.must_not).all(|c| !c.terms.is_empty()));
    }

    #[test]
    fn the_index_round_trip_preserves_every_posting(
        docs in prop::collection::vec((hostile_text(), prop::collection::vec(hostile_text(), 0..4), prop::collection::vec(hostile_text(), 0..2)), 1..6)
    ) {
        let mut builder = Builder::new();
        for (i, (title, body, captions)) in docs.into_iter().enumerate() {
            builder.add(Document { id: format!("d{i}"), title, body, captions, ..Default::default() }).unwrap();
        }
        let (bytes, _) = builder.write(&builder.counts()).unwrap();
        let index = Index::open(&bytes).unwrap();
        prop_assert_eq!(index.doc_count() as usize, builder.documents().len());
        for (term, postings) in builder.postings() {
            let offset = index.term(term).expect("every term is in the dictionary");
            let mut p = index.postings_with_positions(offset).unwrap();
            prop_assert_eq!(p.len() as usize, postings.len());
            for (doc, positions) in postings {
                let e = p.next_entry().unwrap().unwrap();
                prop_assert_eq!(e.doc, *doc);
                for (f, expected) in positions.iter().enumerate() {
                    prop_assert_eq!(p.positions(f), expected.as_slice());
                    prop_assert_eq!(e.tf[f] as usize, expected.len());
                }
            }
            prop_assert!(p.next_entry().unwrap().is_none());
        }
        for (i, d) in builder.documents().iter().enumerate() {
            let s = index.stored(i as u32).unwrap();
            prop_assert_eq!(s.id, d.id.as_str());
            prop_assert_eq!(s.title, d.title.as_str());
            prop_assert_eq!(&s.body, &d.body.iter().map(String::as_str).collect::<Vec<_>>());
            prop_assert_eq!(index.doc_by_id(&d.id), Some(i as u32));
        }
    }

    #[test]
    fn search_respects_filters_and_exclusions(
        words in prop::collection::vec(vocabulary(), 1..4),
        excluded in prop::option::of(vocabulary()),
        years in prop::collection::vec(prop::sample::select(vec![2016, 2020, 2023, 2024]), 0..3),
        sources in prop::collection::vec(prop::sample::select(vec!["OTAN", "Presse", "AFP"]), 0..2),
        person in prop::option::of(prop::sample::select(vec!["Jens Stoltenberg", "Donald Trump", "Mark Esper"])),
        from in prop::option::of(prop::sample::select(vec!["2020-06-26", "2023-01-01", "2024-02-07"])),
    ) {
        let engine = Engine::embedded().unwrap();
        let mut query = words.join(" ");
        if let Some(x) = &excluded { query.push_str(&format!(" -{x}")); }
        let filters = Filters {
            years: years.clone(),
            from: from.map(|d| recherche::date::Date::parse_iso(d).unwrap().ordinal()),
            to: None,
            sources: sources.iter().map(|s| s.to_string()).collect(),
            people: person.iter().map(|s| s.to_string()).collect(),
        };
        let r = engine.search(&query, &SearchOptions { limit: 100, filters: filters.clone(), ..Default::default() }).unwrap();
        prop_assert_eq!(r.total, r.hits.len());
        for h in &r.hits {
            let d = engine.document(&h.id).unwrap().unwrap();
            let year = d.date.as_deref().map(|s| s[..4].parse::<i32>().unwrap());
            if !years.is_empty() { prop_assert!(year.is_some_and(|y| years.contains(&y)), "{} year {:?}", h.id, year); }
            if !sources.is_empty() { prop_assert!(d.source.as_deref().is_some_and(|s| sources.contains(&s))); }
            if let Some(p) = person { prop_assert!(d.people.iter().any(|x| x == p)); }
            if let Some(f) = from { prop_assert!(d.date.as_deref().is_some_and(|x| x >= f)); }
            if let Some(x) = &excluded {
                let banned = analysis::terms(x, Mode::Query);
                let text = [d.title.clone(), d.body.join("\n"), d.captions.join("\n")].join("\n");
                let have = analysis::terms(&text, Mode::Query);
                if banned.len() == 1 {
                    prop_assert!(!have.contains(&banned[0]), "{} contains excluded {}", h.id, x);
                }
            }
        }
    }
}
