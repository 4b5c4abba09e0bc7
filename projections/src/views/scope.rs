//! Who is reading: the role and territory every view filters by (rules on [`super`]).

use channel_ledger_domain::{Role, StaffId, Territory};
use serde::{Deserialize, Serialize};

use crate::model::PartnerEntry;

/// The reader of a view, as the server resolved them from their token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scope {
    pub staff_id: StaffId,
    pub role: Role,
    /// The territory of a PAM or Manager; ignored for the program-wide roles.
    pub territory: Option<Territory>,
}

impl Scope {
    pub fn new(staff_id: StaffId, role: Role, territory: Option<Territory>) -> Self {
        Self {
            staff_id,
            role,
            territory,
        }
    }

    /// Admins read no program view (the server answers 403).
    pub fn reads(&self) -> bool {
        self.role != Role::Admin
    }

    /// PAMs and Managers see their own territory; CxO, Finance and Auditor all; Admin none.
    pub fn sees_territory(&self, territory: &Territory) -> bool {
        match self.role {
            Role::Pam | Role::Manager => self.territory.as_ref() == Some(territory),
            Role::Cxo | Role::Finance | Role::Auditor => true,
            Role::Admin => false,
        }
    }

    /// A registered partner of a territory the reader sees.
    pub fn sees_partner(&self, entry: &PartnerEntry) -> bool {
        entry
            .partner
            .profile
            .as_ref()
            .is_some_and(|p| self.sees_territory(&p.territory))
    }

    /// What was said at QARs: everyone who reads, except Finance.
    pub fn sees_qar_notes(&self) -> bool {
        self.reads() && self.role != Role::Finance
    }
}
