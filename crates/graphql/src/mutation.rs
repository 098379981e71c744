//! Root mutations.

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::activities::NewActivity;
use dealdesk_app::alerts::RuleChange;
use dealdesk_app::customers::{NewContact, NewCustomer};
use dealdesk_app::deals::{NewDeal, StageMove};
use dealdesk_app::orgs::{NewUser, SignUp, TeamChange};
use dealdesk_app::stages::StageChange;
use dealdesk_app::{App, AppError, AppResult};
use dealdesk_domain::{ApiKeyId, UserId};

use crate::error::{lookup_id, optional_id, parse_id, principal, ResultExt};
use crate::inputs::*;
use crate::types::{Activity, Alert, AlertRule, ApiKey, AuthPayload, Contact, Customer, Deal, NewApiKey, RoleValue, Stage, Team, User};
use crate::RequestAuth;

/// The root of all mutations.
pub struct MutationRoot;

fn ensure_test_clock(app: &App) -> AppResult<()> {
    if app.clock.is_test() {
        Ok(())
    } else {
        Err(AppError::TestClockDisabled)
    }
}

#[Object(name = "Mutation")]
impl MutationRoot {
    /// Creates an organization with default stages; the caller becomes its admin.
    async fn sign_up(&self, ctx: &Context<'_>, input: SignUpInput) -> async_graphql::Result<AuthPayload> {
        let tokens = ctx
            .data::<App>()?
            .sign_up(SignUp {
                org_name: input.org_name,
                name: input.name,
                email: input.email,
                password: input.password,
                time_zone: input.time_zone,
            })
            .await
            .gql()?;
        Ok(AuthPayload(tokens))
    }

    /// Signs in (throttled per account and address: `RATE_LIMITED`).
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> async_graphql::Result<AuthPayload> {
        let address = ctx.data::<RequestAuth>().map(|auth| auth.client_address.clone()).unwrap_or_default();
        let tokens = ctx.data::<App>()?.login(&email, &password, &address).await.gql()?;
        Ok(AuthPayload(tokens))
    }

    /// Exchanges a refresh token (single use) for a new pair.
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<AuthPayload> {
        let tokens = ctx.data::<App>()?.refresh(&refresh_token).await.gql()?;
        Ok(AuthPayload(tokens))
    }

    /// Signs out: revokes the refresh token and every token rotated from the same login.
    async fn revoke_refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<bool> {
        ctx.data::<App>()?.revoke_refresh_token(&refresh_token).await.gql()
    }

    /// Creates a team (admin).
    async fn create_team(&self, ctx: &Context<'_>, input: CreateTeamInput) -> async_graphql::Result<Team> {
        let principal = principal(ctx)?;
        let manager = optional_id::<UserId>("managerId", input.manager_id.as_ref()).gql()?;
        ctx.data::<App>()?.create_team(principal, &input.name, manager).await.map(Team).gql()
    }

    /// Renames a team or sets its manager (admin).
    async fn update_team(&self, ctx: &Context<'_>, input: UpdateTeamInput) -> async_graphql::Result<Team> {
        let principal = principal(ctx)?;
        let change = TeamChange {
            id: lookup_id("team", &input.id).gql()?,
            name: input.name,
            manager_id: optional_id("managerId", input.manager_id.as_ref()).gql()?,
        };
        ctx.data::<App>()?.update_team(principal, change).await.map(Team).gql()
    }

    /// Creates a user in the caller's org (admin).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> async_graphql::Result<User> {
        let principal = principal(ctx)?;
        let user = NewUser {
            email: input.email,
            name: input.name,
            password: input.password,
            role: input.role.into(),
            team_id: optional_id("teamId", input.team_id.as_ref()).gql()?,
            manager_id: optional_id("managerId", input.manager_id.as_ref()).gql()?,
            joined_at: input.joined_at,
        };
        ctx.data::<App>()?.create_user(principal, user).await.map(User).gql()
    }

    /// Renames a stage or changes its gate, stuck threshold or probability (admin).
    async fn update_stage(&self, ctx: &Context<'_>, input: UpdateStageInput) -> async_graphql::Result<Stage> {
        let principal = principal(ctx)?;
        let change = StageChange {
            key: input.key,
            name: input.name,
            gate_fields: input.gate_fields,
            stuck_after_hours: input.stuck_after_hours,
            probability: input.probability,
        };
        ctx.data::<App>()?.update_stage(principal, change).await.map(Stage).gql()
    }

    /// Creates a customer owned by the caller.
    async fn create_customer(&self, ctx: &Context<'_>, input: CreateCustomerInput) -> async_graphql::Result<Customer> {
        let principal = principal(ctx)?;
        let customer = NewCustomer {
            name: input.name,
            credit_code: input.credit_code,
            industry: input.industry,
            region: input.region,
            size: input.size,
        };
        ctx.data::<App>()?.create_customer(principal, customer).await.map(Customer).gql()
    }

    /// Adds a contact to a customer.
    async fn create_contact(&self, ctx: &Context<'_>, input: CreateContactInput) -> async_graphql::Result<Contact> {
        let principal = principal(ctx)?;
        let contact = NewContact {
            customer_id: lookup_id("customer", &input.customer_id).gql()?,
            name: input.name,
            title: input.title,
            phone: input.phone,
            email: input.email,
            decision_role: input.decision_role.map(Into::into),
        };
        ctx.data::<App>()?.create_contact(principal, contact).await.map(Contact).gql()
    }

    /// Creates a deal in the first stage.
    async fn create_deal(&self, ctx: &Context<'_>, input: CreateDealInput) -> async_graphql::Result<Deal> {
        let principal = principal(ctx)?;
        let deal = NewDeal {
            title: input.title,
            customer_id: lookup_id("customer", &input.customer_id).gql()?,
            owner_id: optional_id("ownerId", input.owner_id.as_ref()).gql()?,
            amount: input.amount.map(Into::into),
            product_line: input.product_line,
            expected_close_date: input.expected_close_date.map(|date| date.0),
            source: input.source,
        };
        ctx.data::<App>()?.create_deal(principal, deal).await.map(Deal::from).gql()
    }

    /// Moves a deal to another stage through the target stage's gate.
    async fn move_deal_stage(&self, ctx: &Context<'_>, input: MoveDealStageInput) -> async_graphql::Result<Deal> {
        let principal = principal(ctx)?;
        let change = StageMove {
            deal_id: lookup_id("deal", &input.deal_id).gql()?,
            stage: input.stage,
            core_need: input.core_need,
            decision_role: input.decision_role.map(Into::into),
            contact_id: optional_id("contactId", input.contact_id.as_ref()).gql()?,
            next_follow_up_at: input.next_follow_up_at,
            amount: input.amount.map(Into::into),
            lost_reason: input.lost_reason,
        };
        ctx.data::<App>()?.move_deal_stage(principal, change).await.map(Deal::from).gql()
    }

    /// Hands a deal to another owner (manager or admin).
    async fn reassign_deal(&self, ctx: &Context<'_>, input: ReassignDealInput) -> async_graphql::Result<Deal> {
        let principal = principal(ctx)?;
        let deal = lookup_id("deal", &input.deal_id).gql()?;
        let owner = parse_id("ownerId", &input.owner_id).gql()?;
        ctx.data::<App>()?.reassign_deal(principal, deal, owner).await.map(Deal::from).gql()
    }

    /// Logs a call, visit, meeting, email, chat or note.
    async fn log_activity(&self, ctx: &Context<'_>, input: LogActivityInput) -> async_graphql::Result<Activity> {
        let principal = principal(ctx)?;
        let activity = NewActivity {
            deal_id: input.deal_id.as_ref().map(|id| lookup_id("deal", id)).transpose().gql()?,
            customer_id: input.customer_id.as_ref().map(|id| lookup_id("customer", id)).transpose().gql()?,
            kind: input.kind.into(),
            text: input.text,
            occurred_at: input.occurred_at,
            contact_id: optional_id("contactId", input.contact_id.as_ref()).gql()?,
            next_follow_up_at: input.next_follow_up_at,
            backdate_reason: input.backdate_reason,
        };
        ctx.data::<App>()?.log_activity(principal, activity).await.map(Activity).gql()
    }

    /// Creates an integration key (admin); the key is in this response only.
    async fn create_api_key(&self, ctx: &Context<'_>, name: String, role: RoleValue) -> async_graphql::Result<NewApiKey> {
        let principal = principal(ctx)?;
        let (model, key) = ctx.data::<App>()?.create_api_key(principal, &name, role.into()).await.gql()?;
        Ok(NewApiKey {
            id: ID(model.id.to_string()),
            key,
            model,
        })
    }

    /// Revokes an integration key (admin).
    async fn revoke_api_key(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiKey> {
        let principal = principal(ctx)?;
        let id: ApiKeyId = lookup_id("api key", &id).gql()?;
        ctx.data::<App>()?.revoke_api_key(principal, id).await.map(ApiKey).gql()
    }

    /// Marks an alert seen; it stays until its condition clears.
    async fn acknowledge_alert(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Alert> {
        let principal = principal(ctx)?;
        let id = lookup_id("alert", &id).gql()?;
        ctx.data::<App>()?.acknowledge_alert(principal, id).await.map(Alert).gql()
    }

    /// Changes an alert rule's switch or thresholds (admin).
    async fn update_alert_rule(&self, ctx: &Context<'_>, input: UpdateAlertRuleInput) -> async_graphql::Result<AlertRule> {
        let principal = principal(ctx)?;
        let change = RuleChange {
            enabled: input.enabled,
            escalate_after_hours: input.escalate_after_hours,
            reassignments: input.reassignments,
            window_days: input.window_days,
            within_days: input.within_days,
            stuck_deals: input.stuck_deals,
        };
        ctx.data::<App>()?.update_alert_rule(principal, input.kind.into(), change).await.map(AlertRule).gql()
    }

    /// Adds a notification channel (admin): a DingTalk or WeCom group robot, email, or a webhook.
    async fn add_channel(&self, ctx: &Context<'_>, input: crate::notify::AddChannelInput) -> async_graphql::Result<crate::notify::Channel> {
        let principal = principal(ctx)?;
        let channel = dealdesk_app::notify::NewChannel {
            kind: input.kind.into(),
            name: input.name,
            target: input.target,
            secret: input.secret,
            events: input.events,
        };
        ctx.data::<App>()?.add_channel(principal, channel).await.map(crate::notify::Channel).gql()
    }

    /// Removes a channel (admin); what still waited for it is dead-lettered.
    async fn remove_channel(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<bool> {
        let principal = principal(ctx)?;
        let id = lookup_id("channel", &id).gql()?;
        ctx.data::<App>()?.remove_channel(principal, id).await.gql()
    }

    /// Sends a test message through a channel (admin); follow it in `deliveries`.
    async fn test_channel(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::notify::Delivery> {
        let principal = principal(ctx)?;
        let id = lookup_id("channel", &id).gql()?;
        let message = ctx.data::<App>()?.test_channel(principal, id).await.gql()?;
        Ok(crate::notify::Delivery(dealdesk_app::notify::DeliveryView { message, attempts: Vec::new() }))
    }

    /// Chooses which alert kinds the caller receives through a channel.
    async fn set_notification_preference(&self, ctx: &Context<'_>, input: crate::notify::NotificationPreferenceInput) -> async_graphql::Result<crate::notify::NotificationPreference> {
        let principal = principal(ctx)?;
        let channel = parse_id("channelId", &input.channel_id).gql()?;
        let kinds = input.kinds.into_iter().map(Into::into).collect();
        ctx.data::<App>()?.set_notification_preference(principal, channel, kinds).await.map(crate::notify::NotificationPreference).gql()
    }

    /// Puts a dead-lettered delivery back in the queue (admin).
    async fn redrive_delivery(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::notify::Delivery> {
        let principal = principal(ctx)?;
        let id = lookup_id("delivery", &id).gql()?;
        ctx.data::<App>()?.redrive_delivery(principal, id).await.map(crate::notify::Delivery).gql()
    }

    /// Raises a numbered ticket, routed by kind (and requirement type), with its SLA clock running.
    async fn create_ticket(&self, ctx: &Context<'_>, input: crate::tickets::CreateTicketInput) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::create_ticket(ctx, input).await
    }

    /// The assignee (or its department, while unassigned) starts work.
    async fn start_ticket(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Start, None, None).await
    }

    /// The assignee delivers; the SLA clock pauses until the requester decides.
    async fn deliver_ticket(&self, ctx: &Context<'_>, id: ID, note: Option<String>) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Deliver, note, None).await
    }

    /// The requester accepts the delivery with a 1–5 rating.
    async fn accept_ticket(&self, ctx: &Context<'_>, id: ID, rating: i32) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Accept, None, Some(rating)).await
    }

    /// The requester sends the delivery back (rework); the clock resumes.
    async fn reject_ticket(&self, ctx: &Context<'_>, id: ID, reason: String) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Reject, Some(reason), None).await
    }

    /// Marks a ticket blocked, with the reason (it shows red).
    async fn block_ticket(&self, ctx: &Context<'_>, id: ID, reason: String) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Block, Some(reason), None).await
    }

    /// Returns a blocked ticket to where it was.
    async fn unblock_ticket(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::tickets::Ticket> {
        crate::tickets::step(ctx, id, dealdesk_domain::TicketAction::Unblock, None, None).await
    }

    /// Sets the org's business calendar (admin).
    async fn set_business_calendar(&self, ctx: &Context<'_>, input: crate::tickets::BusinessCalendarInput) -> async_graphql::Result<crate::tickets::Calendar> {
        crate::tickets::set_calendar(ctx, input).await
    }

    /// Merges an official holiday schedule (CSV `date,kind,name` with HOLIDAY/WORKDAY, or the same as JSON) into the calendar (admin).
    async fn import_holidays(&self, ctx: &Context<'_>, schedule: String) -> async_graphql::Result<crate::tickets::Calendar> {
        let principal = principal(ctx)?;
        ctx.data::<App>()?.import_holidays(principal, &schedule).await.map(crate::tickets::Calendar).gql()
    }

    /// Changes an SLA policy (admin).
    async fn update_sla_policy(&self, ctx: &Context<'_>, input: crate::tickets::UpdateSlaPolicyInput) -> async_graphql::Result<crate::tickets::SlaPolicy> {
        crate::tickets::update_policy(ctx, input).await
    }

    /// Draws up a contract for a deal in NEGOTIATION, with an instalment plan summing to its amount.
    async fn create_contract(&self, ctx: &Context<'_>, input: crate::contracts::CreateContractInput) -> async_graphql::Result<crate::contracts::Contract> {
        crate::contracts::create(ctx, input).await
    }

    /// Attaches a PDF, PNG or JPEG (≤ 20 MB) to a contract (GraphQL multipart request).
    async fn attach_document(&self, ctx: &Context<'_>, contract_id: ID, kind: crate::contracts::DocumentKindValue, period_month: Option<String>, file: async_graphql::Upload) -> async_graphql::Result<crate::contracts::ContractDocument> {
        crate::contracts::attach(ctx, contract_id, kind, period_month, file).await
    }

    /// Runs the payment-capability check: statements for the last three months, registry status, legal review.
    async fn run_payment_check(&self, ctx: &Context<'_>, contract_id: ID) -> async_graphql::Result<crate::contracts::PaymentCheckResult> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &contract_id).gql()?;
        ctx.data::<App>()?.run_payment_check(principal, id).await.map(crate::contracts::PaymentCheckResult).gql()
    }

    /// LEGAL confirms a contract's terms (and an unknown registry status).
    async fn confirm_contract_legal(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::contracts::Contract> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &id).gql()?;
        ctx.data::<App>()?.confirm_contract_legal(principal, id).await.map(crate::contracts::Contract).gql()
    }

    /// Submits a contract for approval.
    async fn submit_contract(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::contracts::Contract> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &id).gql()?;
        ctx.data::<App>()?.submit_contract(principal, id).await.map(crate::contracts::Contract).gql()
    }

    /// Approves a contract (MANAGER or FINANCE): `PAYMENT_CHECK_REQUIRED` until the check passed, `CUSTOMER_RISK_FROZEN` for YELLOW/RED customers.
    async fn approve_contract(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<crate::contracts::Contract> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &id).gql()?;
        ctx.data::<App>()?.approve_contract(principal, id).await.map(crate::contracts::Contract).gql()
    }

    /// Rejects a submitted contract.
    async fn reject_contract(&self, ctx: &Context<'_>, id: ID, reason: String) -> async_graphql::Result<crate::contracts::Contract> {
        let principal = principal(ctx)?;
        let id = lookup_id("contract", &id).gql()?;
        ctx.data::<App>()?.reject_contract(principal, id, &reason).await.map(crate::contracts::Contract).gql()
    }

    /// Records a payment against a receivable (FINANCE); partial payments allowed, overpayment refused.
    async fn record_payment(&self, ctx: &Context<'_>, input: crate::contracts::RecordPaymentInput) -> async_graphql::Result<crate::contracts::Receivable> {
        let principal = principal(ctx)?;
        let id = lookup_id("receivable", &input.receivable_id).gql()?;
        ctx.data::<App>()?.record_payment(principal, id, &input.amount.into(), input.paid_at.0).await.map(crate::contracts::Receivable).gql()
    }

    /// The owner files the overdue-cause analysis (逾期原因分析表): delivers the OVERDUE_ANALYSIS ticket with it.
    async fn submit_overdue_analysis(&self, ctx: &Context<'_>, ticket_id: ID, analysis: String) -> async_graphql::Result<crate::tickets::Ticket> {
        if analysis.trim().is_empty() {
            return Err(crate::error::to_graphql(AppError::bad_input("analysis", "must not be empty")));
        }
        crate::tickets::step(ctx, ticket_id, dealdesk_domain::TicketAction::Deliver, Some(analysis), None).await
    }

    /// Flags litigation or arbitration for a customer (the tier turns RED).
    async fn flag_litigation(&self, ctx: &Context<'_>, customer_id: ID, note: String) -> async_graphql::Result<crate::contracts::RiskTierValue> {
        let principal = principal(ctx)?;
        let id = lookup_id("customer", &customer_id).gql()?;
        ctx.data::<App>()?.flag_litigation(principal, id, &note).await.map(Into::into).gql()
    }

    /// Changes the org's risk-tier thresholds (ADMIN only: finance approves the
    /// contracts the tiers freeze); fields left out keep their value. Every
    /// customer's tier is then recomputed with them, a change recorded and
    /// alerted like any other (RISK_TIER_CHANGED). Audited.
    async fn update_risk_thresholds(&self, ctx: &Context<'_>, input: crate::contracts::UpdateRiskThresholdsInput) -> async_graphql::Result<crate::contracts::RiskThresholds> {
        crate::contracts::update_risk_thresholds(ctx, input).await
    }

    /// Moves the test clock forward and runs the jobs that became due.
    async fn advance_test_clock(&self, ctx: &Context<'_>, hours: f64) -> async_graphql::Result<DateTime<Utc>> {
        let app = ctx.data::<App>()?;
        ensure_test_clock(app).gql()?;
        principal(ctx)?;
        app.advance_test_clock(hours).await.gql()
    }

    /// Sets the test clock to a later instant and runs the jobs that became due.
    async fn set_test_clock(&self, ctx: &Context<'_>, at: DateTime<Utc>) -> async_graphql::Result<DateTime<Utc>> {
        let app = ctx.data::<App>()?;
        ensure_test_clock(app).gql()?;
        principal(ctx)?;
        app.set_test_clock(at).await.gql()
    }

    /// Imports payments from a .csv (UTF-8) or .xlsx file (FINANCE or ADMIN): header
    /// `receivableId,amount,currency,paidAt` or `应收ID,金额,币种,回款日期`, currency optional
    /// (CNY), at most 10 000 rows and 10 MB. Every bad row is reported with its line; a real
    /// run (`dryRun: false`) applies every row in one transaction, or none when any is bad.
    async fn import_payments(&self, ctx: &Context<'_>, file: async_graphql::Upload, #[graphql(default = true)] dry_run: bool) -> async_graphql::Result<crate::import::PaymentImport> {
        crate::import::import_payments(ctx, file, dry_run).await
    }
}
