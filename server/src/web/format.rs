//! How figures read on a page: dates, money, percentages, and the coloured badges for statuses.

use channel_ledger_domain::money::Money;
use channel_ledger_domain::partner::Classification;
use channel_ledger_domain::rap::{NamedAccountStatus, RapStatus};
use chrono::{DateTime, Utc};
use maud::{html, Markup};

/// "14 Feb 2026".
pub fn date(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y").to_string()
}

/// "14 Feb 2026, 09:30 UTC".
pub fn date_time(t: DateTime<Utc>) -> String {
    t.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// A `<time>` element: the date to read, the instant for machines.
pub fn time(t: DateTime<Utc>) -> Markup {
    html! { time datetime=(t.to_rfc3339()) title=(date_time(t)) { (date(t)) } }
}

/// Money as people write it: "$24,000", cents only when there are some.
pub fn money(m: Money) -> String {
    let s = m.to_string();
    match s.strip_suffix(".00") {
        Some(whole) => whole.to_owned(),
        None => s.replacen(".00 ", " ", 1),
    }
}

/// Basis points as a percentage: 11,000 → "110%".
pub fn percent_bps(bps: u32) -> String {
    format!("{}%", bps / 100)
}

/// A return in basis points as a multiple, rounded down to a tenth: 25,000 → "2.5×".
pub fn multiple_bps(bps: i64) -> String {
    let tenths = bps / 1_000;
    format!("{}.{}×", tenths / 10, (tenths % 10).abs())
}

/// "3 days", "1 day", "5 hours".
pub fn age(seconds: i64) -> String {
    let days = seconds / 86_400;
    if days >= 1 {
        plural(days, "day")
    } else {
        plural((seconds / 3_600).max(0), "hour")
    }
}

pub fn plural(n: i64, one: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The tone of a badge; each has its own colour in the stylesheet.
#[derive(Debug, Clone, Copy)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Info,
    Neutral,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Good => "badge good",
            Tone::Warn => "badge warn",
            Tone::Bad => "badge bad",
            Tone::Info => "badge info",
            Tone::Neutral => "badge",
        }
    }
}

pub fn badge(tone: Tone, text: &str) -> Markup {
    html! { span class=(tone.class()) { (text) } }
}

pub fn classification(c: Option<Classification>) -> Markup {
    let Some(c) = c else {
        return badge(Tone::Neutral, "Unclassified");
    };
    let tone = match c {
        Classification::Champion => Tone::Good,
        Classification::HighPotential | Classification::LongtailDiamond => Tone::Info,
        Classification::Farmer | Classification::Longtail => Tone::Neutral,
        Classification::Zombie => Tone::Bad,
    };
    badge(tone, c.label())
}

pub fn rap_status(s: RapStatus) -> Markup {
    let tone = match s {
        RapStatus::Active => Tone::Good,
        RapStatus::Submitted | RapStatus::ManagerApproved => Tone::Warn,
        RapStatus::Rejected => Tone::Bad,
        RapStatus::Draft | RapStatus::Closed => Tone::Neutral,
    };
    badge(tone, &s.to_string())
}

pub fn account_status(s: NamedAccountStatus) -> Markup {
    let tone = match s {
        NamedAccountStatus::Won => Tone::Good,
        NamedAccountStatus::Lost => Tone::Bad,
        NamedAccountStatus::InProgress => Tone::Info,
        NamedAccountStatus::Identified | NamedAccountStatus::Qualified => Tone::Neutral,
    };
    badge(tone, &s.to_string())
}

/// "Overdue by 12 days" in red, or the due date.
pub fn due(due_at: Option<DateTime<Utc>>, overdue: bool, days_overdue: i64) -> Markup {
    match due_at {
        None => html! { span.muted { "—" } },
        Some(_) if overdue => badge(
            Tone::Bad,
            &format!("Overdue {}", plural(days_overdue.max(0), "day")),
        ),
        Some(t) => html! { "Due " (time(t)) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use channel_ledger_domain::money::Currency;

    #[test]
    fn whole_amounts_drop_their_cents() {
        assert_eq!(money(Money::new(2_400_000, Currency::USD)), "$24,000");
        assert_eq!(money(Money::new(2_400_050, Currency::USD)), "$24,000.50");
    }

    #[test]
    fn returns_read_as_multiples() {
        assert_eq!(multiple_bps(25_000), "2.5×");
        assert_eq!(multiple_bps(140_999), "14.0×");
        assert_eq!(multiple_bps(0), "0.0×");
    }

    #[test]
    fn ages_read_in_days_then_hours() {
        assert_eq!(age(3 * 86_400 + 5), "3 days");
        assert_eq!(age(86_400), "1 day");
        assert_eq!(age(7_200), "2 hours");
    }
}
