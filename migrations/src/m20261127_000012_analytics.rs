//! Org-wide analytics (B1 funnel, B2 heatmap) read a period's stage
//! transitions without walking each deal's history.
//!
//! - `deal_transitions.from_stage_entered_at`: when the deal had entered the
//!   stage this move leaves, i.e. the start of the stay the move ends (NULL
//!   for the creation record). The move knows it (the deal's
//!   `entered_stage_at`) and records it, so a stay's dwell is one row's
//!   `at − from_stage_entered_at` instead of a `LAG` over the deal's whole
//!   history. Existing rows are filled from each deal's previous transition.
//! - `idx_deal_transitions_org_at` (`org_id, at`): a period is one range
//!   read of it; the existing `(org_id, deal_id, at)` index serves the
//!   queries driven by a team's or a rep's deals.
//! - `idx_deal_assignments_org_to_owner` and `…_from_owner`: funnel health
//!   finds the deals a team's reps ever held by these, not by reading every
//!   reassignment of the org.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(DealTransitions::Table)
                    .add_column(ColumnDef::new(DealTransitions::FromStageEnteredAt).timestamp_with_time_zone().null())
                    .to_owned(),
            )
            .await?;
        // Each move's stay began at the deal's previous transition (same
        // order as the history: by time, then id). `UPDATE … FROM` with a
        // window works on PostgreSQL and on SQLite (3.33+).
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE deal_transitions SET from_stage_entered_at = previous.entered_at \
                 FROM (SELECT id, LAG(at) OVER (PARTITION BY org_id, deal_id ORDER BY at, id) AS entered_at FROM deal_transitions) AS previous \
                 WHERE previous.id = deal_transitions.id AND deal_transitions.from_stage IS NOT NULL",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deal_transitions_org_at")
                    .table(DealTransitions::Table)
                    .col(DealTransitions::OrgId)
                    .col(DealTransitions::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deal_assignments_org_to_owner")
                    .table(DealAssignments::Table)
                    .col(DealAssignments::OrgId)
                    .col(DealAssignments::ToOwnerId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deal_assignments_org_from_owner")
                    .table(DealAssignments::Table)
                    .col(DealAssignments::OrgId)
                    .col(DealAssignments::FromOwnerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in ["idx_deal_assignments_org_from_owner", "idx_deal_assignments_org_to_owner"] {
            manager.drop_index(Index::drop().name(name).table(DealAssignments::Table).to_owned()).await?;
        }
        manager
            .drop_index(Index::drop().name("idx_deal_transitions_org_at").table(DealTransitions::Table).to_owned())
            .await?;
        manager
            .alter_table(Table::alter().table(DealTransitions::Table).drop_column(DealTransitions::FromStageEnteredAt).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DealAssignments {
    Table,
    OrgId,
    ToOwnerId,
    FromOwnerId,
}

#[derive(DeriveIden)]
enum DealTransitions {
    Table,
    OrgId,
    At,
    FromStageEnteredAt,
}
