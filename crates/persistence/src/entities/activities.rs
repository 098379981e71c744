//! `activities`: Logged sales activities (calls, visits, notes).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "activities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub deal_id: Option<Uuid>,
    pub customer_id: Uuid,
    pub contact_id: Option<Uuid>,
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub text: String,
    pub occurred_at: DateTimeUtc,
    pub recorded_at: DateTimeUtc,
    pub next_follow_up_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub backdate_reason: Option<String>,
    pub author_kind: String,
    pub author_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
