//! Walking the chain: recompute every link from what is stored, in global order, a page at a
//! time, and stop at the first position that does not hold up.

use std::fmt;

use serde::Serialize;
use uuid::Uuid;

use super::slots::SlotEvent;
use super::{ChainHead, Link};
use crate::{Ledger, LogEntry, StoreError};

/// Positions read per query.
const PAGE: u32 = 1000;
/// How far ahead a mismatching position looks for the event its link was computed over.
const MOVE_WINDOW: u32 = 64;

/// What a walk over the chain found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Verification {
    /// Every link recomputes; the chain ends here.
    Intact { head: ChainHead },
    /// The first position that does not.
    Broken(ChainBreak),
}

/// The first position that does not verify, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainBreak {
    pub position: i64,
    pub problem: Problem,
    /// The event now at that position, when there is one.
    pub event: Option<BrokenEvent>,
    /// The last position that verified (0 if none) and its link: everything up to it is sound.
    pub verified: ChainHead,
}

/// Which event sits at a broken position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenEvent {
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
}

/// What is wrong at a broken position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The event no longer hashes to the link stored for it: a field, a time or the previous
    /// link changed.
    Altered,
    /// The position, or the event it named, is gone.
    Removed,
    /// The link stored here was computed over the event that now sits at `found_at`.
    Reordered { found_at: i64 },
    /// No link is stored for the position.
    Unlinked,
    /// The stored row holds what the store never writes.
    Unreadable { detail: String },
    /// The chain holds together, but not with the digest kept earlier: everything up to this
    /// position was rewritten and re-hashed.
    DigestMismatch { kept: Link, found: Link },
    /// The log ends before the position of the digest kept earlier.
    Truncated { kept: ChainHead },
}

impl fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "position {}", self.position)?;
        if let Some(e) = &self.event {
            write!(
                f,
                " ({} of {} `{}`, sequence {}, event {})",
                e.event_type, e.aggregate_type, e.aggregate_id, e.sequence, e.event_id
            )?;
        }
        match &self.problem {
            Problem::Altered => f.write_str(
                " was altered: it no longer hashes to its stored link",
            ),
            Problem::Removed => f.write_str(" was removed: the position or its event is gone"),
            Problem::Reordered { found_at } => write!(
                f,
                " was reordered: its link belongs to the event now at position {found_at}"
            ),
            Problem::Unlinked => f.write_str(" has no stored link"),
            Problem::Unreadable { detail } => write!(f, " is unreadable: {detail}"),
            Problem::DigestMismatch { kept, found } => write!(
                f,
                " does not match the kept digest: kept {kept}, found {found}; the log up to it was rewritten"
            ),
            Problem::Truncated { kept } => write!(
                f,
                " is the end of the log, before the kept digest's position {}",
                kept.position
            ),
        }
    }
}

impl BrokenEvent {
    fn of(entry: &LogEntry) -> Self {
        Self {
            event_id: entry.event_id,
            aggregate_type: entry.aggregate_type.clone(),
            aggregate_id: entry.aggregate_id.clone(),
            sequence: entry.sequence,
            event_type: entry.event_type.clone(),
        }
    }
}

impl Ledger {
    /// Recomputes the whole chain from what is stored and returns its head, or the first
    /// position that does not verify. With `kept`, a digest taken earlier, the link at its
    /// position must also equal it: that catches a log rewritten and re-hashed from scratch.
    #[tracing::instrument(skip_all, fields(db.backend = %self.backend()), err)]
    pub async fn verify_chain(&self, kept: Option<ChainHead>) -> Result<Verification, StoreError> {
        self.settle().await?;
        let mut verified = ChainHead::EMPTY;
        loop {
            let slots = self.read_slots(verified.position, PAGE).await?;
            if slots.is_empty() {
                break;
            }
            for slot in slots {
                let position = verified.position + 1;
                let broken = |problem, entry: Option<&LogEntry>| {
                    Ok(Verification::Broken(ChainBreak {
                        position,
                        problem,
                        event: entry.map(BrokenEvent::of),
                        verified,
                    }))
                };
                if slot.position != position {
                    return broken(Problem::Removed, None);
                }
                let entry = match slot.event {
                    SlotEvent::Missing => return broken(Problem::Removed, None),
                    SlotEvent::Unreadable(detail) => {
                        return broken(Problem::Unreadable { detail }, None)
                    }
                    SlotEvent::Stored(entry) => entry,
                };
                let Some(stored) = slot.hash else {
                    return broken(Problem::Unlinked, Some(&entry));
                };
                let link = entry.link_after(&verified.hash);
                if link != stored {
                    let problem = match self.moved_from(position, &verified.hash, stored).await? {
                        Some(found_at) => Problem::Reordered { found_at },
                        None => Problem::Altered,
                    };
                    return broken(problem, Some(&entry));
                }
                if let Some(kept) = kept.filter(|k| k.position == position && k.hash != link) {
                    return broken(
                        Problem::DigestMismatch {
                            kept: kept.hash,
                            found: link,
                        },
                        Some(&entry),
                    );
                }
                verified = ChainHead {
                    position,
                    hash: link,
                };
            }
        }
        if let Some(kept) = kept.filter(|k| k.position > verified.position) {
            return Ok(Verification::Broken(ChainBreak {
                position: verified.position + 1,
                problem: Problem::Truncated { kept },
                event: None,
                verified,
            }));
        }
        Ok(Verification::Intact { head: verified })
    }

    /// The position, shortly after `position`, of the event that the link stored at `position`
    /// was computed over: where a reordering moved it.
    async fn moved_from(
        &self,
        position: i64,
        previous: &Link,
        stored: Link,
    ) -> Result<Option<i64>, StoreError> {
        let window = self.read_slots(position, MOVE_WINDOW).await?;
        Ok(window.into_iter().find_map(|slot| match slot.event {
            SlotEvent::Stored(entry) => {
                (entry.linked_at(position).link_after(previous) == stored).then_some(slot.position)
            }
            _ => None,
        }))
    }
}
