//! `channel-ledger demo [--seed N]`: a realistic four-year partner program written into an empty
//! ledger through the real command path (issue 5 item 1).
//!
//! Every write is an HTTP request to the in-process router with the acting person's token, so it
//! passes authentication, the role and territory checks as of its effective time, the facts the
//! handlers resolve and the aggregates' own rules — exactly as a client's would. Nothing is
//! inserted with SQL. The first Admin is created as `bootstrap` does, back-dated; everyone else
//! joins through `POST /staff`, back-dated before they act.
//!
//! Deterministic for a seed: every choice comes from a seeded [`StdRng`] and every new record id
//! from a second one injected as the state's [`IdSource`](crate::state::IdSource). Effective
//! times are laid out from midnight UTC of the day it runs (four years back) plus a few fixed
//! dates (the Ironclad MSP RAP approved on 14 February 2026), so two runs on the same day with
//! the same seed write the same events (apart from recorded times, command ids and tokens).

/// The cohort strategies the demo drafts; the bench's generated program drafts the same.
pub(crate) use catalog::STRATEGIES;
mod api;
mod catalog;
mod closed_raps;
mod cohorts;
mod funding;
mod harborview;
mod mdf;
mod partners;
mod qars;
mod raps;
mod staff;

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context};
use channel_ledger_store::Ledger;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::state::{system_clock, AppState};

use self::api::{at, Api};

/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 2026;

const BACKDATE: &str = "demo program: recording the program's history";

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Seed of every choice and id: the same seed writes the same program.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    pub seed: u64,
}

/// A token for one person of the demo program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoToken {
    /// The role on the wire: Admin, Manager, CxO, Finance, Auditor, PAM.
    pub role: String,
    pub name: String,
    pub staff_id: String,
    /// The territory of a Manager or PAM.
    pub territory: Option<String>,
    pub token: String,
}

impl DemoToken {
    /// `role name token`: the role first, the token last, the name between.
    pub fn line(&self) -> String {
        format!("{} {} {}", self.role, self.name, self.token)
    }
}

pub async fn run(database_url: &str, args: DemoArgs) -> anyhow::Result<()> {
    let ledger = Ledger::connect(database_url)
        .await
        .context("could not open the ledger's database")?;
    let state = AppState::new(ledger, system_clock()).await?;
    let tokens = write_program(&state, args.seed).await?;
    for t in &tokens {
        super::print_line(&t.line())?;
    }
    Ok(())
}

/// Writes the demo program into the (empty) ledger of `state` and returns one token per role.
/// Refuses a ledger that already holds events.
pub async fn write_program(state: &AppState, seed: u64) -> anyhow::Result<Vec<DemoToken>> {
    let head = state.ledger.head_position().await?;
    if head > 0 {
        bail!(
            "the ledger is not empty (it holds {head} events): the demo program is only written \
             into an empty ledger; point --database-url at a new database"
        );
    }
    let ids = Arc::new(Mutex::new(StdRng::seed_from_u64(seed ^ 0x1d5_1d5)));
    let state = state.clone().with_ids(Arc::new(move || {
        let bytes: [u8; 16] = ids.lock().expect("id source").random();
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }));
    let today = Utc.from_utc_datetime(&state.now().date_naive().and_time(NaiveTime::MIN));
    let mut demo = Demo {
        api: Api {
            router: crate::app::router(state.clone()),
        },
        state,
        rng: StdRng::seed_from_u64(seed),
        today,
        tokens: Vec::new(),
        budgets: BTreeSet::new(),
    };
    demo.program().await?;
    tracing::info!(
        seed,
        events = demo.state.ledger.head_position().await?,
        "demo program written"
    );
    Ok(demo.tokens)
}

struct Demo {
    api: Api,
    state: AppState,
    rng: StdRng,
    today: DateTime<Utc>,
    tokens: Vec<DemoToken>,
    /// The quarters whose MDF budget is set.
    budgets: BTreeSet<String>,
}

impl Demo {
    fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.today - Duration::days(days)
    }

    fn random_days_ago(&mut self, range: std::ops::Range<i64>) -> DateTime<Utc> {
        let days = self.rng.random_range(range);
        self.days_ago(days)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    async fn program(&mut self) -> anyhow::Result<()> {
        let start = self.days_ago(4 * 365);
        let cast = self.cast(start).await?;
        let (managers, cxo, pams) = (&cast.managers, &cast.cxo, &cast.pams);
        self.cohort_strategies(cxo, &managers[0], start + Duration::days(20))
            .await?;

        let plans = self.partner_plans();
        let mut ids = Vec::with_capacity(plans.len());
        for plan in &plans {
            let id = self.partner(plan, pams, managers).await?;
            ids.push((plan.name.clone(), id));
        }
        let find = |name: &str| -> anyhow::Result<String> {
            ids.iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.clone())
                .with_context(|| format!("demo: no partner {name}"))
        };

        // Tom W. → Nina P. → Omar R. → Priya M., every QAR on file.
        self.harborview(&cast, start).await?;

        // Cascade Group: Longtail Diamond → High-Potential, signed by the Southeast Manager.
        let cascade = find("Cascade Group")?;
        self.api
            .post(
                &format!("/partners/{cascade}/classification"),
                &managers[2].token,
                at(
                    json!({"classification": "HighPotential",
                           "rationale": "Two net-new logos won from its installed base in two quarters; \
                                         ready for enablement and matched MDF"}),
                    self.days_ago(200),
                ),
            )
            .await?;

        // RAPs that ran their course: closed with their named accounts won or lost, MDF paid.
        for rap in &closed_raps::CLOSED_RAPS {
            let partner = find(rap.partner)?;
            self.closed_rap(&partner, rap, &cast).await?;
        }

        // Active RAPs: Ironclad MSP (Sarah) with its MDF drawn, Bridgeline Co. pending (Priya),
        // and the small ones; Granite Consulting's claim has its proof sent back.
        let ironclad = find("Ironclad MSP")?;
        let rap = self
            .ironclad_rap(&ironclad, &pams[0], &managers[0], cxo)
            .await?;
        for funding in funding::ironclad(&ironclad, &rap, self.days_ago(50))? {
            self.fund(&funding, &cast).await?;
        }
        for (name, territory) in [
            ("Summit Networks", 0),
            ("Beacon Data", 0),
            ("Keystone Solutions", 1),
            ("Granite Consulting", 2),
            ("Redwood Digital", 2),
        ] {
            let partner = find(name)?;
            let (rap, active) = self
                .small_rap(&partner, name, &pams[territory], &managers[territory], cxo)
                .await?;
            if name == "Granite Consulting" {
                self.fund(&funding::granite(&partner, &rap, active), &cast)
                    .await?;
            }
        }
        let bridgeline = find("Bridgeline Co.")?;
        self.bridgeline_proposal(&bridgeline, &pams[2]).await?;

        // NovaTech Inc.'s MDF exemption: signed by the Mid-Atlantic Manager, waiting for the CxO.
        let novatech = find("NovaTech Inc.")?;
        self.novatech_exemption(&novatech, &pams[1], &managers[1], cxo)
            .await?;
        Ok(())
    }
}

/// The fiscal quarter (January fiscal year) of `t`, e.g. "FY26 Q2".
fn fiscal_quarter(t: DateTime<Utc>) -> String {
    format!("FY{:02} Q{}", t.year() % 100, (t.month0() / 3) + 1)
}

fn quarter_start(t: DateTime<Utc>) -> DateTime<Utc> {
    let month = (t.month0() / 3) * 3 + 1;
    Utc.with_ymd_and_hms(t.year(), month, 1, 0, 0, 0)
        .single()
        .unwrap_or(t)
}
