//! The staff directory as of a moment, folded from the Staff streams in the log.
//!
//! Authority is checked against the directory as it stood when a decision took effect
//! (design.md §3.3): [`actor_as_of`] answers "who was this person then", and
//! [`pam_candidate`] does the same for a proposed PAM.

use channel_ledger_domain::as_of::fold_as_effective;
use channel_ledger_domain::partner::PamCandidate;
use channel_ledger_domain::staff::{Staff, StaffStatus};
use channel_ledger_domain::{upcast, Actor, Role, StaffId};
use channel_ledger_store::{Ledger, RecordedEvent};
use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;
use serde::de::DeserializeOwned;
use tracing::instrument;

use crate::problem::ApiError;

/// One stream folded as of `moment` (as effective).
pub async fn aggregate_as_of<A>(
    ledger: &Ledger,
    id: &str,
    moment: DateTime<Utc>,
) -> Result<A, ApiError>
where
    A: Aggregate,
    A::Event: DeserializeOwned,
{
    let events = ledger.read_stream(A::TYPE, id).await?;
    let pairs = decode::<A::Event>(events)?;
    Ok(fold_as_effective::<A>(pairs, moment))
}

/// `(effective_at, event)` pairs of recorded events, in stream order, each read in the current
/// shape of its event.
pub fn decode<E: DeserializeOwned>(
    events: Vec<RecordedEvent>,
) -> Result<Vec<(DateTime<Utc>, E)>, ApiError> {
    events
        .iter()
        .map(|e| Ok((e.effective_at, typed(e)?)))
        .collect()
}

/// One recorded event in the current shape of its type: upcast first when it was written in an
/// older one (copying the payload only then).
pub fn typed<E: DeserializeOwned>(e: &RecordedEvent) -> Result<E, ApiError> {
    let decoded = if upcast::needs_upcast(&e.event_type, &e.event_version) {
        let (_, payload) = upcast::upcast(&e.event_type, &e.event_version, e.payload.clone());
        serde_json::from_value(payload)
    } else {
        E::deserialize(&e.payload)
    };
    decoded.map_err(|err| {
        ApiError::internal(format!(
            "event at position {} does not decode as {}: {err}",
            e.position, e.aggregate_type
        ))
    })
}

/// The person as they were at `moment`, if they were active staff then.
#[instrument(skip_all, fields(staff.id = %staff_id, moment = %moment), err)]
pub async fn actor_as_of(
    ledger: &Ledger,
    staff_id: StaffId,
    moment: DateTime<Utc>,
) -> Result<Option<Actor>, ApiError> {
    let staff: Staff = aggregate_as_of(ledger, &staff_id.to_string(), moment).await?;
    Ok(staff.as_actor())
}

/// A person as they are at a moment, and what that answer rests on.
#[derive(Debug, Clone)]
pub struct ActorNow {
    /// Who they are, if active staff.
    pub actor: Option<Actor>,
    /// How many events of their stream were folded (its highest sequence).
    pub events: i64,
    /// The effective time of the earliest event that takes effect after the moment (a leaving
    /// date recorded ahead): until then, and while the stream gains no event, the answer stands.
    pub next_change: Option<DateTime<Utc>>,
}

/// The person as they are at `now`; see [`ActorNow`].
pub async fn actor_now(
    ledger: &Ledger,
    staff_id: StaffId,
    now: DateTime<Utc>,
) -> Result<ActorNow, ApiError> {
    let events = ledger
        .read_stream(Staff::TYPE, &staff_id.to_string())
        .await?;
    let read = events.iter().map(|e| e.sequence).max().unwrap_or(0);
    let pairs = decode::<<Staff as Aggregate>::Event>(events)?;
    let next_change = pairs.iter().map(|(at, _)| *at).filter(|at| *at > now).min();
    let staff: Staff = fold_as_effective::<Staff>(pairs, now);
    Ok(ActorNow {
        actor: staff.as_actor(),
        events: read,
        next_change,
    })
}

/// The proposed PAM as the directory knew them at `moment`. Someone unknown then is an inactive
/// candidate, so the aggregate refuses them with `pam-not-active`.
pub async fn pam_candidate(
    ledger: &Ledger,
    staff_id: StaffId,
    moment: DateTime<Utc>,
) -> Result<PamCandidate, ApiError> {
    let staff: Staff = aggregate_as_of(ledger, &staff_id.to_string(), moment).await?;
    Ok(match staff.profile {
        Some(p) => PamCandidate {
            staff_id,
            name: p.name.to_string(),
            role: p.role,
            territory: p.territory,
            active: p.status == StaffStatus::Active,
        },
        None => PamCandidate {
            staff_id,
            name: String::new(),
            role: Role::Pam,
            territory: None,
            active: false,
        },
    })
}

/// Every Staff stream folded as of `moment`, in order of joining.
pub async fn all_staff(ledger: &Ledger, moment: DateTime<Utc>) -> Result<Vec<Staff>, ApiError> {
    let mut out = Vec::new();
    for id in ledger.stream_ids(Staff::TYPE).await? {
        let staff: Staff = aggregate_as_of(ledger, &id, moment).await?;
        if staff.profile.is_some() {
            out.push(staff);
        }
    }
    Ok(out)
}

/// True when some Admin is active now: bootstrap refuses then.
pub async fn has_active_admin(ledger: &Ledger, now: DateTime<Utc>) -> Result<bool, ApiError> {
    Ok(all_staff(ledger, now)
        .await?
        .iter()
        .filter_map(Staff::as_actor)
        .any(|a| a.role == Role::Admin))
}
