//! Generated reports.

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{orgs, reports};

/// Stores a report unless the person already has one of that kind for the period; returns whether it was stored.
pub async fn insert_if_absent<C: ConnectionTrait>(conn: &C, row: reports::Model) -> Result<bool, DbErr> {
    let inserted = reports::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([reports::Column::OrgId, reports::Column::UserId, reports::Column::Kind, reports::Column::PeriodEnd])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await?;
    Ok(inserted == 1)
}

/// Whether the person has a report of that kind for the period.
pub async fn exists<C: ConnectionTrait>(conn: &C, org: OrgId, user: Uuid, kind: &str, period_end: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(reports::Entity::find()
        .select_only()
        .column(reports::Column::Id)
        .filter(reports::Column::OrgId.eq(org.into_uuid()))
        .filter(reports::Column::UserId.eq(user))
        .filter(reports::Column::Kind.eq(kind))
        .filter(reports::Column::PeriodEnd.eq(period_end))
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// A person's reports, newest first.
pub async fn of_user<C: ConnectionTrait>(conn: &C, org: OrgId, user: Uuid, limit: u64) -> Result<Vec<reports::Model>, DbErr> {
    reports::Entity::find()
        .filter(reports::Column::OrgId.eq(org.into_uuid()))
        .filter(reports::Column::UserId.eq(user))
        .order_by_desc(reports::Column::PeriodEnd)
        .limit(limit)
        .all(conn)
        .await
}

/// Every org (for jobs that need the time zone).
pub async fn all_orgs<C: ConnectionTrait>(conn: &C) -> Result<Vec<orgs::Model>, DbErr> {
    orgs::Entity::find().order_by_asc(orgs::Column::Id).all(conn).await
}
