//! Deals: creation, stage moves through gates, reassignment, listing (P1–P3, P6).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use dealdesk_domain::{
    check_text, AlertKind, plan_move, stage_dwells, ContactId, CustomerId, DealId, DecisionRole, MoveError, MoveFacts, Money,
    OrgId, Role, StageDwell, StageKey, StageKind, TransitionRecord, UserId,
};
use dealdesk_persistence::deals::{self as repo, DealQuery, DealSort};
pub use dealdesk_persistence::deals::{Listed, Selection};
pub use dealdesk_persistence::rows::Picked;
use dealdesk_persistence::entities::{deal_assignments, deal_transitions, deals};
use dealdesk_persistence::{customers as customer_repo, users as user_repo, Visible};
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::customers::{optional_text, SALES_ROLES};
use crate::error::{AppError, AppResult, FieldErrors};
use crate::page::{Page, PageRequest};
use crate::principal::{Actor, Principal};
use crate::App;

/// Money as a client sends it.
#[derive(Clone, Debug)]
pub struct MoneyInput {
    pub amount: String,
    pub currency: String,
}

/// Input of `createDeal`.
#[derive(Clone, Debug)]
pub struct NewDeal {
    pub title: String,
    pub customer_id: CustomerId,
    pub owner_id: Option<UserId>,
    pub amount: Option<MoneyInput>,
    pub product_line: Option<String>,
    pub expected_close_date: Option<NaiveDate>,
    pub source: Option<String>,
}

/// Input of `moveDealStage`.
#[derive(Clone, Debug)]
pub struct StageMove {
    pub deal_id: DealId,
    pub stage: String,
    pub core_need: Option<String>,
    pub decision_role: Option<DecisionRole>,
    pub contact_id: Option<ContactId>,
    pub next_follow_up_at: Option<DateTime<Utc>>,
    pub amount: Option<MoneyInput>,
    pub lost_reason: Option<String>,
}

/// Filters of `deals`.
#[derive(Clone, Debug, Default)]
pub struct DealFilter {
    pub search: Option<String>,
    pub stage: Option<String>,
    pub owner_id: Option<Uuid>,
    pub customer_id: Option<Uuid>,
    pub industry: Option<String>,
    pub region: Option<String>,
    pub product_line: Option<String>,
    pub stuck: Option<bool>,
    /// Only open (true) or only closed (false) deals.
    pub open: Option<bool>,
    /// Only deals whose next follow-up is due at or before this time.
    pub follow_up_due_before: Option<DateTime<Utc>>,
}

/// The sort field of `deals`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealOrderField {
    CreatedAt,
    UpdatedAt,
    EnteredStageAt,
}

/// Path statistics and dwell times of a deal, derived from its transitions.
#[derive(Clone, Debug)]
pub struct DealHistory {
    /// The transitions, oldest first.
    pub transitions: Vec<deal_transitions::Model>,
    /// Time spent per stage (the current stage up to now).
    pub dwells: Vec<StageDwell>,
    /// Stages skipped by forward moves, summed.
    pub forward_skips: u32,
    /// How many moves went backward.
    pub backward_moves: u32,
}

fn parse_money(errors: &mut FieldErrors, field: &str, money: Option<&MoneyInput>) -> Option<Money> {
    let money = money?;
    errors.take(Money::parse(&money.amount, &money.currency, field))
}

pub(crate) fn deal_json(row: &deals::Model) -> serde_json::Value {
    json!({
        "title": row.title,
        "customerId": row.customer_id,
        "ownerId": row.owner_id,
        "stage": row.stage,
        "amountCents": row.amount_cents,
        "currency": row.currency,
        "productLine": row.product_line,
        "expectedCloseDate": row.expected_close_date,
        "source": row.source,
        "coreNeed": row.core_need,
        "decisionRole": row.decision_role,
        "contactId": row.contact_id,
        "nextFollowUpAt": row.next_follow_up_at,
        "lostReason": row.lost_reason,
        "enteredStageAt": row.entered_stage_at,
    })
}

/// The amount stored on a deal, if any.
pub fn deal_amount(row: &deals::Model) -> Option<Money> {
    let currency = dealdesk_domain::Currency::parse(row.currency.as_deref()?).ok()?;
    Some(Money::from_minor_units(row.amount_cents?, currency))
}

fn record_of(row: &deal_transitions::Model) -> AppResult<TransitionRecord> {
    Ok(TransitionRecord {
        from: row.from_stage.as_deref().map(StageKey::parse).transpose()?,
        to: StageKey::parse(&row.to_stage)?,
        at: row.at,
        forward_skips: u32::try_from(row.forward_skips).unwrap_or(0),
        backward: row.backward,
    })
}

impl App {
    /// Checks that `owner` may own a deal the caller creates or reassigns:
    /// reps only themselves, managers the people they manage, admins,
    /// marketing and integration keys anyone active in the org.
    async fn check_owner<C: ConnectionTrait>(&self, conn: &C, principal: &Principal, owner: UserId) -> AppResult<()> {
        let user = user_repo::find(conn, principal.org_id, owner)
            .await?
            .filter(|user| user.active)
            .ok_or_else(|| AppError::bad_input("ownerId", "no such active user in this organization"))?;
        let unrestricted = matches!(principal.actor, Actor::ApiKey(_) | Actor::System)
            || matches!(principal.role, Role::Admin | Role::Marketing);
        if !unrestricted && !principal.owner_scope(conn).await?.allows(user.id) {
            return Err(AppError::forbidden("you may only assign deals to yourself or the people you manage"));
        }
        Ok(())
    }

    /// Creates a deal in the first stage, recording its entry as the first transition.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn create_deal(&self, principal: &Principal, input: NewDeal) -> AppResult<deals::Model> {
        principal.require_role(&SALES_ROLES)?;
        let mut errors = FieldErrors::new();
        let title = errors.take(check_text("title", &input.title, 200));
        let amount = parse_money(&mut errors, "amount", input.amount.as_ref());
        let product_line = optional_text(&mut errors, "productLine", input.product_line.as_deref(), 100);
        let source = optional_text(&mut errors, "source", input.source.as_deref(), 100);
        let owner = match (input.owner_id, principal.actor) {
            (Some(owner), _) => Some(owner),
            (None, Actor::User(me)) => Some(me),
            (None, _) => {
                errors.push("ownerId", "is required when an integration creates a deal");
                None
            }
        };
        errors.finish()?;
        let (Some(title), Some(owner)) = (title, owner) else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        let visible: Visible = principal.owner_scope(&txn).await?.into();
        let customer = customer_repo::find_visible(&txn, principal.org_id, &visible, input.customer_id)
            .await?
            .ok_or(AppError::NotFound("customer"))?;
        self.check_owner(&txn, principal, owner).await?;
        let stages = self.stage_defs(&txn, principal.org_id).await?;
        let first = stages
            .iter()
            .find(|stage| stage.kind == StageKind::Open)
            .ok_or_else(|| AppError::Internal("the org has no open stage".into()))?;
        let row = deals::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            title,
            customer_id: customer.id,
            owner_id: owner.into_uuid(),
            created_by: principal.actor.id().unwrap_or_default(),
            stage: first.key.as_str().to_string(),
            amount_cents: amount.as_ref().map(Money::to_minor_units),
            currency: amount.as_ref().map(|money| money.currency().as_str().to_string()),
            product_line,
            expected_close_date: input.expected_close_date,
            source,
            core_need: None,
            decision_role: None,
            contact_id: None,
            next_follow_up_at: None,
            lost_reason: None,
            entered_stage_at: now,
            last_activity_at: None,
            created_at: now,
            updated_at: now,
        };
        repo::insert(&txn, row.clone()).await?;
        repo::insert_transition(
            &txn,
            deal_transitions::Model {
                id: Uuid::now_v7(),
                org_id: row.org_id,
                deal_id: row.id,
                from_stage: None,
                to_stage: row.stage.clone(),
                actor_kind: principal.actor.kind().to_string(),
                actor_id: principal.actor.id(),
                at: now,
                forward_skips: 0,
                backward: false,
                core_need: None,
                decision_role: None,
                contact_id: None,
                next_follow_up_at: None,
                lost_reason: None,
                from_stage_entered_at: None,
            },
        )
        .await?;
        audit::record(&txn, principal, now, Change::created("deal.create", "deal", row.id, deal_json(&row))).await?;
        if principal.role == Role::Marketing {
            self.open_handoff(&txn, principal, &row, now).await?;
        }
        txn.commit().await?;
        Ok(row)
    }

    /// Moves a deal to another stage. The target's gate must be satisfied in
    /// full; otherwise every missing field is named and nothing is written.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id, deal_id = %input.deal_id))]
    pub async fn move_deal_stage(&self, principal: &Principal, input: StageMove) -> AppResult<deals::Model> {
        principal.require_role(&SALES_ROLES)?;
        let mut errors = FieldErrors::new();
        let target = errors.take(StageKey::parse(input.stage.trim()));
        let amount = parse_money(&mut errors, "amount", input.amount.as_ref());
        let core_need = optional_text(&mut errors, "coreNeed", input.core_need.as_deref(), 2000);
        let lost_reason = optional_text(&mut errors, "lostReason", input.lost_reason.as_deref(), 2000);
        errors.finish()?;
        let Some(target) = target else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        let visible: Visible = principal.owner_scope(&txn).await?.into();
        let before = repo::find_visible(&txn, principal.org_id, &visible, input.deal_id)
            .await?
            .ok_or(AppError::NotFound("deal"))?;
        if let Some(contact_id) = input.contact_id {
            let contact = customer_repo::find_contact(&txn, principal.org_id, contact_id.into_uuid()).await?;
            if contact.is_none_or(|contact| contact.customer_id != before.customer_id) {
                return Err(AppError::bad_input("contactId", "is not a contact of this deal's customer"));
            }
        }
        let stages = self.stage_defs(&txn, principal.org_id).await?;
        let from = StageKey::parse(&before.stage)?;
        let facts = MoveFacts {
            core_need: core_need.clone(),
            decision_role: input.decision_role,
            contact_id: input.contact_id,
            next_follow_up_at: input.next_follow_up_at,
            amount,
            lost_reason: lost_reason.clone(),
        };
        let has_contract = self.has_approved_contract(&txn, principal.org_id, before.id).await?;
        let plan = plan_move(&stages, &from, &target, deal_amount(&before).as_ref(), &facts, has_contract, now).map_err(|error| match error {
            MoveError::UnknownStage(key) => AppError::bad_input("stage", format!("no stage {key} in this pipeline")),
            MoveError::SameStage => AppError::InvalidTransition(format!("the deal is already in {}", target.as_str())),
            MoveError::FromTerminal(stage) => AppError::InvalidTransition(format!("the deal is closed ({}) and cannot move", stage.as_str())),
            MoveError::ContractRequired => AppError::InvalidTransition("a deal can be won only with an approved contract".into()),
            MoveError::MissingFields(fields) => AppError::StageGateMissingFields {
                stage: target.as_str().to_string(),
                fields: fields.iter().map(|field| field.as_str().to_string()).collect(),
            },
        })?;
        let mut after = before.clone();
        after.stage = plan.to.as_str().to_string();
        after.entered_stage_at = now;
        after.updated_at = now;
        if let Some(core_need) = &core_need {
            after.core_need = Some(core_need.clone());
        }
        if let Some(role) = input.decision_role {
            after.decision_role = Some(role.as_str().to_string());
        }
        if let Some(contact_id) = input.contact_id {
            after.contact_id = Some(contact_id.into_uuid());
        }
        if let Some(at) = input.next_follow_up_at {
            after.next_follow_up_at = Some(at);
        }
        if let Some(amount) = &amount {
            after.amount_cents = Some(amount.to_minor_units());
            after.currency = Some(amount.currency().as_str().to_string());
        }
        if let Some(reason) = &lost_reason {
            after.lost_reason = Some(reason.clone());
        }
        let after = repo::update(&txn, after).await?;
        repo::insert_transition(
            &txn,
            deal_transitions::Model {
                id: Uuid::now_v7(),
                org_id: after.org_id,
                deal_id: after.id,
                from_stage: Some(plan.from.as_str().to_string()),
                to_stage: plan.to.as_str().to_string(),
                actor_kind: principal.actor.kind().to_string(),
                actor_id: principal.actor.id(),
                at: now,
                forward_skips: i32::try_from(plan.forward_skips).unwrap_or(i32::MAX),
                backward: plan.backward,
                core_need,
                decision_role: input.decision_role.map(|role| role.as_str().to_string()),
                contact_id: input.contact_id.map(ContactId::into_uuid),
                next_follow_up_at: input.next_follow_up_at,
                lost_reason,
                from_stage_entered_at: Some(before.entered_stage_at),
            },
        )
        .await?;
        // A move restarts the stage clock and sets a fresh follow-up; closing a deal ends its alerts.
        let mut cleared = vec![AlertKind::StageStuck, AlertKind::FollowUpOverdue];
        if stages.iter().any(|stage| stage.key == plan.to && stage.kind != StageKind::Open) {
            cleared.push(AlertKind::PingPong);
        }
        self.clear_deal_alerts(&txn, principal.org_id, after.id, &cleared, now).await?;
        self.answer_handoffs(&txn, principal, after.id, now).await?;
        audit::record(&txn, principal, now, Change::updated("deal.move_stage", "deal", after.id, deal_json(&before), deal_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Hands a deal to another owner (manager within their people, or admin).
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id, deal_id = %deal_id))]
    pub async fn reassign_deal(&self, principal: &Principal, deal_id: DealId, owner: UserId) -> AppResult<deals::Model> {
        principal.require_role(&[Role::Manager, Role::Admin])?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let visible: Visible = principal.owner_scope(&txn).await?.into();
        let before = repo::find_visible(&txn, principal.org_id, &visible, deal_id)
            .await?
            .ok_or(AppError::NotFound("deal"))?;
        if before.owner_id == owner.into_uuid() {
            return Err(AppError::bad_input("ownerId", "already owns this deal"));
        }
        self.check_owner(&txn, principal, owner).await?;
        let mut after = before.clone();
        after.owner_id = owner.into_uuid();
        after.updated_at = now;
        let after = repo::update(&txn, after).await?;
        repo::insert_assignment(
            &txn,
            deal_assignments::Model {
                id: Uuid::now_v7(),
                org_id: after.org_id,
                deal_id: after.id,
                from_owner_id: Some(before.owner_id),
                to_owner_id: after.owner_id,
                actor_kind: principal.actor.kind().to_string(),
                actor_id: principal.actor.id(),
                at: now,
            },
        )
        .await?;
        audit::record(&txn, principal, now, Change::updated("deal.reassign", "deal", after.id, deal_json(&before), deal_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// A deal the caller may see.
    pub async fn deal(&self, principal: &Principal, id: DealId) -> AppResult<deals::Model> {
        let visible = self.visible(principal).await?;
        repo::find_visible(&self.db, principal.org_id, &visible, id)
            .await?
            .ok_or(AppError::NotFound("deal"))
    }

    /// A deal the caller may see, with the columns and records `selection`
    /// asks for (fetched in the same statement).
    pub async fn deal_joined(&self, principal: &Principal, id: DealId, selection: Selection) -> AppResult<Listed> {
        let visible = self.visible(principal).await?;
        repo::find_visible_joined(&self.db, principal.org_id, &visible, id, selection)
            .await?
            .ok_or(AppError::NotFound("deal"))
    }

    /// The deals among `ids` the caller may see, in one query (for the
    /// deals that alerts and tickets name).
    pub async fn visible_deals(&self, principal: &Principal, ids: &[Uuid]) -> AppResult<Vec<deals::Model>> {
        let visible = self.visible(principal).await?;
        Ok(repo::find_many_visible(&self.db, principal.org_id, &visible, ids).await?)
    }

    /// Visible deals, filtered and ordered, each with the columns and
    /// records `selection` asks for (fetched in the page's own statement).
    pub async fn deals(
        &self,
        principal: &Principal,
        filter: DealFilter,
        order: DealOrderField,
        page: PageRequest,
        selection: Selection,
    ) -> AppResult<Page<Listed>> {
        let visible = self.visible(principal).await?;
        if let Some(stage) = &filter.stage {
            StageKey::parse(stage)?;
        }
        let stage_defs = if filter.stuck.is_some() || filter.open.is_some() {
            self.stage_defs(&self.db, principal.org_id).await?
        } else {
            Vec::new()
        };
        let stage_in = filter.open.map(|open| {
            stage_defs
                .iter()
                .filter(|stage| (stage.kind == StageKind::Open) == open)
                .map(|stage| stage.key.as_str().to_string())
                .collect()
        });
        let stuck = filter.stuck.map(|stuck| (stuck, crate::alerts::stuck_rules(&stage_defs), self.now()));
        let query = DealQuery {
            search: filter.search.map(|text| text.trim().to_string()).filter(|text| !text.is_empty()),
            stage: filter.stage,
            owner_id: filter.owner_id,
            customer_id: filter.customer_id,
            industry: filter.industry,
            region: filter.region,
            product_line: filter.product_line,
            stage_in,
            follow_up_due_before: filter.follow_up_due_before,
            stuck,
        };
        let sort = match order {
            DealOrderField::CreatedAt => DealSort::CreatedAt,
            DealOrderField::UpdatedAt => DealSort::UpdatedAt,
            DealOrderField::EnteredStageAt => DealSort::EnteredStageAt,
        };
        let (rows, total) = repo::list(&self.db, principal.org_id, &visible, &query, sort, &page.to_keyset(), selection).await?;
        Ok(Page::from_rows(rows, total, &page, |row| match order {
            DealOrderField::CreatedAt => (row.deal.created_at, row.deal.id),
            DealOrderField::UpdatedAt => (row.deal.updated_at, row.deal.id),
            DealOrderField::EnteredStageAt => (row.deal.entered_stage_at, row.deal.id),
        }))
    }

    /// The histories of some deals of the org, in one query: every id asked
    /// for gets an entry (empty for an unknown id). The caller has already
    /// seen the deals (dataloaders of a request that listed them).
    pub async fn deal_histories(&self, org: OrgId, deal_ids: &[Uuid]) -> AppResult<HashMap<Uuid, DealHistory>> {
        let mut by_deal: HashMap<Uuid, Vec<deal_transitions::Model>> = deal_ids.iter().map(|id| (*id, Vec::new())).collect();
        for row in repo::transitions_of_deals(&self.db, org, deal_ids).await? {
            by_deal.entry(row.deal_id).or_default().push(row);
        }
        let now = self.now();
        by_deal
            .into_iter()
            .map(|(id, transitions)| Ok((id, history_of(transitions, now)?)))
            .collect()
    }
}

/// Dwell times and path statistics of one deal from its transitions, oldest first.
fn history_of(transitions: Vec<deal_transitions::Model>, now: DateTime<Utc>) -> AppResult<DealHistory> {
    let records = transitions.iter().map(record_of).collect::<AppResult<Vec<_>>>()?;
    let stats = dealdesk_domain::path_stats(&records);
    Ok(DealHistory {
        dwells: stage_dwells(&records, now),
        forward_skips: stats.forward_skips,
        backward_moves: stats.backward_moves,
        transitions,
    })
}
