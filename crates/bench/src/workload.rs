//! What the bench sends and runs: the GraphQL operations and their
//! hand-written SQL twins, the jobs, the outbox and the two-server run.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use chrono::Utc;
use dealdesk_app::analytics::{AnalyticsFilter, HeatmapQuery};
use dealdesk_app::principal::OwnerScope;
use dealdesk_app::{Actor, App, Principal};
use dealdesk_bench::hand_analytics::{compare_funnel, compare_health, compare_heatmap, time, Hand};
use dealdesk_domain::{HeatmapDimension, HeatmapMetric, OrgId, Role, UserId};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
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
    /// The manager of that team, who is signed in for the team's analytics.
    pub manager: Uuid,
    pub manager_email: String,
}

/// A statement for `db`'s engine with `values` bound to `$1, $2, …` in
/// order (written `?` for SQLite).
pub fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    statement_for(db.get_database_backend(), sql, values)
}

fn statement_for(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    if backend != DbBackend::Sqlite {
        return Statement::from_sql_and_values(backend, sql, values);
    }
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
            out.push('?');
        } else {
            out.push(ch);
        }
    }
    Statement::from_sql_and_values(backend, out, values)
}

/// The first column of every row, as ids.
async fn ids(db: &sea_orm::DatabaseConnection, sql: &str, values: Vec<Value>) -> anyhow::Result<Vec<Uuid>> {
    let rows = db.query_all(statement(db, sql, values)).await?;
    rows.iter().map(|row| row.try_get_by_index::<Uuid>(0).map_err(Into::into)).collect()
}

/// Up to `n` of `items`, evenly spaced (the same ones for the same data).
fn spread<T: Clone>(items: &[T], n: usize) -> Vec<T> {
    let step = items.len().div_ceil(n.max(1)).max(1);
    items.iter().step_by(step).take(n).cloned().collect()
}

impl Workload {
    /// Picks the org and the rows the load runs use (on either engine) and
    /// gives its admin and the largest team's manager a known password.
    pub async fn pick(db: &sea_orm::DatabaseConnection) -> anyhow::Result<Workload> {
        let org = *ids(db, "SELECT id FROM orgs ORDER BY created_at, id LIMIT 1", vec![]).await?.first().context("the generator made no org")?;
        let admin = db
            .query_one(statement(db, "SELECT id, email FROM users WHERE org_id = $1 AND role = 'ADMIN' AND active = $2 ORDER BY email LIMIT 1", vec![org.into(), true.into()]))
            .await?
            .context("the generated org has no active admin")?;
        let admin_id: Uuid = admin.try_get_by_index(0)?;
        let admin_email: String = admin.try_get_by_index(1)?;

        let pairs = db
            .query_all(statement(db, "SELECT owner_id, stage FROM deals WHERE org_id = $1 GROUP BY owner_id, stage HAVING count(*) >= 10 ORDER BY owner_id, stage", vec![org.into()]))
            .await?;
        let pairs: Vec<(Uuid, String)> = pairs.iter().map(|row| Ok((row.try_get_by_index::<Uuid>(0)?, row.try_get_by_index::<String>(1)?))).collect::<anyhow::Result<_>>()?;
        let lists = spread(&pairs, 200);
        let deals = spread(&ids(db, "SELECT id FROM deals WHERE org_id = $1 ORDER BY id", vec![org.into()]).await?, 1000);
        let movable = spread(&ids(db, "SELECT id FROM deals WHERE org_id = $1 AND stage = 'QUALIFICATION' ORDER BY id", vec![org.into()]).await?, 1000);
        let team = *ids(
            db,
            "SELECT team_id FROM users WHERE org_id = $1 AND team_id IS NOT NULL AND role = 'REP' AND active = $2 GROUP BY team_id ORDER BY count(*) DESC, team_id LIMIT 1",
            vec![org.into(), true.into()],
        )
        .await?
        .first()
        .context("the generated org has no team with reps")?;
        let rep = *ids(db, "SELECT id FROM users WHERE team_id = $1 AND role = 'REP' AND active = $2 ORDER BY id LIMIT 1", vec![team.into(), true.into()])
            .await?
            .first()
            .context("the largest team has no rep")?;
        let manager = db
            .query_one(statement(db, "SELECT m.id, m.email FROM teams t JOIN users m ON m.id = t.manager_id WHERE t.id = $1 AND m.active = $2", vec![team.into(), true.into()]))
            .await?
            .context("the largest team has no active manager")?;
        let (manager, manager_email): (Uuid, String) = (manager.try_get_by_index(0)?, manager.try_get_by_index(1)?);
        if lists.is_empty() || deals.is_empty() || movable.is_empty() {
            bail!("the generated org is too small for the load (owner/stage pairs {}, deals {}, deals in QUALIFICATION {})", lists.len(), deals.len(), movable.len());
        }
        let hash = dealdesk_app::auth::hash_password(PASSWORD).map_err(|error| anyhow::anyhow!("{error}"))?;
        db.execute(statement(db, "UPDATE users SET password_hash = $1 WHERE id IN ($2, $3)", vec![hash.into(), admin_id.into(), manager.into()])).await?;
        Ok(Workload { org, admin_email, lists, deals, movable, rep, manager, manager_email })
    }

    /// [`Workload::pick`] on PostgreSQL, with the load's parameters stored in
    /// `bench_*` tables for pgbench.
    pub async fn prepare(bench: &BenchDb) -> anyhow::Result<Workload> {
        let db = &bench.db;
        let work = Workload::pick(db).await?;
        let (org, lists, deals, movable) = (work.org, &work.lists, &work.deals, &work.movable);
        for sql in [
            "DROP TABLE IF EXISTS bench_list, bench_deal, bench_move",
            "CREATE TABLE bench_list (i int PRIMARY KEY, org_id uuid NOT NULL, owner_id uuid NOT NULL, stage text NOT NULL)",
            "CREATE TABLE bench_deal (i int PRIMARY KEY, org_id uuid NOT NULL, deal_id uuid NOT NULL)",
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
        db.execute_unprepared(&format!("INSERT INTO bench_deal VALUES {}", values(deals.iter().enumerate().map(|(i, id)| format!("({}, '{org}', '{id}')", i + 1)).collect()))).await?;
        db.execute_unprepared(&format!("INSERT INTO bench_move VALUES {}", values(movable.iter().enumerate().map(|(i, id)| format!("({}, '{id}')", i + 1)).collect()))).await?;
        db.execute_unprepared("ANALYZE bench_list; ANALYZE bench_deal; ANALYZE bench_move").await?;
        Ok(work)
    }

    /// Puts the deals the move load toggles back into QUALIFICATION.
    pub async fn reset_movable(&self, db: &sea_orm::DatabaseConnection) -> anyhow::Result<()> {
        let placeholders: Vec<String> = (0..self.movable.len()).map(|i| format!("${}", i + 2)).collect();
        let mut values: Vec<Value> = vec![self.org.into()];
        values.extend(self.movable.iter().map(|id| Value::from(*id)));
        let sql = format!("UPDATE deals SET stage = 'QUALIFICATION' WHERE org_id = $1 AND id IN ({}) AND stage <> 'QUALIFICATION'", placeholders.join(", "));
        db.execute(statement(db, &sql, values)).await?;
        Ok(())
    }

    /// Signs the admin in; returns the bearer token.
    pub async fn login(&self, base_url: &str) -> anyhow::Result<String> {
        login_as(base_url, &self.admin_email).await
    }

    /// Signs the largest team's manager in; returns the bearer token.
    pub async fn login_manager(&self, base_url: &str) -> anyhow::Result<String> {
        login_as(base_url, &self.manager_email).await
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
FROM bench_deal p JOIN deals d ON d.org_id = p.org_id AND d.id = p.deal_id
LEFT JOIN users u ON u.id = d.owner_id AND u.org_id = d.org_id
LEFT JOIN customers c ON c.id = d.customer_id AND c.org_id = d.org_id
WHERE p.i = :i;
SELECT e.kind, e.id, e.at, e.detail, u.name FROM (
  SELECT 'activity' AS kind, a.id, a.occurred_at AS at, a.text AS detail, a.author_id AS who FROM activities a
  WHERE a.org_id = (SELECT org_id FROM bench_deal WHERE i = :i) AND a.deal_id = (SELECT deal_id FROM bench_deal WHERE i = :i)
  UNION ALL
  SELECT 'transition', t.id, t.at, t.to_stage, t.actor_id FROM deal_transitions t
  WHERE t.org_id = (SELECT org_id FROM bench_deal WHERE i = :i) AND t.deal_id = (SELECT deal_id FROM bench_deal WHERE i = :i)
  UNION ALL
  SELECT 'reassignment', r.id, r.at, r.to_owner_id::text, r.actor_id FROM deal_assignments r
  WHERE r.org_id = (SELECT org_id FROM bench_deal WHERE i = :i) AND r.deal_id = (SELECT deal_id FROM bench_deal WHERE i = :i)
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

/// Signs in one of the users the bench gave its password; returns the bearer token.
async fn login_as(base_url: &str, email: &str) -> anyhow::Result<String> {
    let body = graphql(
        base_url,
        None,
        "mutation Login($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }",
        json!({ "email": email, "password": PASSWORD }),
    )
    .await?;
    body.pointer("/data/login/accessToken").and_then(|token| token.as_str()).map(str::to_string).with_context(|| format!("login of {email} failed: {body}"))
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
    app_with(bench, &[]).await
}

/// [`app`] with more settings, e.g. the test clock.
async fn app_with(bench: &BenchDb, settings: &[(&str, &str)]) -> anyhow::Result<App> {
    let url = bench.url.clone();
    let config = dealdesk_server::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.clone()),
        "DEALDESK_JWT_SECRET" => Some(JWT_SECRET.to_string()),
        _ => settings.iter().find(|(name, _)| *name == key).map(|(_, value)| (*value).to_string()),
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
    pub name: String,
    pub items: i32,
    pub seconds: f64,
    /// Peak RSS of the process while the job ran, MiB (`None`: not measured on its own).
    pub peak_mib: Option<f64>,
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
        runs.push(JobFigure { name: name.into(), items, seconds: started.elapsed().as_secs_f64(), peak_mib: Some(own_peak_mib()) });
    }
    reset_own_peak();
    let started = Instant::now();
    let outcomes = app.run_due_jobs().await.map_err(|error| anyhow::anyhow!("due jobs: {error}"))?;
    if let Some(failed) = outcomes.iter().find(|outcome| outcome.error.is_some()) {
        bail!("job {} failed: {:?}", failed.job.name(), failed.error);
    }
    runs.push(JobFigure {
        name: "every due job once, through the scheduler".into(),
        items: outcomes.iter().map(|outcome| outcome.items).sum(),
        seconds: started.elapsed().as_secs_f64(),
        peak_mib: Some(own_peak_mib()),
    });
    // Each of them, as the scheduler timed it (peak RSS is the whole batch's).
    for outcome in &outcomes {
        runs.push(JobFigure { name: format!("↳ {}", outcome.job.name()), items: outcome.items, seconds: outcome.took.as_secs_f64(), peak_mib: None });
    }
    Ok(JobFigures { open_deals, runs })
}

pub struct OutboxFigure {
    pub messages: usize,
    pub seconds: f64,
    pub received: usize,
    pub duplicates: usize,
}

async fn admin_principal(bench: &BenchDb, org: Uuid) -> anyhow::Result<Principal> {
    let admin = ids(&bench.db, "SELECT id FROM users WHERE org_id = $1 AND role = 'ADMIN' AND active = $2 ORDER BY email LIMIT 1", vec![org.into(), true.into()]).await?;
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
    pub name: &'static str,
    pub scope: &'static str,
    /// Median over HTTP, GraphQL included.
    pub api_ms: f64,
    /// Median of the hand-written SQL computing the same figures.
    pub sql_ms: f64,
    /// Whether the app's figures equal the hand-written SQL's (the difference if not).
    pub equal: Result<(), String>,
}

/// Timed runs of each analytics query (after one warm-up), API and SQL alike.
pub const ANALYTICS_RUNS: usize = 7;

const FUNNEL_QUERY: &str = "query Funnel($from: DateTime!, $to: DateTime!) { funnel(from: $from, to: $to) { currency stages { stage entered advanced conversionRate amount { amount currency } pricedDeals exits medianDwellHours } } }";
const HEATMAP_QUERY: &str = "query Heatmap($dimension: HeatmapDimension!, $metric: HeatmapMetric!, $from: DateTime!, $to: DateTime!) { heatmap(dimension: $dimension, metric: $metric, from: $from, to: $to) { stages rows { value cells { stage value sample rank worst } } } }";
const HEALTH_QUERY: &str = "query Health($user: ID!, $from: DateTime!, $to: DateTime!) { funnelHealth(userId: $user, from: $from, to: $to) { asOf stageDwell { stage averageHours teamMedianHours exits } forwardSkips { value teamMedian } backwardMoves { value teamMedian } stuckDeals { value teamMedian } overdueFollowUps { value teamMedian } conversion { fromStage toStage entered advanced rate teamMedianRate } } }";

/// The median time of `runs` GraphQL requests (after one warm-up); a GraphQL error fails the run.
async fn http_median(base_url: &str, token: &str, query: &str, variables: serde_json::Value) -> anyhow::Result<f64> {
    time(ANALYTICS_RUNS, || async {
        let body = graphql(base_url, Some(token), query, variables.clone()).await?;
        match body.get("errors") {
            Some(errors) => bail!("{errors}"),
            None => Ok(()),
        }
    })
    .await
    .map(|(ms, ())| ms)
}

/// The org-wide funnel and heatmap for one team (as its manager sees them)
/// and for the whole org (an admin), and `funnelHealth` of a rep beside the
/// team, over the last quarter of the generated history: the median over
/// HTTP beside the hand-written SQL computing the same figures
/// ([`hand_analytics`]), and whether the figures are equal — the app's
/// figures come from an in-process app on a clock stopped at the same
/// instant as the hand-written SQL's.
pub async fn analytics(bench: &BenchDb, work: &Workload, base_url: &str, admin_token: &str, manager_token: &str) -> anyhow::Result<Vec<AnalyticsFigure>> {
    let app = app_with(bench, &[("DEALDESK_TEST_CLOCK", "1")]).await?;
    let now = app.now();
    let (from, to) = (now - chrono::Duration::days(92), now);
    let org = OrgId::from_uuid(work.org);
    let admin = admin_principal(bench, work.org).await?;
    let manager = Principal { org_id: org, actor: Actor::User(UserId::from_uuid(work.manager)), role: Role::Manager };
    let OwnerScope::Owners(team_scope) = manager.owner_scope(&bench.db).await.map_err(|error| anyhow::anyhow!("{error}"))? else {
        bail!("a manager's scope is the whole org");
    };
    let hand = Hand { db: &bench.db, org, from, to, now };
    let period = json!({ "from": from, "to": to });
    let app_error = |error: dealdesk_app::AppError| anyhow::anyhow!("{error}");
    let mut figures = Vec::new();
    for (scope, principal, token, owners) in [("team (its manager)", &manager, manager_token, Some(team_scope.as_slice())), ("org (admin)", &admin, admin_token, None)] {
        eprintln!("analytics, {scope} …");
        let api_ms = http_median(base_url, token, FUNNEL_QUERY, period.clone()).await?;
        let (sql_ms, expected) = time(ANALYTICS_RUNS, || hand.funnel(owners)).await?;
        let funnel = app.funnel(principal, AnalyticsFilter::default(), from, to, None).await.map_err(app_error)?;
        figures.push(AnalyticsFigure { name: "`funnel` (quarter)", scope, api_ms, sql_ms, equal: compare_funnel(&funnel, &expected) });
        for (dimension, metric, name, dimension_name, metric_name) in [
            (HeatmapDimension::Industry, HeatmapMetric::Conversion, "`heatmap` INDUSTRY × CONVERSION (quarter)", "INDUSTRY", "CONVERSION"),
            (HeatmapDimension::Region, HeatmapMetric::Dwell, "`heatmap` REGION × DWELL (quarter)", "REGION", "DWELL"),
        ] {
            let variables = json!({ "dimension": dimension_name, "metric": metric_name, "from": from, "to": to });
            let api_ms = http_median(base_url, token, HEATMAP_QUERY, variables).await?;
            let (sql_ms, expected) = time(ANALYTICS_RUNS, || hand.heatmap(owners, dimension, metric)).await?;
            let query = HeatmapQuery { dimension, metric, filter: AnalyticsFilter::default(), from, to, min_sample: None };
            let heatmap = app.heatmap(principal, query).await.map_err(app_error)?;
            figures.push(AnalyticsFigure { name, scope, api_ms, sql_ms, equal: compare_heatmap(&heatmap, &expected) });
        }
    }
    let team = ids(
        &bench.db,
        "SELECT u.id FROM users u JOIN users r ON r.team_id = u.team_id WHERE r.id = $1 AND u.role = 'REP' AND u.active = $2 ORDER BY u.id",
        vec![work.rep.into(), true.into()],
    )
    .await?;
    let api_ms = http_median(base_url, manager_token, HEALTH_QUERY, json!({ "user": work.rep, "from": from, "to": to })).await?;
    let (sql_ms, expected) = time(ANALYTICS_RUNS, || hand.funnel_health(&team, work.rep)).await?;
    let health = app.funnel_health(&manager, UserId::from_uuid(work.rep), from, to).await.map_err(app_error)?;
    figures.push(AnalyticsFigure { name: "`funnelHealth` (a rep beside the team, quarter)", scope: "team (its manager)", api_ms, sql_ms, equal: compare_health(&health, &expected) });
    Ok(figures)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_engine() {
        let sql = "SELECT 1 FROM deals WHERE org_id = $1 AND id IN ($2, $10) AND note = '$'";
        let values = || vec![Value::from(1), Value::from(2), Value::from(3)];
        assert_eq!(statement_for(DbBackend::Sqlite, sql, values()).sql, "SELECT 1 FROM deals WHERE org_id = ? AND id IN (?, ?) AND note = '$'");
        assert_eq!(statement_for(DbBackend::Postgres, sql, values()).sql, sql);
    }

    #[test]
    fn spread_takes_evenly_spaced_items() {
        let items: Vec<u32> = (0..10).collect();
        assert_eq!(spread(&items, 5), vec![0, 2, 4, 6, 8]);
        assert_eq!(spread(&items, 3), vec![0, 4, 8]);
        assert_eq!(spread(&items, 20), items);
        assert!(spread::<u32>(&[], 3).is_empty());
    }
}
