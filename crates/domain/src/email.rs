//! Email addresses (login identity) and password rules.

use std::fmt;

use crate::FieldError;

/// A normalised (trimmed, lowercase) email address used as a login name.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Validates and normalises user input; deliberately pragmatic, not full RFC 5322.
    pub fn parse(input: &str) -> Result<Email, FieldError> {
        let err = |m: &str| FieldError::new("email", m);
        let email = input.trim().to_lowercase();
        if email.is_empty() {
            return Err(err("is required"));
        }
        if email.chars().count() > 254 {
            return Err(err("must be at most 254 characters"));
        }
        if email.chars().any(char::is_whitespace) {
            return Err(err("must not contain whitespace"));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(err("must contain '@'"));
        };
        if domain.contains('@') {
            return Err(err("must contain exactly one '@'"));
        }
        if local.is_empty() {
            return Err(err("is missing the part before '@'"));
        }
        if !domain.contains('.') {
            return Err(err("domain must contain a '.'"));
        }
        if domain.starts_with('.') || domain.ends_with('.') {
            return Err(err("domain must not start or end with '.'"));
        }
        Ok(Email(email))
    }

    /// The normalised address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = FieldError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

/// Checks a new password's length (8–128 characters) so weak or absurd ones are refused early.
pub fn validate_password(p: &str) -> Result<(), FieldError> {
    let len = p.chars().count();
    if !(8..=128).contains(&len) {
        return Err(FieldError::new(
            "password",
            "must be between 8 and 128 characters",
        ));
    }
    if p.trim().is_empty() {
        return Err(FieldError::new("password", "must not be only whitespace"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises() {
        let e = Email::parse("  Alice@Example.COM ").unwrap();
        assert_eq!(e.as_str(), "alice@example.com");
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "alice",
            "a@b@c.com",
            "@example.com",
            "alice@localhost",
            "alice@.example.com",
            "alice@example.com.",
            "al ice@example.com",
        ] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn rejects_too_long() {
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(Email::parse(&long).is_err());
    }

    #[test]
    fn password_rules() {
        assert!(validate_password("correct horse").is_ok());
        assert!(validate_password("密码密码密码密码").is_ok());
        assert_eq!(validate_password("short").unwrap_err().field, "password");
        assert!(validate_password(&"x".repeat(129)).is_err());
        assert!(validate_password(&"x".repeat(128)).is_ok());
        assert!(validate_password("          ").is_err());
    }
}
