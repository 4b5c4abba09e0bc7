//! The projector: keeps the live [`ProgramModel`] folded up to the head of the global log.
//!
//! It reads the log in batches after its position, decodes them, and applies each batch under
//! the model's write lock, so the model and its position only ever advance together. Now and
//! then it stores a snapshot — the serialized model and its position in one row, one statement —
//! so a restart resumes from there: a crash at any point neither applies an event twice nor
//! skips one, because whatever is on disk is exactly the fold of the log up to its position.
//!
//! Readers take the read lock for as long as they look ([`Projector::read`]); catch-up holds the
//! write lock only to apply one decoded batch. [`Projector::rebuild`] folds a brand-new model
//! from the log without any lock on the live one and swaps it in at the end.
//!
//! One mutex (`advance`) serializes everything that moves the model or writes its snapshot:
//! catch-up, rebuild's switch-over, checkpoints.

mod catch_up;
mod error;
mod rebuild;
mod run;

pub use error::ProjectorError;
pub use rebuild::RebuildReport;

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use channel_ledger_store::Ledger;
use tokio::sync::{watch, Mutex, RwLock, RwLockReadGuard};

use crate::model::ProgramModel;

/// The model's version. Bump it whenever the fold changes (the model's shape, or what `apply`
/// does with an event): a snapshot of another version is ignored and the log replayed.
pub const MODEL_VERSION: i32 = 1;

/// The snapshot row the projector keeps (`projection_snapshots.name`).
pub const SNAPSHOT_NAME: &str = "program";

/// How the projector reads and checkpoints. The defaults suit a service.
#[derive(Debug, Clone)]
pub struct ProjectorConfig {
    /// Events read (and applied under one write lock) at a time.
    pub batch: u32,
    /// Store a snapshot once this many events have been applied since the last one. Each save
    /// serializes the whole model (~90 MB of JSON at a million events), so a first catch-up
    /// over a long log saves rarely; a crash costs at most this many events of refolding.
    pub snapshot_every: i64,
    /// When caught up with unsaved events, store a snapshot if the last one is at least this old.
    /// Zero stores one after every catch-up that applied anything; the default keeps a busy
    /// service from serializing the whole model after every command.
    pub snapshot_interval: Duration,
    /// How often [`Projector::run`] looks at the log when nobody wakes it.
    pub poll_interval: Duration,
}

impl Default for ProjectorConfig {
    fn default() -> Self {
        Self {
            batch: 2_000,
            snapshot_every: 250_000,
            snapshot_interval: Duration::from_secs(10),
            poll_interval: Duration::from_millis(500),
        }
    }
}

/// The live program model, kept up to date from the log. Share it as `Arc<Projector>`.
pub struct Projector {
    ledger: Ledger,
    config: ProjectorConfig,
    model: Arc<RwLock<ProgramModel>>,
    /// The model's position, published after every applied batch, for [`Projector::wait_for`].
    position: watch::Sender<i64>,
    advance: Mutex<Checkpoint>,
    rebuilding: Mutex<()>,
}

/// The last snapshot this projector stored (or loaded).
#[derive(Debug)]
struct Checkpoint {
    position: i64,
    at: Instant,
    /// The size of the body stored last; 0 before this projector stored one.
    bytes: usize,
}

impl Projector {
    /// A projector resuming from the stored snapshot, or from an empty model when there is none
    /// of [`MODEL_VERSION`]. Call [`Projector::catch_up`] (or [`Projector::run`]) to reach the head.
    pub async fn start(ledger: Ledger) -> Result<Self, ProjectorError> {
        Self::start_with(ledger, ProjectorConfig::default()).await
    }

    #[tracing::instrument(name = "projector.start", skip_all, fields(log.position), err)]
    pub async fn start_with(
        ledger: Ledger,
        config: ProjectorConfig,
    ) -> Result<Self, ProjectorError> {
        let model = catch_up::load_snapshot(&ledger).await?.unwrap_or_default();
        let position = model.position;
        tracing::Span::current().record("log.position", position);
        Ok(Self {
            ledger,
            config,
            model: Arc::new(RwLock::new(model)),
            position: watch::Sender::new(position),
            advance: Mutex::new(Checkpoint {
                position,
                at: Instant::now(),
                bytes: 0,
            }),
            rebuilding: Mutex::new(()),
        })
    }

    /// The last log position folded into the live model; 0 before any.
    pub fn position(&self) -> i64 {
        *self.position.borrow()
    }

    /// How many positioned events of the log the live model has not folded yet.
    pub async fn lag(&self) -> Result<i64, ProjectorError> {
        let head = self.ledger.head_position().await?;
        Ok((head - self.position()).max(0))
    }

    /// The live model, read-locked for as long as the guard lives: drop it soon, catch-up waits.
    pub async fn read(&self) -> RwLockReadGuard<'_, ProgramModel> {
        self.model.read().await
    }

    /// Runs `f` on the live model under the read lock.
    pub async fn with_model<R>(&self, f: impl FnOnce(&ProgramModel) -> R) -> R {
        f(&*self.model.read().await)
    }

    /// Waits until the live model has folded `min_position`: `true` when it has, `false` after
    /// `timeout`. Woken by catch-up as batches land; something must be catching up
    /// ([`Projector::run`]) for the position to move.
    pub async fn wait_for(&self, min_position: i64, timeout: Duration) -> bool {
        let mut position = self.position.subscribe();
        let reached = tokio::time::timeout(timeout, position.wait_for(|p| *p >= min_position))
            .await
            .is_ok_and(|changed| changed.is_ok());
        reached
    }

    /// The ledger this projector reads.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
}

impl fmt::Debug for Projector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Projector")
            .field("backend", &self.ledger.backend())
            .field("position", &self.position())
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}
