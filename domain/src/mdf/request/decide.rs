//! Routing a fund request command to the rule that decides it.

use chrono::{DateTime, Utc};

use super::{
    draft, permission_for, FundRequest, FundRequestCommand, FundRequestEvent, RequestDetails,
};
use crate::actor::Actor;
use crate::authored::{Authored, Permission};
use crate::mdf::error::MdfError;

impl FundRequest {
    pub(super) fn decide(
        &self,
        authored: Authored<FundRequestCommand>,
    ) -> Result<Vec<FundRequestEvent>, MdfError> {
        use FundRequestCommand as C;
        let permission = permission_for(&authored.command);
        let Authored { actor, at, command } = authored;
        if let C::Draft {
            request_id,
            partner,
            quarter,
            link,
            title,
            named_accounts,
        } = command
        {
            if self.details.is_some() {
                return Err(MdfError::RequestExists);
            }
            permission.check(&actor, &partner.territory)?;
            return draft::draft(request_id, partner, quarter, link, title, named_accounts);
        }
        let request = self.current()?;
        let ctx = Ctx {
            request,
            actor: &actor,
            at,
            permission,
        };
        match command {
            C::Draft { .. } => Err(MdfError::RequestExists),
            C::AddActivity(input) => ctx.add_activity(input),
            C::RemoveActivity { activity_id } => ctx.remove_activity(activity_id),
            C::Submit {
                source,
                available,
                late_reason,
            } => ctx.submit(source, available, late_reason),
            C::Withdraw { reason } => ctx.withdraw(reason),
            C::Return { reason } => ctx.close_review(reason, Closing::Return),
            C::Reject { reason } => ctx.close_review(reason, Closing::Reject),
            C::Decline { reason } => ctx.close_review(reason, Closing::Decline),
            C::ApproveActivity {
                activity_id,
                amount,
                on_behalf_of,
                comment,
            } => ctx.approve_activity(activity_id, amount, on_behalf_of, comment),
            C::RejectActivity {
                activity_id,
                on_behalf_of,
                reason,
            } => ctx.reject_activity(activity_id, on_behalf_of, reason),
            C::SubmitClaim {
                activity_id,
                amount,
                rate,
            } => ctx.submit_claim(activity_id, amount, rate),
            C::SubmitProof { activity_id, proof } => ctx.submit_proof(activity_id, proof),
            C::AcceptProof {
                activity_id,
                comment,
            } => ctx.review_proof(activity_id, Ok(comment)),
            C::RejectProof {
                activity_id,
                reason,
            } => ctx.review_proof(activity_id, Err(reason)),
            C::RecordPayment {
                payment_reference,
                settlements,
                rate,
            } => ctx.record_payment(payment_reference, settlements, rate),
        }
    }
}

/// A command's context: the request as it stands, who acts, when, under which permission.
pub(super) struct Ctx<'a> {
    pub(super) request: &'a RequestDetails,
    pub(super) actor: &'a Actor,
    pub(super) at: DateTime<Utc>,
    pub(super) permission: Permission,
}

impl Ctx<'_> {
    pub(super) fn check_permission(&self) -> Result<(), MdfError> {
        Ok(self.permission.check(self.actor, &self.request.territory)?)
    }
}

/// How a review ends without approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Closing {
    Return,
    Reject,
    Decline,
}
