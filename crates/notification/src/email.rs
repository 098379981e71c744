//! Email over SMTP with lettre: plain text and, when given, HTML as
//! `multipart/alternative`, with the message id in `Message-ID` and
//! `X-Dealdesk-Id` so a mail pipeline can drop duplicates.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::message::Message;
use crate::outcome::Outcome;
use crate::sender::Channel;
use crate::target::ChannelKind;

/// The error when no SMTP relay is configured; retrying cannot help.
pub(crate) const NOT_CONFIGURED: &str = "email is not configured: set DEALDESK_SMTP_URL";

/// A whole send (connect, greet, envelope, data) may take this many times the
/// per-command timeout before it is abandoned and retried.
const WHOLE_SEND_TIMEOUTS: u32 = 6;

/// The SMTP transport and sender address, built once by [`crate::Sender`].
pub(crate) struct SmtpSetup {
    pub(crate) transport: AsyncSmtpTransport<Tokio1Executor>,
    pub(crate) from: Mailbox,
}

/// Sends to a list of addresses through the configured relay.
pub struct EmailChannel {
    smtp: Option<Arc<SmtpSetup>>,
    to: Vec<String>,
    timeout: Duration,
}

impl EmailChannel {
    pub(crate) fn new(smtp: Option<Arc<SmtpSetup>>, to: Vec<String>, timeout: Duration) -> Self {
        Self { smtp, to, timeout }
    }
}

#[async_trait]
impl Channel for EmailChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::Email
    }

    async fn send(&self, message: &Message, now: DateTime<Utc>) -> Outcome {
        let Some(smtp) = &self.smtp else {
            return Outcome::failed(NOT_CONFIGURED);
        };
        let email = match build_email(&smtp.from, &self.to, message, now) {
            Ok(email) => email,
            Err(error) => return Outcome::failed(format!("cannot build the email: {error}")),
        };
        let whole_send = self.timeout.saturating_mul(WHOLE_SEND_TIMEOUTS);
        match tokio::time::timeout(whole_send, smtp.transport.send(email)).await {
            Err(_) => Outcome::retry(format!("smtp timed out after {} s", whole_send.as_secs())),
            Ok(Ok(response)) => Outcome::Delivered {
                detail: format!(
                    "smtp {} {}",
                    response.code(),
                    response
                        .first_line()
                        .map(crate::http::quote)
                        .unwrap_or_default()
                ),
            },
            Ok(Err(error)) => smtp_outcome(&error),
        }
    }
}

/// `X-Dealdesk-Id`: the message id, readable without parsing `Message-ID`.
#[derive(Clone)]
struct DealdeskId(String);

impl Header for DealdeskId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Dealdesk-Id")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(value.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `X-Dealdesk-Event`: the event name, for mail filters.
#[derive(Clone)]
struct DealdeskEvent(String);

impl Header for DealdeskEvent {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Dealdesk-Event")
    }

    fn parse(value: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(value.to_owned()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

fn build_email(
    from: &Mailbox,
    to: &[String],
    message: &Message,
    now: DateTime<Utc>,
) -> Result<lettre::Message, String> {
    let mut builder = lettre::Message::builder()
        .from(from.clone())
        .subject(message.title.clone())
        .date(SystemTime::from(now))
        .message_id(Some(format!("<{}@dealdesk>", message.id)))
        .header(DealdeskId(message.id.to_string()))
        .header(DealdeskEvent(header_safe(&message.event)));
    for address in to {
        let mailbox: Mailbox = address
            .parse()
            .map_err(|error| format!("recipient {address:?}: {error}"))?;
        builder = builder.to(mailbox);
    }
    let built = match &message.html {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            message.text.clone(),
            html.clone(),
        )),
        None => builder.singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(message.text.clone()),
        ),
    };
    built.map_err(|error| error.to_string())
}

/// Keeps a custom header value on one printable line.
fn header_safe(value: &str) -> String {
    value.chars().filter(|c| !c.is_control()).collect()
}

/// SMTP 4xx may pass, 5xx will not; a connection, TLS or timeout problem is
/// worth another try.
fn smtp_outcome(error: &lettre::transport::smtp::Error) -> Outcome {
    let text = error_chain(error);
    if error.is_permanent() {
        Outcome::failed(format!("smtp refused the message: {text}"))
    } else if error.is_transient() {
        Outcome::retry(format!("smtp deferred the message: {text}"))
    } else if error.is_timeout() {
        Outcome::retry(format!("smtp timed out: {text}"))
    } else {
        Outcome::retry(format!("smtp failed: {text}"))
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use uuid::Uuid;

    use super::*;

    #[test]
    fn email_carries_subject_ids_and_both_parts() {
        let message = Message {
            id: Uuid::nil(),
            event: "report.weekly".into(),
            occurred_at: Utc
                .with_ymd_and_hms(2024, 3, 1, 9, 0, 0)
                .single()
                .expect("valid time"),
            org_id: Uuid::nil(),
            title: "Weekly funnel health".into(),
            markdown: String::new(),
            text: "plain body".into(),
            html: Some("<p>html body</p>".into()),
            data: serde_json::Value::Null,
        };
        let from: Mailbox = "Dealdesk <noreply@example.com>"
            .parse()
            .expect("valid mailbox");
        let email = build_email(
            &from,
            &["a@example.com".into()],
            &message,
            message.occurred_at,
        )
        .expect("email builds");
        let raw = String::from_utf8(email.formatted()).expect("ascii email");
        assert!(raw.contains("Subject: Weekly funnel health"), "{raw}");
        assert!(
            raw.contains("Message-ID: <00000000-0000-0000-0000-000000000000@dealdesk>"),
            "{raw}"
        );
        assert!(
            raw.contains("X-Dealdesk-Id: 00000000-0000-0000-0000-000000000000"),
            "{raw}"
        );
        assert!(raw.contains("multipart/alternative"), "{raw}");
        assert!(
            raw.contains("plain body") && raw.contains("<p>html body</p>"),
            "{raw}"
        );
        assert!(raw.contains("Date: Fri, 01 Mar 2024 09:00:00"), "{raw}");
    }
}
