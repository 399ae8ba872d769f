//! Search options, as typed values, and their validation.
//!
//! The JS API passes a plain object; `crate::js` (wasm32 only) turns it into a
//! [`Value`] and [`parse`] validates it here, so that every rule is
//! testable natively. An invalid option is an [`OptionsError`] naming the
//! field (`options.filters.year`), which the JS API throws as an `Error`.
//!
//! | option            | type                        | default                          |
//! |-------------------|-----------------------------|----------------------------------|
//! | `limit`           | integer ≥ 0 or `Infinity`   | 10; values above [`MAX_LIMIT`] are clamped to it |
//! | `offset`          | integer ≥ 0 or `Infinity`   | 0                                |
//! | `sort`            | `"relevance"` \| `"date"`   | relevance (`search`), date (`filter`) |
//! | `filters.year`    | year or array of years      | none                             |
//! | `filters.from`/`to` | `"YYYY-MM-DD"`, inclusive | none                             |
//! | `filters.source`  | string or array of strings  | none                             |
//! | `filters.person`  | string or array of strings  | none                             |
//!
//! `undefined` and `null` mean "not given", for the options object, any
//! option and any filter; an empty array is no constraint.

use crate::date::Date;
use std::fmt;

/// Most hits one call returns; a larger `limit` is clamped to this.
pub const MAX_LIMIT: usize = 1000;

/// Default page size.
pub const DEFAULT_LIMIT: usize = 10;

/// Largest accepted `offset`.
pub const MAX_OFFSET: usize = u32::MAX as usize;

/// Values in a filter array at most.
pub const MAX_FILTER_VALUES: usize = 256;

/// Longest string option or filter value, in characters (UTF-16 units,
/// as JS counts them). Longer strings are refused without being copied
/// into the module's memory.
pub const MAX_STRING_CHARS: usize = crate::document::MAX_FACET_CHARS;

/// Most values (properties and array items) read from one options
/// argument in all. Valid options hold at most 4 + 5 + 3 ×
/// [`MAX_FILTER_VALUES`] = 777 (`limit`, `offset`, `sort`, `filters`; its
/// five filters; three lists), so only invalid options reach it; past it
/// nothing more is read ([`Value::TooMany`]) and the call is refused.
/// Without it, a page passing one array of 1,024 arrays nested at every
/// level would have the module read 1,024⁴ values.
pub const MAX_OPTION_VALUES: usize = 4096;

// Only invalid options reach the budget: 4 options (`parse`), 5 filters
// (`parse_filters`) and three lists. Adding an option or a filter means
// updating this sum and `tests::the_values_read_in_all_exceed_any_valid_options`,
// which counts the largest valid options.
const _: () = assert!(4 + 5 + 3 * MAX_FILTER_VALUES < MAX_OPTION_VALUES);

/// A JS value, as far as options need one.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Value>),
    /// Own enumerable properties, in order.
    Object(Vec<(String, Value)>),
    /// A string longer than [`MAX_STRING_CHARS`], with its length; its
    /// text is not read.
    TooLong(usize),
    /// Reading it threw (a getter, a Proxy trap, a revoked Proxy).
    Threw,
    /// Not read: [`MAX_OPTION_VALUES`] values were read before it.
    TooMany,
    /// Functions, symbols, big integers, values nested too deep.
    Other,
}

/// JSON options (tests, benchmarks and tools on the native side).
#[cfg(not(target_arch = "wasm32"))]
impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            serde_json::Value::String(s) if s.encode_utf16().count() > MAX_STRING_CHARS => Value::TooLong(s.encode_utf16().count()),
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::Array(a.iter().map(Value::from).collect()),
            serde_json::Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), Value::from(v))).collect()),
        }
    }
}

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Best match first (ties: newer first, then corpus order).
    Relevance,
    /// Newest first, undated last (ties: best match first).
    Date,
}

/// Filters; within a field values are OR-ed, across fields AND-ed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub years: Vec<i32>,
    /// Inclusive bounds, as day ordinals.
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub sources: Vec<String>,
    pub people: Vec<String>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }
}

/// Validated options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    /// `None`: the call's default.
    pub sort: Option<Sort>,
    pub filters: Filters,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: DEFAULT_LIMIT, offset: 0, sort: None, filters: Filters::default() }
    }
}

/// An invalid option: which one and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// Path of the field, e.g. `options.filters.year`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.message)
    }
}

fn err(field: &str, message: &str) -> OptionsError {
    OptionsError { field: field.to_string(), message: message.to_string() }
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Undefined => "undefined",
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_nan() => "NaN",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
        Value::TooLong(_) => "a string that is too long",
        Value::Threw => "a value whose reading threw",
        Value::TooMany => "a value past the most that are read",
        Value::Other => "an unsupported value",
    }
}

fn must(field: &str, expected: &str, got: &Value) -> OptionsError {
    match got {
        Value::Threw => err(field, "could not be read: reading it threw an exception (a getter or a Proxy)"),
        Value::TooLong(n) => err(field, &format!("must be at most {MAX_STRING_CHARS} characters long, got {n}")),
        Value::TooMany => err(field, &format!("was not read: the options hold more than {MAX_OPTION_VALUES} values")),
        _ => err(field, &format!("must be {expected}, got {}", describe(got))),
    }
}

fn non_negative_int(field: &str, v: &Value) -> Result<Option<f64>, OptionsError> {
    match v {
        Value::Undefined | Value::Null => Ok(None),
        Value::Number(n) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 => Ok(Some(*n)),
        Value::Number(n) if *n == f64::INFINITY => Ok(Some(*n)),
        _ => Err(must(field, "a non-negative integer", v)),
    }
}

/// The properties of an object option; none for `undefined` or `null`.
fn properties<'v>(field: &str, v: &'v Value) -> Result<&'v [(String, Value)], OptionsError> {
    match v {
        Value::Undefined | Value::Null => Ok(&[]),
        Value::Object(fields) => Ok(fields),
        _ => Err(must(field, "an object", v)),
    }
}

/// Validates an options value.
pub fn parse(v: &Value) -> Result<SearchOptions, OptionsError> {
    let mut o = SearchOptions::default();
    for (key, value) in properties("options", v)? {
        match key.as_str() {
            "limit" => {
                if let Some(n) = non_negative_int("options.limit", value)? {
                    o.limit = if n >= MAX_LIMIT as f64 { MAX_LIMIT } else { n as usize };
                }
            }
            "offset" => {
                if let Some(n) = non_negative_int("options.offset", value)? {
                    o.offset = if n >= MAX_OFFSET as f64 { MAX_OFFSET } else { n as usize };
                }
            }
            "sort" => {
                o.sort = match value {
                    Value::Undefined | Value::Null => None,
                    Value::String(s) if s == "relevance" => Some(Sort::Relevance),
                    Value::String(s) if s == "date" => Some(Sort::Date),
                    Value::Threw | Value::TooLong(_) | Value::TooMany => return Err(must("options.sort", "", value)),
                    _ => return Err(err("options.sort", "must be \"relevance\" or \"date\"")),
                }
            }
            "filters" => o.filters = parse_filters(value)?,
            other => return Err(err(&format!("options.{}", printable(other)), "is not a known option (limit, offset, sort, filters)")),
        }
    }
    Ok(o)
}

/// A key as shown in a message: cut short, control characters replaced.
fn printable(key: &str) -> String {
    let mut s: String = key.chars().take(40).map(|c| if c.is_control() { '\u{FFFD}' } else { c }).collect();
    if key.chars().count() > 40 {
        s.push('…');
    }
    s
}

fn list<'v>(field: &str, expected: &str, v: &'v Value) -> Result<Vec<&'v Value>, OptionsError> {
    match v {
        Value::Undefined | Value::Null => Ok(Vec::new()),
        Value::Array(items) if items.len() > MAX_FILTER_VALUES => Err(err(field, &format!("has more than {MAX_FILTER_VALUES} values"))),
        Value::Array(items) => Ok(items.iter().collect()),
        Value::Object(_) | Value::Other | Value::Bool(_) | Value::Threw | Value::TooLong(_) | Value::TooMany => Err(must(field, expected, v)),
        single => Ok(vec![single]),
    }
}

fn parse_filters(v: &Value) -> Result<Filters, OptionsError> {
    let mut f = Filters::default();
    for (key, value) in properties("options.filters", v)? {
        match key.as_str() {
            "year" => {
                const EXPECTED: &str = "a year (integer 1–9999) or an array of years";
                for item in list("options.filters.year", EXPECTED, value)? {
                    match item {
                        Value::Number(n) if n.fract() == 0.0 && (1.0..=9999.0).contains(n) => f.years.push(*n as i32),
                        _ => return Err(must("options.filters.year", EXPECTED, item)),
                    }
                }
            }
            "from" | "to" => {
                let field = format!("options.filters.{key}");
                let day = match value {
                    Value::Undefined | Value::Null => None,
                    Value::String(s) => Some(Date::parse_iso(s).ok_or_else(|| err(&field, "must be a real date written YYYY-MM-DD"))?.ordinal()),
                    _ => return Err(must(&field, "a date string YYYY-MM-DD", value)),
                };
                if key == "from" {
                    f.from = day;
                } else {
                    f.to = day;
                }
            }
            "source" | "person" => {
                let field = format!("options.filters.{key}");
                let mut values = Vec::new();
                for item in list(&field, "a string or an array of strings", value)? {
                    match item {
                        Value::String(s) => values.push(s.clone()),
                        _ => return Err(must(&field, "a string or an array of strings", item)),
                    }
                }
                if key == "source" {
                    f.sources = values;
                } else {
                    f.people = values;
                }
            }
            other => return Err(err(&format!("options.filters.{}", printable(other)), "is not a known filter (year, from, to, source, person)")),
        }
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(fields: &[(&str, Value)]) -> Value {
        Value::Object(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn defaults_and_clamping() {
        assert_eq!(parse(&Value::Undefined).unwrap(), SearchOptions::default());
        let o = parse(&obj(&[("limit", Value::Number(1e9)), ("offset", Value::Number(3.0)), ("sort", Value::String("date".into()))])).unwrap();
        assert_eq!((o.limit, o.offset, o.sort), (MAX_LIMIT, 3, Some(Sort::Date)));
        assert!(parse(&obj(&[("filters", Value::Null)])).unwrap().filters.is_empty());
        let o = parse(&obj(&[("filters", obj(&[("year", Value::Array(vec![]))]))])).unwrap();
        assert!(o.filters.is_empty());
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (obj(&[("limit", Value::Number(-1.0))]), "options.limit"),
            (obj(&[("limit", Value::Number(f64::NAN))]), "options.limit"),
            (obj(&[("offset", Value::Number(-1.0))]), "options.offset"),
            (obj(&[("offset", Value::Number(1.5))]), "options.offset"),
            (obj(&[("sort", Value::String("random".into()))]), "options.sort"),
            (obj(&[("colour", Value::Bool(true))]), "options.colour"),
            (obj(&[("__proto__", obj(&[]))]), "options.__proto__"),
            (Value::Number(5.0), "options"),
            (Value::String("x".into()), "options"),
            (obj(&[("filters", Value::Number(1.0))]), "options.filters"),
            (obj(&[("filters", obj(&[("year", Value::String("deux mille".into()))]))]), "options.filters.year"),
            (obj(&[("filters", obj(&[("from", Value::String("2024-13-45".into()))]))]), "options.filters.from"),
            (obj(&[("filters", obj(&[("to", Value::Number(2024.0))]))]), "options.filters.to"),
            (obj(&[("filters", obj(&[("source", Value::Array(vec![Value::Number(1.0)]))]))]), "options.filters.source"),
            (obj(&[("filters", obj(&[("person", obj(&[]))]))]), "options.filters.person"),
            (obj(&[("filters", obj(&[("pays", Value::String("France".into()))]))]), "options.filters.pays"),
            // Values past the most that are read, wherever they are.
            (obj(&[("limit", Value::TooMany)]), "options.limit"),
            (obj(&[("sort", Value::TooMany)]), "options.sort"),
            (obj(&[("filters", Value::TooMany)]), "options.filters"),
            (obj(&[("filters", obj(&[("year", Value::Array(vec![Value::Number(2024.0), Value::TooMany]))]))]), "options.filters.year"),
            (obj(&[("filters", obj(&[("from", Value::TooMany)]))]), "options.filters.from"),
            (obj(&[("filters", obj(&[("person", Value::Array(vec![Value::String("A".into()), Value::TooMany]))]))]), "options.filters.person"),
        ];
        for (v, field) in cases {
            let e = parse(&v).unwrap_err();
            assert_eq!(e.field, field, "{e}");
            assert!(e.to_string().starts_with(field));
        }
    }

    #[test]
    fn the_values_read_in_all_exceed_any_valid_options() {
        // limit, offset, sort, filters; year, from, to, source, person; three full lists.
        const MOST_VALID: usize = 4 + 5 + 3 * MAX_FILTER_VALUES; // as asserted beside MAX_OPTION_VALUES
        let full = |v: Value| Value::Array(vec![v; MAX_FILTER_VALUES]);
        let o = obj(&[
            ("limit", Value::Number(1.0)),
            ("offset", Value::Number(0.0)),
            ("sort", Value::String("date".into())),
            (
                "filters",
                obj(&[
                    ("year", full(Value::Number(2024.0))),
                    ("from", Value::String("2020-01-01".into())),
                    ("to", Value::String("2024-01-01".into())),
                    ("source", full(Value::String("OTAN".into()))),
                    ("person", full(Value::String("A".into()))),
                ]),
            ),
        ]);
        fn count(v: &Value) -> usize {
            match v {
                Value::Array(items) => items.iter().map(|x| 1 + count(x)).sum(),
                Value::Object(fields) => fields.iter().map(|(_, x)| 1 + count(x)).sum(),
                _ => 0,
            }
        }
        assert_eq!(count(&o), MOST_VALID);
        assert!(parse(&o).is_ok());
    }

    #[test]
    fn filter_values() {
        let f = parse(&obj(&[(
            "filters",
            obj(&[
                ("year", Value::Array(vec![Value::Number(2024.0), Value::Number(2020.0)])),
                ("from", Value::String("2020-01-01".into())),
                ("source", Value::String("OTAN".into())),
                ("person", Value::Array(vec![Value::String("Jens Stoltenberg".into())])),
            ]),
        )]))
        .unwrap()
        .filters;
        assert_eq!(f.years, vec![2024, 2020]);
        assert_eq!(f.from, Some(Date::new(2020, 1, 1).unwrap().ordinal()));
        assert_eq!(f.sources, vec!["OTAN"]);
        assert_eq!(f.people, vec!["Jens Stoltenberg"]);
    }
}
