//! Channels, notification preferences, the transactional outbox and delivery attempts.
//!
//! The outbox is claimed row by row with a conditional update (a lease), so
//! any number of server processes dispatch without sending a message twice
//! at the same time; a crashed holder's lease expires and the message is
//! sent again with the same id (at-least-once, idempotency key = id).

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::entities::{channels, delivery_attempts, notification_prefs, outbox};
use crate::page::{self, Keyset};

/// Waiting to be sent (or re-sent).
pub const PENDING: &str = "PENDING";
/// Delivered.
pub const SENT: &str = "SENT";
/// Given up on; an admin may re-drive it.
pub const DEAD: &str = "DEAD";

/// Adds a channel.
pub async fn insert_channel<C: ConnectionTrait>(conn: &C, row: channels::Model) -> Result<(), DbErr> {
    channels::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// The org's active channels, oldest first.
pub async fn active_channels<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<channels::Model>, DbErr> {
    channels::Entity::find()
        .filter(channels::Column::OrgId.eq(org.into_uuid()))
        .filter(channels::Column::RemovedAt.is_null())
        .order_by_asc(channels::Column::CreatedAt)
        .all(conn)
        .await
}

/// A channel of the org (removed ones too).
pub async fn find_channel<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<channels::Model>, DbErr> {
    channels::Entity::find_by_id(id)
        .filter(channels::Column::OrgId.eq(org.into_uuid()))
        .one(conn)
        .await
}

/// Channels of the org by id.
pub async fn find_channels<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<channels::Model>, DbErr> {
    channels::Entity::find()
        .filter(channels::Column::OrgId.eq(org.into_uuid()))
        .filter(channels::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await
}

/// Marks a channel removed and dead-letters what was still waiting for it.
pub async fn remove_channel<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    channels::Entity::update_many()
        .col_expr(channels::Column::RemovedAt, Expr::value(at))
        .filter(channels::Column::OrgId.eq(org.into_uuid()))
        .filter(channels::Column::Id.eq(id))
        .exec(conn)
        .await?;
    outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(DEAD))
        .col_expr(outbox::Column::LastError, Expr::value("the channel was removed"))
        .filter(outbox::Column::OrgId.eq(org.into_uuid()))
        .filter(outbox::Column::ChannelId.eq(id))
        .filter(outbox::Column::Status.eq(PENDING))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Sets a user's preference for one channel.
pub async fn upsert_pref<C: ConnectionTrait>(conn: &C, row: notification_prefs::Model) -> Result<(), DbErr> {
    notification_prefs::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([notification_prefs::Column::UserId, notification_prefs::Column::ChannelId])
                .update_columns([notification_prefs::Column::Kinds, notification_prefs::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Preferences of some users.
pub async fn prefs_of<C: ConnectionTrait>(conn: &C, org: OrgId, users: &[Uuid]) -> Result<Vec<notification_prefs::Model>, DbErr> {
    notification_prefs::Entity::find()
        .filter(notification_prefs::Column::OrgId.eq(org.into_uuid()))
        .filter(notification_prefs::Column::UserId.is_in(users.iter().copied()))
        .all(conn)
        .await
}

/// Queues messages (inside the caller's transaction), 500 rows a statement.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, rows: Vec<outbox::Model>) -> Result<(), DbErr> {
    for chunk in rows.chunks(crate::alerts::INSERT_CHUNK) {
        outbox::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Ids of pending messages due at `wall_now` whose lease is free, oldest first.
pub async fn due_ids<C: ConnectionTrait>(conn: &C, wall_now: DateTime<Utc>, limit: u64) -> Result<Vec<Uuid>, DbErr> {
    outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(outbox::Column::NextAttemptAt.lte(wall_now))
        .filter(Condition::any().add(outbox::Column::LeaseUntil.is_null()).add(outbox::Column::LeaseUntil.lt(wall_now)))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await
}

/// Claims one message for `holder`; `None` when another process got it first.
pub async fn claim<C: ConnectionTrait>(conn: &C, id: Uuid, holder: &str, wall_now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<Option<outbox::Model>, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseHolder, Expr::value(holder))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(PENDING))
        .filter(Condition::any().add(outbox::Column::LeaseUntil.is_null()).add(outbox::Column::LeaseUntil.lt(wall_now)))
        .exec(conn)
        .await?;
    if result.rows_affected != 1 {
        return Ok(None);
    }
    outbox::Entity::find_by_id(id).one(conn).await
}

/// Records an attempt and the message's new state (only while `holder` holds the lease).
#[allow(clippy::too_many_arguments)]
pub async fn record_attempt<C: ConnectionTrait>(
    conn: &C,
    message: &outbox::Model,
    holder: &str,
    outcome: &str,
    detail: Option<String>,
    status: &str,
    next_attempt_at: DateTime<Utc>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let attempt = message.attempts + 1;
    delivery_attempts::Entity::insert(
        delivery_attempts::Model {
            id: Uuid::now_v7(),
            org_id: message.org_id,
            outbox_id: message.id,
            attempt,
            outcome: outcome.to_string(),
            detail: detail.clone(),
            holder: holder.to_string(),
            at,
        }
        .into_active_model(),
    )
    .exec_without_returning(conn)
    .await?;
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status))
        .col_expr(outbox::Column::Attempts, Expr::value(attempt))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(next_attempt_at))
        .col_expr(outbox::Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
    if status == SENT {
        update = update.col_expr(outbox::Column::SentAt, Expr::value(at));
    } else {
        update = update.col_expr(outbox::Column::LastError, Expr::value(detail));
    }
    update
        .filter(outbox::Column::Id.eq(message.id))
        .filter(outbox::Column::LeaseHolder.eq(holder))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Filters for [`deliveries`].
#[derive(Clone, Debug, Default)]
pub struct DeliveryQuery {
    /// Only this status.
    pub status: Option<String>,
    /// Only this channel.
    pub channel_id: Option<Uuid>,
}

fn filtered(org: OrgId, query: &DeliveryQuery) -> Select<outbox::Entity> {
    let mut select = outbox::Entity::find().filter(outbox::Column::OrgId.eq(org.into_uuid()));
    if let Some(status) = &query.status {
        select = select.filter(outbox::Column::Status.eq(status.as_str()));
    }
    if let Some(channel) = query.channel_id {
        select = select.filter(outbox::Column::ChannelId.eq(channel));
    }
    select
}

/// A window of the org's outbox, newest first, and the total matching.
pub async fn deliveries<C: ConnectionTrait>(conn: &C, org: OrgId, query: &DeliveryQuery, keyset: &Keyset) -> Result<(Vec<outbox::Model>, u64), DbErr> {
    let total = filtered(org, query).count(conn).await?;
    let rows = page::apply(filtered(org, query), outbox::Column::CreatedAt, outbox::Column::Id, keyset).all(conn).await?;
    Ok((rows, total))
}

/// The attempts of some messages, in order.
pub async fn attempts_of<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<delivery_attempts::Model>, DbErr> {
    delivery_attempts::Entity::find()
        .filter(delivery_attempts::Column::OrgId.eq(org.into_uuid()))
        .filter(delivery_attempts::Column::OutboxId.is_in(ids.iter().copied()))
        .order_by_asc(delivery_attempts::Column::At)
        .order_by_asc(delivery_attempts::Column::Attempt)
        .all(conn)
        .await
}

/// A message of the org.
pub async fn find<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<outbox::Model>, DbErr> {
    outbox::Entity::find_by_id(id).filter(outbox::Column::OrgId.eq(org.into_uuid())).one(conn).await
}

/// Puts a dead message back in the queue, due now, with a fresh attempt budget.
pub async fn redrive<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid, wall_now: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(PENDING))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(wall_now))
        .filter(outbox::Column::OrgId.eq(org.into_uuid()))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(DEAD))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}
