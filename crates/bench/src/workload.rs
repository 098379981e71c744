//! What the bench sends and runs: the GraphQL operations and their
//! hand-written SQL twins, the jobs, the outbox and the two-server run.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Utc;
use dealdesk_app::{Actor, App, Principal};
use dealdesk_domain::{OrgId, Role, UserId};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use uuid::Uuid;

use crate::load::{self, LoadResult, WrkScript};
use crate::{procs, receiver, scalar_i64, Args, BenchDb};

/// The password the bench gives the generated admin it signs in as.
const PASSWORD: &str = "dealdesk-bench-password";
const JWT_SECRET: &str = "bench-secret-0123456789abcdef0123456789abcdef";

/// The measured API operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    List,
    Detail,
    Move,
    Log,
}

impl Op {
    pub const ALL: [Op; 4] = [Op::List, Op::Detail, Op::Move, Op::Log];

    pub fn key(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Detail => "detail",
            Op::Move => "move",
            Op::Log => "log",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Op::List => "`deals(first: 50, filter: {ownerId, stage})` + owner, customer",
            Op::Detail => "`deal(id)` + `timeline(first: 20)`",
            Op::Move => "`moveDealStage`",
            Op::Log => "`logActivity`",
        }
    }
}

const LIST_QUERY: &str = "query List($owner: ID!, $stage: String!) { deals(first: 50, filter: {ownerId: $owner, stage: $stage}) { edges { node { id title stage amount { amount currency } createdAt owner { name } customer { name industry } } } } }";
const DETAIL_QUERY: &str = "query Detail($id: ID!) { deal(id: $id) { id title stage amount { amount currency } enteredStageAt nextFollowUpAt owner { name } customer { name industry } timeline(first: 20) { edges { node { __typename ... on Activity { id kind text occurredAt author { name } } ... on StageTransition { id fromStage toStage at by { name } } ... on DealReassignment { id at fromOwner { name } toOwner { name } } } } } } }";
const MOVE_MUTATION: &str = "mutation Move($input: MoveDealStageInput!) { moveDealStage(input: $input) { id stage enteredStageAt } }";
const LOG_MUTATION: &str = "mutation Log($input: LogActivityInput!) { logActivity(input: $input) { id occurredAt } }";
const POSTGRAPHILE_LIST: &str = "query List($org: UUID!, $owner: UUID!, $stage: String!) { allDeals(first: 50, condition: {orgId: $org, ownerId: $owner, stage: $stage}, orderBy: [CREATED_AT_DESC, ID_DESC]) { nodes { id title stage amountCents currency createdAt owner { name } customer { name industry } } } }";

/// The generated org and the rows the load runs pick from.
pub struct Workload {
    pub org: Uuid,
    pub admin_email: String,
    /// (owner, stage) pairs with deals.
    pub lists: Vec<(Uuid, String)>,
    pub deals: Vec<Uuid>,
    /// Deals in QUALIFICATION, moved to NEEDS_CONFIRMED and back.
    pub movable: Vec<Uuid>,
    /// A rep in the largest team (funnelHealth compares within the team).
    pub rep: Uuid,
}

async fn uuids(db: &sea_orm::DatabaseConnection, sql: String) -> anyhow::Result<Vec<Uuid>> {
    let rows = db.query_all(Statement::from_string(DbBackend::Postgres, sql)).await?;
    rows.iter().map(|row| row.try_get_by_index::<Uuid>(0).map_err(Into::into)).collect()
}

impl Workload {
    /// Picks the org, signs its admin in with a known password and stores
    /// the load's parameters in `bench_*` tables for pgbench.
    pub async fn prepare(bench: &BenchDb) -> anyhow::Result<Workload> {
        let db = &bench.db;
        let org = *uuids(db, "SELECT id FROM orgs ORDER BY created_at, id LIMIT 1".into()).await?.first().context("the generator made no org")?;
        let admin = db
            .query_one(Statement::from_string(DbBackend::Postgres, format!("SELECT id, email FROM users WHERE org_id = '{org}' AND role = 'ADMIN' AND active ORDER BY email LIMIT 1")))
            .await?
            .context("the generated org has no active admin")?;
        let admin_id: Uuid = admin.try_get_by_index(0)?;
        let admin_email: String = admin.try_get_by_index(1)?;
        let hash = dealdesk_app::auth::hash_password(PASSWORD).map_err(|error| anyhow::anyhow!("{error}"))?;
        db.execute(Statement::from_sql_and_values(DbBackend::Postgres, "UPDATE users SET password_hash = $1 WHERE id = $2", [hash.into(), admin_id.into()])).await?;

        let pairs = db
            .query_all(Statement::from_string(
                DbBackend::Postgres,
                format!("SELECT owner_id, stage FROM deals WHERE org_id = '{org}' GROUP BY owner_id, stage HAVING count(*) >= 10 ORDER BY md5(owner_id::text || stage) LIMIT 200"),
            ))
            .await?;
        let lists: Vec<(Uuid, String)> = pairs.iter().map(|row| Ok((row.try_get_by_index::<Uuid>(0)?, row.try_get_by_index::<String>(1)?))).collect::<anyhow::Result<_>>()?;
        let deals = uuids(db, format!("SELECT id FROM deals WHERE org_id = '{org}' ORDER BY md5(id::text) LIMIT 1000")).await?;
        let movable = uuids(db, format!("SELECT id FROM deals WHERE org_id = '{org}' AND stage = 'QUALIFICATION' ORDER BY md5(id::text) LIMIT 1000")).await?;
        let rep = *uuids(
            db,
            format!(
                "SELECT u.id FROM users u JOIN (SELECT team_id, count(*) AS n FROM users WHERE org_id = '{org}' AND team_id IS NOT NULL GROUP BY team_id ORDER BY n DESC, team_id LIMIT 1) t ON t.team_id = u.team_id
                 WHERE u.role = 'REP' ORDER BY u.id LIMIT 1"
            ),
        )
        .await?
        .first()
        .context("the generated org has no team with reps")?;
        if lists.is_empty() || deals.is_empty() || movable.is_empty() {
            bail!("the generated org is too small for the load (owner/stage pairs {}, deals {}, deals in QUALIFICATION {})", lists.len(), deals.len(), movable.len());
        }

        for sql in [
            "DROP TABLE IF EXISTS bench_list, bench_deal, bench_move",
            "CREATE TABLE bench_list (i int PRIMARY KEY, org_id uuid NOT NULL, owner_id uuid NOT NULL, stage text NOT NULL)",
            "CREATE TABLE bench_deal (i int PRIMARY KEY, deal_id uuid NOT NULL)",
            "CREATE TABLE bench_move (i int PRIMARY KEY, deal_id uuid NOT NULL)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        let values = |rows: Vec<String>| rows.join(",");
        db.execute_unprepared(&format!(
            "INSERT INTO bench_list VALUES {}",
            values(lists.iter().enumerate().map(|(i, (owner, stage))| format!("({}, '{org}', '{owner}', '{stage}')", i + 1)).collect())
        ))
        .await?;
        db.execute_unprepared(&format!("INSERT INTO bench_deal VALUES {}", values(deals.iter().enumerate().map(|(i, id)| format!("({}, '{id}')", i + 1)).collect()))).await?;
        db.execute_unprepared(&format!("INSERT INTO bench_move VALUES {}", values(movable.iter().enumerate().map(|(i, id)| format!("({}, '{id}')", i + 1)).collect()))).await?;
        db.execute_unprepared("ANALYZE bench_list; ANALYZE bench_deal; ANALYZE bench_move").await?;
        Ok(Workload { org, admin_email, lists, deals, movable, rep })
    }

    /// Puts the deals the move load toggles back into QUALIFICATION.
    pub async fn reset_movable(&self, db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
        db.execute_unprepared("UPDATE deals SET stage = 'QUALIFICATION' WHERE id IN (SELECT deal_id FROM bench_move) AND stage <> 'QUALIFICATION'").await?;
        Ok(())
    }

    /// Signs the admin in; returns the bearer token.
    pub async fn login(&self, base_url: &str) -> anyhow::Result<String> {
        let body = graphql(
            base_url,
            None,
            "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }",
            json!({ "email": self.admin_email, "password": PASSWORD }),
        )
        .await?;
        body.pointer("/data/login/accessToken").and_then(|token| token.as_str()).map(str::to_string).with_context(|| format!("login failed: {body}"))
    }

    pub fn api_script(&self, op: Op) -> WrkScript {
        let body = |query: &str, variables: serde_json::Value| json!({ "query": query, "variables": variables }).to_string();
        match op {
            Op::List => WrkScript::Bodies(self.lists.iter().map(|(owner, stage)| body(LIST_QUERY, json!({ "owner": owner, "stage": stage }))).collect()),
            Op::Detail => WrkScript::Bodies(self.deals.iter().map(|id| body(DETAIL_QUERY, json!({ "id": id }))).collect()),
            Op::Log => {
                let follow_up = (Utc::now() + chrono::Duration::days(30)).to_rfc3339();
                WrkScript::Bodies(self.deals.iter().map(|id| body(LOG_MUTATION, json!({ "input": { "dealId": id, "kind": "NOTE", "text": "压测记录：客户确认了预算和时间表", "nextFollowUpAt": follow_up } }))).collect())
            }
            Op::Move => {
                let follow_up = (Utc::now() + chrono::Duration::days(30)).to_rfc3339();
                let template = body(
                    MOVE_MUTATION,
                    json!({ "input": { "dealId": "{DEAL}", "stage": "{STAGE}", "coreNeed": "压测：确认需求", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": follow_up } }),
                );
                WrkScript::Toggle { deals: self.movable.iter().map(Uuid::to_string).collect(), stages: ["QUALIFICATION".into(), "NEEDS_CONFIRMED".into()], template }
            }
        }
    }

    pub fn postgraphile_script(&self) -> WrkScript {
        WrkScript::Bodies(
            self.lists
                .iter()
                .map(|(owner, stage)| json!({ "query": POSTGRAPHILE_LIST, "variables": { "org": self.org, "owner": owner, "stage": stage } }).to_string())
                .collect(),
        )
    }

    /// The hand-written SQL doing what the operation does, for pgbench.
    pub fn sql_script(&self, op: Op) -> String {
        match op {
            Op::List => format!(
                "\\set i random(1, {})
SELECT d.id, d.title, d.stage, d.amount_cents, d.currency, d.created_at, u.name, c.name, c.industry
FROM bench_list p
JOIN deals d ON d.org_id = p.org_id AND d.owner_id = p.owner_id AND d.stage = p.stage
LEFT JOIN users u ON u.id = d.owner_id AND u.org_id = d.org_id
LEFT JOIN customers c ON c.id = d.customer_id AND c.org_id = d.org_id
WHERE p.i = :i
ORDER BY d.created_at DESC, d.id DESC
LIMIT 50;
",
                self.lists.len()
            ),
            Op::Detail => format!(
                "\\set i random(1, {})
SELECT d.id, d.title, d.stage, d.amount_cents, d.currency, d.entered_stage_at, d.next_follow_up_at, u.name, c.name, c.industry
FROM bench_deal p JOIN deals d ON d.id = p.deal_id
LEFT JOIN users u ON u.id = d.owner_id AND u.org_id = d.org_id
LEFT JOIN customers c ON c.id = d.customer_id AND c.org_id = d.org_id
WHERE p.i = :i;
SELECT e.kind, e.id, e.at, e.detail, u.name FROM (
  SELECT 'activity' AS kind, a.id, a.occurred_at AS at, a.text AS detail, a.author_id AS who FROM activities a JOIN bench_deal p ON a.deal_id = p.deal_id WHERE p.i = :i
  UNION ALL
  SELECT 'transition', t.id, t.at, t.to_stage, t.actor_id FROM deal_transitions t JOIN bench_deal p ON t.deal_id = p.deal_id WHERE p.i = :i
  UNION ALL
  SELECT 'reassignment', r.id, r.at, r.to_owner_id::text, r.actor_id FROM deal_assignments r JOIN bench_deal p ON r.deal_id = p.deal_id WHERE p.i = :i
) e LEFT JOIN users u ON u.id = e.who
ORDER BY e.at DESC, e.id DESC
LIMIT 20;
",
                self.deals.len()
            ),
            Op::Move => format!(
                "\\set i random(1, {})
BEGIN;
SELECT d.id, d.stage FROM deals d JOIN bench_move p ON d.id = p.deal_id WHERE p.i = :i FOR UPDATE OF d;
WITH moved AS (
  UPDATE deals d SET stage = CASE WHEN d.stage = 'QUALIFICATION' THEN 'NEEDS_CONFIRMED' ELSE 'QUALIFICATION' END,
    entered_stage_at = now(), updated_at = now(), core_need = '压测：确认需求', decision_role = 'DECISION_MAKER', next_follow_up_at = now() + interval '30 days'
  FROM bench_move p WHERE d.id = p.deal_id AND p.i = :i
  RETURNING d.id, d.org_id, d.stage, d.owner_id
), transition AS (
  INSERT INTO deal_transitions (id, org_id, deal_id, from_stage, to_stage, actor_kind, actor_id, at, forward_skips, backward, core_need, decision_role, next_follow_up_at)
  SELECT gen_random_uuid(), org_id, id, NULL, stage, 'USER', owner_id, now(), 0, false, '压测：确认需求', 'DECISION_MAKER', now() + interval '30 days' FROM moved
)
INSERT INTO audit_log (id, org_id, actor_kind, actor_id, action, entity_type, entity_id, at)
SELECT gen_random_uuid(), org_id, 'USER', owner_id, 'deal.moveStage', 'deal', id, now() FROM moved;
COMMIT;
",
                self.movable.len()
            ),
            Op::Log => format!(
                "\\set i random(1, {})
BEGIN;
WITH deal AS (SELECT d.* FROM deals d JOIN bench_deal p ON d.id = p.deal_id WHERE p.i = :i),
logged AS (
  INSERT INTO activities (id, org_id, deal_id, customer_id, kind, text, occurred_at, recorded_at, next_follow_up_at, author_kind, author_id)
  SELECT gen_random_uuid(), org_id, id, customer_id, 'NOTE', '压测记录：客户确认了预算和时间表', now(), now(), now() + interval '30 days', 'USER', owner_id FROM deal
  RETURNING deal_id
)
UPDATE deals SET last_activity_at = now(), next_follow_up_at = now() + interval '30 days', updated_at = now() WHERE id IN (SELECT deal_id FROM logged);
COMMIT;
",
                self.deals.len()
            ),
        }
    }
}

/// POSTs one GraphQL request; returns the JSON body.
pub async fn graphql(base_url: &str, token: Option<&str>, query: &str, variables: serde_json::Value) -> anyhow::Result<serde_json::Value> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(600)).build()?;
    let mut request = client.post(format!("{base_url}/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    Ok(request.send().await?.json().await?)
}

/// An in-process app on the bench database: the job runner's code, timed
/// and measured in this process.
async fn app(bench: &BenchDb) -> anyhow::Result<App> {
    let url = bench.url.clone();
    let config = dealdesk_server::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.clone()),
        "DEALDESK_JWT_SECRET" => Some(JWT_SECRET.to_string()),
        _ => None,
    })?;
    dealdesk_server::build_app(&config).await
}

/// This process's peak RSS in MiB (NaN where /proc is unreadable).
fn own_peak_mib() -> f64 {
    procs::rss_mib("/proc/self/status").map_or(f64::NAN, |(_, peak)| peak)
}

fn reset_own_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// One timed job run.
pub struct JobFigure {
    pub name: &'static str,
    pub items: i32,
    pub seconds: f64,
    /// Peak RSS of the process while the job ran, MiB.
    pub peak_mib: f64,
}

pub struct JobFigures {
    pub open_deals: i64,
    pub runs: Vec<JobFigure>,
}

/// Stuck scan (first and again), follow-up scan and tier recompute over the
/// whole database, then every due job once through the scheduler (so the
/// servers started later find nothing due).
pub async fn jobs(bench: &BenchDb) -> anyhow::Result<JobFigures> {
    let app = app(bench).await?;
    let open_deals = scalar_i64(&bench.db, "SELECT count(*) FROM deals WHERE stage NOT IN ('WON', 'LOST')").await?;
    let now = Utc::now();
    let mut runs = Vec::new();
    for step in 0..4 {
        let name = ["stuck scan (first: raises the alerts)", "stuck scan (again: nothing new)", "follow-up scan", "tier recompute"][step];
        reset_own_peak();
        let started = Instant::now();
        let result = match step {
            0 | 1 => app.run_stuck_scan(now).await,
            2 => app.run_follow_up_scan(now).await,
            _ => app.run_tier_recompute(now).await,
        };
        let items = result.map_err(|error| anyhow::anyhow!("{name}: {error}"))?;
        runs.push(JobFigure { name, items, seconds: started.elapsed().as_secs_f64(), peak_mib: own_peak_mib() });
    }
    reset_own_peak();
    let started = Instant::now();
    let outcomes = app.run_due_jobs().await.map_err(|error| anyhow::anyhow!("due jobs: {error}"))?;
    if let Some(failed) = outcomes.iter().find(|outcome| outcome.error.is_some()) {
        bail!("job {} failed: {:?}", failed.job.name(), failed.error);
    }
    runs.push(JobFigure {
        name: "every due job once, through the scheduler",
        items: outcomes.iter().map(|outcome| outcome.items).sum(),
        seconds: started.elapsed().as_secs_f64(),
        peak_mib: own_peak_mib(),
    });
    Ok(JobFigures { open_deals, runs })
}

pub struct OutboxFigure {
    pub messages: usize,
    pub seconds: f64,
    pub received: usize,
    pub duplicates: usize,
}

async fn admin_principal(bench: &BenchDb, org: Uuid) -> anyhow::Result<Principal> {
    let admin = uuids(&bench.db, format!("SELECT id FROM users WHERE org_id = '{org}' AND role = 'ADMIN' AND active ORDER BY email LIMIT 1")).await?;
    let admin = *admin.first().context("no admin")?;
    Ok(Principal { org_id: OrgId::from_uuid(org), actor: Actor::User(UserId::from_uuid(admin)), role: Role::Admin })
}

async fn webhook_channel(app: &App, principal: &Principal, target: &str, events: Option<Vec<String>>) -> anyhow::Result<Uuid> {
    let channel = app
        .add_channel(principal, dealdesk_app::notify::NewChannel { kind: dealdesk_notification::ChannelKind::Webhook, name: Some("bench receiver".into()), target: target.to_string(), secret: None, events })
        .await
        .map_err(|error| anyhow::anyhow!("adding the bench webhook: {error}"))?;
    Ok(channel.id)
}

/// Enqueues `messages` webhook deliveries to a loopback receiver and times
/// the dispatcher draining them.
pub async fn outbox(bench: &BenchDb, org: Uuid, port: u16, messages: usize) -> anyhow::Result<OutboxFigure> {
    let app = app(bench).await?;
    let principal = admin_principal(bench, org).await?;
    let (received, url, server) = receiver::start(port)?;
    let channel = webhook_channel(&app, &principal, &url, Some(vec!["report.weekly".into()])).await?;
    bench
        .db
        .execute_unprepared(&format!(
            "INSERT INTO outbox (id, org_id, channel_id, event, payload, status, attempts, next_attempt_at, created_at)
             SELECT gen_random_uuid(), '{org}', '{channel}', 'report.weekly',
                    jsonb_build_object('event', 'report.weekly', 'orgId', '{org}', 'title', '周报 ' || i, 'markdown', '#### 周报 ' || i, 'text', '周报 ' || i, 'data', jsonb_build_object('n', i)),
                    'PENDING', 0, now() - interval '1 second', now()
             FROM generate_series(1, {messages}) AS i"
        ))
        .await?;
    let started = Instant::now();
    loop {
        let sent = app.dispatch_outbox().await.map_err(|error| anyhow::anyhow!("dispatch: {error}"))?;
        if sent == 0 {
            break;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let (count, duplicates) = received.counts();
    app.remove_channel(&principal, channel).await.map_err(|error| anyhow::anyhow!("{error}"))?;
    server.stop(true).await;
    Ok(OutboxFigure { messages, seconds, received: count, duplicates })
}

pub struct AnalyticsFigure {
    pub name: String,
    pub api_ms: f64,
    pub sql_ms: Option<f64>,
    pub equal: Option<bool>,
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// `funnelHealth` for a rep of the largest team over the last 30 days, over
/// HTTP: the median of 7 requests.
pub async fn analytics(work: &Workload, base_url: &str, token: &str) -> anyhow::Result<Vec<AnalyticsFigure>> {
    let to = Utc::now();
    let from = to - chrono::Duration::days(30);
    let query = "query Health($user: ID!, $from: DateTime!, $to: DateTime!) { funnelHealth(userId: $user, from: $from, to: $to) { __typename } }";
    let mut times = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        let body = graphql(base_url, Some(token), query, json!({ "user": work.rep, "from": from, "to": to })).await?;
        if body.get("errors").is_some() {
            bail!("funnelHealth failed: {body}");
        }
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    Ok(vec![AnalyticsFigure { name: "`funnelHealth` (one rep, team comparison, 30 days)".into(), api_ms: median(times), sql_ms: None, equal: None }])
}

pub struct TwoServers {
    pub single: Option<LoadResult>,
    pub first: LoadResult,
    pub second: LoadResult,
    pub clock_advances: u32,
    pub job_runs: i64,
    pub duplicate_job_runs: i64,
    pub deliveries: usize,
    pub duplicate_deliveries: usize,
    pub pending_after: i64,
}

/// Two `dealdesk serve` processes with the shared test clock on one
/// database: the list load split across them while the clock is advanced
/// an hour at a time through either server (each advance runs every job
/// that became due); then every job run must be unique and every outbox
/// message delivered once.
pub async fn two_servers(args: &Args, bench: &BenchDb, work: &Workload, single: Option<LoadResult>) -> anyhow::Result<TwoServers> {
    let app = app(bench).await?;
    let principal = admin_principal(bench, work.org).await?;
    let (received, url, receiver) = receiver::start(args.port + 20)?;
    let channel = webhook_channel(&app, &principal, &url, Some(vec!["alert.*".into()])).await?;
    let env = [("DEALDESK_TEST_CLOCK", "1")];
    let (one, _) = procs::start_server(&args.dealdesk, &bench.url, args.port + 1, &args.workdir.join("server-1.log"), &env).await?;
    let (two, _) = procs::start_server(&args.dealdesk, &bench.url, args.port + 2, &args.workdir.join("server-2.log"), &env).await?;
    let token = work.login(&one.base_url).await?;
    let seconds = Duration::from_secs(args.seconds);
    let script = work.api_script(Op::List);
    let servers = [one.base_url.clone(), two.base_url.clone()];
    let advance = async {
        let mut advances = 0u32;
        let deadline = Instant::now() + seconds;
        while Instant::now() < deadline {
            let body = graphql(&servers[advances as usize % 2], Some(&token), "mutation { advanceTestClock(hours: 1) }", json!({})).await?;
            if body.get("errors").is_some() {
                bail!("advanceTestClock failed: {body}");
            }
            advances += 1;
        }
        Ok::<u32, anyhow::Error>(advances)
    };
    let (url_one, url_two) = (format!("{}/graphql", one.base_url), format!("{}/graphql", two.base_url));
    let (first, second, advances) = tokio::join!(
        load::wrk(&args.workdir, "two-1", &url_one, &script, Some(&token), 32, seconds),
        load::wrk(&args.workdir, "two-2", &url_two, &script, Some(&token), 32, seconds),
        advance,
    );
    let (first, second, clock_advances) = (first?, second?, advances?);
    // Let the dispatchers drain what the jobs queued.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut pending_after;
    loop {
        pending_after = scalar_i64(&bench.db, &format!("SELECT count(*) FROM outbox WHERE channel_id = '{channel}' AND status = 'PENDING'")).await?;
        if pending_after == 0 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let job_runs = scalar_i64(&bench.db, "SELECT count(*) FROM job_runs").await?;
    let duplicate_job_runs = scalar_i64(&bench.db, "SELECT count(*) FROM (SELECT job, scheduled_for FROM job_runs GROUP BY job, scheduled_for HAVING count(*) > 1) AS twice").await?;
    one.stop().await;
    two.stop().await;
    let (deliveries, duplicate_deliveries) = received.counts();
    receiver.stop(true).await;
    Ok(TwoServers { single, first, second, clock_advances, job_runs, duplicate_job_runs, deliveries, duplicate_deliveries, pending_after })
}

/// A short description of the machine's tools (for the report header).
pub async fn version_of(command: &str, arg: &str) -> String {
    match tokio::process::Command::new(command).arg(arg).output().await {
        Ok(output) => {
            let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
            text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default().trim().to_string()
        }
        Err(_) => format!("{command}: not found"),
    }
}

/// Appends `row` cells as a Markdown table row.
pub fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}
