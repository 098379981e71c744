//! Process alerts (E1–E5): the rules' decisions, given records and `now`.
//!
//! The scans in `app` select candidates with index-driven queries; these
//! functions are the rules themselves, used to confirm candidates and to
//! decide when an open alert's condition has cleared.

use chrono::{DateTime, Duration, Utc};

use crate::error::FieldError;

/// Every kind of alert the product raises (API.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AlertKind {
    /// E1: a deal sits in a stage past its threshold with no activity.
    StageStuck,
    /// E2: a deal's next follow-up passed with no activity.
    FollowUpOverdue,
    /// E3: a deal handed around without anyone working it.
    PingPong,
    /// E4: a new rep with several deals stuck in one stage.
    NewcomerStuck,
    /// C2: a ticket used 80 % of its SLA.
    SlaWarning,
    /// C2: a ticket breached its SLA.
    SlaBreached,
    /// R5: a receivable is likely to be paid late.
    CollectionWarning,
    /// R4: a customer's risk tier changed.
    RiskTierChanged,
    /// B4: a key metric dropped to zero while activity continues.
    DataQuality,
}

impl AlertKind {
    /// Every kind, in API order.
    pub const ALL: [AlertKind; 9] = [
        AlertKind::StageStuck,
        AlertKind::FollowUpOverdue,
        AlertKind::PingPong,
        AlertKind::NewcomerStuck,
        AlertKind::SlaWarning,
        AlertKind::SlaBreached,
        AlertKind::CollectionWarning,
        AlertKind::RiskTierChanged,
        AlertKind::DataQuality,
    ];

    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::StageStuck => "STAGE_STUCK",
            AlertKind::FollowUpOverdue => "FOLLOW_UP_OVERDUE",
            AlertKind::PingPong => "PING_PONG",
            AlertKind::NewcomerStuck => "NEWCOMER_STUCK",
            AlertKind::SlaWarning => "SLA_WARNING",
            AlertKind::SlaBreached => "SLA_BREACHED",
            AlertKind::CollectionWarning => "COLLECTION_WARNING",
            AlertKind::RiskTierChanged => "RISK_TIER_CHANGED",
            AlertKind::DataQuality => "DATA_QUALITY",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(text: &str) -> Result<AlertKind, FieldError> {
        AlertKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| FieldError::new("kind", format!("unknown alert kind {text}")))
    }

    /// The key that keeps one open alert per rule and subject.
    pub fn open_key(self, subject: uuid::Uuid) -> String {
        format!("{}:{subject}", self.as_str())
    }
}

/// The configurable rules of one org, with the SPEC's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct AlertRules {
    /// E1 on or off (thresholds live on the stages).
    pub stage_stuck: bool,
    /// E2.
    pub follow_up: FollowUpRule,
    /// E3.
    pub ping_pong: PingPongRule,
    /// E4.
    pub newcomer: NewcomerRule,
}

/// E2: overdue follow-ups go to the owner, then also to the manager.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FollowUpRule {
    /// Whether the rule runs.
    pub enabled: bool,
    /// Hours after the missed follow-up before the manager is told too.
    pub escalate_after_hours: u32,
}

/// E3: a deal reassigned too often without substantive activity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PingPongRule {
    /// Whether the rule runs.
    pub enabled: bool,
    /// Reassignments that make a ping-pong.
    pub reassignments: u32,
    /// Inside this many days.
    pub window_days: u32,
}

/// E4: a rep still new with several deals stuck in one stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewcomerRule {
    /// Whether the rule runs.
    pub enabled: bool,
    /// Days after joining during which a rep counts as new.
    pub within_days: u32,
    /// Stuck deals in one stage that call for coaching.
    pub stuck_deals: u32,
}

impl Default for AlertRules {
    fn default() -> Self {
        Self {
            stage_stuck: true,
            follow_up: FollowUpRule {
                enabled: true,
                escalate_after_hours: 24,
            },
            ping_pong: PingPongRule {
                enabled: true,
                reassignments: 3,
                window_days: 30,
            },
            newcomer: NewcomerRule {
                enabled: true,
                within_days: 90,
                stuck_deals: 3,
            },
        }
    }
}

/// E1: stuck when neither entering the stage nor the last activity happened
/// within the threshold.
pub fn is_stuck(entered_stage_at: DateTime<Utc>, last_activity_at: Option<DateTime<Utc>>, threshold_hours: u32, now: DateTime<Utc>) -> bool {
    let cutoff = now - Duration::hours(i64::from(threshold_hours));
    let last_sign_of_life = last_activity_at.map_or(entered_stage_at, |activity| activity.max(entered_stage_at));
    last_sign_of_life < cutoff
}

/// E2: the follow-up time passed and nothing was logged since it.
pub fn is_follow_up_overdue(next_follow_up_at: Option<DateTime<Utc>>, last_activity_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    match next_follow_up_at {
        Some(due) => due < now && last_activity_at.is_none_or(|activity| activity < due),
        None => false,
    }
}

/// E2: whether the manager should now be told as well.
pub fn follow_up_escalation_due(next_follow_up_at: DateTime<Utc>, rule: FollowUpRule, now: DateTime<Utc>) -> bool {
    now >= next_follow_up_at + Duration::hours(i64::from(rule.escalate_after_hours))
}

/// E3: "substantive" activity is anything longer than a note.
pub fn is_substantive(kind: crate::ActivityKind) -> bool {
    kind != crate::ActivityKind::Note
}

/// E3: at least `reassignments` reassignments inside the window, and no
/// substantive activity since the first of them.
pub fn is_ping_pong(reassigned_at: &[DateTime<Utc>], substantive_activity_at: &[DateTime<Utc>], rule: PingPongRule, now: DateTime<Utc>) -> bool {
    let window_start = now - Duration::days(i64::from(rule.window_days));
    let mut inside: Vec<DateTime<Utc>> = reassigned_at.iter().copied().filter(|at| *at >= window_start && *at <= now).collect();
    if rule.reassignments == 0 || inside.len() < rule.reassignments as usize {
        return false;
    }
    inside.sort();
    let first = inside[inside.len() - rule.reassignments as usize];
    !substantive_activity_at.iter().any(|at| *at >= first && *at <= now)
}

/// E4: still within the newcomer period.
pub fn is_newcomer(joined_at: DateTime<Utc>, rule: NewcomerRule, now: DateTime<Utc>) -> bool {
    joined_at <= now && now - joined_at <= Duration::days(i64::from(rule.within_days))
}

/// E4: a newcomer struggles when some stage holds `stuck_deals` of their stuck deals.
pub fn is_struggling(stuck_per_stage: &[(String, u32)], rule: NewcomerRule) -> Option<String> {
    stuck_per_stage
        .iter()
        .filter(|(_, count)| *count >= rule.stuck_deals && rule.stuck_deals > 0)
        .max_by_key(|(_, count)| *count)
        .map(|(stage, _)| stage.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t(hours: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::hours(hours)
    }

    #[test]
    fn demo_stage_is_stuck_after_48_hours_without_activity() {
        assert!(!is_stuck(t(0), None, 48, t(47)));
        assert!(!is_stuck(t(0), None, 48, t(48)));
        assert!(is_stuck(t(0), None, 48, t(49)));
        // An activity restarts the clock.
        assert!(!is_stuck(t(0), Some(t(30)), 48, t(49)));
        assert!(is_stuck(t(0), Some(t(30)), 48, t(79)));
        // An activity before entering the stage does not count.
        assert!(is_stuck(t(10), Some(t(5)), 48, t(59)));
    }

    #[test]
    fn follow_up_is_overdue_until_something_is_logged_after_it() {
        assert!(!is_follow_up_overdue(None, None, t(10)));
        assert!(!is_follow_up_overdue(Some(t(5)), None, t(4)));
        assert!(is_follow_up_overdue(Some(t(5)), None, t(6)));
        assert!(is_follow_up_overdue(Some(t(5)), Some(t(1)), t(6)));
        assert!(!is_follow_up_overdue(Some(t(5)), Some(t(5) + Duration::minutes(1)), t(6)));
        let rule = AlertRules::default().follow_up;
        assert!(!follow_up_escalation_due(t(5), rule, t(28)));
        assert!(follow_up_escalation_due(t(5), rule, t(29)));
    }

    #[test]
    fn ping_pong_needs_three_reassignments_in_thirty_days_without_real_work() {
        let rule = AlertRules::default().ping_pong;
        let now = t(24 * 40);
        let recent = [t(24 * 20), t(24 * 25), t(24 * 30)];
        assert!(is_ping_pong(&recent, &[], rule, now));
        assert!(!is_ping_pong(&recent[..2], &[], rule, now));
        // A call after the first of them breaks the pattern.
        assert!(!is_ping_pong(&recent, &[t(24 * 26)], rule, now));
        // Work before the streak does not.
        assert!(is_ping_pong(&recent, &[t(24 * 19)], rule, now));
        // Too old to count.
        assert!(!is_ping_pong(&[t(0), t(24), t(48)], &[], rule, now));
        assert!(!is_substantive(crate::ActivityKind::Note));
        assert!(is_substantive(crate::ActivityKind::Visit));
    }

    #[test]
    fn newcomers_struggle_with_three_stuck_in_one_stage() {
        let rule = AlertRules::default().newcomer;
        assert!(is_newcomer(t(0), rule, t(24 * 89)));
        assert!(!is_newcomer(t(0), rule, t(24 * 91)));
        assert_eq!(is_struggling(&[("DEMO".into(), 2), ("QUOTE".into(), 2)], rule), None);
        assert_eq!(is_struggling(&[("DEMO".into(), 3), ("QUOTE".into(), 1)], rule), Some("DEMO".into()));
    }

    #[test]
    fn kinds_round_trip() {
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()).unwrap(), kind);
        }
        assert!(AlertKind::parse("NOPE").is_err());
    }

    proptest! {
        #[test]
        fn stuck_is_monotone_in_time(entered in 0i64..1000, activity in proptest::option::of(0i64..1000), threshold in 1u32..500, now in 0i64..2000, later in 0i64..500) {
            let activity = activity.map(t);
            if is_stuck(t(entered), activity, threshold, t(now)) {
                prop_assert!(is_stuck(t(entered), activity, threshold, t(now + later)));
            }
        }
    }
}
