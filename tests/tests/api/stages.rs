//! Pipeline stages: the defaults, and what admins may change.

use chrono::{Duration, Utc};
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app, text};
use serde_json::{json, Value};

const STAGES: &str = "{ stages { key name position kind probability gateFields stuckAfterHours } }";
const UPDATE: &str = "mutation($input: UpdateStageInput!) { updateStage(input: $input) { key name probability gateFields stuckAfterHours } }";

fn stage<'a>(stages: &'a Value, key: &str) -> &'a Value {
    stages["stages"]
        .as_array()
        .expect("stages is a list")
        .iter()
        .find(|stage| stage["key"] == key)
        .unwrap_or_else(|| panic!("no stage {key} in {stages}"))
}

#[tokio::test]
async fn default_stages_and_admin_changes_to_gates() {
    let app = spawn_app().await;
    let admin = app.sign_up("Stages Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;

    let stages = app.data_as(&rep, STAGES, json!({})).await;
    let keys: Vec<String> = stages["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| text(&stage["key"]))
        .collect();
    assert_eq!(
        keys,
        [
            "LEAD",
            "QUALIFICATION",
            "NEEDS_CONFIRMED",
            "DEMO",
            "QUOTE",
            "NEGOTIATION",
            "WON",
            "LOST"
        ]
    );
    let positions: Vec<i64> = stages["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| stage["position"].as_i64().unwrap())
        .collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]));
    let open_gate = json!(["coreNeed", "decisionRole", "nextFollowUpAt"]);
    assert_eq!(stage(&stages, "LEAD")["gateFields"], json!([]));
    for key in ["QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "NEGOTIATION"] {
        assert_eq!(stage(&stages, key)["gateFields"], open_gate, "{key}");
        assert_eq!(stage(&stages, key)["kind"], "OPEN");
    }
    assert_eq!(
        stage(&stages, "QUOTE")["gateFields"],
        json!(["coreNeed", "decisionRole", "nextFollowUpAt", "amount"])
    );
    assert_eq!(stage(&stages, "LOST")["gateFields"], json!(["lostReason"]));
    assert_eq!(stage(&stages, "WON")["kind"], "WON");
    assert_eq!(stage(&stages, "LOST")["kind"], "LOST");

    // Reps may not change stages.
    let refused = app
        .gql_as(
            &rep,
            UPDATE,
            json!({ "input": { "key": "QUALIFICATION", "name": "Mine now" } }),
        )
        .await;
    assert_error(&refused, "FORBIDDEN", &[]);
    // Unknown gate fields are refused, and change nothing.
    let refused = app
        .gql_as(&admin, UPDATE, json!({ "input": { "key": "QUALIFICATION", "name": "Qualified", "gateFields": ["coreNeed", "shoeSize"] } }))
        .await;
    assert_error(&refused, "BAD_INPUT", &["gateFields"]);
    let unchanged = app.data_as(&admin, STAGES, json!({})).await;
    assert_eq!(
        stage(&unchanged, "QUALIFICATION"),
        stage(&stages, "QUALIFICATION")
    );

    // The admin renames QUALIFICATION, makes it stuck sooner and asks for a contact.
    let updated = app
        .data_as(
            &admin,
            UPDATE,
            json!({ "input": { "key": "QUALIFICATION", "name": "Qualified", "stuckAfterHours": 24, "probability": 25,
                "gateFields": ["coreNeed", "decisionRole", "nextFollowUpAt", "contactId"] } }),
        )
        .await;
    let expected = json!({ "key": "QUALIFICATION", "name": "Qualified", "probability": 25, "stuckAfterHours": 24,
        "gateFields": ["coreNeed", "decisionRole", "nextFollowUpAt", "contactId"] });
    assert_eq!(updated["updateStage"], expected);
    let after = app.data_as(&rep, STAGES, json!({})).await;
    let qualification = stage(&after, "QUALIFICATION");
    assert_eq!(qualification["name"], "Qualified");
    assert_eq!(qualification["stuckAfterHours"], 24);
    assert_eq!(qualification["gateFields"], expected["gateFields"]);
    assert_eq!(
        stage(&after, "DEMO"),
        stage(&stages, "DEMO"),
        "other stages are untouched"
    );

    // The new gate applies to moves.
    let (customer_id, deal_id) = app.customer_with_deal(&rep, "Sanming Steel").await;
    let facts = json!({ "dealId": deal_id, "stage": "QUALIFICATION", "coreNeed": "Lower energy use", "decisionRole": "USER",
        "nextFollowUpAt": rfc3339(Utc::now() + Duration::days(1)) });
    assert_error(
        &app.move_stage(&rep, facts.clone()).await,
        "STAGE_GATE_MISSING_FIELDS",
        &["contactId"],
    );
    let contact_id = app.create_contact(&rep, &customer_id, "王工").await;
    let mut with_contact = facts.clone();
    with_contact["contactId"] = json!(contact_id);
    let moved = data(app.move_stage(&rep, with_contact).await);
    assert_eq!(moved["moveDealStage"]["stage"], "QUALIFICATION");
    assert_eq!(moved["moveDealStage"]["contact"]["id"], contact_id.as_str());
    // Its stage details show the new name.
    let details = app
        .data_as(
            &rep,
            "query($id: ID!) { deal(id: $id) { stageDetails { name } } }",
            json!({ "id": deal_id }),
        )
        .await;
    assert_eq!(details["deal"]["stageDetails"]["name"], "Qualified");
}
