//! Build-time indexing: corpus → analysis → elasticlunr-rs → compact index.
//!
//! 1. Load the corpus: `seeds/`, or the folder or `.jsonl` file named by
//!    `RECHERCHE_CORPUS` (relative paths are relative to this crate).
//! 2. Analyse every document with the project's French analyzer
//!    (`src/analysis`), recording positions.
//! 3. Have elasticlunr-rs build its inverted index through the same
//!    analyzer (as an elasticlunr `Language`), and write its JSON to
//!    `OUT_DIR/elasticlunr.json` for size comparison.
//! 4. Write elasticlunr's inverted index, checked against the positions,
//!    as the compact binary index (format in `src/index/mod.rs`), in the
//!    layout `RECHERCHE_LAYOUT` asks for: `embedded` (`OUT_DIR/index.bin`
//!    is the whole index), `split` (`OUT_DIR/index.bin` is the root and
//!    `OUT_DIR/index/` holds the shard files) or `auto`, the default:
//!    split above [`index::AUTO_SPLIT_BYTES`]. `src/engine.rs` embeds
//!    `index.bin`.
//!
//! A bad corpus fails the build with a message naming the file and line.

#![allow(dead_code, unused_imports)]

#[path = "src/analysis/mod.rs"]
mod analysis;
#[path = "src/corpus/mod.rs"]
mod corpus;
#[path = "src/date.rs"]
mod date;
#[path = "src/document.rs"]
mod document;
#[path = "src/index/mod.rs"]
mod index;
#[path = "src/rank.rs"]
mod rank;

use elasticlunr::{Language, Pipeline};
use index::write::{Builder, Counts};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

/// elasticlunr-rs's view of our analyzer: tokenisation does everything
/// (elision, folding, stop words, stemming), so the pipeline is empty.
struct RechercheFrench;

impl Language for RechercheFrench {
    fn name(&self) -> String {
        "RechercheFrench".into()
    }
    fn code(&self) -> String {
        "fr".into()
    }
    fn tokenize(&self, text: &str) -> Vec<String> {
        analysis::terms(text, analysis::Mode::Index)
    }
    fn make_pipeline(&self) -> Pipeline {
        Pipeline { queue: Vec::new() }
    }
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("\nerror: recherche cannot build its index: {message}\n");
    std::process::exit(1);
}

fn main() {
    let started = Instant::now();
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-env-changed=RECHERCHE_CORPUS");
    println!("cargo:rerun-if-env-changed=RECHERCHE_RANKING");
    println!("cargo:rerun-if-env-changed=RECHERCHE_LAYOUT");
    // The layout: checked before the corpus is read, for the same reason.
    let layout = std::env::var("RECHERCHE_LAYOUT").unwrap_or_default();
    let layout = match layout.as_str() {
        "" | "auto" => None,
        "embedded" => Some(false),
        "split" => Some(true),
        other => fail(format!("RECHERCHE_LAYOUT is {other:?}: it must be embedded, split or auto")),
    };
    // Ranking parameters: checked first, they are the cheapest mistake.
    let ranking = match std::env::var("RECHERCHE_RANKING") {
        Ok(spec) => rank::RankingParams::parse(&spec).unwrap_or_else(|e| fail(format!("RECHERCHE_RANKING: {e}"))),
        Err(_) => rank::RankingParams::DEFAULT,
    };
    std::fs::write(out.join("ranking.rs"), format!("{ranking:?}")).unwrap_or_else(|e| fail(e));
    // Tests that run this script again find it here (several scripts of
    // this crate can sit in a target directory).
    if let Ok(me) = std::env::current_exe() {
        std::fs::write(out.join("build-script.path"), me.display().to_string()).unwrap_or_else(|e| fail(e));
    }
    println!("cargo:rerun-if-changed=build.rs");
    for p in ["src/analysis", "src/corpus", "src/index", "src/date.rs", "src/document.rs", "src/rank.rs"] {
        println!("cargo:rerun-if-changed={p}");
    }
    let corpus_path = match std::env::var_os("RECHERCHE_CORPUS").filter(|v| !v.is_empty()) {
        Some(p) => manifest.join(PathBuf::from(p)),
        None => manifest.join("seeds"),
    };
    println!("cargo:rerun-if-changed={}", corpus_path.display());

    let mut corpus = corpus::load(&corpus_path).unwrap_or_else(|e| fail(e));
    for note in &corpus.notes {
        println!("cargo:warning=recherche: {note}");
    }
    for f in &corpus.ignored {
        println!("cargo:warning=recherche: {} is none of .txt, .jsonl, .html or .htm and was not indexed", f.display());
    }
    if corpus.documents.is_empty() {
        fail(format!("{}: the corpus holds no document", corpus_path.display()));
    }

    let mut builder = Builder::new();
    let mut lunr = elasticlunr::IndexBuilder::with_language(Box::new(RechercheFrench)).save_docs(false).add_fields(index::FIELDS).build();
    let documents = std::mem::take(&mut corpus.documents);
    for (n, doc) in documents.into_iter().enumerate() {
        // Our analysis first: it checks the index limits before elasticlunr
        // spends time and memory on a document that cannot be indexed.
        builder.add(doc).unwrap_or_else(|e| fail(format!("{}: {e}", corpus.origin(n))));
        let texts = index::write::field_texts(&builder.documents()[n]);
        let joined: Vec<String> = texts.iter().map(|paragraphs| paragraphs.join("\n")).collect();
        lunr.add_doc(&n.to_string(), &joined);
    }
    let json = lunr.to_json();
    drop(lunr);
    std::fs::write(out.join("elasticlunr.json"), &json).unwrap_or_else(|e| fail(e));
    let counts = counts_from_elasticlunr(&json, builder.documents().len()).unwrap_or_else(|e| fail(format!("reading elasticlunr's index: {e}")));
    drop(json);

    let parts = builder.parts(&counts).unwrap_or_else(|e| fail(e));
    drop(counts);
    let (embedded, mut sizes) = parts.embedded().unwrap_or_else(|e| fail(e));
    let split = layout.unwrap_or(embedded.len() > index::AUTO_SPLIT_BYTES);
    // Shard files go to OUT_DIR/index/ (emptied first); `make package`
    // copies them beside the module.
    let dir = out.join("index");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())));
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())));
    let (bytes, files) = if split {
        let s = parts.split(&index::write::ShardTargets::DEFAULT).unwrap_or_else(|e| fail(e));
        sizes = s.sizes;
        (s.root, s.files)
    } else {
        (embedded, Vec::new())
    };
    drop(parts);
    index::read::Index::open(&bytes).unwrap_or_else(|e| fail(format!("the index just written does not open: {e}")));
    std::fs::write(out.join("index.bin"), &bytes).unwrap_or_else(|e| fail(e));
    for (name, b) in &files {
        std::fs::write(dir.join(name), b).unwrap_or_else(|e| fail(format!("{name}: {e}")));
    }
    let largest = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);

    let mut stats = String::from("{");
    stats += &format!(
        "\"corpus\":{:?},\"documents\":{},\"index_bytes\":{},\"root_bytes\":{},",
        corpus_path.display().to_string(),
        builder.documents().len(),
        bytes.len() + files.iter().map(|(_, b)| b.len()).sum::<usize>(),
        bytes.len()
    );
    stats += &format!("\"elasticlunr_json_bytes\":{},", std::fs::metadata(out.join("elasticlunr.json")).map(|m| m.len()).unwrap_or(0));
    stats += &format!(
        "\"layout\":\"{}\",\"files\":{},\"largest_file_bytes\":{largest},\"files_bytes\":{},",
        if split { "split" } else { "embedded" },
        files.len(),
        files.iter().map(|(_, b)| b.len()).sum::<usize>()
    );
    stats += "\"sections\":{";
    let parts: Vec<String> = index::Section::ALL.iter().zip(sizes).map(|(s, n)| format!("{:?}:{}", s.name(), n)).collect();
    stats += &parts.join(",");
    stats += &format!("}},\"index_seconds\":{:.3}}}", started.elapsed().as_secs_f64());
    std::fs::write(out.join("stats.json"), stats).unwrap_or_else(|e| fail(e));
}

/// Reads elasticlunr's serialised index back into counts: each field's
/// character trie gives term → document → tf (stored as √count), and the
/// document store gives field lengths.
fn counts_from_elasticlunr(json: &str, doc_count: usize) -> Result<Counts, String> {
    use serde_json::Value;
    let v: Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut counts = Counts { terms: BTreeMap::new(), field_lengths: vec![[0; 3]; doc_count] };
    for (f, field) in index::FIELDS.iter().enumerate() {
        let root = v.pointer(&format!("/index/{field}/root")).ok_or_else(|| format!("no inverted index for field {field}"))?;
        let mut stack: Vec<(String, &Value)> = vec![(String::new(), root)];
        while let Some((term, node)) = stack.pop() {
            let Value::Object(map) = node else {
                return Err("malformed trie node".into());
            };
            for (key, child) in map {
                match key.as_str() {
                    "docs" => {
                        let Value::Object(docs) = child else {
                            return Err("malformed docs".into());
                        };
                        for (doc_ref, tf) in docs {
                            let doc: u32 = doc_ref.parse().map_err(|_| format!("bad document ref {doc_ref}"))?;
                            let tf = tf.get("tf").and_then(Value::as_f64).ok_or("missing tf")?;
                            let count = (tf * tf).round() as u32;
                            counts.terms.entry(term.clone()).or_default().entry(doc).or_insert([0; 3])[f] = count;
                        }
                    }
                    "df" => {}
                    ch => stack.push((format!("{term}{ch}"), child)),
                }
            }
        }
    }
    let info = v.pointer("/documentStore/docInfo").and_then(Value::as_object).ok_or("no document store")?;
    for (doc_ref, lens) in info {
        let doc: usize = doc_ref.parse().map_err(|_| format!("bad document ref {doc_ref}"))?;
        let slot = counts.field_lengths.get_mut(doc).ok_or("document ref out of range")?;
        for (f, field) in index::FIELDS.iter().enumerate() {
            slot[f] = lens.get(field).and_then(Value::as_u64).unwrap_or(0) as u32;
        }
    }
    Ok(counts)
}
