//! Folding a stream as it stood at a moment: the "as effective" axis of design.md §3.8.
//!
//! Events are applied in effective-time order (ties broken by their order in the stream), and only
//! those effective at or before the moment count, so a back-dated correction changes the past it
//! speaks about and nothing earlier.

use chrono::{DateTime, Utc};
use cqrs_es::Aggregate;

/// The aggregate built from the events of one stream effective at or before `moment`.
/// `events` are `(effective_at, event)` in stream order.
pub fn fold_as_effective<A: Aggregate>(
    events: impl IntoIterator<Item = (DateTime<Utc>, A::Event)>,
    moment: DateTime<Utc>,
) -> A {
    let mut timeline: Vec<_> = events
        .into_iter()
        .enumerate()
        .filter(|(_, (at, _))| *at <= moment)
        .collect();
    timeline.sort_by_key(|(i, (at, _))| (*at, *i));
    let mut aggregate = A::default();
    for (_, (_, event)) in timeline {
        aggregate.apply(event);
    }
    aggregate
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actor::{Role, StaffId, Territory};
    use crate::staff::{Staff, StaffEvent};
    use crate::text::{Name, Reason};

    fn t(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn a_person_is_seen_with_the_role_they_held_at_the_moment() {
        let id = StaffId::new();
        let events = vec![
            (
                t("2024-01-01T00:00:00Z"),
                StaffEvent::StaffJoined {
                    staff_id: id,
                    name: Name::parse("Marcus T.").unwrap(),
                    role: Role::Pam,
                    territory: Some(Territory::parse("Mid-Atlantic").unwrap()),
                },
            ),
            (
                t("2025-06-01T00:00:00Z"),
                StaffEvent::StaffRoleChanged {
                    from: Role::Pam,
                    to: Role::Manager,
                    territory: Some(Territory::parse("Mid-Atlantic").unwrap()),
                },
            ),
            (
                t("2026-01-01T00:00:00Z"),
                StaffEvent::StaffLeft {
                    reason: Reason::parse("moved on").unwrap(),
                },
            ),
        ];
        let before: Staff = fold_as_effective(events.clone(), t("2023-12-31T00:00:00Z"));
        assert_eq!(before.as_actor(), None);
        let pam: Staff = fold_as_effective(events.clone(), t("2025-01-01T00:00:00Z"));
        assert_eq!(pam.as_actor().unwrap().role, Role::Pam);
        let manager: Staff = fold_as_effective(events.clone(), t("2025-06-01T00:00:00Z"));
        assert_eq!(manager.as_actor().unwrap().role, Role::Manager);
        let gone: Staff = fold_as_effective(events, t("2026-02-01T00:00:00Z"));
        assert_eq!(gone.as_actor(), None);
    }

    #[test]
    fn a_back_dated_entry_takes_its_place_in_effective_order() {
        let id = StaffId::new();
        let south = Territory::parse("Southeast").unwrap();
        let north = Territory::parse("Pacific Northwest").unwrap();
        // Recorded in this order, but the territory move was back-dated before the role change.
        let events = vec![
            (
                t("2024-01-01T00:00:00Z"),
                StaffEvent::StaffJoined {
                    staff_id: id,
                    name: Name::parse("Sarah K.").unwrap(),
                    role: Role::Pam,
                    territory: Some(south.clone()),
                },
            ),
            (
                t("2024-09-01T00:00:00Z"),
                StaffEvent::StaffRoleChanged {
                    from: Role::Pam,
                    to: Role::Manager,
                    territory: Some(north.clone()),
                },
            ),
            (
                t("2024-03-01T00:00:00Z"),
                StaffEvent::StaffTerritoryMoved {
                    from: Some(south),
                    to: north.clone(),
                },
            ),
        ];
        let march: Staff = fold_as_effective(events, t("2024-04-01T00:00:00Z"));
        let actor = march.as_actor().unwrap();
        assert_eq!((actor.role, actor.territory), (Role::Pam, Some(north)));
    }
}
