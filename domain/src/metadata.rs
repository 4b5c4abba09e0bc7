//! The ledger metadata every event carries (design.md §3.2).
//!
//! cqrs-es stores metadata as `HashMap<String, String>`; [`EventMetadata`] is the typed view of it,
//! and the only way the rest of the code builds or reads those maps, so a key is never misspelt.
//! The recorded time is not here: the store sets it, the caller cannot.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::{Actor, Role, StaffId, Territory};

/// Who decided, when it took effect, on what authority and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventMetadata {
    /// When it happened in the world; may be earlier than the recorded time for a late entry.
    pub effective_at: DateTime<Utc>,
    /// Why the entry is back-dated; present exactly when `effective_at` is in the past.
    pub backdate_reason: Option<String>,
    pub actor_id: StaffId,
    pub actor_name: String,
    /// The role the actor held when the decision took effect.
    pub actor_role: Role,
    /// The territory the actor held when the decision took effect, if the role has one.
    pub actor_territory: Option<Territory>,
    /// The policy (and the role under it) that allowed the decision.
    pub authority: String,
    /// The human reason for a decision, where a human decided.
    pub reason: Option<String>,
    /// Unique per command: the events one command appended share it.
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub request_id: Option<String>,
}

/// A metadata map that does not describe a ledger event.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("event metadata field `{field}` is missing or malformed")]
pub struct MetadataError {
    pub field: &'static str,
}

mod key {
    pub const EFFECTIVE_AT: &str = "effective_at";
    pub const BACKDATE_REASON: &str = "backdate_reason";
    pub const ACTOR_ID: &str = "actor_id";
    pub const ACTOR_NAME: &str = "actor_name";
    pub const ACTOR_ROLE: &str = "actor_role";
    pub const ACTOR_TERRITORY: &str = "actor_territory";
    pub const AUTHORITY: &str = "authority";
    pub const REASON: &str = "reason";
    pub const COMMAND_ID: &str = "command_id";
    pub const CORRELATION_ID: &str = "correlation_id";
    pub const CAUSATION_ID: &str = "causation_id";
    pub const REQUEST_ID: &str = "request_id";
}

/// The metadata key the store reads the effective time from.
pub const EFFECTIVE_AT_KEY: &str = key::EFFECTIVE_AT;

impl EventMetadata {
    /// Metadata for a decision by `actor`, effective at `at`, under `authority`.
    /// The correlation id defaults to the command id: a command starts its own conversation
    /// unless the caller says which one it belongs to.
    pub fn new(actor: &Actor, at: &crate::EffectiveTime, authority: impl Into<String>) -> Self {
        let command_id = Uuid::now_v7();
        Self {
            effective_at: at.at(),
            backdate_reason: at.backdate_reason().map(str::to_owned),
            actor_id: actor.staff_id,
            actor_name: actor.name.clone(),
            actor_role: actor.role,
            actor_territory: actor.territory.clone(),
            authority: authority.into(),
            reason: None,
            command_id,
            correlation_id: command_id,
            causation_id: None,
            request_id: None,
        }
    }

    pub fn to_map(&self) -> HashMap<String, String> {
        let mut map = HashMap::new();
        let mut put = |k: &str, v: String| {
            map.insert(k.to_owned(), v);
        };
        put(
            key::EFFECTIVE_AT,
            self.effective_at
                .to_rfc3339_opts(SecondsFormat::Micros, true),
        );
        put(key::ACTOR_ID, self.actor_id.to_string());
        put(key::ACTOR_NAME, self.actor_name.clone());
        put(key::ACTOR_ROLE, self.actor_role.as_str().to_owned());
        put(key::AUTHORITY, self.authority.clone());
        put(key::COMMAND_ID, self.command_id.to_string());
        put(key::CORRELATION_ID, self.correlation_id.to_string());
        if let Some(v) = &self.backdate_reason {
            put(key::BACKDATE_REASON, v.clone());
        }
        if let Some(v) = &self.actor_territory {
            put(key::ACTOR_TERRITORY, v.as_str().to_owned());
        }
        if let Some(v) = &self.reason {
            put(key::REASON, v.clone());
        }
        if let Some(v) = &self.causation_id {
            put(key::CAUSATION_ID, v.to_string());
        }
        if let Some(v) = &self.request_id {
            put(key::REQUEST_ID, v.clone());
        }
        map
    }

    pub fn from_map(map: &HashMap<String, String>) -> Result<Self, MetadataError> {
        Self::from_fields(|key| map.get(key).map(String::as_str))
    }

    /// Reads the metadata straight from the JSON object cqrs-es stores, borrowing its strings
    /// instead of building a map first: the fast path of a fold over the whole log.
    pub fn from_json(text: &str) -> Result<Self, MetadataError> {
        let fields: Fields<'_> = serde_json::from_str(text).map_err(|_| MetadataError {
            field: "(the metadata object)",
        })?;
        Self::from_fields(|key| fields.get(key))
    }

    /// Builds the metadata from `get`, which answers each key's text.
    fn from_fields<'a>(get: impl Fn(&str) -> Option<&'a str>) -> Result<Self, MetadataError> {
        let required = |field: &'static str| get(field).ok_or(MetadataError { field });
        let parse_uuid =
            |field: &'static str, s: &str| Uuid::parse_str(s).map_err(|_| MetadataError { field });
        let effective_at = DateTime::parse_from_rfc3339(required(key::EFFECTIVE_AT)?)
            .map_err(|_| MetadataError {
                field: key::EFFECTIVE_AT,
            })?
            .with_timezone(&Utc);
        let actor_role = required(key::ACTOR_ROLE)?
            .parse()
            .map_err(|_| MetadataError {
                field: key::ACTOR_ROLE,
            })?;
        let actor_territory = match get(key::ACTOR_TERRITORY) {
            Some(t) => Some(Territory::parse(t).map_err(|_| MetadataError {
                field: key::ACTOR_TERRITORY,
            })?),
            None => None,
        };
        Ok(Self {
            effective_at,
            backdate_reason: get(key::BACKDATE_REASON).map(str::to_owned),
            actor_id: StaffId(parse_uuid(key::ACTOR_ID, required(key::ACTOR_ID)?)?),
            actor_name: required(key::ACTOR_NAME)?.to_owned(),
            actor_role,
            actor_territory,
            authority: required(key::AUTHORITY)?.to_owned(),
            reason: get(key::REASON).map(str::to_owned),
            command_id: parse_uuid(key::COMMAND_ID, required(key::COMMAND_ID)?)?,
            correlation_id: parse_uuid(key::CORRELATION_ID, required(key::CORRELATION_ID)?)?,
            causation_id: get(key::CAUSATION_ID)
                .map(|s| parse_uuid(key::CAUSATION_ID, s))
                .transpose()?,
            request_id: get(key::REQUEST_ID).map(str::to_owned),
        })
    }
}

/// A metadata object's entries, borrowed from the JSON text unless a value had escapes.
struct Fields<'a>(Vec<(Cow<'a, str>, Cow<'a, str>)>);

impl Fields<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| &**v)
    }
}

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries;
        impl<'de> serde::de::Visitor<'de> for Entries {
            type Value = Fields<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of strings")
            }

            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> Result<Self::Value, M::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(12));
                while let Some((key, value)) = map.next_entry::<Text<'de>, Text<'de>>()? {
                    entries.push((key.0, value.0));
                }
                Ok(Fields(entries))
            }
        }
        deserializer.deserialize_map(Entries)
    }
}

/// A string borrowed from the input when it can be.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Str;
        impl<'de> serde::de::Visitor<'de> for Str {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
        }
        deserializer.deserialize_str(Str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EffectiveTime;

    #[test]
    fn metadata_survives_the_string_map_round_trip() {
        let actor = Actor {
            staff_id: StaffId::new(),
            name: "Priya M.".into(),
            role: Role::Manager,
            territory: Some(Territory::parse("Southeast").unwrap()),
        };
        let now = Utc::now();
        let at = EffectiveTime::new(
            Some(now - chrono::Duration::days(3)),
            Some("late entry"),
            now,
        )
        .unwrap();
        let mut meta = EventMetadata::new(
            &actor,
            &at,
            "policy partner.reclassify: Manager of Southeast",
        );
        // Quotes, a backslash and a newline: values the JSON path cannot borrow.
        meta.reason = Some("four quarters of \"net-new\" logos\\\nand a renewal".into());
        meta.request_id = Some("req-1".into());
        let back = EventMetadata::from_map(&meta.to_map()).unwrap();
        assert_eq!(back, meta);
        let json = serde_json::to_string(&meta.to_map()).unwrap();
        assert_eq!(EventMetadata::from_json(&json).unwrap(), meta);
    }

    #[test]
    fn json_that_is_not_an_object_of_strings_is_refused() {
        for text in ["[]", "{\"effective_at\": 3}", "{", "{}"] {
            assert!(EventMetadata::from_json(text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_map_without_an_actor_is_refused_naming_the_field() {
        let err = EventMetadata::from_map(&HashMap::new()).unwrap_err();
        assert_eq!(err.field, "effective_at");
    }
}
