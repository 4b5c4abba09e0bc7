//! The read models over HTTP (SQLite, in-process; one smoke run on PostgreSQL): read-your-writes
//! with `min_position`, territory scoping, the reconciliation CSV, the console, time travel on
//! both axes, the Admin's rebuild, and the projector on `/ready` and `/metrics`.

use axum::body::Body;
use axum::http::Method;
use channel_ledger_projections::views::CSV_HEADER;
use channel_ledger_server::state::system_clock;
use channel_ledger_server::{app, AppState};
use channel_ledger_tests::http::{partner_body, Cast, Staffer, TestApp, NORTHWEST, SOUTHEAST};
use chrono::{DateTime, TimeZone, Utc};
use serde_json::{json, Value};
use tower::ServiceExt;

fn usd(dollars: i64) -> Value {
    json!({"minor": dollars * 100, "currency": "USD"})
}

/// The position of the last event a command answered with.
fn position(r: &channel_ledger_tests::http::TestResponse) -> i64 {
    r.body["events"]
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["position"].as_i64())
        .unwrap_or_else(|| panic!("no position in {}", r.text))
}

async fn partner_named(app: &TestApp, by: &Staffer, territory: &str, name: &str) -> String {
    let mut body = partner_body(territory);
    body["name"] = json!(name);
    let r = app.post("/api/v1/partners", Some(&by.token), &body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn change_tier(app: &TestApp, by: &Staffer, partner: &str, tier: &str) -> i64 {
    let r = app
        .post(
            &format!("/api/v1/partners/{partner}/tier"),
            Some(&by.token),
            &json!({"tier": tier, "evidence": "program review"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    position(&r)
}

/// A Platinum partner with a RAP submitted by the PAM and awaiting the Manager; (partner, rap).
async fn submitted_rap(app: &TestApp, cast: &Cast) -> (String, String) {
    let partner = partner_named(app, &cast.pam, SOUTHEAST, "Ironclad MSP").await;
    change_tier(app, &cast.pam, &partner, "Platinum").await;
    let terms = json!({
        "named_accounts": [{"name": "Northwind Traders", "domain": "northwind.example"}],
        "mdf": usd(24_000),
        "partner_contribution": usd(24_000),
        "arr_target": usd(340_000),
        "partner_expected_revenue": usd(96_000),
        "mdf_exemption": "two regional healthcare launches need a double campaign",
    });
    let drafted = app
        .post(
            &format!("/api/v1/partners/{partner}/raps"),
            Some(&cast.pam.token),
            &json!({"period": "FY26 Q2", "terms": terms}),
        )
        .await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let rap = drafted.body["id"].as_str().unwrap().to_owned();
    let submitted = app
        .post(
            &format!("/api/v1/raps/{rap}/submit"),
            Some(&cast.pam.token),
            &json!({}),
        )
        .await;
    assert_eq!(submitted.status, 200, "{}", submitted.text);
    (partner, rap)
}

fn header<'a>(r: &'a channel_ledger_tests::http::TestResponse, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn a_commands_position_as_min_position_makes_the_profile_reflect_the_write() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;

    let written = change_tier(&app, &cast.pam, &partner, "Gold").await;
    let profile = app
        .get(
            &format!("/api/v1/partners/{partner}/profile?min_position={written}"),
            Some(&cast.pam.token),
        )
        .await;

    assert_eq!(profile.status, 200, "{}", profile.text);
    assert_eq!(profile.body["tier"], "Gold");
    assert_eq!(profile.body["name"], "Bridgeline Co.");
    let at: i64 = header(&profile, "x-ledger-position").parse().unwrap();
    assert!(at >= written);
}

#[tokio::test]
async fn a_projector_that_has_not_reached_min_position_answers_503_with_retry_after() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    // A second app over the same ledger whose projector never runs.
    let frozen = AppState::new(app.ledger.clone(), system_clock())
        .await
        .unwrap();
    let router = app::router(frozen);
    let head = app.head().await;

    let response = router
        .oneshot(
            TestApp::request(
                Method::GET,
                &format!("/api/v1/partners/{partner}/profile?min_position={head}"),
                Some(&cast.pam.token),
            )
            .body(Body::empty())
            .unwrap(),
        )
        .await
        .unwrap();

    assert_eq!(response.status(), 503);
    assert_eq!(response.headers()["retry-after"], "1");
    let beyond = app
        .get(
            &format!(
                "/api/v1/partners/{partner}/profile?min_position={}",
                head + 1000
            ),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(beyond.problem(422).as_deref(), Some("min_position"));
}

#[tokio::test]
async fn a_pam_never_sees_another_territorys_partner_in_any_view() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let mine = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    let theirs = partner_named(&app, &cast.other_pam, NORTHWEST, "Cascade IT").await;
    let head = app.head().await;

    let portfolio = app
        .get(
            &format!("/api/v1/portfolio?min_position={head}"),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(portfolio.status, 200, "{}", portfolio.text);
    let ids: Vec<&str> = portfolio.body["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["partner_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![mine.as_str()]);
    for view in ["profile", "timeline", "handover"] {
        let own = app
            .get(
                &format!("/api/v1/partners/{mine}/{view}"),
                Some(&cast.pam.token),
            )
            .await;
        assert_eq!(own.status, 200, "{view}: {}", own.text);
        let other = app
            .get(
                &format!("/api/v1/partners/{theirs}/{view}"),
                Some(&cast.pam.token),
            )
            .await;
        other.problem(404);
        let as_of = app
            .get(
                &format!("/api/v1/partners/{theirs}/{view}?as_of=2100-01-01"),
                Some(&cast.pam.token),
            )
            .await;
        as_of.problem(404);
    }
    let cxo = app.get("/api/v1/portfolio", Some(&cast.cxo.token)).await;
    assert_eq!(cxo.body["partners"].as_array().unwrap().len(), 2);
    app.get("/api/v1/portfolio", Some(&cast.admin.token))
        .await
        .problem(403);
}

#[tokio::test]
async fn finance_downloads_the_reconciliation_as_csv_with_the_stable_header() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    submitted_rap(&app, &cast).await;

    let csv = app
        .get(
            "/api/v1/finance/reconciliation?format=csv",
            Some(&cast.finance.token),
        )
        .await;
    assert_eq!(csv.status, 200, "{}", csv.text);
    assert!(csv.content_type().starts_with("text/csv"));
    assert_eq!(
        header(&csv, "content-disposition"),
        "attachment; filename=\"reconciliation.csv\""
    );
    assert_eq!(csv.text.lines().next(), Some(CSV_HEADER));
    assert!(csv.text.lines().last().unwrap().starts_with("TOTAL,"));

    let accepted = app
        .send(
            TestApp::request(
                Method::GET,
                "/api/v1/finance/reconciliation",
                Some(&cast.finance.token),
            )
            .header("accept", "text/csv")
            .body(Body::empty())
            .unwrap(),
        )
        .await;
    assert_eq!(accepted.text, csv.text);
    let json = app
        .get("/api/v1/finance/reconciliation", Some(&cast.finance.token))
        .await;
    assert_eq!(json.status, 200, "{}", json.text);
    assert!(json.body["totals"].is_object());
    app.get("/api/v1/finance/reconciliation", Some(&cast.pam.token))
        .await
        .problem(403);
    let bad = app
        .get(
            "/api/v1/finance/reconciliation?format=xlsx",
            Some(&cast.finance.token),
        )
        .await;
    assert_eq!(bad.problem(422).as_deref(), Some("format"));
}

#[tokio::test]
async fn the_console_shows_a_card_per_pam_and_the_pending_rap_in_the_queue() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (partner, rap) = submitted_rap(&app, &cast).await;
    let head = app.head().await;

    let console = app
        .get(
            &format!("/api/v1/console?min_position={head}"),
            Some(&cast.manager.token),
        )
        .await;

    assert_eq!(console.status, 200, "{}", console.text);
    let cards = console.body["cards"].as_array().unwrap();
    assert!(
        cards.iter().any(|c| c["pam_id"] == cast.pam.id.as_str()),
        "{}",
        console.text
    );
    assert!(cards
        .iter()
        .all(|c| c["pam_id"] != cast.other_pam.id.as_str()));
    let items = console.body["queue"]["items"].as_array().unwrap();
    let item = items
        .iter()
        .find(|i| i["subject_id"] == rap.as_str())
        .unwrap_or_else(|| panic!("the RAP is not queued: {}", console.text));
    assert_eq!(item["kind"], "RapProposal");
    assert_eq!(item["partner_id"], partner.as_str());
    assert_eq!(item["submitted_by"]["staff_id"], cast.pam.id.as_str());
    app.get("/api/v1/console", Some(&cast.pam.token))
        .await
        .problem(403);
    let cxo = app.get("/api/v1/commitments", Some(&cast.cxo.token)).await;
    assert_eq!(cxo.status, 200, "{}", cxo.text);
    app.get("/api/v1/commitments", Some(&cast.manager.token))
        .await
        .problem(403);
}

fn day(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
}

async fn classification_as_of(app: &TestApp, by: &Staffer, partner: &str, query: &str) -> Value {
    let r = app
        .get(
            &format!("/api/v1/partners/{partner}/profile?{query}"),
            Some(&by.token),
        )
        .await;
    assert_eq!(r.status, 200, "{query}: {}", r.text);
    r.body["classification"].clone()
}

async fn timeline_types(
    app: &TestApp,
    by: &Staffer,
    partner: &str,
    min_position: i64,
) -> Vec<String> {
    let path = format!("/api/v1/partners/{partner}/timeline?min_position={min_position}");
    let r = app.get(&path, Some(&by.token)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let entries = r.body["entries"].as_array().unwrap();
    entries
        .iter()
        .map(|e| e["event_type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_live_timeline_read_from_its_cache_shows_later_events_and_new_streams() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    let tier = change_tier(&app, &cast.pam, &partner, "Gold").await;
    let before = timeline_types(&app, &cast.pam, &partner, tier).await;
    assert_eq!(before, ["PartnerRegistered", "PartnerTierChanged"]);
    assert_eq!(
        timeline_types(&app, &cast.pam, &partner, tier).await,
        before
    );
    assert_eq!(app.state.own_events.len(), 1);

    // A tier change moves the partner's own stream; a RAP is a stream the cache never read.
    let platinum = change_tier(&app, &cast.pam, &partner, "Platinum").await;
    let after = timeline_types(&app, &cast.pam, &partner, platinum).await;
    assert_eq!(after.len(), 3, "{after:?}");
    let path = format!("/api/v1/partners/{partner}/raps");
    let body = json!({"period": "FY26 Q3", "terms": {
        "named_accounts": [{"name": "Northwind Traders", "domain": "northwind.example"}],
        "mdf": usd(10_000), "partner_contribution": usd(10_000),
        "arr_target": usd(200_000), "partner_expected_revenue": usd(50_000)}});
    let drafted = app.post(&path, Some(&cast.pam.token), &body).await;
    assert_eq!(drafted.status, 201, "{}", drafted.text);
    let with_rap = timeline_types(&app, &cast.pam, &partner, position(&drafted)).await;
    assert_eq!(
        with_rap.last().map(String::as_str),
        Some("RapDrafted"),
        "{with_rap:?}"
    );
    assert_eq!(with_rap.len(), 4, "{with_rap:?}");
    assert_eq!(app.state.own_events.len(), 1);

    // Paged back in time, two entries at a time.
    let page = |query: String| {
        let (app, token, partner) = (&app, &cast.pam.token, &partner);
        async move {
            let path = format!("/api/v1/partners/{partner}/timeline?{query}");
            app.get(&path, Some(token)).await
        }
    };
    let newest = page("limit=2".into()).await;
    assert_eq!(newest.status, 200, "{}", newest.text);
    let types = |r: &channel_ledger_tests::http::TestResponse| -> Vec<String> {
        let entries = r.body["entries"].as_array().unwrap();
        entries
            .iter()
            .map(|e| e["event_type"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(types(&newest), with_rap[2..]);
    let before = newest.body["next_before"]
        .as_i64()
        .expect("older entries exist");
    assert_eq!(newest.body["entries"][0]["position"], before);
    let oldest = page(format!("limit=2&before={before}")).await;
    assert_eq!(types(&oldest), with_rap[..2]);
    assert!(oldest.body["next_before"].is_null(), "{}", oldest.text);
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("before=0", "before"),
        ("before=x", "before"),
    ] {
        let refused = page(query.into()).await;
        refused.problem(422);
        assert_eq!(refused.body["field"], field, "{query}: {}", refused.text);
    }
}

#[tokio::test]
async fn a_backdated_correction_after_a_cached_as_of_read_is_seen_on_both_axes() {
    let app = TestApp::sqlite().await;
    app.set_now(Some(day(2025, 1, 2)));
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    app.set_now(Some(day(2025, 2, 1)));
    let classify = |body: Value| {
        let (app, token, partner) = (&app, &cast.manager.token, &partner);
        async move {
            let path = format!("/api/v1/partners/{partner}/classification");
            let r = app.post(&path, Some(token), &body).await;
            assert_eq!(r.status, 200, "{}", r.text);
            position(&r)
        }
    };
    let first =
        classify(json!({"classification": "HighPotential", "rationale": "new logos"})).await;
    let m = &cast.manager;
    let effective = format!("min_position={first}&as_of=2025-04-01");
    let recorded = format!("min_position={first}&as_of=2100-01-01&axis=recorded");
    // Read twice on each axis: the second read is answered from the cache.
    for _ in 0..2 {
        assert_eq!(
            classification_as_of(&app, m, &partner, &effective).await,
            "HighPotential"
        );
        assert_eq!(
            classification_as_of(&app, m, &partner, &recorded).await,
            "HighPotential"
        );
    }
    assert_eq!(app.state.snapshots.len(), 1);

    app.set_now(Some(day(2025, 6, 1)));
    let corrected = classify(json!({
        "classification": "Champion",
        "rationale": "the March review had already made them a Champion",
        "effective_at": day(2025, 3, 1),
        "backdate_reason": "recorded late after the March review",
    }))
    .await;
    let effective = format!("min_position={corrected}&as_of=2025-04-01");
    let recorded = format!("min_position={corrected}&as_of=2100-01-01&axis=recorded");
    let before = format!("min_position={corrected}&as_of=2025-02-15");
    assert_eq!(
        classification_as_of(&app, m, &partner, &effective).await,
        "Champion"
    );
    assert_eq!(
        classification_as_of(&app, m, &partner, &recorded).await,
        "Champion"
    );
    assert_eq!(
        classification_as_of(&app, m, &partner, &before).await,
        "HighPotential"
    );
    let timeline = app
        .get(
            &format!("/api/v1/partners/{partner}/timeline?{effective}&kind=partner"),
            Some(&m.token),
        )
        .await;
    assert_eq!(timeline.status, 200, "{}", timeline.text);
    assert!(timeline.text.contains("Champion"), "{}", timeline.text);
}

#[tokio::test]
async fn as_of_reads_the_old_classification_and_each_axis_treats_a_backdated_correction_per_its_definition(
) {
    let app = TestApp::sqlite().await;
    app.set_now(Some(day(2025, 1, 2)));
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    app.set_now(Some(day(2025, 2, 1)));
    let classified = app
        .post(
            &format!("/api/v1/partners/{partner}/classification"),
            Some(&cast.manager.token),
            &json!({"classification": "HighPotential", "rationale": "four quarters of net-new logos"}),
        )
        .await;
    assert_eq!(classified.status, 200, "{}", classified.text);
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let before_correction = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    app.set_now(Some(day(2025, 6, 1)));
    let corrected = app
        .post(
            &format!("/api/v1/partners/{partner}/classification"),
            Some(&cast.manager.token),
            &json!({
                "classification": "Champion",
                "rationale": "the March review had already made them a Champion",
                "effective_at": day(2025, 3, 1),
                "backdate_reason": "recorded late after the March review",
            }),
        )
        .await;
    assert_eq!(corrected.status, 200, "{}", corrected.text);
    let head = position(&corrected);
    let m = &cast.manager;
    let q = |s: &str| format!("min_position={head}&{s}");

    // Effective axis (the default): what was true then, with the later correction applied.
    assert_eq!(
        classification_as_of(&app, m, &partner, &q("as_of=2025-01-15")).await,
        Value::Null
    );
    assert_eq!(
        classification_as_of(&app, m, &partner, &q("as_of=2025-02-15")).await,
        "HighPotential"
    );
    assert_eq!(
        classification_as_of(&app, m, &partner, &q("as_of=2025-04-01&axis=effective")).await,
        "Champion"
    );
    // Recorded axis: what the ledger knew; before the correction was recorded, no Champion.
    let knew =
        format!("as_of={}&axis=recorded", before_correction.to_rfc3339()).replace('+', "%2B");
    assert_eq!(
        classification_as_of(&app, m, &partner, &q(&knew)).await,
        "HighPotential"
    );
    assert_eq!(
        classification_as_of(&app, m, &partner, &q("as_of=2100-01-01&axis=recorded")).await,
        "Champion"
    );
    // Live: the correction stands.
    assert_eq!(
        classification_as_of(&app, m, &partner, &q("")).await,
        "Champion"
    );

    // The timeline as of mid-February has the first reclassification as a sentence, not the second.
    let timeline = app
        .get(
            &format!("/api/v1/partners/{partner}/timeline?as_of=2025-02-15&kind=partner"),
            Some(&m.token),
        )
        .await;
    assert_eq!(timeline.status, 200, "{}", timeline.text);
    let sentences: Vec<&str> = timeline.body["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["sentence"].as_str().unwrap())
        .collect();
    assert!(
        sentences
            .iter()
            .any(|s| s.starts_with("1 Feb 2025 — Priya M. (Manager, Southeast)")),
        "{sentences:?}"
    );
    assert!(
        !sentences.iter().any(|s| s.contains("Champion")),
        "{sentences:?}"
    );
    let live = app
        .get(
            &format!("/api/v1/partners/{partner}/timeline"),
            Some(&m.token),
        )
        .await;
    assert!(live.text.contains("Champion"), "{}", live.text);

    // Bad values name their field.
    let bad = app
        .get(
            &format!("/api/v1/partners/{partner}/profile?as_of=30/06/2025"),
            Some(&m.token),
        )
        .await;
    assert_eq!(bad.problem(422).as_deref(), Some("as_of"));
    let bad = app
        .get(
            &format!("/api/v1/partners/{partner}/profile?as_of=2025-06-30&axis=valid"),
            Some(&m.token),
        )
        .await;
    assert_eq!(bad.problem(422).as_deref(), Some("axis"));
    let bad = app
        .get(
            &format!("/api/v1/partners/{partner}/timeline?kind=gossip"),
            Some(&m.token),
        )
        .await;
    assert_eq!(bad.problem(422).as_deref(), Some("kind"));
    // Program views replay too: the portfolio before the correction was effective.
    let portfolio = app
        .get("/api/v1/portfolio?as_of=2025-02-15", Some(&cast.cxo.token))
        .await;
    assert_eq!(
        portfolio.body["partners"][0]["classification"],
        "HighPotential"
    );
}

#[tokio::test]
async fn an_admin_rebuild_reports_and_leaves_the_profile_unchanged() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let (partner, _) = submitted_rap(&app, &cast).await;
    let head = app.head().await;
    let path = format!("/api/v1/partners/{partner}/profile?min_position={head}");
    let before = app.get(&path, Some(&cast.cxo.token)).await;
    assert_eq!(before.status, 200, "{}", before.text);

    let rebuilt = app
        .post("/api/v1/admin/rebuild", Some(&cast.admin.token), &json!({}))
        .await;

    assert_eq!(rebuilt.status, 200, "{}", rebuilt.text);
    assert_eq!(rebuilt.body["events"], head);
    assert_eq!(rebuilt.body["position"], head);
    assert_eq!(rebuilt.body["matched_live"], true);
    assert!(rebuilt.body["events_per_second"].as_f64().is_some());
    let after = app.get(&path, Some(&cast.cxo.token)).await;
    assert_eq!(after.body, before.body);
    app.post("/api/v1/admin/rebuild", Some(&cast.cxo.token), &json!({}))
        .await
        .problem(403);
}

#[tokio::test]
async fn ready_and_metrics_report_the_projector() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    let head = app.head().await;
    assert!(
        app.state
            .projector
            .wait_for(head, std::time::Duration::from_secs(5))
            .await
    );

    let ready = app.get("/api/v1/ready", None).await;
    assert_eq!(ready.status, 200, "{}", ready.text);
    assert_eq!(ready.body["status"], "ok");
    assert_eq!(ready.body["projection_position"], head);
    assert_eq!(ready.body["projection_lag_events"], 0);
    let metrics = app.get("/api/v1/metrics", None).await;
    assert!(
        metrics.text.contains("ledger_projection_position"),
        "{}",
        metrics.text
    );
    assert!(
        metrics.text.contains("ledger_projection_lag_events"),
        "{}",
        metrics.text
    );
}

#[tokio::test]
async fn views_read_their_writes_on_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let cast = app.cast().await;
    let partner = partner_named(&app, &cast.pam, SOUTHEAST, "Bridgeline Co.").await;
    let written = change_tier(&app, &cast.pam, &partner, "Gold").await;

    let profile = app
        .get(
            &format!("/api/v1/partners/{partner}/profile?min_position={written}"),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(profile.status, 200, "{}", profile.text);
    assert_eq!(profile.body["tier"], "Gold");
    let timeline = app
        .get(
            &format!("/api/v1/partners/{partner}/timeline?as_of=2100-01-01&axis=recorded"),
            Some(&cast.pam.token),
        )
        .await;
    assert_eq!(timeline.status, 200, "{}", timeline.text);
    assert!(!timeline.body["entries"].as_array().unwrap().is_empty());
}
