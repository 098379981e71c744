//! End-to-end tests of the GraphQL API over HTTP, one fresh server and
//! database per test. SQLite by default; PostgreSQL when `DATABASE_URL`
//! starts with `postgres`.

mod activities;
mod alerts;
mod analytics;
mod audit;
mod auth;
mod clock;
mod contracts;
mod collaboration;
mod collection;
mod collection_report;
mod demo;
mod funnel;
mod import;
mod isolation;
mod notify;
mod pipeline;
mod projection;
mod reports;
mod scope;
mod seed;
mod stages;
mod statements;
mod thresholds;
mod tickets;
mod transport;
