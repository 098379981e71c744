//! Ticket histories (C3, C4) replayed the way the application records them:
//! every step through the life-cycle rules, the SLA clock running, pausing
//! and resuming over the business calendar, and the one-minute SLA scan's
//! warnings and breaches at the moment the budget's 80 % and 100 % are used.
//! Steps after the as-of moment never happen; the ticket is left as it was then.

use dealdesk_domain::{sla_color, warning_seconds, BusinessCalendar, SlaColor, TicketStatus};
use uuid::Uuid;

use crate::rng::Rng;
use crate::time::{at, Instant, MINUTE};

/// Who takes a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepActor {
    /// A user.
    User(Uuid),
    /// The system (R4's tickets are opened by it).
    System,
}

impl StepActor {
    /// `actor_kind` as stored.
    pub fn kind(self) -> &'static str {
        match self {
            StepActor::User(_) => "USER",
            StepActor::System => "SYSTEM",
        }
    }

    /// `actor_id` as stored.
    pub fn id(self) -> Option<Uuid> {
        match self {
            StepActor::User(id) => Some(id),
            StepActor::System => None,
        }
    }
}

/// A recorded step (a `ticket_events` row).
#[derive(Clone, Debug)]
pub struct Step {
    /// `CREATED`, `STARTED`, `DELIVERED`, …
    pub action: &'static str,
    /// Status before (none for `CREATED`).
    pub from: Option<TicketStatus>,
    /// Status after.
    pub to: TicketStatus,
    /// Who took it.
    pub actor: StepActor,
    /// A note (reasons for rejections and blocks).
    pub note: Option<&'static str>,
    /// The requester's rating on acceptance.
    pub rating: Option<i32>,
    /// When.
    pub at: Instant,
}

/// A ticket's state as the application stores it, built step by step.
pub struct TicketClock<'a> {
    calendar: &'a BusinessCalendar,
    calendar_time: bool,
    sla_minutes: i32,
    as_of: Instant,
    /// Current status.
    pub status: TicketStatus,
    /// Where a blocked ticket returns to.
    pub blocked_from: Option<TicketStatus>,
    /// Seconds of the SLA used while the clock was stopped.
    pub consumed_seconds: i64,
    /// When the running clock last started.
    pub clock_started_at: Option<Instant>,
    /// When the scan warned.
    pub warned_at: Option<Instant>,
    /// When the scan found the SLA breached.
    pub breached_at: Option<Instant>,
    /// The colour last stored.
    pub color: SlaColor,
    /// The first start or delivery (or the hand-off's answer).
    pub first_response_at: Option<Instant>,
    /// Counted minutes until then.
    pub first_response_minutes: Option<i64>,
    /// Rejections so far.
    pub rework_count: i32,
    /// The requester's rating.
    pub rating: Option<i32>,
    /// When it was accepted.
    pub closed_at: Option<Instant>,
    /// The assignee (set by whoever starts or delivers an unassigned ticket).
    pub assignee: Option<Uuid>,
    /// The last change.
    pub updated_at: Instant,
    /// When it was created.
    pub created_at: Instant,
    /// Its steps, in order.
    pub steps: Vec<Step>,
    /// Set once a step would have happened after the as-of moment.
    stopped: bool,
}

impl<'a> TicketClock<'a> {
    /// A ticket created at `created_at` (the `CREATED` step), its clock running.
    pub fn open(calendar: &'a BusinessCalendar, calendar_time: bool, sla_minutes: i32, created_at: Instant, creator: StepActor, assignee: Option<Uuid>, as_of: Instant) -> Self {
        let mut ticket = TicketClock {
            calendar,
            calendar_time,
            sla_minutes,
            as_of,
            status: TicketStatus::Open,
            blocked_from: None,
            consumed_seconds: 0,
            clock_started_at: Some(created_at),
            warned_at: None,
            breached_at: None,
            color: SlaColor::Green,
            first_response_at: None,
            first_response_minutes: None,
            rework_count: 0,
            rating: None,
            closed_at: None,
            assignee,
            updated_at: created_at,
            created_at,
            steps: Vec::new(),
            stopped: false,
        };
        ticket.steps.push(Step { action: "CREATED", from: None, to: TicketStatus::Open, actor: creator, note: None, rating: None, at: created_at });
        ticket
    }

    /// Counted seconds between two instants (working time unless the policy says calendar time).
    pub fn elapsed(&self, from: Instant, to: Instant) -> i64 {
        if to <= from {
            0
        } else if self.calendar_time {
            to - from
        } else {
            self.calendar.working_seconds_between(at(from), at(to))
        }
    }

    /// The instant `seconds` counted seconds after `start` (as the application computes due times).
    pub fn after(&self, start: Instant, seconds: i64) -> Instant {
        if seconds <= 0 {
            start
        } else if self.calendar_time {
            start + seconds
        } else {
            let minutes = (seconds + 59) / 60;
            self.calendar.add_working_minutes(at(start), minutes).map_or(start + 3_650 * 86_400, |due| due.timestamp())
        }
    }

    fn used(&self, now: Instant) -> i64 {
        self.consumed_seconds + self.clock_started_at.map_or(0, |started| self.elapsed(started, now))
    }

    /// When the running clock reaches its 80 % and 100 % marks.
    pub fn warn_and_due(&self) -> Option<(Instant, Instant)> {
        let started = self.clock_started_at?;
        let budget = i64::from(self.sla_minutes) * 60;
        Some((self.after(started, warning_seconds(self.sla_minutes) - self.consumed_seconds), self.after(started, budget - self.consumed_seconds)))
    }

    /// The scan's work up to `until`: a warning, then a breach, each about a
    /// minute after the mark (the scan runs every minute).
    fn scan_until(&mut self, until: Instant, rng: &mut Rng) {
        if !self.status.clock_runs() {
            return;
        }
        let Some((warn, due)) = self.warn_and_due() else { return };
        if self.warned_at.is_none() {
            let scanned = warn + rng.range(1, MINUTE);
            if scanned < until {
                self.warned_at = Some(scanned);
                if self.color == SlaColor::Green {
                    self.color = SlaColor::Yellow;
                }
                self.updated_at = scanned;
            }
        }
        if self.breached_at.is_none() {
            let scanned = (due + rng.range(1, MINUTE)).max(self.warned_at.unwrap_or(due));
            if scanned < until {
                self.breached_at = Some(scanned);
                self.warned_at = self.warned_at.or(Some(scanned));
                self.color = SlaColor::Red;
                self.updated_at = scanned;
            }
        }
    }

    /// Takes a step at `at`, as `ticket_step` would; does nothing once a step
    /// falls after the as-of moment (and nothing after that happens either).
    #[allow(clippy::too_many_arguments)]
    pub fn step(&mut self, at_instant: Instant, action: &'static str, next: TicketStatus, actor: StepActor, note: Option<&'static str>, rating: Option<i32>, rng: &mut Rng) -> bool {
        if self.stopped || at_instant >= self.as_of {
            self.stopped = true;
            return false;
        }
        self.scan_until(at_instant, rng);
        let before = self.status;
        if matches!(action, "STARTED" | "DELIVERED" | "ANSWERED") {
            if self.assignee.is_none() {
                self.assignee = actor.id();
            }
            if self.first_response_at.is_none() {
                self.first_response_at = Some(at_instant);
                self.first_response_minutes = Some(self.elapsed(self.created_at, at_instant) / 60);
            }
        }
        match action {
            "BLOCKED" => self.blocked_from = Some(before),
            "UNBLOCKED" => self.blocked_from = None,
            "REJECTED" => self.rework_count += 1,
            "ACCEPTED" | "ANSWERED" => {
                self.rating = rating;
                self.closed_at = Some(at_instant);
            }
            _ => {}
        }
        self.status = next;
        match (before.clock_runs(), next.clock_runs()) {
            (true, false) => {
                self.consumed_seconds = self.used(at_instant);
                self.clock_started_at = None;
            }
            (false, true) => self.clock_started_at = Some(at_instant),
            _ => {}
        }
        let color = sla_color(self.used(at_instant), self.sla_minutes, next == TicketStatus::Blocked);
        self.color = if self.breached_at.is_some() { SlaColor::Red } else { color };
        self.updated_at = at_instant;
        self.steps.push(Step { action, from: Some(before), to: next, actor, note, rating, at: at_instant });
        true
    }

    /// Lets the scans run up to the as-of moment; call once after the last step.
    pub fn settle(&mut self, rng: &mut Rng) {
        self.scan_until(self.as_of, rng);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn instant(text: &str) -> Instant {
        DateTime::parse_from_rfc3339(text).unwrap().timestamp()
    }

    fn calendar() -> BusinessCalendar {
        BusinessCalendar::default_for(chrono_tz::Asia::Shanghai)
    }

    #[test]
    fn a_two_hour_assessment_warns_and_breaches_in_working_time() {
        let calendar = calendar();
        let mut rng = Rng::from_seed(1);
        // Friday 2026-11-20 17:00 Shanghai: 2 working hours end Monday 10:00.
        let created = instant("2026-11-20T09:00:00Z");
        let as_of = instant("2026-11-27T00:00:00Z");
        let tech = Uuid::from_u128(7);
        let mut ticket = TicketClock::open(&calendar, false, 120, created, StepActor::User(Uuid::from_u128(1)), None, as_of);
        assert_eq!(ticket.warn_and_due().map(|(_, due)| due), Some(instant("2026-11-23T02:00:00Z")));
        // Started Monday 11:00 Shanghai: late.
        assert!(ticket.step(instant("2026-11-23T03:00:00Z"), "STARTED", TicketStatus::InProgress, StepActor::User(tech), None, None, &mut rng));
        assert_eq!(ticket.assignee, Some(tech));
        assert_eq!(ticket.first_response_minutes, Some(180));
        let breached = ticket.breached_at.unwrap();
        assert!(breached > instant("2026-11-23T02:00:00Z") && breached <= instant("2026-11-23T02:01:00Z"));
        assert!(ticket.warned_at.unwrap() < breached);
        assert_eq!(ticket.color, SlaColor::Red);
        // Delivered and accepted: the clock stops with the time used.
        assert!(ticket.step(instant("2026-11-23T04:00:00Z"), "DELIVERED", TicketStatus::Delivered, StepActor::User(tech), None, None, &mut rng));
        assert_eq!(ticket.consumed_seconds, 4 * 3_600);
        assert_eq!(ticket.clock_started_at, None);
        assert!(ticket.step(instant("2026-11-24T03:00:00Z"), "ACCEPTED", TicketStatus::Accepted, StepActor::User(Uuid::from_u128(1)), None, Some(4), &mut rng));
        assert_eq!(ticket.closed_at, Some(instant("2026-11-24T03:00:00Z")));
        assert_eq!(ticket.color, SlaColor::Red);
        assert_eq!(ticket.steps.len(), 4);
    }

    #[test]
    fn steps_after_the_as_of_moment_never_happen() {
        let calendar = calendar();
        let mut rng = Rng::from_seed(2);
        let created = instant("2026-11-26T01:00:00Z");
        let as_of = instant("2026-11-26T02:00:00Z");
        let mut ticket = TicketClock::open(&calendar, false, 540, created, StepActor::System, None, as_of);
        assert!(!ticket.step(instant("2026-11-26T03:00:00Z"), "STARTED", TicketStatus::InProgress, StepActor::System, None, None, &mut rng));
        assert!(!ticket.step(instant("2026-11-26T01:30:00Z"), "STARTED", TicketStatus::InProgress, StepActor::System, None, None, &mut rng));
        ticket.settle(&mut rng);
        assert_eq!(ticket.status, TicketStatus::Open);
        assert_eq!(ticket.warned_at, None);
        assert_eq!(ticket.color, SlaColor::Green);
        assert_eq!(ticket.clock_started_at, Some(created));
    }

    #[test]
    fn a_running_clock_is_warned_by_the_scan_before_the_as_of_moment() {
        let calendar = calendar();
        let mut rng = Rng::from_seed(3);
        // A 15-minute calendar-time hand-off nobody answered.
        let created = instant("2026-11-26T01:00:00Z");
        let mut ticket = TicketClock::open(&calendar, true, 15, created, StepActor::System, None, created + 13 * MINUTE);
        ticket.settle(&mut rng);
        assert_eq!(ticket.color, SlaColor::Yellow);
        assert!(ticket.warned_at.is_some() && ticket.breached_at.is_none());
    }
}
