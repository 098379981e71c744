//! Typed identifiers, so a `DealId` can never be passed where a `CustomerId` is expected.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// Returned when a string is not a valid UUID for an id type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: {input}")]
pub struct IdParseError {
    /// Name of the id type that failed to parse, e.g. `DealId`.
    pub kind: &'static str,
    /// The rejected input, echoed for diagnostics.
    pub input: String,
}

macro_rules! define_id {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Mints a fresh time-ordered (v7) id, so ids sort roughly by creation.
            #[allow(clippy::new_without_default)]
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            /// Wraps an existing UUID, e.g. one read from storage.
            pub const fn from_uuid(uuid: Uuid) -> Self {
                Self(uuid)
            }

            /// Unwraps the UUID, e.g. to store it.
            pub const fn into_uuid(self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl FromStr for $name {
            type Err = IdParseError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s.trim())
                    .map(Self)
                    .map_err(|_| IdParseError {
                        kind: stringify!($name),
                        input: s.to_owned(),
                    })
            }
        }
    )+};
}

define_id! {
    /// Identifies an organisation (tenant); every other record belongs to one.
    OrgId,
    /// Identifies a user account.
    UserId,
    /// Identifies a sales team, the unit of a manager's data scope.
    TeamId,
    /// Identifies a customer company.
    CustomerId,
    /// Identifies a person at a customer.
    ContactId,
    /// Identifies a deal (opportunity) in the pipeline.
    DealId,
    /// Identifies a logged sales activity (call, visit, ...).
    ActivityId,
    /// Identifies one recorded stage transition of a deal.
    TransitionId,
    /// Identifies an assignment of a record to an owner.
    AssignmentId,
    /// Identifies an API key used by integrations.
    ApiKeyId,
    /// Identifies an audit-log entry.
    AuditEntryId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_parse_round_trip() {
        let id = DealId::new();
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(text.parse::<DealId>(), Ok(id));
    }

    #[test]
    fn rejects_garbage() {
        let err = "not-a-uuid".parse::<OrgId>().unwrap_err();
        assert_eq!(err.kind, "OrgId");
    }

    #[test]
    fn uuid_conversions_round_trip() {
        let uuid = Uuid::new_v4();
        assert_eq!(UserId::from_uuid(uuid).into_uuid(), uuid);
    }
}
