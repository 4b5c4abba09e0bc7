//! Effective time: when a decision took effect in the world (design.md §3.2).
//!
//! Defaults to now; may be back-dated, but only with a reason; never in the future. Built once at
//! the edge with [`EffectiveTime::new`], so every command holds a time that is already valid.
//! The reason is a human's [`Reason`] like any other the ledger keeps: trimmed, at most 4,000
//! characters, no control characters but line breaks and tabs.

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde::{Deserialize, Serialize};

use crate::text::{Reason, TextError};

/// How far in the past an effective time may be before it counts as back-dated and needs a reason.
/// Covers the latency between a client reading its clock and the request arriving.
pub const BACKDATE_GRACE: Duration = Duration::minutes(5);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EffectiveTime {
    at: DateTime<Utc>,
    backdate_reason: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EffectiveTimeError {
    #[error(
        "effective time {at} is in the future (now is {now}); the ledger records what has happened"
    )]
    InFuture {
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    },
    #[error(
        "effective time {at} is back-dated; give a backdate_reason saying why it is recorded late"
    )]
    BackdatedWithoutReason { at: DateTime<Utc> },
    #[error("the backdate_reason is not acceptable: {0}")]
    InvalidReason(TextError),
}

impl EffectiveTime {
    /// Validates a requested effective time against `now`. Times are kept to the microsecond,
    /// the precision both databases store.
    pub fn new(
        requested: Option<DateTime<Utc>>,
        backdate_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Self, EffectiveTimeError> {
        let now = micros(now);
        let at = requested.map(micros).unwrap_or(now);
        if at > now {
            return Err(EffectiveTimeError::InFuture { at, now });
        }
        // Checked even when the time is not back-dated (and the reason is not kept): a field the
        // client sent is never silently let through unchecked.
        let reason = backdate_reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(|r| Reason::parse(r).map(String::from))
            .transpose()
            .map_err(EffectiveTimeError::InvalidReason)?;
        let backdated = now - at > BACKDATE_GRACE;
        if backdated && reason.is_none() {
            return Err(EffectiveTimeError::BackdatedWithoutReason { at });
        }
        Ok(Self {
            at,
            backdate_reason: if backdated { reason } else { None },
        })
    }

    /// Effective now.
    pub fn now(now: DateTime<Utc>) -> Self {
        Self {
            at: micros(now),
            backdate_reason: None,
        }
    }

    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    pub fn backdate_reason(&self) -> Option<&str> {
        self.backdate_reason.as_deref()
    }
}

fn micros(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::microseconds(1)).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-02-14T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn defaults_to_now() {
        let t = EffectiveTime::new(None, None, now()).unwrap();
        assert_eq!(t.at(), now());
        assert_eq!(t.backdate_reason(), None);
    }

    #[test]
    fn refuses_the_future() {
        let err = EffectiveTime::new(Some(now() + Duration::seconds(1)), None, now()).unwrap_err();
        assert!(matches!(err, EffectiveTimeError::InFuture { .. }));
    }

    #[test]
    fn back_dating_needs_a_reason() {
        let past = now() - Duration::days(30);
        assert_eq!(
            EffectiveTime::new(Some(past), Some("  "), now()).unwrap_err(),
            EffectiveTimeError::BackdatedWithoutReason { at: past }
        );
        let t = EffectiveTime::new(Some(past), Some("signed on paper at the QBR"), now()).unwrap();
        assert_eq!(t.at(), past);
        assert_eq!(t.backdate_reason(), Some("signed on paper at the QBR"));
    }

    #[test]
    fn a_backdate_reason_is_a_reason_like_any_other() {
        let past = now() - Duration::days(30);
        for bad in ["a\0b".to_owned(), "bell\u{7}".to_owned(), "x".repeat(4001)] {
            for at in [Some(past), None] {
                assert!(
                    matches!(
                        EffectiveTime::new(at, Some(&bad), now()),
                        Err(EffectiveTimeError::InvalidReason(_))
                    ),
                    "{at:?} {bad:?}"
                );
            }
        }
        let t = EffectiveTime::new(Some(past), Some(" line one\nline two "), now()).unwrap();
        assert_eq!(t.backdate_reason(), Some("line one\nline two"));
    }

    #[test]
    fn a_few_seconds_of_clock_latency_is_not_back_dating() {
        let t = EffectiveTime::new(Some(now() - Duration::seconds(2)), None, now()).unwrap();
        assert_eq!(t.backdate_reason(), None);
    }
}
