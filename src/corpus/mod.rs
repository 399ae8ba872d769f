//! Corpus ingestion: turns the files of a corpus into clean [`Document`]s.
//!
//! Build-time only (it is compiled into `build.rs` and into native tests,
//! never into the wasm module). A corpus is a folder holding any mix of
//! three formats, or a single file of one of them:
//!
//! | Files | Reader | Documents | Id |
//! |---|---|---|---|
//! | `*.txt` | [`seed`] | one scraped French article per file | the file name without `.txt` |
//! | `*.jsonl` | [`jsonl`] | one JSON object per line | the `id` field |
//! | `*.html`, `*.htm` | [`html`] | one page of a built static site per file | the path relative to the folder, with `/` (`actualites/2024/fete.html`) |
//!
//! A folder is walked recursively, in sorted path order so that builds are
//! reproducible; extensions are compared case-insensitively. Files and
//! folders whose name starts with `.` (`.git`, `.DS_Store`…) are skipped
//! without a word; any other file is listed in [`Corpus::ignored`], for
//! the build to say so. Ids must be unique across the whole corpus (a
//! seed's id is its file name alone, so `a/x.txt` and `b/x.txt` clash). A
//! single page given as the corpus has its file name as id.
//!
//! Every problem is an [`Error`] that names the file (and the line, for
//! JSON Lines): a document is never skipped silently. What is kept but
//! worth saying (an empty title, a page not in French…) is a note.

pub mod dates;
pub mod html;
pub mod jsonl;
pub mod people;
pub mod seed;

use std::fmt;
use std::path::{Path, PathBuf};

pub use crate::document::{Document, Section};

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
/// files it passed over (none of `.txt`, `.jsonl`, `.html`, `.htm`), so
/// the build can say so rather than drop them silently.
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

/// The formats a file may hold, by extension.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Seed,
    Jsonl,
    Html,
}

fn format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Format::Seed),
        "jsonl" => Some(Format::Jsonl),
        "html" | "htm" => Some(Format::Html),
        _ => None,
    }
}

/// Loads a corpus from a folder (see the module comment) or a single file
/// (`.txt`, `.html`/`.htm`, and anything else read as JSON Lines).
pub fn load(path: &Path) -> Result<Corpus, Error> {
    let meta = std::fs::metadata(path).map_err(|e| Error::new(path, None, format!("corpus path cannot be read: {e}")))?;
    let mut corpus = Corpus::default();
    let mut ids = Ids::default();
    if meta.is_dir() {
        for file in walk(path)? {
            match format(&file) {
                Some(f) => {
                    let id = relative_id(path, &file)?;
                    read(&mut corpus, &mut ids, &file, f, &id)?;
                }
                None => corpus.ignored.push(file),
            }
        }
        if corpus.files.is_empty() {
            return Err(Error::new(path, None, "folder holds no .txt, .jsonl, .html or .htm file"));
        }
    } else if meta.is_file() {
        let f = format(path).unwrap_or(Format::Jsonl);
        // Only a page's id is its file name, which must then be UTF-8.
        let id = if f == Format::Html { relative_id(path.parent().unwrap_or(path), path)? } else { String::new() };
        read(&mut corpus, &mut ids, path, f, &id)?;
    } else {
        return Err(not_a_file(path));
    }
    people::resolve_surnames(&mut corpus.documents);
    Ok(corpus)
}

/// Reads one file into the corpus. `id` is its path relative to the
/// corpus folder, the id of an HTML page.
fn read(corpus: &mut Corpus, ids: &mut Ids, file: &Path, format: Format, id: &str) -> Result<(), Error> {
    match format {
        Format::Seed => {
            let text = read_text(file)?;
            let (doc, notes) = seed::parse_with_notes(file, &text)?;
            corpus.notes.extend(notes);
            ids.check(&doc, file, None)?;
            corpus.push(doc, file, None);
        }
        Format::Jsonl => {
            let text = read_text(file)?;
            let (docs, notes) = jsonl::parse(file, &text)?;
            corpus.notes.extend(notes);
            for (line, doc) in docs {
                ids.check(&doc, file, Some(line))?;
                corpus.push(doc, file, Some(line));
            }
        }
        Format::Html => {
            let bytes = read_bytes(file)?;
            let (doc, notes) = html::parse(file, id, &bytes)?;
            corpus.notes.extend(notes);
            ids.check(&doc, file, None)?;
            corpus.push(doc, file, None);
        }
    }
    corpus.files.push(file.to_path_buf());
    Ok(())
}

/// Every file under `root`, in sorted path order, skipping hidden files
/// and folders. Symbolic links are followed, each folder once.
fn walk(root: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    let mut folders = vec![root.to_path_buf()];
    let mut seen = std::collections::HashSet::new();
    while let Some(folder) = folders.pop() {
        if !seen.insert(folder.canonicalize().unwrap_or_else(|_| folder.clone())) {
            continue;
        }
        let list_err = |e: std::io::Error| Error::new(&folder, None, format!("cannot list folder: {e}"));
        for entry in std::fs::read_dir(&folder).map_err(list_err)? {
            let entry = entry.map_err(list_err)?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let p = entry.path();
            match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => folders.push(p),
                // Reading a pipe or a device could wait or run forever:
                // one named as a corpus file is refused (others are listed
                // as ignored, as any other file).
                Ok(m) if !m.is_file() && format(&p).is_some() => return Err(not_a_file(&p)),
                // (A broken link fails when it is read, naming it.)
                _ => files.push(p),
            }
        }
    }
    files.sort();
    Ok(files)
}

/// A file's path relative to the corpus folder, with `/` separators.
fn relative_id(root: &Path, file: &Path) -> Result<String, Error> {
    let rel = file.strip_prefix(root).unwrap_or(file);
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    parts.map(|p| p.join("/")).ok_or_else(|| Error::new(file, None, "file path is not valid UTF-8, so it gives no document id"))
}

fn not_a_file(path: &Path) -> Error {
    Error::new(path, None, "neither a folder nor a regular file (a pipe, a socket or a device): a corpus is made of files")
}

/// Reads a file's bytes, refusing empty files.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::new(path, None, format!("cannot read file: {e}")))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(Error::new(path, None, "file is empty"));
    }
    Ok(bytes)
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
    /// Checks `doc`'s id (unique, not too long for `getDocument`) and that
    /// a filter can name its source and people.
    fn check(&mut self, doc: &Document, path: &Path, line: Option<usize>) -> Result<(), Error> {
        use crate::document::{MAX_FACET_CHARS, MAX_ID_CHARS};
        let id = doc.id.as_str();
        let units = id.encode_utf16().count();
        if units > MAX_ID_CHARS {
            return Err(Error::new(path, line, format!("document id too long ({units} UTF-16 units; at most {MAX_ID_CHARS})")));
        }
        for (what, value) in doc.source.iter().map(|s| ("source", s)).chain(doc.people.iter().map(|p| ("person", p))) {
            let units = value.encode_utf16().count();
            if units > MAX_FACET_CHARS {
                return Err(Error::new(path, line, format!("{what} too long ({units} UTF-16 units; at most {MAX_FACET_CHARS}, the longest a filter can name)")));
            }
        }
        let here = Error::new(path, line, "").to_string();
        if let Some(first) = self.0.get(id) {
            return Err(Error::new(path, line, format!("duplicate document id {id:?} (first seen at {})", first.trim_end_matches(": "))));
        }
        self.0.insert(id.to_string(), here);
        Ok(())
    }
}
