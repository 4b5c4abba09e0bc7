//! A partner's commitments in a quarter never exceed its allocation, even when two of its fund
//! requests are submitted at the same moment: each checks the other's share under the partner's
//! commitments lock, so exactly one of two requests that together ask too much is accepted.

use std::sync::Arc;

use channel_ledger_tests::http::{Cast, TestApp, TestResponse};
use channel_ledger_tests::mdf::{day, register, set_budget, setup, t0, usd, Q};
use serde_json::json;

const ROUNDS: usize = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_requests_submitted_at_once_cannot_both_spend_one_allocation() {
    race(TestApp::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_postgres_two_requests_submitted_at_once_cannot_both_spend_one_allocation() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    race(app).await;
}

async fn race(app: TestApp) {
    // Arrange: $5,000 available to the partner through an approved exemption.
    let app = Arc::new(app);
    let (cast, _) = setup(&app).await;
    let partner = register(&app, &cast.pam, "NovaTech Inc.", None).await;
    set_budget(&app, &cast, 100_000).await;
    let allocation = approved_exemption(&app, &cast, &partner, 5_000).await;

    for round in 0..ROUNDS {
        // Two requests of $3,000 each: either fits, both do not.
        let first = request(&app, &cast, &partner, &allocation, 3_000).await;
        let second = request(&app, &cast, &partner, &allocation, 3_000).await;

        // Act: submit both at once.
        let (a, b) = tokio::join!(
            submit(Arc::clone(&app), cast.pam.token.clone(), first.clone()),
            submit(Arc::clone(&app), cast.pam.token.clone(), second.clone()),
        );

        // Assert: one accepted, the other refused for the allocation the first now holds.
        let (accepted, (refused, refused_id)) = match (a.status.as_u16(), b.status.as_u16()) {
            (200, _) => (first, (b, second)),
            (_, 200) => (second, (a, first)),
            _ => panic!(
                "round {round}: neither was accepted: {} / {}",
                a.text, b.text
            ),
        };
        assert_eq!(
            refused.status, 422,
            "round {round}: both were accepted: {}",
            refused.text
        );
        assert_eq!(refused.problem(422).as_deref(), Some("amount"));
        assert_eq!(refused.code(), "over-available-allocation");
        let view = app
            .get(
                &format!("/api/v1/mdf/fund-requests/{refused_id}"),
                Some(&cast.pam.token),
            )
            .await;
        assert_eq!(view.body["status"], "Draft", "{}", view.text);

        // The accepted request leaves review, giving its share back for the next round.
        let withdrawn = app
            .post(
                &format!("/api/v1/mdf/fund-requests/{accepted}/withdraw"),
                Some(&cast.pam.token),
                &json!({"reason": "replanned: the round is over"}),
            )
            .await;
        assert_eq!(withdrawn.status, 200, "{}", withdrawn.text);
    }
}

/// An exemption of `dollars` for `partner`, signed by the Manager and the CxO.
async fn approved_exemption(app: &TestApp, cast: &Cast, partner: &str, dollars: i64) -> String {
    let requested = app
        .post(
            &format!("/api/v1/mdf/budgets/{Q}/exemptions"),
            Some(&cast.pam.token),
            &json!({"partner_id": partner, "amount": usd(dollars), "justification": "launch"}),
        )
        .await;
    assert_eq!(requested.status, 201, "{}", requested.text);
    let allocation = requested.body["allocation_id"].as_str().unwrap().to_owned();
    let approve = format!("/api/v1/mdf/budgets/{Q}/allocations/{allocation}/approve");
    for signer in [&cast.manager, &cast.cxo] {
        let signed = app.post(&approve, Some(&signer.token), &json!({})).await;
        assert_eq!(signed.status, 200, "{}", signed.text);
    }
    allocation
}

/// A drafted request against the exemption with one activity of `dollars`; returns its id.
async fn request(
    app: &TestApp,
    cast: &Cast,
    partner: &str,
    allocation: &str,
    dollars: i64,
) -> String {
    let drafted = app
        .post(
            "/api/v1/mdf/fund-requests",
            Some(&cast.pam.token),
            &json!({"partner_id": partner, "quarter": "FY26 Q2", "allocation_id": allocation,
                    "title": "Healthcare launch"}),
        )
        .await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let id = drafted.body["id"].as_str().unwrap().to_owned();
    let added = app
        .post(
            &format!("/api/v1/mdf/fund-requests/{id}/activities"),
            Some(&cast.pam.token),
            &json!({"description": "Launch webinar series", "starts_on": day(t0(), 45),
                    "requested": usd(dollars)}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.text);
    id
}

/// Submits on its own task, so the two submissions really run side by side.
async fn submit(app: Arc<TestApp>, token: String, id: String) -> TestResponse {
    tokio::spawn(async move {
        app.post(
            &format!("/api/v1/mdf/fund-requests/{id}/submit"),
            Some(&token),
            &json!({}),
        )
        .await
    })
    .await
    .unwrap()
}
