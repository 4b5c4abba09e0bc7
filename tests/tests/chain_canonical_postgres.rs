//! The chain's canonical JSON is PostgreSQL's `jsonb` text form: the store reproduces it for
//! SQLite and export files, and here a running PostgreSQL is the judge, on hand-picked edge
//! cases and on generated documents.

use channel_ledger_store::chain::canonical_json;
use channel_ledger_tests::postgres_ledger;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde_json::{Map, Number, Value};

const EDGE_CASES: &[&str] = &[
    r#"{"bb":1,"a":[1,2,{}],"c":{"z":null,"yy":[]}}"#,
    r#"{"a":1,"b":2,"a":3}"#,
    r#"{"é":1,"e":2,"ee":3,"\u00e9":4}"#,
    r#""a\/b \u00e9 \ud83d\ude00 \"q\" \\ \n\t\b\f\r\u0001\u001f\u007f""#,
    r#"[0, -0, -0.00, 1.50, 1e2, 1E+2, 1.0e1, 100e-1, 15e-4, 12.345e1, 0e5, 0.0e-2, -1.5e-1]"#,
    r#"[18446744073709551616, -9223372036854775809, 1.7976931348623157e308, 5e-324]"#,
    r#"[1e1000, -1e-1000, 123456789012345678901234567890.123456789]"#,
    " { \"spaced\" :\t[ true ,false,null ] }\n",
    r#"{"":0,"nested":{"deeper":{"deepest":[[[]]]}}}"#,
    "\"plain ünïcödé and emoji 🦀 kept as UTF-8\"",
];

#[tokio::test]
async fn edge_cases_match_jsonb() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    let pool = ledger.postgres_pool().unwrap();
    for text in EDGE_CASES {
        let jsonb: String = sqlx::query_scalar("SELECT $1::jsonb::text")
            .bind(text)
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(canonical_json(text).unwrap(), jsonb, "{text}");
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let text = "[^\u{0}]{0,12}";
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter_map("finite", Number::from_f64)
            .prop_map(Value::Number),
        text.prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text, inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[tokio::test]
async fn generated_documents_match_jsonb() {
    let Some(ledger) = postgres_ledger().await else {
        return;
    };
    let pool = ledger.postgres_pool().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = json_value();
    for _ in 0..400 {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        // Both the compact text SQLite stores and a pretty-printed one.
        for text in [
            value.to_string(),
            serde_json::to_string_pretty(&value).unwrap(),
        ] {
            let jsonb: String = sqlx::query_scalar("SELECT $1::jsonb::text")
                .bind(&text)
                .fetch_one(pool)
                .await
                .unwrap();
            let canonical = canonical_json(&text).unwrap();
            assert_eq!(canonical, jsonb, "{text}");
            assert_eq!(canonical_json(&canonical).unwrap(), canonical);
        }
    }
}
