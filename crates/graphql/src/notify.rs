//! Channels, preferences and the delivery log.

use async_graphql::{Context, Enum, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::notify::DeliveryView;
use dealdesk_app::App;
use dealdesk_notification::{ChannelKind, ChannelTarget};
use dealdesk_persistence::entities::{channels, delivery_attempts, notification_prefs};

use crate::error::{principal, ResultExt};
use crate::types::AlertKindValue;

/// Kinds of channel (I1–I4).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ChannelKindValue {
    Dingtalk,
    Wecom,
    Email,
    Webhook,
}

impl From<ChannelKindValue> for ChannelKind {
    fn from(value: ChannelKindValue) -> Self {
        match value {
            ChannelKindValue::Dingtalk => ChannelKind::DingTalk,
            ChannelKindValue::Wecom => ChannelKind::WeCom,
            ChannelKindValue::Email => ChannelKind::Email,
            ChannelKindValue::Webhook => ChannelKind::Webhook,
        }
    }
}

/// Delivery states of an outbox message.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// Delivered.
    Sent,
    /// Given up on (re-drivable by an admin).
    Dead,
}

impl DeliveryStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "PENDING",
            DeliveryStatus::Sent => "SENT",
            DeliveryStatus::Dead => "DEAD",
        }
    }
}

/// A notification channel. Its robot token and secret are never returned.
pub struct Channel(pub channels::Model);

#[Object]
impl Channel {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> ChannelKindValue {
        match ChannelKind::parse(&self.0.kind) {
            Some(ChannelKind::DingTalk) => ChannelKindValue::Dingtalk,
            Some(ChannelKind::WeCom) => ChannelKindValue::Wecom,
            Some(ChannelKind::Email) => ChannelKindValue::Email,
            _ => ChannelKindValue::Webhook,
        }
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// The target with credentials hidden (no query string, no secret).
    async fn target(&self) -> String {
        ChannelKind::parse(&self.0.kind)
            .and_then(|kind| ChannelTarget::parse(kind, &self.0.target, self.0.secret.as_deref()).ok())
            .map_or_else(|| "(invalid target)".to_string(), |target| target.display_safe())
    }
    /// Whether messages are signed with a secret.
    async fn has_secret(&self) -> bool {
        self.0.secret.is_some()
    }
    /// Subscribed events (`alert.*`, `alert.STAGE_STUCK`, `report.weekly`, …); null means all.
    async fn events(&self) -> Option<Vec<String>> {
        self.0.events.as_ref().and_then(|events| events.as_array()).map(|events| events.iter().filter_map(|event| event.as_str().map(str::to_string)).collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Which alert kinds the caller receives through a channel.
pub struct NotificationPreference(pub notification_prefs::Model);

#[Object]
impl NotificationPreference {
    async fn channel_id(&self) -> ID {
        ID(self.0.channel_id.to_string())
    }
    async fn kinds(&self) -> Vec<AlertKindValue> {
        self.0
            .kinds
            .as_array()
            .map(|kinds| {
                kinds
                    .iter()
                    .filter_map(|kind| kind.as_str().and_then(|kind| dealdesk_domain::AlertKind::parse(kind).ok()))
                    .map(AlertKindValue::from)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One attempt to deliver a message.
pub struct DeliveryAttempt(pub delivery_attempts::Model);

#[Object]
impl DeliveryAttempt {
    async fn attempt(&self) -> i32 {
        self.0.attempt
    }
    /// `DELIVERED`, `RETRY` or `FAILED`.
    async fn outcome(&self) -> &str {
        &self.0.outcome
    }
    /// The receiver's answer or the error.
    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A message in the outbox and what became of it.
pub struct Delivery(pub DeliveryView);

#[Object]
impl Delivery {
    /// The message id, sent to receivers as the idempotency key.
    async fn id(&self) -> ID {
        ID(self.0.message.id.to_string())
    }
    /// The channel; null for messages sent straight to a person's email (weekly reports).
    async fn channel_id(&self) -> Option<ID> {
        (self.0.message.channel_id != dealdesk_app::notify::DIRECT_EMAIL).then(|| ID(self.0.message.channel_id.to_string()))
    }
    async fn event(&self) -> &str {
        &self.0.message.event
    }
    async fn title(&self) -> Option<&str> {
        self.0.message.payload.get("title").and_then(serde_json::Value::as_str)
    }
    async fn status(&self) -> DeliveryStatus {
        match self.0.message.status.as_str() {
            "SENT" => DeliveryStatus::Sent,
            "DEAD" => DeliveryStatus::Dead,
            _ => DeliveryStatus::Pending,
        }
    }
    async fn attempts(&self) -> i32 {
        self.0.message.attempts
    }
    async fn last_error(&self) -> Option<&str> {
        self.0.message.last_error.as_deref()
    }
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.message.status == "PENDING").then_some(self.0.message.next_attempt_at)
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.message.created_at
    }
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.message.sent_at
    }
    /// Every attempt, oldest first.
    async fn attempt_log(&self) -> Vec<DeliveryAttempt> {
        self.0.attempts.iter().cloned().map(DeliveryAttempt).collect()
    }
}

/// Input of `addChannel`.
#[derive(InputObject)]
pub struct AddChannelInput {
    pub kind: ChannelKindValue,
    /// Robot or webhook URL, or comma-separated email addresses.
    pub target: String,
    /// DingTalk robot secret or webhook signing key (at least 8 characters).
    pub secret: Option<String>,
    /// Events to receive; omit for all.
    pub events: Option<Vec<String>>,
    pub name: Option<String>,
}

/// Input of `setNotificationPreference`.
#[derive(InputObject)]
pub struct NotificationPreferenceInput {
    pub channel_id: ID,
    /// Alert kinds to receive through the channel (empty: none).
    pub kinds: Vec<AlertKindValue>,
}

/// Filter of `deliveries`.
#[derive(InputObject, Default)]
pub struct DeliveryFilterInput {
    pub status: Option<DeliveryStatus>,
    pub channel_id: Option<ID>,
}

/// Resolves `channels` for the query root.
pub async fn channels(ctx: &Context<'_>) -> async_graphql::Result<Vec<Channel>> {
    let principal = principal(ctx)?;
    Ok(ctx.data::<App>()?.channels(principal).await.gql()?.into_iter().map(Channel).collect())
}
