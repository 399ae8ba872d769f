//! The wasm API in a real browser (`wasm-pack test --headless --chrome`):
//! the same query fixtures as `tests/queries.rs`, and the JS-facing
//! contract (errors naming the field, hostile input, getDocument).
#![cfg(target_arch = "wasm32")]

mod common;

use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn to_json(v: &JsValue) -> Value {
    serde_json::from_str(&js_sys::JSON::stringify(v).unwrap().as_string().unwrap()).unwrap()
}

fn search(q: &str, options: &str) -> Value {
    to_json(&recherche::search(JsValue::from_str(q), js(options)).expect("search"))
}

fn error_of(r: Result<JsValue, JsValue>) -> js_sys::Error {
    let e = r.expect_err("must throw");
    e.dyn_into::<js_sys::Error>().expect("a JS Error")
}

#[wasm_bindgen_test]
fn search_finds_all_five_for_stoltenberg() {
    let r = search("Stoltenberg", "{}");
    assert_eq!(r["total"], 5);
    assert_eq!(r["query"], "Stoltenberg");
    assert_eq!(r["relaxed"], false);
    assert_eq!(common::ids(&r)[0], "003_a15a7d027a6a9886");
    let hit = &r["hits"][0];
    for key in ["id", "title", "date", "source", "url", "score", "snippet"] {
        assert!(hit.get(key).is_some(), "hit lacks {key}");
    }
}

#[wasm_bindgen_test]
fn fixture_queries_match_the_native_results() {
    let mut failures = Vec::new();
    for case in common::cases() {
        let options = case.get("options").map(|o| o.to_string()).unwrap_or_else(|| "{}".into());
        let result = if case.get("filter").and_then(Value::as_bool) == Some(true) {
            to_json(&recherche::filter(js(&options)).expect("filter"))
        } else {
            search(case["query"].as_str().unwrap(), &options)
        };
        if let Err(e) = common::check(&case, &result, &|q| search(q, "{}")) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[wasm_bindgen_test]
fn invalid_options_throw_errors_naming_the_field() {
    let cases = [
        (r#"{"sort": "random"}"#, "options.sort"),
        (r#"{"limit": -1}"#, "options.limit"),
        (r#"{"limit": "10"}"#, "options.limit"),
        (r#"{"offset": -1}"#, "options.offset"),
        (r#"{"colour": 1}"#, "options.colour"),
        (r#"{"__proto__": {"polluted": 1}}"#, "options.__proto__"),
        (r#"{"filters": {"year": "deux mille"}}"#, "options.filters.year"),
        (r#"{"filters": {"from": "2024-13-45"}}"#, "options.filters.from"),
        (r#"{"filters": {"pays": "France"}}"#, "options.filters.pays"),
        (r#"{"filters": 3}"#, "options.filters"),
        (r#"5"#, "options"),
        (r#""x""#, "options"),
    ];
    for (opts, field) in cases {
        let e = error_of(recherche::search(JsValue::from_str("otan"), js(opts)));
        let msg: String = e.message().into();
        assert!(msg.contains(field), "{opts}: {msg}");
        let f = js_sys::Reflect::get(&e, &JsValue::from_str("field")).unwrap();
        assert_eq!(f.as_string().as_deref(), Some(field), "{opts}");
        // filter() validates the same way.
        assert!(recherche::filter(js(opts)).is_err());
    }
    // NaN is not JSON: build it directly.
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"limit".into(), &JsValue::from_f64(f64::NAN)).unwrap();
    let msg: String = error_of(recherche::search("otan".into(), o.into())).message().into();
    assert!(msg.contains("options.limit"), "{msg}");
    // Not a string query.
    let msg: String = error_of(recherche::search(JsValue::from_f64(3.0), JsValue::UNDEFINED)).message().into();
    assert!(msg.contains("query"), "{msg}");
    // Nothing was polluted.
    assert!(js_sys::Reflect::get(&js_sys::Object::new(), &"polluted".into()).unwrap().is_undefined());
}

/// Every options value is read through a call into JS, and page code may
/// pass an array holding itself 1,024 times (as the options themselves,
/// 1,024⁴ values within the four levels read): at most `MAX_OPTION_VALUES` are read in all, and the call
/// is refused naming the field. The largest valid options are read whole.
#[wasm_bindgen_test]
fn reading_options_is_bounded_in_all() {
    use recherche::options::{MAX_FILTER_VALUES, MAX_OPTION_VALUES};
    let set = |o: &JsValue, k: &str, v: &JsValue| {
        js_sys::Reflect::set(o, &k.into(), v).unwrap();
    };
    // Counts every property read, `length` included.
    let count = js_sys::Function::new_with_args("t, k, r", "globalThis.__optionReads = (globalThis.__optionReads || 0) + 1; return Reflect.get(t, k, r);");
    let handler = js_sys::Object::new();
    set(&handler, "get", &count);
    let target = js_sys::Array::new();
    let nested: JsValue = js_sys::Proxy::new(&target, &handler).into();
    for _ in 0..1024 {
        target.push(&nested);
    }
    let wrap = |path: &[&str]| {
        let mut v = nested.clone();
        for key in path.iter().rev() {
            let o: JsValue = js_sys::Object::new().into();
            set(&o, key, &v);
            v = o;
        }
        v
    };
    for (options, field) in [
        (wrap(&[]), "options"),
        (wrap(&["filters", "year"]), "options.filters.year"),
        (wrap(&["filters", "source"]), "options.filters.source"),
        (wrap(&["colour"]), "options.colour"),
    ] {
        set(&js_sys::global(), "__optionReads", &0.into());
        let e = error_of(recherche::search("otan".into(), options.clone()));
        let f = js_sys::Reflect::get(&e, &JsValue::from_str("field")).unwrap();
        assert_eq!(f.as_string().as_deref(), Some(field));
        let reads = js_sys::Reflect::get(&js_sys::global(), &"__optionReads".into()).unwrap().as_f64().unwrap() as usize;
        // Each value read, and at most one `length` per value.
        assert!(reads > 1000 && reads <= 2 * MAX_OPTION_VALUES + 1, "{field}: {reads} reads");
        assert!(recherche::filter(options).is_err());
    }
    // The largest valid options: 256 values in each list, one of them the
    // newest document's.
    let all = to_json(&recherche::filter(JsValue::UNDEFINED).unwrap());
    let newest = &all["hits"][0];
    let year: u64 = newest["date"].as_str().unwrap()[..4].parse().unwrap();
    let source = newest["source"].as_str().unwrap().to_string();
    let person = newest["people"][0].as_str().unwrap().to_string();
    let list = |real: serde_json::Value, other: &dyn Fn(usize) -> serde_json::Value| {
        let mut v = vec![real];
        v.extend((1..MAX_FILTER_VALUES).map(other));
        serde_json::Value::Array(v)
    };
    let full = serde_json::json!({
        "limit": 10, "offset": 0, "sort": "date",
        "filters": {
            "year": list(year.into(), &|i| (1000 + i).into()),
            "from": "2016-01-01", "to": "2024-12-31",
            "source": list(source.clone().into(), &|i| format!("nulle part {i}").into()),
            "person": list(person.clone().into(), &|i| format!("personne {i}").into()),
        },
    });
    let small = serde_json::json!({ "sort": "date", "filters": { "year": year, "source": source, "person": person } });
    let (full, small) = (search("otan", &full.to_string()), search("otan", &small.to_string()));
    assert!(full["total"].as_u64().unwrap() > 0);
    assert_eq!(common::ids(&full), common::ids(&small));
}

#[wasm_bindgen_test]
fn clamped_and_defaulted_options() {
    let r = search("otan", r#"{"limit": 1e9, "filters": null}"#);
    assert_eq!(r["hits"].as_array().unwrap().len(), 5);
    let r = to_json(&recherche::search("otan".into(), JsValue::UNDEFINED).unwrap());
    assert_eq!(r["total"], 5);
    let r = to_json(&recherche::filter(JsValue::NULL).unwrap());
    assert_eq!(r["total"], 5);
    assert_eq!(r["query"], Value::Null);
}

#[wasm_bindgen_test]
fn hostile_queries_keep_the_module_alive() {
    let big = "a".repeat(1 << 20);
    let words = "otan ".repeat(10_000);
    let nested = "\"".repeat(500) + "otan" + &"\"".repeat(500);
    let hostile = [big.as_str(), words.as_str(), nested.as_str(), "!!!", "de la les", "-a -b -c", "👩‍👩‍👧‍👦🙂", "\u{0}", "\u{202e}otan", ""];
    for q in hostile {
        let r = recherche::search(JsValue::from_str(q), JsValue::UNDEFINED);
        assert!(r.is_ok(), "query of {} bytes failed", q.len());
    }
    // Still answers normally.
    assert_eq!(common::ids(&search("Esper", "{}")), vec!["001_80dbe67e56024610"]);
    // Only the beginning of a huge query is read, and `ignored` says so.
    let huge = format!("Esper {}", "x ".repeat(5 << 20));
    let r = to_json(&recherche::search(JsValue::from_str(&huge), JsValue::UNDEFINED).unwrap());
    assert_eq!(common::ids(&r), vec!["001_80dbe67e56024610"]);
    let last = r["ignored"].as_array().unwrap().last().unwrap().as_str().unwrap().to_string();
    assert!(last.contains("characters past the first 16384 not read"), "{last}");
    assert!(r["query"].as_str().unwrap().len() <= recherche::query::MAX_QUERY_CHARS * 3);
}

#[wasm_bindgen_test]
fn get_document_returns_every_field() {
    let d = to_json(&recherche::get_document("003_a15a7d027a6a9886".into(), JsValue::UNDEFINED).unwrap());
    assert_eq!(d["title"], "Stoltenberg a eu \"une bonne discussion\" avec Trump sur l'avenir de l'Otan");
    assert_eq!(d["date"], Value::Null);
    assert_eq!(d["source"], "Presse");
    assert_eq!(d["people"], serde_json::json!(["Jens Stoltenberg", "Donald Trump"]));
    assert!(d["body"].as_array().unwrap().len() > 3);
    assert!(d.get("bodyHtml").is_none() && d.get("sections").is_none());
    let d = to_json(&recherche::get_document("000_1b5536374200d0e3".into(), JsValue::NULL).unwrap());
    assert_eq!(d["date"], "2024-06-21");
    assert_eq!(d["updated"], "2024-06-24T11:03");
    assert_eq!(d["captions"].as_array().unwrap().len(), 1);
    assert!(recherche::get_document("nope".into(), JsValue::UNDEFINED).unwrap().is_null());
    assert!(recherche::get_document("nope".into(), "otan".into()).unwrap().is_null());
    assert!(recherche::get_document(JsValue::from_f64(1.0), JsValue::UNDEFINED).is_err());
}

#[wasm_bindgen_test]
fn get_document_with_a_query_marks_its_words() {
    let d = to_json(&recherche::get_document("000_1b5536374200d0e3".into(), "Washingt".into()).unwrap());
    let body: Vec<&str> = d["body"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    let html: Vec<&str> = d["bodyHtml"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(html.len(), body.len());
    // The prefix's completion is marked, as in snippets; nothing else is.
    assert!(html.iter().any(|p| p.contains("<mark>Washington</mark>")), "{html:?}");
    for (h, b) in html.iter().zip(&body) {
        let plain = h.replace("<mark>", "").replace("</mark>", "");
        assert_eq!(plain, b.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;"));
    }
    assert_eq!(d["captionsHtml"].as_array().unwrap().len(), 1);
    let e = recherche::get_document("000_1b5536374200d0e3".into(), JsValue::from_f64(1.0)).unwrap_err();
    assert_eq!(js_sys::Reflect::get(&e, &"field".into()).unwrap(), "query");
}

#[wasm_bindgen_test]
fn get_document_reads_only_the_beginning_of_a_huge_query_and_no_overlong_id() {
    let id = "000_1b5536374200d0e3";
    let marked = |q: &str| {
        let d = to_json(&recherche::get_document(id.into(), JsValue::from_str(q)).unwrap());
        d["bodyHtml"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().contains("<mark>Washington</mark>"))
    };
    // The word inside the first MAX_QUERY_CHARS is marked; past them, it is not read.
    let max = recherche::query::MAX_QUERY_CHARS;
    assert!(marked(&format!("{}Washington", " ".repeat(max - 10))));
    assert!(!marked(&format!("{}Washington", " ".repeat(max))));
    assert!(!marked(&format!("{}Washington", " ".repeat(4 << 20))));
    // No document has an id longer than the build allows (tests/corpus.rs):
    // null, even with a query.
    let long = "a".repeat(recherche::document::MAX_ID_CHARS + 1);
    assert!(recherche::get_document(JsValue::from_str(&long), JsValue::UNDEFINED).unwrap().is_null());
    assert!(recherche::get_document(JsValue::from_str(&long), "otan".into()).unwrap().is_null());
    // Its type is still checked first.
    assert!(recherche::get_document(JsValue::from_str(&long), JsValue::from_f64(1.0)).is_err());
    // An id of the longest length is looked up (none has it here).
    assert!(recherche::get_document(JsValue::from_str(&long[1..]), JsValue::UNDEFINED).unwrap().is_null());
    // Neither a huge id nor a huge query is copied into the module: 96 M
    // characters of each (made in JS) leave its memory as it was, or
    // nearly (a copy would grow it by 96 MB, as memory never shrinks).
    let memory = || wasm_bindgen::memory().unchecked_into::<js_sys::WebAssembly::Memory>().buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length();
    let huge: JsValue = js_sys::JsString::from("a").repeat(96 << 20).into();
    let before = memory();
    assert!(recherche::get_document(huge.clone(), JsValue::UNDEFINED).unwrap().is_null());
    assert!(recherche::get_document(huge.clone(), "otan".into()).unwrap().is_null());
    assert!(!recherche::get_document(id.into(), huge.clone()).unwrap().is_null());
    assert!(recherche::search(huge, JsValue::UNDEFINED).is_ok());
    let grown = memory() - before;
    assert!(grown < 16 << 20, "the module's memory grew by {grown} bytes");
}

/// The seeds are embedded: the module never wants a file, knows none,
/// and refuses any it is handed, naming it, and still answers after
/// (the contract; that the module leaves out the code for files is
/// what `make bench`'s size shows).
#[cfg(not(recherche_split))]
#[wasm_bindgen_test]
fn an_embedded_index_wants_no_file_and_refuses_any() {
    assert_eq!(recherche::wanted().unwrap(), "");
    assert_eq!(recherche::size("d024b9990.bin".into()), 0);
    let bytes: JsValue = js_sys::Uint8Array::from(&[1u8, 2, 3][..]).into();
    let e = recherche::load("d024b9990.bin".into(), bytes).expect_err("must throw");
    let msg = String::from(e.dyn_into::<js_sys::Error>().expect("a JS Error").message());
    assert!(msg.contains("d024b9990.bin") && msg.contains("not a file of this index"), "{msg}");
    assert_eq!(search("Stoltenberg", "{}")["total"], 5);
}
