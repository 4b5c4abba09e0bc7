//! MDF drawn on a RAP, from allocation to payment: the Manager allocates the partner's quarter
//! within its tier cap, the PAM drafts a fund request with one activity and submits it, the
//! Manager approves it, the PAM claims with proof once the activity has run, and Finance reviews
//! the proof and pays — or has not paid yet, or sent the proof back.

use anyhow::Context;
use channel_ledger_domain::mdf::request::PLAN_LEAD_DAYS;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;

use super::api::{at, id_of, usd};
use super::raps::client_domain;
use super::staff::Cast;
use super::Demo;

/// How far a fund request got by today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reached {
    /// Finance paid the claim in full.
    Paid,
    /// Finance accepted the proof and has not paid it yet.
    ProofAccepted,
    /// Finance sent the proof back for this reason; no new proof yet.
    ProofRejected(&'static str),
}

/// One fund request of a partner against one of its RAPs, with a single activity.
pub(super) struct Funding {
    pub(super) partner: String,
    pub(super) rap: String,
    /// The territory whose Manager and PAM act (see [`Cast`]).
    pub(super) territory: usize,
    pub(super) title: &'static str,
    pub(super) named_accounts: Vec<String>,
    pub(super) activity: &'static str,
    pub(super) proof: &'static str,
    pub(super) dollars: i64,
    pub(super) drafted: DateTime<Utc>,
    pub(super) starts: DateTime<Utc>,
    pub(super) reached: Reached,
}

/// Days after the activity starts that the PAM claims, sends proof and Finance reviews it.
const CLAIMED_AFTER: i64 = 3;
const PROOF_AFTER: i64 = 4;
const REVIEWED_AFTER: i64 = 6;
/// Days after accepting the proof that Finance pays, well within the 30-day reimbursement SLA.
const PAID_AFTER_REVIEW: i64 = 10;

/// Ironclad MSP's two requests against its Q2 2026 RAP ($12,000 each, the RAP's $24,000 MDF):
/// the Meridian Healthcare roundtable, paid; the Fortis Financial Group workshop starting at
/// `workshop`, its proof accepted and its reimbursement now overdue.
pub(super) fn ironclad(
    partner: &str,
    rap: &str,
    workshop: DateTime<Utc>,
) -> anyhow::Result<[Funding; 2]> {
    let day = |m: u32, d: u32| {
        Utc.with_ymd_and_hms(2026, m, d, 10, 0, 0)
            .single()
            .context("date")
    };
    let funding = |title, domain: &str, activity, proof, drafted, starts, reached| Funding {
        partner: partner.to_owned(),
        rap: rap.to_owned(),
        territory: 0,
        title,
        named_accounts: vec![domain.to_owned()],
        activity,
        proof,
        dollars: 12_000,
        drafted,
        starts,
        reached,
    };
    Ok([
        funding(
            "Meridian Healthcare executive roundtable",
            "meridianhealthcare.com",
            "Executive roundtable on HIPAA-ready managed security for Meridian's IT leadership",
            "Agenda, attendee list (14 Meridian staff) and the venue invoice",
            day(3, 2)?,
            day(4, 14)?,
            Reached::Paid,
        ),
        funding(
            "Fortis Financial Group proof-of-concept workshop",
            "fortisfinancial.com",
            "Two-day proof-of-concept workshop with Fortis's security operations team",
            "Workshop report signed by Fortis's CISO and the partner's engineering invoice",
            workshop - Duration::days(35),
            workshop,
            Reached::ProofAccepted,
        ),
    ])
}

/// Granite Consulting's launch event against its small RAP active since `active`: planned at
/// short notice, run, claimed — and its proof sent back by Finance.
pub(super) fn granite(partner: &str, rap: &str, active: DateTime<Utc>) -> Funding {
    Funding {
        partner: partner.to_owned(),
        rap: rap.to_owned(),
        territory: 2,
        title: "Retail analytics launch event",
        named_accounts: vec![client_domain("Granite Consulting", "one")],
        activity: "Launch event for the partner's retail customers in Atlanta",
        proof: "Photos of the event",
        dollars: 2_000,
        drafted: active + Duration::days(1),
        starts: active + Duration::days(8),
        reached: Reached::ProofRejected(
            "The invoice does not name the event and the attendee list is missing",
        ),
    }
}

impl Demo {
    /// Writes the fund request of `f` from allocation to where it `reached`.
    pub(super) async fn fund(&mut self, f: &Funding, cast: &Cast) -> anyhow::Result<()> {
        let (pam, manager) = (&cast.pams[f.territory], &cast.managers[f.territory]);
        let quarter = super::fiscal_quarter(f.starts);
        let budget = self.budget(f.starts, &cast.cxo).await?;
        let amount = usd(f.dollars);
        self.api
            .post(
                &format!("{budget}/allocations"),
                &manager.token,
                at(
                    json!({"partner_id": f.partner, "amount": amount}),
                    f.drafted - Duration::hours(1),
                ),
            )
            .await?;
        let r = self
            .api
            .post(
                "/mdf/fund-requests",
                &pam.token,
                at(
                    json!({"partner_id": f.partner, "quarter": quarter, "rap_id": f.rap,
                           "title": f.title, "named_accounts": f.named_accounts}),
                    f.drafted,
                ),
            )
            .await?;
        let request = format!("/mdf/fund-requests/{}", id_of(&r)?);
        let r = self
            .api
            .post(
                &format!("{request}/activities"),
                &pam.token,
                at(
                    json!({"description": f.activity, "starts_on": f.starts.date_naive(),
                           "requested": amount}),
                    f.drafted + Duration::hours(1),
                ),
            )
            .await?;
        let activity = format!(
            "{request}/activities/{}",
            r["activity_id"].as_str().context("demo: no activity id")?
        );
        let submitted = f.drafted + Duration::hours(2);
        let mut submit = json!({});
        if f.starts.date_naive() < submitted.date_naive() + Duration::days(PLAN_LEAD_DAYS) {
            submit["late_reason"] = json!("the customer set the date at short notice");
        }
        self.api
            .post(
                &format!("{request}/submit"),
                &pam.token,
                at(submit, submitted),
            )
            .await?;
        self.api
            .post(
                &format!("{activity}/approve"),
                &manager.token,
                at(
                    json!({"amount": amount, "comment": "Targets named accounts of the RAP"}),
                    f.drafted + Duration::days(1),
                ),
            )
            .await?;
        let after = |days| f.starts + Duration::days(days);
        self.api
            .post(
                &format!("{activity}/claim"),
                &pam.token,
                at(json!({"amount": amount}), after(CLAIMED_AFTER)),
            )
            .await?;
        self.api
            .post(
                &format!("{activity}/proof"),
                &pam.token,
                at(json!({"proof": f.proof}), after(PROOF_AFTER)),
            )
            .await?;
        let reviewed = after(REVIEWED_AFTER);
        let (verdict, body) = match f.reached {
            Reached::ProofRejected(reason) => ("reject", json!({"reason": reason})),
            Reached::Paid | Reached::ProofAccepted => (
                "accept",
                json!({"comment": "Proof matches the approved activity"}),
            ),
        };
        self.api
            .post(
                &format!("{activity}/proof/{verdict}"),
                &cast.finance.token,
                at(body, reviewed),
            )
            .await?;
        if f.reached == Reached::Paid {
            let activity_id = activity.rsplit('/').next().context("activity id")?;
            let short = activity_id.split('-').next().unwrap_or(activity_id);
            let reference = format!("ACH {short}");
            self.api
                .post(
                    &format!("{request}/payments"),
                    &cast.finance.token,
                    at(
                        json!({"payment_reference": reference,
                               "settlements": [{"activity_id": activity_id, "amount": amount}]}),
                        reviewed + Duration::days(PAID_AFTER_REVIEW),
                    ),
                )
                .await?;
        }
        Ok(())
    }
}
