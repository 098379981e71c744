//! The collaboration center (C1–C4): numbered tickets, their life-cycle,
//! the SLA clock over the business calendar, and SLA alerts.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use dealdesk_e2e::receiver::Receiver;
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app, spawn_app_with, text, time, SalesOrg, Session, TestApp, TestOptions};
use serde_json::{json, Value};

const TICKET_FIELDS: &str = "id number sequence kind status color dueAt remainingMinutes department reworkCount rating assignee { id } requester { id } deal { id } history { action fromStatus toStatus note rating actor { id } }";

async fn create(app: &TestApp, session: &Session, input: Value) -> Value {
    app.gql_as(session, &format!("mutation($input: CreateTicketInput!) {{ createTicket(input: $input) {{ {TICKET_FIELDS} }} }}"), json!({ "input": input })).await
}

async fn step(app: &TestApp, session: &Session, mutation: &str, args: &str, variables: Value) -> Value {
    app.gql_as(session, &format!("mutation($id: ID!{args}) {{ {mutation} {{ {TICKET_FIELDS} }} }}"), variables).await
}

async fn ticket(app: &TestApp, session: &Session, id: &str) -> Value {
    app.data_as(session, &format!("query($id: ID!) {{ ticket(id: $id) {{ {TICKET_FIELDS} }} }}"), json!({ "id": id })).await["ticket"].clone()
}

async fn tech_user(app: &TestApp, org: &SalesOrg) -> Session {
    app.create_user(&org.admin, "TECH", None, None).await
}

#[tokio::test]
async fn a_tech_assessment_runs_its_life_cycle_with_rework_and_rating() {
    let app = spawn_app().await;
    let org = app.sales_org("Ticket Life").await;
    let tech = tech_user(&app, &org).await;
    let (_, deal) = app.customer_with_deal(&org.rep_a, "Wuxi Solar").await;

    let created = data(create(&app, &org.rep_a, json!({ "kind": "TECH_ASSESSMENT", "dealId": deal, "title": "评估光伏监控接口", "details": "需要对接 Modbus" })).await)["createTicket"].clone();
    assert_eq!(created["number"], "TA-000001");
    assert_eq!(created["status"], "OPEN");
    assert_eq!(created["color"], "GREEN");
    assert_eq!(created["department"], "TECH");
    assert!(created["assignee"].is_null(), "routed to the TECH queue");
    assert_eq!(created["deal"]["id"], deal.as_str());
    let id = text(&created["id"]);

    // Tech sees it in the queue; the rep sees it under "my requests".
    let queue = app.data_as(&tech, "{ tickets(filter: { scope: MY_QUEUE }) { totalCount edges { node { number } } } }", json!({})).await;
    assert_eq!(queue["tickets"]["totalCount"], 1);
    let requests = app.data_as(&org.rep_a, "{ tickets(filter: { scope: MY_REQUESTS }) { totalCount } }", json!({})).await;
    assert_eq!(requests["tickets"]["totalCount"], 1);
    assert_error(&app.gql_as(&org.rep_b, "query($id: ID!) { ticket(id: $id) { id } }", json!({ "id": id })).await, "NOT_FOUND", &[]);

    // Only the assignee (or its queue) delivers; only the requester decides.
    assert_error(&step(&app, &org.rep_a, "deliverTicket(id: $id, note: $note)", ", $note: String", json!({ "id": id, "note": "自己交付" })).await, "FORBIDDEN", &[]);
    data(step(&app, &tech, "startTicket(id: $id)", "", json!({ "id": id })).await);
    let delivered = data(step(&app, &tech, "deliverTicket(id: $id, note: $note)", ", $note: String", json!({ "id": id, "note": "方案见附件" })).await)["deliverTicket"].clone();
    assert_eq!(delivered["status"], "DELIVERED");
    assert!(delivered["dueAt"].is_null(), "the clock pauses while the requester decides");
    assert_eq!(delivered["assignee"]["id"], tech.user_id.as_str());
    assert_error(&step(&app, &tech, "acceptTicket(id: $id, rating: 5)", "", json!({ "id": id })).await, "FORBIDDEN", &[]);
    assert_error(&step(&app, &org.rep_a, "rejectTicket(id: $id, reason: $reason)", ", $reason: String!", json!({ "id": id, "reason": " " })).await, "BAD_INPUT", &["reason"]);
    let rejected = data(step(&app, &org.rep_a, "rejectTicket(id: $id, reason: $reason)", ", $reason: String!", json!({ "id": id, "reason": "缺少接口时序图" })).await)["rejectTicket"].clone();
    assert_eq!(rejected["status"], "IN_PROGRESS");
    assert_eq!(rejected["reworkCount"], 1);
    assert!(!rejected["dueAt"].is_null(), "the clock runs again");
    data(step(&app, &tech, "deliverTicket(id: $id, note: $note)", ", $note: String", json!({ "id": id, "note": "补充了时序图" })).await);
    assert_error(&step(&app, &org.rep_a, "acceptTicket(id: $id, rating: 6)", "", json!({ "id": id })).await, "BAD_INPUT", &["rating"]);
    let accepted = data(step(&app, &org.rep_a, "acceptTicket(id: $id, rating: 4)", "", json!({ "id": id })).await)["acceptTicket"].clone();
    assert_eq!(accepted["status"], "ACCEPTED");
    assert_eq!(accepted["rating"], 4);
    assert_error(&step(&app, &org.rep_a, "rejectTicket(id: $id, reason: $reason)", ", $reason: String!", json!({ "id": id, "reason": "again" })).await, "INVALID_TRANSITION", &[]);
    let actions: Vec<&str> = accepted["history"].as_array().expect("history").iter().map(|step| step["action"].as_str().expect("action")).collect();
    assert_eq!(actions, ["CREATED", "STARTED", "DELIVERED", "REJECTED", "DELIVERED", "ACCEPTED"]);

    // Block and unblock: red while blocked, back where it was after.
    let second = text(&data(create(&app, &org.rep_a, json!({ "kind": "REQUIREMENT", "requirementType": "SERVICE_UPGRADE", "title": "升级服务包" })).await)["createTicket"]["id"]);
    assert_eq!(ticket(&app, &org.rep_a, &second).await["department"], "DELIVERY");
    let blocked = data(step(&app, &org.rep_a, "blockTicket(id: $id, reason: $reason)", ", $reason: String!", json!({ "id": second, "reason": "等客户提供账号" })).await)["blockTicket"].clone();
    assert_eq!((blocked["status"].as_str(), blocked["color"].as_str()), (Some("BLOCKED"), Some("RED")));
    let unblocked = data(step(&app, &org.rep_a, "unblockTicket(id: $id)", "", json!({ "id": second })).await)["unblockTicket"].clone();
    assert_eq!((unblocked["status"].as_str(), unblocked["color"].as_str()), (Some("OPEN"), Some("GREEN")));
    assert_error(&create(&app, &org.rep_a, json!({ "kind": "REQUIREMENT", "title": "no type" })).await, "BAD_INPUT", &["requirementType"]);
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

#[tokio::test]
async fn the_sla_turns_yellow_at_96_working_minutes_and_red_at_two_hours_alerting_once_each() {
    let hooks = Receiver::start(vec![], "{}").await;
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("SLA Clock").await;
    data(app.gql_as(&org.admin, "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }", json!({ "input": { "kind": "WEBHOOK", "target": format!("{}/sla", hooks.url), "events": ["alert.SLA_WARNING", "alert.SLA_BREACHED"] } })).await);
    let now = time(&app.data_as(&org.admin, "{ testClock }", json!({})).await["testClock"]);
    let monday = next_monday_ten(now);
    data(app.gql_as(&org.admin, "mutation($at: DateTime!) { setTestClock(at: $at) }", json!({ "at": rfc3339(monday) })).await);

    let created = data(create(&app, &org.rep_a, json!({ "kind": "TECH_ASSESSMENT", "title": "评估数据迁移" })).await)["createTicket"].clone();
    let id = text(&created["id"]);
    assert_eq!(time(&created["dueAt"]), monday + Duration::hours(2));
    let advance = |hours: f64| {
        let app = &app;
        let admin = &org.admin;
        async move { data(app.gql_as(admin, "mutation($hours: Float!) { advanceTestClock(hours: $hours) }", json!({ "hours": hours })).await) }
    };
    let sla_alerts = || {
        let app = &app;
        let rep = &org.rep_a;
        async move {
            let response = app.data_as(rep, "{ alerts(first: 20) { edges { node { kind status subject { __typename ... on Ticket { number } } } } } }", json!({})).await;
            response["alerts"]["edges"].as_array().expect("edges").iter().map(|edge| edge["node"].clone()).filter(|alert| alert["kind"].as_str().is_some_and(|kind| kind.starts_with("SLA_"))).collect::<Vec<_>>()
        }
    };

    advance(95.0 / 60.0).await;
    assert_eq!(ticket(&app, &org.rep_a, &id).await["color"], "GREEN");
    assert!(sla_alerts().await.is_empty());
    advance(1.0 / 60.0).await;
    assert_eq!(ticket(&app, &org.rep_a, &id).await["color"], "YELLOW");
    let warned = sla_alerts().await;
    assert_eq!(warned.len(), 1, "{warned:?}");
    assert_eq!(warned[0]["kind"], "SLA_WARNING");
    assert_eq!(warned[0]["subject"]["number"], "TA-000001");

    advance(24.0 / 60.0).await;
    let red = ticket(&app, &org.rep_a, &id).await;
    assert_eq!(red["color"], "RED");
    assert!(red["remainingMinutes"].as_i64().expect("minutes") <= 0);
    advance(2.0).await;
    let all = sla_alerts().await;
    assert_eq!(all.iter().filter(|alert| alert["kind"] == "SLA_BREACHED").count(), 1, "{all:?}");
    assert_eq!(all.iter().filter(|alert| alert["kind"] == "SLA_WARNING").count(), 1, "{all:?}");

    // Each reached the receiver once.
    let received = hooks.wait_for(2, StdDuration::from_secs(20)).await;
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    let kinds: Vec<String> = hooks.requests().iter().map(|request| text(&request.json()["data"]["kind"])).collect();
    assert_eq!(received.len(), 2);
    assert_eq!(kinds, ["SLA_WARNING", "SLA_BREACHED"]);
}

#[tokio::test]
async fn a_ticket_raised_friday_at_17_50_with_two_working_hours_is_due_monday_10_50() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Weekend Math").await;
    let now = time(&app.data_as(&org.admin, "{ testClock }", json!({})).await["testClock"]);
    let friday = next_monday_ten(now) + Duration::days(4) + Duration::hours(7) + Duration::minutes(50);
    data(app.gql_as(&org.admin, "mutation($at: DateTime!) { setTestClock(at: $at) }", json!({ "at": rfc3339(friday) })).await);
    let created = data(create(&app, &org.rep_a, json!({ "kind": "TECH_ASSESSMENT", "title": "周五傍晚的需求" })).await)["createTicket"].clone();
    let due = time(&created["dueAt"]).with_timezone(&chrono_tz::Asia::Shanghai);
    assert_eq!(due.format("%a %H:%M").to_string(), "Mon 10:50");

    // A holiday on that Monday (via the official schedule import) pushes it to Tuesday.
    let monday: NaiveDate = due.date_naive();
    let csv = format!("date,kind,name\n{},HOLIDAY,测试假日\n", monday.format("%Y-%m-%d"));
    let calendar = app.data_as(&org.admin, "mutation($schedule: String!) { importHolidays(schedule: $schedule) { holidays } }", json!({ "schedule": csv })).await;
    assert_eq!(calendar["importHolidays"]["holidays"], json!([monday.format("%Y-%m-%d").to_string()]));
    let later = data(create(&app, &org.rep_a, json!({ "kind": "TECH_ASSESSMENT", "title": "假日之后" })).await)["createTicket"].clone();
    assert_eq!(time(&later["dueAt"]).with_timezone(&chrono_tz::Asia::Shanghai).format("%a %H:%M").to_string(), "Tue 10:50");
    assert_eq!(later["number"], "TA-000002");

    // Bad calendars name their fields; only admins set them.
    let set = "mutation($input: BusinessCalendarInput!) { setBusinessCalendar(input: $input) { timeZone } }";
    assert_error(&app.gql_as(&org.admin, set, json!({ "input": { "timeZone": "Mars/Olympus", "workdays": ["MON"], "workStart": "25:00" } })).await, "BAD_INPUT", &["timeZone", "workStart"]);
    assert_error(&app.gql_as(&org.rep_a, set, json!({ "input": { "timeZone": "Asia/Shanghai", "workdays": ["MON"] } })).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&org.admin, "mutation($schedule: String!) { importHolidays(schedule: $schedule) { timeZone } }", json!({ "schedule": "date,kind,name\nnot-a-date,HOLIDAY,x\n" })).await, "BAD_INPUT", &["file"]);
}

#[tokio::test]
async fn ticket_numbers_are_gap_free_under_concurrent_creation() {
    let app = spawn_app().await;
    let org = app.sales_org("Parallel Numbers").await;
    let requests = (0..16).map(|index| {
        let app = &app;
        let rep = &org.rep_a;
        async move { create(app, rep, json!({ "kind": "DELIVERY_CONFIRMATION", "title": format!("确认 {index}") })).await }
    });
    let results = futures_util::future::join_all(requests).await;
    let mut numbers: Vec<i64> = results.into_iter().map(|result| data(result)["createTicket"]["sequence"].as_i64().expect("sequence")).collect();
    numbers.sort();
    assert_eq!(numbers, (1..=16).collect::<Vec<i64>>());
}

#[tokio::test]
async fn a_lead_from_marketing_opens_a_handoff_answered_by_the_reps_first_action() {
    let app = spawn_app().await;
    let org = app.sales_org("Handoff Co").await;
    let marketing = app.create_user(&org.admin, "MARKETING", None, None).await;
    let customer = text(&app.create_customer(&marketing, "市场线索客户", None).await["id"]);
    let deal = app
        .data_as(&marketing, "mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }", json!({ "input": { "title": "展会线索", "customerId": customer, "ownerId": org.rep_a.user_id } }))
        .await["createDeal"]["id"]
        .clone();
    let handoffs = app.data_as(&org.rep_a, "{ tickets(filter: { scope: MY_QUEUE, kind: HANDOFF }) { edges { node { id number status assignee { id } } } } }", json!({})).await;
    let handoff = handoffs["tickets"]["edges"][0]["node"].clone();
    assert_eq!(handoff["number"], "HO-000001");
    assert_eq!(handoff["assignee"]["id"], org.rep_a.user_id.as_str());
    data(app.log_activity(&org.rep_a, json!({ "dealId": deal, "kind": "CALL", "text": "首次电话联系" })).await);
    let answered = ticket(&app, &org.rep_a, &text(&handoff["id"])).await;
    assert_eq!(answered["status"], "ACCEPTED");
    assert_eq!(answered["history"].as_array().expect("history").last().expect("step")["action"], "ANSWERED");
}
