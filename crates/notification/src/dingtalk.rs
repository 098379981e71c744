//! DingTalk group robots (钉钉自定义机器人): a markdown message, the URL
//! signed with `timestamp` and `sign` when the robot has a secret.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::json;
use url::Url;

use crate::http;
use crate::message::Message;
use crate::outcome::Outcome;
use crate::secret::Secret;
use crate::sender::Channel;
use crate::sign::dingtalk_sign;
use crate::target::ChannelKind;

/// DingTalk error codes that mean "slow down" rather than "this will never
/// work": 130101 send too fast, 130102 and 410100 over the per-minute limit,
/// -1 system busy.
const RETRYABLE_ERRCODES: [i64; 4] = [130_101, 130_102, 410_100, -1];

/// Sends to one DingTalk robot.
pub struct DingTalkChannel {
    http: reqwest::Client,
    url: Url,
    secret: Option<Secret>,
}

impl DingTalkChannel {
    pub(crate) fn new(http: reqwest::Client, url: Url, secret: Option<Secret>) -> Self {
        Self { http, url, secret }
    }

    /// The URL with `timestamp` (ms since the epoch) and the URL-encoded
    /// `sign` appended when a secret is set; any stale pair is replaced.
    fn signed_url(&self, now: DateTime<Utc>) -> (Url, Option<String>) {
        let Some(secret) = &self.secret else {
            return (self.url.clone(), None);
        };
        let timestamp = now.timestamp_millis();
        let sign = dingtalk_sign(secret.expose(), timestamp);
        let mut url = self.url.clone();
        let kept: Vec<(String, String)> = self
            .url
            .query_pairs()
            .filter(|(name, _)| name != "timestamp" && name != "sign")
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("timestamp", &timestamp.to_string())
            .append_pair("sign", &sign);
        (url, Some(sign))
    }
}

#[async_trait]
impl Channel for DingTalkChannel {
    fn kind(&self) -> ChannelKind {
        ChannelKind::DingTalk
    }

    async fn send(&self, message: &Message, now: DateTime<Utc>) -> Outcome {
        let (url, sign) = self.signed_url(now);
        let body = json!({
            "msgtype": "markdown",
            "markdown": { "title": message.title, "text": message.markdown },
        });
        let request = self.http.post(url).json(&body);
        let outcome = match http::post(request, "dingtalk", now).await {
            Ok(success) => robot_outcome(success.status, &success.body),
            Err(outcome) => outcome,
        };
        let sign = sign.unwrap_or_default();
        let encoded_sign: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
        let query = http::query_values(&self.url);
        let mut secrets: Vec<&str> = query.iter().map(String::as_str).collect();
        secrets.extend([
            self.secret.as_ref().map(Secret::expose).unwrap_or_default(),
            &sign,
            &encoded_sign,
        ]);
        redact_outcome(outcome, &secrets)
    }
}

/// Reads DingTalk's `{"errcode":0,"errmsg":"ok"}`: DingTalk answers 200 even
/// when it refuses a message, so the errcode decides.
fn robot_outcome(status: u16, body: &str) -> Outcome {
    let Ok(reply) = serde_json::from_str::<serde_json::Value>(body) else {
        return Outcome::failed(format!(
            "dingtalk answered http {status} without a json reply: {}",
            http::quote(body)
        ));
    };
    let Some(errcode) = reply.get("errcode").and_then(serde_json::Value::as_i64) else {
        return Outcome::failed(format!(
            "dingtalk answered http {status} without an errcode: {}",
            http::quote(body)
        ));
    };
    let errmsg = reply
        .get("errmsg")
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default();
    if errcode == 0 {
        return Outcome::Delivered {
            detail: format!("dingtalk accepted the message (http {status}, errcode 0)"),
        };
    }
    let error = format!(
        "dingtalk refused the message: errcode {errcode}: {}",
        http::quote(errmsg)
    );
    let lowered = errmsg.to_lowercase();
    if RETRYABLE_ERRCODES.contains(&errcode)
        || ["too fast", "too many", "busy", "frequency"]
            .iter()
            .any(|hint| lowered.contains(hint))
    {
        Outcome::retry(error)
    } else {
        Outcome::failed(error)
    }
}

pub(crate) fn redact_outcome(outcome: Outcome, secrets: &[&str]) -> Outcome {
    match outcome {
        Outcome::Retry { error, retry_after } => Outcome::Retry {
            error: http::redact(error, secrets),
            retry_after,
        },
        Outcome::Failed { error } => Outcome::Failed {
            error: http::redact(error, secrets),
        },
        delivered @ Outcome::Delivered { .. } => delivered,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn check(body: &str, expect: &str) {
        let outcome = robot_outcome(200, body);
        let shown = match &outcome {
            Outcome::Delivered { .. } => "delivered",
            Outcome::Retry { .. } => "retry",
            Outcome::Failed { .. } => "failed",
        };
        assert_eq!(shown, expect, "{body}: {outcome:?}");
    }

    #[test]
    fn errcodes_decide_the_outcome() {
        check(r#"{"errcode":0,"errmsg":"ok"}"#, "delivered");
        check(r#"{"errcode":130101,"errmsg":"send too fast"}"#, "retry");
        check(
            r#"{"errcode":410100,"errmsg":"send too fast, exceed 20 times per minute"}"#,
            "retry",
        );
        check(r#"{"errcode":-1,"errmsg":"系统繁忙"}"#, "retry");
        check(
            r#"{"errcode":660026,"errmsg":"too many requests"}"#,
            "retry",
        );
        check(r#"{"errcode":310000,"errmsg":"sign not match"}"#, "failed");
        check(
            r#"{"errcode":300001,"errmsg":"token is not exist"}"#,
            "failed",
        );
        check("<html>proxy</html>", "failed");
        check(r#"{"ok":true}"#, "failed");
    }

    #[test]
    fn signing_appends_timestamp_and_encoded_sign() {
        let url = Url::parse("https://oapi.dingtalk.com/robot/send?access_token=abc&sign=stale")
            .expect("valid url");
        let channel =
            DingTalkChannel::new(reqwest::Client::new(), url, Some(Secret::new("SEC000")));
        let now = Utc
            .timestamp_millis_opt(1_700_000_000_000)
            .single()
            .expect("valid time");
        let (signed, sign) = channel.signed_url(now);
        assert_eq!(
            sign.as_deref(),
            Some("ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA=")
        );
        assert_eq!(
            signed.as_str(),
            "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000\
             &sign=ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D"
        );
    }
}
