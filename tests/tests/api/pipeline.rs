//! The sales-pipeline spine: sign-up → users → customer → deal → gated moves → timeline.

use chrono::{Duration, Utc};
use dealdesk_e2e::{assert_error, credit_code, data, rfc3339, spawn_app, text, time};
use serde_json::{json, Value};

const TIMELINE: &str = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  deal(id: $id) {
    timeline(first: $first, after: $after, last: $last, before: $before) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node {
        __typename
        ... on Activity { id kind text occurredAt }
        ... on StageTransition { id fromStage toStage at }
        ... on DealReassignment { id at }
      } }
    }
  }
}";

/// `(typename, detail)` of each timeline node, and the node ids.
fn events(connection: &Value) -> Vec<(String, String, String)> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges in {connection}"))
        .iter()
        .map(|edge| {
            let node = &edge["node"];
            let kind = text(&node["__typename"]);
            let detail = match kind.as_str() {
                "Activity" => text(&node["kind"]),
                "StageTransition" => text(&node["toStage"]),
                _ => String::new(),
            };
            (kind, detail, text(&node["id"]))
        })
        .collect()
}

fn event_time(node: &Value) -> chrono::DateTime<Utc> {
    match node["__typename"].as_str() {
        Some("Activity") => time(&node["occurredAt"]),
        _ => time(&node["at"]),
    }
}

#[tokio::test]
async fn a_deal_moves_through_gated_stages_and_its_timeline_tells_the_story() {
    let app = spawn_app().await;

    // Sign-up, a team with a manager and two reps.
    let org = app.sales_org("Minjiang Robotics").await;
    let team = app
        .data_as(
            &org.admin,
            "{ teams { id name manager { id } } users { id role team { id } manager { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        team["teams"][0]["manager"]["id"],
        org.manager.user_id.as_str()
    );
    let reps: Vec<&Value> = team["users"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|user| user["role"] == "REP")
        .collect();
    assert_eq!(reps.len(), 2);
    for rep in reps {
        assert_eq!(rep["team"]["id"], org.team_id.as_str());
        assert_eq!(rep["manager"]["id"], org.manager.user_id.as_str());
    }
    let rep = &org.rep_a;
    let me = app
        .data_as(
            rep,
            "{ me { id role team { id } manager { id } org { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["role"], "REP");
    assert_eq!(me["me"]["org"]["id"], org.admin.org_id.as_str());

    // Customer with a valid credit code, a contact, a deal in LEAD.
    let code = credit_code(100);
    let customer = app
        .create_customer(rep, "福州闽江机器人有限公司", Some(&code))
        .await;
    assert_eq!(customer["creditCode"], code.as_str());
    assert_eq!(customer["owner"]["id"], rep.user_id.as_str());
    let customer_id = text(&customer["id"]);
    let contact_id = app.create_contact(rep, &customer_id, "林总").await;
    let deal = app
        .create_deal(rep, &customer_id, "Welding line upgrade")
        .await;
    assert_eq!(deal["stage"], "LEAD");
    assert_eq!(deal["owner"]["id"], rep.user_id.as_str());
    let deal_id = text(&deal["id"]);

    let call = app.log_activity(rep, json!({ "dealId": deal_id, "kind": "CALL", "text": "First call: budget approved for Q3" })).await;
    assert_eq!(data(call)["logActivity"]["kind"], "CALL");

    // DEMO without any facts: every missing gate field, and nothing written.
    let refused = app
        .move_stage(rep, json!({ "dealId": deal_id, "stage": "DEMO" }))
        .await;
    assert_error(
        &refused,
        "STAGE_GATE_MISSING_FIELDS",
        &["coreNeed", "decisionRole", "nextFollowUpAt"],
    );
    let unchanged = data(app.deal(rep, &deal_id).await);
    assert_eq!(unchanged["deal"]["stage"], "LEAD");
    assert_eq!(
        unchanged["deal"]["transitions"].as_array().unwrap().len(),
        1
    );
    assert!(unchanged["deal"]["coreNeed"].is_null());

    // A follow-up in the past does not count.
    let past = rfc3339(Utc::now() - Duration::hours(1));
    let refused = app
        .move_stage(rep, json!({ "dealId": deal_id, "stage": "DEMO", "coreNeed": "Cut welding rework", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": past }))
        .await;
    assert_error(&refused, "STAGE_GATE_MISSING_FIELDS", &["nextFollowUpAt"]);
    let unchanged = data(app.deal(rep, &deal_id).await);
    assert_eq!(unchanged["deal"]["stage"], "LEAD");
    assert_eq!(
        unchanged["deal"]["transitions"].as_array().unwrap().len(),
        1
    );

    // With every fact the move goes through and skips two stages.
    let follow_up = rfc3339(Utc::now() + Duration::days(3));
    let moved = data(
        app.move_stage(
            rep,
            json!({ "dealId": deal_id, "stage": "DEMO", "coreNeed": "Cut welding rework", "decisionRole": "DECISION_MAKER", "contactId": contact_id, "nextFollowUpAt": follow_up }),
        )
        .await,
    );
    let deal = &moved["moveDealStage"];
    assert_eq!(deal["stage"], "DEMO");
    assert_eq!(deal["coreNeed"], "Cut welding rework");
    assert_eq!(deal["decisionRole"], "DECISION_MAKER");
    assert_eq!(deal["contact"]["id"], contact_id.as_str());
    assert_eq!(time(&deal["nextFollowUpAt"]), time(&json!(follow_up)));
    assert_eq!(deal["forwardSkips"], 2);
    let transitions = deal["transitions"].as_array().unwrap();
    assert_eq!(transitions.len(), 2);
    assert_eq!(transitions[1]["fromStage"], "LEAD");
    assert_eq!(transitions[1]["toStage"], "DEMO");
    assert_eq!(transitions[1]["forwardSkips"], 2);
    assert_eq!(transitions[1]["backward"], false);
    assert_eq!(transitions[1]["by"]["id"], rep.user_id.as_str());

    let meeting = app
        .log_activity(
            rep,
            json!({ "dealId": deal_id, "kind": "MEETING", "text": "Demo on site" }),
        )
        .await;
    data(meeting);

    // QUOTE asks for an amount the deal does not have yet.
    let facts = json!({ "dealId": deal_id, "stage": "QUOTE", "coreNeed": "Cut welding rework", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": follow_up });
    let refused = app.move_stage(rep, facts.clone()).await;
    assert_error(&refused, "STAGE_GATE_MISSING_FIELDS", &["amount"]);
    let refused = app
        .move_stage(rep, json!({ "dealId": deal_id, "stage": "QUOTE" }))
        .await;
    assert_error(
        &refused,
        "STAGE_GATE_MISSING_FIELDS",
        &["coreNeed", "decisionRole", "nextFollowUpAt", "amount"],
    );
    assert_eq!(data(app.deal(rep, &deal_id).await)["deal"]["stage"], "DEMO");
    let mut with_amount = facts.clone();
    with_amount["amount"] = json!({ "amount": "680000", "currency": "CNY" });
    let quoted = data(app.move_stage(rep, with_amount).await);
    assert_eq!(quoted["moveDealStage"]["stage"], "QUOTE");
    assert_eq!(
        quoted["moveDealStage"]["amount"],
        json!({ "amount": "680000.00", "currency": "CNY" })
    );
    assert_eq!(
        quoted["moveDealStage"]["forwardSkips"], 2,
        "DEMO → QUOTE skips nothing"
    );

    // WON needs a contract, whatever the facts.
    let mut won = facts.clone();
    won["stage"] = json!("WON");
    assert_error(&app.move_stage(rep, won).await, "INVALID_TRANSITION", &[]);
    assert_eq!(
        data(app.deal(rep, &deal_id).await)["deal"]["stage"],
        "QUOTE"
    );

    let note = app
        .log_activity(
            rep,
            json!({ "dealId": deal_id, "kind": "NOTE", "text": "Competitor undercut us by 20%" }),
        )
        .await;
    data(note);

    // LOST needs a reason.
    let refused = app
        .move_stage(rep, json!({ "dealId": deal_id, "stage": "LOST" }))
        .await;
    assert_error(&refused, "STAGE_GATE_MISSING_FIELDS", &["lostReason"]);
    let lost = data(
        app.move_stage(
            rep,
            json!({ "dealId": deal_id, "stage": "LOST", "lostReason": "Price" }),
        )
        .await,
    );
    assert_eq!(lost["moveDealStage"]["stage"], "LOST");
    assert_eq!(lost["moveDealStage"]["lostReason"], "Price");
    // A closed deal does not move again.
    let reopened = app.move_stage(rep, facts.clone()).await;
    assert_error(&reopened, "INVALID_TRANSITION", &[]);

    // The timeline: activities and transitions in the order they happened.
    let timeline = data(
        app.gql_as(rep, TIMELINE, json!({ "id": deal_id, "first": 50 }))
            .await,
    );
    let connection = &timeline["deal"]["timeline"];
    let all = events(connection);
    let sequence: Vec<(&str, &str)> = all
        .iter()
        .map(|(kind, detail, _)| (kind.as_str(), detail.as_str()))
        .collect();
    assert_eq!(
        sequence,
        vec![
            ("StageTransition", "LEAD"),
            ("Activity", "CALL"),
            ("StageTransition", "DEMO"),
            ("Activity", "MEETING"),
            ("StageTransition", "QUOTE"),
            ("Activity", "NOTE"),
            ("StageTransition", "LOST"),
        ]
    );
    assert_eq!(connection["totalCount"], 7);
    assert_eq!(connection["pageInfo"]["hasNextPage"], false);
    let times: Vec<_> = connection["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| event_time(&edge["node"]))
        .collect();
    assert!(
        times.windows(2).all(|pair| pair[0] <= pair[1]),
        "timeline out of order: {times:?}"
    );

    // `last: 2` is the latest two, oldest first.
    let latest = data(
        app.gql_as(rep, TIMELINE, json!({ "id": deal_id, "last": 2 }))
            .await,
    );
    let latest_events = events(&latest["deal"]["timeline"]);
    assert_eq!(latest_events, all[5..].to_vec());
    assert_eq!(
        latest["deal"]["timeline"]["pageInfo"]["hasPreviousPage"],
        true
    );

    // Paging forward three at a time walks every event once, in order.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..10 {
        let page = data(
            app.gql_as(
                rep,
                TIMELINE,
                json!({ "id": deal_id, "first": 3, "after": after }),
            )
            .await,
        );
        let connection = &page["deal"]["timeline"];
        let batch = events(connection);
        assert!(batch.len() <= 3);
        walked.extend(batch);
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = Some(text(&connection["pageInfo"]["endCursor"]));
    }
    assert_eq!(
        walked, all,
        "forward paging must visit every event exactly once"
    );

    // And backward from the end with `last`/`before`.
    let mut walked_back = Vec::new();
    let mut before: Option<String> = None;
    for _ in 0..10 {
        let page = data(
            app.gql_as(
                rep,
                TIMELINE,
                json!({ "id": deal_id, "last": 3, "before": before }),
            )
            .await,
        );
        let connection = &page["deal"]["timeline"];
        let mut batch = events(connection);
        batch.extend(walked_back);
        walked_back = batch;
        if connection["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = Some(text(&connection["pageInfo"]["startCursor"]));
    }
    assert_eq!(
        walked_back, all,
        "backward paging must visit every event exactly once"
    );

    // The customer's timeline shows the same story.
    let customer_timeline = data(
        app.gql_as(rep, "query($id: ID!) { customer(id: $id) { timeline(first: 50) { totalCount } deals { totalCount } } }", json!({ "id": customer_id }))
            .await,
    );
    assert_eq!(customer_timeline["customer"]["timeline"]["totalCount"], 7);
    assert_eq!(customer_timeline["customer"]["deals"]["totalCount"], 1);
}
