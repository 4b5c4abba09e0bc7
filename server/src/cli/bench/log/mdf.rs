//! MDF drawn on an active RAP, from allocation to payment: the Manager allocates the RAP's MDF
//! within the tier's quarterly cap — above it the PAM asks for an exemption that the Manager
//! and then the CxO sign — raising the quarter's budget when it runs short; the PAM drafts a
//! fund request with one or two activities and submits it (late plans with a reason); the
//! Manager returns a few, then approves each activity (sometimes for less, sometimes one is
//! rejected); the PAM claims and sends proof after each activity; Finance rejects some proof,
//! accepts the rest and pays — some of it after the 30-day SLA, some not yet.

use channel_ledger_domain::fiscal::FiscalQuarter;
use channel_ledger_domain::mdf::{
    budget_entries, request_entries, Account, ActivityId, ActivityInput, AllocationId, ClaimStatus,
    FundRequest, FundRequestCommand, FundRequestId, FundingLink, LedgerEntry, ProgramBudgetCommand,
    RapFacts, RequestLedgerContext, Settlement, SourceFacts,
};
use channel_ledger_domain::mdf_policy::tier_policy;
use channel_ledger_domain::money::Money;
use channel_ledger_domain::text::{Name, Reason};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use rand::Rng;

use super::rap::round;
use super::sim::{Life, Sim};
use super::stream::{Act, Stream};
use super::words;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Allocate,
    ExemptionManager,
    ExemptionCxo,
    Draft,
    Submit,
    Review,
    Claim,
    Proof,
    ProofReview,
    Payment,
    Done,
}

pub(super) struct MdfLife {
    quarter: FiscalQuarter,
    amount: Money,
    phase: Phase,
    at: DateTime<Utc>,
    allocation: Option<AllocationId>,
    request: Option<Stream<FundRequest>>,
    returned: bool,
}

impl MdfLife {
    pub fn new(quarter: FiscalQuarter, amount: Money, at: DateTime<Utc>) -> Self {
        Self {
            quarter,
            amount,
            phase: Phase::Allocate,
            at,
            allocation: None,
            request: None,
            returned: false,
        }
    }

    pub fn next(&self) -> Option<DateTime<Utc>> {
        (self.phase != Phase::Done).then_some(self.at)
    }

    /// The effective time of the fund request's latest event.
    pub fn last_at(&self) -> Option<DateTime<Utc>> {
        self.request.as_ref().and_then(|r| r.last_at)
    }
}

const LATE_PLAN: &str = "The customer set the date at short notice";
const RAISE: &str = "Demand above plan: more RAP co-investments approved this quarter";

impl Sim {
    fn goto(&mut self, p: usize, phase: Phase, at: DateTime<Utc>) -> anyhow::Result<()> {
        let m = mdf_of(&mut self.partners, p)?;
        m.phase = phase;
        m.at = at;
        Ok(())
    }

    /// Keeps the partner's `Allocated` balance per quarter as the double-entry ledger has it.
    fn post(&mut self, p: usize, entries: impl IntoIterator<Item = LedgerEntry>) {
        for entry in entries {
            for (account, amount) in entry.legs() {
                if let Account::Allocated { quarter, .. } = account {
                    *self.allocated.entry((p, quarter)).or_default() += amount.minor;
                }
            }
        }
    }

    pub(super) fn mdf_step(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let phase = mdf_of(&mut self.partners, p)?.phase;
        match phase {
            Phase::Allocate => self.allocate(p, at),
            Phase::ExemptionManager | Phase::ExemptionCxo => self.sign_exemption(p, at, phase),
            Phase::Draft => self.draft_request(p, at),
            Phase::Submit => self.submit_request(p, at),
            Phase::Review => self.review_request(p, at),
            Phase::Claim => self.claim(p, at),
            Phase::Proof => self.prove(p, at),
            Phase::ProofReview => self.review_proof(p, at),
            Phase::Payment => self.pay(p, at),
            Phase::Done => Ok(()),
        }
    }

    fn allocate(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let (quarter, amount) = {
            let m = mdf_of(&mut self.partners, p)?;
            (m.quarter, m.amount)
        };
        let partner = self.partners[p].facts()?;
        let Some(budget) = self.budgets.get(&quarter) else {
            // The quarter's budget is set two weeks before it opens; nothing to draw on yet.
            return self.goto(p, Phase::Done, at);
        };
        let cap = tier_policy(partner.tier).quarterly_cap;
        let already = budget.state.partner_approved_total(partner.partner_id);
        let within = already.minor + amount.minor <= cap.minor;
        let short = budget.state.unallocated().minor < amount.minor;
        let mut t = at;
        if short {
            let finance = self.actor(self.cast.finance);
            let by = Money::usd(amount.minor.max(self.quarter_budget / 10));
            let budget = self.budgets.get_mut(&quarter).expect("checked above");
            let (events, _) = budget.execute(
                &mut self.sink,
                Act::new(&finance, t).reason(RAISE),
                ProgramBudgetCommand::RaiseBudget {
                    by,
                    reason: Reason::parse(RAISE)?,
                },
            )?;
            let entries: Vec<_> = events
                .iter()
                .flat_map(|e| budget_entries(quarter, e))
                .collect();
            self.post(p, entries);
            t += Duration::minutes(30);
        }
        let allocation_id = AllocationId::new();
        let (actor, act_reason, command) = if within {
            (
                self.manager_of(p),
                None,
                ProgramBudgetCommand::Allocate {
                    allocation_id,
                    partner,
                    amount,
                },
            )
        } else {
            let why = "MDF above the tier's quarterly cap for the RAP's named accounts, matched by the partner";
            (
                self.pam_actor(p)?,
                Some(why.to_owned()),
                ProgramBudgetCommand::RequestExemption {
                    allocation_id,
                    partner,
                    amount,
                    justification: Reason::parse(why)?,
                },
            )
        };
        let budget = self.budgets.get_mut(&quarter).expect("checked above");
        let (events, _) = budget.execute(
            &mut self.sink,
            Act::new(&actor, t).partner(p).maybe_reason(act_reason),
            command,
        )?;
        let entries: Vec<_> = events
            .iter()
            .flat_map(|e| budget_entries(quarter, e))
            .collect();
        self.post(p, entries);
        let next = self.later(t, 1, 4);
        mdf_of(&mut self.partners, p)?.allocation = Some(allocation_id);
        self.goto(
            p,
            if within {
                Phase::Draft
            } else {
                Phase::ExemptionManager
            },
            next,
        )
    }

    fn sign_exemption(&mut self, p: usize, at: DateTime<Utc>, phase: Phase) -> anyhow::Result<()> {
        let (quarter, allocation_id) = {
            let m = mdf_of(&mut self.partners, p)?;
            (m.quarter, m.allocation)
        };
        let allocation_id =
            allocation_id.ok_or_else(|| anyhow::anyhow!("an exemption without an allocation"))?;
        let (approver, comment, next) = if phase == Phase::ExemptionManager {
            (
                self.manager_of(p),
                "Strong pipeline; worth the exception",
                Phase::ExemptionCxo,
            )
        } else {
            (
                self.actor(self.cast.cxo),
                "Approved with the RAP",
                Phase::Draft,
            )
        };
        let budget = self
            .budgets
            .get_mut(&quarter)
            .ok_or_else(|| anyhow::anyhow!("no budget for {quarter}"))?;
        let (events, _) = budget.execute(
            &mut self.sink,
            Act::new(&approver, at).partner(p).reason(comment),
            ProgramBudgetCommand::ApproveExemption {
                allocation_id,
                on_behalf_of: None,
                comment: Some(Reason::parse(comment)?),
            },
        )?;
        let entries: Vec<_> = events
            .iter()
            .flat_map(|e| budget_entries(quarter, e))
            .collect();
        self.post(p, entries);
        let when = self.later(at, 1, 4);
        self.goto(p, next, when)
    }

    fn draft_request(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let pam = self.pam_actor(p)?;
        let partner = self.partners[p].facts()?;
        let (quarter, amount) = {
            let m = mdf_of(&mut self.partners, p)?;
            (m.quarter, m.amount)
        };
        let rap = self.partners[p]
            .rap
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("MDF without a RAP"))?;
        let rap_id = rap.stream.state.plan.as_ref().map(|r| r.rap_id.0);
        let domains: Vec<String> = rap
            .stream
            .state
            .plan
            .as_ref()
            .map(|r| {
                r.terms
                    .named_accounts
                    .iter()
                    .map(|a| a.domain.as_str().to_owned())
                    .collect()
            })
            .unwrap_or_default();
        let rap_id = rap_id.ok_or_else(|| anyhow::anyhow!("MDF on a RAP never drafted"))?;
        let targets = self.rng.random_range(1..=2.min(domains.len().max(1)));
        let activity = self.pick(&words::ACTIVITIES);
        let request_id = FundRequestId::new();
        let mut stream = Stream::<FundRequest>::new(request_id.to_string());
        stream.execute(
            &mut self.sink,
            Act::new(&pam, at).partner(p),
            FundRequestCommand::Draft {
                request_id,
                partner,
                quarter,
                link: FundingLink::Rap { rap_id },
                title: Name::parse(&format!("{quarter}: {activity}"))?,
                named_accounts: domains.into_iter().take(targets).collect(),
            },
        )?;
        // One or two activities sharing the allocation; a few planned at short notice.
        let activities = if amount.minor >= 200_000 && self.chance(0.4) {
            2
        } else {
            1
        };
        let dollars = amount.minor / 100;
        let first = if activities == 2 {
            round(dollars as f64 / 2.0, 100)
        } else {
            dollars
        };
        let mut t = at;
        for k in 0..activities {
            let requested = if k == 0 { first } else { dollars - first };
            let starts = if self.chance(0.15) {
                self.later(at, 10, 25)
            } else {
                self.later(at, 35, 70)
            };
            t += Duration::minutes(30);
            let description = Reason::parse(self.pick(&words::ACTIVITIES))?;
            stream.execute(
                &mut self.sink,
                Act::new(&pam, t).partner(p),
                FundRequestCommand::AddActivity(ActivityInput {
                    activity_id: ActivityId::new(),
                    description,
                    starts_on: starts.date_naive(),
                    requested: Money::usd(requested * 100),
                    rate: None,
                }),
            )?;
        }
        mdf_of(&mut self.partners, p)?.request = Some(stream);
        let next = self.later(t, 1, 3);
        self.goto(p, Phase::Submit, next)
    }

    /// Submits with the facts the server resolves: the RAP as it stands, and what the partner
    /// still has available in the quarter (its `Allocated` balance less other requests under
    /// review — this partner has none).
    fn submit_request(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let pam = self.pam_actor(p)?;
        let quarter = mdf_of(&mut self.partners, p)?.quarter;
        let Some(plan) = self.partners[p]
            .rap
            .as_ref()
            .and_then(|r| r.stream.state.plan.clone())
        else {
            anyhow::bail!("MDF on a RAP never drafted");
        };
        let source = SourceFacts::Rap(RapFacts::of(&plan));
        let available = Money::usd(*self.allocated.get(&(p, quarter)).unwrap_or(&0));
        let earliest = at.date_naive() + Duration::days(30);
        let late = request_of(&mut self.partners, p)?
            .state
            .details
            .as_ref()
            .is_some_and(|d| d.activities.iter().any(|a| a.starts_on < earliest));
        let late_reason = late.then(|| Reason::parse(LATE_PLAN)).transpose()?;
        let reason = late.then(|| LATE_PLAN.to_owned());
        request_of(&mut self.partners, p)?.execute(
            &mut self.sink,
            Act::new(&pam, at).partner(p).maybe_reason(reason),
            FundRequestCommand::Submit {
                source,
                available,
                late_reason,
            },
        )?;
        let next = self.later(at, 1, 7);
        self.goto(p, Phase::Review, next)
    }

    fn review_request(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let manager = self.manager_of(p);
        let returned = mdf_of(&mut self.partners, p)?.returned;
        if !returned && self.chance(0.05) {
            let reason = "Name the customer contacts invited to each activity";
            request_of(&mut self.partners, p)?.execute(
                &mut self.sink,
                Act::new(&manager, at).partner(p).reason(reason),
                FundRequestCommand::Return {
                    reason: Reason::parse(reason)?,
                },
            )?;
            mdf_of(&mut self.partners, p)?.returned = true;
            let next = self.later(at, 2, 4);
            return self.goto(p, Phase::Submit, next);
        }
        let activities: Vec<(ActivityId, Money, chrono::NaiveDate)> =
            request_of(&mut self.partners, p)?
                .state
                .details
                .as_ref()
                .map(|d| {
                    d.activities
                        .iter()
                        .map(|a| (a.activity_id, a.requested_program, a.starts_on))
                        .collect()
                })
                .unwrap_or_default();
        let reject_last = activities.len() > 1 && self.chance(0.08);
        let mut t = at;
        let mut starts = None;
        for (i, (activity_id, requested, starts_on)) in activities.iter().copied().enumerate() {
            let ctx = self.request_ctx(p)?;
            let (act, command) = if reject_last && i + 1 == activities.len() {
                let reason = "Outside the RAP's named accounts";
                (
                    Act::new(&manager, t).partner(p).reason(reason),
                    FundRequestCommand::RejectActivity {
                        activity_id,
                        on_behalf_of: None,
                        reason: Reason::parse(reason)?,
                    },
                )
            } else {
                let dollars = requested.minor / 100;
                let amount = if self.chance(0.15) {
                    round(dollars as f64 * 0.8, 100).max(100)
                } else {
                    dollars
                };
                starts = starts.max(Some(starts_on));
                let comment = "Targets named accounts of the RAP";
                (
                    Act::new(&manager, t).partner(p).reason(comment),
                    FundRequestCommand::ApproveActivity {
                        activity_id,
                        amount: Money::usd(amount * 100),
                        on_behalf_of: None,
                        comment: Some(Reason::parse(comment)?),
                    },
                )
            };
            let (events, _) =
                request_of(&mut self.partners, p)?.execute(&mut self.sink, act, command)?;
            let entries: Vec<_> = events
                .iter()
                .flat_map(|e| request_entries(&ctx, e))
                .collect();
            self.post(p, entries);
            t += Duration::minutes(10);
        }
        let starts = starts.map_or(t, |d| Utc.from_utc_datetime(&d.and_time(NaiveTime::MIN)));
        let next = self.later(starts.max(t), 2, 10);
        self.goto(p, Phase::Claim, next)
    }

    fn request_ctx(&mut self, p: usize) -> anyhow::Result<RequestLedgerContext> {
        let d = request_of(&mut self.partners, p)?
            .state
            .details
            .as_ref()
            .ok_or_else(|| anyhow::anyhow!("a fund request never drafted"))?;
        Ok(RequestLedgerContext {
            request_id: d.request_id,
            partner_id: d.partner_id,
            quarter: d.quarter,
        })
    }

    fn claim(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let pam = self.pam_actor(p)?;
        let approved: Vec<(ActivityId, Money)> = request_of(&mut self.partners, p)?
            .state
            .details
            .as_ref()
            .map(|d| {
                d.activities
                    .iter()
                    .filter_map(|a| a.approved().map(|m| (a.activity_id, m)))
                    .collect()
            })
            .unwrap_or_default();
        let ctx = self.request_ctx(p)?;
        let mut t = at;
        for (activity_id, amount) in approved {
            let (events, _) = request_of(&mut self.partners, p)?.execute(
                &mut self.sink,
                Act::new(&pam, t).partner(p),
                FundRequestCommand::SubmitClaim {
                    activity_id,
                    amount,
                    rate: None,
                },
            )?;
            let entries: Vec<_> = events
                .iter()
                .flat_map(|e| request_entries(&ctx, e))
                .collect();
            self.post(p, entries);
            t += Duration::minutes(10);
        }
        let next = self.later(t, 0, 6);
        self.goto(p, Phase::Proof, next)
    }

    fn claims_in(&mut self, p: usize, status: &[ClaimStatus]) -> anyhow::Result<Vec<ActivityId>> {
        Ok(request_of(&mut self.partners, p)?
            .state
            .details
            .as_ref()
            .map(|d| {
                d.claims()
                    .filter(|(_, c)| status.contains(&c.status))
                    .map(|(a, _)| a.activity_id)
                    .collect()
            })
            .unwrap_or_default())
    }

    fn prove(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let pam = self.pam_actor(p)?;
        let waiting =
            self.claims_in(p, &[ClaimStatus::AwaitingProof, ClaimStatus::ProofRejected])?;
        let mut t = at;
        for activity_id in waiting {
            let proof = self.pick(&words::PROOFS);
            request_of(&mut self.partners, p)?.execute(
                &mut self.sink,
                Act::new(&pam, t).partner(p),
                FundRequestCommand::SubmitProof {
                    activity_id,
                    proof: Reason::parse(proof)?,
                },
            )?;
            t += Duration::minutes(10);
        }
        let next = self.later(t, 2, 12);
        self.goto(p, Phase::ProofReview, next)
    }

    fn review_proof(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let finance = self.actor(self.cast.finance);
        let submitted = self.claims_in(p, &[ClaimStatus::ProofSubmitted])?;
        let ctx = self.request_ctx(p)?;
        let mut t = at;
        let mut rejected = false;
        for activity_id in submitted {
            let second_look = request_of(&mut self.partners, p)?
                .state
                .details
                .as_ref()
                .and_then(|d| d.activity(activity_id).ok())
                .and_then(|a| a.claim.as_ref())
                .is_some_and(|c| c.review_reason.is_some());
            let (act, command) = if !second_look && self.chance(0.1) {
                rejected = true;
                let reason =
                    "The invoice does not name the activity and the attendee list is missing";
                (
                    Act::new(&finance, t).partner(p).reason(reason),
                    FundRequestCommand::RejectProof {
                        activity_id,
                        reason: Reason::parse(reason)?,
                    },
                )
            } else {
                let comment = "Proof matches the approved activity";
                (
                    Act::new(&finance, t).partner(p).reason(comment),
                    FundRequestCommand::AcceptProof {
                        activity_id,
                        comment: Some(Reason::parse(comment)?),
                    },
                )
            };
            let (events, _) =
                request_of(&mut self.partners, p)?.execute(&mut self.sink, act, command)?;
            let entries: Vec<_> = events
                .iter()
                .flat_map(|e| request_entries(&ctx, e))
                .collect();
            self.post(p, entries);
            t += Duration::minutes(10);
        }
        if rejected {
            let next = self.later(t, 3, 10);
            self.goto(p, Phase::Proof, next)
        } else {
            let next = self.later(t, 5, 40);
            self.goto(p, Phase::Payment, next)
        }
    }

    /// One payment settling every accepted claim of the request.
    fn pay(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let finance = self.actor(self.cast.finance);
        let ctx = self.request_ctx(p)?;
        let settlements: Vec<Settlement> = request_of(&mut self.partners, p)?
            .state
            .details
            .as_ref()
            .map(|d| {
                d.claims()
                    .filter(|(_, c)| c.status == ClaimStatus::Accepted)
                    .map(|(a, c)| Settlement {
                        activity_id: a.activity_id,
                        amount: Money::new(
                            c.amount_program.minor - c.paid.minor,
                            c.amount_program.currency,
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default();
        if !settlements.is_empty() {
            let id = ctx.request_id.to_string();
            let reference = format!("ACH {}", &id[id.len() - 8..]);
            let (events, _) = request_of(&mut self.partners, p)?.execute(
                &mut self.sink,
                Act::new(&finance, at)
                    .partner(p)
                    .reason(format!("payment {reference}")),
                FundRequestCommand::RecordPayment {
                    payment_reference: Name::parse(&reference)?,
                    settlements,
                    rate: None,
                },
            )?;
            let entries: Vec<_> = events
                .iter()
                .flat_map(|e| request_entries(&ctx, e))
                .collect();
            self.post(p, entries);
        }
        self.goto(p, Phase::Done, at)
    }
}

/// Partner `p`'s MDF in progress.
fn mdf_of(partners: &mut [Life], p: usize) -> anyhow::Result<&mut MdfLife> {
    partners[p]
        .rap
        .as_deref_mut()
        .and_then(|r| r.mdf.as_mut())
        .ok_or_else(|| anyhow::anyhow!("partner {p} draws no MDF"))
}

/// Partner `p`'s fund request in progress.
fn request_of(partners: &mut [Life], p: usize) -> anyhow::Result<&mut Stream<FundRequest>> {
    mdf_of(partners, p)?
        .request
        .as_mut()
        .ok_or_else(|| anyhow::anyhow!("no fund request"))
}
