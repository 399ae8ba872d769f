//! Corpus ingestion: turns the files of a corpus into clean [`Document`]s.
//!
//! Build-time only (it is compiled into `build.rs` and into native tests,
//! never into the wasm module). A corpus is a folder of seed-format
//! articles (`*.txt`, see [`seed`]) and JSON Lines files (`*.jsonl`, see
//! [`jsonl`]), or a single `.jsonl` file.
//!
//! Every problem is an [`Error`] that names the file (and the line, for
//! JSON Lines): a document is never skipped silently.

pub mod dates;
pub mod jsonl;
pub mod people;
pub mod seed;

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::document::Document;

/// A corpus problem, naming the file and, where there is one, the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl Error {
    pub fn new(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Error { path: path.to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for Error {}

/// What loading a corpus found: the documents, the files it read and the
/// files it passed over (neither `.txt` nor `.jsonl`), so the build can
/// say so rather than drop them silently.
#[derive(Debug, Default)]
pub struct Corpus {
    pub documents: Vec<Document>,
    pub files: Vec<PathBuf>,
    pub ignored: Vec<PathBuf>,
    /// Things kept but worth saying (the build prints them as warnings).
    pub notes: Vec<Error>,
    /// Where each document comes from (its file, and its line in JSON
    /// Lines), in the order of `documents`, so that a later problem with
    /// a document (an index limit) can name its file and line.
    pub origins: Vec<(PathBuf, Option<usize>)>,
}

impl Corpus {
    /// Adds a document read from `path` (at `line`).
    pub fn push(&mut self, doc: Document, path: &Path, line: Option<usize>) {
        self.documents.push(doc);
        self.origins.push((path.to_path_buf(), line));
    }

    /// Where document number `n` comes from, as `file:line` or `file`.
    pub fn origin(&self, n: usize) -> String {
        match self.origins.get(n) {
            Some((path, line)) => Error::new(path, *line, "").to_string().trim_end_matches(": ").to_string(),
            None => format!("document {n}"),
        }
    }
}

/// Loads a corpus from a folder or a `.jsonl` file.
pub fn load(path: &Path) -> Result<Corpus, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::new(path, None, format!("corpus path cannot be read: {e}")))?;
    let mut corpus = Corpus::default();
    let mut ids = Ids::default();
    if meta.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| Error::new(path, None, format!("cannot list folder: {e}")))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(|e| Error::new(path, None, format!("cannot list folder: {e}")))?;
        entries.sort();
        for file in entries {
            match file.extension().and_then(|e| e.to_str()) {
                Some("txt") => {
                    let text = read_text(&file)?;
                    let (doc, notes) = seed::parse_with_notes(&file, &text)?;
                    corpus.notes.extend(notes);
                    ids.check(&doc.id, &file, None)?;
                    corpus.push(doc, &file, None);
                    corpus.files.push(file);
                }
                Some("jsonl") => {
                    let text = read_text(&file)?;
                    let (docs, notes) = jsonl::parse(&file, &text)?;
                    corpus.notes.extend(notes);
                    for (line, doc) in docs {
                        ids.check(&doc.id, &file, Some(line))?;
                        corpus.push(doc, &file, Some(line));
                    }
                    corpus.files.push(file);
                }
                _ => corpus.ignored.push(file),
            }
        }
        if corpus.files.is_empty() {
            return Err(Error::new(path, None, "folder holds no .txt or .jsonl file"));
        }
    } else {
        let text = read_text(path)?;
        if path.extension().and_then(|e| e.to_str()) == Some("txt") {
            let (doc, notes) = seed::parse_with_notes(path, &text)?;
            corpus.notes.extend(notes);
            corpus.push(doc, path, None);
        } else {
            let (docs, notes) = jsonl::parse(path, &text)?;
            corpus.notes.extend(notes);
            for (line, doc) in docs {
                ids.check(&doc.id, path, Some(line))?;
                corpus.push(doc, path, Some(line));
            }
        }
        corpus.files.push(path.to_path_buf());
    }
    people::resolve_surnames(&mut corpus.documents);
    Ok(corpus)
}

/// Reads a file as UTF-8, refusing empty files.
pub fn read_text(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::new(path, None, format!("cannot read file: {e}")))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(path, None, "file is empty"));
    }
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::new(path, Some(line), format!("file is not valid UTF-8 (invalid byte at offset {at})"))
    })?;
    // A UTF-8 byte order mark is not text.
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Ids seen so far, with where each was first seen.
#[derive(Default)]
struct Ids(std::collections::HashMap<String, String>);

impl Ids {
    fn check(&mut self, id: &str, path: &Path, line: Option<usize>) -> Result<(), Error> {
        let here = Error::new(path, line, "").to_string();
        if let Some(first) = self.0.get(id) {
            return Err(Error::new(path, line, format!("duplicate document id {id:?} (first seen at {})", first.trim_end_matches(": "))));
        }
        self.0.insert(id.to_string(), here);
        Ok(())
    }
}
