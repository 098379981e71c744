//! The weekly funnel health report (E6): every Friday 17:00 in the org's
//! time zone, each rep gets their figures and each manager their team's,
//! by email (HTML) and, for managers' teams, on group robots subscribed to
//! `report.weekly` (markdown).
//!
//! Exactly once per week per person, whatever the number of processes: a
//! report row is unique per person, kind and period, and its deliveries are
//! queued in the same transaction that stores it.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use dealdesk_domain::{monthly_report_time, next_weekly, previous_month_period, previous_monthly, previous_weekly, OrgId, Role, UserId, Weekly, MONTHLY_REPORT_DAY};
use dealdesk_notification::{ChannelKind, Message};
use dealdesk_persistence::entities::{reports, users};
use dealdesk_persistence::outbox::{self as outbox_repo, PENDING};
use dealdesk_persistence::{reports as repo, users as user_repo};
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::error::AppResult;
use crate::funnel::FunnelHealth;
use crate::notify::subscribed;
use crate::App;

/// A rep's own weekly report.
pub const WEEKLY_FUNNEL: &str = "WEEKLY_FUNNEL";
/// A manager's report on their team.
pub const TEAM_WEEKLY_FUNNEL: &str = "TEAM_WEEKLY_FUNNEL";
/// The event group channels subscribe to.
pub const REPORT_EVENT: &str = "report.weekly";

fn fmt_number(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn beside(value: i64, median: Option<f64>) -> String {
    match median {
        Some(median) => format!("{value}（团队中位数 {}）", fmt_number(median)),
        None => value.to_string(),
    }
}

/// The lines of one person's report, shared by every format.
fn report_lines(report: &FunnelHealth) -> Vec<String> {
    let mut lines = vec![
        format!("跨阶段跳转：{}", beside(report.forward_skips.value, report.forward_skips.team_median)),
        format!("重复退回：{}", beside(report.backward_moves.value, report.backward_moves.team_median)),
        format!("当前卡住的商机：{}", beside(report.stuck_deals.value, report.stuck_deals.team_median)),
        format!("逾期未跟进：{}", beside(report.overdue_follow_ups.value, report.overdue_follow_ups.team_median)),
    ];
    for dwell in report.stage_dwell.iter().filter(|dwell| dwell.exits > 0) {
        let median = dwell.team_median_hours.map(|hours| format!("（团队中位数 {} 小时）", fmt_number(hours))).unwrap_or_default();
        lines.push(format!("{} 平均停留：{} 小时{median}", dwell.stage, fmt_number(dwell.average_hours.unwrap_or(0.0))));
    }
    for step in report.conversion.iter().filter(|step| step.entered > 0) {
        let median = step.team_median_rate.map(|rate| format!("（团队中位数 {:.0}%）", rate * 100.0)).unwrap_or_default();
        lines.push(format!("{} → {} 转化率：{:.0}%{median}", step.from_stage, step.to_stage, step.rate.unwrap_or(0.0) * 100.0));
    }
    lines
}

fn report_json(report: &FunnelHealth) -> serde_json::Value {
    json!({
        "userId": report.user_id,
        "from": report.from,
        "to": report.to,
        "forwardSkips": { "value": report.forward_skips.value, "teamMedian": report.forward_skips.team_median },
        "backwardMoves": { "value": report.backward_moves.value, "teamMedian": report.backward_moves.team_median },
        "stuckDeals": { "value": report.stuck_deals.value, "teamMedian": report.stuck_deals.team_median },
        "overdueFollowUps": { "value": report.overdue_follow_ups.value, "teamMedian": report.overdue_follow_ups.team_median },
        "stageDwell": report.stage_dwell.iter().map(|dwell| json!({ "stage": dwell.stage, "averageHours": dwell.average_hours, "teamMedianHours": dwell.team_median_hours, "exits": dwell.exits })).collect::<Vec<_>>(),
        "conversion": report.conversion.iter().map(|step| json!({ "fromStage": step.from_stage, "toStage": step.to_stage, "entered": step.entered, "advanced": step.advanced, "rate": step.rate, "teamMedianRate": step.team_median_rate })).collect::<Vec<_>>(),
    })
}

/// Renders a report (a person's, or a team's as sections per rep).
pub(crate) fn render(org: Uuid, title: String, sections: &[(String, Vec<String>)], data: serde_json::Value, at: DateTime<Utc>) -> Message {
    let mut markdown = format!("#### {title}\n");
    let mut text = format!("{title}\n");
    let mut html = format!("<h2>{}</h2>", crate::notify::escape_html(&title));
    for (heading, lines) in sections {
        if !heading.is_empty() {
            markdown.push_str(&format!("\n**{heading}**\n"));
            text.push_str(&format!("\n{heading}\n"));
            html.push_str(&format!("<h3>{}</h3>", crate::notify::escape_html(heading)));
        }
        html.push_str("<ul>");
        for line in lines {
            markdown.push_str(&format!("- {line}\n"));
            text.push_str(&format!("- {line}\n"));
            html.push_str(&format!("<li>{}</li>", crate::notify::escape_html(line)));
        }
        html.push_str("</ul>");
    }
    Message {
        id: Uuid::now_v7(),
        event: REPORT_EVENT.to_string(),
        occurred_at: at,
        org_id: org,
        title,
        markdown,
        text,
        html: Some(html),
        data,
    }
}

fn period_label(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz) -> String {
    let end = to - Duration::seconds(1);
    format!("{}–{}", from.with_timezone(&tz).format("%m/%d"), end.with_timezone(&tz).format("%m/%d"))
}

impl App {
    /// Queues a message to one person's email address (when SMTP is configured).
    fn direct_email(&self, user: &users::Model, message: &Message) -> Option<dealdesk_persistence::entities::outbox::Model> {
        if !self.sender.email_configured() {
            return None;
        }
        let mut payload = crate::notify::message_payload(message);
        payload["to"] = json!([user.email]);
        Some(dealdesk_persistence::entities::outbox::Model {
            id: Uuid::now_v7(),
            org_id: user.org_id,
            channel_id: crate::notify::DIRECT_EMAIL,
            event: message.event.clone(),
            payload,
            status: PENDING.to_string(),
            attempts: 0,
            next_attempt_at: Utc::now(),
            last_error: None,
            lease_holder: None,
            lease_until: None,
            created_at: Utc::now(),
            sent_at: None,
        })
    }

    /// E6: for every org whose Friday 17:00 has passed, the reports of that week not yet made.
    #[tracing::instrument(skip_all)]
    pub async fn run_weekly_reports(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut made = 0;
        for org in repo::all_orgs(&self.db).await? {
            let tz: Tz = org.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            let to = previous_weekly(now, tz, Weekly::weekly_report());
            if to <= org.created_at {
                continue;
            }
            let from = to - Duration::days(7);
            let org_id = OrgId::from_uuid(org.id);
            let people: Vec<users::Model> = user_repo::list(&self.db, org_id).await?.into_iter().filter(|user| user.active).collect();
            let reps: Vec<&users::Model> = people.iter().filter(|user| user.role == Role::Rep.as_str()).collect();
            let mut reps_missing = Vec::new();
            for rep in &reps {
                if !repo::exists(&self.db, org_id, rep.id, WEEKLY_FUNNEL, to).await? {
                    reps_missing.push(rep.id);
                }
            }
            let mut teams_missing: Vec<(&users::Model, Vec<Uuid>)> = Vec::new();
            for manager in people.iter().filter(|user| user.role == Role::Manager.as_str()) {
                if !repo::exists(&self.db, org_id, manager.id, TEAM_WEEKLY_FUNNEL, to).await? {
                    let managed = user_repo::managed_user_ids(&self.db, org_id, UserId::from_uuid(manager.id)).await?;
                    teams_missing.push((manager, managed));
                }
            }
            if reps_missing.is_empty() && teams_missing.is_empty() {
                continue;
            }
            // Figures only for the reps whose report, or whose manager's, is still to be made.
            let label = period_label(from, to, tz);
            let needed: Vec<users::Model> = reps
                .iter()
                .filter(|rep| reps_missing.contains(&rep.id) || teams_missing.iter().any(|(_, managed)| managed.contains(&rep.id)))
                .map(|rep| (*rep).clone())
                .collect();
            let mut figures: Vec<(&users::Model, FunnelHealth)> = Vec::new();
            for (rep_id, report) in self.funnel_health_of(org_id, &needed, from, to).await? {
                let Some(rep) = reps.iter().copied().find(|rep| rep.id == rep_id) else { continue };
                if reps_missing.contains(&rep.id) {
                    let message = render(org.id, format!("个人漏斗健康度周报 {label}（{}）", rep.name), &[(String::new(), report_lines(&report))], report_json(&report), now);
                    if self.store_report(rep, WEEKLY_FUNNEL, from, to, report_json(&report), &message, false, now).await? {
                        made += 1;
                    }
                }
                figures.push((rep, report));
            }
            for (manager, managed) in teams_missing {
                let team: Vec<&(&users::Model, FunnelHealth)> = figures.iter().filter(|(rep, _)| managed.contains(&rep.id)).collect();
                if team.is_empty() {
                    continue;
                }
                let sections: Vec<(String, Vec<String>)> = team.iter().map(|(rep, report)| (rep.name.clone(), report_lines(report))).collect();
                let content = json!({ "reps": team.iter().map(|(_, report)| report_json(report)).collect::<Vec<_>>() });
                let message = render(org.id, format!("团队漏斗健康度周报 {label}（{}的团队）", manager.name), &sections, content.clone(), now);
                if self.store_report(manager, TEAM_WEEKLY_FUNNEL, from, to, content, &message, true, now).await? {
                    made += 1;
                }
            }
        }
        Ok(made)
    }

    /// The next Friday 17:00 of any org, in its own time zone.
    pub(crate) async fn next_weekly_report_at(&self, now: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
        let mut next = now + Duration::days(7);
        for org in repo::all_orgs(&self.db).await? {
            let tz: Tz = org.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            next = next.min(next_weekly(now, tz, Weekly::weekly_report()));
        }
        Ok(next)
    }

    /// Stores one report and queues its deliveries in the same transaction; false if it existed.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn store_report(
        &self,
        person: &users::Model,
        kind: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        content: serde_json::Value,
        message: &Message,
        to_groups: bool,
        now: DateTime<Utc>,
    ) -> AppResult<bool> {
        let txn = self.db.begin().await?;
        let stored = repo::insert_if_absent(
            &txn,
            reports::Model {
                id: Uuid::now_v7(),
                org_id: person.org_id,
                user_id: person.id,
                kind: kind.to_string(),
                period_start: from,
                period_end: to,
                content,
                created_at: now,
            },
        )
        .await?;
        if !stored {
            return Ok(false);
        }
        let mut rows: Vec<_> = self.direct_email(person, message).into_iter().collect();
        if to_groups {
            let wall = Utc::now();
            for channel in outbox_repo::active_channels(&txn, OrgId::from_uuid(person.org_id)).await? {
                let group = matches!(ChannelKind::parse(&channel.kind), Some(ChannelKind::DingTalk | ChannelKind::WeCom | ChannelKind::Webhook));
                if group && subscribed(&channel.events, &message.event) {
                    rows.push(crate::notify::outbox_row(&channel, message, wall));
                }
            }
        }
        outbox_repo::enqueue(&txn, rows).await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// A monthly report due for one org: the previous calendar month in the
/// org's time zone, the active people of the report's roles (by id) and
/// those of them still without their report of that month.
pub(crate) struct MonthlyDue {
    pub tz: Tz,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub recipients: Vec<users::Model>,
    pub missing: Vec<users::Model>,
}

impl App {
    /// The monthly report of `kind` the org is due (1st, 09:00 local) and
    /// not yet made for everyone in `roles`; `None` when nothing is owed.
    pub(crate) async fn monthly_report_due(&self, org: &dealdesk_persistence::entities::orgs::Model, kind: &str, roles: &[Role], now: DateTime<Utc>) -> AppResult<Option<MonthlyDue>> {
        let tz: Tz = org.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
        let due = previous_monthly(now, tz, MONTHLY_REPORT_DAY, monthly_report_time());
        if due <= org.created_at {
            return Ok(None);
        }
        let (from, to) = previous_month_period(due, tz);
        let org_id = OrgId::from_uuid(org.id);
        let mut recipients: Vec<users::Model> =
            user_repo::list(&self.db, org_id).await?.into_iter().filter(|user| user.active && roles.iter().any(|role| user.role == role.as_str())).collect();
        recipients.sort_by_key(|user| user.id);
        let mut missing = Vec::new();
        for person in &recipients {
            if !repo::exists(&self.db, org_id, person.id, kind, to).await? {
                missing.push(person.clone());
            }
        }
        if missing.is_empty() {
            return Ok(None);
        }
        Ok(Some(MonthlyDue { tz, from, to, recipients, missing }))
    }
}
