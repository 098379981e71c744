//! `tickets`: Numbered collaboration tickets with their SLA clock.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tickets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub number: i64,
    pub code: String,
    pub kind: String,
    pub status: String,
    pub blocked_from: Option<String>,
    pub deal_id: Option<Uuid>,
    #[sea_orm(column_type = "Text")]
    pub title: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub details: Option<String>,
    pub requirement_type: Option<String>,
    pub department: String,
    pub requester_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub sla_minutes: i32,
    pub calendar_time: bool,
    pub consumed_seconds: i64,
    pub clock_started_at: Option<DateTimeUtc>,
    pub warn_at: Option<DateTimeUtc>,
    pub due_at: Option<DateTimeUtc>,
    pub color: String,
    pub warned_at: Option<DateTimeUtc>,
    pub breached_at: Option<DateTimeUtc>,
    pub first_response_at: Option<DateTimeUtc>,
    pub first_response_minutes: Option<i64>,
    pub rework_count: i32,
    pub rating: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
