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

/// The analytics migration (000012) fills `from_stage_entered_at` of
/// existing transitions from each deal's previous transition.
async fn backfill(db: &DatabaseConnection) {
    let analytics = Migrator::migrations().iter().position(|migration| migration.name().contains("000012_analytics")).expect("the analytics migration");
    let before = u32::try_from(analytics).expect("few migrations");
    Migrator::up(db, Some(before)).await.expect("migrate up to the analytics migration");
    let org = "00000000-0000-0000-0000-00000000000a";
    let rows = [
        // (id, deal, from, to, at): deal 1 moves twice (two at the same instant, ordered by id), deal 2 once.
        ("00000000-0000-0000-0000-000000000001", "1", None, "LEAD", "2026-03-01 08:00:00+00:00"),
        ("00000000-0000-0000-0000-000000000002", "1", Some("LEAD"), "DEMO", "2026-03-01 10:00:00+00:00"),
        ("00000000-0000-0000-0000-000000000003", "1", Some("DEMO"), "QUOTE", "2026-03-01 10:00:00+00:00"),
        ("00000000-0000-0000-0000-000000000004", "2", None, "LEAD", "2026-03-02 08:00:00+00:00"),
        ("00000000-0000-0000-0000-000000000005", "2", Some("LEAD"), "LOST", "2026-03-03 09:30:00+00:00"),
    ];
    for (id, deal, from, to, at) in rows {
        let from = from.map_or("NULL".to_string(), |stage| format!("'{stage}'"));
        let sql = format!(
            "INSERT INTO deal_transitions (id, org_id, deal_id, from_stage, to_stage, actor_kind, at, forward_skips, backward) \
             VALUES ('{id}', '{org}', '00000000-0000-0000-0000-00000000d00{deal}', {from}, '{to}', 'USER', '{at}', 0, FALSE)"
        );
        db.execute_unprepared(&sql).await.expect("insert a transition");
    }
    Migrator::up(db, None).await.expect("migrate up");
    let expected = [("2", Some("1")), ("3", Some("2")), ("5", Some("4")), ("1", None), ("4", None)];
    for (id, previous) in expected {
        let id = format!("00000000-0000-0000-0000-00000000000{id}");
        let condition = match previous {
            Some(previous) => format!("from_stage_entered_at = (SELECT p.at FROM deal_transitions p WHERE p.id = '00000000-0000-0000-0000-00000000000{previous}')"),
            None => "from_stage_entered_at IS NULL".to_string(),
        };
        let sql = format!("SELECT COUNT(*) AS n FROM deal_transitions WHERE id = '{id}' AND {condition}");
        let row = db
            .query_one(Statement::from_string(db.get_database_backend(), sql))
            .await
            .expect("query")
            .expect("a row");
        let n: i64 = row.try_get("", "n").expect("a count");
        assert_eq!(n, 1, "transition {id}: expected {condition}");
    }
}

#[tokio::test]
async fn sqlite_up_down_up() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect sqlite");
    cycle(&db).await;
}

#[tokio::test]
async fn sqlite_analytics_backfill() {
    let db = Database::connect("sqlite::memory:").await.expect("connect sqlite");
    backfill(&db).await;
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

    let backfilled = format!("{name}_backfill");
    admin.execute(exec(format!("CREATE DATABASE \"{backfilled}\""))).await.expect("create db");
    let db = Database::connect(format!("postgres://postgres@127.0.0.1/{backfilled}")).await.expect("connect fresh db");
    backfill(&db).await;
    db.close().await.expect("close");
    admin.execute(exec(format!("DROP DATABASE IF EXISTS \"{backfilled}\" WITH (FORCE)"))).await.expect("drop db");
}
