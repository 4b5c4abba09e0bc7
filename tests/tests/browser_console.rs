//! The web console in a real browser (issue 5): each test serves its own copy of the demo
//! program and clicks through it in headless Chromium as the people of the program would.

use channel_ledger_tests::browser::Page;
use chrono::{Duration, Utc};

const BRIDGELINE: &str = "tr[data-subject^='Bridgeline Co.']";

#[tokio::test]
async fn a_manager_approves_bridgeline_and_it_moves_to_the_cxo_queue() {
    let Some(mut page) = Page::open("approve_bridgeline").await else {
        return;
    };
    let manager = page.demo.token("Manager", Some("Southeast")).token.clone();
    let cxo = page.demo.token("CxO", None).token.clone();

    // Before: the proposal waits for the Southeast Manager, not yet for the CxO.
    page.sign_in(&cxo).await;
    page.goto("/console/queue").await;
    assert!(!page.has(&format!("#for-you-table {BRIDGELINE}")).await);
    assert!(page.has(&format!("#for-others-table {BRIDGELINE}")).await);
    page.sign_out().await;

    // The Manager approves it from their queue.
    page.sign_in(&manager).await;
    page.click("nav.tabs a[href='/console/queue']").await;
    assert_eq!(page.path().await, "/console/queue");
    page.click(&format!("#for-you-table {BRIDGELINE} button.primary"))
        .await;
    let flash = page.text(".flash").await;
    assert!(
        flash.starts_with("Approved RAP proposal “Bridgeline Co."),
        "{flash}"
    );
    assert!(!page.has(&format!("#for-you-table {BRIDGELINE}")).await);
    let waiting = page.text(&format!("#for-others-table {BRIDGELINE}")).await;
    assert!(waiting.contains("CxO"), "{waiting}");
    page.sign_out().await;

    // The CxO's queue has gained it, with the buttons to decide it.
    page.sign_in(&cxo).await;
    page.goto("/console/queue").await;
    assert!(
        page.has(&format!("#for-you-table {BRIDGELINE} button.primary"))
            .await
    );
    page.close().await;
}

#[tokio::test]
async fn cascade_group_as_of_before_its_reclassification_is_a_longtail_diamond() {
    let Some(mut page) = Page::open("cascade_as_of").await else {
        return;
    };
    let manager = page.demo.token("Manager", Some("Southeast")).token.clone();
    page.sign_in(&manager).await;
    page.click_link("Portfolio").await;
    page.click_link("Cascade Group").await;
    assert!(page.text(".page-head").await.contains("High-Potential"));

    // The demo reclassified it 200 days ago.
    let before = (Utc::now() - Duration::days(300))
        .format("%Y-%m-%d")
        .to_string();
    page.set_value("#as_of", &before).await;
    page.click("form.as-of button[type=submit]").await;
    let head = page.text(".page-head").await;
    assert!(head.contains("Longtail Diamond"), "{head}");
    assert!(!head.contains("High-Potential"), "{head}");
    assert!(page.text(".as-of-banner").await.contains("Cascade Group"));

    let after = (Utc::now() - Duration::days(100))
        .format("%Y-%m-%d")
        .to_string();
    page.set_value("#as_of", &after).await;
    page.click("form.as-of button[type=submit]").await;
    assert!(page.text(".page-head").await.contains("High-Potential"));
    page.close().await;
}

#[tokio::test]
async fn a_pam_cannot_see_a_partner_of_another_territory() {
    let Some(mut page) = Page::open("pam_scope").await else {
        return;
    };
    let cxo = page.demo.token("CxO", None).token.clone();
    let sarah = page.demo.person("Sarah K.").clone();
    assert_ne!(sarah.territory.as_deref(), Some("Southeast"));

    // Where Cascade Group (Southeast) lives, as the CxO sees it.
    page.sign_in(&cxo).await;
    page.click_link("Portfolio").await;
    page.click_link("Cascade Group").await;
    let cascade = page.path().await;
    page.sign_out().await;

    page.sign_in(&sarah.token).await;
    assert_eq!(page.path().await, "/portfolio");
    assert!(page.text("h1").await.contains("My portfolio"));
    assert!(!page.body_text().await.contains("Cascade Group"));
    page.click_link("Whole territory").await;
    assert!(page.has("#portfolio").await);
    assert!(!page.body_text().await.contains("Cascade Group"));

    page.goto(&cascade).await;
    assert_eq!(page.text("h1").await, "Not found");
    assert!(!page.body_text().await.contains("Cascade Group"));
    page.goto("/console").await;
    assert_eq!(page.text("h1").await, "Forbidden");
    page.close().await;
}

/// Regenerates the README's screenshot: `cargo test -p channel-ledger-tests --test
/// browser_console -- --ignored readme_screenshot`.
#[tokio::test]
#[ignore = "writes docs/console.png; run by hand when the console changes"]
async fn readme_screenshot() {
    let Some(mut page) = Page::open("readme_screenshot").await else {
        return;
    };
    let cxo = page.demo.token("CxO", None).token.clone();
    page.sign_in(&cxo).await;
    page.goto("/console").await;
    let docs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/console.png");
    page.save_screenshot(&docs).await;
    for (path, name) in [
        ("/console/queue", "queue"),
        ("/console/intelligence", "intelligence"),
        ("/portfolio", "portfolio"),
        ("/commitments", "commitments"),
        ("/finance", "finance"),
        ("/mdf", "mdf"),
    ] {
        page.goto(path).await;
        let out = std::env::temp_dir().join(format!("console-{name}.png"));
        page.save_screenshot(&out).await;
    }
    page.click_link("Portfolio").await;
    page.click_link("Harborview Systems").await;
    page.save_screenshot(&std::env::temp_dir().join("console-partner.png"))
        .await;
    page.click_link("Handover brief").await;
    page.save_screenshot(&std::env::temp_dir().join("console-handover.png"))
        .await;
    page.close().await;
}
