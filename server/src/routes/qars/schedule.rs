//! Starting a partner's QAR cadence at its first PAM assignment (QAR 1 is due 90 days later).
//!
//! "First" is judged by the series, not by the request: whenever a partner with a PAM has no
//! scheduled series, scheduling is due, with `first_assigned_at` the effective time of its
//! earliest `PamAssigned` and that event as causation. So a failed attempt is repaired by the
//! next assignment or the next `POST …/qars/open`, and a retry never schedules twice (the
//! aggregate refuses `qar-already-scheduled`).

use channel_ledger_domain::partner::PartnerId;
use channel_ledger_domain::qar::{permission_for, QarCommand, QarSeries};
use channel_ledger_domain::{Actor, EffectiveTime};

use crate::commands::{actor_at, execute, metadata, AppendedEvent, CommandAccepted, RequestMeta};
use crate::directory::aggregate_as_of;
use crate::facts::{first_pam_assignment, partner_facts_at};
use crate::problem::ApiError;
use crate::state::AppState;

/// After a PAM assignment: schedules the series if it is not yet, and answers the events that
/// appended, for the assignment's answer to list with its own. A failure does not undo the
/// assignment; it is logged here (it is not answered) and repaired by the next QAR open.
pub async fn schedule_after_assignment(
    state: &AppState,
    current: &Actor,
    request: &RequestMeta,
    id: PartnerId,
    at: &EffectiveTime,
) -> Vec<AppendedEvent> {
    match schedule_if_missing(state, current, request, id, at).await {
        Ok(scheduled) => scheduled.map(|s| s.events).unwrap_or_default(),
        Err(e) => {
            tracing::warn!(
                partner.id = %id,
                problem.code = e.code,
                problem.detail = %e.detail,
                "QAR cadence not scheduled after the PAM assignment; the next QAR open will schedule it"
            );
            Vec::new()
        }
    }
}

/// Schedules the partner's QAR series as `current` (resolved as of `at`) when it has a PAM and
/// no series yet; `None` when there was nothing to do.
pub(super) async fn schedule_if_missing(
    state: &AppState,
    current: &Actor,
    request: &RequestMeta,
    id: PartnerId,
    at: &EffectiveTime,
) -> Result<Option<CommandAccepted>, ApiError> {
    let series: QarSeries = aggregate_as_of(&state.ledger, &id.to_string(), state.now()).await?;
    if series.partner_id.is_some() {
        return Ok(None);
    }
    let Some(first) = first_pam_assignment(&state.ledger, id).await? else {
        return Ok(None);
    };
    let actor = actor_at(state, current, at).await?;
    let partner = partner_facts_at(&state.ledger, id, at.at()).await?;
    let command = QarCommand::Schedule {
        partner,
        first_assigned_at: first.effective_at,
    };
    let authority = permission_for(&command).authority(&actor);
    let caused = RequestMeta {
        request_id: request.request_id.clone(),
        correlation_id: request.correlation_id.or(first.correlation_id),
        causation_id: Some(first.event_id),
    };
    let meta = metadata(&actor, at, authority, None, &caused);
    execute::<QarSeries, _>(state, &id.to_string(), actor, command, meta)
        .await
        .map(Some)
}
