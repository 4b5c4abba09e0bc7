//! Harborview Systems: the Southeast partner handed from PAM to PAM as each one left.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::api::{at, id_of, Person};
use super::Demo;

impl Demo {
    /// Harborview Systems: Southeast, registered by Tom W. four years ago, passed to Nina P. and
    /// then to Priya M. as each PAM left, with every QAR on file.
    pub(super) async fn harborview(
        &mut self,
        priya: &Person,
        tom: &Person,
        nina: &Person,
        manager: &Person,
        admin: &Person,
        start: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let t = start + Duration::days(10);
        let r = self
            .api
            .post(
                "/partners",
                &tom.token,
                at(
                    json!({"name": "Harborview Systems", "partner_type": "Reseller", "territory": "Southeast",
                           "headquarters": "Savannah, GA", "size": "51-200", "specialization": "Healthcare"}),
                    t,
                ),
            )
            .await?;
        let id = id_of(&r)?;
        let assign = |pam: &Person, when: DateTime<Utc>| {
            (
                format!("/partners/{id}/pam"),
                at(json!({"pam_id": pam.id}), when),
            )
        };
        let (path, body) = assign(tom, t + Duration::hours(1));
        self.api.post(&path, &manager.token, body).await?;
        self.api
            .post(
                &format!("/partners/{id}/classification"),
                &manager.token,
                at(json!({"classification": "Farmer", "rationale": "steady renewals, no net-new logos"}), t + Duration::days(2)),
            )
            .await?;
        let to_nina = self.days_ago(1000);
        let to_priya = self.days_ago(500);
        // Every QAR from the first, each by the Manager of the territory (a PAM who left holds
        // no token any more).
        let mut c = t + Duration::days(85);
        let last = self.days_ago(30);
        while c <= last {
            self.qar(&id, &manager.token, c).await?;
            if c < to_nina && c + Duration::days(88) >= to_nina {
                let (path, body) = assign(nina, to_nina);
                self.api.post(&path, &manager.token, body).await?;
                self.api
                    .post(
                        &format!("/staff/{}/leave", tom.id),
                        &admin.token,
                        at(
                            json!({"reason": "left the company"}),
                            to_nina + Duration::days(1),
                        ),
                    )
                    .await?;
            }
            if c < to_priya && c + Duration::days(88) >= to_priya {
                let (path, body) = assign(priya, to_priya);
                self.api.post(&path, &manager.token, body).await?;
                self.api
                    .post(
                        &format!("/staff/{}/leave", nina.id),
                        &admin.token,
                        at(
                            json!({"reason": "moved to another company"}),
                            to_priya + Duration::days(1),
                        ),
                    )
                    .await?;
            }
            c += Duration::days(88);
        }
        Ok(())
    }
}
