//! Choosing and ordering the events that count on an axis at a moment, and folding them.

use channel_ledger_projections::{LedgerEvent, ProgramModel};
use chrono::{DateTime, Utc};

use crate::Axis;

/// The events that count as of `t` on `axis`, in the order they fold.
pub(crate) fn select(
    mut events: Vec<LedgerEvent>,
    axis: Axis,
    t: DateTime<Utc>,
) -> Vec<LedgerEvent> {
    events.retain(|e| axis.time_of(e) <= t);
    events.sort_by_key(|e| axis.sort_key(e));
    events
}

/// Folds events already in fold order. `position` is the highest position folded (on the
/// effective axis the last event folded need not be the latest one recorded), 0 when none.
pub(crate) fn fold_ordered<'a>(events: impl IntoIterator<Item = &'a LedgerEvent>) -> ProgramModel {
    let mut model = ProgramModel::default();
    let mut highest = 0;
    for e in events {
        model.apply(e);
        highest = highest.max(e.position);
    }
    model.position = highest;
    model
}

/// The model of `events` as of `t` on `axis`: those whose time on the axis is at most `t`,
/// folded in the axis's order. `events` may come in any order.
pub fn fold_on_axis(events: Vec<LedgerEvent>, axis: Axis, t: DateTime<Utc>) -> ProgramModel {
    fold_ordered(&select(events, axis, t))
}
