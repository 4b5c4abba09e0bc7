//! Issue 6, item 5: a log written before `PartnerRegistered` gained its `tier` (version 1) still
//! loads. The aggregate takes new commands on top of it, and the projections fold it into the
//! same read models as the same history written in the current shape (docs/adr/0009).

use axum::http::StatusCode;
use channel_ledger_domain::partner::{Partner, Tier};
use channel_ledger_projections::{LedgerEvent, ProgramModel};
use channel_ledger_store::Ledger;
use channel_ledger_tests::http::TestApp;
use channel_ledger_tests::{postgres_ledger, sqlite_ledger};
use cqrs_es::persist::{PersistedEventRepository, SerializedEvent};
use cqrs_es::EventStore;
use serde::Deserialize;
use serde_json::{json, Value};

/// Cascade Group's first two events as version 1 of the code wrote them.
const V1_LOG: &str = include_str!("../fixtures/partner_registered_v1.jsonl");
const PARTNER: &str = "0b5f3f2e-8c1d-4c55-9a43-2f0d8e6b7a10";
const AS_OF: &str = "2025-06-30";

/// One line of the fixture: the fields cqrs-es hands the store.
#[derive(Deserialize)]
struct FixtureEvent {
    aggregate_type: String,
    aggregate_id: String,
    sequence: usize,
    event_type: String,
    event_version: String,
    payload: Value,
    metadata: Value,
}

fn v1_log() -> Vec<SerializedEvent> {
    V1_LOG
        .lines()
        .map(|line| {
            let e: FixtureEvent = serde_json::from_str(line).expect("a fixture line");
            SerializedEvent {
                aggregate_id: e.aggregate_id,
                sequence: e.sequence,
                aggregate_type: e.aggregate_type,
                event_type: e.event_type,
                event_version: e.event_version,
                payload: e.payload,
                metadata: e.metadata,
            }
        })
        .collect()
}

/// The same history as version 2 writes it, spelled out here rather than derived through the
/// upcaster under test.
fn v2_log() -> Vec<SerializedEvent> {
    let mut log = v1_log();
    let registered = &mut log[0];
    assert_eq!(registered.event_type, "PartnerRegistered");
    registered.event_version = "2".to_owned();
    registered.payload["PartnerRegistered"]["tier"] = json!("Registered");
    log
}

/// Appends `events` through the store's own write path, as the code of their time did.
async fn write(ledger: &Ledger, events: &[SerializedEvent]) {
    ledger
        .repository()
        .persist::<Partner>(events, None)
        .await
        .expect("append the fixture");
}

async fn fold_recorded(ledger: &Ledger) -> ProgramModel {
    let events: Vec<LedgerEvent> = ledger
        .read_global(0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| LedgerEvent::try_from(e).unwrap())
        .collect();
    ProgramModel::fold(&events)
}

async fn fold_raw(ledger: &Ledger) -> ProgramModel {
    let events: Vec<LedgerEvent> = ledger
        .read_global_raw(0, 100)
        .await
        .unwrap()
        .iter()
        .map(|e| LedgerEvent::try_from(e).unwrap())
        .collect();
    ProgramModel::fold(&events)
}

fn json_of(model: &ProgramModel) -> Value {
    serde_json::to_value(model).unwrap()
}

async fn an_old_aggregate_takes_a_new_command(ledger: Ledger) {
    // Arrange: the old log, then a service of today over it.
    write(&ledger, &v1_log()).await;
    let loaded = ledger
        .event_store::<Partner>()
        .load_aggregate(PARTNER)
        .await
        .expect("cqrs-es loads the old stream");
    let profile = loaded.aggregate.profile.expect("registered");
    assert_eq!(profile.tier, Tier::Registered);
    assert_eq!(loaded.current_sequence, 2);
    let app = TestApp::over(ledger).await;
    let admin = app.bootstrap().await;
    let manager = app
        .hire(&admin, "Grace Holt", "Manager", Some("Southeast"))
        .await;

    // Act: a command that needs the partner's tier, which only the upcast supplies.
    let changed = app
        .post(
            &format!("/api/v1/partners/{PARTNER}/tier"),
            Some(&manager.token),
            &json!({"tier": "Silver", "evidence": "first certified engineer"}),
        )
        .await;

    // Assert: accepted from the upcast tier, and history was read, not rewritten.
    assert!(changed.status.is_success(), "{}", changed.text);
    let events = app
        .get(
            &format!("/api/v1/partners/{PARTNER}/events"),
            Some(&manager.token),
        )
        .await;
    assert_eq!(events.status, StatusCode::OK, "{}", events.text);
    let events = events.body["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0]["event_version"], "1");
    assert!(events[0]["payload"]["PartnerRegistered"]
        .get("tier")
        .is_none());
    assert_eq!(events[2]["event_type"], "PartnerTierChanged");
    assert_eq!(
        events[2]["payload"]["PartnerTierChanged"]["from"],
        "Registered"
    );
    assert_eq!(events[2]["payload"]["PartnerTierChanged"]["to"], "Silver");
}

async fn old_events_fold_into_the_views_of_the_new_shape(old: Ledger, new: Ledger) {
    // Arrange: one history, in each shape.
    write(&old, &v1_log()).await;
    write(&new, &v2_log()).await;

    // Act and assert: both decoding paths of the projections agree with the new shape.
    let expected = json_of(&fold_recorded(&new).await);
    assert_eq!(json_of(&fold_recorded(&old).await), expected);
    assert_eq!(json_of(&fold_raw(&old).await), expected);

    // And so do the served views, folded by the projector.
    let (old, new) = (TestApp::over(old).await, TestApp::over(new).await);
    let profile = |app: TestApp| async move {
        let admin = app.bootstrap().await;
        let cxo = app.hire(&admin, "Dana Chief", "CxO", None).await;
        let path = format!("/api/v1/partners/{PARTNER}/profile?as_of={AS_OF}");
        let profile = app.get(&path, Some(&cxo.token)).await;
        assert_eq!(profile.status, StatusCode::OK, "{}", profile.text);
        profile.body
    };
    let (old, new) = (profile(old).await, profile(new).await);
    assert_eq!(old, new);
    assert_eq!(old["tier"], "Registered", "{old}");
    assert_eq!(old["classification"], "HighPotential", "{old}");
}

#[tokio::test]
async fn sqlite_an_aggregate_written_in_the_old_shape_loads_and_takes_a_new_command() {
    let (ledger, _dir) = sqlite_ledger().await;
    an_old_aggregate_takes_a_new_command(ledger).await;
}

#[tokio::test]
async fn postgres_an_aggregate_written_in_the_old_shape_loads_and_takes_a_new_command() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    an_old_aggregate_takes_a_new_command(ledger).await;
}

#[tokio::test]
async fn sqlite_old_events_fold_into_the_same_views_as_the_new_shape() {
    let ((old, _old_dir), (new, _new_dir)) = (sqlite_ledger().await, sqlite_ledger().await);
    old_events_fold_into_the_views_of_the_new_shape(old, new).await;
}

#[tokio::test]
async fn postgres_old_events_fold_into_the_same_views_as_the_new_shape() {
    let (Some(old), Some(new)) = (postgres_ledger().await, postgres_ledger().await) else {
        return;
    };
    old_events_fold_into_the_views_of_the_new_shape(old, new).await;
}
