//! Given/when/then tests of the RAP aggregate, one sentence per rule, around the design's
//! example: Ironclad MSP, Platinum, Southeast, FY26 Q2, MDF $24,000 + partner $24,000, ARR target
//! $340,000, submitted Monday Feb 9 2026, Manager approval Feb 11, CxO approval Feb 14.

mod accounts;
mod amendments;
mod approvals;
mod closing;
mod drafting;
mod rejections;
mod submission;
mod values;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::test::TestFramework;
use cqrs_es::Aggregate;

use super::*;
use crate::actor::{Actor, Role, StaffId, Territory};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, Delegation, StaffRef, Verdict};
use crate::partner::{Classification, PartnerFacts, PartnerId, Tier};
use crate::text::{Name, Reason};

type RapTest = TestFramework<Rap>;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}
const DRAFTED_AT: &str = "2026-02-06T10:00:00Z";
const SUBMITTED_AT: &str = "2026-02-09T09:00:00Z";
const MANAGER_AT: &str = "2026-02-11T16:00:00Z";
const CXO_AT: &str = "2026-02-14T11:00:00Z";
const LATER: &str = "2026-03-02T10:00:00Z";

fn reason(s: &str) -> Reason {
    Reason::parse(s).unwrap()
}

fn staff(role: Role, territory: Option<&str>) -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: format!("{role} person"),
        role,
        territory: territory.map(|t| Territory::parse(t).unwrap()),
    }
}

fn usd(dollars: i64) -> Money {
    Money::usd(dollars * 100)
}

fn domain(s: &str) -> AccountDomain {
    AccountDomain::parse(s).unwrap()
}

fn target(name: &str, d: &str) -> NamedAccountTarget {
    NamedAccountTarget {
        name: Name::parse(name).unwrap(),
        domain: domain(d),
    }
}

/// The people of one test: a PAM, a Manager of Southeast and a CxO, and the partner.
struct Cast {
    pam: Actor,
    manager: Actor,
    cxo: Actor,
    partner: PartnerFacts,
    rap_id: RapId,
}

impl Cast {
    fn new() -> Self {
        Self {
            pam: staff(Role::Pam, Some("Southeast")),
            manager: staff(Role::Manager, Some("Southeast")),
            cxo: staff(Role::Cxo, None),
            partner: PartnerFacts {
                partner_id: PartnerId::new(),
                name: Name::parse("Ironclad MSP").unwrap(),
                territory: Territory::parse("Southeast").unwrap(),
                tier: Tier::Platinum,
                classification: Some(Classification::Champion),
                pam: None,
                offboarded: false,
            },
            rap_id: RapId::new(),
        }
    }

    fn with_partner(mut self, change: impl FnOnce(&mut PartnerFacts)) -> Self {
        change(&mut self.partner);
        self
    }

    fn draft(&self, terms: RapTerms) -> RapCommand {
        RapCommand::Draft {
            rap_id: self.rap_id,
            partner: self.partner.clone(),
            period: "FY26 Q2".parse().unwrap(),
            terms,
        }
    }

    fn drafted(&self) -> RapEvent {
        RapEvent::RapDrafted {
            rap_id: self.rap_id,
            partner_id: self.partner.partner_id,
            partner_name: self.partner.name.clone(),
            territory: self.partner.territory.clone(),
            tier: self.partner.tier,
            period: "FY26 Q2".parse().unwrap(),
            title: "Ironclad MSP · Q2 2026".into(),
            terms: ironclad_terms(),
        }
    }

    fn submit(&self) -> RapCommand {
        RapCommand::Submit {
            partner: self.partner.clone(),
        }
    }

    fn submission(&self, at: &str) -> Submission {
        Submission {
            by: StaffRef::from(&self.pam),
            at: t(at),
            tier: Tier::Platinum,
            quarterly_cap: usd(15_000),
            economics: ironclad_economics(),
            mdf_exemption_required: true,
        }
    }

    fn submitted(&self) -> Vec<RapEvent> {
        vec![
            self.drafted(),
            RapEvent::RapSubmitted {
                submission: self.submission(SUBMITTED_AT),
            },
        ]
    }

    fn manager_approval(&self) -> ApprovalRecord {
        record(
            ApprovalStep::Manager,
            &self.manager,
            SUBMITTED_AT,
            MANAGER_AT,
        )
    }

    fn manager_approved(&self) -> Vec<RapEvent> {
        let mut events = self.submitted();
        events.push(RapEvent::RapApprovedByManager {
            approval: self.manager_approval(),
            mdf_exemption_signed_off: true,
        });
        events
    }

    fn active(&self) -> Vec<RapEvent> {
        let mut events = self.manager_approved();
        events.push(RapEvent::RapActivated {
            approval: record(ApprovalStep::Cxo, &self.cxo, MANAGER_AT, CXO_AT),
            mdf_exemption_signed_off: true,
            version: 1,
        });
        events
    }
}

fn approve(step: ApprovalStep) -> RapCommand {
    RapCommand::Approve {
        step,
        on_behalf_of: None,
        comment: None,
    }
}

fn record(step: ApprovalStep, who: &Actor, requested: &str, decided: &str) -> ApprovalRecord {
    let approver = Approver::new(who.clone(), None);
    ApprovalRecord::new(
        step,
        Verdict::Approved,
        &approver,
        None,
        t(requested),
        t(decided),
    )
}

fn delegation(principal: &Actor, delegate: &Actor, from: &str, until: &str) -> Delegation {
    Delegation {
        principal: principal.clone(),
        delegate: delegate.staff_id,
        from: t(from),
        until: t(until),
    }
}

fn ironclad_terms() -> RapTerms {
    RapTerms {
        named_accounts: vec![
            target("Northwind Health", "northwind.example"),
            target("Contoso Logistics", "contoso.example"),
            target("Fabrikam Dental", "fabrikam.example"),
        ],
        mdf: usd(24_000),
        partner_contribution: usd(24_000),
        arr_target: usd(340_000),
        partner_expected_revenue: usd(96_000),
        mdf_exemption: Some(reason(
            "three ICP-aligned hospital groups in one quarter; cap would fund one campaign",
        )),
    }
}

/// ARR $340,000 ÷ MDF $24,000 = 14.1666x; $96,000 ÷ $24,000 = 4x.
fn ironclad_economics() -> RapEconomics {
    RapEconomics {
        gtm_budget: usd(48_000),
        isv_roi_bps: Some(141_666),
        partner_roi_bps: Some(40_000),
    }
}

/// Runs commands through `handle` in order, as the framework would, returning the state.
fn run(events: Vec<RapEvent>, commands: Vec<Authored<RapCommand>>) -> Result<Rap, RapError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let mut rap = Rap::default();
    for e in events {
        rap.apply(e);
    }
    for command in commands {
        rt.block_on(rap.handle(command, &(), &EventSink::default()))?;
    }
    Ok(rap)
}
