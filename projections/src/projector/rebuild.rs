//! Rebuilding the live model from the log while it keeps answering reads.
//!
//! A brand-new model is folded from position 0 without touching the live one. Then catch-up is
//! paused (the `advance` mutex, not the read lock: readers go on), the few events appended
//! meanwhile are folded in, and the new model replaces the live one under a write lock held only
//! for the swap. Reading the log and folding it run side by side: pages are read and decoded
//! on blocking threads while another applies the decoded batches.

use std::time::Instant;

use channel_ledger_store::Ledger;
use futures::stream::{self, StreamExt};
use serde::Serialize;
use tokio::sync::mpsc;

use super::catch_up::decoder;
use super::{Projector, ProjectorError};
use crate::event::LedgerEvent;
use crate::model::ProgramModel;

/// Batches read ahead of the fold.
const READ_AHEAD: usize = 4;
/// Pages read at once.
const READERS: usize = 2;

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RebuildReport {
    /// Events folded into the new model.
    pub events: usize,
    /// The position the new model reached.
    pub position: i64,
    /// From the start to the stored snapshot of the new model.
    pub seconds: f64,
    pub events_per_second: f64,
    /// Whether the rebuilt model equals the live one it replaced, when both had reached the
    /// same position; `None` when the live one was behind. `Some(false)` means the fold is not
    /// deterministic or changed without a [`super::MODEL_VERSION`] bump.
    pub matched_live: Option<bool>,
}

impl Projector {
    /// Folds a new model from the whole log and switches the live one over to it, then stores
    /// its snapshot. Reads are served from the old model until the switch. A second rebuild
    /// while one runs is refused with [`ProjectorError::RebuildInProgress`].
    #[tracing::instrument(name = "projector.rebuild", skip_all, fields(events, log.position), err)]
    pub async fn rebuild(&self) -> Result<RebuildReport, ProjectorError> {
        let _only_one = self
            .rebuilding
            .try_lock()
            .map_err(|_| ProjectorError::RebuildInProgress)?;
        let started = Instant::now();
        let batch = self.config.batch;
        let (fresh, bulk) = fold_log(&self.ledger, ProgramModel::default(), batch).await?;
        let folded = started.elapsed();

        let mut checkpoint = self.advance.lock().await;
        let (fresh, tail) = fold_log(&self.ledger, fresh, batch).await?;
        let position = fresh.position;
        let matched_live = {
            let live = self.model.read().await;
            (live.position == position).then(|| *live == fresh)
        };
        if matched_live == Some(false) {
            tracing::warn!("the rebuilt model differs from the incrementally built one");
        }
        let old = std::mem::replace(&mut *self.model.write().await, fresh);
        self.position.send_replace(position);
        // A large model takes a while to free; not on an async thread.
        tokio::task::spawn_blocking(move || drop(old));
        let switched = started.elapsed();
        self.save(&mut checkpoint).await?;
        drop(checkpoint);

        let events = bulk + tail;
        let seconds = started.elapsed().as_secs_f64();
        tracing::Span::current()
            .record("events", events)
            .record("log.position", position);
        #[expect(clippy::cast_precision_loss, reason = "a rate, not an amount")]
        let events_per_second = if seconds > 0.0 {
            events as f64 / seconds
        } else {
            0.0
        };
        tracing::info!(
            events,
            seconds,
            events_per_second,
            fold.seconds = folded.as_secs_f64(),
            switch.seconds = (switched - folded).as_secs_f64(),
            save.seconds = seconds - switched.as_secs_f64(),
            "rebuild done"
        );
        Ok(RebuildReport {
            events,
            position,
            seconds,
            events_per_second,
            matched_live,
        })
    }
}

/// Folds every event after `model`'s position up to the head into it, reading and decoding
/// ahead while folding. Returns the model and how many events it folded.
///
/// Positions are dense (docs/adr/0002-global-order.md), so the pages up to the head are known
/// in advance and [`READERS`] of them are read and decoded at once: on PostgreSQL the server
/// renders one page while the client decodes another, and on two cores decoding (the larger
/// half of the work) runs beside the fold instead of on its thread. Each page is checked to
/// continue from its own start by [`decoder`], and the fold refuses a page that does not start
/// right after the position it has reached, so a short page is never followed silently.
async fn fold_log(
    ledger: &Ledger,
    model: ProgramModel,
    batch: u32,
) -> Result<(ProgramModel, usize), ProjectorError> {
    let head = ledger.head_position().await?;
    let (batches, mut received) = mpsc::channel::<Vec<LedgerEvent>>(READ_AHEAD);
    let starts = (model.position..head).step_by(batch as usize);
    let folder = tokio::task::spawn_blocking(move || {
        let mut model = model;
        let mut folded = 0;
        while let Some(events) = received.blocking_recv() {
            if let Some(first) = events.first() {
                if first.position != model.position + 1 {
                    return Err(ProjectorError::OutOfOrder {
                        expected: model.position + 1,
                        found: first.position,
                    });
                }
            }
            folded += events.len();
            for event in events {
                model.apply_owned(event);
            }
        }
        Ok::<_, ProjectorError>((model, folded))
    });
    let read = async {
        let mut pages = stream::iter(starts)
            .map(|after| read_page(ledger, after, batch))
            .buffered(READERS);
        while let Some(events) = pages.next().await {
            if batches.send(events?).await.is_err() {
                // The folder stopped; its error is reported below.
                break;
            }
        }
        Ok(())
    };
    let read: Result<(), ProjectorError> = read.await;
    drop(batches);
    let folded = folder.await??;
    read?;
    Ok(folded)
}

/// The page of the log after `after`, decoded on the blocking thread that reads it.
async fn read_page(
    ledger: &Ledger,
    after: i64,
    batch: u32,
) -> Result<Vec<LedgerEvent>, ProjectorError> {
    ledger.scan_global_raw(after, batch, decoder(after)).await
}
