//! Connecting to SQLite or PostgreSQL and migrating.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use dealdesk_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::pool::PoolConnectionMetadata;
use sea_orm::sqlx::postgres::{PgConnectOptions, PgConnection, PgPoolOptions};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sea_orm::sqlx::{ConnectOptions as _, Connection as _};
use sea_orm::{DatabaseConnection, SqlxPostgresConnector, SqlxSqliteConnector};

/// How long a pooled PostgreSQL connection may sit idle and still be handed
/// out without a ping first.
///
/// The pool pings every connection as it is returned (sqlx does, to find
/// connections a cancelled request left mid-statement), so an idle
/// connection was working when it went idle. Pinging it again when it is
/// taken — sqlx's default — is one more round trip to the database for
/// every statement (about a fifth of the CPU the server and the database
/// spend on a deal-list request) to catch a connection the database
/// dropped in the moment since. A connection idle for longer than this is
/// pinged (and replaced if the database has dropped it, after a restart or
/// a failover); one reused sooner is trusted, as HikariCP trusts a
/// connection used within the last 500 ms.
pub const TRUSTED_IDLE: Duration = Duration::from_secs(1);

/// Opens the database named by `url`.
///
/// SQLite gets WAL, a busy timeout and a single pooled connection: writes
/// are serialized in-process (SQLite allows one writer anyway), so a
/// transaction never fails with "database is locked" halfway through. Its
/// connection lives in this process and cannot be dropped by a server, so
/// it is never pinged before use.
///
/// PostgreSQL gets a pool of up to 32 connections, each pinged before use
/// only when it has been idle for longer than [`TRUSTED_IDLE`].
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .with_context(|| format!("invalid SQLite URL {url}"))?
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await
            .with_context(|| format!("cannot open SQLite database {url}"))?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let options = PgConnectOptions::from_str(url)
            .context("invalid PostgreSQL URL")?
            .disable_statement_logging();
        let pool = PgPoolOptions::new()
            .max_connections(32)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .test_before_acquire(false)
            .before_acquire(|connection, meta| Box::pin(alive_unless_idle(connection, meta)))
            .connect_with(options)
            .await
            .context("cannot connect to the database")?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
    }
}

/// Whether a pooled connection may be handed out: yes if it was used within
/// [`TRUSTED_IDLE`], else if it answers a ping. A connection that does not
/// is closed and the pool takes (or opens) another.
async fn alive_unless_idle(connection: &mut PgConnection, meta: PoolConnectionMetadata) -> Result<bool, sea_orm::sqlx::Error> {
    if meta.idle_for <= TRUSTED_IDLE {
        return Ok(true);
    }
    match connection.ping().await {
        Ok(()) => Ok(true),
        Err(error) => {
            tracing::info!(%error, idle_secs = meta.idle_for.as_secs(), "an idle database connection is gone; replacing it");
            Ok(false)
        }
    }
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("migration failed")
}
