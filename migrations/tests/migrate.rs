//! Runs the migrations up, down and up again on SQLite and (when
//! `DATABASE_URL` points at PostgreSQL) on a fresh PostgreSQL database.

use dealdesk_migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

async fn cycle(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrate up");
    assert_eq!(
        Migrator::get_pending_migrations(db)
            .await
            .expect("pending")
            .len(),
        0
    );
    Migrator::down(db, None).await.expect("migrate down");
    assert_eq!(
        Migrator::get_applied_migrations(db)
            .await
            .expect("applied")
            .len(),
        0
    );
    Migrator::up(db, None).await.expect("migrate up again");
    assert_eq!(
        Migrator::get_applied_migrations(db)
            .await
            .expect("applied")
            .len(),
        Migrator::migrations().len()
    );
}

#[tokio::test]
async fn sqlite_up_down_up() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect sqlite");
    cycle(&db).await;
}

#[tokio::test]
async fn postgres_up_down_up() {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        return;
    };
    if !url.starts_with("postgres") {
        return;
    }
    let admin_url = "postgres://postgres@127.0.0.1/postgres";
    let admin = Database::connect(admin_url)
        .await
        .expect("connect maintenance db");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let name = format!("dealdesk_migtest_{}_{}", std::process::id(), nanos);
    let exec = |sql: String| Statement::from_string(admin.get_database_backend(), sql);
    admin
        .execute(exec(format!("CREATE DATABASE \"{name}\"")))
        .await
        .expect("create db");

    let db = Database::connect(format!("postgres://postgres@127.0.0.1/{name}"))
        .await
        .expect("connect fresh db");
    cycle(&db).await;
    db.close().await.expect("close");

    admin
        .execute(exec(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .await
        .expect("drop db");
}
