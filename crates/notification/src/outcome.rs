//! The result of one delivery attempt and the rules that turn an HTTP status
//! into one.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// The longest `Retry-After` honoured; a receiver asking for more is retried
/// after a day and the dispatcher's own bound decides when to give up.
pub(crate) const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// The result of one attempt, which the outbox dispatcher records and acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver accepted the message; nothing more to do.
    Delivered {
        /// What the receiver answered (status, robot reply), for the delivery log.
        detail: String,
    },
    /// The attempt failed in a way that may pass: a timeout, a refused
    /// connection, 429, 5xx, a robot's rate limit, an SMTP 4xx.
    Retry {
        /// Why, for the delivery log; never contains a secret or signed URL.
        error: String,
        /// How long the receiver asked us to wait (`Retry-After`), which the
        /// dispatcher should use instead of its back-off when it is longer.
        retry_after: Option<Duration>,
    },
    /// The attempt failed in a way retrying will not fix (4xx, bad robot
    /// token or signature, SMTP 5xx, email not configured): dead-letter it.
    Failed {
        /// Why, for the delivery log; never contains a secret or signed URL.
        error: String,
    },
}

impl Outcome {
    /// Whether the message reached the receiver.
    pub fn is_delivered(&self) -> bool {
        matches!(self, Self::Delivered { .. })
    }

    /// Whether the dispatcher should try again later.
    pub fn is_retry(&self) -> bool {
        matches!(self, Self::Retry { .. })
    }

    /// The error text of a failed or retried attempt, for the delivery log.
    pub fn error(&self) -> Option<&str> {
        match self {
            Self::Delivered { .. } => None,
            Self::Retry { error, .. } | Self::Failed { error } => Some(error),
        }
    }

    pub(crate) fn retry(error: impl Into<String>) -> Self {
        Self::Retry {
            error: error.into(),
            retry_after: None,
        }
    }

    pub(crate) fn failed(error: impl Into<String>) -> Self {
        Self::Failed {
            error: error.into(),
        }
    }
}

/// How a non-2xx HTTP status is handled: 429 and 5xx may pass, anything else
/// (other 4xx, and 1xx/3xx since redirects are not followed) will not.
pub(crate) fn for_http_error(
    status: u16,
    retry_after_header: Option<&str>,
    error: String,
    now: DateTime<Utc>,
) -> Outcome {
    if status == 429 || (500..=599).contains(&status) {
        Outcome::Retry {
            error,
            retry_after: retry_after_header.and_then(|value| parse_retry_after(value, now)),
        }
    } else {
        Outcome::Failed { error }
    }
}

/// Reads `Retry-After` as delay-seconds or as an HTTP date relative to `now`;
/// anything unreadable is ignored.
pub(crate) fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    let delay = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let at = DateTime::parse_from_rfc2822(value)
            .ok()?
            .with_timezone(&Utc);
        (at - now).to_std().unwrap_or(Duration::ZERO)
    };
    Some(delay.min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2024, 3, 1, 8, 0, 0)
            .single()
            .expect("valid time")
    }

    fn check(status: u16, retry_after: Option<&str>, expect: Outcome) {
        assert_eq!(
            for_http_error(status, retry_after, "e".into(), now()),
            expect,
            "status {status}"
        );
    }

    #[test]
    fn statuses_map_to_outcomes() {
        let retry = |after: Option<u64>| Outcome::Retry {
            error: "e".into(),
            retry_after: after.map(Duration::from_secs),
        };
        check(429, Some("7"), retry(Some(7)));
        check(429, None, retry(None));
        check(500, None, retry(None));
        check(503, Some("Fri, 01 Mar 2024 08:02:00 GMT"), retry(Some(120)));
        check(503, Some("Fri, 01 Mar 2024 07:00:00 GMT"), retry(Some(0)));
        check(502, Some("soon"), retry(None));
        check(
            503,
            Some("999999999"),
            Outcome::Retry {
                error: "e".into(),
                retry_after: Some(MAX_RETRY_AFTER),
            },
        );
        check(400, Some("7"), Outcome::failed("e"));
        check(401, None, Outcome::failed("e"));
        check(404, None, Outcome::failed("e"));
        check(410, None, Outcome::failed("e"));
        check(302, None, Outcome::failed("e"));
    }
}
