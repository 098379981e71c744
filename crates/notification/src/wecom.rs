//! WeCom group robots (企业微信群机器人): a markdown message to the robot's
//! webhook URL, whose `key` is its only credential.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use url::Url;

use crate::dingtalk::redact_outcome;
use crate::http;
use crate::message::Message;
use crate::outcome::Outcome;
use crate::sender::Channel;
use crate::target::ChannelKind;

/// WeCom error codes that mean "slow down": 45009 api freq out of limit,
/// 45033 too many concurrent calls, -1 system busy.
const RETRYABLE_ERRCODES: [i64; 3] = [45_009, 45_033, -1];

/// WeCom refuses markdown content over 4096 bytes.
const MAX_CONTENT_BYTES: usize = 4096;

/// Sends to one WeCom robot.
pub struct WeComChannel {
    http: reqwest::Client,
    url: Url,
}

impl WeComChannel {
    pub(crate) fn new(http: reqwest::Client, url: Url) -> Self {
        Self { http, url }
    }
}

#[async_trait]
impl Channel for WeComChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::WeCom
    }

    async fn send(&self, message: &Message, now: DateTime<Utc>) -> Outcome {
        let body = json!({
            "msgtype": "markdown",
            "markdown": { "content": truncate_bytes(&message.markdown, MAX_CONTENT_BYTES) },
        });
        let request = self.http.post(self.url.clone()).json(&body);
        let outcome = match http::post(request, "wecom", now).await {
            Ok(success) => robot_outcome(success.status, &success.body),
            Err(outcome) => outcome,
        };
        // The robot key is in the query; make sure no echo of it is logged.
        let query = http::query_values(&self.url);
        let secrets: Vec<&str> = query.iter().map(String::as_str).collect();
        redact_outcome(outcome, &secrets)
    }
}

/// Reads WeCom's `{"errcode":0,"errmsg":"ok"}`; like DingTalk it answers 200
/// for refusals.
fn robot_outcome(status: u16, body: &str) -> Outcome {
    let errcode = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|reply| reply.get("errcode").and_then(serde_json::Value::as_i64));
    let Some(errcode) = errcode else {
        return Outcome::failed(format!(
            "wecom answered http {status} without an errcode: {}",
            http::quote(body)
        ));
    };
    if errcode == 0 {
        return Outcome::Delivered {
            detail: format!("wecom accepted the message (http {status}, errcode 0)"),
        };
    }
    let errmsg = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|reply| {
            reply
                .get("errmsg")
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let error = format!(
        "wecom refused the message: errcode {errcode}: {}",
        http::quote(&errmsg)
    );
    if RETRYABLE_ERRCODES.contains(&errcode) {
        Outcome::retry(error)
    } else {
        Outcome::failed(error)
    }
}

/// Cuts `text` to at most `limit` bytes on a character boundary, marking the
/// cut, so a long report still arrives instead of being refused.
fn truncate_bytes(text: &str, limit: usize) -> String {
    if text.len() <= limit {
        return text.to_owned();
    }
    let marker = "…";
    let mut cut = limit.saturating_sub(marker.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{marker}", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errcodes_decide_the_outcome() {
        assert!(robot_outcome(200, r#"{"errcode":0,"errmsg":"ok"}"#).is_delivered());
        assert!(
            robot_outcome(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#).is_retry()
        );
        let failed = robot_outcome(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#);
        assert_eq!(
            failed,
            Outcome::failed("wecom refused the message: errcode 93000: invalid webhook url")
        );
        assert!(matches!(robot_outcome(200, ""), Outcome::Failed { .. }));
    }

    #[test]
    fn long_content_is_cut_on_a_character_boundary() {
        let long = "周报".repeat(2000);
        let cut = truncate_bytes(&long, MAX_CONTENT_BYTES);
        assert!(cut.len() <= MAX_CONTENT_BYTES);
        assert!(cut.ends_with('…'));
        assert_eq!(truncate_bytes("short", MAX_CONTENT_BYTES), "short");
    }
}
