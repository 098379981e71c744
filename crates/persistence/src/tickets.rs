//! Business calendars, SLA policies, numbered tickets and their steps.

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select,
};

use crate::entities::{business_calendars, sla_policies, ticket_counters, ticket_events, tickets};
use crate::page::{self, Keyset};

/// Statuses in which the SLA clock runs.
pub const RUNNING: [&str; 3] = ["OPEN", "IN_PROGRESS", "BLOCKED"];

/// The org's calendar, if one was set.
pub async fn calendar<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Option<business_calendars::Model>, DbErr> {
    business_calendars::Entity::find_by_id(org.into_uuid()).one(conn).await
}

/// Sets the org's calendar.
pub async fn upsert_calendar<C: ConnectionTrait>(conn: &C, row: business_calendars::Model) -> Result<(), DbErr> {
    business_calendars::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::column(business_calendars::Column::OrgId)
                .update_columns([
                    business_calendars::Column::TimeZone,
                    business_calendars::Column::Workdays,
                    business_calendars::Column::WorkStart,
                    business_calendars::Column::WorkEnd,
                    business_calendars::Column::LunchStart,
                    business_calendars::Column::LunchEnd,
                    business_calendars::Column::Holidays,
                    business_calendars::Column::ExtraWorkdays,
                    business_calendars::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// The org's SLA policies.
pub async fn policies<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Vec<sla_policies::Model>, DbErr> {
    sla_policies::Entity::find()
        .filter(sla_policies::Column::OrgId.eq(org.into_uuid()))
        .order_by_asc(sla_policies::Column::Kind)
        .order_by_asc(sla_policies::Column::RequirementType)
        .all(conn)
        .await
}

/// Adds policies (missing ones only).
pub async fn insert_policies<C: ConnectionTrait>(conn: &C, rows: Vec<sla_policies::Model>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    sla_policies::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .on_conflict(
            OnConflict::columns([sla_policies::Column::OrgId, sla_policies::Column::Kind, sla_policies::Column::RequirementType])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Replaces a policy row.
pub async fn update_policy<C: ConnectionTrait>(conn: &C, row: sla_policies::Model) -> Result<sla_policies::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}

/// The next number of a kind in an org, inside the caller's transaction:
/// gap-free (a rolled-back ticket rolls its number back) and never reused
/// (the counter row is locked by the increment until commit).
pub async fn next_number<C: ConnectionTrait>(conn: &C, org: OrgId, kind: &str) -> Result<i64, DbErr> {
    ticket_counters::Entity::insert(
        ticket_counters::Model {
            org_id: org.into_uuid(),
            kind: kind.to_string(),
            last_number: 0,
        }
        .into_active_model(),
    )
    .on_conflict(OnConflict::columns([ticket_counters::Column::OrgId, ticket_counters::Column::Kind]).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await?;
    ticket_counters::Entity::update_many()
        .col_expr(ticket_counters::Column::LastNumber, Expr::col(ticket_counters::Column::LastNumber).add(1))
        .filter(ticket_counters::Column::OrgId.eq(org.into_uuid()))
        .filter(ticket_counters::Column::Kind.eq(kind))
        .exec(conn)
        .await?;
    let counter = ticket_counters::Entity::find()
        .filter(ticket_counters::Column::OrgId.eq(org.into_uuid()))
        .filter(ticket_counters::Column::Kind.eq(kind))
        .one(conn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("ticket counter".into()))?;
    Ok(counter.last_number)
}

/// Adds a ticket.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: tickets::Model) -> Result<(), DbErr> {
    tickets::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// Replaces a ticket row.
pub async fn update<C: ConnectionTrait>(conn: &C, row: tickets::Model) -> Result<tickets::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}

/// Records a step.
pub async fn insert_event<C: ConnectionTrait>(conn: &C, row: ticket_events::Model) -> Result<(), DbErr> {
    ticket_events::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// A ticket's steps, oldest first.
pub async fn events_of<C: ConnectionTrait>(conn: &C, org: OrgId, ticket: Uuid) -> Result<Vec<ticket_events::Model>, DbErr> {
    ticket_events::Entity::find()
        .filter(ticket_events::Column::OrgId.eq(org.into_uuid()))
        .filter(ticket_events::Column::TicketId.eq(ticket))
        .order_by_asc(ticket_events::Column::At)
        .order_by_asc(ticket_events::Column::Id)
        .all(conn)
        .await
}

/// Who may see which tickets.
#[derive(Clone, Debug)]
pub enum TicketVisibility {
    /// Every ticket of the org.
    All,
    /// Tickets the user requested or works on, their department's, and those of the people they manage.
    Of { user: Uuid, department: String, managed: Vec<Uuid> },
}

fn visible(org: OrgId, visibility: &TicketVisibility) -> Select<tickets::Entity> {
    let select = tickets::Entity::find().filter(tickets::Column::OrgId.eq(org.into_uuid()));
    match visibility {
        TicketVisibility::All => select,
        TicketVisibility::Of { user, department, managed } => {
            let mut any = Condition::any()
                .add(tickets::Column::RequesterId.eq(*user))
                .add(tickets::Column::AssigneeId.eq(*user))
                .add(tickets::Column::Department.eq(department.as_str()));
            if !managed.is_empty() {
                any = any
                    .add(tickets::Column::RequesterId.is_in(managed.iter().copied()))
                    .add(tickets::Column::AssigneeId.is_in(managed.iter().copied()));
            }
            select.filter(any)
        }
    }
}

/// A ticket the caller may see.
pub async fn find_visible<C: ConnectionTrait>(conn: &C, org: OrgId, visibility: &TicketVisibility, id: Uuid) -> Result<Option<tickets::Model>, DbErr> {
    visible(org, visibility).filter(tickets::Column::Id.eq(id)).one(conn).await
}

/// The tickets among `ids` the caller may see.
pub async fn find_many_visible<C: ConnectionTrait>(conn: &C, org: OrgId, visibility: &TicketVisibility, ids: &[Uuid]) -> Result<Vec<tickets::Model>, DbErr> {
    visible(org, visibility).filter(tickets::Column::Id.is_in(ids.iter().copied())).all(conn).await
}

/// Filters for [`list`].
#[derive(Clone, Debug, Default)]
pub struct TicketQuery {
    pub kind: Option<String>,
    pub statuses: Option<Vec<String>>,
    pub color: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub requester_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
    pub department: Option<String>,
    /// A work queue: assigned to this user, or unassigned in this department.
    pub queue_of: Option<(Uuid, String)>,
}

fn filtered(org: OrgId, visibility: &TicketVisibility, query: &TicketQuery) -> Select<tickets::Entity> {
    let mut select = visible(org, visibility);
    if let Some(kind) = &query.kind {
        select = select.filter(tickets::Column::Kind.eq(kind.as_str()));
    }
    if let Some(statuses) = &query.statuses {
        select = select.filter(tickets::Column::Status.is_in(statuses.iter().map(String::as_str)));
    }
    if let Some(color) = &query.color {
        select = select.filter(tickets::Column::Color.eq(color.as_str()));
    }
    if let Some(assignee) = query.assignee_id {
        select = select.filter(tickets::Column::AssigneeId.eq(assignee));
    }
    if let Some(requester) = query.requester_id {
        select = select.filter(tickets::Column::RequesterId.eq(requester));
    }
    if let Some(deal) = query.deal_id {
        select = select.filter(tickets::Column::DealId.eq(deal));
    }
    if let Some(department) = &query.department {
        select = select.filter(tickets::Column::Department.eq(department.as_str()));
    }
    if let Some((user, department)) = &query.queue_of {
        select = select.filter(
            Condition::any()
                .add(tickets::Column::AssigneeId.eq(*user))
                .add(Condition::all().add(tickets::Column::AssigneeId.is_null()).add(tickets::Column::Department.eq(department.as_str()))),
        );
    }
    select
}

/// A window of visible tickets, newest first, and the total matching.
pub async fn list<C: ConnectionTrait>(conn: &C, org: OrgId, visibility: &TicketVisibility, query: &TicketQuery, keyset: &Keyset) -> Result<(Vec<tickets::Model>, u64), DbErr> {
    let total = filtered(org, visibility, query).count(conn).await?;
    let rows = page::apply(filtered(org, visibility, query), tickets::Column::CreatedAt, tickets::Column::Id, keyset).all(conn).await?;
    Ok((rows, total))
}

/// Running tickets whose warning time passed without a warning (any org), by id.
pub async fn due_for_warning<C: ConnectionTrait>(conn: &C, now: DateTime<Utc>, after: Option<Uuid>, limit: u64) -> Result<Vec<tickets::Model>, DbErr> {
    let mut select = tickets::Entity::find()
        .filter(tickets::Column::WarnAt.lte(now))
        .filter(tickets::Column::WarnedAt.is_null())
        .filter(tickets::Column::Status.is_in(RUNNING));
    if let Some(after) = after {
        select = select.filter(tickets::Column::Id.gt(after));
    }
    select.order_by_asc(tickets::Column::Id).limit(limit).all(conn).await
}

/// Running tickets whose due time passed without a breach record (any org), by id.
pub async fn due_for_breach<C: ConnectionTrait>(conn: &C, now: DateTime<Utc>, after: Option<Uuid>, limit: u64) -> Result<Vec<tickets::Model>, DbErr> {
    let mut select = tickets::Entity::find()
        .filter(tickets::Column::DueAt.lte(now))
        .filter(tickets::Column::BreachedAt.is_null())
        .filter(tickets::Column::Status.is_in(RUNNING));
    if let Some(after) = after {
        select = select.filter(tickets::Column::Id.gt(after));
    }
    select.order_by_asc(tickets::Column::Id).limit(limit).all(conn).await
}

/// Open hand-off tickets of a deal (answered by the owner's first action).
pub async fn open_handoffs<C: ConnectionTrait>(conn: &C, org: OrgId, deal: Uuid) -> Result<Vec<tickets::Model>, DbErr> {
    tickets::Entity::find()
        .filter(tickets::Column::OrgId.eq(org.into_uuid()))
        .filter(tickets::Column::DealId.eq(deal))
        .filter(tickets::Column::Kind.eq("HANDOFF"))
        .filter(tickets::Column::Status.is_in(["OPEN", "IN_PROGRESS"]))
        .all(conn)
        .await
}
