//! Alerts, their recipients and rules, and the index-driven scan queries
//! that find candidates without loading an org's deals into memory.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::deals::{stuck_condition, StuckRule};
use crate::entities::{activities, alert_recipients, alert_rules, alerts, deal_assignments, deals, orgs, users};
use crate::page::{self, Keyset};

/// Status of an alert that still needs attention (acknowledged ones too).
pub const OPEN: &str = "OPEN";
/// Seen by a recipient, condition not yet cleared.
pub const ACKNOWLEDGED: &str = "ACKNOWLEDGED";
/// Condition cleared.
pub const RESOLVED: &str = "RESOLVED";

/// Every org id, for jobs that span orgs.
pub async fn all_org_ids<C: ConnectionTrait>(conn: &C) -> Result<Vec<Uuid>, DbErr> {
    orgs::Entity::find()
        .select_only()
        .column(orgs::Column::Id)
        .order_by_asc(orgs::Column::Id)
        .into_tuple()
        .all(conn)
        .await
}

/// The org's stored rule rows.
pub async fn rules_of<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<alert_rules::Model>, DbErr> {
    alert_rules::Entity::find()
        .filter(alert_rules::Column::OrgId.eq(org.into_uuid()))
        .all(conn)
        .await
}

/// Inserts or replaces one rule row.
pub async fn upsert_rule<C: ConnectionTrait>(conn: &C, row: alert_rules::Model) -> Result<(), DbErr> {
    alert_rules::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::columns([alert_rules::Column::OrgId, alert_rules::Column::Kind])
                .update_columns([alert_rules::Column::Enabled, alert_rules::Column::Params, alert_rules::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// No open alert of `kind` exists for the deal.
fn without_open_alert(org: OrgId, kind: &str) -> Condition {
    let open = Query::select()
        .expr(Expr::val(1))
        .from(alerts::Entity)
        .and_where(alerts::Column::OrgId.eq(org.into_uuid()))
        .and_where(alerts::Column::Kind.eq(kind))
        .and_where(alerts::Column::OpenKey.is_not_null())
        .and_where(Expr::col((alerts::Entity, alerts::Column::SubjectId)).equals((deals::Entity, deals::Column::Id)))
        // `LIMIT 1 OFFSET 0` keeps PostgreSQL from turning the `NOT EXISTS`
        // into an anti join, so each candidate probes `(org_id, subject_id)`.
        // A first scan raises thousands of alerts into a table analyzed
        // while empty; planned as a join, every page then compared each
        // candidate with every open alert (35 s for the follow-up scan of
        // the generated large org; docs/explain.md).
        .limit(1)
        .offset(0)
        .to_owned();
    Condition::all().add(Expr::exists(open)).not()
}

/// `(at, id) > after`: the next page of a keyset over a timestamp column and the id.
fn after_key(at: deals::Column, after: Option<(DateTime<Utc>, Uuid)>) -> Condition {
    match after {
        None => Condition::all(),
        Some((after_at, after_id)) => Condition::any()
            .add(at.gt(after_at))
            .add(Condition::all().add(at.eq(after_at)).add(deals::Column::Id.gt(after_id))),
    }
}

/// Next batch of stuck deals in one stage without an open stuck alert, in
/// `(entered_stage_at, id)` order after `after`.
///
/// The keyset follows the index `(org_id, stage, entered_stage_at)`, so the
/// scan reads only the stage's deals that entered it before the threshold.
/// Paging by id instead walked the primary key and filtered the org's
/// every deal on each page (2.7 s a page on 1 M deals; docs/explain.md).
pub async fn stuck_candidates<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    rule: &StuckRule,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<deals::Model>, DbErr> {
    deals::Entity::find()
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(stuck_condition(std::slice::from_ref(rule), now))
        .filter(without_open_alert(org, "STAGE_STUCK"))
        .filter(after_key(deals::Column::EnteredStageAt, after))
        .order_by_asc(deals::Column::EnteredStageAt)
        .order_by_asc(deals::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// Next batch of deals in the open `stage` whose follow-up passed with
/// nothing logged since, without an open alert, in `(next_follow_up_at, id)`
/// order after `after` (the index `(org_id, stage, next_follow_up_at, id)`).
pub async fn overdue_follow_up_candidates<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    stage: &str,
    now: DateTime<Utc>,
    after: Option<(DateTime<Utc>, Uuid)>,
    limit: u64,
) -> Result<Vec<deals::Model>, DbErr> {
    deals::Entity::find()
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(deals::Column::Stage.eq(stage))
        .filter(deals::Column::NextFollowUpAt.lt(now))
        .filter(
            Condition::any()
                .add(deals::Column::LastActivityAt.is_null())
                .add(Expr::col(deals::Column::LastActivityAt).lt(Expr::col(deals::Column::NextFollowUpAt))),
        )
        .filter(without_open_alert(org, "FOLLOW_UP_OVERDUE"))
        .filter(after_key(deals::Column::NextFollowUpAt, after))
        .order_by_asc(deals::Column::NextFollowUpAt)
        .order_by_asc(deals::Column::Id)
        .limit(limit)
        .all(conn)
        .await
}

/// Deals reassigned at least `min_count` times since `since`.
pub async fn frequently_reassigned<C: ConnectionTrait>(conn: &C, org: OrgId, since: DateTime<Utc>, min_count: i64) -> Result<Vec<Uuid>, DbErr> {
    let rows: Vec<(Uuid, i64)> = deal_assignments::Entity::find()
        .select_only()
        .column(deal_assignments::Column::DealId)
        .column_as(deal_assignments::Column::Id.count(), "reassignments")
        .filter(deal_assignments::Column::OrgId.eq(org.into_uuid()))
        .filter(deal_assignments::Column::At.gte(since))
        .group_by(deal_assignments::Column::DealId)
        .having(Expr::expr(Expr::col(deal_assignments::Column::Id).count()).gte(min_count))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().map(|(deal, _)| deal).collect())
}

/// When a deal was reassigned since `since`.
pub async fn reassignment_times<C: ConnectionTrait>(conn: &C, org: OrgId, deal: Uuid, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, DbErr> {
    deal_assignments::Entity::find()
        .select_only()
        .column(deal_assignments::Column::At)
        .filter(deal_assignments::Column::OrgId.eq(org.into_uuid()))
        .filter(deal_assignments::Column::DealId.eq(deal))
        .filter(deal_assignments::Column::At.gte(since))
        .into_tuple()
        .all(conn)
        .await
}

/// When substantive (non-note) activities happened on a deal since `since`.
pub async fn substantive_activity_times<C: ConnectionTrait>(conn: &C, org: OrgId, deal: Uuid, since: DateTime<Utc>) -> Result<Vec<DateTime<Utc>>, DbErr> {
    activities::Entity::find()
        .select_only()
        .column(activities::Column::OccurredAt)
        .filter(activities::Column::OrgId.eq(org.into_uuid()))
        .filter(activities::Column::DealId.eq(deal))
        .filter(activities::Column::Kind.ne("NOTE"))
        .filter(activities::Column::OccurredAt.gte(since))
        .into_tuple()
        .all(conn)
        .await
}

/// Active reps who joined at or after `since`.
pub async fn reps_joined_since<C: ConnectionTrait>(conn: &C, org: OrgId, since: DateTime<Utc>) -> Result<Vec<users::Model>, DbErr> {
    users::Entity::find()
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .filter(users::Column::Role.eq("REP"))
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::JoinedAt.gte(since))
        .all(conn)
        .await
}

/// How many of an owner's deals are stuck, per stage.
pub async fn stuck_counts_by_stage<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owner: Uuid,
    rules: &[StuckRule],
    now: DateTime<Utc>,
) -> Result<Vec<(String, i64)>, DbErr> {
    deals::Entity::find()
        .select_only()
        .column(deals::Column::Stage)
        .column_as(deals::Column::Id.count(), "stuck")
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(deals::Column::OwnerId.eq(owner))
        .filter(stuck_condition(rules, now))
        .group_by(deals::Column::Stage)
        .into_tuple()
        .all(conn)
        .await
}

/// Rows per multi-row insert: well under the bind-parameter limits of both
/// engines (SQLite 32,766, PostgreSQL 65,535) for every table written here.
pub const INSERT_CHUNK: usize = 500;

/// Inserts alerts with their recipients, each unless an open alert exists
/// for the same rule and subject (the unique `(org_id, open_key)` index
/// decides, also against concurrent scanners); returns the ids of the
/// alerts inserted. A few multi-row statements per 500 alerts.
pub async fn insert_many_if_absent<C: ConnectionTrait>(conn: &C, batch: &[(alerts::Model, Vec<Uuid>)]) -> Result<HashSet<Uuid>, DbErr> {
    let mut inserted = HashSet::new();
    for chunk in batch.chunks(INSERT_CHUNK) {
        let rows = alerts::Entity::insert_many(chunk.iter().map(|(alert, _)| alert.clone().into_active_model()))
            .on_conflict(OnConflict::columns([alerts::Column::OrgId, alerts::Column::OpenKey]).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
        let ids: Vec<Uuid> = chunk.iter().map(|(alert, _)| alert.id).collect();
        if rows == ids.len() as u64 {
            inserted.extend(ids);
        } else if rows > 0 {
            // Ids are new, so the ones now present are the ones this statement wrote.
            let orgs: HashSet<Uuid> = chunk.iter().map(|(alert, _)| alert.org_id).collect();
            let present: Vec<Uuid> = alerts::Entity::find()
                .select_only()
                .column(alerts::Column::Id)
                .filter(alerts::Column::OrgId.is_in(orgs))
                .filter(alerts::Column::Id.is_in(ids))
                .into_tuple()
                .all(conn)
                .await?;
            inserted.extend(present);
        }
    }
    let recipients: Vec<alert_recipients::Model> = batch
        .iter()
        .filter(|(alert, _)| inserted.contains(&alert.id))
        .flat_map(|(alert, users)| {
            let mut users = users.clone();
            users.sort();
            users.dedup();
            users.into_iter().map(|user| alert_recipients::Model {
                id: Uuid::now_v7(),
                org_id: alert.org_id,
                alert_id: alert.id,
                user_id: user,
                added_at: alert.raised_at,
            })
        })
        .collect();
    for chunk in recipients.chunks(INSERT_CHUNK) {
        alert_recipients::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .on_conflict(OnConflict::columns([alert_recipients::Column::AlertId, alert_recipients::Column::UserId]).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(inserted)
}

/// Adds a recipient (idempotent).
pub async fn add_recipient<C: ConnectionTrait>(conn: &C, org: Uuid, alert: Uuid, user: Uuid, at: DateTime<Utc>) -> Result<bool, DbErr> {
    let inserted = alert_recipients::Entity::insert(
        alert_recipients::Model {
            id: Uuid::now_v7(),
            org_id: org,
            alert_id: alert,
            user_id: user,
            added_at: at,
        }
        .into_active_model(),
    )
    .on_conflict(OnConflict::columns([alert_recipients::Column::AlertId, alert_recipients::Column::UserId]).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await?;
    Ok(inserted == 1)
}

/// Next batch of the org's open alerts of one kind, by id.
pub async fn open_of_kind<C: ConnectionTrait>(conn: &C, org: OrgId, kind: &str, after: Option<Uuid>, limit: u64) -> Result<Vec<alerts::Model>, DbErr> {
    let mut select = alerts::Entity::find()
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .filter(alerts::Column::Kind.eq(kind))
        .filter(alerts::Column::OpenKey.is_not_null());
    if let Some(after) = after {
        select = select.filter(alerts::Column::Id.gt(after));
    }
    select.order_by_asc(alerts::Column::Id).limit(limit).all(conn).await
}

/// Resolves open alerts of these kinds about `subject`; returns how many.
pub async fn resolve_for_subject<C: ConnectionTrait>(conn: &C, org: OrgId, subject: Uuid, kinds: &[&str], at: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = alerts::Entity::update_many()
        .col_expr(alerts::Column::Status, Expr::value(RESOLVED))
        .col_expr(alerts::Column::OpenKey, Expr::value(Option::<String>::None))
        .col_expr(alerts::Column::ResolvedAt, Expr::value(at))
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .filter(alerts::Column::SubjectId.eq(subject))
        .filter(alerts::Column::Kind.is_in(kinds.iter().copied()))
        .filter(alerts::Column::OpenKey.is_not_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected)
}

/// Resolves one alert by id.
pub async fn resolve<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    resolve_many(conn, org, &[id], at).await
}

/// Resolves some alerts of the org by id, in one statement.
pub async fn resolve_many<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid], at: DateTime<Utc>) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    alerts::Entity::update_many()
        .col_expr(alerts::Column::Status, Expr::value(RESOLVED))
        .col_expr(alerts::Column::OpenKey, Expr::value(Option::<String>::None))
        .col_expr(alerts::Column::ResolvedAt, Expr::value(at))
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .filter(alerts::Column::Id.is_in(ids.iter().copied()))
        .filter(alerts::Column::OpenKey.is_not_null())
        .exec(conn)
        .await
        .map(|_| ())
}

/// Marks an alert escalated.
pub async fn mark_escalated<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    alerts::Entity::update_many()
        .col_expr(alerts::Column::EscalatedAt, Expr::value(at))
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .filter(alerts::Column::Id.eq(id))
        .exec(conn)
        .await
        .map(|_| ())
}

/// An alert of the org.
pub async fn find<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<alerts::Model>, DbErr> {
    alerts::Entity::find_by_id(id)
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .one(conn)
        .await
}

/// Marks an alert acknowledged by `user`.
pub async fn acknowledge<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid, user: Uuid, at: DateTime<Utc>) -> Result<(), DbErr> {
    alerts::Entity::update_many()
        .col_expr(alerts::Column::Status, Expr::value(ACKNOWLEDGED))
        .col_expr(alerts::Column::AcknowledgedAt, Expr::value(at))
        .col_expr(alerts::Column::AcknowledgedBy, Expr::value(user))
        .filter(alerts::Column::OrgId.eq(org.into_uuid()))
        .filter(alerts::Column::Id.eq(id))
        .filter(alerts::Column::Status.eq(OPEN))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Recipients of some alerts.
pub async fn recipients_of<C: ConnectionTrait>(conn: &C, org: OrgId, alert_ids: &[Uuid]) -> Result<Vec<alert_recipients::Model>, DbErr> {
    alert_recipients::Entity::find()
        .filter(alert_recipients::Column::OrgId.eq(org.into_uuid()))
        .filter(alert_recipients::Column::AlertId.is_in(alert_ids.iter().copied()))
        .order_by_asc(alert_recipients::Column::AddedAt)
        .all(conn)
        .await
}

/// Filters for [`list`].
#[derive(Clone, Debug, Default)]
pub struct AlertQuery {
    /// Only alerts addressed to this user (`None`: every alert of the org).
    pub recipient: Option<Uuid>,
    /// Only these statuses.
    pub statuses: Option<Vec<String>>,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only about this deal or user.
    pub subject_id: Option<Uuid>,
}

fn filtered(org: OrgId, query: &AlertQuery) -> Select<alerts::Entity> {
    let mut select = alerts::Entity::find().filter(alerts::Column::OrgId.eq(org.into_uuid()));
    if let Some(user) = query.recipient {
        let addressed = Query::select()
            .column(alert_recipients::Column::AlertId)
            .from(alert_recipients::Entity)
            .and_where(alert_recipients::Column::OrgId.eq(org.into_uuid()))
            .and_where(alert_recipients::Column::UserId.eq(user))
            .to_owned();
        select = select.filter(alerts::Column::Id.in_subquery(addressed));
    }
    if let Some(statuses) = &query.statuses {
        select = select.filter(alerts::Column::Status.is_in(statuses.iter().map(String::as_str)));
    }
    if let Some(kind) = &query.kind {
        select = select.filter(alerts::Column::Kind.eq(kind.as_str()));
    }
    if let Some(subject) = query.subject_id {
        select = select.filter(alerts::Column::SubjectId.eq(subject));
    }
    select
}

/// A window of alerts, newest first, and the total matching.
pub async fn list<C: ConnectionTrait>(conn: &C, org: OrgId, query: &AlertQuery, keyset: &Keyset) -> Result<(Vec<alerts::Model>, u64), DbErr> {
    let total = if keyset.count { filtered(org, query).count(conn).await? } else { 0 };
    let rows = page::apply(filtered(org, query), alerts::Column::RaisedAt, alerts::Column::Id, keyset)
        .all(conn)
        .await?;
    Ok((rows, total))
}
