//! Activities and timelines (P4): what happened with a deal or customer, in one stream.

use chrono::{DateTime, Utc};
use dealdesk_domain::{
    check_next_follow_up, check_occurred_at, check_text, is_substantive, ActivityKind, AlertKind, ContactId, CustomerId, DealId,
    OrgId,
};
use dealdesk_persistence::entities::{activities, contacts, deal_assignments, deal_transitions, deals, users};
use dealdesk_persistence::timeline::Subject;
use dealdesk_persistence::{activities as repo, customers as customer_repo, deals as deal_repo, users as user_repo, Visible};
use sea_orm::TransactionTrait;
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::customers::optional_text;
use crate::deals::deal_json;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::page::{Page, PageRequest};
use crate::principal::Principal;
use crate::App;

/// Input of `logActivity`.
#[derive(Clone, Debug)]
pub struct NewActivity {
    pub deal_id: Option<DealId>,
    pub customer_id: Option<CustomerId>,
    pub kind: ActivityKind,
    pub text: String,
    pub occurred_at: Option<DateTime<Utc>>,
    pub contact_id: Option<ContactId>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub backdate_reason: Option<String>,
}

/// One entry of a timeline.
#[derive(Clone, Debug)]
pub enum TimelineItem {
    /// A call, visit, meeting, email, chat or note.
    Activity(activities::Model),
    /// A stage change.
    StageChange(deal_transitions::Model),
    /// A change of owner.
    Reassignment(deal_assignments::Model),
}

impl TimelineItem {
    /// The position of the item in time.
    pub fn key(&self) -> (DateTime<Utc>, Uuid) {
        match self {
            TimelineItem::Activity(row) => (row.occurred_at, row.id),
            TimelineItem::StageChange(row) => (row.at, row.id),
            TimelineItem::Reassignment(row) => (row.at, row.id),
        }
    }
}

/// A page of a timeline with the people and contacts its entries name,
/// read with it so that showing them costs no further queries.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// The entries.
    pub page: Page<TimelineItem>,
    /// Authors, movers and old and new owners named by the entries.
    pub people: Vec<users::Model>,
    /// Contacts named by the entries' activities.
    pub contacts: Vec<contacts::Model>,
}

/// Whose timeline to read.
#[derive(Clone, Copy, Debug)]
pub enum TimelineSubject {
    /// One deal.
    Deal(DealId),
    /// A customer: its deal-less activities and its visible deals' history.
    Customer(CustomerId),
}

fn activity_json(row: &activities::Model) -> serde_json::Value {
    json!({
        "dealId": row.deal_id,
        "customerId": row.customer_id,
        "contactId": row.contact_id,
        "kind": row.kind,
        "text": row.text,
        "occurredAt": row.occurred_at,
        "recordedAt": row.recorded_at,
        "nextFollowUpAt": row.next_follow_up_at,
        "backdateReason": row.backdate_reason,
    })
}

impl App {
    /// Logs an activity on a deal or customer the caller may see; may set the deal's next follow-up.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn log_activity(&self, principal: &Principal, input: NewActivity) -> AppResult<activities::Model> {
        let now = self.now();
        let mut errors = FieldErrors::new();
        let text = errors.take(check_text("text", &input.text, 20_000));
        let occurred_at = input.occurred_at.unwrap_or(now);
        errors.take(check_occurred_at(occurred_at, now, input.backdate_reason.as_deref()));
        let backdate_reason = optional_text(&mut errors, "backdateReason", input.backdate_reason.as_deref(), 1000);
        if let Some(at) = input.next_follow_up_at {
            errors.take(check_next_follow_up(at, now));
            if input.deal_id.is_none() {
                errors.push("nextFollowUpAt", "can only be set on an activity for a deal");
            }
        }
        if input.deal_id.is_none() && input.customer_id.is_none() {
            errors.push("dealId", "either dealId or customerId is required");
        }
        errors.finish()?;
        let Some(text) = text else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let txn = self.db.begin().await?;
        let visible: Visible = principal.owner_scope(&txn).await?.into();
        let deal = match input.deal_id {
            Some(id) => Some(
                deal_repo::find_visible(&txn, principal.org_id, &visible, id)
                    .await?
                    .ok_or(AppError::NotFound("deal"))?,
            ),
            None => None,
        };
        let customer_id = match (&deal, input.customer_id) {
            (Some(deal), Some(customer)) if deal.customer_id != customer.into_uuid() => {
                return Err(AppError::bad_input("customerId", "is not the deal's customer"));
            }
            (Some(deal), _) => deal.customer_id,
            (None, Some(customer)) => {
                customer_repo::find_visible(&txn, principal.org_id, &visible, customer)
                    .await?
                    .ok_or(AppError::NotFound("customer"))?
                    .id
            }
            (None, None) => return Err(AppError::bad_input("dealId", "either dealId or customerId is required")),
        };
        if let Some(contact_id) = input.contact_id {
            let contact = customer_repo::find_contact(&txn, principal.org_id, contact_id.into_uuid()).await?;
            if contact.is_none_or(|contact| contact.customer_id != customer_id) {
                return Err(AppError::bad_input("contactId", "is not a contact of this customer"));
            }
        }
        let row = activities::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            deal_id: deal.as_ref().map(|deal| deal.id),
            customer_id,
            contact_id: input.contact_id.map(ContactId::into_uuid),
            kind: input.kind.as_str().to_string(),
            text,
            occurred_at,
            recorded_at: now,
            next_follow_up_at: input.next_follow_up_at,
            backdate_reason,
            author_kind: principal.actor.kind().to_string(),
            author_id: principal.actor.id(),
        };
        repo::insert(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("activity.log", "activity", row.id, activity_json(&row))).await?;
        if let Some(before) = deal {
            let mut after = before.clone();
            after.last_activity_at = Some(before.last_activity_at.map_or(occurred_at, |last| last.max(occurred_at)));
            if let Some(at) = input.next_follow_up_at {
                after.next_follow_up_at = Some(at);
            }
            after.updated_at = now;
            let after = deal_repo::update(&txn, after).await?;
            let mut cleared = vec![AlertKind::StageStuck, AlertKind::FollowUpOverdue];
            if is_substantive(input.kind) {
                cleared.push(AlertKind::PingPong);
            }
            self.clear_deal_alerts(&txn, principal.org_id, after.id, &cleared, now).await?;
            self.answer_handoffs(&txn, principal, after.id, now).await?;
            audit::record(&txn, principal, now, Change::updated("deal.activity_logged", "deal", after.id, deal_json(&before), deal_json(&after))).await?;
        }
        txn.commit().await?;
        Ok(row)
    }

    /// Activities, stage changes and reassignments of a deal or customer, oldest first.
    pub async fn timeline(&self, principal: &Principal, subject: TimelineSubject, page: PageRequest) -> AppResult<Timeline> {
        let visible = self.visible(principal).await?;
        let subject = match subject {
            TimelineSubject::Deal(id) => {
                let deal: deals::Model = deal_repo::find_visible(&self.db, principal.org_id, &visible, id)
                    .await?
                    .ok_or(AppError::NotFound("deal"))?;
                Subject::Deal(deal.id)
            }
            TimelineSubject::Customer(id) => {
                let customer = customer_repo::find_visible(&self.db, principal.org_id, &visible, id)
                    .await?
                    .ok_or(AppError::NotFound("customer"))?;
                Subject::Customer { customer: customer.id, scope: &visible }
            }
        };
        self.timeline_window(principal.org_id, subject, page).await
    }

    /// The timeline of a deal the caller was just shown (a deal in the same
    /// response, already read through the caller's scope): the deal is not
    /// looked up again.
    pub async fn shown_deal_timeline(&self, principal: &Principal, deal: &deals::Model, page: PageRequest) -> AppResult<Timeline> {
        if deal.org_id != principal.org_id.into_uuid() {
            return Err(AppError::NotFound("deal"));
        }
        self.timeline_window(principal.org_id, Subject::Deal(deal.id), page).await
    }

    /// One page of the activities, stage changes and reassignments of a
    /// deal or of a customer's deals (and of its activities outside them).
    async fn timeline_window(&self, org: OrgId, subject: Subject<'_>, page: PageRequest) -> AppResult<Timeline> {
        let keyset = page.to_keyset();
        let windows = dealdesk_persistence::timeline::window(&self.db, org, subject, &keyset).await?;
        let mut items: Vec<TimelineItem> = windows
            .activities
            .into_iter()
            .map(TimelineItem::Activity)
            .chain(windows.transitions.into_iter().map(TimelineItem::StageChange))
            .chain(windows.assignments.into_iter().map(TimelineItem::Reassignment))
            .collect();
        // Each source came back in fetch order; merge them the same way.
        let fetch_ascending = page.descending == page.backward();
        items.sort_by_key(TimelineItem::key);
        if !fetch_ascending {
            items.reverse();
        }
        items.truncate(keyset.limit as usize);
        let page = Page::from_rows(items, windows.total, &page, TimelineItem::key);
        let mut people = Vec::new();
        let mut contact_ids = Vec::new();
        for (_, item) in &page.items {
            match item {
                TimelineItem::Activity(row) => {
                    people.extend(row.author_id.filter(|_| row.author_kind == "USER"));
                    contact_ids.extend(row.contact_id);
                }
                TimelineItem::StageChange(row) => people.extend(row.actor_id.filter(|_| row.actor_kind == "USER")),
                TimelineItem::Reassignment(row) => {
                    people.extend(row.from_owner_id);
                    people.push(row.to_owner_id);
                    people.extend(row.actor_id.filter(|_| row.actor_kind == "USER"));
                }
            }
        }
        people.sort();
        people.dedup();
        contact_ids.sort();
        contact_ids.dedup();
        let people = if people.is_empty() { Vec::new() } else { user_repo::find_many(&self.db, org, &people).await? };
        let contacts = if contact_ids.is_empty() { Vec::new() } else { customer_repo::find_contacts(&self.db, org, &contact_ids).await? };
        Ok(Timeline { page, people, contacts })
    }
}
