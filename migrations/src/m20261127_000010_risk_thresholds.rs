//! Per-org risk-tier thresholds (R4 "thresholds per org"): one row per org
//! that changed them; an org without a row uses the SPEC's table.
//!
//! Percentages are stored as hundredths of a percent (`1000` is 10 %), exact
//! on both engines. `version` counts changes and `recomputed_version` is the
//! last change every customer's tier was recomputed for; the recompute holds
//! a lease (`recompute_holder`, `recompute_lease_until`, wall time) so a run a
//! crashed process left unfinished is taken over once, by the hourly tier job.

use sea_orm_migration::prelude::*;

use crate::schema_helpers::{ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RiskThresholds::Table)
                    .col(
                        ColumnDef::new(RiskThresholds::OrgId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::RedCumulativeOverdueDays)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::RedOverdueShareBasisPoints)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::OnTimeRateBasisPoints)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::WindowMonths)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::CumulativeWindowDays)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(RiskThresholds::Version).integer().not_null())
                    .col(
                        ColumnDef::new(RiskThresholds::RecomputedVersion)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(RiskThresholds::RecomputeHolder)
                            .string()
                            .null(),
                    )
                    .col(ts_null(RiskThresholds::RecomputeLeaseUntil))
                    .col(ColumnDef::new(RiskThresholds::UpdatedBy).uuid().null())
                    .col(ts(RiskThresholds::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RiskThresholds::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum RiskThresholds {
    Table,
    OrgId,
    RedCumulativeOverdueDays,
    RedOverdueShareBasisPoints,
    OnTimeRateBasisPoints,
    WindowMonths,
    CumulativeWindowDays,
    Version,
    RecomputedVersion,
    RecomputeHolder,
    RecomputeLeaseUntil,
    UpdatedBy,
    UpdatedAt,
}
