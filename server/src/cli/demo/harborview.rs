//! Harborview Systems: the Southeast partner handed from PAM to PAM as each one left — four PAMs
//! in four years, every quarter's QAR on file, each recorded by the PAM who held it then.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::api::{at, id_of, Person};
use super::staff::Cast;
use super::Demo;

/// A Southeast PAM who held the partner and left: their name, the day they joined (counted from
/// the program's start), the QARs they ran before handing over, and why they left.
struct Departure {
    name: &'static str,
    joined: i64,
    qars: usize,
    why: &'static str,
}

const DEPARTURES: [Departure; 3] = [
    Departure {
        name: "Tom W.",
        joined: 0,
        qars: 4,
        why: "left the company",
    },
    Departure {
        name: "Nina P.",
        joined: 300,
        qars: 4,
        why: "moved to another company",
    },
    Departure {
        name: "Omar R.",
        joined: 600,
        qars: 4,
        why: "left the company to start a consultancy",
    },
];

/// Days between two QARs: within the 90-day cadence, so every fiscal quarter holds one.
const QAR_EVERY_DAYS: i64 = 88;

/// A handover comes a week after the departing PAM's last QAR; they leave the day after.
const HANDOVER_AFTER_DAYS: i64 = 7;

impl Demo {
    /// Harborview Systems: registered by Tom W. four years ago and passed on as each PAM left,
    /// to Priya M. last. Every QAR is run by the partner's PAM of the moment; the Southeast
    /// Manager assigns each successor and the Admin records each departure.
    pub(super) async fn harborview(
        &mut self,
        cast: &Cast,
        start: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let (admin, manager) = (&cast.admin, &cast.managers[2]);
        let mut pams = Vec::with_capacity(DEPARTURES.len() + 1);
        for d in &DEPARTURES {
            let joined = start + Duration::days(d.joined);
            pams.push(
                self.hire(admin, d.name, "PAM", Some(2), joined, false)
                    .await?,
            );
        }
        pams.push(cast.pams[2].clone());
        let t = start + Duration::days(10);
        let r = self
            .api
            .post(
                "/partners",
                &pams[0].token,
                at(
                    json!({"name": "Harborview Systems", "partner_type": "Reseller", "territory": "Southeast",
                           "headquarters": "Savannah, GA", "size": "51-200", "specialization": "Healthcare"}),
                    t,
                ),
            )
            .await?;
        let id = id_of(&r)?;
        self.assign_pam(&id, &pams[0], manager, t + Duration::hours(1))
            .await?;
        self.api
            .post(
                &format!("/partners/{id}/classification"),
                &manager.token,
                at(json!({"classification": "Farmer", "rationale": "steady renewals, no net-new logos"}), t + Duration::days(2)),
            )
            .await?;
        let mut done = t + Duration::days(85);
        let last = self.days_ago(30);
        for (i, holder) in pams.iter().enumerate() {
            // The PAMs who left ran a fixed number of QARs; the last PAM runs the rest.
            let departure = DEPARTURES.get(i);
            let mut run = 0;
            while done <= last && departure.is_none_or(|d| run < d.qars) {
                self.qar(&id, &holder.token, done).await?;
                done += Duration::days(QAR_EVERY_DAYS);
                run += 1;
            }
            let (Some(departure), Some(next)) = (departure, pams.get(i + 1)) else {
                continue;
            };
            let handover =
                done - Duration::days(QAR_EVERY_DAYS) + Duration::days(HANDOVER_AFTER_DAYS);
            self.assign_pam(&id, next, manager, handover).await?;
            self.api
                .post(
                    &format!("/staff/{}/leave", holder.id),
                    &admin.token,
                    at(
                        json!({"reason": departure.why}),
                        handover + Duration::days(1),
                    ),
                )
                .await?;
        }
        Ok(())
    }

    async fn assign_pam(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        when: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.api
            .post(
                &format!("/partners/{partner}/pam"),
                &manager.token,
                at(json!({"pam_id": pam.id}), when),
            )
            .await?;
        Ok(())
    }
}
