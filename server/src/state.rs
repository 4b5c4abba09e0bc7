//! What every handler shares: the ledger, the clock and the metrics handle.

use std::fmt;
use std::sync::Arc;

use channel_ledger_store::Ledger;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::PrometheusHandle;

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
}

impl AppState {
    /// State over `ledger` with the given clock; installs the metrics recorder on first use.
    pub fn new(ledger: Ledger, clock: Clock) -> Self {
        Self {
            ledger,
            clock,
            metrics: crate::metrics::handle(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }
}

impl fmt::Debug for AppState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppState").finish_non_exhaustive()
    }
}
