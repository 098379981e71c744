//! Collaboration health (C5): per department (or ticket kind), how fast
//! tickets get a first response, how many keep their SLA, how many are
//! overdue now, how often deliveries are sent back, and how satisfied
//! requesters are; plus the monthly per-department report.
//!
//! The database counts and averages, grouped (`persistence::collaboration`);
//! the shares and the percentile rank follow the pure rules in
//! `dealdesk_domain::collaboration`. Figures:
//!
//! - **tickets**: tickets created in `[from, to)`; every other figure except
//!   `overdue_now` is over these.
//! - **first response**: `first_response_minutes`, the counted time (working
//!   minutes, or calendar minutes for calendar-time policies) from creation
//!   to the first start, delivery or answer; average and nearest-rank p90
//!   over the tickets that have one.
//! - **SLA attainment**: finished tickets (delivered or accepted, answered
//!   hand-offs included) that never breached, over the tickets that are
//!   finished or breached; tickets still running inside their SLA are not
//!   yet decided and count in neither.
//! - **overdue now**: running tickets (open, in progress, blocked) whose due
//!   time has come by the business clock's now, whenever created.
//! - **rework rate**: tickets rejected at least once over tickets delivered
//!   at least once.
//! - **first-pass acceptance**: accepted tickets never rejected over
//!   accepted tickets.
//! - **satisfaction**: the mean 1–5 rating given on acceptance.
//!
//! **Monthly report.** On the 1st at 09:00 in the org's time zone, every
//! active manager and admin gets the per-department figures of the previous
//! calendar month (local midnight to midnight) by email, stored once per
//! person and period like the weekly report. Group channels subscribed to
//! `report.monthly_collaboration` get the same report once: its delivery is
//! queued with the report of the first recipient (by id), so it is exactly
//! once across processes too.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use dealdesk_domain::{
    check_period, monthly_report_time, next_monthly, share, CollaborationGroupBy, OrgId, Role,
    MONTHLY_REPORT_DAY,
};
use dealdesk_persistence::collaboration as repo;
use dealdesk_persistence::reports as report_repo;
use serde_json::json;
use uuid::Uuid;

use crate::error::AppResult;
use crate::principal::{Actor, Principal};
use crate::App;

/// The stored kind of the monthly per-department report.
pub const MONTHLY_COLLABORATION: &str = "MONTHLY_COLLABORATION";
/// The event group channels subscribe to for the monthly report.
pub const MONTHLY_REPORT_EVENT: &str = "report.monthly_collaboration";

/// Who sees collaboration health: the org's managers and admins.
const HEALTH_ROLES: [Role; 2] = [Role::Manager, Role::Admin];

/// One group's collaboration health.
#[derive(Clone, Debug, PartialEq)]
pub struct CollaborationHealthRow {
    /// The department (TECH, DELIVERY, SALES, …) or ticket kind.
    pub group: String,
    /// Tickets created in the period.
    pub tickets: i64,
    /// Of those, tickets that got a first response.
    pub responded: i64,
    /// Mean first-response minutes (working time, or calendar time for
    /// calendar-time policies); `None` when none responded.
    pub average_first_response_minutes: Option<f64>,
    /// Nearest-rank 90th percentile of the first-response minutes.
    pub p90_first_response_minutes: Option<f64>,
    /// Tickets whose SLA outcome is decided: finished or breached.
    pub sla_measured: i64,
    /// Finished tickets that never breached.
    pub sla_met: i64,
    /// `sla_met / sla_measured`; `None` when nothing is decided yet.
    pub sla_attainment: Option<f64>,
    /// Running tickets past their due time now, whenever created.
    pub overdue_now: i64,
    /// Tickets delivered at least once.
    pub delivered: i64,
    /// Tickets rejected at least once.
    pub reworked: i64,
    /// `reworked / delivered`; `None` when nothing was delivered.
    pub rework_rate: Option<f64>,
    /// Tickets the requester accepted.
    pub accepted: i64,
    /// Accepted tickets never rejected.
    pub accepted_first_pass: i64,
    /// `accepted_first_pass / accepted`; `None` when nothing was accepted.
    pub first_pass_acceptance_rate: Option<f64>,
    /// Tickets rated on acceptance.
    pub rated: i64,
    /// Mean rating (1–5); `None` when none was rated.
    pub average_satisfaction: Option<f64>,
}

impl CollaborationHealthRow {
    fn from_counts(counts: repo::HealthCounts, overdue_now: i64) -> Self {
        Self {
            sla_attainment: share(counts.sla_met, counts.sla_measured),
            rework_rate: share(counts.reworked, counts.delivered),
            first_pass_acceptance_rate: share(counts.accepted_first_pass, counts.accepted),
            group: counts.group,
            tickets: counts.tickets,
            responded: counts.responded,
            average_first_response_minutes: counts.average_first_response_minutes,
            p90_first_response_minutes: counts.p90_first_response_minutes.map(|minutes| minutes as f64),
            sla_measured: counts.sla_measured,
            sla_met: counts.sla_met,
            overdue_now,
            delivered: counts.delivered,
            reworked: counts.reworked,
            accepted: counts.accepted,
            accepted_first_pass: counts.accepted_first_pass,
            rated: counts.rated,
            average_satisfaction: counts.average_rating,
        }
    }

    /// A group with overdue tickets but none created in the period.
    fn overdue_only(group: String, overdue_now: i64) -> Self {
        let counts = repo::HealthCounts {
            group,
            tickets: 0,
            responded: 0,
            average_first_response_minutes: None,
            p90_first_response_minutes: None,
            sla_measured: 0,
            sla_met: 0,
            delivered: 0,
            reworked: 0,
            accepted: 0,
            accepted_first_pass: 0,
            rated: 0,
            average_rating: None,
        };
        Self::from_counts(counts, overdue_now)
    }
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |value| format!("{:.0}%", value * 100.0))
}

fn minutes(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |value| format!("{value:.1} 分钟"))
}

/// One department's line in the monthly report.
fn report_line(row: &CollaborationHealthRow) -> String {
    format!(
        "工单 {}，平均首次响应 {}，P90 {}，SLA 达成率 {}，当前逾期 {}，返工率 {}，一次验收通过率 {}，满意度 {}",
        row.tickets,
        minutes(row.average_first_response_minutes),
        minutes(row.p90_first_response_minutes),
        percent(row.sla_attainment),
        row.overdue_now,
        percent(row.rework_rate),
        percent(row.first_pass_acceptance_rate),
        row.average_satisfaction.map_or_else(|| "—".to_string(), |rating| format!("{rating:.1}")),
    )
}

fn row_json(row: &CollaborationHealthRow) -> serde_json::Value {
    json!({
        "group": row.group,
        "tickets": row.tickets,
        "averageFirstResponseMinutes": row.average_first_response_minutes,
        "p90FirstResponseMinutes": row.p90_first_response_minutes,
        "slaAttainment": row.sla_attainment,
        "overdueNow": row.overdue_now,
        "reworkRate": row.rework_rate,
        "firstPassAcceptanceRate": row.first_pass_acceptance_rate,
        "averageSatisfaction": row.average_satisfaction,
    })
}

impl App {
    /// Collaboration health (C5) over the tickets created in `[from, to)`,
    /// one row per department or kind, ordered by group (managers and admins).
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn collaboration_health(
        &self,
        principal: &Principal,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        group_by: CollaborationGroupBy,
    ) -> AppResult<Vec<CollaborationHealthRow>> {
        check_period(from, to)?;
        principal.require_role(&HEALTH_ROLES)?;
        let org = principal.org_id;
        let now = self.now();
        let counts = repo::period_counts(&self.db, org, group_by, from, to).await?;
        let mut overdue: BTreeMap<String, i64> = repo::overdue_counts(&self.db, org, group_by, now).await?.into_iter().collect();
        let mut rows: Vec<CollaborationHealthRow> = counts
            .into_iter()
            .map(|counts| {
                let overdue_now = overdue.remove(&counts.group).unwrap_or(0);
                CollaborationHealthRow::from_counts(counts, overdue_now)
            })
            .collect();
        rows.extend(overdue.into_iter().map(|(group, count)| CollaborationHealthRow::overdue_only(group, count)));
        rows.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(rows)
    }

    /// C5: for every org whose 1st-of-the-month 09:00 has passed, the monthly
    /// collaboration reports of the previous month not yet made.
    #[tracing::instrument(skip_all)]
    pub async fn run_monthly_collaboration_reports(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut made = 0;
        for org in report_repo::all_orgs(&self.db).await? {
            let Some(crate::reports::MonthlyDue { tz, from, to, recipients, missing }) = self.monthly_report_due(&org, MONTHLY_COLLABORATION, &HEALTH_ROLES, now).await? else {
                continue;
            };
            let org_id = OrgId::from_uuid(org.id);
            let system = Principal { org_id, actor: Actor::System, role: Role::Admin };
            let rows = self.collaboration_health(&system, from, to, CollaborationGroupBy::Department).await?;
            let month = from.with_timezone(&tz).format("%Y-%m").to_string();
            let mut sections: Vec<(String, Vec<String>)> = rows.iter().map(|row| (row.group.clone(), vec![report_line(row)])).collect();
            if sections.is_empty() {
                sections.push((String::new(), vec!["本月没有新工单，也没有逾期工单".to_string()]));
            }
            let content = json!({ "from": from, "to": to, "asOf": now, "groupBy": "DEPARTMENT", "rows": rows.iter().map(row_json).collect::<Vec<_>>() });
            let mut message = crate::reports::render(org.id, format!("部门协同健康度月报 {month}"), &sections, content.clone(), now);
            message.event = MONTHLY_REPORT_EVENT.to_string();
            let group_carrier = recipients.first().map(|person| person.id);
            for person in &missing {
                let to_groups = Some(person.id) == group_carrier;
                message.id = Uuid::now_v7();
                if self.store_report(person, MONTHLY_COLLABORATION, from, to, content.clone(), &message, to_groups, now).await? {
                    made += 1;
                }
            }
        }
        Ok(made)
    }

    /// The next 1st-of-the-month 09:00 of any org, in its own time zone.
    pub(crate) async fn next_monthly_report_at(&self, now: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
        let mut next = now + Duration::days(32);
        for org in report_repo::all_orgs(&self.db).await? {
            let tz: Tz = org.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            next = next.min(next_monthly(now, tz, MONTHLY_REPORT_DAY, monthly_report_time()));
        }
        Ok(next)
    }
}
