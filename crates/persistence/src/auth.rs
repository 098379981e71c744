//! Refresh tokens, API keys and login failures.

use chrono::{DateTime, Utc};
use dealdesk_domain::{ApiKeyId, OrgId};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder,
};

use crate::entities::{api_keys, login_failures, refresh_tokens};

/// Adds a refresh token (stored hashed).
pub async fn insert_refresh_token<C: ConnectionTrait>(conn: &C, token: refresh_tokens::Model) -> Result<(), DbErr> {
    refresh_tokens::Entity::insert(token.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// A refresh token by the hash of its value.
pub async fn find_refresh_token<C: ConnectionTrait>(conn: &C, hash: &str) -> Result<Option<refresh_tokens::Model>, DbErr> {
    refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(hash))
        .one(conn)
        .await
}

/// Marks a token spent; false when another request spent it first.
pub async fn mark_refresh_token_used<C: ConnectionTrait>(conn: &C, id: Uuid, at: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::UsedAt, Expr::value(at))
        .filter(refresh_tokens::Column::Id.eq(id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes every token of a login's rotation family.
pub async fn revoke_family<C: ConnectionTrait>(conn: &C, family_id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(at))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(conn)
        .await
        .map(|_| ())
}

/// Which throttling bucket a failure counts against.
pub enum FailureKey<'a> {
    /// The account (normalized email).
    Account(&'a str),
    /// The client address.
    Address(&'a str),
}

/// How many failures a bucket has since `since`, and the oldest one's time.
pub async fn failures_since<C: ConnectionTrait>(
    conn: &C,
    key: FailureKey<'_>,
    since: DateTime<Utc>,
) -> Result<(u64, Option<DateTime<Utc>>), DbErr> {
    let filter = match key {
        FailureKey::Account(account) => login_failures::Column::AccountKey.eq(account),
        FailureKey::Address(address) => login_failures::Column::IpKey.eq(address),
    };
    let select = login_failures::Entity::find()
        .filter(filter)
        .filter(login_failures::Column::FailedAt.gt(since));
    let count = select.clone().count(conn).await?;
    if count == 0 {
        return Ok((0, None));
    }
    let oldest = select
        .order_by_asc(login_failures::Column::FailedAt)
        .one(conn)
        .await?
        .map(|row| row.failed_at);
    Ok((count, oldest))
}

/// Records a failed login.
pub async fn record_failure<C: ConnectionTrait>(conn: &C, account: &str, address: &str, at: DateTime<Utc>) -> Result<(), DbErr> {
    login_failures::ActiveModel {
        id: Set(Uuid::now_v7()),
        account_key: Set(account.to_string()),
        ip_key: Set(address.to_string()),
        failed_at: Set(at),
    }
    .insert(conn)
    .await
    .map(|_| ())
}

/// Forgets an account's failures after a successful login.
pub async fn clear_account_failures<C: ConnectionTrait>(conn: &C, account: &str) -> Result<(), DbErr> {
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::AccountKey.eq(account))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Adds an API key (stored hashed).
pub async fn insert_api_key<C: ConnectionTrait>(conn: &C, key: api_keys::Model) -> Result<(), DbErr> {
    api_keys::Entity::insert(key.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// An API key by the hash of its value.
pub async fn find_api_key<C: ConnectionTrait>(conn: &C, hash: &str) -> Result<Option<api_keys::Model>, DbErr> {
    api_keys::Entity::find()
        .filter(api_keys::Column::KeyHash.eq(hash))
        .one(conn)
        .await
}

/// An API key of the org by id.
pub async fn find_api_key_in_org<C: ConnectionTrait>(conn: &C, org: OrgId, id: ApiKeyId) -> Result<Option<api_keys::Model>, DbErr> {
    api_keys::Entity::find_by_id(id.into_uuid())
        .filter(api_keys::Column::OrgId.eq(org.into_uuid()))
        .one(conn)
        .await
}

/// Records that a key was used (at most once a minute, by the caller).
pub async fn touch_api_key<C: ConnectionTrait>(conn: &C, id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    api_keys::Entity::update_many()
        .col_expr(api_keys::Column::LastUsedAt, Expr::value(at))
        .filter(api_keys::Column::Id.eq(id))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Revokes a key.
pub async fn revoke_api_key<C: ConnectionTrait>(conn: &C, key: api_keys::Model, at: DateTime<Utc>) -> Result<api_keys::Model, DbErr> {
    let mut active = key.into_active_model();
    active.revoked_at = Set(Some(at));
    active.update(conn).await
}

/// The org's keys, newest first.
pub async fn list_api_keys<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<api_keys::Model>, DbErr> {
    api_keys::Entity::find()
        .filter(api_keys::Column::OrgId.eq(org.into_uuid()))
        .order_by_desc(api_keys::Column::CreatedAt)
        .all(conn)
        .await
}
