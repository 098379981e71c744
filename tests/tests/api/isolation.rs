//! Tenant isolation: nothing of org A is reachable from org B, by id, filter or cursor.

use dealdesk_e2e::{assert_error, credit_code, data, spawn_app, text};
use serde_json::json;

#[tokio::test]
async fn another_org_cannot_reach_a_deal_by_id_filter_or_cursor() {
    let app = spawn_app().await;
    let admin_b = app.sign_up("Org B").await;
    let admin_a = app.sign_up("Org A").await;

    // B's deals are older than A's, so A's cursors point past them.
    let (_, b_first) = app.customer_with_deal(&admin_b, "B customer one").await;
    let (_, b_second) = app.customer_with_deal(&admin_b, "B customer two").await;
    let code = credit_code(4242);
    let customer_a = text(
        &app.create_customer(&admin_a, "A customer", Some(&code))
            .await["id"],
    );
    let deal_a1 = text(&app.create_deal(&admin_a, &customer_a, "A deal one").await["id"]);
    let deal_a2 = text(&app.create_deal(&admin_a, &customer_a, "A deal two").await["id"]);

    // By id.
    assert_error(&app.deal(&admin_b, &deal_a1).await, "NOT_FOUND", &[]);
    let customer = app
        .gql_as(
            &admin_b,
            "query($id: ID!) { customer(id: $id) { id name } }",
            json!({ "id": customer_a }),
        )
        .await;
    assert_error(&customer, "NOT_FOUND", &[]);
    let timeline = app
        .gql_as(
            &admin_b,
            "query($id: ID!) { deal(id: $id) { timeline { totalCount } } }",
            json!({ "id": deal_a1 }),
        )
        .await;
    assert_error(&timeline, "NOT_FOUND", &[]);

    // By filter.
    assert_eq!(
        app.deal_ids(&admin_b, json!({ "customerId": customer_a }))
            .await,
        (vec![], 0)
    );
    assert_eq!(
        app.deal_ids(&admin_a, json!({ "customerId": customer_a }))
            .await
            .1,
        2,
        "the filter itself works"
    );
    let search = app
        .data_as(
            &admin_b,
            "query($code: String!) { customers(filter: { search: $code }) { totalCount } }",
            json!({ "code": code }),
        )
        .await;
    assert_eq!(search["customers"]["totalCount"], 0);

    // By cursor: A's cursor used in B only positions within B's own deals.
    let a_page = app
        .data_as(
            &admin_a,
            "{ deals(first: 10) { edges { cursor node { id } } } }",
            json!({}),
        )
        .await;
    let a_edges = a_page["deals"]["edges"].as_array().unwrap();
    assert_eq!(a_edges.len(), 2);
    let a_cursor = text(&a_edges[1]["cursor"]);
    let b_page = app
        .data_as(&admin_b, "query($after: String) { deals(first: 10, after: $after) { totalCount edges { node { id } } } }", json!({ "after": a_cursor }))
        .await;
    let b_ids: Vec<String> = b_page["deals"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| text(&edge["node"]["id"]))
        .collect();
    assert_eq!(
        b_ids,
        vec![b_second.clone(), b_first.clone()],
        "only B's deals, newest first"
    );
    assert_eq!(b_page["deals"]["totalCount"], 2);
    for id in [&deal_a1, &deal_a2] {
        assert!(!b_ids.contains(id));
    }

    // Writing to A's deal from B.
    let log = app
        .log_activity(
            &admin_b,
            json!({ "dealId": deal_a1, "kind": "CALL", "text": "hello from B" }),
        )
        .await;
    assert_error(&log, "NOT_FOUND", &[]);
    let log = app
        .log_activity(
            &admin_b,
            json!({ "customerId": customer_a, "kind": "CALL", "text": "hello from B" }),
        )
        .await;
    assert_error(&log, "NOT_FOUND", &[]);
    let moved = app
        .move_stage(
            &admin_b,
            json!({ "dealId": deal_a1, "stage": "LOST", "lostReason": "sabotage" }),
        )
        .await;
    assert_error(&moved, "NOT_FOUND", &[]);
    let deal = app
        .gql_as(
            &admin_b,
            "mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }",
            json!({ "input": { "title": "stolen", "customerId": customer_a } }),
        )
        .await;
    assert_error(&deal, "NOT_FOUND", &[]);

    // A's deal is untouched.
    let after = data(
        app.gql_as(
            &admin_a,
            "query($id: ID!) { deal(id: $id) { stage timeline { totalCount } } }",
            json!({ "id": deal_a1 }),
        )
        .await,
    );
    assert_eq!(after["deal"]["stage"], "LEAD");
    assert_eq!(after["deal"]["timeline"]["totalCount"], 1);
}
