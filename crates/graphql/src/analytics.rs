//! The org-wide funnel (B1) and bottleneck heatmap (B2): their filter,
//! enums, output objects and the two resolvers.

use async_graphql::{Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::analytics::{self as app, AnalyticsFilter, HeatmapQuery};
use dealdesk_app::App;
use dealdesk_domain::{HeatmapDimension as DomainDimension, HeatmapMetric as DomainMetric, StageKind};

use crate::error::{optional_id, principal, ResultExt};
use crate::types::{Money, StageKindValue};

/// Which deals the funnel or heatmap counts, within what the caller may
/// see. Every field is optional; all given ones must match.
#[derive(InputObject, Default)]
pub struct FunnelFilterInput {
    /// Deals owned now by a member of this team.
    pub team_id: Option<ID>,
    /// Deals owned now by this user.
    pub owner_id: Option<ID>,
    /// The customer's industry, exactly.
    pub industry: Option<String>,
    /// The customer's region, exactly.
    pub region: Option<String>,
    /// The deal's product line, exactly.
    pub product_line: Option<String>,
}

impl FunnelFilterInput {
    fn parse(self) -> async_graphql::Result<AnalyticsFilter> {
        Ok(AnalyticsFilter {
            team_id: optional_id("teamId", self.team_id.as_ref()).gql()?,
            owner_id: optional_id("ownerId", self.owner_id.as_ref()).gql()?,
            industry: self.industry,
            region: self.region,
            product_line: self.product_line,
        })
    }
}

/// What the heatmap's rows are.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum HeatmapDimension {
    /// The customer's industry.
    Industry,
    /// The customer's region.
    Region,
    /// The deal's product line.
    ProductLine,
}

impl From<HeatmapDimension> for DomainDimension {
    fn from(value: HeatmapDimension) -> Self {
        match value {
            HeatmapDimension::Industry => DomainDimension::Industry,
            HeatmapDimension::Region => DomainDimension::Region,
            HeatmapDimension::ProductLine => DomainDimension::ProductLine,
        }
    }
}

impl From<DomainDimension> for HeatmapDimension {
    fn from(value: DomainDimension) -> Self {
        match value {
            DomainDimension::Industry => HeatmapDimension::Industry,
            DomainDimension::Region => HeatmapDimension::Region,
            DomainDimension::ProductLine => HeatmapDimension::ProductLine,
        }
    }
}

/// What the heatmap's cells measure.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum HeatmapMetric {
    /// Conversion to the next stage, 0–1 (lower is worse).
    Conversion,
    /// Median dwell in the stage, in hours (longer is worse).
    Dwell,
}

impl From<HeatmapMetric> for DomainMetric {
    fn from(value: HeatmapMetric) -> Self {
        match value {
            HeatmapMetric::Conversion => DomainMetric::Conversion,
            HeatmapMetric::Dwell => DomainMetric::Dwell,
        }
    }
}

impl From<DomainMetric> for HeatmapMetric {
    fn from(value: DomainMetric) -> Self {
        match value {
            DomainMetric::Conversion => HeatmapMetric::Conversion,
            DomainMetric::Dwell => HeatmapMetric::Dwell,
        }
    }
}

/// The `funnel` query.
pub async fn funnel(ctx: &Context<'_>, filter: Option<FunnelFilterInput>, from: DateTime<Utc>, to: DateTime<Utc>, currency: Option<String>) -> async_graphql::Result<Funnel> {
    let principal = principal(ctx)?;
    let filter = filter.unwrap_or_default().parse()?;
    let funnel = ctx.data::<App>()?.funnel(principal, filter, from, to, currency.as_deref()).await.gql()?;
    Ok(Funnel(funnel))
}

/// The `heatmap` query.
pub async fn heatmap(
    ctx: &Context<'_>,
    dimension: HeatmapDimension,
    metric: HeatmapMetric,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    filter: Option<FunnelFilterInput>,
    min_sample: Option<i32>,
) -> async_graphql::Result<Heatmap> {
    let principal = principal(ctx)?;
    let query = HeatmapQuery {
        dimension: dimension.into(),
        metric: metric.into(),
        filter: filter.unwrap_or_default().parse()?,
        from,
        to,
        min_sample: min_sample.map(i64::from),
    };
    Ok(Heatmap(ctx.data::<App>()?.heatmap(principal, query).await.gql()?))
}

/// The funnel (B1) over a period: every stage with the deals that entered
/// it, their amount, conversion to the next stage and median dwell.
pub struct Funnel(pub app::Funnel);

#[Object]
impl Funnel {
    /// Start of the period (inclusive).
    async fn from(&self) -> DateTime<Utc> {
        self.0.from
    }
    /// End of the period (exclusive).
    async fn to(&self) -> DateTime<Utc> {
        self.0.to
    }
    /// The currency amounts are summed in.
    async fn currency(&self) -> &str {
        self.0.currency.as_str()
    }
    /// Every stage of the pipeline, in order.
    async fn stages(&self) -> Vec<FunnelStage> {
        self.0.stages.iter().cloned().map(FunnelStage).collect()
    }
}

/// One stage of the funnel.
pub struct FunnelStage(pub app::FunnelStage);

#[Object]
impl FunnelStage {
    /// The stage key.
    async fn stage(&self) -> &str {
        &self.0.stage
    }
    /// The stage's display name.
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Open, won or lost.
    async fn kind(&self) -> StageKindValue {
        match self.0.kind {
            StageKind::Open => StageKindValue::Open,
            StageKind::Won => StageKindValue::Won,
            StageKind::Lost => StageKindValue::Lost,
        }
    }
    /// Distinct deals that entered the stage during the period (creating a
    /// deal enters the first stage).
    async fn entered(&self) -> i64 {
        self.0.entered
    }
    /// The sum of those deals' current amounts in the funnel's currency.
    async fn amount(&self) -> Money {
        Money::from(&self.0.amount)
    }
    /// How many of those deals have an amount in the funnel's currency.
    async fn priced_deals(&self) -> i64 {
        self.0.priced_deals
    }
    /// The stage conversion is measured to (the next open stage, or WON
    /// after the last open one); null for outcome stages.
    async fn next_stage(&self) -> Option<&str> {
        self.0.next_stage.as_deref()
    }
    /// Of the deals that entered, those that later in the period reached
    /// `nextStage` or a later stage other than LOST (0 without a next stage).
    async fn advanced(&self) -> i64 {
        self.0.advanced
    }
    /// `advanced / entered`, between 0 and 1; null when nothing entered or
    /// there is no next stage.
    async fn conversion_rate(&self) -> Option<f64> {
        self.0.conversion_rate
    }
    /// Stays in the stage that ended (the deal left it) during the period.
    async fn exits(&self) -> i64 {
        self.0.exits
    }
    /// The median length of those stays in hours (the mean of the two
    /// middle ones for an even count); null without any.
    async fn median_dwell_hours(&self) -> Option<f64> {
        self.0.median_dwell_hours
    }
}

/// The bottleneck heatmap (B2): rows are the dimension's values, columns
/// the open stages, cells the conversion rate or median dwell; each
/// column's worst cell is marked.
pub struct Heatmap(pub app::Heatmap);

#[Object]
impl Heatmap {
    /// What the rows are.
    async fn dimension(&self) -> HeatmapDimension {
        self.0.dimension.into()
    }
    /// What the cells measure.
    async fn metric(&self) -> HeatmapMetric {
        self.0.metric.into()
    }
    /// Start of the period (inclusive).
    async fn from(&self) -> DateTime<Utc> {
        self.0.from
    }
    /// End of the period (exclusive).
    async fn to(&self) -> DateTime<Utc> {
        self.0.to
    }
    /// The least sample a cell needs to be ranked.
    async fn min_sample(&self) -> i64 {
        self.0.min_sample
    }
    /// The column keys: the open stages in pipeline order.
    async fn stages(&self) -> &[String] {
        &self.0.stages
    }
    /// One row per value with something measured, by value; deals without
    /// a value form the last row (`value` null).
    async fn rows(&self) -> Vec<HeatmapRow> {
        self.0.rows.iter().cloned().map(HeatmapRow).collect()
    }
}

/// One value of the heatmap's dimension.
pub struct HeatmapRow(pub app::HeatmapRow);

#[Object]
impl HeatmapRow {
    /// The industry, region or product line; null for deals without one.
    async fn value(&self) -> Option<&str> {
        self.0.value.as_deref()
    }
    /// One cell per column, in column order.
    async fn cells(&self) -> Vec<HeatmapCell> {
        self.0.cells.iter().cloned().map(HeatmapCell).collect()
    }
}

/// One stage for one value of the dimension.
pub struct HeatmapCell(pub app::HeatmapCell);

#[Object]
impl HeatmapCell {
    /// The stage key (the column).
    async fn stage(&self) -> &str {
        &self.0.stage
    }
    /// The conversion rate (0–1) or median dwell in hours; null when
    /// nothing was measured.
    async fn value(&self) -> Option<f64> {
        self.0.value
    }
    /// What the value is taken over: deals that entered the stage
    /// (CONVERSION) or stays in it that ended (DWELL) in the period.
    async fn sample(&self) -> i64 {
        self.0.sample
    }
    /// 1 for the worst cell of the column, 2 for the next and so on (equal
    /// values share a rank); null for cells with no value or a sample below
    /// `minSample`.
    async fn rank(&self) -> Option<u32> {
        self.0.rank
    }
    /// Whether this is its column's bottleneck: the worst ranked value, in a
    /// column with at least two ranked cells that are not all equal.
    async fn worst(&self) -> bool {
        self.0.worst
    }
}
