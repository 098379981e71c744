//! Output objects. Each wraps a persistence model and resolves related
//! records through the request's org-scoped loaders.

use std::future::Future;
use std::pin::Pin;

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{ComplexObject, Context, Enum, Lookahead, Object, SelectionField, SimpleObject, Union, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::activities::{TimelineItem, TimelineSubject};
use dealdesk_app::deals::{deal_amount, DealFilter, DealHistory, DealOrderField, Listed, Picked, Selection};
use dealdesk_app::page::{Cursor, Page, PageRequest};
use dealdesk_app::App;
use dealdesk_domain::{CustomerId, StageKind};
use dealdesk_persistence::entities::{
    activities, api_keys, audit_log, contacts, customers, deal_assignments, deal_transitions, deals, orgs, stages, teams,
    users,
};
use uuid::Uuid;

use crate::error::{principal, ResultExt};
use crate::loaders::{feed_timeline, loader_error, loaders, loaders_in};
use crate::quick::{Quick, QuickFields};
use crate::scalars::Date;

/// Extra fields of every connection.
#[derive(SimpleObject)]
pub struct ConnectionFields {
    /// How many nodes match the filter in all pages.
    pub total_count: u64,
}

/// A Relay connection with `totalCount`.
pub type Conn<T> = Connection<EdgeCursor, T, ConnectionFields>;

/// An edge's cursor, encoded only if the client selects it (most lists
/// never do: encoding fifty of them was a fiftieth of a list request).
pub struct EdgeCursor(Cursor);

impl CursorType for EdgeCursor {
    type Error = dealdesk_app::AppError;

    fn decode_cursor(text: &str) -> Result<Self, Self::Error> {
        Cursor::decode("cursor", text).map(EdgeCursor)
    }

    fn encode_cursor(&self) -> String {
        self.0.encode()
    }
}

/// Builds a connection from a use-case page.
pub fn connection<T, N: async_graphql::OutputType>(page: Page<T>, node: impl Fn(T) -> N) -> Conn<N> {
    let mut connection = Connection::with_additional_fields(
        page.has_previous_page,
        page.has_next_page,
        ConnectionFields {
            total_count: page.total_count,
        },
    );
    connection
        .edges
        .extend(page.items.into_iter().map(|(cursor, row)| Edge::new(EdgeCursor(cursor), node(row))));
    connection
}

/// A resolver's call into the use cases, run on the heap. async-graphql
/// boxes one future per selected field, each as large as the largest
/// field future of its object; the few resolvers that call into the use
/// cases would otherwise make every field of the object that large.
fn on_heap<'a, T>(future: impl Future<Output = T> + Send + 'a) -> Pin<Box<dyn Future<Output = T> + Send + 'a>> {
    Box::pin(future)
}

/// An id as clients see it: the hyphenated lower-case form, written
/// straight into a string of its size (not through `Display`).
fn id(uuid: Uuid) -> ID {
    ID(uuid.hyphenated().encode_lower(&mut Uuid::encode_buffer()).to_owned())
}

/// A user of `org` (the org of the record that refers to them), also in
/// the anonymous requests that sign a user in.
async fn user_in_org(ctx: &Context<'_>, org: Uuid, user_id: Option<Uuid>) -> async_graphql::Result<Option<User>> {
    let Some(user_id) = user_id else { return Ok(None) };
    Ok(loaders_in(ctx, org)?.users.load_one(user_id).await.map_err(loader_error)?.map(User))
}

async fn user_by_id(ctx: &Context<'_>, user_id: Option<Uuid>) -> async_graphql::Result<Option<User>> {
    let Some(user_id) = user_id else { return Ok(None) };
    Ok(loaders(ctx)?.users.load_one(user_id).await.map_err(loader_error)?.map(User))
}

/// Money with its currency; the amount is a decimal string.
#[derive(SimpleObject)]
pub struct Money {
    /// Decimal amount, e.g. "680000.00".
    pub amount: String,
    /// ISO 4217 code, e.g. "CNY".
    pub currency: String,
}

impl QuickFields for Money {
    /// Both fields are the values it holds.
    fn is_quick(&self, _field: &str) -> bool {
        true
    }
}

impl From<&dealdesk_domain::Money> for Money {
    fn from(money: &dealdesk_domain::Money) -> Self {
        Money { amount: money.amount_string(), currency: money.currency().as_str().to_string() }
    }
}

/// Roles (S2).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Role")]
pub enum RoleValue {
    Rep,
    Manager,
    Marketing,
    Tech,
    Delivery,
    Finance,
    Legal,
    Admin,
}

impl From<dealdesk_domain::Role> for RoleValue {
    fn from(role: dealdesk_domain::Role) -> Self {
        use dealdesk_domain::Role;
        match role {
            Role::Rep => RoleValue::Rep,
            Role::Manager => RoleValue::Manager,
            Role::Marketing => RoleValue::Marketing,
            Role::Tech => RoleValue::Tech,
            Role::Delivery => RoleValue::Delivery,
            Role::Finance => RoleValue::Finance,
            Role::Legal => RoleValue::Legal,
            Role::Admin => RoleValue::Admin,
        }
    }
}

impl From<RoleValue> for dealdesk_domain::Role {
    fn from(role: RoleValue) -> Self {
        use dealdesk_domain::Role;
        match role {
            RoleValue::Rep => Role::Rep,
            RoleValue::Manager => Role::Manager,
            RoleValue::Marketing => Role::Marketing,
            RoleValue::Tech => Role::Tech,
            RoleValue::Delivery => Role::Delivery,
            RoleValue::Finance => Role::Finance,
            RoleValue::Legal => Role::Legal,
            RoleValue::Admin => Role::Admin,
        }
    }
}

fn role_value(stored: &str) -> async_graphql::Result<RoleValue> {
    dealdesk_domain::Role::parse(stored).map(RoleValue::from).map_err(|error| async_graphql::Error::new(error.to_string()))
}

/// An organization (tenant).
pub struct Org(pub orgs::Model);

#[Object]
impl Org {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// IANA time zone for reports and business calendars.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
}

/// The user columns each field of [`User`] reads, for a list that joins
/// deals' owners to select only those; `None` for a field that reads the
/// whole user (or is not listed). Keep beside the resolvers: a field read
/// from a column missing here would read a default, and
/// `tests/tests/api/projection.rs` compares every listed field with the
/// whole record's.
pub fn user_field_reads(field: &str) -> Option<Picked> {
    use users::Column::*;
    let columns: &[users::Column] = match field {
        "__typename" => &[],
        "id" => &[Id],
        "email" => &[Email],
        "name" => &[Name],
        "role" => &[Role],
        "joinedAt" => &[JoinedAt],
        "active" => &[Active],
        "team" => &[OrgId, TeamId],
        "manager" => &[OrgId, ManagerId],
        "org" => &[OrgId],
        _ => return None,
    };
    Some(Picked::of::<users::Entity>(columns))
}

/// A person who signs in.
pub struct User(pub users::Model);

impl QuickFields for User {
    /// The user's own columns; the team, manager and org are looked up.
    fn is_quick(&self, field: &str) -> bool {
        matches!(field, "id" | "email" | "name" | "role" | "joinedAt" | "active")
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> async_graphql::Result<RoleValue> {
        role_value(&self.0.role)
    }
    /// When the person joined (newcomer coaching counts from here).
    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
    async fn active(&self) -> bool {
        self.0.active
    }
    async fn team(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Team>> {
        let Some(team_id) = self.0.team_id else { return Ok(None) };
        Ok(loaders_in(ctx, self.0.org_id)?.teams.load_one(team_id).await.map_err(loader_error)?.map(Team))
    }
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_in_org(ctx, self.0.org_id, self.0.manager_id).await
    }
    async fn org(&self, ctx: &Context<'_>) -> async_graphql::Result<Org> {
        // The user's own org: also readable from the sign-up and login payloads.
        let org = on_heap(dealdesk_persistence::users::find_org(&ctx.data::<App>()?.db, dealdesk_domain::OrgId::from_uuid(self.0.org_id)))
            .await
            .map_err(dealdesk_app::AppError::from)
            .gql()?;
        org.map(Org).ok_or_else(|| crate::error::to_graphql(dealdesk_app::AppError::NotFound("org")))
    }
}

/// A sales team with its manager.
pub struct Team(pub teams::Model);

#[Object]
impl Team {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn manager(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_in_org(ctx, self.0.org_id, self.0.manager_id).await
    }
}

/// Tokens returned by sign-up, login and refresh.
pub struct AuthPayload(pub dealdesk_app::auth::AuthTokens);

#[Object]
impl AuthPayload {
    /// Bearer token for `Authorization`, valid 15 minutes.
    async fn access_token(&self) -> &str {
        &self.0.access_token
    }
    async fn access_token_expires_at(&self) -> DateTime<Utc> {
        self.0.access_token_expires_at
    }
    /// One-time token for `refreshToken`, valid 30 days.
    async fn refresh_token(&self) -> &str {
        &self.0.refresh_token
    }
    async fn user(&self) -> User {
        User(self.0.user.clone())
    }
}

/// Kinds of stage.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum StageKindValue {
    Open,
    Won,
    Lost,
}

/// A pipeline stage and the gate a deal must pass to enter it.
pub struct Stage(pub stages::Model);

#[Object]
impl Stage {
    /// Stable key (e.g. `DEMO`); names may be renamed, keys do not change.
    async fn key(&self) -> &str {
        &self.0.key
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn position(&self) -> i32 {
        self.0.position
    }
    async fn kind(&self) -> StageKindValue {
        match StageKind::parse(&self.0.kind) {
            Ok(StageKind::Won) => StageKindValue::Won,
            Ok(StageKind::Lost) => StageKindValue::Lost,
            _ => StageKindValue::Open,
        }
    }
    /// Win probability in percent, for forecasts.
    async fn probability(&self) -> i32 {
        self.0.probability
    }
    /// Input fields of `moveDealStage` required to enter this stage.
    async fn gate_fields(&self) -> Vec<String> {
        match &self.0.gate_fields {
            serde_json::Value::Array(items) => items.iter().filter_map(|item| item.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    }
    /// Hours without activity after which a deal here counts as stuck.
    async fn stuck_after_hours(&self) -> Option<i32> {
        self.0.stuck_after_hours
    }
}

/// Decision-chain roles (决策链角色).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum DecisionRoleValue {
    DecisionMaker,
    Influencer,
    User,
    Gatekeeper,
    Champion,
}

impl From<DecisionRoleValue> for dealdesk_domain::DecisionRole {
    fn from(value: DecisionRoleValue) -> Self {
        use dealdesk_domain::DecisionRole;
        match value {
            DecisionRoleValue::DecisionMaker => DecisionRole::DecisionMaker,
            DecisionRoleValue::Influencer => DecisionRole::Influencer,
            DecisionRoleValue::User => DecisionRole::User,
            DecisionRoleValue::Gatekeeper => DecisionRole::Gatekeeper,
            DecisionRoleValue::Champion => DecisionRole::Champion,
        }
    }
}

fn decision_role_value(stored: Option<&str>) -> Option<DecisionRoleValue> {
    use dealdesk_domain::DecisionRole;
    Some(match DecisionRole::parse(stored?).ok()? {
        DecisionRole::DecisionMaker => DecisionRoleValue::DecisionMaker,
        DecisionRole::Influencer => DecisionRoleValue::Influencer,
        DecisionRole::User => DecisionRoleValue::User,
        DecisionRole::Gatekeeper => DecisionRoleValue::Gatekeeper,
        DecisionRole::Champion => DecisionRoleValue::Champion,
    })
}

/// The customer columns each field of [`Customer`] reads (as
/// [`user_field_reads`]).
pub fn customer_field_reads(field: &str) -> Option<Picked> {
    use customers::Column::*;
    let columns: &[customers::Column] = match field {
        "__typename" => &[],
        "id" | "contacts" | "deals" | "riskTier" | "riskHistory" | "receivables" | "payments" | "onTimeRate" | "overdueAmount"
        | "timeline" => &[Id],
        "name" => &[Name],
        "creditCode" => &[CreditCode],
        "industry" => &[Industry],
        "region" => &[Region],
        "size" => &[Size],
        "owner" => &[OwnerId],
        "createdAt" => &[CreatedAt],
        _ => return None,
    };
    Some(Picked::of::<customers::Entity>(columns))
}

/// A company customer.
pub struct Customer(pub customers::Model);

impl QuickFields for Customer {
    /// The customer's own columns; its owner, contacts, deals and credit
    /// figures are looked up.
    fn is_quick(&self, field: &str) -> bool {
        matches!(field, "id" | "name" | "creditCode" | "industry" | "region" | "size" | "createdAt")
    }
}

#[Object]
impl Customer {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    /// Unified social credit code (统一社会信用代码).
    async fn credit_code(&self) -> Option<&str> {
        self.0.credit_code.as_deref()
    }
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
    async fn region(&self) -> Option<&str> {
        self.0.region.as_deref()
    }
    async fn size(&self) -> Option<&str> {
        self.0.size.as_deref()
    }
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, Some(self.0.owner_id)).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn contacts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Contact>> {
        let rows = loaders(ctx)?.customer_contacts.load_one(self.0.id).await.map_err(loader_error)?;
        Ok(rows.unwrap_or_default().into_iter().map(Contact).collect())
    }
    /// The customer's deals the caller may see, newest first.
    async fn deals(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Quick<Deal>>> {
        let principal = principal(ctx)?;
        let page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), true).gql()?;
        let filter = DealFilter {
            customer_id: Some(self.0.id),
            ..DealFilter::default()
        };
        let deals = on_heap(ctx.data::<App>()?.deals(principal, filter, DealOrderField::CreatedAt, page, deal_selection(ctx))).await.gql()?;
        Ok(deal_connection(deals))
    }
    /// The customer's risk tier (红黄蓝).
    async fn risk_tier(&self, ctx: &Context<'_>) -> async_graphql::Result<crate::contracts::RiskTierValue> {
        let principal = principal(ctx)?;
        Ok(on_heap(ctx.data::<App>()?.customer_credit(principal, self.0.id)).await.gql()?.tier.into())
    }
    /// Every change of the tier, oldest first.
    async fn risk_history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::contracts::RiskTierChange>> {
        let principal = principal(ctx)?;
        Ok(on_heap(ctx.data::<App>()?.tier_history(principal, self.0.id)).await.gql()?.into_iter().map(crate::contracts::RiskTierChange).collect())
    }
    /// The customer's receivables, by due date.
    async fn receivables(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::contracts::Receivable>> {
        let principal = principal(ctx)?;
        Ok(on_heap(ctx.data::<App>()?.customer_credit(principal, self.0.id)).await.gql()?.receivables.into_iter().map(crate::contracts::Receivable).collect())
    }
    /// The customer's payments, oldest first, whether recorded one by one or imported.
    async fn payments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::import::Payment>> {
        on_heap(crate::import::customer_payments(ctx, self.0.id)).await
    }
    /// Share of receivables due in the last 6 months paid on time, in percent (null when none was due).
    async fn on_time_rate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<f64>> {
        let principal = principal(ctx)?;
        Ok(on_heap(ctx.data::<App>()?.customer_credit(principal, self.0.id)).await.gql()?.on_time_rate_percent.and_then(|rate| rate.parse().ok()))
    }
    /// The amount overdue now.
    async fn overdue_amount(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Money>> {
        let principal = principal(ctx)?;
        Ok(on_heap(ctx.data::<App>()?.customer_credit(principal, self.0.id)).await.gql()?.overdue_amount.as_ref().map(Money::from))
    }
    /// Activities, stage changes and reassignments across the customer's visible deals, oldest first.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<TimelineEvent>> {
        let principal = principal(ctx)?;
        let mut page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), false).gql()?;
        page.count_total = ctx.look_ahead().field("totalCount").exists();
        let mut timeline =
            on_heap(ctx.data::<App>()?.timeline(principal, TimelineSubject::Customer(CustomerId::from_uuid(self.0.id)), page)).await.gql()?;
        on_heap(feed_timeline(loaders(ctx)?, &mut timeline)).await;
        Ok(connection(timeline.page, TimelineEvent::from))
    }
}

/// A person at a customer.
pub struct Contact(pub contacts::Model);

#[Object]
impl Contact {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }
    async fn phone(&self) -> Option<&str> {
        self.0.phone.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn decision_role(&self) -> Option<DecisionRoleValue> {
        decision_role_value(self.0.decision_role.as_deref())
    }
}

/// Time spent in one stage, derived from the transitions.
#[derive(SimpleObject)]
pub struct StageDwell {
    pub stage: String,
    /// Total hours spent in the stage (the current stage counts up to now).
    pub hours: f64,
    /// How many times the deal entered the stage.
    pub visits: u32,
}

/// The deal columns each field of [`Deal`] reads (as [`user_field_reads`]);
/// `timeline` hands the whole deal to the use case.
pub fn deal_field_reads(field: &str) -> Option<Picked> {
    use deals::Column::*;
    let columns: &[deals::Column] = match field {
        "__typename" => &[],
        "id" | "contracts" | "transitions" | "stageDwells" | "forwardSkips" | "backwardMoves" => &[Id],
        "title" => &[Title],
        "stage" | "stageDetails" => &[Stage],
        "owner" => &[OwnerId],
        "customer" => &[CustomerId],
        "amount" => &[AmountCents, Currency],
        "productLine" => &[ProductLine],
        "expectedCloseDate" => &[ExpectedCloseDate],
        "source" => &[Source],
        "coreNeed" => &[CoreNeed],
        "decisionRole" => &[DecisionRole],
        "contact" => &[ContactId],
        "nextFollowUpAt" => &[NextFollowUpAt],
        "lostReason" => &[LostReason],
        "enteredStageAt" | "dwellHours" => &[EnteredStageAt],
        "lastActivityAt" => &[LastActivityAt],
        "createdAt" => &[CreatedAt],
        "updatedAt" => &[UpdatedAt],
        _ => return None,
    };
    Some(Picked::of::<deals::Entity>(columns))
}

/// A deal (商机), with the owner and customer its statement joined when
/// the selection shows them.
pub struct Deal(pub deals::Model, Option<Box<Joined>>);

/// The records joined to a deal by the statement that read it (`None`
/// when not joined: the request's loaders find them).
pub struct Joined {
    owner: Option<users::Model>,
    customer: Option<customers::Model>,
}

impl From<deals::Model> for Deal {
    fn from(deal: deals::Model) -> Self {
        Deal(deal, None)
    }
}

impl From<Listed> for Deal {
    fn from(listed: Listed) -> Self {
        let joined = (listed.owner.is_some() || listed.customer.is_some())
            .then(|| Box::new(Joined { owner: listed.owner, customer: listed.customer }));
        Deal(listed.deal, joined)
    }
}

/// What `deal(id)` reads: the whole deal (its timeline reads every
/// field) and, when its selection shows them, its whole owner and customer.
pub fn whole_deal_with(node: Lookahead<'_>) -> Selection {
    let joined = |field: &str| node.field(field).exists().then_some(Picked::ALL);
    Selection { deal: Picked::ALL, owner: joined("owner"), customer: joined("customer") }
}

/// What a deals field's selection reads of each deal (under `edges { node }`
/// or `nodes`), for the page's statement to select only that: the columns
/// its fields read ([`deal_field_reads`]) and, when it shows them, the
/// owner and customer with the columns their fields read
/// ([`user_field_reads`], [`customer_field_reads`]). Every occurrence of a
/// field counts (aliases, fragments, `@skip`ped ones too); a field the maps
/// do not list reads its whole record.
pub fn deal_selection(ctx: &Context<'_>) -> Selection {
    let selection = ctx.look_ahead();
    let mut nodes = selection.field("edges").field("node").selection_fields();
    nodes.extend(selection.field("nodes").selection_fields());
    let mut read = Selection { deal: Picked::NONE, owner: None, customer: None };
    for field in nodes.iter().flat_map(SelectionField::selection_set) {
        read.deal = read.deal.union(deal_field_reads(field.name()).unwrap_or(Picked::ALL));
        match field.name() {
            "owner" => read.owner = Some(read.owner.unwrap_or(Picked::NONE).union(picked_by_fields(field, user_field_reads))),
            "customer" => read.customer = Some(read.customer.unwrap_or(Picked::NONE).union(picked_by_fields(field, customer_field_reads))),
            _ => {}
        }
    }
    read
}

/// The columns the fields selected under `field` read; every column
/// when one of them is not listed.
fn picked_by_fields(field: SelectionField<'_>, reads: fn(&str) -> Option<Picked>) -> Picked {
    field.selection_set().fold(Picked::NONE, |columns, each| columns.union(reads(each.name()).unwrap_or(Picked::ALL)))
}

/// A page of deals as a connection, each deal with the records joined to
/// it, where its `owner` and `customer` find them without another
/// statement or a loader lookup, and its fields resolved in place.
pub fn deal_connection(page: Page<Listed>) -> Conn<Quick<Deal>> {
    connection(page, |listed| Quick(Deal::from(listed)))
}

impl Deal {
    /// The deal's transitions and the figures derived from them, loaded
    /// together with those of every other deal in the response.
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<DealHistory> {
        loaders(ctx)?
            .histories
            .load_one(self.0.id)
            .await
            .map_err(loader_error)?
            .ok_or_else(|| async_graphql::Error::new("the deal's history is missing"))
    }
}

impl QuickFields for Deal {
    /// The deal's own columns (and the clock); its stage details, owner,
    /// customer, contact, contracts and history are looked up, or were
    /// joined and resolve at their first poll anyway.
    fn is_quick(&self, field: &str) -> bool {
        matches!(
            field,
            "id" | "title"
                | "stage"
                | "amount"
                | "productLine"
                | "expectedCloseDate"
                | "source"
                | "coreNeed"
                | "decisionRole"
                | "nextFollowUpAt"
                | "lostReason"
                | "enteredStageAt"
                | "dwellHours"
                | "lastActivityAt"
                | "createdAt"
                | "updatedAt"
        )
    }
}

#[Object]
impl Deal {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// The current stage's key.
    async fn stage(&self) -> &str {
        &self.0.stage
    }
    /// The current stage with its name, probability and gate.
    async fn stage_details(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Stage>> {
        Ok(loaders(ctx)?.stages.load_one(self.0.stage.clone()).await.map_err(loader_error)?.map(Stage))
    }
    async fn owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Quick<User>>> {
        if let Some(owner) = self.1.as_ref().and_then(|joined| joined.owner.as_ref()) {
            return Ok(Some(Quick(User(owner.clone()))));
        }
        Ok(user_by_id(ctx, Some(self.0.owner_id)).await?.map(Quick))
    }
    async fn customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Quick<Customer>>> {
        if let Some(customer) = self.1.as_ref().and_then(|joined| joined.customer.as_ref()) {
            return Ok(Some(Quick(Customer(customer.clone()))));
        }
        Ok(loaders(ctx)?.customers.load_one(self.0.customer_id).await.map_err(loader_error)?.map(|customer| Quick(Customer(customer))))
    }
    async fn amount(&self) -> Option<Quick<Money>> {
        deal_amount(&self.0).as_ref().map(|amount| Quick(Money::from(amount)))
    }
    async fn product_line(&self) -> Option<&str> {
        self.0.product_line.as_deref()
    }
    async fn expected_close_date(&self) -> Option<Date> {
        self.0.expected_close_date.map(Date)
    }
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
    /// The customer's core need as last stated at a stage move.
    async fn core_need(&self) -> Option<&str> {
        self.0.core_need.as_deref()
    }
    async fn decision_role(&self) -> Option<DecisionRoleValue> {
        decision_role_value(self.0.decision_role.as_deref())
    }
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Contact>> {
        let Some(contact_id) = self.0.contact_id else { return Ok(None) };
        Ok(loaders(ctx)?.contacts.load_one(contact_id).await.map_err(loader_error)?.map(Contact))
    }
    async fn next_follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_follow_up_at
    }
    async fn lost_reason(&self) -> Option<&str> {
        self.0.lost_reason.as_deref()
    }
    async fn entered_stage_at(&self) -> DateTime<Utc> {
        self.0.entered_stage_at
    }
    /// Hours since the deal entered its current stage.
    async fn dwell_hours(&self, ctx: &Context<'_>) -> async_graphql::Result<f64> {
        let now = ctx.data::<App>()?.now();
        Ok((now - self.0.entered_stage_at).num_seconds() as f64 / 3600.0)
    }
    async fn last_activity_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_activity_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// The deal's contracts.
    async fn contracts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<crate::contracts::Contract>> {
        let principal = principal(ctx)?;
        let contracts = on_heap(ctx.data::<App>()?.deal_contracts(principal, self.0.id)).await.gql()?;
        Ok(contracts.into_iter().map(crate::contracts::Contract).collect())
    }
    /// Every stage change, oldest first.
    async fn transitions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StageTransition>> {
        let history = self.history(ctx).await?;
        Ok(history.transitions.into_iter().map(StageTransition).collect())
    }
    /// Time per stage, derived from the transitions.
    async fn stage_dwells(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<StageDwell>> {
        let history = self.history(ctx).await?;
        Ok(history
            .dwells
            .into_iter()
            .map(|dwell| StageDwell {
                stage: dwell.stage.as_str().to_string(),
                hours: dwell.total.num_seconds() as f64 / 3600.0,
                visits: dwell.visits,
            })
            .collect())
    }
    /// Stages skipped by forward moves, summed over the deal's history.
    async fn forward_skips(&self, ctx: &Context<'_>) -> async_graphql::Result<u32> {
        Ok(self.history(ctx).await?.forward_skips)
    }
    /// Moves back to an earlier stage.
    async fn backward_moves(&self, ctx: &Context<'_>) -> async_graphql::Result<u32> {
        Ok(self.history(ctx).await?.backward_moves)
    }
    /// Activities, stage changes and reassignments, oldest first (`last: n` for the latest n).
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<TimelineEvent>> {
        let principal = principal(ctx)?;
        let mut page = PageRequest::parse(first, after.as_deref(), last, before.as_deref(), false).gql()?;
        page.count_total = ctx.look_ahead().field("totalCount").exists();
        let mut timeline = on_heap(ctx.data::<App>()?.shown_deal_timeline(principal, &self.0, page)).await.gql()?;
        on_heap(feed_timeline(loaders(ctx)?, &mut timeline)).await;
        Ok(connection(timeline.page, TimelineEvent::from))
    }
}

/// A stage change, as recorded.
pub struct StageTransition(pub deal_transitions::Model);

#[Object]
impl StageTransition {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn deal_id(&self) -> ID {
        id(self.0.deal_id)
    }
    /// The stage left; null for the deal's creation.
    async fn from_stage(&self) -> Option<&str> {
        self.0.from_stage.as_deref()
    }
    async fn to_stage(&self) -> &str {
        &self.0.to_stage
    }
    /// The user who moved it (null for integrations and the system).
    async fn by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        if self.0.actor_kind != "USER" {
            return Ok(None);
        }
        user_by_id(ctx, self.0.actor_id).await
    }
    /// `USER`, `API_KEY` or `SYSTEM`.
    async fn actor_kind(&self) -> &str {
        &self.0.actor_kind
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
    /// Open stages jumped over by this move.
    async fn forward_skips(&self) -> i32 {
        self.0.forward_skips
    }
    /// Whether the move went back to an earlier stage.
    async fn backward(&self) -> bool {
        self.0.backward
    }
    async fn core_need(&self) -> Option<&str> {
        self.0.core_need.as_deref()
    }
    async fn decision_role(&self) -> Option<DecisionRoleValue> {
        decision_role_value(self.0.decision_role.as_deref())
    }
    async fn next_follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_follow_up_at
    }
    async fn lost_reason(&self) -> Option<&str> {
        self.0.lost_reason.as_deref()
    }
}

/// A change of a deal's owner.
pub struct DealReassignment(pub deal_assignments::Model);

#[Object]
impl DealReassignment {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn deal_id(&self) -> ID {
        id(self.0.deal_id)
    }
    #[allow(clippy::wrong_self_convention)]
    async fn from_owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, self.0.from_owner_id).await
    }
    async fn to_owner(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        user_by_id(ctx, Some(self.0.to_owner_id)).await
    }
    async fn by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        if self.0.actor_kind != "USER" {
            return Ok(None);
        }
        user_by_id(ctx, self.0.actor_id).await
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// Kinds of activity.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ActivityKindValue {
    Call,
    Visit,
    Meeting,
    Email,
    Chat,
    Note,
}

impl From<ActivityKindValue> for dealdesk_domain::ActivityKind {
    fn from(value: ActivityKindValue) -> Self {
        use dealdesk_domain::ActivityKind;
        match value {
            ActivityKindValue::Call => ActivityKind::Call,
            ActivityKindValue::Visit => ActivityKind::Visit,
            ActivityKindValue::Meeting => ActivityKind::Meeting,
            ActivityKindValue::Email => ActivityKind::Email,
            ActivityKindValue::Chat => ActivityKind::Chat,
            ActivityKindValue::Note => ActivityKind::Note,
        }
    }
}

/// A call, visit, meeting, email, chat or note (跟进记录).
pub struct Activity(pub activities::Model);

#[Object]
impl Activity {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn kind(&self) -> ActivityKindValue {
        use dealdesk_domain::ActivityKind;
        match ActivityKind::parse(&self.0.kind) {
            Ok(ActivityKind::Call) => ActivityKindValue::Call,
            Ok(ActivityKind::Visit) => ActivityKindValue::Visit,
            Ok(ActivityKind::Meeting) => ActivityKindValue::Meeting,
            Ok(ActivityKind::Email) => ActivityKindValue::Email,
            Ok(ActivityKind::Chat) => ActivityKindValue::Chat,
            _ => ActivityKindValue::Note,
        }
    }
    async fn text(&self) -> &str {
        &self.0.text
    }
    /// When it happened (may be back-dated, with a reason past 24 h).
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.occurred_at
    }
    /// When it was entered; always kept.
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
    async fn backdate_reason(&self) -> Option<&str> {
        self.0.backdate_reason.as_deref()
    }
    async fn next_follow_up_at(&self) -> Option<DateTime<Utc>> {
        self.0.next_follow_up_at
    }
    async fn deal_id(&self) -> Option<ID> {
        self.0.deal_id.map(id)
    }
    async fn customer_id(&self) -> ID {
        id(self.0.customer_id)
    }
    async fn contact(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Contact>> {
        let Some(contact_id) = self.0.contact_id else { return Ok(None) };
        Ok(loaders(ctx)?.contacts.load_one(contact_id).await.map_err(loader_error)?.map(Contact))
    }
    async fn author(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        if self.0.author_kind != "USER" {
            return Ok(None);
        }
        user_by_id(ctx, self.0.author_id).await
    }
}

/// One entry of a deal's or customer's timeline.
#[derive(Union)]
pub enum TimelineEvent {
    Activity(Activity),
    StageTransition(StageTransition),
    DealReassignment(DealReassignment),
}

impl From<TimelineItem> for TimelineEvent {
    fn from(item: TimelineItem) -> Self {
        match item {
            TimelineItem::Activity(row) => TimelineEvent::Activity(Activity(row)),
            TimelineItem::StageChange(row) => TimelineEvent::StageTransition(StageTransition(row)),
            TimelineItem::Reassignment(row) => TimelineEvent::DealReassignment(DealReassignment(row)),
        }
    }
}

/// An integration key (the key itself is never shown again).
pub struct ApiKey(pub api_keys::Model);

#[Object]
impl ApiKey {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> async_graphql::Result<RoleValue> {
        role_value(&self.0.role)
    }
    /// The first characters, to tell keys apart.
    async fn key_prefix(&self) -> &str {
        &self.0.key_prefix
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

/// A newly created key: `key` is shown only in this response.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct NewApiKey {
    pub id: ID,
    /// Send as `Authorization: ApiKey <key>`.
    pub key: String,
    #[graphql(skip)]
    pub model: api_keys::Model,
}

#[ComplexObject]
impl NewApiKey {
    async fn api_key(&self) -> ApiKey {
        ApiKey(self.model.clone())
    }
}

/// One row of the audit trail.
pub struct AuditEntry(pub audit_log::Model);

#[Object]
impl AuditEntry {
    async fn id(&self) -> ID {
        id(self.0.id)
    }
    /// `USER`, `API_KEY` or `SYSTEM`.
    async fn actor_kind(&self) -> &str {
        &self.0.actor_kind
    }
    async fn actor_id(&self) -> Option<ID> {
        self.0.actor_id.map(id)
    }
    /// `entity.verb`, e.g. `deal.move_stage`.
    async fn action(&self) -> &str {
        &self.0.action
    }
    async fn entity_type(&self) -> &str {
        &self.0.entity_type
    }
    async fn entity_id(&self) -> Option<ID> {
        self.0.entity_id.map(id)
    }
    async fn before(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0.before.clone().map(async_graphql::Json)
    }
    async fn after(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0.after.clone().map(async_graphql::Json)
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// Alert kinds (API.md).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AlertKindValue {
    StageStuck,
    FollowUpOverdue,
    PingPong,
    NewcomerStuck,
    SlaWarning,
    SlaBreached,
    CollectionWarning,
    RiskTierChanged,
    DataQuality,
}

impl From<AlertKindValue> for dealdesk_domain::AlertKind {
    fn from(value: AlertKindValue) -> Self {
        use dealdesk_domain::AlertKind as K;
        match value {
            AlertKindValue::StageStuck => K::StageStuck,
            AlertKindValue::FollowUpOverdue => K::FollowUpOverdue,
            AlertKindValue::PingPong => K::PingPong,
            AlertKindValue::NewcomerStuck => K::NewcomerStuck,
            AlertKindValue::SlaWarning => K::SlaWarning,
            AlertKindValue::SlaBreached => K::SlaBreached,
            AlertKindValue::CollectionWarning => K::CollectionWarning,
            AlertKindValue::RiskTierChanged => K::RiskTierChanged,
            AlertKindValue::DataQuality => K::DataQuality,
        }
    }
}

impl From<dealdesk_domain::AlertKind> for AlertKindValue {
    fn from(kind: dealdesk_domain::AlertKind) -> Self {
        use dealdesk_domain::AlertKind as K;
        match kind {
            K::StageStuck => AlertKindValue::StageStuck,
            K::FollowUpOverdue => AlertKindValue::FollowUpOverdue,
            K::PingPong => AlertKindValue::PingPong,
            K::NewcomerStuck => AlertKindValue::NewcomerStuck,
            K::SlaWarning => AlertKindValue::SlaWarning,
            K::SlaBreached => AlertKindValue::SlaBreached,
            K::CollectionWarning => AlertKindValue::CollectionWarning,
            K::RiskTierChanged => AlertKindValue::RiskTierChanged,
            K::DataQuality => AlertKindValue::DataQuality,
        }
    }
}

/// Life-cycle of an alert (E5).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum AlertStatus {
    /// Raised, not yet seen.
    Open,
    /// Seen by a recipient; the condition still holds.
    Acknowledged,
    /// The condition cleared.
    Resolved,
}

impl AlertStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "OPEN",
            AlertStatus::Acknowledged => "ACKNOWLEDGED",
            AlertStatus::Resolved => "RESOLVED",
        }
    }
}

/// What an alert is about.
#[derive(Union)]
pub enum AlertSubject {
    Deal(Deal),
    User(User),
    Ticket(crate::tickets::Ticket),
    Customer(Customer),
    Receivable(crate::contracts::Receivable),
}

/// A process alert (预警).
pub struct Alert(pub dealdesk_app::alerts::AlertView);

#[Object]
impl Alert {
    async fn id(&self) -> ID {
        id(self.0.alert.id)
    }
    async fn kind(&self) -> async_graphql::Result<AlertKindValue> {
        dealdesk_domain::AlertKind::parse(&self.0.alert.kind)
            .map(AlertKindValue::from)
            .map_err(|error| async_graphql::Error::new(error.to_string()))
    }
    async fn status(&self) -> AlertStatus {
        match self.0.alert.status.as_str() {
            "ACKNOWLEDGED" => AlertStatus::Acknowledged,
            "RESOLVED" => AlertStatus::Resolved,
            _ => AlertStatus::Open,
        }
    }
    /// A one-line description (zh-CN); `details` carries the figures for other languages.
    async fn title(&self) -> &str {
        &self.0.alert.title
    }
    /// The rule's figures (stage, thresholds, times).
    async fn details(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(self.0.alert.details.clone())
    }
    /// `DEAL`, `USER`, `TICKET`, `CUSTOMER` or `RECEIVABLE`.
    async fn subject_type(&self) -> &str {
        &self.0.alert.subject_type
    }
    async fn subject_id(&self) -> ID {
        id(self.0.alert.subject_id)
    }
    /// The deal or person the alert is about (null if the caller may not see it).
    async fn subject(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<AlertSubject>> {
        principal(ctx)?;
        let subject = self.0.alert.subject_id;
        if self.0.alert.subject_type == "DEAL" {
            let deal = loaders(ctx)?.visible_deals.load_one(subject).await.map_err(loader_error)?;
            return Ok(deal.map(|deal| AlertSubject::Deal(Deal::from(deal))));
        }
        if self.0.alert.subject_type == "TICKET" {
            let ticket = loaders(ctx)?.visible_tickets.load_one(subject).await.map_err(loader_error)?;
            return Ok(ticket.map(|ticket| AlertSubject::Ticket(crate::tickets::Ticket(ticket))));
        }
        if self.0.alert.subject_type == "CUSTOMER" {
            let customer = loaders(ctx)?.visible_customers.load_one(subject).await.map_err(loader_error)?;
            return Ok(customer.map(|customer| AlertSubject::Customer(Customer(customer))));
        }
        if self.0.alert.subject_type == "RECEIVABLE" {
            let receivable = loaders(ctx)?.visible_receivables.load_one(subject).await.map_err(loader_error)?;
            return Ok(receivable.map(|receivable| AlertSubject::Receivable(crate::contracts::Receivable(receivable))));
        }
        if self.0.alert.subject_type != "USER" {
            return Ok(None);
        }
        Ok(user_by_id(ctx, Some(subject)).await?.map(AlertSubject::User))
    }
    /// Who the alert is addressed to.
    async fn recipients(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<User>> {
        let loaded = loaders(ctx)?.users.load_many(self.0.recipients.iter().copied()).await.map_err(loader_error)?;
        Ok(self.0.recipients.iter().filter_map(|user| loaded.get(user).cloned().map(User)).collect())
    }
    /// When the alert was raised.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.alert.raised_at
    }
    async fn acknowledged_at(&self) -> Option<DateTime<Utc>> {
        self.0.alert.acknowledged_at
    }
    async fn resolved_at(&self) -> Option<DateTime<Utc>> {
        self.0.alert.resolved_at
    }
    /// When the manager was added (E2 escalation).
    async fn escalated_at(&self) -> Option<DateTime<Utc>> {
        self.0.alert.escalated_at
    }
}

/// One alert rule's settings; fields that do not apply to the kind are null.
pub struct AlertRule(pub dealdesk_app::alerts::RuleView);

#[Object]
impl AlertRule {
    async fn kind(&self) -> AlertKindValue {
        self.0.kind.into()
    }
    async fn enabled(&self) -> bool {
        self.0.enabled
    }
    /// FOLLOW_UP_OVERDUE: hours after the missed follow-up before managers are told.
    async fn escalate_after_hours(&self) -> Option<u32> {
        self.0.escalate_after_hours
    }
    /// PING_PONG: reassignments that make a ping-pong.
    async fn reassignments(&self) -> Option<u32> {
        self.0.reassignments
    }
    /// PING_PONG: the window in days.
    async fn window_days(&self) -> Option<u32> {
        self.0.window_days
    }
    /// NEWCOMER_STUCK: days after joining a rep counts as new.
    async fn within_days(&self) -> Option<u32> {
        self.0.within_days
    }
    /// NEWCOMER_STUCK: stuck deals in one stage that call for coaching.
    async fn stuck_deals(&self) -> Option<u32> {
        self.0.stuck_deals
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use async_graphql::{EmptyMutation, EmptySubscription, Schema};

    use super::*;

    /// What each `deals` field of a request read.
    type Seen = Arc<Mutex<Vec<Selection>>>;

    /// A root whose `deals` records what its selection reads, and lists nothing.
    struct Probe;

    #[Object]
    impl Probe {
        async fn deals(&self, ctx: &Context<'_>) -> async_graphql::Result<Conn<Quick<Deal>>> {
            ctx.data::<Seen>()?.lock().unwrap().push(deal_selection(ctx));
            Ok(Connection::with_additional_fields(false, false, ConnectionFields { total_count: 0 }))
        }
    }

    async fn read_by(query: &str) -> Selection {
        let seen = Seen::default();
        let schema = Schema::build(Probe, EmptyMutation, EmptySubscription).data(seen.clone()).finish();
        let response = schema.execute(query).await;
        assert!(response.errors.is_empty(), "{query}: {:?}", response.errors);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        seen[0]
    }

    #[tokio::test]
    async fn a_list_reads_the_columns_its_fields_show() {
        use deals::Column as D;
        let read = read_by("{ deals { edges { node { id title stage amount { amount currency } createdAt owner { name } customer { name industry } } } } }").await;
        let deal = Picked::of::<deals::Entity>(&[D::Id, D::Title, D::Stage, D::AmountCents, D::Currency, D::CreatedAt, D::OwnerId, D::CustomerId]);
        assert_eq!(read.deal, deal);
        assert_eq!(read.owner, Some(Picked::of::<users::Entity>(&[users::Column::Name])));
        assert_eq!(read.customer, Some(Picked::of::<customers::Entity>(&[customers::Column::Name, customers::Column::Industry])));
    }

    #[tokio::test]
    async fn every_occurrence_of_a_field_counts() {
        let read = read_by(
            "fragment Card on Deal { title }
             { deals { nodes { ...Card boss: owner { email } ... on Deal { owner { team { name } } } } edges { node { dwellHours } } } }",
        )
        .await;
        use deals::Column as D;
        assert_eq!(read.deal, Picked::of::<deals::Entity>(&[D::Title, D::OwnerId, D::EnteredStageAt]));
        use users::Column as U;
        assert_eq!(read.owner, Some(Picked::of::<users::Entity>(&[U::Email, U::OrgId, U::TeamId])));
        assert_eq!(read.customer, None);
    }

    #[tokio::test]
    async fn a_field_that_reads_the_whole_deal_selects_every_column() {
        let read = read_by("{ deals { nodes { title timeline(first: 5) { totalCount } } } }").await;
        assert_eq!(read.deal, Picked::ALL);
        let counted = read_by("{ deals { totalCount } }").await;
        assert_eq!(counted, Selection { deal: Picked::NONE, owner: None, customer: None });
    }

    /// The fields of `type_name` in the published schema.
    async fn fields_of(type_name: &str) -> Vec<String> {
        let schema = Schema::build(crate::query::QueryRoot, crate::mutation::MutationRoot, EmptySubscription).finish();
        let response = schema.execute(format!("{{ __type(name: \"{type_name}\") {{ fields {{ name }} }} }}")).await;
        let data = response.data.into_json().unwrap();
        let fields: Vec<String> =
            data["__type"]["fields"].as_array().unwrap().iter().map(|field| field["name"].as_str().unwrap().to_string()).collect();
        assert!(fields.len() > 5, "{type_name}: {fields:?}");
        fields
    }

    /// A new field of a listed type says which columns it reads, or that
    /// it reads the whole record (and makes lists that show it read whole
    /// records).
    #[tokio::test]
    async fn every_field_of_a_listed_type_is_in_its_column_map() {
        type Reads = fn(&str) -> Option<Picked>;
        let maps: [(&str, Reads, &[&str]); 3] =
            [("Deal", deal_field_reads, &["timeline"]), ("User", user_field_reads, &[]), ("Customer", customer_field_reads, &[])];
        for (type_name, reads, whole) in maps {
            for field in fields_of(type_name).await {
                assert_eq!(reads(&field).is_none(), whole.contains(&field.as_str()), "{type_name}.{field}");
            }
        }
    }
}
