//! Platform: audit log and idempotency keys.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(ColumnDef::new(AuditLog::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(AuditLog::OrgId).uuid().not_null())
                    .col(ColumnDef::new(AuditLog::ActorKind).string().not_null())
                    .col(ColumnDef::new(AuditLog::ActorId).uuid().null())
                    .col(ColumnDef::new(AuditLog::Action).string().not_null())
                    .col(ColumnDef::new(AuditLog::EntityType).string().not_null())
                    .col(ColumnDef::new(AuditLog::EntityId).uuid().null())
                    .col(ColumnDef::new(AuditLog::Before).json_binary().null())
                    .col(ColumnDef::new(AuditLog::After).json_binary().null())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::RequestId).string().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_org_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::OrgId)
                    .col(AuditLog::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_org_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::OrgId)
                    .col(AuditLog::EntityId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .col(
                        ColumnDef::new(IdempotencyKeys::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::OrgId).uuid().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Principal)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Key).string().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Status).string().not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::Response)
                            .json_binary()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_keys_principal_key")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::Principal)
                    .col(IdempotencyKeys::Key)
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    OrgId,
    ActorKind,
    ActorId,
    Action,
    EntityType,
    EntityId,
    Before,
    After,
    At,
    RequestId,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Id,
    OrgId,
    Principal,
    Key,
    RequestHash,
    Status,
    Response,
    CreatedAt,
}
