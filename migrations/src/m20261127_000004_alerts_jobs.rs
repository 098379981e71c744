//! Alerts, alert rules, leaderless job schedules and runs, the shared test clock.

use sea_orm_migration::prelude::*;

use crate::schema_helpers::{index, ts, ts_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobSchedules::Table)
                    .col(
                        ColumnDef::new(JobSchedules::Name)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ts(JobSchedules::NextRunAt))
                    .col(ColumnDef::new(JobSchedules::LeaseHolder).string().null())
                    .col(ts_null(JobSchedules::LeaseUntil))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobRuns::Table)
                    .col(ColumnDef::new(JobRuns::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(JobRuns::Job).string().not_null())
                    .col(ColumnDef::new(JobRuns::Holder).string().not_null())
                    .col(ts(JobRuns::ScheduledFor))
                    .col(ts(JobRuns::StartedAt))
                    .col(ts_null(JobRuns::FinishedAt))
                    .col(ColumnDef::new(JobRuns::Items).integer().not_null())
                    .col(ColumnDef::new(JobRuns::Error).text().null())
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_job_runs_job_started",
            JobRuns::Table,
            vec![JobRuns::Job.into_iden(), JobRuns::StartedAt.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(TestClock::Table)
                    .col(
                        ColumnDef::new(TestClock::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ts(TestClock::Now))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AlertRules::Table)
                    .col(
                        ColumnDef::new(AlertRules::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AlertRules::OrgId).uuid().not_null())
                    .col(ColumnDef::new(AlertRules::Kind).string().not_null())
                    .col(ColumnDef::new(AlertRules::Enabled).boolean().not_null())
                    .col(ColumnDef::new(AlertRules::Params).json_binary().not_null())
                    .col(ts(AlertRules::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_alert_rules_org_kind",
            AlertRules::Table,
            vec![AlertRules::OrgId.into_iden(), AlertRules::Kind.into_iden()],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alerts::Table)
                    .col(ColumnDef::new(Alerts::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Alerts::OrgId).uuid().not_null())
                    .col(ColumnDef::new(Alerts::Kind).string().not_null())
                    .col(ColumnDef::new(Alerts::Status).string().not_null())
                    .col(ColumnDef::new(Alerts::SubjectType).string().not_null())
                    .col(ColumnDef::new(Alerts::SubjectId).uuid().not_null())
                    .col(ColumnDef::new(Alerts::DealId).uuid().null())
                    .col(ColumnDef::new(Alerts::UserId).uuid().null())
                    .col(ColumnDef::new(Alerts::Title).text().not_null())
                    .col(ColumnDef::new(Alerts::Details).json_binary().not_null())
                    .col(ColumnDef::new(Alerts::OpenKey).string().null())
                    .col(ts(Alerts::RaisedAt))
                    .col(ts_null(Alerts::AcknowledgedAt))
                    .col(ColumnDef::new(Alerts::AcknowledgedBy).uuid().null())
                    .col(ts_null(Alerts::ResolvedAt))
                    .col(ts_null(Alerts::EscalatedAt))
                    .to_owned(),
            )
            .await?;
        // One open alert per rule and subject: `open_key` is set while open, NULL once resolved.
        index(
            manager,
            "idx_alerts_org_open_key",
            Alerts::Table,
            vec![Alerts::OrgId.into_iden(), Alerts::OpenKey.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "idx_alerts_org_status_raised",
            Alerts::Table,
            vec![
                Alerts::OrgId.into_iden(),
                Alerts::Status.into_iden(),
                Alerts::RaisedAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_alerts_org_subject",
            Alerts::Table,
            vec![Alerts::OrgId.into_iden(), Alerts::SubjectId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_alerts_org_raised",
            Alerts::Table,
            vec![
                Alerts::OrgId.into_iden(),
                Alerts::RaisedAt.into_iden(),
                Alerts::Id.into_iden(),
            ],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(AlertRecipients::Table)
                    .col(
                        ColumnDef::new(AlertRecipients::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AlertRecipients::OrgId).uuid().not_null())
                    .col(ColumnDef::new(AlertRecipients::AlertId).uuid().not_null())
                    .col(ColumnDef::new(AlertRecipients::UserId).uuid().not_null())
                    .col(ts(AlertRecipients::AddedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_alert_recipients_alert_user",
            AlertRecipients::Table,
            vec![
                AlertRecipients::AlertId.into_iden(),
                AlertRecipients::UserId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_alert_recipients_org_user",
            AlertRecipients::Table,
            vec![
                AlertRecipients::OrgId.into_iden(),
                AlertRecipients::UserId.into_iden(),
                AlertRecipients::AlertId.into_iden(),
            ],
            false,
        )
        .await?;
        // The scans look deals up by next follow-up and reassignments by time.
        index(
            manager,
            "idx_deal_assignments_org_at",
            DealAssignments::Table,
            vec![
                DealAssignments::OrgId.into_iden(),
                DealAssignments::At.into_iden(),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_deal_assignments_org_at")
                    .table(DealAssignments::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            AlertRecipients::Table.into_iden(),
            Alerts::Table.into_iden(),
            AlertRules::Table.into_iden(),
            TestClock::Table.into_iden(),
            JobRuns::Table.into_iden(),
            JobSchedules::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum JobSchedules {
    Table,
    Name,
    NextRunAt,
    LeaseHolder,
    LeaseUntil,
}

#[derive(DeriveIden)]
enum JobRuns {
    Table,
    Id,
    Job,
    Holder,
    ScheduledFor,
    StartedAt,
    FinishedAt,
    Items,
    Error,
}

#[derive(DeriveIden)]
enum TestClock {
    Table,
    Id,
    Now,
}

#[derive(DeriveIden)]
enum AlertRules {
    Table,
    Id,
    OrgId,
    Kind,
    Enabled,
    Params,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Alerts {
    Table,
    Id,
    OrgId,
    Kind,
    Status,
    SubjectType,
    SubjectId,
    DealId,
    UserId,
    Title,
    Details,
    OpenKey,
    RaisedAt,
    AcknowledgedAt,
    AcknowledgedBy,
    ResolvedAt,
    EscalatedAt,
}

#[derive(DeriveIden)]
enum AlertRecipients {
    Table,
    Id,
    OrgId,
    AlertId,
    UserId,
    AddedAt,
}

#[derive(DeriveIden)]
enum DealAssignments {
    Table,
    OrgId,
    At,
}
