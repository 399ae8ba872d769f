//! Native query latency with criterion, over the 30 queries of
//! `bench/queries.json`. The index is the embedded one, or the file named
//! by `RECHERCHE_BENCH_INDEX` (`make bench` passes each corpus's index).
//! Each query is one benchmark; `bench/run.mjs` reads criterion's
//! estimates to report p50 and p95 across the 30.

use criterion::{criterion_group, criterion_main, Criterion};
use recherche::engine::{Engine, EMBEDDED_INDEX};
use recherche::options::{self, Value};
use std::time::Duration;

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
        let opts = options::parse(&item.get("options").map(Value::from).unwrap_or(Value::Undefined)).unwrap();
        group.bench_function(format!("{i:02}"), |b| b.iter(|| engine.search(std::hint::black_box(&q), &opts).unwrap()));
    }
    group.finish();
}

criterion_group!(benches, queries);
criterion_main!(benches);
