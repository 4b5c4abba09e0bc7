//! Commands through the real path: cqrs-es loads the partner from its events, the aggregate
//! decides, the repository appends and waits for the global position.
//!
//! Each writer works on its own partners (so the figure is throughput, not conflicts): it
//! registers a partner, then changes its tier nine times, then starts on the next one, which
//! keeps streams short as they are in a real program.

use std::time::{Duration, Instant};

use channel_ledger_domain::partner::{
    permission_for, CompanySize, Partner, PartnerCommand, PartnerId, PartnerType, Tier,
};
use channel_ledger_domain::text::{Name, Reason};
use channel_ledger_domain::{
    Actor, Authored, EffectiveTime, EventMetadata, Role, StaffId, Territory,
};
use channel_ledger_store::Ledger;
use chrono::Utc;
use cqrs_es::CqrsFramework;

const COMMANDS_PER_PARTNER: usize = 10;

pub async fn run(ledger: &Ledger, writers: usize, commands: usize) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..writers {
        let ledger = ledger.clone();
        let share = commands / writers + usize::from(w < commands % writers);
        tasks.spawn(async move { writer(ledger, share).await });
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(started.elapsed())
}

async fn writer(ledger: Ledger, commands: usize) -> anyhow::Result<()> {
    let cqrs = CqrsFramework::new(ledger.event_store::<Partner>(), vec![], ());
    let actor = Actor {
        staff_id: StaffId::new(),
        name: "Bench CxO".into(),
        role: Role::Cxo,
        territory: None,
    };
    let mut partner = PartnerId::new();
    for i in 0..commands {
        let command = if i % COMMANDS_PER_PARTNER == 0 {
            partner = PartnerId::new();
            register(partner)?
        } else {
            PartnerCommand::ChangeTier {
                tier: if i % 2 == 0 { Tier::Gold } else { Tier::Silver },
                evidence: Reason::parse("bench")?,
            }
        };
        let at = EffectiveTime::now(Utc::now());
        let meta = EventMetadata::new(&actor, &at, permission_for(&command).authority(&actor));
        cqrs.execute_with_metadata(
            &partner.to_string(),
            Authored::new(actor.clone(), at.at(), command),
            meta.to_map(),
        )
        .await?;
    }
    Ok(())
}

fn register(partner_id: PartnerId) -> anyhow::Result<PartnerCommand> {
    Ok(PartnerCommand::Register {
        partner_id,
        name: Name::parse("Bench Partner")?,
        partner_type: PartnerType::Msp,
        territory: Territory::parse("Southeast")?,
        headquarters: Name::parse("Atlanta, GA")?,
        size: CompanySize::Small,
        specialization: None,
    })
}
