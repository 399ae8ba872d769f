//! Runs queries against the embedded index from the command line:
//! `cargo run --example query -- "sommet de Washington" otan`.

// A native tool: it reads the split index's files from the build's
// folder (wasm-pack test compiles examples for wasm32 too).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    use recherche::engine::Engine;
    use recherche::options::SearchOptions;
    let engine = Engine::embedded_with_files().expect("embedded index");
    for q in std::env::args().skip(1) {
        let r = engine.search(&q, &SearchOptions::default()).expect("search");
        println!("{q:?}: total {} relaxed {} ignored {:?}", r.total, r.relaxed, r.ignored);
        for h in &r.hits {
            println!("  {} {:>7.3} {:?} {}", h.id, h.score, h.date, h.title);
            println!("      {}", h.snippet);
            for s in &h.sections {
                println!("      § {} ({})", s.heading, s.url.as_deref().unwrap_or(&s.anchor));
            }
        }
    }
}
