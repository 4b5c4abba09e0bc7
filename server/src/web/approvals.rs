//! Approve and Reject from the workflow queue. The item is looked up in the reader's own queue
//! (so nothing outside their scope can be named), then decided by the API's own handler for its
//! kind — the same authority checks, aggregate rules and log as `POST /api/v1/...` — and the
//! page waits for the projector to fold the decision before showing the queue again.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use channel_ledger_domain::approval::ApprovalStep;
use channel_ledger_domain::mdf::ActivityDecision;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::text::Reason;
use channel_ledger_projections::views::{workflow_queue, WorkflowItem, WorkflowKind};
use channel_ledger_projections::ProgramModel;
use serde::Deserialize;

use super::error::WebError;
use super::flash::Flash;
use super::layout::Section;
use super::queue::{kind_label, may_decide};
use super::session::{same_origin, Session};
use crate::commands::{CommandAccepted, RequestMeta};
use crate::extract::JsonBody;
use crate::problem::ApiError;
use crate::routes::views::{scope, WAIT_FOR_POSITION};
use crate::routes::{cohorts, mdf, raps};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Approve,
    Reject,
}

#[derive(Debug, Deserialize)]
pub struct Decide {
    csrf: String,
    kind: String,
    subject_id: String,
    decision: Verdict,
    reason: Option<String>,
}

/// What the API needs to name the step decided.
#[derive(Debug)]
enum Target {
    Rap {
        id: String,
        step: ApprovalStep,
    },
    Cohort {
        classification: String,
        version: u32,
    },
    Exemption {
        quarter: String,
        allocation: String,
    },
    /// A fund request and its activities still undecided, each with what was asked.
    FundRequest {
        id: String,
        pending: Vec<(String, Money)>,
    },
}

fn target(model: &ProgramModel, item: &WorkflowItem) -> Option<Target> {
    let id = &item.subject_id;
    Some(match item.kind {
        WorkflowKind::RapProposal | WorkflowKind::RapAmendment => Target::Rap {
            id: id.clone(),
            step: model.raps.get(id)?.pending_approval()?.step,
        },
        WorkflowKind::CohortStrategyVersion => Target::Cohort {
            classification: id.clone(),
            version: model.cohorts.get(id)?.pending_approval()?.version,
        },
        WorkflowKind::MdfExemption => Target::Exemption {
            quarter: model
                .budgets
                .iter()
                .find(|(_, b)| {
                    b.pending_exemptions()
                        .any(|a| a.allocation_id.to_string() == *id)
                })?
                .0
                .clone(),
            allocation: id.clone(),
        },
        WorkflowKind::FundRequest => Target::FundRequest {
            id: id.clone(),
            pending: model
                .fund_requests
                .get(id)?
                .details
                .as_ref()?
                .activities
                .iter()
                .filter(|a| matches!(a.decision, ActivityDecision::Pending))
                .map(|a| (a.activity_id.to_string(), a.requested))
                .collect(),
        },
    })
}

/// Decides the queue item the form names, then shows the queue with what happened.
pub async fn decide(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Form(form): Form<Decide>,
) -> Result<Response, WebError> {
    if !same_origin(&headers) || !session.verify_csrf(&form.csrf) {
        return Err(WebError::forbidden(
            "this form has expired or came from another site; reload the page and try again",
        ));
    }
    let kind: WorkflowKind = serde_json::from_value(serde_json::Value::String(form.kind))
        .map_err(|_| ApiError::invalid("invalid-kind", "kind", "not a kind of workflow item"))?;
    let scope = scope(
        session.actor(),
        Section::Console.readers(),
        "the workflow queue",
    )?;
    let now = state.now();
    let found = state
        .projector
        .with_model(|m| {
            let item = workflow_queue(m, &scope, now)
                .items
                .into_iter()
                .find(|i| i.kind == kind && i.subject_id == form.subject_id)?;
            let target = target(m, &item)?;
            Some((item, target))
        })
        .await;
    let flash = match found {
        None => Flash::Refused(
            "That item is no longer waiting: it may have been decided already.".to_owned(),
        ),
        Some((item, _)) if !may_decide(&item, session.actor()) => {
            return Err(WebError::forbidden(format!(
                "{} may not decide this step: it waits for {}",
                session.actor().capacity(),
                item.next.label
            )));
        }
        Some((item, target)) => {
            let request = RequestMeta {
                request_id: headers
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                ..RequestMeta::default()
            };
            let outcome = match form.decision {
                Verdict::Approve => approve(&state, &session, request, target).await,
                Verdict::Reject => match Reason::parse(&typed(form.reason.as_deref())) {
                    Ok(reason) => reject(&state, &session, request, target, reason)
                        .await
                        .map_err(Stopped::from),
                    Err(e) => {
                        Err(ApiError::invalid("invalid-reason", "reason", e.to_string()).into())
                    }
                },
            };
            report(&state, &item, form.decision, outcome).await
        }
    };
    let cookie = flash.cookie(&headers, &session);
    Ok(([cookie], Redirect::to("/console/queue")).into_response())
}

/// A reason as typed in the form's textarea. Browsers send a textarea's line breaks as CRLF
/// (HTML's form submission normalises them so), and a reason keeps line breaks but refuses
/// control characters: CR is one. Every CRLF, and any lone CR, is a line break.
fn typed(reason: Option<&str>) -> String {
    reason
        .unwrap_or("")
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

/// A decision that stopped at a refusal, with the commands accepted before it. Only a fund
/// request's approval is more than one command (one per activity, as the API takes them): if
/// someone else decides one of its activities between two of ours, ours stops there, and what it
/// approved before stays approved.
#[derive(Debug)]
struct Stopped {
    accepted: Vec<CommandAccepted>,
    of: usize,
    error: ApiError,
}

impl From<ApiError> for Stopped {
    fn from(error: ApiError) -> Self {
        Self {
            accepted: Vec::new(),
            of: 1,
            error,
        }
    }
}

/// The flash for a decision's outcome, once the read models show it. It says "Approved" or
/// "Rejected" exactly when something was appended, and what.
async fn report(
    state: &AppState,
    item: &WorkflowItem,
    verdict: Verdict,
    outcome: Result<Vec<CommandAccepted>, Stopped>,
) -> Flash {
    let (accepted, stopped) = match outcome {
        Ok(accepted) => (accepted, None),
        Err(s) if s.accepted.is_empty() => {
            return Flash::Refused(format!("Not decided: {}", s.error.detail));
        }
        Err(s) => (s.accepted, Some((s.of, s.error))),
    };
    let last = accepted
        .iter()
        .flat_map(|a| a.events.iter().map(|e| e.position))
        .max();
    if let Some(position) = last {
        state.projector.wait_for(position, WAIT_FOR_POSITION).await;
    }
    let done = match verdict {
        Verdict::Approve => "Approved",
        Verdict::Reject => "Rejected",
    };
    let what = format!("{} “{}”", kind_label(item.kind), item.subject);
    Flash::Done(match stopped {
        None => format!("{done} {what}."),
        Some((of, e)) => format!(
            "{done} {} of the {of} activities of {what}, then stopped: {}",
            accepted.len(),
            e.detail
        ),
    })
}

async fn approve(
    state: &AppState,
    session: &Session,
    request: RequestMeta,
    target: Target,
) -> Result<Vec<CommandAccepted>, Stopped> {
    let (state, auth) = (State(state.clone()), session.auth.clone());
    match target {
        Target::Rap { id, step } => {
            let body = raps::Approve {
                step,
                comment: None,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            let Json(a) =
                raps::decisions::approve(state, auth, request, Path(id), JsonBody(body)).await?;
            Ok(vec![a])
        }
        Target::Cohort {
            classification,
            version,
        } => {
            let body = cohorts::commands::ApproveVersion {
                comment: None,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            let path = Path((classification, version.to_string()));
            let Json(a) =
                cohorts::commands::approve(state, auth, request, path, JsonBody(body)).await?;
            Ok(vec![a])
        }
        Target::Exemption {
            quarter,
            allocation,
        } => {
            let body = mdf::budgets::ApproveExemption {
                comment: None,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            let path = Path((quarter, allocation));
            let Json(a) =
                mdf::budgets::approve_exemption(state, auth, request, path, JsonBody(body)).await?;
            Ok(vec![a])
        }
        Target::FundRequest { id, pending } => {
            // Every activity still undecided, for what was asked: one command each, as the API
            // takes them; the last one approves the request.
            let of = pending.len();
            let mut accepted = Vec::with_capacity(of);
            for (activity, amount) in pending {
                let body = mdf::review::ApproveActivity {
                    amount,
                    comment: None,
                    on_behalf_of: None,
                    effective_at: None,
                    backdate_reason: None,
                };
                let path = Path((id.clone(), activity));
                let approved = mdf::review::approve_activity(
                    state.clone(),
                    auth.clone(),
                    request.clone(),
                    path,
                    JsonBody(body),
                )
                .await;
                match approved {
                    Ok(Json(a)) => accepted.push(a),
                    Err(error) => {
                        return Err(Stopped {
                            accepted,
                            of,
                            error,
                        })
                    }
                }
            }
            Ok(accepted)
        }
    }
}

async fn reject(
    state: &AppState,
    session: &Session,
    request: RequestMeta,
    target: Target,
    reason: Reason,
) -> Result<Vec<CommandAccepted>, ApiError> {
    let (state, auth) = (State(state.clone()), session.auth.clone());
    let Json(accepted) = match target {
        Target::Rap { id, step } => {
            let body = raps::Reject {
                step,
                reason,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            raps::decisions::reject(state, auth, request, Path(id), JsonBody(body)).await?
        }
        Target::Cohort {
            classification,
            version,
        } => {
            let body = cohorts::commands::RejectVersion {
                reason,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            let path = Path((classification, version.to_string()));
            cohorts::commands::reject(state, auth, request, path, JsonBody(body)).await?
        }
        Target::Exemption {
            quarter,
            allocation,
        } => {
            let body = mdf::budgets::RejectExemption {
                reason,
                on_behalf_of: None,
                effective_at: None,
                backdate_reason: None,
            };
            let path = Path((quarter, allocation));
            mdf::budgets::reject_exemption(state, auth, request, path, JsonBody(body)).await?
        }
        Target::FundRequest { id, .. } => {
            let body = mdf::requests::WithReason {
                reason,
                effective_at: None,
                backdate_reason: None,
            };
            mdf::review::reject_request(state, auth, request, Path(id), JsonBody(body)).await?
        }
    };
    Ok(vec![accepted])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_typed_in_a_textarea_keeps_its_line_breaks() {
        let typed = typed(Some("Two issues:\r\n- the venue\r\n- the date\rend"));
        assert_eq!(typed, "Two issues:\n- the venue\n- the date\nend");
        assert!(Reason::parse(&typed).is_ok());
        assert!(
            Reason::parse("a\0b").is_err(),
            "other control characters are still refused"
        );
    }
}
