//! The server's connection pool (`dealdesk_server::db::connect`) skips the
//! ping before a statement for a connection used within `TRUSTED_IDLE`
//! (the saving is measured by `make bench`, not here). This checks what must
//! hold all the same: a connection the database dropped while it sat idle is
//! never handed to a statement.
//!
//! SQLite by default; PostgreSQL when `DATABASE_URL` starts with `postgres`
//! (a fresh database is created and dropped), where the database ends every
//! pooled session, as a restart or a failover would.

use std::time::Duration;

use dealdesk_server::db::{connect, TRUSTED_IDLE};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

mod scratch;
use scratch::Scratch;

/// Runs `SELECT 1` through the pool.
async fn select_one(db: &sea_orm::DatabaseConnection) -> Result<i32, sea_orm::DbErr> {
    let row = db
        .query_one(Statement::from_string(db.get_database_backend(), "SELECT 1 AS one"))
        .await?
        .expect("one row");
    row.try_get("", "one")
}

/// Runs `statements` statements, `concurrency` at a time, and counts the failures.
async fn failures(db: &sea_orm::DatabaseConnection, statements: usize, concurrency: usize) -> usize {
    let mut failed = 0;
    for _ in 0..statements / concurrency {
        let results = futures_util::future::join_all((0..concurrency).map(|_| select_one(db))).await;
        failed += results.iter().filter(|result| result.is_err()).count();
    }
    failed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_the_database_dropped_while_idle_is_replaced_not_used() {
    let scratch = Scratch::new("pool").await;
    let db = connect(&scratch.url).await.expect("connect");
    // Open several connections, then let them all go idle in the pool.
    assert_eq!(failures(&db, 64, 8).await, 0);

    if db.get_database_backend() == DbBackend::Postgres {
        // The database ends every session of the pool's database, as a
        // restart or a failover would.
        let name = scratch.url.rsplit('/').next().expect("database name").to_string();
        let admin = Database::connect(std::env::var("DATABASE_URL").expect("DATABASE_URL")).await.expect("admin connection");
        let ended = admin
            .query_all(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
                [name.into()],
            ))
            .await
            .expect("terminate the pool's sessions");
        assert!(!ended.is_empty(), "the pool had open sessions to end");
        admin.close().await.expect("close");
    }

    // Once the connections have been idle for longer than the pool trusts
    // them, each is pinged before use and replaced when gone: no statement
    // fails.
    tokio::time::sleep(TRUSTED_IDLE + Duration::from_millis(500)).await;
    assert_eq!(failures(&db, 64, 8).await, 0, "a statement was handed a dropped connection");
    assert_eq!(select_one(&db).await.expect("select"), 1);

    db.close().await.expect("close the pool");
    scratch.remove().await;
}
