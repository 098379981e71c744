//! Round-trips rows through the entities against the migrated schema, proving
//! entity column names and types match `dealdesk-migration`.

use chrono::{TimeZone, Utc};
use dealdesk_migration::{Migrator, MigratorTrait};
use dealdesk_persistence::entities::{audit_log, deals};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, IntoActiveModel,
    Statement,
};
use uuid::Uuid;

async fn round_trip(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrate");
    let org = Uuid::new_v4();
    let t0 = Utc
        .with_ymd_and_hms(2026, 11, 27, 9, 30, 15)
        .single()
        .expect("time");

    let deal = deals::Model {
        id: Uuid::new_v4(),
        org_id: org,
        title: "Fleet renewal".into(),
        customer_id: Uuid::new_v4(),
        owner_id: Uuid::new_v4(),
        created_by: Uuid::new_v4(),
        stage: "qualified".into(),
        amount_cents: Some(12_345_600),
        currency: Some("CNY".into()),
        product_line: None,
        expected_close_date: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
        source: Some("referral".into()),
        core_need: Some("Replace aging trucks".into()),
        decision_role: None,
        contact_id: Some(Uuid::new_v4()),
        next_follow_up_at: Some(t0 + chrono::Duration::days(2)),
        lost_reason: None,
        entered_stage_at: t0,
        last_activity_at: None,
        created_at: t0,
        updated_at: t0,
    };
    deal.clone()
        .into_active_model()
        .insert(db)
        .await
        .expect("insert deal");
    let got = deals::Entity::find_by_id(deal.id)
        .one(db)
        .await
        .expect("find deal");
    assert_eq!(got, Some(deal));

    let entry = audit_log::Model {
        id: Uuid::new_v4(),
        org_id: org,
        actor_kind: "user".into(),
        actor_id: Some(Uuid::new_v4()),
        action: "deal.update".into(),
        entity_type: "deal".into(),
        entity_id: Some(Uuid::new_v4()),
        before: Some(serde_json::json!({"stage": "lead"})),
        after: Some(serde_json::json!({"stage": "qualified", "n": 3})),
        at: t0,
        request_id: None,
    };
    entry
        .clone()
        .into_active_model()
        .insert(db)
        .await
        .expect("insert audit");
    let got = audit_log::Entity::find_by_id(entry.id)
        .one(db)
        .await
        .expect("find audit");
    assert_eq!(got, Some(entry));
}

#[tokio::test]
async fn sqlite_entities_round_trip() {
    let db = Database::connect("sqlite::memory:")
        .await
        .expect("connect sqlite");
    round_trip(&db).await;
}

#[tokio::test]
async fn postgres_entities_round_trip() {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        return;
    };
    if !url.starts_with("postgres") {
        return;
    }
    let admin = Database::connect("postgres://postgres@127.0.0.1/postgres")
        .await
        .expect("connect maintenance db");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock")
        .as_nanos();
    let name = format!("dealdesk_enttest_{}_{}", std::process::id(), nanos);
    let exec = |sql: String| Statement::from_string(admin.get_database_backend(), sql);
    admin
        .execute(exec(format!("CREATE DATABASE \"{name}\"")))
        .await
        .expect("create db");
    let db = Database::connect(format!("postgres://postgres@127.0.0.1/{name}"))
        .await
        .expect("connect fresh db");
    round_trip(&db).await;
    db.close().await.expect("close");
    admin
        .execute(exec(format!(
            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
        )))
        .await
        .expect("drop db");
}
