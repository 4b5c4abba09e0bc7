//! `/`: each role's first page. An Admin manages staff and tokens through the API and reads no
//! program data, so their home says so instead.

use axum::response::{Html, IntoResponse, Redirect, Response};
use channel_ledger_domain::Role;
use maud::html;

use super::layout::{heading, page, Section};
use super::session::Session;

pub async fn home(session: Session) -> Response {
    let target = match session.role() {
        Role::Manager | Role::Cxo | Role::Auditor => "/console",
        Role::Pam => "/portfolio",
        Role::Finance => "/finance",
        Role::Admin => {
            let body = html! {
                (heading("Administration", None))
                section.panel {
                    p {
                        "An Admin manages staff, roles and tokens, and reads no program data: "
                        "partners, RAPs, QARs and MDF are for the people who run the program."
                    }
                    p {
                        "Staff and tokens are managed through the API; its description is at "
                        a href="/api/v1/openapi.json" { code { "/api/v1/openapi.json" } } "."
                    }
                }
            };
            return Html(
                page("Administration", &session, Section::Other, None, body).into_string(),
            )
            .into_response();
        }
    };
    Redirect::to(target).into_response()
}
