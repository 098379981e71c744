//! The one error type every use case returns, and the stable codes clients see.

use dealdesk_domain::FieldError;

/// The stable, client-visible error codes of API.md (`extensions.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    Unauthenticated,
    Forbidden,
    NotFound,
    BadInput,
    StageGateMissingFields,
    InvalidTransition,
    Conflict,
    ClientTooOld,
    RateLimited,
    TestClockDisabled,
    CustomerRiskFrozen,
    PaymentCheckRequired,
    Internal,
}

impl ErrorCode {
    /// The SCREAMING_SNAKE spelling sent in `extensions.code`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::BadInput => "BAD_INPUT",
            ErrorCode::StageGateMissingFields => "STAGE_GATE_MISSING_FIELDS",
            ErrorCode::InvalidTransition => "INVALID_TRANSITION",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::ClientTooOld => "CLIENT_TOO_OLD",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::TestClockDisabled => "TEST_CLOCK_DISABLED",
            ErrorCode::CustomerRiskFrozen => "CUSTOMER_RISK_FROZEN",
            ErrorCode::PaymentCheckRequired => "PAYMENT_CHECK_REQUIRED",
            ErrorCode::Internal => "INTERNAL",
        }
    }
}

/// Why a use case refused or failed. Every variant maps to one [`ErrorCode`].
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No credentials, or credentials that are invalid or expired.
    #[error("{0}")]
    Unauthenticated(String),
    /// Authenticated, but the role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The thing does not exist in the caller's org and scope (never says which).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that breaks a rule; every offending field is listed.
    #[error("invalid input: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    BadInput(Vec<FieldError>),
    /// A stage move lacks gate fields; every missing field is listed.
    #[error("stage {stage} requires: {}", .fields.join(", "))]
    StageGateMissingFields { stage: String, fields: Vec<String> },
    /// A move or state change the life-cycle does not allow.
    #[error("{0}")]
    InvalidTransition(String),
    /// A uniqueness rule: the named fields clash with an existing record.
    #[error("{message}")]
    Conflict { message: String, fields: Vec<String> },
    /// The client is older than the server's minimum supported version.
    #[error("client version {client} is older than the minimum {minimum}; please update")]
    ClientTooOld { client: String, minimum: String },
    /// Too many failed attempts; try again later.
    #[error("too many failed attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: i64 },
    /// The test clock operations are off unless `DEALDESK_TEST_CLOCK=1`.
    #[error("the test clock is disabled on this server")]
    TestClockDisabled,
    /// New contracts for a YELLOW or RED customer are frozen (R4).
    #[error("{0}")]
    CustomerRiskFrozen(String),
    /// Approval needs a passed payment-capability check (R2); the reasons say what is missing.
    #[error("{0}")]
    PaymentCheckRequired(String),
    /// A database or other infrastructure failure; details are logged, not shown.
    #[error("internal error")]
    Internal(String),
}

impl AppError {
    /// The stable code clients branch on.
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            AppError::Forbidden(_) => ErrorCode::Forbidden,
            AppError::NotFound(_) => ErrorCode::NotFound,
            AppError::BadInput(_) => ErrorCode::BadInput,
            AppError::StageGateMissingFields { .. } => ErrorCode::StageGateMissingFields,
            AppError::InvalidTransition(_) => ErrorCode::InvalidTransition,
            AppError::Conflict { .. } => ErrorCode::Conflict,
            AppError::ClientTooOld { .. } => ErrorCode::ClientTooOld,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::TestClockDisabled => ErrorCode::TestClockDisabled,
            AppError::CustomerRiskFrozen(_) => ErrorCode::CustomerRiskFrozen,
            AppError::PaymentCheckRequired(_) => ErrorCode::PaymentCheckRequired,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The input field names this error is about (`extensions.fields`).
    pub fn fields(&self) -> Vec<String> {
        match self {
            AppError::BadInput(errors) => {
                let mut fields: Vec<String> = Vec::new();
                for error in errors {
                    if !fields.contains(&error.field) {
                        fields.push(error.field.clone());
                    }
                }
                fields
            }
            AppError::StageGateMissingFields { fields, .. } => fields.clone(),
            AppError::Conflict { fields, .. } => fields.clone(),
            _ => Vec::new(),
        }
    }

    /// One bad field.
    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::BadInput(vec![FieldError::new(field, message)])
    }

    /// A permission refusal with a reason.
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::Forbidden(message.into())
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::BadInput(vec![error])
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::BadInput(errors)
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(error: sea_orm::DbErr) -> Self {
        tracing::error!(error = %error, "database error");
        AppError::Internal(error.to_string())
    }
}

impl<E: std::error::Error> From<sea_orm::TransactionError<E>> for AppError
where
    AppError: From<E>,
{
    fn from(error: sea_orm::TransactionError<E>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(inner) => inner.into(),
        }
    }
}

/// Shorthand for use-case results.
pub type AppResult<T> = Result<T, AppError>;

/// Collects field errors so a use case can report every problem at once.
#[derive(Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Starts an empty collection.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Keeps the value of a check, or records its error and yields `None`.
    pub fn take<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.0.push(error);
                None
            }
        }
    }

    /// Records one error.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// `Err(BadInput)` with every recorded error, or `Ok` when none.
    pub fn finish(self) -> AppResult<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::BadInput(self.0))
        }
    }
}
