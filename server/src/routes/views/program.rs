//! Program-wide views: portfolio, manager console, CxO commitments and finance reconciliation,
//! live or as of a moment (replayed from the whole log: linear in its length).

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use channel_ledger_domain::fiscal::FiscalCalendar;
use channel_ledger_domain::{Role, StaffId};
use channel_ledger_projections::views::Scope;
use channel_ledger_projections::views::{
    cxo_commitments, finance_reconciliation, manager_console, portfolio as portfolio_view, to_csv,
    CxoCommitments, ManagerConsole, Portfolio, Reconciliation,
};
use channel_ledger_projections::ProgramModel;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::partner::ViewParams;
use super::{
    answer, program_as_of, replay_error, scope, wait_for, ViewQuery, POSITION_HEADER, READERS,
};
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

/// Builds a view from the live model, or from the model replayed to the query's moment, with the
/// position of the model it came from. The web console builds its pages with it too.
pub async fn build<T>(
    state: &AppState,
    query: &ViewQuery,
    view: impl FnOnce(&ProgramModel) -> T,
) -> Result<(T, i64), ApiError> {
    wait_for(state, query).await?;
    match query.as_of {
        Some(t) => {
            let model = program_as_of(state, query.axis, t).await?;
            Ok((view(&model), model.position))
        }
        None => Ok(state.projector.with_model(|m| (view(m), m.position)).await),
    }
}

/// The portfolio, live or as of the query's moment: the latter from the program history (stored
/// versions per partner), not a fold of the log. The web console's portfolio page uses it too.
pub async fn portfolio_of(
    state: &AppState,
    query: &ViewQuery,
    scope: &Scope,
    now: DateTime<Utc>,
    pam: Option<StaffId>,
) -> Result<(Portfolio, i64), ApiError> {
    match query.as_of {
        Some(t) => {
            wait_for(state, query).await?;
            state
                .history
                .portfolio_as_of(&state.ledger, query.axis, t, now, scope, pam)
                .await
                .map_err(replay_error)
        }
        None => build(state, query, |m| portfolio_view(m, scope, now, pam)).await,
    }
}

/// Who may read it, what the query asks, and "now" for due dates: every program view starts here.
fn prepare(
    state: &AppState,
    auth: &Authenticated,
    raw: &HashMap<String, String>,
    readers: &[Role],
    what: &str,
) -> Result<(Scope, ViewQuery, DateTime<Utc>), ApiError> {
    let scope = scope(&auth.actor, readers, what)?;
    let query = ViewQuery::parse(raw)?;
    let now = query.now(state);
    Ok((scope, query, now))
}

/// A summary line per partner in scope (offboarded ones left out); `pam` keeps one PAM's.
#[utoipa::path(get, path = "/api/v1/portfolio", tag = "views",
    params(ViewParams, ("pam" = Option<Uuid>, Query, description = "Only this PAM's partners")),
    responses((status = 200, body = Portfolio), ReadErrors), security(("bearer" = [])))]
pub async fn portfolio(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, query, now) = prepare(&state, &auth, &raw, READERS, "the portfolio")?;
    let pam = raw
        .get("pam")
        .map(|p| {
            Uuid::parse_str(p.trim()).map(StaffId).map_err(|_| {
                ApiError::invalid("invalid-pam", "pam", format!("`{p}` is not a staff id"))
            })
        })
        .transpose()?;
    let (view, position) = portfolio_of(&state, &query, &scope, now, pam).await?;
    Ok(answer(view, position))
}

/// The manager console: a card per PAM in scope (with On Track / Needs Attention), the workflow
/// queue of pending approvals against their SLA, and program intelligence. Managers read their
/// territory; CxO and Auditor the program; PAM, Finance and Admin 403.
#[utoipa::path(get, path = "/api/v1/console", tag = "views",
    params(ViewParams),
    responses((status = 200, body = ManagerConsole), ReadErrors), security(("bearer" = [])))]
pub async fn console(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, query, now) = prepare(
        &state,
        &auth,
        &raw,
        &[Role::Manager, Role::Cxo, Role::Auditor],
        "the manager console",
    )?;
    let (view, position) = build(&state, &query, |m| manager_console(m, &scope, now)).await?;
    Ok(answer(view, position))
}

/// Every active RAP commitment, co-fund obligations outstanding and ARR at stake. CxO, Finance
/// and Auditor.
#[utoipa::path(get, path = "/api/v1/commitments", tag = "views",
    params(ViewParams),
    responses((status = 200, body = CxoCommitments), ReadErrors), security(("bearer" = [])))]
pub async fn commitments(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, query, now) = prepare(
        &state,
        &auth,
        &raw,
        &[Role::Cxo, Role::Finance, Role::Auditor],
        "program commitments",
    )?;
    let (view, position) = build(&state, &query, |m| cxo_commitments(m, &scope, now)).await?;
    Ok(answer(view, position))
}

/// Finance reconciliation per RAP (or exemption), partner and quarter: MDF committed, approved,
/// claimed, paid; partner contribution; ARR won; ROI; flags. `format=csv` or `Accept: text/csv`
/// downloads the CSV (stable columns, a TOTAL line last). Finance, CxO and Auditor.
#[utoipa::path(get, path = "/api/v1/finance/reconciliation", tag = "views",
    params(ViewParams, ("format" = Option<String>, Query, description = "`json` (default) or `csv`")),
    responses((status = 200, content((Reconciliation = "application/json"), (String = "text/csv"))),
        ReadErrors),
    security(("bearer" = [])))]
pub async fn reconciliation(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    Query(raw): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let (scope, query, now) = prepare(
        &state,
        &auth,
        &raw,
        &[Role::Finance, Role::Cxo, Role::Auditor],
        "the finance reconciliation",
    )?;
    let csv = match raw.get("format").map(|f| f.trim().to_ascii_lowercase()) {
        Some(f) if f == "csv" => true,
        Some(f) if f == "json" => false,
        Some(f) => {
            return Err(ApiError::invalid(
                "invalid-format",
                "format",
                format!("unknown format `{f}`: expected json or csv"),
            ))
        }
        None => accepts_csv(&headers),
    };
    let calendar = FiscalCalendar::default();
    let (view, position) = build(&state, &query, |m| {
        finance_reconciliation(m, &scope, now, &calendar)
    })
    .await?;
    if !csv {
        return Ok(answer(view, position));
    }
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"reconciliation.csv\""),
            ),
            (
                HeaderName::from_static(POSITION_HEADER),
                HeaderValue::from(position),
            ),
        ],
        to_csv(&view.rows),
    )
        .into_response())
}

/// Whether the client prefers CSV: `text/csv` named in `Accept` (before any JSON).
fn accepts_csv(headers: &HeaderMap) -> bool {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let types: Vec<String> = accept
        .split(',')
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .collect();
    let csv = types.iter().position(|t| t == "text/csv");
    let json = types.iter().position(|t| t == "application/json");
    match (csv, json) {
        (Some(c), Some(j)) => c < j,
        (Some(_), None) => true,
        _ => false,
    }
}
