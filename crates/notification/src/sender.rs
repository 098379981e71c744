//! The [`Sender`] the dispatcher holds for the life of the process, and the
//! [`Channel`] trait each kind implements.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use tracing::Instrument as _;

use crate::dingtalk::DingTalkChannel;
use crate::email::{EmailChannel, SmtpSetup};
use crate::message::Message;
use crate::outcome::Outcome;
use crate::target::{ChannelKind, ChannelTarget};
use crate::webhook::WebhookChannel;
use crate::wecom::WeComChannel;

/// How long one request (or one SMTP command) may take unless configured
/// otherwise: long enough for a slow robot, short enough that a hung receiver
/// does not hold a dispatcher slot.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// A channel: render and send one message.
///
/// Implemented once per [`ChannelKind`]; obtained from [`Sender::channel`] so
/// the dispatcher and the "send a test message" action treat all kinds alike.
#[async_trait]
pub trait Channel: Send + Sync {
    /// Which kind this channel is, for logs and the delivery record.
    fn kind(&self) -> ChannelKind;

    /// Makes one attempt. `now` is the send time (it goes into signatures
    /// and timestamps), passed in so tests and the test clock control it.
    async fn send(&self, message: &Message, now: DateTime<Utc>) -> Outcome;
}

/// Settings shared by all sends, read from the environment by `server`.
#[derive(Clone)]
pub struct SenderConfig {
    /// Per request (HTTP) or per SMTP command; a receiver slower than this is
    /// retried later.
    pub timeout: Duration,
    /// `DEALDESK_SMTP_URL` in lettre's connection-URL form: `smtp://host:port`
    /// (plain, for local sinks), `smtp://…?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`. `None` disables email channels.
    pub smtp_url: Option<String>,
    /// `DEALDESK_MAIL_FROM`, e.g. `Dealdesk <noreply@example.com>`; checked
    /// only when `smtp_url` is set.
    pub mail_from: String,
}

impl SenderConfig {
    /// A configuration with the [`DEFAULT_TIMEOUT`]; SMTP is a deployment
    /// decision, so it has no default.
    pub fn new(smtp_url: Option<String>, mail_from: impl Into<String>) -> Self {
        Self {
            timeout: DEFAULT_TIMEOUT,
            smtp_url,
            mail_from: mail_from.into(),
        }
    }
}

/// Redacts the SMTP password, which lives in the URL.
impl fmt::Debug for SenderConfig {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("SenderConfig")
            .field("timeout", &self.timeout)
            .field("smtp_url", &self.smtp_url.as_deref().map(redact_smtp_url))
            .field("mail_from", &self.mail_from)
            .finish()
    }
}

/// Why a [`Sender`] could not be built: a configuration mistake to report at
/// start-up, not at the first send.
#[derive(Debug, thiserror::Error)]
pub enum SenderError {
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the http client: {0}")]
    HttpClient(String),
    /// `DEALDESK_SMTP_URL` is not a usable SMTP connection URL.
    #[error("smtp url (DEALDESK_SMTP_URL) is not valid: {0}")]
    SmtpUrl(String),
    /// `DEALDESK_MAIL_FROM` is not a mailbox.
    #[error("sender address (DEALDESK_MAIL_FROM) is not a valid mailbox: {0}")]
    MailFrom(String),
}

/// Sends messages; cheap to clone; holds the reqwest client and the SMTP transport.
#[derive(Clone)]
pub struct Sender {
    http: reqwest::Client,
    smtp: Option<Arc<SmtpSetup>>,
    timeout: Duration,
}

impl fmt::Debug for Sender {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Sender")
            .field("timeout", &self.timeout)
            .field("email_configured", &self.smtp.is_some())
            .finish_non_exhaustive()
    }
}

impl Sender {
    /// Builds the shared HTTP client (no redirects: a signed POST is not
    /// replayed to another host) and, when configured, the SMTP transport.
    pub fn new(config: SenderConfig) -> Result<Self, SenderError> {
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dealdesk-notification/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| SenderError::HttpClient(error.without_url().to_string()))?;
        let smtp = match config
            .smtp_url
            .as_deref()
            .map(str::trim)
            .filter(|url| !url.is_empty())
        {
            None => None,
            Some(url) => {
                let transport: AsyncSmtpTransport<Tokio1Executor> =
                    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                        .map_err(|error| SenderError::SmtpUrl(error.to_string()))?
                        .timeout(Some(config.timeout))
                        .build();
                let from: Mailbox = config.mail_from.trim().parse().map_err(
                    |error: lettre::address::AddressError| SenderError::MailFrom(error.to_string()),
                )?;
                Some(Arc::new(SmtpSetup { transport, from }))
            }
        };
        Ok(Self {
            http,
            smtp,
            timeout: config.timeout,
        })
    }

    /// Whether email channels can send, so the API can warn when an
    /// administrator adds one on a server without SMTP.
    pub fn email_configured(&self) -> bool {
        self.smtp.is_some()
    }

    /// The channel for a target, sharing this sender's client and transport.
    pub fn channel(&self, target: &ChannelTarget) -> Box<dyn Channel> {
        match target {
            ChannelTarget::DingTalk { url, secret } => Box::new(DingTalkChannel::new(
                self.http.clone(),
                url.clone(),
                secret.clone(),
            )),
            ChannelTarget::WeCom { url } => {
                Box::new(WeComChannel::new(self.http.clone(), url.clone()))
            }
            ChannelTarget::Email { to } => Box::new(EmailChannel::new(
                self.smtp.clone(),
                to.clone(),
                self.timeout,
            )),
            ChannelTarget::Webhook { url, secret } => Box::new(WebhookChannel::new(
                self.http.clone(),
                url.clone(),
                secret.clone(),
            )),
        }
    }

    /// Makes one attempt to deliver `message` to `target` and logs the
    /// outcome (kind, message id and result; never the URL or a secret).
    pub async fn send(
        &self,
        target: &ChannelTarget,
        message: &Message,
        now: DateTime<Utc>,
    ) -> Outcome {
        let channel = self.channel(target);
        let span = tracing::info_span!(
            "notification.send",
            kind = channel.kind().as_str(),
            message_id = %message.id,
            org_id = %message.org_id,
            event = %message.event,
        );
        async move {
            let outcome = channel.send(message, now).await;
            match &outcome {
                Outcome::Delivered { detail } => {
                    tracing::info!(detail = %detail, "notification delivered")
                }
                Outcome::Retry { error, retry_after } => tracing::warn!(
                    error = %error,
                    retry_after_secs = retry_after.map(|after| after.as_secs()),
                    "notification will be retried"
                ),
                Outcome::Failed { error } => tracing::warn!(error = %error, "notification failed"),
            }
            outcome
        }
        .instrument(span)
        .await
    }
}

/// Replaces the password of an SMTP URL, keeping the rest readable.
fn redact_smtp_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            // Setting a password fails only for URLs that cannot have one,
            // and this one already has one.
            let _ = parsed.set_password(Some("[redacted]"));
            parsed.to_string()
        }
        Ok(parsed) => parsed.to_string(),
        Err(_) => "[unparseable]".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_debug_hides_the_smtp_password() {
        let config = SenderConfig::new(
            Some("smtps://mailer:hunter2@smtp.example.com:465".into()),
            "Dealdesk <noreply@example.com>",
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("smtp.example.com"), "{shown}");
        assert_eq!(config.timeout, DEFAULT_TIMEOUT);
    }

    #[test]
    fn bad_email_settings_are_refused_at_start_up() {
        let bad_url = Sender::new(SenderConfig::new(
            Some("http://[::1".into()),
            "a@example.com",
        ));
        assert!(
            matches!(bad_url, Err(SenderError::SmtpUrl(_))),
            "{bad_url:?}"
        );
        let bad_from = Sender::new(SenderConfig::new(
            Some("smtp://127.0.0.1:2525".into()),
            "not a mailbox",
        ));
        assert!(
            matches!(bad_from, Err(SenderError::MailFrom(_))),
            "{bad_from:?}"
        );
        let without_smtp = Sender::new(SenderConfig::new(None, "")).expect("email is optional");
        assert!(!without_smtp.email_configured());
    }
}
