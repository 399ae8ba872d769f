//! JSON Lines corpora: one document per line,
//! `{"id","title","date","source","url","body"}`.
//!
//! `id` (string or integer) and `title` are required; `date`
//! (`YYYY-MM-DD`), `updated`, `source`, `url` and `body` may be missing or
//! null. `body` paragraphs are separated by newlines. Optional `captions`
//! and `people` arrays of strings are read too. Other fields are ignored.
//! Blank lines are allowed; any other bad line fails with its line number.

use super::{Document, Error};
use crate::date::Date;
use serde_json::Value;
use std::path::Path;

/// What [`parse`] returns: `(line number, document)` pairs, and notes.
pub type Parsed = (Vec<(usize, Document)>, Vec<Error>);

/// Parses a JSON Lines file into `(line number, document)` pairs, and
/// notes worth a build warning (an empty title is kept, and said).
pub fn parse(path: &Path, text: &str) -> Result<Parsed, Error> {
    let mut docs = Vec::new();
    let mut notes = Vec::new();
    // A UTF-8 byte order mark is not part of the first line's JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let err = |m: String| Error::new(path, Some(line_no), m);
        let json_err = |e: serde_json::Error| {
            // serde_json counts lines within this one line, and columns in
            // bytes: give the column only, in characters, as editors do.
            let message = e.to_string();
            let message = message.strip_suffix(&format!(" at line {} column {}", e.line(), e.column())).unwrap_or(&message);
            let column = line.get(..e.column()).map_or(e.column(), |s| s.chars().count());
            // A key given twice is valid JSON, but not a valid document.
            let what = if e.is_data() { "" } else { "invalid JSON " };
            err(format!("{what}at column {column}: {message}"))
        };
        let value: Value = serde_json::from_str(line).map_err(json_err)?;
        let Value::Object(obj) = value else {
            return Err(err("expected a JSON object".into()));
        };
        // serde_json keeps the last of two equal keys: refuse them instead
        // of dropping one value without a word.
        serde_json::from_str::<UniqueKeys>(line).map_err(json_err)?;
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(Value::Number(n)) if n.is_u64() || n.is_i64() => n.to_string(),
            Some(_) => return Err(err("field `id` must be a non-empty string".into())),
            None => return Err(err("missing required field `id`".into())),
        };
        let title = match obj.get("title") {
            Some(Value::String(s)) => {
                if s.trim().is_empty() {
                    notes.push(err(format!("document {id:?} has an empty title (kept; pages show it as « sans titre »)")));
                }
                s.trim().to_string()
            }
            Some(_) => return Err(err("field `title` must be a string".into())),
            None => return Err(err("missing required field `title`".into())),
        };
        let opt = |field: &str| -> Result<Option<String>, Error> {
            match obj.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.trim().to_string())),
                Some(_) => Err(err(format!("field `{field}` must be a string or null"))),
            }
        };
        let list = |field: &str| -> Result<Vec<String>, Error> {
            match obj.get(field) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().map(|s| s.trim().to_string()).ok_or_else(|| err(format!("field `{field}` must be an array of strings"))))
                    .filter(|r| r.as_ref().map_or(true, |s| !s.is_empty()))
                    .collect(),
                Some(_) => Err(err(format!("field `{field}` must be an array of strings"))),
            }
        };
        let date = opt("date")?;
        if let Some(d) = &date {
            Date::parse_iso(d).ok_or_else(|| err(format!("field `date` must be a real date as YYYY-MM-DD, got {d:?}")))?;
        }
        let body = opt("body")?.map(|b| b.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect()).unwrap_or_default();
        docs.push((
            line_no,
            Document {
                id,
                title,
                date,
                updated: opt("updated")?,
                source: opt("source")?,
                url: opt("url")?,
                body,
                captions: list("captions")?,
                people: list("people")?,
                sections: Vec::new(),
            },
        ));
    }
    Ok((docs, notes))
}

/// Deserialises a JSON object only to check that no key appears twice.
struct UniqueKeys;

impl<'de> serde::Deserialize<'de> for UniqueKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = UniqueKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<UniqueKeys, A::Error> {
                let mut seen = std::collections::HashSet::new();
                while let Some(key) = map.next_key::<String>()? {
                    if !seen.insert(key.clone()) {
                        return Err(serde::de::Error::custom(format!("the field {key:?} is given twice")));
                    }
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
                Ok(UniqueKeys)
            }
        }
        d.deserialize_map(Keys)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_documents_and_nulls() {
        let text = "{\"id\":\"a\",\"title\":\"T\",\"date\":\"2024-01-02\",\"source\":\"S\",\"url\":null,\"body\":\"p1\\n\\np2\"}\n\n{\"id\":7,\"title\":\"U\"}\n";
        let (docs, notes) = parse(Path::new("c.jsonl"), text).unwrap();
        assert!(notes.is_empty());
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].0, 1);
        assert_eq!(docs[0].1.body, vec!["p1", "p2"]);
        assert_eq!(docs[1].0, 3);
        assert_eq!(docs[1].1.id, "7");
        assert_eq!(docs[1].1.date, None);
    }

    #[test]
    fn errors_name_the_line_and_field() {
        let e = parse(Path::new("c.jsonl"), "{\"id\":\"a\",\"title\":\"T\"}\n{\"title\":\"x\"}").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:2: missing required field `id`");
        let (docs, notes) = parse(Path::new("c.jsonl"), "{\"id\":\"a\",\"title\":\" \"}").unwrap();
        assert_eq!(docs[0].1.title, "");
        assert_eq!(notes[0].to_string(), "c.jsonl:1: document \"a\" has an empty title (kept; pages show it as « sans titre »)");
        let e = parse(Path::new("c.jsonl"), "{\"id\":\"a\",\"title\":3}").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:1: field `title` must be a string");
        let e = parse(Path::new("c.jsonl"), "{oops").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:1: invalid JSON at column 2: key must be a string");
        let e = parse(Path::new("c.jsonl"), "{\"id\":1,\"title\":\"T\"}\n{\"id\":\"a\",\"title\":\"T\"").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:2: invalid JSON at column 21: EOF while parsing an object");
        let e = parse(Path::new("c.jsonl"), "{\"id\":\"é\",\"title\":\"Été\",}").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:1: invalid JSON at column 25: trailing comma");
        let e = parse(Path::new("c.jsonl"), "{\"id\":\"a\",\"title\":\"T\"}\n{\"id\":\"b\",\"title\":\"T\",\"body\":\"premier\",\"body\":\"second\"}").unwrap_err();
        assert_eq!(e.to_string(), "c.jsonl:2: at column 45: the field \"body\" is given twice");
        let e = parse(Path::new("c.jsonl"), "{\"id\":\"a\",\"title\":\"T\",\"date\":\"2024-13-45\"}").unwrap_err();
        assert!(e.to_string().contains("`date`"), "{e}");
    }
}
