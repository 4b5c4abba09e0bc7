//! Prometheus metrics: one recorder per process (so many apps in one test process share it),
//! request counts and latencies per route, and the ledger's own counters.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const HTTP_REQUESTS: &str = "http_requests_total";
pub const HTTP_LATENCY: &str = "http_request_duration_seconds";
pub const COMMANDS_APPENDED: &str = "ledger_commands_appended_total";
pub const COMMAND_CONFLICTS: &str = "ledger_command_conflicts_total";
pub const EVENTS_APPENDED: &str = "ledger_events_appended_total";
pub const PROJECTION_POSITION: &str = "ledger_projection_position";
pub const PROJECTION_LAG: &str = "ledger_projection_lag_events";

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();

/// The process's recorder handle, installing the recorder the first time.
pub fn handle() -> PrometheusHandle {
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(HTTP_LATENCY.to_owned()), LATENCY_BUCKETS)
                .unwrap_or_else(|_| PrometheusBuilder::new());
            let recorder = builder.build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder is global already; ours then just stays empty.
            if metrics::set_global_recorder(recorder).is_err() {
                tracing::warn!("a metrics recorder was already installed; /metrics will be empty");
            }
            handle
        })
        .clone()
}

/// Publishes the projector's position and lag. Set at each scrape (and `/ready`) from the
/// projector itself, so every app in a process reports its own at that moment.
#[expect(
    clippy::cast_precision_loss,
    reason = "a gauge; exact far beyond any real log"
)]
pub fn projection(position: i64, lag: i64) {
    metrics::gauge!(PROJECTION_POSITION).set(position as f64);
    metrics::gauge!(PROJECTION_LAG).set(lag as f64);
}

/// Counts and times every request by method, route template and status.
pub async fn track_requests(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::counter!(HTTP_REQUESTS, "method" => method.clone(), "route" => route.clone(), "status" => status)
        .increment(1);
    metrics::histogram!(HTTP_LATENCY, "method" => method, "route" => route)
        .record(start.elapsed().as_secs_f64());
    response
}
