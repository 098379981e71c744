//! `stages`: Per-org pipeline stages.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "stages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub key: String,
    pub name: String,
    pub position: i32,
    pub kind: String,
    pub probability: i32,
    #[sea_orm(column_type = "JsonBinary")]
    pub gate_fields: Json,
    pub stuck_after_hours: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
