//! The program's RAPs: Ironclad's and Harbor's Active, Bridgeline's waiting for its Manager.

use channel_ledger_domain::approval::{ApprovalStep, Verdict};
use channel_ledger_domain::mdf_policy::tier_policy;
use channel_ledger_domain::partner::{PartnerId, Tier};
use channel_ledger_domain::rap::{
    AccountDomain, NamedAccountStatus as N, NamedAccountTarget, RapEvent as R, RapId, RapTerms,
    Submission,
};
use channel_ledger_domain::{Actor, Territory};

use super::super::builder::*;
use super::Program;
use crate::event::DomainEvent as D;

pub fn domain(s: &str) -> AccountDomain {
    AccountDomain::parse(s).unwrap()
}

fn terms(accounts: &[(&str, &str)], mdf: i64, partner: i64, arr: i64) -> RapTerms {
    RapTerms {
        named_accounts: accounts
            .iter()
            .map(|(n, d)| NamedAccountTarget {
                name: name(n),
                domain: domain(d),
            })
            .collect(),
        mdf: usd(mdf),
        partner_contribution: usd(partner),
        arr_target: usd(arr),
        partner_expected_revenue: usd(arr / 2),
        mdf_exemption: None,
    }
}

/// Stream id of Ironclad's RAP, and of Harbor's, and Bridgeline's.
pub const IRONCLAD_RAP: RapId = RapId(uuid::uuid!("00000000-0000-7000-8000-00000000a001"));
pub const HARBOR_RAP: RapId = RapId(uuid::uuid!("00000000-0000-7000-8000-00000000a002"));
pub const BRIDGELINE_RAP: RapId = RapId(uuid::uuid!("00000000-0000-7000-8000-00000000a003"));

struct Draft<'a> {
    rap: RapId,
    partner: PartnerId,
    partner_name: &'a str,
    territory: &'a str,
    tier: Tier,
    period: &'a str,
    terms: RapTerms,
}

fn draft_and_submit(p: &mut Program, d: &Draft, pam: &Actor, drafted: &str, submitted: &str) {
    let stream = d.rap.0.to_string();
    let title = format!(
        "{} · Q{} 20{}",
        d.partner_name,
        &d.period[6..],
        &d.period[2..4]
    );
    let e = R::RapDrafted {
        rap_id: d.rap,
        partner_id: d.partner,
        partner_name: name(d.partner_name),
        territory: Territory::parse(d.territory).unwrap(),
        tier: d.tier,
        period: d.period.parse().unwrap(),
        title,
        terms: d.terms.clone(),
    };
    p.log.emit(&stream, pam, drafted, D::Rap(e));
    let submission = Submission {
        by: staff_ref(pam),
        at: t(submitted),
        tier: d.tier,
        quarterly_cap: tier_policy(d.tier).quarterly_cap,
        economics: d.terms.economics().unwrap(),
        mdf_exemption_required: false,
    };
    p.log.emit(
        &stream,
        pam,
        submitted,
        D::Rap(R::RapSubmitted { submission }),
    );
}

fn approve(
    p: &mut Program,
    rap: RapId,
    manager: &Actor,
    cxo: &Actor,
    submitted: &str,
    m_at: &str,
    c_at: &str,
) {
    let stream = rap.0.to_string();
    let approval = record(
        ApprovalStep::Manager,
        Verdict::Approved,
        manager,
        submitted,
        m_at,
    );
    let e = R::RapApprovedByManager {
        approval,
        mdf_exemption_signed_off: false,
    };
    p.log.emit(&stream, manager, m_at, D::Rap(e));
    let approval = record(ApprovalStep::Cxo, Verdict::Approved, cxo, m_at, c_at);
    let e = R::RapActivated {
        approval,
        mdf_exemption_signed_off: false,
        version: 1,
    };
    p.log.emit(&stream, cxo, c_at, D::Rap(e));
}

fn advance(p: &mut Program, rap: RapId, who: &Actor, at: &str, d: &str, from: N, to: N) {
    let e = R::NamedAccountAdvanced {
        domain: domain(d),
        from,
        to,
    };
    p.log.emit(&rap.0.to_string(), who, at, D::Rap(e));
}

pub fn write(p: &mut Program) {
    let c = &p.cast;
    let (sarah, marcus, priya, otto, cxo) = (
        c.sarah.clone(),
        c.marcus.clone(),
        c.priya.clone(),
        c.otto.clone(),
        c.cxo.clone(),
    );
    let ironclad = Draft {
        rap: IRONCLAD_RAP,
        partner: p.ironclad,
        partner_name: "Ironclad MSP",
        territory: "Southeast",
        tier: Tier::Platinum,
        period: "FY26 Q2",
        terms: terms(
            &[
                ("Fortis Financial Group", "fortis.example"),
                ("Meridian Healthcare", "meridian.example"),
                ("ClearBridge Logistics", "clearbridge.example"),
                ("Northwind Health", "northwind.example"),
            ],
            24_000,
            24_000,
            340_000,
        ),
    };
    draft_and_submit(
        p,
        &ironclad,
        &sarah,
        "2026-02-06T10:00:00Z",
        "2026-02-09T09:00:00Z",
    );
    approve(
        p,
        IRONCLAD_RAP,
        &priya,
        &cxo,
        "2026-02-09T09:00:00Z",
        "2026-02-11T16:00:00Z",
        "2026-02-14T11:00:00Z",
    );
    let at = "2026-03-02T10:00:00Z";
    advance(
        p,
        IRONCLAD_RAP,
        &sarah,
        at,
        "fortis.example",
        N::Identified,
        N::Qualified,
    );
    advance(
        p,
        IRONCLAD_RAP,
        &sarah,
        at,
        "fortis.example",
        N::Qualified,
        N::InProgress,
    );
    advance(
        p,
        IRONCLAD_RAP,
        &sarah,
        at,
        "meridian.example",
        N::Identified,
        N::Qualified,
    );
    advance(
        p,
        IRONCLAD_RAP,
        &sarah,
        at,
        "northwind.example",
        N::Identified,
        N::Qualified,
    );
    advance(
        p,
        IRONCLAD_RAP,
        &sarah,
        at,
        "northwind.example",
        N::Qualified,
        N::InProgress,
    );
    let won = R::NamedAccountWon {
        domain: domain("northwind.example"),
        from: N::InProgress,
        arr: usd(90_000),
    };
    p.log.emit(
        &IRONCLAD_RAP.0.to_string(),
        &sarah,
        "2026-05-20T10:00:00Z",
        D::Rap(won),
    );

    let harbor = Draft {
        rap: HARBOR_RAP,
        partner: p.harbor,
        partner_name: "Harbor Tech",
        territory: "Mid-Atlantic",
        tier: Tier::Registered,
        period: "FY26 Q2",
        terms: terms(
            &[("Keystone Dental", "keystone.example")],
            2_000,
            2_000,
            50_000,
        ),
    };
    draft_and_submit(
        p,
        &harbor,
        &marcus,
        "2026-03-20T10:00:00Z",
        "2026-03-23T09:00:00Z",
    );
    approve(
        p,
        HARBOR_RAP,
        &otto,
        &cxo,
        "2026-03-23T09:00:00Z",
        "2026-03-24T09:00:00Z",
        "2026-03-25T09:00:00Z",
    );

    let bridgeline = Draft {
        rap: BRIDGELINE_RAP,
        partner: p.bridgeline,
        partner_name: "Bridgeline Co.",
        territory: "Southeast",
        tier: Tier::Gold,
        period: "FY26 Q3",
        terms: terms(
            &[
                ("St. Luke's Clinics", "stlukes.example"),
                ("Baywater Health", "baywater.example"),
                ("Orchid Care", "orchid.example"),
            ],
            16_000,
            16_000,
            120_000,
        ),
    };
    draft_and_submit(
        p,
        &bridgeline,
        &sarah,
        "2026-06-12T10:00:00Z",
        "2026-06-15T09:00:00Z",
    );
}
