//! The two time axes of design.md §3.8, named as the CLI and the query parameters name them.

use std::fmt;
use std::str::FromStr;

use channel_ledger_projections::LedgerEvent;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which clock "as of T" reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Axis {
    /// What the ledger knew at T: events recorded at or before T, in log order.
    #[default]
    Recorded,
    /// What was true at T with every later correction applied: every event recorded so far that
    /// took effect at or before T, in effective order.
    Effective,
}

impl Axis {
    pub fn as_str(self) -> &'static str {
        match self {
            Axis::Recorded => "recorded",
            Axis::Effective => "effective",
        }
    }

    /// The event's time on this axis.
    pub fn time_of(self, e: &LedgerEvent) -> DateTime<Utc> {
        match self {
            Axis::Recorded => e.recorded_at,
            Axis::Effective => e.effective_at,
        }
    }

    /// Where the event goes in a fold on this axis: log order when recorded, effective time then
    /// log order when effective.
    pub fn sort_key(self, e: &LedgerEvent) -> (DateTime<Utc>, i64) {
        match self {
            // Position alone orders the recorded axis; the constant keeps one key type.
            Axis::Recorded => (DateTime::<Utc>::MIN_UTC, e.position),
            Axis::Effective => (e.effective_at, e.position),
        }
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An axis name that is neither `recorded` nor `effective`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown axis `{0}`: expected `recorded` or `effective`")]
pub struct AxisParseError(pub String);

impl FromStr for Axis {
    type Err = AxisParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "recorded" => Ok(Axis::Recorded),
            "effective" => Ok(Axis::Effective),
            _ => Err(AxisParseError(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_parse_and_serialize_by_their_lowercase_names() {
        assert_eq!("recorded".parse::<Axis>().unwrap(), Axis::Recorded);
        assert_eq!("Effective".parse::<Axis>().unwrap(), Axis::Effective);
        assert!("valid".parse::<Axis>().is_err());
        assert_eq!(
            serde_json::to_string(&Axis::Effective).unwrap(),
            "\"effective\""
        );
        assert_eq!(
            serde_json::from_str::<Axis>("\"recorded\"").unwrap(),
            Axis::Recorded
        );
    }
}
