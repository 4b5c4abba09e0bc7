//! Stored events in the shapes they were written, read in the shapes the code knows today.
//!
//! History is never rewritten: when an event's payload changes, its `event_version` goes up and
//! a [`Step`] here turns the older shape into the newer one each time the event is read. The
//! aggregates (through cqrs-es, with [`upcasters`]) and the projections (with [`upcast`]) read
//! through the same steps, so both see one shape. The rule is docs/adr/0009-event-upcasting.md.

use cqrs_es::persist::{EventUpcaster, SerializedEvent};
use serde_json::Value;

use crate::partner;

/// One change of one event's payload: `event_type` stored at version `from` reads as version
/// `to` once `upgrade` has run.
struct Step {
    event_type: &'static str,
    from: &'static str,
    to: &'static str,
    upgrade: fn(Value) -> Value,
}

/// Every step ever introduced; an event stored several versions ago climbs them one by one.
const STEPS: &[Step] = &[Step {
    event_type: "PartnerRegistered",
    from: "1",
    to: "2",
    upgrade: partner::upcast::registered_v1_to_v2,
}];

fn step(event_type: &str, event_version: &str) -> Option<&'static Step> {
    STEPS
        .iter()
        .find(|s| s.event_type == event_type && s.from == event_version)
}

/// Whether an event stored as `event_type` at `event_version` is in an older shape.
pub fn needs_upcast(event_type: &str, event_version: &str) -> bool {
    step(event_type, event_version).is_some()
}

/// `payload`, stored as `event_type` at `event_version`, in the current shape, with the version
/// of that shape. A payload already current comes back unchanged.
pub fn upcast(event_type: &str, event_version: &str, payload: Value) -> (String, Value) {
    let mut version = event_version;
    let mut payload = payload;
    while let Some(step) = step(event_type, version) {
        payload = (step.upgrade)(payload);
        version = step.to;
    }
    (version.to_owned(), payload)
}

/// Every step as one cqrs-es upcaster.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoredShapes;

impl EventUpcaster for StoredShapes {
    fn can_upcast(&self, event_type: &str, event_version: &str) -> bool {
        needs_upcast(event_type, event_version)
    }

    fn upcast(&self, event: SerializedEvent) -> SerializedEvent {
        let (event_version, payload) =
            upcast(&event.event_type, &event.event_version, event.payload);
        SerializedEvent {
            event_version,
            payload,
            ..event
        }
    }
}

/// The upcasters an event store of any aggregate loads through
/// (`PersistedEventStore::with_upcasters`).
pub fn upcasters() -> Vec<Box<dyn EventUpcaster>> {
    vec![Box::new(StoredShapes)]
}

#[cfg(test)]
mod tests {
    use cqrs_es::DomainEvent;
    use serde_json::json;

    use super::*;
    use crate::partner::{PartnerEvent, Tier};

    fn registered_v1() -> Value {
        json!({"PartnerRegistered": {
            "partner_id": "0b5f3f2e-8c1d-4c55-9a43-2f0d8e6b7a10",
            "name": "Cascade Group",
            "partner_type": "SystemIntegrator",
            "territory": "Southeast",
            "headquarters": "Atlanta, GA",
            "size": "51-200",
            "specialization": "Healthcare"
        }})
    }

    #[test]
    fn a_version_1_registration_does_not_decode_without_its_upcast() {
        assert!(serde_json::from_value::<PartnerEvent>(registered_v1()).is_err());
    }

    #[test]
    fn a_version_1_registration_reads_as_version_2_at_the_registered_tier() {
        let (version, payload) = upcast("PartnerRegistered", "1", registered_v1());

        assert_eq!(version, "2");
        let event: PartnerEvent = serde_json::from_value(payload).unwrap();
        assert_eq!(event.event_version(), version);
        assert!(matches!(
            event,
            PartnerEvent::PartnerRegistered {
                tier: Tier::Registered,
                ..
            }
        ));
    }

    #[test]
    fn a_current_payload_is_left_as_it_is() {
        let mut current = registered_v1();
        current["PartnerRegistered"]["tier"] = json!("Gold");

        assert!(!needs_upcast("PartnerRegistered", "2"));
        assert_eq!(
            upcast("PartnerRegistered", "2", current.clone()),
            ("2".to_owned(), current)
        );
    }

    #[test]
    fn other_events_at_version_1_are_current() {
        assert!(!needs_upcast("PartnerTierChanged", "1"));
        assert!(!needs_upcast("StaffJoined", "1"));
    }

    #[test]
    fn cqrs_es_sees_the_same_steps() {
        let stored = SerializedEvent {
            aggregate_id: "p-1".to_owned(),
            sequence: 1,
            aggregate_type: "Partner".to_owned(),
            event_type: "PartnerRegistered".to_owned(),
            event_version: "1".to_owned(),
            payload: registered_v1(),
            metadata: json!({}),
        };

        assert!(StoredShapes.can_upcast("PartnerRegistered", "1"));
        let read = StoredShapes.upcast(stored);
        assert_eq!(read.event_version, "2");
        assert_eq!(read.payload["PartnerRegistered"]["tier"], "Registered");
        assert_eq!(read.sequence, 1);
    }
}
