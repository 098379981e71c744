//! Receivables and credit risk (R1–R4): contracts with the payment-capability
//! check and approval, instalment receivables, payments, and customer risk
//! tiers recomputed on every payment, litigation flag and daily, against the
//! org's own tier thresholds.
//!
//! **Thresholds.** An org uses the SPEC's table ([`TierThresholds::default`])
//! until an admin changes it (`updateRiskThresholds`). Only ADMIN may: FINANCE
//! approves contracts, and the tiers are the control that freezes approvals
//! for customers in arrears, so the people approving do not also set how
//! strict the freeze is (every change is in the audit trail either way).
//! A change is stored with its audit row in one transaction, then every
//! customer with receivables or a risk row is recomputed, one transaction per
//! customer, exactly like the hourly recompute (tier change records,
//! RISK_TIER_CHANGED alerts and the tier's actions). The thresholds row holds
//! a lease on that recompute while it runs; if the process dies part-way the
//! hourly tier job takes the unfinished recompute over once the lease expires.

use std::path::PathBuf;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use dealdesk_domain::{
    TicketKind, check_payment, check_payment_date, risk_tier, validate_instalments, AlertKind, Currency, CustomerRiskFacts, DealId, Money, OrgId, ReceivableFacts,
    RiskTier, Role, TierThresholds,
};
use dealdesk_persistence::contracts as repo;
use dealdesk_persistence::entities::{contract_documents, contracts, customer_risk, receivables, risk_thresholds};
use dealdesk_persistence::{customers as customer_repo, deals as deal_repo, users as user_repo, Visible};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::alerts::{new_alert, Finding, Subject, SCAN_BATCH};
use crate::audit::{self, Change};
use crate::customers::SALES_ROLES;
use crate::deals::MoneyInput;
use crate::error::{AppError, AppResult, FieldErrors};
use crate::jobs::LEASE_SECONDS;
use crate::orgs::{days_anywhere, org_day};
use crate::principal::Principal;
use crate::registry::RegistryStatus;
use crate::App;

/// Customers whose tiers the periodic recompute saves per transaction.
pub const TIER_BATCH: usize = 100;
/// Legal's negotiation playbook (协商话术包) sent with a YELLOW tier change.
pub const NEGOTIATION_PLAYBOOK: &str = "协商话术：1. 先确认对方收到发票与对账单；2. 询问延迟原因并记录；3. 提出分期或明确的付款日期；4. 说明逾期将影响后续合作与服务；5. 约定下次跟进时间并书面确认。";

/// The largest document accepted.
pub const MAX_DOCUMENT_BYTES: usize = 20 * 1024 * 1024;

/// Input of `createContract`.
#[derive(Clone, Debug)]
pub struct NewContract {
    pub deal_id: DealId,
    pub amount: MoneyInput,
    pub payment_terms_days: i32,
    pub signed_on: Option<NaiveDate>,
    pub instalments: Vec<(NaiveDate, MoneyInput)>,
    pub legal_review: bool,
}

/// Kinds of contract document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    BankStatement,
    CreditProof,
    SignedContract,
    Other,
}

impl DocumentKind {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::BankStatement => "BANK_STATEMENT",
            DocumentKind::CreditProof => "CREDIT_PROOF",
            DocumentKind::SignedContract => "SIGNED_CONTRACT",
            DocumentKind::Other => "OTHER",
        }
    }
}

/// An uploaded file.
#[derive(Clone, Debug)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The result of a payment-capability check.
#[derive(Clone, Debug)]
pub struct PaymentCheck {
    pub passed: bool,
    pub reasons: Vec<String>,
    pub checked_at: DateTime<Utc>,
}

/// A customer's credit picture.
#[derive(Clone, Debug)]
pub struct CustomerCredit {
    pub tier: RiskTier,
    pub risk: Option<customer_risk::Model>,
    pub receivables: Vec<receivables::Model>,
    pub on_time_rate_percent: Option<String>,
    pub overdue_amount: Option<Money>,
}

/// R4: an org's tier thresholds as the API shows them.
#[derive(Clone, Debug)]
pub struct RiskThresholdSettings {
    /// The thresholds every tier of the org is computed with.
    pub thresholds: TierThresholds,
    /// Whether these are the SPEC's defaults because the org never changed them.
    pub is_default: bool,
    /// When and by whom they were last changed (`None` while default).
    pub updated_at: Option<DateTime<Utc>>,
    pub updated_by: Option<Uuid>,
    /// Whether every customer's tier has been recomputed with these thresholds.
    pub tiers_recomputed: bool,
}

/// Input of `updateRiskThresholds`: a field left out keeps its current value.
/// Percentages are decimal strings (at most two places), as money is.
#[derive(Clone, Debug, Default)]
pub struct ThresholdChange {
    pub red_cumulative_overdue_days: Option<i32>,
    pub red_overdue_share_percent: Option<String>,
    pub on_time_rate_percent: Option<String>,
    pub window_months: Option<i32>,
    pub cumulative_window_days: Option<i32>,
}

/// A percentage stored as hundredths of a percent.
fn percent_from_basis_points(basis_points: i32) -> Decimal {
    Decimal::new(i64::from(basis_points), 2)
}

/// The stored form of a validated percentage (at most two places).
fn basis_points(percent: Decimal) -> i32 {
    (percent * Decimal::ONE_HUNDRED).trunc().to_i32().unwrap_or(i32::MAX)
}

/// The thresholds a stored row holds (a negative count, which validation never stores, reads as 0).
fn thresholds_of(row: &risk_thresholds::Model) -> TierThresholds {
    let count = |value: i32| u32::try_from(value).unwrap_or(0);
    TierThresholds {
        red_cumulative_overdue_days: count(row.red_cumulative_overdue_days),
        red_overdue_share_percent: percent_from_basis_points(row.red_overdue_share_basis_points),
        on_time_rate_percent: percent_from_basis_points(row.on_time_rate_basis_points),
        window_months: count(row.window_months),
        cumulative_window_days: count(row.cumulative_window_days),
    }
}

fn settings_of(row: Option<&risk_thresholds::Model>) -> RiskThresholdSettings {
    match row {
        Some(row) => RiskThresholdSettings { thresholds: thresholds_of(row), is_default: false, updated_at: Some(row.updated_at), updated_by: row.updated_by, tiers_recomputed: row.recomputed_version >= row.version },
        None => RiskThresholdSettings { thresholds: TierThresholds::default(), is_default: true, updated_at: None, updated_by: None, tiers_recomputed: true },
    }
}

/// A threshold percentage with two places, as stored and shown.
pub fn percent_text(value: Decimal) -> String {
    let mut value = value;
    value.rescale(2);
    value.to_string()
}

fn thresholds_json(thresholds: &TierThresholds, is_default: bool) -> serde_json::Value {
    json!({
        "redCumulativeOverdueDays": thresholds.red_cumulative_overdue_days,
        "redOverdueSharePercent": percent_text(thresholds.red_overdue_share_percent),
        "onTimeRatePercent": percent_text(thresholds.on_time_rate_percent),
        "windowMonths": thresholds.window_months,
        "cumulativeWindowDays": thresholds.cumulative_window_days,
        "default": is_default,
    })
}

/// Applies `change` to `current`, naming every field that cannot be read or breaks a rule.
fn apply_threshold_change(current: &TierThresholds, change: &ThresholdChange) -> AppResult<TierThresholds> {
    let mut errors = FieldErrors::new();
    let mut next = current.clone();
    let mut count = |field: &str, value: Option<i32>, target: &mut u32| {
        if let Some(value) = value {
            match u32::try_from(value) {
                Ok(value) => *target = value,
                Err(_) => errors.push(field, "must not be negative"),
            }
        }
    };
    count("redCumulativeOverdueDays", change.red_cumulative_overdue_days, &mut next.red_cumulative_overdue_days);
    count("windowMonths", change.window_months, &mut next.window_months);
    count("cumulativeWindowDays", change.cumulative_window_days, &mut next.cumulative_window_days);
    let mut percent = |field: &str, value: &Option<String>, target: &mut Decimal| {
        if let Some(text) = value {
            match text.trim().parse::<Decimal>() {
                Ok(value) => *target = value,
                Err(_) => errors.push(field, "must be a decimal number of percent such as 10 or 9.5"),
            }
        }
    };
    percent("redOverdueSharePercent", &change.red_overdue_share_percent, &mut next.red_overdue_share_percent);
    percent("onTimeRatePercent", &change.on_time_rate_percent, &mut next.on_time_rate_percent);
    // A field that could not be read kept its current (valid) value, so no field is reported twice.
    if let Err(problems) = next.validate() {
        for problem in problems {
            errors.push(problem.field, problem.message);
        }
    }
    errors.finish()?;
    Ok(next)
}

/// Sniffs the file type from its first bytes: PDF, PNG or JPEG only.
fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else {
        None
    }
}

fn money(errors: &mut FieldErrors, field: &str, input: &MoneyInput) -> Option<Money> {
    errors.take(Money::parse(&input.amount, &input.currency, field))
}

/// The three calendar months before `today`'s month, as `YYYY-MM`.
pub fn required_months(today: NaiveDate) -> Vec<String> {
    let first = today.with_day(1).unwrap_or(today);
    (1..=3)
        .filter_map(|back| first.checked_sub_months(Months::new(back)))
        .map(|month| format!("{:04}-{:02}", month.year(), month.month()))
        .collect()
}

/// A receivable's payment facts for the R3 rules: what is owed, and what is paid
/// once `pending_cents` (payments accepted earlier in the same import, not yet
/// written) are counted too.
pub(crate) fn receivable_facts(receivable: &receivables::Model, pending_cents: i64) -> AppResult<ReceivableFacts> {
    let currency = Currency::parse(&receivable.currency)?;
    let mut facts = ReceivableFacts::new(receivable.due_date, Money::from_minor_units(receivable.amount_cents, currency));
    let paid_cents = receivable.paid_cents + pending_cents;
    if paid_cents > 0 {
        facts.paid.push((receivable.due_date, Money::from_minor_units(paid_cents, currency)));
    }
    Ok(facts)
}

/// R3's amount rules for one payment, shared by `recordPayment` and the import:
/// a well-formed amount, positive, in the receivable's currency, not more than outstanding.
pub(crate) fn check_payment_amount(facts: &ReceivableFacts, amount: &MoneyInput) -> Result<Money, dealdesk_domain::FieldError> {
    let amount = Money::parse(&amount.amount, &amount.currency, "amount")?;
    check_payment(facts, &amount)?;
    Ok(amount)
}

/// The `payments` row for one payment against `receivable` (already updated), from `source` (`API` or `IMPORT`).
pub(crate) fn payment_record(principal: &Principal, receivable: &receivables::Model, amount_cents: i64, paid_on: NaiveDate, source: &str, now: DateTime<Utc>) -> dealdesk_persistence::entities::payments::Model {
    dealdesk_persistence::entities::payments::Model {
        id: Uuid::now_v7(),
        org_id: receivable.org_id,
        receivable_id: receivable.id,
        customer_id: receivable.customer_id,
        amount_cents,
        currency: receivable.currency.clone(),
        paid_on,
        source: source.into(),
        recorded_by: principal.actor.id(),
        recorded_at: now,
    }
}

/// A tier decision's figures as stored in `customer_risk.facts` (read back by `customer_credit`).
pub fn risk_facts_json(decision: &dealdesk_domain::TierDecision) -> serde_json::Value {
    json!({
        "reasons": decision.reasons,
        "cumulativeOverdueDays": decision.cumulative_overdue_days,
        "overdueAmount": decision.overdue_amount.amount_string(),
        "currency": decision.overdue_amount.currency().as_str(),
        "overdueSharePercent": decision.overdue_share_percent.to_string(),
        "onTimeRatePercent": decision.on_time_rate_percent.map(|rate| rate.to_string()),
    })
}

fn contract_json(contract: &contracts::Model) -> serde_json::Value {
    json!({ "dealId": contract.deal_id, "amountCents": contract.amount_cents, "currency": contract.currency, "status": contract.status, "paymentTermsDays": contract.payment_terms_days, "checkPassed": contract.check_passed, "legalReviewRequired": contract.legal_review_required })
}

impl App {
    async fn visible_contract<C: ConnectionTrait>(&self, conn: &C, principal: &Principal, id: Uuid) -> AppResult<contracts::Model> {
        let contract = repo::find(conn, principal.org_id, id).await?.ok_or(AppError::NotFound("contract"))?;
        if !sees_every_contract(principal) {
            let visible: Visible = principal.owner_scope(conn).await?.into();
            deal_repo::find_visible(conn, principal.org_id, &visible, DealId::from_uuid(contract.deal_id)).await?.ok_or(AppError::NotFound("contract"))?;
        }
        Ok(contract)
    }

    async fn customer_tier<C: ConnectionTrait>(&self, conn: &C, org: OrgId, customer: Uuid) -> AppResult<RiskTier> {
        Ok(match repo::risk_of(conn, org, customer).await? {
            Some(risk) => RiskTier::parse(&risk.tier)?,
            None => RiskTier::Blue,
        })
    }

    /// R1: a contract for a deal in negotiation, with an instalment plan that sums to its amount.
    pub async fn create_contract(&self, principal: &Principal, input: NewContract) -> AppResult<contracts::Model> {
        principal.require_role(&SALES_ROLES)?;
        let creator = principal.user_id()?;
        let mut errors = FieldErrors::new();
        let amount = money(&mut errors, "amount", &input.amount);
        if !(0..=365).contains(&input.payment_terms_days) {
            errors.push("paymentTermsDays", "must be between 0 and 365");
        }
        let mut plan = Vec::new();
        for (index, (due, instalment)) in input.instalments.iter().enumerate() {
            if let Some(value) = money(&mut errors, &format!("instalments[{index}].amount"), instalment) {
                plan.push((*due, value));
            }
        }
        if let Some(amount) = &amount {
            if let Err(problems) = validate_instalments(amount, &plan, input.signed_on) {
                for problem in problems {
                    errors.push(problem.field, problem.message);
                }
            }
        }
        errors.finish()?;
        let Some(amount) = amount else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let now = self.now();
        let txn = self.db.begin().await?;
        let visible: Visible = principal.owner_scope(&txn).await?.into();
        let deal = deal_repo::find_visible(&txn, principal.org_id, &visible, input.deal_id).await?.ok_or(AppError::NotFound("deal"))?;
        if deal.stage != "NEGOTIATION" {
            return Err(AppError::InvalidTransition(format!("contracts are drawn up in NEGOTIATION; the deal is in {}", deal.stage)));
        }
        let tier = self.customer_tier(&txn, principal.org_id, deal.customer_id).await?;
        if tier.freezes_new_contracts() {
            return Err(AppError::CustomerRiskFrozen(format!("new contracts for this customer are frozen while its risk tier is {}", tier.as_str())));
        }
        let row = contracts::Model {
            id: Uuid::now_v7(),
            org_id: principal.org_id.into_uuid(),
            deal_id: deal.id,
            customer_id: deal.customer_id,
            amount_cents: amount.to_minor_units(),
            currency: amount.currency().as_str().to_string(),
            payment_terms_days: input.payment_terms_days,
            signed_on: input.signed_on,
            instalments: json!(plan.iter().map(|(due, value)| json!({ "dueDate": due.format("%Y-%m-%d").to_string(), "amountCents": value.to_minor_units() })).collect::<Vec<_>>()),
            status: "DRAFT".into(),
            legal_review_required: input.legal_review,
            legal_confirmed_by: None,
            legal_confirmed_at: None,
            check_passed: false,
            check_reasons: json!([]),
            registry_status: None,
            checked_at: None,
            rejection_reason: None,
            decided_by: None,
            decided_at: None,
            created_by: creator.into_uuid(),
            created_at: now,
            updated_at: now,
        };
        repo::insert(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("contract.create", "contract", row.id, contract_json(&row))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// A contract the caller may see.
    pub async fn contract(&self, principal: &Principal, id: Uuid) -> AppResult<contracts::Model> {
        self.visible_contract(&self.db, principal, id).await
    }

    /// A contract's documents.
    pub async fn contract_documents(&self, principal: &Principal, contract: Uuid) -> AppResult<Vec<contract_documents::Model>> {
        Ok(repo::documents_of(&self.db, principal.org_id, contract).await?)
    }

    /// A contract's receivables.
    pub async fn contract_receivables(&self, principal: &Principal, contract: Uuid) -> AppResult<Vec<receivables::Model>> {
        Ok(repo::receivables_of_contract(&self.db, principal.org_id, contract).await?)
    }

    /// The contracts of a deal the caller may see.
    pub async fn deal_contracts(&self, principal: &Principal, deal: Uuid) -> AppResult<Vec<contracts::Model>> {
        Ok(repo::of_deal(&self.db, principal.org_id, deal).await?)
    }

    /// Stores a document (PDF, PNG or JPEG up to 20 MB) under the files directory, by content hash.
    pub async fn attach_document(&self, principal: &Principal, contract_id: Uuid, kind: DocumentKind, period_month: Option<String>, upload: Upload) -> AppResult<contract_documents::Model> {
        let uploader = principal.user_id()?;
        let mut errors = FieldErrors::new();
        if upload.bytes.len() > MAX_DOCUMENT_BYTES {
            errors.push("file", format!("is {} MB; the limit is 20 MB", upload.bytes.len() / (1024 * 1024)));
        }
        let sniffed = sniff(&upload.bytes);
        if sniffed.is_none() {
            errors.push("file", "must be a PDF, PNG or JPEG file");
        }
        let month = period_month.map(|month| month.trim().to_string()).filter(|month| !month.is_empty());
        if matches!(kind, DocumentKind::BankStatement | DocumentKind::CreditProof) {
            match &month {
                Some(month) if NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok() => {}
                Some(_) => errors.push("periodMonth", "must look like 2026-10"),
                None => errors.push("periodMonth", "is required for bank statements and credit proof"),
            }
        }
        errors.finish()?;
        let Some((content_type, extension)) = sniffed else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let contract = self.visible_contract(&self.db, principal, contract_id).await?;
        let digest: String = Sha256::digest(&upload.bytes).iter().map(|byte| format!("{byte:02x}")).collect();
        let dir: PathBuf = self.config.files_dir.join(contract.org_id.to_string()).join(contract.id.to_string());
        tokio::fs::create_dir_all(&dir).await.map_err(|error| AppError::Internal(format!("cannot create the files directory: {error}")))?;
        let path = dir.join(format!("{digest}.{extension}"));
        tokio::fs::write(&path, &upload.bytes).await.map_err(|error| AppError::Internal(format!("cannot store the file: {error}")))?;
        let now = self.now();
        let row = contract_documents::Model {
            id: Uuid::now_v7(),
            org_id: contract.org_id,
            contract_id: contract.id,
            kind: kind.as_str().to_string(),
            period_month: month,
            file_name: upload.file_name.chars().take(200).collect(),
            content_type: content_type.to_string(),
            size_bytes: i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX),
            sha256: digest,
            storage_path: path.display().to_string(),
            uploaded_by: uploader.into_uuid(),
            uploaded_at: now,
        };
        let txn = self.db.begin().await?;
        repo::insert_document(&txn, row.clone()).await?;
        audit::record(&txn, principal, now, Change::created("contract.attach_document", "contract_document", row.id, json!({ "contractId": row.contract_id, "kind": row.kind, "periodMonth": row.period_month, "sha256": row.sha256, "sizeBytes": row.size_bytes }))).await?;
        txn.commit().await?;
        Ok(row)
    }

    /// A document's bytes, for a caller who may see its contract.
    pub async fn document_content(&self, principal: &Principal, id: Uuid) -> AppResult<(contract_documents::Model, Vec<u8>)> {
        let document = repo::find_document(&self.db, principal.org_id, id).await?.ok_or(AppError::NotFound("document"))?;
        self.visible_contract(&self.db, principal, document.contract_id).await?;
        let bytes = tokio::fs::read(&document.storage_path).await.map_err(|error| AppError::Internal(format!("the stored file is missing: {error}")))?;
        Ok((document, bytes))
    }

    /// R2: statements or credit proof for each of the last three months, an
    /// operating registry status (or a LEGAL confirmation when unknown), and
    /// legal's review when the terms need it. Provider errors never pass.
    pub async fn run_payment_check(&self, principal: &Principal, id: Uuid) -> AppResult<PaymentCheck> {
        let contract = self.visible_contract(&self.db, principal, id).await?;
        let now = self.now();
        let today = org_day(&self.db, principal.org_id, now).await?;
        let mut reasons = Vec::new();
        let documents = repo::documents_of(&self.db, principal.org_id, id).await?;
        for month in required_months(today) {
            let covered = documents.iter().any(|document| (document.kind == "BANK_STATEMENT" || document.kind == "CREDIT_PROOF") && document.period_month.as_deref() == Some(month.as_str()));
            if !covered {
                reasons.push(format!("no bank statement or credit proof for {month}"));
            }
        }
        let customer = customer_repo::find_many(&self.db, principal.org_id, &[contract.customer_id]).await?.into_iter().next().ok_or(AppError::NotFound("customer"))?;
        let registry = match customer.credit_code.as_deref() {
            None => {
                reasons.push("the customer has no unified social credit code to check".into());
                None
            }
            Some(code) => match self.registry.status(code).await {
                Ok(status) => Some(status),
                Err(error) => {
                    reasons.push(format!("registry check failed: {error}"));
                    None
                }
            },
        };
        match &registry {
            Some(RegistryStatus::Operating) => {}
            Some(RegistryStatus::Unknown) if contract.legal_confirmed_at.is_some() => {}
            Some(RegistryStatus::Unknown) => reasons.push("the registry status is unknown: a LEGAL user must confirm it".into()),
            Some(other) => reasons.push(format!("the registry reports the company as {}", other.as_str())),
            None => {}
        }
        if contract.legal_review_required && contract.legal_confirmed_at.is_none() {
            reasons.push("the payment terms need legal review".into());
        }
        let passed = reasons.is_empty();
        let txn = self.db.begin().await?;
        let mut after = contract.clone();
        after.check_passed = passed;
        after.check_reasons = json!(reasons);
        after.registry_status = registry.as_ref().map(|status| status.as_str().to_string());
        after.checked_at = Some(now);
        after.updated_at = now;
        repo::update(&txn, after.clone()).await?;
        audit::record(&txn, principal, now, Change::updated("contract.payment_check", "contract", id, contract_json(&contract), json!({ "checkPassed": passed, "reasons": reasons, "registryStatus": after.registry_status }))).await?;
        txn.commit().await?;
        Ok(PaymentCheck { passed, reasons, checked_at: now })
    }

    /// LEGAL confirms the terms (and an unknown registry status) of a contract.
    pub async fn confirm_contract_legal(&self, principal: &Principal, id: Uuid) -> AppResult<contracts::Model> {
        principal.require_role(&[Role::Legal])?;
        let me = principal.user_id()?;
        self.contract_step(principal, id, "contract.legal_confirm", |contract, now| {
            contract.legal_confirmed_by = Some(me.into_uuid());
            contract.legal_confirmed_at = Some(now);
            Ok(())
        })
        .await
    }

    /// Submits a contract for approval.
    pub async fn submit_contract(&self, principal: &Principal, id: Uuid) -> AppResult<contracts::Model> {
        principal.require_role(&SALES_ROLES)?;
        self.contract_step(principal, id, "contract.submit", |contract, _| {
            if contract.status != "DRAFT" && contract.status != "REJECTED" {
                return Err(AppError::InvalidTransition(format!("a {} contract cannot be submitted", contract.status)));
            }
            contract.status = "SUBMITTED".into();
            Ok(())
        })
        .await
    }

    /// Rejects a submitted contract, with the reason.
    pub async fn reject_contract(&self, principal: &Principal, id: Uuid, reason: &str) -> AppResult<contracts::Model> {
        principal.require_role(&[Role::Manager, Role::Finance, Role::Legal, Role::Admin])?;
        let reason = dealdesk_domain::check_text("reason", reason, 2000)?;
        let me = principal.user_id()?;
        self.contract_step(principal, id, "contract.reject", |contract, now| {
            if contract.status != "SUBMITTED" {
                return Err(AppError::InvalidTransition(format!("only a submitted contract can be rejected; this one is {}", contract.status)));
            }
            contract.status = "REJECTED".into();
            contract.rejection_reason = Some(reason.clone());
            contract.decided_by = Some(me.into_uuid());
            contract.decided_at = Some(now);
            Ok(())
        })
        .await
    }

    async fn contract_step(&self, principal: &Principal, id: Uuid, action: &'static str, change: impl FnOnce(&mut contracts::Model, DateTime<Utc>) -> AppResult<()>) -> AppResult<contracts::Model> {
        let now = self.now();
        let txn = self.db.begin().await?;
        let before = self.visible_contract(&txn, principal, id).await?;
        let mut after = before.clone();
        change(&mut after, now)?;
        after.updated_at = now;
        let after = repo::update(&txn, after).await?;
        audit::record(&txn, principal, now, Change::updated(action, "contract", id, contract_json(&before), contract_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Approves a submitted contract (MANAGER or FINANCE): refused until the
    /// payment check passed and while the customer's tier freezes contracts.
    /// Creates one receivable per instalment; the deal may then enter WON.
    pub async fn approve_contract(&self, principal: &Principal, id: Uuid) -> AppResult<contracts::Model> {
        principal.require_role(&[Role::Manager, Role::Finance, Role::Admin])?;
        let me = principal.user_id()?;
        let now = self.now();
        let txn = self.db.begin().await?;
        let before = self.visible_contract(&txn, principal, id).await?;
        if before.status != "SUBMITTED" {
            return Err(AppError::InvalidTransition(format!("only a submitted contract can be approved; this one is {}", before.status)));
        }
        let tier = self.customer_tier(&txn, principal.org_id, before.customer_id).await?;
        if tier.freezes_new_contracts() {
            return Err(AppError::CustomerRiskFrozen(format!("contract approvals for this customer are frozen while its risk tier is {}", tier.as_str())));
        }
        if !before.check_passed {
            let reasons: Vec<String> = before.check_reasons.as_array().map(|reasons| reasons.iter().filter_map(|reason| reason.as_str().map(str::to_string)).collect()).unwrap_or_default();
            let detail = if before.checked_at.is_none() { "run the payment check first".to_string() } else { reasons.join("; ") };
            return Err(AppError::PaymentCheckRequired(format!("the payment-capability check has not passed: {detail}")));
        }
        let deal = deal_repo::find_many(&txn, principal.org_id, &[before.deal_id]).await?.into_iter().next().ok_or(AppError::NotFound("deal"))?;
        let mut after = before.clone();
        after.status = "APPROVED".into();
        after.decided_by = Some(me.into_uuid());
        after.decided_at = Some(now);
        after.updated_at = now;
        let after = repo::update(&txn, after).await?;
        let plan = after.instalments.as_array().cloned().unwrap_or_default();
        let rows = plan
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                let due = NaiveDate::parse_from_str(item.get("dueDate")?.as_str()?, "%Y-%m-%d").ok()?;
                Some(receivables::Model {
                    id: Uuid::now_v7(),
                    org_id: after.org_id,
                    contract_id: after.id,
                    customer_id: after.customer_id,
                    deal_id: after.deal_id,
                    owner_id: deal.owner_id,
                    seq: i32::try_from(index + 1).unwrap_or(i32::MAX),
                    due_date: due,
                    amount_cents: item.get("amountCents")?.as_i64()?,
                    currency: after.currency.clone(),
                    paid_cents: 0,
                    fully_paid_on: None,
                    warned_at: None,
                    created_at: now,
                })
            })
            .collect::<Vec<_>>();
        if rows.len() != plan.len() {
            return Err(AppError::Internal("the stored instalment plan is unreadable".into()));
        }
        repo::insert_receivables(&txn, rows).await?;
        audit::record(&txn, principal, now, Change::updated("contract.approve", "contract", id, contract_json(&before), contract_json(&after))).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Whether a deal has an approved contract (the WON gate).
    pub(crate) async fn has_approved_contract<C: ConnectionTrait>(&self, conn: &C, org: OrgId, deal: Uuid) -> AppResult<bool> {
        Ok(repo::of_deal(conn, org, deal).await?.iter().any(|contract| contract.status == "APPROVED"))
    }

    /// R3: a payment against a receivable (FINANCE); partial payments allowed, overpayment refused. Recomputes the tier.
    pub async fn record_payment(&self, principal: &Principal, receivable_id: Uuid, amount: &MoneyInput, paid_on: NaiveDate) -> AppResult<receivables::Model> {
        principal.require_role(&[Role::Finance, Role::Admin])?;
        let now = self.now();
        let today = org_day(&self.db, principal.org_id, now).await?;
        let txn = self.db.begin().await?;
        // Locked until commit on PostgreSQL, so two payments at once cannot both pass the overpayment check.
        let before = repo::receivables_for_update(&txn, principal.org_id, &[receivable_id]).await?.into_iter().next().ok_or(AppError::NotFound("receivable"))?;
        let facts = receivable_facts(&before, 0)?;
        let mut errors = FieldErrors::new();
        let amount = errors.take(check_payment_amount(&facts, amount));
        errors.take(check_payment_date(paid_on, today));
        errors.finish()?;
        let Some(amount) = amount else {
            return Err(AppError::Internal("validated input went missing".into()));
        };
        let mut after = before.clone();
        after.paid_cents += amount.to_minor_units();
        if after.paid_cents >= after.amount_cents {
            after.fully_paid_on = Some(paid_on);
        }
        let after = repo::update_receivable(&txn, after).await?;
        if after.fully_paid_on.is_some() {
            // A paid receivable needs no more collection warnings.
            self.clear_deal_alerts(&txn, principal.org_id, after.id, &[AlertKind::CollectionWarning], now).await?;
        }
        repo::insert_payment(&txn, payment_record(principal, &after, amount.to_minor_units(), paid_on, "API", now)).await?;
        audit::record(&txn, principal, now, Change::updated("receivable.payment", "receivable", after.id, json!({ "paidCents": before.paid_cents }), json!({ "paidCents": after.paid_cents, "paidOn": paid_on }))).await?;
        self.recompute_tier(&txn, principal.org_id, after.customer_id, now).await?;
        txn.commit().await?;
        Ok(after)
    }

    /// Flags (or clears) litigation/arbitration for a customer; recomputes the tier.
    pub async fn flag_litigation(&self, principal: &Principal, customer: Uuid, note: &str) -> AppResult<RiskTier> {
        principal.require_role(&[Role::Legal, Role::Finance, Role::Admin])?;
        let note = dealdesk_domain::check_text("note", note, 2000)?;
        let now = self.now();
        let txn = self.db.begin().await?;
        customer_repo::find_many(&txn, principal.org_id, &[customer]).await?.into_iter().next().ok_or(AppError::NotFound("customer"))?;
        let existing = repo::risk_of(&txn, principal.org_id, customer).await?;
        let mut row = existing.clone().unwrap_or_else(|| blue_row(principal.org_id, customer, now));
        row.litigation = true;
        row.litigation_note = Some(note.clone());
        row.updated_at = now;
        repo::save_risk(&txn, row, existing.is_some()).await?;
        audit::record(&txn, principal, now, Change::updated("customer.flag_litigation", "customer", customer, json!({ "litigation": existing.as_ref().is_some_and(|risk| risk.litigation) }), json!({ "litigation": true, "note": note }))).await?;
        let tier = self.recompute_tier(&txn, principal.org_id, customer, now).await?;
        txn.commit().await?;
        Ok(tier)
    }

    /// R4: recomputes a customer's tier from its receivables and flags with the org's thresholds; a change is recorded, alerted and (for RED) announced.
    pub(crate) async fn recompute_tier<C: ConnectionTrait>(&self, conn: &C, org: OrgId, customer: Uuid, now: DateTime<Utc>) -> AppResult<RiskTier> {
        let thresholds = self.thresholds_for(conn, org).await?;
        let today = org_day(conn, org, now).await?;
        self.recompute_tier_with(conn, org, customer, &thresholds, now, today).await
    }

    /// [`Self::recompute_tier`] with the org's thresholds and its day at `now` already read.
    async fn recompute_tier_with<C: ConnectionTrait>(&self, conn: &C, org: OrgId, customer: Uuid, thresholds: &TierThresholds, now: DateTime<Utc>, today: NaiveDate) -> AppResult<RiskTier> {
        // Locked first, so a concurrent recompute of the same customer waits and then sees this one's tier.
        let existing = repo::risk_for_update(conn, org, customer).await?;
        let receivables = repo::receivables_of_customer(conn, org, customer).await?;
        let payments = repo::payments_of_customer(conn, org, customer).await?;
        let currency = receivables.first().and_then(|row| Currency::parse(&row.currency).ok()).unwrap_or(Currency::CNY);
        let facts = CustomerRiskFacts {
            receivables: receivables
                .iter()
                .filter_map(|row| {
                    let currency = Currency::parse(&row.currency).ok()?;
                    let mut facts = ReceivableFacts::new(row.due_date, Money::from_minor_units(row.amount_cents, currency));
                    facts.paid = payments.iter().filter(|payment| payment.receivable_id == row.id).map(|payment| (payment.paid_on, Money::from_minor_units(payment.amount_cents, currency))).collect();
                    Some(facts)
                })
                .collect(),
            litigation: existing.as_ref().is_some_and(|risk| risk.litigation),
            total_contract_amount: Money::from_minor_units(repo::approved_total_cents(conn, org, customer).await?, currency),
        };
        let decision = risk_tier(&facts, thresholds, today);
        let before = match &existing {
            Some(risk) => RiskTier::parse(&risk.tier)?,
            None => RiskTier::Blue,
        };
        let mut row = existing.clone().unwrap_or_else(|| blue_row(org, customer, now));
        row.tier = decision.tier.as_str().to_string();
        row.services_suspended = decision.tier == RiskTier::Red;
        row.facts = risk_facts_json(&decision);
        row.updated_at = now;
        repo::save_risk(conn, row.clone(), existing.is_some()).await?;
        if before != decision.tier {
            repo::insert_tier_change(
                conn,
                dealdesk_persistence::entities::risk_tier_changes::Model { id: Uuid::now_v7(), org_id: org.into_uuid(), customer_id: customer, from_tier: before.as_str().to_string(), to_tier: decision.tier.as_str().to_string(), reasons: json!(decision.reasons), at: now },
            )
            .await?;
            self.announce_tier_change(conn, org, customer, before, decision.tier, &decision.reasons, now).await?;
        }
        Ok(decision.tier)
    }

    #[allow(clippy::too_many_arguments)]
    async fn announce_tier_change<C: ConnectionTrait>(&self, conn: &C, org: OrgId, customer: Uuid, from: RiskTier, to: RiskTier, reasons: &[String], now: DateTime<Utc>) -> AppResult<()> {
        let customer_row = customer_repo::find_many(conn, org, &[customer]).await?.into_iter().next().ok_or(AppError::NotFound("customer"))?;
        let mut recipients = vec![customer_row.owner_id];
        recipients.extend(repo::receivables_of_customer(conn, org, customer).await?.iter().map(|row| row.owner_id));
        recipients.extend(user_repo::list(conn, org).await?.into_iter().filter(|user| user.active && (user.role == Role::Finance.as_str() || (to == RiskTier::Red && user.role == Role::Legal.as_str()))).map(|user| user.id));
        recipients.sort();
        recipients.dedup();
        let finding = Finding {
            kind: AlertKind::RiskTierChanged,
            subject: Subject::User(customer),
            title: format!("客户「{}」风险等级 {} → {}", customer_row.name, from.as_str(), to.as_str()),
            details: json!({ "customerId": customer, "customerName": customer_row.name, "from": from.as_str(), "to": to.as_str(), "reasons": reasons, "playbook": (to == RiskTier::Yellow).then_some(NEGOTIATION_PLAYBOOK) }),
        };
        let mut alert = new_alert(org, finding, now);
        alert.subject_type = "CUSTOMER".into();
        alert.user_id = None;
        // Each change is its own alert: the key carries the change, not just the customer.
        alert.open_key = Some(format!("{}:{customer}:{}", AlertKind::RiskTierChanged.as_str(), alert.id));
        self.raise(conn, alert, &recipients).await?;
        let deal = repo::receivables_of_customer(conn, org, customer).await?.last().map(|row| row.deal_id);
        if to == RiskTier::Yellow && from == RiskTier::Blue {
            self.open_system_ticket(
                conn,
                org,
                TicketKind::OverdueAnalysis,
                deal,
                format!("逾期原因分析：{}", customer_row.name),
                format!("请在 48 小时内拜访客户并提交逾期原因分析表。\n\n{NEGOTIATION_PLAYBOOK}"),
                Some(customer_row.owner_id),
                now,
            )
            .await?;
        }
        if to == RiskTier::Red {
            self.open_system_ticket(conn, org, TicketKind::LegalCase, deal, format!("法务接管：{}", customer_row.name), format!("客户进入红色风险等级：{}", reasons.join("；")), None, now).await?;
        }
        if to == RiskTier::Red {
            self.enqueue_event(conn, org, "customer.risk_red", json!({ "customerId": customer, "customerName": customer_row.name, "creditCode": customer_row.credit_code, "from": from.as_str(), "reasons": reasons }), now).await?;
        }
        Ok(())
    }

    /// The org's RED customers (the risk center), for finance, legal, managers and admins.
    pub async fn risk_center(&self, principal: &Principal) -> AppResult<Vec<customer_risk::Model>> {
        principal.require_role(&[Role::Finance, Role::Legal, Role::Manager, Role::Admin])?;
        Ok(repo::customers_in_tier(&self.db, principal.org_id, RiskTier::Red.as_str()).await?)
    }

    /// A customer's credit picture (tier, receivables, figures).
    pub async fn customer_credit(&self, principal: &Principal, customer: Uuid) -> AppResult<CustomerCredit> {
        let risk = repo::risk_of(&self.db, principal.org_id, customer).await?;
        let receivables = repo::receivables_of_customer(&self.db, principal.org_id, customer).await?;
        let tier = match &risk {
            Some(risk) => RiskTier::parse(&risk.tier)?,
            None => RiskTier::Blue,
        };
        let text = |key: &str| risk.as_ref().and_then(|risk| risk.facts.get(key)).and_then(serde_json::Value::as_str).map(str::to_string);
        let overdue_amount = match (text("overdueAmount"), text("currency")) {
            (Some(amount), Some(currency)) => Money::parse(&amount, &currency, "overdueAmount").ok(),
            _ => None,
        };
        Ok(CustomerCredit { tier, on_time_rate_percent: text("onTimeRatePercent"), overdue_amount, risk, receivables })
    }

    /// A receivable the caller may see (through its contract).
    pub async fn receivable(&self, principal: &Principal, id: Uuid) -> AppResult<receivables::Model> {
        let receivable = repo::find_receivable(&self.db, principal.org_id, id).await?.ok_or(AppError::NotFound("receivable"))?;
        self.visible_contract(&self.db, principal, receivable.contract_id).await.map_err(|_| AppError::NotFound("receivable"))?;
        Ok(receivable)
    }

    /// The receivables among `ids` the caller may see (the same rule as
    /// [`Self::receivable`]), in a constant number of statements: the
    /// receivables, their contracts and, for sales roles, their scope and
    /// the visible deals among the contracts'.
    pub async fn visible_receivables(&self, principal: &Principal, ids: &[Uuid]) -> AppResult<Vec<receivables::Model>> {
        let rows = repo::find_receivables(&self.db, principal.org_id, ids).await?;
        if rows.is_empty() {
            return Ok(rows);
        }
        let mut contract_ids: Vec<Uuid> = rows.iter().map(|row| row.contract_id).collect();
        contract_ids.sort();
        contract_ids.dedup();
        let contracts = repo::find_contracts(&self.db, principal.org_id, &contract_ids).await?;
        let visible_contracts: std::collections::HashSet<Uuid> = if sees_every_contract(principal) {
            contracts.iter().map(|contract| contract.id).collect()
        } else {
            let visible: Visible = principal.owner_scope(&self.db).await?.into();
            let deal_ids: Vec<Uuid> = contracts.iter().map(|contract| contract.deal_id).collect();
            let deals: std::collections::HashSet<Uuid> = deal_repo::find_many_visible(&self.db, principal.org_id, &visible, &deal_ids).await?.into_iter().map(|deal| deal.id).collect();
            contracts.iter().filter(|contract| deals.contains(&contract.deal_id)).map(|contract| contract.id).collect()
        };
        Ok(rows.into_iter().filter(|row| visible_contracts.contains(&row.contract_id)).collect())
    }

    /// A customer's tier history.
    pub async fn tier_history(&self, principal: &Principal, customer: Uuid) -> AppResult<Vec<dealdesk_persistence::entities::risk_tier_changes::Model>> {
        Ok(repo::tier_history(&self.db, principal.org_id, customer).await?)
    }

    /// The thresholds the org's tiers are computed with (the defaults until changed).
    pub(crate) async fn thresholds_for<C: ConnectionTrait>(&self, conn: &C, org: OrgId) -> AppResult<TierThresholds> {
        Ok(repo::thresholds(conn, org).await?.as_ref().map_or_else(TierThresholds::default, thresholds_of))
    }

    /// R4: the org's tier thresholds; anyone in the org may read them.
    pub async fn risk_thresholds(&self, principal: &Principal) -> AppResult<RiskThresholdSettings> {
        Ok(settings_of(repo::thresholds(&self.db, principal.org_id).await?.as_ref()))
    }

    /// R4: changes the org's tier thresholds (ADMIN), then recomputes every
    /// customer's tier with them. Every bad field is named and nothing is
    /// written; the change and its audit row are one transaction.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id))]
    pub async fn update_risk_thresholds(&self, principal: &Principal, change: ThresholdChange) -> AppResult<RiskThresholdSettings> {
        principal.require_admin()?;
        let now = self.now();
        let wall = Utc::now();
        let txn = self.db.begin().await?;
        let before = repo::thresholds(&txn, principal.org_id).await?;
        let current = settings_of(before.as_ref());
        let next = apply_threshold_change(&current.thresholds, &change)?;
        let version = before.as_ref().map_or(1, |row| row.version.saturating_add(1));
        let row = risk_thresholds::Model {
            org_id: principal.org_id.into_uuid(),
            red_cumulative_overdue_days: i32::try_from(next.red_cumulative_overdue_days).unwrap_or(i32::MAX),
            red_overdue_share_basis_points: basis_points(next.red_overdue_share_percent),
            on_time_rate_basis_points: basis_points(next.on_time_rate_percent),
            window_months: i32::try_from(next.window_months).unwrap_or(i32::MAX),
            cumulative_window_days: i32::try_from(next.cumulative_window_days).unwrap_or(i32::MAX),
            version,
            recomputed_version: before.as_ref().map_or(0, |row| row.recomputed_version),
            // This process recomputes right after the commit; the lease lets the hourly job take over if it dies.
            recompute_holder: Some(self.instance.to_string()),
            recompute_lease_until: Some(wall + chrono::Duration::seconds(LEASE_SECONDS)),
            updated_by: principal.actor.id(),
            updated_at: now,
        };
        repo::save_thresholds(&txn, row).await?;
        audit::record(
            &txn,
            principal,
            now,
            audit::Change { action: "risk_thresholds.update", entity_type: "risk_thresholds", entity_id: Some(principal.org_id.into_uuid()), before: Some(thresholds_json(&current.thresholds, current.is_default)), after: Some(thresholds_json(&next, false)) },
        )
        .await?;
        txn.commit().await?;
        match self.recompute_org_tiers(principal.org_id, version, now).await {
            Ok(changed) => tracing::info!(changed, "tiers recomputed with the new thresholds"),
            // The thresholds are saved; the hourly tier job finishes the recompute once the lease expires.
            Err(error) => tracing::warn!(error = %error, "recomputing tiers with the new thresholds failed"),
        }
        self.risk_thresholds(principal).await
    }

    /// Recomputes the tier of every customer of `org` with stored risk facts
    /// (one transaction each) for thresholds `version`, which this process
    /// holds the lease on, then marks that version done. Returns how many tiers changed.
    async fn recompute_org_tiers(&self, org: OrgId, version: i32, now: DateTime<Utc>) -> AppResult<i32> {
        let thresholds = self.thresholds_for(&self.db, org).await?;
        let today = org_day(&self.db, org, now).await?;
        let mut changed = 0;
        let mut after = None;
        loop {
            let batch = repo::customers_with_risk_facts(&self.db, org, after, SCAN_BATCH).await?;
            for customer in &batch {
                let before = self.customer_tier(&self.db, org, *customer).await?;
                let txn = self.db.begin().await?;
                let tier = self.recompute_tier_with(&txn, org, *customer, &thresholds, now, today).await?;
                txn.commit().await?;
                if tier != before {
                    changed += 1;
                }
            }
            if (batch.len() as u64) < SCAN_BATCH {
                break;
            }
            after = batch.last().copied();
        }
        repo::finish_threshold_recompute(&self.db, org, version, &self.instance).await?;
        Ok(changed)
    }

    /// Hourly: customers whose unpaid receivables passed their due date get
    /// their tier recomputed, and threshold changes whose recompute a dead
    /// process left unfinished are finished.
    #[tracing::instrument(skip_all)]
    pub async fn run_tier_recompute(&self, now: DateTime<Utc>) -> AppResult<i32> {
        let mut changed = 0;
        let wall = Utc::now();
        for (org, version) in repo::unfinished_threshold_recomputes(&self.db, wall).await? {
            let org = OrgId::from_uuid(org);
            if repo::claim_threshold_recompute(&self.db, org, version, &self.instance, wall, wall + chrono::Duration::seconds(LEASE_SECONDS)).await? {
                changed += self.recompute_org_tiers(org, version, now).await?;
            }
        }
        // Each org's thresholds and its day at `now`.
        let mut orgs: std::collections::HashMap<OrgId, (TierThresholds, NaiveDate)> = std::collections::HashMap::new();
        // Due by the latest day anywhere: a customer whose receivable is not yet due in its own org gets an ordinary recompute.
        let (_, latest_day) = days_anywhere(now);
        let due = repo::customers_with_unpaid_due(&self.db, latest_day).await?;
        // A batch of customers per transaction: one commit for all of them.
        for batch in due.chunks(TIER_BATCH) {
            let txn = self.db.begin().await?;
            for (org, customer) in batch {
                let org = OrgId::from_uuid(*org);
                let (org_thresholds, today) = match orgs.get(&org) {
                    Some(known) => known.clone(),
                    None => {
                        let loaded = (self.thresholds_for(&txn, org).await?, org_day(&txn, org, now).await?);
                        orgs.insert(org, loaded.clone());
                        loaded
                    }
                };
                let before = self.customer_tier(&txn, org, *customer).await?;
                let after = self.recompute_tier_with(&txn, org, *customer, &org_thresholds, now, today).await?;
                if before != after {
                    changed += 1;
                }
            }
            txn.commit().await?;
        }
        Ok(changed)
    }
}

/// Finance and legal work on every contract of the org (and admins see
/// everything); sales see their deals' contracts.
fn sees_every_contract(principal: &Principal) -> bool {
    matches!(principal.role, Role::Finance | Role::Legal | Role::Admin)
}

fn blue_row(org: OrgId, customer: Uuid, now: DateTime<Utc>) -> customer_risk::Model {
    customer_risk::Model { customer_id: customer, org_id: org.into_uuid(), tier: RiskTier::Blue.as_str().to_string(), litigation: false, litigation_note: None, services_suspended: false, facts: json!({}), updated_at: now }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_months_before_this_one() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        assert_eq!(required_months(today), ["2025-12", "2025-11", "2025-10"]);
    }

    #[test]
    fn only_pdf_png_and_jpeg_pass() {
        assert_eq!(sniff(b"%PDF-1.7 ...").map(|(kind, _)| kind), Some("application/pdf"));
        assert_eq!(sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]).map(|(kind, _)| kind), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]).map(|(kind, _)| kind), Some("image/jpeg"));
        assert_eq!(sniff(b"MZ executable"), None);
    }
}
