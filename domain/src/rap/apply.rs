//! `apply`: folds an event into the state. Pure and infallible; an event that does not fit the
//! state (which `handle` never emits) changes nothing rather than panicking during a replay.

use super::approving::ApprovalRound;
use super::event::RapEvent;
use super::terms::NamedAccountTarget;
use super::values::{NamedAccount, NamedAccountStatus, RapStatus};
use super::{Amendment, Closure, Rap, RapPlan};
use crate::approval::ApprovalRecord;

/// An account of newly agreed terms starts Identified.
fn identified(target: &NamedAccountTarget) -> NamedAccount {
    NamedAccount {
        name: target.name.clone(),
        domain: target.domain.clone(),
        status: NamedAccountStatus::Identified,
        arr_won: None,
        lost_reason: None,
    }
}

impl RapPlan {
    fn decided(&mut self, approval: ApprovalRecord) {
        self.approvals.push(approval);
    }

    fn account_mut(&mut self, domain: &super::AccountDomain) -> Option<&mut NamedAccount> {
        self.accounts.iter_mut().find(|a| &a.domain == domain)
    }

    /// The amended targets keep the progress of the accounts they share with the old terms.
    fn adopt_accounts(&mut self) {
        let previous = std::mem::take(&mut self.accounts);
        self.accounts = self
            .terms
            .named_accounts
            .iter()
            .map(|t| {
                previous.iter().find(|a| a.domain == t.domain).map_or_else(
                    || identified(t),
                    |a| NamedAccount {
                        name: t.name.clone(),
                        ..a.clone()
                    },
                )
            })
            .collect();
    }
}

impl Rap {
    pub(super) fn evolve(&mut self, event: RapEvent) {
        if let RapEvent::RapDrafted {
            rap_id,
            partner_id,
            partner_name,
            territory,
            tier,
            period,
            title,
            terms,
        } = event
        {
            self.plan = Some(RapPlan {
                rap_id,
                partner_id,
                partner_name,
                territory,
                tier,
                period,
                title,
                status: RapStatus::Draft,
                terms,
                economics: None,
                version: 0,
                round: None,
                amendment: None,
                accounts: Vec::new(),
                approvals: Vec::new(),
                closure: None,
            });
            return;
        }
        let Some(plan) = &mut self.plan else { return };
        match event {
            RapEvent::RapDrafted { .. } => {}
            RapEvent::RapRevised { terms } => {
                plan.terms = terms;
                plan.status = RapStatus::Draft;
                plan.economics = None;
            }
            RapEvent::RapSubmitted { submission } => {
                plan.status = RapStatus::Submitted;
                plan.tier = submission.tier;
                plan.economics = Some(submission.economics);
                plan.round = Some(ApprovalRound::new(submission));
            }
            RapEvent::RapApprovedByManager { approval, .. } => {
                plan.status = RapStatus::ManagerApproved;
                if let Some(round) = &mut plan.round {
                    round.manager_approval = Some(approval.clone());
                }
                plan.decided(approval);
            }
            RapEvent::RapRejected { approval } => {
                plan.status = RapStatus::Rejected;
                plan.round = None;
                plan.decided(approval);
            }
            RapEvent::RapActivated {
                approval, version, ..
            } => {
                plan.status = RapStatus::Active;
                plan.round = None;
                plan.version = version;
                plan.accounts = plan.terms.named_accounts.iter().map(identified).collect();
                plan.decided(approval);
            }
            RapEvent::RapAmendmentProposed {
                submission,
                terms,
                reason,
            } => {
                plan.tier = submission.tier;
                plan.amendment = Some(Amendment {
                    terms,
                    reason,
                    round: ApprovalRound::new(submission),
                });
            }
            RapEvent::RapAmendmentApprovedByManager { approval, .. } => {
                if let Some(a) = &mut plan.amendment {
                    a.round.manager_approval = Some(approval.clone());
                }
                plan.decided(approval);
            }
            RapEvent::RapAmendmentApproved {
                approval, version, ..
            } => {
                if let Some(a) = plan.amendment.take() {
                    plan.terms = a.terms;
                    plan.economics = Some(a.round.submission.economics);
                    plan.version = version;
                    plan.adopt_accounts();
                }
                plan.decided(approval);
            }
            RapEvent::RapAmendmentRejected { approval } => {
                plan.amendment = None;
                plan.decided(approval);
            }
            RapEvent::NamedAccountAdvanced { domain, to, .. } => {
                if let Some(a) = plan.account_mut(&domain) {
                    a.status = to;
                }
            }
            RapEvent::NamedAccountWon { domain, arr, .. } => {
                if let Some(a) = plan.account_mut(&domain) {
                    a.status = NamedAccountStatus::Won;
                    a.arr_won = Some(arr);
                }
            }
            RapEvent::NamedAccountLost { domain, reason, .. } => {
                if let Some(a) = plan.account_mut(&domain) {
                    a.status = NamedAccountStatus::Lost;
                    a.lost_reason = Some(reason);
                }
            }
            RapEvent::RapClosed {
                outcome,
                note,
                arr_won,
                closed_at,
            } => {
                plan.status = RapStatus::Closed;
                plan.closure = Some(Closure {
                    outcome,
                    note,
                    arr_won,
                    closed_at,
                });
            }
        }
    }
}
