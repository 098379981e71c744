//! The audit trail.

use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Select};

use crate::entities::audit_log;
use crate::page::{self, Keyset};

/// Adds an audit row.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: audit_log::Model) -> Result<(), DbErr> {
    audit_log::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Filters for [`list`].
#[derive(Clone, Debug, Default)]
pub struct AuditQuery {
    /// Only this record.
    pub entity_id: Option<Uuid>,
    /// Only this actor.
    pub actor_id: Option<Uuid>,
    /// Only this action.
    pub action: Option<String>,
}

fn filtered(org: OrgId, query: &AuditQuery) -> Select<audit_log::Entity> {
    let mut select = audit_log::Entity::find().filter(audit_log::Column::OrgId.eq(org.into_uuid()));
    if let Some(entity_id) = query.entity_id {
        select = select.filter(audit_log::Column::EntityId.eq(entity_id));
    }
    if let Some(actor_id) = query.actor_id {
        select = select.filter(audit_log::Column::ActorId.eq(actor_id));
    }
    if let Some(action) = &query.action {
        select = select.filter(audit_log::Column::Action.eq(action.as_str()));
    }
    select
}

/// A window of the org's audit rows and the total matching.
pub async fn list<C: ConnectionTrait>(conn: &C, org: OrgId, query: AuditQuery, keyset: Keyset) -> Result<(Vec<audit_log::Model>, u64), DbErr> {
    let total = filtered(org, &query).count(conn).await?;
    let rows = page::apply(filtered(org, &query), audit_log::Column::At, audit_log::Column::Id, &keyset)
        .all(conn)
        .await?;
    Ok((rows, total))
}
