//! The words the generated program is written in: territories, names, cities, and the short
//! texts people type into rationales, notes and reviews.

pub(super) const TERRITORIES: [&str; 8] = [
    "Pacific Northwest",
    "Mid-Atlantic",
    "Southeast",
    "Great Lakes",
    "Mountain West",
    "Northeast",
    "Texas",
    "California",
];

pub(super) const CITIES: [&str; 16] = [
    "Seattle, WA",
    "Philadelphia, PA",
    "Atlanta, GA",
    "Chicago, IL",
    "Denver, CO",
    "Boston, MA",
    "Austin, TX",
    "San Jose, CA",
    "Portland, OR",
    "Baltimore, MD",
    "Charlotte, NC",
    "Detroit, MI",
    "Salt Lake City, UT",
    "Hartford, CT",
    "Dallas, TX",
    "San Diego, CA",
];

const HEADS: [&str; 32] = [
    "Summit",
    "Northwind",
    "Bluewater",
    "Keystone",
    "Cascade",
    "Ironclad",
    "Granite",
    "Redwood",
    "Beacon",
    "Bridgeline",
    "Harborview",
    "Nova",
    "Cobalt",
    "Meridian",
    "Lakeshore",
    "Pinnacle",
    "Silverline",
    "Copperleaf",
    "Evergreen",
    "Highmark",
    "Trailhead",
    "Westgate",
    "Brightpath",
    "Stonebridge",
    "Clearwater",
    "Foxglove",
    "Ridgeway",
    "Suncrest",
    "Tidewater",
    "Aspen",
    "Blackrock",
    "Lumen",
];

const TAILS: [&str; 16] = [
    "Networks",
    "MSP",
    "Data",
    "Solutions",
    "Consulting",
    "Digital",
    "Systems",
    "IT",
    "Technologies",
    "Cloud",
    "Partners",
    "Group",
    "Security",
    "Integrators",
    "Labs",
    "Services",
];

pub(super) const SPECIALIZATIONS: [&str; 7] = [
    "Healthcare",
    "Financial services",
    "Managed security",
    "Manufacturing",
    "Public sector",
    "Retail",
    "Logistics",
];

const FIRST: [&str; 24] = [
    "Sarah", "Marcus", "Priya", "Tom", "Nina", "Omar", "Elena", "David", "Grace", "Jordan", "Femi",
    "Ari", "Lena", "Raj", "Chloe", "Mateo", "Hannah", "Kenji", "Amara", "Victor", "Ines", "Noah",
    "Zoe", "Felix",
];

const LAST: [&str; 20] = [
    "K.", "T.", "M.", "W.", "P.", "R.", "Ruiz", "Lin", "Holt", "Blake", "Okafor", "Stone", "Novak",
    "Shah", "Dubois", "Garcia", "Meyer", "Tanaka", "Osei", "Park",
];

const CUSTOMERS: [&str; 20] = [
    "Fortis Financial",
    "Meridian Health",
    "ClearBridge Logistics",
    "St. Anne's Health",
    "Piedmont Clinics",
    "Lowcountry Medical",
    "Northgate Bank",
    "Harbor Freight Lines",
    "Orion Manufacturing",
    "Valley Credit Union",
    "Crescent Retail",
    "Atlas Insurance",
    "Pioneer Schools",
    "Riverside County",
    "Kestrel Foods",
    "Summit Hospitals",
    "Beacon Energy",
    "Delta Plastics",
    "Union Title",
    "Maple Dental",
];

/// Partner `i`'s company name: unique across the program.
pub(super) fn partner_name(i: usize) -> String {
    let head = HEADS[i % HEADS.len()];
    let tail = TAILS[(i / HEADS.len()) % TAILS.len()];
    let round = i / (HEADS.len() * TAILS.len());
    if round == 0 {
        format!("{head} {tail}")
    } else {
        format!("{head} {tail} {}", round + 1)
    }
}

/// A person's name, e.g. "Priya Shah".
pub(super) fn person(i: usize) -> String {
    format!(
        "{} {}",
        FIRST[i % FIRST.len()],
        LAST[(i / FIRST.len() + i) % LAST.len()]
    )
}

/// A named account's company name and internet domain, unique per partner, RAP and slot.
pub(super) fn named_account(partner: usize, rap: u32, k: usize) -> (String, String) {
    let customer = CUSTOMERS[(partner * 7 + rap as usize * 3 + k) % CUSTOMERS.len()];
    let slug: String = customer
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    (
        customer.to_owned(),
        format!("{slug}-p{partner}-r{rap}-{k}.example"),
    )
}

pub(super) const TIER_EVIDENCE: [&str; 6] = [
    "Certified engineers and trailing-four-quarter bookings meet the tier's criteria",
    "Bookings fell below the tier threshold for two quarters",
    "Renewed the annual partner agreement with the higher commitment",
    "Two net-new logos closed this half; certification current",
    "Certifications lapsed; no new logos in three quarters",
    "Quarterly review: revenue and enablement on target",
];

pub(super) const RATIONALES: [&str; 6] = [
    "Installed base is ICP-aligned: three of its customers are net-new logos for us",
    "Steady renewals but no net-new motion in four quarters",
    "Won two named accounts from its own customers; ready for co-investment",
    "No pipeline, no certifications, no response to the last two QAR invitations",
    "Pipeline and enablement picked up after the RAP; watching the next two quarters",
    "Long-tail reseller with occasional deals; low cost to serve",
];

pub(super) const DISCUSSED: [&str; 5] = [
    "Pipeline review of the named accounts and the partner's renewals this quarter",
    "Certification plan for two engineers and the co-marketing calendar",
    "Why the last campaign under-delivered and what the customers said",
    "Handover to the new PAM: open commitments and the RAP's named accounts",
    "Pricing questions from two customers and the competitive situation",
];

pub(super) const AGREED: [&str; 5] = [
    "Joint account plan for the top three customers; weekly pipeline call",
    "Partner certifies two engineers; ISV funds one workshop",
    "Pause new MDF until the open claims are closed",
    "Introduce the new PAM to the partner's sales leads within two weeks",
    "Run one webinar for the healthcare customers next quarter",
];

pub(super) const WHY: [&str; 4] = [
    "The named accounts need executive attention before budgets close",
    "Enablement is the bottleneck for the partner's net-new motion",
    "Keeps the commitments of the previous quarter visible to both sides",
    "The partner's customers are asking for it",
];

pub(super) const COMMITMENTS: [&str; 8] = [
    "Certify two engineers on the platform",
    "Run a joint webinar for existing customers",
    "Share a qualified pipeline of five accounts",
    "Deliver a proof of concept to one named account",
    "Update the partner's solution brief",
    "Schedule an executive business review",
    "Close the open MDF claims with proof",
    "Introduce the ISV to two customer CIOs",
];

pub(super) const REVIEW_NOTES: [&str; 4] = [
    "Done as agreed",
    "Slipped: the customer moved the date",
    "Not done; the partner lost its lead engineer",
    "Partly done; carried into the next plan",
];

pub(super) const ACTIVITIES: [&str; 6] = [
    "Executive roundtable for the named accounts' IT leadership",
    "Two-day proof-of-concept workshop",
    "Co-branded webinar series for existing customers",
    "Regional customer event with hands-on labs",
    "Targeted email and call campaign to the named accounts",
    "Security assessment offer for three customers",
];

pub(super) const PROOFS: [&str; 4] = [
    "Agenda, attendee list and the venue invoice",
    "Workshop report signed by the customer and the engineering invoice",
    "Registration list, recording and the platform invoice",
    "Campaign report with responses and the agency invoice",
];

pub(super) const LOST: [&str; 4] = [
    "Chose a competitor on price",
    "Project cancelled by the customer",
    "No budget this fiscal year",
    "Customer renewed with the incumbent",
];
