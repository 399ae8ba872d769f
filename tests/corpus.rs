//! Corpus ingestion: JSON Lines, and every bad input failing clearly,
//! naming the file (and line). Also runs the real build script.
#![cfg(not(target_arch = "wasm32"))]

use recherche::corpus;
use recherche::engine::{Engine, EMBEDDED_INDEX};
use recherche::options::SearchOptions;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("recherche-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

fn load_err(path: &Path) -> String {
    corpus::load(path).expect_err("must fail").to_string()
}

#[test]
fn jsonl_documents_load_with_nulls() {
    let c = corpus::load(&fixture("mini.jsonl")).unwrap();
    assert_eq!(c.documents.len(), 4);
    let d = &c.documents[3];
    assert_eq!((d.id.as_str(), d.date.as_deref(), d.url.as_deref(), d.body.len()), ("man/passwd", None, None, 0));
    assert_eq!(c.documents[0].body.len(), 2);
    assert_eq!(c.documents[2].date, None);
}

#[test]
fn a_folder_mixes_seeds_and_jsonl_and_reports_other_files() {
    let dir = tmp("mixed");
    std::fs::copy(fixture("mini.jsonl"), dir.join("docs.jsonl")).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds/001_80dbe67e56024610.txt"), dir.join("a.txt")).unwrap();
    std::fs::write(dir.join("notes.md"), "# not a document").unwrap();
    let c = corpus::load(&dir).unwrap();
    assert_eq!(c.documents.len(), 5);
    assert_eq!(c.ignored, vec![dir.join("notes.md")]);
}

#[test]
fn bad_inputs_fail_naming_file_and_line() {
    let dir = tmp("bad");
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    };
    let p = write("latin1.txt", b"Titre\n\xe9t\xe9 2024\n");
    assert_eq!(load_err(&p), format!("{}:2: file is not valid UTF-8 (invalid byte at offset 6)", p.display()));
    let p = write("empty.jsonl", b"  \n\n");
    assert_eq!(load_err(&p), format!("{}: file is empty", p.display()));
    let p = write("empty.txt", b"");
    assert_eq!(load_err(&p), format!("{}: file is empty", p.display()));
    let p = write("badjson.jsonl", b"{\"id\":\"a\",\"title\":\"T\"}\n{\"id\": \"b\", \"title\": \n");
    assert!(load_err(&p).starts_with(&format!("{}:2: invalid JSON", p.display())));
    let p = write("noid.jsonl", b"{\"id\":\"a\",\"title\":\"T\"}\n\n{\"title\":\"T\"}\n");
    assert_eq!(load_err(&p), format!("{}:3: missing required field `id`", p.display()));
    let p = write("notitle.jsonl", b"{\"id\":\"a\"}\n");
    assert_eq!(load_err(&p), format!("{}:1: missing required field `title`", p.display()));
    let p = write("dup.jsonl", b"{\"id\":\"a\",\"title\":\"T\"}\n{\"id\":\"a\",\"title\":\"U\"}\n");
    assert_eq!(load_err(&p), format!("{}:2: duplicate document id \"a\" (first seen at {}:1)", p.display(), p.display()));
    let p = write("array.jsonl", b"[1,2]\n");
    assert_eq!(load_err(&p), format!("{}:1: expected a JSON object", p.display()));
    let missing = dir.join("does-not-exist");
    assert!(load_err(&missing).starts_with(&format!("{}: corpus path cannot be read", missing.display())));
    // A key given twice would lose one of its values.
    let p = write("twice.jsonl", b"{\"id\":\"a\",\"title\":\"T\",\"body\":\"premier\",\"body\":\"second\"}\n");
    assert_eq!(load_err(&p), format!("{}:1: at column 45: the field \"body\" is given twice", p.display()));
    // A seed's header date that does not exist, or with more after it.
    let p = write("range.txt", "Titre\n  • 17 Jun. 2024 - 31 Feb. 2024\nTexte.\n".as_bytes());
    assert_eq!(load_err(&p), format!("{}:2: unrecognised header line \"17 Jun. 2024 - 31 Feb. 2024\"", p.display()));
    let p = write("stamp.txt", "Titre\n  • 17 Jun. 2024 -\n  • Mis à jour le: 24 Jun. 2024 99:99\nTexte.\n".as_bytes());
    assert_eq!(load_err(&p), format!("{}:3: unreadable update stamp \"Mis à jour le: 24 Jun. 2024 99:99\"", p.display()));
}

#[test]
fn a_pipe_or_device_is_refused_rather_than_read() {
    let dev = Path::new("/dev/null");
    assert_eq!(load_err(dev), "/dev/null: neither a folder nor a regular file (a pipe, a socket or a device): a corpus is made of files");
    let dir = tmp("fifo");
    std::fs::write(dir.join("a.jsonl"), "{\"id\":\"a\",\"title\":\"T\"}\n").unwrap();
    let fifo = dir.join("b.jsonl");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    assert_eq!(load_err(&dir), format!("{}: neither a folder nor a regular file (a pipe, a socket or a device): a corpus is made of files", fifo.display()));
    // One not named as a corpus file is listed as ignored, as other files are.
    std::fs::remove_file(&fifo).unwrap();
    let other = dir.join("journal.log");
    assert!(Command::new("mkfifo").arg(&other).status().unwrap().success());
    let c = corpus::load(&dir).unwrap();
    assert_eq!((c.documents.len(), c.ignored.clone()), (1, vec![other]));
}

#[test]
fn a_single_page_whose_name_is_not_utf8_fails_as_in_a_folder() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tmp("latin1-name");
    let page = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.html"));
    std::fs::write(&page, "<html lang=fr><h1>T</h1><p>texte</p>").unwrap();
    let message = "file path is not valid UTF-8, so it gives no document id";
    assert_eq!(load_err(&page), format!("{}: {message}", page.display()));
    assert_eq!(load_err(&dir), format!("{}: {message}", page.display()));
    // A JSON Lines file needs no id from its name.
    let jsonl = dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9.jsonl"));
    std::fs::write(&jsonl, "{\"id\":\"a\",\"title\":\"T\"}\n").unwrap();
    assert_eq!(corpus::load(&jsonl).unwrap().documents.len(), 1);
}

#[test]
fn an_id_longer_than_getdocument_reads_fails_the_build_naming_it() {
    use recherche::document::MAX_ID_CHARS;
    let dir = tmp("long-id");
    // Counted in UTF-16 units, as JavaScript counts them: "é" is one, "𝄞" two.
    let fits = "é".repeat(MAX_ID_CHARS);
    let p = dir.join("ok.jsonl");
    std::fs::write(&p, format!("{{\"id\":\"{fits}\",\"title\":\"T\"}}\n")).unwrap();
    assert_eq!(corpus::load(&p).expect("an id of the longest length loads").documents[0].id, fits);
    let over = "𝄞".repeat(MAX_ID_CHARS / 2) + "a";
    let p = dir.join("long.jsonl");
    std::fs::write(&p, format!("{{\"id\":\"a\",\"title\":\"T\"}}\n{{\"id\":\"{over}\",\"title\":\"T\"}}\n")).unwrap();
    assert_eq!(load_err(&p), format!("{}:2: document id too long ({} UTF-16 units; at most {MAX_ID_CHARS})", p.display(), MAX_ID_CHARS + 1));
}

#[test]
fn a_source_or_person_longer_than_a_filter_can_name_fails_the_build_naming_it() {
    use recherche::document::MAX_FACET_CHARS;
    assert_eq!(MAX_FACET_CHARS, recherche::options::MAX_STRING_CHARS);
    let dir = tmp("long-facet");
    let fits = "é".repeat(MAX_FACET_CHARS);
    let p = dir.join("ok.jsonl");
    std::fs::write(&p, format!("{{\"id\":\"a\",\"title\":\"T\",\"source\":\"{fits}\",\"people\":[\"{fits}\"]}}\n")).unwrap();
    let docs = corpus::load(&p).expect("the longest values load").documents;
    assert_eq!((docs[0].source.as_deref(), docs[0].people[0].as_str()), (Some(fits.as_str()), fits.as_str()));
    let over = "𝄞".repeat(MAX_FACET_CHARS / 2) + "a";
    for (what, line) in [("source", format!("\"source\":\"{over}\"")), ("person", format!("\"people\":[\"Jens\",\"{over}\"]"))] {
        let p = dir.join(format!("{what}.jsonl"));
        std::fs::write(&p, format!("{{\"id\":\"a\",\"title\":\"T\"}}\n\n{{\"id\":\"b\",\"title\":\"T\",{line}}}\n")).unwrap();
        assert_eq!(load_err(&p), format!("{}:3: {what} too long ({} UTF-16 units; at most {MAX_FACET_CHARS}, the longest a filter can name)", p.display(), MAX_FACET_CHARS + 1));
    }
}

#[test]
fn duplicate_ids_across_files_name_both() {
    let dir = tmp("dup-across");
    std::fs::write(dir.join("a.jsonl"), "{\"id\":\"x\",\"title\":\"T\"}\n").unwrap();
    std::fs::write(dir.join("b.jsonl"), "{\"id\":\"y\",\"title\":\"T\"}\n{\"id\":\"x\",\"title\":\"T\"}\n").unwrap();
    let e = load_err(&dir);
    assert_eq!(e, format!("{}:2: duplicate document id \"x\" (first seen at {}:1)", dir.join("b.jsonl").display(), dir.join("a.jsonl").display()));
    let dir = tmp("empty-dir");
    assert_eq!(load_err(&dir), format!("{}: folder holds no .txt, .jsonl, .html or .htm file", dir.display()));
}

/// The build script of this very build. Several can sit in the target
/// directory (`cargo clippy`, other features, a copied target directory),
/// so `build.rs` records its own path in its `OUT_DIR`, which cargo gives
/// this test at compile time. As a check, it is run again as cargo ran it
/// and must write the very index this test binary embeds.
fn build_script() -> &'static Path {
    static SCRIPT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let out_dir = Path::new(env!("OUT_DIR"));
        let recorded = std::fs::read_to_string(out_dir.join("build-script.path")).expect("build.rs records its path in OUT_DIR");
        let script = PathBuf::from(recorded);
        let stats: serde_json::Value = serde_json::from_slice(&std::fs::read(out_dir.join("stats.json")).unwrap()).unwrap();
        let corpus = stats["corpus"].as_str().expect("stats.json names the corpus");
        let dir = tmp("build-script");
        let run = Command::new(&script).env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")).env("OUT_DIR", &dir).env("RECHERCHE_CORPUS", corpus).output().unwrap();
        assert!(run.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&run.stderr));
        assert!(std::fs::read(dir.join("index.bin")).unwrap() == EMBEDDED_INDEX, "{} does not write the index this test embeds", script.display());
        script
    })
}

fn run_build(corpus: &Path, out: &Path) -> std::process::Output {
    Command::new(build_script()).env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")).env("OUT_DIR", out).env("RECHERCHE_CORPUS", corpus).output().unwrap()
}

#[test]
fn ranking_parameters_are_checked_at_build_time() {
    let dir = tmp("ranking");
    let run = |spec: &str| {
        Command::new(build_script())
            .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
            .env("OUT_DIR", &dir)
            .env("RECHERCHE_CORPUS", fixture("mini.jsonl"))
            .env("RECHERCHE_RANKING", spec)
            .output()
            .unwrap()
    };
    let bad = run("title_boost=12");
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("RECHERCHE_RANKING: title_boost must be between 0 and 10, got 12"), "{err}");
    let good = run("title_boost=4, k1=0.9");
    assert!(good.status.success(), "{}", String::from_utf8_lossy(&good.stderr));
    let written = std::fs::read_to_string(dir.join("ranking.rs")).unwrap();
    assert!(written.contains("title_boost: 4.0") && written.contains("k1: 0.9") && written.contains("body_b: 0.75"), "{written}");
}

#[test]
fn the_build_fails_with_the_file_and_line() {
    let dir = tmp("build-fail");
    let bad = dir.join("bad.jsonl");
    std::fs::write(&bad, "{\"id\":\"a\",\"title\":\"T\"}\n{\"id\":\"b\"}\n").unwrap();
    let out = run_build(&bad, &dir);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{}:2: missing required field `title`", bad.display())), "{stderr}");
    assert!(!dir.join("index.bin").exists());
}

#[test]
fn a_jsonl_corpus_builds_and_is_searchable() {
    let dir = tmp("build-jsonl");
    let out = run_build(&fixture("mini.jsonl"), &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(dir.join("index.bin")).unwrap();
    assert!(std::fs::metadata(dir.join("elasticlunr.json")).unwrap().len() > 0);
    let engine = Engine::open(&bytes).unwrap();
    let ids = |q: &str| engine.search(q, &SearchOptions::default()).unwrap().hits.into_iter().map(|h| h.id).collect::<Vec<_>>();
    assert_eq!(ids("tableau croise"), vec!["lo/calc/pivot"]);
    assert_eq!(ids("imprimer"), vec!["lo/calc/print"]);
    assert_eq!(ids("calque"), vec!["gimp/calque"]);
    assert_eq!(ids("\"mot de passe\""), vec!["man/passwd"]);
    let doc = engine.document("lo/calc/pivot").unwrap().unwrap();
    assert_eq!(doc.url.as_deref(), Some("https://help.example.org/calc/pivot.html"));
}

/// The bytes of an index file the engine wants, as `pkg/recherche.js`
/// fetches them from `dir`: a whole file, or a byte range of one
/// (`p3f09a2c4.bin#1200-3400`), a document's stored text (`s…`) inflated.
fn fetch(dir: &Path, name: &str) -> Vec<u8> {
    let file = name.split('#').next().unwrap();
    recherche::index::write::fetched(name, &std::fs::read(dir.join(file)).unwrap()).unwrap_or_else(|| panic!("{name}"))
}

#[test]
fn the_layout_is_chosen_at_build_time() {
    let run = |layout: &str, dir: &Path| {
        Command::new(build_script())
            .env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"))
            .env("OUT_DIR", dir)
            .env("RECHERCHE_CORPUS", fixture("mini.jsonl"))
            .env("RECHERCHE_LAYOUT", layout)
            .output()
            .unwrap()
    };
    let dir = tmp("layout-bad");
    let bad = run("sharded", &dir);
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("RECHERCHE_LAYOUT is \"sharded\": it must be embedded, split or auto"), "{err}");
    // auto: a small corpus stays embedded, with no shard files.
    let dir = tmp("layout-auto");
    assert!(run("auto", &dir).status.success());
    assert_eq!(std::fs::read_dir(dir.join("index")).unwrap().count(), 0);
    let embedded = std::fs::read(dir.join("index.bin")).unwrap();
    assert!(!recherche::index::read::Index::open(&embedded).unwrap().is_split());
    // split: a root and its files, which answer the same once loaded.
    let dir = tmp("layout-split");
    let out = run("split", &dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let root: &'static [u8] = Box::leak(std::fs::read(dir.join("index.bin")).unwrap().into_boxed_slice());
    let split = Engine::open(root).unwrap();
    assert!(split.index().is_split());
    let whole = Engine::open(&embedded).unwrap();
    let stats = std::fs::read_to_string(dir.join("stats.json")).unwrap();
    assert!(stats.contains("\"layout\":\"split\""), "{stats}");
    for q in ["tableau croise", "imprimer", "\"mot de passe\""] {
        let mut rounds = 0;
        let got = loop {
            match split.search(q, &SearchOptions::default()) {
                Ok(r) => break r,
                Err(_) => {
                    rounds += 1;
                    assert!(rounds < 5, "{q}: no answer");
                    for name in split.wanted_files() {
                        let bytes: &'static [u8] = Box::leak(fetch(&dir.join("index"), &name).into_boxed_slice());
                        split.load_file(&name, bytes).unwrap();
                    }
                }
            }
        };
        // The first query needs files: the root alone holds no term.
        assert!(rounds > 0 || q != "tableau croise", "{q}: the root alone answered");
        assert_eq!(serde_json::to_value(got).unwrap(), serde_json::to_value(whole.search(q, &SearchOptions::default()).unwrap()).unwrap(), "{q}");
    }
}
