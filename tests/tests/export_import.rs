//! Export and import (docs/export-format.md): a program written through the API on SQLite moves
//! to PostgreSQL and back with byte-identical exports, identical read models and a verifying
//! chain that keeps growing after the move; a file that was tampered with, cut short or is
//! meant for a ledger that already holds events is refused, and nothing is written.

use channel_ledger_projections::{ProgramModel, Projector};
use channel_ledger_store::chain::{ChainHead, Verification};
use channel_ledger_store::{ImportError, Ledger};
use channel_ledger_tests::http::{TestApp, SOUTHEAST};
use channel_ledger_tests::{
    counter_cqrs, metadata_at, postgres_ledger, sqlite_ledger, CounterCommand,
};
use chrono::{Duration, Utc};
use serde_json::json;

async fn export(ledger: &Ledger) -> Vec<u8> {
    let mut out = Vec::new();
    ledger.export(&mut out).await.unwrap();
    out
}

async fn verified_head(ledger: &Ledger) -> ChainHead {
    match ledger.verify_chain(None).await.unwrap() {
        Verification::Intact { head } => head,
        Verification::Broken(b) => panic!("the chain is broken at {b}"),
    }
}

async fn rebuilt_model(ledger: &Ledger) -> ProgramModel {
    let projector = Projector::start(ledger.clone()).await.unwrap();
    projector.rebuild().await.unwrap();
    let model = projector.read().await.clone();
    model
}

/// A small program written through the API: staff, partners, a back-dated reclassification.
async fn program_on_sqlite() -> TestApp {
    let app = TestApp::sqlite().await;
    app.set_now(Some(Utc::now() - Duration::days(30)));
    let cast = app.cast().await;
    let partner = app.register_partner(&cast.pam, SOUTHEAST).await;
    app.register_partner(&cast.pam, SOUTHEAST).await;
    app.set_now(None);
    let reclassified = app
        .post(
            &format!("/api/v1/partners/{partner}/classification"),
            Some(&cast.manager.token),
            &json!({
                "classification": "HighPotential",
                "rationale": "Two net-new logos — \"ünïcödé\" and all",
                "effective_at": (Utc::now() - Duration::days(2)).to_rfc3339(),
                "backdate_reason": "agreed in Monday's review",
            }),
        )
        .await;
    assert!(reclassified.status.is_success(), "{}", reclassified.text);
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_to_postgres_and_back_keeps_every_byte_model_and_link() {
    // Arrange
    let source = program_on_sqlite().await;
    let Some(postgres) = postgres_ledger().await else {
        return;
    };
    let (back, _dir) = sqlite_ledger().await;
    let exported = export(&source.ledger).await;

    // Act
    let on_postgres = postgres.import(exported.as_slice()).await.unwrap();
    let from_postgres = export(&postgres).await;
    let on_sqlite = back.import(from_postgres.as_slice()).await.unwrap();
    let from_sqlite = export(&back).await;

    // Assert: the same bytes, the same chain, the same program.
    let text = String::from_utf8(exported.clone()).unwrap();
    assert_eq!(String::from_utf8(from_postgres).unwrap(), text);
    assert_eq!(String::from_utf8(from_sqlite).unwrap(), text);
    let head = verified_head(&source.ledger).await;
    assert_eq!(head.position, 10);
    assert_eq!(text.lines().count(), 12, "a header, ten events, the digest");
    assert_eq!(on_postgres, head);
    assert_eq!(on_sqlite, head);
    assert_eq!(verified_head(&postgres).await, head);
    assert_eq!(verified_head(&back).await, head);
    assert_eq!(
        postgres.read_global(0, 1000).await.unwrap(),
        source.ledger.read_global(0, 1000).await.unwrap()
    );
    let model = rebuilt_model(&source.ledger).await;
    assert_eq!(rebuilt_model(&postgres).await, model);
    assert_eq!(rebuilt_model(&back).await, model);

    // And each imported ledger keeps appending onto the imported chain.
    for ledger in [&postgres, &back] {
        counter_cqrs(ledger)
            .execute_with_metadata(
                "after-the-move",
                CounterCommand::Add(1),
                metadata_at(Utc::now()),
            )
            .await
            .unwrap();
        assert_eq!(verified_head(ledger).await.position, head.position + 1);
    }
}

async fn counted_ledger() -> (Ledger, tempfile::TempDir) {
    let (ledger, dir) = sqlite_ledger().await;
    let cqrs = counter_cqrs(&ledger);
    for stream in ["a", "b", "c"] {
        cqrs.execute_with_metadata(
            stream,
            CounterCommand::AddEach(vec![1, 2]),
            metadata_at(Utc::now()),
        )
        .await
        .unwrap();
    }
    (ledger, dir)
}

async fn a_file(lines: impl FnOnce(&mut Vec<String>)) -> String {
    let (ledger, _dir) = counted_ledger().await;
    let text = String::from_utf8(export(&ledger).await).unwrap();
    let mut lines_of = text.lines().map(str::to_owned).collect::<Vec<_>>();
    lines(&mut lines_of);
    lines_of.join("\n") + "\n"
}

/// Imports `file` into fresh ledgers on both backends and returns the errors.
async fn refused(file: &str) -> Vec<ImportError> {
    let (sqlite, _dir) = sqlite_ledger().await;
    let mut ledgers = vec![sqlite];
    ledgers.extend(postgres_ledger().await);
    let mut errors = Vec::new();
    for ledger in ledgers {
        let err = ledger
            .import(file.as_bytes())
            .await
            .expect_err("must be refused");
        assert_eq!(
            ledger.head_position().await.unwrap(),
            0,
            "nothing is written"
        );
        assert_eq!(ledger.chain_head().await.unwrap(), ChainHead::EMPTY);
        errors.push(err);
    }
    errors
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tampered_payload_is_refused_naming_its_line() {
    // Arrange: the third event (line 4, after the header) claims another amount.
    let file = a_file(|lines| {
        lines[3] = lines[3].replace(r#""amount": 1"#, r#""amount": 100"#);
    })
    .await;

    // Act / Assert
    for err in refused(&file).await {
        assert!(
            matches!(
                err,
                ImportError::Broken {
                    line: 4,
                    position: 3,
                    ..
                }
            ),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reordered_lines_are_refused() {
    let file = a_file(|lines| lines.swap(2, 3)).await;
    for err in refused(&file).await {
        assert!(matches!(err, ImportError::Broken { line: 3, .. }), "{err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_truncated_file_is_refused() {
    let without_digest = a_file(|lines| {
        lines.pop();
    })
    .await;
    for err in refused(&without_digest).await {
        assert!(matches!(err, ImportError::Format { .. }), "{err}");
        assert!(err.to_string().contains("truncated"), "{err}");
    }
    let without_last_event = a_file(|lines| {
        lines.remove(lines.len() - 2);
    })
    .await;
    for err in refused(&without_last_event).await {
        assert!(
            err.to_string().contains("digest line says position 6"),
            "{err}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_file_of_another_format_is_refused() {
    for file in [
        "",
        "{\"format\":\"something-else\",\"version\":1}\n",
        "not json\n",
    ] {
        for err in refused(file).await {
            assert!(matches!(err, ImportError::Format { line: 1, .. }), "{err}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ledger_that_holds_events_is_not_imported_into() {
    // Arrange
    let file = a_file(|_| {}).await;
    let (target, _dir) = counted_ledger().await;
    let before = export(&target).await;
    let mut targets = vec![target];
    if let Some(postgres) = postgres_ledger().await {
        counter_cqrs(&postgres)
            .execute_with_metadata("x", CounterCommand::Add(1), metadata_at(Utc::now()))
            .await
            .unwrap();
        targets.push(postgres);
    }

    // Act / Assert
    for target in &targets {
        let err = target.import(file.as_bytes()).await.unwrap_err();
        assert!(matches!(err, ImportError::NotEmpty), "{err}");
    }
    assert_eq!(export(&targets[0]).await, before);
}
