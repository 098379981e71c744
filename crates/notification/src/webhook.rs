//! Generic webhooks: the event as JSON, with an idempotency key and, when a
//! secret is set, an HMAC-SHA256 signature over the timestamp and the body.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::header::CONTENT_TYPE;
use serde::Serialize;
use url::Url;

use crate::dingtalk::redact_outcome;
use crate::http;
use crate::message::Message;
use crate::outcome::Outcome;
use crate::secret::Secret;
use crate::sender::Channel;
use crate::sign::webhook_signature;
use crate::target::ChannelKind;

/// The exact JSON body POSTed for `message`:
/// `{"id","event","occurredAt","orgId","data"}` with `occurredAt` in RFC 3339.
///
/// Public so that the API can show receivers a sample and tests can rebuild
/// the signed bytes.
pub fn webhook_body(message: &Message) -> String {
    let body = WebhookBody {
        id: message.id.to_string(),
        event: &message.event,
        occurred_at: message
            .occurred_at
            .to_rfc3339_opts(SecondsFormat::AutoSi, true),
        org_id: message.org_id.to_string(),
        data: &message.data,
    };
    // Serializing strings and an already-valid JSON value cannot fail; the
    // fallback keeps the signature consistent with what is sent.
    serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_owned())
}

/// Sends to one webhook endpoint.
pub struct WebhookChannel {
    http: reqwest::Client,
    url: Url,
    secret: Option<Secret>,
}

impl WebhookChannel {
    pub(crate) fn new(http: reqwest::Client, url: Url, secret: Option<Secret>) -> Self {
        Self { http, url, secret }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WebhookBody<'a> {
    id: String,
    event: &'a str,
    occurred_at: String,
    org_id: String,
    data: &'a serde_json::Value,
}

#[async_trait]
impl Channel for WebhookChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Webhook
    }

    async fn send(&self, message: &Message, now: DateTime<Utc>) -> Outcome {
        let body = webhook_body(message);
        let timestamp = now.timestamp();
        let id = message.id.to_string();
        let mut request = self
            .http
            .post(self.url.clone())
            .header(CONTENT_TYPE, "application/json")
            .header("Idempotency-Key", &id)
            .header("X-Dealdesk-Event", &message.event)
            .header("X-Dealdesk-Id", &id)
            .header("X-Dealdesk-Timestamp", timestamp.to_string());
        if let Some(secret) = &self.secret {
            request = request.header(
                "X-Dealdesk-Signature",
                webhook_signature(secret.expose(), timestamp, &body),
            );
        }
        let outcome = match http::post(request.body(body), "webhook", now).await {
            Ok(success) => Outcome::Delivered {
                detail: format!("webhook answered http {}", success.status),
            },
            Err(outcome) => outcome,
        };
        let query = http::query_values(&self.url);
        let mut secrets: Vec<&str> = query.iter().map(String::as_str).collect();
        secrets.push(self.secret.as_ref().map(Secret::expose).unwrap_or_default());
        redact_outcome(outcome, &secrets)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn body_has_the_documented_fields() {
        let message = Message {
            id: Uuid::nil(),
            event: "alert.raised".into(),
            occurred_at: Utc
                .with_ymd_and_hms(2024, 3, 1, 8, 0, 0)
                .single()
                .expect("valid time"),
            org_id: Uuid::max(),
            title: "t".into(),
            markdown: "m".into(),
            text: "x".into(),
            html: None,
            data: serde_json::json!({"dealId": "d1"}),
        };
        assert_eq!(
            webhook_body(&message),
            r#"{"id":"00000000-0000-0000-0000-000000000000","event":"alert.raised","occurredAt":"2024-03-01T08:00:00Z","orgId":"ffffffff-ffff-ffff-ffff-ffffffffffff","data":{"dealId":"d1"}}"#
        );
    }
}
