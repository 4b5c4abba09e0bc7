//! How a refused command is classified, so the edge can answer with the right status and field
//! without knowing each aggregate's error enum.

/// What kind of refusal an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectionKind {
    /// The actor's role or territory does not allow it (HTTP 403).
    Forbidden,
    /// The thing acted upon does not exist (HTTP 404).
    NotFound,
    /// The thing is not in a state that allows it (HTTP 409).
    Conflict,
    /// A field of the command is wrong (HTTP 422), naming the field.
    Invalid { field: &'static str },
}

/// Implemented by every aggregate error.
pub trait Rejection: std::error::Error {
    fn kind(&self) -> RejectionKind;
    /// A stable, kebab-case identifier for the problem type, e.g. `same-classification`.
    fn code(&self) -> &'static str;
}

/// A refusal on role or territory grounds; the text says who may not do what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Forbidden(pub String);
