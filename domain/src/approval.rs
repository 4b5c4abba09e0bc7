//! Approval records (design.md §2): who approved, when, in which role, on whose behalf, with what
//! comment, and how long the step waited. Shared by RAPs, cohort strategies and MDF.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role, StaffId, Territory};
use crate::text::Reason;

/// A standing delegation: `principal` lets `delegate` approve in their name until `until`.
/// Resolved by the caller from the principal's staff stream as of the approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delegation {
    pub principal: Actor,
    pub delegate: StaffId,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// Someone approving: in their own right, or as the delegate of a principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Approver {
    pub actor: Actor,
    pub on_behalf_of: Option<Delegation>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the delegation does not cover this approval: it must name the approver as delegate and be in force at the time")]
pub struct InvalidDelegation;

impl Approver {
    pub fn new(actor: Actor, on_behalf_of: Option<Delegation>) -> Self {
        Self {
            actor,
            on_behalf_of,
        }
    }

    /// The person whose role and territory count: the principal when delegated.
    pub fn authority(&self) -> &Actor {
        self.on_behalf_of
            .as_ref()
            .map_or(&self.actor, |d| &d.principal)
    }

    /// A delegation counts only for its delegate and only while in force.
    pub fn check_delegation(&self, at: DateTime<Utc>) -> Result<(), InvalidDelegation> {
        match &self.on_behalf_of {
            Some(d) if d.delegate != self.actor.staff_id || at < d.from || at >= d.until => {
                Err(InvalidDelegation)
            }
            _ => Ok(()),
        }
    }

    /// True when `staff` is the approver or the principal they act for: segregation of duties
    /// looks at both.
    pub fn involves(&self, staff: StaffId) -> bool {
        self.actor.staff_id == staff
            || self
                .on_behalf_of
                .as_ref()
                .is_some_and(|d| d.principal.staff_id == staff)
    }
}

/// Which sign-off a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ApprovalStep {
    /// A Manager of the partner's territory.
    Manager,
    /// The channel chief.
    #[serde(rename = "CxO")]
    Cxo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Verdict {
    Approved,
    Rejected,
}

/// A person as recorded on an approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub territory: Option<Territory>,
}

impl From<&Actor> for StaffRef {
    fn from(a: &Actor) -> Self {
        Self {
            staff_id: a.staff_id,
            name: a.name.clone(),
            role: a.role,
            territory: a.territory.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalRecord {
    pub step: ApprovalStep,
    pub verdict: Verdict,
    /// Who decided, with the role and territory they held at that moment.
    pub approver: StaffRef,
    /// The original approver when the decision was taken by a delegate.
    pub on_behalf_of: Option<StaffRef>,
    pub comment: Option<Reason>,
    /// When the step became pending.
    pub requested_at: DateTime<Utc>,
    pub decided_at: DateTime<Utc>,
    /// How long the step waited, in seconds: the approval SLA figure.
    pub waited_seconds: i64,
}

impl ApprovalRecord {
    pub fn new(
        step: ApprovalStep,
        verdict: Verdict,
        approver: &Approver,
        comment: Option<Reason>,
        requested_at: DateTime<Utc>,
        decided_at: DateTime<Utc>,
    ) -> Self {
        Self {
            step,
            verdict,
            approver: StaffRef::from(&approver.actor),
            on_behalf_of: approver
                .on_behalf_of
                .as_ref()
                .map(|d| StaffRef::from(&d.principal)),
            comment,
            requested_at,
            decided_at,
            waited_seconds: (decided_at - requested_at).num_seconds().max(0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role) -> Actor {
        Actor {
            staff_id: StaffId::new(),
            name: role.to_string(),
            role,
            territory: None,
        }
    }

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_delegate_approves_with_the_principals_authority_and_both_are_recorded() {
        let cxo = person(Role::Cxo);
        let deputy = person(Role::Manager);
        let approver = Approver::new(
            deputy.clone(),
            Some(Delegation {
                principal: cxo.clone(),
                delegate: deputy.staff_id,
                from: t("2026-02-01T00:00:00Z"),
                until: t("2026-03-01T00:00:00Z"),
            }),
        );
        assert_eq!(approver.authority().role, Role::Cxo);
        assert!(approver.check_delegation(t("2026-02-14T00:00:00Z")).is_ok());
        assert!(approver
            .check_delegation(t("2026-03-01T00:00:00Z"))
            .is_err());
        assert!(approver.involves(cxo.staff_id) && approver.involves(deputy.staff_id));
        let record = ApprovalRecord::new(
            ApprovalStep::Cxo,
            Verdict::Approved,
            &approver,
            None,
            t("2026-02-13T09:00:00Z"),
            t("2026-02-14T10:30:00Z"),
        );
        assert_eq!(record.on_behalf_of.unwrap().staff_id, cxo.staff_id);
        assert_eq!(record.approver.staff_id, deputy.staff_id);
        assert_eq!(record.waited_seconds, 25 * 3600 + 1800);
    }

    #[test]
    fn a_delegation_for_someone_else_does_not_count() {
        let approver = Approver::new(
            person(Role::Manager),
            Some(Delegation {
                principal: person(Role::Cxo),
                delegate: StaffId::new(),
                from: t("2026-02-01T00:00:00Z"),
                until: t("2026-03-01T00:00:00Z"),
            }),
        );
        assert_eq!(
            approver.check_delegation(t("2026-02-14T00:00:00Z")),
            Err(InvalidDelegation)
        );
    }
}
