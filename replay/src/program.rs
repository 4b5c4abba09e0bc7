//! The whole program as of a moment, folded from the global log.

use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::{Ledger, RawEvent};
use chrono::{DateTime, Utc};

use crate::fold::{fold_ordered, select};
use crate::{Axis, ReplayError};

/// How many events one read of the global log brings back.
const PAGE: u32 = 10_000;

fn counts(record: &RawEvent, axis: Axis, t: DateTime<Utc>) -> bool {
    match axis {
        Axis::Recorded => record.recorded_at <= t,
        Axis::Effective => record.effective_at <= t,
    }
}

/// The program model as of `t` on `axis`, folded from the whole log.
///
/// Reads every page of the log (recorded times are not strictly monotone in position on
/// PostgreSQL, so there is no safe early stop), decodes only the events that count, and folds
/// them: in position order on the recorded axis, in (effective time, position) order on the
/// effective axis. Cost is linear in the log; see `docs/adr/0005-time-travel.md`.
#[tracing::instrument(skip_all, fields(replay.axis = %axis, replay.as_of = %t, log.events), err)]
pub async fn program_as_of(
    ledger: &Ledger,
    axis: Axis,
    t: DateTime<Utc>,
) -> Result<ProgramModel, ReplayError> {
    let mut after = 0;
    let mut kept: Vec<LedgerEvent> = Vec::new();
    let mut recorded = ProgramModel::default();
    let mut read = 0usize;
    loop {
        let page = ledger.read_global_raw(after, PAGE).await?;
        let Some(last) = page.last() else { break };
        after = last.position;
        read += page.len();
        for record in page.iter().filter(|r| counts(r, axis, t)) {
            let event = LedgerEvent::try_from(record)?;
            match axis {
                // Already in fold order: fold as we go and keep nothing.
                Axis::Recorded => recorded.apply(&event),
                Axis::Effective => kept.push(event),
            }
        }
        if page.len() < PAGE as usize {
            break;
        }
    }
    tracing::Span::current().record("log.events", read);
    Ok(match axis {
        Axis::Recorded => recorded,
        Axis::Effective => fold_ordered(&select(kept, axis, t)),
    })
}
