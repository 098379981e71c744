//! Notification channels: render one message and send it through a DingTalk
//! group robot, a WeCom group robot, email (SMTP) or a generic signed
//! webhook, and report what happened as an [`Outcome`].
//!
//! This crate knows nothing of the database. The outbox dispatcher in `app`
//! claims a delivery, calls [`Sender::send`] once per attempt, and decides from
//! the [`Outcome`] whether to record success, schedule a retry (honouring
//! [`Outcome::Retry::retry_after`](Outcome::Retry)) or dead-letter. Every
//! message carries its id as an idempotency key so receivers can drop the
//! duplicates that at-least-once delivery produces.
//!
//! Modules:
//! - `secret` — [`Secret`], a string whose `Debug` never shows its value.
//! - `message` — [`Message`], the one message handed to a channel.
//! - `target` — [`ChannelKind`], [`ChannelTarget`] and their validation.
//! - `outcome` — [`Outcome`] of one attempt and the HTTP status rules.
//! - `sign` — [`dingtalk_sign`] and [`webhook_signature`], the two HMAC schemes.
//! - `sender` — [`Sender`], [`SenderConfig`] and the [`Channel`] trait.
//! - `http` — the POST shared by the HTTP channels and its error wording.
//! - `dingtalk`, `wecom`, `webhook`, `email` — one [`Channel`] per kind.

#![forbid(unsafe_code)]

mod dingtalk;
mod email;
mod http;
mod message;
mod outcome;
mod secret;
mod sender;
mod sign;
mod target;
mod webhook;
mod wecom;

pub use dingtalk::DingTalkChannel;
pub use email::EmailChannel;
pub use message::Message;
pub use outcome::Outcome;
pub use secret::Secret;
pub use sender::{Channel, Sender, SenderConfig, SenderError, DEFAULT_TIMEOUT};
pub use sign::{dingtalk_sign, webhook_signature};
pub use target::{ChannelKind, ChannelTarget, TargetError, MAX_EMAIL_RECIPIENTS};
pub use webhook::{webhook_body, WebhookChannel};
pub use wecom::WeComChannel;
