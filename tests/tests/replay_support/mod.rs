//! Writing a small program through the real command path, with effective times the test picks,
//! and computing "as of" independently of `replay/` from the raw global log.

#![allow(dead_code)]

use channel_ledger_domain::partner::{
    permission_for, Classification, CompanySize, PamCandidate, Partner, PartnerCommand, PartnerId,
    PartnerType, Tier,
};
use channel_ledger_domain::staff::{Staff, StaffCommand};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{Actor, Authored, Decision, EventMetadata, Role, StaffId, Territory};
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_replay::Axis;
use channel_ledger_store::{Ledger, LedgerRepository};
use chrono::{DateTime, Duration, TimeZone, Utc};
use cqrs_es::persist::PersistedEventStore;
use cqrs_es::CqrsFramework;

pub const TERRITORY: &str = "Southeast";

/// Runs a test's async body on a runtime of its own (proptest bodies are synchronous).
pub fn block_on(f: impl std::future::Future<Output = ()>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f);
}

pub fn day(n: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
}

fn actor(role: Role) -> Actor {
    Actor {
        staff_id: StaffId::new(),
        name: format!("Test {role:?}"),
        role,
        territory: None,
    }
}

fn metadata(actor: &Actor, at: DateTime<Utc>, authority: String) -> EventMetadata {
    let mut meta = EventMetadata::new(
        actor,
        &channel_ledger_domain::EffectiveTime::now(Utc::now()),
        authority,
    );
    // Back-dating at will: the store takes the effective time from the metadata.
    meta.effective_at = at;
    meta.backdate_reason = Some("test history".into());
    meta
}

/// Drives partners and staff through cqrs-es over the ledger's event store.
pub struct Program {
    partners: CqrsFramework<Partner, PersistedEventStore<LedgerRepository, Partner>>,
    staff: CqrsFramework<Staff, PersistedEventStore<LedgerRepository, Staff>>,
    cxo: Actor,
    admin: Actor,
}

impl Program {
    pub fn new(ledger: &Ledger) -> Self {
        Self {
            partners: CqrsFramework::new(ledger.event_store::<Partner>(), vec![], ()),
            staff: CqrsFramework::new(ledger.event_store::<Staff>(), vec![], ()),
            cxo: actor(Role::Cxo),
            admin: actor(Role::Admin),
        }
    }

    /// Runs a partner command effective at `at`; `false` when the aggregate refused it.
    pub async fn partner(&self, id: PartnerId, at: DateTime<Utc>, command: PartnerCommand) -> bool {
        let meta = metadata(&self.cxo, at, permission_for(&command).authority(&self.cxo));
        self.partners
            .execute_with_metadata(
                &id.to_string(),
                Authored::new(self.cxo.clone(), at, command),
                meta.to_map(),
            )
            .await
            .is_ok()
    }

    pub async fn register(&self, id: PartnerId, at: DateTime<Utc>) -> bool {
        let command = PartnerCommand::Register {
            partner_id: id,
            name: Name::parse("Ironclad MSP").unwrap(),
            partner_type: PartnerType::Msp,
            territory: Territory::parse(TERRITORY).unwrap(),
            headquarters: Name::parse("Atlanta, GA").unwrap(),
            size: CompanySize::Small,
            specialization: None,
        };
        self.partner(id, at, command).await
    }

    pub async fn change_tier(&self, id: PartnerId, at: DateTime<Utc>, tier: Tier) -> bool {
        let evidence = Reason::parse("test evidence").unwrap();
        self.partner(id, at, PartnerCommand::ChangeTier { tier, evidence })
            .await
    }

    pub async fn reclassify(&self, id: PartnerId, at: DateTime<Utc>, to: Classification) -> bool {
        let rationale = Reason::parse("test rationale").unwrap();
        self.partner(id, at, PartnerCommand::Reclassify { to, rationale })
            .await
    }

    /// A PAM of the test territory joins the staff directory.
    pub async fn hire_pam(&self, pam: StaffId, at: DateTime<Utc>) -> bool {
        let command = StaffCommand::Join {
            staff_id: pam,
            name: Name::parse("Priya M.").unwrap(),
            role: Role::Pam,
            territory: Some(Territory::parse(TERRITORY).unwrap()),
        };
        let meta = metadata(&self.admin, at, command.permission().authority(&self.admin));
        self.staff
            .execute_with_metadata(
                &pam.to_string(),
                Authored::new(self.admin.clone(), at, command),
                meta.to_map(),
            )
            .await
            .is_ok()
    }

    pub async fn assign_pam(&self, id: PartnerId, at: DateTime<Utc>, pam: StaffId) -> bool {
        let pam = PamCandidate {
            staff_id: pam,
            name: "Priya M.".into(),
            role: Role::Pam,
            territory: Some(Territory::parse(TERRITORY).unwrap()),
            active: true,
        };
        self.partner(id, at, PartnerCommand::AssignPam { pam })
            .await
    }
}

/// The whole log, decoded, in position order, read page by page.
pub async fn whole_log(ledger: &Ledger) -> Vec<LedgerEvent> {
    let mut out = Vec::new();
    loop {
        let after = out.last().map_or(0, |e: &LedgerEvent| e.position);
        let page = ledger.read_global(after, 7).await.unwrap();
        if page.is_empty() {
            return out;
        }
        out.extend(page.iter().map(|r| LedgerEvent::try_from(r).unwrap()));
    }
}

/// The model from only the events up to `t` on `axis`, computed without `replay/`.
pub fn expected(log: &[LedgerEvent], axis: Axis, t: DateTime<Utc>) -> ProgramModel {
    let mut kept: Vec<&LedgerEvent> = match axis {
        Axis::Recorded => log.iter().filter(|e| e.recorded_at <= t).collect(),
        Axis::Effective => log.iter().filter(|e| e.effective_at <= t).collect(),
    };
    if axis == Axis::Effective {
        // A stable sort of a position-ordered list: ties stay in position order.
        kept.sort_by_key(|e| e.effective_at);
    }
    let mut model = ProgramModel::fold(kept.iter().copied());
    model.position = kept.iter().map(|e| e.position).max().unwrap_or(0);
    model
}

/// A reclassification recorded last but effective between registration and a tier change:
/// the recorded axis before it was recorded does not see it, the effective axis does.
pub async fn back_dated_correction_scenario(ledger: &Ledger) {
    use channel_ledger_replay::{partner_as_of, program_as_of};
    let program = Program::new(ledger);
    let p = PartnerId::new();
    assert!(program.register(p, day(0)).await);
    assert!(program.change_tier(p, day(59), Tier::Gold).await);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let between = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    assert!(
        program
            .reclassify(p, day(31), Classification::Champion)
            .await
    );

    let id = p.to_string();
    let profile = |m: &ProgramModel| m.partners[&id].partner.profile.clone().unwrap();
    let known = program_as_of(ledger, Axis::Recorded, between)
        .await
        .unwrap();
    assert_eq!(profile(&known).classification, None);
    assert_eq!(profile(&known).tier, Tier::Gold);

    let mid_feb = day(45);
    let true_then = program_as_of(ledger, Axis::Effective, mid_feb)
        .await
        .unwrap();
    assert_eq!(
        profile(&true_then).classification,
        Some(Classification::Champion)
    );
    assert_eq!(profile(&true_then).tier, Tier::Registered);

    let now = ProgramModel::fold(&whole_log(ledger).await);
    let partner = partner_as_of(ledger, &now, &id, Axis::Effective, mid_feb)
        .await
        .unwrap();
    assert_eq!(partner.model.partners[&id], true_then.partners[&id]);
    assert_eq!(
        partner.events.len(),
        2,
        "registration and the back-dated correction"
    );
    let partner = partner_as_of(ledger, &now, &id, Axis::Recorded, between)
        .await
        .unwrap();
    assert_eq!(partner.model.partners[&id], known.partners[&id]);
    assert_eq!(partner.events.len(), 2, "registration and the tier change");
}
