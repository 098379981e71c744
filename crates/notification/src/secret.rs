//! A string that must never reach a log line.

use std::fmt;

/// A secret (robot secret, webhook signing key, SMTP password) whose `Debug`
/// is redacted, so a `tracing` field or a panic message cannot leak it.
///
/// It deliberately has no `Display`: reading the value takes an explicit
/// [`Secret::expose`] call that is easy to find in review.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value; the value is kept as given.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// Returns the value, for signing only; never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Secret([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("SEC-very-secret");
        let shown = format!("{secret:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert_eq!(secret.expose(), "SEC-very-secret");
    }
}
