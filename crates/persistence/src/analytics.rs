//! Org-wide pipeline analytics (B1 funnel, B2 bottleneck heatmap): per
//! stage (and, for the heatmap, per industry, region or product line)
//! figures over a period, aggregated by the database in grouped queries.
//!
//! Both queries read only the period's transitions — one range of
//! `deal_transitions (org_id, at)`, or, when the caller sees a few owners,
//! their deals' transitions through `(org_id, deal_id, at)` — joined to the
//! deals (and customers) they belong to. Nothing walks a deal's earlier
//! history: a stay's dwell is one row's `at − from_stage_entered_at`.
//!
//! **Which deals.** A transition counts when its deal is selected *now*:
//! owned now by one of [`DealSelection::owners`] (the caller's scope, a team,
//! a rep), with the customer's current industry and region and the deal's
//! current product line. Unlike funnel health, which follows a rep's history
//! across reassignments, these are views over deals, as the deal list is.
//!
//! **Medians** are the middle value, or the mean of the two middle values
//! for an even count. SQLite has no ordered-set aggregate, so there they
//! come from `ROW_NUMBER()` and `COUNT(*)` windows over each group's values
//! in order, keeping the one or two middle rows (rank `r` with
//! `2r ∈ {n, n + 1, n + 2}`, see `dealdesk_domain::is_median_rank`) and
//! averaging them; PostgreSQL computes the same figure with
//! `percentile_cont(0.5)`, which is twice as fast there (see
//! `docs/explain-analytics.md`).

use chrono::{DateTime, Utc};
use dealdesk_domain::{HeatmapDimension, OrgId};
use sea_orm::prelude::Uuid;
use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement};

use crate::funnel::Sql;

/// The deals whose transitions an analytics query counts.
#[derive(Clone, Debug, Default)]
pub struct DealSelection {
    /// Only deals owned now by these users; `None` for every deal of the org.
    /// An empty list selects nothing.
    pub owners: Option<Vec<Uuid>>,
    /// Only deals whose customer's industry is this.
    pub industry: Option<String>,
    /// Only deals whose customer's region is this.
    pub region: Option<String>,
    /// Only deals of this product line.
    pub product_line: Option<String>,
}

/// A stage as the queries rank it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankedStage {
    /// The stage key.
    pub key: String,
    /// Its position in the pipeline.
    pub position: i32,
    /// Whether reaching it is progress: every stage but LOST ones.
    pub progress: bool,
}

/// One analytics query: which deals, over which period, grouped by what.
#[derive(Clone, Debug)]
pub struct Period<'a> {
    /// The org.
    pub org: OrgId,
    /// Which deals.
    pub deals: &'a DealSelection,
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub to: DateTime<Utc>,
    /// The heatmap's rows; `None` for one group over all deals (the funnel).
    pub group_by: Option<HeatmapDimension>,
}

/// How many deals entered a stage in the period, what they are worth and
/// how many of them moved on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryRow {
    /// The dimension's value (`None`: not set, or no grouping).
    pub group: Option<String>,
    /// The stage entered.
    pub stage: String,
    /// Distinct deals with a transition into the stage in `[from, to)`.
    pub entered: i64,
    /// Of those, deals with a later transition (by `at`, then id) before
    /// `to` into a progress stage at a higher position.
    pub advanced: i64,
    /// Sum of those deals' current amounts in the currency asked for, in minor units.
    pub amount_minor: i64,
    /// How many of those deals have an amount in that currency.
    pub priced: i64,
}

/// The median stay in a stage over the stays that ended in the period.
#[derive(Clone, Debug, PartialEq)]
pub struct DwellRow {
    /// The dimension's value (`None`: not set, or no grouping).
    pub group: Option<String>,
    /// The stage left.
    pub stage: String,
    /// Stays that ended (transitions out of the stage) in `[from, to)`.
    pub exits: i64,
    /// The median of their lengths in seconds (the mean of the two middle
    /// stays for an even count).
    pub median_seconds: f64,
}

/// Per group and stage: deals that entered the stage in the period, their
/// amount in `currency`, and how many went on to a later progress stage
/// before `to`.
///
/// "Went on" is read over the deal's transitions in the period in their
/// order (`at`, then id): the highest position of any progress stage entered
/// after one of its entries into the stage exceeds the stage's own.
pub async fn entries<C: ConnectionTrait>(conn: &C, period: &Period<'_>, stages: &[RankedStage], currency: &str) -> Result<Vec<EntryRow>, DbErr> {
    let rows = conn.query_all(entries_statement(conn.get_database_backend(), period, stages, currency)).await?;
    rows.iter()
        .map(|row| {
            Ok(EntryRow {
                group: row.try_get("", "grp")?,
                stage: row.try_get("", "stage")?,
                entered: row.try_get("", "entered")?,
                advanced: row.try_get("", "advanced")?,
                amount_minor: row.try_get("", "amount_minor")?,
                priced: row.try_get("", "priced")?,
            })
        })
        .collect()
}

/// The statement [`entries`] runs, for `EXPLAIN` (the benchmark prints its plan).
pub fn entries_statement(backend: DbBackend, period: &Period<'_>, stages: &[RankedStage], currency: &str) -> Statement {
    let mut sql = Sql::new(backend);
    sql.push("SELECT x.grp AS grp, x.stage AS stage, COUNT(*) AS entered, SUM(x.advanced) AS advanced, ")
        .push("CAST(COALESCE(SUM(CASE WHEN x.currency = ")
        .bind(currency.to_string())
        .push(" THEN x.amount_cents END), 0) AS BIGINT) AS amount_minor, ")
        .push("SUM(CASE WHEN x.currency = ")
        .bind(currency.to_string())
        .push(" AND x.amount_cents IS NOT NULL THEN 1 ELSE 0 END) AS priced FROM (")
        .push("SELECT e.deal_id, e.grp, e.stage, MAX(e.amount_cents) AS amount_cents, MAX(e.currency) AS currency, ")
        .push("MAX(CASE WHEN e.later > e.position THEN 1 ELSE 0 END) AS advanced FROM (")
        .push("SELECT t.deal_id AS deal_id, t.to_stage AS stage, d.amount_cents AS amount_cents, d.currency AS currency, ");
    group_expression(&mut sql, period.group_by);
    sql.push(" AS grp, ");
    stage_case(&mut sql, stages, false);
    sql.push(" AS position, MAX(");
    stage_case(&mut sql, stages, true);
    // The best position reached after this row: a running maximum in reverse order.
    sql.push(") OVER (PARTITION BY t.deal_id ORDER BY t.at DESC, t.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS later");
    from_where(&mut sql, period, true);
    sql.push(") e GROUP BY e.deal_id, e.grp, e.stage) x GROUP BY x.grp, x.stage");
    sql.build()
}

/// Per group and stage: the stays that ended in the period (transitions
/// out of the stage in `[from, to)`) and their median length.
pub async fn dwell_medians<C: ConnectionTrait>(conn: &C, period: &Period<'_>) -> Result<Vec<DwellRow>, DbErr> {
    let rows = conn.query_all(dwell_statement(conn.get_database_backend(), period)).await?;
    rows.iter()
        .map(|row| {
            Ok(DwellRow {
                group: row.try_get("", "grp")?,
                stage: row.try_get("", "stage")?,
                exits: row.try_get("", "exits")?,
                median_seconds: row.try_get("", "median_seconds")?,
            })
        })
        .collect()
}

/// The statement [`dwell_medians`] runs, for `EXPLAIN`.
///
/// PostgreSQL takes the median with `percentile_cont(0.5)` (which
/// interpolates halfway between the two middle values of an even count),
/// twice as fast there as the windows; SQLite, which has no ordered-set
/// aggregates, keeps the middle rows of `ROW_NUMBER()` and `COUNT(*)`
/// windows and averages them. Both give the same figure, and the
/// end-to-end tests check it on both engines.
pub fn dwell_statement(backend: DbBackend, period: &Period<'_>) -> Statement {
    let mut sql = Sql::new(backend);
    if backend == DbBackend::Postgres {
        sql.push("SELECT ");
        group_expression(&mut sql, period.group_by);
        sql.push(" AS grp, t.from_stage AS stage, COUNT(*) AS exits, percentile_cont(0.5) WITHIN GROUP (ORDER BY ")
            .seconds_between("t.from_stage_entered_at", "t.at")
            .push(") AS median_seconds");
        from_where(&mut sql, period, false);
        sql.push(" AND t.from_stage IS NOT NULL AND t.from_stage_entered_at IS NOT NULL GROUP BY ");
        group_expression(&mut sql, period.group_by);
        sql.push(", t.from_stage");
        return sql.build();
    }
    sql.push("SELECT m.grp AS grp, m.stage AS stage, MAX(m.n) AS exits, AVG(m.seconds) AS median_seconds FROM (")
        .push("SELECT x.grp, x.stage, x.seconds, ROW_NUMBER() OVER (PARTITION BY x.grp, x.stage ORDER BY x.seconds) AS rn, ")
        .push("COUNT(*) OVER (PARTITION BY x.grp, x.stage) AS n FROM (SELECT ");
    group_expression(&mut sql, period.group_by);
    sql.push(" AS grp, t.from_stage AS stage, ").seconds_between("t.from_stage_entered_at", "t.at").push(" AS seconds");
    from_where(&mut sql, period, false);
    sql.push(" AND t.from_stage IS NOT NULL AND t.from_stage_entered_at IS NOT NULL")
        .push(") x) m WHERE 2 * m.rn IN (m.n, m.n + 1, m.n + 2) GROUP BY m.grp, m.stage");
    sql.build()
}

/// Gives the aggregate queries of the current transaction room on
/// PostgreSQL: a period's transitions sort and hash in memory (`work_mem`
/// 64 MB instead of the default 4 MB, which spills them to disk); JIT
/// compilation, which costs these queries about 100 ms and saves nothing,
/// is off; and each statement is planned for its own period and owners
/// (`force_custom_plan`), never with a cached generic plan, which cannot
/// tell a team's few deals from the whole org. `SET LOCAL` ends with the
/// transaction; SQLite needs nothing.
pub async fn tune_for_aggregates<C: ConnectionTrait>(conn: &C) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        conn.execute_unprepared("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan")
            .await?;
    }
    Ok(())
}

/// Appends the grouping column over the deal `d` and customer `c`.
fn group_expression(sql: &mut Sql, group_by: Option<HeatmapDimension>) {
    sql.push(match group_by {
        None => "CAST(NULL AS VARCHAR(1))",
        Some(HeatmapDimension::Industry) => "c.industry",
        Some(HeatmapDimension::Region) => "c.region",
        Some(HeatmapDimension::ProductLine) => "d.product_line",
    });
}

/// Appends `CASE t.to_stage WHEN key THEN position … END`; with
/// `progress_only`, stages that are not progress (LOST) map to NULL.
fn stage_case(sql: &mut Sql, stages: &[RankedStage], progress_only: bool) {
    sql.push("CASE t.to_stage");
    for stage in stages.iter().filter(|stage| stage.progress || !progress_only) {
        // Positions are integers from the stages table, rendered as literals
        // so both engines compare them as numbers.
        sql.push(" WHEN ").bind(stage.key.clone()).push(&format!(" THEN {}", stage.position));
    }
    sql.push(" ELSE NULL END");
}

/// Appends the period's transitions `t` of the selected deals `d` (and
/// their customers `c` when the grouping or the filter needs them).
///
/// When the statement reads no deal column (`reads_deals` false) and
/// nothing narrows the deals — the whole org, ungrouped — the deals are
/// not joined at all: every transition belongs to a deal of its org, and
/// the join would read the org's whole deal table (about 70 % of the org
/// funnel's dwell query on a million deals).
fn from_where(sql: &mut Sql, period: &Period<'_>, reads_deals: bool) {
    let deals = period.deals;
    let customers = deals.industry.is_some()
        || deals.region.is_some()
        || matches!(period.group_by, Some(HeatmapDimension::Industry | HeatmapDimension::Region));
    let join_deals = reads_deals || customers || period.group_by.is_some() || deals.owners.is_some() || deals.product_line.is_some();
    sql.push(" FROM deal_transitions t");
    if join_deals {
        sql.push(" JOIN deals d ON d.org_id = t.org_id AND d.id = t.deal_id");
    }
    if customers {
        sql.push(" JOIN customers c ON c.org_id = d.org_id AND c.id = d.customer_id");
    }
    sql.push(" WHERE t.org_id = ").bind(period.org.into_uuid());
    if join_deals {
        sql.push(" AND d.org_id = ").bind(period.org.into_uuid());
    }
    sql.push(" AND t.at >= ").bind(period.from).push(" AND t.at < ").bind(period.to);
    if let Some(owners) = &deals.owners {
        sql.push(" AND d.owner_id IN ").bind_list(owners);
    }
    if let Some(product_line) = &deals.product_line {
        sql.push(" AND d.product_line = ").bind(product_line.clone());
    }
    if let Some(industry) = &deals.industry {
        sql.push(" AND c.industry = ").bind(industry.clone());
    }
    if let Some(region) = &deals.region {
        sql.push(" AND c.region = ").bind(region.clone());
    }
}
