//! Calendar dates as the index and the filters use them.
//!
//! Dates are ISO `YYYY-MM-DD` strings in documents and options, and day
//! ordinals (days since 1970-01-01, proleptic Gregorian) in the index,
//! so that a date range filter is two integer comparisons.

/// A validated calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// A date if `day` exists in `month` of `year`.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || !(1..=9999).contains(&year) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> { b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32)) };
        Date::new(num(0..4)? as i32, num(5..7)?, num(8..10)?)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn ordinal(self) -> i32 {
        let y = if self.month <= 2 { self.year - 1 } else { self.year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + self.day as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (Hinnant's `civil_from_days`).
    pub fn from_ordinal(days: i32) -> Date {
        let z = days as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn to_iso(self) -> String {
        let mut s = String::with_capacity(10);
        push_padded(&mut s, self.year as u32, 4);
        s.push('-');
        push_padded(&mut s, self.month, 2);
        s.push('-');
        push_padded(&mut s, self.day, 2);
        s
    }
}

/// Appends the last `width` decimal digits of `n`, zero-padded.
fn push_padded(s: &mut String, n: u32, width: u32) {
    for i in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(i) % 10) as u8));
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days in `month` (1–12) of `year`.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates_iso() {
        assert_eq!(Date::parse_iso("2024-06-21"), Date::new(2024, 6, 21));
        assert_eq!(Date::parse_iso("2024-02-29").map(|d| d.to_iso()), Some("2024-02-29".into()));
        for bad in ["2023-02-29", "2024-13-45", "2024-6-21", "24-06-21", "2024-06-2x", "", "2024/06/21"] {
            assert_eq!(Date::parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn ordinals_count_days() {
        assert_eq!(Date::new(1970, 1, 1).unwrap().ordinal(), 0);
        assert_eq!(Date::new(2000, 3, 1).unwrap().ordinal(), 11_017);
        let a = Date::new(2024, 2, 28).unwrap().ordinal();
        assert_eq!(Date::new(2024, 3, 1).unwrap().ordinal() - a, 2);
        for d in [-800_000, -1, 0, 1, 19_000, 20_000, 2_000_000] {
            assert_eq!(Date::from_ordinal(d).ordinal(), d);
        }
    }
}
