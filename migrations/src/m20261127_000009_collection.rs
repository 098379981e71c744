//! Collection warnings (R5): the hourly scan looks for open receivables not
//! yet warned whose due date is at most 15 days away.
//!
//! The scan runs across every org (like the daily tier recompute), so this
//! index deliberately leads with `warned_at` rather than `org_id`: the scan's
//! `warned_at IS NULL AND due_date BETWEEN today AND today + 15` is one range
//! read of it, and warned receivables (the vast majority over time) sit
//! outside that range.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("idx_receivables_warned_due")
                    .table(Receivables::Table)
                    .col(Receivables::WarnedAt)
                    .col(Receivables::DueDate)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_receivables_warned_due")
                    .table(Receivables::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Receivables {
    Table,
    WarnedAt,
    DueDate,
}
