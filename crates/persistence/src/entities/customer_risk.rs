//! `customer_risk`: Each customer's current risk tier and flags.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_risk")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: Uuid,
    pub org_id: Uuid,
    pub tier: String,
    pub litigation: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub litigation_note: Option<String>,
    pub services_suspended: bool,
    #[sea_orm(column_type = "JsonBinary")]
    pub facts: Json,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
