//! Bounded, trimmed text values: names, rationales, reasons. Parsed once; invalid ones cannot exist.

/// Declares a text newtype that is trimmed, non-blank, at most `$max` characters and free of
/// control characters other than newlines.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr, $what:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(s: &str) -> Result<Self, $crate::text::TextError> {
                $crate::text::check(s, $max, $what).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::text::TextError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> Self {
                v.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{what} must not be blank")]
    Blank { what: &'static str },
    #[error("{what} is at most {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("{what} must not contain control characters")]
    ControlCharacter { what: &'static str },
}

pub(crate) fn check(s: &str, max: usize, what: &'static str) -> Result<String, TextError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(TextError::Blank { what });
    }
    if t.chars().count() > max {
        return Err(TextError::TooLong { what, max });
    }
    if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(TextError::ControlCharacter { what });
    }
    Ok(t.to_owned())
}

bounded_text!(
    /// A person's or company's display name.
    Name,
    200,
    "a name"
);
bounded_text!(
    /// Why a human decided something: a rationale, evidence, a reason to leave or offboard.
    Reason,
    4000,
    "a reason"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("  Ironclad MSP ").unwrap().as_str(),
            "Ironclad MSP"
        );
        assert!(matches!(Name::parse("   "), Err(TextError::Blank { .. })));
        assert!(matches!(
            Name::parse(&"x".repeat(201)),
            Err(TextError::TooLong { .. })
        ));
        assert!(matches!(
            Name::parse("a\u{0}b"),
            Err(TextError::ControlCharacter { .. })
        ));
    }

    #[test]
    fn reasons_keep_their_line_breaks() {
        assert_eq!(Reason::parse("one\ntwo").unwrap().as_str(), "one\ntwo");
    }

    #[test]
    fn deserializing_applies_the_same_rules() {
        assert!(serde_json::from_str::<Name>("\"\"").is_err());
        assert_eq!(
            serde_json::from_str::<Name>("\" Ada \"").unwrap().as_str(),
            "Ada"
        );
    }
}
