//! `deals`: Deals (opportunities).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub title: String,
    pub customer_id: Uuid,
    pub owner_id: Uuid,
    pub created_by: Uuid,
    pub stage: String,
    pub amount_cents: Option<i64>,
    pub currency: Option<String>,
    pub product_line: Option<String>,
    pub expected_close_date: Option<Date>,
    pub source: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub core_need: Option<String>,
    pub decision_role: Option<String>,
    pub contact_id: Option<Uuid>,
    pub next_follow_up_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub lost_reason: Option<String>,
    pub entered_stage_at: DateTimeUtc,
    pub last_activity_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
