//! Staff: the demo's token list and hiring through `POST /staff`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use serde_json::json;

use super::api::{at, id_of, Person};
use super::catalog::TERRITORIES;
use super::{Demo, DemoToken};

impl Demo {
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
