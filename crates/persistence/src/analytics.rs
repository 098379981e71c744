//! Org-wide pipeline analytics (B1 funnel, B2 bottleneck heatmap): per
//! stage (and, for the heatmap, per industry, region or product line)
//! figures over a period, aggregated by the database in grouped queries.
//!
//! Both queries read only the period's transitions — one range of
//! `deal_transitions (org_id, at)`, or, when the caller sees a few owners,
//! their deals' transitions through `(org_id, deal_id, at)` — with the
//! deals (and customers) they belong to. Nothing walks a deal's earlier
//! history: a stay's dwell is one row's `at − from_stage_entered_at`, and
//! conversion folds each deal's transitions in the period into one row
//! (when it first entered each stage, when it last got beyond it) without
//! sorting them.
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
/// order (`at`, then id): a progress stage at a higher position than the
/// stage's own was entered after the deal's first entry into it. (Later
/// entries into the same stage see fewer moves after them, so the first one
/// decides.)
pub async fn entries<C: ConnectionTrait>(conn: &C, period: &Period<'_>, stages: &[RankedStage], currency: &str) -> Result<Vec<EntryRow>, DbErr> {
    let rows = conn.query_all(entries_statement(conn.get_database_backend(), period, stages, currency)).await?;
    let mut entries = Vec::new();
    for row in &rows {
        let group: Option<String> = row.try_get("", "grp")?;
        for (index, stage) in stages.iter().enumerate() {
            let entered: i64 = row.try_get("", &format!("entered_{index}"))?;
            if entered == 0 {
                continue;
            }
            entries.push(EntryRow {
                group: group.clone(),
                stage: stage.key.clone(),
                entered,
                advanced: row.try_get("", &format!("advanced_{index}"))?,
                amount_minor: row.try_get("", &format!("amount_{index}"))?,
                priced: row.try_get("", &format!("priced_{index}"))?,
            });
        }
    }
    Ok(entries)
}

/// The statement [`entries`] runs, for `EXPLAIN` (the benchmark prints its plan).
///
/// One row per group, with `entered_i`, `advanced_i`, `amount_i` and
/// `priced_i` for the `i`-th of `stages`. The period's transitions of the
/// selected deals are first folded into one row per deal — per stage, when
/// the deal first entered it (`e_i`) and when it last entered a progress
/// stage beyond it (`a_i`) — with no window and no sort; the deal then
/// counts as advanced from stage `i` when `a_i` is later than `e_i`. Only
/// when the two fall on the same instant does the order of ids decide, and
/// only then is the deal's history at that instant read again (by
/// `(org_id, deal_id, at)`).
///
/// Where the deals' amounts and groups are read depends on how many deals
/// there are. A narrowed selection (a team, a rep, a filter) joins its few
/// deals to their transitions first, by index, and carries the amount and
/// group through the fold. The whole org folds its period's transitions
/// alone and joins each folded deal once afterwards: joining first made
/// every transition carry its deal's columns through the fold.
pub fn entries_statement(backend: DbBackend, period: &Period<'_>, stages: &[RankedStage], currency: &str) -> Statement {
    let org = period.org.into_uuid();
    let join_first = narrows(period);
    let (amount, currency_column) = if join_first { ("y.amount_cents", "y.currency") } else { ("d.amount_cents", "d.currency") };
    let mut sql = Sql::new(backend);
    sql.push("SELECT ");
    if join_first {
        sql.push("y.grp");
    } else {
        group_expression(&mut sql, period.group_by);
    }
    sql.push(" AS grp");
    // A stage no progress stage lies beyond (WON, LOST) has nothing to move on to.
    let can_advance = |stage: &RankedStage| stages.iter().any(|later| later.progress && later.position > stage.position);
    for (index, stage) in stages.iter().enumerate() {
        sql.push(&format!(", COUNT(y.e_{index}) AS entered_{index}"));
        if can_advance(stage) {
            // The tie is its own `CASE`: an `AND` would read the deal's
            // history again whenever `a_i` is NULL (NULL AND x needs x).
            sql.push(&format!(", SUM(CASE WHEN y.a_{index} > y.e_{index} THEN 1 WHEN y.a_{index} = y.e_{index} THEN CASE WHEN EXISTS ("))
                .push("SELECT 1 FROM deal_transitions h JOIN deal_transitions s ON s.org_id = h.org_id AND s.deal_id = h.deal_id AND s.at = h.at AND s.id < h.id WHERE h.org_id = ")
                .bind(org)
                .push(&format!(" AND h.deal_id = y.deal_id AND h.at = y.e_{index} AND s.to_stage = "))
                .bind(stage.key.clone())
                .push(" AND ");
            progress_position(&mut sql, "h", stages);
            sql.push(&format!(" > {}) THEN 1 ELSE 0 END ELSE 0 END) AS advanced_{index}", stage.position));
        } else {
            sql.push(&format!(", CAST(0 AS BIGINT) AS advanced_{index}"));
        }
        sql.push(&format!(", CAST(COALESCE(SUM(CASE WHEN y.e_{index} IS NOT NULL AND {currency_column} = "))
            .bind(currency.to_string())
            .push(&format!(" THEN {amount} END), 0) AS BIGINT) AS amount_{index}, SUM(CASE WHEN y.e_{index} IS NOT NULL AND {currency_column} = "))
            .bind(currency.to_string())
            .push(&format!(" AND {amount} IS NOT NULL THEN 1 ELSE 0 END) AS priced_{index}"));
    }
    sql.push(" FROM (SELECT x.deal_id AS deal_id");
    if join_first {
        sql.push(", x.grp AS grp, x.amount_cents AS amount_cents, x.currency AS currency");
    }
    for (index, stage) in stages.iter().enumerate() {
        sql.push(", MIN(CASE WHEN x.stage = ").bind(stage.key.clone()).push(&format!(" THEN x.at END) AS e_{index}"));
        if can_advance(stage) {
            sql.push(&format!(", MAX(CASE WHEN x.reached > {} THEN x.at END) AS a_{index}", stage.position));
        }
    }
    sql.push(" FROM (SELECT t.deal_id AS deal_id, t.at AS at, t.to_stage AS stage, ");
    progress_position(&mut sql, "t", stages);
    sql.push(" AS reached");
    if join_first {
        sql.push(", d.amount_cents AS amount_cents, d.currency AS currency, ");
        group_expression(&mut sql, period.group_by);
        sql.push(" AS grp");
        from_where(&mut sql, period);
        sql.push(") x GROUP BY x.deal_id, x.grp, x.amount_cents, x.currency) y GROUP BY y.grp");
        return sql.build();
    }
    // The whole org's period, read ungrouped: `from_where` then joins
    // nothing, and the deals are joined after the fold.
    from_where(&mut sql, &Period { group_by: None, ..period.clone() });
    sql.push(") x GROUP BY x.deal_id) y JOIN deals d ON d.org_id = ")
        .bind(org)
        .push(" AND d.id = y.deal_id");
    if joins_customers(period) {
        sql.push(" JOIN customers c ON c.org_id = d.org_id AND c.id = d.customer_id");
    }
    sql.push(" GROUP BY ");
    group_expression(&mut sql, period.group_by);
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
        from_where(&mut sql, period);
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
    from_where(&mut sql, period);
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

/// Appends `CASE {alias}.to_stage WHEN key THEN position … END` over the
/// progress stages: the position a transition reached, NULL for a move to
/// LOST (which is no progress).
fn progress_position(sql: &mut Sql, alias: &str, stages: &[RankedStage]) {
    sql.push(&format!("CASE {alias}.to_stage"));
    for stage in stages.iter().filter(|stage| stage.progress) {
        // Positions are integers from the stages table, rendered as literals
        // so both engines compare them as numbers.
        sql.push(" WHEN ").bind(stage.key.clone()).push(&format!(" THEN {}", stage.position));
    }
    sql.push(" ELSE NULL END");
}

/// Whether the grouping or a filter reads the customer `c` of the deal `d`.
fn joins_customers(period: &Period<'_>) -> bool {
    let deals = period.deals;
    deals.industry.is_some() || deals.region.is_some() || matches!(period.group_by, Some(HeatmapDimension::Industry | HeatmapDimension::Region))
}

/// Whether the selection leaves out some of the org's deals.
fn narrows(period: &Period<'_>) -> bool {
    let deals = period.deals;
    deals.owners.is_some() || deals.product_line.is_some() || deals.industry.is_some() || deals.region.is_some()
}

/// Appends the period's transitions `t` of the selected deals `d` (and
/// their customers `c` when the grouping or the filter needs them).
///
/// When nothing narrows the deals and nothing groups them — the whole org,
/// ungrouped — the deals are not joined at all: every transition belongs
/// to a deal of its org, and the join would read the org's whole deal
/// table (about 70 % of the org funnel's dwell query on a million deals).
fn from_where(sql: &mut Sql, period: &Period<'_>) {
    let customers = joins_customers(period);
    let join_deals = customers || period.group_by.is_some() || narrows(period);
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
    let deals = period.deals;
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
