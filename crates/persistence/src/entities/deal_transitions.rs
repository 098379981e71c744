//! `deal_transitions`: Stage-change history of deals.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deal_transitions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub org_id: Uuid,
    pub deal_id: Uuid,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTimeUtc,
    pub forward_skips: i32,
    pub backward: bool,
    #[sea_orm(column_type = "Text", nullable)]
    pub core_need: Option<String>,
    pub decision_role: Option<String>,
    pub contact_id: Option<Uuid>,
    pub next_follow_up_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub lost_reason: Option<String>,
    /// When the deal had entered `from_stage`: the start of the stay this
    /// move ends (`None` for the creation record). Dwell is `at` minus this.
    pub from_stage_entered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
