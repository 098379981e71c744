//! Data scope inside an org (S2): reps see their own deals, managers their team's, admins all.

use dealdesk_e2e::{assert_error, data, spawn_app};
use serde_json::json;

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[tokio::test]
async fn reps_see_their_own_deals_managers_their_teams_and_admins_all() {
    let app = spawn_app().await;
    let org = app.sales_org("Xiamen Marine").await;
    // A rep outside the manager's team.
    let outsider = app.create_user(&org.admin, "REP", None, None).await;

    let (_, deal_a) = app.customer_with_deal(&org.rep_a, "A-Corp").await;
    let (customer_b, deal_b) = app.customer_with_deal(&org.rep_b, "B-Corp").await;
    let (_, deal_c) = app.customer_with_deal(&outsider, "C-Corp").await;

    // Rep A: only A's deal, and B's deal and customer are not found.
    assert_error(&app.deal(&org.rep_a, &deal_b).await, "NOT_FOUND", &[]);
    let customer = app
        .gql_as(
            &org.rep_a,
            "query($id: ID!) { customer(id: $id) { id } }",
            json!({ "id": customer_b }),
        )
        .await;
    assert_error(&customer, "NOT_FOUND", &[]);
    assert_eq!(
        app.deal_ids(&org.rep_a, json!(null)).await,
        (vec![deal_a.clone()], 1)
    );
    assert_eq!(
        app.deal_ids(&org.rep_a, json!({ "customerId": customer_b }))
            .await,
        (vec![], 0)
    );
    let log = app
        .log_activity(
            &org.rep_a,
            json!({ "dealId": deal_b, "kind": "NOTE", "text": "peeking" }),
        )
        .await;
    assert_error(&log, "NOT_FOUND", &[]);

    let log = app
        .log_activity(
            &org.rep_a,
            json!({ "customerId": customer_b, "kind": "NOTE", "text": "peeking" }),
        )
        .await;
    assert_error(&log, "NOT_FOUND", &[]);
    assert_eq!(app.customer_count(&org.rep_a).await, 1);

    // The manager: both reps' deals and customers, not the outsider's.
    assert_eq!(app.customer_count(&org.manager).await, 2);
    assert_eq!(app.customer_count(&org.admin).await, 3);
    let (ids, total) = app
        .deal_ids(&org.manager, json!({ "ownerId": org.rep_b.user_id }))
        .await;
    assert_eq!((ids, total), (vec![deal_b.clone()], 1));
    let (ids, total) = app.deal_ids(&org.manager, json!(null)).await;
    assert_eq!(sorted(ids), sorted(vec![deal_a.clone(), deal_b.clone()]));
    assert_eq!(total, 2);
    assert_eq!(
        data(app.deal(&org.manager, &deal_a).await)["deal"]["id"],
        deal_a.as_str()
    );
    assert_error(&app.deal(&org.manager, &deal_c).await, "NOT_FOUND", &[]);

    // The admin: everything.
    let (ids, total) = app.deal_ids(&org.admin, json!(null)).await;
    assert_eq!(
        sorted(ids),
        sorted(vec![deal_a.clone(), deal_b.clone(), deal_c.clone()])
    );
    assert_eq!(total, 3);

    // A rep may not reassign, not even their own deal.
    let reassign =
        "mutation($input: ReassignDealInput!) { reassignDeal(input: $input) { id owner { id } } }";
    let refused = app
        .gql_as(
            &org.rep_a,
            reassign,
            json!({ "input": { "dealId": deal_a, "ownerId": org.rep_b.user_id } }),
        )
        .await;
    assert_error(&refused, "FORBIDDEN", &[]);
    assert_eq!(
        data(app.deal(&org.rep_a, &deal_a).await)["deal"]["owner"]["id"],
        org.rep_a.user_id.as_str()
    );

    // The manager hands A's deal to B.
    let moved = app
        .data_as(
            &org.manager,
            reassign,
            json!({ "input": { "dealId": deal_a, "ownerId": org.rep_b.user_id } }),
        )
        .await;
    assert_eq!(
        moved["reassignDeal"]["owner"]["id"],
        org.rep_b.user_id.as_str()
    );
    assert_error(&app.deal(&org.rep_a, &deal_a).await, "NOT_FOUND", &[]);
    assert_eq!(app.deal_ids(&org.rep_a, json!(null)).await, (vec![], 0));
    let (ids, _) = app.deal_ids(&org.rep_b, json!(null)).await;
    assert_eq!(sorted(ids), sorted(vec![deal_a.clone(), deal_b.clone()]));

    // The reassignment is on the deal's timeline, after the deal's creation.
    let timeline = app
        .data_as(
            &org.rep_b,
            "query($id: ID!) { deal(id: $id) { timeline { totalCount edges { node { __typename
                ... on DealReassignment { fromOwner { id } toOwner { id } by { id } at }
                ... on StageTransition { toStage at } } } } } }",
            json!({ "id": deal_a }),
        )
        .await;
    let edges = timeline["deal"]["timeline"]["edges"].as_array().unwrap();
    let kinds: Vec<&str> = edges
        .iter()
        .map(|edge| edge["node"]["__typename"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["StageTransition", "DealReassignment"]);
    let reassignment = &edges[1]["node"];
    assert_eq!(reassignment["fromOwner"]["id"], org.rep_a.user_id.as_str());
    assert_eq!(reassignment["toOwner"]["id"], org.rep_b.user_id.as_str());
    assert_eq!(reassignment["by"]["id"], org.manager.user_id.as_str());
    assert_eq!(timeline["deal"]["timeline"]["totalCount"], 2);
}

#[tokio::test]
async fn a_customers_timeline_shows_the_deals_the_caller_may_see() {
    let app = spawn_app().await;
    let org = app.sales_org("Quanzhou Tea").await;
    let (customer, kept) = app.customer_with_deal(&org.rep_a, "Tieguanyin Co").await;
    let handed_over = app.create_deal(&org.rep_a, &customer, "Second order").await["id"].as_str().unwrap().to_string();
    let reassign = "mutation($input: ReassignDealInput!) { reassignDeal(input: $input) { id } }";
    app.data_as(&org.manager, reassign, json!({ "input": { "dealId": handed_over, "ownerId": org.rep_b.user_id } }))
        .await;
    data(app.log_activity(&org.rep_b, json!({ "dealId": handed_over, "kind": "CALL", "text": "on B's deal" })).await);
    data(app.log_activity(&org.rep_a, json!({ "customerId": customer, "kind": "NOTE", "text": "about the customer" })).await);

    let timeline = |session| {
        let app = &app;
        let customer = customer.clone();
        async move {
            let data = app
                .data_as(
                    session,
                    "query($id: ID!) { customer(id: $id) { timeline(first: 50) { totalCount nodes { __typename
                        ... on Activity { dealId text } ... on StageTransition { dealId } ... on DealReassignment { dealId } } } } }",
                    json!({ "id": customer }),
                )
                .await;
            let timeline = &data["customer"]["timeline"];
            let entries: Vec<(String, Option<String>)> = timeline["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|node| (node["__typename"].as_str().unwrap().to_string(), node["dealId"].as_str().map(str::to_string)))
                .collect();
            (entries, timeline["totalCount"].as_u64().unwrap())
        }
    };

    // Rep A owns the customer but no longer the second deal: its creation,
    // reassignment and B's call on it are not shown.
    let (entries, total) = timeline(&org.rep_a).await;
    assert_eq!(
        entries,
        vec![("StageTransition".to_string(), Some(kept.clone())), ("Activity".to_string(), None)],
        "rep A's view of the customer's timeline"
    );
    assert_eq!(total, 2);

    // The manager sees both reps' deals.
    let (entries, total) = timeline(&org.manager).await;
    let on_second: Vec<&str> =
        entries.iter().filter(|(_, deal)| deal.as_deref() == Some(handed_over.as_str())).map(|(kind, _)| kind.as_str()).collect();
    assert_eq!(on_second, vec!["StageTransition", "DealReassignment", "Activity"], "{entries:?}");
    assert_eq!(entries.len(), 5, "{entries:?}");
    assert_eq!(total, 5);

    // Rep B sees the customer through the deal they now own: that deal's
    // entries and the customer's own note, not A's deal.
    let (entries, total) = timeline(&org.rep_b).await;
    assert!(entries.iter().all(|(_, deal)| deal.as_deref() != Some(kept.as_str())), "{entries:?}");
    assert_eq!(entries.len(), 4, "{entries:?}");
    assert_eq!(total, 4);
}
