//! Running a command through cqrs-es and answering with the events it appended.
//!
//! Handlers build the command and its [`EventMetadata`]; [`execute`] loads, decides and appends
//! with optimistic concurrency. A concurrent append to the same stream is answered 409 and not
//! retried here: the client re-reads and retries, which an `Idempotency-Key` makes safe.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use channel_ledger_domain::{
    Actor, Authored, Decision, EffectiveTime, EffectiveTimeError, EventMetadata, Rejection,
};
use chrono::{DateTime, Utc};
use cqrs_es::{Aggregate, AggregateError, CqrsFramework};
use serde::Serialize;
use tracing::instrument;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::metrics::{COMMANDS_APPENDED, COMMAND_CONFLICTS, EVENTS_APPENDED};
use crate::problem::ApiError;
use crate::state::AppState;

/// What a successful command answers: the record's id and the events appended.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct CommandAccepted {
    pub id: String,
    pub events: Vec<AppendedEvent>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct AppendedEvent {
    pub position: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub sequence: i64,
    pub effective_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
}

impl From<channel_ledger_store::RecordedEvent> for AppendedEvent {
    fn from(e: channel_ledger_store::RecordedEvent) -> Self {
        Self {
            position: e.position,
            event_id: e.event_id,
            event_type: e.event_type,
            sequence: e.sequence,
            effective_at: e.effective_at,
            recorded_at: e.recorded_at,
        }
    }
}

/// The answer an earlier attempt at this request would have given for aggregate `id`: the
/// events it appended to the stream under the same idempotency claim; `None` if it appended
/// none there (docs/adr/0010-idempotency-after-a-crash.md).
async fn appended_under<A: Aggregate>(
    state: &AppState,
    id: &str,
    claim: &channel_ledger_store::Claim,
) -> Result<Option<CommandAccepted>, ApiError> {
    let events: Vec<AppendedEvent> = state
        .ledger
        .read_stream(A::TYPE, id)
        .await?
        .into_iter()
        .filter(|e| {
            channel_ledger_store::Claim::of_metadata(&e.metadata)
                .is_some_and(|(c, _)| c == claim.id)
        })
        .map(AppendedEvent::from)
        .collect();
    Ok((!events.is_empty()).then(|| CommandAccepted {
        id: id.to_owned(),
        events,
    }))
}

/// Correlation headers that go into every event's metadata.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestMeta {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let h = &parts.headers;
        Ok(Self {
            request_id: h
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            correlation_id: uuid_header(h, "x-correlation-id")?,
            causation_id: uuid_header(h, "x-causation-id")?,
        })
    }
}

fn uuid_header(headers: &HeaderMap, name: &'static str) -> Result<Option<Uuid>, ApiError> {
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .ok()
                .and_then(|s| Uuid::parse_str(s.trim()).ok())
                .ok_or_else(|| {
                    ApiError::invalid("invalid-header", name, format!("{name} must be a UUID"))
                })
        })
        .transpose()
}

/// Validates a requested effective time against now, naming the field at fault.
pub fn effective_time(
    at: Option<DateTime<Utc>>,
    backdate_reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<EffectiveTime, ApiError> {
    EffectiveTime::new(at, backdate_reason, now).map_err(|e| match e {
        EffectiveTimeError::InFuture { .. } => {
            ApiError::invalid("effective-time-in-future", "effective_at", e.to_string())
        }
        EffectiveTimeError::BackdatedWithoutReason { .. } => {
            ApiError::invalid("backdate-reason-required", "backdate_reason", e.to_string())
        }
        EffectiveTimeError::InvalidReason(_) => {
            ApiError::invalid("invalid-backdate-reason", "backdate_reason", e.to_string())
        }
    })
}

/// The effective time of a command body, checked against the app's clock.
pub fn when(
    state: &AppState,
    at: Option<DateTime<Utc>>,
    backdate_reason: Option<String>,
) -> Result<EffectiveTime, ApiError> {
    effective_time(at, backdate_reason.as_deref(), state.now())
}

/// Resolves the caller as of `at`, then [`decide_as`].
pub async fn decide<A, C>(
    state: &AppState,
    auth: &crate::auth::Authenticated,
    request: &RequestMeta,
    id: &str,
    at: &EffectiveTime,
    command: C,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError>
where
    A: Aggregate<Command = Authored<C>, Services = ()>,
    A::Error: Rejection,
    C: Decision,
{
    let actor = actor_at(state, &auth.actor, at).await?;
    decide_as::<A, C>(state, request, id, actor, at, command, reason).await
}

/// Executes `command` on aggregate `id` as `actor` (already resolved as of `at`), recording the
/// authority the command's [`Decision`] names, with the request's correlation ids.
pub async fn decide_as<A, C>(
    state: &AppState,
    request: &RequestMeta,
    id: &str,
    actor: Actor,
    at: &EffectiveTime,
    command: C,
    reason: Option<String>,
) -> Result<CommandAccepted, ApiError>
where
    A: Aggregate<Command = Authored<C>, Services = ()>,
    A::Error: Rejection,
    C: Decision,
{
    let meta = metadata(&actor, at, command.authority(&actor), reason, request);
    execute::<A, C>(state, id, actor, command, meta).await
}

/// The actor as the directory knew them at the effective time. They are active now (they
/// authenticated) but must also have been active staff then.
pub async fn actor_at(
    state: &AppState,
    current: &Actor,
    at: &EffectiveTime,
) -> Result<Actor, ApiError> {
    crate::directory::actor_as_of(&state.ledger, current.staff_id, at.at())
        .await?
        .ok_or_else(|| {
            ApiError::forbidden(format!(
                "{} was not active staff at {}, the effective time",
                current.name,
                at.at()
            ))
        })
}

/// Builds metadata for `actor` at `at` under `authority`, with the request's correlation ids.
pub fn metadata(
    actor: &Actor,
    at: &EffectiveTime,
    authority: String,
    reason: Option<String>,
    request: &RequestMeta,
) -> EventMetadata {
    let mut meta = EventMetadata::new(actor, at, authority);
    meta.reason = reason;
    if let Some(c) = request.correlation_id {
        meta.correlation_id = c;
    }
    meta.causation_id = request.causation_id;
    meta.request_id = request.request_id.clone();
    meta
}

/// Executes `command` on aggregate `id` and returns the events it appended.
#[instrument(
    skip_all,
    fields(aggregate.type = A::TYPE, aggregate.id = %id, command.id = %meta.command_id),
    err(Display)
)]
pub async fn execute<A, C>(
    state: &AppState,
    id: &str,
    actor: Actor,
    command: C,
    meta: EventMetadata,
) -> Result<CommandAccepted, ApiError>
where
    A: Aggregate<Command = Authored<C>, Services = ()>,
    A::Error: Rejection,
{
    let mut metadata = meta.to_map();
    let claim = crate::idempotency::current_claim();
    if let Some(claim) = &claim {
        metadata.extend(claim.metadata().map(|(k, v)| (k.to_owned(), v)));
        if claim.resumed {
            if let Some(accepted) = appended_under::<A>(state, id, claim).await? {
                tracing::info!(
                    events = accepted.events.len(),
                    "answered from the events an earlier attempt appended under the idempotency claim"
                );
                return Ok(accepted);
            }
        }
    }
    let cqrs = CqrsFramework::new(state.ledger.event_store::<A>(), vec![], ());
    let result = cqrs
        .execute_with_metadata(
            id,
            Authored::new(actor, meta.effective_at, command),
            metadata,
        )
        .await;
    if let Err(AggregateError::AggregateConflict) = &result {
        metrics::counter!(COMMAND_CONFLICTS, "aggregate_type" => A::TYPE).increment(1);
    }
    result?;
    // The projector folds the new events now rather than at its next poll.
    state.wake.notify_one();
    let command_id = meta.command_id.to_string();
    let events: Vec<AppendedEvent> = state
        .ledger
        .read_stream(A::TYPE, id)
        .await?
        .into_iter()
        .filter(|e| e.metadata.get("command_id").and_then(|v| v.as_str()) == Some(&command_id))
        .map(AppendedEvent::from)
        .collect();
    metrics::counter!(COMMANDS_APPENDED, "aggregate_type" => A::TYPE).increment(1);
    metrics::counter!(EVENTS_APPENDED, "aggregate_type" => A::TYPE).increment(events.len() as u64);
    tracing::info!(events = events.len(), "command appended");
    Ok(CommandAccepted {
        id: id.to_owned(),
        events,
    })
}
