//! The words of a quarterly review: commitments, their outcomes, notes, and the record a completed
//! review leaves behind for the handover brief.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fiscal::{FiscalCalendar, FiscalQuarter};
use crate::text::{check, Name, TextError};

/// A commitment's number within its partner's QAR series: 1, 2, 3… A deferred commitment keeps
/// its number when it is carried forward, so its history reads as one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CommitmentId(pub u32);

impl fmt::Display for CommitmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Free text written at a review: a commitment's description, a review note, what was discussed.
/// Trimmed, not blank, at most 4,000 characters, no control characters but line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(try_from = "String", into = "String")]
pub struct Note(String);

impl Note {
    pub const MAX_CHARS: usize = 4000;

    pub fn parse(s: &str) -> Result<Self, TextError> {
        check(s, Self::MAX_CHARS, "a note").map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Note {
    type Error = TextError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Note> for String {
    fn from(n: Note) -> Self {
        n.0
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A commitment as proposed for the next quarter's plan; the aggregate numbers it when locking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCommitment {
    pub description: Note,
    /// Who delivers it: a person on either side, e.g. "Sarah K. (ISV)" or "J. Ruiz, Ironclad".
    pub owner: Name,
    pub due_at: DateTime<Utc>,
}

/// A commitment of a locked plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    pub id: CommitmentId,
    pub description: Note,
    pub owner: Name,
    pub due_at: DateTime<Utc>,
    /// How many times it has been deferred and carried forward.
    pub times_deferred: u32,
}

/// What became of a commitment, judged at the next QAR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Outcome {
    Delivered,
    /// Not done yet and still wanted: carried forward into the next plan, due at `new_due_at`.
    Deferred {
        new_due_at: DateTime<Utc>,
    },
    Missed,
}

/// One commitment's review within the current QAR.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentReview {
    pub commitment_id: CommitmentId,
    pub outcome: Outcome,
    pub note: Note,
}

/// What was discussed, what was agreed and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Discussion {
    pub discussed: Note,
    pub agreed: Note,
    pub why: Note,
}

/// Counts of a completed QAR's reviews.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeCounts {
    pub delivered: u32,
    pub deferred: u32,
    pub missed: u32,
}

impl OutcomeCounts {
    pub fn of<'a>(reviews: impl IntoIterator<Item = &'a CommitmentReview>) -> Self {
        reviews.into_iter().fold(Self::default(), |mut c, r| {
            match r.outcome {
                Outcome::Delivered => c.delivered += 1,
                Outcome::Deferred { .. } => c.deferred += 1,
                Outcome::Missed => c.missed += 1,
            }
            c
        })
    }
}

/// A QAR that has completed, as the handover brief lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompletedQar {
    pub number: u32,
    pub due_at: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
    pub completed_at: DateTime<Utc>,
    pub outcomes: OutcomeCounts,
    /// Commitments in the plan it locked, carried-forward ones included.
    pub commitments_locked: u32,
    /// Always present for QARs this aggregate completed: completion requires it.
    pub discussion: Option<Discussion>,
}

impl CompletedQar {
    /// The fiscal quarter it completed in, e.g. "FY26 Q2"; the calendar is configuration, so the
    /// label is computed when read rather than stored.
    pub fn quarter(&self, calendar: &FiscalCalendar) -> FiscalQuarter {
        calendar.quarter_at(self.completed_at)
    }

    pub fn was_late(&self) -> bool {
        self.completed_at > self.due_at
    }
}
