//! Collaboration health (C5): per-department and per-kind figures over
//! tickets moved with the test clock, access rules, and the monthly report
//! on the 1st at 09:00 in the org's time zone.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc, Weekday};
use dealdesk_domain::{monthly_report_time, next_monthly};
use dealdesk_e2e::receiver::{Receiver, SmtpSink};
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app_with, text, time, Session, TestApp, TestOptions};
use serde_json::{json, Value};

const HEALTH: &str = "query($from: DateTime!, $to: DateTime!, $groupBy: CollaborationGroupBy) { collaborationHealth(from: $from, to: $to, groupBy: $groupBy) { group tickets respondedTickets averageFirstResponseMinutes p90FirstResponseMinutes slaAttainment overdueNow reworkRate reworkedTickets deliveredTickets firstPassAcceptanceRate averageSatisfaction } }";

/// What one row should say; `None` means the figure is null.
struct Expect {
    group: &'static str,
    tickets: i64,
    average_first_response: Option<f64>,
    p90_first_response: Option<f64>,
    sla_attainment: Option<f64>,
    overdue_now: i64,
    rework_rate: Option<f64>,
    first_pass: Option<f64>,
    satisfaction: Option<f64>,
}

/// Compares every row and figure (floats to 1e-9), naming what differs.
fn check(rows: &Value, expected: &[Expect]) {
    let rows = rows.as_array().expect("rows");
    let groups: Vec<&str> = rows.iter().map(|row| row["group"].as_str().expect("group")).collect();
    let wanted: Vec<&str> = expected.iter().map(|row| row.group).collect();
    assert_eq!(groups, wanted, "{rows:?}");
    let float = |row: &Value, field: &str, want: Option<f64>| {
        let got = row[field].as_f64();
        let same = match (got, want) {
            (Some(got), Some(want)) => (got - want).abs() < 1e-9,
            (None, None) => row[field].is_null(),
            _ => false,
        };
        assert!(same, "{} {field}: got {}, want {want:?}", row["group"], row[field]);
    };
    for (row, want) in rows.iter().zip(expected) {
        assert_eq!(row["tickets"].as_i64(), Some(want.tickets), "{} tickets", want.group);
        assert_eq!(row["overdueNow"].as_i64(), Some(want.overdue_now), "{} overdueNow", want.group);
        float(row, "averageFirstResponseMinutes", want.average_first_response);
        float(row, "p90FirstResponseMinutes", want.p90_first_response);
        float(row, "slaAttainment", want.sla_attainment);
        float(row, "reworkRate", want.rework_rate);
        float(row, "firstPassAcceptanceRate", want.first_pass);
        float(row, "averageSatisfaction", want.satisfaction);
    }
}

/// The next Monday 10:00 in Shanghai after `after`.
fn next_monday_ten(after: DateTime<Utc>) -> DateTime<Utc> {
    let tz = chrono_tz::Asia::Shanghai;
    let mut date = after.with_timezone(&tz).date_naive() + Duration::days(1);
    while date.weekday() != Weekday::Mon {
        date += Duration::days(1);
    }
    tz.from_local_datetime(&date.and_hms_opt(10, 0, 0).expect("time")).single().expect("instant").with_timezone(&Utc)
}

async fn create(app: &TestApp, session: &Session, input: Value) -> String {
    let response = app.gql_as(session, "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }", json!({ "input": input })).await;
    text(&data(response)["createTicket"]["id"])
}

async fn step(app: &TestApp, session: &Session, mutation: &str, variables: Value) {
    data(app.gql_as(session, mutation, variables).await);
}

async fn start(app: &TestApp, session: &Session, id: &str) {
    step(app, session, "mutation($id: ID!) { startTicket(id: $id) { id } }", json!({ "id": id })).await;
}

async fn deliver(app: &TestApp, session: &Session, id: &str) {
    step(app, session, "mutation($id: ID!) { deliverTicket(id: $id, note: \"结果见附件\") { id } }", json!({ "id": id })).await;
}

async fn reject(app: &TestApp, session: &Session, id: &str) {
    step(app, session, "mutation($id: ID!) { rejectTicket(id: $id, reason: \"缺少细节\") { id } }", json!({ "id": id })).await;
}

async fn accept(app: &TestApp, session: &Session, id: &str, rating: i64) {
    step(app, session, "mutation($id: ID!, $rating: Int!) { acceptTicket(id: $id, rating: $rating) { id } }", json!({ "id": id, "rating": rating })).await;
}

async fn advance_minutes(app: &TestApp, session: &Session, minutes: f64) {
    step(app, session, "mutation($hours: Float!) { advanceTestClock(hours: $hours) }", json!({ "hours": minutes / 60.0 })).await;
}

async fn health(app: &TestApp, session: &Session, from: DateTime<Utc>, to: DateTime<Utc>, group_by: &str) -> Value {
    app.data_as(session, HEALTH, json!({ "from": rfc3339(from), "to": rfc3339(to), "groupBy": group_by })).await["collaborationHealth"].clone()
}

#[tokio::test]
async fn collaboration_health_per_department_and_kind_counts_response_sla_rework_and_satisfaction() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Collab Health").await;
    let tech = app.create_user(&org.admin, "TECH", None, None).await;
    let delivery = app.create_user(&org.admin, "DELIVERY", None, None).await;
    let rep = &org.rep_a;
    let now = time(&app.data_as(&org.admin, "{ testClock }", json!({})).await["testClock"]);
    let monday = next_monday_ten(now);

    // Monday 09:00: a tech assessment before the period; nobody answers it (due 11:00).
    data(app.gql_as(&org.admin, "mutation($at: DateTime!) { setTestClock(at: $at) }", json!({ "at": rfc3339(monday - Duration::hours(1)) })).await);
    create(&app, rep, json!({ "kind": "TECH_ASSESSMENT", "title": "期初的评估" })).await;

    // Monday 10:00, the period starts: four tickets for TECH, two for DELIVERY.
    advance_minutes(&app, &org.admin, 60.0).await;
    let t1 = create(&app, rep, json!({ "kind": "TECH_ASSESSMENT", "title": "接口评估" })).await;
    let t2 = create(&app, rep, json!({ "kind": "TECH_ASSESSMENT", "title": "性能评估" })).await;
    let t3 = create(&app, rep, json!({ "kind": "TECH_ASSESSMENT", "title": "迁移评估" })).await;
    create(&app, rep, json!({ "kind": "REQUIREMENT", "requirementType": "PRODUCT_FEATURE", "title": "新增报表" })).await;
    let d1 = create(&app, rep, json!({ "kind": "DELIVERY_CONFIRMATION", "title": "确认实施方案" })).await;
    let d2 = create(&app, rep, json!({ "kind": "REQUIREMENT", "requirementType": "SERVICE_UPGRADE", "title": "升级服务包" })).await;
    let (from, to) = (monday, monday + Duration::days(1));

    // 10:10 tech answers T1; 10:30 delivery answers D1.
    advance_minutes(&app, &org.admin, 10.0).await;
    start(&app, &tech, &t1).await;
    advance_minutes(&app, &org.admin, 20.0).await;
    start(&app, &delivery, &d1).await;

    // 11:00 T1 is delivered and rejected: rework shows at once; tech answers T2.
    advance_minutes(&app, &org.admin, 30.0).await;
    deliver(&app, &tech, &t1).await;
    reject(&app, rep, &t1).await;
    start(&app, &tech, &t2).await;
    let tech_now = health(&app, &org.manager, from, to, "DEPARTMENT").await;
    let tech_row = tech_now.as_array().expect("rows").iter().find(|row| row["group"] == "TECH").expect("TECH row").clone();
    assert_eq!((tech_row["deliveredTickets"].as_i64(), tech_row["reworkedTickets"].as_i64()), (Some(1), Some(1)), "{tech_row}");
    assert_eq!(tech_row["reworkRate"].as_f64(), Some(1.0), "a rejected delivery counts as rework: {tech_row}");
    // The early ticket breached at 11:00 and is overdue, though created before the period.
    assert_eq!(tech_row["overdueNow"].as_i64(), Some(1), "{tech_row}");

    // 11:30 T1 redelivered and accepted (3), T2 accepted first time (5), D1 accepted (4).
    advance_minutes(&app, &org.admin, 30.0).await;
    deliver(&app, &tech, &t1).await;
    accept(&app, rep, &t1, 3).await;
    deliver(&app, &tech, &t2).await;
    accept(&app, rep, &t2, 5).await;
    deliver(&app, &delivery, &d1).await;
    accept(&app, rep, &d1, 4).await;

    // 12:30: T3 breached at 12:00; tech only now answers it, and it stays running.
    advance_minutes(&app, &org.admin, 60.0).await;
    start(&app, &tech, &t3).await;
    // 14:00: delivery answers the service upgrade slowly.
    advance_minutes(&app, &org.admin, 90.0).await;
    start(&app, &delivery, &d2).await;

    let by_department = health(&app, &org.manager, from, to, "DEPARTMENT").await;
    check(
        &by_department,
        &[
            Expect { group: "DELIVERY", tickets: 2, average_first_response: Some(135.0), p90_first_response: Some(240.0), sla_attainment: Some(1.0), overdue_now: 0, rework_rate: Some(0.0), first_pass: Some(1.0), satisfaction: Some(4.0) },
            Expect { group: "TECH", tickets: 4, average_first_response: Some(220.0 / 3.0), p90_first_response: Some(150.0), sla_attainment: Some(2.0 / 3.0), overdue_now: 2, rework_rate: Some(0.5), first_pass: Some(0.5), satisfaction: Some(4.0) },
        ],
    );
    // The default grouping is by department; admins see the same.
    let default_grouping = app.data_as(&org.admin, "query($from: DateTime!, $to: DateTime!) { collaborationHealth(from: $from, to: $to) { group tickets } }", json!({ "from": rfc3339(from), "to": rfc3339(to) })).await;
    assert_eq!(default_grouping["collaborationHealth"], json!([{ "group": "DELIVERY", "tickets": 2 }, { "group": "TECH", "tickets": 4 }]));

    let by_kind = health(&app, &org.admin, from, to, "KIND").await;
    check(
        &by_kind,
        &[
            Expect { group: "DELIVERY_CONFIRMATION", tickets: 1, average_first_response: Some(30.0), p90_first_response: Some(30.0), sla_attainment: Some(1.0), overdue_now: 0, rework_rate: Some(0.0), first_pass: Some(1.0), satisfaction: Some(4.0) },
            Expect { group: "REQUIREMENT", tickets: 2, average_first_response: Some(240.0), p90_first_response: Some(240.0), sla_attainment: None, overdue_now: 0, rework_rate: None, first_pass: None, satisfaction: None },
            Expect { group: "TECH_ASSESSMENT", tickets: 3, average_first_response: Some(220.0 / 3.0), p90_first_response: Some(150.0), sla_attainment: Some(2.0 / 3.0), overdue_now: 2, rework_rate: Some(0.5), first_pass: Some(0.5), satisfaction: Some(4.0) },
        ],
    );

    // A later period has no tickets, but overdue work shows whenever it was raised.
    let later = health(&app, &org.manager, to, to + Duration::days(1), "DEPARTMENT").await;
    check(
        &later,
        &[Expect { group: "TECH", tickets: 0, average_first_response: None, p90_first_response: None, sla_attainment: None, overdue_now: 2, rework_rate: None, first_pass: None, satisfaction: None }],
    );

    // Only managers and admins; periods are checked.
    let variables = json!({ "from": rfc3339(from), "to": rfc3339(to), "groupBy": "DEPARTMENT" });
    assert_error(&app.gql_as(rep, HEALTH, variables.clone()).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&tech, HEALTH, variables).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&org.manager, HEALTH, json!({ "from": rfc3339(to), "to": rfc3339(from) })).await, "BAD_INPUT", &["to"]);
    assert_error(&app.gql_as(&org.manager, HEALTH, json!({ "from": rfc3339(from - Duration::days(400)), "to": rfc3339(to) })).await, "BAD_INPUT", &["from"]);
}

/// The monthly report emails received so far.
async fn monthly_mails(sink: &SmtpSink) -> Vec<String> {
    sink.wait_for(0, StdDuration::from_secs(1)).await.into_iter().filter(|mail| mail.contains("X-Dealdesk-Event: report.monthly_collaboration")).collect()
}

#[tokio::test]
async fn managers_and_admins_get_one_monthly_collaboration_report_on_the_first_at_nine() {
    let sink = SmtpSink::start().await;
    let hooks = Receiver::start(vec![], "{}").await;
    let app = spawn_app_with(TestOptions { test_clock: true, smtp_url: Some(sink.url.clone()), ..TestOptions::default() }).await;
    let sibling = app.spawn_sibling().await;
    let org = app.sales_org("Collab Monthly").await;
    let tech = app.create_user(&org.admin, "TECH", None, None).await;
    let add = "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }";
    data(app.gql_as(&org.admin, add, json!({ "input": { "kind": "WEBHOOK", "target": format!("{}/monthly", hooks.url), "events": ["report.monthly_collaboration"] } })).await);

    // A tech assessment answered after 15 minutes, delivered and sent back once.
    let now = time(&app.data_as(&org.admin, "{ testClock }", json!({})).await["testClock"]);
    let monday = next_monday_ten(now);
    data(app.gql_as(&org.admin, "mutation($at: DateTime!) { setTestClock(at: $at) }", json!({ "at": rfc3339(monday) })).await);
    let id = create(&app, &org.rep_a, json!({ "kind": "TECH_ASSESSMENT", "title": "月报评估" })).await;
    advance_minutes(&app, &org.admin, 15.0).await;
    start(&app, &tech, &id).await;
    deliver(&app, &tech, &id).await;
    reject(&app, &org.rep_a, &id).await;

    let shanghai = chrono_tz::Asia::Shanghai;
    let first = next_monthly(monday, shanghai, 1, monthly_report_time());
    assert_eq!(first.with_timezone(&shanghai).format("%d %H:%M").to_string(), "01 09:00");

    // A minute before: nothing.
    let set = "mutation($at: DateTime!) { setTestClock(at: $at) }";
    data(app.gql_as(&org.admin, set, json!({ "at": rfc3339(first - Duration::minutes(1)) })).await);
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    assert!(monthly_mails(&sink).await.is_empty());

    // 09:00 on the 1st passes, through the other process.
    data(sibling.gql_as(&org.admin, set, json!({ "at": rfc3339(first + Duration::minutes(1)) })).await);
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    while monthly_mails(&sink).await.len() < 2 {
        assert!(tokio::time::Instant::now() < deadline, "expected two monthly reports");
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
    let received = hooks.wait_for(1, StdDuration::from_secs(20)).await;

    // Both processes keep running: still exactly one per manager and admin, and one for the group.
    data(app.gql_as(&org.admin, "mutation { advanceTestClock(hours: 1) }", json!({})).await);
    tokio::time::sleep(StdDuration::from_secs(2)).await;
    let mails = monthly_mails(&sink).await;
    assert_eq!(mails.len(), 2, "one report each for the admin and the manager");
    for email in [&org.admin.email, &org.manager.email] {
        let count = mails.iter().filter(|mail| mail.contains(&format!("To: {email}"))).count();
        assert_eq!(count, 1, "{email} got {count} reports");
    }
    assert!(!mails.iter().any(|mail| mail.contains(&format!("To: {}", org.rep_a.email))), "reps get no monthly report");
    assert_eq!(hooks.requests().len(), 1, "the group channel gets the report once");
    let body = received[0].json();
    assert_eq!(body["event"], "report.monthly_collaboration");
    let rows = body["data"]["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["group"], "TECH");
    assert_eq!(rows[0]["tickets"], 1);
    assert_eq!(rows[0]["averageFirstResponseMinutes"], 15.0);
    assert_eq!(rows[0]["reworkRate"], 1.0);
    // The period is the previous calendar month, midnight to midnight in Shanghai.
    let period_end = time(&body["data"]["to"]).with_timezone(&shanghai);
    assert_eq!(period_end.format("%d %H:%M").to_string(), "01 00:00");
    assert_eq!(period_end.date_naive(), first.with_timezone(&shanghai).date_naive());
}
