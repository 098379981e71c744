//! The POST shared by the DingTalk, WeCom and webhook channels: one request
//! with the sender's timeout, the status rules of [`crate::outcome`], and
//! error text that never carries the URL.

use std::error::Error as _;

use chrono::{DateTime, Utc};
use reqwest::header::RETRY_AFTER;
use reqwest::RequestBuilder;

use crate::outcome::{self, Outcome};

/// How much of a response body is read: enough for any robot reply, bounded
/// so a misbehaving receiver cannot make us buffer megabytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

/// How much of a response body is quoted in an error.
const MAX_QUOTED_CHARS: usize = 300;

/// A 2xx answer, whose body the robot channels still have to check.
pub(crate) struct Success {
    /// The status, for the delivery log.
    pub(crate) status: u16,
    /// The body, at most [`MAX_BODY_BYTES`], decoded lossily.
    pub(crate) body: String,
}

/// Sends the request; a 2xx comes back as [`Success`], anything else already
/// decided as an [`Outcome`]. `label` names the receiver in error text
/// ("dingtalk", "webhook").
pub(crate) async fn post(
    request: RequestBuilder,
    label: &str,
    now: DateTime<Utc>,
) -> Result<Success, Outcome> {
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => return Err(Outcome::retry(describe_request_error(label, error))),
    };
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = read_body(&mut response).await;
    if response.status().is_success() {
        return match body {
            Ok(body) => Ok(Success { status, body }),
            Err(error) => Err(Outcome::retry(format!(
                "{label} answered http {status} but the body broke off: {error}"
            ))),
        };
    }
    let quoted = body.map(|body| quote(&body)).unwrap_or_default();
    let error = if quoted.is_empty() {
        format!("{label} answered http {status}")
    } else {
        format!("{label} answered http {status}: {quoted}")
    };
    Err(outcome::for_http_error(
        status,
        retry_after.as_deref(),
        error,
        now,
    ))
}

/// Shortens a response body for an error message, on a character boundary.
pub(crate) fn quote(body: &str) -> String {
    let body = body.trim();
    match body.char_indices().nth(MAX_QUOTED_CHARS) {
        Some((cut, _)) => format!("{}…", &body[..cut]),
        None => body.to_owned(),
    }
}

/// Secrets shorter than this are not searched for: replacing a two-letter
/// string would mangle the message, and [`crate::ChannelTarget::parse`]
/// refuses such short secrets anyway.
pub(crate) const MIN_REDACTED_LENGTH: usize = 8;

/// Removes every occurrence of the given secrets from an error text, as a
/// last guard in case a receiver or a library echoes them.
pub(crate) fn redact(text: String, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|secret| secret.len() >= MIN_REDACTED_LENGTH)
        .fold(text, |text, secret| text.replace(secret, "[redacted]"))
}

/// The query values of a target URL (robot `access_token`, WeCom `key`, a
/// webhook's token), which are credentials and must be redacted too.
pub(crate) fn query_values(url: &url::Url) -> Vec<String> {
    url.query_pairs()
        .map(|(_, value)| value.into_owned())
        .collect()
}

async fn read_body(response: &mut reqwest::Response) -> Result<String, String> {
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = MAX_BODY_BYTES.saturating_sub(bytes.len());
                bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if bytes.len() >= MAX_BODY_BYTES {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => return Err(error_chain(&error.without_url())),
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// reqwest's message names the URL (and with it a robot token or a `sign`);
/// drop it and say what went wrong, with the underlying causes.
fn describe_request_error(label: &str, error: reqwest::Error) -> String {
    let error = error.without_url();
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not be reached"
    } else {
        "request failed"
    };
    format!("{label} {what}: {}", error_chain(&error))
}

fn error_chain(error: &reqwest::Error) -> String {
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
    use super::*;

    #[test]
    fn quotes_are_bounded_and_redaction_removes_secrets() {
        let long = "错".repeat(MAX_QUOTED_CHARS + 10);
        let quoted = quote(&long);
        assert_eq!(quoted.chars().count(), MAX_QUOTED_CHARS + 1);
        assert_eq!(quote("  short  "), "short");
        assert_eq!(
            redact(
                "sign=abcdefgh and SEC1SEC1SEC1 here, ok".into(),
                &["abcdefgh", "SEC1SEC1SEC1", "", "ok"]
            ),
            "sign=[redacted] and [redacted] here, ok"
        );
    }
}
