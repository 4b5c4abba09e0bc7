//! Wiring: the router with its layers, and the [`Application`] that binds, serves and shuts down
//! gracefully on Ctrl-C or SIGTERM.

use std::time::Duration;

use anyhow::Context;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::Response;
use axum::middleware::from_fn;
use axum::Router;
use channel_ledger_store::Ledger;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::{field, Span};

use crate::config::Config;
use crate::extract::BODY_LIMIT;
use crate::problem::ProblemReport;
use crate::routes::api_router;
use crate::state::{system_clock, AppState};

/// The whole HTTP service over `state`: the API and the web console. Tests call it in-process
/// with `oneshot`.
pub fn router(state: AppState) -> Router {
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(make_span)
                .on_request(())
                .on_response(on_response)
                .on_failure(()),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(from_fn(crate::metrics::track_requests))
        .layer(from_fn(crate::header_limit::refuse_oversized_headers));
    api_router(state.clone())
        .merge(crate::web::router())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(layers)
        .with_state(state)
}

fn make_span(req: &Request) -> Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str);
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "http.request",
        http.method = %req.method(),
        http.route = route,
        request.id = request_id,
        staff.id = field::Empty,
        http.status = field::Empty,
        latency_ms = field::Empty,
    )
}

/// Records status and latency, and logs a problem once: 5xx with its hidden cause, 4xx briefly.
fn on_response<B>(response: &Response<B>, latency: Duration, span: &Span) {
    let status = response.status().as_u16();
    span.record("http.status", status);
    span.record("latency_ms", latency.as_secs_f64() * 1000.0);
    match response.extensions().get::<ProblemReport>() {
        Some(p) if status >= 500 => tracing::error!(
            problem = p.code,
            cause = p.internal.as_deref().unwrap_or(""),
            status,
            "request failed"
        ),
        // A refusal's detail can echo what the client sent (a name typed into the wrong
        // field): it goes back to the client only, and its code names it here.
        Some(p) => tracing::info!(problem = p.code, status, "request refused"),
        None => tracing::info!(status, "request completed"),
    }
}

/// The running service: bound, migrated, ready to serve.
#[derive(Debug)]
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects to (and migrates) the ledger and binds the listener. Port 0 picks a free port.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let ledger = Ledger::connect(&config.database_url)
            .await
            .context("could not open the ledger's database")?
            .with_idempotency_lease(config.idempotency_lease);
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("could not listen on {}", config.bind))?;
        let state = AppState::new(ledger, system_clock())
            .await
            .context("could not start the projector")?;
        // Serve nothing until the read models have caught up with the log once.
        let folded = state
            .projector
            .catch_up()
            .await
            .context("the projector could not catch up with the log")?;
        tracing::info!(
            events.folded = folded,
            log.position = state.projector.position(),
            "read models caught up"
        );
        let router = router(state.clone());
        Ok(Self {
            listener,
            router,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight; the projector runs
    /// alongside and stops last, storing its snapshot.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let projector = self.state.spawn_projector(async {
            // A dropped sender (the server failed) stops the projector too.
            stopped.await.ok();
        });
        // Load the program history in the background: the first portfolio "as of" then answers
        // at once instead of loading it.
        let state = self.state.clone();
        tokio::spawn(async move {
            if let Err(error) = state.history.warm(&state.ledger).await {
                tracing::error!(%error, "the program history could not be loaded");
            }
        });
        tracing::info!(addr = %self.listener.local_addr()?, "channel-ledger listening");
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("the server stopped with an error");
        drop(stop);
        if let Err(error) = projector.await {
            tracing::error!(%error, "the projector task failed");
        }
        served?;
        tracing::info!("channel-ledger stopped");
        Ok(())
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
