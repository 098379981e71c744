//! Activities (calls, visits, meetings, emails, chats, notes).

use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter};

use crate::entities::activities;
use crate::page::{self, Keyset};

/// Adds an activity.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: activities::Model) -> Result<(), DbErr> {
    activities::Entity::insert(row.into_active_model())
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// A window of the activities on some deals, plus (optionally) the
/// deal-less activities of one customer, by `occurred_at`; and the total.
pub async fn window<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    deal_ids: &[Uuid],
    customer_level: Option<Uuid>,
    keyset: &Keyset,
) -> Result<(Vec<activities::Model>, u64), DbErr> {
    let select = || {
        let mut subject = Condition::any().add(activities::Column::DealId.is_in(deal_ids.iter().copied()));
        if let Some(customer) = customer_level {
            subject = subject.add(
                Condition::all()
                    .add(activities::Column::CustomerId.eq(customer))
                    .add(activities::Column::DealId.is_null()),
            );
        }
        activities::Entity::find()
            .filter(activities::Column::OrgId.eq(org.into_uuid()))
            .filter(subject)
    };
    let total = if keyset.count { select().count(conn).await? } else { 0 };
    let rows = crate::rows::all(conn, page::apply(select(), activities::Column::OccurredAt, activities::Column::Id, keyset)).await?;
    Ok((rows, total))
}
