//! MDF budgets: each quarter's program budget, set by the CxO before the quarter opens, and
//! NovaTech Inc.'s exemption against this quarter's.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::api::{at, usd, Person};
use super::{fiscal_quarter, quarter_start, Demo};

/// Every quarter's MDF budget, in dollars.
const QUARTER_BUDGET: i64 = 400_000;

/// Days before a quarter opens that the CxO sets its budget.
const BUDGET_LEAD_DAYS: i64 = 14;

impl Demo {
    /// The API path of the budget of the quarter holding `t`, set by the CxO the first time a
    /// step of the demo needs it.
    pub(super) async fn budget(
        &mut self,
        t: DateTime<Utc>,
        cxo: &Person,
    ) -> anyhow::Result<String> {
        let quarter = fiscal_quarter(t);
        let path = format!("/mdf/budgets/{}", quarter.replace(' ', "%20"));
        if self.budgets.insert(quarter) {
            let set = quarter_start(t) - Duration::days(BUDGET_LEAD_DAYS);
            self.api
                .post(
                    &path,
                    &cxo.token,
                    at(json!({"amount": usd(QUARTER_BUDGET)}), set),
                )
                .await?;
        }
        Ok(path)
    }

    /// NovaTech Inc.'s $12,000 MDF exemption this quarter.
    pub(super) async fn novatech_exemption(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<()> {
        let path = self.budget(self.today, cxo).await?;
        let quarter_start = quarter_start(self.today);
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
