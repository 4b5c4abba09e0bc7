//! The canonical text of a JSON value, which the hash chain covers: PostgreSQL's `jsonb` output.
//!
//! PostgreSQL keeps payload and metadata as `jsonb` and gives back its own normal form of them;
//! SQLite keeps the text it was handed. For one event to have one link on both, the chain hashes
//! the `jsonb` form everywhere: PostgreSQL produces it natively (`payload::text`), and this
//! module reproduces it for the text SQLite holds or an export file carries:
//!
//! - objects: keys ordered by UTF-8 byte length, then by bytes; a repeated key keeps its last
//!   value; written `{"a": 1, "bb": [1, 2]}` (one space after `:` and `,`, none elsewhere);
//! - strings: `"`, `\` and control characters escaped (`\b \f \n \r \t`, others `\u00xx`
//!   in lower-case hex); everything else, `/` and non-ASCII included, as plain UTF-8;
//! - numbers: exact decimal notation without exponent, with as many fraction digits as the
//!   written number's scale (`1e2` → `100`, `1.50` → `1.50`, `15e-4` → `0.0015`, `-0` → `0`).
//!
//! `tests/tests/chain_canonical_postgres.rs` holds this to a running PostgreSQL.

/// Why a text has no canonical form: it is not JSON, or not JSON PostgreSQL would accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid JSON at byte {at}: {problem}")]
pub struct JsonError {
    pub at: usize,
    pub problem: &'static str,
}

/// Deeper nesting than any event has; bounds the recursion on hostile input.
const MAX_DEPTH: usize = 512;
/// PostgreSQL's `numeric` refuses exponents beyond ±1000 (`NUMERIC_MAX_PRECISION`).
const MAX_EXPONENT: i64 = 1000;

/// The canonical text of the JSON document `text`.
pub fn canonical_json(text: &str) -> Result<String, JsonError> {
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.at != parser.bytes.len() {
        return Err(parser.error("text after the JSON value"));
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    value.write(&mut out);
    Ok(out)
}

enum Value {
    /// `null`, `true`, `false` or a number, already in canonical form.
    Literal(String),
    String(String),
    Array(Vec<Value>),
    /// Sorted and without repeated keys.
    Object(Vec<(String, Value)>),
}

impl Value {
    fn write(&self, out: &mut String) {
        match self {
            Self::Literal(text) => out.push_str(text),
            Self::String(s) => write_string(s, out),
            Self::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(out);
                }
                out.push(']');
            }
            Self::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_string(key, out);
                    out.push_str(": ");
                    value.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// PostgreSQL's `escape_json`.
fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c < ' ' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn error(&self, problem: &'static str) -> JsonError {
        JsonError {
            at: self.at,
            problem,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, problem: &'static str) -> Result<(), JsonError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(problem))
        }
    }

    fn value(&mut self) -> Result<Value, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'-' | b'0'..=b'9') => Ok(Value::Literal(self.number()?)),
            Some(b't') => self.word("true"),
            Some(b'f') => self.word("false"),
            Some(b'n') => self.word("null"),
            Some(_) => Err(self.error("expected a JSON value")),
            None => Err(self.error("unexpected end of text")),
        }
    }

    fn nested(
        &mut self,
        parse: fn(&mut Self) -> Result<Value, JsonError>,
    ) -> Result<Value, JsonError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.depth += 1;
        let value = parse(self);
        self.depth -= 1;
        value
    }

    fn word(&mut self, word: &'static str) -> Result<Value, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(Value::Literal(word.to_owned()))
        } else {
            Err(self.error("expected true, false or null"))
        }
    }

    fn array(&mut self) -> Result<Value, JsonError> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, JsonError> {
        self.at += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key"));
            }
            let key = self.string()?;
            self.expect(b':', "expected `:`")?;
            members.push((key, self.value()?));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
        // A stable sort keeps repeated keys in writing order, so the last of each run wins.
        members.sort_by(|(a, _), (b, _)| {
            a.len()
                .cmp(&b.len())
                .then_with(|| a.as_bytes().cmp(b.as_bytes()))
        });
        let mut unique: Vec<(String, Value)> = Vec::with_capacity(members.len());
        for member in members {
            match unique.last_mut() {
                Some(last) if last.0 == member.0 => *last = member,
                _ => unique.push(member),
            }
        }
        Ok(Value::Object(unique))
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < b' ' {
                    break;
                }
                self.at += 1;
            }
            // The input is a `str` and the run stops only at ASCII bytes: a whole UTF-8 slice.
            out.push_str(
                std::str::from_utf8(&self.bytes[start..self.at])
                    .map_err(|_| self.error("invalid UTF-8"))?,
            );
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(self.error("unescaped control character in a string")),
                None => return Err(self.error("unterminated string")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, JsonError> {
        let Some(b) = self.peek() else {
            return Err(self.error("unterminated escape"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        if !self.bytes[self.at..].starts_with(b"\\u") {
                            return Err(self.error("lone surrogate in a \\u escape"));
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err(self.error("lone surrogate in a \\u escape"));
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return Err(self.error("lone surrogate in a \\u escape")),
                    unit => unit,
                };
                char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))?
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("expected four hex digits"))?;
        let unit = u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid hex"))?;
        self.at += 4;
        Ok(unit)
    }

    /// A JSON number rewritten as PostgreSQL's `numeric` prints it.
    fn number(&mut self) -> Result<String, JsonError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let integer = self.digits();
        if integer.is_empty() || (integer.len() > 1 && integer.starts_with('0')) {
            return Err(self.error("invalid number"));
        }
        let fraction = if self.peek() == Some(b'.') {
            self.at += 1;
            let fraction = self.digits();
            if fraction.is_empty() {
                return Err(self.error("invalid number"));
            }
            fraction
        } else {
            ""
        };
        let exponent = if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            let sign = match self.peek() {
                Some(b'-') => {
                    self.at += 1;
                    -1
                }
                Some(b'+') => {
                    self.at += 1;
                    1
                }
                _ => 1,
            };
            let digits = self.digits();
            if digits.is_empty() {
                return Err(self.error("invalid number"));
            }
            let magnitude = digits
                .parse::<i64>()
                .ok()
                .filter(|m| *m <= MAX_EXPONENT)
                .ok_or_else(|| self.error("exponent out of range"))?;
            sign * magnitude
        } else {
            0
        };
        Ok(decimal(negative, integer, fraction, exponent))
    }

    fn digits(&mut self) -> &'a str {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let bytes: &'a [u8] = self.bytes;
        std::str::from_utf8(&bytes[start..self.at]).unwrap_or_default()
    }
}

/// `±integer.fraction × 10^exponent` in plain decimal with `max(0, fraction digits − exponent)`
/// fraction digits: the scale PostgreSQL's `numeric` keeps from the text it parsed.
fn decimal(negative: bool, integer: &str, fraction: &str, exponent: i64) -> String {
    let digits = format!("{integer}{fraction}");
    // Where the decimal point falls in `digits`; the bounds above keep this far from overflow.
    let point = integer.len() as i64 + exponent;
    let (whole, part) = if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        (String::new(), format!("{zeros}{digits}"))
    } else if point as usize >= digits.len() {
        let zeros = "0".repeat(point as usize - digits.len());
        (format!("{digits}{zeros}"), String::new())
    } else {
        let (whole, part) = digits.split_at(point as usize);
        (whole.to_owned(), part.to_owned())
    };
    let whole = whole.trim_start_matches('0');
    let is_zero = digits.bytes().all(|b| b == b'0');
    let mut out = String::with_capacity(whole.len() + part.len() + 3);
    if negative && !is_zero {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !part.is_empty() {
        out.push('.');
        out.push_str(&part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        canonical_json(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn objects_are_ordered_by_key_length_then_bytes_and_spaced_like_jsonb() {
        assert_eq!(
            canon(r#"{"bb":1,"a":[1,2,{}],"c":{"z":null,"yy":[]}}"#),
            r#"{"a": [1, 2, {}], "c": {"z": null, "yy": []}, "bb": 1}"#
        );
        assert_eq!(canon(" [ ] "), "[]");
        assert_eq!(canon("true"), "true");
    }

    #[test]
    fn a_repeated_key_keeps_its_last_value() {
        assert_eq!(canon(r#"{"a":1,"b":2,"a":3}"#), r#"{"a": 3, "b": 2}"#);
    }

    #[test]
    fn strings_escape_only_what_jsonb_escapes() {
        assert_eq!(
            canon(r#""a\/b \u00e9 \ud83d\ude00 \"q\" \\ \n\t\u0001\u007f""#),
            "\"a/b é 😀 \\\"q\\\" \\\\ \\n\\t\\u0001\u{7f}\""
        );
    }

    #[test]
    fn numbers_print_as_numeric_does() {
        for (written, printed) in [
            ("0", "0"),
            ("-0", "0"),
            ("-0.00", "0.00"),
            ("12", "12"),
            ("-12", "-12"),
            ("1.50", "1.50"),
            ("1e2", "100"),
            ("1E+2", "100"),
            ("1.0e1", "10"),
            ("100e-1", "10.0"),
            ("15e-4", "0.0015"),
            ("12.345e1", "123.45"),
            ("0e5", "0"),
            ("0.0e-2", "0.000"),
            ("-1.5e-1", "-0.15"),
            ("18446744073709551616", "18446744073709551616"),
        ] {
            assert_eq!(canon(written), printed, "{written}");
        }
    }

    #[test]
    fn what_is_not_json_is_refused() {
        for text in [
            "",
            "{",
            r#"{"a" 1}"#,
            "[1,]",
            "01",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e1001",
            r#""\ud800""#,
            r#""\x""#,
            "\"a\u{1}\"",
            "nul",
            "1 2",
        ] {
            assert!(canonical_json(text).is_err(), "{text:?} was accepted");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(canonical_json(&deep).is_err());
    }

    #[test]
    fn the_canonical_form_is_a_fixed_point() {
        let text = r#"{"z": [1.50, "x"], "aa": {"b": false}, "a": -0.0}"#;
        let once = canon(text);
        assert_eq!(canon(&once), once);
    }
}
