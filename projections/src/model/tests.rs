use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{CompanySize, PartnerEvent, PartnerId, PartnerType, Tier};
use channel_ledger_domain::rap::{RapEvent, RapId, RapTerms};
use channel_ledger_domain::text::Name;
use channel_ledger_domain::{Actor, EffectiveTime, EventMetadata, Role, StaffId, Territory};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::ProgramModel;
use crate::event::{DomainEvent, LedgerEvent};

fn t0() -> DateTime<Utc> {
    "2026-02-14T15:00:00Z".parse().unwrap()
}

fn southeast() -> Territory {
    Territory::parse("Southeast").unwrap()
}

fn manager() -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: "Priya M.".into(),
        role: Role::Manager,
        territory: Some(southeast()),
    }
}

/// The `n`th event of the log, on stream `id`, effective `days` after t0.
fn event(n: i64, id: &str, days: i64, event: DomainEvent) -> LedgerEvent {
    let at = t0() + Duration::days(days);
    LedgerEvent {
        position: n,
        event_id: Uuid::now_v7(),
        aggregate_id: id.to_owned(),
        sequence: n,
        effective_at: at,
        recorded_at: at,
        meta: EventMetadata::new(&manager(), &EffectiveTime::now(at), "test"),
        event,
    }
}

fn registered(partner: PartnerId) -> DomainEvent {
    DomainEvent::Partner(PartnerEvent::PartnerRegistered {
        partner_id: partner,
        name: Name::parse("Ironclad MSP").unwrap(),
        partner_type: PartnerType::Msp,
        territory: southeast(),
        headquarters: Name::parse("Charlotte, NC").unwrap(),
        size: CompanySize::Medium,
        specialization: None,
        tier: Tier::Registered,
    })
}

fn assigned(pam: StaffId, name: &str) -> DomainEvent {
    DomainEvent::Partner(PartnerEvent::PamAssigned {
        pam_id: pam,
        pam_name: name.into(),
        previous_pam_id: None,
    })
}

#[test]
fn a_partner_remembers_when_it_was_registered_and_every_pam_it_had() {
    let partner = PartnerId::new();
    let id = partner.to_string();
    let (sarah, marcus) = (StaffId::new(), StaffId::new());
    let log = [
        event(1, &id, 0, registered(partner)),
        event(2, &id, 10, assigned(sarah, "Sarah K.")),
        event(3, &id, 400, assigned(marcus, "Marcus T.")),
    ];
    let model = ProgramModel::fold(&log);
    let entry = &model.partners[&id];
    assert_eq!(entry.registered_at, Some(t0()));
    let pams: Vec<_> = entry
        .pam_history
        .iter()
        .map(|t| t.pam_name.as_str())
        .collect();
    assert_eq!(pams, ["Sarah K.", "Marcus T."]);
    assert_eq!(entry.pam_history[1].from, t0() + Duration::days(400));
    assert_eq!(entry.partner.profile.as_ref().unwrap().pam, Some(marcus));
    assert_eq!(entry.last_activity.as_ref().unwrap().position, 3);
    assert_eq!(model.position, 3);
}

#[test]
fn a_rap_is_indexed_under_its_partner() {
    let partner = PartnerId::new();
    let rap = RapId(Uuid::now_v7());
    let rap_event = DomainEvent::Rap(RapEvent::RapDrafted {
        rap_id: rap,
        partner_id: partner,
        partner_name: Name::parse("Ironclad MSP").unwrap(),
        territory: southeast(),
        tier: Tier::Platinum,
        period: "FY26 Q2".parse::<FiscalQuarter>().unwrap(),
        title: "Ironclad MSP · Q2 2026".into(),
        terms: RapTerms {
            named_accounts: vec![],
            mdf: Money::usd(2_400_000),
            partner_contribution: Money::usd(2_400_000),
            arr_target: Money::usd(34_000_000),
            partner_expected_revenue: Money::usd(9_600_000),
            mdf_exemption: None,
        },
    });
    let log = [
        event(1, &partner.to_string(), 0, registered(partner)),
        event(2, &rap.to_string(), 1, rap_event),
    ];
    let model = ProgramModel::fold(&log);
    let entry = &model.partners[&partner.to_string()];
    assert!(entry.raps.contains(&rap.to_string()));
    assert_eq!(entry.last_activity.as_ref().unwrap().position, 2);
}

#[test]
fn folding_in_two_halves_serializes_to_the_same_bytes_as_folding_at_once() {
    let partner = PartnerId::new();
    let id = partner.to_string();
    let log = [
        event(1, &id, 0, registered(partner)),
        event(2, &id, 10, assigned(StaffId::new(), "Sarah K.")),
    ];
    let whole = ProgramModel::fold(&log);
    let mut halves = ProgramModel::fold(&log[..1]);
    let restored: ProgramModel =
        serde_json::from_str(&serde_json::to_string(&halves).unwrap()).unwrap();
    halves = restored;
    halves.apply(&log[1]);
    assert_eq!(
        serde_json::to_string(&halves).unwrap(),
        serde_json::to_string(&whole).unwrap()
    );
}
