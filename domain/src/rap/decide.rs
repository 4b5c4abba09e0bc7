//! The decisions of `handle`: each command checked against the RAP as it stands, the actor's
//! permission and the partner facts, and turned into the one event that records it.

use chrono::{DateTime, Utc};

use super::approving::Submission;
use super::command::RapCommand;
use super::error::RapError;
use super::event::RapEvent;
use super::permission::permission_for;
use super::terms::{check_amount, AccountDomain};
use super::values::{rap_title, NamedAccount, NamedAccountStatus, RapStatus};
use super::{Rap, RapPlan};
use crate::actor::Actor;
use crate::approval::Verdict;
use crate::partner::{Classification, PartnerFacts};

/// Offboarded and Zombie partners get no RAP (design.md §2: a Zombie is a removal candidate).
fn check_partner(partner: &PartnerFacts) -> Result<(), RapError> {
    if partner.offboarded {
        return Err(RapError::PartnerOffboarded);
    }
    if partner.classification == Some(Classification::Zombie) {
        return Err(RapError::ZombiePartner);
    }
    Ok(())
}

impl RapPlan {
    fn editable(&self) -> Result<(), RapError> {
        match self.status {
            RapStatus::Draft | RapStatus::Rejected => Ok(()),
            status => Err(RapError::NotEditable { status }),
        }
    }

    fn same_partner(&self, partner: &PartnerFacts) -> Result<(), RapError> {
        if partner.partner_id == self.partner_id {
            check_partner(partner)
        } else {
            Err(RapError::PartnerMismatch)
        }
    }

    fn account(&self, domain: &AccountDomain) -> Result<&NamedAccount, RapError> {
        let account = self
            .accounts
            .iter()
            .find(|a| &a.domain == domain)
            .ok_or_else(|| RapError::UnknownNamedAccount(domain.clone()))?;
        if account.status.is_final() {
            return Err(RapError::NamedAccountClosed {
                domain: domain.clone(),
                status: account.status,
            });
        }
        Ok(account)
    }
}

impl Rap {
    pub(super) fn decide(
        &self,
        actor: &Actor,
        at: DateTime<Utc>,
        command: RapCommand,
    ) -> Result<RapEvent, RapError> {
        let permission = permission_for(&command);
        match command {
            RapCommand::Draft {
                rap_id,
                partner,
                period,
                terms,
            } => {
                if self.plan.is_some() {
                    return Err(RapError::AlreadyExists);
                }
                permission.check(actor, &partner.territory)?;
                check_partner(&partner)?;
                terms.check()?;
                terms.check_policy(partner.tier)?;
                Ok(RapEvent::RapDrafted {
                    rap_id,
                    title: rap_title(&partner.name, period),
                    partner_id: partner.partner_id,
                    partner_name: partner.name,
                    territory: partner.territory,
                    tier: partner.tier,
                    period,
                    terms,
                })
            }
            RapCommand::Revise { terms } => {
                let plan = self.plan()?;
                permission.check(actor, &plan.territory)?;
                plan.editable()?;
                terms.check()?;
                terms.check_policy(plan.tier)?;
                Ok(RapEvent::RapRevised { terms })
            }
            RapCommand::Submit { partner } => {
                let plan = self.plan()?;
                permission.check(actor, &plan.territory)?;
                plan.editable()?;
                plan.same_partner(&partner)?;
                let submission = Submission::of(actor, at, &partner, &plan.terms)?;
                Ok(RapEvent::RapSubmitted { submission })
            }
            RapCommand::Approve {
                step,
                on_behalf_of,
                comment,
            } => self.decide_verdict(actor, at, step, Verdict::Approved, on_behalf_of, comment),
            RapCommand::Reject {
                step,
                on_behalf_of,
                reason,
            } => self.decide_verdict(
                actor,
                at,
                step,
                Verdict::Rejected,
                on_behalf_of,
                Some(reason),
            ),
            RapCommand::ProposeAmendment {
                partner,
                terms,
                reason,
            } => {
                let plan = self.active()?;
                permission.check(actor, &plan.territory)?;
                if plan.amendment.is_some() {
                    return Err(RapError::AmendmentPending);
                }
                plan.same_partner(&partner)?;
                if terms == plan.terms {
                    return Err(RapError::AmendmentUnchanged);
                }
                // Agreed targets end as Won or Lost, on the record; they are never deleted.
                if let Some(dropped) = plan
                    .accounts
                    .iter()
                    .find(|a| !terms.named_accounts.iter().any(|t| t.domain == a.domain))
                {
                    return Err(RapError::NamedAccountDropped(dropped.domain.clone()));
                }
                let submission = Submission::of(actor, at, &partner, &terms)?;
                Ok(RapEvent::RapAmendmentProposed {
                    submission,
                    terms,
                    reason,
                })
            }
            RapCommand::AdvanceNamedAccount { domain, to } => {
                let plan = self.active()?;
                permission.check(actor, &plan.territory)?;
                let from = plan.account(&domain)?.status;
                // Won carries its ARR, so it has a command of its own.
                if from.next() != Some(to) || to == NamedAccountStatus::Won {
                    return Err(RapError::NamedAccountOutOfOrder { from, to });
                }
                Ok(RapEvent::NamedAccountAdvanced { domain, from, to })
            }
            RapCommand::WinNamedAccount { domain, arr } => {
                let plan = self.active()?;
                permission.check(actor, &plan.territory)?;
                let from = plan.account(&domain)?.status;
                if from != NamedAccountStatus::InProgress {
                    return Err(RapError::NamedAccountOutOfOrder {
                        from,
                        to: NamedAccountStatus::Won,
                    });
                }
                check_amount("arr", arr)?;
                if arr.minor == 0 {
                    return Err(RapError::WonArrNotPositive);
                }
                // Keeps the RAP's total ARR won representable, so summing it never fails.
                plan.arr_won()
                    .checked_add(arr)
                    .map_err(|_| RapError::AmountOutOfRange { field: "arr" })?;
                Ok(RapEvent::NamedAccountWon { domain, from, arr })
            }
            RapCommand::LoseNamedAccount { domain, reason } => {
                let plan = self.active()?;
                permission.check(actor, &plan.territory)?;
                let from = plan.account(&domain)?.status;
                Ok(RapEvent::NamedAccountLost {
                    domain,
                    from,
                    reason,
                })
            }
            RapCommand::Close { outcome, note } => {
                let plan = self.active()?;
                permission.check(actor, &plan.territory)?;
                if plan.amendment.is_some() {
                    return Err(RapError::AmendmentPending);
                }
                Ok(RapEvent::RapClosed {
                    outcome,
                    note,
                    arr_won: plan.arr_won(),
                    closed_at: at,
                })
            }
        }
    }
}
