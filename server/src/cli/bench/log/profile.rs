//! A partner's own stream — registered, given a PAM, classified, moved between tiers and
//! classifications, sometimes offboarded, with some changes recorded weeks late — and its QAR
//! cadence: scheduled by the first PAM assignment, then every QAR opened (some after they were
//! due), its commitments reviewed, the discussion recorded, the next plan locked, completed.

use channel_ledger_domain::partner::{
    Classification, CompanySize, PartnerCommand, PartnerType, Tier,
};
use channel_ledger_domain::qar::{
    CommitmentId, Discussion, NewCommitment, Note, Outcome, QarCommand,
};
use channel_ledger_domain::text::{Name, Reason};
use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use super::sim::{Sim, Task};
use super::stream::Act;
use super::words;

/// The next step of a partner's own stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Profile {
    Register,
    Assign,
    Classify,
    Review,
    Done,
}

/// The next step of a partner's QAR cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QarStep {
    Open,
    /// Review the previous plan's commitments and record the discussion.
    Session,
    Lock,
    Complete,
}

/// Why a change is recorded after other events of the partner that took effect later.
const LATE_TIER: &str =
    "late correction: the tier change agreed at the partner review was not recorded at the time";
const LATE_CLASS: &str =
    "late correction: the reclassification was signed on paper and entered weeks later";

impl Sim {
    pub(super) fn profile_step(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        match self.partners[p].profile {
            Profile::Register => self.register(p, at),
            Profile::Assign => self.assign(p, at),
            Profile::Classify => self.classify(p, at),
            Profile::Review => self.review(p, at),
            Profile::Done => Ok(()),
        }
    }

    fn register(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        // Most are registered by the territory's Manager, some by one of its PAMs.
        let actor = if self.chance(0.2) {
            self.actor(self.cast.seats[self.partners[p].seat].pam)
        } else {
            self.manager_of(p)
        };
        let life = &self.partners[p];
        let types = PartnerType::ALL;
        let sizes = CompanySize::ALL;
        let command = PartnerCommand::Register {
            partner_id: life.id,
            name: Name::parse(&life.name)?,
            partner_type: types[p % types.len()],
            territory: self.cast.territories[life.territory].clone(),
            headquarters: Name::parse(
                words::CITIES[(p * 3 + life.territory) % words::CITIES.len()],
            )?,
            size: sizes[(p * 5) % 4],
            specialization: if p % 5 < 2 {
                Some(Name::parse(
                    words::SPECIALIZATIONS[p % words::SPECIALIZATIONS.len()],
                )?)
            } else {
                None
            },
        };
        self.partners[p].partner.execute(
            &mut self.sink,
            Act::new(&actor, at).partner(p),
            command,
        )?;
        self.partners[p].profile = Profile::Assign;
        let next = self.later(at, 0, 3);
        self.schedule(next, Task::Profile(p));
        Ok(())
    }

    /// The first PAM: the seat's holder, assigned by the Manager; the QAR cadence starts with
    /// it (as `POST /partners/{id}/pam` schedules it, same actor and time, same conversation).
    fn assign(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let manager = self.manager_of(p);
        let seat = self.partners[p].seat;
        let candidate = self.cast.candidate(self.cast.seats[seat].pam);
        let (_, correlation) = self.partners[p].partner.execute(
            &mut self.sink,
            Act::new(&manager, at).partner(p),
            PartnerCommand::AssignPam { pam: candidate },
        )?;
        self.cast.seats[seat].partners.push(p);
        let partner = self.partners[p].facts()?;
        let (events, _) = self.partners[p].qar.execute(
            &mut self.sink,
            Act::new(&manager, at).partner(p).correlated(correlation),
            QarCommand::Schedule {
                partner,
                first_assigned_at: at,
            },
        )?;
        debug_assert_eq!(events.len(), 1);
        self.schedule_open(p, at);
        self.partners[p].profile = Profile::Classify;
        let next = self.later(at, 10, 60);
        self.schedule(next, Task::Profile(p));
        Ok(())
    }

    fn classify(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let roll = self.rng.random::<f64>();
        let to = match roll {
            r if r < 0.45 => Classification::Longtail,
            r if r < 0.65 => Classification::Farmer,
            r if r < 0.77 => Classification::HighPotential,
            r if r < 0.85 => Classification::LongtailDiamond,
            r if r < 0.95 => Classification::Champion,
            _ => Classification::Zombie,
        };
        self.reclassify(p, at, to, false)?;
        // The first review, a few months on, promotes most partners from Registered.
        self.partners[p].profile = Profile::Review;
        let when = self.later(at, 20, 120);
        self.schedule(when, Task::Profile(p));
        self.wake_rap(p, at);
        Ok(())
    }

    /// A periodic partner review: maybe a tier change, maybe a reclassification, maybe the end.
    fn review(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        if self.partners[p].offboarded() {
            self.partners[p].profile = Profile::Done;
            return Ok(());
        }
        let class = self.partners[p].classification();
        let tier = self.partners[p].facts()?.tier;
        let rap_busy = self.rap_needs_stable_partner(p);
        let rap_idle = self.partners[p].rap.is_none();
        let zombie_since = self.partners[p].partner.last_at;
        if class == Some(Classification::Zombie) && rap_idle {
            // Revived now and then; otherwise offboarded after a quarter or two.
            if self.chance(0.25) {
                self.reclassify(p, at, Classification::Longtail, false)?;
            } else if zombie_since.is_some_and(|t| at - t > Duration::days(90)) {
                return self.offboard(p, at);
            }
        } else {
            if !rap_busy && self.chance(if tier == Tier::Registered { 0.7 } else { 0.45 }) {
                if let Some(to) = self.next_tier(class, tier) {
                    self.change_tier(p, at, tier, to)?;
                }
            }
            if self.chance(0.3) {
                if let Some(to) = self.next_class(class) {
                    let allowed = to != Classification::Zombie || rap_idle;
                    if allowed && !rap_busy {
                        self.reclassify(p, at + Duration::minutes(30), to, true)?;
                    }
                }
            }
        }
        let next = self.later(at, 100, 240);
        self.schedule(next, Task::Profile(p));
        self.wake_rap(p, at);
        Ok(())
    }

    fn next_tier(&mut self, class: Option<Classification>, tier: Tier) -> Option<Tier> {
        use Classification as C;
        let up = match class {
            Some(C::Champion | C::HighPotential | C::LongtailDiamond) => 0.8,
            Some(C::Farmer) => 0.55,
            Some(C::Longtail) => 0.45,
            _ => 0.1,
        };
        let up = self.chance(if tier == Tier::Registered { 0.95 } else { up });
        let at = Tier::ALL.iter().position(|t| *t == tier)?;
        match (up, at) {
            (true, i) if i + 1 < Tier::ALL.len() => Some(Tier::ALL[i + 1]),
            (false, i) if i > 0 => Some(Tier::ALL[i - 1]),
            _ => None,
        }
    }

    fn next_class(&mut self, class: Option<Classification>) -> Option<Classification> {
        use Classification as C;
        let options: &[(C, f64)] = match class {
            Some(C::Longtail) => &[
                (C::LongtailDiamond, 0.4),
                (C::Farmer, 0.3),
                (C::Zombie, 0.3),
            ],
            Some(C::LongtailDiamond) => &[(C::HighPotential, 0.6), (C::Longtail, 0.4)],
            Some(C::HighPotential) => &[(C::Champion, 0.5), (C::Farmer, 0.5)],
            Some(C::Farmer) => &[(C::Champion, 0.3), (C::Longtail, 0.5), (C::Zombie, 0.2)],
            Some(C::Champion) => &[(C::Farmer, 0.7), (C::HighPotential, 0.3)],
            Some(C::Zombie) => &[(C::Longtail, 1.0)],
            None => &[(C::Longtail, 1.0)],
        };
        let mut roll = self.rng.random::<f64>();
        for (c, w) in options {
            if roll < *w {
                return Some(*c);
            }
            roll -= w;
        }
        options.last().map(|(c, _)| *c)
    }

    /// When a change can be recorded late: a moment after the partner stream's own last event
    /// (its order stays its effective order) and before something else of the partner that is
    /// already recorded. `None` when there is no such window of at least a day.
    fn late_window(&mut self, p: usize, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let own = self.partners[p].partner.last_at?;
        let others = [
            self.partners[p].qar.last_at,
            self.partners[p].rap.as_ref().and_then(|r| r.stream.last_at),
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

    fn change_tier(
        &mut self,
        p: usize,
        at: DateTime<Utc>,
        from: Tier,
        to: Tier,
    ) -> anyhow::Result<()> {
        let evidence = if Tier::ALL.iter().position(|t| *t == to)
            > Tier::ALL.iter().position(|t| *t == from)
        {
            self.pick(&[0, 2, 3, 5])
        } else {
            self.pick(&[1, 4])
        };
        let evidence = words::TIER_EVIDENCE[evidence];
        let late = if self.chance(LATE_SHARE) {
            self.late_window(p, at)
        } else {
            None
        };
        let manager = self.manager_of(p);
        // A PAM of the territory records most tier changes; corrections go through the Manager.
        let actor = match (late, self.pam_actor(p)) {
            (None, Ok(pam)) if self.chance(0.6) => pam,
            _ => manager,
        };
        let act = match late {
            Some(when) => Act::new(&actor, when).late(LATE_TIER),
            None => Act::new(&actor, at),
        };
        self.partners[p].partner.execute(
            &mut self.sink,
            act.partner(p).reason(evidence),
            PartnerCommand::ChangeTier {
                tier: to,
                evidence: Reason::parse(evidence)?,
            },
        )?;
        Ok(())
    }

    fn reclassify(
        &mut self,
        p: usize,
        at: DateTime<Utc>,
        to: Classification,
        may_be_late: bool,
    ) -> anyhow::Result<()> {
        if self.partners[p].classification() == Some(to) {
            return Ok(());
        }
        let rationale = match to {
            Classification::LongtailDiamond | Classification::HighPotential => words::RATIONALES[0],
            Classification::Farmer => words::RATIONALES[1],
            Classification::Champion => words::RATIONALES[2],
            Classification::Zombie => words::RATIONALES[3],
            Classification::Longtail => words::RATIONALES[5],
        };
        let late = if may_be_late && self.chance(LATE_SHARE) {
            self.late_window(p, at)
        } else {
            None
        };
        // Manager or above (design.md §2): the territory's Manager, the CxO for Champions.
        let actor = if to == Classification::Champion && self.chance(0.5) {
            self.actor(self.cast.cxo)
        } else {
            self.manager_of(p)
        };
        let act = match late {
            Some(when) => Act::new(&actor, when).late(LATE_CLASS),
            None => Act::new(&actor, at),
        };
        self.partners[p].partner.execute(
            &mut self.sink,
            act.partner(p).reason(rationale),
            PartnerCommand::Reclassify {
                to,
                rationale: Reason::parse(rationale)?,
            },
        )?;
        Ok(())
    }

    fn offboard(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        let manager = self.manager_of(p);
        let reason = "Zombie for two quarters: no pipeline, no response to the revival plan";
        self.partners[p].partner.execute(
            &mut self.sink,
            Act::new(&manager, at).partner(p).reason(reason),
            PartnerCommand::Offboard {
                reason: Reason::parse(reason)?,
            },
        )?;
        self.partners[p].profile = Profile::Done;
        Ok(())
    }

    /// Queues the opening of the QAR that is due now, early or late as this partner's PAM is.
    fn schedule_open(&mut self, p: usize, from: DateTime<Utc>) {
        let Some(due) = self.partners[p]
            .qar
            .state
            .current
            .as_ref()
            .map(|q| q.due_at)
        else {
            return;
        };
        let tardiness = self.partners[p].tardiness;
        let open = if self.chance(tardiness) {
            self.later(due, 5, 60)
        } else {
            self.later(due - Duration::days(21), 0, 18)
        };
        self.partners[p].qar_step = QarStep::Open;
        self.schedule(open.max(from + Duration::hours(1)), Task::Qar(p));
    }

    pub(super) fn qar_step(&mut self, p: usize, at: DateTime<Utc>) -> anyhow::Result<()> {
        if self.partners[p].offboarded() {
            return Ok(());
        }
        let pam = self.pam_actor(p)?;
        let partner = self.partners[p].facts()?;
        match self.partners[p].qar_step {
            QarStep::Open => {
                self.partners[p].qar.execute(
                    &mut self.sink,
                    Act::new(&pam, at).partner(p),
                    QarCommand::Open { partner },
                )?;
                self.partners[p].qar_step = QarStep::Session;
                let next = self.later(at, 0, 3);
                self.schedule(next, Task::Qar(p));
            }
            QarStep::Session => {
                let plan: Vec<(CommitmentId, DateTime<Utc>)> = self.partners[p]
                    .qar
                    .state
                    .plan_under_review
                    .iter()
                    .map(|c| (c.id, c.due_at))
                    .collect();
                let mut t = at;
                for (id, _) in plan {
                    let roll = self.rng.random::<f64>();
                    let (outcome, note) = if roll < 0.6 {
                        (Outcome::Delivered, words::REVIEW_NOTES[0])
                    } else if roll < 0.8 {
                        let new_due_at = self.later(t, 30, 70);
                        (Outcome::Deferred { new_due_at }, words::REVIEW_NOTES[1])
                    } else {
                        (Outcome::Missed, words::REVIEW_NOTES[2])
                    };
                    self.partners[p].qar.execute(
                        &mut self.sink,
                        Act::new(&pam, t).partner(p).reason(note),
                        QarCommand::ReviewCommitment {
                            partner: partner.clone(),
                            commitment_id: id,
                            outcome,
                            note: Note::parse(note)?,
                        },
                    )?;
                    t += Duration::minutes(self.rng.random_range(5..20));
                }
                let (d, a, w) = (
                    self.pick(&words::DISCUSSED),
                    self.pick(&words::AGREED),
                    self.pick(&words::WHY),
                );
                self.partners[p].qar.execute(
                    &mut self.sink,
                    Act::new(&pam, t).partner(p).reason(w),
                    QarCommand::RecordDiscussion {
                        partner,
                        discussion: Discussion {
                            discussed: Note::parse(d)?,
                            agreed: Note::parse(a)?,
                            why: Note::parse(w)?,
                        },
                    },
                )?;
                self.partners[p].qar_step = QarStep::Lock;
                let next = self.later(t, 0, 3);
                self.schedule(next, Task::Qar(p));
            }
            QarStep::Lock => {
                let n = self.rng.random_range(2..=4);
                let partner_name = self.partners[p].name.clone();
                let mut commitments = Vec::with_capacity(n);
                for k in 0..n {
                    let due_at = self.later(at, 30, 80);
                    let owner = if k % 2 == 0 {
                        format!("{} (ISV)", pam.name)
                    } else {
                        format!("{} team", partner_name)
                    };
                    commitments.push(NewCommitment {
                        description: Note::parse(self.pick(&words::COMMITMENTS))?,
                        owner: Name::parse(&owner)?,
                        due_at,
                    });
                }
                self.partners[p].qar.execute(
                    &mut self.sink,
                    Act::new(&pam, at).partner(p),
                    QarCommand::LockPlan {
                        partner,
                        commitments,
                    },
                )?;
                self.partners[p].qar_step = QarStep::Complete;
                let next = self.later(at, 0, 2);
                self.schedule(next, Task::Qar(p));
            }
            QarStep::Complete => {
                self.partners[p].qar.execute(
                    &mut self.sink,
                    Act::new(&pam, at).partner(p),
                    QarCommand::Complete { partner },
                )?;
                // Completed QARs are history the generator no longer needs.
                self.partners[p].qar.state.history.clear();
                self.schedule_open(p, at);
            }
        }
        Ok(())
    }

    /// Queues the RAP track if it is idle and the partner may run RAPs now.
    pub(super) fn wake_rap(&mut self, p: usize, at: DateTime<Utc>) {
        let life = &self.partners[p];
        if life.rap_queued || life.rap.is_some() || !life.affinity || !self.may_run_rap(p) {
            return;
        }
        let when = self.later(at, 5, 60);
        self.partners[p].rap_queued = true;
        self.schedule(when, Task::Rap(p));
    }
}

/// The share of tier changes and reclassifications recorded late, as corrections: with the
/// named-account corrections this makes about 1% of the log.
const LATE_SHARE: f64 = 0.35;
