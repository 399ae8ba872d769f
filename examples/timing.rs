//! Rough timing of one query, with and without result pages:
//! `cargo run --release --example timing -- otan`.
use recherche::engine::Engine;
use recherche::options::SearchOptions;
use std::time::Instant;

fn main() {
    let engine = Engine::embedded().expect("embedded index");
    let q = std::env::args().nth(1).unwrap_or_else(|| "otan".into());
    for limit in [0, 1, 10] {
        let opts = SearchOptions { limit, ..Default::default() };
        let n = 2000;
        let t = Instant::now();
        for _ in 0..n {
            std::hint::black_box(engine.search(&q, &opts).unwrap());
        }
        println!("{q:?} limit {limit}: {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    }
    let t = Instant::now();
    for _ in 0..2000 {
        std::hint::black_box(recherche::query::parse(&q));
    }
    println!("parse: {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / 2000.0);
    stages(&engine);
}

#[allow(dead_code)]
fn stages(engine: &Engine) {
    use recherche::analysis::{self, Mode};
    let doc = engine.index().stored(0).unwrap();
    let text = doc.body.join("\n");
    baseline(&text);
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(analysis::raw_words(&text).count());
    }
    println!("raw words ({} bytes): {:.1} µs", text.len(), t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(analysis::analyze_where(&text, 0, Mode::Query, |_| false, |_| {}));
    }
    println!("analyze_where(none): {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(analysis::analyze(&text, 0, Mode::Query, |_| {}));
    }
    println!("analyze (all): {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(engine.index().stored(0).unwrap());
    }
    println!("stored(0): {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}

#[allow(dead_code)]
fn baseline(text: &str) {
    let n = 2000;
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(std::hint::black_box(text).chars().filter(|c| c.is_alphanumeric()).count());
    }
    println!("baseline chars().filter(is_alphanumeric): {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
}
