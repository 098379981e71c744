//! The org-wide analytics (B1 funnel, B2 heatmap, E6 funnel health)
//! computed a second time in hand-written PostgreSQL, and the comparison of
//! the app's figures with them: what `make bench` (on a generated org) and
//! `make bench-funnel` (on a synthetic million deals) time the app against
//! and check it by.
//!
//! The hand-written statements are written for PostgreSQL, not shared with
//! the app: `percentile_cont`, `FILTER`, `bool_or`, a window for conversion
//! and `LATERAL` for funnel health's owner at the time. They run with the
//! app's session settings, so a comparison is between queries.

use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

use chrono::{DateTime, Utc};
use dealdesk_app::analytics::{Funnel, Heatmap};
use dealdesk_app::funnel::FunnelHealth;
use dealdesk_domain::{team_median, HeatmapDimension, HeatmapMetric, OrgId};
use dealdesk_persistence::analytics as analytics_repo;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, Statement, TransactionTrait, Value};
use uuid::Uuid;

/// Runs `work` once to warm up, then `runs` times; the median time in ms and the last result.
pub async fn time<T, E, F, Fut>(runs: usize, mut work: F) -> anyhow::Result<(f64, T)>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Debug,
{
    let mut last = work().await.map_err(|error| anyhow::anyhow!("{error:?}"))?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        last = work().await.map_err(|error| anyhow::anyhow!("{error:?}"))?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], last))
}

/// Per stage: entered, advanced, amount (CNY cents), priced, exits, median dwell seconds.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct StageFigures {
    entered: i64,
    advanced: i64,
    amount_minor: i64,
    priced: i64,
    exits: i64,
    median_seconds: Option<f64>,
}

/// The same figures as the app, in hand-written PostgreSQL.
pub struct Hand<'a> {
    pub db: &'a DatabaseConnection,
    pub org: OrgId,
    /// The period: `[from, to)`.
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// The app's clock: funnel health counts deals stuck or overdue as of now.
    pub now: DateTime<Utc>,
}

impl Hand<'_> {
    /// A transaction tuned like the app's (`work_mem`, no JIT), so the
    /// comparison is between queries, not session settings.
    async fn begin(&self) -> Result<DatabaseTransaction, sea_orm::DbErr> {
        let txn = self.db.begin().await?;
        analytics_repo::tune_for_aggregates(&txn).await?;
        Ok(txn)
    }

    /// Runs `sql` with `$1` the org, `$2` and `$3` the period, and `OWNERS`
    /// replaced by the owners as a `uuid[]` literal.
    async fn query(&self, conn: &DatabaseTransaction, sql: &str, owners: Option<&[Uuid]>) -> Result<Vec<sea_orm::QueryResult>, sea_orm::DbErr> {
        let list: Vec<String> = owners.unwrap_or_default().iter().map(|owner| format!("'{owner}'")).collect();
        let sql = sql.replace("OWNERS", &format!("ARRAY[{}]::uuid[]", list.join(",")));
        let values: Vec<Value> = vec![self.org.into_uuid().into(), self.from.into(), self.to.into()];
        conn.query_all(Statement::from_sql_and_values(DbBackend::Postgres, sql, values)).await
    }

    /// The period's transitions of the selected deals (`t`, with `d` and, for
    /// industry or region, `c`): the shared `FROM … WHERE`.
    /// `extra_join` adds a join after the deal's (and customer's). Without
    /// owners, grouping or deal columns to read, the deals are not joined.
    fn from_where(owners: Option<&[Uuid]>, group: &str, extra_join: &str, reads_deals: bool) -> String {
        let customers = if group.starts_with("c.") { " JOIN customers c ON c.org_id = d.org_id AND c.id = d.customer_id" } else { "" };
        let deals = if reads_deals || owners.is_some() || group != "NULL::text" { " JOIN deals d ON d.org_id = t.org_id AND d.id = t.deal_id" } else { "" };
        let scope = if owners.is_some() { " AND d.owner_id = ANY(OWNERS)" } else { "" };
        format!(" FROM deal_transitions t{deals}{customers}{extra_join} WHERE t.org_id = $1 AND t.at >= $2 AND t.at < $3{scope}")
    }

    /// Per (group, stage): entered, advanced, amount and priced deals.
    async fn entries(&self, conn: &DatabaseTransaction, owners: Option<&[Uuid]>, group: &str, figures: &mut HashMap<(Option<String>, String), StageFigures>) -> Result<(), sea_orm::DbErr> {
        let from_where = Self::from_where(owners, group, " JOIN s ON s.\"key\" = t.to_stage", true);
        let sql = format!(
            "WITH s AS (SELECT \"key\", \"position\", kind <> 'LOST' AS progress FROM stages WHERE org_id = $1),
             t AS (SELECT t.deal_id, t.to_stage, {group} AS grp, d.amount_cents, d.currency, s.\"position\",
                          MAX(s.\"position\") FILTER (WHERE s.progress) OVER (PARTITION BY t.deal_id ORDER BY t.at DESC, t.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS later
                   {from_where})
             SELECT grp, to_stage AS stage, COUNT(*) AS entered, COUNT(*) FILTER (WHERE advanced) AS advanced,
                    COALESCE(SUM(amount_cents) FILTER (WHERE currency = 'CNY'), 0)::bigint AS amount_minor,
                    COUNT(*) FILTER (WHERE currency = 'CNY' AND amount_cents IS NOT NULL) AS priced
             FROM (SELECT deal_id, grp, to_stage, MAX(amount_cents) AS amount_cents, MAX(currency) AS currency, bool_or(later > \"position\") AS advanced
                   FROM t GROUP BY deal_id, grp, to_stage) e
             GROUP BY grp, to_stage"
        );
        for row in self.query(conn, &sql, owners).await? {
            let entry = figures.entry((row.try_get("", "grp")?, row.try_get("", "stage")?)).or_default();
            entry.entered = row.try_get("", "entered")?;
            entry.advanced = row.try_get("", "advanced")?;
            entry.amount_minor = row.try_get("", "amount_minor")?;
            entry.priced = row.try_get("", "priced")?;
        }
        Ok(())
    }

    /// Per (group, stage): stays that ended in the period and their median.
    async fn dwell(&self, conn: &DatabaseTransaction, owners: Option<&[Uuid]>, group: &str, figures: &mut HashMap<(Option<String>, String), StageFigures>) -> Result<(), sea_orm::DbErr> {
        let from_where = Self::from_where(owners, group, "", false);
        let sql = format!(
            "SELECT {group} AS grp, t.from_stage AS stage, COUNT(*) AS exits,
                    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM t.at - t.from_stage_entered_at)) AS median_seconds
             {from_where} AND t.from_stage IS NOT NULL AND t.from_stage_entered_at IS NOT NULL
             GROUP BY 1, 2"
        );
        for row in self.query(conn, &sql, owners).await? {
            let entry = figures.entry((row.try_get("", "grp")?, row.try_get("", "stage")?)).or_default();
            entry.exits = row.try_get("", "exits")?;
            entry.median_seconds = row.try_get("", "median_seconds")?;
        }
        Ok(())
    }

    pub async fn funnel(&self, owners: Option<&[Uuid]>) -> Result<HashMap<String, StageFigures>, sea_orm::DbErr> {
        let txn = self.begin().await?;
        let mut figures = HashMap::new();
        self.entries(&txn, owners, "NULL::text", &mut figures).await?;
        self.dwell(&txn, owners, "NULL::text", &mut figures).await?;
        txn.commit().await?;
        Ok(figures.into_iter().map(|((_, stage), figures)| (stage, figures)).collect())
    }

    pub async fn heatmap(&self, owners: Option<&[Uuid]>, dimension: HeatmapDimension, metric: HeatmapMetric) -> Result<HashMap<(Option<String>, String), StageFigures>, sea_orm::DbErr> {
        let group = match dimension {
            HeatmapDimension::Industry => "c.industry",
            HeatmapDimension::Region => "c.region",
            HeatmapDimension::ProductLine => "d.product_line",
        };
        let txn = self.begin().await?;
        let mut figures = HashMap::new();
        match metric {
            HeatmapMetric::Conversion => self.entries(&txn, owners, group, &mut figures).await?,
            HeatmapMetric::Dwell => self.dwell(&txn, owners, group, &mut figures).await?,
        }
        txn.commit().await?;
        Ok(figures)
    }

    /// Funnel health's per-owner figures for `team` (transitions count for the
    /// owner at the time), and the subject's report computed from them.
    pub async fn funnel_health(&self, team: &[Uuid], subject: Uuid) -> Result<Health, sea_orm::DbErr> {
        // The period's transitions of the deals the reps hold or held, each with its owner at the time.
        let history = "WITH held AS (
                 SELECT id AS deal_id FROM deals WHERE org_id = $1 AND owner_id = ANY(OWNERS)
                 UNION SELECT deal_id FROM deal_assignments WHERE org_id = $1 AND (to_owner_id = ANY(OWNERS) OR from_owner_id = ANY(OWNERS))),
             tr AS (
                 SELECT t.*, COALESCE(before.to_owner_id, after.from_owner_id, d.owner_id) AS owner
                 FROM held JOIN deal_transitions t ON t.org_id = $1 AND t.deal_id = held.deal_id AND t.at >= $2 AND t.at < $3
                 JOIN deals d ON d.org_id = $1 AND d.id = t.deal_id
                 LEFT JOIN LATERAL (SELECT a.to_owner_id FROM deal_assignments a WHERE a.org_id = $1 AND a.deal_id = t.deal_id AND a.at <= t.at ORDER BY a.at DESC, a.id DESC LIMIT 1) before ON true
                 LEFT JOIN LATERAL (SELECT a.from_owner_id FROM deal_assignments a WHERE a.org_id = $1 AND a.deal_id = t.deal_id AND a.at > t.at ORDER BY a.at, a.id LIMIT 1) after ON true),
             s AS (SELECT \"key\", \"position\", kind FROM stages WHERE org_id = $1)";
        let dwell = format!(
            "{history} SELECT owner, from_stage AS stage, COUNT(*) AS exits, AVG(EXTRACT(EPOCH FROM at - from_stage_entered_at))::float8 AS seconds
             FROM tr WHERE owner = ANY(OWNERS) AND from_stage IS NOT NULL AND from_stage_entered_at IS NOT NULL GROUP BY 1, 2"
        );
        let paths = format!("{history} SELECT owner, SUM(forward_skips)::bigint AS skips, COUNT(*) FILTER (WHERE backward) AS backward FROM tr WHERE owner = ANY(OWNERS) GROUP BY 1");
        let conversions = format!(
            "{history},
             w AS (SELECT tr.owner, tr.deal_id, tr.to_stage, s.kind, s.\"position\",
                          MAX(s.\"position\") FILTER (WHERE s.kind <> 'LOST') OVER (PARTITION BY tr.deal_id ORDER BY tr.at DESC, tr.id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS later
                   FROM tr JOIN s ON s.\"key\" = tr.to_stage)
             SELECT owner, to_stage AS stage, COUNT(DISTINCT deal_id) AS entered, COUNT(DISTINCT deal_id) FILTER (WHERE later > \"position\") AS advanced
             FROM w WHERE owner = ANY(OWNERS) AND kind = 'OPEN' GROUP BY 1, 2"
        );
        let current = format!(
            "SELECT d.owner_id AS owner,
                    COUNT(*) FILTER (WHERE s.stuck_after_hours IS NOT NULL AND d.entered_stage_at < '{now}'::timestamptz - s.stuck_after_hours * interval '1 hour'
                                     AND (d.last_activity_at IS NULL OR d.last_activity_at < '{now}'::timestamptz - s.stuck_after_hours * interval '1 hour')) AS stuck,
                    COUNT(*) FILTER (WHERE d.next_follow_up_at < '{now}' AND (d.last_activity_at IS NULL OR d.last_activity_at < d.next_follow_up_at)) AS overdue
             FROM deals d JOIN stages s ON s.org_id = d.org_id AND s.\"key\" = d.stage AND s.kind = 'OPEN'
             WHERE d.org_id = $1 AND d.owner_id = ANY(OWNERS) AND $2::timestamptz IS NOT NULL AND $3::timestamptz IS NOT NULL GROUP BY 1",
            now = self.now.to_rfc3339()
        );
        let txn = self.db.begin().await?;
        let mut per_owner: HashMap<Uuid, OwnerFigures> = HashMap::new();
        for row in self.query(&txn, &dwell, Some(team)).await? {
            let owner: Uuid = row.try_get("", "owner")?;
            let stage: String = row.try_get("", "stage")?;
            let exits: i64 = row.try_get("", "exits")?;
            let seconds: f64 = row.try_get("", "seconds")?;
            per_owner.entry(owner).or_default().dwell.insert(stage, (exits, seconds / 3600.0));
        }
        for row in self.query(&txn, &paths, Some(team)).await? {
            let entry = per_owner.entry(row.try_get("", "owner")?).or_default();
            entry.skips = row.try_get("", "skips")?;
            entry.backward = row.try_get("", "backward")?;
        }
        for row in self.query(&txn, &conversions, Some(team)).await? {
            let owner: Uuid = row.try_get("", "owner")?;
            let stage: String = row.try_get("", "stage")?;
            per_owner.entry(owner).or_default().conversion.insert(stage, (row.try_get("", "entered")?, row.try_get("", "advanced")?));
        }
        for row in self.query(&txn, &current, Some(team)).await? {
            let entry = per_owner.entry(row.try_get("", "owner")?).or_default();
            entry.stuck = row.try_get("", "stuck")?;
            entry.overdue = row.try_get("", "overdue")?;
        }
        txn.commit().await?;
        Ok(Health { per_owner, team: team.to_vec(), subject })
    }
}

/// One owner's funnel health figures, as the hand-written SQL counts them.
#[derive(Debug, Default)]
pub struct OwnerFigures {
    /// stage → (exits, mean hours)
    dwell: HashMap<String, (i64, f64)>,
    skips: i64,
    backward: i64,
    /// stage → (entered, advanced)
    conversion: HashMap<String, (i64, i64)>,
    stuck: i64,
    overdue: i64,
}

/// Funnel health of the team's owners, and who the report is about.
pub struct Health {
    per_owner: HashMap<Uuid, OwnerFigures>,
    team: Vec<Uuid>,
    subject: Uuid,
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        _ => false,
    }
}

pub fn compare_funnel(funnel: &Funnel, expected: &HashMap<String, StageFigures>) -> Result<(), String> {
    for stage in &funnel.stages {
        let want = expected.get(&stage.stage).cloned().unwrap_or_default();
        let amount = stage.amount.to_minor_units();
        let advanced_ok = stage.next_stage.is_none() || stage.advanced == want.advanced;
        if stage.entered != want.entered || !advanced_ok || amount != want.amount_minor || stage.priced_deals != want.priced || stage.exits != want.exits || !close(stage.median_dwell_hours, want.median_seconds.map(|s| s / 3600.0)) {
            return Err(format!("{}: app {stage:?}, hand-written {want:?}", stage.stage));
        }
    }
    if expected.values().map(|figures| figures.entered).sum::<i64>() != funnel.stages.iter().map(|stage| stage.entered).sum::<i64>() {
        return Err("entries in stages the app does not list".into());
    }
    Ok(())
}

pub fn compare_heatmap(heatmap: &Heatmap, expected: &HashMap<(Option<String>, String), StageFigures>) -> Result<(), String> {
    let mut cells = 0;
    for row in &heatmap.rows {
        for cell in &row.cells {
            let want = expected.get(&(row.value.clone(), cell.stage.clone())).cloned().unwrap_or_default();
            let (value, sample) = match heatmap.metric {
                HeatmapMetric::Conversion => ((want.entered > 0).then(|| want.advanced as f64 / want.entered as f64), want.entered),
                HeatmapMetric::Dwell => (want.median_seconds.map(|seconds| seconds / 3600.0), want.exits),
            };
            if cell.sample != sample || !close(cell.value, value) {
                return Err(format!("{:?} × {}: app {:?} over {}, hand-written {value:?} over {sample}", row.value, cell.stage, cell.value, cell.sample));
            }
            cells += usize::from(sample > 0);
        }
    }
    let expected_cells = expected
        .iter()
        .filter(|((_, stage), figures)| heatmap.stages.contains(stage) && if heatmap.metric == HeatmapMetric::Conversion { figures.entered > 0 } else { figures.exits > 0 })
        .count();
    if cells != expected_cells {
        return Err(format!("app has {cells} measured cells, hand-written {expected_cells}"));
    }
    Ok(())
}

pub fn compare_health(report: &FunnelHealth, expected: &Health) -> Result<(), String> {
    let owner = |user: &Uuid| expected.per_owner.get(user);
    let mine = owner(&expected.subject);
    let counts = |pick: fn(&OwnerFigures) -> i64| -> (i64, Option<f64>) {
        let value = mine.map_or(0, pick);
        (value, team_median(expected.team.iter().map(|user| Some(owner(user).map_or(0, pick) as f64))))
    };
    for (name, figure, pick) in [
        ("forward skips", &report.forward_skips, (|f: &OwnerFigures| f.skips) as fn(&OwnerFigures) -> i64),
        ("backward moves", &report.backward_moves, |f: &OwnerFigures| f.backward),
        ("stuck deals", &report.stuck_deals, |f: &OwnerFigures| f.stuck),
        ("overdue follow-ups", &report.overdue_follow_ups, |f: &OwnerFigures| f.overdue),
    ] {
        let (value, median) = counts(pick);
        if figure.value != value || !close(figure.team_median, median) {
            return Err(format!("{name}: app {figure:?}, hand-written {value} / {median:?}"));
        }
    }
    for stage in &report.stage_dwell {
        let want = mine.and_then(|figures| figures.dwell.get(&stage.stage)).copied();
        let median = team_median(expected.team.iter().map(|user| owner(user).and_then(|figures| figures.dwell.get(&stage.stage)).map(|(_, hours)| *hours)));
        if stage.exits != want.map_or(0, |(exits, _)| exits) || !close(stage.average_hours, want.map(|(_, hours)| hours)) || !close(stage.team_median_hours, median) {
            return Err(format!("dwell {}: app {stage:?}, hand-written {want:?} / {median:?}", stage.stage));
        }
    }
    for conversion in &report.conversion {
        let want = mine.and_then(|figures| figures.conversion.get(&conversion.from_stage)).copied().unwrap_or((0, 0));
        let rate = |(entered, advanced): (i64, i64)| (entered > 0).then(|| advanced as f64 / entered as f64);
        let median = team_median(expected.team.iter().map(|user| owner(user).and_then(|figures| figures.conversion.get(&conversion.from_stage)).and_then(|pair| rate(*pair))));
        if (conversion.entered, conversion.advanced) != want || !close(conversion.team_median_rate, median) {
            return Err(format!("conversion {}: app {conversion:?}, hand-written {want:?} / {median:?}", conversion.from_stage));
        }
    }
    Ok(())
}

