//! Notification channels, per-user preferences, the transactional outbox and its delivery attempts.

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
                    .table(Channels::Table)
                    .col(ColumnDef::new(Channels::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Channels::OrgId).uuid().not_null())
                    .col(ColumnDef::new(Channels::Kind).string().not_null())
                    .col(ColumnDef::new(Channels::Name).string().not_null())
                    .col(ColumnDef::new(Channels::Target).text().not_null())
                    .col(ColumnDef::new(Channels::Secret).text().null())
                    .col(ColumnDef::new(Channels::Events).json_binary().null())
                    .col(ColumnDef::new(Channels::CreatedBy).uuid().null())
                    .col(ts(Channels::CreatedAt))
                    .col(ts_null(Channels::RemovedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_channels_org_created",
            Channels::Table,
            vec![Channels::OrgId.into_iden(), Channels::CreatedAt.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(NotificationPrefs::Table)
                    .col(
                        ColumnDef::new(NotificationPrefs::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(NotificationPrefs::OrgId).uuid().not_null())
                    .col(ColumnDef::new(NotificationPrefs::UserId).uuid().not_null())
                    .col(
                        ColumnDef::new(NotificationPrefs::ChannelId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(NotificationPrefs::Kinds)
                            .json_binary()
                            .not_null(),
                    )
                    .col(ts(NotificationPrefs::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_notification_prefs_user_channel",
            NotificationPrefs::Table,
            vec![
                NotificationPrefs::UserId.into_iden(),
                NotificationPrefs::ChannelId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "idx_notification_prefs_org_user",
            NotificationPrefs::Table,
            vec![
                NotificationPrefs::OrgId.into_iden(),
                NotificationPrefs::UserId.into_iden(),
            ],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(ColumnDef::new(Outbox::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Outbox::OrgId).uuid().not_null())
                    .col(ColumnDef::new(Outbox::ChannelId).uuid().not_null())
                    .col(ColumnDef::new(Outbox::Event).string().not_null())
                    .col(ColumnDef::new(Outbox::Payload).json_binary().not_null())
                    .col(ColumnDef::new(Outbox::Status).string().not_null())
                    .col(ColumnDef::new(Outbox::Attempts).integer().not_null())
                    .col(ts(Outbox::NextAttemptAt))
                    .col(ColumnDef::new(Outbox::LastError).text().null())
                    .col(ColumnDef::new(Outbox::LeaseHolder).string().null())
                    .col(ts_null(Outbox::LeaseUntil))
                    .col(ts(Outbox::CreatedAt))
                    .col(ts_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        // The dispatcher's hot path: due pending rows, oldest first.
        index(
            manager,
            "idx_outbox_status_next",
            Outbox::Table,
            vec![
                Outbox::Status.into_iden(),
                Outbox::NextAttemptAt.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_outbox_org_created",
            Outbox::Table,
            vec![
                Outbox::OrgId.into_iden(),
                Outbox::CreatedAt.into_iden(),
                Outbox::Id.into_iden(),
            ],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(DeliveryAttempts::Table)
                    .col(
                        ColumnDef::new(DeliveryAttempts::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(DeliveryAttempts::OrgId).uuid().not_null())
                    .col(ColumnDef::new(DeliveryAttempts::OutboxId).uuid().not_null())
                    .col(
                        ColumnDef::new(DeliveryAttempts::Attempt)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(DeliveryAttempts::Outcome)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(DeliveryAttempts::Detail).text().null())
                    .col(ColumnDef::new(DeliveryAttempts::Holder).string().not_null())
                    .col(ts(DeliveryAttempts::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_delivery_attempts_org_outbox",
            DeliveryAttempts::Table,
            vec![
                DeliveryAttempts::OrgId.into_iden(),
                DeliveryAttempts::OutboxId.into_iden(),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DeliveryAttempts::Table.into_iden(),
            Outbox::Table.into_iden(),
            NotificationPrefs::Table.into_iden(),
            Channels::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Channels {
    Table,
    Id,
    OrgId,
    Kind,
    Name,
    Target,
    Secret,
    Events,
    CreatedBy,
    CreatedAt,
    RemovedAt,
}

#[derive(DeriveIden)]
enum NotificationPrefs {
    Table,
    Id,
    OrgId,
    UserId,
    ChannelId,
    Kinds,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    OrgId,
    ChannelId,
    Event,
    Payload,
    Status,
    Attempts,
    NextAttemptAt,
    LastError,
    LeaseHolder,
    LeaseUntil,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum DeliveryAttempts {
    Table,
    Id,
    OrgId,
    OutboxId,
    Attempt,
    Outcome,
    Detail,
    Holder,
    At,
}
