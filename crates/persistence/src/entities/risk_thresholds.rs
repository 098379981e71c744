//! `risk_thresholds`: An org's own risk-tier thresholds (R4), and how far
//! the tiers have been recomputed for them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_thresholds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub org_id: Uuid,
    /// Red when the cumulative overdue days exceed this.
    pub red_cumulative_overdue_days: i32,
    /// Red from this overdue share of the total contract amount, in hundredths of a percent.
    pub red_overdue_share_basis_points: i32,
    /// Yellow below this on-time rate, in hundredths of a percent.
    pub on_time_rate_basis_points: i32,
    /// The on-time rate's window in calendar months.
    pub window_months: i32,
    /// The cumulative overdue days' window in days.
    pub cumulative_window_days: i32,
    /// Bumped by every change.
    pub version: i32,
    /// The last version every customer's tier was recomputed for.
    pub recomputed_version: i32,
    /// The process recomputing tiers now, if any.
    pub recompute_holder: Option<String>,
    /// Until when (wall time) that process holds the recompute.
    pub recompute_lease_until: Option<DateTimeUtc>,
    /// Who made the last change (`None` for an API key or the system).
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
