//! Quarterly account reviews: a partner's QAR cadence and a single completed QAR.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde_json::json;

use super::api::at;
use super::Demo;

/// What a partner's QAR cadence looks like today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QarToday {
    /// The last QAR was completed recently; the next is not yet due nor opened.
    Current,
    /// The next QAR is opened and not yet due.
    Open,
    /// The next QAR's due date passed `days` ago; not opened.
    Overdue(i64),
}

impl Demo {
    /// Runs the partner's QAR cadence: completed QARs every ~88 days over at most the last
    /// `window` days (the first one 85 days after `assigned`), ending in the state `today`.
    pub(super) async fn qars(
        &mut self,
        id: &str,
        token: &str,
        assigned: DateTime<Utc>,
        today: QarToday,
        window: i64,
    ) -> anyhow::Result<()> {
        let last = match today {
            QarToday::Current => self.random_days_ago(10..60),
            QarToday::Open => self.random_days_ago(65..85),
            QarToday::Overdue(late) => self.days_ago(90 + late),
        };
        let earliest = (assigned + Duration::days(85)).max(self.days_ago(window));
        let mut completions = Vec::new();
        let mut c = last;
        while c >= earliest {
            completions.push(c);
            c -= Duration::days(88);
        }
        completions.reverse();
        for c in completions {
            self.qar(id, token, c).await?;
        }
        if today == QarToday::Open {
            let opened = self.random_days_ago(1..5);
            self.api
                .post(
                    &format!("/partners/{id}/qars/open"),
                    token,
                    at(json!({}), opened),
                )
                .await?;
        }
        Ok(())
    }

    /// One QAR completed at `done`: opened three days before, the last plan reviewed, the
    /// discussion recorded, a new plan locked.
    pub(super) async fn qar(
        &mut self,
        id: &str,
        token: &str,
        done: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let base = format!("/partners/{id}/qars");
        let opened = done - Duration::days(3);
        self.api
            .post(&format!("{base}/open"), token, at(json!({}), opened))
            .await?;
        let overview = self.api.get(&base, token).await?;
        let pending: Vec<u64> = overview["under_review"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter(|c| c["review"].is_null())
                    .filter_map(|c| c["id"].as_u64())
                    .collect()
            })
            .unwrap_or_default();
        for n in pending {
            let outcome = if self.rng.random_bool(0.8) {
                "Delivered"
            } else {
                "Missed"
            };
            self.api
                .post(
                    &format!("{base}/current/commitments/{n}/review"),
                    token,
                    at(
                        json!({"outcome": outcome, "note": "reviewed with the partner"}),
                        opened + Duration::hours(1),
                    ),
                )
                .await?;
        }
        let (discussed, agreed) = self.pick(&[
            (
                "Pipeline in the mid-market",
                "Two joint webinars for existing customers",
            ),
            (
                "Renewals due next quarter",
                "Cross-sell the security add-on to the top ten accounts",
            ),
            ("Certification gaps", "Certify two more engineers"),
            (
                "Named accounts from their base",
                "Qualify three named accounts for a RAP",
            ),
        ]);
        self.api
            .post(
                &format!("{base}/current/discussion"),
                token,
                at(json!({"discussed": discussed, "agreed": agreed, "why": "their installed base fits our ICP"}),
                    done - Duration::days(1)),
            )
            .await?;
        self.api
            .post(
                &format!("{base}/current/plan"),
                token,
                at(
                    json!({"commitments": [{"description": agreed, "owner": "partner sales lead",
                                             "due_at": (done + Duration::days(60)).to_rfc3339()}]}),
                    done - Duration::days(1) + Duration::hours(1),
                ),
            )
            .await?;
        self.api
            .post(
                &format!("{base}/current/complete"),
                token,
                at(json!({}), done),
            )
            .await?;
        Ok(())
    }
}
