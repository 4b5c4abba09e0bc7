//! The real `channel-ledger bench`, small: it runs every measure end to end on a throwaway
//! SQLite ledger — the generated program, the rebuild, "as of", and the HTTP reads against a
//! child `serve` whose memory it reports — and prints JSON. The default run (1,000,000 events)
//! is `scripts/bench`'s job, not the test suite's.

mod support;

use std::process::Command;

use support::BIN;

#[test]
fn a_small_bench_measures_everything_and_reports_the_servers_memory() {
    let out = Command::new(BIN)
        .args([
            "bench",
            "--events",
            "4000",
            "--commands",
            "40",
            "--partner-events",
            "200",
            "--program-dates",
            "1",
            "--http-requests",
            "128",
            "--json",
        ])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run channel-ledger bench");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["backend"], "sqlite");
    let log = &report["log"];
    let events = log["events"].as_u64().unwrap();
    // It stops at the first command boundary at or after the number asked for.
    assert!(events > 1_000 && events < 4_020, "{events}");
    assert!(log["partners"].as_u64().unwrap() >= 8);
    assert!(log["by_event"]["RapActivated"].as_u64().is_some());
    let measures: Vec<&str> = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["measure"].as_str().unwrap())
        .collect();
    for measure in [
        "command (load, decide, append)",
        "projector rebuild",
        "partner as of, effective axis",
        "HTTP reads: partner profile, timeline (latest 50)",
    ] {
        assert!(
            measures.contains(&measure),
            "{measure} missing: {measures:?}"
        );
    }
    let server = &report["server"];
    for field in [
        "ready_rss_mb",
        "serving_rss_mb",
        "after_rss_mb",
        "peak_rss_mb",
    ] {
        let mb = server[field].as_f64().unwrap();
        assert!(mb > 1.0 && mb < 4_096.0, "{field}: {mb}");
    }
    // CPU per read, the server's and the load clients' (whole 10 ms ticks: 128 reads may
    // round to none).
    for field in ["server_cpu_us_per_request", "client_cpu_us_per_request"] {
        let us = server[field].as_f64().unwrap();
        assert!((0.0..1e6).contains(&us), "{field}: {us}");
    }
}
