//! Rebuilding the live model from the log while it keeps answering reads.
//!
//! A brand-new model is folded from position 0 without touching the live one. Then catch-up is
//! paused (the `advance` mutex, not the read lock: readers go on), the few events appended
//! meanwhile are folded in, and the new model replaces the live one under a write lock held only
//! for the swap. Reading the log and folding it run side by side: a task pages through the log
//! while a blocking thread decodes and applies the batches.

use std::time::Instant;

use channel_ledger_store::{Ledger, RawEvent};
use futures::stream::{self, StreamExt};
use serde::Serialize;
use tokio::sync::mpsc;

use super::catch_up::decode;
use super::{Projector, ProjectorError};
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
        tracing::info!(events, seconds, events_per_second, "rebuild done");
        Ok(RebuildReport {
            events,
            position,
            seconds,
            events_per_second,
            matched_live,
        })
    }
}

/// Folds every event after `model`'s position up to the head into it, reading ahead while
/// folding. Returns the model and how many events it folded.
///
/// Positions are dense (docs/adr/0002-global-order.md), so the pages up to the head are known
/// in advance and [`READERS`] of them are read at once: on PostgreSQL the server renders one
/// page while the client decodes another. The fold still sees them in order, and
/// [`decode`] refuses a page that does not start where the previous one ended.
async fn fold_log(
    ledger: &Ledger,
    model: ProgramModel,
    batch: u32,
) -> Result<(ProgramModel, usize), ProjectorError> {
    let head = ledger.head_position().await?;
    let (batches, mut received) = mpsc::channel::<Vec<RawEvent>>(READ_AHEAD);
    let starts = (model.position..head).step_by(batch as usize);
    let folder = tokio::task::spawn_blocking(move || {
        let mut model = model;
        let mut folded = 0;
        while let Some(records) = received.blocking_recv() {
            for event in decode(&records, model.position)? {
                model.apply(&event);
            }
            folded += records.len();
        }
        Ok::<_, ProjectorError>((model, folded))
    });
    let read = async {
        let mut pages = stream::iter(starts)
            .map(|after| ledger.read_global_raw(after, batch))
            .buffered(READERS);
        while let Some(records) = pages.next().await {
            if batches.send(records?).await.is_err() {
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
