//! Org-wide pipeline analytics: the funnel (B1) and the bottleneck heatmap
//! (B2) for any period `[from, to)`, filtered by team, rep, industry,
//! region and product line, scoped like every other read.
//!
//! The figures are aggregated by the database (`persistence::analytics`),
//! two grouped queries over the period's transitions; rates, hours and the
//! heatmap's ranking are computed here with the pure rules in
//! `dealdesk_domain`.
//!
//! **Definitions** (the same as funnel health's, E6, where both have the figure):
//! - *Entered*: the distinct deals with a transition into the stage during
//!   `[from, to)` (for the first stage, creating a deal enters it). A deal
//!   entering a stage twice counts once.
//! - *Amount*: the sum of those deals' current amounts in one currency (CNY
//!   unless asked otherwise); deals without an amount in it are counted in
//!   `entered` but not in `priced_deals` or the sum. Transitions do not record
//!   amounts, so it is today's amount.
//! - *Conversion* from a stage to the next one (the pairs of
//!   `dealdesk_domain::conversion_pairs`: each open stage to the next open
//!   stage, the last open stage to WON): of the deals that entered the stage
//!   in the period, the share that later in the period (before `to`)
//!   entered the next stage or any later stage other than LOST. Skipping the
//!   next stage counts as reaching it; going back or being lost does not.
//! - *Dwell*: the length of a stay in the stage, from entering it to leaving
//!   it, for the stays that *ended* in the period (however long ago they
//!   began); the median is over those stays (the mean of the two middle ones
//!   for an even count). Stays still running are not counted.
//!
//! **Which deals.** Deals the caller may see now (reps their own, managers
//! the people they manage, admins and finance the org), narrowed by the
//! filter: owned now by a member of the team or by the rep, with the
//! customer's industry and region and the deal's product line as they are
//! now. A transition counts when its deal is selected. (Funnel health, a
//! rep's own report, instead follows who owned the deal at each move.)

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use dealdesk_domain::{
    check_period, conversion_pairs, conversion_rate, rank_column, CellInput, Currency, HeatmapDimension, HeatmapMetric, Money, Role, StageDef, StageKind,
    TeamId, UserId, DEFAULT_MIN_SAMPLE,
};
use dealdesk_persistence::analytics::{self as repo, DealSelection, Period, RankedStage};
use dealdesk_persistence::users as user_repo;
use dealdesk_persistence::Visible;
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::App;

/// Which deals the figures are about, within what the caller may see.
/// Every field is optional; all given ones must match.
#[derive(Clone, Debug, Default)]
pub struct AnalyticsFilter {
    /// Deals owned now by a member of this team.
    pub team_id: Option<TeamId>,
    /// Deals owned now by this user.
    pub owner_id: Option<UserId>,
    /// The customer's industry, exactly.
    pub industry: Option<String>,
    /// The customer's region, exactly.
    pub region: Option<String>,
    /// The deal's product line, exactly.
    pub product_line: Option<String>,
}

/// One stage of the funnel.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelStage {
    /// The stage key.
    pub stage: String,
    /// Its display name.
    pub name: String,
    /// Open, won or lost.
    pub kind: StageKind,
    /// Deals that entered the stage in the period.
    pub entered: i64,
    /// The sum of their current amounts in the funnel's currency.
    pub amount: Money,
    /// How many of them have an amount in that currency.
    pub priced_deals: i64,
    /// The stage conversion is measured to; `None` for stages without one
    /// (WON, LOST and other outcomes).
    pub next_stage: Option<String>,
    /// Of the deals that entered, those that reached `next_stage` or a later
    /// stage other than LOST before the period's end (0 without a next stage).
    pub advanced: i64,
    /// `advanced / entered`, between 0 and 1; `None` when nothing entered or
    /// there is no next stage.
    pub conversion_rate: Option<f64>,
    /// Stays in the stage that ended in the period.
    pub exits: i64,
    /// The median length of those stays, in hours; `None` without any.
    pub median_dwell_hours: Option<f64>,
}

/// The funnel (B1) over `[from, to)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Funnel {
    /// Start of the period (inclusive).
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub to: DateTime<Utc>,
    /// The currency amounts are summed in.
    pub currency: Currency,
    /// Every stage of the pipeline, in order.
    pub stages: Vec<FunnelStage>,
}

/// What a heatmap is asked for.
#[derive(Clone, Debug)]
pub struct HeatmapQuery {
    /// What the rows are.
    pub dimension: HeatmapDimension,
    /// What the cells measure.
    pub metric: HeatmapMetric,
    /// Which deals (within what the caller may see).
    pub filter: AnalyticsFilter,
    /// Start of the period (inclusive).
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub to: DateTime<Utc>,
    /// The least sample a cell needs to be ranked; `None` for
    /// [`DEFAULT_MIN_SAMPLE`](dealdesk_domain::DEFAULT_MIN_SAMPLE).
    pub min_sample: Option<i64>,
}

/// One cell of the heatmap: a stage for one dimension value.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapCell {
    /// The stage key (the column).
    pub stage: String,
    /// The conversion rate (0–1) or median dwell in hours; `None` when
    /// nothing was measured.
    pub value: Option<f64>,
    /// What the value is taken over: deals that entered the stage
    /// (conversion) or stays that ended (dwell).
    pub sample: i64,
    /// 1 for the worst cell of the column, and so on (see
    /// `dealdesk_domain::rank_column`); `None` when not ranked.
    pub rank: Option<u32>,
    /// Whether the cell is its column's bottleneck.
    pub worst: bool,
}

/// One row of the heatmap: a value of the dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct HeatmapRow {
    /// The industry, region or product line; `None` for deals without one.
    pub value: Option<String>,
    /// One cell per column, in column order.
    pub cells: Vec<HeatmapCell>,
}

/// The bottleneck heatmap (B2) over `[from, to)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// What the rows are.
    pub dimension: HeatmapDimension,
    /// What the cells measure.
    pub metric: HeatmapMetric,
    /// Start of the period (inclusive).
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub to: DateTime<Utc>,
    /// The least sample a cell needs to be ranked.
    pub min_sample: i64,
    /// The columns: the open stages in pipeline order.
    pub stages: Vec<String>,
    /// Rows with something measured, by value (deals without one last).
    pub rows: Vec<HeatmapRow>,
}

/// Hours in a duration given in seconds.
fn hours(seconds: f64) -> f64 {
    seconds / 3600.0
}

fn ranked_stages(stages: &[StageDef]) -> Vec<RankedStage> {
    stages
        .iter()
        .map(|stage| RankedStage {
            key: stage.key.as_str().to_string(),
            position: stage.position,
            progress: stage.kind != StageKind::Lost,
        })
        .collect()
}

/// `owners ∩ allowed`, where `None` stands for everyone.
fn narrow(owners: Option<Vec<Uuid>>, allowed: Vec<Uuid>) -> Option<Vec<Uuid>> {
    Some(match owners {
        None => allowed,
        Some(owners) => owners.into_iter().filter(|owner| allowed.contains(owner)).collect(),
    })
}

impl App {
    /// The deals the caller's analytics cover: their data scope (finance
    /// and admins: the org) narrowed by the filter.
    async fn analytics_selection(&self, principal: &Principal, filter: AnalyticsFilter) -> AppResult<DealSelection> {
        let visible = if matches!(principal.role, Role::Finance | Role::Admin) {
            Visible::All
        } else {
            principal.owner_scope(&self.db).await?.into()
        };
        let mut owners = match visible {
            Visible::All => None,
            Visible::Owners(owners) => Some(owners),
        };
        if let Some(team) = filter.team_id {
            owners = narrow(owners, user_repo::team_member_ids(&self.db, principal.org_id, team).await?);
        }
        if let Some(owner) = filter.owner_id {
            owners = narrow(owners, vec![owner.into_uuid()]);
        }
        Ok(DealSelection {
            owners,
            industry: filter.industry,
            region: filter.region,
            product_line: filter.product_line,
        })
    }

    async fn ordered_stages(&self, principal: &Principal) -> AppResult<Vec<StageDef>> {
        let mut stages = self.stage_defs(&self.db, principal.org_id).await?;
        stages.sort_by_key(|stage| stage.position);
        Ok(stages)
    }

    /// The funnel (B1) over `[from, to)` for the deals the caller may see
    /// that match `filter`; amounts in `currency` (default CNY).
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn funnel(&self, principal: &Principal, filter: AnalyticsFilter, from: DateTime<Utc>, to: DateTime<Utc>, currency: Option<&str>) -> AppResult<Funnel> {
        check_period(from, to)?;
        let currency = match currency {
            Some(text) => Currency::parse(text).map_err(|error| AppError::bad_input("currency", error.message))?,
            None => Currency::CNY,
        };
        let stages = self.ordered_stages(principal).await?;
        let deals = self.analytics_selection(principal, filter).await?;
        let period = Period { org: principal.org_id, deals: &deals, from, to, group_by: None };
        let txn = self.db.begin().await?;
        repo::tune_for_aggregates(&txn).await?;
        let entries = repo::entries(&txn, &period, &ranked_stages(&stages), currency.as_str()).await?;
        let dwells = repo::dwell_medians(&txn, &period).await?;
        txn.commit().await?;

        let entry_of: HashMap<&str, &repo::EntryRow> = entries.iter().map(|row| (row.stage.as_str(), row)).collect();
        let dwell_of: HashMap<&str, &repo::DwellRow> = dwells.iter().map(|row| (row.stage.as_str(), row)).collect();
        let next_of: HashMap<String, String> = conversion_pairs(&stages)
            .into_iter()
            .map(|pair| (pair.from.as_str().to_string(), pair.to.as_str().to_string()))
            .collect();
        let figures = stages
            .iter()
            .map(|stage| {
                let key = stage.key.as_str();
                let entry = entry_of.get(key);
                let dwell = dwell_of.get(key);
                let next_stage = next_of.get(key).cloned();
                let entered = entry.map_or(0, |row| row.entered);
                let advanced = if next_stage.is_some() { entry.map_or(0, |row| row.advanced) } else { 0 };
                FunnelStage {
                    stage: key.to_string(),
                    name: stage.name.clone(),
                    kind: stage.kind,
                    entered,
                    amount: Money::from_minor_units(entry.map_or(0, |row| row.amount_minor), currency),
                    priced_deals: entry.map_or(0, |row| row.priced),
                    conversion_rate: next_stage
                        .as_ref()
                        .and_then(|_| conversion_rate(u64::try_from(entered).unwrap_or(0), u64::try_from(advanced).unwrap_or(0))),
                    next_stage,
                    advanced,
                    exits: dwell.map_or(0, |row| row.exits),
                    median_dwell_hours: dwell.map(|row| hours(row.median_seconds)),
                }
            })
            .collect();
        Ok(Funnel { from, to, currency, stages: figures })
    }

    /// The bottleneck heatmap (B2): per value of the dimension and open
    /// stage, the conversion rate or median dwell over the period, each
    /// column ranked from worst to best over the cells with at least
    /// `min_sample` observations, for the deals the caller may see that
    /// match the filter.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn heatmap(&self, principal: &Principal, query: HeatmapQuery) -> AppResult<Heatmap> {
        let HeatmapQuery { dimension, metric, filter, from, to, min_sample } = query;
        check_period(from, to)?;
        let min_sample = min_sample.unwrap_or(DEFAULT_MIN_SAMPLE);
        if min_sample < 1 {
            return Err(AppError::bad_input("minSample", "must be at least 1"));
        }
        let stages = self.ordered_stages(principal).await?;
        let pairs = conversion_pairs(&stages);
        let columns: Vec<String> = pairs.iter().map(|pair| pair.from.as_str().to_string()).collect();
        let deals = self.analytics_selection(principal, filter).await?;
        let period = Period { org: principal.org_id, deals: &deals, from, to, group_by: Some(dimension) };

        // (row value, stage) → (value, sample)
        let mut measured: BTreeMap<(Option<String>, String), (Option<f64>, i64)> = BTreeMap::new();
        let txn = self.db.begin().await?;
        repo::tune_for_aggregates(&txn).await?;
        match metric {
            HeatmapMetric::Conversion => {
                for row in repo::entries(&txn, &period, &ranked_stages(&stages), Currency::CNY.as_str()).await? {
                    let rate = conversion_rate(u64::try_from(row.entered).unwrap_or(0), u64::try_from(row.advanced).unwrap_or(0));
                    measured.insert((row.group, row.stage), (rate, row.entered));
                }
            }
            HeatmapMetric::Dwell => {
                for row in repo::dwell_medians(&txn, &period).await? {
                    measured.insert((row.group, row.stage), (Some(hours(row.median_seconds)), row.exits));
                }
            }
        }
        txn.commit().await?;
        let mut values: Vec<Option<String>> = measured
            .iter()
            .filter(|((_, stage), (_, sample))| *sample > 0 && columns.contains(stage))
            .map(|((value, _), _)| value.clone())
            .collect();
        values.dedup();
        // Deals without a value last; `BTreeMap` order put them first.
        values.sort_by(|a, b| match (a, b) {
            (None, None) => std::cmp::Ordering::Equal,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(_), None) => std::cmp::Ordering::Less,
            (Some(a), Some(b)) => a.cmp(b),
        });

        let mut rows: Vec<HeatmapRow> = values
            .into_iter()
            .map(|value| {
                let cells = columns
                    .iter()
                    .map(|stage| {
                        let (cell_value, sample) = measured.get(&(value.clone(), stage.clone())).copied().unwrap_or((None, 0));
                        HeatmapCell { stage: stage.clone(), value: cell_value, sample, rank: None, worst: false }
                    })
                    .collect();
                HeatmapRow { value, cells }
            })
            .collect();
        for column in 0..columns.len() {
            let inputs: Vec<CellInput> = rows
                .iter()
                .map(|row| row.cells.get(column).map_or(CellInput { value: None, sample: 0 }, |cell| CellInput { value: cell.value, sample: cell.sample }))
                .collect();
            for (row, rank) in rows.iter_mut().zip(rank_column(&inputs, metric, min_sample)) {
                if let Some(cell) = row.cells.get_mut(column) {
                    cell.rank = rank.rank;
                    cell.worst = rank.worst;
                }
            }
        }
        Ok(Heatmap { dimension, metric, from, to, min_sample, stages: columns, rows })
    }
}
