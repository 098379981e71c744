//! Notification channels: render one message and send it through DingTalk,
//! WeCom, email or a generic webhook, reporting the outcome.
//!
//! This crate knows nothing of the database; the outbox dispatcher that
//! claims, sends, retries and dead-letters lives in `app`. It is empty until
//! the alerts and notifications issue lands; the crate exists now so the
//! dependency direction (`notification` → `domain` only) is fixed from the
//! start.
