//! Process alerts (E1–E5): the scans that raise them, their life-cycle,
//! and the per-org rule settings.
//!
//! Scans select candidates with index-driven queries in batches (never an
//! org's whole pipeline in memory), confirm each with the domain rule, and
//! insert a batch's alerts with their recipients and outbox messages in one
//! transaction, with multi-row inserts. The unique `(org_id, open_key)`
//! index keeps one open alert per rule and subject (an insert that meets an
//! open alert does nothing), so rescans and concurrent scanners add nothing
//! twice; resolving is batched the same way.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use dealdesk_domain::{
    follow_up_escalation_due, is_follow_up_overdue, is_newcomer, is_ping_pong, is_stuck, is_struggling, AlertKind,
    AlertRules, FollowUpRule, NewcomerRule, OrgId, PingPongRule, Role, StageDef, StageKind, UserId,
};
use dealdesk_persistence::alerts::{self as repo, AlertQuery, ACKNOWLEDGED, OPEN};
use dealdesk_persistence::deals::StuckRule;
use dealdesk_persistence::entities::{alert_recipients, alert_rules, alerts, deals, users};
use dealdesk_persistence::users as user_repo;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::page::{Page, PageRequest};
use crate::principal::Principal;
use crate::App;

/// Candidates fetched per query in a scan.
pub const SCAN_BATCH: u64 = 500;

/// Input of `updateAlertRule`: only the settings that apply to the kind.
#[derive(Clone, Debug, Default)]
pub struct RuleChange {
    pub enabled: Option<bool>,
    pub escalate_after_hours: Option<i32>,
    pub reassignments: Option<i32>,
    pub window_days: Option<i32>,
    pub within_days: Option<i32>,
    pub stuck_deals: Option<i32>,
}

/// One rule as shown to admins.
#[derive(Clone, Debug)]
pub struct RuleView {
    pub kind: AlertKind,
    pub enabled: bool,
    pub escalate_after_hours: Option<u32>,
    pub reassignments: Option<u32>,
    pub window_days: Option<u32>,
    pub within_days: Option<u32>,
    pub stuck_deals: Option<u32>,
}

/// Filters of `alerts`.
#[derive(Clone, Debug, Default)]
pub struct AlertFilter {
    pub status: Option<String>,
    pub kind: Option<AlertKind>,
    pub subject_id: Option<Uuid>,
}

/// An alert with its recipients.
#[derive(Clone, Debug)]
pub struct AlertView {
    pub alert: alerts::Model,
    pub recipients: Vec<Uuid>,
}

fn param(params: &serde_json::Value, name: &str) -> Option<u32> {
    params.get(name).and_then(serde_json::Value::as_u64).and_then(|value| u32::try_from(value).ok())
}

/// Reads the stored rule rows over the defaults.
fn rules_from(rows: &[alert_rules::Model]) -> AlertRules {
    let mut rules = AlertRules::default();
    for row in rows {
        match AlertKind::parse(&row.kind) {
            Ok(AlertKind::StageStuck) => rules.stage_stuck = row.enabled,
            Ok(AlertKind::FollowUpOverdue) => {
                rules.follow_up = FollowUpRule {
                    enabled: row.enabled,
                    escalate_after_hours: param(&row.params, "escalateAfterHours").unwrap_or(rules.follow_up.escalate_after_hours),
                }
            }
            Ok(AlertKind::PingPong) => {
                rules.ping_pong = PingPongRule {
                    enabled: row.enabled,
                    reassignments: param(&row.params, "reassignments").unwrap_or(rules.ping_pong.reassignments),
                    window_days: param(&row.params, "windowDays").unwrap_or(rules.ping_pong.window_days),
                }
            }
            Ok(AlertKind::NewcomerStuck) => {
                rules.newcomer = NewcomerRule {
                    enabled: row.enabled,
                    within_days: param(&row.params, "withinDays").unwrap_or(rules.newcomer.within_days),
                    stuck_deals: param(&row.params, "stuckDeals").unwrap_or(rules.newcomer.stuck_deals),
                }
            }
            _ => {}
        }
    }
    rules
}

fn views(rules: &AlertRules) -> Vec<RuleView> {
    let base = |kind, enabled| RuleView {
        kind,
        enabled,
        escalate_after_hours: None,
        reassignments: None,
        window_days: None,
        within_days: None,
        stuck_deals: None,
    };
    vec![
        base(AlertKind::StageStuck, rules.stage_stuck),
        RuleView {
            escalate_after_hours: Some(rules.follow_up.escalate_after_hours),
            ..base(AlertKind::FollowUpOverdue, rules.follow_up.enabled)
        },
        RuleView {
            reassignments: Some(rules.ping_pong.reassignments),
            window_days: Some(rules.ping_pong.window_days),
            ..base(AlertKind::PingPong, rules.ping_pong.enabled)
        },
        RuleView {
            within_days: Some(rules.newcomer.within_days),
            stuck_deals: Some(rules.newcomer.stuck_deals),
            ..base(AlertKind::NewcomerStuck, rules.newcomer.enabled)
        },
    ]
}

fn rule_json(view: &RuleView) -> serde_json::Value {
    json!({
        "enabled": view.enabled,
        "escalateAfterHours": view.escalate_after_hours,
        "reassignments": view.reassignments,
        "windowDays": view.window_days,
        "withinDays": view.within_days,
        "stuckDeals": view.stuck_deals,
    })
}

/// The keys of the open stages, in the order given.
pub(crate) fn open_stage_keys(stages: &[StageDef]) -> Vec<String> {
    stages.iter().filter(|stage| stage.kind == StageKind::Open).map(|stage| stage.key.as_str().to_string()).collect()
}

/// The stuck thresholds of the open stages.
pub(crate) fn stuck_rules(stages: &[StageDef]) -> Vec<StuckRule> {
    stages
        .iter()
        .filter(|stage| stage.kind == StageKind::Open)
        .filter_map(|stage| {
            stage.stuck_after_hours.map(|hours| StuckRule {
                stage: stage.key.as_str().to_string(),
                hours,
            })
        })
        .collect()
}

/// A user's managers: their direct manager and their team's manager.
async fn managers_of<C: ConnectionTrait>(conn: &C, org: OrgId, user: &users::Model) -> AppResult<Vec<Uuid>> {
    let mut managers = Vec::new();
    if let Some(manager) = user.manager_id {
        managers.push(manager);
    }
    if let Some(team) = user.team_id {
        if let Some(team) = user_repo::find_team(conn, org, dealdesk_domain::TeamId::from_uuid(team)).await? {
            if let Some(manager) = team.manager_id {
                managers.push(manager);
            }
        }
    }
    managers.retain(|manager| *manager != user.id);
    managers.sort();
    managers.dedup();
    Ok(managers)
}

/// Managers, or the org's admins when nobody manages the user.
async fn managers_or_admins<C: ConnectionTrait>(conn: &C, org: OrgId, user: &users::Model) -> AppResult<Vec<Uuid>> {
    let managers = managers_of(conn, org, user).await?;
    if !managers.is_empty() {
        return Ok(managers);
    }
    Ok(user_repo::list(conn, org)
        .await?
        .into_iter()
        .filter(|candidate| candidate.active && candidate.role == Role::Admin.as_str())
        .map(|admin| admin.id)
        .collect())
}

/// What a scan found, before it becomes an alert row.
pub(crate) struct Finding {
    pub(crate) kind: AlertKind,
    /// A deal (`DEAL`), a person (`USER`) or a ticket (`TICKET`).
    pub(crate) subject: Subject,
    /// The one-line description.
    pub(crate) title: String,
    /// The rule's figures.
    pub(crate) details: serde_json::Value,
}

/// What an alert is about.
pub(crate) enum Subject {
    /// A deal and its owner.
    Deal { deal: Uuid, owner: Uuid },
    /// A person.
    User(Uuid),
    /// A ticket, and the deal it belongs to if any.
    Ticket { ticket: Uuid, deal: Option<Uuid> },
    /// A receivable, its deal and the deal's owner.
    Receivable { receivable: Uuid, deal: Uuid, owner: Uuid },
}

pub(crate) fn new_alert(org: OrgId, finding: Finding, now: DateTime<Utc>) -> alerts::Model {
    let (subject_type, subject, deal, user) = match finding.subject {
        Subject::Deal { deal, owner } => ("DEAL", deal, Some(deal), Some(owner)),
        Subject::User(user) => ("USER", user, None, Some(user)),
        Subject::Ticket { ticket, deal } => ("TICKET", ticket, deal, None),
        Subject::Receivable { receivable, deal, owner } => ("RECEIVABLE", receivable, Some(deal), Some(owner)),
    };
    alerts::Model {
        id: Uuid::now_v7(),
        org_id: org.into_uuid(),
        kind: finding.kind.as_str().to_string(),
        status: OPEN.to_string(),
        subject_type: subject_type.to_string(),
        subject_id: subject,
        deal_id: deal,
        user_id: user,
        title: finding.title,
        details: finding.details,
        open_key: Some(finding.kind.open_key(subject)),
        raised_at: now,
        acknowledged_at: None,
        acknowledged_by: None,
        resolved_at: None,
        escalated_at: None,
    }
}

impl App {
    /// The org's alert rules (defaults where never changed).
    pub(crate) async fn rules_for<C: ConnectionTrait>(&self, conn: &C, org: OrgId) -> AppResult<AlertRules> {
        Ok(rules_from(&repo::rules_of(conn, org).await?))
    }

    /// The org's alert rules as settings.
    pub async fn alert_rules(&self, principal: &Principal) -> AppResult<Vec<RuleView>> {
        Ok(views(&self.rules_for(&self.db, principal.org_id).await?))
    }

    /// Changes one rule (admin). Settings that do not apply to the kind are refused by name.
    pub async fn update_alert_rule(&self, principal: &Principal, kind: AlertKind, change: RuleChange) -> AppResult<RuleView> {
        principal.require_admin()?;
        let mut errors = FieldErrors::new();
        let mut check = |field: &str, value: Option<i32>, applies: bool, range: std::ops::RangeInclusive<i32>| -> Option<u32> {
            let value = value?;
            if !applies {
                errors.push(field, format!("does not apply to {}", kind.as_str()));
                return None;
            }
            if !range.contains(&value) {
                errors.push(field, format!("must be between {} and {}", range.start(), range.end()));
                return None;
            }
            u32::try_from(value).ok()
        };
        let escalate = check("escalateAfterHours", change.escalate_after_hours, kind == AlertKind::FollowUpOverdue, 1..=720);
        let reassignments = check("reassignments", change.reassignments, kind == AlertKind::PingPong, 2..=50);
        let window_days = check("windowDays", change.window_days, kind == AlertKind::PingPong, 1..=365);
        let within_days = check("withinDays", change.within_days, kind == AlertKind::NewcomerStuck, 1..=730);
        let stuck_deals = check("stuckDeals", change.stuck_deals, kind == AlertKind::NewcomerStuck, 1..=100);
        if !matches!(kind, AlertKind::StageStuck | AlertKind::FollowUpOverdue | AlertKind::PingPong | AlertKind::NewcomerStuck) {
            errors.push("kind", "only STAGE_STUCK, FOLLOW_UP_OVERDUE, PING_PONG and NEWCOMER_STUCK are configured here");
        }
        errors.finish()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let mut rules = self.rules_for(&txn, principal.org_id).await?;
        let before = views(&rules).into_iter().find(|view| view.kind == kind);
        match kind {
            AlertKind::StageStuck => rules.stage_stuck = change.enabled.unwrap_or(rules.stage_stuck),
            AlertKind::FollowUpOverdue => {
                rules.follow_up.enabled = change.enabled.unwrap_or(rules.follow_up.enabled);
                rules.follow_up.escalate_after_hours = escalate.unwrap_or(rules.follow_up.escalate_after_hours);
            }
            AlertKind::PingPong => {
                rules.ping_pong.enabled = change.enabled.unwrap_or(rules.ping_pong.enabled);
                rules.ping_pong.reassignments = reassignments.unwrap_or(rules.ping_pong.reassignments);
                rules.ping_pong.window_days = window_days.unwrap_or(rules.ping_pong.window_days);
            }
            _ => {
                rules.newcomer.enabled = change.enabled.unwrap_or(rules.newcomer.enabled);
                rules.newcomer.within_days = within_days.unwrap_or(rules.newcomer.within_days);
                rules.newcomer.stuck_deals = stuck_deals.unwrap_or(rules.newcomer.stuck_deals);
            }
        }
        let after = views(&rules)
            .into_iter()
            .find(|view| view.kind == kind)
            .ok_or_else(|| AppError::Internal("rule view missing".into()))?;
        let row_id = Uuid::now_v7();
        repo::upsert_rule(
            &txn,
            alert_rules::Model {
                id: row_id,
                org_id: principal.org_id.into_uuid(),
                kind: kind.as_str().to_string(),
                enabled: after.enabled,
                params: rule_json(&after),
                updated_at: now,
            },
        )
        .await?;
        audit::record(
            &txn,
            principal,
            now,
            Change {
                action: "alert_rule.update",
                entity_type: "alert_rule",
                entity_id: None,
                before: before.as_ref().map(rule_json),
                after: Some(json!({ "kind": kind.as_str(), "rule": rule_json(&after) })),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Alerts addressed to the caller (an admin sees every alert of the org), newest first.
    pub async fn alerts(&self, principal: &Principal, filter: AlertFilter, page: PageRequest) -> AppResult<Page<AlertView>> {
        let recipient = if principal.role == Role::Admin { None } else { Some(principal.user_id()?.into_uuid()) };
        if let Some(status) = &filter.status {
            if ![OPEN, ACKNOWLEDGED, "RESOLVED"].contains(&status.as_str()) {
                return Err(AppError::bad_input("status", "must be OPEN, ACKNOWLEDGED or RESOLVED"));
            }
        }
        let query = AlertQuery {
            recipient,
            statuses: filter.status.map(|status| vec![status]),
            kind: filter.kind.map(|kind| kind.as_str().to_string()),
            subject_id: filter.subject_id,
        };
        let (rows, total) = repo::list(&self.db, principal.org_id, &query, &page.to_keyset()).await?;
        let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
        let recipients = repo::recipients_of(&self.db, principal.org_id, &ids).await?;
        let page = Page::from_rows(rows, total, &page, |row| (row.raised_at, row.id));
        Ok(page.map(|alert| AlertView {
            recipients: recipients.iter().filter(|r| r.alert_id == alert.id).map(|r: &alert_recipients::Model| r.user_id).collect(),
            alert,
        }))
    }

    /// Marks an alert seen by a recipient (or an admin); it stays until its condition clears.
    pub async fn acknowledge_alert(&self, principal: &Principal, id: Uuid) -> AppResult<AlertView> {
        let me = principal.user_id()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let alert = repo::find(&txn, principal.org_id, id).await?.ok_or(AppError::NotFound("alert"))?;
        let recipients: Vec<Uuid> = repo::recipients_of(&txn, principal.org_id, &[id]).await?.into_iter().map(|r| r.user_id).collect();
        if principal.role != Role::Admin && !recipients.contains(&me.into_uuid()) {
            return Err(AppError::NotFound("alert"));
        }
        if alert.status == "RESOLVED" {
            return Err(AppError::InvalidTransition("the alert is already resolved".into()));
        }
        repo::acknowledge(&txn, principal.org_id, id, me.into_uuid(), now).await?;
        audit::record(&txn, principal, now, Change::updated("alert.acknowledge", "alert", id, json!({ "status": alert.status }), json!({ "status": ACKNOWLEDGED }))).await?;
        let alert = repo::find(&txn, principal.org_id, id).await?.ok_or(AppError::NotFound("alert"))?;
        txn.commit().await?;
        Ok(AlertView { alert, recipients })
    }

    /// Resolves a deal's alerts whose condition a use case just cleared (same transaction).
    pub(crate) async fn clear_deal_alerts<C: ConnectionTrait>(&self, conn: &C, org: OrgId, deal: Uuid, kinds: &[AlertKind], now: DateTime<Utc>) -> AppResult<()> {
        let kinds: Vec<&str> = kinds.iter().map(|kind| kind.as_str()).collect();
        repo::resolve_for_subject(conn, org, deal, &kinds, now).await?;
        Ok(())
    }

    /// Raises one alert unless its rule and subject have an open one; returns whether it did.
    pub(crate) async fn raise<C: ConnectionTrait>(&self, conn: &C, alert: alerts::Model, recipients: &[Uuid]) -> AppResult<bool> {
        Ok(self.raise_many(conn, vec![(alert, recipients.to_vec())]).await? == 1)
    }

    /// Raises alerts with their recipients and outbox messages, in the
    /// caller's transaction, skipping those whose rule and subject already
    /// have an open alert; returns how many were raised. A batch costs a
    /// handful of multi-row statements, whatever its size.
    pub(crate) async fn raise_many<C: ConnectionTrait>(&self, conn: &C, batch: Vec<(alerts::Model, Vec<Uuid>)>) -> AppResult<usize> {
        if batch.is_empty() {
            return Ok(0);
        }
        for (alert, recipients) in &batch {
            if recipients.is_empty() {
                tracing::warn!(kind = %alert.kind, subject = %alert.subject_id, "alert has no recipient");
            }
        }
        let inserted = repo::insert_many_if_absent(conn, &batch).await?;
        let raised: Vec<(alerts::Model, Vec<Uuid>)> = batch.into_iter().filter(|(alert, _)| inserted.contains(&alert.id)).collect();
        self.enqueue_alerts(conn, &raised, "alert.raised").await?;
        Ok(raised.len())
    }

    /// Raises what one scan batch found in one transaction of its own.
    async fn raise_batch(&self, found: Vec<(alerts::Model, Vec<Uuid>)>) -> AppResult<i32> {
        if found.is_empty() {
            return Ok(0);
        }
        let txn = self.db.begin().await?;
        let raised = self.raise_many(&txn, found).await?;
        txn.commit().await?;
        Ok(i32::try_from(raised).unwrap_or(i32::MAX))
    }

    /// E1: raises stuck-deal alerts and resolves those whose deal moved or got attention.
    #[tracing::instrument(skip_all)]
    pub async fn run_stuck_scan(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut raised = 0;
        for org in repo::all_org_ids(&self.db).await?.into_iter().map(OrgId::from_uuid) {
            let stages = self.stage_defs(&self.db, org).await?;
            let rules = stuck_rules(&stages);
            // An owner's recipients (owner and managers) are looked up once per scan.
            let mut recipients_of_owner: std::collections::HashMap<Uuid, Vec<Uuid>> = std::collections::HashMap::new();
            if self.rules_for(&self.db, org).await?.stage_stuck {
                for rule in &rules {
                    let stage_name = stages.iter().find(|s| s.key.as_str() == rule.stage).map_or(rule.stage.clone(), |s| s.name.clone());
                    let mut after = None;
                    loop {
                        let batch = repo::stuck_candidates(&self.db, org, rule, now, after, SCAN_BATCH).await?;
                        after = batch.last().map(|deal| (deal.entered_stage_at, deal.id));
                        let mut found = Vec::new();
                        for deal in &batch {
                            if !is_stuck(deal.entered_stage_at, deal.last_activity_at, rule.hours, now) {
                                continue;
                            }
                            let recipients = match recipients_of_owner.get(&deal.owner_id) {
                                Some(recipients) => recipients.clone(),
                                None => {
                                    let mut recipients = vec![deal.owner_id];
                                    if let Some(owner) = user_repo::find(&self.db, org, UserId::from_uuid(deal.owner_id)).await? {
                                        recipients.extend(managers_of(&self.db, org, &owner).await?);
                                    }
                                    recipients_of_owner.insert(deal.owner_id, recipients.clone());
                                    recipients
                                }
                            };
                            let title = format!("商机「{}」在「{}」阶段超过 {} 小时没有新跟进", deal.title, stage_name, rule.hours);
                            let details = json!({ "stage": rule.stage, "thresholdHours": rule.hours, "enteredStageAt": deal.entered_stage_at, "lastActivityAt": deal.last_activity_at, "dealTitle": deal.title });
                            found.push((new_alert(org, Finding { kind: AlertKind::StageStuck, subject: Subject::Deal { deal: deal.id, owner: deal.owner_id }, title, details }, now), recipients));
                        }
                        raised += self.raise_batch(found).await?;
                        if (batch.len() as u64) < SCAN_BATCH {
                            break;
                        }
                    }
                }
            }
            // Reconcile: an open stuck alert whose deal is no longer stuck resolves itself.
            self.reconcile_deal_alerts(org, AlertKind::StageStuck, now, |deal: &deals::Model| {
                rules.iter().any(|rule| rule.stage == deal.stage && is_stuck(deal.entered_stage_at, deal.last_activity_at, rule.hours, now))
            })
            .await?;
        }
        Ok(raised)
    }

    /// Resolves open alerts of `kind` about deals for which `still` no longer holds.
    async fn reconcile_deal_alerts(&self, org: OrgId, kind: AlertKind, now: DateTime<Utc>, still: impl Fn(&deals::Model) -> bool) -> AppResult<()> {
        let mut after = None;
        loop {
            let batch = repo::open_of_kind(&self.db, org, kind.as_str(), after, SCAN_BATCH).await?;
            after = batch.last().map(|alert| alert.id);
            let ids: Vec<Uuid> = batch.iter().map(|alert| alert.subject_id).collect();
            let deals: HashMap<Uuid, deals::Model> = dealdesk_persistence::deals::find_many(&self.db, org, &ids).await?.into_iter().map(|deal| (deal.id, deal)).collect();
            let cleared: Vec<Uuid> = batch.iter().filter(|alert| !deals.get(&alert.subject_id).is_some_and(&still)).map(|alert| alert.id).collect();
            repo::resolve_many(&self.db, org, &cleared, now).await?;
            if (batch.len() as u64) < SCAN_BATCH {
                return Ok(());
            }
        }
    }

    /// E2: raises overdue follow-up alerts to owners, then adds their managers after the escalation delay.
    #[tracing::instrument(skip_all)]
    pub async fn run_follow_up_scan(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut raised = 0;
        for org in repo::all_org_ids(&self.db).await?.into_iter().map(OrgId::from_uuid) {
            let rule = self.rules_for(&self.db, org).await?.follow_up;
            let open_stages = open_stage_keys(&self.stage_defs(&self.db, org).await?);
            if rule.enabled {
                for stage in &open_stages {
                    let mut after = None;
                    loop {
                        let batch = repo::overdue_follow_up_candidates(&self.db, org, stage, now, after, SCAN_BATCH).await?;
                        let mut found = Vec::new();
                        for deal in &batch {
                            let Some(due) = deal.next_follow_up_at else { continue };
                            after = Some((due, deal.id));
                            if !is_follow_up_overdue(Some(due), deal.last_activity_at, now) {
                                continue;
                            }
                            let title = format!("商机「{}」的跟进时间已过，尚未记录跟进", deal.title);
                            let details = json!({ "nextFollowUpAt": due, "lastActivityAt": deal.last_activity_at, "dealTitle": deal.title });
                            found.push((new_alert(org, Finding { kind: AlertKind::FollowUpOverdue, subject: Subject::Deal { deal: deal.id, owner: deal.owner_id }, title, details }, now), vec![deal.owner_id]));
                        }
                        raised += self.raise_batch(found).await?;
                        if (batch.len() as u64) < SCAN_BATCH {
                            break;
                        }
                    }
                }
            }
            // Escalate to managers after the delay; resolve what cleared.
            let mut after = None;
            loop {
                let batch = repo::open_of_kind(&self.db, org, AlertKind::FollowUpOverdue.as_str(), after, SCAN_BATCH).await?;
                after = batch.last().map(|alert| alert.id);
                // The batch's deals in one query, as the reconcile pass does.
                let ids: Vec<Uuid> = batch.iter().map(|alert| alert.subject_id).collect();
                let deals: HashMap<Uuid, deals::Model> = dealdesk_persistence::deals::find_many(&self.db, org, &ids).await?.into_iter().map(|deal| (deal.id, deal)).collect();
                let mut cleared = Vec::new();
                for alert in &batch {
                    let deal = deals.get(&alert.subject_id);
                    let overdue = deal.filter(|deal| open_stages.contains(&deal.stage) && is_follow_up_overdue(deal.next_follow_up_at, deal.last_activity_at, now));
                    let Some(deal) = overdue else {
                        cleared.push(alert.id);
                        continue;
                    };
                    let Some(due) = deal.next_follow_up_at else { continue };
                    if alert.escalated_at.is_none() && follow_up_escalation_due(due, rule, now) {
                        let txn = self.db.begin().await?;
                        if let Some(owner) = user_repo::find(&txn, org, UserId::from_uuid(deal.owner_id)).await? {
                            let mut added = Vec::new();
                            for manager in managers_of(&txn, org, &owner).await? {
                                if repo::add_recipient(&txn, org.into_uuid(), alert.id, manager, now).await? {
                                    added.push(manager);
                                }
                            }
                            // The managers' own channels hear of it now; group channels already did.
                            self.enqueue_escalation(&txn, alert, &added).await?;
                        }
                        repo::mark_escalated(&txn, org, alert.id, now).await?;
                        txn.commit().await?;
                        raised += 1;
                    }
                }
                repo::resolve_many(&self.db, org, &cleared, now).await?;
                if (batch.len() as u64) < SCAN_BATCH {
                    break;
                }
            }
        }
        Ok(raised)
    }

    /// E3: deals handed around too often without substantive work; tells the managers.
    #[tracing::instrument(skip_all)]
    pub async fn run_ping_pong_scan(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut raised = 0;
        for org in repo::all_org_ids(&self.db).await?.into_iter().map(OrgId::from_uuid) {
            let rule = self.rules_for(&self.db, org).await?.ping_pong;
            let since = now - Duration::days(i64::from(rule.window_days));
            let check = |deal: Uuid| async move {
                let reassigned = repo::reassignment_times(&self.db, org, deal, since).await?;
                let worked = repo::substantive_activity_times(&self.db, org, deal, since).await?;
                AppResult::Ok(is_ping_pong(&reassigned, &worked, rule, now))
            };
            if rule.enabled {
                let mut found = Vec::new();
                for deal_id in repo::frequently_reassigned(&self.db, org, since, i64::from(rule.reassignments)).await? {
                    if !check(deal_id).await? {
                        continue;
                    }
                    let visible = dealdesk_persistence::Visible::All;
                    let Some(deal) = dealdesk_persistence::deals::find_visible(&self.db, org, &visible, dealdesk_domain::DealId::from_uuid(deal_id)).await? else { continue };
                    let recipients = match user_repo::find(&self.db, org, UserId::from_uuid(deal.owner_id)).await? {
                        Some(owner) => managers_or_admins(&self.db, org, &owner).await?,
                        None => Vec::new(),
                    };
                    let title = format!("商机「{}」{} 天内被转派 {} 次以上且无实质跟进", deal.title, rule.window_days, rule.reassignments);
                    let details = json!({ "windowDays": rule.window_days, "reassignments": rule.reassignments, "dealTitle": deal.title });
                    found.push((new_alert(org, Finding { kind: AlertKind::PingPong, subject: Subject::Deal { deal: deal.id, owner: deal.owner_id }, title, details }, now), recipients));
                    if found.len() as u64 >= SCAN_BATCH {
                        raised += self.raise_batch(std::mem::take(&mut found)).await?;
                    }
                }
                raised += self.raise_batch(found).await?;
            }
            let mut after = None;
            loop {
                let batch = repo::open_of_kind(&self.db, org, AlertKind::PingPong.as_str(), after, SCAN_BATCH).await?;
                after = batch.last().map(|alert| alert.id);
                let mut cleared = Vec::new();
                for alert in &batch {
                    if !rule.enabled || !check(alert.subject_id).await? {
                        cleared.push(alert.id);
                    }
                }
                repo::resolve_many(&self.db, org, &cleared, now).await?;
                if (batch.len() as u64) < SCAN_BATCH {
                    break;
                }
            }
        }
        Ok(raised)
    }

    /// E4: new reps with several deals stuck in one stage; a coaching alert to their manager.
    #[tracing::instrument(skip_all)]
    pub async fn run_newcomer_scan(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut raised = 0;
        for org in repo::all_org_ids(&self.db).await?.into_iter().map(OrgId::from_uuid) {
            let rule = self.rules_for(&self.db, org).await?.newcomer;
            let stuck = stuck_rules(&self.stage_defs(&self.db, org).await?);
            let struggling_stage = |rep: Uuid| {
                let stuck = stuck.clone();
                async move {
                    let counts = repo::stuck_counts_by_stage(&self.db, org, rep, &stuck, now).await?;
                    let counts: Vec<(String, u32)> = counts.into_iter().map(|(stage, n)| (stage, u32::try_from(n).unwrap_or(u32::MAX))).collect();
                    AppResult::Ok(is_struggling(&counts, rule))
                }
            };
            let since = now - Duration::days(i64::from(rule.within_days));
            if rule.enabled {
                let mut found = Vec::new();
                for rep in repo::reps_joined_since(&self.db, org, since).await? {
                    if !is_newcomer(rep.joined_at, rule, now) {
                        continue;
                    }
                    let Some(stage) = struggling_stage(rep.id).await? else { continue };
                    let recipients = managers_or_admins(&self.db, org, &rep).await?;
                    let title = format!("新人{}有 {} 个以上商机卡在「{}」阶段，建议辅导", rep.name, rule.stuck_deals, stage);
                    let details = json!({ "stage": stage, "stuckDeals": rule.stuck_deals, "joinedAt": rep.joined_at, "repName": rep.name });
                    found.push((new_alert(org, Finding { kind: AlertKind::NewcomerStuck, subject: Subject::User(rep.id), title, details }, now), recipients));
                }
                raised += self.raise_batch(found).await?;
            }
            let mut after = None;
            loop {
                let batch = repo::open_of_kind(&self.db, org, AlertKind::NewcomerStuck.as_str(), after, SCAN_BATCH).await?;
                after = batch.last().map(|alert| alert.id);
                let mut cleared = Vec::new();
                for alert in &batch {
                    let rep = user_repo::find(&self.db, org, UserId::from_uuid(alert.subject_id)).await?;
                    let still = match rep {
                        Some(rep) if rule.enabled && rep.active && is_newcomer(rep.joined_at, rule, now) => struggling_stage(rep.id).await?.is_some(),
                        _ => false,
                    };
                    if !still {
                        cleared.push(alert.id);
                    }
                }
                repo::resolve_many(&self.db, org, &cleared, now).await?;
                if (batch.len() as u64) < SCAN_BATCH {
                    break;
                }
            }
        }
        Ok(raised)
    }
}
