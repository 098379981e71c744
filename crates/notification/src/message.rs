//! The one message a channel renders and sends.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// One message to deliver; `id` is the idempotency key receivers can dedupe on.
///
/// The caller renders every form a channel might need (markdown for robots,
/// plain text and HTML for email, structured `data` for webhooks) so that this
/// crate stays free of domain knowledge; each channel picks its form.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// Stable across retries of the same delivery, so a receiver that sees it
    /// twice can drop the second copy (webhook `Idempotency-Key`, email
    /// `Message-ID`).
    pub id: Uuid,
    /// What happened, dotted (`alert.raised`, `report.weekly`,
    /// `channel.test`), so webhook receivers can route without parsing `data`.
    pub event: String,
    /// When the event happened, not when this attempt runs; receivers order
    /// events by it.
    pub occurred_at: DateTime<Utc>,
    /// The organization the event belongs to, so a receiver shared by several
    /// organizations can tell them apart.
    pub org_id: Uuid,
    /// A short headline: email subject and the robots' card title.
    pub title: String,
    /// The body for DingTalk and WeCom robots, which render markdown.
    pub markdown: String,
    /// The plain-text email body, for mail clients that show no HTML.
    pub text: String,
    /// The HTML email body; without it the email is plain text only.
    pub html: Option<String>,
    /// The webhook's `data` field: the event as structured JSON.
    pub data: serde_json::Value,
}
