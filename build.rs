//! Build-time indexing: corpus → analysis → elasticlunr-rs → compact index.
//!
//! 1. Load the corpus: `seeds/`, or the folder or `.jsonl` file named by
//!    `RECHERCHE_CORPUS` (relative paths are relative to this crate).
//! 2. Analyse every document with the project's French analyzer
//!    (`src/analysis`), recording positions.
//! 3. Have elasticlunr-rs build its inverted index through the same
//!    analyzer (as an elasticlunr `Language`), and read that index as it
//!    serialises it to `OUT_DIR/elasticlunr.json` (kept for size
//!    comparison); the JSON is neither held in memory nor parsed back.
//! 4. Write elasticlunr's inverted index, checked against the positions,
//!    as the compact binary index (format in `src/index/mod.rs`), in the
//!    layout `RECHERCHE_LAYOUT` asks for: `embedded` (`OUT_DIR/index.bin`
//!    is the whole index), `split` (`OUT_DIR/index.bin` is the root and
//!    `OUT_DIR/index/` holds the shard files) or `auto`, the default:
//!    split above [`index::AUTO_SPLIT_BYTES`], its shards as small as the
//!    file cap allows (`Parts::fitted`). `src/engine.rs` embeds
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
use serde_json::ser::{CharEscape, CompactFormatter, Formatter};
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
    println!("cargo:rerun-if-env-changed=RECHERCHE_RANGE_ABOVE");
    // The layout: checked before the corpus is read, for the same reason.
    let layout = std::env::var("RECHERCHE_LAYOUT").unwrap_or_default();
    let layout = match layout.as_str() {
        "" | "auto" => None,
        "embedded" => Some(false),
        "split" => Some(true),
        other => fail(format!("RECHERCHE_LAYOUT is {other:?}: it must be embedded, split or auto")),
    };
    // A split index reads postings and positions chunks longer than this
    // by byte range (`index::shards::Directory::range_above`); by default
    // 0: all of them.
    let mut targets = index::write::ShardTargets::DEFAULT;
    match std::env::var("RECHERCHE_RANGE_ABOVE").as_deref() {
        Err(_) | Ok("") => {}
        Ok(v) => targets.range_above = v.parse().unwrap_or_else(|_| fail(format!("RECHERCHE_RANGE_ABOVE is {v:?}: it must be a number of bytes (0 to 4294967295)"))),
    }
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
    let json = std::fs::File::create(out.join("elasticlunr.json")).unwrap_or_else(|e| fail(e));
    let counts = counts_from_elasticlunr(&lunr, builder.documents().len(), json).unwrap_or_else(|e| fail(format!("reading elasticlunr's index: {e}")));
    drop(lunr);

    let parts = builder.parts(&counts).unwrap_or_else(|e| fail(e));
    drop(counts);
    let (embedded, mut sizes) = parts.embedded().unwrap_or_else(|e| fail(e));
    let split = layout.unwrap_or(embedded.len() > index::AUTO_SPLIT_BYTES);
    // The module keeps the code that loads shards only when it needs it
    // (`index::read::SPLIT_SUPPORT`).
    if split {
        println!("cargo:rustc-cfg=recherche_split");
    }
    // Shard files go to OUT_DIR/index/ (emptied first); `make package`
    // copies them beside the module.
    let dir = out.join("index");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())));
    }
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| fail(format!("{}: {e}", dir.display())));
    let (bytes, files) = if split {
        drop(embedded);
        let parts = parts.into_record_checksums().unwrap_or_else(|e| fail(e));
        let t = parts.fitted(&targets);
        let s = parts.split(&t).unwrap_or_else(|e| fail(e));
        sizes = s.sizes;
        (s.root, s.files)
    } else {
        drop(parts);
        (embedded, Vec::new())
    };
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

/// Reads elasticlunr's inverted index into counts as elasticlunr-rs
/// serialises it, writing that JSON to `json` on the way: each field's
/// character trie gives term → document → tf (stored as √count), and the
/// document store gives field lengths.
///
/// elasticlunr-rs keeps its tries and document store private
/// (`Index::index`, `Index::document_store`, `InvertedIndex::root`); its
/// serialisation is their only public view. So the serialiser's formatter
/// watches the values go by: the JSON text is never held in memory and
/// never parsed back.
fn counts_from_elasticlunr(lunr: &elasticlunr::Index, doc_count: usize, json: impl std::io::Write) -> Result<Counts, String> {
    use serde::Serialize;
    let mut reader = CountsReader { counts: Counts { terms: BTreeMap::new(), field_lengths: vec![[0; 3]; doc_count] }, ..CountsReader::default() };
    let mut serializer = serde_json::Serializer::with_formatter(std::io::BufWriter::with_capacity(1 << 16, json), &mut reader);
    lunr.serialize(&mut serializer).map_err(|e| e.to_string())?;
    serializer.into_inner().into_inner().map_err(|e| e.error().to_string())?;
    if let Some(f) = reader.roots.iter().position(|seen| !seen) {
        return Err(format!("no inverted index for field {}", index::FIELDS[f]));
    }
    if !reader.document_store {
        return Err("no document store".into());
    }
    Ok(reader.counts)
}

/// The state of [`counts_from_elasticlunr`]: where the serialiser is in
/// elasticlunr's index, and the counts read so far.
#[derive(Default)]
struct CountsReader {
    counts: Counts,
    /// The key of the current entry of each open object (arrays hold an
    /// empty one); `path[..depth]` is where the serialiser is. Strings
    /// past `depth` are kept for reuse.
    path: Vec<String>,
    depth: usize,
    /// Whether the string being written is an object key.
    in_key: bool,
    /// Reused buffer for the term of a trie node.
    term: String,
    roots: [bool; 3],
    document_store: bool,
}

impl CountsReader {
    fn open(&mut self) {
        if self.depth == self.path.len() {
            self.path.push(String::new());
        } else {
            self.path[self.depth].clear();
        }
        self.depth += 1;
    }

    fn field(name: &str) -> std::io::Result<usize> {
        index::FIELDS.iter().position(|f| *f == name).ok_or_else(|| std::io::Error::other(format!("unknown field {name}")))
    }

    fn doc(&self, doc_ref: &str) -> std::io::Result<u32> {
        match doc_ref.parse::<u32>() {
            Ok(doc) if (doc as usize) < self.counts.field_lengths.len() => Ok(doc),
            Ok(_) => Err(std::io::Error::other(format!("document ref {doc_ref} out of range"))),
            Err(_) => Err(std::io::Error::other(format!("bad document ref {doc_ref}"))),
        }
    }

    /// A term frequency: `index/<field>/root/<chars…>/docs/<doc>/tf`.
    fn tf(&mut self, tf: f64) -> std::io::Result<()> {
        let p = &self.path[..self.depth];
        let d = p.len();
        if d < 6 || p[0] != "index" || p[2] != "root" || p[d - 3] != "docs" || p[d - 1] != "tf" {
            return Ok(());
        }
        let f = Self::field(&p[1])?;
        let doc = self.doc(&p[d - 2])?;
        self.term.clear();
        for ch in &p[3..d - 3] {
            self.term.push_str(ch);
        }
        let count = (tf * tf).round() as u32;
        let docs = match self.counts.terms.get_mut(self.term.as_str()) {
            Some(docs) => docs,
            None => self.counts.terms.entry(self.term.clone()).or_default(),
        };
        docs.entry(doc).or_insert([0; 3])[f] = count;
        Ok(())
    }

    /// A field length: `documentStore/docInfo/<doc>/<field>`.
    fn length(&mut self, length: u64) -> std::io::Result<()> {
        let p = &self.path[..self.depth];
        if p.len() != 4 || p[0] != "documentStore" || p[1] != "docInfo" {
            return Ok(());
        }
        let f = Self::field(&p[3])?;
        let doc = self.doc(&p[2])? as usize;
        self.counts.field_lengths[doc][f] = length as u32;
        Ok(())
    }
}

/// Writes compact JSON, as `Index::to_json` does, while [`CountsReader`]
/// follows along.
impl serde_json::ser::Formatter for &mut CountsReader {
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open();
        CompactFormatter.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        let p = &self.path[..self.depth];
        if p.len() == 4 && p[0] == "index" && p[2] == "root" {
            self.roots[CountsReader::field(&p[1])?] = true;
        } else if p.len() == 3 && p[0] == "documentStore" && p[1] == "docInfo" {
            self.document_store = true;
        }
        self.depth -= 1;
        CompactFormatter.end_object(w)
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open();
        CompactFormatter.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.depth -= 1;
        CompactFormatter.end_array(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.path[self.depth - 1].clear();
        self.in_key = true;
        CompactFormatter.begin_object_key(w, first)
    }
    fn end_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.in_key = false;
        CompactFormatter.end_object_key(w)
    }
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        if self.in_key {
            self.path[self.depth - 1].push_str(fragment);
        }
        CompactFormatter.write_string_fragment(w, fragment)
    }
    fn write_char_escape<W: ?Sized + std::io::Write>(&mut self, w: &mut W, escape: CharEscape) -> std::io::Result<()> {
        if self.in_key {
            self.path[self.depth - 1].push(match escape {
                CharEscape::Quote => '"',
                CharEscape::ReverseSolidus => '\\',
                CharEscape::Solidus => '/',
                CharEscape::Backspace => '\u{8}',
                CharEscape::FormFeed => '\u{c}',
                CharEscape::LineFeed => '\n',
                CharEscape::CarriageReturn => '\r',
                CharEscape::Tab => '\t',
                CharEscape::AsciiControl(b) => b as char,
            });
        }
        CompactFormatter.write_char_escape(w, escape)
    }
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: f64) -> std::io::Result<()> {
        self.tf(value)?;
        CompactFormatter.write_f64(w, value)
    }
    fn write_u64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, value: u64) -> std::io::Result<()> {
        self.length(value)?;
        CompactFormatter.write_u64(w, value)
    }
}
