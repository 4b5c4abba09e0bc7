//! The program every view test reads: Southeast (Manager Priya M., PAM Sarah K., and Tom B. who
//! left) and Mid-Atlantic (Manager Otto M., PAM Marcus T.), a CxO, Finance and an Auditor.
//! Ironclad MSP changed PAM from Tom to Sarah and has an Active RAP with an MDF request; the
//! Bridgeline Co. RAP waits for the Manager of Southeast; NovaTech Inc.'s MDF exemption is
//! Manager-approved and waits for the CxO; Cascade Group was reclassified Longtail Diamond →
//! High-Potential; Harbor Tech is Longtail with an Active RAP.

use channel_ledger_domain::approval::{ApprovalStep, Verdict};
use channel_ledger_domain::cohort::{CohortEvent, Play, StrategyText};
use channel_ledger_domain::partner::{
    Classification, CompanySize, PartnerEvent as P, PartnerId, PartnerType, Tier,
};
use channel_ledger_domain::staff::StaffEvent;
use channel_ledger_domain::{Actor, Role};
use chrono::{DateTime, Utc};

use super::builder::*;
use crate::event::DomainEvent as D;
use crate::model::ProgramModel;

mod mdf;
mod qar;
mod rap;

/// The moment the tests look at the program: Saturday 20 June 2026, FY26 Q2.
pub const NOW: &str = "2026-06-20T12:00:00Z";

pub struct Cast {
    pub admin: Actor,
    pub cxo: Actor,
    pub priya: Actor,
    pub otto: Actor,
    pub sarah: Actor,
    pub tom: Actor,
    pub marcus: Actor,
    pub finance: Actor,
    pub auditor: Actor,
}

pub struct Program {
    pub log: Log,
    pub cast: Cast,
    pub ironclad: PartnerId,
    pub bridgeline: PartnerId,
    pub novatech: PartnerId,
    pub cascade: PartnerId,
    pub harbor: PartnerId,
}

impl Program {
    pub fn model(&self) -> ProgramModel {
        self.log.model()
    }

    pub fn now(&self) -> DateTime<Utc> {
        t(NOW)
    }
}

pub fn program() -> Program {
    let cast = Cast {
        admin: person("Ada N.", Role::Admin, None),
        cxo: person("Dana R.", Role::Cxo, None),
        priya: person("Priya M.", Role::Manager, Some("Southeast")),
        otto: person("Otto M.", Role::Manager, Some("Mid-Atlantic")),
        sarah: person("Sarah K.", Role::Pam, Some("Southeast")),
        tom: person("Tom B.", Role::Pam, Some("Southeast")),
        marcus: person("Marcus T.", Role::Pam, Some("Mid-Atlantic")),
        finance: person("Fay F.", Role::Finance, None),
        auditor: person("Al A.", Role::Auditor, None),
    };
    let mut p = Program {
        log: Log::default(),
        ironclad: PartnerId::new(),
        bridgeline: PartnerId::new(),
        novatech: PartnerId::new(),
        cascade: PartnerId::new(),
        harbor: PartnerId::new(),
        cast,
    };
    staff(&mut p);
    partners(&mut p);
    cohorts(&mut p);
    qar::write(&mut p);
    rap::write(&mut p);
    mdf::write(&mut p);
    p
}

fn staff(p: &mut Program) {
    let c = &p.cast;
    let all = [
        &c.cxo, &c.priya, &c.otto, &c.sarah, &c.tom, &c.marcus, &c.finance, &c.auditor,
    ];
    for a in all {
        let joined = StaffEvent::StaffJoined {
            staff_id: a.staff_id,
            name: name(&a.name),
            role: a.role,
            territory: a.territory.clone(),
        };
        p.log.emit(
            &a.staff_id.to_string(),
            &c.admin,
            "2024-01-02T09:00:00Z",
            D::Staff(joined),
        );
    }
    let left = StaffEvent::StaffLeft {
        reason: reason("moved on"),
    };
    p.log.emit(
        &c.tom.staff_id.to_string(),
        &c.admin,
        "2026-01-15T17:00:00Z",
        D::Staff(left),
    );
}

fn register(
    p: &mut Program,
    id: PartnerId,
    partner: &str,
    kind: PartnerType,
    territory: &str,
    by: &Actor,
) {
    let e = P::PartnerRegistered {
        partner_id: id,
        name: name(partner),
        partner_type: kind,
        territory: channel_ledger_domain::Territory::parse(territory).unwrap(),
        headquarters: name("Atlanta, GA"),
        size: CompanySize::Medium,
        specialization: None,
        tier: Tier::Registered,
    };
    p.log
        .emit(&id.to_string(), by, "2025-01-10T09:00:00Z", D::Partner(e));
}

fn event(p: &mut Program, id: PartnerId, by: &Actor, at: &str, why: Option<&str>, e: P) {
    p.log
        .emit_because(&id.to_string(), by, at, why, D::Partner(e));
}

fn assign(p: &mut Program, id: PartnerId, pam: &Actor, prev: Option<&Actor>, by: &Actor, at: &str) {
    let e = P::PamAssigned {
        pam_id: pam.staff_id,
        pam_name: pam.name.clone(),
        previous_pam_id: prev.map(|a| a.staff_id),
    };
    event(p, id, by, at, None, e);
}

fn classify(
    p: &mut Program,
    id: PartnerId,
    from: Option<Classification>,
    to: Classification,
    by: &Actor,
    at: &str,
) {
    let e = P::PartnerReclassified {
        from,
        to,
        rationale: reason("quarterly portfolio review"),
    };
    event(p, id, by, at, Some("quarterly portfolio review"), e);
}

fn partners(p: &mut Program) {
    let (priya, otto) = (p.cast.priya.clone(), p.cast.otto.clone());
    let (sarah, tom, marcus) = (
        p.cast.sarah.clone(),
        p.cast.tom.clone(),
        p.cast.marcus.clone(),
    );
    let (ironclad, bridgeline, novatech, cascade, harbor) =
        (p.ironclad, p.bridgeline, p.novatech, p.cascade, p.harbor);
    register(
        p,
        ironclad,
        "Ironclad MSP",
        PartnerType::Msp,
        "Southeast",
        &priya,
    );
    let tier = P::PartnerTierChanged {
        from: Tier::Registered,
        to: Tier::Platinum,
        evidence: reason("$2M ARR"),
    };
    event(p, ironclad, &priya, "2025-01-11T09:00:00Z", None, tier);
    classify(
        p,
        ironclad,
        None,
        Classification::Champion,
        &priya,
        "2025-01-12T09:00:00Z",
    );
    assign(p, ironclad, &tom, None, &priya, "2025-01-15T09:00:00Z");
    assign(
        p,
        ironclad,
        &sarah,
        Some(&tom),
        &priya,
        "2026-01-16T09:00:00Z",
    );
    register(
        p,
        bridgeline,
        "Bridgeline Co.",
        PartnerType::Reseller,
        "Southeast",
        &priya,
    );
    classify(
        p,
        bridgeline,
        None,
        Classification::Farmer,
        &priya,
        "2025-01-12T10:00:00Z",
    );
    assign(p, bridgeline, &sarah, None, &priya, "2026-03-12T09:00:00Z");
    register(
        p,
        novatech,
        "NovaTech Inc.",
        PartnerType::SystemIntegrator,
        "Mid-Atlantic",
        &otto,
    );
    assign(p, novatech, &marcus, None, &otto, "2026-01-31T09:00:00Z");
    register(
        p,
        cascade,
        "Cascade Group",
        PartnerType::Reseller,
        "Mid-Atlantic",
        &otto,
    );
    classify(
        p,
        cascade,
        None,
        Classification::LongtailDiamond,
        &otto,
        "2025-02-01T09:00:00Z",
    );
    let why = "four quarters of net-new logos";
    let e = P::PartnerReclassified {
        from: Some(Classification::LongtailDiamond),
        to: Classification::HighPotential,
        rationale: reason(why),
    };
    event(p, cascade, &otto, "2026-03-03T15:00:00Z", Some(why), e);
    assign(p, cascade, &marcus, None, &otto, "2026-03-03T16:00:00Z");
    register(
        p,
        harbor,
        "Harbor Tech",
        PartnerType::Referral,
        "Mid-Atlantic",
        &otto,
    );
    classify(
        p,
        harbor,
        None,
        Classification::Longtail,
        &otto,
        "2025-02-01T10:00:00Z",
    );
    assign(p, harbor, &marcus, None, &otto, "2026-04-16T09:00:00Z");
}

fn cohorts(p: &mut Program) {
    let (otto, cxo, priya) = (
        p.cast.otto.clone(),
        p.cast.cxo.clone(),
        p.cast.priya.clone(),
    );
    let intent = "Reactivate net-new motion through RAP co-investment with named accounts from their existing base";
    let drafted = CohortEvent::CohortStrategyDrafted {
        classification: Classification::Farmer,
        version: 1,
        intent: StrategyText::parse(intent).unwrap(),
        plays: vec![Play {
            title: name("Mine the base"),
            description: StrategyText::parse("List ICP-fit customers").unwrap(),
        }],
        drafted_by: staff_ref(&otto),
        drafted_at: t("2025-01-05T09:00:00Z"),
    };
    p.log
        .emit("Farmer", &otto, "2025-01-05T09:00:00Z", D::Cohort(drafted));
    let approved = CohortEvent::CohortStrategyApproved {
        version: 1,
        record: record(
            ApprovalStep::Cxo,
            Verdict::Approved,
            &cxo,
            "2025-01-05T09:00:00Z",
            "2025-01-06T09:00:00Z",
        ),
        supersedes: None,
    };
    p.log
        .emit("Farmer", &cxo, "2025-01-06T09:00:00Z", D::Cohort(approved));
    let pending = CohortEvent::CohortStrategyDrafted {
        classification: Classification::HighPotential,
        version: 1,
        intent: StrategyText::parse("Invest ahead of proof").unwrap(),
        plays: Vec::new(),
        drafted_by: staff_ref(&priya),
        drafted_at: t("2026-06-18T09:00:00Z"),
    };
    p.log.emit(
        "HighPotential",
        &priya,
        "2026-06-18T09:00:00Z",
        D::Cohort(pending),
    );
}
