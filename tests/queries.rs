//! The query fixtures (`tests/fixtures/queries.json`) run natively on the
//! seeds; `tests/web.rs` runs the same ones in the browser.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use recherche::engine::Engine;
use recherche::options::{self, Value as Opt};
use serde_json::Value;

fn run(engine: &Engine, case: &Value) -> Value {
    let opts = options::parse(&case.get("options").map(Opt::from).unwrap_or(Opt::Undefined)).expect("valid options");
    let result =
        if case.get("filter").and_then(Value::as_bool) == Some(true) { engine.filter(&opts).unwrap() } else { engine.search(case["query"].as_str().unwrap(), &opts).unwrap() };
    serde_json::to_value(&result).unwrap()
}

#[test]
fn fixture_queries_give_the_expected_hits() {
    let engine = Engine::embedded().unwrap();
    let mut failures = Vec::new();
    for case in common::cases() {
        let result = run(&engine, &case);
        let again = |q: &str| serde_json::to_value(engine.search(q, &Default::default()).unwrap()).unwrap();
        if let Err(e) = common::check(&case, &result, &again) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{} failing:\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn typo_matches_rank_below_exact_ones() {
    let engine = Engine::embedded().unwrap();
    let top = |q: &str| engine.search(q, &Default::default()).unwrap().hits[0].score;
    assert!(top("Washington ") > top("Washingtn "));
    assert!(top("Esper ") > top("Esperr "));
    // A completion ranks below the full word.
    assert!(top("Washington ") > top("Washing"));
}

#[test]
fn long_and_hostile_queries_answer_sanely() {
    let engine = Engine::embedded().unwrap();
    let long = "otan ".repeat(2_000);
    assert_eq!(long.len(), 10_000);
    let r = engine.search(&long, &Default::default()).unwrap();
    assert_eq!(r.total, 5);
    let soup: String = (0..10_000).map(|i| ['"', '-', '«', '(', 'é', ' ', '\u{0}', '🙂'][i % 8]).collect();
    assert!(engine.search(&soup, &Default::default()).is_ok());
    // Still answers normally afterwards.
    assert_eq!(engine.search("Esper", &Default::default()).unwrap().hits[0].id, "001_80dbe67e56024610");
}

#[test]
fn snippets_are_short_escaped_and_cut_at_words() {
    let engine = Engine::embedded().unwrap();
    for q in ["otan", "securite", "Washington", "défense PIB", "\"dépenses de défense\""] {
        for h in engine.search(q, &Default::default()).unwrap().hits {
            let markup = h.snippet.replace("<mark>", "").replace("</mark>", "");
            assert!(!markup.contains('<') && !markup.contains('>'), "{q}: {markup}");
            let visible = markup.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
            // About 160 characters, plus the two ellipses.
            assert!(visible.chars().count() <= 162, "{q}: {} chars: {visible}", visible.chars().count());
            assert!(h.snippet.contains("<mark>"), "{q} {}: {}", h.id, h.snippet);
        }
    }
}
