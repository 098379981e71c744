//! Stored first responses of mutations sent with an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, SqlErr};

use crate::entities::idempotency_keys;

/// Claims `(principal, key)` for a new request. Returns `Ok(None)` when
/// claimed, or the existing row when the key was used before.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    org: Uuid,
    principal: &str,
    key: &str,
    request_hash: &str,
    at: DateTime<Utc>,
) -> Result<Option<idempotency_keys::Model>, DbErr> {
    let row = idempotency_keys::Model {
        id: Uuid::now_v7(),
        org_id: org,
        principal: principal.to_string(),
        key: key.to_string(),
        request_hash: request_hash.to_string(),
        status: "PENDING".to_string(),
        response: None,
        created_at: at,
    };
    match idempotency_keys::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
    {
        Ok(_) => Ok(None),
        Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            idempotency_keys::Entity::find()
                .filter(idempotency_keys::Column::Principal.eq(principal))
                .filter(idempotency_keys::Column::Key.eq(key))
                .one(conn)
                .await
        }
        Err(error) => Err(error),
    }
}

/// Stores the response of a claimed key.
pub async fn complete<C: ConnectionTrait>(conn: &C, principal: &str, key: &str, response: serde_json::Value) -> Result<(), DbErr> {
    idempotency_keys::Entity::update_many()
        .col_expr(idempotency_keys::Column::Status, Expr::value("DONE"))
        .col_expr(idempotency_keys::Column::Response, Expr::value(response))
        .filter(idempotency_keys::Column::Principal.eq(principal))
        .filter(idempotency_keys::Column::Key.eq(key))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Releases a claimed key whose request failed (nothing was written, so a retry may run).
pub async fn release<C: ConnectionTrait>(conn: &C, principal: &str, key: &str) -> Result<(), DbErr> {
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::Principal.eq(principal))
        .filter(idempotency_keys::Column::Key.eq(key))
        .filter(idempotency_keys::Column::Status.eq("PENDING"))
        .exec(conn)
        .await
        .map(|_| ())
}
