//! RAPs that ran their course: approved, their MDF drawn, claimed and paid, their named accounts
//! worked to Won (with ARR) or Lost (with a reason), and closed by the Manager with an outcome.

use chrono::Duration;
use serde_json::json;

use super::api::{at, usd};
use super::funding::{Funding, Reached};
use super::staff::Cast;
use super::{fiscal_quarter, Demo};

/// How a named account ended.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ended {
    Won { arr: i64 },
    Lost { reason: &'static str },
}

/// A closed RAP: the partner, when it was drafted, its economics in dollars (the partner matches
/// the MDF), two named accounts and how each ended, the one activity its MDF paid for, and the
/// outcome the Manager closed it with.
pub(super) struct ClosedRap {
    pub(super) partner: &'static str,
    /// The territory whose Manager and PAM act (see [`Cast`]).
    territory: usize,
    drafted_days_ago: i64,
    mdf: i64,
    arr_target: i64,
    /// Name, domain, how it ended.
    accounts: [(&'static str, &'static str, Ended); 2],
    activity: &'static str,
    proof: &'static str,
    outcome: &'static str,
    note: &'static str,
}

pub(super) const CLOSED_RAPS: [ClosedRap; 3] = [
    ClosedRap {
        partner: "Redwood Digital",
        territory: 2,
        drafted_days_ago: 430,
        mdf: 6_000,
        arr_target: 90_000,
        accounts: [
            (
                "Tidewater Freight",
                "tidewaterfreight.com",
                Ended::Lost {
                    reason: "Renewed with the incumbent for three years",
                },
            ),
            (
                "Blue Ridge Cold Chain",
                "blueridgecoldchain.com",
                Ended::Lost {
                    reason: "Budget frozen after its acquisition",
                },
            ),
        ],
        activity: "Logistics customer day at the partner's Charlotte office",
        proof: "Agenda, attendee list of 42 and the venue invoice",
        outcome: "Missed",
        note:
            "Both named accounts went elsewhere; the partner's logistics base renews on long cycles",
    },
    ClosedRap {
        partner: "Beacon Data",
        territory: 0,
        drafted_days_ago: 350,
        mdf: 12_000,
        arr_target: 150_000,
        accounts: [
            (
                "Cascadia Credit Union",
                "cascadiacu.org",
                Ended::Won { arr: 96_000 },
            ),
            (
                "Puget Mutual Insurance",
                "pugetmutual.com",
                Ended::Won { arr: 72_000 },
            ),
        ],
        activity: "Security workshop series for the partner's financial-services customers",
        proof: "Three workshop agendas, 61 attendees and the partner's invoice",
        outcome: "Achieved",
        note: "Both named accounts won, ARR above target",
    },
    ClosedRap {
        partner: "Keystone Solutions",
        territory: 1,
        drafted_days_ago: 270,
        mdf: 5_000,
        arr_target: 60_000,
        accounts: [
            (
                "Chesapeake County Schools",
                "chesapeakeschools.org",
                Ended::Won { arr: 38_000 },
            ),
            (
                "Delmarva Water Authority",
                "delmarvawater.gov",
                Ended::Lost {
                    reason: "Procurement chose a bundle from its ERP vendor",
                },
            ),
        ],
        activity: "Public-sector webinar and migration assessments",
        proof: "Webinar recording, registrant list and two assessment reports",
        outcome: "Partial",
        note: "One of two named accounts won; the other went to a bundled offer",
    },
];

/// Days after drafting that the accounts move, the activity starts and the Manager closes it.
const QUALIFIED_AFTER: i64 = 20;
const FUNDED_AFTER: i64 = 5;
const ACTIVITY_AFTER: i64 = 45;
const IN_PROGRESS_AFTER: i64 = 50;
const LOST_AFTER: i64 = 80;
const WON_AFTER: i64 = 100;
const CLOSED_AFTER: i64 = 140;

impl Demo {
    /// Writes `plan` from draft to close; `partner` is its partner's id.
    pub(super) async fn closed_rap(
        &mut self,
        partner: &str,
        plan: &ClosedRap,
        cast: &Cast,
    ) -> anyhow::Result<()> {
        let (pam, manager) = (&cast.pams[plan.territory], &cast.managers[plan.territory]);
        let drafted = self.days_ago(plan.drafted_days_ago) + Duration::hours(10);
        let after = |days| drafted + Duration::days(days);
        let accounts: Vec<_> = plan
            .accounts
            .iter()
            .map(|(name, domain, _)| json!({"name": name, "domain": domain}))
            .collect();
        let terms = json!({
            "named_accounts": accounts,
            "mdf": usd(plan.mdf),
            "partner_contribution": usd(plan.mdf),
            "arr_target": usd(plan.arr_target),
            "partner_expected_revenue": usd(plan.mdf * 4),
        });
        let period = fiscal_quarter(after(30));
        let rap = self
            .draft_and_submit(partner, pam, &period, terms, drafted, after(1))
            .await?;
        self.approve(
            &rap,
            manager,
            "Manager",
            "Named accounts verified",
            after(2),
        )
        .await?;
        self.approve(&rap, &cast.cxo, "CxO", "Approved", after(3))
            .await?;
        let funding = Funding {
            partner: partner.to_owned(),
            rap: rap.clone(),
            territory: plan.territory,
            title: plan.activity,
            named_accounts: plan.accounts.iter().map(|a| a.1.to_owned()).collect(),
            activity: plan.activity,
            proof: plan.proof,
            dollars: plan.mdf,
            drafted: after(FUNDED_AFTER),
            starts: after(ACTIVITY_AFTER),
            reached: Reached::Paid,
        };
        self.fund(&funding, cast).await?;
        for (i, (_, domain, ended)) in (0..).zip(&plan.accounts) {
            let account = format!("/raps/{rap}/named-accounts/{domain}");
            let mut steps = vec![("advance", json!({"to": "Qualified"}), QUALIFIED_AFTER)];
            match ended {
                Ended::Won { arr } => {
                    steps.push(("advance", json!({"to": "InProgress"}), IN_PROGRESS_AFTER));
                    steps.push(("win", json!({"arr": usd(*arr)}), WON_AFTER));
                }
                Ended::Lost { reason } => {
                    steps.push(("lose", json!({"reason": reason}), LOST_AFTER))
                }
            }
            for (action, body, days) in steps {
                // A week apart, so the two accounts' steps never share a moment.
                let when = after(days + 7 * i);
                self.api
                    .post(&format!("{account}/{action}"), &pam.token, at(body, when))
                    .await?;
            }
        }
        self.api
            .post(
                &format!("/raps/{rap}/close"),
                &manager.token,
                at(
                    json!({"outcome": plan.outcome, "note": plan.note}),
                    after(CLOSED_AFTER),
                ),
            )
            .await?;
        Ok(())
    }
}
