//! A link of the chain, and the canonical encoding of an event it hashes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// SHA-256 of the previous link and one event's canonical encoding; written as 64 lower-case
/// hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Link([u8; 32]);

impl Link {
    /// What position 1 links to.
    pub const GENESIS: Self = Self([0; 32]);

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A link read back from the database; `None` unless it is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        bytes.try_into().ok().map(Self)
    }
}

impl From<[u8; 32]> for Link {
    fn from(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }
}

impl fmt::Display for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&hex::encode(self.0))
    }
}

impl fmt::Debug for Link {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Link({self})")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a chain hash is 64 hex digits: {0}")]
pub struct LinkParseError(String);

impl FromStr for Link {
    type Err = LinkParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut bytes = [0; 32];
        hex::decode_to_slice(s, &mut bytes).map_err(|e| LinkParseError(e.to_string()))?;
        if s.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(LinkParseError("upper-case digits".to_owned()));
        }
        Ok(Self(bytes))
    }
}

impl Serialize for Link {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Link {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The end of the chain: the last position and its link. An auditor who keeps it can later
/// prove that nothing up to that position was rewritten. The empty log's head is position 0 and
/// [`Link::GENESIS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainHead {
    pub position: i64,
    pub hash: Link,
}

impl ChainHead {
    pub const EMPTY: Self = Self {
        position: 0,
        hash: Link::GENESIS,
    };
}

/// Everything a link covers of one event, as stored: its row, borrowed, with `payload` and
/// `metadata` in their canonical JSON text ([`super::canonical_json`]).
pub(crate) type Linked<'a> = crate::raw::RawEventRef<'a>;

impl Linked<'_> {
    /// The link of this event after `previous`. The encoding, field by field (integers
    /// big-endian; text as its UTF-8 byte length in 8 bytes, then the bytes):
    ///
    /// previous link (32 bytes) · position (i64) · event id (16 bytes) · aggregate type (text) ·
    /// aggregate id (text) · sequence (i64) · event type (text) · event version (text) ·
    /// payload (text) · metadata (text) · effective time (i64 µs since 1970-01-01T00:00:00Z) ·
    /// recorded time (i64 µs).
    ///
    /// Migration 0006's `ledger_chain_link` computes the same bytes in SQL.
    pub fn link_after(&self, previous: &Link) -> Link {
        let mut hash = Sha256::new();
        hash.update(previous.0);
        hash.update(self.position.to_be_bytes());
        hash.update(self.event_id.as_bytes());
        for text in [self.aggregate_type, self.aggregate_id] {
            text_field(&mut hash, text);
        }
        hash.update(self.sequence.to_be_bytes());
        for text in [
            self.event_type,
            self.event_version,
            self.payload,
            self.metadata,
        ] {
            text_field(&mut hash, text);
        }
        hash.update(self.effective_at.timestamp_micros().to_be_bytes());
        hash.update(self.recorded_at.timestamp_micros().to_be_bytes());
        Link(hash.finalize().into())
    }
}

fn text_field(hash: &mut Sha256, text: &str) {
    // A `usize` always fits in 64 bits on the platforms Rust supports.
    hash.update((text.len() as u64).to_be_bytes());
    hash.update(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use uuid::Uuid;

    use super::*;

    fn event() -> Linked<'static> {
        Linked {
            position: 1,
            event_id: Uuid::nil(),
            aggregate_type: "Partner",
            aggregate_id: "p-1",
            sequence: 1,
            event_type: "PartnerRegistered",
            event_version: "1",
            payload: r#"{"name": "Cascade Group"}"#,
            metadata: r#"{"effective_at": "2026-01-01T00:00:00Z"}"#,
            effective_at: DateTime::from_timestamp_micros(1_767_225_600_000_000).unwrap(),
            recorded_at: DateTime::from_timestamp_micros(1_767_225_600_123_456).unwrap(),
        }
    }

    #[test]
    fn the_encoding_is_pinned() {
        // Changing the encoding breaks every stored chain: this value must never change.
        assert_eq!(
            event().link_after(&Link::GENESIS).to_string(),
            "efb902ea5b1483303552792fc01a221d503c3bb6b6f2b5854d41df0568fe3b61"
        );
    }

    #[test]
    fn every_field_and_the_previous_link_change_the_link() {
        let base = event();
        let link = base.link_after(&Link::GENESIS);
        let variants = [
            Linked {
                position: 2,
                ..base
            },
            Linked {
                event_id: Uuid::max(),
                ..base
            },
            Linked {
                aggregate_type: "Partner ",
                ..base
            },
            Linked {
                aggregate_id: "p-2",
                ..base
            },
            Linked {
                sequence: 2,
                ..base
            },
            Linked {
                event_type: "PartnerRenamed",
                ..base
            },
            Linked {
                event_version: "2",
                ..base
            },
            Linked {
                payload: r#"{"name": "Cascade"}"#,
                ..base
            },
            Linked {
                metadata: "{}",
                ..base
            },
            Linked {
                effective_at: base.recorded_at,
                ..base
            },
            Linked {
                recorded_at: base.effective_at,
                ..base
            },
        ];
        for variant in variants {
            assert_ne!(variant.link_after(&Link::GENESIS), link, "{variant:?}");
        }
        assert_ne!(base.link_after(&link), link);
        // Length prefixes: moving a byte from one field to the next is a different event.
        let shifted = Linked {
            aggregate_type: "Partnerp",
            aggregate_id: "-1",
            ..base
        };
        assert_ne!(shifted.link_after(&Link::GENESIS), link);
    }

    #[test]
    fn a_link_reads_back_from_its_hex() {
        let link = event().link_after(&Link::GENESIS);
        assert_eq!(link.to_string().parse::<Link>().unwrap(), link);
        assert!("00".parse::<Link>().is_err());
        assert!(link.to_string().to_uppercase().parse::<Link>().is_err());
        let json = serde_json::to_string(&ChainHead {
            position: 1,
            hash: link,
        })
        .unwrap();
        assert_eq!(json, format!(r#"{{"position":1,"hash":"{link}"}}"#));
    }
}
