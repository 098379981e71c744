//! Collaboration health (C5): per department or ticket kind, first-response
//! times, SLA attainment, overdue tickets, rework, first-pass acceptance and
//! satisfaction.

use async_graphql::{Context, Enum, Object};
use chrono::{DateTime, Utc};
use dealdesk_app::collaboration as app;
use dealdesk_app::App;
use dealdesk_domain::CollaborationGroupBy as DomainGroupBy;

use crate::error::{principal, ResultExt};

/// What collaboration health rows are grouped by.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum CollaborationGroupBy {
    /// The department whose queue the ticket went to (TECH, DELIVERY, SALES, …).
    Department,
    /// The ticket kind (HANDOFF, TECH_ASSESSMENT, DELIVERY_CONFIRMATION, REQUIREMENT).
    Kind,
}

impl From<CollaborationGroupBy> for DomainGroupBy {
    fn from(value: CollaborationGroupBy) -> Self {
        match value {
            CollaborationGroupBy::Department => DomainGroupBy::Department,
            CollaborationGroupBy::Kind => DomainGroupBy::Kind,
        }
    }
}

/// One department's (or kind's) collaboration health. Every figure but
/// `overdueNow` is over the tickets created in the period asked for; rates
/// are between 0 and 1 and null when there is nothing to divide by.
pub struct CollaborationHealthRow(pub app::CollaborationHealthRow);

#[Object]
impl CollaborationHealthRow {
    /// The department or ticket kind.
    async fn group(&self) -> &str {
        &self.0.group
    }
    /// Tickets created in the period.
    async fn tickets(&self) -> i64 {
        self.0.tickets
    }
    /// Of those, tickets that got a first response (started, delivered or answered).
    async fn responded_tickets(&self) -> i64 {
        self.0.responded
    }
    /// Mean minutes from creation to first response, counted in working time
    /// (calendar time for calendar-time policies such as hand-offs).
    async fn average_first_response_minutes(&self) -> Option<f64> {
        self.0.average_first_response_minutes
    }
    /// The 90th percentile of the first-response minutes, nearest-rank: the
    /// value at rank ceil(0.9 × n) of the n responded tickets in order.
    async fn p90_first_response_minutes(&self) -> Option<f64> {
        self.0.p90_first_response_minutes
    }
    /// Share of the decided tickets (finished, or breached) that were
    /// delivered, accepted or answered without ever breaching their SLA.
    async fn sla_attainment(&self) -> Option<f64> {
        self.0.sla_attainment
    }
    /// Tickets whose SLA outcome is decided: finished or breached.
    async fn sla_decided_tickets(&self) -> i64 {
        self.0.sla_measured
    }
    /// Finished tickets that never breached.
    async fn sla_met_tickets(&self) -> i64 {
        self.0.sla_met
    }
    /// Running tickets (open, in progress, blocked) past their due time as of
    /// the business clock's now, whenever they were created.
    async fn overdue_now(&self) -> i64 {
        self.0.overdue_now
    }
    /// Tickets delivered at least once.
    async fn delivered_tickets(&self) -> i64 {
        self.0.delivered
    }
    /// Tickets whose delivery was rejected at least once.
    async fn reworked_tickets(&self) -> i64 {
        self.0.reworked
    }
    /// Reworked tickets over tickets delivered at least once.
    async fn rework_rate(&self) -> Option<f64> {
        self.0.rework_rate
    }
    /// Tickets the requester accepted.
    async fn accepted_tickets(&self) -> i64 {
        self.0.accepted
    }
    /// Accepted tickets never rejected over accepted tickets.
    async fn first_pass_acceptance_rate(&self) -> Option<f64> {
        self.0.first_pass_acceptance_rate
    }
    /// Tickets rated on acceptance.
    async fn rated_tickets(&self) -> i64 {
        self.0.rated
    }
    /// Mean requester rating (1–5) given on acceptance.
    async fn average_satisfaction(&self) -> Option<f64> {
        self.0.average_satisfaction
    }
}

/// The `collaborationHealth` query.
pub async fn collaboration_health(
    ctx: &Context<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    group_by: CollaborationGroupBy,
) -> async_graphql::Result<Vec<CollaborationHealthRow>> {
    let principal = principal(ctx)?;
    let rows = ctx.data::<App>()?.collaboration_health(principal, from, to, group_by.into()).await.gql()?;
    Ok(rows.into_iter().map(CollaborationHealthRow).collect())
}
