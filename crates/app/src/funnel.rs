//! Funnel health (E6): a rep's pipeline figures over a period, each beside
//! the median of the same figure across the rep's team.
//!
//! The figures are aggregated by the database, grouped by owner, for the rep
//! and every team member at once (`persistence::funnel`); the medians and
//! rates are computed here with the pure rules in `dealdesk_domain`.
//!
//! **Whose deals?** History figures (dwell, skips, backward moves,
//! conversion) count a transition for the user who owned the deal *when it
//! happened*, reconstructed from the reassignment records, so handing a deal
//! over does not move its past to the new owner. Current-state figures
//! (stuck deals, overdue follow-ups) count the deals owned now.
//!
//! **Whose team?** The active reps of the rep's team, or, for a rep without
//! a team, the active reps sharing their manager. A member with nothing to
//! measure for a figure (no exits from a stage, no deal entering it) is left
//! out of that figure's median; counts (skips, backward moves, stuck,
//! overdue) are zero for a member without records and do take part.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use dealdesk_domain::{check_period, conversion_pairs, conversion_rate, team_median, OrgId, Role, StageDef, UserId};
use dealdesk_persistence::entities::users;
use dealdesk_persistence::funnel as repo;
use dealdesk_persistence::users as user_repo;
use sea_orm::TransactionTrait;
use uuid::Uuid;

use crate::alerts::{open_stage_keys, stuck_rules};
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::App;

/// A count for the rep beside the team's median of the same count.
#[derive(Clone, Debug, PartialEq)]
pub struct CountFigure {
    /// The rep's count.
    pub value: i64,
    /// The median over the team's reps; `None` when the rep has no team.
    pub team_median: Option<f64>,
}

/// Average time the rep's deals spent in one open stage before leaving it.
#[derive(Clone, Debug, PartialEq)]
pub struct StageDwellFigure {
    /// The stage key.
    pub stage: String,
    /// Mean hours from entering the stage to leaving it, over the exits in
    /// the period; `None` when no deal of the rep left the stage.
    pub average_hours: Option<f64>,
    /// The median of the team members' averages (members with exits only).
    pub team_median_hours: Option<f64>,
    /// How many times the rep's deals left the stage during the period.
    pub exits: i64,
}

/// How the rep's deals moved on from one stage.
#[derive(Clone, Debug, PartialEq)]
pub struct ConversionFigure {
    /// The stage deals entered during the period.
    pub from_stage: String,
    /// The next stage in the pipeline.
    pub to_stage: String,
    /// The rep's deals that entered `from_stage` during the period.
    pub entered: i64,
    /// Of those, the deals that later (up to the period's end) reached
    /// `to_stage` or any later stage other than LOST.
    pub advanced: i64,
    /// `advanced / entered`; `None` when nothing entered.
    pub rate: Option<f64>,
    /// The median of the team members' rates (members with entries only).
    pub team_median_rate: Option<f64>,
}

/// The funnel health report of one user over `[from, to)`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunnelHealth {
    /// Whose report it is.
    pub user_id: Uuid,
    /// Start of the period (inclusive).
    pub from: DateTime<Utc>,
    /// End of the period (exclusive).
    pub to: DateTime<Utc>,
    /// Business "now", at which stuck deals and overdue follow-ups are counted.
    pub as_of: DateTime<Utc>,
    /// The reps the medians are taken over.
    pub team: Vec<Uuid>,
    /// (1) Average dwell per open stage, in pipeline order.
    pub stage_dwell: Vec<StageDwellFigure>,
    /// (2) Open stages jumped over by forward moves, summed.
    pub forward_skips: CountFigure,
    /// (3) Moves back to an earlier stage.
    pub backward_moves: CountFigure,
    /// (4) Deals stuck now.
    pub stuck_deals: CountFigure,
    /// (5) Stage-to-stage conversion, in pipeline order.
    pub conversion: Vec<ConversionFigure>,
    /// Open deals whose follow-up is overdue now.
    pub overdue_follow_ups: CountFigure,
}

/// Roles that may ask for a report at all (reps about themselves, managers
/// about the people they manage, admins about anyone).
const REPORT_ROLES: [Role; 3] = [Role::Rep, Role::Manager, Role::Admin];

fn count_figure(subject: Uuid, team: &[Uuid], counts: &HashMap<Uuid, i64>) -> CountFigure {
    let count = |user: &Uuid| counts.get(user).copied().unwrap_or(0);
    CountFigure {
        value: count(&subject),
        team_median: team_median(team.iter().map(|member| Some(count(member) as f64))),
    }
}

/// What the statements return for a group of owners over a period: each
/// owner's history and current-state figures, from which every member's
/// report is read without another query.
struct OwnerFigures {
    dwells: Vec<repo::DwellRow>,
    skips: HashMap<Uuid, i64>,
    backward: HashMap<Uuid, i64>,
    entries: Vec<repo::ConversionRow>,
    stuck: HashMap<Uuid, i64>,
    overdue: HashMap<Uuid, i64>,
}

/// The report of `subject` beside `team` from the figures of their owners.
fn report(subject: Uuid, team: Vec<Uuid>, figures: &OwnerFigures, stages: &[StageDef], from: DateTime<Utc>, to: DateTime<Utc>, now: DateTime<Utc>) -> FunnelHealth {
    let dwell_of: HashMap<(Uuid, &str), &repo::DwellRow> = figures.dwells.iter().map(|row| ((row.owner, row.stage.as_str()), row)).collect();
    let hours = |row: &repo::DwellRow| row.average_seconds / 3600.0;
    let stage_dwell = open_stage_keys(stages)
        .into_iter()
        .map(|stage| {
            let own = dwell_of.get(&(subject, stage.as_str()));
            StageDwellFigure {
                average_hours: own.map(|row| hours(row)),
                team_median_hours: team_median(team.iter().map(|member| dwell_of.get(&(*member, stage.as_str())).map(|row| hours(row)))),
                exits: own.map_or(0, |row| row.exits),
                stage,
            }
        })
        .collect();

    let entry_of: HashMap<(Uuid, &str), &repo::ConversionRow> = figures.entries.iter().map(|row| ((row.owner, row.stage.as_str()), row)).collect();
    let rate_of = |user: Uuid, stage: &str| {
        entry_of
            .get(&(user, stage))
            .and_then(|row| conversion_rate(u64::try_from(row.entered).unwrap_or(0), u64::try_from(row.advanced).unwrap_or(0)))
    };
    let conversion = conversion_pairs(stages)
        .into_iter()
        .map(|pair| {
            let stage = pair.from.as_str();
            let own = entry_of.get(&(subject, stage));
            ConversionFigure {
                from_stage: stage.to_string(),
                to_stage: pair.to.as_str().to_string(),
                entered: own.map_or(0, |row| row.entered),
                advanced: own.map_or(0, |row| row.advanced),
                rate: rate_of(subject, stage),
                team_median_rate: team_median(team.iter().map(|member| rate_of(*member, stage))),
            }
        })
        .collect();

    FunnelHealth {
        user_id: subject,
        from,
        to,
        as_of: now,
        stage_dwell,
        forward_skips: count_figure(subject, &team, &figures.skips),
        backward_moves: count_figure(subject, &team, &figures.backward),
        stuck_deals: count_figure(subject, &team, &figures.stuck),
        conversion,
        overdue_follow_ups: count_figure(subject, &team, &figures.overdue),
        team,
    }
}

impl App {
    /// The funnel health report (E6) of `user_id` over `[from, to)`.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id, user_id = %user_id))]
    pub async fn funnel_health(
        &self,
        principal: &Principal,
        user_id: UserId,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<FunnelHealth> {
        check_period(from, to)?;
        principal.require_role(&REPORT_ROLES)?;
        let org = principal.org_id;
        let conn = &self.db;
        let subject = user_repo::find(conn, org, user_id).await?.ok_or(AppError::NotFound("user"))?;
        if principal.role != Role::Admin && !principal.owner_scope(conn).await?.allows(subject.id) {
            return Err(AppError::forbidden("you may only see the funnel health of yourself or the people you manage"));
        }
        let reports = self.funnel_health_of(org, &[subject], from, to).await?;
        reports.into_iter().next().map(|(_, report)| report).ok_or(AppError::NotFound("user"))
    }

    /// The funnel health reports of `subjects` (all of one org) over
    /// `[from, to)`, in their order. Subjects who share a team are measured
    /// together: one set of statements per team, however many of its reps
    /// are asked about (the weekly reports ask about every rep).
    pub(crate) async fn funnel_health_of(
        &self,
        org: OrgId,
        subjects: &[users::Model],
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> AppResult<Vec<(Uuid, FunnelHealth)>> {
        check_period(from, to)?;
        let now = self.now();
        let mut stages = self.stage_defs(&self.db, org).await?;
        stages.sort_by_key(|stage| stage.position);
        let open = open_stage_keys(&stages);
        let rules = stuck_rules(&stages);

        // Subjects grouped by their team (the same team_reps for everyone in it).
        let mut teams: Vec<(Vec<Uuid>, Vec<Uuid>)> = Vec::new();
        for subject in subjects {
            let mut team = repo::team_reps(&self.db, org, subject).await?;
            team.sort();
            match teams.iter_mut().find(|(members, _)| !members.is_empty() && *members == team) {
                Some((_, asked)) => asked.push(subject.id),
                None => teams.push((team, vec![subject.id])),
            }
        }

        let mut reports: HashMap<Uuid, FunnelHealth> = HashMap::new();
        for (team, asked) in teams {
            let mut owners = team.clone();
            for subject in &asked {
                if !owners.contains(subject) {
                    owners.push(*subject);
                }
            }
            // One snapshot, with the session settings of the other aggregate
            // reports (room to sort and hash in memory, no JIT, plans for
            // these owners): without them JIT compiled each statement.
            let txn = self.db.begin().await?;
            dealdesk_persistence::analytics::tune_for_aggregates(&txn).await?;
            let dwells = repo::stage_dwells(&txn, org, &owners, from, to).await?;
            let paths = repo::path_counts(&txn, org, &owners, from, to).await?;
            let entries = repo::conversions(&txn, org, &owners, &open, from, to).await?;
            let stuck = repo::stuck_counts(&txn, org, &owners, &rules, now).await?.into_iter().collect();
            let overdue = repo::overdue_follow_up_counts(&txn, org, &owners, &open, now).await?.into_iter().collect();
            txn.commit().await?;
            let figures = OwnerFigures {
                dwells,
                skips: paths.iter().map(|row| (row.owner, row.forward_skips)).collect(),
                backward: paths.iter().map(|row| (row.owner, row.backward_moves)).collect(),
                entries,
                stuck,
                overdue,
            };
            for subject in asked {
                reports.insert(subject, report(subject, team.clone(), &figures, &stages, from, to, now));
            }
        }
        Ok(subjects.iter().filter_map(|subject| reports.remove(&subject.id).map(|report| (subject.id, report))).collect())
    }
}
