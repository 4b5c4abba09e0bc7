//! Older shapes of partner events, and how each reads in the current one.

use serde_json::Value;

use super::Tier;

/// `PartnerRegistered` 1 → 2. Version 2 names the tier a partner enters the program at; before
/// it, the command had no tier and every partner entered at Registered, which is therefore what
/// a version 1 event meant. A tier already present is kept: the step only fills what is missing.
pub(crate) fn registered_v1_to_v2(mut payload: Value) -> Value {
    if let Some(Value::Object(fields)) = payload.get_mut("PartnerRegistered") {
        fields
            .entry("tier")
            .or_insert_with(|| Value::from(Tier::Registered.wire()));
    }
    payload
}
