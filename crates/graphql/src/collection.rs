//! Collection forecast, metrics and the monthly industry report (R5–R7).

use async_graphql::{Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::collection::{self as app, ForecastFilter};
use dealdesk_app::collection_report as report;
use dealdesk_app::App;
use dealdesk_persistence::collection::CollectionGroupBy as RepoGroupBy;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::error::{optional_id, principal, ResultExt};
use crate::scalars::Date;
use crate::types::Money;

/// A decimal figure for the API, rounded to two places (halves away from zero).
fn figure(value: Decimal) -> f64 {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero).to_f64().unwrap_or_default()
}

/// Filters of `collectionForecast`; all optional and combined with AND.
#[derive(InputObject, Default)]
pub struct CollectionForecastFilter {
    /// Only this customer's receivables.
    pub customer_id: Option<ID>,
    /// Only receivables of deals this user owns.
    pub owner_id: Option<ID>,
    /// Only receivables predicted after (true) or not after (false) their due date.
    pub likely_late: Option<bool>,
}

/// An open receivable with its predicted payment date (R5).
pub struct CollectionForecast(pub app::ReceivableForecast);

#[Object]
impl CollectionForecast {
    async fn receivable(&self) -> crate::contracts::Receivable {
        crate::contracts::Receivable(self.0.receivable.clone())
    }
    async fn customer(&self) -> Option<crate::types::Customer> {
        self.0.customer.clone().map(crate::types::Customer)
    }
    /// The deal's current owner.
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<crate::types::User>> {
        let loaders = crate::loaders::loaders(ctx)?;
        Ok(loaders.users.load_one(self.0.owner).await.map_err(crate::loaders::loader_error)?.map(crate::types::User))
    }
    /// The due date plus the expected days late, rounded to the nearest day
    /// (halves later), never more than 30 days before the due date.
    async fn predicted_payment_date(&self) -> Date {
        Date(self.0.predicted_payment_date)
    }
    /// Whether the prediction is after the due date.
    async fn likely_late(&self) -> bool {
        self.0.likely_late
    }
    /// (Σ customer days late + 3 × industry mean) ÷ (n + 3) with n ≥ 3 paid
    /// receivables, else the industry mean; two decimals.
    async fn expected_days_late(&self) -> f64 {
        figure(self.0.expected_days_late)
    }
    /// The day the collection warning goes out: 15 days before the due date.
    async fn warning_date(&self) -> Date {
        Date(self.0.warning_date)
    }
    /// The customer's receivables paid in full (its own history counts from 3).
    async fn customer_paid_receivables(&self) -> u64 {
        self.0.customer_paid_receivables
    }
    /// The industry mean days late the customer is shrunk toward; two decimals.
    async fn industry_mean_days_late(&self) -> f64 {
        figure(self.0.industry_mean_days_late)
    }
    /// Whether that mean comes from the org's paid receivables (false: the configured default).
    async fn industry_mean_from_data(&self) -> bool {
        self.0.industry_mean_from_data
    }
}

/// What collection metrics are grouped by.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CollectionGroupBy {
    /// The deal's current owner.
    Rep,
    /// That owner's team.
    Team,
}

/// One rep's or team's collection figures (R6) in one currency; percentages
/// have two decimals and are null when there is nothing to divide by.
pub struct CollectionMetricsRow(pub app::CollectionMetricsRow);

#[Object]
impl CollectionMetricsRow {
    /// The user or team id; null for reps without a team.
    async fn group(&self) -> Option<ID> {
        self.0.group.map(|id| ID(id.to_string()))
    }
    /// The user's or team's name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// 首笔回款达成率: first instalments due in the period and decided by its
    /// last day (or today) that were paid in full by their due date, in percent.
    async fn first_instalment_on_time_rate(&self) -> Option<f64> {
        self.0.first_instalment_on_time_rate.map(figure)
    }
    /// The first instalments that rate counts.
    async fn first_instalments(&self) -> i64 {
        self.0.first_instalments
    }
    /// 逾期账款占比: overdue ÷ outstanding on the period's last day (or today), in percent.
    async fn overdue_share_percent(&self) -> Option<f64> {
        self.0.overdue_share_percent.map(figure)
    }
    /// Days sales outstanding: outstanding ÷ contract amount approved in the
    /// period × days elapsed in the period.
    async fn dso(&self) -> Option<f64> {
        self.0.dso.map(figure)
    }
    /// Receivables with something outstanding on that day.
    async fn receivables_count(&self) -> i64 {
        self.0.receivables_count
    }
    async fn outstanding(&self) -> Money {
        Money::from(&self.0.outstanding)
    }
    async fn overdue(&self) -> Money {
        Money::from(&self.0.overdue)
    }
    /// Contract amount approved in the period.
    async fn signed(&self) -> Money {
        Money::from(&self.0.signed)
    }
}

/// The `collectionForecast` query.
pub async fn collection_forecast(ctx: &Context<'_>, filter: Option<CollectionForecastFilter>, first: Option<i32>) -> async_graphql::Result<Vec<CollectionForecast>> {
    let principal = principal(ctx)?;
    let filter = filter.unwrap_or_default();
    let filter = ForecastFilter {
        customer_id: optional_id::<Uuid>("filter.customerId", filter.customer_id.as_ref()).gql()?,
        owner_id: optional_id::<Uuid>("filter.ownerId", filter.owner_id.as_ref()).gql()?,
        likely_late: filter.likely_late,
        first,
    };
    Ok(ctx.data::<App>()?.collection_forecast(principal, filter).await.gql()?.into_iter().map(CollectionForecast).collect())
}

/// The `collectionMetrics` query.
pub async fn collection_metrics(ctx: &Context<'_>, group_by: CollectionGroupBy, from: DateTime<Utc>, to: DateTime<Utc>, currency: Option<String>) -> async_graphql::Result<Vec<CollectionMetricsRow>> {
    let principal = principal(ctx)?;
    let group_by = match group_by {
        CollectionGroupBy::Rep => RepoGroupBy::Rep,
        CollectionGroupBy::Team => RepoGroupBy::Team,
    };
    let rows = ctx.data::<App>()?.collection_metrics(principal, group_by, from, to, currency.as_deref()).await.gql()?;
    Ok(rows.into_iter().map(CollectionMetricsRow).collect())
}

/// One customer of the report's top overdue list (R7).
pub struct OverdueCustomer(pub report::OverdueCustomerRow);

#[Object]
impl OverdueCustomer {
    /// The customer; null only if it no longer exists.
    async fn customer(&self) -> Option<crate::types::Customer> {
        self.0.customer.clone().map(crate::types::Customer)
    }
    /// Outstanding at the month end on receivables due before the month's last day.
    async fn overdue_amount(&self) -> Money {
        Money::from(&self.0.overdue)
    }
    /// Days the customer's oldest overdue receivable was past due on the month's last day.
    async fn overdue_days(&self) -> i64 {
        self.0.overdue_days
    }
    /// How many of its receivables were overdue.
    async fn overdue_receivables(&self) -> i64 {
        self.0.overdue_receivables
    }
}

/// One industry's collection health for the month (R7); figures have two
/// decimals and are null when there is nothing to divide by.
pub struct IndustryCollection(pub report::IndustryCollectionRow);

#[Object]
impl IndustryCollection {
    /// The customers' industry; null for customers without one.
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
    /// Receivables paid in full during the month.
    async fn paid_receivables(&self) -> i64 {
        self.0.paid_receivables
    }
    /// Their mean agreed payment days: due date − start (the contract's
    /// signing date, or its approval date when it has none).
    async fn average_agreed_days(&self) -> Option<f64> {
        self.0.average_agreed_days.map(figure)
    }
    /// Their mean actual payment days: the day paid in full − the same start.
    async fn average_actual_days(&self) -> Option<f64> {
        self.0.average_actual_days.map(figure)
    }
    /// Outstanding at the month end.
    async fn outstanding(&self) -> Money {
        Money::from(&self.0.outstanding)
    }
    /// Of that, due before the month's last day.
    async fn overdue(&self) -> Money {
        Money::from(&self.0.overdue)
    }
    /// 逾期账款占比 at the month end: overdue ÷ outstanding, in percent.
    async fn overdue_share_percent(&self) -> Option<f64> {
        self.0.overdue_share_percent.map(figure)
    }
    /// Outstanding at the previous month end.
    async fn previous_outstanding(&self) -> Money {
        Money::from(&self.0.previous_outstanding)
    }
    /// Overdue at the previous month end.
    async fn previous_overdue(&self) -> Money {
        Money::from(&self.0.previous_overdue)
    }
    /// The overdue share at the previous month end.
    async fn previous_overdue_share_percent(&self) -> Option<f64> {
        self.0.previous_overdue_share_percent.map(figure)
    }
    /// Whether the overdue share rose (nothing outstanding at the previous month end counts as 0 %).
    async fn overdue_share_rising(&self) -> bool {
        self.0.overdue_share_rising
    }
}

/// The monthly industry collection report (行业回款健康报告, R7) of one month,
/// over what the caller may see; amounts in CNY.
pub struct CollectionReport(pub report::CollectionReport);

#[Object]
impl CollectionReport {
    /// The month, `YYYY-MM`.
    async fn month(&self) -> &str {
        &self.0.month
    }
    /// The month's first instant (local midnight in the org's time zone).
    async fn from(&self) -> DateTime<Utc> {
        self.0.from
    }
    /// The next month's first instant.
    async fn to(&self) -> DateTime<Utc> {
        self.0.to
    }
    /// The month's last day, the day amounts are taken on.
    async fn month_end(&self) -> Date {
        Date(self.0.month_end)
    }
    /// The previous month's last day, the day the overdue shares are compared with.
    async fn previous_month_end(&self) -> Date {
        Date(self.0.previous_month_end)
    }
    /// The currency of every amount.
    async fn currency(&self) -> &str {
        self.0.currency.as_str()
    }
    /// Whether the figures cover the whole org (false: a manager's people).
    async fn org_wide(&self) -> bool {
        self.0.org_wide
    }
    /// The customers with the most overdue at the month end, largest first
    /// (ties: longest overdue first).
    async fn top_overdue_customers(&self) -> Vec<OverdueCustomer> {
        self.0.top_overdue.iter().cloned().map(OverdueCustomer).collect()
    }
    /// Every industry with money outstanding at either month end or paid in the month, by name (no industry last).
    async fn industries(&self) -> Vec<IndustryCollection> {
        self.0.industries.iter().cloned().map(IndustryCollection).collect()
    }
    /// The industries whose overdue share rose from the previous month end.
    async fn rising_industries(&self) -> Vec<IndustryCollection> {
        self.0.rising_industries().cloned().map(IndustryCollection).collect()
    }
}

/// The `collectionReport` query.
pub async fn collection_report(ctx: &Context<'_>, month: String, top: Option<i32>) -> async_graphql::Result<CollectionReport> {
    let principal = principal(ctx)?;
    Ok(CollectionReport(ctx.data::<App>()?.collection_report(principal, &month, top).await.gql()?))
}
