//! The audit trail (S3) and integration API keys.

use chrono::{Duration, Utc};
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app, text, time, Session, TestApp};
use serde_json::{json, Value};

const AUDIT: &str = "query($filter: AuditFilterInput) { auditLog(filter: $filter, first: 100) {
  totalCount edges { node { id actorKind actorId action entityType entityId before after at } } } }";

async fn audit(app: &TestApp, admin: &Session, filter: Value) -> (Vec<Value>, u64) {
    let data = app.data_as(admin, AUDIT, json!({ "filter": filter })).await;
    let connection = &data["auditLog"];
    let nodes = connection["edges"]
        .as_array()
        .expect("auditLog edges")
        .iter()
        .map(|edge| edge["node"].clone())
        .collect();
    (
        nodes,
        connection["totalCount"]
            .as_u64()
            .expect("auditLog totalCount"),
    )
}

#[tokio::test]
async fn mutations_leave_audit_rows_that_only_admins_read() {
    let app = spawn_app().await;
    let admin = app.sign_up("Audit Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;

    let (customer_id, deal_id) = app.customer_with_deal(&rep, "Putian Furniture").await;
    let refused = app
        .move_stage(&rep, json!({ "dealId": deal_id, "stage": "QUALIFICATION" }))
        .await;
    assert_error(
        &refused,
        "STAGE_GATE_MISSING_FIELDS",
        &["coreNeed", "decisionRole", "nextFollowUpAt"],
    );
    let follow_up = rfc3339(Utc::now() + Duration::days(2));
    data(
        app.move_stage(&rep, json!({ "dealId": deal_id, "stage": "QUALIFICATION", "coreNeed": "Faster quotes", "decisionRole": "INFLUENCER", "nextFollowUpAt": follow_up }))
            .await,
    );
    let activity = data(
        app.log_activity(
            &rep,
            json!({ "dealId": deal_id, "kind": "EMAIL", "text": "Sent the brochure" }),
        )
        .await,
    );
    let activity_id = text(&activity["logActivity"]["id"]);

    let (rows, total) = audit(&app, &admin, json!({ "actorId": rep.user_id })).await;
    assert_eq!(total as usize, rows.len());
    let find = |action: &str| -> Value {
        let matching: Vec<&Value> = rows.iter().filter(|row| row["action"] == action).collect();
        assert_eq!(matching.len(), 1, "expected one {action} row in {rows:#?}");
        matching[0].clone()
    };
    for (action, entity_type, entity_id) in [
        ("customer.create", "customer", &customer_id),
        ("deal.create", "deal", &deal_id),
        ("deal.move_stage", "deal", &deal_id),
        ("activity.log", "activity", &activity_id),
    ] {
        let row = find(action);
        assert_eq!(row["actorKind"], "USER", "{row}");
        assert_eq!(row["actorId"], rep.user_id.as_str(), "{row}");
        assert_eq!(row["entityType"], entity_type, "{row}");
        assert_eq!(row["entityId"], entity_id.as_str(), "{row}");
    }
    let customer = find("customer.create");
    assert!(customer["before"].is_null());
    assert_eq!(customer["after"]["name"], "Putian Furniture");
    let moved = find("deal.move_stage");
    assert_eq!(moved["before"]["stage"], "LEAD");
    assert_eq!(moved["after"]["stage"], "QUALIFICATION");
    assert_eq!(moved["after"]["coreNeed"], "Faster quotes");
    // Newest first.
    let times: Vec<_> = rows.iter().map(|row| time(&row["at"])).collect();
    assert!(
        times.windows(2).all(|pair| pair[0] >= pair[1]),
        "audit log not newest first: {times:?}"
    );
    // The refused move wrote nothing.
    let (_, moves) = audit(&app, &admin, json!({ "action": "deal.move_stage" })).await;
    assert_eq!(moves, 1);

    // Not for reps.
    let forbidden = app.gql_as(&rep, AUDIT, json!({ "filter": null })).await;
    assert_error(&forbidden, "FORBIDDEN", &[]);
}

#[tokio::test]
async fn api_keys_act_for_their_org_are_audited_and_can_be_revoked() {
    let app = spawn_app().await;
    let admin = app.sign_up("Keys Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;
    let (_, deal_id) = app.customer_with_deal(&rep, "Zhangzhou Foods").await;

    let create = "mutation($name: String!, $role: Role!) { createApiKey(name: $name, role: $role) { id key apiKey { id name role keyPrefix revokedAt } } }";
    assert_error(
        &app.gql_as(&rep, create, json!({ "name": "rogue", "role": "ADMIN" }))
            .await,
        "FORBIDDEN",
        &[],
    );
    let created = app
        .data_as(
            &admin,
            create,
            json!({ "name": "ERP sync", "role": "ADMIN" }),
        )
        .await;
    let key = text(&created["createApiKey"]["key"]);
    let key_id = text(&created["createApiKey"]["id"]);
    assert_eq!(created["createApiKey"]["apiKey"]["role"], "ADMIN");
    assert!(created["createApiKey"]["apiKey"]["revokedAt"].is_null());
    assert!(key.starts_with(&text(&created["createApiKey"]["apiKey"]["keyPrefix"])));
    let with_key = format!("ApiKey {key}");
    let headers = [("Authorization", with_key.as_str())];

    // The key reads the org's deals.
    let deals = app
        .gql_with(
            "{ deals { totalCount edges { node { id } } } }",
            json!({}),
            &headers,
        )
        .await;
    let deals = data(deals);
    assert_eq!(deals["deals"]["totalCount"], 1);
    assert_eq!(deals["deals"]["edges"][0]["node"]["id"], deal_id.as_str());

    // What it does is audited as the key.
    let logged = app
        .gql_with(
            "mutation($input: LogActivityInput!) { logActivity(input: $input) { id author { id } } }",
            json!({ "input": { "dealId": deal_id, "kind": "EMAIL", "text": "Synced from ERP" } }),
            &headers,
        )
        .await;
    let logged = data(logged);
    assert!(logged["logActivity"]["author"].is_null());
    let activity_id = text(&logged["logActivity"]["id"]);
    let (rows, _) = audit(&app, &admin, json!({ "actorId": key_id })).await;
    let row = rows
        .iter()
        .find(|row| row["action"] == "activity.log")
        .unwrap_or_else(|| panic!("no activity.log row for the key in {rows:#?}"));
    assert_eq!(row["actorKind"], "API_KEY");
    assert_eq!(row["entityId"], activity_id.as_str());
    let keys = app
        .data_as(
            &admin,
            "{ apiKeys { id name lastUsedAt revokedAt } }",
            json!({}),
        )
        .await;
    assert_eq!(keys["apiKeys"][0]["id"], key_id.as_str());
    assert!(
        !keys["apiKeys"][0]["lastUsedAt"].is_null(),
        "use of the key is recorded: {keys}"
    );

    // Revoked keys stop working at once.
    let revoked = app
        .data_as(
            &admin,
            "mutation($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }",
            json!({ "id": key_id }),
        )
        .await;
    assert!(!revoked["revokeApiKey"]["revokedAt"].is_null());
    let refused = app
        .gql_with("{ deals { totalCount } }", json!({}), &headers)
        .await;
    assert_error(&refused, "UNAUTHENTICATED", &[]);
    let (rows, _) = audit(&app, &admin, json!({ "action": "api_key.revoke" })).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["actorId"], admin.user_id.as_str());
}
