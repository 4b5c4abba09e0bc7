//! A partner's RAPs, one after another: drafted by its PAM for the coming quarter, sometimes
//! revised, submitted, signed by the territory's Manager (sometimes rejected first and revised)
//! and by the CxO, which activates it; its named accounts advanced to Won or Lost (some
//! recorded late), sometimes amended, and closed with its outcome after the quarter. MDF is
//! drawn on it meanwhile (see `mdf.rs`).

use std::collections::VecDeque;

use channel_ledger_domain::approval::ApprovalStep;
use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf_policy::tier_policy;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::{Classification, Tier};
use channel_ledger_domain::rap::{
    AccountDomain, NamedAccountStatus, NamedAccountTarget, Rap, RapCommand, RapId, RapOutcome,
    RapStatus, RapTerms,
};
use channel_ledger_domain::text::{Name, Reason};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use super::mdf::MdfLife;
use super::sim::{Life, Sim, Task};
use super::stream::{Act, Stream};
use super::words;

/// Why a named account's result is recorded after other events of the partner.
const LATE_ACCOUNT: &str =
    "late correction: the account's result was reported by the partner after the fact";
/// The share of named-account results recorded late.
const LATE_ACCOUNT_SHARE: f64 = 0.2;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Revise,
    Submit,
    Manager,
    Cxo,
    Active,
    Closed,
}

#[derive(Debug, Clone)]
enum Step {
    Advance(NamedAccountStatus),
    Win(Money),
    Lose(&'static str),
}

#[derive(Debug)]
struct Account {
    domain: AccountDomain,
    steps: VecDeque<(DateTime<Utc>, Step)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Amend {
    Propose,
    Manager,
    Cxo,
}

pub(super) struct RapLife {
    pub stream: Stream<Rap>,
    pub period: FiscalQuarter,
    phase: Phase,
    next_at: DateTime<Utc>,
    rejected_once: bool,
    terms: RapTerms,
    accounts: Vec<Account>,
    amendment: Option<(DateTime<Utc>, Amend)>,
    close_at: Option<DateTime<Utc>>,
    pub mdf: Option<MdfLife>,
}

impl RapLife {
    /// The partner's tier and classification must hold still: a proposal or an amendment is
    /// checked against them until it is signed.
    fn needs_stable_partner(&self) -> bool {
        !matches!(self.phase, Phase::Active | Phase::Closed) || self.amendment.is_some()
    }

    /// When this RAP next has something to do.
    fn next(&self) -> Option<DateTime<Utc>> {
        match self.phase {
            Phase::Active => {
                let accounts = self
                    .accounts
                    .iter()
                    .filter_map(|a| a.steps.front().map(|(t, _)| *t));
                let close = if self.amendment.is_none() {
                    self.close_at
                } else {
                    None
                };
                accounts
                    .chain(self.amendment.map(|(t, _)| t))
                    .chain(close)
                    .chain(self.mdf.as_ref().and_then(MdfLife::next))
                    .min()
            }
            Phase::Closed => self.mdf.as_ref().and_then(MdfLife::next),
            _ => Some(self.next_at),
        }
    }
}

impl Sim {
    pub(super) fn may_run_rap(&self, p: usize) -> bool {
        let life = &self.partners[p];
        let Ok(facts) = life.facts() else {
            return false;
        };
        use Classification as C;
        life.affinity
            && !facts.offboarded
            && facts.tier != Tier::Registered
            && matches!(
                facts.classification,
                Some(C::Champion | C::Farmer | C::HighPotential | C::LongtailDiamond)
            )
    }

    pub(super) fn rap_needs_stable_partner(&self, p: usize) -> bool {
        self.partners[p]
            .rap
            .as_ref()
            .is_some_and(|r| r.needs_stable_partner())
    }

    pub(super) fn rap_step(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        if self.partners[p].rap.is_none() {
            if !self.may_run_rap(p) {
                return Ok(());
            }
            self.draft_rap(p, at)?;
        } else {
            let phase = self.partners[p].rap.as_ref().map(|r| r.phase);
            match phase {
                Some(Phase::Revise) => self.revise_rap(p, at)?,
                Some(Phase::Submit) => self.submit_rap(p, at)?,
                Some(Phase::Manager) => self.sign_rap(p, at, ApprovalStep::Manager)?,
                Some(Phase::Cxo) => self.sign_rap(p, at, ApprovalStep::Cxo)?,
                Some(Phase::Active | Phase::Closed) => self.run_active(p, at)?,
                None => {}
            }
        }
        self.requeue_rap(p, at);
        Ok(())
    }

    /// Queues the RAP's next step; a RAP with nothing left is done and the next one planned.
    fn requeue_rap(&mut self, p: usize, at: DateTime<Utc>) {
        let Some(rap) = &self.partners[p].rap else {
            return;
        };
        match rap.next() {
            Some(next) => {
                self.partners[p].rap_queued = true;
                self.schedule(next.max(at), Task::Rap(p));
            }
            None if rap.phase == Phase::Closed => {
                self.partners[p].rap = None;
                if self.may_run_rap(p) && self.chance(0.9) {
                    let next = self.later(at, 0, 60);
                    self.partners[p].rap_queued = true;
                    self.schedule(next, Task::Rap(p));
                }
            }
            None => {}
        }
    }

    fn terms(&mut self, p: usize, n: u32, tier: Tier) -> anyhow::Result<RapTerms> {
        let cap = tier_policy(tier).quarterly_cap.minor / 100;
        let above = tier != Tier::Silver && self.chance(0.2);
        let mdf = if above {
            round(cap as f64 * self.rng.random_range(1.3..2.5), 1_000)
        } else {
            round(cap as f64 * self.rng.random_range(0.5..1.0), 500).max(500)
        };
        let contribution = if tier == Tier::Platinum {
            round(mdf as f64 * self.rng.random_range(0.5..1.0), 500)
        } else {
            mdf
        };
        let accounts = self
            .rng
            .random_range(2..=if tier == Tier::Platinum { 5 } else { 4 });
        let named_accounts = (0..accounts)
            .map(|k| {
                let (name, domain) = words::named_account(p, n, k);
                Ok(NamedAccountTarget {
                    name: Name::parse(&name)?,
                    domain: AccountDomain::parse(&domain)?,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(RapTerms {
            named_accounts,
            mdf: Money::usd(mdf * 100),
            partner_contribution: Money::usd(contribution * 100),
            arr_target: Money::usd(
                round(mdf as f64 * self.rng.random_range(8.0..18.0), 1_000) * 100,
            ),
            partner_expected_revenue: Money::usd(
                round(contribution as f64 * self.rng.random_range(2.0..5.0), 500) * 100,
            ),
            mdf_exemption: above
                .then(|| {
                    Reason::parse(
                        "Named accounts in regulated industries; the co-investment above the tier \
                         cap is matched by the partner",
                    )
                })
                .transpose()?,
        })
    }

    fn draft_rap(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let facts = self.partners[p].facts()?;
        let n = self.partners[p].raps + 1;
        self.partners[p].raps = n;
        let period = self.calendar.quarter_at(at + Duration::days(40));
        let terms = self.terms(p, n, facts.tier)?;
        let actor = if self.chance(0.15) {
            self.manager_of(p)
        } else {
            self.pam_actor(p)?
        };
        let rap_id = RapId::new();
        let mut stream = Stream::<Rap>::new(rap_id.to_string());
        stream.execute(
            &mut self.sink,
            Act::new(&actor, at).partner(p),
            RapCommand::Draft {
                rap_id,
                partner: facts,
                period,
                terms: terms.clone(),
            },
        )?;
        let revise = self.chance(0.25);
        let next_at = self.later(at, 1, 4);
        self.partners[p].rap = Some(Box::new(RapLife {
            stream,
            period,
            phase: if revise { Phase::Revise } else { Phase::Submit },
            next_at,
            rejected_once: false,
            terms,
            accounts: Vec::new(),
            amendment: None,
            close_at: None,
            mdf: None,
        }));
        Ok(())
    }

    fn revise_rap(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let actor = self.pam_actor(p)?;
        let bump = self.rng.random_range(1.05..1.25);
        let next_at = self.later(at, 1, 3);
        let rap = rap_of(&mut self.partners, p)?;
        rap.terms.arr_target =
            Money::usd(round(rap.terms.arr_target.minor as f64 / 100.0 * bump, 1_000) * 100);
        let terms = rap.terms.clone();
        rap.stream.execute(
            &mut self.sink,
            Act::new(&actor, at).partner(p),
            RapCommand::Revise { terms },
        )?;
        rap.phase = Phase::Submit;
        rap.next_at = next_at;
        Ok(())
    }

    fn submit_rap(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let actor = self.pam_actor(p)?;
        let partner = self.partners[p].facts()?;
        let next_at = self.later(at, 1, 6);
        let rap = rap_of(&mut self.partners, p)?;
        rap.stream.execute(
            &mut self.sink,
            Act::new(&actor, at).partner(p),
            RapCommand::Submit { partner },
        )?;
        rap.phase = Phase::Manager;
        rap.next_at = next_at;
        Ok(())
    }

    /// The Manager's or the CxO's sign-off of the proposal; one in ten proposals is sent back
    /// once, and the CxO's approval activates the RAP.
    fn sign_rap(&mut self, p: usize, at: DateTime<Utc>, step: ApprovalStep) -> anyhow::Result<()> {
        let approver = match step {
            ApprovalStep::Manager => self.manager_of(p),
            ApprovalStep::Cxo => self.actor(self.cast.cxo),
        };
        let reject = !rap_of(&mut self.partners, p)?.rejected_once
            && self.chance(if step == ApprovalStep::Manager {
                0.1
            } else {
                0.04
            });
        let next_at = self.later(at, 1, 5);
        let rap = rap_of(&mut self.partners, p)?;
        if reject {
            let reason = "The named accounts need a qualified contact each before we fund them";
            rap.stream.execute(
                &mut self.sink,
                Act::new(&approver, at).partner(p).reason(reason),
                RapCommand::Reject {
                    step,
                    on_behalf_of: None,
                    reason: Reason::parse(reason)?,
                },
            )?;
            rap.rejected_once = true;
            rap.phase = Phase::Revise;
            rap.next_at = next_at;
            return Ok(());
        }
        let comment = match step {
            ApprovalStep::Manager => "Named accounts verified with the partner",
            ApprovalStep::Cxo => "Approved",
        };
        rap.stream.execute(
            &mut self.sink,
            Act::new(&approver, at).partner(p).reason(comment),
            RapCommand::Approve {
                step,
                on_behalf_of: None,
                comment: Some(Reason::parse(comment)?),
            },
        )?;
        match step {
            ApprovalStep::Manager => {
                rap.phase = Phase::Cxo;
                rap.next_at = next_at;
            }
            ApprovalStep::Cxo => self.activate(p, at)?,
        }
        Ok(())
    }

    /// Plans the active RAP: each named account's path, perhaps an amendment, the MDF, the close.
    fn activate(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let period = rap_of(&mut self.partners, p)?.period;
        let quarter_end = self.quarter_start(period.next());
        let close_at = self.later(quarter_end.max(at + Duration::days(45)), 3, 15);
        let terms = rap_of(&mut self.partners, p)?.terms.clone();
        let share = terms.arr_target.minor / 100 / terms.named_accounts.len().max(1) as i64;
        let mut accounts = Vec::with_capacity(terms.named_accounts.len());
        for target in &terms.named_accounts {
            let roll = self.rng.random::<f64>();
            let mut steps = VecDeque::new();
            let qualified = self.later(at, 7, 30);
            steps.push_back((qualified, Step::Advance(NamedAccountStatus::Qualified)));
            if roll < 0.7 {
                let in_progress = self.later(qualified, 10, 35);
                steps.push_back((in_progress, Step::Advance(NamedAccountStatus::InProgress)));
                let decided = self.later(in_progress, 15, 45);
                if roll < 0.5 {
                    let arr = round(share as f64 * self.rng.random_range(0.5..1.5), 100).max(100);
                    steps.push_back((decided, Step::Win(Money::usd(arr * 100))));
                } else {
                    steps.push_back((decided, Step::Lose(self.pick(&words::LOST))));
                }
            } else if roll < 0.85 {
                let lost = self.later(qualified, 10, 30);
                steps.push_back((lost, Step::Lose(self.pick(&words::LOST))));
            }
            steps.retain(|(t, _)| *t < close_at);
            accounts.push(Account {
                domain: target.domain.clone(),
                steps,
            });
        }
        let amendment = if self.chance(0.12) {
            let when = self.later(at, 15, 40);
            (when < close_at - Duration::days(10)).then_some((when, Amend::Propose))
        } else {
            None
        };
        let mdf = if terms.mdf.minor > 0 {
            let opens = self.quarter_start(period) - Duration::days(14);
            let allocate = self.later(at, 1, 4).max(opens + Duration::hours(2));
            Some(MdfLife::new(period, terms.mdf, allocate))
        } else {
            None
        };
        let rap = rap_of(&mut self.partners, p)?;
        rap.phase = Phase::Active;
        rap.accounts = accounts;
        rap.amendment = amendment;
        rap.close_at = Some(close_at);
        rap.mdf = mdf;
        Ok(())
    }

    /// The earliest due item of an active (or closed, MDF still running) RAP.
    fn run_active(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let rap = rap_of(&mut self.partners, p)?;
        if rap.phase == Phase::Closed {
            return self.mdf_step(p, at);
        }
        let account = rap
            .accounts
            .iter()
            .position(|a| a.steps.front().is_some_and(|(t, _)| *t <= at));
        if let Some(i) = account {
            return self.account_step(p, i, at);
        }
        if rap.amendment.is_some_and(|(t, _)| t <= at) {
            return self.amend(p, at);
        }
        if rap
            .mdf
            .as_ref()
            .and_then(MdfLife::next)
            .is_some_and(|t| t <= at)
        {
            return self.mdf_step(p, at);
        }
        if rap.amendment.is_none() && rap.close_at.is_some_and(|t| t <= at) {
            return self.close_rap(p, at);
        }
        Ok(())
    }

    fn account_step(&mut self, p: usize, i: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let step = rap_of(&mut self.partners, p)?.accounts[i]
            .steps
            .pop_front()
            .map(|(_, s)| s);
        let domain = rap_of(&mut self.partners, p)?.accounts[i].domain.clone();
        let Some(step) = step else { return Ok(()) };
        let decided = matches!(step, Step::Win(_) | Step::Lose(_));
        // Results are sometimes reported late: recorded as corrections by the Manager.
        let own = rap_of(&mut self.partners, p)?.stream.last_at;
        let late = if decided && self.chance(LATE_ACCOUNT_SHARE) {
            own.and_then(|own| self.late_window_after(p, own, at))
        } else {
            None
        };
        let actor = if late.is_some() || self.chance(0.2) {
            self.manager_of(p)
        } else {
            self.pam_actor(p)?
        };
        let act = match late {
            Some(when) => Act::new(&actor, when).late(LATE_ACCOUNT),
            None => Act::new(&actor, at),
        }
        .partner(p);
        let (act, command) = match step {
            Step::Advance(to) => (act, RapCommand::AdvanceNamedAccount { domain, to }),
            Step::Win(arr) => (act, RapCommand::WinNamedAccount { domain, arr }),
            Step::Lose(reason) => (
                act.reason(reason),
                RapCommand::LoseNamedAccount {
                    domain,
                    reason: Reason::parse(reason)?,
                },
            ),
        };
        rap_of(&mut self.partners, p)?
            .stream
            .execute(&mut self.sink, act, command)?;
        Ok(())
    }

    fn amend(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let Some((_, step)) = rap_of(&mut self.partners, p)?.amendment else {
            return Ok(());
        };
        let next = self.later(at, 1, 3);
        match step {
            Amend::Propose => {
                let partner = self.partners[p].facts()?;
                let actor = self.pam_actor(p)?;
                let rap = rap_of(&mut self.partners, p)?;
                let mut terms = rap.terms.clone();
                terms.arr_target =
                    Money::usd(round(terms.arr_target.minor as f64 / 100.0 * 1.15, 1_000) * 100);
                terms.partner_expected_revenue = Money::usd(
                    round(
                        terms.partner_expected_revenue.minor as f64 / 100.0 * 1.1,
                        500,
                    ) * 100,
                );
                if terms.check_policy(partner.tier).is_err() || terms == rap.terms {
                    rap.amendment = None;
                    return Ok(());
                }
                let reason = "The partner added a second sales rep for the named accounts";
                rap.stream.execute(
                    &mut self.sink,
                    Act::new(&actor, at).partner(p).reason(reason),
                    RapCommand::ProposeAmendment {
                        partner,
                        terms: terms.clone(),
                        reason: Reason::parse(reason)?,
                    },
                )?;
                rap.terms = terms;
                rap.amendment = Some((next, Amend::Manager));
            }
            Amend::Manager | Amend::Cxo => {
                let (approver, step_of) = if step == Amend::Manager {
                    (self.manager_of(p), ApprovalStep::Manager)
                } else {
                    (self.actor(self.cast.cxo), ApprovalStep::Cxo)
                };
                let comment = "Amended targets agreed";
                let rap = rap_of(&mut self.partners, p)?;
                rap.stream.execute(
                    &mut self.sink,
                    Act::new(&approver, at).partner(p).reason(comment),
                    RapCommand::Approve {
                        step: step_of,
                        on_behalf_of: None,
                        comment: Some(Reason::parse(comment)?),
                    },
                )?;
                rap.amendment = (step == Amend::Manager).then_some((next, Amend::Cxo));
                if let Some(close) = rap.close_at.as_mut() {
                    *close = (*close).max(at + Duration::days(1));
                }
            }
        }
        Ok(())
    }

    fn close_rap(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let actor = if self.chance(0.2) {
            self.actor(self.cast.cxo)
        } else {
            self.manager_of(p)
        };
        let rap = rap_of(&mut self.partners, p)?;
        let Some(plan) = rap.stream.state.plan.as_ref() else {
            anyhow::bail!("closing a RAP that was never drafted");
        };
        debug_assert_eq!(plan.status, RapStatus::Active);
        let won = plan.arr_won().minor;
        let target = plan.terms.arr_target.minor;
        let (outcome, note) = if won >= target {
            (
                RapOutcome::Achieved,
                "ARR target reached with the named accounts won",
            )
        } else if won > 0 {
            (
                RapOutcome::Partial,
                "Some named accounts won; the rest carried into the next plan",
            )
        } else {
            (RapOutcome::Missed, "No named account closed this quarter")
        };
        rap.stream.execute(
            &mut self.sink,
            Act::new(&actor, at).partner(p).reason(note),
            RapCommand::Close {
                outcome,
                note: Reason::parse(note)?,
            },
        )?;
        rap.phase = Phase::Closed;
        rap.accounts.clear();
        Ok(())
    }

    /// A moment for a late entry in a stream whose own latest event is at `own`: after it, and
    /// before the partner's latest event in its other streams (already recorded); `None` when
    /// that leaves less than a day.
    pub(super) fn late_window_after(
        &mut self,
        p: usize,
        own: DateTime<Utc>,
        at: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let life = &self.partners[p];
        let others = [
            life.partner.last_at,
            life.qar.last_at,
            life.rap
                .as_ref()
                .and_then(|r| r.mdf.as_ref())
                .and_then(MdfLife::last_at),
        ]
        .into_iter()
        .flatten()
        .max()?
        .min(at);
        let from = own + Duration::hours(1);
        let to = others - Duration::hours(1);
        if to - from < Duration::days(1) {
            return None;
        }
        let span = (to - from).num_minutes();
        Some(from + Duration::minutes(self.rng.random_range(0..span)))
    }
}

/// Partner `p`'s RAP in progress.
fn rap_of(partners: &mut [Life], p: usize) -> anyhow::Result<&mut RapLife> {
    partners[p]
        .rap
        .as_deref_mut()
        .ok_or_else(|| anyhow::anyhow!("partner {p} has no RAP"))
}

/// `dollars` rounded to a multiple of `step`.
pub(super) fn round(dollars: f64, step: i64) -> i64 {
    ((dollars / step as f64).round() as i64).max(0) * step
}
