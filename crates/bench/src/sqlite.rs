//! The SQLite pass: a small and a medium org generated into SQLite files,
//! the same four operations over HTTP beside the same rows read and
//! written by hand-written SQL on the same engine.
//!
//! SQLite has no pgbench; its ceiling here is the hand-written statements
//! run in this process through a pool configured like the server's (one
//! connection: SQLite has one writer, and the server serializes its
//! statements the same way), with as many concurrent callers as wrk has
//! connections.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::future::join_all;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, TransactionTrait, Value};
use uuid::Uuid;

use crate::load::{self, percentile, LoadResult};
use crate::workload::{statement, Op, Workload};
use crate::{procs, Args, CONCURRENCY};

/// One SQLite org's figures.
pub struct SqlitePass {
    pub size: String,
    pub deals: i64,
    pub rows: i64,
    pub generated_in: Duration,
    /// (operation, connections, API, hand-written SQL)
    pub runs: Vec<(Op, u32, LoadResult, LoadResult)>,
}

const LIST_SQL: &str = "SELECT d.id, d.title, d.stage, d.amount_cents, d.currency, d.created_at, u.name, c.name, c.industry
FROM deals d LEFT JOIN users u ON u.id = d.owner_id AND u.org_id = d.org_id LEFT JOIN customers c ON c.id = d.customer_id AND c.org_id = d.org_id
WHERE d.org_id = $1 AND d.owner_id = $2 AND d.stage = $3 ORDER BY d.created_at DESC, d.id DESC LIMIT 50";
const DETAIL_SQL: &str = "SELECT d.id, d.title, d.stage, d.amount_cents, d.currency, d.entered_stage_at, d.next_follow_up_at, u.name, c.name, c.industry
FROM deals d LEFT JOIN users u ON u.id = d.owner_id AND u.org_id = d.org_id LEFT JOIN customers c ON c.id = d.customer_id AND c.org_id = d.org_id
WHERE d.org_id = $1 AND d.id = $2";
const TIMELINE_SQL: &str = "SELECT e.kind, e.id, e.at, e.detail, u.name FROM (
  SELECT 'activity' AS kind, a.id, a.occurred_at AS at, a.text AS detail, a.author_id AS who FROM activities a WHERE a.org_id = $1 AND a.deal_id = $2
  UNION ALL SELECT 'transition', t.id, t.at, t.to_stage, t.actor_id FROM deal_transitions t WHERE t.org_id = $3 AND t.deal_id = $4
  UNION ALL SELECT 'reassignment', r.id, r.at, r.to_owner_id, r.actor_id FROM deal_assignments r WHERE r.org_id = $5 AND r.deal_id = $6
) e LEFT JOIN users u ON u.id = e.who ORDER BY e.at DESC, e.id DESC LIMIT 20";
const MOVE_SQL: &str = "UPDATE deals SET stage = CASE WHEN stage = 'QUALIFICATION' THEN 'NEEDS_CONFIRMED' ELSE 'QUALIFICATION' END,
  entered_stage_at = $1, updated_at = $2, core_need = '压测：确认需求', decision_role = 'DECISION_MAKER', next_follow_up_at = $3
WHERE org_id = $4 AND id = $5 RETURNING stage, owner_id";
const TRANSITION_SQL: &str = "INSERT INTO deal_transitions (id, org_id, deal_id, from_stage, to_stage, actor_kind, actor_id, at, forward_skips, backward, core_need, decision_role, next_follow_up_at)
VALUES ($1, $2, $3, NULL, $4, 'USER', $5, $6, 0, $7, '压测：确认需求', 'DECISION_MAKER', $8)";
const AUDIT_SQL: &str = "INSERT INTO audit_log (id, org_id, actor_kind, actor_id, action, entity_type, entity_id, at) VALUES ($1, $2, 'USER', $3, 'deal.moveStage', 'deal', $4, $5)";
const ACTIVITY_SQL: &str = "INSERT INTO activities (id, org_id, deal_id, customer_id, kind, text, occurred_at, recorded_at, next_follow_up_at, author_kind, author_id)
SELECT $1, org_id, id, customer_id, 'NOTE', '压测记录：客户确认了预算和时间表', $2, $3, $4, 'USER', owner_id FROM deals WHERE org_id = $5 AND id = $6";
const TOUCH_SQL: &str = "UPDATE deals SET last_activity_at = $1, next_follow_up_at = $2, updated_at = $3 WHERE org_id = $4 AND id = $5";

/// The hand-written statements doing what `op` does, for its `i`-th parameter set.
async fn hand_op(db: &DatabaseConnection, work: &Workload, op: Op, i: usize) -> Result<(), DbErr> {
    let org = Value::from(work.org);
    let now = Utc::now();
    let follow_up = now + chrono::Duration::days(30);
    match op {
        Op::List => {
            let (owner, stage) = &work.lists[i % work.lists.len()];
            db.query_all(statement(db, LIST_SQL, vec![org, (*owner).into(), stage.clone().into()])).await?;
        }
        Op::Detail => {
            let deal = Value::from(work.deals[i % work.deals.len()]);
            db.query_all(statement(db, DETAIL_SQL, vec![org.clone(), deal.clone()])).await?;
            db.query_all(statement(db, TIMELINE_SQL, vec![org.clone(), deal.clone(), org.clone(), deal.clone(), org, deal])).await?;
        }
        Op::Move => {
            let deal = work.movable[i % work.movable.len()];
            let txn = db.begin().await?;
            let moved = txn
                .query_one(statement(&txn, MOVE_SQL, vec![now.into(), now.into(), follow_up.into(), org.clone(), deal.into()]))
                .await?
                .ok_or_else(|| DbErr::RecordNotFound(format!("deal {deal}")))?;
            let (stage, owner): (String, Uuid) = (moved.try_get_by_index(0)?, moved.try_get_by_index(1)?);
            txn.execute(statement(
                &txn,
                TRANSITION_SQL,
                vec![Uuid::now_v7().into(), org.clone(), deal.into(), stage.into(), owner.into(), now.into(), false.into(), follow_up.into()],
            ))
            .await?;
            txn.execute(statement(&txn, AUDIT_SQL, vec![Uuid::now_v7().into(), org, owner.into(), deal.into(), now.into()])).await?;
            txn.commit().await?;
        }
        Op::Log => {
            let deal = Value::from(work.deals[i % work.deals.len()]);
            let txn = db.begin().await?;
            txn.execute(statement(&txn, ACTIVITY_SQL, vec![Uuid::now_v7().into(), now.into(), now.into(), follow_up.into(), org.clone(), deal.clone()])).await?;
            txn.execute(statement(&txn, TOUCH_SQL, vec![now.into(), follow_up.into(), now.into(), org, deal])).await?;
            txn.commit().await?;
        }
    }
    Ok(())
}

/// Runs `op` from `callers` concurrent callers for `duration`; each call's
/// latency is recorded, failures are counted as errors.
async fn callers<F, Fut>(callers: u32, duration: Duration, op: F) -> LoadResult
where
    F: Fn(usize) -> Fut,
    Fut: Future<Output = Result<(), DbErr>>,
{
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let deadline = started + duration;
    let caller = || async {
        let (mut latencies_us, mut errors) = (Vec::new(), 0u64);
        while Instant::now() < deadline {
            let call = Instant::now();
            let result = op(next.fetch_add(1, Ordering::Relaxed)).await;
            latencies_us.push(u64::try_from(call.elapsed().as_micros()).unwrap_or(u64::MAX));
            errors += u64::from(result.is_err());
        }
        (latencies_us, errors)
    };
    let results = join_all((0..callers).map(|_| caller())).await;
    let seconds = started.elapsed().as_secs_f64();
    let errors = results.iter().map(|(_, errors)| errors).sum();
    let mut latencies: Vec<u64> = results.into_iter().flat_map(|(latencies, _)| latencies).collect();
    latencies.sort_unstable();
    LoadResult { requests: latencies.len() as u64, seconds, p50_ms: percentile(&latencies, 50.0) / 1e3, p99_ms: percentile(&latencies, 99.0) / 1e3, errors }
}

/// Generates a `size` org into a fresh SQLite file and measures the four
/// operations over HTTP beside their hand-written SQL.
pub async fn run(args: &Args, size: &str, port: u16) -> anyhow::Result<SqlitePass> {
    let path = args.workdir.join(format!("bench-{size}.sqlite"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let url = format!("sqlite://{}?mode=rwc", path.display());
    crate::dealdesk(args, &url, &["migrate"]).await?;
    eprintln!("SQLite: generating a {size} org …");
    let seed = args.seed.to_string();
    let as_of = Utc::now().format("%Y-%m-%dT%H:00:00Z").to_string();
    let (_, generated_in) = crate::dealdesk(args, &url, &["seed", "--org-size", size, "--seed", &seed, "--as-of", &as_of]).await?;
    let db = dealdesk_server::db::connect(&url).await?;
    let mut rows = 0;
    for table in crate::report::GENERATED_TABLES {
        rows += crate::scalar_i64(&db, &format!("SELECT count(*) FROM {table}")).await?;
    }
    let deals = crate::scalar_i64(&db, "SELECT count(*) FROM deals").await?;
    let work = Workload::pick(&db).await?;

    let (server, _) = procs::start_server(&args.dealdesk, &url, port, &args.workdir.join(format!("server-sqlite-{size}.log")), &[]).await?;
    let token = work.login(&server.base_url).await?;
    let seconds = Duration::from_secs(args.seconds);
    let mut runs = Vec::new();
    for op in Op::ALL {
        for connections in CONCURRENCY {
            eprintln!("SQLite {size}: {} at {connections} connections …", op.label());
            if op == Op::Move {
                work.reset_movable(&db).await?;
            }
            let api = load::wrk(&args.workdir, &format!("sqlite-{size}-{}", op.key()), &format!("{}/graphql", server.base_url), &work.api_script(op), Some(&token), connections, seconds).await?;
            let sql = callers(connections, seconds, |i| hand_op(&db, &work, op, i)).await;
            runs.push((op, connections, api, sql));
        }
    }
    server.stop().await;
    db.close().await?;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Ok(SqlitePass { size: size.to_string(), deals, rows, generated_in, runs })
}
