//! Revenue acceleration plans: Ironclad MSP's, the small active ones, Bridgeline Co.'s proposal,
//! and the drafting and sign-off steps every RAP of the demo goes through.

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use rand::Rng;
use serde_json::{json, Value};

use super::api::{at, id_of, usd, Person};
use super::{fiscal_quarter, Demo};

impl Demo {
    /// The RAP of design.md §2, approved on 14 February 2026 by the Manager and the CxO;
    /// returns its id.
    pub(super) async fn ironclad_rap(
        &mut self,
        partner: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<String> {
        let day = |d: u32, h: u32| {
            Utc.with_ymd_and_hms(2026, 2, d, h, 0, 0)
                .single()
                .context("date")
        };
        let terms = json!({
            "named_accounts": [
                {"name": "Fortis Financial Group", "domain": "fortisfinancial.com"},
                {"name": "Meridian Healthcare", "domain": "meridianhealthcare.com"},
                {"name": "ClearBridge Logistics", "domain": "clearbridgelogistics.com"},
            ],
            "mdf": usd(24_000),
            "partner_contribution": usd(24_000),
            "arr_target": usd(340_000),
            "partner_expected_revenue": usd(96_000),
            "mdf_exemption": "Platinum MSP with three qualified named accounts in regulated industries; \
                              the co-investment above the tier cap is matched dollar for dollar",
        });
        let rap = self
            .draft_and_submit(partner, pam, "FY26 Q2", terms, day(9, 10)?, day(10, 9)?)
            .await?;
        self.approve(
            &rap,
            manager,
            "Manager",
            "Named accounts verified with the partner",
            day(14, 10)?,
        )
        .await?;
        self.approve(
            &rap,
            cxo,
            "CxO",
            "Approved with the MDF exemption",
            day(14, 16)?,
        )
        .await?;
        let advance = [
            (
                "meridianhealthcare.com",
                "Qualified",
                Utc.with_ymd_and_hms(2026, 4, 20, 10, 0, 0),
            ),
            (
                "fortisfinancial.com",
                "Qualified",
                Utc.with_ymd_and_hms(2026, 4, 8, 10, 0, 0),
            ),
            (
                "fortisfinancial.com",
                "InProgress",
                Utc.with_ymd_and_hms(2026, 5, 12, 10, 0, 0),
            ),
        ];
        for (domain, to, when) in advance {
            let when = when.single().context("date")?;
            self.api
                .post(
                    &format!("/raps/{rap}/named-accounts/{domain}/advance"),
                    &pam.token,
                    at(json!({"to": to}), when),
                )
                .await?;
        }
        Ok(rap)
    }

    /// A RAP within the tier cap, active this year; returns its id and when it took force.
    pub(super) async fn small_rap(
        &mut self,
        partner: &str,
        name: &str,
        pam: &Person,
        manager: &Person,
        cxo: &Person,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let mdf = 2_000 + 500 * self.rng.random_range(0..6);
        let terms = json!({
            "named_accounts": [
                {"name": format!("{name} client one"), "domain": client_domain(name, "one")},
                {"name": format!("{name} client two"), "domain": client_domain(name, "two")},
            ],
            "mdf": usd(mdf),
            "partner_contribution": usd(mdf),
            "arr_target": usd(mdf * 12),
            "partner_expected_revenue": usd(mdf * 4),
        });
        let drafted = self.random_days_ago(40..70);
        let q = fiscal_quarter(drafted + Duration::days(30));
        let rap = self
            .draft_and_submit(
                partner,
                pam,
                &q,
                terms,
                drafted,
                drafted + Duration::days(1),
            )
            .await?;
        let (signed, active) = (drafted + Duration::days(2), drafted + Duration::days(3));
        self.approve(&rap, manager, "Manager", "Within the tier cap", signed)
            .await?;
        self.approve(&rap, cxo, "CxO", "Approved", active).await?;
        Ok((rap, active))
    }

    /// Bridgeline Co.'s proposal: $32K co-fund ($16K MDF + $16K partner), three healthcare
    /// named accounts, submitted and waiting for the Southeast Manager.
    pub(super) async fn bridgeline_proposal(
        &mut self,
        partner: &str,
        pam: &Person,
    ) -> anyhow::Result<()> {
        let terms = json!({
            "named_accounts": [
                {"name": "St. Anne's Health System", "domain": "stanneshealth.org"},
                {"name": "Piedmont Family Clinics", "domain": "piedmontfamilyclinics.com"},
                {"name": "Lowcountry Medical Partners", "domain": "lowcountrymedical.com"},
            ],
            "mdf": usd(16_000),
            "partner_contribution": usd(16_000),
            "arr_target": usd(210_000),
            "partner_expected_revenue": usd(64_000),
            "mdf_exemption": "Farmer with a healthcare installed base: three named accounts from existing \
                              customers, matched dollar for dollar",
        });
        let drafted = self.days_ago(3);
        let q = fiscal_quarter(self.today + Duration::days(45));
        self.draft_and_submit(
            partner,
            pam,
            &q,
            terms,
            drafted,
            drafted + Duration::hours(20),
        )
        .await?;
        Ok(())
    }

    /// The PAM drafts a RAP for `period` with `terms` at `drafted` and submits it at
    /// `submitted`; returns the RAP's id.
    pub(super) async fn draft_and_submit(
        &mut self,
        partner: &str,
        pam: &Person,
        period: &str,
        terms: Value,
        drafted: DateTime<Utc>,
        submitted: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        let r = self
            .api
            .post(
                &format!("/partners/{partner}/raps"),
                &pam.token,
                at(json!({"period": period, "terms": terms}), drafted),
            )
            .await?;
        let rap = id_of(&r)?;
        self.api
            .post(
                &format!("/raps/{rap}/submit"),
                &pam.token,
                at(json!({}), submitted),
            )
            .await?;
        Ok(rap)
    }

    /// `approver` signs the RAP's pending `step` (`Manager`, then `CxO`) at `when`.
    pub(super) async fn approve(
        &mut self,
        rap: &str,
        approver: &Person,
        step: &str,
        comment: &str,
        when: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.api
            .post(
                &format!("/raps/{rap}/approve"),
                &approver.token,
                at(json!({"step": step, "comment": comment}), when),
            )
            .await?;
        Ok(())
    }
}

/// The domain of a small RAP's named account: `graniteconsulting-one.example`.
pub(super) fn client_domain(partner: &str, which: &str) -> String {
    let slug: String = partner
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect();
    format!("{}-{which}.example", slug.to_lowercase())
}
