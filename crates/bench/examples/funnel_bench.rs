//! Cost of the analytics over a large org: `make bench-funnel`.
//!
//! Creates a fresh PostgreSQL database, loads an org of 2,000 reps in 200
//! teams, 100,000 customers and N deals (default 1 M) with their stage
//! history (about four transitions a deal, spread over two years) with
//! set-based SQL, then times `funnel`, `heatmap` and `funnelHealth` through
//! the app API — for one team (its manager's scope) and for the whole org
//! (an admin) — against the hand-written PostgreSQL of
//! [`dealdesk_bench::hand_analytics`] computing the same figures. It checks
//! the figures are equal, and prints a Markdown table of the median time of
//! each over the runs. (`make bench` runs the same comparison on a
//! generated org.)
//!
//! ```sh
//! cargo run --release -p dealdesk-bench --example funnel_bench -- [deals] [--runs 7] [--explain] [--keep]
//! ```
//!
//! `--explain` also prints `EXPLAIN (ANALYZE, BUFFERS)` of the app's
//! statements; `--keep` leaves the database behind (its name is printed).
//! `BENCH_PG_URL` names the server (default `postgres://postgres@127.0.0.1/postgres`).

use std::time::Instant;

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, TimeZone, Utc};
use dealdesk_app::analytics::{AnalyticsFilter, HeatmapQuery};
use dealdesk_app::orgs::SignUp;
use dealdesk_app::{Actor, AppClock, Principal};
use dealdesk_bench::hand_analytics::{compare_funnel, compare_health, compare_heatmap, time, Hand};
use dealdesk_domain::{HeatmapDimension, HeatmapMetric, OrgId, Role, TeamId, UserId};
use dealdesk_persistence::analytics::{self as analytics_repo, DealSelection, Period, RankedStage};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement, TransactionTrait};
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
    let app = dealdesk_server::build_app_with_clock(&config, AppClock::test(now())).await?;
    let db = app.db.clone();
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
    let hand = Hand { db: &db, org: fixture.org, from, to, now: now() };

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
