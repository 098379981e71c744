//! Collaboration tickets (C2–C4): kinds, numbering, the life-cycle and the
//! SLA colour. The clock arithmetic itself lives in `calendar`.

use crate::error::FieldError;
use crate::role::Role;

/// What a ticket asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketKind {
    /// Marketing hands a lead to sales.
    Handoff,
    /// Sales asks tech to assess requirements.
    TechAssessment,
    /// Delivery confirms a solution can be delivered.
    DeliveryConfirmation,
    /// A new requirement (feature, custom development, service upgrade).
    Requirement,
    /// R4 yellow: the owner files an overdue-cause analysis (逾期原因分析表) within 48 h.
    OverdueAnalysis,
    /// R4 red: legal takes the customer over.
    LegalCase,
}

impl TicketKind {
    /// Every kind.
    pub const ALL: [TicketKind; 6] = [TicketKind::Handoff, TicketKind::TechAssessment, TicketKind::DeliveryConfirmation, TicketKind::Requirement, TicketKind::OverdueAnalysis, TicketKind::LegalCase];

    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Handoff => "HANDOFF",
            TicketKind::TechAssessment => "TECH_ASSESSMENT",
            TicketKind::DeliveryConfirmation => "DELIVERY_CONFIRMATION",
            TicketKind::Requirement => "REQUIREMENT",
            TicketKind::OverdueAnalysis => "OVERDUE_ANALYSIS",
            TicketKind::LegalCase => "LEGAL_CASE",
        }
    }

    /// The number prefix (`TA-000042`).
    pub fn prefix(self) -> &'static str {
        match self {
            TicketKind::Handoff => "HO",
            TicketKind::TechAssessment => "TA",
            TicketKind::DeliveryConfirmation => "DC",
            TicketKind::Requirement => "RQ",
            TicketKind::OverdueAnalysis => "OA",
            TicketKind::LegalCase => "LG",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(text: &str) -> Result<TicketKind, FieldError> {
        TicketKind::ALL.into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| FieldError::new("kind", format!("unknown ticket kind {text}")))
    }
}

/// The kinds of requirement ticket (新增需求), each routed to a department.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RequirementType {
    ProductFeature,
    CustomDevelopment,
    ServiceUpgrade,
}

impl RequirementType {
    /// Every type.
    pub const ALL: [RequirementType; 3] = [RequirementType::ProductFeature, RequirementType::CustomDevelopment, RequirementType::ServiceUpgrade];

    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            RequirementType::ProductFeature => "PRODUCT_FEATURE",
            RequirementType::CustomDevelopment => "CUSTOM_DEVELOPMENT",
            RequirementType::ServiceUpgrade => "SERVICE_UPGRADE",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(text: &str) -> Result<RequirementType, FieldError> {
        RequirementType::ALL.into_iter().find(|kind| kind.as_str() == text).ok_or_else(|| FieldError::new("requirementType", format!("unknown requirement type {text}")))
    }
}

/// Where a ticket is in its life-cycle (C4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    Open,
    InProgress,
    Delivered,
    Accepted,
    Blocked,
}

impl TicketStatus {
    /// Every status.
    pub const ALL: [TicketStatus; 5] = [TicketStatus::Open, TicketStatus::InProgress, TicketStatus::Delivered, TicketStatus::Accepted, TicketStatus::Blocked];

    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "OPEN",
            TicketStatus::InProgress => "IN_PROGRESS",
            TicketStatus::Delivered => "DELIVERED",
            TicketStatus::Accepted => "ACCEPTED",
            TicketStatus::Blocked => "BLOCKED",
        }
    }

    /// Parses the stored spelling.
    pub fn parse(text: &str) -> Result<TicketStatus, FieldError> {
        TicketStatus::ALL.into_iter().find(|status| status.as_str() == text).ok_or_else(|| FieldError::new("status", format!("unknown ticket status {text}")))
    }

    /// Whether the SLA clock runs: it pauses while the requester has to act
    /// (delivered, awaiting acceptance) and stops once accepted.
    pub fn clock_runs(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::InProgress | TicketStatus::Blocked)
    }
}

/// A step someone takes on a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TicketAction {
    /// The assignee (or a member of the queue) starts work.
    Start,
    /// The assignee hands over the result.
    Deliver,
    /// The requester accepts the result.
    Accept,
    /// The requester sends it back (rework).
    Reject,
    /// Anyone involved marks it blocked, with a reason.
    Block,
    /// Back to where it was before it was blocked.
    Unblock,
    /// A hand-off answered by the rep's first activity or stage move.
    Answer,
}

impl TicketAction {
    /// The stored spelling of the step record.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketAction::Start => "STARTED",
            TicketAction::Deliver => "DELIVERED",
            TicketAction::Accept => "ACCEPTED",
            TicketAction::Reject => "REJECTED",
            TicketAction::Block => "BLOCKED",
            TicketAction::Unblock => "UNBLOCKED",
            TicketAction::Answer => "ANSWERED",
        }
    }
}

/// Who may take a step: the ticket's parties and the caller.
#[derive(Clone, Copy, Debug)]
pub struct TicketParties {
    /// The caller is the requester.
    pub is_requester: bool,
    /// The caller is the assignee.
    pub is_assignee: bool,
    /// The ticket is unassigned and the caller belongs to its department queue.
    pub in_queue: bool,
    /// The caller is an admin.
    pub is_admin: bool,
}

/// A refused step.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TicketStepError {
    /// The life-cycle does not allow the step from this status.
    #[error("cannot {action} a ticket that is {status}")]
    InvalidTransition { action: &'static str, status: &'static str },
    /// The caller is not the party who may take the step.
    #[error("{0}")]
    Forbidden(&'static str),
}

/// The status after `action`, or why it is refused. `blocked_from` is the
/// status a blocked ticket returns to.
pub fn next_status(status: TicketStatus, blocked_from: Option<TicketStatus>, action: TicketAction, parties: TicketParties) -> Result<TicketStatus, TicketStepError> {
    use TicketAction as A;
    use TicketStatus as S;
    let invalid = || TicketStepError::InvalidTransition { action: action_verb(action), status: status.as_str() };
    let next = match (action, status) {
        (A::Start, S::Open) => S::InProgress,
        (A::Deliver, S::Open | S::InProgress) => S::Delivered,
        (A::Accept, S::Delivered) => S::Accepted,
        (A::Reject, S::Delivered) => S::InProgress,
        (A::Block, S::Open | S::InProgress | S::Delivered) => S::Blocked,
        (A::Unblock, S::Blocked) => blocked_from.unwrap_or(S::InProgress),
        (A::Answer, S::Open | S::InProgress) => S::Accepted,
        _ => return Err(invalid()),
    };
    let worker = parties.is_assignee || parties.in_queue;
    let allowed = match action {
        A::Start | A::Deliver => worker,
        A::Accept | A::Reject => parties.is_requester,
        A::Block | A::Unblock => worker || parties.is_requester || parties.is_admin,
        A::Answer => true,
    };
    if !allowed {
        return Err(TicketStepError::Forbidden(match action {
            A::Start | A::Deliver => "only the assignee (or its department, while unassigned) works on a ticket",
            A::Accept | A::Reject => "only the requester accepts or rejects a delivery",
            _ => "only the people on the ticket may block or unblock it",
        }));
    }
    Ok(next)
}

fn action_verb(action: TicketAction) -> &'static str {
    match action {
        TicketAction::Start => "start",
        TicketAction::Deliver => "deliver",
        TicketAction::Accept => "accept",
        TicketAction::Reject => "reject",
        TicketAction::Block => "block",
        TicketAction::Unblock => "unblock",
        TicketAction::Answer => "answer",
    }
}

/// `TA-000042`.
pub fn ticket_code(kind: TicketKind, number: i64) -> String {
    format!("{}-{number:06}", kind.prefix())
}

/// The three SLA colours (C2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlaColor {
    Green,
    Yellow,
    Red,
}

impl SlaColor {
    /// The stored and API spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            SlaColor::Green => "GREEN",
            SlaColor::Yellow => "YELLOW",
            SlaColor::Red => "RED",
        }
    }
}

/// The share of the SLA at which a ticket turns yellow.
pub const SLA_WARNING_SHARE: f64 = 0.8;

/// Green inside the SLA, yellow from 80 % used, red when breached or blocked.
pub fn sla_color(consumed_seconds: i64, budget_minutes: i32, blocked: bool) -> SlaColor {
    let budget = i64::from(budget_minutes.max(0)) * 60;
    if blocked || consumed_seconds >= budget {
        SlaColor::Red
    } else if consumed_seconds as f64 >= budget as f64 * SLA_WARNING_SHARE {
        SlaColor::Yellow
    } else {
        SlaColor::Green
    }
}

/// Seconds of the SLA that turn a ticket yellow.
pub fn warning_seconds(budget_minutes: i32) -> i64 {
    (i64::from(budget_minutes.max(0)) * 60 * 8).div_euclid(10)
}

/// A default SLA policy created with every org.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DefaultSla {
    pub kind: TicketKind,
    pub requirement_type: Option<RequirementType>,
    /// The budget in minutes.
    pub minutes: i32,
    /// Counted in calendar time rather than working time.
    pub calendar_time: bool,
    /// The department queue it routes to.
    pub route_role: Option<Role>,
}

/// C2's defaults: hand-off 15 min calendar time, tech assessment 2 working
/// hours, delivery confirmation 1 working day (9 h), requirements by type;
/// R4's overdue analysis 48 h calendar time and legal case 1 working day.
pub fn default_sla_policies() -> Vec<DefaultSla> {
    let policy = |kind, requirement_type, minutes, calendar_time, route_role| DefaultSla { kind, requirement_type, minutes, calendar_time, route_role };
    vec![
        policy(TicketKind::Handoff, None, 15, true, None),
        policy(TicketKind::TechAssessment, None, 120, false, Some(Role::Tech)),
        policy(TicketKind::DeliveryConfirmation, None, 9 * 60, false, Some(Role::Delivery)),
        policy(TicketKind::Requirement, Some(RequirementType::ProductFeature), 5 * 9 * 60, false, Some(Role::Tech)),
        policy(TicketKind::Requirement, Some(RequirementType::CustomDevelopment), 5 * 9 * 60, false, Some(Role::Tech)),
        policy(TicketKind::Requirement, Some(RequirementType::ServiceUpgrade), 3 * 9 * 60, false, Some(Role::Delivery)),
        policy(TicketKind::OverdueAnalysis, None, 48 * 60, true, None),
        policy(TicketKind::LegalCase, None, 9 * 60, false, Some(Role::Legal)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parties(requester: bool, assignee: bool) -> TicketParties {
        TicketParties { is_requester: requester, is_assignee: assignee, in_queue: false, is_admin: false }
    }

    #[test]
    fn codes_are_prefixed_and_padded() {
        assert_eq!(ticket_code(TicketKind::TechAssessment, 42), "TA-000042");
        assert_eq!(ticket_code(TicketKind::Handoff, 1), "HO-000001");
        assert_eq!(ticket_code(TicketKind::Requirement, 1_234_567), "RQ-1234567");
    }

    #[test]
    fn the_life_cycle_and_who_may_move_it() {
        use TicketAction as A;
        use TicketStatus as S;
        let worker = parties(false, true);
        let requester = parties(true, false);
        assert_eq!(next_status(S::Open, None, A::Start, worker), Ok(S::InProgress));
        assert_eq!(next_status(S::InProgress, None, A::Deliver, worker), Ok(S::Delivered));
        assert_eq!(next_status(S::Delivered, None, A::Reject, requester), Ok(S::InProgress));
        assert_eq!(next_status(S::Delivered, None, A::Accept, requester), Ok(S::Accepted));
        assert_eq!(next_status(S::InProgress, None, A::Block, requester), Ok(S::Blocked));
        assert_eq!(next_status(S::Blocked, Some(S::Delivered), A::Unblock, worker), Ok(S::Delivered));
        assert!(matches!(next_status(S::InProgress, None, A::Deliver, requester), Err(TicketStepError::Forbidden(_))));
        assert!(matches!(next_status(S::Delivered, None, A::Accept, worker), Err(TicketStepError::Forbidden(_))));
        assert!(matches!(next_status(S::Accepted, None, A::Reject, requester), Err(TicketStepError::InvalidTransition { .. })));
        assert!(matches!(next_status(S::Open, None, A::Accept, requester), Err(TicketStepError::InvalidTransition { .. })));
        // Illegal moves are reported as such even for the wrong person.
        assert!(matches!(next_status(S::Accepted, None, A::Deliver, requester), Err(TicketStepError::InvalidTransition { .. })));
    }

    #[test]
    fn colours_follow_the_budget() {
        assert_eq!(sla_color(0, 120, false), SlaColor::Green);
        assert_eq!(sla_color(95 * 60, 120, false), SlaColor::Green);
        assert_eq!(sla_color(96 * 60, 120, false), SlaColor::Yellow);
        assert_eq!(sla_color(120 * 60, 120, false), SlaColor::Red);
        assert_eq!(sla_color(0, 120, true), SlaColor::Red);
        assert_eq!(warning_seconds(120), 96 * 60);
    }

    proptest! {
        #[test]
        fn colour_only_worsens_as_time_is_used(budget in 1i32..10_000, a in 0i64..1_000_000, b in 0i64..1_000_000) {
            let (low, high) = if a <= b { (a, b) } else { (b, a) };
            let rank = |color: SlaColor| match color { SlaColor::Green => 0, SlaColor::Yellow => 1, SlaColor::Red => 2 };
            prop_assert!(rank(sla_color(low, budget, false)) <= rank(sla_color(high, budget, false)));
        }
    }
}
