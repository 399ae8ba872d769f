//! Checks shared by the native tests (`tests/queries.rs`) and the browser
//! tests (`tests/web.rs`): both run `tests/fixtures/queries.json` and
//! compare the JSON results the same way, so the same queries give the
//! same results natively and in the browser.

use serde_json::Value;

pub const QUERIES: &str = include_str!("../fixtures/queries.json");

pub fn cases() -> Vec<Value> {
    serde_json::from_str::<Value>(QUERIES).expect("queries.json").as_array().expect("an array").clone()
}

pub fn ids(result: &Value) -> Vec<String> {
    result["hits"].as_array().expect("hits").iter().map(|h| h["id"].as_str().expect("id").to_string()).collect()
}

/// Compares one result with its case. `run` runs another query (for `same_as`).
pub fn check(case: &Value, result: &Value, run: &dyn Fn(&str) -> Value) -> Result<(), String> {
    let name = case["name"].as_str().unwrap_or("?");
    let fail = |what: String| Err(format!("{name}: {what}\nresult: {result}"));
    let got = ids(result);
    if let Some(expected) = case.get("ids") {
        let expected: Vec<String> = serde_json::from_value(expected.clone()).unwrap();
        if got != expected {
            return fail(format!("ids {got:?}, expected {expected:?}"));
        }
    }
    // `set`: exactly these documents, in any order.
    if let Some(expected) = case.get("set") {
        let mut expected: Vec<String> = serde_json::from_value(expected.clone()).unwrap();
        let mut sorted = got.clone();
        expected.sort();
        sorted.sort();
        if sorted != expected {
            return fail(format!("documents {sorted:?}, expected {expected:?}"));
        }
    }
    // `before`: pairs [a, b] where a must rank above b (both present).
    if let Some(pairs) = case.get("before").and_then(Value::as_array) {
        for pair in pairs {
            let (a, b) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            match (got.iter().position(|x| x == a), got.iter().position(|x| x == b)) {
                (Some(i), Some(j)) if i < j => {}
                _ => return fail(format!("{a} must rank above {b}: {got:?}")),
            }
        }
    }
    if let Some(first) = case.get("first").and_then(Value::as_str) {
        if got.first().map(String::as_str) != Some(first) {
            return fail(format!("first {:?}, expected {first}", got.first()));
        }
    }
    if let Some(total) = case.get("total") {
        if &result["total"] != total {
            return fail(format!("total {}, expected {total}", result["total"]));
        }
    }
    if let Some(relaxed) = case.get("relaxed") {
        if &result["relaxed"] != relaxed {
            return fail(format!("relaxed {}, expected {relaxed}", result["relaxed"]));
        }
    }
    if let Some(ignored) = case.get("ignored") {
        if &result["ignored"] != ignored {
            return fail(format!("ignored {}, expected {ignored}", result["ignored"]));
        }
    }
    if let Some(other) = case.get("same_as").and_then(Value::as_str) {
        let expected = ids(&run(other));
        if got != expected || got.is_empty() {
            return fail(format!("ids {got:?}, expected the same as {other:?}: {expected:?}"));
        }
    }
    if let Some(s) = case.get("snippet") {
        let id = s["id"].as_str().unwrap();
        let hit = result["hits"].as_array().unwrap().iter().find(|h| h["id"] == id);
        let Some(snippet) = hit.and_then(|h| h["snippet"].as_str()) else {
            return fail(format!("no hit {id}"));
        };
        for part in s["contains"].as_array().unwrap() {
            if !snippet.contains(part.as_str().unwrap()) {
                return fail(format!("snippet {snippet:?} lacks {part}"));
            }
        }
    }
    if let Some(facets) = case.get("facets").and_then(Value::as_object) {
        for (field, expected) in facets {
            let actual: Vec<Value> =
                result["facetLists"][field].as_array().expect("facetLists").iter().map(|item| Value::Array(vec![item["value"].clone(), item["count"].clone()])).collect();
            if &Value::Array(actual.clone()) != expected {
                return fail(format!("facet {field}: {actual:?}, expected {expected}"));
            }
        }
    }
    // Every hit is well formed.
    for h in result["hits"].as_array().unwrap() {
        for key in ["id", "title", "snippet"] {
            if !h[key].is_string() {
                return fail(format!("hit without {key}"));
            }
        }
        if !h["score"].is_number() {
            return fail("hit without a score".into());
        }
    }
    Ok(())
}
