//! The collaboration center (C1–C4): business calendars, SLA policies,
//! numbered tickets with their life-cycle, and the SLA clock.
//!
//! The SLA clock runs while a ticket is open, in progress or blocked, pauses
//! while it waits on the requester (delivered) and resumes on rejection. Its
//! state is `consumed_seconds` plus the running segment since
//! `clock_started_at`; `warn_at` and `due_at` are precomputed with the
//! business calendar whenever the clock (re)starts, so the SLA scan finds
//! the tickets to warn or breach with two index lookups.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use dealdesk_domain::{
    check_text, default_sla_policies, next_status, parse_holiday_schedule, sla_color, ticket_code, warning_seconds, AlertKind,
    BusinessCalendar, OrgId, RequirementType, Role, SlaColor, TicketAction, TicketKind, TicketParties, TicketStatus,
    TicketStepError, UserId, WorkingHours,
};
use dealdesk_persistence::entities::{business_calendars, sla_policies, ticket_events, tickets, users};
use dealdesk_persistence::tickets::{self as repo, TicketQuery, TicketVisibility};
use dealdesk_persistence::{deals as deal_repo, users as user_repo, Visible};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::alerts::{new_alert, Finding, Subject};
use crate::audit::{self, Change};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::page::{Page, PageRequest};
use crate::principal::{Actor, Principal};
use crate::App;

/// Tickets the SLA scan handles per query.
const SLA_BATCH: u64 = 500;

/// Input of `createTicket`.
#[derive(Clone, Debug)]
pub struct NewTicket {
    pub kind: TicketKind,
    pub deal_id: Option<Uuid>,
    pub title: String,
    pub details: Option<String>,
    pub requirement_type: Option<RequirementType>,
    pub assignee_id: Option<Uuid>,
}

/// Which tickets a list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TicketScope {
    /// Everything the caller may see.
    #[default]
    All,
    /// Assigned to me, or unassigned in my department's queue.
    MyQueue,
    /// Raised by me.
    MyRequests,
}

/// Filters of `tickets`.
#[derive(Clone, Debug, Default)]
pub struct TicketFilter {
    pub scope: TicketScope,
    pub kind: Option<TicketKind>,
    pub status: Option<TicketStatus>,
    pub color: Option<SlaColor>,
    pub assignee_id: Option<Uuid>,
    pub requester_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
}

/// Input of `setBusinessCalendar`.
#[derive(Clone, Debug)]
pub struct CalendarInput {
    pub time_zone: String,
    pub workdays: Vec<Weekday>,
    pub work_start: String,
    pub work_end: String,
    pub lunch_start: Option<String>,
    pub lunch_end: Option<String>,
    pub holidays: Vec<NaiveDate>,
    pub extra_workdays: Vec<NaiveDate>,
}

/// Input of `updateSlaPolicy`.
#[derive(Clone, Debug)]
pub struct SlaChange {
    pub kind: TicketKind,
    pub requirement_type: Option<RequirementType>,
    pub minutes: Option<i32>,
    pub calendar_time: Option<bool>,
    pub route_role: Option<Role>,
}

/// The department a role's queue is called by.
fn department_of(role: Role) -> &'static str {
    match role {
        Role::Rep | Role::Manager | Role::Marketing | Role::Admin => "SALES",
        other => other.as_str(),
    }
}

fn parse_time(errors: &mut FieldErrors, field: &str, text: &str) -> Option<NaiveTime> {
    match NaiveTime::parse_from_str(text.trim(), "%H:%M") {
        Ok(time) => Some(time),
        Err(_) => {
            errors.push(field, "must be a time like 09:00");
            None
        }
    }
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "MON",
        Weekday::Tue => "TUE",
        Weekday::Wed => "WED",
        Weekday::Thu => "THU",
        Weekday::Fri => "FRI",
        Weekday::Sat => "SAT",
        Weekday::Sun => "SUN",
    }
}

fn weekday_from(name: &str) -> Option<Weekday> {
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun]
        .into_iter()
        .find(|day| weekday_name(*day) == name)
}

fn dates_of(value: &serde_json::Value) -> BTreeSet<NaiveDate> {
    value
        .as_array()
        .map(|dates| dates.iter().filter_map(|date| date.as_str().and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())).collect())
        .unwrap_or_default()
}

fn calendar_row(org: Uuid, calendar: &BusinessCalendar, now: DateTime<Utc>) -> business_calendars::Model {
    let hours = calendar.hours();
    let dates = |set: &BTreeSet<NaiveDate>| json!(set.iter().map(|date| date.format("%Y-%m-%d").to_string()).collect::<Vec<_>>());
    business_calendars::Model {
        org_id: org,
        time_zone: calendar.tz().name().to_string(),
        workdays: json!(calendar.workdays().iter().map(|day| weekday_name(*day)).collect::<Vec<_>>()),
        work_start: hours.start.format("%H:%M").to_string(),
        work_end: hours.end.format("%H:%M").to_string(),
        lunch_start: hours.lunch.map(|(start, _)| start.format("%H:%M").to_string()),
        lunch_end: hours.lunch.map(|(_, end)| end.format("%H:%M").to_string()),
        holidays: dates(calendar.holidays()),
        extra_workdays: dates(calendar.extra_workdays()),
        updated_at: now,
    }
}

/// The clock arithmetic of one ticket under a calendar.
struct Clock<'a> {
    calendar: &'a BusinessCalendar,
    calendar_time: bool,
}

impl Clock<'_> {
    /// Counted seconds between two instants.
    fn elapsed(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        if to <= from {
            return 0;
        }
        if self.calendar_time {
            (to - from).num_seconds()
        } else {
            self.calendar.working_seconds_between(from, to)
        }
    }

    /// The instant `seconds` counted seconds after `start`.
    fn after(&self, start: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        if seconds <= 0 {
            return start;
        }
        if self.calendar_time {
            start + Duration::seconds(seconds)
        } else {
            let minutes = (seconds + 59) / 60;
            self.calendar.add_working_minutes(start, minutes).unwrap_or(start + Duration::days(3650))
        }
    }
}

fn used_seconds(clock: &Clock<'_>, ticket: &tickets::Model, now: DateTime<Utc>) -> i64 {
    ticket.consumed_seconds + ticket.clock_started_at.map_or(0, |started| clock.elapsed(started, now))
}

/// Starts (or resumes) the clock at `now`: precomputes when it warns and breaches.
fn run_clock(clock: &Clock<'_>, ticket: &mut tickets::Model, now: DateTime<Utc>) {
    ticket.clock_started_at = Some(now);
    let budget = i64::from(ticket.sla_minutes) * 60;
    let warn = warning_seconds(ticket.sla_minutes);
    ticket.warn_at = Some(clock.after(now, warn - ticket.consumed_seconds));
    ticket.due_at = Some(clock.after(now, budget - ticket.consumed_seconds));
}

/// Stops the clock at `now`, banking the running segment.
fn pause_clock(clock: &Clock<'_>, ticket: &mut tickets::Model, now: DateTime<Utc>) {
    ticket.consumed_seconds = used_seconds(clock, ticket, now);
    ticket.clock_started_at = None;
    ticket.warn_at = None;
    ticket.due_at = None;
}

fn color_now(clock: &Clock<'_>, ticket: &tickets::Model, now: DateTime<Utc>) -> SlaColor {
    let color = sla_color(used_seconds(clock, ticket, now), ticket.sla_minutes, ticket.status == TicketStatus::Blocked.as_str());
    // A ticket once breached stays red in the record even after it is delivered.
    if ticket.breached_at.is_some() { SlaColor::Red } else { color }
}

fn ticket_json(ticket: &tickets::Model) -> serde_json::Value {
    json!({
        "code": ticket.code,
        "kind": ticket.kind,
        "status": ticket.status,
        "title": ticket.title,
        "dealId": ticket.deal_id,
        "assigneeId": ticket.assignee_id,
        "requesterId": ticket.requester_id,
        "department": ticket.department,
        "color": ticket.color,
        "dueAt": ticket.due_at,
        "reworkCount": ticket.rework_count,
        "rating": ticket.rating,
    })
}

impl App {
    /// The org's calendar (the default Mon–Fri 09:00–18:00 in the org's zone until one is set).
    pub async fn calendar_for<C: ConnectionTrait>(&self, conn: &C, org: OrgId) -> AppResult<BusinessCalendar> {
        if let Some(row) = repo::calendar(conn, org).await? {
            let tz: Tz = row.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            let time = |text: &str| NaiveTime::parse_from_str(text, "%H:%M").ok();
            let lunch = match (row.lunch_start.as_deref().and_then(time), row.lunch_end.as_deref().and_then(time)) {
                (Some(start), Some(end)) => Some((start, end)),
                _ => None,
            };
            let hours = WorkingHours {
                start: time(&row.work_start).unwrap_or(NaiveTime::MIN),
                end: time(&row.work_end).unwrap_or(NaiveTime::MIN),
                lunch,
            };
            let workdays = row.workdays.as_array().map(|days| days.iter().filter_map(|day| day.as_str().and_then(weekday_from)).collect()).unwrap_or_default();
            return BusinessCalendar::new(tz, workdays, hours, dates_of(&row.holidays), dates_of(&row.extra_workdays))
                .map_err(|errors| AppError::Internal(format!("stored calendar is invalid: {errors:?}")));
        }
        let org_row = user_repo::find_org(conn, org).await?.ok_or(AppError::NotFound("org"))?;
        Ok(BusinessCalendar::default_for(org_row.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai)))
    }

    /// The caller's org calendar.
    pub async fn business_calendar(&self, principal: &Principal) -> AppResult<BusinessCalendar> {
        self.calendar_for(&self.db, principal.org_id).await
    }

    /// Sets the org's calendar (admin); every problem is named.
    pub async fn set_business_calendar(&self, principal: &Principal, input: CalendarInput) -> AppResult<BusinessCalendar> {
        principal.require_admin()?;
        let mut errors = FieldErrors::new();
        let tz: Option<Tz> = match input.time_zone.trim().parse() {
            Ok(tz) => Some(tz),
            Err(_) => {
                errors.push("timeZone", "must be an IANA time zone such as Asia/Shanghai");
                None
            }
        };
        let start = parse_time(&mut errors, "workStart", &input.work_start);
        let end = parse_time(&mut errors, "workEnd", &input.work_end);
        let lunch = match (&input.lunch_start, &input.lunch_end) {
            (None, None) => None,
            (Some(from), Some(to)) => parse_time(&mut errors, "lunchStart", from).zip(parse_time(&mut errors, "lunchEnd", to)),
            (None, Some(_)) => {
                errors.push("lunchStart", "is required with lunchEnd");
                None
            }
            (Some(_), None) => {
                errors.push("lunchEnd", "is required with lunchStart");
                None
            }
        };
        errors.finish()?;
        let (Some(tz), Some(start), Some(end)) = (tz, start, end) else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let calendar = BusinessCalendar::new(
            tz,
            input.workdays,
            WorkingHours { start, end, lunch },
            input.holidays.into_iter().collect(),
            input.extra_workdays.into_iter().collect(),
        )
        .map_err(AppError::BadInput)?;
        self.store_calendar(principal, &calendar, "calendar.set").await?;
        Ok(calendar)
    }

    /// Merges an official holiday schedule (CSV `date,kind,name` or JSON) into the org's calendar (admin).
    pub async fn import_holidays(&self, principal: &Principal, schedule: &str) -> AppResult<BusinessCalendar> {
        principal.require_admin()?;
        let (holidays, extra) = parse_holiday_schedule(schedule).map_err(AppError::BadInput)?;
        let current = self.calendar_for(&self.db, principal.org_id).await?;
        let mut all_holidays = current.holidays().clone();
        let mut all_extra = current.extra_workdays().clone();
        // The imported file is authoritative for its dates.
        all_holidays.retain(|date| !extra.contains(date));
        all_extra.retain(|date| !holidays.contains(date));
        all_holidays.extend(holidays);
        all_extra.extend(extra);
        let calendar = BusinessCalendar::new(current.tz(), current.workdays().to_vec(), current.hours(), all_holidays, all_extra).map_err(AppError::BadInput)?;
        self.store_calendar(principal, &calendar, "calendar.import_holidays").await?;
        Ok(calendar)
    }

    async fn store_calendar(&self, principal: &Principal, calendar: &BusinessCalendar, action: &'static str) -> AppResult<()> {
        let now = self.now();
        let row = calendar_row(principal.org_id.into_uuid(), calendar, now);
        let txn = self.db.begin().await?;
        let before = repo::calendar(&txn, principal.org_id).await?;
        repo::upsert_calendar(&txn, row.clone()).await?;
        let as_json = |row: &business_calendars::Model| json!({ "timeZone": row.time_zone, "workdays": row.workdays, "workStart": row.work_start, "workEnd": row.work_end, "lunchStart": row.lunch_start, "lunchEnd": row.lunch_end, "holidays": row.holidays, "extraWorkdays": row.extra_workdays });
        audit::record(&txn, principal, now, Change { action, entity_type: "calendar", entity_id: Some(row.org_id), before: before.as_ref().map(as_json), after: Some(as_json(&row)) }).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The org's SLA policies, created with the defaults on first use.
    pub(crate) async fn policies_for<C: ConnectionTrait>(&self, conn: &C, org: OrgId) -> AppResult<Vec<sla_policies::Model>> {
        let existing = repo::policies(conn, org).await?;
        if existing.len() >= default_sla_policies().len() {
            return Ok(existing);
        }
        let now = self.now();
        let rows = default_sla_policies()
            .into_iter()
            .map(|policy| sla_policies::Model {
                id: Uuid::now_v7(),
                org_id: org.into_uuid(),
                kind: policy.kind.as_str().to_string(),
                requirement_type: policy.requirement_type.map_or(String::new(), |kind| kind.as_str().to_string()),
                minutes: policy.minutes,
                calendar_time: policy.calendar_time,
                route_role: policy.route_role.map(|role| role.as_str().to_string()),
                updated_at: now,
            })
            .collect();
        repo::insert_policies(conn, rows).await?;
        Ok(repo::policies(conn, org).await?)
    }

    /// The org's SLA policies.
    pub async fn sla_policies(&self, principal: &Principal) -> AppResult<Vec<sla_policies::Model>> {
        self.policies_for(&self.db, principal.org_id).await
    }

    /// Changes an SLA budget, its clock kind or (for requirements) its routing (admin).
    pub async fn update_sla_policy(&self, principal: &Principal, change: SlaChange) -> AppResult<sla_policies::Model> {
        principal.require_admin()?;
        let mut errors = FieldErrors::new();
        if change.minutes.is_some_and(|minutes| !(1..=60 * 24 * 60).contains(&minutes)) {
            errors.push("minutes", "must be between 1 and 86400");
        }
        if (change.kind == TicketKind::Requirement) != change.requirement_type.is_some() {
            errors.push("requirementType", "is required for REQUIREMENT policies and only for them");
        }
        if change.route_role.is_some() && change.kind != TicketKind::Requirement {
            errors.push("routeRole", "only requirement policies route by type");
        }
        errors.finish()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let policies = self.policies_for(&txn, principal.org_id).await?;
        let requirement = change.requirement_type.map_or(String::new(), |kind| kind.as_str().to_string());
        let before = policies
            .into_iter()
            .find(|policy| policy.kind == change.kind.as_str() && policy.requirement_type == requirement)
            .ok_or(AppError::NotFound("sla policy"))?;
        let mut after = before.clone();
        if let Some(minutes) = change.minutes {
            after.minutes = minutes;
        }
        if let Some(calendar_time) = change.calendar_time {
            after.calendar_time = calendar_time;
        }
        if let Some(role) = change.route_role {
            after.route_role = Some(role.as_str().to_string());
        }
        after.updated_at = now;
        let after = repo::update_policy(&txn, after).await?;
        let as_json = |row: &sla_policies::Model| json!({ "kind": row.kind, "requirementType": row.requirement_type, "minutes": row.minutes, "calendarTime": row.calendar_time, "routeRole": row.route_role });
        audit::record(&txn, principal, now, Change::updated("sla_policy.update", "sla_policy", after.id, as_json(&before), as_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    async fn ticket_visibility<C: ConnectionTrait>(&self, conn: &C, principal: &Principal) -> AppResult<TicketVisibility> {
        let user = match principal.actor {
            Actor::User(user) if principal.role != Role::Admin => user,
            _ => return Ok(TicketVisibility::All),
        };
        let managed = if principal.role == Role::Manager { user_repo::managed_user_ids(conn, principal.org_id, user).await? } else { Vec::new() };
        Ok(TicketVisibility::Of { user: user.into_uuid(), department: department_of(principal.role).to_string(), managed })
    }

    /// Raises a numbered ticket: routed, with its SLA clock running from now.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn create_ticket(&self, principal: &Principal, input: NewTicket) -> AppResult<tickets::Model> {
        let requester = principal.user_id()?;
        let mut errors = FieldErrors::new();
        let title = errors.take(check_text("title", &input.title, 200));
        let details = crate::customers::optional_text(&mut errors, "details", input.details.as_deref(), 20_000);
        if (input.kind == TicketKind::Requirement) != input.requirement_type.is_some() {
            errors.push("requirementType", "is required for REQUIREMENT tickets and only for them");
        }
        if matches!(input.kind, TicketKind::OverdueAnalysis | TicketKind::LegalCase) {
            errors.push("kind", "overdue-analysis and legal-case tickets are opened by the risk tiers, not by hand");
        }
        errors.finish()?;
        let Some(title) = title else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        if let Some(deal) = input.deal_id {
            let visible: Visible = principal.owner_scope(&txn).await?.into();
            deal_repo::find_visible(&txn, principal.org_id, &visible, dealdesk_domain::DealId::from_uuid(deal)).await?.ok_or(AppError::NotFound("deal"))?;
        }
        let ticket = self.insert_ticket(&txn, principal, requester, input.kind, input.deal_id, title, details, input.requirement_type, input.assignee_id, now).await?;
        txn.commit().await?;
        Ok(ticket)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_ticket<C: ConnectionTrait>(
        &self,
        conn: &C,
        principal: &Principal,
        requester: UserId,
        kind: TicketKind,
        deal_id: Option<Uuid>,
        title: String,
        details: Option<String>,
        requirement_type: Option<RequirementType>,
        assignee_id: Option<Uuid>,
        now: DateTime<Utc>,
    ) -> AppResult<tickets::Model> {
        let org = principal.org_id;
        let policies = self.policies_for(conn, org).await?;
        let requirement = requirement_type.map_or(String::new(), |kind| kind.as_str().to_string());
        let policy = policies
            .iter()
            .find(|policy| policy.kind == kind.as_str() && policy.requirement_type == requirement)
            .ok_or_else(|| AppError::Internal(format!("no SLA policy for {}", kind.as_str())))?;
        let assignee = match assignee_id {
            Some(id) => Some(
                user_repo::find(conn, org, UserId::from_uuid(id))
                    .await?
                    .filter(|user| user.active)
                    .ok_or_else(|| AppError::bad_input("assigneeId", "no such active user in this organization"))?,
            ),
            None => None,
        };
        let department = match (&assignee, &policy.route_role) {
            (Some(user), _) => department_of(Role::parse(&user.role)?).to_string(),
            (None, Some(role)) => role.clone(),
            (None, None) => "SALES".to_string(),
        };
        let number = repo::next_number(conn, org, kind.as_str()).await?;
        let calendar = self.calendar_for(conn, org).await?;
        let clock = Clock { calendar: &calendar, calendar_time: policy.calendar_time };
        let mut ticket = tickets::Model {
            id: Uuid::now_v7(),
            org_id: org.into_uuid(),
            number,
            code: ticket_code(kind, number),
            kind: kind.as_str().to_string(),
            status: TicketStatus::Open.as_str().to_string(),
            blocked_from: None,
            deal_id,
            title,
            details,
            requirement_type: requirement_type.map(|kind| kind.as_str().to_string()),
            department,
            requester_id: requester.into_uuid(),
            assignee_id: assignee.map(|user| user.id),
            sla_minutes: policy.minutes,
            calendar_time: policy.calendar_time,
            consumed_seconds: 0,
            clock_started_at: None,
            warn_at: None,
            due_at: None,
            color: SlaColor::Green.as_str().to_string(),
            warned_at: None,
            breached_at: None,
            first_response_at: None,
            first_response_minutes: None,
            rework_count: 0,
            rating: None,
            created_at: now,
            updated_at: now,
            closed_at: None,
        };
        run_clock(&clock, &mut ticket, now);
        repo::insert(conn, ticket.clone()).await?;
        self.record_step(conn, principal, &ticket, "CREATED", None, None, None, now).await?;
        audit::record(conn, principal, now, Change::created("ticket.create", "ticket", ticket.id, ticket_json(&ticket))).await?;
        Ok(ticket)
    }

    #[allow(clippy::too_many_arguments)]
    async fn record_step<C: ConnectionTrait>(&self, conn: &C, principal: &Principal, ticket: &tickets::Model, action: &str, from: Option<&str>, note: Option<String>, rating: Option<i32>, at: DateTime<Utc>) -> AppResult<()> {
        repo::insert_event(
            conn,
            ticket_events::Model {
                id: Uuid::now_v7(),
                org_id: ticket.org_id,
                ticket_id: ticket.id,
                action: action.to_string(),
                from_status: from.map(str::to_string),
                to_status: ticket.status.clone(),
                actor_kind: principal.actor.kind().to_string(),
                actor_id: principal.actor.id(),
                note,
                rating,
                at,
            },
        )
        .await?;
        Ok(())
    }

    /// Takes one life-cycle step (start, deliver, accept, reject, block, unblock).
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id, ticket = %id))]
    pub async fn ticket_step(&self, principal: &Principal, id: Uuid, action: TicketAction, note: Option<String>, rating: Option<i32>) -> AppResult<tickets::Model> {
        let me = principal.user_id()?;
        let mut errors = FieldErrors::new();
        let note = match action {
            TicketAction::Reject => errors.take(check_text("reason", note.as_deref().unwrap_or(""), 2000)),
            TicketAction::Block => errors.take(check_text("reason", note.as_deref().unwrap_or(""), 2000)),
            _ => crate::customers::optional_text(&mut errors, "note", note.as_deref(), 20_000),
        };
        if action == TicketAction::Accept && !rating.is_some_and(|rating| (1..=5).contains(&rating)) {
            errors.push("rating", "must be between 1 and 5");
        }
        errors.finish()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let visibility = self.ticket_visibility(&txn, principal).await?;
        let before = repo::find_visible(&txn, principal.org_id, &visibility, id).await?.ok_or(AppError::NotFound("ticket"))?;
        let status = TicketStatus::parse(&before.status)?;
        let blocked_from = before.blocked_from.as_deref().map(TicketStatus::parse).transpose()?;
        let parties = TicketParties {
            is_requester: before.requester_id == me.into_uuid(),
            is_assignee: before.assignee_id == Some(me.into_uuid()),
            in_queue: before.assignee_id.is_none() && before.department == department_of(principal.role),
            is_admin: principal.role == Role::Admin,
        };
        let next = next_status(status, blocked_from, action, parties).map_err(|error| match error {
            TicketStepError::InvalidTransition { .. } => AppError::InvalidTransition(error.to_string()),
            TicketStepError::Forbidden(message) => AppError::forbidden(message),
        })?;
        let calendar = self.calendar_for(&txn, principal.org_id).await?;
        let clock = Clock { calendar: &calendar, calendar_time: before.calendar_time };
        let mut after = before.clone();
        if matches!(action, TicketAction::Start | TicketAction::Deliver) && after.assignee_id.is_none() {
            after.assignee_id = Some(me.into_uuid());
        }
        if matches!(action, TicketAction::Start | TicketAction::Deliver) && after.first_response_at.is_none() {
            after.first_response_at = Some(now);
            after.first_response_minutes = Some(clock.elapsed(before.created_at, now) / 60);
        }
        match action {
            TicketAction::Block => after.blocked_from = Some(before.status.clone()),
            TicketAction::Unblock => after.blocked_from = None,
            TicketAction::Reject => after.rework_count += 1,
            TicketAction::Accept => {
                after.rating = rating;
                after.closed_at = Some(now);
            }
            _ => {}
        }
        after.status = next.as_str().to_string();
        // The clock pauses while the requester has to act and resumes when work does.
        match (status.clock_runs(), next.clock_runs()) {
            (true, false) => pause_clock(&clock, &mut after, now),
            (false, true) => run_clock(&clock, &mut after, now),
            _ => {}
        }
        after.color = color_now(&clock, &after, now).as_str().to_string();
        after.updated_at = now;
        let after = repo::update(&txn, after).await?;
        self.record_step(&txn, principal, &after, action.as_str(), Some(&before.status), note, rating, now).await?;
        if matches!(action, TicketAction::Deliver | TicketAction::Accept) {
            self.clear_deal_alerts(&txn, principal.org_id, after.id, &[AlertKind::SlaWarning, AlertKind::SlaBreached], now).await?;
        }
        audit::record(&txn, principal, now, Change::updated("ticket.step", "ticket", after.id, ticket_json(&before), ticket_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// A ticket the caller may see, with its colour as of now.
    pub async fn ticket(&self, principal: &Principal, id: Uuid) -> AppResult<tickets::Model> {
        let visibility = self.ticket_visibility(&self.db, principal).await?;
        repo::find_visible(&self.db, principal.org_id, &visibility, id).await?.ok_or(AppError::NotFound("ticket"))
    }

    /// The tickets among `ids` the caller may see (the same rule as [`Self::ticket`]).
    pub async fn visible_tickets(&self, principal: &Principal, ids: &[Uuid]) -> AppResult<Vec<tickets::Model>> {
        let visibility = self.ticket_visibility(&self.db, principal).await?;
        Ok(repo::find_many_visible(&self.db, principal.org_id, &visibility, ids).await?)
    }

    /// A ticket's steps.
    pub async fn ticket_history(&self, principal: &Principal, id: Uuid) -> AppResult<Vec<ticket_events::Model>> {
        Ok(repo::events_of(&self.db, principal.org_id, id).await?)
    }

    /// The live colour and remaining counted minutes of a ticket.
    /// The caller passes the org's `calendar`, read once for a whole list.
    pub fn ticket_clock(&self, calendar: &BusinessCalendar, ticket: &tickets::Model) -> (SlaColor, i64) {
        let clock = Clock { calendar, calendar_time: ticket.calendar_time };
        let now = self.now();
        let used = used_seconds(&clock, ticket, now);
        (color_now(&clock, ticket, now), (i64::from(ticket.sla_minutes) * 60 - used) / 60)
    }

    /// Tickets the caller may see, newest first.
    pub async fn tickets(&self, principal: &Principal, filter: TicketFilter, page: PageRequest) -> AppResult<Page<tickets::Model>> {
        let visibility = self.ticket_visibility(&self.db, principal).await?;
        let me = principal.actor.id();
        let mut query = TicketQuery {
            kind: filter.kind.map(|kind| kind.as_str().to_string()),
            statuses: filter.status.map(|status| vec![status.as_str().to_string()]),
            color: filter.color.map(|color| color.as_str().to_string()),
            assignee_id: filter.assignee_id,
            requester_id: filter.requester_id,
            deal_id: filter.deal_id,
            department: None,
            queue_of: None,
        };
        match filter.scope {
            TicketScope::All => {}
            TicketScope::MyRequests => query.requester_id = me,
            TicketScope::MyQueue => {
                query.queue_of = Some((me.unwrap_or_default(), department_of(principal.role).to_string()));
                if query.statuses.is_none() {
                    query.statuses = Some(["OPEN", "IN_PROGRESS", "BLOCKED", "DELIVERED"].iter().map(|status| status.to_string()).collect());
                }
            }
        }
        let (rows, total) = repo::list(&self.db, principal.org_id, &visibility, &query, &page.to_keyset()).await?;
        Ok(Page::from_rows(rows, total, &page, |row| (row.created_at, row.id)))
    }

    /// A ticket the system raises on someone's behalf (R4's overdue analysis and legal case):
    /// requested by the org's finance (or, without one, its admin).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn open_system_ticket<C: ConnectionTrait>(&self, conn: &C, org: OrgId, kind: TicketKind, deal_id: Option<Uuid>, title: String, details: String, assignee: Option<Uuid>, now: DateTime<Utc>) -> AppResult<Option<tickets::Model>> {
        let people = user_repo::list(conn, org).await?;
        let requester = people
            .iter()
            .filter(|user| user.active)
            .find(|user| user.role == Role::Finance.as_str())
            .or_else(|| people.iter().filter(|user| user.active).find(|user| user.role == Role::Admin.as_str()));
        let Some(requester) = requester else { return Ok(None) };
        let system = Principal { org_id: org, actor: Actor::System, role: Role::Admin };
        let ticket = self.insert_ticket(conn, &system, UserId::from_uuid(requester.id), kind, deal_id, title, Some(details), None, assignee, now).await?;
        Ok(Some(ticket))
    }

    /// C3: a MARKETING user's new lead opens a hand-off ticket to its rep.
    pub(crate) async fn open_handoff<C: ConnectionTrait>(&self, conn: &C, principal: &Principal, deal: &dealdesk_persistence::entities::deals::Model, now: DateTime<Utc>) -> AppResult<()> {
        let Actor::User(marketing) = principal.actor else { return Ok(()) };
        self.insert_ticket(conn, principal, marketing, TicketKind::Handoff, Some(deal.id), format!("线索移交：{}", deal.title), None, None, Some(deal.owner_id), now).await?;
        Ok(())
    }

    /// C3: the rep's first activity or stage move answers the deal's open hand-off.
    pub(crate) async fn answer_handoffs<C: ConnectionTrait>(&self, conn: &C, principal: &Principal, deal: Uuid, now: DateTime<Utc>) -> AppResult<()> {
        let Actor::User(me) = principal.actor else { return Ok(()) };
        for before in repo::open_handoffs(conn, principal.org_id, deal).await? {
            if before.assignee_id != Some(me.into_uuid()) {
                continue;
            }
            let calendar = self.calendar_for(conn, principal.org_id).await?;
            let clock = Clock { calendar: &calendar, calendar_time: before.calendar_time };
            let mut after = before.clone();
            after.first_response_at = Some(now);
            after.first_response_minutes = Some(clock.elapsed(before.created_at, now) / 60);
            pause_clock(&clock, &mut after, now);
            after.color = color_now(&clock, &after, now).as_str().to_string();
            after.status = TicketStatus::Accepted.as_str().to_string();
            after.closed_at = Some(now);
            after.updated_at = now;
            let after = repo::update(conn, after).await?;
            self.record_step(conn, principal, &after, TicketAction::Answer.as_str(), Some(&before.status), None, None, now).await?;
            self.clear_deal_alerts(conn, principal.org_id, after.id, &[AlertKind::SlaWarning, AlertKind::SlaBreached], now).await?;
        }
        Ok(())
    }

    /// C2: tickets that used 80 % of their SLA get one SLA_WARNING, breached ones one SLA_BREACHED.
    #[tracing::instrument(skip_all)]
    pub async fn run_sla_scan(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut raised = 0;
        for breach in [false, true] {
            let mut after = None;
            loop {
                let batch = if breach { repo::due_for_breach(&self.db, now, after, SLA_BATCH).await? } else { repo::due_for_warning(&self.db, now, after, SLA_BATCH).await? };
                after = batch.last().map(|ticket| ticket.id);
                // One transaction per batch: the tickets' new state and their alerts.
                let txn = self.db.begin().await?;
                let mut found = Vec::new();
                let mut people_of_org: std::collections::HashMap<Uuid, Vec<users::Model>> = std::collections::HashMap::new();
                for ticket in &batch {
                    let org = OrgId::from_uuid(ticket.org_id);
                    let mut updated = ticket.clone();
                    let kind = if breach {
                        updated.breached_at = Some(now);
                        updated.warned_at = updated.warned_at.or(Some(now));
                        updated.color = SlaColor::Red.as_str().to_string();
                        AlertKind::SlaBreached
                    } else {
                        updated.warned_at = Some(now);
                        if updated.color == SlaColor::Green.as_str() {
                            updated.color = SlaColor::Yellow.as_str().to_string();
                        }
                        AlertKind::SlaWarning
                    };
                    repo::update(&txn, updated).await?;
                    if breach {
                        self.clear_deal_alerts(&txn, org, ticket.id, &[AlertKind::SlaWarning], now).await?;
                    }
                    let mut recipients: Vec<Uuid> = vec![ticket.requester_id];
                    match ticket.assignee_id {
                        Some(assignee) => recipients.push(assignee),
                        None => {
                            let people = match people_of_org.entry(ticket.org_id) {
                                std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
                                std::collections::hash_map::Entry::Vacant(entry) => entry.insert(user_repo::list(&txn, org).await?),
                            };
                            recipients.extend(people.iter().filter(|user| user.active && user.role == ticket.department).map(|user| user.id));
                        }
                    }
                    recipients.sort();
                    recipients.dedup();
                    let what = if breach { "已超时" } else { "已用掉 80% 时限" };
                    let finding = Finding {
                        kind,
                        subject: Subject::Ticket { ticket: ticket.id, deal: ticket.deal_id },
                        title: format!("工单 {}「{}」{what}", ticket.code, ticket.title),
                        details: json!({ "code": ticket.code, "ticketTitle": ticket.title, "slaMinutes": ticket.sla_minutes, "dueAt": ticket.due_at, "calendarTime": ticket.calendar_time }),
                    };
                    found.push((new_alert(org, finding, now), recipients));
                }
                raised += i32::try_from(self.raise_many(&txn, found).await?).unwrap_or(i32::MAX);
                txn.commit().await?;
                if (batch.len() as u64) < SLA_BATCH {
                    break;
                }
            }
        }
        Ok(raised)
    }
}
