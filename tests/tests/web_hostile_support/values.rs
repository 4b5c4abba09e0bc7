//! Hostile values, and the proptest strategies that build requests of them.

use proptest::prelude::*;
use uuid::Uuid;

use super::{
    text, BodyPlan, Case, ContentType, Csrf, Ident, Origin, Piece, World, BODY_LIMIT, SITE,
};
use crate::{Route, DECIDERS, ROUTES};

/// Text that people might type, and text nobody should.
pub const TEXTS: &[&str] = &[
    "",
    " ",
    "\t",
    "Outside this quarter's plan",
    "line one\r\nline two",
    "line one\nline two\n",
    "lone\rcarriage return",
    "a\u{0}b",
    "\u{0}",
    "\u{7}bell",
    "\u{1b}[31mred",
    "\u{7f}",
    "\u{85}next line",
    "\u{202E}gnirts desrever",
    "\u{2066}isolate\u{2069}",
    "e\u{301}\u{301}\u{301}\u{301}\u{301}\u{301}",
    "Z\u{351}\u{34a}\u{35b}\u{34d}\u{33a}algo",
    "👩‍👩‍👧‍👦 family",
    "🏳️‍🌈",
    "\u{FEFF}byte order mark",
    "\u{200B}",
    "\u{2028}\u{2029}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "ｆｕｌｌｗｉｄｔｈ",
    "İstanbul ǅ ß ﬃ",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "'; DROP TABLE events; --",
    "../../../etc/passwd",
    "%00",
    "%FF",
    "{\"json\": true}",
    "null",
    "true",
    "-1",
    "1e309",
    "approve",
    "RapProposal",
];

/// Encodings no browser sends.
pub const RAW: &[&[u8]] = &[
    b"%FF",
    b"%C3%28",
    b"%ED%A0%80",
    b"%F4%90%80%80",
    b"%C0%AF",
    b"%",
    b"%4",
    b"%G0",
    b"%%",
    b"a%2",
    b"%00",
    b"%0D%0A",
    b"\xFF\xFE",
    b"\xC3",
    b"&",
    b"=",
    b"==",
    b";",
    b"+",
    b"%2B",
    b"%26csrf%3D",
];

/// `next` values: the console's own pages, and ways off-site.
pub const NEXTS: &[&str] = &[
    "/console/queue",
    "/partners/1?as_of=2025-01-01",
    "//evil.example/",
    "///evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: cl_session=x",
    " //evil.example",
    "/%2F%2Fevil.example",
    "/%5C%5Cevil.example",
    "/.//evil.example",
    "/\u{3000}/evil.example",
    "/\u{FF0F}evil.example",
    "/\u{85}/evil.example",
    "/\u{2028}/evil.example",
    "/@evil.example",
    "evil.example",
    "",
    "/console/queue/decide",
];

pub const KINDS: &[&str] = &[
    "RapProposal",
    "RapAmendment",
    "CohortStrategyVersion",
    "MdfExemption",
    "FundRequest",
];

/// Dates and moments for `as_of`.
pub const MOMENTS: &[&str] = &[
    "2025-06-30",
    "2025-06-30T12:00:00Z",
    "2025-06-30T12:00:00+14:00",
    "2025-02-30",
    "2025-13-01",
    "2025-06-30T25:00:00Z",
    "0000-01-01",
    "0001-01-01",
    "1969-12-31",
    "9999-12-31",
    "+275760-09-13",
    "-000001-01-01",
    "2262-04-12",
    "2999-01-01",
    "now",
    "1e10",
    "20250630",
    "２０２５-０６-３０",
];

pub fn texts() -> BoxedStrategy<Piece> {
    prop_oneof![
        12 => short_texts(),
        1 => (0usize..300_000).prop_map(|n| Piece::Text("y".repeat(n))),
    ]
    .boxed()
}

/// Hostile text short enough for a URI (which has its own limit, 64 KiB).
pub fn short_texts() -> BoxedStrategy<Piece> {
    prop_oneof![
        6 => prop::sample::select(TEXTS).prop_map(text),
        2 => prop::sample::select(RAW).prop_map(|b| Piece::Raw(b.to_vec())),
        2 => prop::collection::vec(any::<char>(), 0..40)
            .prop_map(|c| Piece::Text(c.into_iter().collect())),
        1 => prop::collection::vec(any::<char>(), 0..40)
            .prop_map(|c| Piece::Plus(c.into_iter().collect())),
        1 => (3_990usize..4_010, prop::sample::select(&["x", "é", "😀", "e\u{301}", " "][..]))
            .prop_map(|(n, s)| Piece::Text(s.repeat(n))),
    ]
    .boxed()
}

pub fn csrfs() -> BoxedStrategy<Piece> {
    prop_oneof![
        8 => Just(Csrf::Own),
        1 => (0usize..16).prop_map(Csrf::OfPerson),
        1 => Just(Csrf::OfSecondSession),
        1 => prop::sample::select(vec![
            Csrf::Upper,
            Csrf::Extended,
            Csrf::Truncated,
            Csrf::Zeros,
            Csrf::EncodedAll,
        ]),
    ]
    .prop_map(Piece::Csrf)
    .boxed()
}

pub fn kinds() -> BoxedStrategy<Piece> {
    prop_oneof![
        3 => (0usize..64).prop_map(Piece::Kind),
        1 => prop::sample::select(KINDS).prop_map(text),
        1 => prop::sample::select(&["rapproposal", " RapProposal", "Rap", "RAP_PROPOSAL", "0"][..]).prop_map(text),
        1 => texts(),
    ]
    .boxed()
}

pub fn subjects() -> BoxedStrategy<Piece> {
    prop_oneof![
        4 => (0usize..64).prop_map(Piece::Subject),
        1 => (0usize..64).prop_map(Piece::PartnerId),
        1 => (0usize..16).prop_map(Piece::StaffId),
        1 => any::<u128>().prop_map(|n| Piece::Text(Uuid::from_u128(n).to_string())),
        1 => prop::sample::select(&["Farmer", "farmer", "HighPotential ", "FY26 Q4", "00000000-0000-0000-0000-000000000000"][..]).prop_map(text),
        1 => texts(),
    ]
    .boxed()
}

pub fn decisions() -> BoxedStrategy<Piece> {
    prop_oneof![
        4 => prop::sample::select(&["approve", "reject"][..]).prop_map(text),
        1 => prop::sample::select(&["Approve", "REJECT", "approve ", "delete", "approve\u{0}", "1"][..]).prop_map(text),
        1 => texts(),
    ]
    .boxed()
}

pub fn reasons() -> BoxedStrategy<Piece> {
    prop_oneof![
        3 => prop::sample::select(&[
            "Outside this quarter's plan",
            "Two issues:\r\n- the venue\r\n- the date",
            "Pas dans le plan 👩‍👩‍👧‍👦 \u{202E}sdrawkcab",
            "Z\u{351}\u{34a}algo e\u{301}",
        ][..]).prop_map(|s| Piece::Plus(s.to_owned())),
        2 => texts(),
    ]
    .boxed()
}

pub fn unknown_names() -> BoxedStrategy<Piece> {
    prop_oneof![
        3 => prop::sample::select(&[
            "effective_at", "backdate_reason", "on_behalf_of", "step", "comment", "amount",
            "CSRF", "csrf[]", "csrf ", "kind[]", "", "__proto__", "token",
        ][..]).prop_map(text),
        1 => short_texts(),
    ]
    .boxed()
}

/// What a generated form does to the fields a browser would send.
#[derive(Debug, Clone)]
pub enum Mutation {
    Drop(usize),
    Repeat(usize, Option<Piece>),
    Value(usize, Piece),
    Name(usize, Piece),
    Add(Piece, Piece),
    RawValue(usize, Vec<u8>),
    Swap(usize, usize),
}

pub fn mutations(values: BoxedStrategy<Piece>) -> BoxedStrategy<Vec<Mutation>> {
    let one = prop_oneof![
        2 => any::<usize>().prop_map(Mutation::Drop),
        2 => (any::<usize>(), prop::option::of(values.clone())).prop_map(|(i, v)| Mutation::Repeat(i, v)),
        4 => (any::<usize>(), values).prop_map(|(i, v)| Mutation::Value(i, v)),
        1 => (any::<usize>(), unknown_names()).prop_map(|(i, n)| Mutation::Name(i, n)),
        2 => (unknown_names(), texts()).prop_map(|(n, v)| Mutation::Add(n, v)),
        2 => (any::<usize>(), prop::sample::select(RAW)).prop_map(|(i, b)| Mutation::RawValue(i, b.to_vec())),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
    ];
    // Untouched two times in five: a browser's form, hostile only in its session, token or
    // origin.
    prop_oneof![
        2 => Just(Vec::new()),
        3 => prop::collection::vec(one, 1..4),
    ]
    .boxed()
}

pub fn mutate(mut pairs: Vec<(Piece, Piece)>, mutations: &[Mutation]) -> Vec<(Piece, Piece)> {
    for m in mutations {
        let n = pairs.len().max(1);
        match m.clone() {
            Mutation::Drop(i) if !pairs.is_empty() => {
                pairs.remove(i % n);
            }
            Mutation::Repeat(i, v) if !pairs.is_empty() => {
                let (k, old) = pairs[i % n].clone();
                pairs.push((k, v.unwrap_or(old)));
            }
            Mutation::Value(i, v) if !pairs.is_empty() => pairs[i % n].1 = v,
            Mutation::Name(i, k) if !pairs.is_empty() => pairs[i % n].0 = k,
            Mutation::RawValue(i, b) if !pairs.is_empty() => pairs[i % n].1 = Piece::Raw(b),
            Mutation::Swap(a, b) if !pairs.is_empty() => pairs.swap(a % n, b % n),
            Mutation::Add(k, v) => pairs.push((k, v)),
            _ => {}
        }
    }
    pairs
}

pub const FOREIGN_ORIGINS: &[&[u8]] = &[
    b"https://evil.example",
    b"http://127.0.0.1:8080.evil.example",
    b"http://evil.example:8080",
    b"http://127.0.0.1:8081",
    b"http://127.0.0.1",
    b"http://127.0.0.1:8080/",
    b"http://user@127.0.0.1:8080",
    b"null",
    b"",
    b"127.0.0.1:8080",
    b"ftp://127.0.0.1:8080",
    b"http://\xC3\xA9vil.example",
    b"http://127.0.0.1:8080\xC3\xA9",
];

pub const ODD_CONTENT_TYPES: &[&[u8]] = &[
    b"application/x-www-form-urlencoded; charset=UTF-16",
    b"APPLICATION/X-WWW-FORM-URLENCODED",
    b"application/x-www-form-urlencoded, application/json",
    b"application/json; application/x-www-form-urlencoded",
    b"application/x-www-form-urlencoded\xC3\xA9",
    b"",
];

pub const FORGED_COOKIES: &[&[u8]] = &[
    b"cl_session=",
    b"cl_session=clt_forged",
    b"cl_session=\xFF\xFE",
    b"cl_session=clt_\xC3\xA9",
    b"CL_SESSION=clt_x",
    b"cl_session",
    b";;;=;",
    b"other=1",
];

pub fn origins() -> BoxedStrategy<Origin> {
    prop_oneof![
        4 => Just(Origin::Absent),
        4 => Just(Origin::Same),
        1 => Just(Origin::SameHttps),
        3 => prop::sample::select(FOREIGN_ORIGINS).prop_map(|o| Origin::Values(vec![o.to_vec()])),
        1 => Just(Origin::Values(vec![SITE.into(), b"https://evil.example".to_vec()])),
        1 => Just(Origin::Values(vec![b"https://evil.example".to_vec(), SITE.into()])),
    ]
    .boxed()
}

pub fn content_types() -> BoxedStrategy<ContentType> {
    prop_oneof![
        12 => Just(ContentType::Form),
        2 => Just(ContentType::FormCharset),
        1 => Just(ContentType::Json),
        1 => Just(ContentType::Multipart),
        1 => Just(ContentType::TextPlain),
        1 => Just(ContentType::Absent),
        1 => prop::sample::select(ODD_CONTENT_TYPES).prop_map(|c| ContentType::Raw(c.to_vec())),
    ]
    .boxed()
}

pub fn idents(people: usize) -> BoxedStrategy<Ident> {
    prop_oneof![
        12 => (0..people).prop_map(Ident::Person),
        1 => Just(Ident::Second),
        1 => Just(Ident::Revoked),
        1 => Just(Ident::Out),
        1 => prop::sample::select(FORGED_COOKIES).prop_map(|c| Ident::Forged(c.to_vec())),
        1 => (0..people).prop_map(Ident::ForgedFirst),
        1 => (0..people).prop_map(Ident::RealFirst),
    ]
    .boxed()
}

/// The form a browser sends to `route`, before mutation.
pub fn base_form(route: &Route) -> BoxedStrategy<Vec<(Piece, Piece)>> {
    match route.path {
        "/console/queue/decide" => (
            0usize..64,
            prop::sample::select(&["approve", "reject"][..]),
            prop::option::of(reasons()),
            csrfs(),
        )
            .prop_map(|(item, decision, reason, csrf)| {
                let mut pairs = vec![
                    (text("csrf"), csrf),
                    (text("kind"), Piece::Kind(item)),
                    (text("subject_id"), Piece::Subject(item)),
                    (text("decision"), text(decision)),
                ];
                if let Some(r) = reason {
                    pairs.push((text("reason"), r));
                }
                pairs
            })
            .boxed(),
        "/sign-out" => csrfs().prop_map(|c| vec![(text("csrf"), c)]).boxed(),
        "/sign-in" => (
            prop_oneof![
                4 => (0usize..16).prop_map(Piece::Token),
                1 => prop::sample::select(&[" ", "\t", "\n", "\u{a0}", "\u{0}"][..])
                    .prop_map(|pad| Piece::Text(format!("{pad}clt_unknown{pad}"))),
                2 => texts(),
            ],
            prop::option::of(prop_oneof![
                3 => prop::sample::select(NEXTS).prop_map(text),
                1 => texts(),
            ]),
        )
            .prop_map(|(token, next)| {
                let mut pairs = vec![(text("token"), token)];
                if let Some(n) = next {
                    pairs.push((text("next"), n));
                }
                pairs
            })
            .boxed(),
        other => panic!("no form for {other}"),
    }
}

pub fn field_values(route: &Route) -> BoxedStrategy<Piece> {
    match route.path {
        "/console/queue/decide" => {
            prop_oneof![csrfs(), kinds(), subjects(), decisions(), reasons()].boxed()
        }
        "/sign-out" => prop_oneof![csrfs(), texts()].boxed(),
        _ => prop_oneof![
            (0usize..16).prop_map(Piece::Token),
            texts(),
            prop::sample::select(NEXTS).prop_map(text)
        ]
        .boxed(),
    }
}

pub fn bodies(route: &Route) -> BoxedStrategy<(ContentType, BodyPlan)> {
    let form = (base_form(route), mutations(field_values(route))).prop_map(|(p, m)| mutate(p, &m));
    prop_oneof![
        16 => (content_types(), form.clone()).prop_map(|(ct, f)| (ct, BodyPlan::Form(f))),
        1 => form.clone().prop_map(|f| (ContentType::Json, BodyPlan::Json(f))),
        1 => form.clone().prop_map(|f| (ContentType::Multipart, BodyPlan::Multipart(f))),
        1 => (form.clone(), prop::sample::select(vec![BODY_LIMIT - 1, BODY_LIMIT, BODY_LIMIT + 1, 3 * BODY_LIMIT]))
            .prop_map(|(f, n)| (ContentType::Form, BodyPlan::Padded(f, n))),
        1 => prop::collection::vec(any::<u8>(), 0..200).prop_map(|b| (ContentType::Form, BodyPlan::Bytes(b))),
    ]
    .boxed()
}

/// A query parameter's value for a page.
pub fn query_values(name: &str) -> BoxedStrategy<Piece> {
    match name {
        "as_of" => prop_oneof![3 => prop::sample::select(MOMENTS).prop_map(text), 1 => short_texts()].boxed(),
        "axis" => prop_oneof![
            3 => prop::sample::select(&["effective", "recorded", "Recorded", "both", ""][..]).prop_map(text),
            1 => short_texts(),
        ]
        .boxed(),
        "pam" => prop_oneof![
            3 => (0usize..16).prop_map(Piece::StaffId),
            1 => prop::sample::select(&["all", "", " all", "me"][..]).prop_map(text),
            1 => short_texts(),
        ]
        .boxed(),
        "next" => prop_oneof![3 => prop::sample::select(NEXTS).prop_map(text), 1 => short_texts()].boxed(),
        _ => short_texts(),
    }
}

pub fn queries(route: &'static Route) -> BoxedStrategy<Vec<(Piece, Piece)>> {
    let names: Vec<&'static str> = route
        .reads
        .iter()
        .copied()
        .filter(|n| *n != "token")
        .collect();
    let known = if names.is_empty() {
        Just(Vec::new()).boxed()
    } else {
        prop::collection::vec(
            prop::sample::select(names)
                .prop_flat_map(|n| query_values(n).prop_map(move |v| (text(n), v))),
            0..4,
        )
        .boxed()
    };
    let extra = prop::collection::vec(
        prop_oneof![
            (unknown_names(), short_texts()),
            (
                prop::sample::select(RAW).prop_map(|b| Piece::Raw(b.to_vec())),
                short_texts()
            ),
            (
                short_texts(),
                prop::sample::select(RAW).prop_map(|b| Piece::Raw(b.to_vec()))
            ),
        ],
        0..2,
    );
    (known, extra)
        .prop_map(|(mut k, e)| {
            k.extend(e);
            k
        })
        .boxed()
}

pub fn ids() -> BoxedStrategy<Option<Piece>> {
    prop_oneof![
        6 => (0usize..64).prop_map(|i| Some(Piece::PartnerId(i))),
        1 => (0usize..64).prop_map(|i| Some(Piece::Subject(i))),
        1 => any::<u128>().prop_map(|n| Some(Piece::Text(Uuid::from_u128(n).to_string()))),
        2 => short_texts().prop_map(|t| match t {
            // A path segment cannot hold every byte; what it cannot hold is escaped.
            Piece::Raw(b) if b.iter().all(|c| c.is_ascii_graphic() && !b"#?/".contains(c)) => Some(Piece::Raw(b)),
            Piece::Raw(b) => Some(Piece::Text(String::from_utf8_lossy(&b).into_owned())),
            other => Some(other),
        }),
    ]
    .boxed()
}

pub fn any_case(world: &World) -> BoxedStrategy<Case> {
    let people = world.people.len();
    // Forms are sent mostly by people who may decide something, so that some are decided.
    let deciders: Vec<usize> = (0..people)
        .filter(|i| DECIDERS.contains(&world.people[*i].role.as_str()))
        .collect();
    let mut routes: Vec<(u32, BoxedStrategy<Case>)> = Vec::new();
    for (index, route) in ROUTES.iter().enumerate() {
        for &method in route.methods {
            let weight = match (route.path, method) {
                ("/console/queue/decide", _) => 48,
                (_, "POST") => 20,
                ("/partners/{id}" | "/partners/{id}/handover" | "/portfolio" | "/sign-in", _) => 12,
                _ => 4,
            };
            let strategy = if method == "POST" {
                let ident = if route.path == "/console/queue/decide" {
                    prop_oneof![
                        2 => prop::sample::select(deciders.clone()).prop_map(Ident::Person),
                        1 => idents(people),
                    ]
                    .boxed()
                } else {
                    idents(people)
                };
                (
                    ident,
                    origins(),
                    prop::bool::weighted(0.95),
                    bodies(route),
                    prop::option::weighted(0.1, queries(route)),
                )
                    .prop_map(
                        move |(ident, origin, host, (content_type, body), query)| Case {
                            route: index,
                            method,
                            ident,
                            id: None,
                            query: query.unwrap_or_default(),
                            origin,
                            host,
                            content_type,
                            body,
                        },
                    )
                    .boxed()
            } else {
                (idents(people), queries(route), ids())
                    .prop_map(move |(ident, query, id)| Case {
                        route: index,
                        method,
                        ident,
                        id: if route.path.contains("{id}") {
                            id
                        } else {
                            None
                        },
                        query,
                        origin: Origin::Absent,
                        host: true,
                        content_type: ContentType::Absent,
                        body: BodyPlan::Bytes(Vec::new()),
                    })
                    .boxed()
            };
            routes.push((weight, strategy));
        }
        // Now and then a method the route does not have.
        let other = if route.posts() { "GET" } else { "POST" };
        if !route.methods.contains(&other) {
            routes.push((
                1,
                idents(people)
                    .prop_map(move |ident| Case {
                        route: index,
                        method: other,
                        ident,
                        id: None,
                        query: Vec::new(),
                        origin: Origin::Same,
                        host: true,
                        content_type: ContentType::Form,
                        body: BodyPlan::Bytes(b"csrf=x".to_vec()),
                    })
                    .boxed(),
            ));
        }
    }
    proptest::strategy::Union::new_weighted(routes).boxed()
}
