//! Preparing a fund request: drafting, the activity plan, submission and withdrawal.

use chrono::Duration;

use super::command::ActivityInput;
use super::{Ctx, FundRequestEvent as E, FundRequestStatus, PLAN_LEAD_DAYS};
use crate::approval::StaffRef;
use crate::fiscal::{add_business_days, FiscalQuarter};
use crate::mdf::budget::APPROVAL_SLA_BUSINESS_DAYS;
use crate::mdf::error::MdfError;
use crate::mdf::facts::{
    in_program_currency, positive_program_amount, FundingLink, RapFacts, SourceFacts,
};
use crate::mdf::ids::{ActivityId, FundRequestId};
use crate::money::Money;
use crate::partner::PartnerFacts;
use crate::text::{Name, Reason};

pub(super) fn draft(
    request_id: FundRequestId,
    partner: PartnerFacts,
    quarter: FiscalQuarter,
    link: FundingLink,
    title: Name,
    named_accounts: Vec<String>,
) -> Result<Vec<E>, MdfError> {
    if partner.offboarded {
        return Err(MdfError::PartnerOffboarded);
    }
    let mut domains: Vec<String> = named_accounts
        .iter()
        .map(|d| d.trim().to_lowercase())
        .filter(|d| !d.is_empty())
        .collect();
    domains.sort();
    domains.dedup();
    Ok(vec![E::FundRequestDrafted {
        request_id,
        partner_id: partner.partner_id,
        partner_name: partner.name,
        territory: partner.territory,
        quarter,
        link,
        title,
        named_accounts: domains,
    }])
}

impl Ctx<'_> {
    fn editable(&self, action: &'static str) -> Result<(), MdfError> {
        self.request
            .require(action, self.request.status.is_editable())?;
        self.check_permission()
    }

    pub(super) fn add_activity(&self, input: ActivityInput) -> Result<Vec<E>, MdfError> {
        self.editable("add an activity to")?;
        if self.request.activity(input.activity_id).is_ok() {
            return Err(MdfError::ActivityExists);
        }
        let requested_program =
            positive_program_amount(input.requested, input.rate.as_ref(), "requested")?;
        let rate = (input.requested.currency != requested_program.currency)
            .then_some(input.rate)
            .flatten();
        Ok(vec![E::ActivityAdded {
            activity_id: input.activity_id,
            description: input.description,
            starts_on: input.starts_on,
            requested: input.requested,
            rate,
            requested_program,
        }])
    }

    pub(super) fn remove_activity(&self, activity_id: ActivityId) -> Result<Vec<E>, MdfError> {
        self.editable("remove an activity from")?;
        self.request.activity(activity_id)?;
        Ok(vec![E::ActivityRemoved { activity_id }])
    }

    pub(super) fn submit(
        &self,
        source: SourceFacts,
        available: Money,
        late_reason: Option<Reason>,
    ) -> Result<Vec<E>, MdfError> {
        self.editable("submit")?;
        let r = self.request;
        if r.activities.is_empty() {
            return Err(MdfError::NoActivities);
        }
        let total = r.requested_total();
        self.check_source(&source, total)?;
        let earliest = self.at.date_naive() + Duration::days(PLAN_LEAD_DAYS);
        if late_reason.is_none() {
            if let Some(late) = r.activities.iter().find(|a| a.starts_on < earliest) {
                return Err(MdfError::LatePlan {
                    activity_id: late.activity_id,
                    starts_on: late.starts_on,
                    earliest,
                });
            }
        }
        let available = in_program_currency(available, None)?;
        if total.minor > available.minor {
            return Err(MdfError::OverAvailableAllocation { available });
        }
        Ok(vec![E::FundRequestSubmitted {
            submitted_by: StaffRef::from(self.actor),
            submitted_at: self.at,
            approval_due: add_business_days(self.at, APPROVAL_SLA_BUSINESS_DAYS),
            late_reason,
            requested_total: total,
            source,
            available,
        }])
    }

    /// The linked RAP must be Active, the partner's, and cover the named accounts and amount;
    /// a linked exemption must be the partner's for the quarter and fully approved.
    fn check_source(&self, source: &SourceFacts, total: Money) -> Result<(), MdfError> {
        let r = self.request;
        if source.link() != r.link {
            return Err(MdfError::SourceMismatch);
        }
        match source {
            SourceFacts::Rap(rap) => check_rap(rap, r.partner_id, &r.named_accounts, total),
            SourceFacts::Exemption(e) => {
                if e.partner_id != r.partner_id || e.quarter != r.quarter {
                    return Err(MdfError::SourceOfAnotherPartner);
                }
                if !e.approved {
                    return Err(MdfError::ExemptionNotApproved);
                }
                Ok(())
            }
        }
    }

    pub(super) fn withdraw(&self, reason: Reason) -> Result<Vec<E>, MdfError> {
        let open = self.request.status.is_editable()
            || self.request.status == FundRequestStatus::Submitted;
        self.request.require("withdraw", open)?;
        self.check_permission()?;
        Ok(vec![E::FundRequestWithdrawn { reason }])
    }
}

fn check_rap(
    rap: &RapFacts,
    partner: crate::partner::PartnerId,
    named_accounts: &[String],
    total: Money,
) -> Result<(), MdfError> {
    if rap.partner_id != partner {
        return Err(MdfError::SourceOfAnotherPartner);
    }
    if !rap.active {
        return Err(MdfError::RapNotActive);
    }
    if named_accounts.is_empty() {
        return Err(MdfError::NoNamedAccounts);
    }
    let known: Vec<String> = rap
        .named_account_domains
        .iter()
        .map(|d| d.trim().to_lowercase())
        .collect();
    if let Some(domain) = named_accounts.iter().find(|d| !known.contains(d)) {
        return Err(MdfError::NamedAccountNotInRap {
            domain: domain.clone(),
        });
    }
    let mdf = in_program_currency(rap.mdf, None)?;
    if total.minor > mdf.minor {
        return Err(MdfError::OverRapMdf { mdf });
    }
    Ok(())
}
