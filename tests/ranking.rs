//! Ranking and highlighting rules on small corpora built for each case:
//! which words count as adjacent for the proximity bonus, the exact-title
//! tier with compounds, marks on compounds matched through their joined
//! form (of stop words too), and the snippet of a word typed twice.
#![cfg(not(target_arch = "wasm32"))]

use recherche::corpus::Document;
use recherche::engine::Engine;
use recherche::index::write::Builder;
use recherche::options::SearchOptions;

fn doc(id: &str, title: &str, body: &[&str]) -> Document {
    Document { id: id.into(), title: title.into(), body: body.iter().map(|s| s.to_string()).collect(), ..Default::default() }
}

/// An engine over `docs`, built as `build.rs` builds the embedded index.
fn engine_of(docs: Vec<Document>) -> Engine<'static> {
    let mut b = Builder::new();
    for d in docs {
        b.add(d).unwrap();
    }
    let bytes = b.write(&b.counts()).unwrap().0;
    Engine::open(Box::leak(bytes.into_boxed_slice())).unwrap()
}

fn ids(e: &Engine, q: &str) -> Vec<String> {
    e.search(q, &SearchOptions::default()).unwrap().hits.into_iter().map(|h| h.id).collect()
}

/// An excluded word is not text between the words around it: `otan
/// -russie défense` rewards `otan défense` standing together, as `otan
/// défense` does, not `otan X défense`.
#[test]
fn an_exclusion_does_not_change_which_words_are_adjacent() {
    let e = engine_of(vec![doc("apart", "Titre", &["otan alliance défense"]), doc("adjacent", "Titre", &["otan défense alliance"])]);
    assert_eq!(ids(&e, "otan défense"), ["adjacent", "apart"]);
    for q in ["otan -russie défense", "-russie otan défense", "otan défense -russie", "otan -\"sommet de Washington\" défense"] {
        assert_eq!(ids(&e, q), ["adjacent", "apart"], "{q}");
        let (with, without) = (e.search(q, &SearchOptions::default()).unwrap(), e.search("otan défense", &SearchOptions::default()).unwrap());
        assert_eq!(with.hits.iter().map(|h| h.score).collect::<Vec<_>>(), without.hits.iter().map(|h| h.score).collect::<Vec<_>>(), "{q}");
    }
}

/// A document titled exactly as the query is in the top title tier, even
/// when its title holds a compound, which the index counts as its parts
/// and its joined form (`Royaume-Uni`: `royaum`, `uni`, `royaumeun`); a
/// title with the compound spaced (`Royaume Uni`) stays in it too, and a
/// title with one more word does not get it.
#[test]
fn an_exact_title_with_a_compound_is_in_the_top_tier() {
    let e = engine_of(vec![
        doc("spaced", "Royaume Uni", &["Texte sans rapport."]),
        doc("longer", "Royaume Uni Brexit", &["Le Royaume-Uni, le Royaume-Uni et encore le Royaume-Uni."]),
        doc("exact", "Royaume-Uni", &["Le Royaume-Uni et encore le Royaume-Uni."]),
        doc("covid", "La COVID-19 au Royaume-Uni", &["Texte sans rapport."]),
        doc("week", "Week-end", &["Texte sans rapport."]),
        doc("weeks", "Week-end sur la côte", &["Un week-end, un autre week-end, encore un week-end, un week-end, un week-end, un dernier week-end."]),
    ]);
    let score = |q: &str, id: &str| e.search(q, &SearchOptions::default()).unwrap().hits.into_iter().find(|h| h.id == id).unwrap().score;
    // The exact title first (it also scores better than the spaced one),
    // then the spaced one, both above the longer title's better score.
    assert!(score("Royaume-Uni", "longer") > score("Royaume-Uni", "spaced"));
    assert_eq!(ids(&e, "Royaume-Uni")[..3], ["exact", "spaced", "longer"]);
    assert_eq!(ids(&e, "\"Royaume-Uni\"")[..3], ["exact", "spaced", "longer"]);
    assert_eq!(ids(&e, "royaume uni")[..2], ["spaced", "longer"]);
    assert_eq!(ids(&e, "la COVID-19 au Royaume-Uni")[0], "covid");
    assert_eq!(ids(&e, "COVID-19 Royaume-Uni")[0], "covid");
    assert_eq!(ids(&e, "week-end"), ["week", "weeks"]);
    assert!(score("week-end", "weeks") > score("week-end", "week"));
}

/// A query matching a compound through its joined form (`weekend` for
/// `week-end`, `covid19` for `COVID-19`) marks the compound whole, in the
/// snippet and in the marked document; a query matching its parts still
/// marks the parts.
#[test]
fn a_match_through_a_joined_compound_is_marked() {
    let e = engine_of(vec![doc("w", "Vacances", &["Rien ici.", "Un week-end à la mer, puis la COVID-19."])]);
    for (q, marked) in [
        ("weekend", "<mark>week-end</mark>"),
        ("covid19", "<mark>COVID-19</mark>"),
        ("weekend covid19", "<mark>week-end</mark>"),
        ("week-end", "<mark>week</mark>-<mark>end</mark>"),
        ("week weekend", "<mark>week</mark>-end"),
        ("COVID-19", "<mark>COVID</mark>-<mark>19</mark>"),
    ] {
        let r = e.search(q, &SearchOptions::default()).unwrap();
        assert_eq!(r.total, 1, "{q}");
        assert!(r.hits[0].snippet.contains(marked), "{q}: {}", r.hits[0].snippet);
        let m = e.marked_document("w", q).unwrap().unwrap();
        assert!(m.body_html[1].contains(marked), "{q}: {}", m.body_html[1]);
        assert!(!m.body_html[0].contains("<mark>"), "{q}");
    }
    let m = e.marked_document("w", "weekend covid19").unwrap().unwrap();
    assert_eq!(m.body_html[1], "Un <mark>week-end</mark> à la mer, puis la <mark>COVID-19</mark>.");
}

/// A word typed twice (`otan otan`), or two words with one term
/// (`sécurité securite`), is one word for the snippet: its window is the
/// one the word alone gets, the first paragraph that has it, not a later
/// paragraph where it stands more often (the scan looked for a second
/// word it could never tell apart and read on).
#[test]
fn a_repeated_word_gets_the_snippet_of_the_word() {
    let e = engine_of(vec![doc("a", "Titre", &["Une phrase sur la sécurité de l'otan.", "L'otan, l'otan et encore l'otan : la sécurité, la sécurité."])]);
    let snippet = |q: &str| e.search(q, &SearchOptions::default()).unwrap().hits[0].snippet.clone();
    assert!(snippet("otan").contains("Une phrase"), "{}", snippet("otan"));
    for (q, alone) in [("otan otan", "otan"), ("otan otan otan", "otan"), ("sécurité securite", "sécurité"), ("securite otan otan sécurité", "sécurité otan")] {
        assert_eq!(snippet(q), snippet(alone), "{q}");
    }
}

/// A compound of stop words (`est-ce`) is searched for nothing, but a
/// title holds it written whole: `Qu'est-ce que l'OTAN ?` is titled as
/// the query `Qu'est-ce que l'OTAN` (it was ranked below `L'OTAN`, whose
/// title alone had the query's length).
#[test]
fn a_title_with_a_compound_of_stop_words_is_in_the_top_tier() {
    let e = engine_of(vec![
        doc("longer", "L'OTAN et sa défense", &["L'OTAN, l'OTAN, l'OTAN et encore l'OTAN."]),
        doc("short", "L'OTAN", &["Une alliance."]),
        doc("question", "Qu'est-ce que l'OTAN ?", &["L'OTAN est une alliance : l'OTAN, l'OTAN."]),
    ]);
    assert_eq!(ids(&e, "Qu'est-ce que l'OTAN"), ["question", "short", "longer"]);
    // Without the compound in the query, only `L'OTAN` is titled as it.
    assert_eq!(ids(&e, "otan")[0], "short");
}
