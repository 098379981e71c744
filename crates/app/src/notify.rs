//! Notification channels (I1–I4), per-user preferences, and the
//! transactional outbox (S6).
//!
//! A use case that must tell someone writes outbox rows in its own
//! transaction ([`App::enqueue_alerts`]); the dispatcher
//! ([`App::dispatch_outbox`]), running in every server process, claims due
//! rows with a lease, sends each through its channel, records the attempt,
//! retries with exponential back-off and jitter, and dead-letters after
//! `AppConfig::max_delivery_attempts` (default
//! [`dealdesk_domain::MAX_DELIVERY_ATTEMPTS`]). A process killed mid-send loses nothing: the
//! lease expires and the message goes out again with the same id.

use chrono::{DateTime, Duration, Utc};
use dealdesk_domain::{retry_delay, AlertKind, OrgId, Role};
use dealdesk_notification::{ChannelKind, ChannelTarget, Message, Outcome};
use dealdesk_persistence::entities::{alerts, channels, delivery_attempts, notification_prefs, outbox};
use dealdesk_persistence::outbox::{self as repo, DeliveryQuery, DEAD, PENDING, SENT};
use futures_util::stream::{self, StreamExt};
use rand::Rng;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::error::{AppError, AppResult};
use crate::page::{Page, PageRequest};
use crate::principal::Principal;
use crate::App;

/// Slack added to the longest possible send when leasing a message.
pub const DISPATCH_LEASE_SLACK_SECONDS: i64 = 5;
/// How long after the claim a send may still start; the lease covers this
/// window, the longest send and the slack. Later sends are given back.
pub const DISPATCH_START_WINDOW_SECONDS: i64 = 10;
/// Messages claimed per dispatcher pass (one statement).
pub const DISPATCH_BATCH: u64 = 500;
/// Sends in flight at once per process.
pub const DISPATCH_CONCURRENCY: usize = 64;
/// Outcomes recorded per transaction, as they come in.
pub const RECORD_CHUNK: usize = 100;

/// The channel id of messages sent straight to a person's email address
/// (`payload.to`), such as their weekly report.
pub const DIRECT_EMAIL: Uuid = Uuid::nil();

/// Input of `addChannel`.
#[derive(Clone, Debug)]
pub struct NewChannel {
    pub kind: ChannelKind,
    pub name: Option<String>,
    pub target: String,
    pub secret: Option<String>,
    pub events: Option<Vec<String>>,
}

/// A delivery with its attempts, for the delivery log.
#[derive(Clone, Debug)]
pub struct DeliveryView {
    pub message: outbox::Model,
    pub attempts: Vec<delivery_attempts::Model>,
}

/// Event names a channel may subscribe to.
pub fn known_events() -> Vec<String> {
    let mut events = vec!["alert.*".to_string(), "report.weekly".to_string(), "customer.risk_red".to_string()];
    events.push(crate::collaboration::MONTHLY_REPORT_EVENT.to_string());
    events.push(crate::collection_report::MONTHLY_COLLECTION_EVENT.to_string());
    events.extend(AlertKind::ALL.iter().map(|kind| format!("alert.{}", kind.as_str())));
    events
}

/// Whether a channel's subscription covers `event` (`None` = everything).
pub fn subscribed(events: &Option<serde_json::Value>, event: &str) -> bool {
    let Some(serde_json::Value::Array(events)) = events else { return true };
    events.iter().filter_map(serde_json::Value::as_str).any(|subscription| {
        subscription == event || (subscription == "alert.*" && event.starts_with("alert."))
    })
}

/// The stored form of a message.
pub(crate) fn message_payload(message: &Message) -> serde_json::Value {
    json!({
        "id": message.id,
        "event": message.event,
        "occurredAt": message.occurred_at,
        "orgId": message.org_id,
        "title": message.title,
        "markdown": message.markdown,
        "text": message.text,
        "html": message.html,
        "data": message.data,
    })
}

fn message_from(row: &outbox::Model) -> Message {
    let payload = &row.payload;
    let text = |key: &str| payload.get(key).and_then(serde_json::Value::as_str).unwrap_or_default().to_string();
    Message {
        id: row.id,
        event: row.event.clone(),
        occurred_at: payload
            .get("occurredAt")
            .and_then(serde_json::Value::as_str)
            .and_then(|at| DateTime::parse_from_rfc3339(at).ok())
            .map_or(row.created_at, |at| at.with_timezone(&Utc)),
        org_id: row.org_id,
        title: text("title"),
        markdown: text("markdown"),
        text: text("text"),
        html: payload.get("html").and_then(serde_json::Value::as_str).map(str::to_string),
        data: payload.get("data").cloned().unwrap_or(serde_json::Value::Null),
    }
}

/// Escapes text for HTML email bodies.
pub(crate) fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Renders an alert for every channel kind.
pub fn alert_message(alert: &alerts::Model, recipients: &[Uuid], event: &str) -> Message {
    let title = format!("【Dealdesk 预警】{}", alert.title);
    let markdown = format!(
        "#### {title}\n\n- 类型：{}\n- 时间：{}\n",
        alert.kind,
        alert.raised_at.to_rfc3339()
    );
    let text = format!("{title}\n\n类型：{}\n时间：{}\n", alert.kind, alert.raised_at.to_rfc3339());
    let html = format!(
        "<h3>{}</h3><p>类型：{}<br>时间：{}</p>",
        escape_html(&title),
        escape_html(&alert.kind),
        alert.raised_at.to_rfc3339()
    );
    Message {
        id: Uuid::now_v7(),
        event: event.to_string(),
        occurred_at: alert.raised_at,
        org_id: alert.org_id,
        title,
        markdown,
        text,
        html: Some(html),
        data: json!({
            "alertId": alert.id,
            "kind": alert.kind,
            "status": alert.status,
            "subjectType": alert.subject_type,
            "subjectId": alert.subject_id,
            "title": alert.title,
            "details": alert.details,
            "recipients": recipients,
            "raisedAt": alert.raised_at,
        }),
    }
}

pub(crate) fn outbox_row(channel: &channels::Model, message: &Message, wall: DateTime<Utc>) -> outbox::Model {
    outbox::Model {
        // Each channel gets its own copy; its id is the idempotency key receivers see.
        id: Uuid::now_v7(),
        org_id: channel.org_id,
        channel_id: channel.id,
        event: message.event.clone(),
        payload: message_payload(message),
        status: PENDING.to_string(),
        attempts: 0,
        next_attempt_at: wall,
        last_error: None,
        lease_holder: None,
        lease_until: None,
        // The delivery log is infrastructure: wall time, like its attempts.
        created_at: wall,
        sent_at: None,
    }
}

fn channel_json(channel: &channels::Model) -> serde_json::Value {
    json!({ "kind": channel.kind, "name": channel.name, "events": channel.events, "hasSecret": channel.secret.is_some() })
}

impl App {
    /// Adds a channel (admin). The target is validated; secrets are never shown again.
    pub async fn add_channel(&self, principal: &Principal, input: NewChannel) -> AppResult<channels::Model> {
        principal.require_admin()?;
        let target = ChannelTarget::parse(input.kind, input.target.trim(), input.secret.as_deref().map(str::trim).filter(|secret| !secret.is_empty()))
            .map_err(|error| AppError::bad_input(error.field, error.message))?;
        let events = match input.events {
            None => None,
            Some(events) => {
                let known = known_events();
                let unknown: Vec<&String> = events.iter().filter(|event| !known.contains(event)).collect();
                if !unknown.is_empty() {
                    return Err(AppError::bad_input("events", format!("unknown events {unknown:?}; known: {}", known.join(", "))));
                }
                Some(json!(events))
            }
        };
        let name = input.name.map(|name| name.trim().to_string()).filter(|name| !name.is_empty()).unwrap_or_else(|| target.display_safe());
        if name.chars().count() > 100 {
            return Err(AppError::bad_input("name", "must be at most 100 characters"));
        }
        let now = self.now();
        let row = channels::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            kind: input.kind.as_str().to_string(),
            name,
            target: input.target.trim().to_string(),
            secret: input.secret.map(|secret| secret.trim().to_string()).filter(|secret| !secret.is_empty()),
            events,
            created_by: principal.actor.id(),
            created_at: now,
            removed_at: None,
        };
        let txn = self.db.begin().await?;
        repo::insert_channel(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("channel.add", "channel", row.id, channel_json(&row))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// The org's channels (admin).
    pub async fn channels(&self, principal: &Principal) -> AppResult<Vec<channels::Model>> {
        principal.require_admin()?;
        Ok(repo::active_channels(&self.db, principal.org_id).await?)
    }

    /// The org's channels any member may pick for their preferences.
    pub async fn channel_choices(&self, principal: &Principal) -> AppResult<Vec<channels::Model>> {
        Ok(repo::active_channels(&self.db, principal.org_id).await?)
    }

    /// Removes a channel (admin); what still waited for it is dead-lettered.
    pub async fn remove_channel(&self, principal: &Principal, id: Uuid) -> AppResult<bool> {
        principal.require_admin()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let channel = repo::find_channel(&txn, principal.org_id, id)
            .await?
            .filter(|channel| channel.removed_at.is_none())
            .ok_or(AppError::NotFound("channel"))?;
        repo::remove_channel(&txn, principal.org_id, id, now).await?;
        audit::record(&txn, principal, now, Change { action: "channel.remove", entity_type: "channel", entity_id: Some(id), before: Some(channel_json(&channel)), after: None }).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Queues a test message to a channel (admin) and returns its delivery.
    pub async fn test_channel(&self, principal: &Principal, id: Uuid) -> AppResult<outbox::Model> {
        principal.require_admin()?;
        let channel = repo::find_channel(&self.db, principal.org_id, id)
            .await?
            .filter(|channel| channel.removed_at.is_none())
            .ok_or(AppError::NotFound("channel"))?;
        let now = self.now();
        let message = Message {
            id: Uuid::now_v7(),
            event: "channel.test".into(),
            occurred_at: now,
            org_id: channel.org_id,
            title: "Dealdesk 测试消息 / test message".into(),
            markdown: "#### Dealdesk 测试消息\n\n通道配置成功。The channel works.".into(),
            text: "Dealdesk 测试消息：通道配置成功。The channel works.".into(),
            html: Some("<h3>Dealdesk 测试消息</h3><p>通道配置成功。The channel works.</p>".into()),
            data: json!({ "channelId": channel.id }),
        };
        let row = outbox_row(&channel, &message, Utc::now());
        repo::enqueue(&self.db, vec![row.clone()]).await?;
        Ok(row)
    }

    /// Sets which alert kinds the caller receives through a channel (empty: none).
    pub async fn set_notification_preference(&self, principal: &Principal, channel_id: Uuid, kinds: Vec<AlertKind>) -> AppResult<notification_prefs::Model> {
        let user = principal.user_id()?;
        repo::find_channel(&self.db, principal.org_id, channel_id)
            .await?
            .filter(|channel| channel.removed_at.is_none())
            .ok_or_else(|| AppError::bad_input("channelId", "no such channel in this organization"))?;
        let now = self.now();
        let row = notification_prefs::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            user_id: user.into_uuid(),
            channel_id,
            kinds: json!(kinds.iter().map(|kind| kind.as_str()).collect::<Vec<_>>()),
            updated_at: now,
        };
        let txn = self.db.begin().await?;
        repo::upsert_pref(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("notification_pref.set", "channel", channel_id, json!({ "kinds": row.kinds }))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// The caller's preferences.
    pub async fn notification_preferences(&self, principal: &Principal) -> AppResult<Vec<notification_prefs::Model>> {
        let user = principal.user_id()?;
        Ok(repo::prefs_of(&self.db, principal.org_id, &[user.into_uuid()]).await?)
    }

    /// Queues alerts for their org's subscribed channels and their
    /// recipients' chosen channels, in the caller's transaction: each org's
    /// channels and the recipients' preferences are read once for the whole
    /// batch, and the messages go out in multi-row inserts.
    pub(crate) async fn enqueue_alerts<C: ConnectionTrait>(&self, conn: &C, raised: &[(alerts::Model, Vec<Uuid>)], event: &str) -> AppResult<usize> {
        let orgs: std::collections::BTreeSet<Uuid> = raised.iter().map(|(alert, _)| alert.org_id).collect();
        let wall = Utc::now();
        let mut rows: Vec<outbox::Model> = Vec::new();
        for org_id in orgs {
            let org = OrgId::from_uuid(org_id);
            let channels = repo::active_channels(conn, org).await?;
            if channels.is_empty() {
                continue;
            }
            let mut people: Vec<Uuid> = raised.iter().filter(|(alert, _)| alert.org_id == org_id).flat_map(|(_, recipients)| recipients.iter().copied()).collect();
            people.sort();
            people.dedup();
            let prefs = repo::prefs_of(conn, org, &people).await?;
            for (alert, recipients) in raised.iter().filter(|(alert, _)| alert.org_id == org_id) {
                let kind_event = format!("alert.{}", alert.kind);
                let wanted = |channel: &channels::Model| {
                    let group = matches!(ChannelKind::parse(&channel.kind), Some(ChannelKind::DingTalk | ChannelKind::WeCom | ChannelKind::Webhook))
                        && subscribed(&channel.events, &kind_event);
                    let personal = prefs.iter().any(|pref| {
                        pref.channel_id == channel.id
                            && recipients.contains(&pref.user_id)
                            && pref.kinds.as_array().is_some_and(|kinds| kinds.iter().any(|kind| kind.as_str() == Some(alert.kind.as_str())))
                    });
                    group || personal
                };
                let message = alert_message(alert, recipients, event);
                rows.extend(channels.iter().filter(|channel| wanted(channel)).map(|channel| outbox_row(channel, &message, wall)));
            }
        }
        let count = rows.len();
        repo::enqueue(conn, rows).await?;
        Ok(count)
    }

    /// Queues an escalated alert for the newly added recipients' chosen channels only.
    pub(crate) async fn enqueue_escalation<C: ConnectionTrait>(&self, conn: &C, alert: &alerts::Model, added: &[Uuid]) -> AppResult<usize> {
        if added.is_empty() {
            return Ok(0);
        }
        let org = OrgId::from_uuid(alert.org_id);
        let prefs = repo::prefs_of(conn, org, added).await?;
        let channels = repo::active_channels(conn, org).await?;
        let message = alert_message(alert, added, "alert.escalated");
        let wall = Utc::now();
        let rows: Vec<outbox::Model> = channels
            .iter()
            .filter(|channel| {
                prefs.iter().any(|pref| {
                    pref.channel_id == channel.id
                        && pref.kinds.as_array().is_some_and(|kinds| kinds.iter().any(|kind| kind.as_str() == Some(alert.kind.as_str())))
                })
            })
            .map(|channel| outbox_row(channel, &message, wall))
            .collect();
        let count = rows.len();
        repo::enqueue(conn, rows).await?;
        Ok(count)
    }

    /// Queues a domain event (e.g. `customer.risk_red`) for the webhook channels subscribed to it, in the caller's transaction.
    pub(crate) async fn enqueue_event<C: ConnectionTrait>(&self, conn: &C, org: OrgId, event: &str, data: serde_json::Value, now: DateTime<Utc>) -> AppResult<usize> {
        let channels = repo::active_channels(conn, org).await?;
        let message = Message {
            id: Uuid::now_v7(),
            event: event.to_string(),
            occurred_at: now,
            org_id: org.into_uuid(),
            title: format!("Dealdesk {event}"),
            markdown: format!("#### Dealdesk {event}"),
            text: format!("Dealdesk {event}"),
            html: None,
            data,
        };
        let wall = Utc::now();
        let rows: Vec<outbox::Model> = channels
            .iter()
            .filter(|channel| ChannelKind::parse(&channel.kind) == Some(ChannelKind::Webhook) && subscribed(&channel.events, event))
            .map(|channel| outbox_row(channel, &message, wall))
            .collect();
        let count = rows.len();
        repo::enqueue(conn, rows).await?;
        Ok(count)
    }

    /// Sends what is due, once per message across all processes; returns how
    /// many were claimed.
    ///
    /// One statement claims a batch; sends run [`DISPATCH_CONCURRENCY`] at a
    /// time, and their outcomes are recorded as they come in, up to
    /// [`RECORD_CHUNK`] per transaction. A send starts only within
    /// [`DISPATCH_START_WINDOW_SECONDS`] of the claim, so the lease always
    /// covers it; a message not started by then is given back untouched
    /// for the next pass, so a slow batch never lets another process send
    /// a message this one may still be sending.
    #[tracing::instrument(skip_all, fields(instance = %self.instance))]
    pub async fn dispatch_outbox(&self) -> AppResult<usize> {
        let wall = Utc::now();
        // Held for longer than any send can take (an email may take six timeouts),
        // so a live holder is never raced, and a dead one's messages come back soon.
        let longest_send = Duration::from_std(self.config.notify.timeout * 6).unwrap_or(Duration::minutes(1));
        let start_by = wall + Duration::seconds(DISPATCH_START_WINDOW_SECONDS);
        let lease_until = start_by + longest_send + Duration::seconds(DISPATCH_LEASE_SLACK_SECONDS);
        let claimed = repo::claim_due(&self.db, &self.instance, wall, lease_until, DISPATCH_BATCH).await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let mut channels = Vec::new();
        for org in claimed.iter().map(|message| message.org_id).collect::<std::collections::BTreeSet<_>>() {
            let ids: Vec<Uuid> = claimed.iter().filter(|message| message.org_id == org).map(|message| message.channel_id).collect();
            channels.extend(repo::find_channels(&self.db, OrgId::from_uuid(org), &ids).await?);
        }
        let claimed_count = claimed.len();
        let channels = &channels;
        let mut outcomes = stream::iter(claimed)
            .map(|row| async move {
                // Too late to start a send the lease may not cover: give it back.
                if Utc::now() > start_by {
                    return (row, None);
                }
                let channel = channels.iter().find(|channel| channel.id == row.channel_id);
                let outcome = self.send_one(&row, channel).await;
                (row, Some(outcome))
            })
            .buffer_unordered(DISPATCH_CONCURRENCY)
            .ready_chunks(RECORD_CHUNK);
        while let Some(chunk) = outcomes.next().await {
            let at = Utc::now();
            let mut attempts = Vec::new();
            let mut released = Vec::new();
            for (row, outcome) in chunk {
                match outcome {
                    Some(outcome) => attempts.push(self.attempt_of(row, outcome, at)),
                    None => released.push(row.id),
                }
            }
            let txn = self.db.begin().await?;
            repo::record_attempts(&txn, &self.instance, &attempts).await?;
            repo::release(&txn, &released, &self.instance).await?;
            txn.commit().await?;
        }
        Ok(claimed_count)
    }

    /// Sends one claimed message through its channel (or to its direct
    /// email recipients) and reports the outcome.
    async fn send_one(&self, row: &outbox::Model, channel: Option<&channels::Model>) -> Outcome {
        match channel {
            _ if row.channel_id == DIRECT_EMAIL => {
                let to: Vec<&str> = row.payload.get("to").and_then(serde_json::Value::as_array).map(|to| to.iter().filter_map(serde_json::Value::as_str).collect()).unwrap_or_default();
                match ChannelTarget::parse(ChannelKind::Email, &to.join(","), None) {
                    Ok(target) => self.sender.send(&target, &message_from(row), Utc::now()).await,
                    Err(error) => Outcome::Failed { error: error.to_string() },
                }
            }
            Some(channel) if channel.removed_at.is_none() => {
                match ChannelKind::parse(&channel.kind)
                    .ok_or_else(|| format!("unknown channel kind {}", channel.kind))
                    .and_then(|kind| ChannelTarget::parse(kind, &channel.target, channel.secret.as_deref()).map_err(|error| error.to_string()))
                {
                    Ok(target) => self.sender.send(&target, &message_from(row), Utc::now()).await,
                    Err(error) => Outcome::Failed { error },
                }
            }
            _ => Outcome::Failed { error: "the channel was removed".into() },
        }
    }

    /// What an outcome means for the message: sent, retried later with
    /// back-off and jitter, or dead-lettered.
    fn attempt_of(&self, row: outbox::Model, outcome: Outcome, at: DateTime<Utc>) -> repo::Attempt {
        let attempts = row.attempts + 1;
        let (label, detail, status, next) = match outcome {
            Outcome::Delivered { detail } => ("DELIVERED", Some(detail), SENT, at),
            Outcome::Retry { error, retry_after } if attempts < self.config.max_delivery_attempts => {
                let jitter: f64 = rand::thread_rng().gen();
                let wait = retry_delay(attempts, jitter, retry_after.and_then(|wait| Duration::from_std(wait).ok()));
                ("RETRY", Some(error), PENDING, at + wait)
            }
            Outcome::Retry { error, .. } => ("RETRY", Some(format!("{error} (gave up after {attempts} attempts)")), DEAD, at),
            Outcome::Failed { error } => ("FAILED", Some(error), DEAD, at),
        };
        repo::Attempt { message: row, outcome: label, detail, status, next_attempt_at: next, at }
    }

    /// The delivery log (admin), newest first, with every attempt.
    pub async fn deliveries(&self, principal: &Principal, status: Option<String>, channel_id: Option<Uuid>, page: PageRequest) -> AppResult<Page<DeliveryView>> {
        principal.require_admin()?;
        if let Some(status) = &status {
            if ![PENDING, SENT, DEAD].contains(&status.as_str()) {
                return Err(AppError::bad_input("status", "must be PENDING, SENT or DEAD"));
            }
        }
        let (rows, total) = repo::deliveries(&self.db, principal.org_id, &DeliveryQuery { status, channel_id }, &page.to_keyset()).await?;
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let attempts = repo::attempts_of(&self.db, principal.org_id, &ids).await?;
        Ok(Page::from_rows(rows, total, &page, |row| (row.created_at, row.id)).map(|message| DeliveryView {
            attempts: attempts.iter().filter(|attempt| attempt.outbox_id == message.id).cloned().collect(),
            message,
        }))
    }

    /// Re-queues a dead-lettered delivery (admin).
    pub async fn redrive_delivery(&self, principal: &Principal, id: Uuid) -> AppResult<DeliveryView> {
        principal.require_role(&[Role::Admin])?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let message = repo::find(&txn, principal.org_id, id).await?.ok_or(AppError::NotFound("delivery"))?;
        if message.status != DEAD {
            return Err(AppError::InvalidTransition(format!("only dead-lettered deliveries can be re-driven; this one is {}", message.status)));
        }
        repo::redrive(&txn, principal.org_id, id, Utc::now()).await?;
        audit::record(&txn, principal, now, Change::updated("delivery.redrive", "delivery", id, json!({ "status": DEAD }), json!({ "status": PENDING }))).await?;
        let message = repo::find(&txn, principal.org_id, id).await?.ok_or(AppError::NotFound("delivery"))?;
        let attempts = repo::attempts_of(&txn, principal.org_id, &[id]).await?;
        txn.commit().await?;
        Ok(DeliveryView { message, attempts })
    }
}
