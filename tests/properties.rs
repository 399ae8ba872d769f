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

/// The texts a snippet puts between `<mark>` and `</mark>`, unescaped.
fn marked_words(snippet: &str) -> Vec<String> {
    let unescape = |s: &str| s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    snippet.split("<mark>").skip(1).map(|m| unescape(m.split("</mark>").next().unwrap_or_default())).collect()
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
    fn query_analysis_is_index_analysis_without_the_joined_compounds(text in hostile_text()) {
        let mut index = Vec::new();
        analysis::analyze(&text, 0, Mode::Index, |t| index.push(t));
        let mut query = Vec::new();
        analysis::analyze(&text, 0, Mode::Query, |t| query.push(t));
        // Every token the query side sees, the index side has.
        for q in &query {
            prop_assert_eq!(q.kind, TokenKind::Word);
            prop_assert!(index.contains(q), "query token {:?} is not indexed", q);
        }
        // All the index side adds are joined compounds, each at the position
        // of the first of its several parts, spelt as the parts put together.
        let joined: Vec<_> = index.iter().filter(|t| t.kind == TokenKind::Joined).collect();
        prop_assert_eq!(index.len(), query.len() + joined.len());
        for j in joined {
            let parts: Vec<_> = query.iter().filter(|q| q.start >= j.start && q.end <= j.end).collect();
            prop_assert!(parts.len() > 1, "{:?} joins {} part(s)", j, parts.len());
            prop_assert_eq!((parts[0].position, parts[0].start), (j.position, j.start));
            prop_assert!(parts.windows(2).all(|w| w[1].position == w[0].position + 1));
            // Unless a part was cut to MAX_TERM_BYTES, the joined word is
            // the parts put together, cut the same way.
            if parts.iter().all(|p| p.folded.len() + 3 < analysis::MAX_TERM_BYTES) {
                let mut whole: String = parts.iter().map(|p| p.folded.as_str()).collect();
                let mut cut = whole.len().min(analysis::MAX_TERM_BYTES);
                while !whole.is_char_boundary(cut) {
                    cut -= 1;
                }
                whole.truncate(cut);
                prop_assert_eq!(&j.folded, &whole);
            }
        }
    }

    /// Words of any indexed document, searched as words and as a phrase,
    /// find that document through the engine, and its snippet marks them.
    #[test]
    fn indexed_words_find_their_document_and_are_marked(
        docs in prop::collection::vec((hostile_text(), prop::collection::vec(hostile_text(), 0..4), prop::collection::vec(hostile_text(), 0..2)), 1..6),
        paragraph in any::<prop::sample::Index>(),
        first_word in any::<prop::sample::Index>(),
        words in 1usize..4,
    ) {
        let mut builder = Builder::new();
        for (i, (title, body, captions)) in docs.iter().enumerate() {
            builder.add(Document { id: format!("d{i}"), title: title.clone(), body: body.clone(), captions: captions.clone(), ..Default::default() }).unwrap();
        }
        let (bytes, _) = builder.write(&builder.counts()).unwrap();
        let engine = Engine::open(&bytes).unwrap();
        // (document, field, paragraph) for every paragraph with a searchable word.
        let mut paragraphs: Vec<(usize, usize, &str)> = Vec::new();
        for (d, (title, body, captions)) in docs.iter().enumerate() {
            let fields = [std::slice::from_ref(title), body.as_slice(), captions.as_slice()];
            for (f, texts) in fields.into_iter().enumerate() {
                paragraphs.extend(texts.iter().filter(|p| !analysis::terms(p, Mode::Query).is_empty()).map(|p| (d, f, p.as_str())));
            }
        }
        if paragraphs.is_empty() {
            return Ok(());
        }
        let (doc, field, text) = paragraphs[paragraph.index(paragraphs.len())];
        // A run of consecutive words of that paragraph, short enough to be
        // one query item.
        let raw: Vec<&str> = analysis::raw_words(text).map(|w| w.text).collect();
        let from = first_word.index(raw.len());
        let mut chosen: Vec<&str> = Vec::new();
        for w in raw[from..].iter().take(words) {
            if chosen.iter().map(|c| c.len() + 1).sum::<usize>() + w.len() > recherche::query::MAX_ITEM_BYTES {
                break;
            }
            chosen.push(w);
        }
        let run = chosen.join(" ");
        let wanted = analysis::terms(&run, Mode::Query);
        if wanted.is_empty() {
            return Ok(()); // only stop words: nothing to search
        }
        let id = format!("d{doc}");
        // A trailing space: no prefix search, only the words themselves match.
        for query in [format!("{run} "), format!("\"{run}\"")] {
            let r = engine.search(&query, &SearchOptions { limit: 100, ..Default::default() }).unwrap();
            prop_assert!(!r.relaxed, "{:?}", query);
            let Some(hit) = r.hits.iter().find(|h| h.id == id) else {
                return Err(TestCaseError::fail(format!("{query:?} does not find {id}, taken from its field {field}: {text:?}")));
            };
            if field > 0 {
                // Body or captions: the snippet marks words, and only the
                // query's words.
                let marked = marked_words(&hit.snippet);
                prop_assert!(!marked.is_empty(), "{:?}: no mark in the snippet of {}: {:?}", query, id, hit.snippet);
                for m in marked {
                    for t in analysis::terms(&m, Mode::Query) {
                        prop_assert!(wanted.contains(&t), "{:?}: {:?} marked in {:?}", query, m, hit.snippet);
                    }
                }
            }
        }
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
