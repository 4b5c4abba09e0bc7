//! A partner company in the program: registered in a territory, tiered, classified, assigned a
//! PAM, and eventually offboarded. Every change is an event; none is ever edited.

mod command;
mod error;
mod event;
mod permission;
#[cfg(test)]
mod tests;
pub(crate) mod upcast;
mod values;

pub use command::{PamCandidate, PartnerCommand};
pub use error::PartnerError;
pub use event::PartnerEvent;
pub use permission::permission_for;
pub use values::{Classification, CompanySize, PartnerId, PartnerType, Tier};

use cqrs_es::event_sink::EventSink;
use cqrs_es::Aggregate;
use serde::{Deserialize, Serialize};

use crate::actor::{Role, StaffId, Territory};
use crate::authored::Authored;
use crate::text::Name;

/// The default value is "not registered".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Partner {
    pub profile: Option<PartnerProfile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerProfile {
    pub partner_id: PartnerId,
    pub name: Name,
    pub partner_type: PartnerType,
    pub territory: Territory,
    pub headquarters: Name,
    pub size: CompanySize,
    pub specialization: Option<Name>,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub pam: Option<StaffId>,
    pub offboarded: bool,
}

/// What other aggregates (RAPs, QARs, MDF) need to know of a partner at a moment. The caller
/// resolves it from the partner's stream as of the decision's effective time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerFacts {
    pub partner_id: PartnerId,
    pub name: Name,
    pub territory: Territory,
    pub tier: Tier,
    pub classification: Option<Classification>,
    pub pam: Option<StaffId>,
    pub offboarded: bool,
}

impl Partner {
    pub fn facts(&self) -> Option<PartnerFacts> {
        self.profile.as_ref().map(|p| PartnerFacts {
            partner_id: p.partner_id,
            name: p.name.clone(),
            territory: p.territory.clone(),
            tier: p.tier,
            classification: p.classification,
            pam: p.pam,
            offboarded: p.offboarded,
        })
    }

    fn current(&self) -> Result<&PartnerProfile, PartnerError> {
        match &self.profile {
            None => Err(PartnerError::NotFound),
            Some(p) if p.offboarded => Err(PartnerError::Offboarded),
            Some(p) => Ok(p),
        }
    }
}

impl Aggregate for Partner {
    const TYPE: &'static str = "Partner";
    type Command = Authored<PartnerCommand>;
    type Event = PartnerEvent;
    type Error = PartnerError;
    type Services = ();

    async fn handle(
        &mut self,
        Authored { actor, command, .. }: Self::Command,
        _: &Self::Services,
        sink: &EventSink<Self>,
    ) -> Result<(), Self::Error> {
        let permission = permission_for(&command);
        let event = match command {
            PartnerCommand::Register {
                partner_id,
                name,
                partner_type,
                territory,
                headquarters,
                size,
                specialization,
            } => {
                if self.profile.is_some() {
                    return Err(PartnerError::AlreadyRegistered);
                }
                permission.check(&actor, &territory)?;
                PartnerEvent::PartnerRegistered {
                    partner_id,
                    name,
                    partner_type,
                    territory,
                    headquarters,
                    size,
                    specialization,
                    tier: Tier::Registered,
                }
            }
            PartnerCommand::ChangeTier { tier, evidence } => {
                let p = self.current()?;
                permission.check(&actor, &p.territory)?;
                if p.tier == tier {
                    return Err(PartnerError::SameTier(tier));
                }
                PartnerEvent::PartnerTierChanged {
                    from: p.tier,
                    to: tier,
                    evidence,
                }
            }
            PartnerCommand::Reclassify { to, rationale } => {
                let p = self.current()?;
                permission.check(&actor, &p.territory)?;
                if p.classification == Some(to) {
                    return Err(PartnerError::SameClassification(to));
                }
                PartnerEvent::PartnerReclassified {
                    from: p.classification,
                    to,
                    rationale,
                }
            }
            PartnerCommand::AssignPam { pam } => {
                let p = self.current()?;
                permission.check(&actor, &p.territory)?;
                if !pam.active {
                    return Err(PartnerError::PamNotActive);
                }
                if pam.role != Role::Pam {
                    return Err(PartnerError::NotAPam(pam.role));
                }
                if pam.territory.as_ref() != Some(&p.territory) {
                    return Err(PartnerError::PamOutsideTerritory {
                        territory: p.territory.clone(),
                    });
                }
                if p.pam == Some(pam.staff_id) {
                    return Err(PartnerError::SamePam);
                }
                PartnerEvent::PamAssigned {
                    pam_id: pam.staff_id,
                    pam_name: pam.name,
                    previous_pam_id: p.pam,
                }
            }
            PartnerCommand::Offboard { reason } => {
                let p = self.current()?;
                permission.check(&actor, &p.territory)?;
                PartnerEvent::PartnerOffboarded { reason }
            }
        };
        sink.write(event, self).await;
        Ok(())
    }

    fn apply(&mut self, event: Self::Event) {
        if let PartnerEvent::PartnerRegistered {
            partner_id,
            name,
            partner_type,
            territory,
            headquarters,
            size,
            specialization,
            tier,
        } = event
        {
            self.profile = Some(PartnerProfile {
                partner_id,
                name,
                partner_type,
                territory,
                headquarters,
                size,
                specialization,
                tier,
                classification: None,
                pam: None,
                offboarded: false,
            });
            return;
        }
        let Some(p) = &mut self.profile else { return };
        match event {
            PartnerEvent::PartnerRegistered { .. } => {}
            PartnerEvent::PartnerTierChanged { to, .. } => p.tier = to,
            PartnerEvent::PartnerReclassified { to, .. } => p.classification = Some(to),
            PartnerEvent::PamAssigned { pam_id, .. } => p.pam = Some(pam_id),
            PartnerEvent::PartnerOffboarded { .. } => p.offboarded = true,
        }
    }
}
