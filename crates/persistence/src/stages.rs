//! The org's pipeline stages.

use dealdesk_domain::OrgId;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};

use crate::entities::stages;

/// The org's stages in pipeline order.
pub async fn list<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<stages::Model>, DbErr> {
    stages::Entity::find()
        .filter(stages::Column::OrgId.eq(org.into_uuid()))
        .order_by_asc(stages::Column::Position)
        .all(conn)
        .await
}

/// Adds stages.
pub async fn insert_many<C: ConnectionTrait>(conn: &C, rows: Vec<stages::Model>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    stages::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Replaces a stage row with new values.
pub async fn update<C: ConnectionTrait>(conn: &C, row: stages::Model) -> Result<stages::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}
