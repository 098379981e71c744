//! Use cases: one function per user intent.
//!
//! Each use case takes the verified [`Principal`], opens the transaction,
//! calls the pure rules in `dealdesk_domain`, writes the records, the audit
//! row and (later) outbox rows in that same transaction, and returns plain
//! models. Nothing here knows HTTP or GraphQL.
//!
//! - [`error`]: the one error enum and the stable client codes.
//! - [`auth`]: passwords, access and refresh tokens, API keys, login throttling.
//! - [`principal`]: who is calling and which owners' data they may see.
//! - [`orgs`]: sign-up, teams and users.
//! - [`stages`]: the org's pipeline stages and their gates.
//! - [`contracts`]: contracts, the payment check, receivables, payments, risk tiers and the org's tier thresholds.
//! - [`import`]: payment import from .csv and .xlsx (dry run, all rows or none).
//! - [`registry`]: the business-registry provider (HTTP and offline).
//! - [`customers`]: customers and contacts.
//! - [`deals`]: deals, stage moves, reassignment, listing.
//! - [`activities`]: activities and timelines.
//! - [`alerts`]: the alert scans (E1–E4), alert life-cycle and rule settings.
//! - [`funnel`]: the funnel health report (E6), each figure beside the team median.
//! - [`analytics`]: the org-wide funnel (B1) and bottleneck heatmap (B2) for any period and filter.
//! - [`collaboration`]: collaboration health (C5) per department or kind, and its monthly report.
//! - [`collection`]: the collection forecast, COLLECTION_WARNING and collection metrics (R5, R6).
//! - [`collection_report`]: the monthly industry collection report (R7), on screen and on the 1st at 09:00.
//! - [`audit`]: the append-only audit trail.
//! - [`idempotency`]: stored first responses for retried mutations.
//! - [`jobs`]: leaderless periodic jobs and the shared test clock.
//! - [`notify`]: channels, preferences, the transactional outbox and its dispatcher.
//! - [`clock`]: business time, including the switchable test clock.
//! - [`reports`]: the weekly funnel health report job.
//! - [`tickets`]: business calendars, SLA policies, numbered tickets and the SLA clock.
//! - [`seed`]: the demo organization.

pub mod activities;
pub mod alerts;
pub mod analytics;
pub mod audit;
pub mod auth;
pub mod clock;
pub mod collection;
pub mod collection_report;
pub mod contracts;
pub mod collaboration;
pub mod customers;
pub mod deals;
pub mod error;
pub mod funnel;
pub mod idempotency;
pub mod import;
pub mod jobs;
pub mod notify;
pub mod orgs;
pub mod page;
pub mod principal;
pub mod registry;
pub mod reports;
pub mod seed;
pub mod stages;
pub mod tickets;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

pub use clock::AppClock;
/// Statement counting, for the server's request wrapper and the dataloaders' tasks.
pub use dealdesk_persistence::statements;
pub use error::{AppError, AppResult, ErrorCode};
pub use principal::{Actor, Principal};

/// Settings the use cases need; built by the server from the environment.
#[derive(Clone)]
pub struct AppConfig {
    /// Key that signs access tokens (HS256). Never logged.
    pub jwt_secret: auth::Secret,
    /// Whether anyone may create a new organization through `signUp`.
    pub allow_signup: bool,
    /// SMTP, sender address and timeouts of the notification channels.
    pub notify: dealdesk_notification::SenderConfig,
    /// Attempts after which a delivery is dead-lettered.
    pub max_delivery_attempts: i32,
    /// Where contract documents are stored.
    pub files_dir: std::path::PathBuf,
    /// The business-registry provider's base URL (`None`: offline, every status UNKNOWN).
    pub registry_url: Option<String>,
    /// The provider's bearer key.
    pub registry_key: Option<auth::Secret>,
    /// How long a registry lookup may take.
    pub registry_timeout: std::time::Duration,
    /// R5: the industry mean days late used when the org has no paid receivables in a customer's industry.
    pub default_industry_days_late: rust_decimal::Decimal,
}

/// Everything a use case needs: the database, the clocks and the settings.
#[derive(Clone)]
pub struct App {
    /// The connection pool (SQLite or PostgreSQL).
    pub db: DatabaseConnection,
    /// Business time: what "now" means for deals, gates and alerts.
    pub clock: AppClock,
    /// Settings.
    pub config: Arc<AppConfig>,
    /// This process's name as a job-lease holder.
    pub instance: Arc<str>,
    /// Sends notifications through the channels.
    pub sender: dealdesk_notification::Sender,
    /// Answers "is this company operating?" (R2).
    pub registry: Arc<dyn registry::RegistryProvider>,
}

impl App {
    /// Wires the use cases to a database, a clock and settings.
    pub fn new(db: DatabaseConnection, clock: AppClock, config: AppConfig) -> AppResult<Self> {
        let sender = dealdesk_notification::Sender::new(config.notify.clone())
            .map_err(|error| AppError::Internal(format!("notification settings: {error}")))?;
        let registry: Arc<dyn registry::RegistryProvider> = match &config.registry_url {
            Some(url) => Arc::new(registry::HttpRegistry::new(url, config.registry_key.clone(), config.registry_timeout).map_err(AppError::Internal)?),
            None => Arc::new(registry::OfflineRegistry),
        };
        Ok(Self {
            registry,
            db,
            clock,
            config: Arc::new(config),
            instance: format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple()).into(),
            sender,
        })
    }

    /// Business "now", truncated to microseconds so both engines round-trip it exactly.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}
