//! `channel-ledger demo` (issue 5 item 1): the demo program written through the real command
//! path into a fresh SQLite ledger — deterministic for a seed, refused on a non-empty ledger —
//! what the console then shows, Harborview Systems' four PAMs and their QARs, and the money:
//! RAPs closed with accounts won and lost, MDF paid, a reimbursement overdue, proof sent back.
//! Where practical a figure is checked against the raw event feed, not only against the views.

use std::collections::BTreeSet;

use channel_ledger_server::cli::demo::{write_program, DemoToken};
use channel_ledger_store::{Ledger, RecordedEvent};
use channel_ledger_tests::http::TestApp;
use chrono::{DateTime, Datelike, Duration, Utc};
use serde_json::Value;

const SEED: u64 = 7;

fn token<'a>(tokens: &'a [DemoToken], role: &str, territory: Option<&str>) -> &'a str {
    &tokens
        .iter()
        .find(|t| t.role == role && (territory.is_none() || t.territory.as_deref() == territory))
        .unwrap_or_else(|| panic!("no {role} token"))
        .token
}

/// The whole log in global order.
async fn feed(ledger: &Ledger) -> Vec<RecordedEvent> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        out.extend(page);
    }
    out
}

/// Every event as (aggregate type, aggregate id, sequence, event type, payload, effective time):
/// what a seed determines; recorded times and command ids are not.
async fn log(ledger: &Ledger) -> Vec<(String, String, i64, String, Value, String)> {
    feed(ledger)
        .await
        .into_iter()
        .map(|e| {
            (
                e.aggregate_type,
                e.aggregate_id,
                e.sequence,
                e.event_type,
                e.payload,
                e.effective_at.to_rfc3339(),
            )
        })
        .collect()
}

/// The demo program written into a fresh ledger and folded into the read models.
async fn demo() -> (TestApp, Vec<DemoToken>) {
    let app = TestApp::sqlite().await;
    let tokens = write_program(&app.state, SEED)
        .await
        .expect("demo on an empty ledger");
    app.state.projector.catch_up().await.unwrap();
    (app, tokens)
}

/// The events of one stream, in stream order.
fn stream<'a>(feed: &'a [RecordedEvent], kind: &str, id: &str) -> Vec<&'a RecordedEvent> {
    feed.iter()
        .filter(|e| e.aggregate_type == kind && e.aggregate_id == id)
        .collect()
}

fn minor(money: &Value) -> i64 {
    money["minor"]
        .as_i64()
        .unwrap_or_else(|| panic!("money: {money}"))
}

/// The calendar quarter of `t` as (year, 0..=3).
fn quarter(t: DateTime<Utc>) -> (i32, u32) {
    (t.year(), t.month0() / 3)
}

async fn get(app: &TestApp, path: &str, token: &str) -> Value {
    let r = app.get(path, Some(token)).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.body
}

#[tokio::test]
async fn the_demo_program_is_written_deterministically_and_shows_in_the_console() {
    let app = TestApp::sqlite().await;
    let tokens = write_program(&app.state, SEED)
        .await
        .expect("demo on an empty ledger");

    // One token per role: Admin, a Manager per territory, CxO, Finance, Auditor, three PAMs.
    let roles: Vec<&str> = tokens.iter().map(|t| t.role.as_str()).collect();
    for role in ["Admin", "CxO", "Finance", "Auditor"] {
        assert_eq!(roles.iter().filter(|r| **r == role).count(), 1, "{role}");
    }
    assert_eq!(roles.iter().filter(|r| **r == "Manager").count(), 3);
    let pams: Vec<&str> = tokens
        .iter()
        .filter(|t| t.role == "PAM")
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(pams, ["Sarah K.", "Marcus T.", "Priya M."]);
    for t in &tokens {
        let line = t.line();
        assert!(
            line.starts_with(&format!("{} ", t.role)) && line.ends_with(&t.token),
            "{line}"
        );
    }

    // Deterministic: the same seed on another fresh ledger writes the same events.
    let again = TestApp::sqlite().await;
    write_program(&again.state, SEED).await.unwrap();
    let first = log(&app.ledger).await;
    assert!(
        first.len() > 1000,
        "a four-year program: {} events",
        first.len()
    );
    assert_eq!(first, log(&again.ledger).await, "same seed, same program");

    // A non-empty ledger is refused, and nothing is appended.
    let head = app.head().await;
    let refused = write_program(&app.state, SEED).await.unwrap_err();
    assert!(refused.to_string().contains("not empty"), "{refused}");
    assert_eq!(app.head().await, head);

    app.state.projector.catch_up().await.unwrap();

    // The Southeast Manager's queue: Bridgeline Co.'s RAP proposal waits for them.
    let southeast = token(&tokens, "Manager", Some("Southeast"));
    let console = get(&app, "/api/v1/console", southeast).await;
    let items = console["queue"]["items"].as_array().unwrap();
    let bridgeline = items
        .iter()
        .find(|i| i["partner_name"] == "Bridgeline Co.")
        .unwrap_or_else(|| panic!("Bridgeline Co. in the queue: {items:#?}"));
    assert_eq!(
        bridgeline["next"]["roles"],
        serde_json::json!(["Manager"]),
        "{bridgeline:#}"
    );

    // The CxO's queue: NovaTech Inc.'s exemption, signed by its Manager, waits for a CxO.
    let cxo = token(&tokens, "CxO", None);
    let console = get(&app, "/api/v1/console", cxo).await;
    let items = console["queue"]["items"].as_array().unwrap();
    let novatech = items
        .iter()
        .find(|i| i["partner_name"] == "NovaTech Inc.")
        .unwrap_or_else(|| panic!("NovaTech Inc. in the queue: {items:#?}"));
    assert_eq!(
        novatech["next"]["roles"],
        serde_json::json!(["CxO"]),
        "{novatech:#}"
    );
    assert_eq!(novatech["amount"]["minor"], 1_200_000);

    // PAM cards: the three PAMs with their portfolios; Marcus T. needs attention.
    let cards = console["cards"].as_array().unwrap();
    let card = |name: &str| {
        cards
            .iter()
            .find(|c| c["pam_name"] == name)
            .unwrap_or_else(|| panic!("{name}'s card: {cards:#?}"))
            .clone()
    };
    // The figures of issue 5: partners, active RAPs, QARs open, QARs overdue, status.
    for (name, partners, raps, open, overdue, status) in [
        ("Sarah K.", 18, 3, 6, 1, "OnTrack"),
        ("Marcus T.", 22, 1, 4, 5, "NeedsAttention"),
        ("Priya M.", 15, 2, 7, 0, "OnTrack"),
    ] {
        let c = card(name);
        assert_eq!(c["partners"], partners, "{c:#}");
        assert_eq!(c["raps_active"], raps, "{c:#}");
        assert_eq!(c["qars_open"], open, "{c:#}");
        assert_eq!(c["qars_overdue"], overdue, "{c:#}");
        assert_eq!(c["status"], status, "{c:#}");
    }

    // Cascade Group as of before its reclassification: Longtail Diamond; now High-Potential.
    let partners = get(&app, "/api/v1/partners", southeast).await;
    let list = partners
        .as_array()
        .or_else(|| partners["partners"].as_array())
        .unwrap();
    let cascade = list
        .iter()
        .find(|p| p["name"] == "Cascade Group")
        .unwrap_or_else(|| panic!("Cascade Group: {partners:#}"));
    let id = cascade["partner_id"]
        .as_str()
        .or_else(|| cascade["id"].as_str())
        .unwrap();
    let before = (chrono::Utc::now() - chrono::Duration::days(400)).date_naive();
    let then = get(
        &app,
        &format!("/api/v1/partners/{id}/profile?as_of={before}"),
        southeast,
    )
    .await;
    assert_eq!(then["classification"], "LongtailDiamond", "{then:#}");
    let now = get(&app, &format!("/api/v1/partners/{id}/profile"), southeast).await;
    assert_eq!(now["classification"], "HighPotential");
}

#[tokio::test]
async fn harborview_systems_had_four_pams_and_every_quarters_qar_by_the_pam_of_the_day() {
    let (app, tokens) = demo().await;
    let feed = feed(&app.ledger).await;

    let registered = feed
        .iter()
        .find(|e| {
            e.event_type == "PartnerRegistered"
                && e.payload["PartnerRegistered"]["name"] == "Harborview Systems"
        })
        .expect("Harborview Systems registered");
    let id = registered.aggregate_id.as_str();

    // Three changes of PAM: four assignments, each to someone new.
    let tenures: Vec<(String, DateTime<Utc>)> = stream(&feed, "Partner", id)
        .into_iter()
        .filter(|e| e.event_type == "PamAssigned")
        .map(|e| {
            let pam = e.payload["PamAssigned"]["pam_id"].as_str().unwrap();
            (pam.to_owned(), e.effective_at)
        })
        .collect();
    let pams: BTreeSet<&str> = tenures.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!((tenures.len(), pams.len()), (4, 4), "{tenures:#?}");
    assert!(
        registered.effective_at < Utc::now() - Duration::days(4 * 365 - 30),
        "four years on record: registered {}",
        registered.effective_at
    );

    // The three earlier PAMs left the company; the last is Priya M., on staff.
    let left = |pam: &str| {
        stream(&feed, "Staff", pam)
            .iter()
            .any(|e| e.event_type == "StaffLeft")
    };
    let (earlier, current) = tenures.split_at(3);
    assert!(earlier.iter().all(|(pam, _)| left(pam)), "{earlier:#?}");
    let priya = tokens.iter().find(|t| t.name == "Priya M.").unwrap();
    assert_eq!(current[0].0, priya.staff_id);
    assert!(!left(&priya.staff_id));

    // Every QAR was completed by the PAM who held the partner at the time, each PAM ran some.
    let completed: Vec<&RecordedEvent> = stream(&feed, "QarSeries", id)
        .into_iter()
        .filter(|e| e.event_type == "QarCompleted")
        .collect();
    let pam_at = |t: DateTime<Utc>| {
        tenures
            .iter()
            .rev()
            .find(|(_, from)| *from <= t)
            .map(|(pam, _)| pam.as_str())
    };
    for qar in &completed {
        assert_eq!(
            qar.metadata["actor_id"].as_str(),
            pam_at(qar.effective_at),
            "QAR completed at {}",
            qar.effective_at
        );
        assert_eq!(qar.metadata["actor_role"], "PAM");
    }
    let by: BTreeSet<&str> = completed
        .iter()
        .filter_map(|q| q.metadata["actor_id"].as_str())
        .collect();
    assert_eq!(by, pams, "each of the four PAMs ran QARs");

    // Every calendar quarter from the first QAR's to this one's has a completed QAR on file,
    // and the first came within a quarter of registration.
    let quarters: BTreeSet<(i32, u32)> =
        completed.iter().map(|q| quarter(q.effective_at)).collect();
    let first = completed.first().expect("QARs on file").effective_at;
    assert!(first - registered.effective_at <= Duration::days(90));
    let mut q = quarter(first);
    let last = completed.last().unwrap().effective_at;
    assert!(
        Utc::now() - last < Duration::days(90),
        "the last QAR is current"
    );
    while q <= quarter(last) {
        assert!(quarters.contains(&q), "no QAR in {q:?}: {quarters:?}");
        q = if q.1 == 3 {
            (q.0 + 1, 0)
        } else {
            (q.0, q.1 + 1)
        };
    }

    // The handover brief names the PAMs who came before, oldest first.
    let brief = get(
        &app,
        &format!("/api/v1/partners/{id}/handover"),
        token(&tokens, "Manager", Some("Southeast")),
    )
    .await;
    let previous: Vec<&str> = brief["previous_pams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pam_name"].as_str().unwrap())
        .collect();
    assert_eq!(previous, ["Tom W.", "Nina P.", "Omar R."], "{brief:#}");
    assert_eq!(
        brief["qar_history"].as_array().unwrap().len(),
        completed.len()
    );
}

#[tokio::test]
async fn the_demo_program_carries_money_from_mdf_committed_to_arr_won() {
    let (app, tokens) = demo().await;
    let feed = feed(&app.ledger).await;
    let finance = token(&tokens, "Finance", None);

    // From the feed: RAPs that closed, at least one with a won account and its ARR.
    let closed: Vec<&RecordedEvent> = feed
        .iter()
        .filter(|e| e.event_type == "RapClosed")
        .collect();
    assert!(closed.len() >= 3, "{} closed RAPs", closed.len());
    let won_and_closed = closed.iter().find(|c| {
        minor(&c.payload["RapClosed"]["arr_won"]) > 0
            && stream(&feed, "Rap", &c.aggregate_id)
                .iter()
                .any(|e| e.event_type == "NamedAccountWon")
    });
    assert!(won_and_closed.is_some(), "a closed RAP with a Won account");
    assert!(
        feed.iter().any(|e| e.event_type == "NamedAccountLost"),
        "a lost account"
    );
    let arr_won: i64 = feed
        .iter()
        .filter(|e| e.event_type == "NamedAccountWon")
        .map(|e| minor(&e.payload["NamedAccountWon"]["arr"]))
        .sum();
    let paid: i64 = feed
        .iter()
        .filter(|e| e.event_type == "MdfPaymentRecorded")
        .flat_map(|e| e.payload["PaymentRecorded"]["settled"].as_array().unwrap())
        .map(|s| minor(&s["amount"]))
        .sum();
    assert!(paid > 0 && arr_won > 0, "paid {paid}, ARR won {arr_won}");

    // The reconciliation agrees with the feed, and raises the flags the story holds.
    let rec = get(&app, "/api/v1/finance/reconciliation", finance).await;
    let totals = &rec["totals"];
    assert_eq!(minor(&totals["mdf_paid"]), paid, "{totals:#}");
    assert_eq!(minor(&totals["arr_won"]), arr_won, "{totals:#}");
    assert!(minor(&totals["mdf_committed"]) >= minor(&totals["mdf_approved"]));
    assert!(minor(&totals["mdf_claimed"]) > minor(&totals["mdf_paid"]));
    assert!(totals["roi_bps"].as_i64().unwrap() > 10_000, "{totals:#}");
    let rows = rec["rows"].as_array().unwrap();
    let flagged = |flag: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r["flags"][flag] == true)
            .map(|r| r["partner_name"].as_str().unwrap())
            .collect()
    };
    assert_eq!(flagged("reimbursement_overdue"), ["Ironclad MSP"]);
    assert_eq!(flagged("missing_proof"), ["Granite Consulting"]);

    // Closed RAPs count as money, not as active work: Beacon Data's profile shows both.
    let beacon = rows
        .iter()
        .find(|r| r["partner_name"] == "Beacon Data" && minor(&r["mdf_paid"]) > 0)
        .expect("Beacon Data's paid row");
    let id = beacon["partner_id"].as_str().unwrap();
    let profile = get(&app, &format!("/api/v1/partners/{id}/profile"), finance).await;
    assert!(minor(&profile["mdf"]["paid"]) > 0, "{profile:#}");

    // The CxO sees Ironclad MSP's accepted claim still owed.
    let commitments = get(&app, "/api/v1/commitments", token(&tokens, "CxO", None)).await;
    let owed = commitments["co_fund_outstanding"].as_array().unwrap();
    assert!(
        owed.iter()
            .any(|o| o["partner_name"] == "Ironclad MSP" && minor(&o["outstanding"]) == 1_200_000),
        "{owed:#?}"
    );
}
