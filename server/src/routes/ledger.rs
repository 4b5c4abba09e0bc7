//! The log's tamper evidence (design.md §3 rule 10, docs/adr/0007-hash-chain.md):
//! `GET /ledger/digest`, the chain's head for anyone to keep, and `GET /ledger/verify`, a walk
//! over the whole chain for Auditors and Admins, optionally against a digest kept earlier.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::Json;
use channel_ledger_domain::Role;
use channel_ledger_store::chain::{
    BrokenEvent, ChainBreak, ChainHead, Link, Problem, Verification,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::ApiRoutes;
use crate::auth::Authenticated;
use crate::openapi::ReadErrors;
use crate::problem::ApiError;
use crate::state::AppState;

pub fn routes() -> ApiRoutes {
    ApiRoutes::default()
        .get("/ledger/digest", digest)
        .get("/ledger/verify", verify)
}

/// A position of the log and the chain's link there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Digest {
    /// 0 for an empty log.
    pub position: i64,
    /// SHA-256, 64 lower-case hex digits; all zeros for an empty log.
    pub hash: String,
}

impl From<ChainHead> for Digest {
    fn from(head: ChainHead) -> Self {
        Self {
            position: head.position,
            hash: head.hash.to_string(),
        }
    }
}

/// What a walk over the whole chain found.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct VerifyReport {
    /// Whether every link recomputes from what is stored (and matches the kept digest, if one
    /// was given).
    pub intact: bool,
    /// The last position that verified and its link: the head when intact.
    pub verified: Digest,
    /// The first position that does not verify; absent when intact.
    pub broken: Option<BreakReport>,
}

/// The first position that does not verify.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BreakReport {
    pub position: i64,
    /// `altered`, `removed`, `reordered`, `unlinked`, `unreadable`, `digest_mismatch` or
    /// `truncated`.
    pub problem: String,
    /// For `reordered`: where the event this position's link was computed over now sits.
    pub found_at: Option<i64>,
    /// The event now at that position, when there is one.
    pub event: Option<BrokenEventView>,
    /// One sentence for people.
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BrokenEventView {
    pub event_id: Uuid,
    pub aggregate_type: String,
    pub aggregate_id: String,
    pub sequence: i64,
    pub event_type: String,
}

impl From<BrokenEvent> for BrokenEventView {
    fn from(e: BrokenEvent) -> Self {
        Self {
            event_id: e.event_id,
            aggregate_type: e.aggregate_type,
            aggregate_id: e.aggregate_id,
            sequence: e.sequence,
            event_type: e.event_type,
        }
    }
}

impl From<ChainBreak> for BreakReport {
    fn from(b: ChainBreak) -> Self {
        let detail = b.to_string();
        let (problem, found_at) = match b.problem {
            Problem::Altered => ("altered", None),
            Problem::Removed => ("removed", None),
            Problem::Reordered { found_at } => ("reordered", Some(found_at)),
            Problem::Unlinked => ("unlinked", None),
            Problem::Unreadable { .. } => ("unreadable", None),
            Problem::DigestMismatch { .. } => ("digest_mismatch", None),
            Problem::Truncated { .. } => ("truncated", None),
        };
        Self {
            position: b.position,
            problem: problem.to_owned(),
            found_at,
            event: b.event.map(BrokenEventView::from),
            detail,
        }
    }
}

/// The chain's head: the last position and its link. Keep it; a later verification given it
/// proves nothing up to that position was rewritten since.
#[utoipa::path(get, path = "/api/v1/ledger/digest", tag = "ledger",
    responses((status = 200, body = Digest), ReadErrors),
    security(("bearer" = [])))]
pub async fn digest(
    State(state): State<AppState>,
    _auth: Authenticated,
) -> Result<Json<Digest>, ApiError> {
    Ok(Json(state.ledger.chain_head().await?.into()))
}

/// Recomputes every link of the chain from what is stored and names the first event that was
/// altered, removed or reordered. Auditor and Admin only; it reads the whole log.
#[utoipa::path(get, path = "/api/v1/ledger/verify", tag = "ledger",
    params(
        ("position" = Option<i64>, Query, description = "A kept digest's position (with `hash`)"),
        ("hash" = Option<String>, Query, description = "A kept digest's hash (with `position`)"),
    ),
    responses((status = 200, body = VerifyReport), ReadErrors),
    security(("bearer" = [])))]
pub async fn verify(
    State(state): State<AppState>,
    auth: Authenticated,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<VerifyReport>, ApiError> {
    if !matches!(auth.actor.role, Role::Auditor | Role::Admin) {
        return Err(ApiError::forbidden(format!(
            "{} may not verify the log: Auditors and Admins do",
            auth.actor.capacity()
        )));
    }
    let kept = kept_digest(&query)?;
    let report = match state.ledger.verify_chain(kept).await? {
        Verification::Intact { head } => VerifyReport {
            intact: true,
            verified: head.into(),
            broken: None,
        },
        Verification::Broken(b) => VerifyReport {
            intact: false,
            verified: b.verified.into(),
            broken: Some(b.into()),
        },
    };
    Ok(Json(report))
}

fn kept_digest(query: &HashMap<String, String>) -> Result<Option<ChainHead>, ApiError> {
    match (query.get("position"), query.get("hash")) {
        (None, None) => Ok(None),
        (Some(position), Some(hash)) => {
            let position = position
                .parse::<i64>()
                .ok()
                .filter(|p| *p >= 0)
                .ok_or_else(|| {
                    ApiError::invalid("invalid-query", "position", "position is 0 or more")
                })?;
            let hash = hash
                .parse::<Link>()
                .map_err(|e| ApiError::invalid("invalid-query", "hash", e.to_string()))?;
            Ok(Some(ChainHead { position, hash }))
        }
        (Some(_), None) => Err(ApiError::invalid(
            "invalid-query",
            "hash",
            "a kept digest needs its hash as well as its position",
        )),
        (None, Some(_)) => Err(ApiError::invalid(
            "invalid-query",
            "position",
            "a kept digest needs its position as well as its hash",
        )),
    }
}
