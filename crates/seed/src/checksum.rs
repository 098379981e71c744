//! Per-table row counts and checksums of what the generator writes, read
//! back through the application's own entities: every row is decoded as the
//! application decodes it, in primary-key order, and hashed (SHA-256 over
//! each model's `Debug` form). Equal checksums mean equal rows; a row the
//! application cannot read fails the read.

use dealdesk_persistence::entities::{
    activities, audit_log, contacts, contracts, customer_risk, customers, deal_assignments, deal_transitions, deals, orgs, payments, receivables,
    risk_tier_changes, sla_policies, stages, teams, ticket_counters, ticket_events, tickets, users,
};
use futures_util::TryStreamExt;
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder};
use sha2::{Digest, Sha256};

use crate::SeedError;

/// One table's rows, summarized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableChecksum {
    /// The table.
    pub table: &'static str,
    /// Its rows.
    pub rows: u64,
    /// SHA-256 (hex) over its rows in primary-key order.
    pub sha256: String,
}

macro_rules! checksum {
    ($db:expr, $out:expr, $module:ident, $($column:ident),+) => {{
        let mut hasher = Sha256::new();
        let mut rows = 0u64;
        let mut stream = $module::Entity::find()$(.order_by_asc($module::Column::$column))+.stream($db).await?;
        while let Some(row) = stream.try_next().await? {
            hasher.update(format!("{row:?}\n").as_bytes());
            rows += 1;
        }
        $out.push(TableChecksum { table: stringify!($module), rows, sha256: hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect() });
    }};
}

/// Counts and checksums of every table the generator writes, over all its rows.
pub async fn table_checksums(db: &DatabaseConnection) -> Result<Vec<TableChecksum>, SeedError> {
    let mut out = Vec::new();
    checksum!(db, out, orgs, Id);
    checksum!(db, out, teams, Id);
    checksum!(db, out, users, Id);
    checksum!(db, out, stages, Id);
    checksum!(db, out, sla_policies, Id);
    checksum!(db, out, customers, Id);
    checksum!(db, out, contacts, Id);
    checksum!(db, out, deals, Id);
    checksum!(db, out, deal_transitions, Id);
    checksum!(db, out, deal_assignments, Id);
    checksum!(db, out, activities, Id);
    checksum!(db, out, tickets, Id);
    checksum!(db, out, ticket_events, Id);
    checksum!(db, out, ticket_counters, OrgId, Kind);
    checksum!(db, out, contracts, Id);
    checksum!(db, out, receivables, Id);
    checksum!(db, out, payments, Id);
    checksum!(db, out, customer_risk, CustomerId);
    checksum!(db, out, risk_tier_changes, Id);
    checksum!(db, out, audit_log, Id);
    Ok(out)
}
