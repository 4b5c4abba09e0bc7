//! The cohort strategies: one per classification, drafted by the CxO and approved by a Manager.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::api::{at, Person};
use super::catalog::STRATEGIES;
use super::Demo;

impl Demo {
    /// A strategy for every classification, drafted by the CxO and approved by a Manager.
    pub(super) async fn cohort_strategies(
        &mut self,
        cxo: &Person,
        manager: &Person,
        when: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        for (classification, intent, plays) in STRATEGIES {
            let plays: Vec<Value> = plays
                .iter()
                .map(|(title, description)| json!({"title": title, "description": description}))
                .collect();
            self.api
                .post(
                    &format!("/cohort-strategies/{classification}"),
                    &cxo.token,
                    at(json!({"intent": intent, "plays": plays}), when),
                )
                .await?;
            self.api
                .post(
                    &format!("/cohort-strategies/{classification}/versions/1/approve"),
                    &manager.token,
                    at(
                        json!({"comment": "Agreed for the program"}),
                        when + Duration::days(2),
                    ),
                )
                .await?;
        }
        Ok(())
    }
}
