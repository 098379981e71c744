//! `make run` serves a demo organization: it must be complete and consistent.

use dealdesk_e2e::{data, spawn_app_with, TestOptions};
use serde_json::json;

#[tokio::test]
async fn the_demo_org_has_people_customers_and_deals_over_the_stages() {
    let app = spawn_app_with(TestOptions {
        demo: true,
        ..TestOptions::default()
    })
    .await;
    let admin = app.login_ok_with("admin@demo.dealdesk.cn", dealdesk_app::seed::DEMO_PASSWORD).await;

    let users = data(app.gql_as(&admin, "{ users { role } }", json!(null)).await);
    let mut roles: Vec<String> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|user| user["role"].as_str().unwrap().to_string())
        .collect();
    roles.sort();
    assert_eq!(
        roles,
        ["ADMIN", "DELIVERY", "FINANCE", "LEGAL", "MANAGER", "MARKETING", "REP", "REP", "REP", "TECH"]
    );

    let customers = data(app.gql_as(&admin, "{ customers { totalCount edges { node { name creditCode } } } }", json!(null)).await);
    assert_eq!(customers["customers"]["totalCount"], 30);
    let first_name = customers["customers"]["edges"][0]["node"]["name"].as_str().unwrap();
    assert!(first_name.ends_with("有限公司"), "Chinese company names: {first_name}");

    // Deals spread over the stages, each with a history that passed the gates.
    let query = "query($stage: String) { deals(first: 100, filter: { stage: $stage }) { totalCount edges { node { transitions { toStage } timeline(first: 100) { totalCount } } } } }";
    let all = data(app.gql_as(&admin, query, json!({ "stage": null })).await);
    assert_eq!(all["deals"]["totalCount"], 40);
    for stage in ["LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION", "LOST"] {
        let in_stage = data(app.gql_as(&admin, query, json!({ "stage": stage })).await);
        let count = in_stage["deals"]["totalCount"].as_u64().unwrap();
        assert!(count > 0, "no demo deal in {stage}");
        for edge in in_stage["deals"]["edges"].as_array().unwrap() {
            let transitions = edge["node"]["transitions"].as_array().unwrap();
            assert_eq!(transitions.last().unwrap()["toStage"], stage);
        }
    }

    // A rep sees only their own share; the manager sees the whole team.
    let rep = app.login_ok_with("rep1@demo.dealdesk.cn", dealdesk_app::seed::DEMO_PASSWORD).await;
    let manager = app.login_ok_with("manager@demo.dealdesk.cn", dealdesk_app::seed::DEMO_PASSWORD).await;
    let rep_count = data(app.gql_as(&rep, "{ deals { totalCount } }", json!(null)).await)["deals"]["totalCount"].as_u64().unwrap();
    let manager_count = data(app.gql_as(&manager, "{ deals { totalCount } }", json!(null)).await)["deals"]["totalCount"].as_u64().unwrap();
    assert!(rep_count > 0 && rep_count < 40, "rep sees {rep_count}");
    assert_eq!(manager_count, 40);
}
