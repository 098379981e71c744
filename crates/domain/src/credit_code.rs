//! China's 18-character unified social credit code (统一社会信用代码, GB 32100-2015).

use std::fmt;

use crate::FieldError;

/// The 31 characters allowed in a code, in value order (no I, O, S, V, Z).
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights applied to positions 1–17 when computing the check character.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

const FIELD: &str = "creditCode";

/// A validated unified social credit code, identifying a Chinese company;
/// used to de-duplicate customers.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn char_value(c: char) -> Option<u32> {
    CHARSET.find(c).and_then(|i| u32::try_from(i).ok())
}

fn value_char(v: u32) -> Option<char> {
    CHARSET.chars().nth(usize::try_from(v).ok()?)
}

impl CreditCode {
    /// Validates user input: trims, uppercases, then checks length, charset and check character.
    pub fn parse(input: &str) -> Result<CreditCode, FieldError> {
        let code = input.trim().to_uppercase();
        let len = code.chars().count();
        if len != 18 {
            return Err(FieldError::new(
                FIELD,
                format!("must be 18 characters, got {len}"),
            ));
        }
        if let Some(bad) = code.chars().find(|c| char_value(*c).is_none()) {
            return Err(FieldError::new(
                FIELD,
                format!("contains invalid character {bad:?}"),
            ));
        }
        let (first17, last) = code.split_at(17);
        if Self::check_char(first17).map(String::from).as_deref() != Some(last) {
            return Err(FieldError::new(FIELD, "check digit does not match"));
        }
        Ok(CreditCode(code))
    }

    /// The canonical (uppercase) code.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Computes the 18th (check) character for the first 17, so seed code can
    /// generate valid codes; `None` unless given exactly 17 valid characters.
    pub fn check_char(first17: &str) -> Option<char> {
        if first17.chars().count() != 17 {
            return None;
        }
        let mut sum = 0u32;
        for (c, w) in first17.chars().zip(WEIGHTS) {
            sum += char_value(c)? * w;
        }
        let check = (31 - sum % 31) % 31;
        value_char(check)
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const KNOWN: &str = "91350100M000100Y43";

    #[test]
    fn accepts_published_code() {
        let code = CreditCode::parse(KNOWN).unwrap();
        assert_eq!(code.as_str(), KNOWN);
        assert_eq!(CreditCode::check_char(&KNOWN[..17]), Some('3'));
    }

    #[test]
    fn normalises_case_and_whitespace() {
        let code = CreditCode::parse("  91350100m000100y43 ").unwrap();
        assert_eq!(code.to_string(), KNOWN);
    }

    #[test]
    fn rejects_changed_check_digit() {
        let err = CreditCode::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(err.field, "creditCode");
        assert_eq!(err.message, "check digit does not match");
    }

    #[test]
    fn distinct_messages() {
        let len = CreditCode::parse("9135").unwrap_err().message;
        let chr = CreditCode::parse("91350100M000100I43").unwrap_err().message;
        let chk = CreditCode::parse("91350100M000100Y44").unwrap_err().message;
        assert!(len.contains("18 characters"));
        assert!(chr.contains("invalid character"));
        assert_ne!(len, chr);
        assert_ne!(chr, chk);
    }

    #[test]
    fn check_char_rejects_bad_input() {
        assert_eq!(CreditCode::check_char("123"), None);
        assert_eq!(CreditCode::check_char("91350100M000100O4"), None);
    }

    fn first17() -> impl Strategy<Value = String> {
        let chars: Vec<char> = CHARSET.chars().collect();
        proptest::collection::vec(proptest::sample::select(chars), 17)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn generated_codes_parse(body in first17()) {
            let check = CreditCode::check_char(&body).unwrap();
            let full = format!("{body}{check}");
            let code = CreditCode::parse(&full).unwrap();
            prop_assert_eq!(code.as_str(), full.as_str());
        }

        #[test]
        fn any_single_change_is_detected(
            body in first17(),
            pos in 0usize..18,
            replacement in proptest::sample::select(CHARSET.chars().collect::<Vec<_>>()),
        ) {
            let check = CreditCode::check_char(&body).unwrap();
            let mut chars: Vec<char> = format!("{body}{check}").chars().collect();
            prop_assume!(chars[pos] != replacement);
            chars[pos] = replacement;
            let mutated: String = chars.into_iter().collect();
            prop_assert!(CreditCode::parse(&mutated).is_err());
        }
    }
}
