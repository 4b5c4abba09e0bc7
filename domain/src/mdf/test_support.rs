//! Fixtures shared by the MDF aggregates' given/when/then tests.

use chrono::{DateTime, Utc};

use crate::actor::{Actor, Role, StaffId, Territory};
use crate::approval::Delegation;
use crate::money::Money;
use crate::partner::{PartnerFacts, PartnerId, Tier};
use crate::text::{Name, Reason};

pub(crate) fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Friday 13 Feb 2026, mid-afternoon.
pub(crate) fn at() -> DateTime<Utc> {
    t("2026-02-13T15:00:00Z")
}

pub(crate) fn territory(name: &str) -> Territory {
    Territory::parse(name).unwrap()
}

pub(crate) fn staff(role: Role, territory_name: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: format!("{role} person"),
        role,
        territory: territory_name.map(territory),
    }
}

pub(crate) fn pam() -> Actor {
    staff(Role::Pam, Some("Southeast"))
}
pub(crate) fn manager() -> Actor {
    staff(Role::Manager, Some("Southeast"))
}
pub(crate) fn other_manager() -> Actor {
    staff(Role::Manager, Some("Mid-Atlantic"))
}
pub(crate) fn cxo() -> Actor {
    staff(Role::Cxo, None)
}
pub(crate) fn finance() -> Actor {
    staff(Role::Finance, None)
}

pub(crate) fn reason(s: &str) -> Reason {
    Reason::parse(s).unwrap()
}

pub(crate) fn usd(dollars: i64) -> Money {
    Money::usd(dollars * 100)
}

pub(crate) fn partner(name: &str, tier: Tier) -> PartnerFacts {
    PartnerFacts {
        partner_id: PartnerId(uuid::Uuid::from_u128(name.len() as u128)),
        name: Name::parse(name).unwrap(),
        territory: territory("Southeast"),
        tier,
        classification: None,
        pam: None,
        offboarded: false,
    }
}

pub(crate) fn delegation(principal: &Actor, delegate: &Actor) -> Delegation {
    Delegation {
        principal: principal.clone(),
        delegate: delegate.staff_id,
        from: t("2026-02-01T00:00:00Z"),
        until: t("2026-03-01T00:00:00Z"),
    }
}
