//! Catching up with the log batch by batch, and the snapshots that let a restart skip the part
//! already folded.

use std::time::Instant;

use channel_ledger_store::{Ledger, RawEventRef};
use tokio::sync::MutexGuard;
use tokio::task::JoinHandle;

use super::{Checkpoint, Projector, ProjectorError, MODEL_VERSION, SNAPSHOT_NAME};
use crate::event::LedgerEvent;
use crate::model::ProgramModel;

impl Projector {
    /// Folds every event after the live model's position into it; returns how many. Each batch
    /// is decoded first and then applied under one write lock, so readers never see half a
    /// batch and the model never runs ahead of (or behind) its position.
    pub async fn catch_up(&self) -> Result<usize, ProjectorError> {
        self.catch_up_batches(usize::MAX).await
    }

    /// Like [`Projector::catch_up`], stopping after `max_batches` batches: bounded work, and a
    /// way for tests to stop a projector anywhere in the log.
    /// Errors are returned, not logged: [`Projector::run`] logs them once with its retry plan.
    #[tracing::instrument(name = "projector.catch_up", skip_all, fields(log.from, events.applied))]
    pub async fn catch_up_batches(&self, max_batches: usize) -> Result<usize, ProjectorError> {
        let mut checkpoint = self.advance.lock().await;
        let from = self.position();
        tracing::Span::current().record("log.from", from);
        let mut applied = 0;
        let mut ahead = (max_batches > 0).then(|| self.read_ahead(from));
        for n in 1..=max_batches {
            let Some(page) = ahead.take() else {
                break;
            };
            let events = page.await??;
            let Some(last) = events.last().map(|e| e.position) else {
                break;
            };
            let count = events.len();
            if count == self.config.batch as usize && n < max_batches {
                ahead = Some(self.read_ahead(last));
            }
            {
                let mut model = self.model.write().await;
                for event in events {
                    model.apply_owned(event);
                }
            }
            // No await since the write: a cancelled catch-up cannot split model from position.
            self.position.send_replace(last);
            applied += count;
            if last - checkpoint.position >= self.config.snapshot_every {
                self.save(&mut checkpoint).await?;
            }
            if count < self.config.batch as usize {
                break;
            }
        }
        tracing::Span::current().record("events.applied", applied);
        if self.position() > checkpoint.position
            && checkpoint.at.elapsed() >= self.config.snapshot_interval
        {
            self.save(&mut checkpoint).await?;
        }
        Ok(applied)
    }

    /// Reads and decodes the page after `after` on a task of its own, so that it goes on while
    /// the caller applies (and maybe stores) the page before: on two cores reading and decoding
    /// is the larger half of a catch-up. A cancelled catch-up drops the handle, and with it the
    /// page; nothing is applied but by the caller, in order.
    fn read_ahead(&self, after: i64) -> JoinHandle<Result<Vec<LedgerEvent>, ProjectorError>> {
        let ledger = self.ledger.clone();
        let batch = self.config.batch;
        // Decoded on the blocking thread that reads the page, not on an async one.
        tokio::spawn(async move { ledger.scan_global_raw(after, batch, decoder(after)).await })
    }

    /// Stores a snapshot if the live model has moved since the last one: for shutdown.
    pub async fn checkpoint(&self) -> Result<bool, ProjectorError> {
        let mut checkpoint = self.advance.lock().await;
        if self.position() == checkpoint.position {
            return Ok(false);
        }
        self.save(&mut checkpoint).await?;
        Ok(true)
    }

    /// Serializes the live model off the async threads and stores it with its position. The
    /// caller holds `advance`, so the model cannot move meanwhile and readers are not blocked.
    pub(super) async fn save(
        &self,
        checkpoint: &mut MutexGuard<'_, Checkpoint>,
    ) -> Result<(), ProjectorError> {
        let model = self.model.clone().read_owned().await;
        let position = model.position;
        let capacity = body_capacity(checkpoint.bytes, position);
        let started = Instant::now();
        let body = tokio::task::spawn_blocking(move || encode(&model, capacity))
            .await?
            .map_err(ProjectorError::Encode)?;
        let encoded = started.elapsed();
        let saved = self
            .ledger
            .save_snapshot(SNAPSHOT_NAME, MODEL_VERSION, position, &body)
            .await?;
        tracing::debug!(
            log.position = position,
            snapshot.bytes = body.len(),
            encode.seconds = encoded.as_secs_f64(),
            write.seconds = (started.elapsed() - encoded).as_secs_f64(),
            "snapshot stored"
        );
        if !saved {
            tracing::warn!(
                log.position = position,
                "a snapshot further ahead is stored (another projector?): kept it"
            );
        }
        checkpoint.position = position;
        checkpoint.at = Instant::now();
        checkpoint.bytes = body.len();
        Ok(())
    }
}

/// Bytes to reserve for the body of a snapshot at `position`: a quarter more than the last
/// one, and at least 192 an event (the realistic million-event log's model takes ~121).
///
/// A body grown from nothing doubles its way to ~120 MB, and each doubling copies all of it
/// into freshly zeroed pages: 30% of the serialization's samples in a profile of the rebuild.
/// Reserving too much costs only address space; pages never written are never touched.
fn body_capacity(last: usize, position: i64) -> usize {
    let per_event = usize::try_from(position).unwrap_or(0).saturating_mul(192);
    last.saturating_add(last / 4).max(per_event)
}

/// The model as JSON text, written into a buffer of `capacity` bytes.
fn encode(model: &ProgramModel, capacity: usize) -> Result<String, serde_json::Error> {
    let mut body = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut body, model)?;
    Ok(String::from_utf8(body).expect("serde_json writes UTF-8 only"))
}

/// Decodes one page of the log, whose events must continue it right after position `after`:
/// for [`Ledger::scan_global_raw`], which runs it as the page is read.
pub(super) fn decoder(
    mut after: i64,
) -> impl FnMut(RawEventRef<'_>) -> Result<LedgerEvent, ProjectorError> + Send + 'static {
    move |record| {
        if record.position != after + 1 {
            return Err(ProjectorError::OutOfOrder {
                expected: after + 1,
                found: record.position,
            });
        }
        after = record.position;
        Ok(LedgerEvent::try_from(record)?)
    }
}

/// The stored model, if there is a usable snapshot: of [`MODEL_VERSION`], readable, and not
/// ahead of the log. Anything else is only a cache miss: the log is replayed.
pub(super) async fn load_snapshot(ledger: &Ledger) -> Result<Option<ProgramModel>, ProjectorError> {
    match stored_snapshot(ledger).await? {
        Stored::Usable(model) => Ok(Some(model)),
        Stored::Missing => Ok(None),
        Stored::Unusable => {
            // Left in place it would hold later checkpoints back: saves never move one back.
            ledger.delete_snapshot(SNAPSHOT_NAME).await?;
            Ok(None)
        }
    }
}

enum Stored {
    Usable(ProgramModel),
    /// None, or one of another model version.
    Missing,
    /// Of the current version, but it cannot be trusted.
    Unusable,
}

async fn stored_snapshot(ledger: &Ledger) -> Result<Stored, ProjectorError> {
    let Some(snapshot) = ledger.load_snapshot(SNAPSHOT_NAME).await? else {
        tracing::info!("no snapshot: replaying the log from the start");
        return Ok(Stored::Missing);
    };
    if snapshot.version != MODEL_VERSION {
        tracing::info!(
            snapshot.version = snapshot.version,
            model.version = MODEL_VERSION,
            "snapshot of another model version: replaying the log from the start"
        );
        return Ok(Stored::Missing);
    }
    let (position, body) = (snapshot.position, snapshot.body);
    let parsed =
        tokio::task::spawn_blocking(move || serde_json::from_str::<ProgramModel>(&body)).await?;
    let model = match parsed {
        Ok(model) if model.position == position => model,
        Ok(model) => {
            tracing::warn!(
                snapshot.position = position,
                body.position = model.position,
                "snapshot body disagrees with its position: replaying the log from the start"
            );
            return Ok(Stored::Unusable);
        }
        Err(error) => {
            tracing::warn!(%error, "snapshot does not deserialize: replaying the log from the start");
            return Ok(Stored::Unusable);
        }
    };
    let head = ledger.head_position().await?;
    if position > head {
        tracing::warn!(
            snapshot.position = position,
            log.head = head,
            "snapshot is ahead of the log: replaying the log from the start"
        );
        return Ok(Stored::Unusable);
    }
    tracing::info!(
        snapshot.position = position,
        "resuming from the stored snapshot"
    );
    Ok(Stored::Usable(model))
}
