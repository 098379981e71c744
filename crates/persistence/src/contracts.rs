//! Contracts, their documents, receivables, payments and customer risk.

use chrono::NaiveDate;
use dealdesk_domain::OrgId;
use sea_orm::prelude::Uuid;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{contract_documents, contracts, customer_risk, payments, receivables, risk_tier_changes};

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
