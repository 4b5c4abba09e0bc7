//! MDF: NovaTech Inc.'s exemption against this quarter's budget.

use anyhow::Context;
use chrono::Duration;
use serde_json::json;

use super::api::{at, usd, Person};
use super::{fiscal_quarter, quarter_start, Demo};

impl Demo {
    /// NovaTech Inc.'s $12,000 MDF exemption this quarter.
    pub(super) async fn novatech_exemption(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<()> {
        let q = fiscal_quarter(self.today);
        let quarter_start = quarter_start(self.today);
        let path = format!("/mdf/budgets/{}", q.replace(' ', "%20"));
        self.api
            .post(
                &path,
                &cxo.token,
                at(json!({"amount": usd(400_000)}), quarter_start),
            )
            .await?;
        let requested = (self.today - Duration::days(2)).max(quarter_start + Duration::hours(1));
        let r = self
            .api
            .post(
                &format!("{path}/exemptions"),
                &pam.token,
                at(
                    json!({"partner_id": partner, "amount": usd(12_000),
                          "justification": "launch campaign for three net-new healthcare logos"}),
                    requested,
                ),
            )
            .await?;
        let allocation = r["allocation_id"]
            .as_str()
            .context("demo: no allocation id")?;
        self.api
            .post(
                &format!("{path}/allocations/{allocation}/approve"),
                &manager.token,
                at(
                    json!({"comment": "Strong pipeline; worth the exception"}),
                    requested + Duration::hours(2),
                ),
            )
            .await?;
        Ok(())
    }
}
