//! Payment import (R3): finance uploads a .csv or .xlsx of payments; a dry run
//! reports every bad row with its file line number, column, cell and a stable
//! [`ImportErrorCode`] (clients word it in their language), a real run applies
//! every row or none.
//!
//! The file is read by pure functions ([`read_payment_file`] and the parsers
//! under it) into [`ImportRow`]s of text; [`App::import_payments`] then checks
//! each row with the same rules as `recordPayment` (the shared helpers in
//! [`crate::contracts`]), counting earlier rows of the same file against each
//! receivable's outstanding amount, and applies them in one transaction.
//!
//! What a real run writes, all in one transaction: one `payments` row per
//! file row (source `IMPORT`); each affected receivable's `paid_cents` (and
//! `fully_paid_on`, set to the latest paid date among the file's rows for it
//! when they complete it); one `receivable.payment` audit row per affected
//! receivable (paid before and after, and the import id); one
//! `payment.import` audit row for the file (name, SHA-256, row count, totals
//! per currency, receivables touched); and one tier recomputation per
//! affected customer.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, ExcelDateTime, ExcelDateTimeType, Reader, Xlsx};
use chrono::{Datelike, NaiveDate};
use dealdesk_domain::{check_payment_date, FieldError, Money, ReceivableFacts, Role};
use dealdesk_persistence::contracts as repo;
use dealdesk_persistence::entities::{payments, receivables};
use rust_decimal::Decimal;
use sea_orm::TransactionTrait;
use serde_json::json;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, Change};
use crate::contracts::{check_payment_amount, payment_record, receivable_facts, Upload};
use crate::deals::MoneyInput;
use crate::error::{AppError, AppResult};
use crate::principal::Principal;
use crate::App;

/// The largest import file accepted (10 MB).
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

/// The most payment rows one file may hold.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// The currency of a row whose currency cell is absent or blank.
pub const DEFAULT_CURRENCY: &str = "CNY";

/// One payment row as read from the file, before any business rule is checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    /// The 1-based line (CSV) or row (xlsx) number in the file, the header being line 1.
    pub line: usize,
    /// The receivable paid, as written.
    pub receivable_id: String,
    /// The amount as decimal text (xlsx numbers are rendered exactly to the cent).
    pub amount: String,
    /// The currency code; [`DEFAULT_CURRENCY`] when the cell is blank or the column absent.
    pub currency: String,
    /// The paid date as text (xlsx dates are rendered `YYYY-MM-DD`).
    pub paid_at: String,
}

/// One problem with one row: what the dry-run report lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// The 1-based file line, so finance can find the row in their spreadsheet.
    pub line: usize,
    /// Which rule the row breaks, so a client can say it in its own language.
    pub code: ImportErrorCode,
    /// The column at fault: `receivableId`, `amount`, `currency` or `paidAt`.
    pub field: String,
    /// The cell as the import read it (at most [`MAX_ERROR_VALUE_CHARS`] characters), for the client's message.
    pub value: String,
    /// What is wrong, lowercase, in English: for logs, API users and codes a client does not know.
    pub message: String,
    /// The receivable's outstanding amount before this row (earlier rows of
    /// the file counted), on amount and currency errors of a row whose
    /// receivable was found: what the row may pay at most, and in which currency.
    pub outstanding: Option<Money>,
}

/// The rule a bad row breaks. Stable: clients translate these; a new rule
/// gets a new code (clients show [`ImportError::message`] for codes they do not know).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// The amount is more than the receivable's outstanding amount.
    AmountOverOutstanding,
    /// The receivable is already paid in full (earlier rows of the file counted).
    AlreadyPaid,
    /// The currency cell is not a three-letter code.
    CurrencyInvalid,
    /// The currency is not the receivable's.
    CurrencyMismatch,
    /// The paid date cell is blank.
    PaidAtRequired,
    /// The paid date is not a date in one of the spellings the import reads.
    PaidAtInvalid,
    /// The paid date is after today.
    PaidAtInFuture,
    /// A rule without a code of its own; the message says which.
    Other,
}

/// The longest cell text an [`ImportError`] repeats.
pub const MAX_ERROR_VALUE_CHARS: usize = 64;

/// The outcome of an import, dry or real.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaymentImport {
    /// Whether this was a dry run (nothing is ever written by one).
    pub dry_run: bool,
    /// How many payment rows the file holds (blank lines not counted).
    pub rows: usize,
    /// How many payments were recorded: all rows, or zero.
    pub applied: usize,
    /// Every bad row, in file order; a real run with any applies nothing.
    pub errors: Vec<ImportError>,
}

/// The file's format, told by its first bytes and then its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Office Open XML workbook (a zip archive).
    Xlsx,
    /// Comma-separated values, UTF-8.
    Csv,
}

/// Tells the format from the magic bytes first, then the file name; refuses what cannot be read.
pub fn detect_format(file_name: &str, bytes: &[u8]) -> Result<ImportFormat, FieldError> {
    let name = file_name.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(ImportFormat::Xlsx);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_error("is an Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV UTF-8"));
    }
    if name.ends_with(".xlsx") || name.ends_with(".xlsm") {
        return Err(file_error("is not a valid .xlsx workbook"));
    }
    if [".xls", ".pdf", ".png", ".jpg", ".jpeg", ".doc", ".docx", ".zip"].iter().any(|extension| name.ends_with(extension)) {
        return Err(file_error("must be a .csv or .xlsx file"));
    }
    Ok(ImportFormat::Csv)
}

/// Reads an import file into rows: size and format checks, the header, the row limit.
pub fn read_payment_file(file_name: &str, bytes: &[u8]) -> Result<Vec<ImportRow>, FieldError> {
    if bytes.len() > MAX_IMPORT_BYTES {
        return Err(file_error(format!("must be at most {} MB", MAX_IMPORT_BYTES / (1024 * 1024))));
    }
    if bytes.is_empty() {
        return Err(file_error("is empty"));
    }
    let (records, is_1904) = match detect_format(file_name, bytes)? {
        ImportFormat::Xlsx => xlsx_records(bytes)?,
        ImportFormat::Csv => {
            let text = std::str::from_utf8(bytes).map_err(|_| file_error("is not UTF-8 text; save it as CSV UTF-8 or .xlsx"))?;
            (csv_records(text)?.into_iter().map(|(line, fields)| (line, fields.into_iter().map(Cell::Text).collect())).collect(), false)
        }
    };
    rows_from_records(records, is_1904)
}

/// Parses a paid date written by hand or by a spreadsheet: `2025-01-31`, `2025/1/31`,
/// `2025.01.31`, `20250131` or `2025年1月31日`, optionally followed by a time, which is ignored.
pub fn parse_paid_at(text: &str) -> Result<NaiveDate, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldError::new("paidAt", "is required"));
    }
    let date_part = text.split([' ', 'T']).next().unwrap_or(text);
    let formats = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"];
    formats
        .iter()
        .filter(|format| *format != &"%Y%m%d" || (date_part.len() == 8 && date_part.bytes().all(|byte| byte.is_ascii_digit())))
        .find_map(|format| NaiveDate::parse_from_str(date_part, format).ok())
        .filter(|date| (1900..=9999).contains(&date.year()))
        .ok_or_else(|| FieldError::new("paidAt", format!("must be a date like 2025-01-31, not \"{text}\"")))
}

/// Converts an Excel serial date (days since 1899-12-30, with Excel's phantom
/// 1900-02-29; or since 1904-01-01 in 1904-system workbooks) to a date; a time
/// of day in the fraction is dropped. `None` outside 1900-01-01..=9999-12-31.
pub fn excel_serial_date(serial: f64, is_1904: bool) -> Option<NaiveDate> {
    let (first, last) = if is_1904 { (0.0, 2_957_003.0) } else { (1.0, 2_958_465.0) };
    if !serial.is_finite() || serial < first || serial >= last + 1.0 {
        return None;
    }
    ExcelDateTime::new(serial.floor(), ExcelDateTimeType::DateTime, is_1904).as_datetime().map(|moment| moment.date())
}

/// Renders a spreadsheet number as an exact decimal amount: values within a
/// millionth of a cent of a whole cent (binary floating-point noise, e.g.
/// `0.1 + 0.2`) become that cent; anything else keeps every digit, so the
/// amount rule can refuse it.
pub fn excel_amount(value: f64) -> String {
    let cents = (value * 100.0).round();
    if value.is_finite() && ((value * 100.0) - cents).abs() < 1e-6 && cents.abs() < 1e17 {
        // Truncation is exact: `cents` is a whole number well within i64.
        #[allow(clippy::cast_possible_truncation)]
        let cents = cents as i64;
        Decimal::new(cents, 2).to_string()
    } else {
        format!("{value}")
    }
}

/// Drops thousands separators from an amount written like `1,234,567.89`; any
/// other comma (a decimal comma such as `1234,50`) is left for the amount rule
/// to refuse, never guessed at.
pub fn strip_thousands_separators(text: &str) -> String {
    let (whole, fraction) = text.split_once('.').map_or((text, None), |(whole, fraction)| (whole, Some(fraction)));
    let mut groups = whole.split(',');
    let first_ok = groups.next().is_some_and(|first| (1..=3).contains(&first.len()) && first.bytes().all(|byte| byte.is_ascii_digit()));
    let grouped = whole.contains(',') && first_ok && groups.all(|group| group.len() == 3 && group.bytes().all(|byte| byte.is_ascii_digit()));
    if !grouped {
        return text.to_string();
    }
    let digits = whole.replace(',', "");
    match fraction {
        Some(fraction) => format!("{digits}.{fraction}"),
        None => digits,
    }
}

/// The currency code a cell means: blank is [`DEFAULT_CURRENCY`], `RMB` and
/// `人民币` are CNY, and codes are upper-cased; anything else is left for the
/// currency rule to judge.
pub fn currency_code(cell: &str) -> String {
    match cell.trim() {
        "" => DEFAULT_CURRENCY.to_string(),
        "人民币" => "CNY".to_string(),
        code if code.eq_ignore_ascii_case("rmb") => "CNY".to_string(),
        code => code.to_ascii_uppercase(),
    }
}

/// A cell of either format, typed as much as the format allows.
#[derive(Clone, Debug, PartialEq)]
enum Cell {
    /// Text (every CSV cell).
    Text(String),
    /// An xlsx number.
    Number(f64),
    /// An xlsx date cell, already converted with the workbook's date system.
    Date(NaiveDate),
    /// Nothing.
    Empty,
}

/// Records of a file, each with the 1-based line (or sheet row) it starts on.
type Records = Vec<(usize, Vec<Cell>)>;

/// The columns an import understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Column {
    ReceivableId,
    Amount,
    Currency,
    PaidAt,
}

impl Column {
    /// The column a header names: the API spelling in any case and spacing, or the Chinese one.
    fn of_header(header: &str) -> Option<Column> {
        let key: String = header.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').collect::<String>().to_lowercase();
        match key.as_str() {
            "receivableid" | "应收id" => Some(Column::ReceivableId),
            "amount" | "金额" => Some(Column::Amount),
            "currency" | "币种" => Some(Column::Currency),
            "paidat" | "回款日期" => Some(Column::PaidAt),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Column::ReceivableId => "receivableId",
            Column::Amount => "amount",
            Column::Currency => "currency",
            Column::PaidAt => "paidAt",
        }
    }
}

fn file_error(message: impl Into<String>) -> FieldError {
    FieldError::new("file", message)
}

/// Splits CSV text (RFC 4180: quoted fields with doubled quotes, commas and
/// line breaks inside quotes; LF, CRLF or CR line ends; an optional UTF-8 BOM)
/// into records, each with the line it starts on. Fields are trimmed.
fn csv_records(text: &str) -> Result<Vec<(usize, Vec<String>)>, FieldError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut in_quotes = false;
    let mut field_was_quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    field.push('\n');
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            // A quote opens a quoted field only at its start (spaces before it are dropped).
            '"' if !field_was_quoted && field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                field_was_quoted = true;
            }
            ',' => {
                fields.push(field.trim().to_string());
                field.clear();
                field_was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(field.trim().to_string());
                field.clear();
                field_was_quoted = false;
                records.push((record_line, std::mem::take(&mut fields)));
                line += 1;
                record_line = line;
            }
            _ => field.push(c),
        }
    }
    if in_quotes {
        return Err(file_error(format!("line {record_line}: a quoted field is never closed")));
    }
    if !field.is_empty() || !fields.is_empty() || field_was_quoted {
        fields.push(field.trim().to_string());
        records.push((record_line, fields));
    }
    Ok(records)
}

/// Reads the first sheet of an xlsx workbook into records numbered by sheet row,
/// and tells whether the workbook uses the 1904 date system.
fn xlsx_records(bytes: &[u8]) -> Result<(Records, bool), FieldError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|error| file_error(format!("is not a readable .xlsx workbook: {error}")))?;
    let is_1904 = workbook.has_1904_epoch();
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| file_error("has no worksheet"))?
        .map_err(|error| file_error(format!("first worksheet is unreadable: {error}")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let records = range
        .rows()
        .enumerate()
        .map(|(index, cells)| {
            let cells = cells
                .iter()
                .map(|cell| match cell {
                    Data::Empty => Cell::Empty,
                    Data::String(text) => Cell::Text(text.trim().to_string()),
                    Data::Float(value) => Cell::Number(*value),
                    #[allow(clippy::cast_precision_loss)]
                    Data::Int(value) => Cell::Number(*value as f64),
                    // The cell carries the workbook's date system.
                    Data::DateTime(moment) if moment.is_datetime() => moment.as_datetime().map_or_else(|| Cell::Number(moment.as_f64()), |moment| Cell::Date(moment.date())),
                    other => Cell::Text(other.to_string().trim().to_string()),
                })
                .collect();
            (first_row + index + 1, cells)
        })
        .collect();
    Ok((records, is_1904))
}

/// Turns records into rows: finds the header (the first non-blank record), maps
/// its columns, skips blank records and enforces the row limit. `is_1904` is the
/// date system of plain numbers in the paid-date column.
fn rows_from_records(records: Records, is_1904: bool) -> Result<Vec<ImportRow>, FieldError> {
    let blank = |cells: &[Cell]| cells.iter().all(|cell| matches!(cell, Cell::Empty) || matches!(cell, Cell::Text(text) if text.trim().is_empty()));
    let mut records = records.into_iter().filter(|(_, cells)| !blank(cells));
    let (_, header) = records.next().ok_or_else(|| file_error("has no header row; the first row must name receivableId, amount, currency, paidAt"))?;
    let mut columns: BTreeMap<Column, usize> = BTreeMap::new();
    for (index, cell) in header.iter().enumerate() {
        let Cell::Text(name) = cell else { continue };
        if let Some(column) = Column::of_header(name) {
            if columns.insert(column, index).is_some() {
                return Err(file_error(format!("header names the column {} twice", column.name())));
            }
        }
    }
    let missing: Vec<&str> = [Column::ReceivableId, Column::Amount, Column::PaidAt].into_iter().filter(|column| !columns.contains_key(column)).map(Column::name).collect();
    if !missing.is_empty() {
        return Err(file_error(format!(
            "header row must name receivableId, amount and paidAt (or 应收ID, 金额, 回款日期), currency/币种 optional; missing: {}",
            missing.join(", ")
        )));
    }
    let mut rows = Vec::new();
    for (line, cells) in records {
        if rows.len() == MAX_IMPORT_ROWS {
            return Err(file_error(format!("must hold at most {MAX_IMPORT_ROWS} rows")));
        }
        let cell = |column: Column| columns.get(&column).and_then(|index| cells.get(*index)).unwrap_or(&Cell::Empty);
        let text = |column: Column| match cell(column) {
            Cell::Text(text) => text.clone(),
            Cell::Number(value) => excel_amount(*value),
            Cell::Date(date) => date.format("%Y-%m-%d").to_string(),
            Cell::Empty => String::new(),
        };
        let paid_at = match cell(Column::PaidAt) {
            Cell::Number(serial) => excel_serial_date(*serial, is_1904).map_or_else(|| format!("{serial}"), |date| date.format("%Y-%m-%d").to_string()),
            _ => text(Column::PaidAt),
        };
        let currency = currency_code(&text(Column::Currency));
        rows.push(ImportRow {
            line,
            receivable_id: text(Column::ReceivableId),
            amount: strip_thousands_separators(&text(Column::Amount)),
            currency,
            paid_at,
        });
    }
    if rows.is_empty() {
        return Err(file_error("has a header but no payment rows"));
    }
    Ok(rows)
}

/// A cell's text as an error repeats it: trimmed, at most [`MAX_ERROR_VALUE_CHARS`] characters.
fn cell(text: &str) -> String {
    text.trim().chars().take(MAX_ERROR_VALUE_CHARS).collect()
}

/// An error of `row` with `code`, naming the cell of `error.field`.
fn row_error(row: &ImportRow, code: ImportErrorCode, error: FieldError) -> ImportError {
    let value = match error.field.as_str() {
        "receivableId" => cell(&row.receivable_id),
        "amount" => cell(&row.amount),
        "currency" => cell(&row.currency),
        "paidAt" => cell(&row.paid_at),
        _ => String::new(),
    };
    ImportError { line: row.line, code, field: error.field, value, message: error.message, outstanding: None }
}

/// The row's amount by `recordPayment`'s rules ([`check_payment_amount`]);
/// without a receivable (`facts`), only the amount's own form. The rule a
/// payment breaks is told from the receivable's facts, not from the wording.
fn check_row_amount(row: &ImportRow, facts: Option<&ReceivableFacts>) -> Result<Money, ImportError> {
    let input = MoneyInput { amount: row.amount.clone(), currency: row.currency.clone() };
    let parsed = Money::parse(&input.amount, &input.currency, "amount").map_err(|error| {
        let code = match error.field.as_str() {
            "currency" => ImportErrorCode::CurrencyInvalid,
            _ if row.amount.trim().is_empty() => ImportErrorCode::AmountRequired,
            _ => ImportErrorCode::AmountInvalid,
        };
        ImportError { outstanding: facts.map(ReceivableFacts::outstanding), ..row_error(row, code, error) }
    })?;
    let Some(facts) = facts else { return Ok(parsed) };
    check_payment_amount(facts, &input).map_err(|error| {
        let outstanding = facts.outstanding();
        if parsed.currency() != outstanding.currency() {
            // The rule names the amount; the cell to fix is the currency.
            let error = FieldError::new("currency", error.message);
            return ImportError { outstanding: Some(outstanding), ..row_error(row, ImportErrorCode::CurrencyMismatch, error) };
        }
        let code = if !parsed.is_positive() {
            ImportErrorCode::AmountNotPositive
        } else if !outstanding.is_positive() {
            ImportErrorCode::AlreadyPaid
        } else if parsed.to_minor_units() > outstanding.to_minor_units() {
            ImportErrorCode::AmountOverOutstanding
        } else {
            ImportErrorCode::Other
        };
        ImportError { outstanding: Some(outstanding), ..row_error(row, code, error) }
    })
}

/// The row's paid date: one of the spellings [`parse_paid_at`] reads, and not in the future.
fn check_row_paid_at(row: &ImportRow, today: NaiveDate) -> Result<NaiveDate, ImportError> {
    let date = parse_paid_at(&row.paid_at).map_err(|error| {
        let code = if row.paid_at.trim().is_empty() { ImportErrorCode::PaidAtRequired } else { ImportErrorCode::PaidAtInvalid };
        row_error(row, code, error)
    })?;
    check_payment_date(date, today).map_err(|error| row_error(row, ImportErrorCode::PaidAtInFuture, error))?;
    Ok(date)
}

/// A row that passed every rule, ready to apply.
struct Accepted {
    receivable_id: Uuid,
    amount_cents: i64,
    paid_on: NaiveDate,
}

impl App {
    /// R3: imports payments from a .csv or .xlsx file (FINANCE or ADMIN). Every
    /// row is checked with `recordPayment`'s rules, earlier rows of the file
    /// counting against each receivable; a dry run only reports, a real run
    /// applies every row in one transaction, or none when any row is bad.
    #[tracing::instrument(skip_all, fields(org_id = %principal.org_id, dry_run = dry_run, bytes = upload.bytes.len()))]
    pub async fn import_payments(&self, principal: &Principal, upload: Upload, dry_run: bool) -> AppResult<PaymentImport> {
        principal.require_role(&[Role::Finance, Role::Admin])?;
        let rows = read_payment_file(&upload.file_name, &upload.bytes)?;
        let now = self.now();
        let today = crate::orgs::org_day(&self.db, principal.org_id, now).await?;
        let txn = self.db.begin().await?;

        // Every receivable the file names, loaded once (and locked on PostgreSQL until commit).
        let named: BTreeSet<Uuid> = rows.iter().filter_map(|row| Uuid::parse_str(row.receivable_id.trim()).ok()).collect();
        let named: Vec<Uuid> = named.into_iter().collect();
        let found: HashMap<Uuid, receivables::Model> = repo::receivables_for_update(&txn, principal.org_id, &named).await?.into_iter().map(|row| (row.id, row)).collect();

        let mut pending_cents: HashMap<Uuid, i64> = HashMap::new();
        let mut accepted = Vec::with_capacity(rows.len());
        let mut errors = Vec::new();
        for row in &rows {
            let mut row_errors = Vec::new();
            let receivable = Uuid::parse_str(row.receivable_id.trim()).ok().and_then(|id| found.get(&id));
            if receivable.is_none() {
                let shown = cell(&row.receivable_id);
                row_errors.push(if shown.is_empty() {
                    row_error(row, ImportErrorCode::ReceivableRequired, FieldError::new("receivableId", "is required"))
                } else {
                    let message = format!("no receivable \"{shown}\" in this organization");
                    row_error(row, ImportErrorCode::ReceivableNotFound, FieldError::new("receivableId", message))
                });
            }
            let facts = match receivable {
                Some(receivable) => Some(receivable_facts(receivable, pending_cents.get(&receivable.id).copied().unwrap_or(0))?),
                None => None,
            };
            let amount = check_row_amount(row, facts.as_ref()).map_err(|error| row_errors.push(error)).ok();
            let paid_on = check_row_paid_at(row, today).map_err(|error| row_errors.push(error)).ok();
            match (receivable, amount, paid_on) {
                (Some(receivable), Some(amount), Some(paid_on)) if row_errors.is_empty() => {
                    *pending_cents.entry(receivable.id).or_insert(0) += amount.to_minor_units();
                    accepted.push(Accepted { receivable_id: receivable.id, amount_cents: amount.to_minor_units(), paid_on });
                }
                _ => errors.append(&mut row_errors),
            }
        }
        let report = |applied| PaymentImport { dry_run, rows: rows.len(), applied, errors: errors.clone() };
        if dry_run || !errors.is_empty() {
            txn.rollback().await?;
            return Ok(report(0));
        }

        let import_id = Uuid::now_v7();
        let mut by_receivable: BTreeMap<Uuid, Vec<&Accepted>> = BTreeMap::new();
        for payment in &accepted {
            by_receivable.entry(payment.receivable_id).or_default().push(payment);
        }
        let mut payment_rows = Vec::with_capacity(accepted.len());
        let mut customers = BTreeSet::new();
        let mut touched = Vec::new();
        let mut totals: BTreeMap<String, i64> = BTreeMap::new();
        for (receivable_id, payments) in &by_receivable {
            let before = found.get(receivable_id).ok_or_else(|| AppError::Internal("an accepted row lost its receivable".into()))?;
            let mut after = before.clone();
            after.paid_cents += payments.iter().map(|payment| payment.amount_cents).sum::<i64>();
            if after.paid_cents >= after.amount_cents {
                after.fully_paid_on = payments.iter().map(|payment| payment.paid_on).max();
            }
            let after = repo::update_receivable(&txn, after).await?;
            if after.fully_paid_on.is_some() {
                self.clear_deal_alerts(&txn, principal.org_id, after.id, &[dealdesk_domain::AlertKind::CollectionWarning], now).await?;
            }
            *totals.entry(after.currency.clone()).or_insert(0) += after.paid_cents - before.paid_cents;
            payment_rows.extend(payments.iter().map(|payment| payment_record(principal, &after, payment.amount_cents, payment.paid_on, "IMPORT", now)));
            audit::record(
                &txn,
                principal,
                now,
                Change::updated("receivable.payment", "receivable", after.id, json!({ "paidCents": before.paid_cents }), json!({ "paidCents": after.paid_cents, "payments": payments.len(), "importId": import_id })),
            )
            .await?;
            customers.insert(after.customer_id);
            touched.push(after.id);
        }
        let applied = payment_rows.len();
        repo::insert_payments(&txn, payment_rows).await?;
        let summary = json!({
            "fileName": upload.file_name,
            "sha256": format!("{:x}", Sha256::digest(&upload.bytes)),
            "rows": rows.len(),
            "totalCents": totals,
            "receivables": touched,
        });
        audit::record(&txn, principal, now, Change::created("payment.import", "payment_import", import_id, summary)).await?;
        for customer in customers {
            self.recompute_tier(&txn, principal.org_id, customer, now).await?;
        }
        txn.commit().await?;
        Ok(report(applied))
    }

    /// A customer's payments, oldest first (recorded one by one or imported).
    pub async fn customer_payments(&self, principal: &Principal, customer: Uuid) -> AppResult<Vec<payments::Model>> {
        Ok(repo::payments_of_customer(&self.db, principal.org_id, customer).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn csv(text: &str) -> Result<Vec<ImportRow>, FieldError> {
        read_payment_file("payments.csv", text.as_bytes())
    }

    fn row(line: usize, id: &str, amount: &str, currency: &str, paid_at: &str) -> ImportRow {
        ImportRow { line, receivable_id: id.into(), amount: amount.into(), currency: currency.into(), paid_at: paid_at.into() }
    }

    #[test]
    fn csv_quirks_quotes_bom_crlf_and_blank_lines() {
        let text = "\u{feff}receivableId,amount,currency,paidAt\r\n\
                    a,\"1,234.50\",USD,2025-01-31\r\n\
                    \r\n\
                    \"b\"\"x\",  12 ,,2025/2/3\r\n\
                    \"c\nd\",5,CNY,2025-03-04\n\
                    e,6,CNY,2025-03-05";
        assert_eq!(
            csv(text).unwrap(),
            vec![
                row(2, "a", "1234.50", "USD", "2025-01-31"),
                row(4, "b\"x", "12", "CNY", "2025/2/3"),
                row(5, "c\nd", "5", "CNY", "2025-03-04"),
                row(7, "e", "6", "CNY", "2025-03-05"),
            ]
        );
    }

    #[test]
    fn csv_records_keep_their_starting_line_and_refuse_an_open_quote() {
        assert_eq!(csv_records("a,b\r\"x\ny\",z\n").unwrap(), vec![(1, vec!["a".to_string(), "b".to_string()]), (2, vec!["x\ny".to_string(), "z".to_string()])]);
        assert_eq!(csv_records("a\n\"open,b\nc").unwrap_err().message, "line 2: a quoted field is never closed");
    }

    #[test]
    fn chinese_headers_any_order_currency_optional() {
        let rows = csv("回款日期,金额,应收ID\n2025-01-02,100,r1\n").unwrap();
        assert_eq!(rows, vec![row(2, "r1", "100", "CNY", "2025-01-02")]);
        let rows = csv("Receivable ID,AMOUNT,币种,paid_at,备注\nr2,1.5,usd,2025-01-03,ignored\n").unwrap();
        assert_eq!(rows, vec![row(2, "r2", "1.5", "USD", "2025-01-03")]);
        let rows = csv("receivableId,amount,currency,paidAt\nr3,1,人民币,2025-01-04\nr4,1,rmb,2025-01-04\nr5,1,美元,2025-01-04\n").unwrap();
        assert_eq!(rows.iter().map(|row| row.currency.as_str()).collect::<Vec<_>>(), ["CNY", "CNY", "美元"]);
    }

    #[test]
    fn header_problems_are_file_errors() {
        let missing = csv("receivableId,amount\nr,1\n").unwrap_err();
        assert_eq!(missing.field, "file");
        assert!(missing.message.ends_with("missing: paidAt"), "{}", missing.message);
        assert!(csv("amount,金额,应收ID,回款日期\n").unwrap_err().message.contains("amount twice"));
        assert_eq!(csv("receivableId,amount,paidAt\n\n").unwrap_err().message, "has a header but no payment rows");
        assert_eq!(csv("\n\n").unwrap_err().message, "has no header row; the first row must name receivableId, amount, currency, paidAt");
    }

    #[test]
    fn limits_and_formats() {
        let mut text = String::from("receivableId,amount,paidAt\n");
        for _ in 0..MAX_IMPORT_ROWS {
            text.push_str("r,1,2025-01-01\n");
        }
        assert_eq!(csv(&text).unwrap().len(), MAX_IMPORT_ROWS);
        text.push_str("r,1,2025-01-01\n");
        assert_eq!(csv(&text).unwrap_err().message, "must hold at most 10000 rows");
        assert_eq!(read_payment_file("big.csv", &vec![b'a'; MAX_IMPORT_BYTES + 1]).unwrap_err().message, "must be at most 10 MB");
        assert_eq!(read_payment_file("gbk.csv", &[0xD3, 0xA6, 0xCA, 0xD5]).unwrap_err().message, "is not UTF-8 text; save it as CSV UTF-8 or .xlsx");
        assert_eq!(detect_format("x.csv", b"PK\x03\x04rest"), Ok(ImportFormat::Xlsx));
        assert_eq!(detect_format("x.xlsx", b"a,b").unwrap_err().message, "is not a valid .xlsx workbook");
        assert!(detect_format("x.xls", &[0xD0, 0xCF, 0x11, 0xE0]).unwrap_err().message.contains(".xls"));
        assert!(detect_format("scan.pdf", b"%PDF-1.7").is_err());
        assert_eq!(detect_format("payments.txt", b"a,b"), Ok(ImportFormat::Csv));
        assert!(read_payment_file("broken.xlsx", b"PK\x03\x04 not really a zip").unwrap_err().message.starts_with("is not a readable .xlsx workbook"));
    }

    /// Checks the error a row's amount and currency give against `facts`:
    /// its code, column and cell, the outstanding amount when the receivable
    /// is known, and an English message.
    fn check_amount(amount: &str, currency: &str, facts: Option<&ReceivableFacts>, expect: (ImportErrorCode, &str, &str)) {
        let error = check_row_amount(&row(7, "r", amount, currency, "2026-03-01"), facts).unwrap_err();
        assert_eq!((error.line, error.code, error.field.as_str(), error.value.as_str()), (7, expect.0, expect.1, expect.2), "{amount} {currency}: {}", error.message);
        assert_eq!(error.outstanding, facts.map(ReceivableFacts::outstanding), "{amount} {currency}");
        assert!(!error.message.is_empty());
    }

    #[test]
    fn every_row_rule_has_its_code_column_and_cell() {
        use ImportErrorCode::*;
        let cny = |text: &str| Money::parse(text, "CNY", "amount").unwrap();
        let mut open = ReceivableFacts::new(date(2026, 3, 1), cny("1000"));
        open.paid.push((date(2026, 2, 1), cny("400")));
        let mut settled = ReceivableFacts::new(date(2026, 3, 1), cny("1000"));
        settled.paid.push((date(2026, 2, 1), cny("1000")));
        check_amount("", "CNY", None, (AmountRequired, "amount", ""));
        check_amount("12,5", "CNY", None, (AmountInvalid, "amount", "12,5"));
        check_amount("-5", "CNY", Some(&open), (AmountInvalid, "amount", "-5"));
        check_amount("1.234", "CNY", Some(&open), (AmountInvalid, "amount", "1.234"));
        check_amount("10", "US", Some(&open), (CurrencyInvalid, "currency", "US"));
        check_amount("10", "美元", None, (CurrencyInvalid, "currency", "美元"));
        check_amount("10", "USD", Some(&open), (CurrencyMismatch, "currency", "USD"));
        check_amount("0", "CNY", Some(&open), (AmountNotPositive, "amount", "0"));
        check_amount("600.01", "CNY", Some(&open), (AmountOverOutstanding, "amount", "600.01"));
        check_amount("1", "CNY", Some(&settled), (AlreadyPaid, "amount", "1"));
        assert_eq!(check_row_amount(&row(2, "r", "600", "CNY", ""), Some(&open)), Ok(cny("600")));
        assert_eq!(check_row_amount(&row(2, "r", "5", "CNY", ""), None), Ok(cny("5")));

        let today = date(2026, 3, 10);
        for (text, code) in [("", PaidAtRequired), ("  ", PaidAtRequired), ("31/01/2026", PaidAtInvalid), ("2026-03-11", PaidAtInFuture)] {
            let error = check_row_paid_at(&row(3, "r", "1", "CNY", text), today).unwrap_err();
            assert_eq!((error.code, error.field.as_str(), error.value.as_str(), error.outstanding), (code, "paidAt", text.trim(), None), "{text}");
        }
        assert_eq!(check_row_paid_at(&row(3, "r", "1", "CNY", "2026年3月10日"), today), Ok(today));
        let long = "x".repeat(100);
        assert_eq!(check_row_paid_at(&row(3, "r", "1", "CNY", &long), today).unwrap_err().value.chars().count(), MAX_ERROR_VALUE_CHARS);
    }

    #[test]
    fn paid_dates_in_the_usual_spellings() {
        for text in ["2025-01-31", "2025/1/31", "2025.01.31", "20250131", "2025年1月31日", "2025-01-31 10:30:00", "2025-01-31T10:30:00"] {
            assert_eq!(parse_paid_at(text), Ok(date(2025, 1, 31)), "{text}");
        }
        for text in ["", "31/01/2025", "2025-02-30", "yesterday", "45688", "0001-01-01"] {
            assert_eq!(parse_paid_at(text).unwrap_err().field, "paidAt", "{text}");
        }
    }

    #[test]
    fn excel_serial_dates_both_systems_and_the_1900_leap_bug() {
        assert_eq!(excel_serial_date(1.0, false), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial_date(59.0, false), Some(date(1900, 2, 28)));
        // Serial 60 is Excel's phantom 1900-02-29; 61 is 1900-03-01.
        assert_eq!(excel_serial_date(61.0, false), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial_date(45_658.0, false), Some(date(2025, 1, 1)));
        assert_eq!(excel_serial_date(45_688.75, false), Some(date(2025, 1, 31)));
        assert_eq!(excel_serial_date(2_958_465.0, false), Some(date(9999, 12, 31)));
        assert_eq!(excel_serial_date(0.0, false), None);
        assert_eq!(excel_serial_date(0.0, true), Some(date(1904, 1, 1)));
        assert_eq!(excel_serial_date(44_196.0, true), Some(date(2025, 1, 1)));
        assert_eq!(excel_serial_date(20_250_131.0, false), None);
        assert_eq!(excel_serial_date(f64::NAN, false), None);
    }

    #[test]
    fn thousands_separators_only_in_groups_of_three() {
        assert_eq!(strip_thousands_separators("1,234,567.89"), "1234567.89");
        assert_eq!(strip_thousands_separators("12,345"), "12345");
        assert_eq!(strip_thousands_separators("1234,50"), "1234,50");
        assert_eq!(strip_thousands_separators("1,23"), "1,23");
        assert_eq!(strip_thousands_separators(",123"), ",123");
        assert_eq!(strip_thousands_separators("1234.5"), "1234.5");
    }

    #[test]
    fn excel_amounts_are_exact_to_the_cent() {
        assert_eq!(excel_amount(1234.5), "1234.50");
        assert_eq!(excel_amount(0.1 + 0.2), "0.30");
        assert_eq!(excel_amount(10000.0), "10000.00");
        assert_eq!(excel_amount(-5.0), "-5.00");
        assert_eq!(excel_amount(1.005_5), "1.0055");
    }

    #[test]
    fn xlsx_numbers_dates_and_text_cells() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        // The table starts at B2: row numbers are the sheet's, not the range's.
        for (column, header) in ["应收ID", "金额", "币种", "回款日期"].into_iter().enumerate() {
            sheet.write_string(1, 1 + column as u16, header).unwrap();
        }
        sheet.write_string(2, 1, "r1").unwrap();
        sheet.write_number(2, 2, 1234.5).unwrap();
        sheet.write_datetime_with_format(2, 4, rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 1, 31).unwrap(), &date_format).unwrap();
        sheet.write_string(3, 1, " r2 ").unwrap();
        sheet.write_number(3, 2, 7.0).unwrap();
        sheet.write_string(3, 3, "USD").unwrap();
        sheet.write_string(3, 4, "2025/1/1").unwrap();
        // Row 6 (after a blank row 5): a plain serial number in the date column, no date format.
        sheet.write_string(5, 1, "r3").unwrap();
        sheet.write_number(5, 2, 0.1 + 0.2).unwrap();
        sheet.write_number(5, 4, 45_658.0).unwrap();
        sheet.write_string(6, 1, "r4").unwrap();
        sheet.write_string(6, 2, "12.345").unwrap();
        sheet.write_number(6, 4, 20_250_131.0).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert_eq!(
            read_payment_file("payments.xlsx", &bytes).unwrap(),
            vec![
                row(3, "r1", "1234.50", "CNY", "2025-01-31"),
                row(4, "r2", "7.00", "USD", "2025/1/1"),
                row(6, "r3", "0.30", "CNY", "2025-01-01"),
                row(7, "r4", "12.345", "CNY", "20250131"),
            ]
        );
        // The magic bytes win over a misleading name.
        assert_eq!(read_payment_file("payments.csv", &bytes).unwrap().len(), 4);
    }
}
