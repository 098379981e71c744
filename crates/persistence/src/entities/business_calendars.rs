//! `business_calendars`: Each org's business calendar (C1).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "business_calendars")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: Uuid,
    pub time_zone: String,
    #[sea_orm(column_type = "JsonBinary")]
    pub workdays: Json,
    pub work_start: String,
    pub work_end: String,
    pub lunch_start: Option<String>,
    pub lunch_end: Option<String>,
    #[sea_orm(column_type = "JsonBinary")]
    pub holidays: Json,
    #[sea_orm(column_type = "JsonBinary")]
    pub extra_workdays: Json,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
