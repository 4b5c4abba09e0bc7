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

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use anyhow::{bail, Context};
use axum::body::Body;
use axum::http::{Method, Request};
use axum::Router;
use channel_ledger_domain::text::Name;
use channel_ledger_domain::EffectiveTime;
use channel_ledger_store::Ledger;
use chrono::{DateTime, Datelike, Duration, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::state::{system_clock, AppState};

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
    };
    demo.program().await?;
    tracing::info!(
        seed,
        events = demo.state.ledger.head_position().await?,
        "demo program written"
    );
    Ok(demo.tokens)
}

/// The in-process API, called with a person's token.
struct Api {
    router: Router,
}

impl Api {
    async fn call(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> anyhow::Result<Value> {
        let mut request = Request::builder()
            .method(method.clone())
            .uri(format!("/api/v1{path}"))
            .header("authorization", format!("Bearer {token}"));
        let body = match body {
            Some(b) => {
                request = request.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body)?).await?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            bail!(
                "demo: {method} {path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> anyhow::Result<Value> {
        self.call(Method::POST, path, token, Some(body)).await
    }

    async fn get(&self, path: &str, token: &str) -> anyhow::Result<Value> {
        self.call(Method::GET, path, token, None).await
    }
}

/// A member of staff with a token.
#[derive(Debug, Clone)]
struct Person {
    id: String,
    token: String,
}

/// What a partner's QAR cadence looks like today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QarToday {
    /// The last QAR was completed recently; the next is not yet due nor opened.
    Current,
    /// The next QAR is opened and not yet due.
    Open,
    /// The next QAR's due date passed `days` ago; not opened.
    Overdue(i64),
}

struct Demo {
    api: Api,
    state: AppState,
    rng: StdRng,
    today: DateTime<Utc>,
    tokens: Vec<DemoToken>,
}

/// `body` with the back-dated effective time `at`.
fn at(mut body: Value, t: DateTime<Utc>) -> Value {
    body["effective_at"] = json!(t.to_rfc3339());
    body["backdate_reason"] = json!(BACKDATE);
    body
}

fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

fn id_of(v: &Value) -> anyhow::Result<String> {
    v["id"]
        .as_str()
        .map(str::to_owned)
        .context("demo: a command answered without an id")
}

const TERRITORIES: [&str; 3] = ["Pacific Northwest", "Mid-Atlantic", "Southeast"];
const TYPES: [&str; 7] = [
    "Reseller",
    "MSP",
    "SystemIntegrator",
    "Distributor",
    "OEM",
    "Technology",
    "Referral",
];
const TIERS: [&str; 4] = ["Registered", "Silver", "Gold", "Platinum"];
const CLASSES: [&str; 6] = [
    "Champion",
    "Farmer",
    "Longtail",
    "LongtailDiamond",
    "HighPotential",
    "Zombie",
];
const SIZES: [&str; 6] = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
const SPECIALIZATIONS: [&str; 7] = [
    "Healthcare",
    "Financial services",
    "Managed security",
    "Manufacturing",
    "Public sector",
    "Retail",
    "Logistics",
];
const CITIES: [[&str; 5]; 3] = [
    [
        "Seattle, WA",
        "Portland, OR",
        "Boise, ID",
        "Spokane, WA",
        "Tacoma, WA",
    ],
    [
        "Philadelphia, PA",
        "Baltimore, MD",
        "Arlington, VA",
        "Newark, NJ",
        "Wilmington, DE",
    ],
    [
        "Atlanta, GA",
        "Charlotte, NC",
        "Nashville, TN",
        "Orlando, FL",
        "Raleigh, NC",
    ],
];
const NAME_HEADS: [&str; 28] = [
    "Summit",
    "Northwind",
    "Bluewater",
    "Keystone",
    "Redwood",
    "Granite",
    "Beacon",
    "Evergreen",
    "Silverline",
    "Apex",
    "Lakeside",
    "Pinnacle",
    "Crescent",
    "Ironwood",
    "Copperleaf",
    "Brightpath",
    "Stonebridge",
    "Westfield",
    "Falcon",
    "Orchard",
    "Riverbend",
    "Trident",
    "Vantage",
    "Clearwater",
    "Sterling",
    "Horizon",
    "Cobalt",
    "Juniper",
];
const NAME_TAILS: [&str; 10] = [
    "Systems",
    "Networks",
    "Solutions",
    "Technologies",
    "IT",
    "Partners",
    "Consulting",
    "Digital",
    "Cloud",
    "Data",
];

/// The cohort strategy of each classification (intent, two plays).
/// A cohort strategy: classification, intent and two plays (title, description).
type Strategy = (
    &'static str,
    &'static str,
    [(&'static str, &'static str); 2],
);

const STRATEGIES: [Strategy; 6] = [
    ("Champion", "Protect and extend: co-invest in the partners that already win net-new logos for us",
        [("Joint account planning", "Quarterly named-account planning with the partner's sales leaders"),
         ("Executive sponsor", "A CxO sponsor and a yearly executive business review")]),
    ("Farmer", "Reactivate net-new motion through RAP co-investment with named accounts from their existing base",
        [("Installed-base mining", "Pick three named accounts from the partner's existing customers"),
         ("RAP co-investment", "Fund the first quarter of the motion with matched MDF")]),
    ("Longtail", "Keep the cost to serve low and watch for the few with hidden net-new potential",
        [("Digital enablement", "Self-serve training and pooled webinars"),
         ("Diamond watch", "Flag any longtail partner with a won named account")]),
    ("LongtailDiamond", "Turn a proven hidden gem into a repeatable motion before competitors notice",
        [("First RAP", "Offer a small RAP with two named accounts"),
         ("PAM attention", "Move the partner into a PAM's active portfolio")]),
    ("HighPotential", "Accelerate: give the partners with the right base the enablement and MDF to prove it",
        [("Certification sprint", "Certify two engineers in the first quarter"),
         ("Co-marketing", "Matched MDF for one healthcare or financial-services campaign")]),
    ("Zombie", "Decide within two quarters: revive with a concrete plan or offboard",
        [("Revival call", "One call with the partner's owner to agree a 90-day plan"),
         ("Offboarding review", "Offboard if nothing moved by the next QAR")]),
];

/// One partner to register.
struct PartnerPlan {
    name: String,
    partner_type: &'static str,
    territory: usize,
    /// Index into the PAMs (0 Sarah, 1 Marcus, 2 Priya).
    pam: usize,
    tier: &'static str,
    classification: &'static str,
    specialization: &'static str,
    registered: DateTime<Utc>,
    qar: QarToday,
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
        // The first Admin, as `bootstrap` makes them, back-dated before everyone else.
        let (admin_id, issued) = super::bootstrap::first_admin_at(
            &self.state,
            Name::parse("Ada Admin")?,
            EffectiveTime::new(
                Some(start - Duration::days(2)),
                Some(BACKDATE),
                self.state.now(),
            )?,
            "first Admin of the demo program",
        )
        .await?;
        let admin = Person {
            id: admin_id.to_string(),
            token: issued.token,
        };
        self.record("Admin", "Ada Admin", &admin, None);

        let joined = start - Duration::days(1);
        let managers = [
            self.hire(&admin, "Elena Ruiz", "Manager", Some(0), joined, true)
                .await?,
            self.hire(&admin, "David Lin", "Manager", Some(1), joined, true)
                .await?,
            self.hire(&admin, "Grace Holt", "Manager", Some(2), joined, true)
                .await?,
        ];
        let cxo = self
            .hire(&admin, "Jordan Blake", "CxO", None, joined, true)
            .await?;
        self.hire(&admin, "Femi Okafor", "Finance", None, joined, true)
            .await?;
        self.hire(&admin, "Ari Stone", "Auditor", None, joined, true)
            .await?;
        let pams = [
            self.hire(&admin, "Sarah K.", "PAM", Some(0), start, true)
                .await?,
            self.hire(&admin, "Marcus T.", "PAM", Some(1), start, true)
                .await?,
            self.hire(&admin, "Priya M.", "PAM", Some(2), start, true)
                .await?,
        ];
        // Two Southeast PAMs who later left; their partners passed on to the next PAM.
        let tom = self
            .hire(&admin, "Tom W.", "PAM", Some(2), start, false)
            .await?;
        let nina = self
            .hire(
                &admin,
                "Nina P.",
                "PAM",
                Some(2),
                start + Duration::days(300),
                false,
            )
            .await?;

        self.cohort_strategies(&cxo, &managers[0], start + Duration::days(20))
            .await?;

        let plans = self.partner_plans();
        let mut ids = Vec::with_capacity(plans.len());
        for plan in &plans {
            let id = self.partner(plan, &pams, &managers).await?;
            ids.push((plan.name.clone(), id));
        }
        let find = |name: &str| -> anyhow::Result<String> {
            ids.iter()
                .find(|(n, _)| n == name)
                .map(|(_, id)| id.clone())
                .with_context(|| format!("demo: no partner {name}"))
        };

        // A Southeast partner that passed from Tom W. to Nina P. to Priya M., every QAR on file.
        self.harborview(&pams[2], &tom, &nina, &managers[2], &admin, start)
            .await?;

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

        // RAPs: Ironclad MSP (Sarah), Bridgeline Co. pending (Priya), and the other active ones.
        let ironclad = find("Ironclad MSP")?;
        self.ironclad_rap(&ironclad, &pams[0], &managers[0], &cxo)
            .await?;
        for (name, pam, manager) in [
            ("Summit Networks", 0, 0),
            ("Beacon Data", 0, 0),
            ("Keystone Solutions", 1, 1),
            ("Granite Consulting", 2, 2),
            ("Redwood Digital", 2, 2),
        ] {
            let partner = find(name)?;
            self.small_rap(&partner, name, &pams[pam], &managers[manager], &cxo)
                .await?;
        }
        let bridgeline = find("Bridgeline Co.")?;
        self.bridgeline_proposal(&bridgeline, &pams[2]).await?;

        // NovaTech Inc.'s MDF exemption: signed by the Mid-Atlantic Manager, waiting for the CxO.
        let novatech = find("NovaTech Inc.")?;
        self.novatech_exemption(&novatech, &pams[1], &managers[1], &cxo)
            .await?;
        Ok(())
    }

    fn record(&mut self, role: &str, name: &str, person: &Person, territory: Option<usize>) {
        self.tokens.push(DemoToken {
            role: role.to_owned(),
            name: name.to_owned(),
            staff_id: person.id.clone(),
            territory: territory.map(|t| TERRITORIES[t].to_owned()),
            token: person.token.clone(),
        });
    }

    /// Registers a member of staff as the Admin, back-dated to `joined`, and issues a token
    /// (listed among the demo's tokens when `listed`).
    async fn hire(
        &mut self,
        admin: &Person,
        name: &str,
        role: &str,
        territory: Option<usize>,
        joined: DateTime<Utc>,
        listed: bool,
    ) -> anyhow::Result<Person> {
        let mut body = json!({"name": name, "role": role});
        if let Some(t) = territory {
            body["territory"] = json!(TERRITORIES[t]);
        }
        let r = self
            .api
            .post("/staff", &admin.token, at(body, joined))
            .await?;
        let id = id_of(&r)?;
        let t = self
            .api
            .post(
                &format!("/staff/{id}/tokens"),
                &admin.token,
                json!({"label": "demo"}),
            )
            .await?;
        let person = Person {
            id,
            token: t["token"]
                .as_str()
                .context("demo: no token issued")?
                .to_owned(),
        };
        if listed {
            self.record(role, name, &person, territory);
        }
        Ok(person)
    }

    /// A strategy for every classification, drafted by the CxO and approved by a Manager.
    async fn cohort_strategies(
        &mut self,
        cxo: &Person,
        manager: &Person,
        when: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        for (classification, intent, plays) in STRATEGIES {
            let plays: Vec<Value> = plays
                .iter()
                .map(|(title, description)| json!({"title": title, "description": description}))
                .collect();
            self.api
                .post(
                    &format!("/cohort-strategies/{classification}"),
                    &cxo.token,
                    at(json!({"intent": intent, "plays": plays}), when),
                )
                .await?;
            self.api
                .post(
                    &format!("/cohort-strategies/{classification}/versions/1/approve"),
                    &manager.token,
                    at(
                        json!({"comment": "Agreed for the program"}),
                        when + Duration::days(2),
                    ),
                )
                .await?;
        }
        Ok(())
    }

    /// The partners of the three PAMs: the named ones of the issue plus generated ones, spread
    /// over every type, tier and classification, with their QAR state today.
    fn partner_plans(&mut self) -> Vec<PartnerPlan> {
        // (PAM, partners, open QARs, overdue QARs): the figures of issue 5 (Priya M.'s fifteenth
        // partner is Harborview Systems, inherited from the PAMs who left).
        let quotas = [
            (0usize, 18usize, 6usize, 1usize),
            (1, 22, 4, 5),
            (2, 14, 7, 0),
        ];
        let named: [(&str, usize, &str, &str, &str, &str); 11] = [
            (
                "Ironclad MSP",
                0,
                "MSP",
                "Platinum",
                "Champion",
                "Managed security",
            ),
            (
                "Summit Networks",
                0,
                "Reseller",
                "Gold",
                "Farmer",
                "Manufacturing",
            ),
            (
                "Beacon Data",
                0,
                "SystemIntegrator",
                "Platinum",
                "Champion",
                "Financial services",
            ),
            (
                "NovaTech Inc.",
                1,
                "Technology",
                "Gold",
                "HighPotential",
                "Healthcare",
            ),
            (
                "Keystone Solutions",
                1,
                "MSP",
                "Gold",
                "Farmer",
                "Public sector",
            ),
            (
                "Cascade Group",
                2,
                "SystemIntegrator",
                "Silver",
                "LongtailDiamond",
                "Healthcare",
            ),
            (
                "Bridgeline Co.",
                2,
                "Reseller",
                "Platinum",
                "Farmer",
                "Healthcare",
            ),
            (
                "Granite Consulting",
                2,
                "SystemIntegrator",
                "Gold",
                "HighPotential",
                "Retail",
            ),
            (
                "Redwood Digital",
                2,
                "MSP",
                "Platinum",
                "Champion",
                "Logistics",
            ),
            (
                "Crescent Cloud",
                0,
                "Distributor",
                "Silver",
                "Zombie",
                "Retail",
            ),
            (
                "Orchard IT",
                1,
                "Referral",
                "Registered",
                "Longtail",
                "Public sector",
            ),
        ];
        let mut used: HashSet<String> = named.iter().map(|n| n.0.to_owned()).collect();
        let mut plans = Vec::new();
        for (pam, count, open, overdue) in quotas {
            let mine: Vec<_> = named.iter().filter(|n| n.1 == pam).collect();
            for i in 0..count {
                let (name, partner_type, tier, classification, specialization) = match mine.get(i) {
                    Some(n) => (n.0.to_owned(), n.2, n.3, n.4, n.5),
                    None => {
                        let name = loop {
                            let name =
                                format!("{} {}", self.pick(&NAME_HEADS), self.pick(&NAME_TAILS));
                            if used.insert(name.clone()) {
                                break name;
                            }
                        };
                        let k = plans.len() + i;
                        (
                            name,
                            TYPES[k % TYPES.len()],
                            TIERS[self.rng.random_range(0..TIERS.len())],
                            CLASSES[(k + pam) % CLASSES.len()],
                            self.pick(&SPECIALIZATIONS),
                        )
                    }
                };
                // The first `overdue` generated partners are late, the next `open` have their
                // QAR open; the named ones (with RAPs) keep their cadence.
                let g = i.saturating_sub(mine.len());
                let qar = if i < mine.len() {
                    QarToday::Current
                } else if g < overdue {
                    // One of Marcus's is more than 30 days late.
                    QarToday::Overdue(if g == 0 && overdue > 1 {
                        41
                    } else {
                        3 + 4 * g as i64
                    })
                } else if g < overdue + open {
                    QarToday::Open
                } else {
                    QarToday::Current
                };
                let registered = self.random_days_ago(300..1400);
                plans.push(PartnerPlan {
                    name,
                    partner_type,
                    territory: pam,
                    pam,
                    tier,
                    classification,
                    specialization,
                    registered,
                    qar,
                });
            }
        }
        // Cascade Group was registered early enough to have been Longtail Diamond for years.
        for p in &mut plans {
            if p.name == "Cascade Group" {
                p.registered = self.days_ago(1100);
            }
        }
        plans
    }

    /// Registers the partner as its PAM, sets its tier, has the Manager assign the PAM and
    /// classify it, then runs its QARs; returns its id.
    async fn partner(
        &mut self,
        plan: &PartnerPlan,
        pams: &[Person; 3],
        managers: &[Person; 3],
    ) -> anyhow::Result<String> {
        let pam = &pams[plan.pam];
        let manager = &managers[plan.territory];
        let t = plan.registered;
        let city = self.pick(&CITIES[plan.territory]);
        let size = self.pick(&SIZES);
        let r = self
            .api
            .post(
                "/partners",
                &pam.token,
                at(
                    json!({"name": plan.name, "partner_type": plan.partner_type,
                           "territory": TERRITORIES[plan.territory], "headquarters": city,
                           "size": size, "specialization": plan.specialization}),
                    t,
                ),
            )
            .await?;
        let id = id_of(&r)?;
        if plan.tier != "Registered" {
            self.api
                .post(
                    &format!("/partners/{id}/tier"),
                    &pam.token,
                    at(
                        json!({"tier": plan.tier, "evidence": "signed the tier agreement"}),
                        t + Duration::hours(2),
                    ),
                )
                .await?;
        }
        self.api
            .post(
                &format!("/partners/{id}/pam"),
                &manager.token,
                at(json!({"pam_id": pam.id}), t + Duration::hours(3)),
            )
            .await?;
        self.api
            .post(
                &format!("/partners/{id}/classification"),
                &manager.token,
                at(
                    json!({"classification": plan.classification,
                           "rationale": "initial classification after the onboarding review"}),
                    t + Duration::days(2),
                ),
            )
            .await?;
        self.qars(&id, &pam.token, t, plan.qar, 540).await?;
        Ok(id)
    }

    /// Runs the partner's QAR cadence: completed QARs every ~88 days over at most the last
    /// `window` days (the first one 85 days after `assigned`), ending in the state `today`.
    async fn qars(
        &mut self,
        id: &str,
        token: &str,
        assigned: DateTime<Utc>,
        today: QarToday,
        window: i64,
    ) -> anyhow::Result<()> {
        let last = match today {
            QarToday::Current => self.random_days_ago(10..60),
            QarToday::Open => self.random_days_ago(65..85),
            QarToday::Overdue(late) => self.days_ago(90 + late),
        };
        let earliest = (assigned + Duration::days(85)).max(self.days_ago(window));
        let mut completions = Vec::new();
        let mut c = last;
        while c >= earliest {
            completions.push(c);
            c -= Duration::days(88);
        }
        completions.reverse();
        for c in completions {
            self.qar(id, token, c).await?;
        }
        if today == QarToday::Open {
            let opened = self.random_days_ago(1..5);
            self.api
                .post(
                    &format!("/partners/{id}/qars/open"),
                    token,
                    at(json!({}), opened),
                )
                .await?;
        }
        Ok(())
    }

    /// One QAR completed at `done`: opened three days before, the last plan reviewed, the
    /// discussion recorded, a new plan locked.
    async fn qar(&mut self, id: &str, token: &str, done: DateTime<Utc>) -> anyhow::Result<()> {
        let base = format!("/partners/{id}/qars");
        let opened = done - Duration::days(3);
        self.api
            .post(&format!("{base}/open"), token, at(json!({}), opened))
            .await?;
        let overview = self.api.get(&base, token).await?;
        let pending: Vec<u64> = overview["under_review"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter(|c| c["review"].is_null())
                    .filter_map(|c| c["id"].as_u64())
                    .collect()
            })
            .unwrap_or_default();
        for n in pending {
            let outcome = if self.rng.random_bool(0.8) {
                "Delivered"
            } else {
                "Missed"
            };
            self.api
                .post(
                    &format!("{base}/current/commitments/{n}/review"),
                    token,
                    at(
                        json!({"outcome": outcome, "note": "reviewed with the partner"}),
                        opened + Duration::hours(1),
                    ),
                )
                .await?;
        }
        let (discussed, agreed) = self.pick(&[
            (
                "Pipeline in the mid-market",
                "Two joint webinars for existing customers",
            ),
            (
                "Renewals due next quarter",
                "Cross-sell the security add-on to the top ten accounts",
            ),
            ("Certification gaps", "Certify two more engineers"),
            (
                "Named accounts from their base",
                "Qualify three named accounts for a RAP",
            ),
        ]);
        self.api
            .post(
                &format!("{base}/current/discussion"),
                token,
                at(json!({"discussed": discussed, "agreed": agreed, "why": "their installed base fits our ICP"}),
                    done - Duration::days(1)),
            )
            .await?;
        self.api
            .post(
                &format!("{base}/current/plan"),
                token,
                at(
                    json!({"commitments": [{"description": agreed, "owner": "partner sales lead",
                                             "due_at": (done + Duration::days(60)).to_rfc3339()}]}),
                    done - Duration::days(1) + Duration::hours(1),
                ),
            )
            .await?;
        self.api
            .post(
                &format!("{base}/current/complete"),
                token,
                at(json!({}), done),
            )
            .await?;
        Ok(())
    }

    /// Harborview Systems: Southeast, registered by Tom W. four years ago, passed to Nina P. and
    /// then to Priya M. as each PAM left, with every QAR on file.
    async fn harborview(
        &mut self,
        priya: &Person,
        tom: &Person,
        nina: &Person,
        manager: &Person,
        admin: &Person,
        start: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let t = start + Duration::days(10);
        let r = self
            .api
            .post(
                "/partners",
                &tom.token,
                at(
                    json!({"name": "Harborview Systems", "partner_type": "Reseller", "territory": "Southeast",
                           "headquarters": "Savannah, GA", "size": "51-200", "specialization": "Healthcare"}),
                    t,
                ),
            )
            .await?;
        let id = id_of(&r)?;
        let assign = |pam: &Person, when: DateTime<Utc>| {
            (
                format!("/partners/{id}/pam"),
                at(json!({"pam_id": pam.id}), when),
            )
        };
        let (path, body) = assign(tom, t + Duration::hours(1));
        self.api.post(&path, &manager.token, body).await?;
        self.api
            .post(
                &format!("/partners/{id}/classification"),
                &manager.token,
                at(json!({"classification": "Farmer", "rationale": "steady renewals, no net-new logos"}), t + Duration::days(2)),
            )
            .await?;
        let to_nina = self.days_ago(1000);
        let to_priya = self.days_ago(500);
        // Every QAR from the first, each by the Manager of the territory (a PAM who left holds
        // no token any more).
        let mut c = t + Duration::days(85);
        let last = self.days_ago(30);
        while c <= last {
            self.qar(&id, &manager.token, c).await?;
            if c < to_nina && c + Duration::days(88) >= to_nina {
                let (path, body) = assign(nina, to_nina);
                self.api.post(&path, &manager.token, body).await?;
                self.api
                    .post(
                        &format!("/staff/{}/leave", tom.id),
                        &admin.token,
                        at(
                            json!({"reason": "left the company"}),
                            to_nina + Duration::days(1),
                        ),
                    )
                    .await?;
            }
            if c < to_priya && c + Duration::days(88) >= to_priya {
                let (path, body) = assign(priya, to_priya);
                self.api.post(&path, &manager.token, body).await?;
                self.api
                    .post(
                        &format!("/staff/{}/leave", nina.id),
                        &admin.token,
                        at(
                            json!({"reason": "moved to another company"}),
                            to_priya + Duration::days(1),
                        ),
                    )
                    .await?;
            }
            c += Duration::days(88);
        }
        Ok(())
    }

    /// The RAP of design.md §2, approved on 14 February 2026 by the Manager and the CxO.
    async fn ironclad_rap(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<()> {
        let day = |d: u32, h: u32| {
            Utc.with_ymd_and_hms(2026, 2, d, h, 0, 0)
                .single()
                .context("date")
        };
        let terms = json!({
            "named_accounts": [
                {"name": "Fortis Financial Group", "domain": "fortisfinancial.com"},
                {"name": "Meridian Healthcare", "domain": "meridianhealthcare.com"},
                {"name": "ClearBridge Logistics", "domain": "clearbridgelogistics.com"},
            ],
            "mdf": usd(24_000),
            "partner_contribution": usd(24_000),
            "arr_target": usd(340_000),
            "partner_expected_revenue": usd(96_000),
            "mdf_exemption": "Platinum MSP with three qualified named accounts in regulated industries; \
                              the co-investment above the tier cap is matched dollar for dollar",
        });
        let r = self
            .api
            .post(
                &format!("/partners/{partner}/raps"),
                &pam.token,
                at(json!({"period": "FY26 Q2", "terms": terms}), day(9, 10)?),
            )
            .await?;
        let rap = id_of(&r)?;
        self.api
            .post(
                &format!("/raps/{rap}/submit"),
                &pam.token,
                at(json!({}), day(10, 9)?),
            )
            .await?;
        self.api
            .post(&format!("/raps/{rap}/approve"), &manager.token,
                at(json!({"step": "Manager", "comment": "Named accounts verified with the partner"}), day(14, 10)?))
            .await?;
        self.api
            .post(
                &format!("/raps/{rap}/approve"),
                &cxo.token,
                at(
                    json!({"step": "CxO", "comment": "Approved with the MDF exemption"}),
                    day(14, 16)?,
                ),
            )
            .await?;
        let advance = [
            (
                "meridianhealthcare.com",
                "Qualified",
                Utc.with_ymd_and_hms(2026, 4, 20, 10, 0, 0),
            ),
            (
                "fortisfinancial.com",
                "Qualified",
                Utc.with_ymd_and_hms(2026, 4, 8, 10, 0, 0),
            ),
            (
                "fortisfinancial.com",
                "InProgress",
                Utc.with_ymd_and_hms(2026, 5, 12, 10, 0, 0),
            ),
        ];
        for (domain, to, when) in advance {
            let when = when.single().context("date")?;
            self.api
                .post(
                    &format!("/raps/{rap}/named-accounts/{domain}/advance"),
                    &pam.token,
                    at(json!({"to": to}), when),
                )
                .await?;
        }
        Ok(())
    }

    /// A RAP within the tier cap, active this year.
    async fn small_rap(
        &mut self,
        partner: &str,
        name: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<()> {
        let slug: String = name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase();
        let mdf = 2_000 + 500 * self.rng.random_range(0..6);
        let terms = json!({
            "named_accounts": [
                {"name": format!("{name} client one"), "domain": format!("{slug}-one.example")},
                {"name": format!("{name} client two"), "domain": format!("{slug}-two.example")},
            ],
            "mdf": usd(mdf),
            "partner_contribution": usd(mdf),
            "arr_target": usd(mdf * 12),
            "partner_expected_revenue": usd(mdf * 4),
        });
        let drafted = self.random_days_ago(40..70);
        let q = fiscal_quarter(drafted + Duration::days(30));
        let r = self
            .api
            .post(
                &format!("/partners/{partner}/raps"),
                &pam.token,
                at(json!({"period": q, "terms": terms}), drafted),
            )
            .await?;
        let rap = id_of(&r)?;
        self.api
            .post(
                &format!("/raps/{rap}/submit"),
                &pam.token,
                at(json!({}), drafted + Duration::days(1)),
            )
            .await?;
        self.api
            .post(
                &format!("/raps/{rap}/approve"),
                &manager.token,
                at(json!({"step": "Manager"}), drafted + Duration::days(2)),
            )
            .await?;
        self.api
            .post(
                &format!("/raps/{rap}/approve"),
                &cxo.token,
                at(json!({"step": "CxO"}), drafted + Duration::days(3)),
            )
            .await?;
        Ok(())
    }

    /// Bridgeline Co.'s proposal: $32K co-fund ($16K MDF + $16K partner), three healthcare
    /// named accounts, submitted and waiting for the Southeast Manager.
    async fn bridgeline_proposal(&mut self, partner: &str, pam: &Person) -> anyhow::Result<()> {
        let terms = json!({
            "named_accounts": [
                {"name": "St. Anne's Health System", "domain": "stanneshealth.org"},
                {"name": "Piedmont Family Clinics", "domain": "piedmontfamilyclinics.com"},
                {"name": "Lowcountry Medical Partners", "domain": "lowcountrymedical.com"},
            ],
            "mdf": usd(16_000),
            "partner_contribution": usd(16_000),
            "arr_target": usd(210_000),
            "partner_expected_revenue": usd(64_000),
            "mdf_exemption": "Farmer with a healthcare installed base: three named accounts from existing \
                              customers, matched dollar for dollar",
        });
        let drafted = self.days_ago(3);
        let q = fiscal_quarter(self.today + Duration::days(45));
        let r = self
            .api
            .post(
                &format!("/partners/{partner}/raps"),
                &pam.token,
                at(json!({"period": q, "terms": terms}), drafted),
            )
            .await?;
        let rap = id_of(&r)?;
        self.api
            .post(
                &format!("/raps/{rap}/submit"),
                &pam.token,
                at(json!({}), drafted + Duration::hours(20)),
            )
            .await?;
        Ok(())
    }

    /// NovaTech Inc.'s $12,000 MDF exemption this quarter.
    async fn novatech_exemption(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<()> {
        let q = fiscal_quarter(self.today);
        let quarter_start = quarter_start(self.today);
        let path = format!("/mdf/budgets/{}", q.replace(' ', "%20"));
        self.api
            .post(
                &path,
                &cxo.token,
                at(json!({"amount": usd(400_000)}), quarter_start),
            )
            .await?;
        let requested = (self.today - Duration::days(2)).max(quarter_start + Duration::hours(1));
        let r = self
            .api
            .post(
                &format!("{path}/exemptions"),
                &pam.token,
                at(
                    json!({"partner_id": partner, "amount": usd(12_000),
                          "justification": "launch campaign for three net-new healthcare logos"}),
                    requested,
                ),
            )
            .await?;
        let allocation = r["allocation_id"]
            .as_str()
            .context("demo: no allocation id")?;
        self.api
            .post(
                &format!("{path}/allocations/{allocation}/approve"),
                &manager.token,
                at(
                    json!({"comment": "Strong pipeline; worth the exception"}),
                    requested + Duration::hours(2),
                ),
            )
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
