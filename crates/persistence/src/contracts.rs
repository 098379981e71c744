//! Contracts, their documents, receivables, payments, customer risk and
//! the org's risk-tier thresholds.

use chrono::{DateTime, NaiveDate, Utc};
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{contract_documents, contracts, customer_risk, payments, receivables, risk_thresholds, risk_tier_changes};
use crate::funnel::Sql;

/// Whether the customer has any contract in the org.
pub async fn customer_has_contract<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<bool, DbErr> {
    let found = contracts::Entity::find()
        .filter(contracts::Column::OrgId.eq(org.into_uuid()))
        .filter(contracts::Column::CustomerId.eq(customer))
        .one(conn)
        .await?;
    Ok(found.is_some())
}

/// The customers among `customers` that have a contract.
pub async fn customers_with_contracts<C: ConnectionTrait>(conn: &C, org: OrgId, customers: &[Uuid]) -> Result<Vec<Uuid>, DbErr> {
    let mut found: Vec<Uuid> = contracts::Entity::find()
        .select_only()
        .column(contracts::Column::CustomerId)
        .filter(contracts::Column::OrgId.eq(org.into_uuid()))
        .filter(contracts::Column::CustomerId.is_in(customers.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    found.sort();
    found.dedup();
    Ok(found)
}

/// Adds a contract.
pub async fn insert<C: ConnectionTrait>(conn: &C, row: contracts::Model) -> Result<(), DbErr> {
    contracts::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// Replaces a contract row.
pub async fn update<C: ConnectionTrait>(conn: &C, row: contracts::Model) -> Result<contracts::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}

/// A contract of the org.
pub async fn find<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<contracts::Model>, DbErr> {
    contracts::Entity::find_by_id(id).filter(contracts::Column::OrgId.eq(org.into_uuid())).one(conn).await
}

/// A deal's contracts, oldest first.
pub async fn of_deal<C: ConnectionTrait>(conn: &C, org: OrgId, deal: Uuid) -> Result<Vec<contracts::Model>, DbErr> {
    contracts::Entity::find()
        .filter(contracts::Column::OrgId.eq(org.into_uuid()))
        .filter(contracts::Column::DealId.eq(deal))
        .order_by_asc(contracts::Column::CreatedAt)
        .all(conn)
        .await
}

/// The total amount of a customer's approved contracts, in cents.
pub async fn approved_total_cents<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<i64, DbErr> {
    let amounts: Vec<i64> = contracts::Entity::find()
        .select_only()
        .column(contracts::Column::AmountCents)
        .filter(contracts::Column::OrgId.eq(org.into_uuid()))
        .filter(contracts::Column::CustomerId.eq(customer))
        .filter(contracts::Column::Status.eq("APPROVED"))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(amounts.into_iter().sum())
}

/// Adds a document.
pub async fn insert_document<C: ConnectionTrait>(conn: &C, row: contract_documents::Model) -> Result<(), DbErr> {
    contract_documents::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// A contract's documents.
pub async fn documents_of<C: ConnectionTrait>(conn: &C, org: OrgId, contract: Uuid) -> Result<Vec<contract_documents::Model>, DbErr> {
    contract_documents::Entity::find()
        .filter(contract_documents::Column::OrgId.eq(org.into_uuid()))
        .filter(contract_documents::Column::ContractId.eq(contract))
        .order_by_asc(contract_documents::Column::UploadedAt)
        .all(conn)
        .await
}

/// A document of the org.
pub async fn find_document<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<contract_documents::Model>, DbErr> {
    contract_documents::Entity::find_by_id(id).filter(contract_documents::Column::OrgId.eq(org.into_uuid())).one(conn).await
}

/// Adds receivables.
pub async fn insert_receivables<C: ConnectionTrait>(conn: &C, rows: Vec<receivables::Model>) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    receivables::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model)).exec_without_returning(conn).await.map(|_| ())
}

/// A receivable of the org.
pub async fn find_receivable<C: ConnectionTrait>(conn: &C, org: OrgId, id: Uuid) -> Result<Option<receivables::Model>, DbErr> {
    receivables::Entity::find_by_id(id).filter(receivables::Column::OrgId.eq(org.into_uuid())).one(conn).await
}

/// Receivables of the org by id (at most 500 per statement).
pub async fn find_receivables<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<receivables::Model>, DbErr> {
    let mut rows = Vec::with_capacity(ids.len());
    for batch in ids.chunks(500) {
        rows.extend(receivables::Entity::find().filter(receivables::Column::OrgId.eq(org.into_uuid())).filter(receivables::Column::Id.is_in(batch.iter().copied())).all(conn).await?);
    }
    Ok(rows)
}

/// Contracts of the org by id (at most 500 per statement).
pub async fn find_contracts<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<contracts::Model>, DbErr> {
    let mut rows = Vec::with_capacity(ids.len());
    for batch in ids.chunks(500) {
        rows.extend(contracts::Entity::find().filter(contracts::Column::OrgId.eq(org.into_uuid())).filter(contracts::Column::Id.is_in(batch.iter().copied())).all(conn).await?);
    }
    Ok(rows)
}

/// Replaces a receivable row.
pub async fn update_receivable<C: ConnectionTrait>(conn: &C, row: receivables::Model) -> Result<receivables::Model, DbErr> {
    row.into_active_model().reset_all().update(conn).await
}

/// A customer's receivables, by due date.
pub async fn receivables_of_customer<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<Vec<receivables::Model>, DbErr> {
    receivables::Entity::find()
        .filter(receivables::Column::OrgId.eq(org.into_uuid()))
        .filter(receivables::Column::CustomerId.eq(customer))
        .order_by_asc(receivables::Column::DueDate)
        .order_by_asc(receivables::Column::Seq)
        .all(conn)
        .await
}

/// A contract's receivables, in order.
pub async fn receivables_of_contract<C: ConnectionTrait>(conn: &C, org: OrgId, contract: Uuid) -> Result<Vec<receivables::Model>, DbErr> {
    receivables::Entity::find()
        .filter(receivables::Column::OrgId.eq(org.into_uuid()))
        .filter(receivables::Column::ContractId.eq(contract))
        .order_by_asc(receivables::Column::Seq)
        .all(conn)
        .await
}

/// Customers (any org) with an unpaid receivable due on or before `day`: those whose tier may change as days pass.
pub async fn customers_with_unpaid_due<C: ConnectionTrait>(conn: &C, day: NaiveDate) -> Result<Vec<(Uuid, Uuid)>, DbErr> {
    let mut rows: Vec<(Uuid, Uuid)> = receivables::Entity::find()
        .select_only()
        .column(receivables::Column::OrgId)
        .column(receivables::Column::CustomerId)
        .filter(receivables::Column::FullyPaidOn.is_null())
        .filter(receivables::Column::DueDate.lte(day))
        .into_tuple()
        .all(conn)
        .await?;
    rows.sort();
    rows.dedup();
    Ok(rows)
}

/// Adds a payment.
pub async fn insert_payment<C: ConnectionTrait>(conn: &C, row: payments::Model) -> Result<(), DbErr> {
    payments::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// Adds many payments (an import), in batches that stay under both engines' bind-parameter limits.
pub async fn insert_payments<C: ConnectionTrait>(conn: &C, rows: Vec<payments::Model>) -> Result<(), DbErr> {
    for batch in rows.chunks(500) {
        payments::Entity::insert_many(batch.iter().cloned().map(IntoActiveModel::into_active_model)).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The org's receivables among `ids` (unknown or other orgs' ids are simply absent),
/// locked `FOR UPDATE` on PostgreSQL until the transaction ends (SQLite locks the whole database on write).
pub async fn receivables_for_update<C: ConnectionTrait>(conn: &C, org: OrgId, ids: &[Uuid]) -> Result<Vec<receivables::Model>, DbErr> {
    let mut rows = Vec::with_capacity(ids.len());
    for batch in ids.chunks(500) {
        rows.extend(
            receivables::Entity::find()
                .filter(receivables::Column::OrgId.eq(org.into_uuid()))
                .filter(receivables::Column::Id.is_in(batch.iter().copied()))
                .order_by_asc(receivables::Column::Id)
                .lock_exclusive()
                .all(conn)
                .await?,
        );
    }
    Ok(rows)
}

/// A customer's payments.
pub async fn payments_of_customer<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<Vec<payments::Model>, DbErr> {
    payments::Entity::find()
        .filter(payments::Column::OrgId.eq(org.into_uuid()))
        .filter(payments::Column::CustomerId.eq(customer))
        .order_by_asc(payments::Column::PaidOn)
        .all(conn)
        .await
}

/// A customer's risk row.
pub async fn risk_of<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<Option<customer_risk::Model>, DbErr> {
    customer_risk::Entity::find_by_id(customer).filter(customer_risk::Column::OrgId.eq(org.into_uuid())).one(conn).await
}

/// A customer's risk row, locked `FOR UPDATE` on PostgreSQL until the
/// transaction ends, so two recomputes of one customer run one after the
/// other and the second sees the first's tier (SQLite serializes writers).
pub async fn risk_for_update<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<Option<customer_risk::Model>, DbErr> {
    customer_risk::Entity::find_by_id(customer).filter(customer_risk::Column::OrgId.eq(org.into_uuid())).lock_exclusive().one(conn).await
}

/// Inserts or replaces a customer's risk row.
pub async fn save_risk<C: ConnectionTrait>(conn: &C, row: customer_risk::Model, exists: bool) -> Result<(), DbErr> {
    if exists {
        row.into_active_model().reset_all().update(conn).await.map(|_| ())
    } else {
        customer_risk::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
    }
}

/// Records a tier change.
pub async fn insert_tier_change<C: ConnectionTrait>(conn: &C, row: risk_tier_changes::Model) -> Result<(), DbErr> {
    risk_tier_changes::Entity::insert(row.into_active_model()).exec_without_returning(conn).await.map(|_| ())
}

/// A customer's tier history, oldest first.
pub async fn tier_history<C: ConnectionTrait>(conn: &C, org: OrgId, customer: Uuid) -> Result<Vec<risk_tier_changes::Model>, DbErr> {
    risk_tier_changes::Entity::find()
        .filter(risk_tier_changes::Column::OrgId.eq(org.into_uuid()))
        .filter(risk_tier_changes::Column::CustomerId.eq(customer))
        .order_by_asc(risk_tier_changes::Column::At)
        .all(conn)
        .await
}

/// The org's customers in one tier.
pub async fn customers_in_tier<C: ConnectionTrait>(conn: &C, org: OrgId, tier: &str) -> Result<Vec<customer_risk::Model>, DbErr> {
    customer_risk::Entity::find()
        .filter(customer_risk::Column::OrgId.eq(org.into_uuid()))
        .filter(customer_risk::Column::Tier.eq(tier))
        .order_by_desc(customer_risk::Column::UpdatedAt)
        .all(conn)
        .await
}

/// The org's own tier thresholds; `None` while it uses the defaults.
pub async fn thresholds<C: ConnectionTrait>(conn: &C, org: OrgId) -> Result<Option<risk_thresholds::Model>, DbErr> {
    risk_thresholds::Entity::find_by_id(org.into_uuid()).one(conn).await
}

/// Inserts or replaces the org's thresholds row (every column).
pub async fn save_thresholds<C: ConnectionTrait>(conn: &C, row: risk_thresholds::Model) -> Result<(), DbErr> {
    risk_thresholds::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::column(risk_thresholds::Column::OrgId)
                .update_columns([
                    risk_thresholds::Column::RedCumulativeOverdueDays,
                    risk_thresholds::Column::RedOverdueShareBasisPoints,
                    risk_thresholds::Column::OnTimeRateBasisPoints,
                    risk_thresholds::Column::WindowMonths,
                    risk_thresholds::Column::CumulativeWindowDays,
                    risk_thresholds::Column::Version,
                    risk_thresholds::Column::RecomputedVersion,
                    risk_thresholds::Column::RecomputeHolder,
                    risk_thresholds::Column::RecomputeLeaseUntil,
                    risk_thresholds::Column::UpdatedBy,
                    risk_thresholds::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .map(|_| ())
}

/// Takes the recompute of the org's tiers for thresholds `version` when it
/// is still unfinished and nobody else holds an unexpired lease on it
/// (`wall_now`, `lease_until`: wall time). Returns whether `holder` has it.
pub async fn claim_threshold_recompute<C: ConnectionTrait>(conn: &C, org: OrgId, version: i32, holder: &str, wall_now: DateTime<Utc>, lease_until: DateTime<Utc>) -> Result<bool, DbErr> {
    let result = risk_thresholds::Entity::update_many()
        .col_expr(risk_thresholds::Column::RecomputeHolder, Expr::value(Some(holder.to_string())))
        .col_expr(risk_thresholds::Column::RecomputeLeaseUntil, Expr::value(Some(lease_until)))
        .filter(risk_thresholds::Column::OrgId.eq(org.into_uuid()))
        .filter(risk_thresholds::Column::Version.eq(version))
        .filter(Expr::col(risk_thresholds::Column::RecomputedVersion).lt(version))
        .filter(
            Condition::any()
                .add(risk_thresholds::Column::RecomputeLeaseUntil.is_null())
                .add(risk_thresholds::Column::RecomputeLeaseUntil.lte(wall_now))
                .add(risk_thresholds::Column::RecomputeHolder.eq(holder)),
        )
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Marks thresholds `version` recomputed and releases `holder`'s lease;
/// does nothing (false) when the thresholds changed again meanwhile or the
/// lease passed to another process, whose own run then finishes the job.
pub async fn finish_threshold_recompute<C: ConnectionTrait>(conn: &C, org: OrgId, version: i32, holder: &str) -> Result<bool, DbErr> {
    let result = risk_thresholds::Entity::update_many()
        .col_expr(risk_thresholds::Column::RecomputedVersion, Expr::value(version))
        .col_expr(risk_thresholds::Column::RecomputeHolder, Expr::value(Option::<String>::None))
        .col_expr(risk_thresholds::Column::RecomputeLeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(risk_thresholds::Column::OrgId.eq(org.into_uuid()))
        .filter(risk_thresholds::Column::Version.eq(version))
        .filter(risk_thresholds::Column::RecomputeHolder.eq(holder))
        .exec(conn)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Every org whose thresholds changed since its tiers were last recomputed
/// and whose recompute nobody holds (or whose holder's lease expired at
/// `wall_now`), with the version to recompute for. Deliberately across orgs:
/// the hourly tier job finishes what a crashed process left.
pub async fn unfinished_threshold_recomputes<C: ConnectionTrait>(conn: &C, wall_now: DateTime<Utc>) -> Result<Vec<(Uuid, i32)>, DbErr> {
    risk_thresholds::Entity::find()
        .select_only()
        .column(risk_thresholds::Column::OrgId)
        .column(risk_thresholds::Column::Version)
        .filter(Expr::col(risk_thresholds::Column::RecomputedVersion).lt(Expr::col(risk_thresholds::Column::Version)))
        .filter(Condition::any().add(risk_thresholds::Column::RecomputeLeaseUntil.is_null()).add(risk_thresholds::Column::RecomputeLeaseUntil.lte(wall_now)))
        .order_by_asc(risk_thresholds::Column::OrgId)
        .into_tuple()
        .all(conn)
        .await
}

/// The org's customers whose tier depends on stored facts (they have
/// receivables, or a risk row such as a litigation flag), by id after
/// `after`, at most `limit`: the customers a threshold change recomputes.
pub async fn customers_with_risk_facts<C: ConnectionTrait>(conn: &C, org: OrgId, after: Option<Uuid>, limit: u64) -> Result<Vec<Uuid>, DbErr> {
    let mut sql = Sql::new(conn.get_database_backend());
    sql.push("SELECT customer_id FROM (SELECT r.customer_id AS customer_id FROM receivables r WHERE r.org_id = ").bind(org.into_uuid());
    if let Some(after) = after {
        sql.push(" AND r.customer_id > ").bind(after);
    }
    sql.push(" UNION SELECT k.customer_id AS customer_id FROM customer_risk k WHERE k.org_id = ").bind(org.into_uuid());
    if let Some(after) = after {
        sql.push(" AND k.customer_id > ").bind(after);
    }
    sql.push(") facts ORDER BY customer_id LIMIT ").bind(i64::try_from(limit).unwrap_or(i64::MAX));
    conn.query_all(sql.build()).await?.iter().map(|row| row.try_get("", "customer_id")).collect()
}
