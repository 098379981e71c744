//! Where generated rows go: the tables the generator writes, the row
//! encoding for each engine, and the chunks handed to the loader.
//!
//! Rows are the persistence crate's own entity models, so a generated row
//! has exactly the columns and types the application reads; a column added
//! to an entity is a compile error here until the generator fills it.
//! Values are taken from the model with sea-orm's `ModelTrait::get`, so on
//! SQLite they are bound exactly as the application binds them, and on
//! PostgreSQL they are written in COPY's binary format.

use chrono::Datelike;

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
    /// Binary COPY, streamed in chunks of a few megabytes.
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

    /// `COPY "table" ("a", "b") FROM STDIN (FORMAT binary)`.
    pub fn copy_statement(&self) -> String {
        format!("COPY \"{}\" ({}) FROM STDIN (FORMAT binary)", self.name, self.quoted_columns())
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
    /// A complete binary COPY stream (header, tuples, trailer).
    Copy { table: TableId, rows: usize, data: Vec<u8> },
    /// Values of `rows` rows, row after row, for one multi-row INSERT.
    Insert { table: TableId, rows: usize, values: Vec<Value> },
    /// Everything was generated: the loader may commit.
    Done,
}

/// The start of a binary COPY stream: signature, flags, header extension length.
const COPY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
/// The end of a binary COPY stream.
const COPY_TRAILER: i16 = -1;
/// PostgreSQL's epoch, 2000-01-01T00:00:00Z, in Unix microseconds and days.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;
const PG_EPOCH_DAYS: i64 = 10_957;
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
    /// Columns per row, as COPY's binary tuple header states it.
    field_count: i16,
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
                field_count: i16::try_from(info.columns.len()).unwrap_or(i16::MAX),
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
                if buffer.data.is_empty() {
                    buffer.data.extend_from_slice(COPY_HEADER);
                }
                buffer.data.extend_from_slice(&buffer.field_count.to_be_bytes());
                for column in <R::Entity as EntityTrait>::Column::iter() {
                    write_binary_value(&mut buffer.data, &row.get(column))?;
                }
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
            Engine::Postgres => {
                buffer.data.extend_from_slice(&COPY_TRAILER.to_be_bytes());
                Chunk::Copy { table, rows, data: std::mem::replace(&mut buffer.data, Vec::with_capacity(COPY_CHUNK_BYTES + 4096)) }
            }
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

/// Writes one field in PostgreSQL's binary COPY format: its length (-1 for
/// NULL) and its bytes in the column type's binary form. Binary spares the
/// server parsing text into timestamps, UUIDs and numbers.
fn write_binary_value(out: &mut Vec<u8>, value: &Value) -> Result<(), SeedError> {
    let field = |out: &mut Vec<u8>, bytes: &[u8]| {
        out.extend_from_slice(&(bytes.len() as i32).to_be_bytes());
        out.extend_from_slice(bytes);
    };
    match value {
        Value::Bool(Some(v)) => field(out, &[u8::from(*v)]),
        Value::SmallInt(Some(v)) => field(out, &v.to_be_bytes()),
        Value::Int(Some(v)) => field(out, &v.to_be_bytes()),
        Value::BigInt(Some(v)) => field(out, &v.to_be_bytes()),
        Value::String(Some(v)) => field(out, v.as_bytes()),
        Value::Uuid(Some(v)) => field(out, v.as_bytes()),
        Value::ChronoDateTimeUtc(Some(v)) => field(out, &(v.timestamp_micros() - PG_EPOCH_MICROS).to_be_bytes()),
        Value::ChronoDate(Some(v)) => {
            let days = i32::try_from(i64::from(v.num_days_from_ce()) - 719_163 - PG_EPOCH_DAYS).map_err(|_| SeedError::Generator(format!("date out of range: {v}")))?;
            field(out, &days.to_be_bytes());
        }
        Value::Json(Some(v)) => {
            // jsonb's binary form: a version byte, then the JSON text.
            let mut bytes = vec![1u8];
            serde_json::to_writer(&mut bytes, v).map_err(|error| SeedError::Generator(format!("json: {error}")))?;
            field(out, &bytes);
        }
        Value::Bool(None)
        | Value::SmallInt(None)
        | Value::Int(None)
        | Value::BigInt(None)
        | Value::String(None)
        | Value::Uuid(None)
        | Value::ChronoDateTimeUtc(None)
        | Value::ChronoDate(None)
        | Value::Json(None) => out.extend_from_slice(&(-1i32).to_be_bytes()),
        other => return Err(SeedError::Generator(format!("no COPY encoding for {other:?}"))),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn encoded(value: Value) -> Vec<u8> {
        let mut out = Vec::new();
        write_binary_value(&mut out, &value).unwrap();
        out
    }

    fn field(bytes: &[u8]) -> Vec<u8> {
        let mut out = (bytes.len() as i32).to_be_bytes().to_vec();
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn binary_fields_have_the_types_binary_forms() {
        assert_eq!(encoded(Value::String(Some(Box::new("线索\t".into())))), field("线索\t".as_bytes()));
        assert_eq!(encoded(Value::String(None)), (-1i32).to_be_bytes());
        assert_eq!(encoded(Value::Bool(Some(true))), field(&[1]));
        assert_eq!(encoded(Value::BigInt(Some(-42))), field(&(-42i64).to_be_bytes()));
        assert_eq!(encoded(Value::Int(Some(7))), field(&7i32.to_be_bytes()));
        assert_eq!(encoded(Value::Int(None)), (-1i32).to_be_bytes());
        let uuid = uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef);
        assert_eq!(encoded(Value::Uuid(Some(Box::new(uuid)))), field(uuid.as_bytes()));
        // PostgreSQL counts from 2000-01-01.
        let epoch = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(encoded(Value::ChronoDateTimeUtc(Some(Box::new(epoch)))), field(&0i64.to_be_bytes()));
        let later = epoch + chrono::Duration::microseconds(1_500_000);
        assert_eq!(encoded(Value::ChronoDateTimeUtc(Some(Box::new(later)))), field(&1_500_000i64.to_be_bytes()));
        assert_eq!(encoded(Value::ChronoDate(Some(Box::new(epoch.date_naive())))), field(&0i32.to_be_bytes()));
        let before = Utc.with_ymd_and_hms(1999, 12, 31, 0, 0, 0).unwrap().date_naive();
        assert_eq!(encoded(Value::ChronoDate(Some(Box::new(before)))), field(&(-1i32).to_be_bytes()));
        assert_eq!(encoded(Value::Json(Some(Box::new(serde_json::json!(["a"]))))), field(b"\x01[\"a\"]"));
    }

    #[test]
    fn statements_name_every_column() {
        let infos = table_infos();
        let deals = &infos[TableId::Deals as usize];
        assert_eq!(deals.name, "deals");
        assert!(deals.copy_statement().starts_with("COPY \"deals\" (\"id\",\"org_id\","));
        assert!(deals.copy_statement().ends_with("FROM STDIN (FORMAT binary)"));
        assert_eq!(deals.insert_statement(2).matches('?').count(), deals.columns.len() * 2);
        assert_eq!(infos.len(), TableId::ALL.len());
    }
}
