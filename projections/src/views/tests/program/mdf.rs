//! MDF: the FY26 Q2 budget with Ironclad's allocation and NovaTech's exemption waiting for the
//! CxO; Ironclad's fund request (one activity claimed and part paid, one past its date with no
//! proof) and Harbor's (paid in full, no named-account outcome yet).

use channel_ledger_domain::approval::{ApprovalStep, Verdict};
use channel_ledger_domain::fiscal::add_business_days;
use channel_ledger_domain::mdf::budget::AllocatedPartner;
use channel_ledger_domain::mdf::{
    ActivityId, AllocationId, FundRequestEvent as F, FundRequestId, FundingLink,
    ProgramBudgetEvent as B, RapFacts, Settlement, SourceFacts,
};
use channel_ledger_domain::partner::{PartnerId, Tier};
use channel_ledger_domain::rap::RapId;
use channel_ledger_domain::{Actor, Territory};

use super::super::builder::*;
use super::Program;
use crate::event::DomainEvent as D;

pub const QUARTER: &str = "FY26 Q2";

fn allocated(id: PartnerId, partner: &str, territory: &str, tier: Tier) -> AllocatedPartner {
    AllocatedPartner {
        partner_id: id,
        name: name(partner),
        territory: Territory::parse(territory).unwrap(),
        tier,
    }
}

fn budget(p: &mut Program) {
    let c = &p.cast;
    let (cxo, priya, marcus, otto) = (
        c.cxo.clone(),
        c.priya.clone(),
        c.marcus.clone(),
        c.otto.clone(),
    );
    let set = B::BudgetSet {
        quarter: QUARTER.parse().unwrap(),
        amount: usd(200_000),
    };
    p.log
        .emit(QUARTER, &cxo, "2026-03-20T09:00:00Z", D::Budget(set));
    let grant = B::AllocationGranted {
        allocation_id: AllocationId::new(),
        partner: allocated(p.ironclad, "Ironclad MSP", "Southeast", Tier::Platinum),
        amount: usd(24_000),
    };
    p.log
        .emit(QUARTER, &priya, "2026-03-21T09:00:00Z", D::Budget(grant));
    let allocation_id = AllocationId::new();
    let requested = "2026-06-08T09:00:00Z";
    let ask = B::ExemptionRequested {
        allocation_id,
        partner: allocated(p.novatech, "NovaTech Inc.", "Mid-Atlantic", Tier::Gold),
        amount: usd(12_000),
        justification: reason("Regional launch event"),
        requested_by: staff_ref(&marcus),
        requested_at: t(requested),
    };
    p.log.emit(QUARTER, &marcus, requested, D::Budget(ask));
    let at = "2026-06-10T09:00:00Z";
    let record = record(
        ApprovalStep::Manager,
        Verdict::Approved,
        &otto,
        requested,
        at,
    );
    p.log.emit(
        QUARTER,
        &otto,
        at,
        D::Budget(B::ExemptionApprovedByManager {
            allocation_id,
            record,
        }),
    );
}

/// One fund request linked to `rap`: each activity `(dollars requested, starts on, dollars
/// approved)` approved by `manager`.
struct Request<'a> {
    id: FundRequestId,
    partner: PartnerId,
    partner_name: &'a str,
    territory: &'a str,
    rap: RapId,
    activities: Vec<(ActivityId, i64, &'a str, i64)>,
}

fn request(p: &mut Program, r: &Request, pam: &Actor, manager: &Actor) {
    let stream = r.id.0.to_string();
    let drafted = F::FundRequestDrafted {
        request_id: r.id,
        partner_id: r.partner,
        partner_name: name(r.partner_name),
        territory: Territory::parse(r.territory).unwrap(),
        quarter: QUARTER.parse().unwrap(),
        link: FundingLink::Rap { rap_id: r.rap.0 },
        title: name(&format!("{} roadshow", r.partner_name)),
        named_accounts: Vec::new(),
    };
    p.log.emit(
        &stream,
        pam,
        "2026-02-20T09:00:00Z",
        D::FundRequest(drafted),
    );
    for (id, dollars, starts, _) in &r.activities {
        let add = F::ActivityAdded {
            activity_id: *id,
            description: reason("Event"),
            starts_on: starts.parse().unwrap(),
            requested: usd(*dollars),
            rate: None,
            requested_program: usd(*dollars),
        };
        p.log
            .emit(&stream, pam, "2026-02-20T09:00:00Z", D::FundRequest(add));
    }
    let submitted = "2026-03-02T09:00:00Z";
    let total = usd(r.activities.iter().map(|a| a.1).sum());
    let source = SourceFacts::Rap(RapFacts {
        rap_id: r.rap.0,
        partner_id: r.partner,
        active: true,
        named_account_domains: Vec::new(),
        mdf: usd(24_000),
    });
    let submit = F::FundRequestSubmitted {
        submitted_by: staff_ref(pam),
        submitted_at: t(submitted),
        approval_due: add_business_days(t(submitted), 5),
        late_reason: None,
        requested_total: total,
        source,
        available: usd(24_000),
    };
    p.log.emit(&stream, pam, submitted, D::FundRequest(submit));
    let at = "2026-03-04T09:00:00Z";
    let mut commitments = Vec::new();
    for (id, _, _, approved) in &r.activities {
        let record = record(
            ApprovalStep::Manager,
            Verdict::Approved,
            manager,
            submitted,
            at,
        );
        let e = F::ActivityApproved {
            activity_id: *id,
            amount: usd(*approved),
            record,
        };
        p.log.emit(&stream, manager, at, D::FundRequest(e));
        commitments.push(Settlement {
            activity_id: *id,
            amount: usd(*approved),
        });
    }
    let total = usd(r.activities.iter().map(|a| a.3).sum());
    p.log.emit(
        &stream,
        manager,
        at,
        D::FundRequest(F::FundRequestApproved { commitments, total }),
    );
}

/// Claims `dollars` on `activity`, proof accepted on `accepted`, `paid` dollars paid on `paid_at`.
#[expect(
    clippy::too_many_arguments,
    reason = "a test helper reads best with the whole story in one call"
)]
fn claim_and_pay(
    p: &mut Program,
    id: FundRequestId,
    activity: ActivityId,
    dollars: i64,
    pam: &Actor,
    accepted: &str,
    paid: i64,
    paid_at: &str,
) {
    let stream = id.0.to_string();
    let finance = p.cast.finance.clone();
    let claim = F::ClaimSubmitted {
        activity_id: activity,
        amount: usd(dollars),
        rate: None,
        amount_program: usd(dollars),
    };
    p.log.emit(&stream, pam, accepted, D::FundRequest(claim));
    let proof = F::ProofSubmitted {
        activity_id: activity,
        proof: reason("Photos and attendee list"),
        submitted_by: pam.staff_id,
        submitted_at: t(accepted),
    };
    p.log.emit(&stream, pam, accepted, D::FundRequest(proof));
    let due = t(accepted) + chrono::Duration::days(30);
    let ok = F::ProofAccepted {
        activity_id: activity,
        amount: usd(dollars),
        reviewed_by: staff_ref(&finance),
        comment: None,
        reimbursement_due: due,
    };
    p.log.emit(&stream, &finance, accepted, D::FundRequest(ok));
    let settled = vec![Settlement {
        activity_id: activity,
        amount: usd(paid),
    }];
    let pay = F::PaymentRecorded {
        payment_reference: name("PAY-1"),
        settlements: settled.clone(),
        rate: None,
        settled,
        paid_at: t(paid_at),
    };
    p.log.emit(&stream, &finance, paid_at, D::FundRequest(pay));
}

pub const IRONCLAD_REQUEST: FundRequestId =
    FundRequestId(uuid::uuid!("00000000-0000-7000-8000-00000000b001"));
pub const HARBOR_REQUEST: FundRequestId =
    FundRequestId(uuid::uuid!("00000000-0000-7000-8000-00000000b002"));

pub fn write(p: &mut Program) {
    budget(p);
    let c = &p.cast;
    let (sarah, priya, marcus, otto) = (
        c.sarah.clone(),
        c.priya.clone(),
        c.marcus.clone(),
        c.otto.clone(),
    );
    let (a1, a2, h1) = (ActivityId::new(), ActivityId::new(), ActivityId::new());
    let ironclad = Request {
        id: IRONCLAD_REQUEST,
        partner: p.ironclad,
        partner_name: "Ironclad MSP",
        territory: "Southeast",
        rap: super::rap::IRONCLAD_RAP,
        activities: vec![
            (a1, 10_000, "2026-04-10", 10_000),
            (a2, 6_000, "2026-05-15", 5_000),
        ],
    };
    request(p, &ironclad, &sarah, &priya);
    claim_and_pay(
        p,
        IRONCLAD_REQUEST,
        a1,
        10_000,
        &sarah,
        "2026-04-25T09:00:00Z",
        6_000,
        "2026-05-10T09:00:00Z",
    );
    let harbor = Request {
        id: HARBOR_REQUEST,
        partner: p.harbor,
        partner_name: "Harbor Tech",
        territory: "Mid-Atlantic",
        rap: super::rap::HARBOR_RAP,
        activities: vec![(h1, 2_000, "2026-04-15", 2_000)],
    };
    request(p, &harbor, &marcus, &otto);
    claim_and_pay(
        p,
        HARBOR_REQUEST,
        h1,
        2_000,
        &marcus,
        "2026-04-20T09:00:00Z",
        2_000,
        "2026-05-05T09:00:00Z",
    );
}
