//! `channel-ledger demo` (issue 5 item 1): the demo program written through the real command
//! path into a fresh SQLite ledger — deterministic for a seed, refused on a non-empty ledger —
//! and what the console then shows.

use channel_ledger_server::cli::demo::{write_program, DemoToken};
use channel_ledger_store::Ledger;
use channel_ledger_tests::http::TestApp;
use serde_json::Value;

const SEED: u64 = 7;

fn token<'a>(tokens: &'a [DemoToken], role: &str, territory: Option<&str>) -> &'a str {
    &tokens
        .iter()
        .find(|t| t.role == role && (territory.is_none() || t.territory.as_deref() == territory))
        .unwrap_or_else(|| panic!("no {role} token"))
        .token
}

/// Every event as (aggregate type, aggregate id, sequence, event type, payload, effective time):
/// what a seed determines; recorded times and command ids are not.
async fn log(ledger: &Ledger) -> Vec<(String, String, i64, String, Value, String)> {
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = ledger.read_global(after, 1000).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.position;
        out.extend(page.into_iter().map(|e| {
            (
                e.aggregate_type,
                e.aggregate_id,
                e.sequence,
                e.event_type,
                e.payload,
                e.effective_at.to_rfc3339(),
            )
        }));
    }
    out
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
