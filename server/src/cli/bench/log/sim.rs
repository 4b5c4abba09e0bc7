//! The program, simulated in time order: every step of every partner, seat and quarter is a
//! task on one queue ordered by effective time, so events are decided (and recorded) in the
//! order they happened — apart from the late corrections, which are the point of them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};

use channel_ledger_domain::cohort::{CohortCommand, CohortStrategy, Play, StrategyText};
use channel_ledger_domain::fiscal::{FiscalCalendar, FiscalQuarter};
use channel_ledger_domain::mdf::ProgramBudget;
use channel_ledger_domain::mdf::ProgramBudgetCommand;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{Classification, Partner, PartnerFacts, PartnerId};
use channel_ledger_domain::qar::QarSeries;
use channel_ledger_domain::text::Name;
use channel_ledger_domain::{Actor, Role};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::Rng;

use super::cast::Cast;
use super::profile::{Profile, QarStep};
use super::rap::RapLife;
use super::sink::Sink;
use super::stream::{Act, Stream};

/// What is due next, and for whom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Task {
    /// The CxO sets a quarter's MDF budget two weeks before it opens.
    Budget(FiscalQuarter),
    /// Management drafts and approves a strategy for every classification.
    Strategies,
    /// Each strategy's quarterly review.
    StrategyReview(FiscalQuarter),
    /// A yearly revision of every strategy, approved by a Manager.
    StrategyRevision,
    /// A seat's PAM is leaving: their successor joins.
    Hire(usize),
    /// The Manager hands the seat's partners to the successor (`usize`).
    Handover(usize, usize),
    /// The departing PAM (`usize`) leaves.
    Depart(usize, usize),
    /// A partner's registration, tier, classification and offboarding.
    Profile(usize),
    /// A partner's QAR cadence.
    Qar(usize),
    /// A partner's RAPs and the MDF drawn on them.
    Rap(usize),
}

/// One partner's life in the program.
pub(super) struct Life {
    pub id: PartnerId,
    pub name: String,
    pub territory: usize,
    pub seat: usize,
    pub partner: Stream<Partner>,
    pub qar: Stream<QarSeries>,
    /// Runs RAPs whenever its tier and classification allow.
    pub affinity: bool,
    /// How likely its PAM is to open a QAR after it is due.
    pub tardiness: f64,
    pub profile: Profile,
    pub qar_step: QarStep,
    pub rap: Option<Box<RapLife>>,
    /// A `Task::Rap` is queued.
    pub rap_queued: bool,
    /// RAPs drafted so far.
    pub raps: u32,
}

impl Life {
    pub fn facts(&self) -> anyhow::Result<PartnerFacts> {
        self.partner
            .state
            .facts()
            .ok_or_else(|| anyhow::anyhow!("partner {} is not registered", self.id))
    }

    pub fn offboarded(&self) -> bool {
        self.partner
            .state
            .profile
            .as_ref()
            .is_some_and(|p| p.offboarded)
    }

    pub fn classification(&self) -> Option<Classification> {
        self.partner
            .state
            .profile
            .as_ref()
            .and_then(|p| p.classification)
    }
}

pub(super) struct Sim {
    pub rng: StdRng,
    pub sink: Sink,
    pub cast: Cast,
    pub partners: Vec<Life>,
    pub budgets: BTreeMap<FiscalQuarter, Stream<ProgramBudget>>,
    pub strategies: Vec<Stream<CohortStrategy>>,
    /// The balance of each partner's `Allocated` account per quarter (double entry), in cents.
    pub allocated: HashMap<(usize, FiscalQuarter), i64>,
    pub calendar: FiscalCalendar,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// What each quarter's budget opens at, in cents.
    pub quarter_budget: i64,
    limit: usize,
    queue: BinaryHeap<Reverse<(DateTime<Utc>, u64, Task)>>,
    seq: u64,
}

/// Midnight UTC of `t`'s day.
pub(super) fn midnight(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t.date_naive().and_time(NaiveTime::MIN))
}

impl Sim {
    pub fn new(
        rng: StdRng,
        sink: Sink,
        cast: Cast,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        limit: usize,
        quarter_budget: i64,
    ) -> Self {
        Self {
            rng,
            sink,
            cast,
            partners: Vec::new(),
            budgets: BTreeMap::new(),
            strategies: Vec::new(),
            allocated: HashMap::new(),
            calendar: FiscalCalendar::default(),
            start,
            end,
            quarter_budget,
            limit,
            queue: BinaryHeap::new(),
            seq: 0,
        }
    }

    /// Queues `task` at `at`, unless that is past the end of the history.
    pub fn schedule(&mut self, at: DateTime<Utc>, task: Task) {
        if at < self.end {
            self.seq += 1;
            self.queue.push(Reverse((at, self.seq, task)));
        }
    }

    /// Somewhere between `lo` and `hi` days later, at a working hour.
    pub fn later(&mut self, from: DateTime<Utc>, lo: i64, hi: i64) -> DateTime<Utc> {
        let days = self.rng.random_range(lo..=hi.max(lo));
        let day = midnight(from) + Duration::days(days);
        let t = day + Duration::hours(8) + Duration::minutes(self.rng.random_range(0..600));
        if t <= from {
            from + Duration::minutes(self.rng.random_range(5..90))
        } else {
            t
        }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.random_range(0..items.len())]
    }

    /// The person who is partner `p`'s PAM now.
    pub fn pam_of(&self, p: usize) -> Option<usize> {
        let pam = self.partners[p].partner.state.profile.as_ref()?.pam?;
        self.cast.person_of(pam)
    }

    pub fn pam_actor(&self, p: usize) -> anyhow::Result<Actor> {
        let pam = self
            .pam_of(p)
            .ok_or_else(|| anyhow::anyhow!("partner {p} has no PAM"))?;
        Ok(self.cast.actor(pam).clone())
    }

    pub fn manager_of(&self, p: usize) -> Actor {
        self.cast.manager(self.partners[p].territory).clone()
    }

    pub fn actor(&self, person: usize) -> Actor {
        self.cast.actor(person).clone()
    }

    /// Runs every task in time order until the history ends or `limit` events are written.
    pub fn run(&mut self) -> anyhow::Result<()> {
        while let Some(Reverse((at, _, task))) = self.queue.pop() {
            if self.sink.events() >= self.limit {
                break;
            }
            match task {
                Task::Budget(q) => self.set_budget(q, at)?,
                Task::Strategies => self.draft_strategies(at)?,
                Task::StrategyReview(q) => self.review_strategies(q, at)?,
                Task::StrategyRevision => self.revise_strategies(at)?,
                Task::Hire(seat) => self.hire(seat, at)?,
                Task::Handover(seat, pam) => self.handover(seat, pam, at)?,
                Task::Depart(seat, pam) => self.depart(seat, pam, at)?,
                Task::Profile(p) => self.profile_step(p, at)?,
                Task::Qar(p) => self.qar_step(p, at)?,
                Task::Rap(p) => {
                    self.partners[p].rap_queued = false;
                    self.rap_step(p, at)?;
                }
            }
        }
        self.sink.close()
    }

    /// Queues the program's own calendar: budgets, strategies and PAM departures.
    pub fn plan_program(&mut self) {
        let mut q = self.calendar.quarter_at(self.start);
        loop {
            let opens = self.quarter_start(q);
            if opens - Duration::days(14) >= self.end {
                break;
            }
            self.schedule(
                (opens - Duration::days(14)).max(self.start + Duration::hours(9)),
                Task::Budget(q),
            );
            let closes = self.quarter_start(q.next());
            self.schedule(closes - Duration::days(3), Task::StrategyReview(q));
            q = q.next();
        }
        self.schedule(self.start + Duration::days(20), Task::Strategies);
        let mut year = self.start + Duration::days(380);
        while year < self.end {
            self.schedule(year, Task::StrategyRevision);
            year += Duration::days(365);
        }
        for seat in 0..self.cast.seats.len() {
            let leaves = self.later(self.start, 240, 900);
            self.schedule(leaves - Duration::days(14), Task::Hire(seat));
        }
    }

    pub fn quarter_start(&self, q: FiscalQuarter) -> DateTime<Utc> {
        Utc.from_utc_datetime(&self.calendar.first_day(q).and_time(NaiveTime::MIN))
    }

    fn set_budget(&mut self, q: FiscalQuarter, at: DateTime<Utc>) -> anyhow::Result<()> {
        let cxo = self.actor(self.cast.cxo);
        let amount = Money::usd(self.quarter_budget);
        let stream = self
            .budgets
            .entry(q)
            .or_insert_with(|| Stream::new(q.to_string()));
        stream.execute(
            &mut self.sink,
            Act::new(&cxo, at),
            ProgramBudgetCommand::SetBudget { quarter: q, amount },
        )?;
        Ok(())
    }

    fn draft_strategies(&mut self, at: DateTime<Utc>) -> anyhow::Result<()> {
        let cxo = self.actor(self.cast.cxo);
        let manager = self.cast.manager(0).clone();
        for (i, (class, intent, plays)) in crate::cli::demo::STRATEGIES.iter().enumerate() {
            let classification = Classification::ALL
                .iter()
                .copied()
                .find(|c| c.wire() == *class)
                .ok_or_else(|| anyhow::anyhow!("no classification {class}"))?;
            let mut stream = Stream::<CohortStrategy>::new(classification.wire());
            let plays = plays
                .iter()
                .map(|(title, description)| {
                    Ok(Play {
                        title: Name::parse(title)?,
                        description: StrategyText::parse(description)?,
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let drafted = at + Duration::minutes(10 * i as i64);
            stream.execute(
                &mut self.sink,
                Act::new(&cxo, drafted),
                CohortCommand::Draft {
                    classification,
                    intent: StrategyText::parse(intent)?,
                    plays,
                },
            )?;
            let comment = "Agreed for the program";
            stream.execute(
                &mut self.sink,
                Act::new(&manager, drafted + Duration::days(2)).reason(comment),
                CohortCommand::Approve {
                    version: 1,
                    on_behalf_of: None,
                    comment: Some(channel_ledger_domain::text::Reason::parse(comment)?),
                },
            )?;
            self.strategies.push(stream);
        }
        Ok(())
    }

    fn review_strategies(&mut self, q: FiscalQuarter, at: DateTime<Utc>) -> anyhow::Result<()> {
        let territories = self.cast.territories.len();
        for i in 0..self.strategies.len() {
            let reviewer = if i % 2 == 0 {
                self.actor(self.cast.cxo)
            } else {
                self.cast.manager(i % territories).clone()
            };
            let notes = format!(
                "{q}: reviewed the cohort's partners, RAP results and QAR cadence; strategy stands"
            );
            let in_force = self.strategies[i].state.in_force().is_some();
            if !in_force {
                continue;
            }
            self.strategies[i].execute(
                &mut self.sink,
                Act::new(&reviewer, at + Duration::minutes(20 * i as i64)).reason(notes.clone()),
                CohortCommand::RecordReview {
                    quarter: q,
                    notes: StrategyText::parse(&notes)?,
                },
            )?;
        }
        Ok(())
    }

    fn revise_strategies(&mut self, at: DateTime<Utc>) -> anyhow::Result<()> {
        let cxo = self.actor(self.cast.cxo);
        let manager = self.cast.manager(self.cast.territories.len() - 1).clone();
        for i in 0..self.strategies.len() {
            let Some(current) = self.strategies[i].state.in_force().cloned() else {
                continue;
            };
            if self.strategies[i].state.pending_version().is_some() {
                continue;
            }
            let intent = format!(
                "{} (revised after a year of results)",
                current
                    .intent
                    .as_str()
                    .trim_end_matches(" (revised after a year of results)")
            );
            let at = at + Duration::minutes(15 * i as i64);
            self.strategies[i].execute(
                &mut self.sink,
                Act::new(&cxo, at),
                CohortCommand::Revise {
                    intent: StrategyText::parse(&intent)?,
                    plays: current.plays.clone(),
                },
            )?;
            let version = current.version + 1;
            self.strategies[i].execute(
                &mut self.sink,
                Act::new(&manager, at + Duration::days(3)),
                CohortCommand::Approve {
                    version,
                    on_behalf_of: None,
                    comment: None,
                },
            )?;
        }
        Ok(())
    }

    /// A seat's PAM will leave in two weeks: their successor joins now.
    fn hire(&mut self, seat: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let territory = self.cast.seats[seat].territory;
        let successor = self
            .cast
            .join(&mut self.sink, Role::Pam, Some(territory), at)?;
        let handover = self.later(at, 6, 8);
        self.schedule(handover, Task::Handover(seat, successor));
        Ok(())
    }

    /// The Manager reassigns every partner of the seat to the successor, a few minutes apart.
    fn handover(&mut self, seat: usize, successor: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let leaving = self.cast.seats[seat].pam;
        let manager = self.cast.manager(self.cast.seats[seat].territory).clone();
        let candidate = self.cast.candidate(successor);
        let partners = self.cast.seats[seat].partners.clone();
        let mut t = at;
        for p in partners {
            let life = &mut self.partners[p];
            let has_pam = life
                .partner
                .state
                .profile
                .as_ref()
                .is_some_and(|pr| pr.pam.is_some());
            if life.offboarded() || !has_pam {
                continue;
            }
            life.partner.execute(
                &mut self.sink,
                Act::new(&manager, t).partner(p),
                channel_ledger_domain::partner::PartnerCommand::AssignPam {
                    pam: candidate.clone(),
                },
            )?;
            t += Duration::minutes(2);
        }
        self.cast.seats[seat].pam = successor;
        let leaves = self.later(t, 6, 8);
        self.schedule(leaves, Task::Depart(seat, leaving));
        Ok(())
    }

    fn depart(&mut self, seat: usize, leaving: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let reason = self.pick(&[
            "Left the company",
            "Moved to another role outside the partner program",
            "Left the company; portfolio handed over",
        ]);
        self.cast.leave(&mut self.sink, leaving, at, reason)?;
        let next = self.later(at, 300, 1000);
        self.schedule(next - Duration::days(14), Task::Hire(seat));
        Ok(())
    }
}
