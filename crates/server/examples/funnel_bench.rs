//! Cost of the analytics over a large org: `make bench-funnel`.
//!
//! Creates a fresh PostgreSQL database, loads an org of 2,000 reps in 200
//! teams, 100,000 customers and N deals (default 1 M) with their stage
//! history (about four transitions a deal, spread over two years) with
//! set-based SQL, then times `funnel`, `heatmap` and `funnelHealth` through
//! the app API — for one team (its manager's scope) and for the whole org
//! (an admin) — against hand-written PostgreSQL computing the same figures
//! (`percentile_cont`, `FILTER`, `bool_or`, a window for conversion, `LATERAL`
//! for funnel health's owner at the time), run with the same session
//! settings as the app's. It checks the figures are equal, and prints a
//! Markdown table of the median time of each over the runs.
//!
//! ```sh
//! cargo run --release -p dealdesk-server --example funnel_bench -- [deals] [--runs 7] [--explain] [--keep]
//! ```
//!
//! `--explain` also prints `EXPLAIN (ANALYZE, BUFFERS)` of the app's
//! statements; `--keep` leaves the database behind (its name is printed).
//! `BENCH_PG_URL` names the server (default `postgres://postgres@127.0.0.1/postgres`).

use std::collections::HashMap;
use std::future::Future;
use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, TimeZone, Utc};
use dealdesk_app::analytics::{AnalyticsFilter, HeatmapQuery};
use dealdesk_app::orgs::SignUp;
use dealdesk_app::{Actor, App, AppClock, AppConfig, Principal};
use dealdesk_domain::{team_median, HeatmapDimension, HeatmapMetric, OrgId, Role, TeamId, UserId};
use dealdesk_persistence::analytics::{self as analytics_repo, DealSelection, Period, RankedStage};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, Statement, TransactionTrait, Value};
use uuid::Uuid;

/// Teams in the org, each with a manager and [`REPS_PER_TEAM`] reps.
const TEAMS: i64 = 200;
/// Reps per team.
const REPS_PER_TEAM: i64 = 10;
/// Customers in the org.
const CUSTOMERS: i64 = 100_000;

/// Business "now" of the run: every generated transition lies before it.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).single().unwrap_or_default()
}

struct Options {
    deals: i64,
    runs: usize,
    explain: bool,
    keep: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options { deals: 1_000_000, runs: 7, explain: false, keep: false };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--explain" => options.explain = true,
            "--keep" => options.keep = true,
            "--runs" => options.runs = args.next().context("--runs needs a number")?.parse()?,
            number => options.deals = number.parse().with_context(|| format!("unknown argument {number}"))?,
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let admin_url = std::env::var("BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1/postgres".into());
    let name = format!("dealdesk_funnel_bench_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.context("connect to PostgreSQL")?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let url = format!("{}/{name}", admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base));
    let result = run(&url, &options).await;
    if options.keep {
        eprintln!("kept database {name}");
    } else {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    }
    result
}

/// The org as loaded: who is asked about.
struct Fixture {
    org: OrgId,
    admin: Principal,
    manager: Principal,
    team: TeamId,
    /// The team's reps (the manager's scope is these and the manager).
    reps: Vec<Uuid>,
}

async fn run(url: &str, options: &Options) -> anyhow::Result<()> {
    let config = dealdesk_server::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.to_string()),
        "DEALDESK_JWT_SECRET" => Some("bench-secret-0123456789abcdef0123456789".into()),
        _ => None,
    })?;
    let db = dealdesk_server::db::connect(url).await?;
    dealdesk_server::db::migrate(&db).await?;
    let app = App::new(
        db.clone(),
        AppClock::test(now()),
        AppConfig { jwt_secret: config.jwt_secret.clone(), allow_signup: true, notify: config.notify.clone(), max_delivery_attempts: config.max_delivery_attempts, files_dir: config.files_dir.clone(), registry_url: None, registry_key: None, registry_timeout: config.registry_timeout, default_industry_days_late: config.default_industry_days_late },
    )?;
    let admin = app
        .sign_up(SignUp { org_name: "Bench".into(), name: "Admin".into(), email: "admin@bench.test".into(), password: "bench-password".into(), time_zone: None })
        .await?
        .user;
    let started = Instant::now();
    let fixture = load(&db, OrgId::from_uuid(admin.org_id), admin.id, options.deals).await?;
    let load_seconds = started.elapsed().as_secs_f64();
    let transitions = count(&db, "SELECT COUNT(*) AS n FROM deal_transitions").await?;

    let (from, to) = (now() - Duration::days(120), now() - Duration::days(28));
    let in_period = count(&db, &format!("SELECT COUNT(*) AS n FROM deal_transitions WHERE at >= '{}' AND at < '{}'", from.to_rfc3339(), to.to_rfc3339())).await?;
    let subject = *fixture.reps.first().context("the team has reps")?;
    let mut team_scope = fixture.reps.clone();
    team_scope.push(fixture.manager.actor.id().context("a user")?);
    let hand = Hand { db: &db, org: fixture.org, from, to };

    println!("{} deals, {transitions} transitions (loaded set-based in {load_seconds:.0} s); period {} – {} holds {in_period} transitions; {} runs each, median shown.\n", options.deals, from.date_naive(), to.date_naive(), options.runs);
    println!("| query | scope | app API | hand-written SQL | app / hand | same figures |");
    println!("|---|---|---:|---:|---:|---|");
    let team_filter = || AnalyticsFilter::default();
    for (label, principal, owners) in [("team (manager)", &fixture.manager, Some(team_scope.as_slice())), ("org (admin)", &fixture.admin, None)] {
        let (app_time, funnel) = time(options.runs, || app.funnel(principal, team_filter(), from, to, None)).await?;
        let (hand_time, expected) = time(options.runs, || hand.funnel(owners)).await?;
        let same = compare_funnel(&funnel, &expected);
        row("funnel", label, app_time, hand_time, &same);
        for (dimension, metric, name) in [
            (HeatmapDimension::Industry, HeatmapMetric::Conversion, "heatmap INDUSTRY × CONVERSION"),
            (HeatmapDimension::Region, HeatmapMetric::Dwell, "heatmap REGION × DWELL"),
        ] {
            let query = || HeatmapQuery { dimension, metric, filter: team_filter(), from, to, min_sample: None };
            let (app_time, heatmap) = time(options.runs, || app.heatmap(principal, query())).await?;
            let (hand_time, expected) = time(options.runs, || hand.heatmap(owners, dimension, metric)).await?;
            row(name, label, app_time, hand_time, &compare_heatmap(&heatmap, &expected));
        }
    }
    let (app_time, health) = time(options.runs, || app.funnel_health(&fixture.manager, UserId::from_uuid(subject), from, to)).await?;
    let (hand_time, expected) = time(options.runs, || hand.funnel_health(&fixture.reps, subject)).await?;
    row("funnelHealth (one rep vs the team)", "team (manager)", app_time, hand_time, &compare_health(&health, &expected));
    let filter = AnalyticsFilter { team_id: Some(fixture.team), ..AnalyticsFilter::default() };
    let (app_time, _) = time(options.runs, || app.funnel(&fixture.admin, filter.clone(), from, to, None)).await?;
    println!("| funnel, filter teamId | org (admin) | {app_time:.0} ms | — | — | — |");

    if options.explain {
        explain(&db, &fixture, &team_scope, from, to).await?;
    }
    Ok(())
}

fn row(query: &str, scope: &str, app_ms: f64, hand_ms: f64, same: &Result<(), String>) {
    let same = match same {
        Ok(()) => "yes".to_string(),
        Err(difference) => format!("**no**: {difference}"),
    };
    println!("| {query} | {scope} | {app_ms:.0} ms | {hand_ms:.0} ms | {:.2} | {same} |", app_ms / hand_ms);
}

/// Runs `work` once to warm up, then `runs` times; the median time in ms and the last result.
async fn time<T, E, F, Fut>(runs: usize, mut work: F) -> anyhow::Result<(f64, T)>
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

async fn count(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db.query_one(Statement::from_string(DbBackend::Postgres, sql)).await?.context("a count")?;
    Ok(row.try_get("", "n")?)
}

/// Loads the org set-based, in one transaction with a fixed random seed so
/// every run sees the same data.
async fn load(db: &DatabaseConnection, org: OrgId, admin: Uuid, deals: i64) -> anyhow::Result<Fixture> {
    let org_id = org.into_uuid();
    let now = now().to_rfc3339();
    let txn = db.begin().await?;
    let statements = [
        "SELECT setseed(0.42)".to_string(),
        format!(
            "INSERT INTO users (id, org_id, email, name, password_hash, role, team_id, manager_id, joined_at, active, created_at)
             SELECT md5('manager' || i)::uuid, '{org_id}', 'manager' || i || '@bench.test', 'Manager ' || i, 'x', 'MANAGER', NULL, NULL, '{now}', true, '{now}'
             FROM generate_series(0, {TEAMS} - 1) i"
        ),
        format!(
            "INSERT INTO teams (id, org_id, name, manager_id, created_at)
             SELECT md5('team' || i)::uuid, '{org_id}', 'Team ' || i, md5('manager' || i)::uuid, '{now}' FROM generate_series(0, {TEAMS} - 1) i"
        ),
        format!(
            "INSERT INTO users (id, org_id, email, name, password_hash, role, team_id, manager_id, joined_at, active, created_at)
             SELECT md5('rep' || i)::uuid, '{org_id}', 'rep' || i || '@bench.test', 'Rep ' || i, 'x', 'REP',
                    md5('team' || (i / {REPS_PER_TEAM}))::uuid, md5('manager' || (i / {REPS_PER_TEAM}))::uuid, '{now}', true, '{now}'
             FROM generate_series(0, {TEAMS} * {REPS_PER_TEAM} - 1) i"
        ),
        format!(
            "INSERT INTO customers (id, org_id, name, normalized_name, industry, region, owner_id, created_by, created_at, updated_at)
             SELECT md5('customer' || i)::uuid, '{org_id}', 'Customer ' || i, 'customer ' || i,
                    (ARRAY['Manufacturing','Education','Retail','Healthcare','Finance','Energy','Logistics','Government','Telecom','Construction','Agriculture','Media'])[1 + i % 12],
                    (ARRAY['East China','North China','South China','Central China','Southwest','Northwest','Northeast','Overseas'])[1 + (i / 12) % 8],
                    md5('rep' || (i % {reps}))::uuid, '{admin}', '{now}', '{now}'
             FROM generate_series(0, {CUSTOMERS} - 1) i",
            reps = TEAMS * REPS_PER_TEAM
        ),
        // One row per deal: owner, customer, creation time, how many moves (0–6, 3 on average),
        // whether the last move loses it, amount, currency and product line.
        format!(
            "CREATE TEMP TABLE gen ON COMMIT DROP AS
             SELECT i, md5('deal' || i)::uuid AS id, floor(random() * {reps})::int AS rep, floor(random() * {CUSTOMERS})::int AS customer,
                    timestamptz '{now}' - interval '770 days' + random() * interval '700 days' AS created_at,
                    floor(random() * 7)::int AS moves, random() < 0.3 AS lost,
                    (1000000 + floor(random() * 99000000))::bigint AS amount_cents,
                    CASE WHEN random() < 0.1 THEN NULL WHEN random() < 0.06 THEN 'USD' ELSE 'CNY' END AS currency,
                    CASE WHEN random() < 0.1 THEN NULL ELSE (ARRAY['CRM','ERP','MES','WMS','BI'])[1 + floor(random() * 5)::int] END AS product_line
             FROM generate_series(1, {deals}) i",
            reps = TEAMS * REPS_PER_TEAM
        ),
        // Each deal's path: created in LEAD, then one stage forward per move (WON after
        // NEGOTIATION), the last move to LOST for 30 %; 1–241 hours between moves.
        "CREATE TEMP TABLE steps ON COMMIT DROP AS
         SELECT g.id AS deal_id, s.j,
                CASE WHEN s.j = 0 THEN 'LEAD'
                     WHEN s.j = g.moves AND g.lost AND g.moves < 6 THEN 'LOST'
                     ELSE (ARRAY['QUALIFICATION','NEEDS_CONFIRMED','DEMO','QUOTE','NEGOTIATION','WON'])[s.j] END AS to_stage,
                g.created_at + SUM(s.gap) OVER (PARTITION BY g.id ORDER BY s.j) AS at
         FROM gen g CROSS JOIN LATERAL (
             SELECT j, CASE WHEN j = 0 THEN interval '0' ELSE interval '1 hour' + random() * interval '240 hours' END AS gap
             FROM generate_series(0, g.moves) j) s"
            .to_string(),
        // In time order, as a live system appends them.
        format!(
            "INSERT INTO deal_transitions (id, org_id, deal_id, from_stage, to_stage, actor_kind, at, forward_skips, backward, from_stage_entered_at)
             SELECT gen_random_uuid(), '{org_id}', deal_id, LAG(to_stage) OVER w, to_stage, 'USER', at, 0, false, LAG(at) OVER w
             FROM steps WINDOW w AS (PARTITION BY deal_id ORDER BY j) ORDER BY at"
        ),
        format!(
            "INSERT INTO deals (id, org_id, title, customer_id, owner_id, created_by, stage, amount_cents, currency, product_line,
                                next_follow_up_at, entered_stage_at, last_activity_at, created_at, updated_at)
             SELECT g.id, '{org_id}', 'Deal ' || g.i, md5('customer' || g.customer)::uuid, md5('rep' || g.rep)::uuid, '{admin}', last.to_stage,
                    CASE WHEN g.currency IS NULL THEN NULL ELSE g.amount_cents END, g.currency, g.product_line,
                    last.at + interval '7 days', last.at, last.at, g.created_at, last.at
             FROM gen g JOIN (SELECT DISTINCT ON (deal_id) deal_id, to_stage, at FROM steps ORDER BY deal_id, j DESC) last ON last.deal_id = g.id"
        ),
    ];
    for sql in statements {
        txn.execute(Statement::from_string(DbBackend::Postgres, sql)).await.context("loading")?;
    }
    txn.commit().await?;
    db.execute_unprepared("VACUUM ANALYZE").await?;

    let id = |sql: &str| {
        let sql = sql.to_string();
        async move {
            let row = db.query_one(Statement::from_string(DbBackend::Postgres, sql)).await?.context("an id")?;
            anyhow::Ok(row.try_get::<Uuid>("", "id")?)
        }
    };
    let team = id("SELECT md5('team' || 0)::uuid AS id").await?;
    let manager = id("SELECT md5('manager' || 0)::uuid AS id").await?;
    let mut reps = Vec::new();
    for i in 0..REPS_PER_TEAM {
        reps.push(id(&format!("SELECT md5('rep' || {i})::uuid AS id")).await?);
    }
    Ok(Fixture {
        org,
        admin: Principal { org_id: org, actor: Actor::User(UserId::from_uuid(admin)), role: Role::Admin },
        manager: Principal { org_id: org, actor: Actor::User(UserId::from_uuid(manager)), role: Role::Manager },
        team: TeamId::from_uuid(team),
        reps,
    })
}

/// Per stage: entered, advanced, amount (CNY cents), priced, exits, median dwell seconds.
#[derive(Debug, Default, Clone, PartialEq)]
struct StageFigures {
    entered: i64,
    advanced: i64,
    amount_minor: i64,
    priced: i64,
    exits: i64,
    median_seconds: Option<f64>,
}

/// The same figures as the app, in hand-written PostgreSQL.
struct Hand<'a> {
    db: &'a DatabaseConnection,
    org: OrgId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
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

    async fn funnel(&self, owners: Option<&[Uuid]>) -> Result<HashMap<String, StageFigures>, sea_orm::DbErr> {
        let txn = self.begin().await?;
        let mut figures = HashMap::new();
        self.entries(&txn, owners, "NULL::text", &mut figures).await?;
        self.dwell(&txn, owners, "NULL::text", &mut figures).await?;
        txn.commit().await?;
        Ok(figures.into_iter().map(|((_, stage), figures)| (stage, figures)).collect())
    }

    async fn heatmap(&self, owners: Option<&[Uuid]>, dimension: HeatmapDimension, metric: HeatmapMetric) -> Result<HashMap<(Option<String>, String), StageFigures>, sea_orm::DbErr> {
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
    async fn funnel_health(&self, team: &[Uuid], subject: Uuid) -> Result<Health, sea_orm::DbErr> {
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
        let now = now();
        let current = format!(
            "SELECT d.owner_id AS owner,
                    COUNT(*) FILTER (WHERE s.stuck_after_hours IS NOT NULL AND d.entered_stage_at < '{now}'::timestamptz - s.stuck_after_hours * interval '1 hour'
                                     AND (d.last_activity_at IS NULL OR d.last_activity_at < '{now}'::timestamptz - s.stuck_after_hours * interval '1 hour')) AS stuck,
                    COUNT(*) FILTER (WHERE d.next_follow_up_at < '{now}' AND (d.last_activity_at IS NULL OR d.last_activity_at < d.next_follow_up_at)) AS overdue
             FROM deals d JOIN stages s ON s.org_id = d.org_id AND s.\"key\" = d.stage AND s.kind = 'OPEN'
             WHERE d.org_id = $1 AND d.owner_id = ANY(OWNERS) AND $2::timestamptz IS NOT NULL AND $3::timestamptz IS NOT NULL GROUP BY 1",
            now = now.to_rfc3339()
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

#[derive(Debug, Default)]
struct OwnerFigures {
    /// stage → (exits, mean hours)
    dwell: HashMap<String, (i64, f64)>,
    skips: i64,
    backward: i64,
    /// stage → (entered, advanced)
    conversion: HashMap<String, (i64, i64)>,
    stuck: i64,
    overdue: i64,
}

struct Health {
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

fn compare_funnel(funnel: &dealdesk_app::analytics::Funnel, expected: &HashMap<String, StageFigures>) -> Result<(), String> {
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

fn compare_heatmap(heatmap: &dealdesk_app::analytics::Heatmap, expected: &HashMap<(Option<String>, String), StageFigures>) -> Result<(), String> {
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

fn compare_health(report: &dealdesk_app::funnel::FunnelHealth, expected: &Health) -> Result<(), String> {
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

/// Prints `EXPLAIN (ANALYZE, BUFFERS)` of the app's two analytics statements
/// for the team and for the org, with the app's session settings.
async fn explain(db: &DatabaseConnection, fixture: &Fixture, team_scope: &[Uuid], from: DateTime<Utc>, to: DateTime<Utc>) -> anyhow::Result<()> {
    let rows = db.query_all(Statement::from_sql_and_values(DbBackend::Postgres, "SELECT \"key\", \"position\", kind FROM stages WHERE org_id = $1", [fixture.org.into_uuid().into()])).await?;
    let mut stages = Vec::new();
    for row in rows {
        let kind: String = row.try_get("", "kind")?;
        stages.push(RankedStage { key: row.try_get("", "key")?, position: row.try_get("", "position")?, progress: kind != "LOST" });
    }
    let team = DealSelection { owners: Some(team_scope.to_vec()), ..DealSelection::default() };
    let org = DealSelection::default();
    // The app's session settings, as the app runs these statements.
    let txn = db.begin().await?;
    analytics_repo::tune_for_aggregates(&txn).await?;
    for (label, deals, group_by) in [
        ("team, funnel", &team, None),
        ("org, funnel", &org, None),
        ("org, heatmap by industry", &org, Some(HeatmapDimension::Industry)),
    ] {
        let period = Period { org: fixture.org, deals, from, to, group_by };
        for (what, statement) in [
            ("entries (counts, amounts, conversion)", analytics_repo::entries_statement(DbBackend::Postgres, &period, &stages, "CNY")),
            ("dwell medians", analytics_repo::dwell_statement(DbBackend::Postgres, &period)),
        ] {
            let explained = Statement { sql: format!("EXPLAIN (ANALYZE, BUFFERS) {}", statement.sql), ..statement.clone() };
            println!("\n### {label}: {what}\n\n```sql\n{}\n```\n\n```", statement.sql);
            for row in txn.query_all(explained).await? {
                let line: String = row.try_get_by_index(0)?;
                println!("{line}");
            }
            println!("```");
        }
    }
    txn.commit().await?;
    if stages.is_empty() {
        bail!("the org has no stages");
    }
    Ok(())
}
