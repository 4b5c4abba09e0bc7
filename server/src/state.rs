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
use uuid::Uuid;

use crate::auth::{OwnerCache, OWNERS};
use crate::history::HistoryCache;
use crate::own_events::OwnEventsCache;
use crate::snapshot_cache::SnapshotCache;

/// "Now", injectable so tests can pin time. Production uses [`system_clock`].
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Where new record ids (staff, partners, RAPs, MDF allocations, fund requests, activities) come
/// from. Production uses [`system_ids`]; the demo program injects a seeded source so a seed gives
/// the same program.
pub type IdSource = Arc<dyn Fn() -> Uuid + Send + Sync>;

/// Time-ordered UUIDv7 ids.
pub fn system_ids() -> IdSource {
    Arc::new(Uuid::now_v7)
}

/// The wall clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

#[derive(Clone)]
pub struct AppState {
    pub ledger: Ledger,
    pub clock: Clock,
    /// New record ids; see [`IdSource`].
    pub ids: IdSource,
    pub metrics: PrometheusHandle,
    /// The live program model the read endpoints answer from.
    pub projector: Arc<Projector>,
    /// Notified after every append so the projector folds it at once (it also polls).
    pub wake: Arc<Notify>,
    /// Partners' temporal snapshots, for views as of a moment.
    pub snapshots: Arc<SnapshotCache>,
    /// Partners' own events, for the live timeline.
    pub own_events: Arc<OwnEventsCache>,
    /// Token owners as they are now, for authentication.
    pub owners: Arc<OwnerCache>,
    /// Every partner's portfolio line, version after version, for the portfolio as of a moment.
    pub history: Arc<HistoryCache>,
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
            ids: system_ids(),
            metrics: crate::metrics::handle(),
            projector: Arc::new(projector),
            wake: Arc::new(Notify::new()),
            snapshots: Arc::new(SnapshotCache::default()),
            own_events: Arc::new(OwnEventsCache::default()),
            owners: Arc::new(OwnerCache::new(OWNERS)),
            history: Arc::new(HistoryCache::default()),
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

    /// A new record id from the state's [`IdSource`]; in a request under an idempotency claim,
    /// the id every attempt at that request draws at this point
    /// ([`crate::idempotency::claimed_id`]).
    pub fn new_id(&self) -> Uuid {
        crate::idempotency::claimed_id().unwrap_or_else(|| (self.ids)())
    }

    /// The same state with new record ids drawn from `ids`.
    pub fn with_ids(mut self, ids: IdSource) -> Self {
        self.ids = ids;
        self
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState")
            .field("projector", &self.projector)
            .finish_non_exhaustive()
    }
}
