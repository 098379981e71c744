//! Collaboration health (C5) aggregates: per-group ticket figures computed
//! by the database in grouped queries, never by loading an org's tickets
//! into memory.
//!
//! A group is a department (the queue a ticket was routed to) or a ticket
//! kind. Period figures count the tickets *created* in `[from, to)`; the
//! overdue count is a current-state figure over every running ticket,
//! whatever its creation date.
//!
//! **p90** uses the nearest-rank definition of `dealdesk_domain::nearest_rank`
//! on both engines: PostgreSQL computes it inside the grouped query with
//! `percentile_disc(0.9) WITHIN GROUP (ORDER BY first_response_minutes)`
//! (which is exactly nearest rank: the first value whose cumulative share
//! reaches 0.9); SQLite has no ordered-set aggregates, so for each group
//! with responses one more query reads the value at that rank with
//! `ORDER BY first_response_minutes LIMIT 1 OFFSET rank − 1`.

use chrono::{DateTime, Utc};
use dealdesk_domain::{nearest_rank, CollaborationGroupBy, OrgId, FIRST_RESPONSE_PERCENTILE};
use sea_orm::{ConnectionTrait, DbBackend, DbErr};

use crate::funnel::Sql;
use crate::tickets::RUNNING;

/// One group's counts over the tickets created in the period.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthCounts {
    /// The department or kind.
    pub group: String,
    /// Tickets created in the period.
    pub tickets: i64,
    /// Of those, tickets with a first response (started, delivered or answered).
    pub responded: i64,
    /// Mean of `first_response_minutes` over the responded tickets.
    pub average_first_response_minutes: Option<f64>,
    /// Nearest-rank 90th percentile of `first_response_minutes`.
    pub p90_first_response_minutes: Option<i64>,
    /// Tickets whose SLA outcome is known: finished (delivered or accepted,
    /// which includes answered hand-offs) or breached.
    pub sla_measured: i64,
    /// Finished tickets that never breached: no breach recorded and less
    /// counted time used than the budget.
    pub sla_met: i64,
    /// Tickets delivered at least once (a DELIVERED step on record).
    pub delivered: i64,
    /// Tickets rejected at least once (`rework_count > 0`).
    pub reworked: i64,
    /// Tickets the requester accepted (an ACCEPTED step on record; answered
    /// hand-offs are not acceptances).
    pub accepted: i64,
    /// Accepted tickets never rejected.
    pub accepted_first_pass: i64,
    /// Tickets with a satisfaction rating.
    pub rated: i64,
    /// Mean rating (1–5) over the rated tickets.
    pub average_rating: Option<f64>,
}

/// The column a grouping reads (a fixed identifier, never input).
fn group_column(group_by: CollaborationGroupBy) -> &'static str {
    match group_by {
        CollaborationGroupBy::Department => "department",
        CollaborationGroupBy::Kind => "kind",
    }
}

/// Appends the period's tickets of `org`: `t.org_id = … AND t.created_at in [from, to)`.
fn period_filter(sql: &mut Sql, org: OrgId, from: DateTime<Utc>, to: DateTime<Utc>) {
    sql.push("t.org_id = ")
        .bind(org.into_uuid())
        .push(" AND t.created_at >= ")
        .bind(from)
        .push(" AND t.created_at < ")
        .bind(to);
}

/// Appends `CASE WHEN <a step with action> exists THEN 1 ELSE 0 END` for ticket `t`.
fn has_step(sql: &mut Sql, org: OrgId, action: &str) {
    sql.push("CASE WHEN EXISTS (SELECT 1 FROM ticket_events e WHERE e.org_id = ")
        .bind(org.into_uuid())
        .push(" AND e.ticket_id = t.id AND e.action = ")
        .bind(action.to_string())
        .push(") THEN 1 ELSE 0 END");
}

/// Per group: the counts and averages over the tickets created in `[from, to)`,
/// ordered by group.
pub async fn period_counts<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    group_by: CollaborationGroupBy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<HealthCounts>, DbErr> {
    let backend = conn.get_database_backend();
    let column = group_column(group_by);
    let mut sql = Sql::new(backend);
    sql.push("SELECT x.grp AS grp, COUNT(*) AS tickets, COUNT(x.first_response_minutes) AS responded, ")
        .push("AVG(CAST(x.first_response_minutes AS DOUBLE PRECISION)) AS average_first_response, ")
        .push("SUM(CASE WHEN x.finished = 1 OR x.breached_at IS NOT NULL THEN 1 ELSE 0 END) AS sla_measured, ")
        .push("SUM(CASE WHEN x.finished = 1 AND x.breached_at IS NULL AND x.consumed_seconds < x.sla_minutes * 60 THEN 1 ELSE 0 END) AS sla_met, ")
        .push("SUM(x.delivered) AS delivered, ")
        .push("SUM(CASE WHEN x.rework_count > 0 THEN 1 ELSE 0 END) AS reworked, ")
        .push("SUM(x.accepted) AS accepted, ")
        .push("SUM(CASE WHEN x.accepted = 1 AND x.rework_count = 0 THEN 1 ELSE 0 END) AS accepted_first_pass, ")
        .push("COUNT(x.rating) AS rated, ")
        .push("AVG(CAST(x.rating AS DOUBLE PRECISION)) AS average_rating");
    if backend == DbBackend::Postgres {
        sql.push(&format!(
            ", percentile_disc({FIRST_RESPONSE_PERCENTILE}) WITHIN GROUP (ORDER BY x.first_response_minutes) AS p90_first_response"
        ));
    }
    sql.push(&format!(" FROM (SELECT t.{column} AS grp, t.first_response_minutes, t.breached_at, t.consumed_seconds, t.sla_minutes, t.rework_count, t.rating, "))
        .push("CASE WHEN t.status IN ('DELIVERED', 'ACCEPTED') THEN 1 ELSE 0 END AS finished, ");
    has_step(&mut sql, org, "DELIVERED");
    sql.push(" AS delivered, ");
    has_step(&mut sql, org, "ACCEPTED");
    sql.push(" AS accepted FROM tickets t WHERE ");
    period_filter(&mut sql, org, from, to);
    sql.push(") x GROUP BY x.grp ORDER BY x.grp");

    let rows = conn.query_all(sql.build()).await?;
    let mut counts = rows
        .iter()
        .map(|row| {
            Ok(HealthCounts {
                group: row.try_get("", "grp")?,
                tickets: row.try_get("", "tickets")?,
                responded: row.try_get("", "responded")?,
                average_first_response_minutes: row.try_get("", "average_first_response")?,
                p90_first_response_minutes: if backend == DbBackend::Postgres { row.try_get("", "p90_first_response")? } else { None },
                sla_measured: row.try_get("", "sla_measured")?,
                sla_met: row.try_get("", "sla_met")?,
                delivered: row.try_get("", "delivered")?,
                reworked: row.try_get("", "reworked")?,
                accepted: row.try_get("", "accepted")?,
                accepted_first_pass: row.try_get("", "accepted_first_pass")?,
                rated: row.try_get("", "rated")?,
                average_rating: row.try_get("", "average_rating")?,
            })
        })
        .collect::<Result<Vec<_>, DbErr>>()?;
    if backend != DbBackend::Postgres {
        for group in &mut counts {
            group.p90_first_response_minutes = nearest_rank_first_response(conn, org, group_by, &group.group, group.responded, from, to).await?;
        }
    }
    Ok(counts)
}

/// SQLite's p90: the first-response minutes at the nearest rank within one
/// group, read with `ORDER BY … LIMIT 1 OFFSET rank − 1`.
async fn nearest_rank_first_response<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    group_by: CollaborationGroupBy,
    group: &str,
    responded: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Option<i64>, DbErr> {
    let Some(rank) = nearest_rank(FIRST_RESPONSE_PERCENTILE, u64::try_from(responded).unwrap_or(0)) else {
        return Ok(None);
    };
    let offset = i64::try_from(rank - 1).unwrap_or(0);
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("SELECT t.first_response_minutes AS minutes FROM tickets t WHERE ");
    period_filter(&mut sql, org, from, to);
    sql.push(&format!(" AND t.{} = ", group_column(group_by)))
        .bind(group.to_string())
        .push(" AND t.first_response_minutes IS NOT NULL ORDER BY t.first_response_minutes LIMIT 1 OFFSET ")
        .bind(offset);
    match conn.query_one(sql.build()).await? {
        Some(row) => Ok(Some(row.try_get("", "minutes")?)),
        None => Ok(None),
    }
}

/// Per group: running tickets (open, in progress or blocked) whose due time
/// has come by `now`, whenever they were created.
pub async fn overdue_counts<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    group_by: CollaborationGroupBy,
    now: DateTime<Utc>,
) -> Result<Vec<(String, i64)>, DbErr> {
    let column = group_column(group_by);
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push(&format!("SELECT t.{column} AS grp, COUNT(*) AS overdue FROM tickets t WHERE t.org_id = "))
        .bind(org.into_uuid())
        .push(" AND t.status IN ")
        .bind_list(&RUNNING.map(str::to_string))
        .push(" AND t.due_at IS NOT NULL AND t.due_at <= ")
        .bind(now)
        .push(&format!(" GROUP BY t.{column} ORDER BY t.{column}"));
    let rows = conn.query_all(sql.build()).await?;
    rows.iter().map(|row| Ok((row.try_get("", "grp")?, row.try_get("", "overdue")?))).collect()
}
