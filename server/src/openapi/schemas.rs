//! OpenAPI schemas for the domain's wire vocabularies.
//!
//! The domain crate's `openapi` feature does not compile at the moment (a container-level
//! `schema(value_type = …)` on the named-field `FiscalQuarter`, which utoipa 5 refuses), so the
//! server describes those types itself. Each enum here mirrors a domain enum's wire names; the
//! test below fails as soon as one drifts. Once the feature builds again, these can go.

use serde::Serialize;
use utoipa::ToSchema;

/// The capacity a person acts in.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Role)]
pub enum RoleSchema {
    #[serde(rename = "PAM")]
    Pam,
    Manager,
    #[serde(rename = "CxO")]
    Cxo,
    Finance,
    Auditor,
    Admin,
}

/// What kind of company the partner is.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PartnerType)]
pub enum PartnerTypeSchema {
    Reseller,
    #[serde(rename = "MSP")]
    Msp,
    SystemIntegrator,
    Distributor,
    #[serde(rename = "OEM")]
    Oem,
    Technology,
    Referral,
}

/// Program tier.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Tier)]
pub enum TierSchema {
    Registered,
    Silver,
    Gold,
    Platinum,
}

/// The program's view of a partner's behaviour.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Classification)]
pub enum ClassificationSchema {
    Champion,
    Farmer,
    Longtail,
    LongtailDiamond,
    HighPotential,
    Zombie,
}

/// Head count band.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CompanySize)]
pub enum CompanySizeSchema {
    #[serde(rename = "1-10")]
    Micro,
    #[serde(rename = "11-50")]
    Small,
    #[serde(rename = "51-200")]
    Medium,
    #[serde(rename = "201-1000")]
    Large,
    #[serde(rename = "1001-5000")]
    Enterprise,
    #[serde(rename = "5000+")]
    Global,
}

#[cfg(test)]
mod tests {
    use super::*;
    use channel_ledger_domain::partner::{Classification, CompanySize, PartnerType, Tier};
    use channel_ledger_domain::Role;
    use utoipa::PartialSchema;

    fn schema_values<T: PartialSchema>() -> Vec<String> {
        let json = serde_json::to_value(T::schema()).unwrap();
        let mut v: Vec<String> = json["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        v.sort();
        v
    }

    fn wire<T: Serialize>(all: &[T]) -> Vec<String> {
        let mut v: Vec<String> = all
            .iter()
            .map(|x| {
                serde_json::to_value(x)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn each_schema_lists_exactly_the_domain_wire_names() {
        assert_eq!(schema_values::<RoleSchema>(), wire(&Role::ALL));
        assert_eq!(schema_values::<PartnerTypeSchema>(), wire(PartnerType::ALL));
        assert_eq!(schema_values::<TierSchema>(), wire(Tier::ALL));
        assert_eq!(
            schema_values::<ClassificationSchema>(),
            wire(Classification::ALL)
        );
        assert_eq!(schema_values::<CompanySizeSchema>(), wire(CompanySize::ALL));
    }
}
