//! Channels, notification preferences, the transactional outbox and delivery attempts.
//!
//! The outbox is claimed a batch at a time with one conditional update (a
//! lease), so any number of server processes dispatch without sending a
//! message twice at the same time; a crashed holder's lease expires and the
//! message is sent again with the same id (at-least-once, idempotency key =
//! id). Attempts are recorded a chunk at a time, in one transaction.

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, Select,
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

/// Claims up to `limit` due messages (pending, due at `wall_now`, lease
/// free), oldest first, for `holder` until `lease_until`, in one statement,
/// and returns them. A message is claimed by one holder at a time: the
/// update re-checks that the lease is free, and on PostgreSQL the candidates
/// are locked with `FOR UPDATE SKIP LOCKED`, so concurrent dispatchers take
/// disjoint sets instead of queueing behind each other (SQLite has a single
/// writer).
pub async fn claim_due<C: ConnectionTrait>(conn: &C, holder: &str, wall_now: DateTime<Utc>, lease_until: DateTime<Utc>, limit: u64) -> Result<Vec<outbox::Model>, DbErr> {
    let claimable = || {
        Condition::all()
            .add(Expr::col(outbox::Column::Status).eq(PENDING))
            .add(Expr::col(outbox::Column::NextAttemptAt).lte(wall_now))
            .add(Condition::any().add(Expr::col(outbox::Column::LeaseUntil).is_null()).add(Expr::col(outbox::Column::LeaseUntil).lt(wall_now)))
    };
    let due = Query::select()
        .column(outbox::Column::Id)
        .from(outbox::Entity)
        .cond_where(claimable())
        .order_by(outbox::Column::NextAttemptAt, Order::Asc)
        .limit(limit)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    let claim = Query::update()
        .table(outbox::Entity)
        .values([(outbox::Column::LeaseHolder, Expr::value(holder)), (outbox::Column::LeaseUntil, Expr::value(lease_until))])
        .cond_where(claimable().add(Expr::col(outbox::Column::Id).in_subquery(due)))
        .returning_all()
        .to_owned();
    let statement = conn.get_database_backend().build(&claim);
    let mut claimed = outbox::Entity::find().from_raw_sql(statement).all(conn).await?;
    claimed.sort_by_key(|message| (message.next_attempt_at, message.id));
    Ok(claimed)
}

/// Gives messages back without an attempt (their lease could no longer
/// cover a send); only those `holder` still holds.
pub async fn release<C: ConnectionTrait>(conn: &C, ids: &[Uuid], holder: &str) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    outbox::Entity::update_many()
        .col_expr(outbox::Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Id.is_in(ids.iter().copied()))
        .filter(outbox::Column::LeaseHolder.eq(holder))
        .exec(conn)
        .await
        .map(|_| ())
}

/// One attempt to record: what happened to a claimed message and its new state.
#[derive(Clone, Debug)]
pub struct Attempt {
    /// The message as claimed.
    pub message: outbox::Model,
    /// `DELIVERED`, `RETRY` or `FAILED`.
    pub outcome: &'static str,
    /// The channel's answer or the error.
    pub detail: Option<String>,
    /// The message's new status.
    pub status: &'static str,
    /// When to try again (pending) or the attempt's time.
    pub next_attempt_at: DateTime<Utc>,
    /// When the attempt finished.
    pub at: DateTime<Utc>,
}

/// Records attempts and the messages' new states (only where `holder`
/// still holds the lease), in a few statements: the attempts in multi-row
/// inserts, every delivered message in one update, the others one by one.
/// Run it in a transaction.
pub async fn record_attempts<C: ConnectionTrait>(conn: &C, holder: &str, attempts: &[Attempt]) -> Result<(), DbErr> {
    if attempts.is_empty() {
        return Ok(());
    }
    let rows: Vec<delivery_attempts::ActiveModel> = attempts
        .iter()
        .map(|attempt| {
            delivery_attempts::Model {
                id: Uuid::now_v7(),
                org_id: attempt.message.org_id,
                outbox_id: attempt.message.id,
                attempt: attempt.message.attempts + 1,
                outcome: attempt.outcome.to_string(),
                detail: attempt.detail.clone(),
                holder: holder.to_string(),
                at: attempt.at,
            }
            .into_active_model()
        })
        .collect();
    for chunk in rows.chunks(crate::alerts::INSERT_CHUNK) {
        delivery_attempts::Entity::insert_many(chunk.iter().cloned()).exec_without_returning(conn).await?;
    }
    let delivered: Vec<&Attempt> = attempts.iter().filter(|attempt| attempt.status == SENT).collect();
    if let Some(at) = delivered.iter().map(|attempt| attempt.at).max() {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(SENT))
            .col_expr(outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(at))
            .col_expr(outbox::Column::LeaseHolder, Expr::value(Option::<String>::None))
            .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(outbox::Column::SentAt, Expr::value(at))
            .filter(outbox::Column::Id.is_in(delivered.iter().map(|attempt| attempt.message.id)))
            .filter(outbox::Column::LeaseHolder.eq(holder))
            .exec(conn)
            .await?;
    }
    for attempt in attempts.iter().filter(|attempt| attempt.status != SENT) {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::Status, Expr::value(attempt.status))
            .col_expr(outbox::Column::Attempts, Expr::value(attempt.message.attempts + 1))
            .col_expr(outbox::Column::NextAttemptAt, Expr::value(attempt.next_attempt_at))
            .col_expr(outbox::Column::LeaseHolder, Expr::value(Option::<String>::None))
            .col_expr(outbox::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(outbox::Column::LastError, Expr::value(attempt.detail.clone()))
            .filter(outbox::Column::Id.eq(attempt.message.id))
            .filter(outbox::Column::LeaseHolder.eq(holder))
            .exec(conn)
            .await?;
    }
    Ok(())
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
