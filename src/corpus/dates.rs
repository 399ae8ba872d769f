//! Dates as articles write them: English header dates (`17 Jun. 2024`),
//! update stamps (`Mis à jour le: 24 Jun. 2024 11:03`) and French dates in
//! running text (`Ce mercredi (7 février 2024), …`).

use crate::date::Date;

const ENGLISH_MONTHS: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

const FRENCH_MONTHS: &[&str] = &["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').filter(|w| !w.is_empty()).collect()
}

fn english_month(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    let w = if w == "sept" { "sep".to_string() } else { w };
    ENGLISH_MONTHS.iter().position(|m| *m == w).map(|i| i as u32 + 1)
}

fn french_month(w: &str) -> Option<u32> {
    let w = w.to_lowercase();
    let folded = crate::analysis::fold(&w);
    FRENCH_MONTHS.iter().position(|m| *m == w || crate::analysis::fold(m) == folded).map(|i| i as u32 + 1)
}

fn day(w: &str) -> Option<u32> {
    let w = w.strip_suffix("er").unwrap_or(w);
    if w.is_empty() || w.len() > 2 {
        return None;
    }
    w.parse().ok()
}

fn year(w: &str) -> Option<i32> {
    (w.len() == 4).then(|| w.parse().ok()).flatten()
}

/// Parses an English day date, `17 Jun. 2024`, and nothing more: a date
/// that does not exist or anything after it is not one.
pub fn english(s: &str) -> Option<Date> {
    match words(s).as_slice() {
        [d, m, y] => english_date(d, m, y),
        _ => None,
    }
}

fn english_date(d: &str, m: &str, y: &str) -> Option<Date> {
    Date::new(year(y)?, english_month(m)?, day(d)?)
}

/// Parses a header range `17 Jun. 2024 - 21 Jun. 2024` (the end may be
/// missing: `26 Jun. 2020 -`). Returns the start and the end, if any; none
/// when either is not a date, so that the reader refuses the line rather
/// than drop half of it.
pub fn english_range(s: &str) -> Option<(Date, Option<Date>)> {
    let (a, b) = match s.split_once(" - ").or_else(|| s.trim_end().strip_suffix('-').map(|a| (a, ""))) {
        Some((a, b)) => (a, b),
        None => (s, ""),
    };
    let start = english(a)?;
    let end = if b.trim().is_empty() { None } else { Some(english(b)?) };
    Some((start, end))
}

/// Parses `Mis à jour le: 24 Jun. 2024 11:03` into `2024-06-24T11:03` (the
/// time may be missing); none when the date or the time is not one, or
/// anything follows them.
pub fn updated_stamp(s: &str) -> Option<String> {
    let rest = s.split_once(':').map(|(_, r)| r)?;
    match words(rest).as_slice() {
        [d, m, y] => Some(english_date(d, m, y)?.to_iso()),
        [d, m, y, t] => {
            let b = t.as_bytes();
            let time = b.len() == 5 && b[2] == b':' && t[..2].parse::<u32>().is_ok_and(|h| h < 24) && t[3..].parse::<u32>().is_ok_and(|m| m < 60);
            time.then(|| english_date(d, m, y).map(|date| format!("{}T{t}", date.to_iso()))).flatten()
        }
        _ => None,
    }
}

/// The first complete French date (`7 février 2024`, `1er mai 2023`) in `s`.
/// A date without a year (`le 8 novembre`) is not a date: no guessing.
pub fn first_french(s: &str) -> Option<Date> {
    let w = words(s);
    w.windows(3).find_map(|t| Date::new(year(t[2].trim_end_matches('.'))?, french_month(t[1])?, day(t[0])?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_dates() {
        let (a, b) = english_range("17 Jun. 2024 - 21 Jun. 2024").unwrap();
        assert_eq!((a.to_iso(), b.unwrap().to_iso()), ("2024-06-17".into(), "2024-06-21".into()));
        let (a, b) = english_range("26 Jun. 2020 -").unwrap();
        assert_eq!((a.to_iso(), b), ("2020-06-26".into(), None));
        assert_eq!(updated_stamp("Mis à jour le: 24 Jun. 2024 11:03").as_deref(), Some("2024-06-24T11:03"));
        assert_eq!(english("31 Feb. 2024"), None);
        // Half a range, or a stamp, that is not a date refuses the whole.
        assert_eq!(english_range("17 Jun. 2024 - 31 Feb. 2024"), None);
        assert_eq!(english_range("17 Jun. 2024 - 99 Xyz. 2024 et du charabia"), None);
        assert_eq!(english_range("17 Jun. 2024 et du charabia"), None);
        assert_eq!(updated_stamp("Mis à jour le: 24 Jun. 2024 99:99"), None);
        assert_eq!(updated_stamp("Mis à jour le: 24 Jun. 2024 11:03 hier"), None);
        assert_eq!(updated_stamp("Mis à jour le: 24 Jun. 2024").as_deref(), Some("2024-06-24"));
    }

    #[test]
    fn french_dates_in_text() {
        assert_eq!(first_french("Ce mercredi (7 février 2024), les").map(|d| d.to_iso()).as_deref(), Some("2024-02-07"));
        assert_eq!(first_french("le 1er mai 2023.").map(|d| d.to_iso()).as_deref(), Some("2023-05-01"));
        assert_eq!(first_french("le 7 fevrier 2024").map(|d| d.to_iso()).as_deref(), Some("2024-02-07"));
        assert_eq!(first_french("depuis la victoire de M. Trump, le 8 novembre."), None);
    }
}
