//! The fiscal calendar as data: quarters follow a configurable fiscal-year start month
//! (design.md §3.6), and business days for approval SLAs.
//!
//! A fiscal year is named after the calendar year in which it ends: with a February start,
//! FY27 runs from 1 Feb 2026 to 31 Jan 2027. With a January start, FY26 is calendar 2026.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalCalendar {
    start_month: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FiscalError {
    #[error("a fiscal year starts in month 1 to 12")]
    InvalidStartMonth,
    #[error("a fiscal quarter reads like \"FY26 Q2\"")]
    InvalidQuarter,
}

impl Default for FiscalCalendar {
    fn default() -> Self {
        Self { start_month: 1 }
    }
}

impl FiscalCalendar {
    pub fn new(start_month: u32) -> Result<Self, FiscalError> {
        if (1..=12).contains(&start_month) {
            Ok(Self { start_month })
        } else {
            Err(FiscalError::InvalidStartMonth)
        }
    }

    pub fn start_month(&self) -> u32 {
        self.start_month
    }

    /// The fiscal quarter a day falls in.
    pub fn quarter_of(&self, day: NaiveDate) -> FiscalQuarter {
        let months_in = (day.month() + 12 - self.start_month) % 12;
        let start_year = if day.month() >= self.start_month {
            day.year()
        } else {
            day.year() - 1
        };
        let year = if self.start_month == 1 {
            start_year
        } else {
            start_year + 1
        };
        FiscalQuarter {
            year,
            quarter: (months_in / 3 + 1) as u8,
        }
    }

    /// The quarter an instant falls in (UTC).
    pub fn quarter_at(&self, at: DateTime<Utc>) -> FiscalQuarter {
        self.quarter_of(at.date_naive())
    }

    /// First day of a fiscal quarter.
    pub fn first_day(&self, q: FiscalQuarter) -> NaiveDate {
        let start_year = if self.start_month == 1 {
            q.year
        } else {
            q.year - 1
        };
        let month0 = (self.start_month - 1) + 3 * u32::from(q.quarter - 1);
        NaiveDate::from_ymd_opt(start_year + (month0 / 12) as i32, month0 % 12 + 1, 1)
            .unwrap_or(NaiveDate::MIN)
    }

    /// Last day of a fiscal quarter.
    pub fn last_day(&self, q: FiscalQuarter) -> NaiveDate {
        self.first_day(q.next())
            .pred_opt()
            .unwrap_or(NaiveDate::MAX)
    }
}

/// A fiscal quarter, e.g. FY26 Q2. Serialized as its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FiscalQuarter {
    pub year: i32,
    pub quarter: u8,
}

impl FiscalQuarter {
    pub fn new(year: i32, quarter: u8) -> Result<Self, FiscalError> {
        if (1..=4).contains(&quarter) && (2000..=2099).contains(&year) {
            Ok(Self { year, quarter })
        } else {
            Err(FiscalError::InvalidQuarter)
        }
    }

    pub fn next(self) -> Self {
        if self.quarter == 4 {
            Self {
                year: self.year + 1,
                quarter: 1,
            }
        } else {
            Self {
                year: self.year,
                quarter: self.quarter + 1,
            }
        }
    }

    /// How many quarters `self` is after `earlier` (negative when before).
    pub fn quarters_since(self, earlier: FiscalQuarter) -> i32 {
        (self.year - earlier.year) * 4 + i32::from(self.quarter) - i32::from(earlier.quarter)
    }
}

/// On the wire a quarter is its label, so its schema is a string.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for FiscalQuarter {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^FY\d{2} Q[1-4]$"))
            .examples(["FY26 Q2"])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for FiscalQuarter {}

impl fmt::Display for FiscalQuarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FY{:02} Q{}", self.year % 100, self.quarter)
    }
}

impl FromStr for FiscalQuarter {
    type Err = FiscalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let rest = s
            .trim()
            .strip_prefix("FY")
            .ok_or(FiscalError::InvalidQuarter)?;
        let (yy, q) = rest.split_once(" Q").ok_or(FiscalError::InvalidQuarter)?;
        if yy.len() != 2 || q.len() != 1 {
            return Err(FiscalError::InvalidQuarter);
        }
        let yy: i32 = yy.parse().map_err(|_| FiscalError::InvalidQuarter)?;
        let q: u8 = q.parse().map_err(|_| FiscalError::InvalidQuarter)?;
        Self::new(2000 + yy, q)
    }
}

impl TryFrom<String> for FiscalQuarter {
    type Error = FiscalError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<FiscalQuarter> for String {
    fn from(q: FiscalQuarter) -> Self {
        q.to_string()
    }
}

/// `at` moved forward by `days` business days (Monday to Friday; no holiday calendar yet).
/// Starting on a weekend counts from the next Monday.
pub fn add_business_days(at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let mut t = at;
    let mut left = days;
    while left > 0 {
        t = t.checked_add_days(Days::new(1)).unwrap_or(t);
        if !matches!(t.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_january_year_is_the_calendar_year() {
        let cal = FiscalCalendar::default();
        assert_eq!(cal.quarter_of(d(2026, 5, 14)).to_string(), "FY26 Q2");
        assert_eq!(cal.first_day("FY26 Q2".parse().unwrap()), d(2026, 4, 1));
        assert_eq!(cal.last_day("FY26 Q4".parse().unwrap()), d(2026, 12, 31));
    }

    #[test]
    fn a_february_year_is_named_for_the_year_it_ends() {
        let cal = FiscalCalendar::new(2).unwrap();
        assert_eq!(cal.quarter_of(d(2026, 1, 31)).to_string(), "FY26 Q4");
        assert_eq!(cal.quarter_of(d(2026, 2, 1)).to_string(), "FY27 Q1");
        assert_eq!(cal.first_day("FY27 Q1".parse().unwrap()), d(2026, 2, 1));
        assert_eq!(cal.last_day("FY27 Q4".parse().unwrap()), d(2027, 1, 31));
    }

    #[test]
    fn every_day_is_inside_its_own_quarter() {
        for start in 1..=12 {
            let cal = FiscalCalendar::new(start).unwrap();
            let mut day = d(2024, 1, 1);
            while day < d(2027, 1, 1) {
                let q = cal.quarter_of(day);
                assert!(
                    cal.first_day(q) <= day && day <= cal.last_day(q),
                    "{start} {day} {q}"
                );
                day = day.succ_opt().unwrap();
            }
        }
    }

    #[test]
    fn labels_are_checked() {
        assert!("FY26 Q5".parse::<FiscalQuarter>().is_err());
        assert!("2026 Q1".parse::<FiscalQuarter>().is_err());
        assert_eq!(
            "FY26 Q4"
                .parse::<FiscalQuarter>()
                .unwrap()
                .next()
                .to_string(),
            "FY27 Q1"
        );
    }

    #[test]
    fn five_business_days_skip_the_weekend() {
        let friday: DateTime<Utc> = "2026-02-13T09:00:00Z".parse().unwrap();
        assert_eq!(
            add_business_days(friday, 5),
            "2026-02-20T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        let saturday: DateTime<Utc> = "2026-02-14T09:00:00Z".parse().unwrap();
        assert_eq!(
            add_business_days(saturday, 1),
            "2026-02-16T09:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }
}
