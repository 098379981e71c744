//! `dealdesk seed --org-size`: generated organizations are deterministic for
//! a seed, and the API reads them like any other org.

use chrono::{DateTime, Utc};
use dealdesk_e2e::{data, spawn_app, text, time, ScratchDatabase};
use dealdesk_seed::{GenerateOptions, OrgSize, SeedError, TableChecksum};
use serde_json::{json, Value};

fn small(seed: u64) -> GenerateOptions {
    GenerateOptions { size: OrgSize::Small, orgs: 1, seed, as_of: DateTime::parse_from_rfc3339(dealdesk_seed::DEFAULT_AS_OF).expect("the default as-of is RFC 3339").with_timezone(&Utc) }
}

/// On PostgreSQL, every index and constraint of the schema with its
/// definition (the loader drops and rebuilds some of them); on SQLite none.
async fn indexes_and_constraints(db: &sea_orm::DatabaseConnection) -> Vec<String> {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return Vec::new();
    }
    let sql = "SELECT indexdef AS d FROM pg_indexes WHERE schemaname = current_schema() \
               UNION ALL SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = current_schema()::regnamespace \
               ORDER BY 1";
    let rows = db.query_all(Statement::from_string(DatabaseBackend::Postgres, sql)).await.expect("read the catalog");
    rows.iter().map(|row| row.try_get::<String>("", "d").expect("a definition")).collect()
}

/// Loads a small org with `seed` into a fresh database; returns the database and its checksums.
async fn load(seed: u64) -> (ScratchDatabase, Vec<TableChecksum>) {
    let scratch = ScratchDatabase::new().await;
    let db = dealdesk_server::db::connect(&scratch.url).await.expect("connect");
    dealdesk_server::db::migrate(&db).await.expect("migrate");
    let migrated = indexes_and_constraints(&db).await;
    let summary = dealdesk_seed::seed(&db, &small(seed)).await.expect("generate and load");
    // On PostgreSQL an empty database is loaded with its indexes
    // built afterwards: all of them are back, as defined.
    assert_eq!(indexes_and_constraints(&db).await, migrated, "the schema's indexes and constraints after the load");
    if sea_orm::ConnectionTrait::get_database_backend(&db) == sea_orm::DatabaseBackend::Postgres {
        let rebuilt = summary.rebuilt.expect("an empty PostgreSQL database is loaded without its indexes");
        assert!(rebuilt.indexes > 20, "{rebuilt:?}");
    }
    let checksums = dealdesk_seed::table_checksums(&db).await.expect("read back");
    // What the loader reported is what the database holds.
    let loaded: Vec<(String, u64)> = checksums.iter().map(|table| (table.table.to_string(), table.rows)).collect();
    assert_eq!(loaded, summary.tables);
    // Loading the same org again is refused, not half-done.
    let again = dealdesk_seed::seed(&db, &small(seed)).await;
    assert!(matches!(again, Err(SeedError::Refused(_))), "{again:?}");
    db.close().await.expect("close");
    (scratch, checksums)
}

#[tokio::test]
async fn the_same_seed_loads_identical_rows_and_another_seed_different_ones() {
    let (first_db, first) = load(42).await;
    let (_again_db, again) = load(42).await;
    let (_other_db, other) = load(43).await;
    let rows = |checksums: &[TableChecksum], table: &str| checksums.iter().find(|sum| sum.table == table).map(|sum| sum.rows).unwrap();
    assert_eq!(rows(&first, "deals"), 5_000);
    assert_eq!(rows(&first, "customers"), 1_000);
    assert_eq!(rows(&first, "users"), 63);
    assert!(rows(&first, "deal_transitions") > 15_000 && rows(&first, "activities") > 20_000, "{first:?}");
    for table in ["tickets", "ticket_events", "contracts", "receivables", "payments", "customer_risk", "risk_tier_changes", "deal_assignments"] {
        assert!(rows(&first, table) > 0, "no {table}: {first:?}");
    }
    assert_eq!(first, again, "the same seed must give the same rows");
    for (mine, theirs) in first.iter().zip(&other) {
        assert_ne!(mine.sha256, theirs.sha256, "{} is the same for seeds 42 and 43", mine.table);
    }
    // Another org beside the first loads with the indexes in place.
    let db = dealdesk_server::db::connect(&first_db.url).await.expect("connect");
    let beside = dealdesk_seed::seed(&db, &small(43)).await.expect("load beside another org");
    assert_eq!(beside.rebuilt, None, "a database with deals keeps its indexes during a load");
    let both = dealdesk_seed::table_checksums(&db).await.expect("read back");
    for ((mine, theirs), sum) in first.iter().zip(&other).zip(&both) {
        assert_eq!(sum.rows, mine.rows + theirs.rows, "{}", sum.table);
    }
    db.close().await.expect("close");
}

const DEALS: &str = "query($filter: DealFilterInput) {
  deals(filter: $filter, first: 20) {
    totalCount
    edges { node {
      id stage enteredStageAt nextFollowUpAt lastActivityAt amount { amount currency }
      owner { email }
      customer { name creditCode industry region }
      transitions { fromStage toStage at forwardSkips backward }
      contracts { status }
      timeline(first: 100) { totalCount edges { node { __typename } } }
    } }
  }
}";

fn total(response: &Value) -> u64 {
    response["deals"]["totalCount"].as_u64().unwrap_or_else(|| panic!("no totalCount: {response}"))
}

#[tokio::test]
async fn the_api_reads_a_generated_org_in_each_users_scope() {
    let app = spawn_app().await;
    let db = dealdesk_server::db::connect(app.database_url()).await.unwrap();
    let summary = dealdesk_seed::seed(&db, &small(7)).await.unwrap();
    db.close().await.unwrap();
    let login = |role: &str| summary.logins.iter().find(|login| login.role.as_str() == role).map(|login| login.email.clone()).unwrap();
    let admin = app.login_ok_with(&login("ADMIN"), dealdesk_seed::PASSWORD).await;
    let manager = app.login_ok_with(&login("MANAGER"), dealdesk_seed::PASSWORD).await;
    let rep = app.login_ok_with(&login("REP"), dealdesk_seed::PASSWORD).await;

    // Scopes: the org, the manager's team, the rep's own deals.
    let everything = data(app.gql_as(&admin, DEALS, json!({ "filter": null })).await);
    let team = data(app.gql_as(&manager, DEALS, json!({ "filter": null })).await);
    let own = data(app.gql_as(&rep, DEALS, json!({ "filter": null })).await);
    assert_eq!(total(&everything), 5_000);
    assert!(total(&own) > 0 && total(&own) < total(&team) && total(&team) < 5_000, "rep {} team {}", total(&own), total(&team));
    for edge in own["deals"]["edges"].as_array().unwrap() {
        assert_eq!(edge["node"]["owner"]["email"], rep.email.as_str());
    }

    // Each deal's stage is its last transition's target, entered when that transition happened.
    for edge in team["deals"]["edges"].as_array().unwrap() {
        let deal = &edge["node"];
        let transitions = deal["transitions"].as_array().unwrap();
        let last = transitions.last().unwrap_or_else(|| panic!("no transitions: {deal}"));
        assert_eq!(last["toStage"], deal["stage"]);
        assert_eq!(time(&last["at"]), time(&deal["enteredStageAt"]));
        assert_eq!(transitions[0]["fromStage"], Value::Null);
        assert_eq!(transitions[0]["toStage"], "LEAD");
        let timeline = &deal["timeline"];
        assert!(timeline["totalCount"].as_u64().unwrap() >= transitions.len() as u64, "{deal}");
        assert!(text(&deal["customer"]["name"]).ends_with("公司"), "{deal}");
        assert_eq!(text(&deal["customer"]["creditCode"]).len(), 18);
        if deal["stage"] == "WON" {
            assert!(deal["contracts"].as_array().unwrap().iter().any(|contract| contract["status"] == "APPROVED"), "{deal}");
        }
    }

    // Open, won and lost deals, and some stuck ones (the wall clock is past the data's as-of moment).
    for (filter, at_least) in [(json!({ "open": true }), 500), (json!({ "stage": "WON" }), 100), (json!({ "stage": "LOST" }), 500), (json!({ "stuck": true }), 1)] {
        let found = total(&data(app.gql_as(&admin, DEALS, json!({ "filter": filter })).await));
        assert!(found >= at_least, "{filter}: {found}");
    }

    // Money and collaboration: the risk center and the tickets are there.
    let risk = data(app.gql_as(&admin, "{ riskCenter { customer { name } } }", json!(null)).await);
    assert!(!risk["riskCenter"].as_array().unwrap().is_empty(), "{risk}");
    let tickets = data(app.gql_as(&admin, "{ tickets(first: 5) { totalCount edges { node { number status } } } }", json!(null)).await);
    assert!(tickets["tickets"]["totalCount"].as_u64().unwrap() > 100, "{tickets}");
    assert!(text(&tickets["tickets"]["edges"][0]["node"]["number"]).contains('-'));
}

#[tokio::test]
async fn a_load_that_fails_leaves_nothing_behind() {
    use sea_orm::{ConnectionTrait, Statement};
    let scratch = ScratchDatabase::new().await;
    let db = dealdesk_server::db::connect(&scratch.url).await.unwrap();
    dealdesk_server::db::migrate(&db).await.unwrap();
    let backend = db.get_database_backend();
    // Another org already has one of the logins the generator will write.
    let now = Utc::now();
    db.execute(Statement::from_sql_and_values(
        backend,
        "INSERT INTO users (id, org_id, email, name, password_hash, role, team_id, manager_id, joined_at, active, created_at) VALUES ($1, $2, $3, 'x', 'x', 'REP', NULL, NULL, $4, $5, $6)",
        [uuid::Uuid::new_v4().into(), uuid::Uuid::new_v4().into(), "rep1@small-s42-o1.dealdesk.test".into(), now.into(), true.into(), now.into()],
    ))
    .await
    .unwrap();
    let migrated = indexes_and_constraints(&db).await;
    let failed = dealdesk_seed::seed(&db, &small(42)).await;
    assert!(matches!(failed, Err(SeedError::Database(_) | SeedError::Sqlx(_))), "{failed:?}");
    // The indexes dropped for the load came back with the rollback.
    assert_eq!(indexes_and_constraints(&db).await, migrated);
    for (table, expected) in [("orgs", 0), ("users", 1), ("customers", 0), ("deals", 0), ("activities", 0), ("tickets", 0)] {
        let row = db.query_one(Statement::from_string(backend, format!("SELECT COUNT(*) AS n FROM {table}"))).await.unwrap().unwrap();
        assert_eq!(row.try_get::<i64>("", "n").unwrap(), expected, "{table}");
    }
    db.close().await.unwrap();
}
