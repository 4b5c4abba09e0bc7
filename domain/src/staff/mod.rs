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

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::actor::{Actor, Role, StaffId, Territory};
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

/// One person in the directory. The default value is "never joined".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    pub profile: Option<StaffProfile>,
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
        Authored { actor, command, .. }: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        MAINTAIN_DIRECTORY.check_anywhere(&actor)?;
        let event = match command {
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
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
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
        }
    }
}
