//! Staff: the people of the program, the demo's token list and hiring through `POST /staff`.

use anyhow::{anyhow, Context};
use channel_ledger_domain::text::Name;
use channel_ledger_domain::EffectiveTime;
use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::api::{at, id_of, Person};
use super::catalog::TERRITORIES;
use super::{Demo, DemoToken, BACKDATE};

/// The Managers and the PAMs who stay, one per territory in the order of [`TERRITORIES`].
const MANAGERS: [&str; 3] = ["Elena Ruiz", "David Lin", "Grace Holt"];
const PAMS: [&str; 3] = ["Sarah K.", "Marcus T.", "Priya M."];

/// Everyone who acts in the program and stays: territories are indexed as in
/// [`TERRITORIES`] (Pacific Northwest, Mid-Atlantic, Southeast), one Manager and one PAM each.
pub(super) struct Cast {
    pub(super) admin: Person,
    pub(super) managers: [Person; 3],
    pub(super) cxo: Person,
    pub(super) finance: Person,
    /// Sarah K., Marcus T. and Priya M.
    pub(super) pams: [Person; 3],
}

impl Demo {
    /// The first Admin (as `bootstrap` makes them, back-dated before everyone else) and the
    /// staff who stay, each with a listed token: the leadership the day before `start`, the
    /// PAMs on it.
    pub(super) async fn cast(&mut self, start: DateTime<Utc>) -> anyhow::Result<Cast> {
        let (admin_id, issued) = crate::cli::bootstrap::first_admin_at(
            &self.state,
            Name::parse("Ada Admin")?,
            EffectiveTime::new(
                Some(start - Duration::days(2)),
                Some(BACKDATE),
                self.state.now(),
            )?,
            "first Admin of the demo program",
        )
        .await?;
        let admin = Person {
            id: admin_id.to_string(),
            token: issued.token,
        };
        self.record("Admin", "Ada Admin", &admin, None);
        let joined = start - Duration::days(1);
        let managers = self
            .in_each_territory(&admin, "Manager", MANAGERS, joined)
            .await?;
        let cxo = self
            .hire(&admin, "Jordan Blake", "CxO", None, joined, true)
            .await?;
        let finance = self
            .hire(&admin, "Femi Okafor", "Finance", None, joined, true)
            .await?;
        self.hire(&admin, "Ari Stone", "Auditor", None, joined, true)
            .await?;
        let pams = self.in_each_territory(&admin, "PAM", PAMS, start).await?;
        Ok(Cast {
            admin,
            managers,
            cxo,
            finance,
            pams,
        })
    }

    /// Hires one `role` per territory, named by `names` in territory order.
    async fn in_each_territory(
        &mut self,
        admin: &Person,
        role: &str,
        names: [&str; 3],
        joined: DateTime<Utc>,
    ) -> anyhow::Result<[Person; 3]> {
        let mut people = Vec::with_capacity(names.len());
        for (territory, name) in names.into_iter().enumerate() {
            people.push(
                self.hire(admin, name, role, Some(territory), joined, true)
                    .await?,
            );
        }
        people
            .try_into()
            .map_err(|_| anyhow!("demo: one {role} per territory"))
    }

    pub(super) fn record(
        &mut self,
        role: &str,
        name: &str,
        person: &Person,
        territory: Option<usize>,
    ) {
        self.tokens.push(DemoToken {
            role: role.to_owned(),
            name: name.to_owned(),
            staff_id: person.id.clone(),
            territory: territory.map(|t| TERRITORIES[t].to_owned()),
            token: person.token.clone(),
        });
    }

    /// Registers a member of staff as the Admin, back-dated to `joined`, and issues a token
    /// (listed among the demo's tokens when `listed`).
    pub(super) async fn hire(
        &mut self,
        admin: &Person,
        name: &str,
        role: &str,
        territory: Option<usize>,
        joined: DateTime<Utc>,
        listed: bool,
    ) -> anyhow::Result<Person> {
        let mut body = json!({"name": name, "role": role});
        if let Some(t) = territory {
            body["territory"] = json!(TERRITORIES[t]);
        }
        let r = self
            .api
            .post("/staff", &admin.token, at(body, joined))
            .await?;
        let id = id_of(&r)?;
        let t = self
            .api
            .post(
                &format!("/staff/{id}/tokens"),
                &admin.token,
                json!({"label": "demo"}),
            )
            .await?;
        let person = Person {
            id,
            token: t["token"]
                .as_str()
                .context("demo: no token issued")?
                .to_owned(),
        };
        if listed {
            self.record(role, name, &person, territory);
        }
        Ok(person)
    }
}
