//! Money: integer minor units and an ISO 4217 currency code. Never floating point (design.md §3.5).
//!
//! Amounts in another currency keep the exchange rate of their transaction date
//! ([`ExchangeRate`]); conversion is integer arithmetic with one documented rounding.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A three-letter ISO 4217 code, upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "USD"))]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("a currency is three upper-case letters (ISO 4217), like USD")]
    InvalidCurrency,
    #[error("cannot combine {0} with {1}: convert at the transaction date's rate first")]
    CurrencyMismatch(Currency, Currency),
    #[error("the amount is out of range")]
    Overflow,
    #[error("the amount must not be negative")]
    Negative,
    #[error("an exchange rate must be positive")]
    InvalidRate,
}

impl Currency {
    pub const USD: Currency = Currency(*b"USD");

    pub fn parse(s: &str) -> Result<Self, MoneyError> {
        let bytes: [u8; 3] = s
            .as_bytes()
            .try_into()
            .map_err(|_| MoneyError::InvalidCurrency)?;
        if bytes.iter().all(u8::is_ascii_uppercase) {
            Ok(Self(bytes))
        } else {
            Err(MoneyError::InvalidCurrency)
        }
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl TryFrom<String> for Currency {
    type Error = MoneyError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.as_str().to_owned()
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money in minor units (cents for USD). May be negative in ledger entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// Minor units: 2400000 is $24,000.00.
    pub minor: i64,
    pub currency: Currency,
}

impl Money {
    pub const fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    pub const fn usd(minor: i64) -> Self {
        Self::new(minor, Currency::USD)
    }

    pub const fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// Refuses negative amounts: what people enter as a budget, a request or a payment.
    pub fn non_negative(self) -> Result<Self, MoneyError> {
        if self.minor < 0 {
            Err(MoneyError::Negative)
        } else {
            Ok(self)
        }
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_add(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        self.same_currency(other)?;
        self.minor
            .checked_sub(other.minor)
            .map(|minor| Money::new(minor, self.currency))
            .ok_or(MoneyError::Overflow)
    }

    pub fn negated(self) -> Money {
        Money::new(-self.minor, self.currency)
    }

    fn same_currency(self, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch(self.currency, other.currency))
        }
    }
}

/// "$24,000.00" style for USD, "12,000.00 EUR" for others; two decimal places.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let (units, cents) = (abs / 100, abs % 100);
        let digits = units.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if self.currency == Currency::USD {
            write!(f, "{sign}${grouped}.{cents:02}")
        } else {
            write!(f, "{sign}{grouped}.{cents:02} {}", self.currency)
        }
    }
}

/// The rate of one transaction date: `1 from = rate_micros / 1_000_000 to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRate {
    pub from: Currency,
    pub to: Currency,
    /// The rate in millionths: 1.085 is 1085000.
    pub rate_micros: i64,
    /// The transaction date the rate belongs to.
    pub on: NaiveDate,
}

impl ExchangeRate {
    /// Converts `amount` (in `from`) to `to`, rounding half away from zero to the minor unit.
    pub fn convert(&self, amount: Money) -> Result<Money, MoneyError> {
        if self.rate_micros <= 0 {
            return Err(MoneyError::InvalidRate);
        }
        if amount.currency != self.from {
            return Err(MoneyError::CurrencyMismatch(amount.currency, self.from));
        }
        let scaled = i128::from(amount.minor) * i128::from(self.rate_micros);
        let half = 500_000i128 * scaled.signum();
        let minor = (scaled + half) / 1_000_000;
        i64::try_from(minor)
            .map(|m| Money::new(m, self.to))
            .map_err(|_| MoneyError::Overflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_like_money() {
        assert_eq!(Money::usd(2_400_000).to_string(), "$24,000.00");
        assert_eq!(Money::usd(-5).to_string(), "-$0.05");
        let eur = Money::new(1_200_000, Currency::parse("EUR").unwrap());
        assert_eq!(eur.to_string(), "12,000.00 EUR");
    }

    #[test]
    fn currencies_do_not_mix() {
        let eur = Money::new(1, Currency::parse("EUR").unwrap());
        assert!(matches!(
            Money::usd(1).checked_add(eur),
            Err(MoneyError::CurrencyMismatch(..))
        ));
        assert_eq!(
            Money::usd(i64::MAX).checked_add(Money::usd(1)),
            Err(MoneyError::Overflow)
        );
    }

    #[test]
    fn currency_codes_are_checked() {
        assert!(Currency::parse("usd").is_err());
        assert!(Currency::parse("US").is_err());
        assert!(serde_json::from_str::<Currency>("\"EURO\"").is_err());
    }

    #[test]
    fn conversion_keeps_the_rate_and_rounds_half_away_from_zero() {
        let rate = ExchangeRate {
            from: Currency::parse("EUR").unwrap(),
            to: Currency::USD,
            rate_micros: 1_085_000,
            on: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        };
        let eur = |m| Money::new(m, Currency::parse("EUR").unwrap());
        assert_eq!(rate.convert(eur(1_000_000)).unwrap(), Money::usd(1_085_000));
        assert_eq!(rate.convert(eur(1)).unwrap(), Money::usd(1)); // 1.085 → 1
        assert_eq!(rate.convert(eur(2)).unwrap(), Money::usd(2)); // 2.17 → 2
        assert_eq!(rate.convert(eur(-2)).unwrap(), Money::usd(-2));
        assert!(rate.convert(Money::usd(1)).is_err());
    }
}
