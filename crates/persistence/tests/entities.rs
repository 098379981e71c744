//! Round-trips rows through the entities against the migrated schema, proving
//! entity column names and types match `dealdesk-migration`.

use chrono::{DateTime, TimeZone, Utc};
use dealdesk_migration::{Migrator, MigratorTrait};
use dealdesk_domain::OrgId;
use dealdesk_persistence::contracts as contract_repo;
use dealdesk_persistence::entities::{audit_log, deals, risk_thresholds};
use dealdesk_persistence::rows::{self, ByPosition, Checked, Picked};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, Database, DatabaseConnection, DbBackend, EntityTrait,
    IntoActiveModel, QueryFilter, Statement,
};
use uuid::Uuid;

/// The deal read by column position equals the one written (its NULLs
/// included), read from picked columns it holds those and defaults, and a column of another type is refused rather than decoded,
/// even when the first row's value is NULL.
async fn read_by_position(db: &DatabaseConnection, deal: &deals::Model) {
    let got = rows::all(db, deals::Entity::find().filter(deals::Column::Id.eq(deal.id)))
        .await
        .expect("read by position");
    assert_eq!(got, vec![deal.clone()]);

    let backend = db.get_database_backend();
    // Some columns: those picked are read, the others left at their default.
    let picked = Picked::of::<deals::Entity>(&[deals::Column::Title, deals::Column::AmountCents, deals::Column::NextFollowUpAt]);
    let sql = format!("SELECT {} FROM deals WHERE id = $1", deals::Model::picked_select_list(backend, picked));
    let found = db.query_all(Statement::from_sql_and_values(backend, sql, [deal.id.into()])).await.expect("query");
    let checked = Checked::new(&found, |columns| deals::Model::check_picked_at(columns, 0, picked)).expect("the picked columns' types");
    let partial: Vec<deals::Model> = checked.iter().map(|row| deals::Model::read_picked_at(&row, 0, picked)).collect::<Result<_, _>>().expect("read");
    let expected = deals::Model {
        title: deal.title.clone(),
        amount_cents: deal.amount_cents,
        next_follow_up_at: deal.next_follow_up_at,
        ..deals::Model {
            id: Uuid::nil(),
            org_id: Uuid::nil(),
            title: String::new(),
            customer_id: Uuid::nil(),
            owner_id: Uuid::nil(),
            created_by: Uuid::nil(),
            stage: String::new(),
            amount_cents: None,
            currency: None,
            product_line: None,
            expected_close_date: None,
            source: None,
            core_need: None,
            decision_role: None,
            contact_id: None,
            next_follow_up_at: None,
            lost_reason: None,
            entered_stage_at: DateTime::<Utc>::default(),
            last_activity_at: None,
            created_at: DateTime::<Utc>::default(),
            updated_at: DateTime::<Utc>::default(),
        }
    };
    assert_eq!(partial, vec![expected]);

    let read = |sql: &str| {
        let sql = sql.to_string();
        async move {
            let found = db.query_all(Statement::from_string(backend, sql)).await.expect("query");
            let checked = Checked::new(&found, |columns| deals::Model::check_at(columns, 0))?;
            checked.iter().map(|row| deals::Model::read_at(&row, 0)).collect::<Result<Vec<_>, _>>()
        }
    };
    let error = read("SELECT 42 AS id").await.expect_err("an integer is not a deal id");
    if backend == DbBackend::Postgres {
        assert!(error.to_string().contains("column 0 (id)"), "{error}");
    }

    if backend == DbBackend::Postgres {
        // Checked against the column, not the value: the NULL in the first
        // row does not let the second row's integer through.
        let found = db
            .query_all(Statement::from_string(backend, "SELECT CAST(NULL AS integer) AS contact_id UNION ALL SELECT 7"))
            .await
            .expect("query");
        let error = Checked::new(&found, |columns| columns.check(0, |deal: &deals::Model| &deal.contact_id))
            .err()
            .expect("an integer column is not a contact id");
        assert!(error.to_string().contains("contact_id"), "{error}");
    }
}

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
    assert_eq!(got, Some(deal.clone()));
    read_by_position(db, &deal).await;

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

    threshold_recompute_lease(db, t0).await;
}

/// A thresholds row round-trips, and its recompute lease is taken once,
/// taken over only after it expires, and finished only by its holder for
/// the current version.
async fn threshold_recompute_lease(db: &DatabaseConnection, t0: chrono::DateTime<Utc>) {
    let org = OrgId::from_uuid(Uuid::new_v4());
    let row = risk_thresholds::Model {
        org_id: org.into_uuid(),
        red_cumulative_overdue_days: 4,
        red_overdue_share_basis_points: 750,
        on_time_rate_basis_points: 9_500,
        window_months: 6,
        cumulative_window_days: 365,
        version: 2,
        recomputed_version: 1,
        recompute_holder: Some("a".into()),
        recompute_lease_until: Some(t0 + chrono::Duration::minutes(5)),
        updated_by: Some(Uuid::new_v4()),
        updated_at: t0,
    };
    contract_repo::save_thresholds(db, row.clone()).await.expect("save thresholds");
    assert_eq!(contract_repo::thresholds(db, org).await.expect("thresholds"), Some(row.clone()));
    let lease = t0 + chrono::Duration::minutes(10);

    // While a's lease runs nobody else takes it and the job finds nothing to resume.
    assert!(!contract_repo::claim_threshold_recompute(db, org, 2, "b", t0, lease).await.expect("claim"));
    assert!(contract_repo::unfinished_threshold_recomputes(db, t0).await.expect("unfinished").is_empty());
    // Once it expires, the job sees it and one process takes it over.
    let later = t0 + chrono::Duration::minutes(6);
    assert_eq!(contract_repo::unfinished_threshold_recomputes(db, later).await.expect("unfinished"), [(org.into_uuid(), 2)]);
    assert!(!contract_repo::claim_threshold_recompute(db, org, 1, "b", later, lease).await.expect("claim"), "an old version is not claimed");
    assert!(contract_repo::claim_threshold_recompute(db, org, 2, "b", later, lease).await.expect("claim"));
    assert!(!contract_repo::claim_threshold_recompute(db, org, 2, "c", later, lease).await.expect("claim"));
    // Only the holder finishes it; then nothing is left to do.
    assert!(!contract_repo::finish_threshold_recompute(db, org, 2, "a").await.expect("finish"));
    assert!(contract_repo::finish_threshold_recompute(db, org, 2, "b").await.expect("finish"));
    let done = contract_repo::thresholds(db, org).await.expect("thresholds").expect("row");
    assert_eq!((done.recomputed_version, done.recompute_holder, done.recompute_lease_until), (2, None, None));
    assert!(contract_repo::unfinished_threshold_recomputes(db, later).await.expect("unfinished").is_empty());
    assert!(!contract_repo::claim_threshold_recompute(db, org, 2, "c", later, lease).await.expect("claim"), "a finished version is not claimed again");
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
