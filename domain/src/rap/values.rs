//! The words of a RAP (design.md §2): its id, where it stands, how its named accounts progress
//! and how it ended.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::terms::AccountDomain;
use crate::fiscal::FiscalQuarter;
use crate::money::Money;
use crate::text::{Name, Reason};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct RapId(pub Uuid);

impl RapId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for RapId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RapId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// "Ironclad MSP · Q2 2026": what people call a RAP. Computed once, at drafting, so a later
/// rename of the partner does not rewrite what the plan was called when it was agreed.
pub fn rap_title(partner: &Name, period: FiscalQuarter) -> String {
    format!("{partner} · Q{} {}", period.quarter, period.year)
}

/// Where a RAP stands in its lifecycle. An amendment under approval does not change it: the
/// RAP stays Active on its approved terms meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RapStatus {
    Draft,
    /// Waiting for a Manager of the partner's territory.
    Submitted,
    /// Waiting for the CxO.
    ManagerApproved,
    Active,
    /// Sent back at either step; may be revised (back to Draft) and submitted again.
    Rejected,
    Closed,
}

impl fmt::Display for RapStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RapStatus::Draft => "Draft",
            RapStatus::Submitted => "Submitted",
            RapStatus::ManagerApproved => "Manager approved",
            RapStatus::Active => "Active",
            RapStatus::Rejected => "Rejected",
            RapStatus::Closed => "Closed",
        })
    }
}

/// A named account's progress. Only forward, one stage at a time; Won and Lost are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NamedAccountStatus {
    Identified,
    Qualified,
    InProgress,
    Won,
    Lost,
}

impl NamedAccountStatus {
    pub fn is_final(self) -> bool {
        matches!(self, NamedAccountStatus::Won | NamedAccountStatus::Lost)
    }

    /// The one stage an open account may advance to next (Won needs In Progress first).
    pub fn next(self) -> Option<NamedAccountStatus> {
        match self {
            NamedAccountStatus::Identified => Some(NamedAccountStatus::Qualified),
            NamedAccountStatus::Qualified => Some(NamedAccountStatus::InProgress),
            NamedAccountStatus::InProgress => Some(NamedAccountStatus::Won),
            NamedAccountStatus::Won | NamedAccountStatus::Lost => None,
        }
    }
}

impl fmt::Display for NamedAccountStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NamedAccountStatus::Identified => "Identified",
            NamedAccountStatus::Qualified => "Qualified",
            NamedAccountStatus::InProgress => "In Progress",
            NamedAccountStatus::Won => "Won",
            NamedAccountStatus::Lost => "Lost",
        })
    }
}

/// A named account of an Active RAP and how far it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NamedAccount {
    pub name: Name,
    pub domain: AccountDomain,
    pub status: NamedAccountStatus,
    /// The ARR won, once Won.
    pub arr_won: Option<Money>,
    /// Why it was lost, once Lost.
    pub lost_reason: Option<Reason>,
}

/// How a closed RAP did against its targets; the note says why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RapOutcome {
    Achieved,
    Partial,
    Missed,
}

/// The ROI figures agreed before activation: integer basis points (10,000 = 1x), rounded down
/// so the agreed figure never overstates the return; `None` when nothing was invested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RapEconomics {
    /// ISV MDF + partner contribution.
    pub gtm_budget: Money,
    /// ARR target ÷ ISV MDF.
    pub isv_roi_bps: Option<i64>,
    /// Partner expected revenue ÷ partner contribution.
    pub partner_roi_bps: Option<i64>,
}
