//! User roles and the data scope each role sees.

use crate::FieldError;

/// What a user does in the organisation; drives permissions and data scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    /// Sales representative owning their own customers and deals.
    Rep,
    /// Sales manager overseeing a team.
    Manager,
    /// Marketing staff producing leads.
    Marketing,
    /// Technical pre-sales / support.
    Tech,
    /// Delivery / implementation staff.
    Delivery,
    /// Finance staff handling payments and invoices.
    Finance,
    /// Legal staff handling contracts.
    Legal,
    /// Organisation administrator with full access.
    Admin,
}

/// How much of the organisation's data a role may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DataScope {
    /// Only records the user owns.
    Own,
    /// Records owned by anyone in the user's team.
    Team,
    /// Every record in the organisation.
    Org,
}

impl Role {
    /// Every role, for listings and exhaustive tests.
    pub const ALL: [Role; 8] = [
        Role::Rep,
        Role::Manager,
        Role::Marketing,
        Role::Tech,
        Role::Delivery,
        Role::Finance,
        Role::Legal,
        Role::Admin,
    ];

    /// The stable wire/storage name, e.g. `"REP"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Rep => "REP",
            Role::Manager => "MANAGER",
            Role::Marketing => "MARKETING",
            Role::Tech => "TECH",
            Role::Delivery => "DELIVERY",
            Role::Finance => "FINANCE",
            Role::Legal => "LEGAL",
            Role::Admin => "ADMIN",
        }
    }

    /// Parses a wire/storage name (exact, uppercase) back into a role.
    pub fn parse(s: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| FieldError::new("role", format!("unknown role {s:?}")))
    }

    /// Which records this role may see by default.
    pub fn data_scope(self) -> DataScope {
        match self {
            Role::Admin => DataScope::Org,
            Role::Manager => DataScope::Team,
            _ => DataScope::Own,
        }
    }

    /// Whether the role takes part in selling (may own customers and deals).
    pub fn is_sales(self) -> bool {
        matches!(
            self,
            Role::Rep | Role::Manager | Role::Marketing | Role::Admin
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_role() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }

    #[test]
    fn rejects_unknown_role() {
        let err = Role::parse("CEO").unwrap_err();
        assert_eq!(err.field, "role");
        assert!(Role::parse("rep").is_err());
    }

    #[test]
    fn scopes() {
        assert_eq!(Role::Admin.data_scope(), DataScope::Org);
        assert_eq!(Role::Manager.data_scope(), DataScope::Team);
        assert_eq!(Role::Rep.data_scope(), DataScope::Own);
        assert_eq!(Role::Finance.data_scope(), DataScope::Own);
    }

    #[test]
    fn sales_roles() {
        let sales: Vec<Role> = Role::ALL.into_iter().filter(|r| r.is_sales()).collect();
        assert_eq!(
            sales,
            [Role::Rep, Role::Manager, Role::Marketing, Role::Admin]
        );
    }
}
