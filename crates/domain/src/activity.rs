//! Sales activities and the input rules shared by every layer (dates, free text, company names).

use chrono::{DateTime, Duration, Utc};

use crate::FieldError;

/// The channel of a logged sales activity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ActivityKind {
    /// Phone call.
    Call,
    /// On-site visit.
    Visit,
    /// Meeting (in person or online).
    Meeting,
    /// Email exchange.
    Email,
    /// Instant-messaging chat.
    Chat,
    /// Free-form note.
    Note,
}

impl ActivityKind {
    /// Every kind, for listings and tests.
    pub const ALL: [ActivityKind; 6] = [
        ActivityKind::Call,
        ActivityKind::Visit,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Chat,
        ActivityKind::Note,
    ];

    /// The wire/storage name, e.g. `"CALL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Call => "CALL",
            ActivityKind::Visit => "VISIT",
            ActivityKind::Meeting => "MEETING",
            ActivityKind::Email => "EMAIL",
            ActivityKind::Chat => "CHAT",
            ActivityKind::Note => "NOTE",
        }
    }

    /// Parses a wire/storage name.
    pub fn parse(s: &str) -> Result<ActivityKind, FieldError> {
        ActivityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| FieldError::new("kind", format!("unknown activity kind {s:?}")))
    }
}

/// How far back an activity may be dated without a reason (P4: 24 h).
pub const BACKDATE_WITHOUT_REASON: Duration = Duration::hours(24);

/// Clock skew tolerated for occurredAt in the future.
pub const FUTURE_SKEW: Duration = Duration::minutes(5);

/// How far back an activity may be dated without a reason, as a function for
/// callers that prefer one.
pub fn backdate_limit() -> Duration {
    BACKDATE_WITHOUT_REASON
}

/// Checks when an activity happened: not in the future (beyond [`FUTURE_SKEW`]),
/// and backdating beyond [`BACKDATE_WITHOUT_REASON`] needs a reason, so
/// activity logs can't be padded silently.
pub fn check_occurred_at(
    occurred_at: DateTime<Utc>,
    now: DateTime<Utc>,
    backdate_reason: Option<&str>,
) -> Result<(), FieldError> {
    if occurred_at > now + FUTURE_SKEW {
        return Err(FieldError::new("occurredAt", "cannot be in the future"));
    }
    let reason_blank = backdate_reason.is_none_or(|r| r.trim().is_empty());
    if occurred_at < now - BACKDATE_WITHOUT_REASON && reason_blank {
        return Err(FieldError::new(
            "backdateReason",
            "required when occurredAt is more than 24 hours ago",
        ));
    }
    Ok(())
}

/// Checks a planned follow-up is strictly in the future, so it can actually be kept.
pub fn check_next_follow_up(at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), FieldError> {
    if at > now {
        Ok(())
    } else {
        Err(FieldError::new("nextFollowUpAt", "must be in the future"))
    }
}

/// Validates required free text: trims, requires non-empty, caps the length in
/// characters; returns the trimmed text to store.
pub fn check_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "is required"));
    }
    if trimmed.chars().count() > max_chars {
        return Err(FieldError::new(
            field,
            format!("must be at most {max_chars} characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Punctuation (mostly full-width) ignored when comparing company names.
const CJK_PUNCTUATION: &str = "（）【】《》〈〉「」『』“”‘’·・、，。．：；！？—…－＆＋／";

/// Reduces a company name to a comparison key for duplicate detection:
/// drops whitespace and common punctuation (ASCII and full-width) and lowercases ASCII,
/// so "Acme (Shanghai) Co., Ltd." and "acme（shanghai）co ltd" collide.
pub fn normalize_company_name(name: &str) -> String {
    name.trim()
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_ascii_punctuation() && !CJK_PUNCTUATION.contains(*c)
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn kinds_round_trip() {
        for k in ActivityKind::ALL {
            assert_eq!(ActivityKind::parse(k.as_str()), Ok(k));
        }
        assert_eq!(ActivityKind::parse("FAX").unwrap_err().field, "kind");
    }

    #[test]
    fn occurred_at_future() {
        assert!(check_occurred_at(now() + Duration::minutes(5), now(), None).is_ok());
        let err = check_occurred_at(now() + Duration::minutes(6), now(), None).unwrap_err();
        assert_eq!(
            err,
            FieldError::new("occurredAt", "cannot be in the future")
        );
    }

    #[test]
    fn occurred_at_backdating() {
        assert_eq!(backdate_limit(), Duration::hours(24));
        assert!(check_occurred_at(now() - Duration::hours(24), now(), None).is_ok());
        let old = now() - Duration::hours(25);
        assert_eq!(
            check_occurred_at(old, now(), None).unwrap_err().field,
            "backdateReason"
        );
        assert_eq!(
            check_occurred_at(old, now(), Some("  ")).unwrap_err().field,
            "backdateReason"
        );
        assert!(check_occurred_at(old, now(), Some("forgot to log the visit")).is_ok());
    }

    #[test]
    fn follow_up_must_be_future() {
        assert!(check_next_follow_up(now() + Duration::seconds(1), now()).is_ok());
        assert_eq!(
            check_next_follow_up(now(), now()).unwrap_err().field,
            "nextFollowUpAt"
        );
    }

    #[test]
    fn text_rules() {
        assert_eq!(check_text("summary", "  hello ", 5), Ok("hello".to_owned()));
        assert_eq!(
            check_text("summary", "   ", 5).unwrap_err().field,
            "summary"
        );
        assert!(check_text("summary", "你好世界啊", 5).is_ok());
        assert!(check_text("summary", "你好世界啊!", 5).is_err());
    }

    #[test]
    fn company_names_collide() {
        let a = normalize_company_name(" Acme (Shanghai) Co., Ltd. ");
        let b = normalize_company_name("acme（shanghai）co ltd");
        assert_eq!(a, b);
        assert_eq!(a, "acmeshanghaicoltd");
        assert_eq!(
            normalize_company_name("上海·某某 科技（集团）有限公司"),
            "上海某某科技集团有限公司"
        );
    }
}
