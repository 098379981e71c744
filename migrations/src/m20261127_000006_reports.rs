//! Generated reports (the weekly funnel health report), one per person, kind and period.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(ColumnDef::new(Reports::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Reports::OrgId).uuid().not_null())
                    .col(ColumnDef::new(Reports::UserId).uuid().not_null())
                    .col(ColumnDef::new(Reports::Kind).string().not_null())
                    .col(
                        ColumnDef::new(Reports::PeriodStart)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Reports::PeriodEnd)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Reports::Content).json_binary().not_null())
                    .col(
                        ColumnDef::new(Reports::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        // Exactly one report per person, kind and period, whatever the number of processes.
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_org_user_kind_period")
                    .table(Reports::Table)
                    .col(Reports::OrgId)
                    .col(Reports::UserId)
                    .col(Reports::Kind)
                    .col(Reports::PeriodEnd)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Reports::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    OrgId,
    UserId,
    Kind,
    PeriodStart,
    PeriodEnd,
    Content,
    CreatedAt,
}
