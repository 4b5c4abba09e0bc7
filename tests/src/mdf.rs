//! Shared setup for the MDF API tests: the clock pinned at the start of FY26 Q2, partners
//! registered (and tiered) through the API, the quarter's budget, and dollar amounts as JSON.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::http::{partner_body, Cast, Staffer, TestApp, NORTHWEST, SOUTHEAST};

/// The quarter every MDF test works in, as a path segment.
pub const Q: &str = "FY26%20Q2";

/// Monday 6 April 2026, 09:00 UTC: the start of FY26 Q2 with a January fiscal year.
pub fn t0() -> DateTime<Utc> {
    "2026-04-06T09:00:00Z".parse().unwrap()
}

pub fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

pub fn day(d: DateTime<Utc>, plus: i64) -> String {
    (d + Duration::days(plus)).date_naive().to_string()
}

/// The cast, plus a Manager of another territory, with the clock pinned at `t0`.
pub async fn setup(app: &TestApp) -> (Cast, Staffer) {
    app.set_now(Some(t0()));
    let cast = app.cast().await;
    let other_manager = app
        .hire(&cast.admin, "Noah N.", "Manager", Some(NORTHWEST))
        .await;
    (cast, other_manager)
}

pub async fn register(app: &TestApp, by: &Staffer, name: &str, tier: Option<&str>) -> String {
    let mut body = partner_body(SOUTHEAST);
    body["name"] = json!(name);
    let r = app.post("/api/v1/partners", Some(&by.token), &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    if let Some(tier) = tier {
        let r = app
            .post(
                &format!("/api/v1/partners/{id}/tier"),
                Some(&by.token),
                &json!({"tier": tier, "evidence": "signed the tier agreement"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    id
}

pub async fn set_budget(app: &TestApp, cast: &Cast, dollars: i64) {
    let r = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}"),
            Some(&cast.cxo.token),
            &json!({"amount": usd(dollars)}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}
