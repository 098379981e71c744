//! Collection forecast, warnings, metrics and the monthly industry report
//! (R5–R7): grouped queries over receivables and payments, never an org's
//! receivables in memory.
//!
//! **Whose receivable is it?** The owner of its deal *now* (a reassigned
//! deal's collection goes with it); `receivables.owner_id`, the owner at
//! approval, is used only if the deal row is missing.
//!
//! **Days late** of a paid receivable is `fully_paid_on − due_date` in days,
//! signed (early payments are negative): date subtraction on PostgreSQL,
//! `julianday` on SQLite (dates are stored as `YYYY-MM-DD` text there).

use chrono::{DateTime, NaiveDate, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryResult};

use crate::entities::receivables;
use crate::funnel::Sql;
use crate::Visible;

/// The current owner of receivable `r` (its deal's owner, joined as `d`).
const CURRENT_OWNER: &str = "COALESCE(d.owner_id, r.owner_id)";

/// The signed days from `r.due_date` to `r.fully_paid_on`, per backend.
fn days_late(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "(r.fully_paid_on - r.due_date)",
        _ => "CAST(ROUND(julianday(r.fully_paid_on) - julianday(r.due_date)) AS INTEGER)",
    }
}

/// An open receivable with the user who owns its deal now.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenReceivable {
    /// The receivable row.
    pub receivable: receivables::Model,
    /// Its deal's current owner.
    pub owner: Uuid,
}

fn open_receivable(row: &QueryResult) -> Result<OpenReceivable, DbErr> {
    Ok(OpenReceivable {
        receivable: receivables::Model::from_query_result(row, "")?,
        owner: row.try_get("", "current_owner")?,
    })
}

/// Filters of [`open_receivables`].
#[derive(Clone, Debug, Default)]
pub struct OpenFilter {
    /// Only this customer's receivables.
    pub customer: Option<Uuid>,
    /// Only receivables of deals this user owns now.
    pub owner: Option<Uuid>,
    /// Start after this `(due_date, id)` position.
    pub after: Option<(NaiveDate, Uuid)>,
}

/// The org's receivables not yet paid in full whose deal owner is visible,
/// ordered by due date then id, at most `limit`.
pub async fn open_receivables<C: ConnectionTrait>(conn: &C, org: OrgId, visible: &Visible, filter: &OpenFilter, limit: u64) -> Result<Vec<OpenReceivable>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push(&format!("SELECT r.*, {CURRENT_OWNER} AS current_owner FROM receivables r LEFT JOIN deals d ON d.org_id = r.org_id AND d.id = r.deal_id WHERE r.org_id = "))
        .bind(org.into_uuid())
        .push(" AND r.fully_paid_on IS NULL");
    if let Visible::Owners(owners) = visible {
        sql.push(&format!(" AND {CURRENT_OWNER} IN ")).bind_list(owners);
    }
    if let Some(customer) = filter.customer {
        sql.push(" AND r.customer_id = ").bind(customer);
    }
    if let Some(owner) = filter.owner {
        sql.push(&format!(" AND {CURRENT_OWNER} = ")).bind(owner);
    }
    if let Some((due, id)) = filter.after {
        sql.push(" AND (r.due_date > ").bind(due).push(" OR (r.due_date = ").bind(due).push(" AND r.id > ").bind(id).push("))");
    }
    sql.push(" ORDER BY r.due_date, r.id LIMIT ").bind(i64::try_from(limit).unwrap_or(i64::MAX));
    conn.query_all(sql.build()).await?.iter().map(open_receivable).collect()
}

/// Receivables of every org not yet warned nor paid in full, due in
/// `[first_due, last_due]` (after the `(due_date, id)` position `after`):
/// those entering their warning window. Ordered by due date then id, at
/// most `limit` (an index range on `(warned_at, due_date)`).
pub async fn warning_candidates<C: ConnectionTrait>(conn: &C, first_due: NaiveDate, last_due: NaiveDate, after: Option<(NaiveDate, Uuid)>, limit: u64) -> Result<Vec<OpenReceivable>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push(&format!("SELECT r.*, {CURRENT_OWNER} AS current_owner FROM receivables r LEFT JOIN deals d ON d.org_id = r.org_id AND d.id = r.deal_id "))
        .push("WHERE r.warned_at IS NULL AND r.due_date >= ")
        .bind(first_due)
        .push(" AND r.due_date <= ")
        .bind(last_due);
    if let Some((due, id)) = after {
        sql.push(" AND (r.due_date > ").bind(due).push(" OR (r.due_date = ").bind(due).push(" AND r.id > ").bind(id).push("))");
    }
    sql.push(" AND r.fully_paid_on IS NULL ORDER BY r.due_date, r.id LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    conn.query_all(sql.build()).await?.iter().map(open_receivable).collect()
}

/// Marks a receivable warned unless it already is; returns whether this call
/// marked it (so concurrent scanners warn once).
pub async fn mark_warned<C: ConnectionTrait>(conn: &C, org: OrgId, receivable: Uuid, at: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = receivables::Entity::update_many()
        .col_expr(receivables::Column::WarnedAt, Expr::value(Some(at)))
        .filter(receivables::Column::OrgId.eq(org.into_uuid()))
        .filter(receivables::Column::Id.eq(receivable))
        .filter(receivables::Column::WarnedAt.is_null())
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// One group's paid-receivable history: how many were paid in full and the
/// sum of their signed days late.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelayTotals<K> {
    /// The customer id or industry.
    pub key: K,
    /// Receivables paid in full.
    pub paid: i64,
    /// Σ (fully_paid_on − due_date) in days.
    pub total_days_late: i64,
}

fn delay_totals<K: sea_orm::TryGetable>(row: &QueryResult) -> Result<DelayTotals<K>, DbErr> {
    Ok(DelayTotals { key: row.try_get("", "grp")?, paid: row.try_get("", "paid")?, total_days_late: row.try_get("", "total_days_late")? })
}

/// Per customer of `customers`: the paid-in-full receivables and their summed days late.
pub async fn customer_delays<C: ConnectionTrait>(conn: &C, org: OrgId, customers: &[Uuid]) -> Result<Vec<DelayTotals<Uuid>>, DbErr> {
    let backend = conn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(&format!("SELECT r.customer_id AS grp, COUNT(*) AS paid, CAST(COALESCE(SUM({}), 0) AS BIGINT) AS total_days_late FROM receivables r WHERE r.org_id = ", days_late(backend)))
        .bind(org.into_uuid())
        .push(" AND r.fully_paid_on IS NOT NULL AND r.customer_id IN ")
        .bind_list(customers)
        .push(" GROUP BY r.customer_id");
    conn.query_all(sql.build()).await?.iter().map(delay_totals).collect()
}

/// Per industry of `industries`: the org's paid-in-full receivables of
/// customers in that industry and their summed days late (the industry mean
/// is their quotient).
pub async fn industry_delays<C: ConnectionTrait>(conn: &C, org: OrgId, industries: &[String]) -> Result<Vec<DelayTotals<String>>, DbErr> {
    let backend = conn.get_database_backend();
    let mut sql = Sql::new(backend);
    sql.push(&format!("SELECT c.industry AS grp, COUNT(*) AS paid, CAST(COALESCE(SUM({}), 0) AS BIGINT) AS total_days_late ", days_late(backend)))
        .push("FROM receivables r JOIN customers c ON c.org_id = r.org_id AND c.id = r.customer_id WHERE r.org_id = ")
        .bind(org.into_uuid())
        .push(" AND r.fully_paid_on IS NOT NULL AND c.industry IN ")
        .bind_list(industries)
        .push(" GROUP BY c.industry");
    conn.query_all(sql.build()).await?.iter().map(delay_totals).collect()
}

/// What collection metrics are grouped by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollectionGroupBy {
    /// The deal's current owner.
    Rep,
    /// That owner's team (`None` for owners without a team).
    Team,
}

/// The period and the day the metrics are taken on.
#[derive(Clone, Copy, Debug)]
pub struct MetricsWindow {
    /// Receivables approved from here count as signed in the period.
    pub from: DateTime<Utc>,
    /// Receivables created at or after this instant do not exist yet (the
    /// period's end, or just after now while the period runs on).
    pub as_of: DateTime<Utc>,
    /// First instalments due on or after this day count...
    pub first_due_from: NaiveDate,
    /// ...and before this one.
    pub first_due_until: NaiveDate,
    /// The day outstanding and overdue amounts are taken on (payments on or
    /// before it count; due before it is overdue).
    pub day: NaiveDate,
}

/// One group's collection figures in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsCounts {
    /// The owner or team (`None`: owners without a team).
    pub group: Option<Uuid>,
    /// First instalments (seq 1) due in the period whose outcome is known on
    /// the day: due before it, or due on it and paid in full.
    pub first_instalments: i64,
    /// Of those, paid in full on or before their due date.
    pub first_on_time: i64,
    /// Receivables with something outstanding on the day.
    pub open_receivables: i64,
    /// Outstanding on the day, in cents.
    pub outstanding_cents: i64,
    /// Of that, due before the day, in cents.
    pub overdue_cents: i64,
    /// Amount of the receivables created (contracts approved) in
    /// `[from, as_of)`, in cents: the contract amount signed in the period.
    pub signed_cents: i64,
}

/// Appends: `x` is a first instalment due in the period whose outcome is
/// known on the day (due before it, or due on it and paid in full by then).
fn first_decided(sql: &mut Sql, window: &MetricsWindow) {
    sql.push("x.seq = 1 AND x.due_date >= ")
        .bind(window.first_due_from)
        .push(" AND x.due_date < ")
        .bind(window.first_due_until)
        .push(" AND (x.due_date < ")
        .bind(window.day)
        .push(" OR (x.due_date = ")
        .bind(window.day)
        .push(" AND x.paid_by_day = 1))");
}

/// Per group: the collection figures of the receivables in `currency` that
/// exist at `window.as_of`, of visible owners.
pub async fn metrics<C: ConnectionTrait>(conn: &C, org: OrgId, visible: &Visible, group_by: CollectionGroupBy, currency: &str, window: &MetricsWindow) -> Result<Vec<MetricsCounts>, DbErr> {
    let group = match group_by {
        CollectionGroupBy::Rep => CURRENT_OWNER,
        CollectionGroupBy::Team => "u.team_id",
    };
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("SELECT x.grp AS grp, SUM(CASE WHEN ");
    first_decided(&mut sql, window);
    sql.push(" THEN 1 ELSE 0 END) AS first_instalments, SUM(CASE WHEN ");
    first_decided(&mut sql, window);
    sql.push(" AND x.fully_paid_on <= x.due_date");
    sql.push(" THEN 1 ELSE 0 END) AS first_on_time, ")
        .push("SUM(CASE WHEN x.outstanding > 0 THEN 1 ELSE 0 END) AS open_receivables, ")
        .push("CAST(COALESCE(SUM(x.outstanding), 0) AS BIGINT) AS outstanding_cents, ")
        .push("CAST(COALESCE(SUM(CASE WHEN x.due_date < ")
        .bind(window.day)
        .push(" THEN x.outstanding ELSE 0 END), 0) AS BIGINT) AS overdue_cents, ")
        .push("CAST(COALESCE(SUM(CASE WHEN x.created_at >= ")
        .bind(window.from)
        .push(" THEN x.amount_cents ELSE 0 END), 0) AS BIGINT) AS signed_cents FROM (")
        .push(&format!("SELECT {group} AS grp, r.seq, r.due_date, r.fully_paid_on, r.amount_cents, r.created_at, "))
        .push("CASE WHEN r.fully_paid_on IS NOT NULL AND r.fully_paid_on <= ")
        .bind(window.day)
        .push(" THEN 1 ELSE 0 END AS paid_by_day, ")
        .push("r.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.org_id = r.org_id AND p.receivable_id = r.id AND p.paid_on <= ")
        .bind(window.day)
        .push("), 0) AS outstanding ")
        .push("FROM receivables r LEFT JOIN deals d ON d.org_id = r.org_id AND d.id = r.deal_id ")
        .push(&format!("LEFT JOIN users u ON u.org_id = r.org_id AND u.id = {CURRENT_OWNER} WHERE r.org_id = "))
        .bind(org.into_uuid())
        .push(" AND r.currency = ")
        .bind(currency.to_string())
        .push(" AND r.created_at < ")
        .bind(window.as_of);
    if let Visible::Owners(owners) = visible {
        sql.push(&format!(" AND {CURRENT_OWNER} IN ")).bind_list(owners);
    }
    sql.push(") x GROUP BY x.grp");
    let rows = conn.query_all(sql.build()).await?;
    rows.iter()
        .map(|row| {
            Ok(MetricsCounts {
                group: row.try_get("", "grp")?,
                first_instalments: row.try_get("", "first_instalments")?,
                first_on_time: row.try_get("", "first_on_time")?,
                open_receivables: row.try_get("", "open_receivables")?,
                outstanding_cents: row.try_get("", "outstanding_cents")?,
                overdue_cents: row.try_get("", "overdue_cents")?,
                signed_cents: row.try_get("", "signed_cents")?,
            })
        })
        .collect()
}

/// Appends the receivables in `currency` that exist before `exists_before`
/// and whose deal owner is visible, one row each with its current owner
/// (`owner_id`), its customer (`customer_id`), the customer's industry
/// (`industry`, NULL when blank),
/// `due_date`, and what was still `outstanding` at the end of `day` (payments
/// dated on or before it count).
fn receivables_on(sql: &mut Sql, org: OrgId, visible: &Visible, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>) {
    sql.push(&format!("SELECT {CURRENT_OWNER} AS owner_id, r.customer_id AS customer_id, NULLIF(c.industry, '') AS industry, r.due_date AS due_date, "))
        .push("r.amount_cents - COALESCE((SELECT SUM(p.amount_cents) FROM payments p WHERE p.org_id = r.org_id AND p.receivable_id = r.id AND p.paid_on <= ")
        .bind(day)
        .push("), 0) AS outstanding FROM receivables r LEFT JOIN deals d ON d.org_id = r.org_id AND d.id = r.deal_id ")
        .push("LEFT JOIN customers c ON c.org_id = r.org_id AND c.id = r.customer_id WHERE r.org_id = ")
        .bind(org.into_uuid())
        .push(" AND r.currency = ")
        .bind(currency.to_string())
        .push(" AND r.created_at < ")
        .bind(exists_before);
    if let Visible::Owners(owners) = visible {
        sql.push(&format!(" AND {CURRENT_OWNER} IN ")).bind_list(owners);
    }
}

/// What one customer had overdue at the end of a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OverdueCustomer {
    pub customer_id: Uuid,
    /// Outstanding on receivables due before the day, in cents.
    pub overdue_cents: i64,
    /// How many receivables that is.
    pub overdue_receivables: i64,
    /// The earliest due date among them (the longest overdue).
    pub oldest_due: NaiveDate,
}

/// R7: the `limit` customers with the most overdue at the end of `day`
/// (outstanding on receivables in `currency` due before it, existing before
/// `exists_before`, of visible owners): largest amount first, then the
/// longest overdue, then by id.
pub async fn top_overdue_customers<C: ConnectionTrait>(conn: &C, org: OrgId, visible: &Visible, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>, limit: u64) -> Result<Vec<OverdueCustomer>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("SELECT x.customer_id AS customer_id, CAST(SUM(x.outstanding) AS BIGINT) AS overdue_cents, COUNT(*) AS overdue_receivables, CAST(MIN(x.due_date) AS TEXT) AS oldest_due FROM (");
    receivables_on(&mut sql, org, visible, currency, day, exists_before);
    sql.push(") x WHERE x.due_date < ")
        .bind(day)
        .push(" AND x.outstanding > 0 GROUP BY x.customer_id ORDER BY overdue_cents DESC, oldest_due, customer_id LIMIT ")
        .bind(i64::try_from(limit).unwrap_or(i64::MAX));
    conn.query_all(sql.build()).await?.iter().map(overdue_customer).collect()
}

/// The figures of [`top_overdue_customers`] for every customer with
/// something overdue, per current owner of the receivables (unordered), for
/// the monthly reports of many scopes at once: a scope's figures are the
/// sums over its owners.
pub async fn overdue_customers_by_owner<C: ConnectionTrait>(conn: &C, org: OrgId, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>) -> Result<Vec<(Uuid, OverdueCustomer)>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("SELECT x.owner_id AS owner_id, x.customer_id AS customer_id, CAST(SUM(x.outstanding) AS BIGINT) AS overdue_cents, COUNT(*) AS overdue_receivables, CAST(MIN(x.due_date) AS TEXT) AS oldest_due FROM (");
    receivables_on(&mut sql, org, &Visible::All, currency, day, exists_before);
    sql.push(") x WHERE x.due_date < ").bind(day).push(" AND x.outstanding > 0 GROUP BY x.owner_id, x.customer_id");
    conn.query_all(sql.build()).await?.iter().map(|row| Ok((row.try_get("", "owner_id")?, overdue_customer(row)?))).collect()
}

fn overdue_customer(row: &QueryResult) -> Result<OverdueCustomer, DbErr> {
    let oldest: String = row.try_get("", "oldest_due")?;
    Ok(OverdueCustomer {
        customer_id: row.try_get("", "customer_id")?,
        overdue_cents: row.try_get("", "overdue_cents")?,
        overdue_receivables: row.try_get("", "overdue_receivables")?,
        oldest_due: parse_day(&oldest)?,
    })
}

/// A date the database rendered as text (`YYYY-MM-DD`, possibly followed by a time).
fn parse_day(text: &str) -> Result<NaiveDate, DbErr> {
    text.get(..10)
        .and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok())
        .ok_or_else(|| DbErr::Type(format!("{text} is not a date")))
}

/// One industry's outstanding and overdue amounts at the end of a day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndustryShare {
    /// The customers' industry; `None` for customers without one.
    pub industry: Option<String>,
    /// Outstanding at the end of the day, in cents.
    pub outstanding_cents: i64,
    /// Of that, due before the day, in cents.
    pub overdue_cents: i64,
}

/// R7: per industry, the outstanding and overdue amounts at the end of
/// `day` (receivables as in [`top_overdue_customers`]); the overdue share is
/// their quotient.
pub async fn industry_overdue<C: ConnectionTrait>(conn: &C, org: OrgId, visible: &Visible, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>) -> Result<Vec<IndustryShare>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    industry_overdue_sql(&mut sql, org, visible, currency, day, exists_before, false);
    conn.query_all(sql.build()).await?.iter().map(industry_share).collect()
}

/// [`industry_overdue`] for the whole org, per current owner of the
/// receivables (unordered): a scope's shares are the sums over its owners.
pub async fn industry_overdue_by_owner<C: ConnectionTrait>(conn: &C, org: OrgId, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>) -> Result<Vec<(Uuid, IndustryShare)>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    industry_overdue_sql(&mut sql, org, &Visible::All, currency, day, exists_before, true);
    conn.query_all(sql.build()).await?.iter().map(|row| Ok((row.try_get("", "owner_id")?, industry_share(row)?))).collect()
}

fn industry_overdue_sql(sql: &mut Sql, org: OrgId, visible: &Visible, currency: &str, day: NaiveDate, exists_before: DateTime<Utc>, by_owner: bool) {
    let owner = if by_owner { "x.owner_id AS owner_id, " } else { "" };
    sql.push(&format!("SELECT {owner}x.industry AS grp, CAST(COALESCE(SUM(x.outstanding), 0) AS BIGINT) AS outstanding_cents, CAST(COALESCE(SUM(CASE WHEN x.due_date < "))
        .bind(day)
        .push(" THEN x.outstanding ELSE 0 END), 0) AS BIGINT) AS overdue_cents FROM (");
    receivables_on(sql, org, visible, currency, day, exists_before);
    sql.push(if by_owner { ") x GROUP BY x.owner_id, x.industry" } else { ") x GROUP BY x.industry" });
}

fn industry_share(row: &QueryResult) -> Result<IndustryShare, DbErr> {
    Ok(IndustryShare { industry: row.try_get("", "grp")?, outstanding_cents: row.try_get("", "outstanding_cents")?, overdue_cents: row.try_get("", "overdue_cents")? })
}

/// One industry's receivables paid in full in a period, with the summed
/// agreed and actual payment days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndustryPaymentDays {
    /// The customers' industry; `None` for customers without one.
    pub industry: Option<String>,
    /// Receivables paid in full in the period.
    pub paid: i64,
    /// Σ (due date − start) in days.
    pub agreed_days: i64,
    /// Σ (paid-in-full date − start) in days.
    pub actual_days: i64,
}

/// The day a receivable's payment days count from: the contract's signing
/// date, or else the UTC date of its approval (when the receivable was
/// created), per backend.
fn payment_start(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Postgres => "COALESCE(k.signed_on, CAST((k.decided_at AT TIME ZONE 'UTC') AS DATE), CAST((r.created_at AT TIME ZONE 'UTC') AS DATE))",
        _ => "COALESCE(k.signed_on, date(k.decided_at), date(r.created_at))",
    }
}

/// Whole days from `start` to `end` (two date expressions), per backend.
fn days_between(backend: DbBackend, start: &str, end: &str) -> String {
    match backend {
        DbBackend::Postgres => format!("({end} - {start})"),
        _ => format!("CAST(ROUND(julianday({end}) - julianday({start})) AS INTEGER)"),
    }
}

/// R7: per industry, the receivables of visible owners paid in full from
/// `first` through `last` (any currency: these are days, not money), with
/// Σ agreed days (due date − start) and Σ actual days (paid-in-full date −
/// start), start as in [`payment_start`].
pub async fn industry_payment_days<C: ConnectionTrait>(conn: &C, org: OrgId, visible: &Visible, first: NaiveDate, last: NaiveDate) -> Result<Vec<IndustryPaymentDays>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    industry_payment_days_sql(&mut sql, org, visible, first, last, false);
    conn.query_all(sql.build()).await?.iter().map(industry_payment_day_row).collect()
}

/// [`industry_payment_days`] for the whole org, per current owner of the
/// receivables (unordered): a scope's figures are the sums over its owners.
pub async fn industry_payment_days_by_owner<C: ConnectionTrait>(conn: &C, org: OrgId, first: NaiveDate, last: NaiveDate) -> Result<Vec<(Uuid, IndustryPaymentDays)>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    industry_payment_days_sql(&mut sql, org, &Visible::All, first, last, true);
    conn.query_all(sql.build()).await?.iter().map(|row| Ok((row.try_get("", "owner_id")?, industry_payment_day_row(row)?))).collect()
}

fn industry_payment_days_sql(sql: &mut Sql, org: OrgId, visible: &Visible, first: NaiveDate, last: NaiveDate, by_owner: bool) {
    let backend = sql.backend();
    let start = payment_start(backend);
    let agreed = days_between(backend, start, "r.due_date");
    let actual = days_between(backend, start, "r.fully_paid_on");
    let owner = if by_owner { format!("{CURRENT_OWNER} AS owner_id, ") } else { String::new() };
    sql.push(&format!("SELECT {owner}NULLIF(c.industry, '') AS grp, COUNT(*) AS paid, CAST(COALESCE(SUM({agreed}), 0) AS BIGINT) AS agreed_days, CAST(COALESCE(SUM({actual}), 0) AS BIGINT) AS actual_days "))
        .push("FROM receivables r JOIN contracts k ON k.org_id = r.org_id AND k.id = r.contract_id LEFT JOIN deals d ON d.org_id = r.org_id AND d.id = r.deal_id ")
        .push("LEFT JOIN customers c ON c.org_id = r.org_id AND c.id = r.customer_id WHERE r.org_id = ")
        .bind(org.into_uuid())
        .push(" AND r.fully_paid_on >= ")
        .bind(first)
        .push(" AND r.fully_paid_on <= ")
        .bind(last);
    if let Visible::Owners(owners) = visible {
        sql.push(&format!(" AND {CURRENT_OWNER} IN ")).bind_list(owners);
    }
    if by_owner {
        sql.push(&format!(" GROUP BY {CURRENT_OWNER}, NULLIF(c.industry, '')"));
    } else {
        sql.push(" GROUP BY NULLIF(c.industry, '')");
    }
}

fn industry_payment_day_row(row: &QueryResult) -> Result<IndustryPaymentDays, DbErr> {
    Ok(IndustryPaymentDays { industry: row.try_get("", "grp")?, paid: row.try_get("", "paid")?, agreed_days: row.try_get("", "agreed_days")?, actual_days: row.try_get("", "actual_days")? })
}
