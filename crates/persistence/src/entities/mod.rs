//! One sea-orm entity module per table; see `dealdesk-migration` for the schema.

pub mod activities;
pub mod api_keys;
pub mod audit_log;
pub mod contacts;
pub mod customers;
pub mod deal_assignments;
pub mod deal_transitions;
pub mod deals;
pub mod idempotency_keys;
pub mod login_failures;
pub mod orgs;
pub mod refresh_tokens;
pub mod stages;
pub mod teams;
pub mod users;
pub mod alert_recipients;
pub mod alert_rules;
pub mod alerts;
pub mod job_runs;
pub mod job_schedules;
pub mod test_clock;
pub mod channels;
pub mod notification_prefs;
pub mod outbox;
pub mod delivery_attempts;
pub mod reports;
