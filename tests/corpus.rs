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

/// The build script of the build this test binary belongs to.
///
/// Cargo gives every target of the package, integration tests included,
/// the `OUT_DIR` its build script ran in for this build,
/// `<target>/<profile>/build/recherche-<run>/out` (the library embeds its
/// `index.bin`). The compiled script is in a sibling directory,
/// `recherche-<compiled>/build-script-build`, which cargo does not link
/// to the run in any documented way, and a target directory holds one per
/// configuration it has built: `cargo clippy` compiles its own, other
/// feature or dependency sets theirs, and a copied target directory
/// brings those of another checkout. The newest of them is not
/// necessarily this build's. So the script is chosen from what is
/// recorded about this build's run:
/// - it is up to date: no source its dep-info lists is newer than it;
/// - it was compiled before this build's run started (`invoked.timestamp`),
///   the newest such (a script is always compiled before it is run, and
///   a recompiled script is always run again);
/// - run as cargo ran it, it prints exactly what this build's run printed
///   (`output`) and writes the very index this test binary embeds.
///
/// Asking for exactly one script that reproduces the run would not work:
/// `cargo clippy` and `cargo test` each compile the script from the same
/// sources, and both reproduce the run byte for byte.
fn build_script() -> &'static Path {
    static SCRIPT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let out_dir = Path::new(env!("OUT_DIR"));
        let run_dir = out_dir.parent().unwrap();
        let run_started = modified(&run_dir.join("invoked.timestamp")).expect("this build's run left invoked.timestamp");
        let mut found: Vec<(std::time::SystemTime, PathBuf)> = Vec::new();
        let mut refused = Vec::new();
        // Native builds compile build scripts next to where they run them
        // (with an explicit --target they are elsewhere, and this fails).
        for e in std::fs::read_dir(run_dir.parent().unwrap()).unwrap().flatten() {
            let exe = e.path().join("build-script-build");
            if !e.file_name().to_string_lossy().starts_with("recherche-") || !exe.exists() {
                continue;
            }
            let compiled = modified(&exe).unwrap();
            if compiled > run_started {
                refused.push(format!("{}: compiled after this build's run", exe.display()));
            } else if let Err(stale) = up_to_date(&e.path(), compiled) {
                refused.push(format!("{}: older than {}", exe.display(), stale.display()));
            } else {
                found.push((compiled, exe));
            }
        }
        found.sort();
        let Some((_, script)) = found.pop() else {
            panic!("no build script of this build (run in {}) in the target directory:\n{}", run_dir.display(), refused.join("\n"));
        };
        // It reproduces this build's run.
        let stats: serde_json::Value = serde_json::from_slice(&std::fs::read(out_dir.join("stats.json")).unwrap()).unwrap();
        let corpus = stats["corpus"].as_str().expect("stats.json names the corpus");
        let dir = tmp("build-script");
        let run = Command::new(&script).env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")).env("OUT_DIR", &dir).env("RECHERCHE_CORPUS", corpus).output().unwrap();
        assert!(run.status.success(), "{}: {}", script.display(), String::from_utf8_lossy(&run.stderr));
        assert!(run.stdout == std::fs::read(run_dir.join("output")).unwrap(), "{} does not print what this build's run printed", script.display());
        assert!(std::fs::read(dir.join("index.bin")).unwrap() == EMBEDDED_INDEX, "{} does not write the index this test embeds", script.display());
        script
    })
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Checks, as cargo does, that no source listed in the dep-info of the
/// script compiled in `dir` is newer than `compiled` (or gone); returns
/// the first that is.
fn up_to_date(dir: &Path, compiled: std::time::SystemTime) -> Result<(), PathBuf> {
    let dep_info = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).find(|p| p.extension().is_some_and(|x| x == "d")).ok_or_else(|| dir.to_path_buf())?;
    let text = std::fs::read_to_string(&dep_info).map_err(|_| dep_info.clone())?;
    // `target: source source …` on the first line; spaces in paths are escaped.
    let first = text.lines().next().unwrap_or_default();
    let sources = first.split_once(": ").map_or("", |(_, s)| s);
    let mut paths = vec![String::new()];
    let mut chars = sources.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => paths.last_mut().unwrap().extend(chars.next()),
            ' ' => paths.push(String::new()),
            c => paths.last_mut().unwrap().push(c),
        }
    }
    for p in paths.iter().filter(|p| !p.is_empty()) {
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join(p);
        if modified(&source).map_or(true, |m| m > compiled) {
            return Err(source);
        }
    }
    Ok(())
}

fn run_build(corpus: &Path, out: &Path) -> std::process::Output {
    Command::new(build_script()).env("CARGO_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR")).env("OUT_DIR", out).env("RECHERCHE_CORPUS", corpus).output().unwrap()
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
