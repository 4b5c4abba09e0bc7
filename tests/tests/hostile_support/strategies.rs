//! Proptest strategies for hostile requests, derived from each endpoint's schema: a body that is
//! mostly what the schema asks for, with a few fields (or the whole document) made hostile —
//! huge strings, deep nesting, unicode edge cases, numbers out of range, wrong types, missing and
//! extra fields, duplicate keys, invalid UTF-8, truncated JSON, the wrong content type — and
//! path and query values that name nothing or cannot be decoded.

use std::sync::Arc;

use chrono::{Duration, Utc};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

use super::json::Json;
use super::shapes::{Endpoint, Leaf, LeafKind, Shape};
use super::{encode, request_id, Pools, Sent, World, BODY_LIMIT};

/// One generated request, before it is rendered against the world.
#[derive(Debug, Clone)]
pub struct Case {
    pub endpoint: usize,
    /// Which of the endpoint's bindings (modulo their number), and per path parameter a
    /// hostile replacement.
    pub binding: usize,
    pub path: Vec<Option<String>>,
    /// Query pairs, already URL-safe.
    pub query: Vec<(String, String)>,
    pub body: Option<Json>,
    pub wreck: Wreck,
    pub content_type: ContentType,
    /// Which of the callers allowed (modulo their number).
    pub caller: usize,
    pub idempotency: Idempotency,
    /// An `Authorization` header sent instead of the caller's token (empty: none at all).
    pub authorization: Option<Vec<u8>>,
}

/// What is done to the rendered body's bytes.
#[derive(Debug, Clone, PartialEq)]
pub enum Wreck {
    None,
    /// Cut at this permille of its length.
    Truncate(u16),
    /// These bytes put in at this permille of its length.
    Inject(u16, Vec<u8>),
    /// Bytes before the document (a byte-order mark) or after it (trailing garbage).
    Prefix(Vec<u8>),
    Suffix(Vec<u8>),
    /// The whole body replaced.
    Replace(Json),
    /// Raw bytes as the whole body.
    RawBody(Vec<u8>),
    /// Whitespace after the document until the body is over the limit.
    OverLimit,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ContentType {
    Json,
    Missing,
    Other(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Idempotency {
    None,
    /// A key never used before.
    Fresh,
    /// One key shared by every case that draws it: replays and mismatches.
    Shared,
    Hostile(Vec<u8>),
}

const NAMES: [&str; 6] = [
    "Hostile Probe Co",
    "Zoë Ærø-Þórsdóttir",
    "株式会社テスト",
    "O'Brien & Sons, Ltd.",
    "مؤسسة الاختبار",
    "Ünïcödé GmbH",
];

const REASONS: [&str; 4] = [
    "agreed at the quarterly business review",
    "line one\nline two\twith a tab",
    "naïve café façade — résumé ✓",
    "支持多语言的理由",
];

/// Strings no field should trust, for every text-like leaf.
pub fn hostile_strings() -> Vec<Json> {
    let mut out = vec![
        Json::str("\0"),
        Json::str("a\0b"),
        Json::RawStr("\\u0000".into()),
        Json::RawStr("\\ud800".into()),
        Json::RawStr("x\\udc00y".into()),
        Json::RawStr("\\ud83d".into()),
        Json::RawStr("\\ud83d\\ude00 paired".into()),
        Json::RawStr("\\uDFFF\\uD800".into()),
        Json::RawStr("\\u12".into()),
        Json::RawStr("\\x41".into()),
        Json::str("\u{202e}dnuof ton\u{202c}"),
        Json::str("e\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}"),
        Json::str("Z\u{351}\u{360}\u{35c}\u{34d}\u{362}"),
        Json::str("😀👩‍👩‍👧‍👦🏳️‍🌈"),
        Json::str("Cafe\u{301} (not NFC)"),
        Json::str("\u{feff}byte order mark"),
        Json::str("\u{200b}\u{200d}\u{2060}"),
        Json::str("\u{fffe}\u{ffff}"),
        Json::str("\u{10ffff}"),
        Json::str(""),
        Json::str("   "),
        Json::str("\u{a0}\u{3000}"),
        Json::str("\t\n\r"),
        Json::str("bell\u{7}"),
        Json::str("escape\u{1b}[31m"),
        Json::str("del\u{7f}"),
        Json::str("c1\u{85}\u{9b}"),
        Json::str("line\u{2028}sep\u{2029}"),
        Json::str("'; DROP TABLE events; --"),
        Json::str("<script>alert(1)</script>"),
        Json::str("${jndi:ldap://x}"),
        Json::str("%00%FF%"),
        Json::str("../../etc/passwd"),
        Json::Bytes(vec![0xff]),
        Json::Bytes(vec![b'a', 0xc0, 0x80]),
        Json::Bytes(vec![0xed, 0xa0, 0x80]),
        Json::Bytes(vec![0xf4, 0x90, 0x80, 0x80]),
        Json::Bytes(vec![0xe2, 0x82]),
        Json::Bytes(vec![b'a', 0x00, b'b']),
        Json::Bytes(vec![b'a', b'\n', b'b']),
        Json::Long {
            unit: "x".into(),
            times: 201,
        },
        Json::Long {
            unit: "é".into(),
            times: 4_001,
        },
        Json::Long {
            unit: "x".into(),
            times: 10_001,
        },
        Json::Long {
            unit: "\u{301}".into(),
            times: 5_000,
        },
        Json::Long {
            unit: "😀".into(),
            times: 60_000,
        },
        Json::Long {
            unit: "\0".into(),
            times: 100_000,
        },
        Json::Long {
            unit: "a".into(),
            times: BODY_LIMIT - 64,
        },
        Json::Long {
            unit: "a".into(),
            times: BODY_LIMIT + 1,
        },
    ];
    out.extend(NAMES.iter().map(|s| Json::str(*s)));
    out
}

/// Number literals out of range, of the wrong kind, or not numbers at all.
pub fn hostile_numbers() -> Vec<Json> {
    let mut out: Vec<Json> = [
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
        "2147483647",
        "2147483648",
        "4294967296",
        "-2147483649",
        "-1",
        "-100",
        "-0",
        "-0.0",
        "0.5",
        "1.0",
        "100.00",
        "1e2",
        "1E400",
        "-1e400",
        "1e-400",
        "NaN",
        "Infinity",
        "-Infinity",
        "01",
        "+1",
        ".5",
        "1.",
        "0x10",
        "1_000",
    ]
    .into_iter()
    .map(Json::num)
    .collect();
    out.push(Json::Num(format!("1{}", "0".repeat(5_000))));
    out.push(Json::Num(format!("-{}", "9".repeat(400))));
    out.push(Json::Num(format!("0.{}1", "0".repeat(5_000))));
    out.extend(
        [
            "NaN",
            "Infinity",
            "1",
            "-1",
            "1e400",
            "9223372036854775808",
            "",
        ]
        .map(Json::str),
    );
    out
}

/// Date-times chrono, PostgreSQL and the ledger disagree about, or that are no dates at all.
pub fn hostile_date_times() -> Vec<Json> {
    [
        "+275760-09-13T00:00:00Z",
        "-271821-04-20T00:00:00Z",
        "+262143-12-31T23:59:59Z",
        "-262143-01-01T00:00:00Z",
        "+100000-01-01T00:00:00Z",
        "99999-12-31T23:59:59Z",
        "9999-12-31T23:59:59.999999999Z",
        "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z",
        "-0001-12-31T00:00:00Z",
        "-4713-11-24T00:00:00Z",
        "-4714-11-23T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "2026-02-30T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-06-30T23:59:60Z",
        "2026-01-01T00:00:00+14:00",
        "2026-01-01T00:00:00-23:59",
        "2026-01-01T00:00:00+99:99",
        "2026-01-01T00:00:00.123456789123Z",
        "2026-01-01T00:00:00",
        "2026-01-01",
        "2026-01-01 00:00:00Z",
        "2026-01-01t00:00:00z",
        "yesterday",
        "1700000000",
    ]
    .into_iter()
    .map(Json::str)
    .chain([Json::num(1_700_000_000), Json::num("1e400")])
    .collect()
}

/// Calendar dates out of every range.
pub fn hostile_dates() -> Vec<Json> {
    [
        "+262143-12-31",
        "-262143-01-01",
        "+275760-09-13",
        "99999-12-31",
        "9999-12-31",
        "0000-01-01",
        "0001-01-01",
        "-4714-11-23",
        "2026-02-29",
        "2026-13-01",
        "2026-00-10",
        "20260101",
        "2026-1-1",
        "2026-01-01T00:00:00Z",
        "today",
    ]
    .into_iter()
    .map(Json::str)
    .collect()
}

pub fn hostile_uuids() -> Vec<Json> {
    [
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de",
        "not-a-uuid",
        "6F1C1AD4-1BD5-4A73-9D38-6BD1E6F1C0DE",
        "{6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de}",
        "urn:uuid:6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de",
        "6f1c1ad41bd54a739d386bd1e6f1c0de",
        "6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de\u{0}",
        " 6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de ",
        "6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0dé",
    ]
    .into_iter()
    .map(Json::str)
    .collect()
}

/// A value of another JSON type than any field expects, or nested ten thousand deep.
pub fn wrong_types() -> Vec<Json> {
    vec![
        Json::Null,
        Json::Bool(true),
        Json::num(0),
        Json::str("x"),
        Json::Arr(vec![]),
        Json::Obj(vec![]),
        Json::Arr(vec![Json::str("a"), Json::num(1), Json::Null]),
        Json::Obj(vec![("minor".into(), Json::num(1))]),
        Json::Nest {
            depth: 10_000,
            objects: false,
        },
        Json::Nest {
            depth: 10_000,
            objects: true,
        },
        Json::Nest {
            depth: 127,
            objects: false,
        },
        Json::Nest {
            depth: 129,
            objects: true,
        },
        Json::Arr(vec![Json::num(0); 60_000]),
    ]
}

fn one_of(values: Vec<Json>) -> BoxedStrategy<Json> {
    select(values).boxed()
}

/// A value the schema (and the world) accepts for `leaf`.
fn valid_leaf(leaf: &Leaf, pools: &Arc<Pools>) -> BoxedStrategy<Json> {
    let from = |values: &[String], fallback: &str| -> BoxedStrategy<Json> {
        if values.is_empty() {
            Just(Json::str(fallback)).boxed()
        } else {
            select(values.to_vec()).prop_map(Json::Str).boxed()
        }
    };
    let hint = leaf.hint.as_str();
    let staff = |roles: &[&str]| -> Vec<String> {
        pools
            .callers
            .iter()
            .filter(|c| roles.contains(&c.role.as_str()))
            .map(|c| c.staff_id.clone())
            .collect()
    };
    match &leaf.kind {
        LeafKind::Enum(values) => select(values.clone()).prop_map(Json::Str).boxed(),
        LeafKind::Boolean => any::<bool>().prop_map(Json::Bool).boxed(),
        LeafKind::Uuid => {
            let ids: Vec<String> = match (leaf.prop.as_str(), hint) {
                // People who can be what the field names: an active PAM, an approver.
                ("pam_id" | "pam", _) => staff(&["PAM"]),
                ("to" | "on_behalf_of", _) => staff(&["Manager", "CxO"]),
                (_, hint) => match hint {
                    "PartnerId" | "partner_id" => pools.ids("Partner").to_vec(),
                    "RapId" | "rap_id" => pools.ids("Rap").to_vec(),
                    "StaffId" => pools.ids("Staff").to_vec(),
                    "ActivityId" | "activity_id" => pools.values("activity_id").to_vec(),
                    "AllocationId" | "allocation_id" => pools.values("allocation_id").to_vec(),
                    _ => pools.ids("Partner").to_vec(),
                },
            };
            from(&ids, "6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de")
        }
        LeafKind::DateTime => {
            if hint == "effective_at" {
                // Mostly now or a little before (no reason needed); sometimes back-dated by up
                // to a month, which keeps a `backdate_reason` when one is given.
                prop_oneof![
                    3 => (0i64..240).prop_map(|s| Utc::now() - Duration::seconds(s)),
                    1 => (1i64..30).prop_map(|d| Utc::now() - Duration::days(d)),
                ]
                .prop_map(|t| Json::str(t.to_rfc3339()))
                .boxed()
            } else {
                (1i64..120)
                    .prop_map(|d| Json::str((Utc::now() + Duration::days(d)).to_rfc3339()))
                    .boxed()
            }
        }
        LeafKind::Date => {
            let ahead = if hint == "starts_on" {
                31i64..120
            } else {
                -10i64..1
            };
            ahead
                .prop_map(|d| Json::str((Utc::now() + Duration::days(d)).date_naive().to_string()))
                .boxed()
        }
        LeafKind::Integer { minimum, .. } => match hint {
            // Ordinary amounts, and amounts a schema allows that arithmetic may not.
            "minor" => prop_oneof![
                12 => 0i64..2_000_000,
                2 => Just(0i64),
                1 => select(vec![i64::MAX, i64::MAX - 1, i64::MAX / 2 + 1, 10_i64.pow(15)]),
            ]
            .prop_map(Json::num)
            .boxed(),
            "rate_micros" => prop_oneof![
                8 => 100_000i64..3_000_000,
                1 => select(vec![1, i64::MAX]),
            ]
            .prop_map(Json::num)
            .boxed(),
            _ => (minimum.unwrap_or(0).max(0)..5).prop_map(Json::num).boxed(),
        },
        LeafKind::Text => match hint {
            "Territory" | "territory" => from(&pools.territories, "Southeast"),
            "Currency" => {
                prop_oneof![9 => Just(Json::str("USD")), 1 => Just(Json::str("EUR"))].boxed()
            }
            "FiscalQuarter" | "quarter" | "period" => {
                let mut quarters = pools.values("quarter").to_vec();
                quarters.extend(pools.values("period").iter().cloned());
                quarters.push("FY27 Q1".into());
                from(&quarters, "FY26 Q2")
            }
            "AccountDomain" | "named_accounts" | "domain" => {
                from(pools.values("domain"), "northwind.example")
            }
            "Name" => select(NAMES.to_vec()).prop_map(Json::str).boxed(),
            _ => select(REASONS.to_vec()).prop_map(Json::str).boxed(),
        },
    }
}

/// An effective time two days ago: back-dated, so it needs (and keeps) a `backdate_reason`.
fn backdated() -> Json {
    Json::str((Utc::now() - Duration::days(2)).to_rfc3339())
}

/// A hostile value of `leaf`'s own kind.
fn hostile_leaf(leaf: &Leaf) -> BoxedStrategy<Json> {
    match &leaf.kind {
        LeafKind::Text => one_of(hostile_strings()),
        LeafKind::Enum(values) => {
            let first = values.first().cloned().unwrap_or_default();
            let mut hostile = vec![
                Json::str(first.to_lowercase()),
                Json::str(first.to_uppercase()),
                Json::str(format!(" {first} ")),
                Json::str(format!("{first}\0")),
                Json::str(format!("{first}\u{200b}")),
                Json::str("Unknown"),
            ];
            hostile.extend(hostile_strings().into_iter().take(12));
            one_of(hostile)
        }
        LeafKind::Uuid => one_of(
            hostile_uuids()
                .into_iter()
                .chain(hostile_strings())
                .collect(),
        ),
        LeafKind::DateTime => one_of(hostile_date_times()),
        LeafKind::Date => one_of(hostile_dates()),
        LeafKind::Integer { .. } => one_of(hostile_numbers()),
        LeafKind::Boolean => one_of(vec![Json::num(1), Json::str("true"), Json::str("yes")]),
    }
}

/// A value for `shape`: mostly valid, sometimes hostile in its own kind, sometimes of another
/// type altogether; objects sometimes lose a field, gain one, or repeat a key.
pub fn value(shape: &Shape, pools: &Arc<Pools>) -> BoxedStrategy<Json> {
    match shape {
        Shape::Leaf(leaf) => {
            let valid = valid_leaf(leaf, pools);
            if leaf.nullable {
                prop_oneof![
                    30 => valid,
                    3 => Just(Json::Null),
                    2 => hostile_leaf(leaf),
                    1 => one_of(wrong_types()),
                ]
                .boxed()
            } else {
                prop_oneof![
                    36 => valid,
                    2 => hostile_leaf(leaf),
                    1 => one_of(wrong_types()),
                ]
                .boxed()
            }
        }
        Shape::Array(item) => prop_oneof![
            24 => proptest::collection::vec(value(item, pools), 0..3).prop_map(Json::Arr),
            2 => one_of(wrong_types()),
            // Long but each item valid: thousands of named accounts, plays, settlements.
            1 => (value(item, pools), 1_000usize..4_000)
                .prop_map(|(one, n)| Json::Arr(vec![one; n])),
        ]
        .boxed(),
        Shape::OneOf(alternatives) => {
            let options: Vec<BoxedStrategy<Json>> =
                alternatives.iter().map(|a| value(a, pools)).collect();
            proptest::strategy::Union::new(options).boxed()
        }
        Shape::Object { props } => {
            let members: Vec<BoxedStrategy<Option<(String, Json)>>> = props
                .iter()
                .map(|(name, shape, required)| {
                    let name = name.clone();
                    let present = value(shape, pools).prop_map(move |v| Some((name.clone(), v)));
                    if *required {
                        present.boxed()
                    } else {
                        prop_oneof![1 => Just(None), 1 => present].boxed()
                    }
                })
                .collect();
            (members, object_mutation())
                .prop_map(|(members, mutation)| {
                    mutation.apply(members.into_iter().flatten().collect())
                })
                .boxed()
        }
    }
}

/// What is done to one object of a body.
#[derive(Debug, Clone)]
enum ObjectMutation {
    Keep,
    Drop(Index),
    Extra(String, Json),
    /// The member at the index again, with this value (or its own).
    Duplicate(Index, Option<Json>),
}

impl ObjectMutation {
    fn apply(self, mut members: Vec<(String, Json)>) -> Json {
        match self {
            ObjectMutation::Keep => {}
            ObjectMutation::Drop(i) => {
                if !members.is_empty() {
                    members.remove(i.index(members.len()));
                }
            }
            ObjectMutation::Extra(key, value) => members.push((key, value)),
            ObjectMutation::Duplicate(i, value) => {
                if !members.is_empty() {
                    let (key, own) = members[i.index(members.len())].clone();
                    members.push((key, value.unwrap_or(own)));
                }
            }
        }
        Json::Obj(members)
    }
}

fn object_mutation() -> BoxedStrategy<ObjectMutation> {
    let extra_keys = select(vec![
        "extra",
        "__proto__",
        "constructor",
        "",
        "Name",
        "name ",
        "naме",
        "\u{0}",
        "effective_at\u{0}",
        "a\u{202e}b",
    ]);
    prop_oneof![
        40 => Just(ObjectMutation::Keep),
        1 => any::<Index>().prop_map(ObjectMutation::Drop),
        1 => (extra_keys, select(vec![Json::num(1), Json::str("x"), Json::Null]))
            .prop_map(|(k, v)| ObjectMutation::Extra(k.to_owned(), v)),
        1 => (any::<Index>(), proptest::option::of(select(vec![
                Json::str("the other value"), Json::num(-1), Json::Null, Json::Obj(vec![]),
            ])))
            .prop_map(|(i, v)| ObjectMutation::Duplicate(i, v)),
    ]
    .boxed()
}

fn wreck() -> BoxedStrategy<Wreck> {
    prop_oneof![
        48 => Just(Wreck::None),
        1 => (0u16..1000).prop_map(Wreck::Truncate),
        1 => (0u16..1000, select(vec![
                vec![0xff], vec![0xc0, 0x80], vec![0xed, 0xa0, 0x80], vec![0x00], vec![b'"'],
                vec![b'{'], vec![b'\\'], b"\\ud800".to_vec(),
            ]))
            .prop_map(|(at, bytes)| Wreck::Inject(at, bytes)),
        1 => select(vec![vec![0xef, 0xbb, 0xbf], vec![0xff, 0xfe], b"\x00".to_vec(), b")]}'\n".to_vec()])
            .prop_map(Wreck::Prefix),
        1 => select(vec![b" x".to_vec(), b"{}".to_vec(), b"\x00".to_vec(), vec![0xff], b",".to_vec()])
            .prop_map(Wreck::Suffix),
        1 => select(vec![
                Json::Null, Json::Arr(vec![]), Json::num(1), Json::str("{}"), Json::Bool(false),
                Json::Nest { depth: 10_000, objects: false },
                Json::Nest { depth: 10_000, objects: true },
                Json::Long { unit: " ".into(), times: 2 * BODY_LIMIT },
            ])
            .prop_map(Wreck::Replace),
        1 => select(vec![
                Vec::new(), b" ".to_vec(), b"{".to_vec(), b"{\"a\":".to_vec(), vec![0xff; 16],
                b"a=1&b=2".to_vec(), b"<x/>".to_vec(), b"\xef\xbb\xbf{}".to_vec(),
            ])
            .prop_map(Wreck::RawBody),
        1 => Just(Wreck::OverLimit),
    ]
    .boxed()
}

fn content_type() -> BoxedStrategy<ContentType> {
    prop_oneof![
        40 => Just(ContentType::Json),
        1 => Just(ContentType::Missing),
        2 => select(vec![
            b"text/plain".to_vec(),
            b"application/x-www-form-urlencoded".to_vec(),
            b"multipart/form-data; boundary=x".to_vec(),
            b"application/json; charset=utf-16".to_vec(),
            b"APPLICATION/JSON".to_vec(),
            b"application/vnd.api+json".to_vec(),
            b"application/jsonx".to_vec(),
            b"application/".to_vec(),
            b"*/*".to_vec(),
            b"application/json, text/plain".to_vec(),
            b"application/json\xff".to_vec(),
            b"".to_vec(),
        ])
        .prop_map(ContentType::Other),
    ]
    .boxed()
}

/// `Authorization` headers that name no one active: none, other schemes, a token that was
/// never issued, bytes that are not text, one of 8 KiB.
pub fn hostile_authorizations() -> Vec<Vec<u8>> {
    vec![
        Vec::new(),
        b"Bearer".to_vec(),
        b"Bearer ".to_vec(),
        format!("Bearer clt_{}", "0".repeat(64)).into_bytes(),
        b"Basic YWxhZGRpbjpvcGVuc2VzYW1l".to_vec(),
        b"Bearer \xff\xfe".to_vec(),
        format!("Bearer {}", "a".repeat(8 * 1024)).into_bytes(),
        b"Bearer clt_%00".to_vec(),
        b"Bearer  clt_ x".to_vec(),
    ]
}

fn authorization() -> BoxedStrategy<Option<Vec<u8>>> {
    prop_oneof![
        60 => Just(None),
        1 => select(hostile_authorizations()).prop_map(Some),
    ]
    .boxed()
}

fn idempotency() -> BoxedStrategy<Idempotency> {
    prop_oneof![
        12 => Just(Idempotency::None),
        3 => Just(Idempotency::Fresh),
        1 => Just(Idempotency::Shared),
        1 => select(vec![b" ".to_vec(), vec![b'k'; 300], "ключ".as_bytes().to_vec(), b"a b".to_vec()])
            .prop_map(Idempotency::Hostile),
    ]
    .boxed()
}

/// Path values that name nothing, or cannot be decoded; already URL-safe.
pub fn hostile_path_values() -> Vec<String> {
    let mut out: Vec<String> = [
        "not-a-uuid",
        "%00",
        "%FF",
        "%C0%80",
        "%ED%A0%80",
        "%2F",
        "..",
        "%2E%2E",
        "00000000-0000-0000-0000-000000000000",
        "6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de",
        "6F1C1AD4-1BD5-4A73-9D38-6BD1E6F1C0DE",
        "%7B6f1c1ad4-1bd5-4a73-9d38-6bd1e6f1c0de%7D",
        "%F0%9F%98%80",
        "%E2%80%AE",
        "FY26%20Q9",
        "FY99%20Q4",
        "FY00%20Q1",
        "fy26%20q2",
        "-1",
        "0",
        "4294967296",
        "9223372036854775808",
        "1e3",
        "%20",
        "Champion%00",
        "champion",
        "a%2Eexample",
        "xn--",
        "%25",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    out.push("x".repeat(2_000));
    out
}

/// Query values no reader should trust; already URL-safe.
pub fn hostile_query_values() -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "%00",
        "%FF",
        "%C0%80",
        "%",
        "%Z",
        "-1",
        "abc",
        "1e3",
        "1.5",
        "NaN",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "4294967296",
        "%2B275760-09-13",
        "%2B262143-12-31",
        "-262143-01-01",
        "-5000-01-01",
        "-4714-11-23",
        "0000-01-01",
        "0001-01-01",
        "9999-12-31",
        "99999-12-31",
        "2026-02-30",
        "2026-01-01T25:00:00Z",
        "%2B275760-09-13T00:00:00Z",
        "-4714-11-23T00:00:00Z",
        "0001-01-01T00:00:00%2B14:00",
        "%E2%80%AE",
        "%F0%9F%98%80",
        "%20%20",
        "+",
        "Effective",
        "RECORDED",
        "csv%00",
        "00000000-0000-0000-0000-000000000000",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    out.push("x".repeat(5_000));
    out
}

/// A valid value of query parameter `name`, URL-safe.
fn valid_query(name: &str, shape: &Shape, pools: &Arc<Pools>) -> BoxedStrategy<String> {
    let strings = |v: Vec<String>| -> BoxedStrategy<String> {
        if v.is_empty() {
            Just(String::new()).boxed()
        } else {
            select(v).prop_map(|s| encode(&s)).boxed()
        }
    };
    match name {
        "as_of" => strings(vec![
            "2025-06-30".into(),
            (Utc::now() - Duration::days(200)).date_naive().to_string(),
            (Utc::now() - Duration::days(30)).to_rfc3339(),
            "2026-01-01T00:00:00Z".into(),
        ]),
        "axis" => strings(vec!["effective".into(), "recorded".into()]),
        "min_position" | "after" => strings(vec!["0".into(), "1".into()]),
        "limit" => strings(vec!["1".into(), "50".into()]),
        "position" => strings(vec!["1".into(), "100".into()]),
        "hash" => strings(vec!["0".repeat(64), "ab".repeat(32)]),
        "format" => strings(vec!["csv".into(), "json".into()]),
        "partner_id" => strings(pools.ids("Partner").to_vec()),
        "pam" => strings(pools.ids("Staff").to_vec()),
        "quarter" => strings(pools.values("quarter").to_vec()),
        "status" => match shape {
            Shape::Leaf(Leaf {
                kind: LeafKind::Enum(v),
                ..
            }) => strings(v.clone()),
            _ => strings(vec!["Draft".into(), "Submitted".into(), "Approved".into()]),
        },
        _ => match shape {
            Shape::Leaf(Leaf {
                kind: LeafKind::Enum(v),
                ..
            }) => strings(v.clone()),
            _ => strings(vec!["1".into()]),
        },
    }
}

/// The strategy for requests to endpoint `index` of the world.
pub fn case(world: &World, index: usize) -> BoxedStrategy<Case> {
    let endpoint = &world.endpoints[index];
    let pools = &world.pools;
    let path = proptest::collection::vec(
        prop_oneof![12 => Just(None), 1 => select(hostile_path_values()).prop_map(Some)],
        endpoint.path_params.len(),
    );
    let query_params: Vec<BoxedStrategy<Option<(String, String)>>> = endpoint
        .query_params
        .iter()
        .map(|p| {
            let name = p.name.clone();
            let name2 = p.name.clone();
            prop_oneof![
                3 => Just(None),
                3 => valid_query(&p.name, &p.shape, pools).prop_map(move |v| Some((name.clone(), v))),
                2 => select(hostile_query_values()).prop_map(move |v| Some((name2.clone(), v))),
            ]
            .boxed()
        })
        .collect();
    let names: Vec<String> = endpoint
        .query_params
        .iter()
        .map(|p| p.name.clone())
        .collect();
    let extra_query = proptest::collection::vec(
        (
            select(if names.is_empty() {
                vec!["x".to_owned()]
            } else {
                names
            }),
            select(hostile_query_values()),
            any::<bool>(),
        )
            .prop_map(|(name, value, unknown)| {
                if unknown {
                    (format!("{name}%00x"), value)
                } else {
                    (name, value)
                }
            }),
        0..2,
    );
    let query = (
        query_params,
        prop_oneof![6 => Just(vec![]), 1 => extra_query],
    )
        .prop_map(|(own, extra)| own.into_iter().flatten().chain(extra).collect::<Vec<_>>());
    let body = match endpoint.body.as_ref() {
        Some(shape) => value(shape, pools).prop_map(Some).boxed(),
        None => prop_oneof![
            3 => Just(None),
            1 => select(wrong_types()).prop_map(Some),
        ]
        .boxed(),
    };
    (
        any::<usize>(),
        path,
        query,
        body,
        wreck(),
        content_type(),
        (any::<usize>(), idempotency(), authorization()),
    )
        .prop_map(
            move |(
                binding,
                path,
                query,
                body,
                wreck,
                content_type,
                (caller, idempotency, authorization),
            )| Case {
                endpoint: index,
                binding,
                path,
                query,
                body,
                wreck,
                content_type,
                caller,
                idempotency,
                authorization,
            },
        )
        .boxed()
}

/// Any request to any endpoint of the world.
pub fn any_case(world: &World) -> BoxedStrategy<Case> {
    let all: Vec<BoxedStrategy<Case>> =
        (0..world.endpoints.len()).map(|i| case(world, i)).collect();
    proptest::strategy::Union::new(all).boxed()
}

/// Renders `case` against the world: the URI from the bound records (or the hostile
/// replacements), the caller's token, the body's bytes wrecked as drawn.
pub fn render(world: &World, case: &Case) -> Sent {
    let endpoint: &Endpoint = &world.endpoints[case.endpoint];
    let tuples = &world.bindings[case.endpoint];
    let tuple = &tuples[case.binding % tuples.len()];
    let mut uri = endpoint.template.clone();
    for ((param, value), hostile) in endpoint.path_params.iter().zip(tuple).zip(&case.path) {
        let segment = hostile.clone().unwrap_or_else(|| encode(value));
        uri = uri.replace(&format!("{{{}}}", param.name), &segment);
    }
    if !case.query.is_empty() {
        let pairs: Vec<String> = case.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        uri = format!("{uri}?{}", pairs.join("&"));
    }
    let record = tuple.first().map(String::as_str);
    let callers = world.pools.callers_for(endpoint, record);
    let caller = callers[case.caller % callers.len()];
    let request_id = request_id();
    let authorization = case
        .authorization
        .clone()
        .unwrap_or_else(|| format!("Bearer {}", caller.token).into_bytes());
    let mut headers: Vec<(String, Vec<u8>)> =
        vec![("x-request-id".into(), request_id.clone().into_bytes())];
    if !authorization.is_empty() {
        headers.push(("authorization".into(), authorization));
    }
    let mut body = case.body.as_ref().map(Json::render).unwrap_or_default();
    match &case.wreck {
        Wreck::None => {}
        Wreck::Truncate(permille) => {
            body.truncate(body.len() * usize::from(*permille) / 1000);
        }
        Wreck::Inject(permille, bytes) => {
            let at = body.len() * usize::from(*permille) / 1000;
            body.splice(at..at, bytes.iter().copied());
        }
        Wreck::Prefix(bytes) => {
            body.splice(0..0, bytes.iter().copied());
        }
        Wreck::Suffix(bytes) => body.extend_from_slice(bytes),
        Wreck::Replace(json) => body = json.render(),
        Wreck::RawBody(bytes) => body = bytes.clone(),
        Wreck::OverLimit => {
            let missing = (BODY_LIMIT + 1).saturating_sub(body.len());
            body.extend(std::iter::repeat_n(b' ', missing));
        }
    }
    let sends_json = match &case.content_type {
        ContentType::Json => {
            headers.push(("content-type".into(), b"application/json".to_vec()));
            true
        }
        ContentType::Missing => false,
        ContentType::Other(value) => {
            headers.push(("content-type".into(), value.clone()));
            names_json(value)
        }
    };
    match &case.idempotency {
        Idempotency::None => {}
        Idempotency::Fresh => {
            headers.push(("idempotency-key".into(), request_id.clone().into_bytes()))
        }
        Idempotency::Shared => {
            headers.push(("idempotency-key".into(), b"hostile-shared-key".to_vec()))
        }
        Idempotency::Hostile(key) => headers.push(("idempotency-key".into(), key.clone())),
    }
    let acceptable_body = sends_json && body.len() <= BODY_LIMIT && is_plain_json_object(&body);
    Sent {
        endpoint: case.endpoint,
        method: endpoint.method.clone(),
        uri,
        headers,
        body,
        json: case.body.clone(),
        acceptable_body,
        request_id,
    }
}

/// Whether a content type names JSON, as RFC 8259 and RFC 6839 do: `application/json` or
/// `application/*+json`, any case, parameters aside.
pub fn names_json(value: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(value) else {
        return false;
    };
    let essence = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Whether `bytes` are one well-formed JSON object that repeats no key at any depth: the only
/// bodies a command may accept.
pub fn is_plain_json_object(bytes: &[u8]) -> bool {
    use serde::de::{Deserializer as _, MapAccess, SeqAccess, Visitor};

    struct Unique;

    impl<'de> Visitor<'de> for Unique {
        type Value = ();

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }

        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(UniqueSeed)?.is_some() {}
            Ok(())
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key) {
                    return Err(serde::de::Error::custom("duplicate key"));
                }
                map.next_value_seed(UniqueSeed)?;
            }
            Ok(())
        }
    }

    struct UniqueSeed;

    impl<'de> serde::de::DeserializeSeed<'de> for UniqueSeed {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(Unique)
        }
    }

    let is_object = serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| v.is_object());
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let unique = (&mut de).deserialize_any(Unique).is_ok() && de.end().is_ok();
    is_object && unique
}

/// A valid value for `shape` drawn with `runner`: required properties only, one item per array.
pub fn baseline(shape: &Shape, pools: &Arc<Pools>, runner: &mut TestRunner) -> Json {
    match shape {
        Shape::Leaf(leaf) => valid_leaf(leaf, pools)
            .new_tree(runner)
            .expect("a valid value")
            .current(),
        Shape::Object { props } => Json::Obj(
            props
                .iter()
                .filter(|(_, _, required)| *required)
                .map(|(name, shape, _)| (name.clone(), baseline(shape, pools, runner)))
                .collect(),
        ),
        Shape::Array(item) => Json::Arr(vec![baseline(item, pools, runner)]),
        Shape::OneOf(alternatives) => baseline(&alternatives[0], pools, runner),
    }
}

/// The fixed corpus's hostile values for one leaf.
fn targeted(leaf: &Leaf) -> Vec<Json> {
    let mut out = match &leaf.kind {
        LeafKind::Text | LeafKind::Enum(_) => vec![
            Json::str("a\0b"),
            Json::RawStr("\\ud800".into()),
            Json::Long {
                unit: "x".into(),
                times: 10_001,
            },
            Json::str("\u{202e}evil"),
            Json::str(" "),
        ],
        LeafKind::Uuid => vec![
            Json::str("00000000-0000-0000-0000-000000000000"),
            Json::str("not-a-uuid"),
        ],
        LeafKind::DateTime => [
            "+275760-09-13T00:00:00Z",
            "+262143-12-31T23:59:59Z",
            "-4714-11-23T00:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59Z",
        ]
        .into_iter()
        .map(Json::str)
        .collect(),
        LeafKind::Date => ["+262143-12-31", "-262143-01-01", "9999-12-31", "0000-01-01"]
            .into_iter()
            .map(Json::str)
            .collect(),
        LeafKind::Integer { .. } => [
            "9223372036854775807",
            "9223372036854775808",
            "-1",
            "-9223372036854775808",
            "1e400",
            "0.5",
        ]
        .into_iter()
        .map(Json::num)
        .collect(),
        LeafKind::Boolean => vec![Json::str("true")],
    };
    out.push(Json::Nest {
        depth: 10_000,
        objects: false,
    });
    out
}

/// Bodies equal to the baseline but for one leaf, made hostile with each targeted value in turn,
/// for every leaf of `shape` (optional properties too).
pub fn sweep(shape: &Shape, pools: &Arc<Pools>, runner: &mut TestRunner) -> Vec<Json> {
    match shape {
        Shape::Leaf(leaf) => targeted(leaf),
        Shape::Array(item) => sweep(item, pools, runner)
            .into_iter()
            .map(|v| Json::Arr(vec![v]))
            .collect(),
        Shape::OneOf(alternatives) => sweep(&alternatives[0], pools, runner),
        Shape::Object { props } => {
            let Json::Obj(base) = baseline(shape, pools, runner) else {
                unreachable!("an object's baseline is an object")
            };
            let mut out = Vec::new();
            for (name, prop, _) in props {
                for variant in sweep(prop, pools, runner) {
                    let mut members: Vec<(String, Json)> =
                        base.iter().filter(|(k, _)| k != name).cloned().collect();
                    if name == "backdate_reason" {
                        // Kept only when the command is back-dated: make it so.
                        members.retain(|(k, _)| k != "effective_at");
                        members.push(("effective_at".into(), backdated()));
                    }
                    members.push((name.clone(), variant));
                    out.push(Json::Obj(members));
                }
            }
            out
        }
    }
}

/// The baseline request of endpoint `index` to every record the world's builder made, in the
/// state it was made in (a partner's first PAM assignment, which also schedules its QARs).
pub fn fresh_cases(world: &World, index: usize, runner: &mut TestRunner) -> Vec<Case> {
    let endpoint = &world.endpoints[index];
    let body = endpoint
        .body
        .as_ref()
        .map(|shape| baseline(shape, &world.pools, runner));
    world.bindings[index]
        .iter()
        .enumerate()
        .filter(|(_, tuple)| {
            tuple
                .first()
                .is_some_and(|id| world.pools.fresh.contains(id))
        })
        .map(|(i, _)| Case {
            endpoint: index,
            binding: i,
            path: vec![None; endpoint.path_params.len()],
            query: Vec::new(),
            body: body.clone(),
            wreck: Wreck::None,
            content_type: ContentType::Json,
            caller: 0,
            idempotency: Idempotency::None,
            authorization: None,
        })
        .collect()
}

/// Whether an endpoint ends what it names (offboards, makes leave, revokes, closes): sent to
/// last, so the rest still finds the records alive.
pub fn ends_a_record(endpoint: &Endpoint) -> bool {
    [
        "/offboard",
        "/leave",
        "/revoke",
        "/close",
        "/withdraw",
        "/decline",
    ]
    .iter()
    .any(|s| endpoint.template.ends_with(s))
}

/// The fixed corpus for endpoint `index`: every leaf swept, the body wrecked every way, every
/// path parameter and query parameter made hostile; each case with the endpoint's first
/// binding and caller.
pub fn fixed_cases(world: &World, index: usize, runner: &mut TestRunner) -> Vec<Case> {
    let endpoint = &world.endpoints[index];
    let pools = &world.pools;
    let base = endpoint
        .body
        .as_ref()
        .map(|shape| baseline(shape, pools, runner));
    let plain = Case {
        endpoint: index,
        binding: 0,
        path: vec![None; endpoint.path_params.len()],
        query: Vec::new(),
        body: base.clone(),
        wreck: Wreck::None,
        content_type: ContentType::Json,
        caller: 0,
        idempotency: Idempotency::None,
        authorization: None,
    };
    let mut cases = vec![plain.clone()];
    if let Some(shape) = &endpoint.body {
        for body in sweep(shape, pools, runner) {
            cases.push(Case {
                body: Some(body),
                ..plain.clone()
            });
        }
        let Some(Json::Obj(members)) = base.clone() else {
            unreachable!("a body is an object")
        };
        let mut duplicated = members.clone();
        if let Some((key, _)) = members.first() {
            duplicated.push((key.clone(), Json::str("the other value")));
        } else {
            duplicated.push(("effective_at".into(), Json::Null));
            duplicated.push(("effective_at".into(), Json::Null));
        }
        let mut extra = members.clone();
        extra.push(("extra".into(), Json::num(1)));
        for body in [Json::Obj(duplicated), Json::Obj(extra), Json::Obj(vec![])] {
            cases.push(Case {
                body: Some(body),
                ..plain.clone()
            });
        }
        for wreck in [
            Wreck::Truncate(500),
            Wreck::Inject(500, vec![0xff]),
            Wreck::Prefix(vec![0xef, 0xbb, 0xbf]),
            Wreck::Suffix(b"{}".to_vec()),
            Wreck::OverLimit,
            Wreck::Replace(Json::Nest {
                depth: 10_000,
                objects: false,
            }),
            Wreck::Replace(Json::Null),
            Wreck::RawBody(Vec::new()),
        ] {
            cases.push(Case {
                wreck,
                ..plain.clone()
            });
        }
        for content_type in [
            ContentType::Missing,
            ContentType::Other(b"text/plain".to_vec()),
        ] {
            cases.push(Case {
                content_type,
                ..plain.clone()
            });
        }
    }
    for i in 0..endpoint.path_params.len() {
        for value in [
            "%FF",
            "%00",
            "not-a-uuid",
            "00000000-0000-0000-0000-000000000000",
        ]
        .into_iter()
        .map(str::to_owned)
        .chain([("x".repeat(2_000))])
        {
            let mut path = plain.path.clone();
            path[i] = Some(value);
            cases.push(Case {
                path,
                ..plain.clone()
            });
        }
    }
    for param in &endpoint.query_params {
        for value in [
            "%FF",
            "%00",
            "-1",
            "abc",
            "",
            "9223372036854775808",
            "-5000-01-01",
            "-262143-01-01",
            "%2B262143-12-31",
            "%2B275760-09-13",
            "-4714-11-23T00:00:00Z",
            "0000-01-01",
            "-0001-12-31",
        ] {
            cases.push(Case {
                query: vec![(param.name.clone(), value.to_owned())],
                ..plain.clone()
            });
        }
        cases.push(Case {
            query: vec![
                (param.name.clone(), "1".to_owned()),
                (param.name.clone(), "%FF".to_owned()),
            ],
            ..plain.clone()
        });
    }
    if endpoint.secured {
        let hostile = hostile_authorizations();
        cases.push(Case {
            authorization: Some(hostile[index % hostile.len()].clone()),
            ..plain.clone()
        });
    }
    // Each case names the next record the endpoint can be bound to, so the corpus meets records
    // in many states rather than the first one only.
    for (i, case) in cases.iter_mut().enumerate() {
        case.binding = i;
    }

    cases
}
