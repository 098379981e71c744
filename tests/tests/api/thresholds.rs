//! Per-org risk-tier thresholds (R4): anyone in the org reads them, only
//! admins change them, every bad field is named, and a change recomputes the
//! org's tiers at once — and no other org's.

use chrono::{Duration, TimeZone, Utc};
use dealdesk_e2e::receiver::Receiver;
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app_with, text, time, Session, TestApp, TestOptions};
use serde_json::{json, Value};

use crate::collection::{approved_contract, customer, today, REGISTRY_OK};

const THRESHOLDS: &str = "{ riskThresholds { redCumulativeOverdueDays redOverdueSharePercent onTimeRatePercent windowMonths cumulativeWindowDays isDefault tiersRecomputed updatedAt updatedBy { id } } }";

const UPDATE: &str = "mutation($input: UpdateRiskThresholdsInput!) { updateRiskThresholds(input: $input) { redCumulativeOverdueDays redOverdueSharePercent onTimeRatePercent windowMonths cumulativeWindowDays isDefault tiersRecomputed updatedBy { id } } }";

const TIER: &str = "query($id: ID!) { customer(id: $id) { riskTier riskHistory { from to reasons } } }";

async fn thresholds(app: &TestApp, session: &Session) -> Value {
    app.data_as(session, THRESHOLDS, json!({})).await["riskThresholds"].clone()
}

async fn update(app: &TestApp, session: &Session, input: Value) -> Value {
    app.gql_as(session, UPDATE, json!({ "input": input })).await
}

async fn tier(app: &TestApp, session: &Session, customer: &str) -> Value {
    app.data_as(session, TIER, json!({ "id": customer })).await["customer"].clone()
}

async fn tier_alerts(app: &TestApp, session: &Session) -> u64 {
    app.data_as(session, "{ alerts(filter: { kind: RISK_TIER_CHANGED }) { totalCount } }", json!({})).await["alerts"]["totalCount"].as_u64().expect("totalCount")
}

/// The `(from, to)` of each recorded tier change, oldest first.
fn changes(customer: &Value) -> Vec<(String, String)> {
    customer["riskHistory"].as_array().expect("history").iter().map(|change| (text(&change["from"]), text(&change["to"]))).collect()
}

fn last_reasons(customer: &Value) -> String {
    customer["riskHistory"].as_array().and_then(|history| history.last()).map(|change| change["reasons"].to_string()).unwrap_or_default()
}

#[tokio::test]
async fn a_customers_tier_follows_its_orgs_thresholds_and_no_other_orgs() {
    let registry = Receiver::start(vec![], REGISTRY_OK).await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org("Thresholds Co").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let other = app.sales_org("Other Thresholds").await;
    let other_finance = app.create_user(&other.admin, "FINANCE", None, None).await;

    // Tiers count the org's days (Asia/Shanghai): start at 09:00 there (01:00 UTC) so the hours below stay on one day.
    let now = time(&app.data_as(&org.admin, "{ testClock }", json!({})).await["testClock"]);
    let next_day = Utc.from_utc_datetime(&(now.date_naive() + Duration::days(1)).and_hms_opt(1, 0, 0).expect("time"));
    data(app.gql_as(&org.admin, "mutation($at: DateTime!) { setTestClock(at: $at) }", json!({ "at": rfc3339(next_day) })).await);
    let start = today(&app, &org.rep_a).await;

    // In each org a customer owes 5 000 of 100 000 five days late: YELLOW by the SPEC's table.
    let plan = [(start - Duration::days(5), 5_000), (start + Duration::days(60), 95_000)];
    let ours = customer(&app, &org.rep_a, "泰州阈值测试有限公司", 41, "Manufacturing").await;
    approved_contract(&app, &org.rep_a, &finance, &ours, &plan).await;
    let theirs = customer(&app, &other.rep_a, "扬州阈值测试有限公司", 42, "Manufacturing").await;
    approved_contract(&app, &other.rep_a, &other_finance, &theirs, &plan).await;
    data(app.gql_as(&org.admin, "mutation { advanceTestClock(hours: 1.5) }", json!({})).await);
    assert_eq!(tier(&app, &org.rep_a, &ours).await["riskTier"], "YELLOW");
    assert_eq!(tier(&app, &other.rep_a, &theirs).await["riskTier"], "YELLOW");

    // Everyone in the org reads the defaults.
    let defaults = thresholds(&app, &org.rep_a).await;
    assert_eq!(
        defaults,
        json!({ "redCumulativeOverdueDays": 15, "redOverdueSharePercent": "10.00", "onTimeRatePercent": "95.00", "windowMonths": 6, "cumulativeWindowDays": 365, "isDefault": true, "tiersRecomputed": true, "updatedAt": null, "updatedBy": null })
    );

    // Only admins change them.
    for session in [&finance, &org.manager, &org.rep_a] {
        assert_error(&update(&app, session, json!({ "redCumulativeOverdueDays": 4 })).await, "FORBIDDEN", &[]);
    }

    // Every bad field is named, and nothing is written.
    let bad = json!({ "redCumulativeOverdueDays": -1, "redOverdueSharePercent": "0", "onTimeRatePercent": "95.555", "windowMonths": 0, "cumulativeWindowDays": 4000 });
    assert_error(&update(&app, &org.admin, bad).await, "BAD_INPUT", &["redCumulativeOverdueDays", "redOverdueSharePercent", "onTimeRatePercent", "windowMonths", "cumulativeWindowDays"]);
    assert_error(&update(&app, &org.admin, json!({ "redOverdueSharePercent": "ten", "onTimeRatePercent": "100.01" })).await, "BAD_INPUT", &["redOverdueSharePercent", "onTimeRatePercent"]);
    assert_eq!(thresholds(&app, &org.admin).await, defaults);
    assert_eq!(tier(&app, &org.rep_a, &ours).await["riskTier"], "YELLOW");

    // More than 4 cumulative days is RED now: recomputed at once, recorded and alerted.
    let strict = data(update(&app, &org.admin, json!({ "redCumulativeOverdueDays": 4 })).await)["updateRiskThresholds"].clone();
    assert_eq!(strict["redCumulativeOverdueDays"], 4);
    assert_eq!(strict["redOverdueSharePercent"], "10.00", "fields left out keep their value");
    assert_eq!(strict["isDefault"], false);
    assert_eq!(strict["tiersRecomputed"], true);
    assert_eq!(strict["updatedBy"]["id"], org.admin.user_id.as_str());
    let red = tier(&app, &org.rep_a, &ours).await;
    assert_eq!(red["riskTier"], "RED", "{red}");
    assert_eq!(changes(&red), [("BLUE".to_string(), "YELLOW".to_string()), ("YELLOW".to_string(), "RED".to_string())]);
    assert!(last_reasons(&red).contains("cumulative overdue days 5 in the last 365 days exceed 4"), "{red}");
    assert_eq!(tier_alerts(&app, &finance).await, 2);
    assert_eq!(thresholds(&app, &org.rep_a).await["redCumulativeOverdueDays"], 4, "a rep reads the new values");

    // The other org keeps the SPEC's table and its customer's tier.
    assert_eq!(thresholds(&app, &other.admin).await, defaults);
    let untouched = tier(&app, &other.rep_a, &theirs).await;
    assert_eq!(untouched["riskTier"], "YELLOW");
    assert_eq!(changes(&untouched).len(), 1);
    assert_eq!(tier_alerts(&app, &other_finance).await, 1);

    // A share threshold of 5 % keeps the 5 % customer RED; just above it, YELLOW again.
    let share = data(update(&app, &org.admin, json!({ "redCumulativeOverdueDays": 30, "redOverdueSharePercent": "5" })).await)["updateRiskThresholds"].clone();
    assert_eq!(share["redOverdueSharePercent"], "5.00");
    let still_red = tier(&app, &org.rep_a, &ours).await;
    assert_eq!(still_red["riskTier"], "RED");
    assert_eq!(changes(&still_red).len(), 2, "no change, no record");
    data(update(&app, &org.admin, json!({ "redCumulativeOverdueDays": 5, "redOverdueSharePercent": "5.01" })).await);
    let yellow = tier(&app, &org.rep_a, &ours).await;
    assert_eq!(yellow["riskTier"], "YELLOW", "{yellow}");
    assert_eq!(changes(&yellow).last().cloned(), Some(("RED".to_string(), "YELLOW".to_string())));

    // The hourly recompute uses the org's thresholds too: a sixth day is more than 5.
    data(app.gql_as(&org.admin, "mutation { advanceTestClock(hours: 24) }", json!({})).await);
    let sixth_day = tier(&app, &org.rep_a, &ours).await;
    assert_eq!(sixth_day["riskTier"], "RED", "{sixth_day}");
    assert!(last_reasons(&sixth_day).contains("cumulative overdue days 6 in the last 365 days exceed 5"), "{sixth_day}");
    assert_eq!(tier(&app, &other.rep_a, &theirs).await["riskTier"], "YELLOW", "6 days are not more than the default 15");
    assert_eq!(tier_alerts(&app, &finance).await, 4);

    // Each change is audited with the values before and after.
    let audit = app
        .data_as(&org.admin, "{ auditLog(filter: { action: \"risk_thresholds.update\" }, first: 10) { totalCount edges { node { entityType before after } } } }", json!({}))
        .await["auditLog"]
        .clone();
    assert_eq!(audit["totalCount"], 3);
    let first = audit["edges"].as_array().expect("edges").iter().map(|edge| &edge["node"]).find(|node| node["before"]["default"] == true).expect("the first change").clone();
    assert_eq!(first["entityType"], "risk_thresholds");
    assert_eq!(first["before"]["redCumulativeOverdueDays"], 15);
    assert_eq!(first["after"]["redCumulativeOverdueDays"], 4);
    assert_eq!(first["after"]["redOverdueSharePercent"], "10.00");
}
