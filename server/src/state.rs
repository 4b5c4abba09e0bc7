//! What every handler shares: the ledger, the clock, the metrics handle and the projector that
//! keeps the read models folded up to the log.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use channel_ledger_projections::{Projector, ProjectorError};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::PrometheusHandle;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use crate::snapshot_cache::SnapshotCache;

/// "Now", injectable so tests can pin time. Production uses [`system_clock`].
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The wall clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct AppState {
    pub ledger: Ledger,
    pub clock: Clock,
    pub metrics: PrometheusHandle,
    /// The live program model the read endpoints answer from.
    pub projector: Arc<Projector>,
    /// Notified after every append so the projector folds it at once (it also polls).
    pub wake: Arc<Notify>,
    /// Partners' temporal snapshots, for views as of a moment.
    pub snapshots: Arc<SnapshotCache>,
}

impl AppState {
    /// State over `ledger` with the given clock; installs the metrics recorder on first use.
    ///
    /// The projector resumes from its stored snapshot (one read) but neither catches up nor
    /// runs: [`crate::Application::build`] catches up before serving, and
    /// [`AppState::spawn_projector`] keeps it up to date.
    pub async fn new(ledger: Ledger, clock: Clock) -> Result<Self, ProjectorError> {
        let projector = Projector::start(ledger.clone()).await?;
        Ok(Self {
            ledger,
            clock,
            metrics: crate::metrics::handle(),
            projector: Arc::new(projector),
            wake: Arc::new(Notify::new()),
            snapshots: Arc::new(SnapshotCache::default()),
        })
    }

    /// Runs the projector's loop on its own task until `shutdown` completes; it stores a
    /// snapshot on the way out.
    pub fn spawn_projector(
        &self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> JoinHandle<()> {
        tokio::spawn(self.projector.clone().run(self.wake.clone(), shutdown))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("projector", &self.projector)
            .finish_non_exhaustive()
    }
}
