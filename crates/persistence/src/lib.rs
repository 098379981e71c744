//! Persistence layer of Dealdesk: sea-orm entities (one module per table under
//! [`entities`]) and the org-scoped repositories built on them.
//!
//! Targets both SQLite and PostgreSQL through sea-orm/sqlx; the schema itself
//! lives in the `dealdesk-migration` crate. [`statements`] counts the SQL
//! statements of one request when the server turns it on.

pub mod entities;
pub mod activities;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod collaboration;
pub mod collection;
pub mod contracts;
pub mod customers;
pub mod deals;
pub mod funnel;
pub mod alerts;
pub mod idempotency;
pub mod jobs;
pub mod outbox;
pub mod page;
pub mod reports;
pub mod rows;
pub mod stages;
pub mod statements;
pub mod tickets;
pub mod timeline;
pub mod users;

/// Which owners' records a query may return. Built by the app layer from the
/// caller's role; there is no "unscoped" value besides `All` within one org.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visible {
    /// Every record of the org.
    All,
    /// Records owned by these users.
    Owners(Vec<sea_orm::prelude::Uuid>),
}
