//! Database schema of Dealdesk as forward-only sea-orm migrations.
//!
//! Works on SQLite and PostgreSQL. No foreign keys: tenant tables carry
//! `org_id` and are joined by the application through org-scoped queries;
//! every index on a tenant table leads with `org_id`.

use sea_orm_migration::prelude::*;
pub use sea_orm_migration::MigratorTrait;

mod schema_helpers;

mod m20261127_000001_identity;
mod m20261127_000002_pipeline;
mod m20261127_000003_platform;
mod m20261127_000004_alerts_jobs;
mod m20261127_000005_outbox;
mod m20261127_000006_reports;
mod m20261127_000007_tickets;
mod m20261127_000008_receivables;
mod m20261127_000009_collection;
mod m20261127_000010_risk_thresholds;
mod m20261127_000011_list_indexes;
mod m20261127_000012_analytics;
mod m20261128_000013_scan_indexes;

/// Runs all Dealdesk migrations in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_identity::Migration),
            Box::new(m20261127_000002_pipeline::Migration),
            Box::new(m20261127_000003_platform::Migration),
            Box::new(m20261127_000004_alerts_jobs::Migration),
            Box::new(m20261127_000005_outbox::Migration),
            Box::new(m20261127_000006_reports::Migration),
            Box::new(m20261127_000007_tickets::Migration),
            Box::new(m20261127_000008_receivables::Migration),
            Box::new(m20261127_000009_collection::Migration),
            Box::new(m20261127_000010_risk_thresholds::Migration),
            Box::new(m20261127_000011_list_indexes::Migration),
            Box::new(m20261127_000012_analytics::Migration),
            Box::new(m20261128_000013_scan_indexes::Migration),
        ]
    }
}
