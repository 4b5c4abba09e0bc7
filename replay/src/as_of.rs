//! The `--as-of` / `as_of=` value: a calendar date or an RFC 3339 instant.
//!
//! A bare date means the **end** of that day in UTC, `2025-06-30` = `2025-06-30T23:59:59.999999Z`:
//! "as of 30 June" includes everything that happened on 30 June. Microseconds are the precision
//! both databases keep, so no event of that day falls after the bound.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// A value that is neither `YYYY-MM-DD` nor an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date (2025-06-30, meaning the end of that day UTC) or an RFC 3339 instant (2025-06-30T12:00:00Z)")]
pub struct AsOfParseError(pub String);

/// Parses an as-of moment: `2025-06-30` (end of that day, UTC) or `2025-06-30T12:00:00+02:00`.
pub fn parse_as_of(s: &str) -> Result<DateTime<Utc>, AsOfParseError> {
    let s = s.trim();
    if let Ok(date) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let end = NaiveTime::from_hms_micro_opt(23, 59, 59, 999_999)
            .ok_or_else(|| AsOfParseError(s.to_owned()))?;
        return Ok(date.and_time(end).and_utc());
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| AsOfParseError(s.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_means_the_last_microsecond_of_that_day() {
        let t = parse_as_of("2025-06-30").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-06-30T23:59:59.999999+00:00");
    }

    #[test]
    fn an_instant_is_taken_as_given_in_utc() {
        let t = parse_as_of("2025-06-30T12:00:00+02:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2025-06-30T10:00:00+00:00");
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(parse_as_of("30/06/2025").is_err());
        assert!(parse_as_of("2025-02-30").is_err());
        assert!(parse_as_of("").is_err());
    }
}
