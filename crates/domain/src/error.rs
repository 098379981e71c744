//! The one validation error type shared by every layer.

/// A rule broken by input; names the offending input field (GraphQL input field name, camelCase).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    /// The GraphQL input field name (camelCase) the client should highlight.
    pub field: String,
    /// Lowercase human-readable explanation, without a trailing dot.
    pub message: String,
}

impl FieldError {
    /// Builds an error for `field` so callers don't spell out struct literals.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_field_and_message() {
        let err = FieldError::new("email", "is required");
        assert_eq!(err.to_string(), "email: is required");
    }
}
