//! Payment import (R3): `importPayments` over the GraphQL multipart request,
//! its report, and the `Payment` records a customer's page lists.

use std::io::Read;

use async_graphql::{Context, Enum, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::import::{ImportError as RowError, ImportErrorCode as RowErrorCode, PaymentImport as ImportReport, MAX_IMPORT_BYTES};
use dealdesk_app::{App, AppError};
use dealdesk_domain::{Currency, Money as DomainMoney};
use dealdesk_persistence::entities::payments;

use crate::error::{principal, to_graphql, ResultExt};
use crate::scalars::Date;
use crate::types::Money;

/// The report of a payment import, dry or real.
pub struct PaymentImport(pub ImportReport);

#[Object]
impl PaymentImport {
    /// Whether this was a dry run; a dry run never changes anything.
    async fn dry_run(&self) -> bool {
        self.0.dry_run
    }
    /// Payment rows in the file (blank lines not counted).
    async fn rows(&self) -> i32 {
        count(self.0.rows)
    }
    /// Payments recorded: every row, or 0 on a dry run or when any row is bad.
    async fn applied(&self) -> i32 {
        count(self.0.applied)
    }
    /// Every bad row, in file order; the header is line 1.
    async fn errors(&self) -> Vec<ImportError> {
        self.0.errors.iter().map(ImportError::from).collect()
    }
}

/// One problem with one row of an import file. Clients say it in their
/// language from `code`, `field`, `value` and `outstanding`, and show
/// `message` for a code they do not know.
#[derive(SimpleObject)]
pub struct ImportError {
    /// The 1-based line (CSV) or sheet row (xlsx); the header is line 1.
    pub line: i32,
    /// Which rule the row breaks.
    pub code: ImportErrorCode,
    /// The column at fault: `receivableId`, `amount`, `currency` or `paidAt`.
    pub field: String,
    /// The cell as the import read it (trimmed, at most 64 characters; thousands separators dropped, spreadsheet numbers and dates as text).
    pub value: String,
    /// What is wrong with it, in English.
    pub message: String,
    /// The receivable's outstanding amount before this row (earlier rows of
    /// the file counted), on amount and currency errors of a row whose
    /// receivable was found: the most the row may pay, and in which currency.
    pub outstanding: Option<Money>,
}

impl From<&RowError> for ImportError {
    fn from(error: &RowError) -> Self {
        ImportError {
            line: count(error.line),
            code: error.code.into(),
            field: error.field.clone(),
            value: error.value.clone(),
            message: error.message.clone(),
            outstanding: error.outstanding.as_ref().map(Money::from),
        }
    }
}

/// The rule a bad import row breaks. New rules get new values: show the
/// error's `message` for a value you do not know.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ImportErrorCode {
    /// The receivable id cell is blank.
    ReceivableRequired,
    /// No receivable of the organization has that id (or it is not an id at all).
    ReceivableNotFound,
    /// The amount cell is blank.
    AmountRequired,
    /// The amount is not a decimal with at most two places, is negative, or is too large.
    AmountInvalid,
    /// The amount is zero.
    AmountNotPositive,
    /// The amount is more than the receivable's outstanding amount (`outstanding`).
    AmountOverOutstanding,
    /// The receivable is already paid in full (earlier rows of the file counted).
    AlreadyPaid,
    /// The currency cell is not a three-letter code.
    CurrencyInvalid,
    /// The currency is not the receivable's (`outstanding` is in the receivable's currency).
    CurrencyMismatch,
    /// The paid date cell is blank.
    PaidAtRequired,
    /// The paid date is not a date in a spelling the import reads (2025-01-31, 2025/1/31, 2025.01.31, 20250131, 2025年1月31日).
    PaidAtInvalid,
    /// The paid date is after today.
    PaidAtInFuture,
    /// A rule without a code of its own; `message` says which.
    Other,
}

impl From<RowErrorCode> for ImportErrorCode {
    fn from(code: RowErrorCode) -> Self {
        match code {
            RowErrorCode::ReceivableRequired => ImportErrorCode::ReceivableRequired,
            RowErrorCode::ReceivableNotFound => ImportErrorCode::ReceivableNotFound,
            RowErrorCode::AmountRequired => ImportErrorCode::AmountRequired,
            RowErrorCode::AmountInvalid => ImportErrorCode::AmountInvalid,
            RowErrorCode::AmountNotPositive => ImportErrorCode::AmountNotPositive,
            RowErrorCode::AmountOverOutstanding => ImportErrorCode::AmountOverOutstanding,
            RowErrorCode::AlreadyPaid => ImportErrorCode::AlreadyPaid,
            RowErrorCode::CurrencyInvalid => ImportErrorCode::CurrencyInvalid,
            RowErrorCode::CurrencyMismatch => ImportErrorCode::CurrencyMismatch,
            RowErrorCode::PaidAtRequired => ImportErrorCode::PaidAtRequired,
            RowErrorCode::PaidAtInvalid => ImportErrorCode::PaidAtInvalid,
            RowErrorCode::PaidAtInFuture => ImportErrorCode::PaidAtInFuture,
            RowErrorCode::Other => ImportErrorCode::Other,
        }
    }
}

/// A payment received against a receivable (回款记录).
pub struct Payment(pub payments::Model);

#[Object]
impl Payment {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }
    async fn receivable_id(&self) -> ID {
        ID(self.0.receivable_id.to_string())
    }
    async fn amount(&self) -> Money {
        let value = DomainMoney::from_minor_units(self.0.amount_cents, Currency::parse(&self.0.currency).unwrap_or(Currency::CNY));
        Money::from(&value)
    }
    /// The day the money arrived.
    async fn paid_at(&self) -> Date {
        Date(self.0.paid_on)
    }
    /// How it was recorded: `API` (recordPayment) or `IMPORT` (importPayments).
    async fn source(&self) -> &str {
        &self.0.source
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }
}

fn count(value: usize) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// `importPayments`: reads the upload (at most one byte past the limit, so the use case can refuse it) and runs the import.
pub async fn import_payments(ctx: &Context<'_>, file: Upload, dry_run: bool) -> async_graphql::Result<PaymentImport> {
    let principal = principal(ctx)?;
    let value = file.value(ctx).map_err(|error| to_graphql(AppError::bad_input("file", error.to_string())))?;
    let mut bytes = Vec::new();
    let limit = u64::try_from(MAX_IMPORT_BYTES).unwrap_or(u64::MAX).saturating_add(1);
    value.content.take(limit).read_to_end(&mut bytes).map_err(|error| to_graphql(AppError::bad_input("file", error.to_string())))?;
    let upload = dealdesk_app::contracts::Upload { file_name: value.filename, bytes };
    ctx.data::<App>()?.import_payments(principal, upload, dry_run).await.map(PaymentImport).gql()
}

/// `Customer.payments`.
pub async fn customer_payments(ctx: &Context<'_>, customer: uuid::Uuid) -> async_graphql::Result<Vec<Payment>> {
    let principal = principal(ctx)?;
    Ok(ctx.data::<App>()?.customer_payments(principal, customer).await.gql()?.into_iter().map(Payment).collect())
}
