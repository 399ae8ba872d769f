//! Rough timing of one query, with and without result pages:
//! `cargo run --release --example timing -- otan`.
use recherche::engine::Engine;
use recherche::options::SearchOptions;
use std::time::Instant;

fn main() {
    // RECHERCHE_BENCH_INDEX=target/bench/large/index.bin to time another corpus.
    let bytes = match std::env::var_os("RECHERCHE_BENCH_INDEX") {
        Some(p) => std::fs::read(p).expect("index file"),
        None => recherche::engine::EMBEDDED_INDEX.to_vec(),
    };
    let engine = Engine::open(&bytes).expect("index");
    let q = std::env::args().nth(1).unwrap_or_else(|| "otan".into());
    for limit in [0, 1, 10] {
        let opts = SearchOptions { limit, ..Default::default() };
        let n = 200;
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
    if std::env::var_os("HITS").is_some() {
        per_hit(&engine, &q);
    }
    if std::env::var_os("STAGES").is_some() {
        stages(&engine);
    }
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
        // As highlighting analyses (compounds also whole).
        std::hint::black_box(analysis::analyze_where(&text, 0, Mode::Index, |_| false, |_| {}));
    }
    println!("analyze_where(none): {:.1} µs", t.elapsed().as_secs_f64() * 1e6 / n as f64);
    let t = Instant::now();
    for _ in 0..n {
        std::hint::black_box(analysis::analyze(&text, 0, Mode::Index, |_| {}));
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

#[allow(dead_code)]
pub fn per_hit(engine: &Engine, q: &str) {
    let r = engine.search(q, &SearchOptions::default()).unwrap();
    for h in &r.hits {
        let d = engine.document(&h.id).unwrap().unwrap();
        let chars: usize = d.body.iter().map(|p| p.chars().count()).sum();
        println!("  {} paragraphs {} chars {}", h.id, d.body.len(), chars);
    }
}
