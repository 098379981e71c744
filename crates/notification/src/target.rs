//! Which channel a message goes through and where it goes, validated once when
//! an administrator adds the channel rather than at every send.

use std::fmt;
use std::str::FromStr;

use url::Url;

use crate::secret::Secret;

/// At most this many addresses in one email channel, so a channel cannot be
/// turned into a mailing list.
pub const MAX_EMAIL_RECIPIENTS: usize = 20;

/// The longest target URL accepted; robot and webhook URLs are far shorter.
const MAX_URL_LENGTH: usize = 2048;

/// The shortest secret accepted: a signing key anyone could guess protects
/// nothing, and short values cannot be redacted reliably from error texts.
const MIN_SECRET_LENGTH: usize = crate::http::MIN_REDACTED_LENGTH;

/// The longest secret accepted; DingTalk secrets are 67 characters.
const MAX_SECRET_LENGTH: usize = 512;

/// The longest email address accepted (RFC 5321 path limit).
const MAX_EMAIL_LENGTH: usize = 254;

/// The kinds of channel, with the stable names stored in the database and
/// shown in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChannelKind {
    /// A DingTalk group robot (钉钉群机器人), optionally signed.
    DingTalk,
    /// A WeCom group robot (企业微信群机器人).
    WeCom,
    /// Email over the server's SMTP relay.
    Email,
    /// A generic HTTPS endpoint receiving signed JSON.
    Webhook,
}

impl ChannelKind {
    /// Every kind, for listing them in the API and in tests.
    pub const ALL: [ChannelKind; 4] = [Self::DingTalk, Self::WeCom, Self::Email, Self::Webhook];

    /// The stable upper-case name used in storage and in the GraphQL enum.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DingTalk => "DINGTALK",
            Self::WeCom => "WECOM",
            Self::Email => "EMAIL",
            Self::Webhook => "WEBHOOK",
        }
    }

    /// Reads a stored name back; `None` for anything [`ChannelKind::as_str`]
    /// never produces.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == value)
    }
}

impl fmt::Display for ChannelKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for ChannelKind {
    type Err = TargetError;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse(value).ok_or_else(|| TargetError::new("kind", "unknown channel kind"))
    }
}

/// Why a channel target or secret was refused, naming the input field so the
/// API can point the administrator at it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct TargetError {
    /// The input that is wrong: `"target"` or `"secret"` (`"kind"` only from
    /// [`ChannelKind::from_str`]).
    pub field: &'static str,
    /// What is wrong, lowercase, never repeating the secret.
    pub message: String,
}

impl TargetError {
    fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }

    fn target(message: impl Into<String>) -> Self {
        Self::new("target", message)
    }

    fn secret(message: impl Into<String>) -> Self {
        Self::new("secret", message)
    }
}

/// Where a channel sends; validated on construction.
///
/// Built only through [`ChannelTarget::parse`] so that a stored channel is
/// known to be well-formed when the dispatcher reads it back.
#[derive(Debug, Clone)]
pub enum ChannelTarget {
    /// A DingTalk robot webhook URL and, when the robot has "加签" enabled,
    /// its `SEC…` secret.
    DingTalk {
        /// The robot URL, normally `https://oapi.dingtalk.com/robot/send?access_token=…`.
        url: Url,
        /// The signing secret; without it the URL is sent unsigned.
        secret: Option<Secret>,
    },
    /// A WeCom robot webhook URL (`https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`).
    WeCom {
        /// The robot URL; its `key` is the only credential WeCom uses.
        url: Url,
    },
    /// Email recipients.
    Email {
        /// Validated addresses, 1 to [`MAX_EMAIL_RECIPIENTS`], without duplicates.
        to: Vec<String>,
    },
    /// A generic webhook endpoint.
    Webhook {
        /// Where the JSON is POSTed.
        url: Url,
        /// The HMAC key for `X-Dealdesk-Signature`; without it requests are unsigned.
        secret: Option<Secret>,
    },
}

impl ChannelTarget {
    /// Validates what an administrator typed: an absolute http(s) URL with a
    /// host, no credentials and no fragment for the HTTP kinds; a
    /// comma-separated list of addresses for email. A blank secret counts as
    /// none; a secret on a kind that does not sign is refused rather than
    /// silently ignored.
    pub fn parse(
        kind: ChannelKind,
        target: &str,
        secret: Option<&str>,
    ) -> Result<Self, TargetError> {
        let secret = parse_secret(secret)?;
        match kind {
            ChannelKind::DingTalk => Ok(Self::DingTalk {
                url: parse_url(target)?,
                secret,
            }),
            ChannelKind::WeCom => {
                refuse_secret(kind, secret.as_ref())?;
                Ok(Self::WeCom {
                    url: parse_url(target)?,
                })
            }
            ChannelKind::Email => {
                refuse_secret(kind, secret.as_ref())?;
                Ok(Self::Email {
                    to: parse_recipients(target)?,
                })
            }
            ChannelKind::Webhook => Ok(Self::Webhook {
                url: parse_url(target)?,
                secret,
            }),
        }
    }

    /// The kind of channel this target belongs to.
    pub fn kind(&self) -> ChannelKind {
        match self {
            Self::DingTalk { .. } => ChannelKind::DingTalk,
            Self::WeCom { .. } => ChannelKind::WeCom,
            Self::Email { .. } => ChannelKind::Email,
            Self::Webhook { .. } => ChannelKind::Webhook,
        }
    }

    /// Whether a signing secret is configured, for the API to say "signed"
    /// without ever returning the secret.
    pub fn has_secret(&self) -> bool {
        matches!(
            self,
            Self::DingTalk {
                secret: Some(_),
                ..
            } | Self::Webhook {
                secret: Some(_),
                ..
            }
        )
    }

    /// A form safe to show in lists and logs: scheme, host and path only,
    /// because robot URLs carry their token in the query.
    pub fn display_safe(&self) -> String {
        match self {
            Self::DingTalk { url, .. } | Self::WeCom { url } | Self::Webhook { url, .. } => {
                let mut shown =
                    format!("{}://{}", url.scheme(), url.host_str().unwrap_or_default());
                if let Some(port) = url.port() {
                    shown.push_str(&format!(":{port}"));
                }
                shown.push_str(url.path());
                if url.query().is_some() {
                    shown.push_str("?…");
                }
                shown
            }
            Self::Email { to } => to.join(", "),
        }
    }
}

fn parse_secret(secret: Option<&str>) -> Result<Option<Secret>, TargetError> {
    let Some(secret) = secret.map(str::trim).filter(|secret| !secret.is_empty()) else {
        return Ok(None);
    };
    if secret.chars().count() < MIN_SECRET_LENGTH {
        return Err(TargetError::secret(format!(
            "must be at least {MIN_SECRET_LENGTH} characters"
        )));
    }
    if secret.len() > MAX_SECRET_LENGTH {
        return Err(TargetError::secret(format!(
            "must be at most {MAX_SECRET_LENGTH} characters"
        )));
    }
    if secret.chars().any(char::is_control) {
        return Err(TargetError::secret("must not contain control characters"));
    }
    Ok(Some(Secret::new(secret)))
}

fn refuse_secret(kind: ChannelKind, secret: Option<&Secret>) -> Result<(), TargetError> {
    match secret {
        Some(_) => Err(TargetError::secret(format!(
            "{} channels do not take a secret",
            kind.as_str().to_lowercase()
        ))),
        None => Ok(()),
    }
}

/// Error messages describe the problem without echoing the URL, whose query
/// may hold a robot token.
fn parse_url(target: &str) -> Result<Url, TargetError> {
    let target = target.trim();
    if target.is_empty() {
        return Err(TargetError::target("must not be empty"));
    }
    if target.len() > MAX_URL_LENGTH {
        return Err(TargetError::target(format!(
            "must be at most {MAX_URL_LENGTH} characters"
        )));
    }
    if target.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(TargetError::target("must not contain spaces"));
    }
    let url = Url::parse(target).map_err(|error| match error {
        url::ParseError::RelativeUrlWithoutBase => {
            TargetError::target("must be an absolute http or https url")
        }
        url::ParseError::EmptyHost => TargetError::target("must name a host"),
        other => TargetError::target(format!("is not a valid url: {other}")),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(TargetError::target("must be an http or https url"));
    }
    match url.host_str() {
        Some(host) if !host.is_empty() => {}
        _ => return Err(TargetError::target("must name a host")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::target(
            "must not contain a user name or password",
        ));
    }
    if url.fragment().is_some() {
        return Err(TargetError::target("must not contain a fragment"));
    }
    Ok(url)
}

fn parse_recipients(target: &str) -> Result<Vec<String>, TargetError> {
    let mut recipients: Vec<String> = Vec::new();
    for address in target
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        let address = parse_address(address)?;
        if !recipients
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&address))
        {
            recipients.push(address);
        }
    }
    if recipients.is_empty() {
        return Err(TargetError::target("must list at least one email address"));
    }
    if recipients.len() > MAX_EMAIL_RECIPIENTS {
        return Err(TargetError::target(format!(
            "must list at most {MAX_EMAIL_RECIPIENTS} email addresses"
        )));
    }
    Ok(recipients)
}

/// A bare `local@domain.tld` address: what lettre accepts, with a dotted
/// domain, and nothing that could smuggle a display name or a header.
fn parse_address(address: &str) -> Result<String, TargetError> {
    let invalid = || TargetError::target(format!("{address:?} is not a valid email address"));
    if address.len() > MAX_EMAIL_LENGTH
        || address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"()[]\\".contains(c))
    {
        return Err(invalid());
    }
    let parsed = lettre::Address::from_str(address).map_err(|_| invalid())?;
    let domain = parsed.domain();
    if !domain.contains('.') || domain.starts_with('.') || domain.ends_with('.') {
        return Err(invalid());
    }
    Ok(address.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_error(
        kind: ChannelKind,
        target: &str,
        secret: Option<&str>,
        field: &str,
        message: &str,
    ) {
        match ChannelTarget::parse(kind, target, secret) {
            Ok(parsed) => panic!("{target:?} should be refused, got {parsed:?}"),
            Err(error) => {
                assert_eq!(error.field, field, "{target:?}: {error}");
                assert!(
                    error.message.contains(message),
                    "{target:?}: expected {message:?} in {:?}",
                    error.message
                );
                assert!(!error.message.starts_with(char::is_uppercase));
                assert!(!error.message.ends_with('.'));
            }
        }
    }

    #[test]
    fn http_targets_must_be_absolute_http_urls_with_a_host() {
        for kind in [
            ChannelKind::DingTalk,
            ChannelKind::WeCom,
            ChannelKind::Webhook,
        ] {
            check_error(kind, "", None, "target", "must not be empty");
            check_error(kind, "   ", None, "target", "must not be empty");
            check_error(
                kind,
                "ftp://example.com/robot",
                None,
                "target",
                "http or https",
            );
            check_error(kind, "file:///etc/passwd", None, "target", "http or https");
            check_error(
                kind,
                "mailto:a@example.com",
                None,
                "target",
                "http or https",
            );
            check_error(
                kind,
                "/robot/send?access_token=x",
                None,
                "target",
                "absolute",
            );
            check_error(
                kind,
                "oapi.dingtalk.com/robot/send",
                None,
                "target",
                "absolute",
            );
            check_error(kind, "http://", None, "target", "host");
            check_error(kind, "https://:443/x", None, "target", "host");
            check_error(
                kind,
                "https://user:pw@example.com/hook",
                None,
                "target",
                "user name",
            );
            check_error(
                kind,
                "https://user@example.com/hook",
                None,
                "target",
                "user name",
            );
            check_error(
                kind,
                "https://example.com/hook#frag",
                None,
                "target",
                "fragment",
            );
            check_error(kind, "https://exa mple.com/hook", None, "target", "spaces");
            let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LENGTH));
            check_error(kind, &long, None, "target", "at most");
        }
    }

    #[test]
    fn url_errors_do_not_echo_the_token() {
        let error = ChannelTarget::parse(
            ChannelKind::DingTalk,
            "ftp://oapi.dingtalk.com/robot/send?access_token=TOKEN123",
            None,
        )
        .err();
        let shown = format!("{error:?}");
        assert!(!shown.contains("TOKEN123"), "{shown}");
    }

    #[test]
    fn good_http_targets_are_kept() {
        let target = ChannelTarget::parse(
            ChannelKind::DingTalk,
            " https://oapi.dingtalk.com/robot/send?access_token=abc ",
            Some(" SEC00000 "),
        )
        .expect("valid dingtalk target");
        match &target {
            ChannelTarget::DingTalk { url, secret } => {
                assert_eq!(
                    url.as_str(),
                    "https://oapi.dingtalk.com/robot/send?access_token=abc"
                );
                assert_eq!(secret.as_ref().map(Secret::expose), Some("SEC00000"));
            }
            other => panic!("wrong target {other:?}"),
        }
        assert!(target.has_secret());
        assert_eq!(
            target.display_safe(),
            "https://oapi.dingtalk.com/robot/send?…"
        );
        assert!(!format!("{target:?}").contains("SEC00000"));

        let local =
            ChannelTarget::parse(ChannelKind::Webhook, "http://127.0.0.1:8080/hook", Some(""))
                .expect("local webhook");
        assert!(!local.has_secret(), "a blank secret counts as none");
        assert_eq!(local.kind(), ChannelKind::Webhook);

        let wecom = ChannelTarget::parse(
            ChannelKind::WeCom,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
            None,
        )
        .expect("wecom");
        assert_eq!(wecom.kind(), ChannelKind::WeCom);
    }

    #[test]
    fn secrets_are_checked() {
        check_error(
            ChannelKind::WeCom,
            "https://example.com/x",
            Some("secret-1"),
            "secret",
            "do not take a secret",
        );
        check_error(
            ChannelKind::Email,
            "a@example.com",
            Some("secret-1"),
            "secret",
            "do not take a secret",
        );
        check_error(
            ChannelKind::Webhook,
            "https://example.com/x",
            Some("secret\n12"),
            "secret",
            "control",
        );
        check_error(
            ChannelKind::Webhook,
            "https://example.com/x",
            Some("short"),
            "secret",
            "at least 8",
        );
        let long = "s".repeat(MAX_SECRET_LENGTH + 1);
        check_error(
            ChannelKind::DingTalk,
            "https://example.com/x",
            Some(&long),
            "secret",
            "at most",
        );
    }

    #[test]
    fn email_targets_are_lists_of_sane_addresses() {
        for bad in [
            "",
            " , ",
            "not-an-address",
            "@example.com",
            "a@",
            "a@localhost",
            "a@example.",
            "a b@example.com",
            "Alice <alice@example.com>",
            "a@example.com\r\nBcc: b@example.com",
            "a@exa_mple..com",
            "a@@example.com",
        ] {
            let result = ChannelTarget::parse(ChannelKind::Email, bad, None);
            let error = result
                .err()
                .unwrap_or_else(|| panic!("{bad:?} should be refused"));
            assert_eq!(error.field, "target", "{bad:?}");
        }
        let too_many = (0..=MAX_EMAIL_RECIPIENTS)
            .map(|n| format!("user{n}@example.com"))
            .collect::<Vec<_>>()
            .join(",");
        check_error(ChannelKind::Email, &too_many, None, "target", "at most 20");

        let target = ChannelTarget::parse(
            ChannelKind::Email,
            "alice@example.com, bob@sales.example.cn;ALICE@example.com,",
            None,
        )
        .expect("valid list");
        match target {
            ChannelTarget::Email { to } => {
                assert_eq!(to, vec!["alice@example.com", "bob@sales.example.cn"]);
            }
            other => panic!("wrong target {other:?}"),
        }
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in ChannelKind::ALL {
            assert_eq!(ChannelKind::parse(kind.as_str()), Some(kind));
            assert_eq!(kind.as_str().parse::<ChannelKind>(), Ok(kind));
        }
        assert_eq!(ChannelKind::parse("dingtalk"), None);
        assert_eq!(ChannelKind::parse("SMS"), None);
        assert_eq!(
            "SMS".parse::<ChannelKind>().err().map(|e| e.field),
            Some("kind")
        );
    }
}
