//! E5 under concurrency: two processes running the stuck scan over the same
//! deals at the same moment raise each alert once, with one set of
//! recipients and one message per channel. The scans insert their alerts in
//! batches; the unique `(org_id, open_key)` index decides which insert wins.
//!
//! SQLite by default; PostgreSQL when `DATABASE_URL` starts with `postgres`
//! (a fresh database is created and dropped).

use chrono::{Duration, Utc};
use dealdesk_app::customers::NewCustomer;
use dealdesk_app::deals::NewDeal;
use dealdesk_app::notify::NewChannel;
use dealdesk_app::orgs::{NewUser, SignUp};
use dealdesk_app::{Actor, App, Principal};
use dealdesk_domain::{OrgId, Role, UserId};
use dealdesk_persistence::entities::deals;
use sea_orm::sea_query::Expr;
use sea_orm::{ConnectionTrait, EntityTrait, Statement};

mod scratch;
use scratch::Scratch;

/// Deals left in LEAD, each of which the scan must alert about once.
const DEALS: usize = 240;

async fn count(app: &App, sql: &str) -> i64 {
    count_at(app, sql, 0).await
}

/// The second column of a query of two counts.
async fn count_second(app: &App, sql: &str) -> i64 {
    count_at(app, sql, 1).await
}

async fn count_at(app: &App, sql: &str, column: usize) -> i64 {
    let backend = app.db.get_database_backend();
    let row = app.db.query_one(Statement::from_string(backend, sql.to_string())).await.expect("count query").expect("a row");
    row.try_get_by_index::<i64>(column).expect("a count")
}

#[tokio::test]
async fn two_processes_scanning_at_once_raise_each_alert_once() {
    let scratch = Scratch::new("scans").await;
    let config = scratch.config();
    let first = dealdesk_server::build_app(&config).await.expect("first process");
    let second = dealdesk_server::build_app(&config).await.expect("second process");

    let admin = first
        .sign_up(SignUp { org_name: "Scans".into(), name: "Admin".into(), email: "admin@scans.test".into(), password: "correct-horse-battery".into(), time_zone: None })
        .await
        .expect("sign up")
        .user;
    let principal = Principal { org_id: OrgId::from_uuid(admin.org_id), actor: Actor::User(UserId::from_uuid(admin.id)), role: Role::Admin };
    let user = |email: &str, role: Role, manager: Option<UserId>| NewUser { email: email.into(), name: email.into(), password: "correct-horse-battery".into(), role, team_id: None, manager_id: manager, joined_at: None };
    let manager = first.create_user(&principal, user("manager@scans.test", Role::Manager, None)).await.expect("manager");
    let rep = first.create_user(&principal, user("rep@scans.test", Role::Rep, Some(UserId::from_uuid(manager.id)))).await.expect("rep");
    first
        .add_channel(&principal, NewChannel { kind: dealdesk_notification::ChannelKind::Webhook, name: None, target: "http://127.0.0.1:9/hook".into(), secret: None, events: None })
        .await
        .expect("channel");
    let customer = first.create_customer(&principal, NewCustomer { name: "Scans Customer".into(), ..Default::default() }).await.expect("customer");
    for index in 0..DEALS {
        let deal = NewDeal { title: format!("Deal {index}"), customer_id: dealdesk_domain::CustomerId::from_uuid(customer.id), owner_id: Some(UserId::from_uuid(rep.id)), amount: None, product_line: None, expected_close_date: None, source: None };
        first.create_deal(&principal, deal).await.expect("deal");
    }

    // Past LEAD's 72 h threshold, both processes scan at the same moment.
    let now = Utc::now() + Duration::hours(100);
    let (raised_first, raised_second) = tokio::join!(first.run_stuck_scan(now), second.run_stuck_scan(now));
    let raised = raised_first.expect("first scan") + raised_second.expect("second scan");
    let alerts = count(&first, "SELECT COUNT(*) FROM alerts WHERE kind = 'STAGE_STUCK' AND open_key IS NOT NULL").await;
    let distinct = count(&first, "SELECT COUNT(DISTINCT subject_id) FROM alerts WHERE kind = 'STAGE_STUCK'").await;
    let recipients = count(&first, "SELECT COUNT(*) FROM alert_recipients").await;
    let messages = count(&first, "SELECT COUNT(*) FROM outbox WHERE event = 'alert.raised'").await;
    // A rescan by either process finds nothing new.
    let again = second.run_stuck_scan(now).await.expect("rescan");

    drop((first, second));
    scratch.remove().await;

    let deals = DEALS as i64;
    assert_eq!(raised as i64, deals, "the two scans together raised each alert once");
    assert_eq!((alerts, distinct), (deals, deals), "one open alert per stuck deal");
    assert_eq!(recipients, 2 * deals, "the owner and their manager, once each");
    assert_eq!(messages, deals, "one message per alert for the one channel");
    assert_eq!(again, 0, "a rescan raises nothing");
}

/// More candidates than one batch (500), all entered at the same instant and
/// due at the same instant: the scans page by `(entered_stage_at, id)` and
/// `(next_follow_up_at, id)`, so ties across a page boundary must neither
/// skip nor repeat a deal.
#[tokio::test]
async fn the_scans_page_through_more_deals_than_a_batch_with_equal_timestamps() {
    const MANY: usize = 1_100;
    let scratch = Scratch::new("scan_pages").await;
    let app = dealdesk_server::build_app(&scratch.config()).await.expect("app");
    let admin = app
        .sign_up(SignUp { org_name: "Pages".into(), name: "Admin".into(), email: "admin@pages.test".into(), password: "correct-horse-battery".into(), time_zone: None })
        .await
        .expect("sign up")
        .user;
    let principal = Principal { org_id: OrgId::from_uuid(admin.org_id), actor: Actor::User(UserId::from_uuid(admin.id)), role: Role::Admin };
    let customer = app.create_customer(&principal, NewCustomer { name: "Pages Customer".into(), ..Default::default() }).await.expect("customer");
    for index in 0..MANY {
        let deal = NewDeal { title: format!("Deal {index}"), customer_id: dealdesk_domain::CustomerId::from_uuid(customer.id), owner_id: Some(UserId::from_uuid(admin.id)), amount: None, product_line: None, expected_close_date: None, source: None };
        app.create_deal(&principal, deal).await.expect("deal");
    }
    let now = Utc::now() + Duration::hours(100);
    let at = now - Duration::hours(90);
    deals::Entity::update_many()
        .col_expr(deals::Column::EnteredStageAt, Expr::value(at))
        .col_expr(deals::Column::NextFollowUpAt, Expr::value(Some(at)))
        .col_expr(deals::Column::LastActivityAt, Expr::value(Option::<chrono::DateTime<Utc>>::None))
        .exec(&app.db)
        .await
        .expect("one instant for every deal");

    let stuck = app.run_stuck_scan(now).await.expect("stuck scan");
    // (The follow-up scan's count also holds its escalations to managers.)
    app.run_follow_up_scan(now).await.expect("follow-up scan");
    let alerts = |kind: &str| format!("SELECT COUNT(*), COUNT(DISTINCT subject_id) FROM alerts WHERE kind = '{kind}'");
    let (stuck_alerts, stuck_deals) = (count(&app, &alerts("STAGE_STUCK")).await, count_second(&app, &alerts("STAGE_STUCK")).await);
    let (overdue, overdue_deals) = (count(&app, &alerts("FOLLOW_UP_OVERDUE")).await, count_second(&app, &alerts("FOLLOW_UP_OVERDUE")).await);
    let (stuck_again, overdue_again) = (app.run_stuck_scan(now).await.expect("rescan"), app.run_follow_up_scan(now).await.expect("rescan"));

    drop(app);
    scratch.remove().await;

    let many = MANY as i64;
    assert_eq!((i64::from(stuck), stuck_alerts, stuck_deals), (many, many, many), "every stuck deal alerted once across the pages");
    assert_eq!((overdue, overdue_deals), (many, many), "every overdue follow-up alerted once across the pages");
    assert_eq!((stuck_again, overdue_again), (0, 0), "rescans raise nothing");
}
