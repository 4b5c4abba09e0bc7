//! The HTTP API under `/api/v1`. Each area owns its routes; [`api_router`] merges them, puts
//! authentication and idempotency in front of everything but the public probes, and records
//! every route it registers so a test can hold the OpenAPI document to it.

pub mod cohorts;
pub mod delegations;
pub mod events;
pub mod health;
pub mod ledger;
pub mod mdf;
pub mod partners;
pub mod qars;
pub mod raps;
pub mod staff;
pub mod tokens;
pub mod views;

use axum::handler::Handler;
use axum::http::{StatusCode, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{self, Router};
use std::fmt;

use crate::problem::ApiError;
use crate::state::AppState;

/// Every route lives under this prefix.
pub const API_PREFIX: &str = "/api/v1";

/// A router that remembers the `(method, path)` of each route added to it; paths are given
/// relative to [`API_PREFIX`].
pub struct ApiRoutes {
    router: Router<AppState>,
    listed: Vec<(&'static str, &'static str)>,
}

impl fmt::Debug for ApiRoutes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiRoutes")
            .field("listed", &self.listed)
            .finish()
    }
}

impl Default for ApiRoutes {
    fn default() -> Self {
        Self {
            router: Router::new(),
            listed: Vec::new(),
        }
    }
}

impl ApiRoutes {
    pub fn get<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self
            .router
            .route(&format!("{API_PREFIX}{path}"), routing::get(handler));
        self.listed.push(("get", path));
        self
    }

    pub fn post<H, T>(mut self, path: &'static str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self
            .router
            .route(&format!("{API_PREFIX}{path}"), routing::post(handler));
        self.listed.push(("post", path));
        self
    }

    pub fn merge(mut self, other: ApiRoutes) -> Self {
        self.router = self.router.merge(other.router);
        self.listed.extend(other.listed);
        self
    }
}

fn public() -> ApiRoutes {
    health::routes().get("/openapi.json", crate::openapi::serve)
}

fn protected() -> ApiRoutes {
    events::routes()
        .merge(staff::routes())
        .merge(delegations::routes())
        .merge(tokens::routes())
        .merge(partners::routes())
        .merge(mdf::routes())
        .merge(qars::routes())
        .merge(cohorts::routes())
        .merge(raps::routes())
        .merge(views::routes())
        .merge(ledger::routes())
}

/// Every `(method, full path)` the API serves, e.g. `("post", "/api/v1/partners/{id}/tier")`.
pub fn registered() -> Vec<(&'static str, String)> {
    public()
        .listed
        .into_iter()
        .chain(protected().listed)
        .map(|(m, p)| (m, format!("{API_PREFIX}{p}")))
        .collect()
}

/// The API, with authentication (then idempotency, then the one-value-per-query-parameter rule)
/// in front of the protected routes.
pub fn api_router(state: AppState) -> Router<AppState> {
    let protected = protected()
        .router
        .route_layer(from_fn(crate::extract::single_query_values))
        .route_layer(from_fn_with_state(
            state.clone(),
            crate::idempotency::idempotency,
        ))
        .route_layer(from_fn_with_state(state, crate::auth::require_auth));
    public()
        .router
        .merge(protected)
        .merge(health::probes())
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(from_fn(crate::extract::problems_only))
}

/// A path nothing serves: a problem under `/api`, the console's "Not found" page anywhere else
/// (a person mistyped, or cut short, an address of the console: `/partners/`).
async fn not_found(uri: Uri) -> Response {
    let path = uri.path();
    if path == "/api" || path.starts_with("/api/") {
        return ApiError::not_found(
            "no-such-route",
            "there is no such route; see /api/v1/openapi.json",
        )
        .into_response();
    }
    crate::web::not_found()
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method-not-allowed",
        "this route does not accept that method; see /api/v1/openapi.json",
    )
}
