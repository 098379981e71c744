//! Currency codes and non-negative money amounts with cent precision.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::FieldError;

/// An ISO 4217-style currency code (three uppercase ASCII letters), so amounts
/// in different currencies are never mixed silently.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Currency([u8; 3]);

impl Currency {
    /// Renminbi, the default currency of the product.
    pub const CNY: Currency = Currency(*b"CNY");

    /// Renminbi, the default currency of the product.
    pub const fn cny() -> Currency {
        Self::CNY
    }

    /// Validates a code: exactly three uppercase ASCII letters (surrounding whitespace ignored).
    pub fn parse(s: &str) -> Result<Currency, FieldError> {
        let bytes = s.trim().as_bytes();
        match <[u8; 3]>::try_from(bytes) {
            Ok(code) if code.iter().all(u8::is_ascii_uppercase) => Ok(Currency(code)),
            _ => Err(FieldError::new(
                "currency",
                "must be three uppercase letters, e.g. CNY",
            )),
        }
    }

    /// The code as text, e.g. `"CNY"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored, so this cannot fail.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Currency {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Currency::parse(&value)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.as_str().to_owned()
    }
}

/// A money amount with cent precision in one currency; the amount is always
/// stored with exactly two decimal places.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

/// Largest accepted amount (10^13), far above any real deal but safe in minor units.
fn max_amount() -> Decimal {
    Decimal::from(10_000_000_000_000_i64)
}

impl Money {
    /// Validates user input: a plain decimal string, ≥ 0, at most 2 decimal
    /// places, at most 10^13; errors name `field` so the client can highlight it.
    pub fn parse(amount: &str, currency: &str, field: &str) -> Result<Money, FieldError> {
        let err = |m: &str| FieldError::new(field, m);
        let text = amount.trim();
        let well_formed = !text.is_empty()
            && text
                .strip_prefix('-')
                .unwrap_or(text)
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
            && text.matches('.').count() <= 1
            && text.chars().any(|c| c.is_ascii_digit());
        if !well_formed {
            return Err(err("must be a decimal number, e.g. 1200.00"));
        }
        let value =
            Decimal::from_str(text).map_err(|_| err("must be a decimal number, e.g. 1200.00"))?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(err("must not be negative"));
        }
        if value.normalize().scale() > 2 {
            return Err(err("must have at most 2 decimal places"));
        }
        if value > max_amount() {
            return Err(err("must be at most 10000000000000"));
        }
        let currency = Currency::parse(currency)?;
        let mut amount = value.abs();
        amount.rescale(2);
        Ok(Money { amount, currency })
    }

    /// Zero in the given currency, e.g. as the start of a sum.
    pub fn zero(currency: Currency) -> Money {
        Money::from_minor_units(0, currency)
    }

    /// The amount, always with two decimal places.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency of the amount.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is strictly greater than zero (e.g. a real deal value).
    pub fn is_positive(&self) -> bool {
        self.amount > Decimal::ZERO
    }

    /// The amount in cents, the exact integer form used for storage.
    pub fn to_minor_units(&self) -> i64 {
        let mut a = self.amount;
        a.rescale(2);
        let units = a.mantissa();
        // The scale-2 invariant and construction bounds keep this within i64.
        i64::try_from(units).unwrap_or(if units < 0 { i64::MIN } else { i64::MAX })
    }

    /// Rebuilds money from cents, e.g. when reading from storage.
    pub fn from_minor_units(units: i64, currency: Currency) -> Money {
        Money {
            amount: Decimal::new(units, 2),
            currency,
        }
    }

    /// The amount as text with exactly two decimals, e.g. `"1200.00"`.
    pub fn amount_string(&self) -> String {
        let mut a = self.amount;
        a.rescale(2);
        a.to_string()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn currency_parse() {
        assert_eq!(Currency::parse("CNY"), Ok(Currency::cny()));
        assert_eq!(Currency::parse("USD").unwrap().as_str(), "USD");
        for bad in ["cny", "CN", "CNYY", "C1Y", ""] {
            assert_eq!(Currency::parse(bad).unwrap_err().field, "currency");
        }
    }

    #[test]
    fn parses_amounts() {
        let m = Money::parse("1200", "CNY", "amount").unwrap();
        assert_eq!(m.amount_string(), "1200.00");
        assert_eq!(m.to_minor_units(), 120_000);
        assert_eq!(
            Money::parse("0.5", "CNY", "amount")
                .unwrap()
                .amount_string(),
            "0.50"
        );
        assert_eq!(
            Money::parse("1.500", "CNY", "amount")
                .unwrap()
                .amount_string(),
            "1.50"
        );
        assert_eq!(
            Money::parse("10000000000000", "CNY", "amount")
                .unwrap()
                .to_minor_units(),
            1_000_000_000_000_000
        );
        assert!(!Money::parse("0", "CNY", "amount").unwrap().is_positive());
    }

    #[test]
    fn rejects_bad_amounts() {
        for bad in [
            "",
            "-1",
            "1.234",
            "abc",
            "1e5",
            "1.2.3",
            "10000000000000.01",
            ".",
        ] {
            let err = Money::parse(bad, "CNY", "dealAmount").unwrap_err();
            assert_eq!(err.field, "dealAmount", "{bad}");
        }
        assert_eq!(
            Money::parse("1", "yen", "amount").unwrap_err().field,
            "currency"
        );
    }

    #[test]
    fn display() {
        let m = Money::from_minor_units(123_456, Currency::cny());
        assert_eq!(m.to_string(), "1234.56 CNY");
    }

    proptest! {
        #[test]
        fn minor_units_round_trip(units in 0i64..=1_000_000_000_000_000) {
            let m = Money::from_minor_units(units, Currency::cny());
            prop_assert_eq!(m.to_minor_units(), units);
            let reparsed = Money::parse(&m.amount_string(), "CNY", "amount").unwrap();
            prop_assert_eq!(reparsed, m);
        }
    }
}
