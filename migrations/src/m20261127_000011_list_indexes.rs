//! Indexes for the deal lists as the web app and integrations ask for them
//! (docs/explain.md has the plans, on 1 M deals).
//!
//! - `deals (org_id, owner_id, stage, created_at, id)`: one rep's deals in
//!   one stage, newest first (the default order), read in index order so
//!   `LIMIT 51` stops after 51 entries instead of sorting the rep's whole
//!   stage. It replaces `(org_id, owner_id, stage)`, its prefix, which
//!   still serves the counts (`totalCount`) and the newcomer scan's
//!   per-owner stuck counts.
//! - `deals (org_id, owner_id, updated_at, id)`: one rep's deals by last
//!   change (the deals page and the Today page's open deals), with any
//!   stage filter applied while walking the index.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_deals_org_owner_stage_created")
                    .table(Deals::Table)
                    .col(Deals::OrgId)
                    .col(Deals::OwnerId)
                    .col(Deals::Stage)
                    .col(Deals::CreatedAt)
                    .col(Deals::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_deals_org_owner_stage").table(Deals::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deals_org_owner_updated")
                    .table(Deals::Table)
                    .col(Deals::OrgId)
                    .col(Deals::OwnerId)
                    .col(Deals::UpdatedAt)
                    .col(Deals::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name("idx_deals_org_owner_updated").table(Deals::Table).to_owned())
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_deals_org_owner_stage")
                    .table(Deals::Table)
                    .col(Deals::OrgId)
                    .col(Deals::OwnerId)
                    .col(Deals::Stage)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(Index::drop().name("idx_deals_org_owner_stage_created").table(Deals::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Deals {
    Table,
    Id,
    OrgId,
    OwnerId,
    Stage,
    CreatedAt,
    UpdatedAt,
}
