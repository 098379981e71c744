//! The collaboration center: tickets, SLA policies and the business calendar.

use async_graphql::{Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc, Weekday};
use dealdesk_app::tickets::{CalendarInput, NewTicket, SlaChange, TicketFilter, TicketScope};
use dealdesk_app::App;
use dealdesk_domain::{BusinessCalendar, RequirementType, SlaColor, TicketAction, TicketKind, TicketStatus};
use dealdesk_persistence::entities::{sla_policies, ticket_events, tickets};

use crate::error::{lookup_id, optional_id, principal, ResultExt};
use crate::loaders::{loader_error, loaders};
use crate::scalars::Date;
use crate::types::{connection, Conn, Deal, RoleValue, User};

/// Ticket kinds (C3).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TicketKindValue {
    Handoff,
    TechAssessment,
    DeliveryConfirmation,
    Requirement,
    /// R4 yellow: the owner's overdue-cause analysis.
    OverdueAnalysis,
    /// R4 red: legal takes over.
    LegalCase,
}

impl From<TicketKindValue> for TicketKind {
    fn from(value: TicketKindValue) -> Self {
        match value {
            TicketKindValue::Handoff => TicketKind::Handoff,
            TicketKindValue::TechAssessment => TicketKind::TechAssessment,
            TicketKindValue::DeliveryConfirmation => TicketKind::DeliveryConfirmation,
            TicketKindValue::Requirement => TicketKind::Requirement,
            TicketKindValue::OverdueAnalysis => TicketKind::OverdueAnalysis,
            TicketKindValue::LegalCase => TicketKind::LegalCase,
        }
    }
}

fn kind_value(stored: &str) -> TicketKindValue {
    match TicketKind::parse(stored) {
        Ok(TicketKind::Handoff) => TicketKindValue::Handoff,
        Ok(TicketKind::DeliveryConfirmation) => TicketKindValue::DeliveryConfirmation,
        Ok(TicketKind::Requirement) => TicketKindValue::Requirement,
        Ok(TicketKind::OverdueAnalysis) => TicketKindValue::OverdueAnalysis,
        Ok(TicketKind::LegalCase) => TicketKindValue::LegalCase,
        _ => TicketKindValue::TechAssessment,
    }
}

/// Requirement types (新增需求), routed to a department.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RequirementTypeValue {
    ProductFeature,
    CustomDevelopment,
    ServiceUpgrade,
}

impl From<RequirementTypeValue> for RequirementType {
    fn from(value: RequirementTypeValue) -> Self {
        match value {
            RequirementTypeValue::ProductFeature => RequirementType::ProductFeature,
            RequirementTypeValue::CustomDevelopment => RequirementType::CustomDevelopment,
            RequirementTypeValue::ServiceUpgrade => RequirementType::ServiceUpgrade,
        }
    }
}

fn requirement_value(stored: &str) -> Option<RequirementTypeValue> {
    match RequirementType::parse(stored).ok()? {
        RequirementType::ProductFeature => Some(RequirementTypeValue::ProductFeature),
        RequirementType::CustomDevelopment => Some(RequirementTypeValue::CustomDevelopment),
        RequirementType::ServiceUpgrade => Some(RequirementTypeValue::ServiceUpgrade),
    }
}

/// Ticket statuses (C4).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TicketStatusValue {
    Open,
    InProgress,
    Delivered,
    Accepted,
    Blocked,
}

impl From<TicketStatusValue> for TicketStatus {
    fn from(value: TicketStatusValue) -> Self {
        match value {
            TicketStatusValue::Open => TicketStatus::Open,
            TicketStatusValue::InProgress => TicketStatus::InProgress,
            TicketStatusValue::Delivered => TicketStatus::Delivered,
            TicketStatusValue::Accepted => TicketStatus::Accepted,
            TicketStatusValue::Blocked => TicketStatus::Blocked,
        }
    }
}

fn status_value(stored: &str) -> TicketStatusValue {
    match TicketStatus::parse(stored) {
        Ok(TicketStatus::InProgress) => TicketStatusValue::InProgress,
        Ok(TicketStatus::Delivered) => TicketStatusValue::Delivered,
        Ok(TicketStatus::Accepted) => TicketStatusValue::Accepted,
        Ok(TicketStatus::Blocked) => TicketStatusValue::Blocked,
        _ => TicketStatusValue::Open,
    }
}

/// The three SLA colours.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum SlaColorValue {
    Green,
    Yellow,
    Red,
}

impl From<SlaColor> for SlaColorValue {
    fn from(color: SlaColor) -> Self {
        match color {
            SlaColor::Green => SlaColorValue::Green,
            SlaColor::Yellow => SlaColorValue::Yellow,
            SlaColor::Red => SlaColorValue::Red,
        }
    }
}

impl From<SlaColorValue> for SlaColor {
    fn from(value: SlaColorValue) -> Self {
        match value {
            SlaColorValue::Green => SlaColor::Green,
            SlaColorValue::Yellow => SlaColor::Yellow,
            SlaColorValue::Red => SlaColor::Red,
        }
    }
}

/// Which tickets a list shows.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum TicketScopeValue {
    /// Everything the caller may see.
    All,
    /// Assigned to me, or unassigned in my department's queue.
    MyQueue,
    /// Raised by me.
    MyRequests,
}

/// A numbered collaboration ticket (工单).
pub struct Ticket(pub tickets::Model);

#[Object]
impl Ticket {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    /// The ticket number, e.g. `TA-000042` (per org and kind, gap-free).
    async fn number(&self) -> &str {
        &self.0.code
    }
    /// The sequence within the kind.
    async fn sequence(&self) -> i64 {
        self.0.number
    }
    async fn kind(&self) -> TicketKindValue {
        kind_value(&self.0.kind)
    }
    async fn requirement_type(&self) -> Option<RequirementTypeValue> {
        self.0.requirement_type.as_deref().and_then(requirement_value)
    }
    async fn status(&self) -> TicketStatusValue {
        status_value(&self.0.status)
    }
    /// GREEN inside the SLA, YELLOW from 80 % used, RED when breached or blocked (as of now).
    async fn color(&self, ctx: &Context<'_>) -> async_graphql::Result<SlaColorValue> {
        let calendar = crate::loaders::calendar(ctx).await?;
        Ok(ctx.data::<App>()?.ticket_clock(&calendar, &self.0).0.into())
    }
    /// When the SLA runs out while the clock runs; null while paused (delivered) or closed.
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }
    /// SLA minutes left (negative when breached), counted in working time unless the policy says calendar time.
    async fn remaining_minutes(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let calendar = crate::loaders::calendar(ctx).await?;
        Ok(ctx.data::<App>()?.ticket_clock(&calendar, &self.0).1)
    }
    async fn sla_minutes(&self) -> i32 {
        self.0.sla_minutes
    }
    /// Whether the SLA counts calendar time rather than working time.
    async fn calendar_time(&self) -> bool {
        self.0.calendar_time
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn details(&self) -> Option<&str> {
        self.0.details.as_deref()
    }
    /// The department queue (TECH, DELIVERY, SALES…).
    async fn department(&self) -> &str {
        &self.0.department
    }
    async fn assignee(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.assignee_id else { return Ok(None) };
        Ok(loaders(ctx)?.users.load_one(id).await.map_err(loader_error)?.map(User))
    }
    async fn requester(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(loaders(ctx)?.users.load_one(self.0.requester_id).await.map_err(loader_error)?.map(User))
    }
    /// The deal it belongs to (null if none, or if the caller may not see it).
    async fn deal(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Deal>> {
        let Some(deal) = self.0.deal_id else { return Ok(None) };
        Ok(loaders(ctx)?.visible_deals.load_one(deal).await.map_err(loader_error)?.map(Deal::from))
    }
    /// Rejections so far (rework).
    async fn rework_count(&self) -> i32 {
        self.0.rework_count
    }
    /// The requester's 1–5 rating on acceptance.
    async fn rating(&self) -> Option<i32> {
        self.0.rating
    }
    async fn first_response_at(&self) -> Option<DateTime<Utc>> {
        self.0.first_response_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.closed_at
    }
    /// Every step, oldest first.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<TicketStep>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.ticket_history(principal, self.0.id).await.gql()?.into_iter().map(TicketStep).collect())
    }
}

/// One step of a ticket.
pub struct TicketStep(pub ticket_events::Model);

#[Object]
impl TicketStep {
    /// CREATED, STARTED, DELIVERED, ACCEPTED, REJECTED, BLOCKED, UNBLOCKED or ANSWERED.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn from_status(&self) -> Option<TicketStatusValue> {
        self.0.from_status.as_deref().map(status_value)
    }
    async fn to_status(&self) -> TicketStatusValue {
        status_value(&self.0.to_status)
    }
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        let Some(id) = self.0.actor_id.filter(|_| self.0.actor_kind == "USER") else { return Ok(None) };
        Ok(loaders(ctx)?.users.load_one(id).await.map_err(loader_error)?.map(User))
    }
    /// The delivery note, or the reason for a rejection or block.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    async fn rating(&self) -> Option<i32> {
        self.0.rating
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// An SLA policy.
pub struct SlaPolicy(pub sla_policies::Model);

#[Object]
impl SlaPolicy {
    async fn kind(&self) -> TicketKindValue {
        kind_value(&self.0.kind)
    }
    async fn requirement_type(&self) -> Option<RequirementTypeValue> {
        requirement_value(&self.0.requirement_type)
    }
    /// The budget in minutes.
    async fn minutes(&self) -> i32 {
        self.0.minutes
    }
    /// Counted in calendar time rather than working time.
    async fn calendar_time(&self) -> bool {
        self.0.calendar_time
    }
    /// The department queue requirement tickets of this type go to.
    async fn route_role(&self) -> Option<RoleValue> {
        self.0.route_role.as_deref().and_then(|role| dealdesk_domain::Role::parse(role).ok()).map(RoleValue::from)
    }
}

/// Days of the week.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum WeekdayValue {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl From<WeekdayValue> for Weekday {
    fn from(value: WeekdayValue) -> Self {
        match value {
            WeekdayValue::Mon => Weekday::Mon,
            WeekdayValue::Tue => Weekday::Tue,
            WeekdayValue::Wed => Weekday::Wed,
            WeekdayValue::Thu => Weekday::Thu,
            WeekdayValue::Fri => Weekday::Fri,
            WeekdayValue::Sat => Weekday::Sat,
            WeekdayValue::Sun => Weekday::Sun,
        }
    }
}

fn weekday_value(day: Weekday) -> WeekdayValue {
    match day {
        Weekday::Mon => WeekdayValue::Mon,
        Weekday::Tue => WeekdayValue::Tue,
        Weekday::Wed => WeekdayValue::Wed,
        Weekday::Thu => WeekdayValue::Thu,
        Weekday::Fri => WeekdayValue::Fri,
        Weekday::Sat => WeekdayValue::Sat,
        Weekday::Sun => WeekdayValue::Sun,
    }
}

/// The org's business calendar (C1).
pub struct Calendar(pub BusinessCalendar);

#[Object(name = "BusinessCalendar")]
impl Calendar {
    async fn time_zone(&self) -> String {
        self.0.tz().name().to_string()
    }
    async fn workdays(&self) -> Vec<WeekdayValue> {
        self.0.workdays().iter().map(|day| weekday_value(*day)).collect()
    }
    /// "09:00".
    async fn work_start(&self) -> String {
        self.0.hours().start.format("%H:%M").to_string()
    }
    async fn work_end(&self) -> String {
        self.0.hours().end.format("%H:%M").to_string()
    }
    async fn lunch_start(&self) -> Option<String> {
        self.0.hours().lunch.map(|(start, _)| start.format("%H:%M").to_string())
    }
    async fn lunch_end(&self) -> Option<String> {
        self.0.hours().lunch.map(|(_, end)| end.format("%H:%M").to_string())
    }
    async fn holidays(&self) -> Vec<Date> {
        self.0.holidays().iter().copied().map(Date).collect()
    }
    /// Make-up working days (调休).
    async fn extra_workdays(&self) -> Vec<Date> {
        self.0.extra_workdays().iter().copied().map(Date).collect()
    }
}

/// Input of `createTicket`.
#[derive(InputObject)]
pub struct CreateTicketInput {
    pub kind: TicketKindValue,
    pub deal_id: Option<ID>,
    pub title: String,
    pub details: Option<String>,
    /// Required for REQUIREMENT tickets.
    pub requirement_type: Option<RequirementTypeValue>,
    /// Omit to route to the department's queue.
    pub assignee_id: Option<ID>,
}

/// Filter of `tickets`.
#[derive(InputObject, Default)]
pub struct TicketFilterInput {
    /// MY_QUEUE, MY_REQUESTS or ALL (default).
    pub scope: Option<TicketScopeValue>,
    pub kind: Option<TicketKindValue>,
    pub status: Option<TicketStatusValue>,
    pub color: Option<SlaColorValue>,
    pub assignee_id: Option<ID>,
    pub requester_id: Option<ID>,
    pub deal_id: Option<ID>,
}

/// Input of `setBusinessCalendar`.
#[derive(InputObject)]
pub struct BusinessCalendarInput {
    pub time_zone: String,
    pub workdays: Vec<WeekdayValue>,
    #[graphql(default = "09:00")]
    pub work_start: String,
    #[graphql(default = "18:00")]
    pub work_end: String,
    pub lunch_start: Option<String>,
    pub lunch_end: Option<String>,
    #[graphql(default)]
    pub holidays: Vec<Date>,
    /// Make-up working days (调休).
    #[graphql(default)]
    pub extra_workdays: Vec<Date>,
}

/// Input of `updateSlaPolicy`.
#[derive(InputObject)]
pub struct UpdateSlaPolicyInput {
    pub kind: TicketKindValue,
    pub requirement_type: Option<RequirementTypeValue>,
    pub minutes: Option<i32>,
    pub calendar_time: Option<bool>,
    pub route_role: Option<RoleValue>,
}

/// `ticket(id)`.
pub async fn ticket(ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Ticket>> {
    let principal = principal(ctx)?;
    let id = lookup_id("ticket", &id).gql()?;
    ctx.data::<App>()?.ticket(principal, id).await.map(|ticket| Some(Ticket(ticket))).gql()
}

/// `tickets(filter, …)`.
pub async fn tickets(ctx: &Context<'_>, filter: Option<TicketFilterInput>, page: dealdesk_app::page::PageRequest) -> async_graphql::Result<Conn<Ticket>> {
    let principal = principal(ctx)?;
    let filter = filter.unwrap_or_default();
    let filter = TicketFilter {
        scope: match filter.scope {
            Some(TicketScopeValue::MyQueue) => TicketScope::MyQueue,
            Some(TicketScopeValue::MyRequests) => TicketScope::MyRequests,
            _ => TicketScope::All,
        },
        kind: filter.kind.map(Into::into),
        status: filter.status.map(Into::into),
        color: filter.color.map(Into::into),
        assignee_id: optional_id::<uuid::Uuid>("assigneeId", filter.assignee_id.as_ref()).gql()?,
        requester_id: optional_id::<uuid::Uuid>("requesterId", filter.requester_id.as_ref()).gql()?,
        deal_id: optional_id::<uuid::Uuid>("dealId", filter.deal_id.as_ref()).gql()?,
    };
    let tickets = ctx.data::<App>()?.tickets(principal, filter, page).await.gql()?;
    Ok(connection(tickets, Ticket))
}

/// `createTicket(input)`.
pub async fn create_ticket(ctx: &Context<'_>, input: CreateTicketInput) -> async_graphql::Result<Ticket> {
    let principal = principal(ctx)?;
    let ticket = NewTicket {
        kind: input.kind.into(),
        deal_id: input.deal_id.as_ref().map(|id| lookup_id("deal", id)).transpose().gql()?,
        title: input.title,
        details: input.details,
        requirement_type: input.requirement_type.map(Into::into),
        assignee_id: optional_id::<uuid::Uuid>("assigneeId", input.assignee_id.as_ref()).gql()?,
    };
    ctx.data::<App>()?.create_ticket(principal, ticket).await.map(Ticket).gql()
}

/// One life-cycle step.
pub async fn step(ctx: &Context<'_>, id: ID, action: TicketAction, note: Option<String>, rating: Option<i32>) -> async_graphql::Result<Ticket> {
    let principal = principal(ctx)?;
    let id = lookup_id("ticket", &id).gql()?;
    ctx.data::<App>()?.ticket_step(principal, id, action, note, rating).await.map(Ticket).gql()
}

/// `setBusinessCalendar(input)`.
pub async fn set_calendar(ctx: &Context<'_>, input: BusinessCalendarInput) -> async_graphql::Result<Calendar> {
    let principal = principal(ctx)?;
    let calendar = CalendarInput {
        time_zone: input.time_zone,
        workdays: input.workdays.into_iter().map(Into::into).collect(),
        work_start: input.work_start,
        work_end: input.work_end,
        lunch_start: input.lunch_start,
        lunch_end: input.lunch_end,
        holidays: input.holidays.into_iter().map(|date| date.0).collect(),
        extra_workdays: input.extra_workdays.into_iter().map(|date| date.0).collect(),
    };
    ctx.data::<App>()?.set_business_calendar(principal, calendar).await.map(Calendar).gql()
}

/// `updateSlaPolicy(input)`.
pub async fn update_policy(ctx: &Context<'_>, input: UpdateSlaPolicyInput) -> async_graphql::Result<SlaPolicy> {
    let principal = principal(ctx)?;
    let change = SlaChange {
        kind: input.kind.into(),
        requirement_type: input.requirement_type.map(Into::into),
        minutes: input.minutes,
        calendar_time: input.calendar_time,
        route_role: input.route_role.map(Into::into),
    };
    ctx.data::<App>()?.update_sla_policy(principal, change).await.map(SlaPolicy).gql()
}
