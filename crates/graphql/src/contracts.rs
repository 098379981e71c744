//! Receivables and credit risk: contracts, documents, the payment check, receivables and tiers.

use async_graphql::{Context, Enum, InputObject, Object, Upload, ID};
use chrono::{DateTime, NaiveDate, Utc};
use dealdesk_app::contracts::{DocumentKind, NewContract, PaymentCheck, RiskThresholdSettings, ThresholdChange};
use dealdesk_app::App;
use dealdesk_domain::{Currency, Money as DomainMoney, RiskTier};
use dealdesk_persistence::entities::{contract_documents, contracts, customer_risk, receivables, risk_tier_changes};

use crate::error::{lookup_id, principal, ResultExt};
use crate::inputs::MoneyInput;
use crate::scalars::Date;
use crate::types::Money;

fn money(cents: i64, currency: &str) -> Money {
    let currency = Currency::parse(currency).unwrap_or(Currency::CNY);
    Money::from(&DomainMoney::from_minor_units(cents, currency))
}

/// Red / yellow / blue (R4).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RiskTierValue {
    Red,
    Yellow,
    Blue,
}

impl From<RiskTier> for RiskTierValue {
    fn from(tier: RiskTier) -> Self {
        match tier {
            RiskTier::Red => RiskTierValue::Red,
            RiskTier::Yellow => RiskTierValue::Yellow,
            RiskTier::Blue => RiskTierValue::Blue,
        }
    }
}

pub(crate) fn tier_value(stored: &str) -> RiskTierValue {
    RiskTier::parse(stored).map(RiskTierValue::from).unwrap_or(RiskTierValue::Blue)
}

/// Kinds of contract document.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum DocumentKindValue {
    BankStatement,
    CreditProof,
    SignedContract,
    Other,
}

impl From<DocumentKindValue> for DocumentKind {
    fn from(value: DocumentKindValue) -> Self {
        match value {
            DocumentKindValue::BankStatement => DocumentKind::BankStatement,
            DocumentKindValue::CreditProof => DocumentKind::CreditProof,
            DocumentKindValue::SignedContract => DocumentKind::SignedContract,
            DocumentKindValue::Other => DocumentKind::Other,
        }
    }
}

/// The result of a payment-capability check (R2).
pub struct PaymentCheckResult(pub PaymentCheck);

#[Object(name = "PaymentCheck")]
impl PaymentCheckResult {
    async fn passed(&self) -> bool {
        self.0.passed
    }
    /// Everything still missing or wrong; empty when passed.
    async fn reasons(&self) -> &[String] {
        &self.0.reasons
    }
    async fn checked_at(&self) -> DateTime<Utc> {
        self.0.checked_at
    }
}

/// One instalment of the plan.
#[derive(async_graphql::SimpleObject)]
pub struct Instalment {
    pub due_date: Date,
    pub amount: Money,
}

/// A contract (合同) with its approval workflow.
pub struct Contract(pub contracts::Model);

#[Object]
impl Contract {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn deal_id(&self) -> ID {
        ID(self.0.deal_id.to_string())
    }
    async fn customer_id(&self) -> ID {
        ID(self.0.customer_id.to_string())
    }
    async fn amount(&self) -> Money {
        money(self.0.amount_cents, &self.0.currency)
    }
    async fn payment_terms_days(&self) -> i32 {
        self.0.payment_terms_days
    }
    async fn signed_at(&self) -> Option<Date> {
        self.0.signed_on.map(Date)
    }
    /// The instalment plan (回款计划).
    async fn instalments(&self) -> Vec<Instalment> {
        self.0
            .instalments
            .as_array()
            .map(|plan| {
                plan.iter()
                    .filter_map(|item| {
                        let due = NaiveDate::parse_from_str(item.get("dueDate")?.as_str()?, "%Y-%m-%d").ok()?;
                        Some(Instalment { due_date: Date(due), amount: money(item.get("amountCents")?.as_i64()?, &self.0.currency) })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
    /// DRAFT, SUBMITTED, APPROVED or REJECTED.
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// The payment terms need legal review before approval.
    async fn legal_review_required(&self) -> bool {
        self.0.legal_review_required
    }
    async fn legal_confirmed_at(&self) -> Option<DateTime<Utc>> {
        self.0.legal_confirmed_at
    }
    /// The last payment check, if any.
    async fn payment_check(&self) -> Option<PaymentCheckResult> {
        let checked_at = self.0.checked_at?;
        let reasons = self.0.check_reasons.as_array().map(|reasons| reasons.iter().filter_map(|reason| reason.as_str().map(str::to_string)).collect()).unwrap_or_default();
        Some(PaymentCheckResult(PaymentCheck { passed: self.0.check_passed, reasons, checked_at }))
    }
    /// What the business registry said (OPERATING, ABNORMAL, REVOKED, CANCELLED, UNKNOWN, NOT_REGISTERED).
    async fn registry_status(&self) -> Option<&str> {
        self.0.registry_status.as_deref()
    }
    async fn rejection_reason(&self) -> Option<&str> {
        self.0.rejection_reason.as_deref()
    }
    async fn documents(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ContractDocument>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.contract_documents(principal, self.0.id).await.gql()?.into_iter().map(ContractDocument).collect())
    }
    /// One receivable per instalment, once approved.
    async fn receivables(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Receivable>> {
        let principal = principal(ctx)?;
        Ok(ctx.data::<App>()?.contract_receivables(principal, self.0.id).await.gql()?.into_iter().map(Receivable).collect())
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A file attached to a contract.
pub struct ContractDocument(pub contract_documents::Model);

#[Object]
impl ContractDocument {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    /// The month a statement or credit proof covers, `YYYY-MM`.
    async fn period_month(&self) -> Option<&str> {
        self.0.period_month.as_deref()
    }
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    async fn content_type(&self) -> &str {
        &self.0.content_type
    }
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// SHA-256 of the content, hex.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// Download with the same `Authorization` header.
    async fn download_url(&self) -> String {
        format!("/files/{}", self.0.id)
    }
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.uploaded_at
    }
}

/// An instalment owed (应收).
pub struct Receivable(pub receivables::Model);

#[Object]
impl Receivable {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn contract_id(&self) -> ID {
        ID(self.0.contract_id.to_string())
    }
    async fn customer_id(&self) -> ID {
        ID(self.0.customer_id.to_string())
    }
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }
    async fn amount(&self) -> Money {
        money(self.0.amount_cents, &self.0.currency)
    }
    async fn paid(&self) -> Money {
        money(self.0.paid_cents, &self.0.currency)
    }
    async fn outstanding(&self) -> Money {
        money(self.0.amount_cents - self.0.paid_cents, &self.0.currency)
    }
    async fn fully_paid_on(&self) -> Option<Date> {
        self.0.fully_paid_on.map(Date)
    }
    /// Days past due (until paid), as of the business clock's day in the org's time zone.
    async fn days_overdue(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let tz = crate::loaders::calendar(ctx).await?.tz();
        let today = ctx.data::<App>()?.now().with_timezone(&tz).date_naive();
        let until = self.0.fully_paid_on.unwrap_or(today);
        Ok((until - self.0.due_date).num_days().max(0))
    }
}

/// A change of a customer's tier.
pub struct RiskTierChange(pub risk_tier_changes::Model);

#[Object]
impl RiskTierChange {
    async fn from(&self) -> RiskTierValue {
        tier_value(&self.0.from_tier)
    }
    async fn to(&self) -> RiskTierValue {
        tier_value(&self.0.to_tier)
    }
    async fn reasons(&self) -> Vec<String> {
        self.0.reasons.as_array().map(|reasons| reasons.iter().filter_map(|reason| reason.as_str().map(str::to_string)).collect()).unwrap_or_default()
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// A customer in the risk center.
pub struct RiskEntry(pub customer_risk::Model);

#[Object]
impl RiskEntry {
    async fn customer(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<crate::types::Customer>> {
        let loaders = crate::loaders::loaders(ctx)?;
        Ok(loaders.customers.load_one(self.0.customer_id).await.map_err(crate::loaders::loader_error)?.map(crate::types::Customer))
    }
    async fn tier(&self) -> RiskTierValue {
        tier_value(&self.0.tier)
    }
    async fn litigation(&self) -> bool {
        self.0.litigation
    }
    /// Services are flagged suspended while RED.
    async fn services_suspended(&self) -> bool {
        self.0.services_suspended
    }
    async fn reasons(&self) -> Vec<String> {
        self.0.facts.get("reasons").and_then(|reasons| reasons.as_array()).map(|reasons| reasons.iter().filter_map(|reason| reason.as_str().map(str::to_string)).collect()).unwrap_or_default()
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// One instalment as input.
#[derive(InputObject)]
pub struct InstalmentInput {
    pub due_date: Date,
    pub amount: MoneyInput,
}

/// Input of `createContract`.
#[derive(InputObject)]
pub struct CreateContractInput {
    pub deal_id: ID,
    pub amount: MoneyInput,
    pub payment_terms_days: i32,
    pub signed_at: Option<Date>,
    /// Must sum to `amount`.
    pub instalments: Vec<InstalmentInput>,
    /// The payment terms need legal review (routes the contract to LEGAL before approval).
    #[graphql(default)]
    pub legal_review: bool,
}

/// Input of `recordPayment`.
#[derive(InputObject)]
pub struct RecordPaymentInput {
    pub receivable_id: ID,
    pub amount: MoneyInput,
    /// The day the money arrived.
    pub paid_at: Date,
}

/// `createContract`.
pub async fn create(ctx: &Context<'_>, input: CreateContractInput) -> async_graphql::Result<Contract> {
    let principal = principal(ctx)?;
    let contract = NewContract {
        deal_id: lookup_id("deal", &input.deal_id).gql()?,
        amount: input.amount.into(),
        payment_terms_days: input.payment_terms_days,
        signed_on: input.signed_at.map(|date| date.0),
        instalments: input.instalments.into_iter().map(|instalment| (instalment.due_date.0, instalment.amount.into())).collect(),
        legal_review: input.legal_review,
    };
    ctx.data::<App>()?.create_contract(principal, contract).await.map(Contract).gql()
}

/// `attachDocument`.
pub async fn attach(ctx: &Context<'_>, contract_id: ID, kind: DocumentKindValue, period_month: Option<String>, file: Upload) -> async_graphql::Result<ContractDocument> {
    let principal = principal(ctx)?;
    let contract = lookup_id("contract", &contract_id).gql()?;
    let mut value = file.value(ctx).map_err(|error| crate::error::to_graphql(dealdesk_app::AppError::bad_input("file", error.to_string())))?;
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut value.content, &mut bytes).map_err(|error| crate::error::to_graphql(dealdesk_app::AppError::bad_input("file", error.to_string())))?;
    let upload = dealdesk_app::contracts::Upload { file_name: value.filename.clone(), bytes };
    ctx.data::<App>()?.attach_document(principal, contract, kind.into(), period_month, upload).await.map(ContractDocument).gql()
}

/// The org's risk-tier thresholds (R4): the SPEC's table until an admin changes them.
pub struct RiskThresholds(pub RiskThresholdSettings);

#[Object]
impl RiskThresholds {
    /// RED when the days overdue, summed over the customer's receivables
    /// inside the cumulative window, exceed this (default 15).
    async fn red_cumulative_overdue_days(&self) -> u32 {
        self.0.thresholds.red_cumulative_overdue_days
    }
    /// RED when the overdue amount is at least this percentage of the
    /// customer's total contract amount (default "10.00").
    async fn red_overdue_share_percent(&self) -> String {
        dealdesk_app::contracts::percent_text(self.0.thresholds.red_overdue_share_percent)
    }
    /// YELLOW when the on-time rate over the window is below this percentage (default "95.00").
    async fn on_time_rate_percent(&self) -> String {
        dealdesk_app::contracts::percent_text(self.0.thresholds.on_time_rate_percent)
    }
    /// The on-time rate counts receivables due in the last this many calendar months (default 6).
    async fn window_months(&self) -> u32 {
        self.0.thresholds.window_months
    }
    /// Cumulative overdue days count only days in the last this many days (default 365).
    async fn cumulative_window_days(&self) -> u32 {
        self.0.thresholds.cumulative_window_days
    }
    /// True while the org uses the defaults (never changed).
    async fn is_default(&self) -> bool {
        self.0.is_default
    }
    /// Whether every customer's tier has been recomputed with these
    /// thresholds (false only while a recompute runs or waits to be finished).
    async fn tiers_recomputed(&self) -> bool {
        self.0.tiers_recomputed
    }
    /// When they were last changed; null while default.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
    /// Who last changed them; null while default or when an API key did.
    async fn updated_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<crate::types::User>> {
        let Some(id) = self.0.updated_by else {
            return Ok(None);
        };
        let loaders = crate::loaders::loaders(ctx)?;
        Ok(loaders.users.load_one(id).await.map_err(crate::loaders::loader_error)?.map(crate::types::User))
    }
}

/// Input of `updateRiskThresholds`: a field left out keeps its current value.
#[derive(InputObject, Default)]
pub struct UpdateRiskThresholdsInput {
    /// 0–3660; RED when the cumulative overdue days exceed it.
    pub red_cumulative_overdue_days: Option<i32>,
    /// Percent as a decimal string with at most two places, greater than 0 and at most 100, e.g. "10" or "7.5".
    pub red_overdue_share_percent: Option<String>,
    /// Percent as a decimal string with at most two places, greater than 0 and at most 100, e.g. "95".
    pub on_time_rate_percent: Option<String>,
    /// 1–120 calendar months.
    pub window_months: Option<i32>,
    /// 1–3660 days.
    pub cumulative_window_days: Option<i32>,
}

/// `riskThresholds`.
pub async fn risk_thresholds(ctx: &Context<'_>) -> async_graphql::Result<RiskThresholds> {
    let principal = principal(ctx)?;
    ctx.data::<App>()?.risk_thresholds(principal).await.map(RiskThresholds).gql()
}

/// `updateRiskThresholds(input)`.
pub async fn update_risk_thresholds(ctx: &Context<'_>, input: UpdateRiskThresholdsInput) -> async_graphql::Result<RiskThresholds> {
    let principal = principal(ctx)?;
    let change = ThresholdChange {
        red_cumulative_overdue_days: input.red_cumulative_overdue_days,
        red_overdue_share_percent: input.red_overdue_share_percent,
        on_time_rate_percent: input.on_time_rate_percent,
        window_months: input.window_months,
        cumulative_window_days: input.cumulative_window_days,
    };
    ctx.data::<App>()?.update_risk_thresholds(principal, change).await.map(RiskThresholds).gql()
}
