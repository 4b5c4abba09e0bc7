//! A command together with the person who gave it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role, Territory};
use crate::approval::Delegation;
use crate::rejection::Forbidden;

/// Every command is authored: aggregates check `actor` against their own state (territory,
/// submitter) before deciding, and `at` (the decision's effective time) drives due dates and
/// approval waits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Authored<C> {
    pub actor: Actor,
    pub at: DateTime<Utc>,
    pub command: C,
}

impl<C> Authored<C> {
    pub fn new(actor: Actor, at: DateTime<Utc>, command: C) -> Self {
        Self { actor, at, command }
    }
}

/// Who may take an action: roles that may act anywhere, and roles that may act only inside their
/// own territory.
#[derive(Debug, Clone, Copy)]
pub struct Permission {
    pub action: &'static str,
    pub anywhere: &'static [Role],
    pub in_territory: &'static [Role],
}

impl Permission {
    /// The authority written into the event's metadata, e.g. `partner.reclassify as Manager of Southeast`.
    pub fn authority(&self, actor: &Actor) -> String {
        format!("{} as {}", self.action, actor.capacity())
    }

    /// Allows `actor` to take this action on something in `territory`.
    pub fn check(&self, actor: &Actor, territory: &Territory) -> Result<(), Forbidden> {
        if self.anywhere.contains(&actor.role)
            || (self.in_territory.contains(&actor.role) && actor.works_in(territory))
        {
            return Ok(());
        }
        let who = actor.capacity();
        Err(Forbidden(if self.in_territory.contains(&actor.role) {
            format!(
                "{who} may not {} in {territory}: it is outside their territory",
                self.action
            )
        } else {
            format!("{who} may not {}", self.action)
        }))
    }

    /// Allows `actor` to take a program-wide action (no territory involved).
    pub fn check_anywhere(&self, actor: &Actor) -> Result<(), Forbidden> {
        if self.anywhere.contains(&actor.role) {
            Ok(())
        } else {
            Err(Forbidden(format!(
                "{} may not {}",
                actor.capacity(),
                self.action
            )))
        }
    }
}

/// A command as a decision someone takes: the permission it needs and, when a delegate takes it,
/// the delegation. Its [`authority`](Decision::authority) is what the event's metadata records.
pub trait Decision {
    fn permission(&self) -> Permission;

    /// The delegation a delegate decides under; `None` when people act in their own right.
    fn delegation(&self) -> Option<&Delegation> {
        None
    }

    /// `partner.reclassify as Manager of Southeast`, or for a delegate
    /// `rap.approve-as-cxo as Manager of Southeast on behalf of Dana R. (CxO)`.
    fn authority(&self, actor: &Actor) -> String {
        let base = self.permission().authority(actor);
        match self.delegation() {
            Some(d) => format!(
                "{base} on behalf of {} ({})",
                d.principal.name,
                d.principal.capacity()
            ),
            None => base,
        }
    }
}
