//! The program's MDF tier policy (design.md §2): quarterly caps and the partner match.

use serde::{Deserialize, Serialize};

use crate::money::{Currency, Money};
use crate::partner::Tier;

/// The program currency caps are expressed in.
pub const PROGRAM_CURRENCY: Currency = Currency::USD;

/// How much the partner must put in beside the ISV's MDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PartnerMatch {
    /// At least one dollar of partner money per MDF dollar.
    OneToOne,
    /// Agreed case by case; any partner contribution is accepted.
    Negotiable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierPolicy {
    /// The most MDF a partner of this tier may receive per fiscal quarter without an exemption.
    pub quarterly_cap: Money,
    pub partner_match: PartnerMatch,
}

pub fn tier_policy(tier: Tier) -> TierPolicy {
    let (cap, partner_match) = match tier {
        Tier::Registered => (0, PartnerMatch::OneToOne),
        Tier::Silver => (200_000, PartnerMatch::OneToOne),
        Tier::Gold => (500_000, PartnerMatch::OneToOne),
        Tier::Platinum => (1_500_000, PartnerMatch::Negotiable),
    };
    TierPolicy {
        quarterly_cap: Money::new(cap, PROGRAM_CURRENCY),
        partner_match,
    }
}

impl TierPolicy {
    /// The least partner contribution the match rule accepts beside `mdf`.
    pub fn minimum_partner_contribution(&self, mdf: Money) -> Money {
        match self.partner_match {
            PartnerMatch::OneToOne => mdf,
            PartnerMatch::Negotiable => Money::zero(mdf.currency),
        }
    }

    pub fn within_cap(&self, mdf: Money) -> bool {
        mdf.currency == self.quarterly_cap.currency && mdf.minor <= self.quarterly_cap.minor
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_follow_the_tier() {
        assert!(tier_policy(Tier::Silver).within_cap(Money::usd(200_000)));
        assert!(!tier_policy(Tier::Silver).within_cap(Money::usd(200_001)));
        assert!(!tier_policy(Tier::Registered).within_cap(Money::usd(1)));
        assert!(tier_policy(Tier::Platinum).within_cap(Money::usd(1_500_000)));
    }

    #[test]
    fn silver_and_gold_need_a_one_to_one_match_and_platinum_negotiates() {
        let mdf = Money::usd(400_000);
        assert_eq!(
            tier_policy(Tier::Gold).minimum_partner_contribution(mdf),
            mdf
        );
        assert_eq!(
            tier_policy(Tier::Platinum).minimum_partner_contribution(mdf),
            Money::usd(0)
        );
    }
}
