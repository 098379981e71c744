//! `contracts`: Contracts of won deals, with their payment-capability check and approval.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub deal_id: Uuid,
    pub customer_id: Uuid,
    pub amount_cents: i64,
    pub currency: String,
    pub payment_terms_days: i32,
    pub signed_on: Option<Date>,
    #[sea_orm(column_type = "JsonBinary")]
    pub instalments: Json,
    pub status: String,
    pub legal_review_required: bool,
    pub legal_confirmed_by: Option<Uuid>,
    pub legal_confirmed_at: Option<DateTimeUtc>,
    pub check_passed: bool,
    #[sea_orm(column_type = "JsonBinary")]
    pub check_reasons: Json,
    pub registry_status: Option<String>,
    pub checked_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub rejection_reason: Option<String>,
    pub decided_by: Option<Uuid>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
