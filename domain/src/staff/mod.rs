//! The staff directory, event-sourced: people join with a role and territory, change role, move
//! territory and leave. Authority is always checked against this history as it stood when a
//! decision took effect (design.md §3.3).

mod command;
mod error;
mod event;
#[cfg(test)]
mod tests;

pub use command::StaffCommand;
pub use error::StaffError;
pub use event::StaffEvent;

use chrono::{DateTime, Utc};
use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role, StaffId, Territory};
use crate::approval::Delegation;
use crate::authored::{Authored, Permission};
use crate::text::Name;

/// Only Admins maintain the directory.
pub const MAINTAIN_DIRECTORY: Permission = Permission {
    action: "staff.maintain",
    anywhere: &[Role::Admin],
    in_territory: &[],
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StaffStatus {
    Active,
    Left,
}

/// Managing one's own delegations: the person themselves, or an Admin for them.
pub const DELEGATE_APPROVALS: Permission = Permission {
    action: "staff.delegate-approvals",
    anywhere: &[Role::Admin, Role::Manager, Role::Cxo],
    in_territory: &[],
};

/// One person in the directory. The default value is "never joined".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub profile: Option<StaffProfile>,
    /// Delegations of this person's approvals, in the order granted.
    pub delegations: Vec<DelegationGrant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelegationGrant {
    pub to: StaffId,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffProfile {
    pub staff_id: StaffId,
    pub name: Name,
    pub role: Role,
    pub territory: Option<Territory>,
    pub status: StaffStatus,
}

impl Staff {
    /// The person as an actor, if they are in the directory and have not left.
    pub fn as_actor(&self) -> Option<Actor> {
        let p = self.profile.as_ref()?;
        (p.status == StaffStatus::Active).then(|| Actor {
            staff_id: p.staff_id,
            name: p.name.to_string(),
            role: p.role,
            territory: p.territory.clone(),
        })
    }

    /// The delegation from this person to `delegate` in force at `at`, if any.
    pub fn delegation_to(&self, delegate: StaffId, at: DateTime<Utc>) -> Option<Delegation> {
        let principal = self.as_actor()?;
        self.delegations
            .iter()
            .rev()
            .find(|g| g.to == delegate && g.from <= at && at < g.until)
            .map(|g| Delegation {
                principal,
                delegate,
                from: g.from,
                until: g.until,
            })
    }

    fn active(&self) -> Result<&StaffProfile, StaffError> {
        match &self.profile {
            None => Err(StaffError::NotFound),
            Some(p) if p.status == StaffStatus::Left => Err(StaffError::HasLeft),
            Some(p) => Ok(p),
        }
    }
}

/// PAMs and Managers need a territory; the other roles are program-wide and have none.
fn territory_for(
    role: Role,
    territory: Option<Territory>,
) -> Result<Option<Territory>, StaffError> {
    match (role.needs_territory(), territory) {
        (true, None) => Err(StaffError::TerritoryRequired { role }),
        (false, Some(_)) => Err(StaffError::TerritoryNotApplicable { role }),
        (_, t) => Ok(t),
    }
}

impl Aggregate for Staff {
    const TYPE: &'static str = "Staff";
    type Command = Authored<StaffCommand>;
    type Event = StaffEvent;
    type Error = StaffError;
    type Services = ();

    async fn handle(
        &mut self,
        Authored { actor, at, command }: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let event = match command {
            StaffCommand::DelegateApprovals { to, until } => {
                let current = self.for_delegation(&actor)?;
                if to == current.staff_id {
                    return Err(StaffError::SelfDelegation);
                }
                if until <= at {
                    return Err(StaffError::DelegationEndsBeforeStart);
                }
                StaffEvent::ApprovalsDelegated {
                    to,
                    from: at,
                    until,
                }
            }
            StaffCommand::EndDelegation { to } => {
                self.for_delegation(&actor)?;
                if self.delegation_to(to, at).is_none() {
                    return Err(StaffError::NoSuchDelegation);
                }
                StaffEvent::ApprovalDelegationEnded { to, at }
            }
            directory_change => {
                MAINTAIN_DIRECTORY.check_anywhere(&actor)?;
                self.change_directory(&actor, directory_change)?
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        match event {
            StaffEvent::ApprovalsDelegated { to, from, until } => {
                self.delegations.push(DelegationGrant { to, from, until });
            }
            StaffEvent::ApprovalDelegationEnded { to, at } => {
                for grant in self.delegations.iter_mut().filter(|g| g.to == to) {
                    grant.until = grant.until.min(at);
                }
            }
            other => self.apply_directory(other),
        }
    }
}

impl Staff {
    /// Delegations are managed by the person (a Manager or CxO) or by an Admin for them.
    fn for_delegation(&self, actor: &Actor) -> Result<&StaffProfile, StaffError> {
        DELEGATE_APPROVALS.check_anywhere(actor)?;
        let current = self.active()?;
        if actor.role != Role::Admin && actor.staff_id != current.staff_id {
            return Err(StaffError::Forbidden(crate::rejection::Forbidden(format!(
                "{} may only delegate their own approvals",
                actor.capacity()
            ))));
        }
        if !matches!(current.role, Role::Manager | Role::Cxo) {
            return Err(StaffError::CannotDelegate);
        }
        Ok(current)
    }

    fn change_directory(
        &self,
        actor: &Actor,
        command: StaffCommand,
    ) -> Result<StaffEvent, StaffError> {
        Ok(match command {
            StaffCommand::Join {
                staff_id,
                name,
                role,
                territory,
            } => {
                if self.profile.is_some() {
                    return Err(StaffError::AlreadyJoined);
                }
                let territory = territory_for(role, territory)?;
                StaffEvent::StaffJoined {
                    staff_id,
                    name,
                    role,
                    territory,
                }
            }
            StaffCommand::ChangeRole { role, territory } => {
                let current = self.active()?;
                let territory = territory_for(role, territory)?;
                if current.role == role && current.territory == territory {
                    return Err(StaffError::Unchanged);
                }
                if current.staff_id == actor.staff_id && current.role == Role::Admin {
                    return Err(StaffError::OwnAdminRole);
                }
                StaffEvent::StaffRoleChanged {
                    from: current.role,
                    to: role,
                    territory,
                }
            }
            StaffCommand::MoveTerritory { territory } => {
                let current = self.active()?;
                if !current.role.needs_territory() {
                    return Err(StaffError::TerritoryNotApplicable { role: current.role });
                }
                if current.territory.as_ref() == Some(&territory) {
                    return Err(StaffError::Unchanged);
                }
                StaffEvent::StaffTerritoryMoved {
                    from: current.territory.clone(),
                    to: territory,
                }
            }
            StaffCommand::Leave { reason } => {
                let current = self.active()?;
                if current.staff_id == actor.staff_id {
                    return Err(StaffError::OwnDeparture);
                }
                StaffEvent::StaffLeft { reason }
            }
            StaffCommand::DelegateApprovals { .. } | StaffCommand::EndDelegation { .. } => {
                unreachable!("delegations are handled before directory changes")
            }
        })
    }

    fn apply_directory(&mut self, event: StaffEvent) {
        match event {
            StaffEvent::StaffJoined {
                staff_id,
                name,
                role,
                territory,
            } => {
                self.profile = Some(StaffProfile {
                    staff_id,
                    name,
                    role,
                    territory,
                    status: StaffStatus::Active,
                });
            }
            StaffEvent::StaffRoleChanged { to, territory, .. } => {
                if let Some(p) = &mut self.profile {
                    p.role = to;
                    p.territory = territory;
                }
            }
            StaffEvent::StaffTerritoryMoved { to, .. } => {
                if let Some(p) = &mut self.profile {
                    p.territory = Some(to);
                }
            }
            StaffEvent::StaffLeft { .. } => {
                if let Some(p) = &mut self.profile {
                    p.status = StaffStatus::Left;
                }
            }
            StaffEvent::ApprovalsDelegated { .. } | StaffEvent::ApprovalDelegationEnded { .. } => {}
        }
    }
}
