//! A JSON document as a hostile client writes it: duplicate keys, number literals no parser
//! should trust, escapes that name no character, bytes that are not UTF-8, strings of a megabyte
//! and nesting ten thousand deep. `serde_json::Value` can hold none of these, so the generated
//! bodies are built from [`Json`] and rendered byte for byte by [`Json::render`].

use std::fmt;

/// A JSON value, or something shaped like one.
#[derive(Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number literal written as given: `1e400`, `-0`, `9223372036854775808`, or not a number
    /// at all (`NaN`).
    Num(String),
    /// A string, escaped as JSON requires.
    Str(String),
    /// The text between the quotes, verbatim: `\ud800`, a lone surrogate, is only writable so.
    RawStr(String),
    /// Raw bytes between the quotes, for bytes that are not UTF-8.
    Bytes(Vec<u8>),
    /// `unit` repeated `times` times, as one string: huge strings with a short `Debug`.
    Long {
        unit: String,
        times: usize,
    },
    /// `depth` nested arrays (`[[[…]]]`) or objects (`{"a":{"a":…}}`) around `null`.
    Nest {
        depth: usize,
        objects: bool,
    },
    Arr(Vec<Json>),
    /// Members in order; a key may repeat.
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn str(s: impl Into<String>) -> Self {
        Json::Str(s.into())
    }

    pub fn num(n: impl ToString) -> Self {
        Json::Num(n.to_string())
    }

    /// The document's bytes.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            Json::Num(n) => out.extend_from_slice(n.as_bytes()),
            Json::Str(s) => out.extend_from_slice(quoted(s).as_bytes()),
            Json::RawStr(s) => {
                out.push(b'"');
                out.extend_from_slice(s.as_bytes());
                out.push(b'"');
            }
            Json::Bytes(b) => {
                out.push(b'"');
                out.extend_from_slice(b);
                out.push(b'"');
            }
            Json::Long { unit, times } => {
                let unit = quoted(unit);
                let inner = &unit[1..unit.len() - 1];
                out.reserve(inner.len() * times + 2);
                out.push(b'"');
                for _ in 0..*times {
                    out.extend_from_slice(inner.as_bytes());
                }
                out.push(b'"');
            }
            Json::Nest { depth, objects } => {
                let (open, close): (&[u8], &[u8]) = if *objects {
                    (b"{\"a\":", b"}")
                } else {
                    (b"[", b"]")
                };
                for _ in 0..*depth {
                    out.extend_from_slice(open);
                }
                out.extend_from_slice(b"null");
                for _ in 0..*depth {
                    out.extend_from_slice(close);
                }
            }
            Json::Arr(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Json::Obj(members) => {
                out.push(b'{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(quoted(key).as_bytes());
                    out.push(b':');
                    value.write(out);
                }
                out.push(b'}');
            }
        }
    }

    /// Whether this (sub)document holds a negative amount of money: an object with an integer
    /// `minor` below zero.
    pub fn has_negative_money(&self) -> bool {
        match self {
            Json::Obj(members) => members.iter().any(|(k, v)| {
                (k == "minor" && matches!(v, Json::Num(n) if is_negative_integer(n)))
                    || v.has_negative_money()
            }),
            Json::Arr(items) => items.iter().any(Json::has_negative_money),
            _ => false,
        }
    }
}

fn is_negative_integer(literal: &str) -> bool {
    literal.starts_with('-')
        && literal.len() > 1
        && literal[1..].bytes().all(|b| b.is_ascii_digit())
        && literal[1..].bytes().any(|b| b != b'0')
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Long { unit, times } => write!(f, "Long({unit:?} x {times})"),
            Json::Nest { depth, objects } => {
                write!(
                    f,
                    "Nest({depth} {})",
                    if *objects { "objects" } else { "arrays" }
                )
            }
            Json::Bytes(b) => write!(f, "Bytes({b:02x?})"),
            other => {
                let text = other.render();
                if text.len() <= 400 {
                    f.write_str(&String::from_utf8_lossy(&text))
                } else {
                    write!(
                        f,
                        "{}… ({} bytes)",
                        String::from_utf8_lossy(&text[..400]),
                        text.len()
                    )
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_what_serde_json_cannot_hold() {
        let doc = Json::Obj(vec![
            ("a".into(), Json::num(1)),
            ("a".into(), Json::num("1e400")),
            ("s".into(), Json::RawStr("\\ud800".into())),
            (
                "l".into(),
                Json::Long {
                    unit: "\"".into(),
                    times: 2,
                },
            ),
            (
                "n".into(),
                Json::Nest {
                    depth: 2,
                    objects: false,
                },
            ),
        ]);
        assert_eq!(
            String::from_utf8(doc.render()).unwrap(),
            r#"{"a":1,"a":1e400,"s":"\ud800","l":"\"\"","n":[[null]]}"#
        );
    }
}
