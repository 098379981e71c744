//! Payment import (R3): `importPayments` over the GraphQL multipart request,
//! its report, and the `Payment` records a customer's page lists.

use std::io::Read;

use async_graphql::{Context, Object, SimpleObject, Upload, ID};
use chrono::{DateTime, Utc};
use dealdesk_app::import::{PaymentImport as ImportReport, MAX_IMPORT_BYTES};
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
        self.0.errors.iter().map(|error| ImportError { line: count(error.line), field: error.field.clone(), message: error.message.clone() }).collect()
    }
}

/// One problem with one row of an import file.
#[derive(SimpleObject)]
pub struct ImportError {
    /// The 1-based line (CSV) or sheet row (xlsx); the header is line 1.
    pub line: i32,
    /// The column at fault: `receivableId`, `amount`, `currency` or `paidAt`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
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
