//! Maps use-case errors to GraphQL errors with a stable `extensions.code`.

use async_graphql::{Context, ErrorExtensions};
use dealdesk_app::{AppError, AppResult, Principal};

use crate::RequestAuth;

/// Converts an [`AppError`] into a GraphQL error carrying `code` and `fields`.
pub fn to_graphql(error: AppError) -> async_graphql::Error {
    let code = error.code().as_str();
    let fields = error.fields();
    let message = error.to_string();
    let retry_after = match &error {
        AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
        _ => None,
    };
    async_graphql::Error::new(message).extend_with(|_, extensions| {
        extensions.set("code", code);
        if !fields.is_empty() {
            extensions.set("fields", fields.clone());
        }
        if let Some(seconds) = retry_after {
            extensions.set("retryAfterSeconds", seconds);
        }
    })
}

/// `?`-friendly conversion of use-case results.
pub trait ResultExt<T> {
    /// Maps the error to a GraphQL error.
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> ResultExt<T> for AppResult<T> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_graphql)
    }
}

/// The verified caller, or `UNAUTHENTICATED`.
pub fn principal<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Principal> {
    ctx.data_opt::<RequestAuth>()
        .and_then(|auth| auth.principal.as_ref())
        .ok_or_else(|| to_graphql(AppError::Unauthenticated("sign in first".into())))
}

/// Parses an id argument; a malformed id is reported like an unknown one.
pub fn parse_id<T: std::str::FromStr>(field: &str, id: &async_graphql::ID) -> AppResult<T> {
    id.parse::<T>()
        .map_err(|_| AppError::bad_input(field, "is not a valid id"))
}

/// Parses an optional id argument (`field` names it when malformed).
pub fn optional_id<T: std::str::FromStr>(field: &str, id: Option<&async_graphql::ID>) -> AppResult<Option<T>> {
    id.map(|id| parse_id::<T>(field, id)).transpose()
}

/// Parses an id used for a lookup: malformed ids are simply not found.
pub fn lookup_id<T: std::str::FromStr>(entity: &'static str, id: &async_graphql::ID) -> AppResult<T> {
    id.parse::<T>().map_err(|_| AppError::NotFound(entity))
}
