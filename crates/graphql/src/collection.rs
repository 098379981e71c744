//! Collection forecast and metrics (R5, R6).

use async_graphql::{Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::collection::{self as app, ForecastFilter};
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
