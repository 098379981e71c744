//! Activities: back-dating needs a reason past 24 h; the entry time is always kept.

use chrono::{Duration, SubsecRound, Utc};
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app, text, time};
use serde_json::json;

#[tokio::test]
async fn backdating_beyond_a_day_needs_a_reason_and_the_future_is_refused() {
    let app = spawn_app().await;
    let rep = app.sign_up("Backdate Ltd").await;
    let (customer_id, deal_id) = app.customer_with_deal(&rep, "Quanzhou Shoes").await;
    let timeline_count = || async {
        let data = app
            .data_as(
                &rep,
                "query($id: ID!) { deal(id: $id) { timeline { totalCount } } }",
                json!({ "id": deal_id }),
            )
            .await;
        data["deal"]["timeline"]["totalCount"].as_u64().unwrap()
    };
    assert_eq!(timeline_count().await, 1);

    let occurred = (Utc::now() - Duration::hours(30)).trunc_subsecs(0);
    let refused = app
        .log_activity(&rep, json!({ "dealId": deal_id, "kind": "VISIT", "text": "Visited the plant", "occurredAt": rfc3339(occurred) }))
        .await;
    assert_error(&refused, "BAD_INPUT", &["backdateReason"]);
    let blank_reason = app
        .log_activity(&rep, json!({ "dealId": deal_id, "kind": "VISIT", "text": "Visited the plant", "occurredAt": rfc3339(occurred), "backdateReason": "  " }))
        .await;
    assert_error(&blank_reason, "BAD_INPUT", &["backdateReason"]);
    assert_eq!(
        timeline_count().await,
        1,
        "refused activities are not written"
    );

    let logged = data(
        app.log_activity(
            &rep,
            json!({ "dealId": deal_id, "kind": "VISIT", "text": "Visited the plant", "occurredAt": rfc3339(occurred), "backdateReason": "Was offline on the road" }),
        )
        .await,
    );
    let activity = &logged["logActivity"];
    assert_eq!(time(&activity["occurredAt"]), occurred);
    assert_eq!(activity["backdateReason"], "Was offline on the road");
    assert_eq!(activity["customerId"], customer_id.as_str());
    assert_eq!(activity["author"]["id"], rep.user_id.as_str());
    let recorded = time(&activity["recordedAt"]);
    assert!(
        (recorded - Utc::now()).num_seconds().abs() < 60,
        "recordedAt {recorded} should be now"
    );

    // Slightly back-dated (within a day) needs no reason.
    let recent = (Utc::now() - Duration::hours(3)).trunc_subsecs(0);
    let ok = data(app.log_activity(&rep, json!({ "dealId": deal_id, "kind": "CALL", "text": "Quick call", "occurredAt": rfc3339(recent) })).await);
    assert_eq!(time(&ok["logActivity"]["occurredAt"]), recent);

    // The future is not a time things happened.
    let future = Utc::now() + Duration::minutes(10);
    let refused = app
        .log_activity(&rep, json!({ "dealId": deal_id, "kind": "CALL", "text": "Call from the future", "occurredAt": rfc3339(future) }))
        .await;
    assert_error(&refused, "BAD_INPUT", &["occurredAt"]);
    assert_eq!(timeline_count().await, 3);

    // The timeline orders by when things happened, not when they were entered.
    let timeline = app
        .data_as(&rep, "query($id: ID!) { deal(id: $id) { timeline { edges { node { __typename ... on Activity { id text } } } } } }", json!({ "id": deal_id }))
        .await;
    let order: Vec<String> = timeline["deal"]["timeline"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| {
            edge["node"]["text"]
                .as_str()
                .map_or_else(|| text(&edge["node"]["__typename"]), str::to_string)
        })
        .collect();
    assert_eq!(
        order,
        vec!["Visited the plant", "Quick call", "StageTransition"]
    );
}
