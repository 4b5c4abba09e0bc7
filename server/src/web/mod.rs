//! The web console (issue 5 item 2): server-rendered HTML over the same views and commands as
//! the JSON API, served by the same binary.
//!
//! Pages render with `maud` from the functions of `channel_ledger_projections::views`, built by
//! the same code the JSON routes use ([`crate::routes::views`]): the same [`Scope`] per reader,
//! the same `as_of` / `axis` time travel. Decisions made here (approve, reject) call the API's own
//! command handlers, so a click and a `curl` take one path through authority checks, the
//! aggregates and the log.
//!
//! Signing in trades an API token for an HttpOnly, `SameSite=Strict` session cookie ([`session`]);
//! every form that changes something also carries a form token derived from the session, checked
//! in constant time. A page asked for without a session redirects to the sign-in page.
//!
//! | page | who |
//! |---|---|
//! | `/console`, `/console/queue`, `/console/intelligence` | Manager, CxO, Auditor |
//! | `/portfolio` ("My portfolio" for a PAM) | PAM, Manager, CxO, Finance, Auditor |
//! | `/partners/{id}`, `/partners/{id}/handover` (both with "as of") | same |
//! | `/commitments` | CxO, Finance, Auditor |
//! | `/finance`, `/finance/reconciliation.csv` | Finance, CxO, Auditor |
//! | `/mdf` | CxO, Finance, Auditor |
//!
//! [`Scope`]: channel_ledger_projections::views::Scope

mod approvals;
mod assets;
mod commitments;
mod console;
mod error;
mod finance;
mod flash;
mod format;
mod home;
mod layout;
mod mdf;
mod partner;
mod partner_parts;
mod portfolio;
mod queue;
mod session;
mod sign_in;

pub use error::not_found;
pub use session::{csrf_token, SESSION_COOKIE};

use axum::middleware::from_fn;
use axum::routing::{get, post};
use axum::Router;

use crate::state::AppState;

/// The console's pages and forms; merged beside the API by [`crate::app::router`].
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home::home))
        .route("/sign-in", get(sign_in::form).post(sign_in::sign_in))
        .route("/sign-out", post(sign_in::sign_out))
        .route("/assets/console.css", get(assets::stylesheet))
        .route("/console", get(console::pams))
        .route("/console/queue", get(console::queue))
        .route("/console/queue/decide", post(approvals::decide))
        .route("/console/intelligence", get(console::intelligence))
        .route("/portfolio", get(portfolio::page))
        .route("/partners/{id}", get(partner::page))
        .route("/partners/{id}/handover", get(partner::handover))
        .route("/commitments", get(commitments::page))
        .route("/finance", get(finance::page))
        .route("/finance/reconciliation.csv", get(finance::csv))
        .route("/mdf", get(mdf::page))
        .layer(from_fn(error::pages_only))
}
