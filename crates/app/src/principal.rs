//! Who is calling, from a verified token or API key, and what they may see.

use dealdesk_domain::{ApiKeyId, DataScope, OrgId, Role, UserId};
use sea_orm::ConnectionTrait;

use crate::error::{AppError, AppResult};

/// The acting party recorded on every write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in person.
    User(UserId),
    /// An integration using an API key.
    ApiKey(ApiKeyId),
    /// The system itself (jobs, seeding).
    System,
}

impl Actor {
    /// `USER`, `API_KEY` or `SYSTEM`, as stored in records.
    pub fn kind(self) -> &'static str {
        match self {
            Actor::User(_) => "USER",
            Actor::ApiKey(_) => "API_KEY",
            Actor::System => "SYSTEM",
        }
    }

    /// The acting user's or key's id, if any.
    pub fn id(self) -> Option<uuid::Uuid> {
        match self {
            Actor::User(id) => Some(id.into_uuid()),
            Actor::ApiKey(id) => Some(id.into_uuid()),
            Actor::System => None,
        }
    }
}

/// A verified caller. The org id comes only from here, never from input.
#[derive(Clone, Debug)]
pub struct Principal {
    /// The caller's organization; every query is scoped to it.
    pub org_id: OrgId,
    /// The user, key or system acting.
    pub actor: Actor,
    /// What the caller may do.
    pub role: Role,
}

/// The owners whose deals, customers and activities a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnerScope {
    /// The whole org.
    All,
    /// Only records owned by these users.
    Owners(Vec<uuid::Uuid>),
}

impl OwnerScope {
    /// Whether a record owned by `owner` is visible.
    pub fn allows(&self, owner: uuid::Uuid) -> bool {
        match self {
            OwnerScope::All => true,
            OwnerScope::Owners(owners) => owners.contains(&owner),
        }
    }
}

impl Principal {
    /// The signed-in user's id, or `FORBIDDEN` for keys and the system.
    pub fn user_id(&self) -> AppResult<UserId> {
        match self.actor {
            Actor::User(id) => Ok(id),
            _ => Err(AppError::forbidden("this operation needs a signed-in user")),
        }
    }

    /// Refuses unless the caller has one of `roles`.
    pub fn require_role(&self, roles: &[Role]) -> AppResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::forbidden(format!(
                "role {} may not do this",
                self.role.as_str()
            )))
        }
    }

    /// Refuses unless the caller is an admin.
    pub fn require_admin(&self) -> AppResult<()> {
        self.require_role(&[Role::Admin])
    }

    /// Resolves the caller's data scope (S2): a rep sees own records, a
    /// manager the records of the people they manage (directly or as a
    /// team's manager) and their own, an admin or an API key the whole org.
    pub async fn owner_scope<C: ConnectionTrait>(&self, conn: &C) -> AppResult<OwnerScope> {
        let user_id = match self.actor {
            Actor::User(id) => id,
            Actor::ApiKey(_) | Actor::System => return Ok(OwnerScope::All),
        };
        match self.role.data_scope() {
            DataScope::Org => Ok(OwnerScope::All),
            DataScope::Own => Ok(OwnerScope::Owners(vec![user_id.into_uuid()])),
            DataScope::Team => {
                let mut owners =
                    dealdesk_persistence::users::managed_user_ids(conn, self.org_id, user_id).await?;
                owners.push(user_id.into_uuid());
                owners.sort();
                owners.dedup();
                Ok(OwnerScope::Owners(owners))
            }
        }
    }
}
