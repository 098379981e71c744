//! Output objects of the funnel health report (E6): each figure of a rep
//! beside the median of the same figure across the rep's team.

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::funnel as app;

use crate::loaders::{loader_error, loaders};
use crate::types::User;

/// A rep's funnel health over a period (E6); every figure carries the team
/// median beside it. History figures count moves on deals the rep owned
/// when the move happened; stuck deals and overdue follow-ups are counted
/// as of `asOf`, the business clock's now.
pub struct FunnelHealth(pub app::FunnelHealth);

#[Object]
impl FunnelHealth {
    /// Id of the user the report is about.
    async fn user_id(&self) -> ID {
        ID(self.0.user_id.to_string())
    }
    /// The user the report is about.
    async fn user(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        Ok(loaders(ctx)?.users.load_one(self.0.user_id).await.map_err(loader_error)?.map(User))
    }
    /// Start of the period (inclusive).
    async fn from(&self) -> DateTime<Utc> {
        self.0.from
    }
    /// End of the period (exclusive).
    async fn to(&self) -> DateTime<Utc> {
        self.0.to
    }
    /// When stuck deals and overdue follow-ups were counted (business time).
    async fn as_of(&self) -> DateTime<Utc> {
        self.0.as_of
    }
    /// The active reps of the user's team (or, without a team, sharing the
    /// user's manager) that the medians are taken over.
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let found = loaders(ctx)?.users.load_many(self.0.team.iter().copied()).await.map_err(loader_error)?;
        Ok(self.0.team.iter().filter_map(|member| found.get(member).cloned().map(User)).collect())
    }
    /// (1) Average hours spent per open stage before leaving it, in pipeline order.
    async fn stage_dwell(&self) -> Vec<FunnelStageDwell> {
        self.0.stage_dwell.iter().cloned().map(FunnelStageDwell).collect()
    }
    /// (2) Open stages jumped over by forward moves in the period, summed.
    async fn forward_skips(&self) -> FunnelCount {
        FunnelCount(self.0.forward_skips.clone())
    }
    /// (3) Moves back to an earlier stage in the period.
    async fn backward_moves(&self) -> FunnelCount {
        FunnelCount(self.0.backward_moves.clone())
    }
    /// (4) The user's deals stuck now (past their stage's threshold without activity).
    async fn stuck_deals(&self) -> FunnelCount {
        FunnelCount(self.0.stuck_deals.clone())
    }
    /// (5) Stage-to-stage conversion: each open stage to the next, and the last open stage to WON.
    async fn conversion(&self) -> Vec<FunnelConversion> {
        self.0.conversion.iter().cloned().map(FunnelConversion).collect()
    }
    /// Open deals whose next follow-up passed with nothing logged since, now.
    async fn overdue_follow_ups(&self) -> FunnelCount {
        FunnelCount(self.0.overdue_follow_ups.clone())
    }
}

/// A count beside the team's median of the same count.
pub struct FunnelCount(pub app::CountFigure);

#[Object]
impl FunnelCount {
    /// The user's count.
    async fn value(&self) -> i64 {
        self.0.value
    }
    /// The median over the team's reps (null when the user has no team).
    async fn team_median(&self) -> Option<f64> {
        self.0.team_median
    }
}

/// Average dwell in one stage.
pub struct FunnelStageDwell(pub app::StageDwellFigure);

#[Object]
impl FunnelStageDwell {
    /// The stage key.
    async fn stage(&self) -> &str {
        &self.0.stage
    }
    /// Mean hours from entering the stage to leaving it, over the exits in
    /// the period (null when no deal left it).
    async fn average_hours(&self) -> Option<f64> {
        self.0.average_hours
    }
    /// The median of the team members' averages (members with exits only).
    async fn team_median_hours(&self) -> Option<f64> {
        self.0.team_median_hours
    }
    /// How many times the user's deals left the stage in the period.
    async fn exits(&self) -> i64 {
        self.0.exits
    }
}

/// Conversion from one stage to the next.
pub struct FunnelConversion(pub app::ConversionFigure);

#[Object]
impl FunnelConversion {
    /// The stage deals entered during the period.
    async fn from_stage(&self) -> &str {
        &self.0.from_stage
    }
    /// The next stage.
    async fn to_stage(&self) -> &str {
        &self.0.to_stage
    }
    /// The user's deals that entered `fromStage` during the period.
    async fn entered(&self) -> i64 {
        self.0.entered
    }
    /// Of those, deals that later (up to the period's end) reached `toStage`
    /// or any later stage other than LOST.
    async fn advanced(&self) -> i64 {
        self.0.advanced
    }
    /// `advanced / entered`, between 0 and 1 (null when nothing entered).
    async fn rate(&self) -> Option<f64> {
        self.0.rate
    }
    /// The median of the team members' rates (members with entries only).
    async fn team_median_rate(&self) -> Option<f64> {
        self.0.team_median_rate
    }
}
