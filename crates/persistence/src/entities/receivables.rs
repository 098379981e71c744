//! `receivables`: One receivable per instalment of an approved contract.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "receivables")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub contract_id: Uuid,
    pub customer_id: Uuid,
    pub deal_id: Uuid,
    pub owner_id: Uuid,
    pub seq: i32,
    pub due_date: Date,
    pub amount_cents: i64,
    pub currency: String,
    pub paid_cents: i64,
    pub fully_paid_on: Option<Date>,
    pub warned_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
