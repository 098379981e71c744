//! Loading generated rows: the generator runs on a blocking thread and
//! hands chunks over a bounded channel to the database writers; nothing is
//! committed unless everything was generated and written.
//!
//! - PostgreSQL, into a database that holds no deals yet (a new install,
//!   the bench): what `pg_restore` does, in one transaction. Every index
//!   of the seeded tables (primary keys and unique constraints included)
//!   is dropped, every chunk is COPYed (binary) into bare tables, then each
//!   index is built in one sorted pass (with parallel workers; a duplicate
//!   key fails the load there), and it all commits at once: a failure or a
//!   crash anywhere leaves the database as it was, indexes included. (The
//!   schema has no foreign keys.)
//! - PostgreSQL, beside existing data: one binary `COPY … FROM STDIN` per
//!   chunk, spread over two to four connections (one per core), each in
//!   its own transaction, with the indexes in place (rebuilding them would
//!   lock a live organization's tables for the whole load); they commit
//!   together once everything is written.
//! - SQLite: multi-row INSERTs of up to 500 rows (prepared once per table
//!   and reused), with `synchronous = OFF` and a page cache of up to 1 GB
//!   while loading, so a medium org (~600 MB) is built in memory.
//!
//! `ANALYZE` runs after the commit.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use dealdesk_persistence::entities::users;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Statement, TransactionTrait};
use tokio::sync::{mpsc, Mutex};

use crate::sink::{table_infos, Chunk, Engine, Sink, TableId};
use crate::{generate, GenerateOptions, OrgSize, SeedError, Summary};

/// Generates the organizations `options` describes and loads them into `db`
/// (already migrated); returns what was loaded and how fast.
pub async fn seed(db: &DatabaseConnection, options: &GenerateOptions) -> Result<Summary, SeedError> {
    let engine = match db.get_database_backend() {
        DatabaseBackend::Postgres => Engine::Postgres,
        DatabaseBackend::Sqlite => Engine::Sqlite,
        DatabaseBackend::MySql => return Err(SeedError::Refused("MySQL is not supported".into())),
    };
    if options.orgs == 0 {
        return Err(SeedError::Refused("--orgs must be at least 1".into()));
    }
    if engine == Engine::Sqlite && options.size == OrgSize::Large {
        return Err(SeedError::Refused(
            "--org-size large (about 13 M rows) is for PostgreSQL: SQLite serves one team on one machine; set DATABASE_URL=postgres://… or use small or medium".into(),
        ));
    }
    let admins: Vec<String> = (1..=options.orgs).map(|number| crate::admin_email(options, number)).collect();
    let existing = users::Entity::find().filter(users::Column::Email.is_in(admins)).count(db).await?;
    if existing > 0 {
        return Err(SeedError::Refused(format!(
            "this database already holds {existing} of the organizations for --org-size {} --seed {} (emails *@{}-s{}-o*.dealdesk.test); use another --seed or a fresh database",
            options.size.as_str(),
            options.seed,
            options.size.as_str(),
            options.seed
        )));
    }

    let started = Instant::now();
    let (sender, receiver) = mpsc::channel::<Chunk>(16);
    let generator_options = options.clone();
    let generator = tokio::task::spawn_blocking(move || {
        let mut sink = Sink::new(engine, Some(sender));
        let generated = generate(&generator_options, &mut sink)?;
        sink.finish()?;
        Ok::<_, SeedError>((generated, sink.counts()))
    });
    let loaded = match engine {
        Engine::Postgres => load_postgres(db, receiver).await,
        _ => load_sqlite(db, receiver).await.map(|()| None),
    };
    let generated = generator.await.map_err(|error| SeedError::Generator(format!("the generator thread failed: {error}")))?;
    // A loader error stops the generator (LoaderStopped) and a generator error
    // stops the loader: report the one that came first.
    let (((logins, stats), counts), rebuilt) = match (loaded, generated) {
        (Ok(rebuilt), Ok(generated)) => (generated, rebuilt),
        (Err(error), Ok(_) | Err(SeedError::LoaderStopped)) => return Err(error),
        (_, Err(error)) => return Err(error),
    };
    let load_seconds = started.elapsed().as_secs_f64();

    let analyzed = Instant::now();
    let infos = table_infos();
    match engine {
        Engine::Postgres => {
            let names: Vec<String> = infos.iter().map(|info| format!("\"{}\"", info.name)).collect();
            db.execute_unprepared(&format!("ANALYZE {}", names.join(", "))).await?;
        }
        _ => {
            db.execute_unprepared("ANALYZE").await?;
        }
    }
    let analyze_seconds = analyzed.elapsed().as_secs_f64();
    Ok(Summary {
        tables: infos.into_iter().map(|info| info.name).zip(counts).collect(),
        load_seconds,
        rebuilt,
        analyze_seconds,
        logins,
        stats,
        engine,
    })
}

/// Loads on PostgreSQL: building the indexes afterwards in
/// one transaction when the database holds no deals yet, with several
/// writers and the indexes in place otherwise.
async fn load_postgres(db: &DatabaseConnection, receiver: mpsc::Receiver<Chunk>) -> Result<Option<Rebuilt>, SeedError> {
    let pool = db.get_postgres_connection_pool().clone();
    let mut transaction = pool.begin().await?;
    sea_orm::sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *transaction).await?;
    let holds_deals: bool = sea_orm::sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM deals)").fetch_one(&mut *transaction).await?;
    if holds_deals {
        transaction.rollback().await?;
        return load_postgres_beside(&pool, receiver).await.map(|()| None);
    }
    let infos = table_infos();
    let tables: Vec<&str> = infos.iter().map(|info| info.name.as_str()).collect();
    let deferred = Deferred::drop_from(&mut transaction, &tables).await?;
    let statements: Vec<String> = infos.iter().map(|info| info.copy_statement()).collect();
    let progress = Progress::new();
    let mut receiver = receiver;
    let copied = async {
        loop {
            match receiver.recv().await {
                Some(Chunk::Copy { table, rows, data }) => {
                    copy(&mut transaction, &statements[table as usize], data).await?;
                    progress.written(rows);
                }
                Some(Chunk::Done) => return Ok(()),
                Some(Chunk::Insert { .. }) => return Err(SeedError::Generator("an INSERT chunk was sent to the PostgreSQL loader".into())),
                None => return Err(SeedError::Generator("the generator stopped before finishing; nothing was loaded".into())),
            }
        }
    }
    .await;
    // Dropping the receiver stops a generator still running; the
    // transaction rolls back when dropped, the dropped indexes included.
    drop(receiver);
    copied?;
    let rebuilt = deferred.restore(&mut transaction).await?;
    transaction.commit().await?;
    Ok(Some(rebuilt))
}

/// Every index of the seeded tables, dropped for the load, as the
/// statements that build them again: `CREATE INDEX …` as `pg_get_indexdef`
/// gives it, or, for the index of a primary-key, unique or exclusion
/// constraint, `ALTER TABLE … ADD CONSTRAINT …` (which checks every row).
struct Deferred {
    /// `(name, statement)` of each, in the catalog's order.
    indexes: Vec<(String, String)>,
}

/// What rebuilding took, for the summary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rebuilt {
    /// Indexes built after the rows were written (primary keys and unique
    /// constraints included).
    pub indexes: usize,
    /// Seconds building them took.
    pub seconds: f64,
}

/// An index as the catalog describes it: table, index, `CREATE INDEX`, and
/// the constraint it backs with that constraint's definition, if any.
type IndexRow = (String, String, String, Option<String>, Option<String>);

impl Deferred {
    /// Reads and drops them inside `transaction`.
    async fn drop_from(transaction: &mut sea_orm::sqlx::PgConnection, tables: &[&str]) -> Result<Deferred, SeedError> {
        let rows: Vec<IndexRow> = sea_orm::sqlx::query_as(
            "SELECT quote_ident(t.relname), quote_ident(i.relname), pg_get_indexdef(x.indexrelid), quote_ident(c.conname), pg_get_constraintdef(c.oid) \
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid \
             LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x') \
             WHERE t.relnamespace = current_schema()::regnamespace AND t.relname = ANY($1) \
             ORDER BY t.relname, i.relname",
        )
        .bind(tables)
        .fetch_all(&mut *transaction)
        .await?;
        let mut indexes = Vec::with_capacity(rows.len());
        for (table, name, index_definition, constraint, constraint_definition) in rows {
            let (drop, build) = match (constraint, constraint_definition) {
                (Some(constraint), Some(definition)) => (
                    format!("ALTER TABLE {table} DROP CONSTRAINT {constraint}"),
                    format!("ALTER TABLE {table} ADD CONSTRAINT {constraint} {definition}"),
                ),
                _ => (format!("DROP INDEX {name}"), index_definition),
            };
            sea_orm::sqlx::query(&drop).execute(&mut *transaction).await?;
            indexes.push((name, build));
        }
        Ok(Deferred { indexes })
    }

    /// Builds them again; a unique one meets every row here.
    async fn restore(self, transaction: &mut sea_orm::sqlx::PgConnection) -> Result<Rebuilt, SeedError> {
        let started = Instant::now();
        // Index builds sort in memory and use parallel workers.
        sea_orm::sqlx::query("SET LOCAL maintenance_work_mem TO '512MB'").execute(&mut *transaction).await?;
        for (name, statement) in &self.indexes {
            tracing::debug!(index = name.as_str(), "building");
            sea_orm::sqlx::query(statement).execute(&mut *transaction).await?;
        }
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(indexes = self.indexes.len(), seconds = format!("{seconds:.1}"), "indexes built");
        Ok(Rebuilt { indexes: self.indexes.len(), seconds })
    }
}

/// Loads beside existing data with a few connections at once (one backend
/// process each, so the database's work spreads over the cores), each
/// taking the next chunk and COPYing it inside its own transaction. The
/// transactions are committed together once everything was generated and
/// written, and rolled back together otherwise.
async fn load_postgres_beside(pool: &sea_orm::sqlx::PgPool, receiver: mpsc::Receiver<Chunk>) -> Result<(), SeedError> {
    let writers = std::thread::available_parallelism().map_or(2, |cores| cores.get()).clamp(2, 4);
    let statements: Arc<Vec<String>> = Arc::new(table_infos().iter().map(|info| info.copy_statement()).collect());
    let receiver = Arc::new(Mutex::new(receiver));
    let progress = Arc::new(Progress::new());
    let tasks: Vec<_> = (0..writers).map(|_| tokio::spawn(copy_chunks(pool.clone(), receiver.clone(), statements.clone(), progress.clone()))).collect();
    // Only the writers hold the receiver now: when they all stop, the generator stops too.
    drop(receiver);
    let mut transactions = Vec::new();
    let mut first_error = None;
    for task in tasks {
        match task.await {
            Ok(Ok(transaction)) => transactions.push(transaction),
            Ok(Err(error)) => {
                first_error.get_or_insert(error);
            }
            Err(error) => {
                first_error.get_or_insert(SeedError::Generator(format!("a loader task failed: {error}")));
            }
        }
    }
    if first_error.is_none() && progress.complete.load(Ordering::SeqCst) {
        for transaction in transactions {
            transaction.commit().await?;
        }
        return Ok(());
    }
    for transaction in transactions {
        transaction.rollback().await?;
    }
    Err(first_error.unwrap_or_else(|| SeedError::Generator("the generator stopped before finishing; nothing was loaded".into())))
}

/// What the PostgreSQL writers share.
struct Progress {
    /// The generator sent everything.
    complete: AtomicBool,
    /// A writer failed: the others stop.
    failed: AtomicBool,
    /// Rows written so far (not yet committed).
    rows: AtomicU64,
    /// When loading started.
    started: Instant,
}

impl Progress {
    fn new() -> Progress {
        Progress { complete: AtomicBool::new(false), failed: AtomicBool::new(false), rows: AtomicU64::new(0), started: Instant::now() }
    }

    /// Counts written rows and logs every millionth.
    fn written(&self, rows: usize) {
        log_progress(&self.rows, rows, self.started);
    }
}

/// Adds `rows` to `total` and logs the rate each time another million is passed.
fn log_progress(total: &AtomicU64, rows: usize, started: Instant) {
    const EVERY: u64 = 1_000_000;
    let before = total.fetch_add(rows as u64, Ordering::SeqCst);
    let after = before + rows as u64;
    if after / EVERY > before / EVERY {
        let seconds = started.elapsed().as_secs_f64();
        tracing::info!(rows = after, seconds = format!("{seconds:.1}"), rows_per_second = (after as f64 / seconds.max(f64::EPSILON)) as u64, "generated rows written");
    }
}

/// One writer: COPYs chunks until the generator is done, returning its open transaction.
async fn copy_chunks(
    pool: sea_orm::sqlx::PgPool,
    receiver: Arc<Mutex<mpsc::Receiver<Chunk>>>,
    statements: Arc<Vec<String>>,
    progress: Arc<Progress>,
) -> Result<sea_orm::sqlx::Transaction<'static, sea_orm::sqlx::Postgres>, SeedError> {
    let mut transaction = pool.begin().await?;
    sea_orm::sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *transaction).await?;
    loop {
        if progress.failed.load(Ordering::SeqCst) {
            return Ok(transaction);
        }
        let chunk = receiver.lock().await.recv().await;
        let written = match chunk {
            Some(Chunk::Copy { table, rows, data }) => {
                let copied = copy(&mut transaction, &statements[table as usize], data).await;
                progress.written(rows);
                copied
            }
            Some(Chunk::Done) => {
                progress.complete.store(true, Ordering::SeqCst);
                Ok(())
            }
            Some(Chunk::Insert { .. }) => Err(SeedError::Generator("an INSERT chunk was sent to the PostgreSQL loader".into())),
            None => return Ok(transaction),
        };
        if let Err(error) = written {
            progress.failed.store(true, Ordering::SeqCst);
            return Err(error);
        }
    }
}

async fn copy(transaction: &mut sea_orm::sqlx::PgConnection, statement: &str, data: Vec<u8>) -> Result<(), SeedError> {
    let mut copy = transaction.copy_in_raw(statement).await?;
    copy.send(data).await?;
    copy.finish().await?;
    Ok(())
}

async fn load_sqlite(db: &DatabaseConnection, mut receiver: mpsc::Receiver<Chunk>) -> Result<(), SeedError> {
    let infos = table_infos();
    let full: Vec<(usize, String)> = infos
        .iter()
        .map(|info| {
            let rows = Sink::sqlite_rows_per_insert(info.columns.len());
            (rows, info.insert_statement(rows))
        })
        .collect();
    db.execute_unprepared("PRAGMA synchronous = OFF; PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY").await?;
    let started = Instant::now();
    let written = AtomicU64::new(0);
    let result = async {
        let transaction = db.begin().await?;
        loop {
            match receiver.recv().await {
                Some(Chunk::Insert { table, rows, values }) => {
                    let (full_rows, statement) = &full[table as usize];
                    let sql = if rows == *full_rows { statement.clone() } else { infos[table as usize].insert_statement(rows) };
                    transaction.execute(Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, values)).await?;
                    log_progress(&written, rows, started);
                }
                Some(Chunk::Done) => return Ok(transaction.commit().await?),
                Some(Chunk::Copy { .. }) => return Err(SeedError::Generator("a COPY chunk was sent to the SQLite loader".into())),
                None => {
                    transaction.rollback().await?;
                    return Err(SeedError::Generator("the generator stopped before finishing; nothing was loaded".into()));
                }
            }
        }
    }
    .await;
    db.execute_unprepared("PRAGMA synchronous = NORMAL; PRAGMA cache_size = -2000").await?;
    result
}

/// The tables in report order (for callers printing a summary).
pub fn table_names() -> Vec<String> {
    let infos = table_infos();
    TableId::ALL.iter().map(|table| infos[*table as usize].name.clone()).collect()
}
