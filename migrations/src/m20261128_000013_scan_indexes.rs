//! An index for the follow-up scan (E2), found by `make bench` on a
//! generated org of 1 M deals (docs/explain.md has the plans).
//!
//! - `deals (org_id, stage, next_follow_up_at, id)`: one open stage's deals
//!   whose follow-up time has passed, in `(next_follow_up_at, id)` order, so
//!   the scan pages through them by that keyset. Before, it paged by id over
//!   the primary key and filtered every deal of the org on each page; by
//!   `(org_id, next_follow_up_at)` it would still read the half a million
//!   won and lost deals whose last follow-up time lies in the past.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_deals_org_stage_follow_up")
                    .table(Deals::Table)
                    .col(Deals::OrgId)
                    .col(Deals::Stage)
                    .col(Deals::NextFollowUpAt)
                    .col(Deals::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_deals_org_stage_follow_up").table(Deals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    OrgId,
    Stage,
    NextFollowUpAt,
}
