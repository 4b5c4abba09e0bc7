//! Reviewing a submitted request: each activity approved (for at most what was requested) or
//! rejected on its own by a Manager of the partner's territory who did not submit it; or the
//! whole request returned, rejected or declined.

use chrono::{DateTime, Utc};

use super::command::Settlement;
use super::{ActivityDecision, Closing, Ctx, FundRequestEvent as E, FundRequestStatus};
use crate::approval::{ApprovalRecord, ApprovalStep, Approver, Delegation, Verdict};
use crate::mdf::approver::check_approver;
use crate::mdf::error::MdfError;
use crate::mdf::facts::in_program_currency;
use crate::mdf::ids::ActivityId;
use crate::money::Money;
use crate::text::Reason;

impl Ctx<'_> {
    /// The activity awaiting a decision and the approver, checked; returns when the step began.
    fn decision(
        &self,
        activity_id: ActivityId,
        approver: &Approver,
    ) -> Result<DateTime<Utc>, MdfError> {
        let r = self.request;
        r.require(
            "decide an activity of",
            r.status == FundRequestStatus::Submitted,
        )?;
        let activity = r.activity(activity_id)?;
        if activity.decision != ActivityDecision::Pending {
            return Err(MdfError::ActivityAlreadyDecided(activity_id));
        }
        let (Some(submitter), Some(since)) = (&r.submitted_by, r.submitted_at) else {
            return Err(MdfError::RequestWrongStatus {
                action: "decide an activity of",
                status: r.status,
            });
        };
        check_approver(
            approver,
            self.at,
            ApprovalStep::Manager,
            &r.territory,
            submitter.staff_id,
            &[],
        )?;
        Ok(since)
    }

    /// True when every activity other than `except` is already decided.
    fn others_decided(&self, except: ActivityId) -> bool {
        self.request
            .activities
            .iter()
            .filter(|a| a.activity_id != except)
            .all(|a| a.decision != ActivityDecision::Pending)
    }

    fn commitments(&self, extra: Option<Settlement>) -> Vec<Settlement> {
        self.request
            .activities
            .iter()
            .filter_map(|a| {
                a.approved().map(|amount| Settlement {
                    activity_id: a.activity_id,
                    amount,
                })
            })
            .chain(extra)
            .collect()
    }

    pub(super) fn approve_activity(
        &self,
        activity_id: ActivityId,
        amount: Money,
        on_behalf_of: Option<Delegation>,
        comment: Option<Reason>,
    ) -> Result<Vec<E>, MdfError> {
        let approver = Approver::new(self.actor.clone(), on_behalf_of);
        let since = self.decision(activity_id, &approver)?;
        let activity = self.request.activity(activity_id)?;
        let amount = match activity.rate {
            Some(rate) if amount.currency == activity.requested.currency => rate.convert(amount)?,
            _ => in_program_currency(amount, None)?,
        };
        if amount.minor <= 0 {
            return Err(MdfError::NotPositive { field: "amount" });
        }
        if amount.minor > activity.requested_program.minor {
            return Err(MdfError::ApprovedAboveRequested {
                requested: activity.requested_program,
            });
        }
        let record = ApprovalRecord::new(
            ApprovalStep::Manager,
            Verdict::Approved,
            &approver,
            comment,
            since,
            self.at,
        );
        let mut events = vec![E::ActivityApproved {
            activity_id,
            amount,
            record,
        }];
        if self.others_decided(activity_id) {
            let commitments = self.commitments(Some(Settlement {
                activity_id,
                amount,
            }));
            let total = super::sum(commitments.iter().map(|c| c.amount));
            events.push(E::FundRequestApproved { commitments, total });
        }
        Ok(events)
    }

    pub(super) fn reject_activity(
        &self,
        activity_id: ActivityId,
        on_behalf_of: Option<Delegation>,
        reason: Reason,
    ) -> Result<Vec<E>, MdfError> {
        let approver = Approver::new(self.actor.clone(), on_behalf_of);
        let since = self.decision(activity_id, &approver)?;
        let record = ApprovalRecord::new(
            ApprovalStep::Manager,
            Verdict::Rejected,
            &approver,
            Some(reason.clone()),
            since,
            self.at,
        );
        let mut events = vec![E::ActivityRejected {
            activity_id,
            record,
        }];
        if self.others_decided(activity_id) {
            let commitments = self.commitments(None);
            if commitments.is_empty() {
                events.push(E::FundRequestRejected { reason });
            } else {
                let total = super::sum(commitments.iter().map(|c| c.amount));
                events.push(E::FundRequestApproved { commitments, total });
            }
        }
        Ok(events)
    }

    /// Return, reject or decline the request as a whole.
    pub(super) fn close_review(&self, reason: Reason, how: Closing) -> Result<Vec<E>, MdfError> {
        let status = self.request.status;
        let (action, allowed) = match how {
            Closing::Return => ("return", status == FundRequestStatus::Submitted),
            Closing::Reject => ("reject", status == FundRequestStatus::Submitted),
            Closing::Decline => (
                "decline",
                matches!(
                    status,
                    FundRequestStatus::Submitted
                        | FundRequestStatus::Returned
                        | FundRequestStatus::Rejected
                ),
            ),
        };
        self.request.require(action, allowed)?;
        self.check_permission()?;
        Ok(vec![match how {
            Closing::Return => E::FundRequestReturned { reason },
            Closing::Reject => E::FundRequestRejected { reason },
            Closing::Decline => E::FundRequestDeclined { reason },
        }])
    }
}
