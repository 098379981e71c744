//! R7 at scale: the monthly collection reports job reads the org's figures
//! once per receivable owner and sums them per manager. Over a generated
//! small org (`dealdesk seed --org-size small`), every manager's stored
//! report must equal what `collectionReport` computes for that manager
//! alone (the per-scope SQL), and the org-wide one what FINANCE sees.
//!
//! SQLite by default; PostgreSQL when `DATABASE_URL` starts with `postgres`.

use std::collections::HashSet;
use std::process::Command;

use chrono::{DateTime, Utc};
use dealdesk_app::clock::AppClock;
use dealdesk_app::collection_report::{report_json, MONTHLY_COLLECTION};
use dealdesk_app::{Actor, Principal};
use dealdesk_domain::{OrgId, Role, UserId};
use dealdesk_persistence::entities::{reports, users};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

mod scratch;
use scratch::Scratch;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_managers_monthly_collection_report_equals_their_own_collection_report() {
    let scratch = Scratch::new("collection_reports").await;
    // Mid-November: October's reports are due (the 1st, 09:00 in Shanghai, has passed).
    let as_of = "2026-11-15T02:00:00Z";
    let now: DateTime<Utc> = as_of.parse().expect("as-of");
    let seeded = Command::new(env!("CARGO_BIN_EXE_dealdesk"))
        .args(["seed", "--org-size", "small", "--seed", "11", "--as-of", as_of])
        .env("DATABASE_URL", &scratch.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run dealdesk seed");
    assert!(seeded.status.success(), "seed failed: {}{}", String::from_utf8_lossy(&seeded.stdout), String::from_utf8_lossy(&seeded.stderr));

    let app = dealdesk_server::build_app_with_clock(&scratch.config(), AppClock::test(now)).await.expect("app");
    let made = app.run_monthly_collection_reports(now).await.expect("monthly collection reports");
    assert!(made > 0, "no report was made");

    let people = users::Entity::find().all(&app.db).await.expect("users");
    let stored = reports::Entity::find().filter(reports::Column::Kind.eq(MONTHLY_COLLECTION)).all(&app.db).await.expect("reports");
    let mut managers = 0;
    let mut with_overdue = 0;
    let mut distinct = HashSet::new();
    for report in &stored {
        let person = people.iter().find(|person| person.id == report.user_id).expect("the report's recipient");
        let role = Role::parse(&person.role).expect("role");
        let principal = Principal { org_id: OrgId::from_uuid(person.org_id), actor: Actor::User(UserId::from_uuid(person.id)), role };
        let own = app.collection_report(&principal, "2026-10", None).await.expect("collection report");
        let expected = report_json(&own, now);
        assert_eq!(report.content, expected, "{} ({}): the job's report differs from their own collection report", person.email, person.role);
        if role == Role::Manager {
            managers += 1;
            with_overdue += usize::from(report.content["topOverdueCustomers"].as_array().is_some_and(|rows| !rows.is_empty()));
            distinct.insert(report.content["topOverdueCustomers"].to_string());
        }
    }
    let expected_managers = people.iter().filter(|person| person.active && person.role == Role::Manager.as_str()).count();
    assert_eq!(managers, expected_managers, "every active manager got a report");
    assert!(managers >= 3 && with_overdue >= 2 && distinct.len() >= 2, "the org should give managers different, non-empty reports ({managers} managers, {with_overdue} with overdue customers, {} distinct)", distinct.len());
    assert!(stored.iter().any(|report| report.content["scope"] == "ORG"), "FINANCE and admins get the org-wide report");

    drop(app);
    scratch.remove().await;
}
