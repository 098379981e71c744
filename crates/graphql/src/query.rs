//! Root queries.

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::alerts::AlertFilter;
use dealdesk_app::audit::AuditFilter;
use dealdesk_app::customers::CustomerFilter;
use dealdesk_app::deals::{DealFilter, DealOrderField as AppOrderField};
use dealdesk_app::page::PageRequest;
use dealdesk_app::App;
use dealdesk_domain::{CustomerId, DealId};
use uuid::Uuid;

use crate::error::{lookup_id, optional_id, principal, ResultExt};
use crate::inputs::{AlertFilterInput, AuditFilterInput, CustomerFilterInput, DealFilterInput, DealOrder, DealOrderField, OrderDirection};
use crate::quick::Quick;
use crate::types::{connection, deal_connection, deal_selection, whole_deal_with, Alert, AlertRule, ApiKey, AuditEntry, Conn, Customer, Deal, Org, Stage, Team, User};

/// The root of all queries.
pub struct QueryRoot;

#[Object(name = "Query")]
impl QueryRoot {
    /// The signed-in user.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<User> {
        let principal = principal(ctx)?;
        ctx.data::<App>()?.me(principal).await.map(User).gql()
    }

    /// The caller's organization.
    async fn org(&self, ctx: &Context<'_>) -> async_graphql::Result<Org> {
        let principal = principal(ctx)?;
        ctx.data::<App>()?.org(principal).await.map(Org).gql()
    }

    /// The org's people.
    async fn users(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.users(principal).await.gql()?.into_iter().map(User).collect())
    }

    /// The org's teams.
    async fn teams(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Team>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.teams(principal).await.gql()?.into_iter().map(Team).collect())
    }

    /// The org's pipeline stages, in order.
    async fn stages(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Stage>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.stages(principal).await.gql()?.into_iter().map(Stage).collect())
    }

    /// A customer the caller may see (`NOT_FOUND` otherwise).
    async fn customer(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Customer>> {
        let principal = principal(ctx)?;
        let id: CustomerId = lookup_id("customer", &id).gql()?;
        ctx.data::<App>()?.customer(principal, id).await.map(|row| Some(Customer(row))).gql()
    }

    /// Customers the caller may see, newest first.
    async fn customers(
        &self,
        ctx: &Context<'_>,
        filter: Option<CustomerFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Customer>> {
        let principal = principal(ctx)?;
        let filter = filter.unwrap_or_default();
        let page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        let filter = CustomerFilter {
            search: filter.search,
            industry: filter.industry,
            region: filter.region,
            owner_id: optional_id::<Uuid>("ownerId", filter.owner_id.as_ref()).gql()?,
        };
        let customers = ctx.data::<App>()?.customers(principal, filter, page).await.gql()?;
        Ok(connection(customers, Customer))
    }

    /// A deal the caller may see (`NOT_FOUND` otherwise).
    async fn deal(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Deal>> {
        let principal = principal(ctx)?;
        let id: DealId = lookup_id("deal", &id).gql()?;
        let listed = ctx.data::<App>()?.deal_joined(principal, id, whole_deal_with(ctx.look_ahead())).await.gql()?;
        Ok(Some(Deal::from(listed)))
    }

    /// Deals the caller may see.
    #[allow(clippy::too_many_arguments)]
    async fn deals(
        &self,
        ctx: &Context<'_>,
        filter: Option<DealFilterInput>,
        order_by: Option<DealOrder>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Quick<Deal>>> {
        let principal = principal(ctx)?;
        let filter = filter.unwrap_or_default();
        let order = order_by.unwrap_or_default();
        let mut page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), order.direction == OrderDirection::Desc).gql()?;
        page.count_total = ctx.look_ahead().field("totalCount").exists();
        let field = match order.field {
            DealOrderField::CreatedAt => AppOrderField::CreatedAt,
            DealOrderField::UpdatedAt => AppOrderField::UpdatedAt,
            DealOrderField::EnteredStageAt => AppOrderField::EnteredStageAt,
        };
        let filter = DealFilter {
            search: filter.search,
            stage: filter.stage,
            owner_id: optional_id::<Uuid>("ownerId", filter.owner_id.as_ref()).gql()?,
            customer_id: optional_id::<Uuid>("customerId", filter.customer_id.as_ref()).gql()?,
            industry: filter.industry,
            region: filter.region,
            product_line: filter.product_line,
            stuck: filter.stuck,
            open: filter.open,
            follow_up_due_before: filter.follow_up_due_before,
        };
        let deals = ctx.data::<App>()?.deals(principal, filter, field, page, deal_selection(ctx)).await.gql()?;
        Ok(deal_connection(deals))
    }

    /// The audit trail, newest first (admin).
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        filter: Option<AuditFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<AuditEntry>> {
        let principal = principal(ctx)?;
        let filter = filter.unwrap_or_default();
        let page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        let filter = AuditFilter {
            entity_id: optional_id::<Uuid>("entityId", filter.entity_id.as_ref()).gql()?,
            actor_id: optional_id::<Uuid>("actorId", filter.actor_id.as_ref()).gql()?,
            action: filter.action,
        };
        let entries = ctx.data::<App>()?.audit_log(principal, filter, page).await.gql()?;
        Ok(connection(entries, AuditEntry))
    }

    /// The org's integration keys (admin).
    async fn api_keys(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiKey>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.api_keys(principal).await.gql()?.into_iter().map(ApiKey).collect())
    }

    /// Alerts addressed to the caller (admins: every alert of the org), newest first.
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        filter: Option<AlertFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Alert>> {
        let principal = principal(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        page.count_total = ctx.look_ahead().field("totalCount").exists();
        let filter = AlertFilter {
            status: filter.status.map(|status| status.as_str().to_string()),
            kind: filter.kind.map(Into::into),
            subject_id: optional_id::<Uuid>("subjectId", filter.subject_id.as_ref()).gql()?,
        };
        let alerts = ctx.data::<App>()?.alerts(principal, filter, page).await.gql()?;
        Ok(connection(alerts, Alert))
    }

    /// The org's alert rules and thresholds (stuck thresholds live on `stages`).
    async fn alert_rules(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<AlertRule>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.alert_rules(principal).await.gql()?.into_iter().map(AlertRule).collect())
    }

    /// The org's notification channels (admin).
    async fn channels(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::notify::Channel>> {
        crate::notify::channels(ctx).await
    }

    /// The org's channels any member may choose for their notification preferences.
    async fn channel_choices(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::notify::Channel>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.channel_choices(principal).await.gql()?.into_iter().map(crate::notify::Channel).collect())
    }

    /// The caller's notification preferences.
    async fn notification_preferences(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::notify::NotificationPreference>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.notification_preferences(principal).await.gql()?.into_iter().map(crate::notify::NotificationPreference).collect())
    }

    /// The delivery log (the outbox), newest first (admin).
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::notify::DeliveryFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<crate::notify::Delivery>> {
        let principal = principal(ctx)?;
        let filter = filter.unwrap_or_default();
        let page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        let channel = optional_id::<Uuid>("channelId", filter.channel_id.as_ref()).gql()?;
        let deliveries = ctx
            .data::<App>()?
            .deliveries(principal, filter.status.map(|status| status.as_str().to_string()), channel, page)
            .await
            .gql()?;
        Ok(connection(deliveries, crate::notify::Delivery))
    }

    /// A user's funnel health over `[from, to)` (E6), each figure beside the
    /// team median. Reps may ask about themselves, managers about the people
    /// they manage, admins about anyone in the org.
    async fn funnel_health(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> async_graphql::Result<crate::funnel::FunnelHealth> {
        let principal = principal(ctx)?;
        let user_id: dealdesk_domain::UserId = lookup_id("user", &user_id).gql()?;
        let report = ctx.data::<App>()?.funnel_health(principal, user_id, from, to).await.gql()?;
        Ok(crate::funnel::FunnelHealth(report))
    }

    /// The funnel (B1) over `[from, to)`: per stage, the deals that entered
    /// it, their amount in `currency` (default CNY), conversion to the next
    /// stage and median dwell, for the deals the caller may see (reps their
    /// own, managers the people they manage, admins and finance the org)
    /// that match `filter`.
    async fn funnel(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::analytics::FunnelFilterInput>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        currency: Option<String>,
    ) -> async_graphql::Result<crate::analytics::Funnel> {
        crate::analytics::funnel(ctx, filter, from, to, currency).await
    }

    /// The bottleneck heatmap (B2) over `[from, to)`: rows by industry,
    /// region or product line, columns the open stages, cells the
    /// conversion rate or median dwell, each column's worst cell marked.
    /// Scoped like `funnel`; `filter` narrows it the same way, and a cell
    /// needs `minSample` observations (default 5) to be ranked.
    #[allow(clippy::too_many_arguments)]
    async fn heatmap(
        &self,
        ctx: &Context<'_>,
        dimension: crate::analytics::HeatmapDimension,
        metric: crate::analytics::HeatmapMetric,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        filter: Option<crate::analytics::FunnelFilterInput>,
        min_sample: Option<i32>,
    ) -> async_graphql::Result<crate::analytics::Heatmap> {
        crate::analytics::heatmap(ctx, dimension, metric, from, to, filter, min_sample).await
    }

    /// A ticket the caller may see.
    async fn ticket(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<crate::tickets::Ticket>> {
        crate::tickets::ticket(ctx, id).await
    }

    /// Tickets: "my queue", "my requests" or all the caller may see, newest first.
    async fn tickets(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::tickets::TicketFilterInput>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<crate::tickets::Ticket>> {
        let page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        crate::tickets::tickets(ctx, filter, page).await
    }

    /// The org's SLA policies.
    async fn sla_policies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::tickets::SlaPolicy>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.sla_policies(principal).await.gql()?.into_iter().map(crate::tickets::SlaPolicy).collect())
    }

    /// The org's business calendar.
    async fn business_calendar(&self, ctx: &Context<'_>) -> async_graphql::Result<crate::tickets::Calendar> {
        let principal = principal(ctx)?;
        ctx.data::<App>()?.business_calendar(principal).await.map(crate::tickets::Calendar).gql()
    }

    /// Collaboration health (C5) over the tickets created in `[from, to)`, one
    /// row per department (default) or ticket kind; overdue counts are as of
    /// now. Managers and admins see the org; others are refused.
    async fn collaboration_health(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        #[graphql(default_with = "Some(crate::collaboration::CollaborationGroupBy::Department)")] group_by: Option<crate::collaboration::CollaborationGroupBy>,
    ) -> async_graphql::Result<Vec<crate::collaboration::CollaborationHealthRow>> {
        crate::collaboration::collaboration_health(ctx, from, to, group_by.unwrap_or(crate::collaboration::CollaborationGroupBy::Department)).await
    }

    /// A contract the caller may see.
    async fn contract(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<crate::contracts::Contract>> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &id).gql()?;
        ctx.data::<App>()?.contract(principal, id).await.map(|contract| Some(crate::contracts::Contract(contract))).gql()
    }

    /// RED customers: services suspended, legal takes over (finance, legal, managers, admins).
    async fn risk_center(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::contracts::RiskEntry>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.risk_center(principal).await.gql()?.into_iter().map(crate::contracts::RiskEntry).collect())
    }

    /// R4: the org's risk-tier thresholds (anyone in the org may read them).
    async fn risk_thresholds(&self, ctx: &Context<'_>) -> async_graphql::Result<crate::contracts::RiskThresholds> {
        crate::contracts::risk_thresholds(ctx).await
    }

    /// R5: open receivables the caller may see (finance, legal and admins:
    /// the org; others: deals they may see) with their predicted payment
    /// dates, earliest due first; `first` rows (default 100, at most 500).
    async fn collection_forecast(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::collection::CollectionForecastFilter>,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<crate::collection::CollectionForecast>> {
        crate::collection::collection_forecast(ctx, filter, first).await
    }

    /// R6: first-instalment on-time rate, overdue share and DSO per rep or
    /// team over `[from, to)` in one currency (default CNY). Managers see the
    /// people they manage, finance and admins the org; others are refused.
    async fn collection_metrics(
        &self,
        ctx: &Context<'_>,
        group_by: crate::collection::CollectionGroupBy,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        currency: Option<String>,
    ) -> async_graphql::Result<Vec<crate::collection::CollectionMetricsRow>> {
        crate::collection::collection_metrics(ctx, group_by, from, to, currency).await
    }

    /// R7: the monthly industry collection report (行业回款健康报告) of
    /// `month` (`YYYY-MM`, ended in the org's time zone): the `top` (default
    /// 10, at most 50) most overdue customers at the month end, agreed vs
    /// actual payment days per industry, and the industries whose overdue
    /// share rose. FINANCE and admins see the org, managers the people they
    /// manage; others are refused.
    async fn collection_report(&self, ctx: &Context<'_>, month: String, top: Option<i32>) -> async_graphql::Result<crate::collection::CollectionReport> {
        crate::collection::collection_report(ctx, month, top).await
    }

    /// The test clock's time (`TEST_CLOCK_DISABLED` unless enabled).
    async fn test_clock(&self, ctx: &Context<'_>) -> async_graphql::Result<DateTime<Utc>> {
        ctx.data::<App>()?.test_clock_now().await.gql()
    }
}
