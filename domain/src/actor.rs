//! Staff identity, roles and territories: who may act, in which capacity.
//!
//! An [`Actor`] is the staff directory's answer to "who was this person at that moment"; the
//! server resolves it from the staff stream as of the decision's effective time and hands it to
//! the aggregate inside the command, so the domain decides without doing IO.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A member of staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct StaffId(pub Uuid);

impl StaffId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for StaffId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for StaffId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The capacity a person acts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Partner account manager: manages a portfolio of partners in one territory.
    #[serde(rename = "PAM")]
    Pam,
    /// Owns a territory and its PAMs.
    Manager,
    /// Channel chief.
    #[serde(rename = "CxO")]
    Cxo,
    Finance,
    /// Read-only.
    Auditor,
    /// Staff, tokens and configuration.
    Admin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Pam,
        Role::Manager,
        Role::Cxo,
        Role::Finance,
        Role::Auditor,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Pam => "PAM",
            Role::Manager => "Manager",
            Role::Cxo => "CxO",
            Role::Finance => "Finance",
            Role::Auditor => "Auditor",
            Role::Admin => "Admin",
        }
    }

    /// PAMs and Managers work inside one territory; everyone else is program-wide.
    pub fn needs_territory(self) -> bool {
        matches!(self, Role::Pam | Role::Manager)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown role `{0}`; expected one of PAM, Manager, CxO, Finance, Auditor, Admin")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

/// A sales territory, e.g. "Pacific Northwest". Trimmed, 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "Southeast"))]
#[serde(try_from = "String", into = "String")]
pub struct Territory(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a territory is 1 to 100 characters, not blank")]
pub struct InvalidTerritory;

impl Territory {
    pub fn parse(s: &str) -> Result<Self, InvalidTerritory> {
        let t = s.trim();
        if t.is_empty() || t.chars().count() > 100 || t.chars().any(char::is_control) {
            return Err(InvalidTerritory);
        }
        Ok(Self(t.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Territory {
    type Error = InvalidTerritory;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Territory> for String {
    fn from(t: Territory) -> Self {
        t.0
    }
}

impl fmt::Display for Territory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person acting, as the staff directory knew them when the decision took effect.
/// Only active staff become actors: the directory refuses to produce one for someone who left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub staff_id: StaffId,
    pub name: String,
    pub role: Role,
    pub territory: Option<Territory>,
}

impl Actor {
    /// The bootstrap actor: the system itself, creating the first Admin of an empty ledger.
    pub fn system() -> Self {
        Self {
            staff_id: StaffId(Uuid::nil()),
            name: "Channel Ledger".to_owned(),
            role: Role::Admin,
            territory: None,
        }
    }

    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }

    /// True when the actor works in `territory` (PAM or Manager of it).
    pub fn works_in(&self, territory: &Territory) -> bool {
        self.territory.as_ref() == Some(territory)
    }

    /// "Manager of Southeast", "CxO": the capacity written into an event's authority.
    pub fn capacity(&self) -> String {
        match &self.territory {
            Some(t) if self.role.needs_territory() => format!("{} of {}", self.role, t),
            _ => self.role.to_string(),
        }
    }
}
