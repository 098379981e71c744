//! Loading generated rows: the generator runs on a blocking thread and
//! hands chunks over a bounded channel to one database connection, which
//! writes them inside a single transaction (all or nothing).
//!
//! - PostgreSQL: one `COPY … FROM STDIN` (text format) per chunk of a few
//!   megabytes, with `synchronous_commit` off for the transaction.
//! - SQLite: multi-row INSERTs of up to 500 rows (prepared once per table
//!   and reused), with `synchronous = OFF` and a large page cache while loading.
//!
//! Indexes stay in place. `ANALYZE` runs after the commit.

use std::time::Instant;

use dealdesk_persistence::entities::users;
use sea_orm::sqlx::Connection as _;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, Statement, TransactionTrait};
use tokio::sync::mpsc;

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
        _ => load_sqlite(db, receiver).await,
    };
    let generated = generator.await.map_err(|error| SeedError::Generator(format!("the generator thread failed: {error}")))?;
    // A loader error makes the generator stop too; report the loader's.
    loaded?;
    let ((logins, stats), counts) = generated?;
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
        analyze_seconds,
        logins,
        stats,
        engine,
    })
}

async fn load_postgres(db: &DatabaseConnection, mut receiver: mpsc::Receiver<Chunk>) -> Result<(), SeedError> {
    let statements: Vec<String> = table_infos().iter().map(|info| info.copy_statement()).collect();
    let mut connection = db.get_postgres_connection_pool().acquire().await?;
    let mut transaction = connection.begin().await?;
    sea_orm::sqlx::query("SET LOCAL synchronous_commit TO OFF").execute(&mut *transaction).await?;
    loop {
        match receiver.recv().await {
            Some(Chunk::Copy { table, data, .. }) => {
                let mut copy = transaction.copy_in_raw(&statements[table as usize]).await?;
                copy.send(data).await?;
                copy.finish().await?;
            }
            Some(Chunk::Done) => {
                transaction.commit().await?;
                return Ok(());
            }
            Some(Chunk::Insert { .. }) => return Err(SeedError::Generator("an INSERT chunk was sent to the PostgreSQL loader".into())),
            None => {
                transaction.rollback().await?;
                return Err(SeedError::Generator("the generator stopped before finishing; nothing was loaded".into()));
            }
        }
    }
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
    db.execute_unprepared("PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY").await?;
    let result = async {
        let transaction = db.begin().await?;
        loop {
            match receiver.recv().await {
                Some(Chunk::Insert { table, rows, values }) => {
                    let (full_rows, statement) = &full[table as usize];
                    let sql = if rows == *full_rows { statement.clone() } else { infos[table as usize].insert_statement(rows) };
                    transaction.execute(Statement::from_sql_and_values(DatabaseBackend::Sqlite, sql, values)).await?;
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
