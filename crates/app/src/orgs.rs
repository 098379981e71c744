//! Organizations, teams and users (S1, S2).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use dealdesk_domain::{check_text, validate_password, Email, FieldError, OrgId, Role, TeamId, UserId};
use dealdesk_persistence::entities::{orgs, teams, users};
use dealdesk_persistence::users as repo;
use sea_orm::{ConnectionTrait, DbErr, SqlErr, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::auth::{hash_password, AuthTokens};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::principal::{Actor, Principal};
use crate::App;

/// The time zone of an org that does not name one.
pub const DEFAULT_TIME_ZONE: &str = "Asia/Shanghai";

/// Input of `signUp`.
#[derive(Clone, Debug)]
pub struct SignUp {
    pub org_name: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub time_zone: Option<String>,
}

/// Input of `createUser`.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub password: String,
    pub role: Role,
    pub team_id: Option<TeamId>,
    pub manager_id: Option<UserId>,
    pub joined_at: Option<DateTime<Utc>>,
}

/// Input of `updateTeam`.
#[derive(Clone, Debug)]
pub struct TeamChange {
    pub id: TeamId,
    pub name: Option<String>,
    pub manager_id: Option<UserId>,
}

/// Maps a unique-index violation to `CONFLICT` on `field`.
pub(crate) fn conflict_on(error: DbErr, field: &str, message: &str) -> AppError {
    if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) {
        AppError::Conflict {
            message: message.to_string(),
            fields: vec![field.to_string()],
        }
    } else {
        error.into()
    }
}

/// The audit view of a user: never the password hash.
pub(crate) fn user_json(user: &users::Model) -> serde_json::Value {
    json!({
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "teamId": user.team_id,
        "managerId": user.manager_id,
        "joinedAt": user.joined_at,
        "active": user.active,
    })
}

fn team_json(team: &teams::Model) -> serde_json::Value {
    json!({ "name": team.name, "managerId": team.manager_id })
}

impl App {
    /// Creates an org with its default stages and its first admin, and signs them in.
    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, input: SignUp) -> AppResult<AuthTokens> {
        if !self.config.allow_signup {
            return Err(AppError::forbidden("sign-up is disabled on this server"));
        }
        let mut errors = FieldErrors::new();
        let org_name = errors.take(check_text("orgName", &input.org_name, 100));
        let name = errors.take(check_text("name", &input.name, 100));
        let email = errors.take(Email::parse(&input.email));
        errors.take(validate_password(&input.password));
        let time_zone = errors.take(parse_time_zone(input.time_zone.as_deref()));
        errors.finish()?;
        let (Some(org_name), Some(name), Some(email), Some(time_zone)) = (org_name, name, email, time_zone) else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let password_hash = hash_password(&input.password)?;
        let now = self.now();
        let org = orgs::Model {
            id: Uuid::now_v7(),
            name: org_name,
            time_zone,
            created_at: now,
        };
        let admin = users::Model {
            id: Uuid::now_v7(),
            org_id: org.id,
            email: email.as_str().to_string(),
            name,
            password_hash,
            role: Role::Admin.as_str().to_string(),
            team_id: None,
            manager_id: None,
            joined_at: now,
            active: true,
            created_at: now,
        };
        let principal = Principal {
            org_id: OrgId::from_uuid(org.id),
            actor: Actor::User(UserId::from_uuid(admin.id)),
            role: Role::Admin,
        };
        let txn = self.db.begin().await?;
        repo::insert_org(&txn, org.clone()).await?;
        repo::insert(&txn, admin.clone())
            .await
            .map_err(|error| conflict_on(error, "email", "an account with this email already exists"))?;
        self.create_default_stages(&txn, principal.org_id, now).await?;
        audit::record(
            &txn,
            &principal,
            now,
            Change::created("org.sign_up", "org", org.id, json!({ "name": org.name, "timeZone": org.time_zone, "admin": user_json(&admin) })),
        )
        .await?;
        let tokens = self.issue_tokens(&txn, admin, None).await?;
        txn.commit().await?;
        Ok(tokens)
    }

    /// Creates a team (admin).
    pub async fn create_team(&self, principal: &Principal, name: &str, manager_id: Option<UserId>) -> AppResult<teams::Model> {
        principal.require_admin()?;
        let name = check_text("name", name, 100)?;
        let txn = self.db.begin().await?;
        if let Some(manager_id) = manager_id {
            check_manager(&txn, principal.org_id, manager_id, "managerId").await?;
        }
        if repo::find_team_by_name(&txn, principal.org_id, &name).await?.is_some() {
            return Err(AppError::Conflict {
                message: "a team with this name already exists".into(),
                fields: vec!["name".into()],
            });
        }
        let now = self.now();
        let team = teams::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            name,
            manager_id: manager_id.map(UserId::into_uuid),
            created_at: now,
        };
        let team = repo::insert_team(&txn, team)
            .await
            .map_err(|error| conflict_on(error, "name", "a team with this name already exists"))?;
        audit::record(&txn, principal, now, Change::created("team.create", "team", team.id, team_json(&team))).await?;
        txn.commit().await?;
        Ok(team)
    }

    /// Renames a team or changes its manager (admin).
    pub async fn update_team(&self, principal: &Principal, change: TeamChange) -> AppResult<teams::Model> {
        principal.require_admin()?;
        let txn = self.db.begin().await?;
        let before = repo::find_team(&txn, principal.org_id, change.id)
            .await?
            .ok_or(AppError::NotFound("team"))?;
        let mut after = before.clone();
        if let Some(name) = change.name {
            after.name = check_text("name", &name, 100)?;
            if after.name != before.name && repo::find_team_by_name(&txn, principal.org_id, &after.name).await?.is_some() {
                return Err(AppError::Conflict {
                    message: "a team with this name already exists".into(),
                    fields: vec!["name".into()],
                });
            }
        }
        if let Some(manager_id) = change.manager_id {
            check_manager(&txn, principal.org_id, manager_id, "managerId").await?;
            after.manager_id = Some(manager_id.into_uuid());
        }
        let after = repo::update_team(&txn, after).await?;
        let now = self.now();
        audit::record(&txn, principal, now, Change::updated("team.update", "team", after.id, team_json(&before), team_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Creates a user in the caller's org (admin).
    #[tracing::instrument(skip_all)]
    pub async fn create_user(&self, principal: &Principal, input: NewUser) -> AppResult<users::Model> {
        principal.require_admin()?;
        let mut errors = FieldErrors::new();
        let email = errors.take(Email::parse(&input.email));
        let name = errors.take(check_text("name", &input.name, 100));
        errors.take(validate_password(&input.password));
        let now = self.now();
        if input.joined_at.is_some_and(|joined| joined > now + chrono::Duration::days(366)) {
            errors.push("joinedAt", "must not be more than a year ahead");
        }
        let txn = self.db.begin().await?;
        if let Some(team_id) = input.team_id {
            if repo::find_team(&txn, principal.org_id, team_id).await?.is_none() {
                errors.push("teamId", "no such team in this organization");
            }
        }
        if let Some(manager_id) = input.manager_id {
            errors.take(check_manager(&txn, principal.org_id, manager_id, "managerId").await.map_err(into_field_error("managerId")));
        }
        errors.finish()?;
        let (Some(email), Some(name)) = (email, name) else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let user = users::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            email: email.as_str().to_string(),
            name,
            password_hash: hash_password(&input.password)?,
            role: input.role.as_str().to_string(),
            team_id: input.team_id.map(TeamId::into_uuid),
            manager_id: input.manager_id.map(UserId::into_uuid),
            joined_at: input.joined_at.unwrap_or(now),
            active: true,
            created_at: now,
        };
        let user = repo::insert(&txn, user)
            .await
            .map_err(|error| conflict_on(error, "email", "an account with this email already exists"))?;
        audit::record(&txn, principal, now, Change::created("user.create", "user", user.id, user_json(&user))).await?;
        txn.commit().await?;
        Ok(user)
    }

    /// The signed-in user.
    pub async fn me(&self, principal: &Principal) -> AppResult<users::Model> {
        let id = principal.user_id()?;
        repo::find(&self.db, principal.org_id, id).await?.ok_or(AppError::NotFound("user"))
    }

    /// The caller's org.
    pub async fn org(&self, principal: &Principal) -> AppResult<orgs::Model> {
        repo::find_org(&self.db, principal.org_id).await?.ok_or(AppError::NotFound("org"))
    }

    /// The org's people (any signed-in member may look up colleagues).
    pub async fn users(&self, principal: &Principal) -> AppResult<Vec<users::Model>> {
        Ok(repo::list(&self.db, principal.org_id).await?)
    }

    /// The org's teams.
    pub async fn teams(&self, principal: &Principal) -> AppResult<Vec<teams::Model>> {
        Ok(repo::list_teams(&self.db, principal.org_id).await?)
    }
}

fn into_field_error(field: &'static str) -> impl Fn(AppError) -> FieldError {
    move |error| FieldError::new(field, error.to_string())
}

/// A manager must be an active user of the org with role MANAGER or ADMIN.
async fn check_manager<C: ConnectionTrait>(conn: &C, org: OrgId, manager_id: UserId, field: &str) -> AppResult<users::Model> {
    let manager = repo::find(conn, org, manager_id)
        .await?
        .filter(|user| user.active)
        .ok_or_else(|| AppError::bad_input(field, "no such user in this organization"))?;
    if manager.role != Role::Manager.as_str() && manager.role != Role::Admin.as_str() {
        return Err(AppError::bad_input(field, "must be a user with role MANAGER or ADMIN"));
    }
    Ok(manager)
}

fn parse_time_zone(time_zone: Option<&str>) -> Result<String, FieldError> {
    let name = time_zone.map(str::trim).unwrap_or(DEFAULT_TIME_ZONE);
    name.parse::<chrono_tz::Tz>()
        .map(|tz| tz.name().to_string())
        .map_err(|_| FieldError::new("timeZone", "must be an IANA time zone such as Asia/Shanghai"))
}

/// The org's time zone (Asia/Shanghai if the stored name is not one), read
/// through `conn` (a transaction's own connection where one is open).
pub(crate) async fn org_time_zone<C: ConnectionTrait>(conn: &C, org: OrgId) -> AppResult<Tz> {
    let row = repo::find_org(conn, org).await?.ok_or(AppError::NotFound("org"))?;
    Ok(row.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai))
}

/// The org's calendar day at `at`. Due dates, payment dates and statement
/// months are days of the org's time zone, not of UTC: at 07:00 in
/// Shanghai, UTC is still on the day before.
pub(crate) async fn org_day<C: ConnectionTrait>(conn: &C, org: OrgId, at: DateTime<Utc>) -> AppResult<NaiveDate> {
    Ok(at.with_timezone(&org_time_zone(conn, org).await?).date_naive())
}

/// Bounds of the calendar day at `at` across every time zone (UTC−12 to
/// UTC+14): the jobs that cover all orgs select with these, then check each
/// row against its own org's day.
pub(crate) fn days_anywhere(at: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    ((at - chrono::Duration::hours(12)).date_naive(), (at + chrono::Duration::hours(14)).date_naive())
}
