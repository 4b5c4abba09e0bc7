//! How SQLite holds what it has no type for: instants as RFC 3339 text with exactly six
//! fractional digits and a `Z`, so that comparing the text compares the instants.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::StoreError;

pub(crate) fn instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(crate) fn parse_instant(what: &'static str, text: &str) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt {
            what,
            detail: format!("`{text}` is not an RFC 3339 instant: {e}"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_order_is_time_order() {
        let a = parse_instant("t", "2026-02-14T09:30:00.000009Z").unwrap();
        let b = parse_instant("t", "2026-02-14T09:30:00.1Z").unwrap();
        assert!(instant(a) < instant(b));
        assert_eq!(instant(b), "2026-02-14T09:30:00.100000Z");
        assert_eq!(parse_instant("t", &instant(a)).unwrap(), a);
    }
}
