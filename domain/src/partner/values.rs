//! The words that describe a partner (design.md §2).

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct PartnerId(pub Uuid);

impl PartnerId {
    pub fn new() -> Self {
        Self(Uuid::now_v7())
    }
}

impl Default for PartnerId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for PartnerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Declares a closed vocabulary: serialized by its wire name, displayed by its label.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:tt / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $wire)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name people read, e.g. "High-Potential".
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The name on the wire, e.g. "HighPotential".
            pub fn wire(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary!(
    /// What kind of company the partner is.
    PartnerType {
        Reseller = "Reseller" / "Reseller/VAR",
        Msp = "MSP" / "MSP",
        SystemIntegrator = "SystemIntegrator" / "System Integrator",
        Distributor = "Distributor" / "Distributor",
        Oem = "OEM" / "OEM",
        Technology = "Technology" / "Technology/ISV",
        Referral = "Referral" / "Referral",
    }
);

vocabulary!(
    /// Program tier; sets the MDF cap and match rules.
    Tier {
        Registered = "Registered" / "Registered",
        Silver = "Silver" / "Silver",
        Gold = "Gold" / "Gold",
        Platinum = "Platinum" / "Platinum",
    }
);

vocabulary!(
    /// The program's view of a partner's behaviour.
    Classification {
        Champion = "Champion" / "Champion",
        Farmer = "Farmer" / "Farmer",
        Longtail = "Longtail" / "Longtail",
        LongtailDiamond = "LongtailDiamond" / "Longtail Diamond",
        HighPotential = "HighPotential" / "High-Potential",
        Zombie = "Zombie" / "Zombie",
    }
);

vocabulary!(
    /// Head count band.
    CompanySize {
        Micro = "1-10" / "1–10 employees",
        Small = "11-50" / "11–50 employees",
        Medium = "51-200" / "51–200 employees",
        Large = "201-1000" / "201–1,000 employees",
        Enterprise = "1001-5000" / "1,001–5,000 employees",
        Global = "5000+" / "over 5,000 employees",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_labels_read_well() {
        for c in Classification::ALL {
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.wire()));
            assert_eq!(&serde_json::from_str::<Classification>(&json).unwrap(), c);
        }
        assert_eq!(
            Classification::LongtailDiamond.to_string(),
            "Longtail Diamond"
        );
        assert!(serde_json::from_str::<Tier>("\"Diamond\"").is_err());
    }
}
