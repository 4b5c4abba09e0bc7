//! The fixed tables the demo draws from: territories, partner types, tiers, classifications,
//! sizes, specializations, cities, name parts and the cohort strategies.

pub(super) const TERRITORIES: [&str; 3] = ["Pacific Northwest", "Mid-Atlantic", "Southeast"];
pub(super) const TYPES: [&str; 7] = [
    "Reseller",
    "MSP",
    "SystemIntegrator",
    "Distributor",
    "OEM",
    "Technology",
    "Referral",
];
pub(super) const TIERS: [&str; 4] = ["Registered", "Silver", "Gold", "Platinum"];
pub(super) const CLASSES: [&str; 6] = [
    "Champion",
    "Farmer",
    "Longtail",
    "LongtailDiamond",
    "HighPotential",
    "Zombie",
];
pub(super) const SIZES: [&str; 6] = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"];
pub(super) const SPECIALIZATIONS: [&str; 7] = [
    "Healthcare",
    "Financial services",
    "Managed security",
    "Manufacturing",
    "Public sector",
    "Retail",
    "Logistics",
];
pub(super) const CITIES: [[&str; 5]; 3] = [
    [
        "Seattle, WA",
        "Portland, OR",
        "Boise, ID",
        "Spokane, WA",
        "Tacoma, WA",
    ],
    [
        "Philadelphia, PA",
        "Baltimore, MD",
        "Arlington, VA",
        "Newark, NJ",
        "Wilmington, DE",
    ],
    [
        "Atlanta, GA",
        "Charlotte, NC",
        "Nashville, TN",
        "Orlando, FL",
        "Raleigh, NC",
    ],
];
pub(super) const NAME_HEADS: [&str; 28] = [
    "Summit",
    "Northwind",
    "Bluewater",
    "Keystone",
    "Redwood",
    "Granite",
    "Beacon",
    "Evergreen",
    "Silverline",
    "Apex",
    "Lakeside",
    "Pinnacle",
    "Crescent",
    "Ironwood",
    "Copperleaf",
    "Brightpath",
    "Stonebridge",
    "Westfield",
    "Falcon",
    "Orchard",
    "Riverbend",
    "Trident",
    "Vantage",
    "Clearwater",
    "Sterling",
    "Horizon",
    "Cobalt",
    "Juniper",
];
pub(super) const NAME_TAILS: [&str; 10] = [
    "Systems",
    "Networks",
    "Solutions",
    "Technologies",
    "IT",
    "Partners",
    "Consulting",
    "Digital",
    "Cloud",
    "Data",
];

/// A cohort strategy: classification, intent and two plays (title, description).
pub(crate) type Strategy = (
    &'static str,
    &'static str,
    [(&'static str, &'static str); 2],
);

pub(crate) const STRATEGIES: [Strategy; 6] = [
    ("Champion", "Protect and extend: co-invest in the partners that already win net-new logos for us",
        [("Joint account planning", "Quarterly named-account planning with the partner's sales leaders"),
         ("Executive sponsor", "A CxO sponsor and a yearly executive business review")]),
    ("Farmer", "Reactivate net-new motion through RAP co-investment with named accounts from their existing base",
        [("Installed-base mining", "Pick three named accounts from the partner's existing customers"),
         ("RAP co-investment", "Fund the first quarter of the motion with matched MDF")]),
    ("Longtail", "Keep the cost to serve low and watch for the few with hidden net-new potential",
        [("Digital enablement", "Self-serve training and pooled webinars"),
         ("Diamond watch", "Flag any longtail partner with a won named account")]),
    ("LongtailDiamond", "Turn a proven hidden gem into a repeatable motion before competitors notice",
        [("First RAP", "Offer a small RAP with two named accounts"),
         ("PAM attention", "Move the partner into a PAM's active portfolio")]),
    ("HighPotential", "Accelerate: give the partners with the right base the enablement and MDF to prove it",
        [("Certification sprint", "Certify two engineers in the first quarter"),
         ("Co-marketing", "Matched MDF for one healthcare or financial-services campaign")]),
    ("Zombie", "Decide within two quarters: revive with a concrete plan or offboard",
        [("Revival call", "One call with the partner's owner to agree a 90-day plan"),
         ("Offboarding review", "Offboard if nothing moved by the next QAR")]),
];
