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
        // A combining mark Unicode counts as alphabetic: it folds to nothing.
        Just("\u{363}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{200d}".to_string()),
        // Invisible inside a word: joined and dropped (a soft hyphen, a word joiner).
        Just("\u{ad}".to_string()),
        Just("\u{2060}".to_string()),
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

/// Exclusions of several terms: phrases (some absent, some with their
/// words apart or in another order), compounds, an elided word.
fn exclusion() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "\"sommet de Washington\"",
        "\"sommet Washington\"",
        "\"Washington sommet\"",
        "\"dépenses de défense\"",
        "\"deux hommes\"",
        "\"secrétaire américain\"",
        "\"Jens Stoltenberg\"",
        "\"2 %\"",
        "\"de la\"",
        "États-Unis",
        "Etats-Unis",
        "Royaume-Uni",
        "COVID-19",
        "l’Europe",
    ])
    .prop_map(String::from)
}

/// Days around the seeds' dates, and before and after them all.
fn day() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "2019-12-31",
        "2020-06-25",
        "2020-06-26",
        "2020-06-27",
        "2023-05-17",
        "2024-02-06",
        "2024-02-07",
        "2024-06-17",
        "2024-06-21",
        "2024-06-24",
        "2030-01-01",
    ])
}

/// The terms of an excluded item with their offsets from the first one, as
/// an independent phrase test sees them (stop words keep their place).
fn phrase_terms(item: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut first = None;
    analysis::analyze(item.trim_matches('"'), 0, Mode::Query, |t| {
        if !t.stop {
            let base = *first.get_or_insert(t.position);
            out.push((t.term, t.position - base));
        }
    });
    out
}

/// Whether one paragraph of `doc` (title, body or caption paragraph; a
/// phrase never spans two) has the terms of `phrase` at their offsets. The
/// paragraph is analysed as the index analyses it, joined compounds included.
fn contains_phrase(doc: &Document, phrase: &[(String, u32)]) -> bool {
    if phrase.is_empty() {
        return false;
    }
    let paragraphs = std::iter::once(&doc.title).chain(&doc.body).chain(&doc.captions);
    paragraphs.into_iter().any(|p| {
        let mut at: Vec<(String, u32)> = Vec::new();
        analysis::analyze(p, 0, Mode::Index, |t| {
            if !t.stop {
                at.push((t.term, t.position))
            }
        });
        at.iter().any(|(_, start)| phrase.iter().all(|(term, offset)| at.iter().any(|(t, p)| t == term && *p == start + offset)))
    })
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
    fn the_filtered_snippet_analysis_finds_the_words_of_the_full_analysis(text in hostile_text(), pick in prop::collection::vec(any::<prop::sample::Index>(), 1..4)) {
        // Snippets analyse in full only the words whose beginning could
        // stem to a matched term (snippet::heads). For terms drawn from the
        // text itself, that filter must keep every word the full analysis
        // finds with those terms: same terms, positions and offsets.
        let mut all = Vec::new();
        analysis::analyze(&text, 0, Mode::Query, |t| if !t.stop { all.push(t) });
        prop_assume!(!all.is_empty());
        let terms: Vec<String> = pick.iter().map(|i| all[i.index(all.len())].term.clone()).collect();
        let heads = recherche::snippet::heads(terms.iter().map(String::as_str));
        let mut filtered = Vec::new();
        analysis::analyze_where(&text, 0, Mode::Query, |head| heads.iter().any(|h| head.starts_with(h.as_str())), |t| if !t.stop && terms.contains(&t.term) { filtered.push(t) });
        let expected: Vec<_> = all.into_iter().filter(|t| terms.contains(&t.term)).collect();
        prop_assert_eq!(filtered, expected);
    }

    #[test]
    fn the_analyzer_never_panics_and_keeps_offsets_valid(text in hostile_text()) {
        let mut last = 0u32;
        analysis::analyze(&text, 0, Mode::Index, |t| {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end) && t.start <= t.end);
            assert!(t.term.len() <= analysis::MAX_TERM_BYTES);
            assert!(t.stop || !t.term.is_empty(), "{t:?} has no term");
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
                    // A compound marked whole matched as written whole
                    // (`东京l` finds and marks `东京-l`): its parts need not
                    // be query words.
                    let mut joined = Vec::new();
                    analysis::analyze(&m, 0, Mode::Index, |t| if t.kind == TokenKind::Joined { joined.push(t.term) });
                    let whole = joined.iter().any(|j| wanted.contains(j));
                    for t in analysis::terms(&m, Mode::Query) {
                        prop_assert!(whole || wanted.contains(&t), "{:?}: {:?} marked in {:?}", query, m, hit.snippet);
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
        excluded in prop::option::of(prop_oneof![vocabulary(), exclusion()]),
        years in prop::collection::vec(prop::sample::select(vec![2016, 2020, 2023, 2024]), 0..3),
        sources in prop::collection::vec(prop::sample::select(vec!["OTAN", "Presse", "AFP"]), 0..2),
        person in prop::option::of(prop::sample::select(vec!["Jens Stoltenberg", "Donald Trump", "Mark Esper"])),
        from in prop::option::of(day()),
        to in prop::option::of(day()),
    ) {
        let engine = Engine::embedded().unwrap();
        let all = SearchOptions { limit: 100, ..Default::default() };
        let ids = |r: &recherche::results::SearchResult| r.hits.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        let doc = |id: &str| engine.document(id).unwrap().unwrap();
        // Every document, newest first.
        let corpus = ids(&engine.filter(&all).unwrap());
        prop_assert_eq!(corpus.len(), engine.index().doc_count() as usize);

        // Exclusion, without filters: the words alone (no prefix, as in the
        // query with the exclusion after them), then with the exclusion.
        let words = words.join(" ");
        let query = match &excluded {
            Some(x) => format!("{words} -{x}"),
            None => format!("{words} "),
        };
        let parsed = recherche::query::parse(&query);
        // Only stop words and an exclusion: every document but the excluded ones.
        let base = if parsed.must.is_empty() && !parsed.must_not.is_empty() { engine.filter(&all).unwrap() } else { engine.search(&format!("{words} "), &all).unwrap() };
        let kept = engine.search(&query, &all).unwrap();
        let banned = excluded.as_deref().map(phrase_terms).unwrap_or_default();
        let has_banned = |id: &str| contains_phrase(&doc(id), &banned);
        for id in ids(&kept) {
            prop_assert!(!has_banned(&id), "{:?}: {} contains the excluded {:?}", query, id, excluded);
        }
        if kept.relaxed && !base.relaxed {
            // Every document with all the words has the excluded phrase.
            prop_assert!(ids(&base).iter().all(|id| has_banned(id)), "{:?} relaxed, but {:?} has matches without it", query, words);
        } else {
            let expected: Vec<String> = ids(&base).into_iter().filter(|id| !has_banned(id)).collect();
            prop_assert_eq!(ids(&kept), expected, "{:?}", query);
        }

        // Filters: the same hits, less the documents the filters refuse;
        // and filter() lists exactly the documents the filters accept.
        let from = from.map(String::from);
        let to = to.map(String::from);
        let filters = Filters {
            years: years.clone(),
            from: from.as_deref().map(|d| recherche::date::Date::parse_iso(d).unwrap().ordinal()),
            to: to.as_deref().map(|d| recherche::date::Date::parse_iso(d).unwrap().ordinal()),
            sources: sources.iter().map(|s| s.to_string()).collect(),
            people: person.iter().map(|s| s.to_string()).collect(),
        };
        let passes = |id: &str| {
            let d = doc(id);
            let date = d.date.as_deref();
            (years.is_empty() || date.is_some_and(|x| years.contains(&x[..4].parse::<i32>().unwrap())))
                && (sources.is_empty() || d.source.as_deref().is_some_and(|s| sources.contains(&s)))
                && person.map_or(true, |p| d.people.iter().any(|x| x == p))
                // ISO dates compare as strings; an undated document passes no date bound.
                && from.as_deref().map_or(true, |f| date.is_some_and(|x| x >= f))
                && to.as_deref().map_or(true, |t| date.is_some_and(|x| x <= t))
        };
        let with_filters = SearchOptions { limit: 100, filters: filters.clone(), ..Default::default() };
        let r = engine.search(&query, &with_filters).unwrap();
        prop_assert_eq!(r.total, r.hits.len());
        for h in &r.hits {
            let d = doc(&h.id);
            prop_assert!(passes(&h.id), "{} ({:?}, {:?}, {:?}) fails {:?}", h.id, d.date, d.source, d.people, filters);
            if let Some(f) = &from { prop_assert!(d.date.as_deref().is_some_and(|x| x >= f.as_str()), "{} dated {:?}, from {}", h.id, d.date, f); }
            if let Some(t) = &to { prop_assert!(d.date.as_deref().is_some_and(|x| x <= t.as_str()), "{} dated {:?}, to {}", h.id, d.date, t); }
        }
        let expected: Vec<String> = ids(&kept).into_iter().filter(|id| passes(id)).collect();
        prop_assert_eq!(ids(&r), expected, "{:?} with {:?}", query, filters);
        let listed = engine.filter(&with_filters).unwrap();
        let expected: Vec<String> = corpus.iter().filter(|id| passes(id)).cloned().collect();
        prop_assert_eq!(listed.total, expected.len());
        prop_assert_eq!(ids(&listed), expected, "filter({:?})", filters);
    }
}
