//! Where generated rows go: the tables the generator writes, the row
//! encoding for each engine, and the chunks handed to the loader.
//!
//! Rows are the persistence crate's own entity models, so a generated row
//! has exactly the columns and types the application reads; a column added
//! to an entity is a compile error here until the generator fills it.
//! Values are taken from the model with sea-orm's `ModelTrait::get`, so on
//! SQLite they are bound exactly as the application binds them, and on
//! PostgreSQL they are written in COPY's text format.

use std::io::Write;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use dealdesk_persistence::entities::{
    activities, audit_log, contacts, contracts, customer_risk, customers, deal_assignments, deal_transitions, deals, orgs, payments, receivables,
    risk_tier_changes, sla_policies, stages, teams, ticket_counters, ticket_events, tickets, users,
};
use sea_orm::{EntityTrait, IdenStatic, Iterable, ModelTrait, Value};
use tokio::sync::mpsc;

use crate::SeedError;

/// The database engine rows are encoded for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// COPY text format, streamed in chunks of a few megabytes.
    Postgres,
    /// Bound values for multi-row INSERTs.
    Sqlite,
    /// Rows are counted and dropped (for tests of the generator itself).
    Discard,
}

/// One table the generator writes: its name and columns in entity order.
#[derive(Clone, Debug)]
pub struct TableInfo {
    /// The table's name.
    pub name: String,
    /// Its columns, in the order values are written.
    pub columns: Vec<String>,
}

impl TableInfo {
    fn of<E: EntityTrait>() -> TableInfo {
        TableInfo {
            name: E::default().table_name().to_string(),
            columns: E::Column::iter().map(|column| column.as_str().to_string()).collect(),
        }
    }

    /// `COPY "table" ("a", "b") FROM STDIN`.
    pub fn copy_statement(&self) -> String {
        format!("COPY \"{}\" ({}) FROM STDIN", self.name, self.quoted_columns())
    }

    /// `INSERT INTO "table" ("a", "b") VALUES (?, ?), …` for `rows` rows.
    pub fn insert_statement(&self, rows: usize) -> String {
        let one = format!("({})", vec!["?"; self.columns.len()].join(","));
        format!("INSERT INTO \"{}\" ({}) VALUES {}", self.name, self.quoted_columns(), vec![one; rows].join(","))
    }

    fn quoted_columns(&self) -> String {
        self.columns.iter().map(|column| format!("\"{column}\"")).collect::<Vec<_>>().join(",")
    }
}

macro_rules! tables {
    ($($variant:ident => $module:ident),* $(,)?) => {
        /// Every table the generator writes, in load and report order.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum TableId { $($variant),* }

        impl TableId {
            /// All of them.
            pub const ALL: &'static [TableId] = &[$(TableId::$variant),*];
        }

        /// The tables' names and columns, indexed by `TableId as usize`.
        pub fn table_infos() -> Vec<TableInfo> {
            vec![$(TableInfo::of::<$module::Entity>()),*]
        }

        $(impl Row for $module::Model { const TABLE: TableId = TableId::$variant; })*
    };
}

tables! {
    Orgs => orgs,
    Teams => teams,
    Users => users,
    Stages => stages,
    SlaPolicies => sla_policies,
    Customers => customers,
    Contacts => contacts,
    Deals => deals,
    DealTransitions => deal_transitions,
    DealAssignments => deal_assignments,
    Activities => activities,
    Tickets => tickets,
    TicketEvents => ticket_events,
    TicketCounters => ticket_counters,
    Contracts => contracts,
    Receivables => receivables,
    Payments => payments,
    CustomerRisk => customer_risk,
    RiskTierChanges => risk_tier_changes,
    AuditLog => audit_log,
}

/// An entity model the generator may emit.
pub trait Row: ModelTrait {
    /// The table it goes to.
    const TABLE: TableId;
}

/// A batch of rows of one table, ready for the loader.
pub enum Chunk {
    /// COPY text-format lines.
    Copy { table: TableId, rows: usize, data: Vec<u8> },
    /// Values of `rows` rows, row after row, for one multi-row INSERT.
    Insert { table: TableId, rows: usize, values: Vec<Value> },
    /// Everything was generated: the loader may commit.
    Done,
}

/// Flush a table's COPY buffer at this size.
const COPY_CHUNK_BYTES: usize = 2 * 1024 * 1024;
/// SQLite allows 32 766 bound values per statement.
const SQLITE_MAX_VALUES: usize = 32_000;
/// Rows per INSERT on SQLite (fewer for wide tables).
const SQLITE_MAX_ROWS: usize = 500;

struct TableBuffer {
    data: Vec<u8>,
    values: Vec<Value>,
    rows: usize,
    total: u64,
    rows_per_insert: usize,
}

/// Encodes rows for one engine and hands full chunks to the loader.
pub struct Sink {
    engine: Engine,
    buffers: Vec<TableBuffer>,
    sender: Option<mpsc::Sender<Chunk>>,
}

impl Sink {
    /// A sink for `engine` that sends chunks through `sender` (none for `Discard`).
    pub fn new(engine: Engine, sender: Option<mpsc::Sender<Chunk>>) -> Sink {
        let buffers = table_infos()
            .iter()
            .map(|info| TableBuffer {
                data: Vec::new(),
                values: Vec::new(),
                rows: 0,
                total: 0,
                rows_per_insert: Sink::sqlite_rows_per_insert(info.columns.len()),
            })
            .collect();
        Sink { engine, buffers, sender }
    }

    /// Rows per INSERT statement on SQLite for a table of `columns` columns.
    pub fn sqlite_rows_per_insert(columns: usize) -> usize {
        (SQLITE_MAX_VALUES / columns.max(1)).clamp(1, SQLITE_MAX_ROWS)
    }

    /// Adds one row.
    pub fn put<R: Row>(&mut self, row: &R) -> Result<(), SeedError> {
        let table = R::TABLE;
        let engine = self.engine;
        let buffer = &mut self.buffers[table as usize];
        buffer.rows += 1;
        buffer.total += 1;
        match engine {
            Engine::Discard => {
                buffer.rows = 0;
                return Ok(());
            }
            Engine::Postgres => {
                let mut first = true;
                for column in <R::Entity as EntityTrait>::Column::iter() {
                    if !first {
                        buffer.data.push(b'\t');
                    }
                    first = false;
                    write_copy_value(&mut buffer.data, &row.get(column))?;
                }
                buffer.data.push(b'\n');
                if buffer.data.len() < COPY_CHUNK_BYTES {
                    return Ok(());
                }
            }
            Engine::Sqlite => {
                buffer.values.extend(<R::Entity as EntityTrait>::Column::iter().map(|column| row.get(column)));
                if buffer.rows < buffer.rows_per_insert {
                    return Ok(());
                }
            }
        }
        self.flush(table)
    }

    /// Sends what is buffered for `table`.
    fn flush(&mut self, table: TableId) -> Result<(), SeedError> {
        let buffer = &mut self.buffers[table as usize];
        if buffer.rows == 0 {
            return Ok(());
        }
        let rows = std::mem::take(&mut buffer.rows);
        let chunk = match self.engine {
            Engine::Discard => return Ok(()),
            Engine::Postgres => Chunk::Copy { table, rows, data: std::mem::replace(&mut buffer.data, Vec::with_capacity(COPY_CHUNK_BYTES + 4096)) },
            Engine::Sqlite => Chunk::Insert { table, rows, values: std::mem::take(&mut buffer.values) },
        };
        match &self.sender {
            Some(sender) => sender.blocking_send(chunk).map_err(|_| SeedError::LoaderStopped),
            None => Ok(()),
        }
    }

    /// Sends everything still buffered, then tells the loader generation is complete.
    pub fn finish(&mut self) -> Result<(), SeedError> {
        for table in TableId::ALL {
            self.flush(*table)?;
        }
        match &self.sender {
            Some(sender) => sender.blocking_send(Chunk::Done).map_err(|_| SeedError::LoaderStopped),
            None => Ok(()),
        }
    }

    /// Rows put so far, per table, in `TableId` order.
    pub fn counts(&self) -> Vec<u64> {
        self.buffers.iter().map(|buffer| buffer.total).collect()
    }

    /// Rows put so far into `table`.
    pub fn count(&self, table: TableId) -> u64 {
        self.buffers[table as usize].total
    }
}

/// Writes one value in PostgreSQL's COPY text format.
fn write_copy_value(out: &mut Vec<u8>, value: &Value) -> Result<(), SeedError> {
    match value {
        Value::Bool(Some(v)) => out.extend_from_slice(if *v { b"t" } else { b"f" }),
        Value::SmallInt(Some(v)) => write_number(out, i64::from(*v)),
        Value::Int(Some(v)) => write_number(out, i64::from(*v)),
        Value::BigInt(Some(v)) => write_number(out, *v),
        Value::String(Some(v)) => escape(out, v),
        Value::Uuid(Some(v)) => out.extend_from_slice(v.hyphenated().encode_lower(&mut uuid::Uuid::encode_buffer()).as_bytes()),
        Value::ChronoDateTimeUtc(Some(v)) => write_timestamp(out, v),
        Value::ChronoDate(Some(v)) => write_date(out, v),
        Value::Json(Some(v)) => {
            let text = serde_json::to_string(v).map_err(|error| SeedError::Generator(format!("json: {error}")))?;
            escape(out, &text);
        }
        Value::Bool(None)
        | Value::SmallInt(None)
        | Value::Int(None)
        | Value::BigInt(None)
        | Value::String(None)
        | Value::Uuid(None)
        | Value::ChronoDateTimeUtc(None)
        | Value::ChronoDate(None)
        | Value::Json(None) => out.extend_from_slice(b"\\N"),
        other => return Err(SeedError::Generator(format!("no COPY encoding for {other:?}"))),
    }
    Ok(())
}

fn write_number(out: &mut Vec<u8>, value: i64) {
    let _ = write!(out, "{value}");
}

/// `value` as exactly `width` decimal digits (zero-padded).
fn write_digits(out: &mut Vec<u8>, value: u32, width: usize) {
    let mut digits = [b'0'; 10];
    let mut rest = value;
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    out.extend_from_slice(&digits[..width]);
}

/// `YYYY-MM-DD` (years 0–9999), without chrono's format-string machinery:
/// timestamps are most of what COPY writes.
fn write_date(out: &mut Vec<u8>, date: &NaiveDate) {
    write_digits(out, date.year().clamp(0, 9_999).unsigned_abs(), 4);
    out.push(b'-');
    write_digits(out, date.month(), 2);
    out.push(b'-');
    write_digits(out, date.day(), 2);
}

/// `YYYY-MM-DD HH:MM:SS[.ffffff]+00`.
fn write_timestamp(out: &mut Vec<u8>, at: &DateTime<Utc>) {
    write_date(out, &at.date_naive());
    out.push(b' ');
    write_digits(out, at.hour(), 2);
    out.push(b':');
    write_digits(out, at.minute(), 2);
    out.push(b':');
    write_digits(out, at.second(), 2);
    let micros = at.timestamp_subsec_micros();
    if micros != 0 {
        out.push(b'.');
        write_digits(out, micros, 6);
    }
    out.extend_from_slice(b"+00");
}

/// COPY text escaping: backslash, tab, newline and carriage return.
fn escape(out: &mut Vec<u8>, text: &str) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn encoded(value: Value) -> String {
        let mut out = Vec::new();
        write_copy_value(&mut out, &value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn copy_text_escapes_and_nulls() {
        assert_eq!(encoded(Value::String(Some(Box::new("a\tb\\c\nd".into())))), "a\\tb\\\\c\\nd");
        assert_eq!(encoded(Value::String(None)), "\\N");
        assert_eq!(encoded(Value::Bool(Some(true))), "t");
        assert_eq!(encoded(Value::BigInt(Some(-42))), "-42");
        assert_eq!(encoded(Value::Int(None)), "\\N");
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 8, 30, 5).unwrap();
        assert_eq!(encoded(Value::ChronoDateTimeUtc(Some(Box::new(at)))), "2026-11-27 08:30:05+00");
        let precise = at + chrono::Duration::microseconds(42);
        assert_eq!(encoded(Value::ChronoDateTimeUtc(Some(Box::new(precise)))), "2026-11-27 08:30:05.000042+00");
        assert_eq!(encoded(Value::ChronoDate(Some(Box::new(at.date_naive())))), "2026-11-27");
        assert_eq!(encoded(Value::Json(Some(Box::new(serde_json::json!(["a\tb"]))))), "[\"a\\\\tb\"]");
    }

    #[test]
    fn timestamps_are_written_as_chrono_would() {
        let mut rng = crate::rng::Rng::from_seed(6);
        for _ in 0..10_000 {
            let at = DateTime::from_timestamp(rng.range(-2_000_000_000, 10_000_000_000), 1_000 * rng.below(1_000_000) as u32).unwrap();
            let mut out = Vec::new();
            write_timestamp(&mut out, &at);
            let expected = at.format("%Y-%m-%d %H:%M:%S%.6f+00").to_string().replace(".000000+", "+");
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

    #[test]
    fn statements_name_every_column() {
        let infos = table_infos();
        let deals = &infos[TableId::Deals as usize];
        assert_eq!(deals.name, "deals");
        assert!(deals.copy_statement().starts_with("COPY \"deals\" (\"id\",\"org_id\","));
        assert_eq!(deals.insert_statement(2).matches('?').count(), deals.columns.len() * 2);
        assert_eq!(infos.len(), TableId::ALL.len());
    }
}
