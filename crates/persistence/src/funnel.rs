//! Funnel health (E6) aggregates: per-owner figures computed by the database
//! in grouped queries, never by loading an org's transitions into memory.
//!
//! Every query takes the org, the owners whose figures are wanted (a rep and
//! their team) and, for history, the period `[from, to)`. Each returns one
//! row per owner (and stage) that has something to count; owners without
//! rows simply have nothing.
//!
//! **Whose transition is it?** A transition counts for the user who *owned
//! the deal when it happened*, not for today's owner, so a reassigned deal's
//! history stays with the rep who worked it. The owner at time `t` is the
//! `to_owner_id` of the deal's last reassignment at or before `t`; before the
//! first reassignment it is that reassignment's `from_owner_id`; a deal never
//! reassigned belongs to its current owner. (A reassignment at the very same
//! instant as a move counts as having happened first.) This is a pair of
//! index lookups on `deal_assignments (org_id, deal_id, at)` per transition,
//! and only transitions of deals the owners ever held are considered.
//!
//! Transition history needs correlated subqueries and time arithmetic that
//! differ between engines, so those queries are written in SQL through
//! [`Sql`], which renders placeholders (`$1` on PostgreSQL, `?` on SQLite)
//! and the seconds-between expression per backend; the three of them share
//! one shape (`OwnerHistory::grouped`). A stay's dwell is one row's
//! `at − from_stage_entered_at` (the move records when the stage it leaves
//! was entered), so no query walks a deal's earlier history. Current-state
//! counts (stuck deals, overdue follow-ups) use the sea-orm builder.

use chrono::{DateTime, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect,
    Statement, Value,
};

use crate::deals::{stuck_condition, StuckRule};
use crate::entities::{deals, users};

/// Average time an owner's deals spent in one stage before leaving it.
#[derive(Clone, Debug, PartialEq)]
pub struct DwellRow {
    /// Who owned the deals when they left the stage.
    pub owner: Uuid,
    /// The stage left.
    pub stage: String,
    /// How many times a deal left the stage during the period.
    pub exits: i64,
    /// Mean seconds between entering the stage and leaving it, over those exits.
    pub average_seconds: f64,
}

/// An owner's irregular moves during the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathRow {
    /// Who owned the deals when they moved.
    pub owner: Uuid,
    /// Open stages jumped over by forward moves, summed.
    pub forward_skips: i64,
    /// Moves back to an earlier stage.
    pub backward_moves: i64,
}

/// How many of an owner's deals entered a stage during the period, and how
/// many of those went on to a later stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionRow {
    /// Who owned the deals when they entered the stage.
    pub owner: Uuid,
    /// The stage entered.
    pub stage: String,
    /// Distinct deals that entered the stage during the period.
    pub entered: i64,
    /// Of those, deals that later (before the period's end) entered a stage
    /// further along the pipeline other than a LOST one.
    pub advanced: i64,
}

/// The active reps a report compares a user with: those of the user's team,
/// or, when the user has no team, those sharing the user's manager. Empty
/// when the user has neither.
pub async fn team_reps<C: ConnectionTrait>(conn: &C, org: OrgId, user: &users::Model) -> Result<Vec<Uuid>, DbErr> {
    let peers = match (user.team_id, user.manager_id) {
        (Some(team), _) => users::Column::TeamId.eq(team),
        (None, Some(manager)) => users::Column::ManagerId.eq(manager),
        (None, None) => return Ok(Vec::new()),
    };
    users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::OrgId.eq(org.into_uuid()))
        .filter(users::Column::Role.eq("REP"))
        .filter(users::Column::Active.eq(true))
        .filter(peers)
        .into_tuple()
        .all(conn)
        .await
}

/// Average dwell per owner and stage, over the stage exits in `[from, to)`.
///
/// An exit is a transition whose `from_stage` is S; the stay began when the
/// deal entered S, which the move recorded as `from_stage_entered_at` (the
/// deal's previous transition, in `at, id` order).
pub async fn stage_dwells<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owners: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<DwellRow>, DbErr> {
    let history = OwnerHistory { org, owners, from, to };
    let mut sql = Sql::new(conn.get_database_backend());
    history.grouped(
        &mut sql,
        "x.stage AS stage, COUNT(*) AS exits, AVG(x.seconds) AS average_seconds",
        |sql| {
            sql.push("t.from_stage AS stage, ").seconds_between("t.from_stage_entered_at", "t.at").push(" AS seconds");
        },
        |sql| {
            sql.push(" AND t.from_stage IS NOT NULL AND t.from_stage_entered_at IS NOT NULL");
        },
        ", x.stage",
    );
    let rows = conn.query_all(sql.build()).await?;
    rows.iter()
        .map(|row| {
            Ok(DwellRow {
                owner: row.try_get("", "owner")?,
                stage: row.try_get("", "stage")?,
                exits: row.try_get("", "exits")?,
                average_seconds: row.try_get("", "average_seconds")?,
            })
        })
        .collect()
}

/// Forward skips and backward moves per owner, over the transitions in `[from, to)`.
pub async fn path_counts<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owners: &[Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<PathRow>, DbErr> {
    let history = OwnerHistory { org, owners, from, to };
    let mut sql = Sql::new(conn.get_database_backend());
    history.grouped(
        &mut sql,
        "SUM(x.forward_skips) AS forward_skips, SUM(x.backward) AS backward_moves",
        |sql| {
            sql.push("t.forward_skips AS forward_skips, CASE WHEN t.backward THEN 1 ELSE 0 END AS backward");
        },
        |_| {},
        "",
    );
    let rows = conn.query_all(sql.build()).await?;
    rows.iter()
        .map(|row| {
            Ok(PathRow {
                owner: row.try_get("", "owner")?,
                forward_skips: row.try_get("", "forward_skips")?,
                backward_moves: row.try_get("", "backward_moves")?,
            })
        })
        .collect()
}

/// Per owner and stage in `stages`: distinct deals that entered the stage in
/// `[from, to)`, and how many of them afterwards (before `to`) entered a
/// stage with a higher position whose kind is not LOST.
pub async fn conversions<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owners: &[Uuid],
    stages: &[String],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<ConversionRow>, DbErr> {
    let history = OwnerHistory { org, owners, from, to };
    let mut sql = Sql::new(conn.get_database_backend());
    history.grouped(
        &mut sql,
        "x.stage AS stage, COUNT(DISTINCT x.deal_id) AS entered, COUNT(DISTINCT CASE WHEN x.advanced = 1 THEN x.deal_id END) AS advanced",
        |sql| {
            sql.push("t.deal_id AS deal_id, t.to_stage AS stage, CASE WHEN EXISTS (SELECT 1 FROM deal_transitions n")
                .push(" JOIN stages later ON later.org_id = n.org_id AND later.\"key\" = n.to_stage")
                .push(" JOIN stages entered ON entered.org_id = n.org_id AND entered.\"key\" = t.to_stage")
                .push(" WHERE n.org_id = ")
                .bind(org.into_uuid())
                .push(" AND n.deal_id = t.deal_id AND n.at < ")
                .bind(to)
                .push(" AND (n.at > t.at OR (n.at = t.at AND n.id > t.id))")
                .push(" AND later.\"position\" > entered.\"position\" AND later.kind <> ")
                .bind("LOST")
                .push(") THEN 1 ELSE 0 END AS advanced");
        },
        |sql| {
            sql.push(" AND t.to_stage IN ").bind_list(stages);
        },
        ", x.stage",
    );
    let rows = conn.query_all(sql.build()).await?;
    rows.iter()
        .map(|row| {
            Ok(ConversionRow {
                owner: row.try_get("", "owner")?,
                stage: row.try_get("", "stage")?,
                entered: row.try_get("", "entered")?,
                advanced: row.try_get("", "advanced")?,
            })
        })
        .collect()
}

/// How many deals each owner has stuck at `now` (the stuck filter's condition).
pub async fn stuck_counts<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owners: &[Uuid],
    rules: &[StuckRule],
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, i64)>, DbErr> {
    deals::Entity::find()
        .select_only()
        .column(deals::Column::OwnerId)
        .column_as(deals::Column::Id.count(), "stuck")
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(deals::Column::OwnerId.is_in(owners.iter().copied()))
        .filter(stuck_condition(rules, now))
        .group_by(deals::Column::OwnerId)
        .into_tuple()
        .all(conn)
        .await
}

/// How many open deals each owner has whose follow-up time passed before
/// `now` with no activity logged since (the follow-up alert's condition).
pub async fn overdue_follow_up_counts<C: ConnectionTrait>(
    conn: &C,
    org: OrgId,
    owners: &[Uuid],
    open_stages: &[String],
    now: DateTime<Utc>,
) -> Result<Vec<(Uuid, i64)>, DbErr> {
    deals::Entity::find()
        .select_only()
        .column(deals::Column::OwnerId)
        .column_as(deals::Column::Id.count(), "overdue")
        .filter(deals::Column::OrgId.eq(org.into_uuid()))
        .filter(deals::Column::OwnerId.is_in(owners.iter().copied()))
        .filter(deals::Column::Stage.is_in(open_stages.iter().map(String::as_str)))
        .filter(deals::Column::NextFollowUpAt.lt(now))
        .filter(
            Condition::any()
                .add(deals::Column::LastActivityAt.is_null())
                .add(Expr::col(deals::Column::LastActivityAt).lt(Expr::col(deals::Column::NextFollowUpAt))),
        )
        .group_by(deals::Column::OwnerId)
        .into_tuple()
        .all(conn)
        .await
}

/// A raw SQL statement built for one backend: placeholders are numbered
/// `$n` on PostgreSQL and `?` elsewhere, and the engine-specific pieces
/// (time differences) are rendered by their own methods.
pub(crate) struct Sql {
    backend: DbBackend,
    text: String,
    values: Vec<Value>,
}

impl Sql {
    pub(crate) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// The backend the statement is written for.
    pub(crate) fn backend(&self) -> DbBackend {
        self.backend
    }

    /// Appends SQL text (never user input: values go through [`Sql::bind`]).
    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> &mut Self {
        self.values.push(value.into());
        match self.backend {
            DbBackend::Postgres => {
                let placeholder = format!("${}", self.values.len());
                self.text.push_str(&placeholder);
            }
            _ => self.text.push('?'),
        }
        self
    }

    /// Appends `(p1, p2, …)` for a list; an empty list becomes `(NULL)`, which matches nothing.
    pub(crate) fn bind_list<V: Clone + Into<Value>>(&mut self, values: &[V]) -> &mut Self {
        self.text.push('(');
        if values.is_empty() {
            self.text.push_str("NULL");
        }
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(value.clone());
        }
        self.text.push(')');
        self
    }

    /// Appends the seconds from `earlier` to `later` (two timestamp
    /// expressions) as a floating-point number. SQLite stores timestamps as
    /// RFC 3339 text, which `julianday` reads to the millisecond; the result
    /// is rounded to the millisecond so whole hours come out exact.
    pub(crate) fn seconds_between(&mut self, earlier: &str, later: &str) -> &mut Self {
        let expression = match self.backend {
            DbBackend::Postgres => format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS DOUBLE PRECISION)"),
            DbBackend::Sqlite => format!("ROUND((julianday({later}) - julianday({earlier})) * 86400.0, 3)"),
            DbBackend::MySql => format!("(TIMESTAMPDIFF(MICROSECOND, {earlier}, {later}) / 1000000.0)"),
        };
        self.push(&expression)
    }

    /// Appends the id of the user who owned `{alias}.deal_id` at `{alias}.at`
    /// (see the module docs).
    fn owner_at(&mut self, org: OrgId, alias: &str) -> &mut Self {
        self.push("COALESCE((SELECT a.to_owner_id FROM deal_assignments a WHERE a.org_id = ")
            .bind(org.into_uuid())
            .push(&format!(" AND a.deal_id = {alias}.deal_id AND a.at <= {alias}.at ORDER BY a.at DESC, a.id DESC LIMIT 1), "))
            .push("(SELECT a.from_owner_id FROM deal_assignments a WHERE a.org_id = ")
            .bind(org.into_uuid())
            .push(&format!(" AND a.deal_id = {alias}.deal_id AND a.at > {alias}.at ORDER BY a.at ASC, a.id ASC LIMIT 1), "))
            .push("(SELECT d.owner_id FROM deals d WHERE d.org_id = ")
            .bind(org.into_uuid())
            .push(&format!(" AND d.id = {alias}.deal_id))"))
    }

    /// Appends a condition keeping `{alias}.deal_id` to deals any of `owners`
    /// owns now or held at some point (so [`Sql::owner_at`] runs only for those).
    ///
    /// One `IN` over a `UNION` rather than two `IN`s joined by `OR`: the
    /// planner then reads the owners' few deals and probes their
    /// transitions by `(org_id, deal_id, at)`, instead of testing every
    /// transition of the period in the org (ten times slower on a
    /// million-deal org, see `docs/explain-analytics.md`).
    fn deals_of(&mut self, org: OrgId, owners: &[Uuid], alias: &str) -> &mut Self {
        self.push(&format!("{alias}.deal_id IN (SELECT d.id FROM deals d WHERE d.org_id = "))
            .bind(org.into_uuid())
            .push(" AND d.owner_id IN ")
            .bind_list(owners)
            .push(" UNION SELECT a.deal_id FROM deal_assignments a WHERE a.org_id = ")
            .bind(org.into_uuid())
            .push(" AND (a.to_owner_id IN ")
            .bind_list(owners)
            .push(" OR a.from_owner_id IN ")
            .bind_list(owners)
            .push("))")
    }

    pub(crate) fn build(&self) -> Statement {
        Statement::from_sql_and_values(self.backend, self.text.clone(), self.values.clone())
    }
}

/// The history the funnel health queries read: the transitions in
/// `[from, to)` of deals the owners hold or held, each attributed to the
/// owner at the time (see the module docs).
struct OwnerHistory<'a> {
    org: OrgId,
    owners: &'a [Uuid],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl OwnerHistory<'_> {
    /// Appends the one shape every per-owner history query has:
    ///
    /// ```sql
    /// SELECT x.owner AS owner, {aggregates} FROM (
    ///   SELECT {columns}, <owner at t.at> AS owner FROM deal_transitions t
    ///   WHERE t.org_id = … AND t.at >= from AND t.at < to AND <deals of the owners> {conditions}
    /// ) x WHERE x.owner IN (owners) GROUP BY x.owner{group_by}
    /// ```
    ///
    /// `columns` and `conditions` write SQL over the transition `t`
    /// (`conditions` starting with ` AND`); `aggregates` and `group_by`
    /// over the subquery's `x`.
    fn grouped(&self, sql: &mut Sql, aggregates: &str, columns: impl FnOnce(&mut Sql), conditions: impl FnOnce(&mut Sql), group_by: &str) {
        sql.push("SELECT x.owner AS owner, ").push(aggregates).push(" FROM (SELECT ");
        columns(sql);
        sql.push(", ")
            .owner_at(self.org, "t")
            .push(" AS owner FROM deal_transitions t WHERE t.org_id = ")
            .bind(self.org.into_uuid())
            .push(" AND t.at >= ")
            .bind(self.from)
            .push(" AND t.at < ")
            .bind(self.to)
            .push(" AND ")
            .deals_of(self.org, self.owners, "t");
        conditions(sql);
        if sql.backend == DbBackend::Postgres {
            // A fence: without it PostgreSQL pulls the subquery up and
            // evaluates the owner-at-the-time subqueries twice per row,
            // once for this filter and once for the grouping.
            sql.push(" OFFSET 0");
        }
        sql.push(") x WHERE x.owner IN ").bind_list(self.owners).push(" GROUP BY x.owner").push(group_by);
    }
}

