//! Collaboration: business calendars, SLA policies, numbered tickets and their steps.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn ts(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn ts_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    columns: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for column in columns {
        statement.col(column);
    }
    if unique {
        statement.unique();
    }
    manager.create_index(statement.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(BusinessCalendars::Table)
                    .col(
                        ColumnDef::new(BusinessCalendars::OrgId)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::TimeZone)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::Workdays)
                            .json_binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::WorkStart)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::WorkEnd)
                            .string()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::LunchStart)
                            .string()
                            .null(),
                    )
                    .col(ColumnDef::new(BusinessCalendars::LunchEnd).string().null())
                    .col(
                        ColumnDef::new(BusinessCalendars::Holidays)
                            .json_binary()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(BusinessCalendars::ExtraWorkdays)
                            .json_binary()
                            .not_null(),
                    )
                    .col(ts(BusinessCalendars::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SlaPolicies::Table)
                    .col(
                        ColumnDef::new(SlaPolicies::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SlaPolicies::OrgId).uuid().not_null())
                    .col(ColumnDef::new(SlaPolicies::Kind).string().not_null())
                    .col(
                        ColumnDef::new(SlaPolicies::RequirementType)
                            .string()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SlaPolicies::Minutes).integer().not_null())
                    .col(
                        ColumnDef::new(SlaPolicies::CalendarTime)
                            .boolean()
                            .not_null(),
                    )
                    .col(ColumnDef::new(SlaPolicies::RouteRole).string().null())
                    .col(ts(SlaPolicies::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_sla_policies_org_kind_type",
            SlaPolicies::Table,
            vec![
                SlaPolicies::OrgId.into_iden(),
                SlaPolicies::Kind.into_iden(),
                SlaPolicies::RequirementType.into_iden(),
            ],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(TicketCounters::Table)
                    .col(ColumnDef::new(TicketCounters::OrgId).uuid().not_null())
                    .col(ColumnDef::new(TicketCounters::Kind).string().not_null())
                    .col(
                        ColumnDef::new(TicketCounters::LastNumber)
                            .big_integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(TicketCounters::OrgId)
                            .col(TicketCounters::Kind),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Tickets::Table)
                    .col(ColumnDef::new(Tickets::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(Tickets::OrgId).uuid().not_null())
                    .col(ColumnDef::new(Tickets::Number).big_integer().not_null())
                    .col(ColumnDef::new(Tickets::Code).string().not_null())
                    .col(ColumnDef::new(Tickets::Kind).string().not_null())
                    .col(ColumnDef::new(Tickets::Status).string().not_null())
                    .col(ColumnDef::new(Tickets::BlockedFrom).string().null())
                    .col(ColumnDef::new(Tickets::DealId).uuid().null())
                    .col(ColumnDef::new(Tickets::Title).text().not_null())
                    .col(ColumnDef::new(Tickets::Details).text().null())
                    .col(ColumnDef::new(Tickets::RequirementType).string().null())
                    .col(ColumnDef::new(Tickets::Department).string().not_null())
                    .col(ColumnDef::new(Tickets::RequesterId).uuid().not_null())
                    .col(ColumnDef::new(Tickets::AssigneeId).uuid().null())
                    .col(ColumnDef::new(Tickets::SlaMinutes).integer().not_null())
                    .col(ColumnDef::new(Tickets::CalendarTime).boolean().not_null())
                    .col(
                        ColumnDef::new(Tickets::ConsumedSeconds)
                            .big_integer()
                            .not_null(),
                    )
                    .col(ts_null(Tickets::ClockStartedAt))
                    .col(ts_null(Tickets::WarnAt))
                    .col(ts_null(Tickets::DueAt))
                    .col(ColumnDef::new(Tickets::Color).string().not_null())
                    .col(ts_null(Tickets::WarnedAt))
                    .col(ts_null(Tickets::BreachedAt))
                    .col(ts_null(Tickets::FirstResponseAt))
                    .col(
                        ColumnDef::new(Tickets::FirstResponseMinutes)
                            .big_integer()
                            .null(),
                    )
                    .col(ColumnDef::new(Tickets::ReworkCount).integer().not_null())
                    .col(ColumnDef::new(Tickets::Rating).integer().null())
                    .col(ts(Tickets::CreatedAt))
                    .col(ts(Tickets::UpdatedAt))
                    .col(ts_null(Tickets::ClosedAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_tickets_org_code",
            Tickets::Table,
            vec![Tickets::OrgId.into_iden(), Tickets::Code.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "idx_tickets_org_assignee_status",
            Tickets::Table,
            vec![
                Tickets::OrgId.into_iden(),
                Tickets::AssigneeId.into_iden(),
                Tickets::Status.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_tickets_org_requester",
            Tickets::Table,
            vec![Tickets::OrgId.into_iden(), Tickets::RequesterId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_tickets_org_created",
            Tickets::Table,
            vec![
                Tickets::OrgId.into_iden(),
                Tickets::CreatedAt.into_iden(),
                Tickets::Id.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "idx_tickets_org_deal",
            Tickets::Table,
            vec![Tickets::OrgId.into_iden(), Tickets::DealId.into_iden()],
            false,
        )
        .await?;
        // The SLA scan: running tickets whose warning or due time passed.
        index(
            manager,
            "idx_tickets_warn_at",
            Tickets::Table,
            vec![Tickets::WarnAt.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "idx_tickets_due_at",
            Tickets::Table,
            vec![Tickets::DueAt.into_iden()],
            false,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(TicketEvents::Table)
                    .col(
                        ColumnDef::new(TicketEvents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(TicketEvents::OrgId).uuid().not_null())
                    .col(ColumnDef::new(TicketEvents::TicketId).uuid().not_null())
                    .col(ColumnDef::new(TicketEvents::Action).string().not_null())
                    .col(ColumnDef::new(TicketEvents::FromStatus).string().null())
                    .col(ColumnDef::new(TicketEvents::ToStatus).string().not_null())
                    .col(ColumnDef::new(TicketEvents::ActorKind).string().not_null())
                    .col(ColumnDef::new(TicketEvents::ActorId).uuid().null())
                    .col(ColumnDef::new(TicketEvents::Note).text().null())
                    .col(ColumnDef::new(TicketEvents::Rating).integer().null())
                    .col(ts(TicketEvents::At))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_ticket_events_org_ticket_at",
            TicketEvents::Table,
            vec![
                TicketEvents::OrgId.into_iden(),
                TicketEvents::TicketId.into_iden(),
                TicketEvents::At.into_iden(),
            ],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TicketEvents::Table.into_iden(),
            Tickets::Table.into_iden(),
            TicketCounters::Table.into_iden(),
            SlaPolicies::Table.into_iden(),
            BusinessCalendars::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum BusinessCalendars {
    Table,
    OrgId,
    TimeZone,
    Workdays,
    WorkStart,
    WorkEnd,
    LunchStart,
    LunchEnd,
    Holidays,
    ExtraWorkdays,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SlaPolicies {
    Table,
    Id,
    OrgId,
    Kind,
    RequirementType,
    Minutes,
    CalendarTime,
    RouteRole,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum TicketCounters {
    Table,
    OrgId,
    Kind,
    LastNumber,
}

#[derive(DeriveIden)]
enum Tickets {
    Table,
    Id,
    OrgId,
    Number,
    Code,
    Kind,
    Status,
    BlockedFrom,
    DealId,
    Title,
    Details,
    RequirementType,
    Department,
    RequesterId,
    AssigneeId,
    SlaMinutes,
    CalendarTime,
    ConsumedSeconds,
    ClockStartedAt,
    WarnAt,
    DueAt,
    Color,
    WarnedAt,
    BreachedAt,
    FirstResponseAt,
    FirstResponseMinutes,
    ReworkCount,
    Rating,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum TicketEvents {
    Table,
    Id,
    OrgId,
    TicketId,
    Action,
    FromStatus,
    ToStatus,
    ActorKind,
    ActorId,
    Note,
    Rating,
    At,
}
