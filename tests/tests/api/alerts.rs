//! Process alerts through the test clock (E1–E5): raised by the scans that
//! advancing the clock runs, deduplicated, addressed, and resolved.

use chrono::Duration;
use dealdesk_e2e::{assert_error, data, rfc3339, text, time, Session, SalesOrg, TestApp, TestOptions, spawn_app_with};
use serde_json::{json, Value};

const ADVANCE: &str = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
const ALERTS: &str = "query($filter: AlertFilterInput) { alerts(filter: $filter, first: 50) { totalCount edges { node { id kind status title subjectType subjectId escalatedAt recipients { id } subject { __typename ... on Deal { id title } ... on User { id name } } } } } }";

async fn advance(app: &TestApp, session: &Session, hours: f64) {
    data(app.gql_as(session, ADVANCE, json!({ "hours": hours })).await);
}

async fn now(app: &TestApp, session: &Session) -> chrono::DateTime<chrono::Utc> {
    time(&app.data_as(session, "{ testClock }", json!({})).await["testClock"])
}

async fn alerts(app: &TestApp, session: &Session, filter: Value) -> Vec<Value> {
    let response = app.data_as(session, ALERTS, json!({ "filter": filter })).await;
    response["alerts"]["edges"].as_array().expect("alerts.edges").iter().map(|edge| edge["node"].clone()).collect()
}

fn recipients(alert: &Value) -> Vec<String> {
    let mut ids: Vec<String> = alert["recipients"].as_array().expect("recipients").iter().map(|user| text(&user["id"])).collect();
    ids.sort();
    ids
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

/// A deal of rep A moved into `stage` with a follow-up far ahead (so only the stuck rule can fire).
async fn deal_in(app: &TestApp, org: &SalesOrg, name: &str, stage: &str, follow_up_days: i64) -> String {
    let (_, deal) = app.customer_with_deal(&org.rep_a, name).await;
    let at = now(app, &org.rep_a).await + Duration::days(follow_up_days);
    data(app.move_stage(&org.rep_a, json!({ "dealId": deal, "stage": stage, "coreNeed": "库存数据不准", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": rfc3339(at) })).await);
    deal
}

#[tokio::test]
async fn a_deal_stuck_in_demo_alerts_owner_and_manager_once_and_resolves_on_activity() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Ningbo Harbour").await;
    let deal = deal_in(&app, &org, "Ningbo Logistics", "DEMO", 30).await;

    advance(&app, &org.rep_a, 47.0).await;
    assert!(alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await.is_empty(), "nothing is stuck after 47 h");

    advance(&app, &org.rep_a, 2.0).await;
    let raised = alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await;
    assert_eq!(raised.len(), 1, "{raised:?}");
    let alert = &raised[0];
    assert_eq!(alert["status"], "OPEN");
    assert_eq!(alert["subjectId"], deal.as_str());
    assert_eq!(alert["subject"]["__typename"], "Deal");
    assert_eq!(recipients(alert), sorted(vec![org.rep_a.user_id.clone(), org.manager.user_id.clone()]));
    // The manager sees it; the other rep does not.
    assert_eq!(alerts(&app, &org.manager, json!({ "kind": "STAGE_STUCK" })).await.len(), 1);
    assert!(alerts(&app, &org.rep_b, json!(null)).await.is_empty());

    // Rescans add nothing.
    advance(&app, &org.rep_a, 1.0).await;
    advance(&app, &org.rep_a, 1.0).await;
    assert_eq!(alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await.len(), 1);

    // Acknowledge: a recipient may, another rep cannot even see it.
    let id = text(&alert["id"]);
    let ack = "mutation($id: ID!) { acknowledgeAlert(id: $id) { status acknowledgedAt } }";
    assert_error(&app.gql_as(&org.rep_b, ack, json!({ "id": id })).await, "NOT_FOUND", &[]);
    assert_eq!(app.data_as(&org.rep_a, ack, json!({ "id": id })).await["acknowledgeAlert"]["status"], "ACKNOWLEDGED");

    // Logging an activity clears the condition: the alert resolves.
    data(app.log_activity(&org.rep_a, json!({ "dealId": deal, "kind": "VISIT", "text": "上门演示第二版方案" })).await);
    let after = alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["status"], "RESOLVED");
    assert!(alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK", "status": "OPEN" })).await.is_empty());
    assert_error(&app.gql_as(&org.rep_a, ack, json!({ "id": id })).await, "INVALID_TRANSITION", &[]);

    // And 49 quiet hours later it is stuck again: a new alert, not a reopened one.
    advance(&app, &org.rep_a, 49.0).await;
    let all = alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all.iter().filter(|alert| alert["status"] == "OPEN").count(), 1);
}

#[tokio::test]
async fn an_overdue_follow_up_goes_to_the_owner_then_to_the_manager() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Hefei Lakeside").await;
    let (_, deal) = app.customer_with_deal(&org.rep_a, "Hefei Software").await;
    let at = now(&app, &org.rep_a).await + Duration::hours(1);
    data(app.move_stage(&org.rep_a, json!({ "dealId": deal, "stage": "QUALIFICATION", "coreNeed": "替换老系统", "decisionRole": "INFLUENCER", "nextFollowUpAt": rfc3339(at) })).await);

    advance(&app, &org.rep_a, 2.0).await;
    let raised = alerts(&app, &org.rep_a, json!({ "kind": "FOLLOW_UP_OVERDUE" })).await;
    assert_eq!(raised.len(), 1);
    assert_eq!(recipients(&raised[0]), vec![org.rep_a.user_id.clone()]);
    assert!(raised[0]["escalatedAt"].is_null());
    assert!(alerts(&app, &org.manager, json!({ "kind": "FOLLOW_UP_OVERDUE" })).await.is_empty());

    // 24 h after the missed follow-up the manager is told too (same alert).
    advance(&app, &org.rep_a, 24.0).await;
    let escalated = alerts(&app, &org.manager, json!({ "kind": "FOLLOW_UP_OVERDUE" })).await;
    assert_eq!(escalated.len(), 1);
    assert_eq!(escalated[0]["id"], raised[0]["id"]);
    assert!(!escalated[0]["escalatedAt"].is_null());
    assert_eq!(recipients(&escalated[0]), sorted(vec![org.rep_a.user_id.clone(), org.manager.user_id.clone()]));

    // Moving the deal on (with a new follow-up) resolves it.
    let later = now(&app, &org.rep_a).await + Duration::days(3);
    data(app.move_stage(&org.rep_a, json!({ "dealId": deal, "stage": "NEEDS_CONFIRMED", "coreNeed": "替换老系统", "decisionRole": "INFLUENCER", "nextFollowUpAt": rfc3339(later) })).await);
    assert_eq!(alerts(&app, &org.rep_a, json!({ "kind": "FOLLOW_UP_OVERDUE" })).await[0]["status"], "RESOLVED");
}

#[tokio::test]
async fn ping_pong_and_struggling_newcomers_alert_the_manager() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Xi'an Hi-Tech").await;

    // Three deals of a new rep stuck in DEMO.
    let mut deals = Vec::new();
    for name in ["Xi'an Power", "Xi'an Grid", "Xi'an Cable"] {
        deals.push(deal_in(&app, &org, name, "DEMO", 30).await);
    }
    // One of them handed back and forth three times with no real work.
    let reassign = "mutation($input: ReassignDealInput!) { reassignDeal(input: $input) { id owner { id } } }";
    for owner in [&org.rep_b, &org.rep_a, &org.rep_b] {
        data(app.gql_as(&org.manager, reassign, json!({ "input": { "dealId": deals[0], "ownerId": owner.user_id } })).await);
    }
    advance(&app, &org.manager, 49.0).await;

    let ping_pong = alerts(&app, &org.manager, json!({ "kind": "PING_PONG" })).await;
    assert_eq!(ping_pong.len(), 1, "{ping_pong:?}");
    assert_eq!(ping_pong[0]["subjectId"], deals[0].as_str());
    assert_eq!(recipients(&ping_pong[0]), vec![org.manager.user_id.clone()]);

    // Rep A still owns two stuck deals, rep B one: no newcomer alert yet.
    assert!(alerts(&app, &org.manager, json!({ "kind": "NEWCOMER_STUCK" })).await.is_empty());
    data(app.gql_as(&org.manager, reassign, json!({ "input": { "dealId": deals[0], "ownerId": org.rep_a.user_id } })).await);
    advance(&app, &org.manager, 1.0).await;
    let newcomer = alerts(&app, &org.manager, json!({ "kind": "NEWCOMER_STUCK" })).await;
    assert_eq!(newcomer.len(), 1, "{newcomer:?}");
    assert_eq!(newcomer[0]["subjectType"], "USER");
    assert_eq!(newcomer[0]["subject"]["id"], org.rep_a.user_id.as_str());

    // A real visit ends the ping-pong.
    data(app.log_activity(&org.rep_a, json!({ "dealId": deals[0], "kind": "VISIT", "text": "现场调研" })).await);
    assert_eq!(alerts(&app, &org.manager, json!({ "kind": "PING_PONG" })).await[0]["status"], "RESOLVED");
}

#[tokio::test]
async fn admins_tune_the_rules() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Changzhou Textile").await;
    let rules = app.data_as(&org.rep_a, "{ alertRules { kind enabled escalateAfterHours reassignments windowDays withinDays stuckDeals } }", json!({})).await;
    let follow_up = rules["alertRules"].as_array().unwrap().iter().find(|rule| rule["kind"] == "FOLLOW_UP_OVERDUE").unwrap().clone();
    assert_eq!(follow_up["escalateAfterHours"], 24);

    let update = "mutation($input: UpdateAlertRuleInput!) { updateAlertRule(input: $input) { kind enabled escalateAfterHours } }";
    assert_error(&app.gql_as(&org.rep_a, update, json!({ "input": { "kind": "FOLLOW_UP_OVERDUE", "escalateAfterHours": 2 } })).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&org.admin, update, json!({ "input": { "kind": "FOLLOW_UP_OVERDUE", "reassignments": 2, "escalateAfterHours": 0 } })).await, "BAD_INPUT", &["reassignments", "escalateAfterHours"]);
    let updated = app.data_as(&org.admin, update, json!({ "input": { "kind": "FOLLOW_UP_OVERDUE", "escalateAfterHours": 2 } })).await;
    assert_eq!(updated["updateAlertRule"]["escalateAfterHours"], 2);

    // Disabled rules raise nothing.
    data(app.gql_as(&org.admin, update, json!({ "input": { "kind": "STAGE_STUCK", "enabled": false } })).await);
    deal_in(&app, &org, "Changzhou Looms", "DEMO", 30).await;
    advance(&app, &org.rep_a, 60.0).await;
    assert!(alerts(&app, &org.rep_a, json!({ "kind": "STAGE_STUCK" })).await.is_empty());
}
