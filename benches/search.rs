//! Native query latency with criterion, over the 30 queries of
//! `bench/queries.json`. The index is the embedded one, or the file named
//! by `RECHERCHE_BENCH_INDEX` (`make bench` passes each corpus's index).
//! Each query is one benchmark; `bench/run.mjs` reads criterion's
//! estimates to report p50 and p95 across the 30.

use criterion::{criterion_group, criterion_main, Criterion};
use recherche::engine::{Engine, EMBEDDED_INDEX};
use recherche::options::{self, Value};
use std::time::Duration;

fn to_value(v: &serde_json::Value) -> Value {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap()),
        serde_json::Value::String(s) => Value::String(s.clone()),
        serde_json::Value::Array(a) => Value::Array(a.iter().map(to_value).collect()),
        serde_json::Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

fn queries(c: &mut Criterion) {
    let bytes: Vec<u8> = match std::env::var_os("RECHERCHE_BENCH_INDEX") {
        Some(p) => std::fs::read(p).expect("RECHERCHE_BENCH_INDEX"),
        None => EMBEDDED_INDEX.to_vec(),
    };
    let engine = Engine::open(&bytes).expect("index");
    let list: Vec<serde_json::Value> = serde_json::from_str(include_str!("../bench/queries.json")).unwrap();
    let mut group = c.benchmark_group("query");
    group.warm_up_time(Duration::from_millis(200)).measurement_time(Duration::from_millis(600)).sample_size(20);
    for (i, item) in list.iter().enumerate() {
        let q = item["q"].as_str().unwrap().to_string();
        let opts = options::parse(&item.get("options").map(to_value).unwrap_or(Value::Undefined)).unwrap();
        group.bench_function(format!("{i:02}"), |b| b.iter(|| engine.search(std::hint::black_box(&q), &opts).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
