//! Issue 6, item 4: hostile input. Every endpoint of the service's own OpenAPI document (walked
//! at run time, so a new endpoint is covered without touching this file) is sent generated
//! hostile requests, with a token of a role that may call it, into a ledger holding the demo
//! program: bodies derived from the endpoint's schema but mutated (huge strings up to and past the
//! body limit, nesting 10,000 deep, NUL, lone surrogates, RTL overrides, combining marks, emoji,
//! numbers out of range, floats for integers, negative money, wrong types, missing and extra
//! fields, duplicate keys, invalid UTF-8, truncated JSON, the wrong content type), and path and
//! query values that name nothing or cannot be decoded.
//!
//! For every answer: never a 5xx (not even a 503); every 4xx a problem+json with a stable `type`
//! (a kebab-case code under the service's base URI), its status, a `detail` and, on a 422, the
//! `field`; the log's head moves only on a 2xx and then only by events carrying this request's
//! id, the ones the answer lists; a command never accepts a body that is not one well-formed JSON
//! object without repeated keys, nor a negative amount of money.
//!
//! The generated run is on SQLite (`HOSTILE_CASES`, default 1,200 cases;
//! `HOSTILE_BACKEND=postgres` runs it on PostgreSQL instead, for longer hunts). A fixed corpus —
//! each leaf of each body swept with targeted values, each body wrecked each way, each path and
//! query parameter made hostile, and the baseline body sent to every record the world was given
//! for it — runs on both backends (`HOSTILE_DEBUG=<part of a URI>` prints its answers there).
//!
//! Duplicate keys (`{"a":1,"a":2}`): serde would refuse some (struct fields) and let the last win
//! in others (maps, ignored values). A ledger must not silently pick one of two conflicting
//! values, so the JSON extractor refuses any repeated key, at any depth, with 422
//! `duplicate-key` naming it (`duplicate_keys_are_refused_naming_the_key`); a query parameter
//! given twice is refused the same way (`duplicate-query-parameter`).

mod hostile_support;

use std::cell::RefCell;

use axum::body::Body;
use axum::http::Method;
use channel_ledger_store::Ledger;
use channel_ledger_tests::http::{partner_body, TestApp, SOUTHEAST};
use channel_ledger_tests::{on_both_backends, postgres_ledger, sqlite_ledger};
use hostile_support::strategies::{any_case, ends_a_record, fixed_cases, fresh_cases, render};
use hostile_support::{send_and_check, Tally, World, BODY_LIMIT};
use proptest::test_runner::{Config, TestCaseError, TestRunner};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime")
}

fn cases() -> u32 {
    std::env::var("HOSTILE_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_200)
}

fn report(what: &str, tally: &Tally, started: std::time::Instant) {
    eprintln!(
        "{what}: {} requests to {} endpoints in {:.1} s; by status {:?}; problem types {:?}",
        tally.sent,
        tally.endpoints_hit.len(),
        started.elapsed().as_secs_f64(),
        tally.by_status,
        tally.codes,
    );
}

#[test]
fn generated_hostile_requests_get_a_problem_never_a_server_error_nor_a_partial_write() {
    let rt = runtime();
    let world = rt.block_on(async {
        if std::env::var("HOSTILE_BACKEND").is_ok_and(|b| b == "postgres") {
            let ledger = postgres_ledger()
                .await
                .expect("HOSTILE_BACKEND=postgres needs LEDGER_TEST_PG_URL");
            return World::build(ledger, None).await;
        }
        let (ledger, dir) = sqlite_ledger().await;
        World::build(ledger, Some(dir)).await
    });
    let started = std::time::Instant::now();
    let tally = RefCell::new(Tally::default());
    let mut runner = TestRunner::new(Config {
        cases: cases(),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    });
    let result = runner.run(&any_case(&world), |case| {
        let sent = render(&world, &case);
        rt.block_on(send_and_check(&world, &sent, &mut tally.borrow_mut()))
            .map(drop)
            .map_err(TestCaseError::fail)
    });
    let tally = tally.into_inner();
    report("generated", &tally, started);
    if let Err(e) = result {
        panic!("{e}");
    }
    let missed: Vec<String> = (0..world.endpoints.len())
        .filter(|i| !tally.endpoints_hit.contains(i))
        .map(|i| world.endpoints[i].label())
        .collect();
    assert!(
        missed.is_empty(),
        "endpoints never sent to (raise HOSTILE_CASES): {missed:?}"
    );
}

/// The fixed corpus, on each backend.
async fn fixed_corpus_is_refused_cleanly(ledger: &Ledger) {
    let world = World::build(ledger.clone(), None).await;
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    let mut runner = TestRunner::deterministic();
    let mut failures = Vec::new();
    // First the baseline to every record made for the corpus, the endpoints that end a record
    // last; then the corpus proper.
    let mut order: Vec<usize> = (0..world.endpoints.len()).collect();
    order.sort_by_key(|i| ends_a_record(&world.endpoints[*i]));
    let mut corpus = Vec::new();
    for i in order {
        corpus.extend(fresh_cases(&world, i, &mut runner));
    }
    for i in 0..world.endpoints.len() {
        corpus.extend(fixed_cases(&world, i, &mut runner));
    }
    let debug = std::env::var("HOSTILE_DEBUG").ok();
    for case in corpus {
        let sent = render(&world, &case);
        match send_and_check(&world, &sent, &mut tally).await {
            Err(e) => failures.push(e),
            Ok(r) if debug.as_deref().is_some_and(|part| sent.uri.contains(part)) => {
                eprintln!("{} -> {} {}", sent.describe(), r.status, r.text);
            }
            Ok(_) => {}
        }
    }
    report("fixed corpus", &tally, started);
    assert!(
        failures.is_empty(),
        "{} of {} requests failed; the first ten:\n\n{}",
        failures.len(),
        tally.sent,
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

on_both_backends!(fixed_corpus_is_refused_cleanly);

#[tokio::test]
async fn duplicate_keys_are_refused_naming_the_key() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let head = app.head().await;
    let raw = |body: String| {
        TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    let valid = partner_body(SOUTHEAST).to_string();
    let inner = &valid[1..valid.len() - 1];
    let cases = [
        (format!(r#"{{{inner},"name":"Another Co"}}"#), "name"),
        (format!(r#"{{{inner},"name":"Ironclad MSP"}}"#), "name"),
        (
            format!(r#"{{{inner},"effective_at":null,"effective_at":null}}"#),
            "effective_at",
        ),
        (format!(r#"{{{inner},"x":{{"a":1,"a":2}}}}"#), "x.a"),
    ];
    for (body, field) in cases {
        let r = app.send(raw(body.clone())).await;
        assert_eq!(r.problem(422).as_deref(), Some(field), "{body}: {}", r.text);
        assert_eq!(r.code(), "duplicate-key", "{body}");
    }

    // Nested, in a RAP's terms: the money, the list of named accounts.
    let partner = app.register_partner(&cast.pam, SOUTHEAST).await;
    let head_after_register = app.head().await;
    let terms = r#"{"period":"FY26 Q2","terms":{"named_accounts":[{"name":"A","domain":"a.example","domain":"b.example"}],
        "mdf":{"minor":100,"currency":"USD","minor":-100},"partner_contribution":{"minor":100,"currency":"USD"},
        "arr_target":{"minor":100,"currency":"USD"},"partner_expected_revenue":{"minor":100,"currency":"USD"}}}"#;
    let r = app
        .send(
            TestApp::request(
                Method::POST,
                &format!("/api/v1/partners/{partner}/raps"),
                Some(&cast.pam.token),
            )
            .header("content-type", "application/json")
            .body(Body::from(terms))
            .unwrap(),
        )
        .await;
    assert_eq!(
        r.problem(422).as_deref(),
        Some("terms.named_accounts[0].domain"),
        "{}",
        r.text
    );
    assert_eq!(r.code(), "duplicate-key");
    assert_eq!(app.head().await, head_after_register, "nothing appended");
    assert_eq!(head_after_register, head + 1, "only the registration");
}

#[tokio::test]
async fn a_query_parameter_given_twice_is_refused_naming_it() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let token = Some(cast.cxo.token.as_str());
    for (uri, field) in [
        (
            "/api/v1/portfolio?as_of=2025-01-01&as_of=2026-01-01",
            "as_of",
        ),
        ("/api/v1/events?limit=1&after=0&limit=2", "limit"),
        ("/api/v1/events?limit=1&li%6Dit=2", "limit"),
    ] {
        let r = app.get(uri, token).await;
        assert_eq!(r.problem(422).as_deref(), Some(field), "{uri}: {}", r.text);
        assert_eq!(r.code(), "duplicate-query-parameter");
    }
    // Without a token it is still the token that is missing.
    app.get("/api/v1/events?limit=1&limit=2", None)
        .await
        .problem(401);
    assert_eq!(
        app.get("/api/v1/events?limit=1&after=0", token)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn the_body_limit_is_exact_and_holds_for_bodies_of_unknown_length() {
    let app = TestApp::sqlite().await;
    let cast = app.cast().await;
    let body = partner_body(SOUTHEAST).to_string();
    let padded = |len: usize| {
        let mut b = body.clone().into_bytes();
        b.resize(len, b' ');
        b
    };
    let post = |bytes: Vec<u8>, streamed: bool| {
        let body = if streamed {
            let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
                bytes.chunks(64 * 1024).map(|c| Ok(c.to_vec())).collect();
            Body::from_stream(futures::stream::iter(chunks))
        } else {
            Body::from(bytes)
        };
        TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
            .header("content-type", "application/json")
            .body(body)
            .unwrap()
    };
    for streamed in [false, true] {
        let at_limit = app.send(post(padded(BODY_LIMIT), streamed)).await;
        assert_eq!(at_limit.status, 201, "{}", at_limit.text);
        let head = app.head().await;
        let over = app.send(post(padded(BODY_LIMIT + 1), streamed)).await;
        over.problem(413);
        assert_eq!(over.code(), "body-too-large");
        assert_eq!(app.head().await, head);
        // The same with an Idempotency-Key, which reads the body first.
        let mut keyed = post(padded(BODY_LIMIT + 1), streamed);
        keyed.headers_mut().insert(
            "idempotency-key",
            format!("big-{streamed}").parse().unwrap(),
        );
        let over = app.send(keyed).await;
        over.problem(413);
        assert_eq!(app.head().await, head);
    }
    // A non-JSON body over the limit is refused for its type before it is read.
    let r = app
        .send(
            TestApp::request(Method::POST, "/api/v1/partners", Some(&cast.pam.token))
                .header("content-type", "text/plain")
                .body(Body::from(vec![b'x'; 2 * BODY_LIMIT]))
                .unwrap(),
        )
        .await;
    r.problem(415);
}

/// The generators take the document at its word: an enum value it lists must be one the service
/// accepts, or every "valid" body naming it is refused and the endpoint is never reached.
#[tokio::test]
async fn the_document_lists_the_wire_names_the_service_accepts() {
    use channel_ledger_domain::partner::{Classification, CompanySize, PartnerType, Tier};

    let app = TestApp::sqlite().await;
    let doc = app.get("/api/v1/openapi.json", None).await;
    let listed = |schema: &str| -> Vec<String> {
        doc.body["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("{schema} has no enum"))
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let wire = |names: Vec<&str>| names.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        listed("PartnerType"),
        wire(PartnerType::ALL.iter().map(|v| v.wire()).collect())
    );
    assert_eq!(
        listed("CompanySize"),
        wire(CompanySize::ALL.iter().map(|v| v.wire()).collect())
    );
    assert_eq!(
        listed("Tier"),
        wire(Tier::ALL.iter().map(|v| v.wire()).collect())
    );
    assert_eq!(
        listed("Classification"),
        wire(Classification::ALL.iter().map(|v| v.wire()).collect())
    );
}
