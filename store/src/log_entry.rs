//! [`LogEntry`]: one event exactly as the log holds it, with its link. Verification recomputes
//! it, an export line is its JSON form (docs/export-format.md), an import writes it back.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::chain::{Link, Linked};

/// One event of the log with every stored field and its link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// Place in the global order: 1, 2, 3, … without gaps.
    pub position: i64,
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
    pub event_version: String,
    /// Canonical JSON text ([`crate::chain::canonical_json`]); a JSON value in the export line.
    #[serde(with = "raw_json")]
    pub payload: String,
    /// The cqrs-es metadata map, canonical JSON text like `payload`.
    #[serde(with = "raw_json")]
    pub metadata: String,
    #[serde(with = "micros")]
    pub effective_at: DateTime<Utc>,
    /// When the database first recorded it; an import keeps it.
    #[serde(with = "micros")]
    pub recorded_at: DateTime<Utc>,
    /// The chain's link at this event.
    pub hash: Link,
}

impl LogEntry {
    /// What the link covers, at `position` (the entry's own, or another to test a move).
    pub(crate) fn linked_at(&self, position: i64) -> Linked<'_> {
        Linked {
            position,
            event_id: self.event_id,
            aggregate_type: &self.aggregate_type,
            aggregate_id: &self.aggregate_id,
            sequence: self.sequence,
            event_type: &self.event_type,
            event_version: &self.event_version,
            payload: &self.payload,
            metadata: &self.metadata,
            effective_at: self.effective_at,
            recorded_at: self.recorded_at,
        }
    }

    /// The link this entry should have after `previous`.
    pub fn link_after(&self, previous: &Link) -> Link {
        self.linked_at(self.position).link_after(previous)
    }
}

/// JSON text held as a `String`, written into the line as the JSON value itself.
mod raw_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::value::RawValue;

    pub fn serialize<S: Serializer>(text: &str, serializer: S) -> Result<S::Ok, S::Error> {
        let raw: &RawValue = serde_json::from_str(text).map_err(serde::ser::Error::custom)?;
        raw.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
        Ok(<Box<RawValue>>::deserialize(deserializer)?.get().to_owned())
    }
}

/// Instants as RFC 3339 in UTC with exactly six fraction digits and a `Z`: what both databases
/// hold, so nothing is rounded on the way through.
mod micros {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&crate::sqlite_text::instant(*at))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let at = DateTime::parse_from_rfc3339(&text)
            .map_err(serde::de::Error::custom)?
            .with_timezone(&Utc);
        if at.timestamp_subsec_nanos() % 1000 != 0 {
            return Err(serde::de::Error::custom(format!(
                "`{text}` is more precise than a microsecond"
            )));
        }
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> LogEntry {
        LogEntry {
            position: 7,
            event_id: Uuid::nil(),
            aggregate_type: "Partner".into(),
            aggregate_id: "p-1".into(),
            sequence: 2,
            event_type: "PartnerTierChanged".into(),
            event_version: "1".into(),
            payload: r#"{"to": "Gold", "from": "Silver"}"#.into(),
            metadata: r#"{"effective_at": "2026-01-01T00:00:00Z"}"#.into(),
            effective_at: DateTime::from_timestamp_micros(1_767_225_600_000_000).unwrap(),
            recorded_at: DateTime::from_timestamp_micros(1_767_225_600_000_500).unwrap(),
            hash: Link::GENESIS,
        }
    }

    #[test]
    fn an_entry_is_one_line_with_json_values_and_fixed_precision_times() {
        let line = serde_json::to_string(&entry()).unwrap();
        assert_eq!(
            line,
            r#"{"position":7,"event_id":"00000000-0000-0000-0000-000000000000","aggregate_type":"Partner","aggregate_id":"p-1","sequence":2,"event_type":"PartnerTierChanged","event_version":"1","payload":{"to": "Gold", "from": "Silver"},"metadata":{"effective_at": "2026-01-01T00:00:00Z"},"effective_at":"2026-01-01T00:00:00.000000Z","recorded_at":"2026-01-01T00:00:00.000500Z","hash":"0000000000000000000000000000000000000000000000000000000000000000"}"#
        );
        assert_eq!(serde_json::from_str::<LogEntry>(&line).unwrap(), entry());
    }

    #[test]
    fn nanoseconds_and_unknown_fields_are_refused() {
        let line = serde_json::to_string(&entry()).unwrap();
        let nanos = line.replace("00.000500Z", "00.000500001Z");
        assert!(serde_json::from_str::<LogEntry>(&nanos).is_err());
        let extra = line.replacen('{', r#"{"extra":1,"#, 1);
        assert!(serde_json::from_str::<LogEntry>(&extra).is_err());
    }
}
