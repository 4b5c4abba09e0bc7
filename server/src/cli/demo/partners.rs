//! The partners of the three PAMs: their plans (named and generated) and their registration.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde_json::json;

use super::api::{at, id_of, Person};
use super::catalog::{
    CITIES, CLASSES, NAME_HEADS, NAME_TAILS, SIZES, SPECIALIZATIONS, TERRITORIES, TIERS, TYPES,
};
use super::qars::QarToday;
use super::Demo;

/// Partners registered on a fixed day, early enough for their history: Cascade Group to have
/// been Longtail Diamond for years, the others for the RAPs that ran their course.
const REGISTERED_DAYS_AGO: [(&str, i64); 4] = [
    ("Cascade Group", 1100),
    ("Redwood Digital", 1200),
    ("Beacon Data", 1250),
    ("Keystone Solutions", 900),
];

/// One partner to register.
pub(super) struct PartnerPlan {
    pub(super) name: String,
    partner_type: &'static str,
    territory: usize,
    /// Index into the PAMs (0 Sarah, 1 Marcus, 2 Priya).
    pam: usize,
    tier: &'static str,
    classification: &'static str,
    specialization: &'static str,
    registered: DateTime<Utc>,
    qar: QarToday,
}

impl Demo {
    /// The partners of the three PAMs: the named ones of the issue plus generated ones, spread
    /// over every type, tier and classification, with their QAR state today.
    pub(super) fn partner_plans(&mut self) -> Vec<PartnerPlan> {
        // (PAM, partners, open QARs, overdue QARs): the figures of issue 5 (Priya M.'s fifteenth
        // partner is Harborview Systems, inherited from the PAMs who left).
        let quotas = [
            (0usize, 18usize, 6usize, 1usize),
            (1, 22, 4, 5),
            (2, 14, 7, 0),
        ];
        let named: [(&str, usize, &str, &str, &str, &str); 11] = [
            (
                "Ironclad MSP",
                0,
                "MSP",
                "Platinum",
                "Champion",
                "Managed security",
            ),
            (
                "Summit Networks",
                0,
                "Reseller",
                "Gold",
                "Farmer",
                "Manufacturing",
            ),
            (
                "Beacon Data",
                0,
                "SystemIntegrator",
                "Platinum",
                "Champion",
                "Financial services",
            ),
            (
                "NovaTech Inc.",
                1,
                "Technology",
                "Gold",
                "HighPotential",
                "Healthcare",
            ),
            (
                "Keystone Solutions",
                1,
                "MSP",
                "Gold",
                "Farmer",
                "Public sector",
            ),
            (
                "Cascade Group",
                2,
                "SystemIntegrator",
                "Silver",
                "LongtailDiamond",
                "Healthcare",
            ),
            (
                "Bridgeline Co.",
                2,
                "Reseller",
                "Platinum",
                "Farmer",
                "Healthcare",
            ),
            (
                "Granite Consulting",
                2,
                "SystemIntegrator",
                "Gold",
                "HighPotential",
                "Retail",
            ),
            (
                "Redwood Digital",
                2,
                "MSP",
                "Platinum",
                "Champion",
                "Logistics",
            ),
            (
                "Crescent Cloud",
                0,
                "Distributor",
                "Silver",
                "Zombie",
                "Retail",
            ),
            (
                "Orchard IT",
                1,
                "Referral",
                "Registered",
                "Longtail",
                "Public sector",
            ),
        ];
        let mut used: HashSet<String> = named.iter().map(|n| n.0.to_owned()).collect();
        let mut plans = Vec::new();
        for (pam, count, open, overdue) in quotas {
            let mine: Vec<_> = named.iter().filter(|n| n.1 == pam).collect();
            for i in 0..count {
                let (name, partner_type, tier, classification, specialization) = match mine.get(i) {
                    Some(n) => (n.0.to_owned(), n.2, n.3, n.4, n.5),
                    None => {
                        let name = loop {
                            let name =
                                format!("{} {}", self.pick(&NAME_HEADS), self.pick(&NAME_TAILS));
                            if used.insert(name.clone()) {
                                break name;
                            }
                        };
                        let k = plans.len() + i;
                        (
                            name,
                            TYPES[k % TYPES.len()],
                            TIERS[self.rng.random_range(0..TIERS.len())],
                            CLASSES[(k + pam) % CLASSES.len()],
                            self.pick(&SPECIALIZATIONS),
                        )
                    }
                };
                // The first `overdue` generated partners are late, the next `open` have their
                // QAR open; the named ones (with RAPs) keep their cadence.
                let g = i.saturating_sub(mine.len());
                let qar = if i < mine.len() {
                    QarToday::Current
                } else if g < overdue {
                    // One of Marcus's is more than 30 days late.
                    QarToday::Overdue(if g == 0 && overdue > 1 {
                        41
                    } else {
                        3 + 4 * g as i64
                    })
                } else if g < overdue + open {
                    QarToday::Open
                } else {
                    QarToday::Current
                };
                let registered = self.random_days_ago(300..1400);
                plans.push(PartnerPlan {
                    name,
                    partner_type,
                    territory: pam,
                    pam,
                    tier,
                    classification,
                    specialization,
                    registered,
                    qar,
                });
            }
        }
        for p in &mut plans {
            if let Some((_, days)) = REGISTERED_DAYS_AGO.iter().find(|(n, _)| *n == p.name) {
                p.registered = self.days_ago(*days);
            }
        }
        plans
    }

    /// Registers the partner as its PAM, sets its tier, has the Manager assign the PAM and
    /// classify it, then runs its QARs; returns its id.
    pub(super) async fn partner(
        &mut self,
        plan: &PartnerPlan,
        pams: &[Person; 3],
        managers: &[Person; 3],
    ) -> anyhow::Result<String> {
        let pam = &pams[plan.pam];
        let manager = &managers[plan.territory];
        let t = plan.registered;
        let city = self.pick(&CITIES[plan.territory]);
        let size = self.pick(&SIZES);
        let r = self
            .api
            .post(
                "/partners",
                &pam.token,
                at(
                    json!({"name": plan.name, "partner_type": plan.partner_type,
                           "territory": TERRITORIES[plan.territory], "headquarters": city,
                           "size": size, "specialization": plan.specialization}),
                    t,
                ),
            )
            .await?;
        let id = id_of(&r)?;
        if plan.tier != "Registered" {
            self.api
                .post(
                    &format!("/partners/{id}/tier"),
                    &pam.token,
                    at(
                        json!({"tier": plan.tier, "evidence": "signed the tier agreement"}),
                        t + Duration::hours(2),
                    ),
                )
                .await?;
        }
        self.api
            .post(
                &format!("/partners/{id}/pam"),
                &manager.token,
                at(json!({"pam_id": pam.id}), t + Duration::hours(3)),
            )
            .await?;
        self.api
            .post(
                &format!("/partners/{id}/classification"),
                &manager.token,
                at(
                    json!({"classification": plan.classification,
                           "rationale": "initial classification after the onboarding review"}),
                    t + Duration::days(2),
                ),
            )
            .await?;
        self.qars(&id, &pam.token, t, plan.qar, 540).await?;
        Ok(id)
    }
}
