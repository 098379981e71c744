//! The test clock (`DEALDESK_TEST_CLOCK=1`): business time the tests control.

use chrono::{Duration, Utc};
use dealdesk_e2e::{
    assert_error, data, rfc3339, spawn_app, spawn_app_with, text, time, TestOptions,
};
use serde_json::json;

const ADVANCE: &str = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
const SET: &str = "mutation($at: DateTime!) { setTestClock(at: $at) }";

#[tokio::test]
async fn the_test_clock_moves_business_time_forward_only() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let admin = app.sign_up("Clockwork Ltd").await;

    let t0 = time(&app.data_as(&admin, "{ testClock }", json!({})).await["testClock"]);
    assert!(
        (t0 - Utc::now()).num_seconds().abs() < 60,
        "the test clock starts near now, got {t0}"
    );
    // It stands still until told to move.
    let (_, deal_id) = app.customer_with_deal(&admin, "Longyan Mining").await;
    let deal = data(app.deal(&admin, &deal_id).await);
    assert_eq!(time(&deal["deal"]["enteredStageAt"]), t0);

    // A follow-up two hours ahead is fine now…
    let soon = t0 + Duration::hours(2);
    let logged = data(app.log_activity(&admin, json!({ "dealId": deal_id, "kind": "CALL", "text": "Intro call", "nextFollowUpAt": rfc3339(soon) })).await);
    assert_eq!(time(&logged["logActivity"]["occurredAt"]), t0);
    assert_eq!(
        time(&data(app.deal(&admin, &deal_id).await)["deal"]["nextFollowUpAt"]),
        soon
    );

    // …advance 25 hours…
    assert_error(
        &app.gql(ADVANCE, json!({ "hours": 25.0 }), None).await,
        "UNAUTHENTICATED",
        &[],
    );
    let advanced = app.data_as(&admin, ADVANCE, json!({ "hours": 25.0 })).await;
    let t1 = time(&advanced["advanceTestClock"]);
    assert_eq!(t1, t0 + Duration::hours(25));
    assert_eq!(
        time(&app.data_as(&admin, "{ testClock }", json!({})).await["testClock"]),
        t1
    );
    let deal = app
        .data_as(
            &admin,
            "query($id: ID!) { deal(id: $id) { dwellHours } }",
            json!({ "id": deal_id }),
        )
        .await;
    assert!(
        (deal["deal"]["dwellHours"].as_f64().unwrap() - 25.0).abs() < 0.01,
        "{deal}"
    );

    // …and activities happen at the new time, while that follow-up is now past.
    let later = data(
        app.log_activity(
            &admin,
            json!({ "dealId": deal_id, "kind": "NOTE", "text": "Next day" }),
        )
        .await,
    );
    assert_eq!(time(&later["logActivity"]["occurredAt"]), t1);
    assert_eq!(time(&later["logActivity"]["recordedAt"]), t1);
    let facts = json!({ "dealId": deal_id, "stage": "QUALIFICATION", "coreNeed": "Safety", "decisionRole": "CHAMPION", "nextFollowUpAt": rfc3339(soon) });
    assert_error(
        &app.move_stage(&admin, facts.clone()).await,
        "STAGE_GATE_MISSING_FIELDS",
        &["nextFollowUpAt"],
    );
    let stale = app.log_activity(&admin, json!({ "dealId": deal_id, "kind": "CALL", "text": "x", "nextFollowUpAt": rfc3339(soon) })).await;
    assert_error(&stale, "BAD_INPUT", &["nextFollowUpAt"]);
    // Yesterday's start is now more than a day ago.
    let backdated = app
        .log_activity(
            &admin,
            json!({ "dealId": deal_id, "kind": "CALL", "text": "x", "occurredAt": rfc3339(t0) }),
        )
        .await;
    assert_error(&backdated, "BAD_INPUT", &["backdateReason"]);
    let mut fixed = facts.clone();
    fixed["nextFollowUpAt"] = json!(rfc3339(t1 + Duration::hours(1)));
    let moved = data(app.move_stage(&admin, fixed).await);
    assert_eq!(moved["moveDealStage"]["stage"], "QUALIFICATION");
    assert_eq!(time(&moved["moveDealStage"]["enteredStageAt"]), t1);

    // Never backwards.
    assert_error(
        &app.gql_as(&admin, SET, json!({ "at": rfc3339(t0) })).await,
        "BAD_INPUT",
        &["at"],
    );
    assert_error(
        &app.gql_as(&admin, ADVANCE, json!({ "hours": -1.0 })).await,
        "BAD_INPUT",
        &["hours"],
    );
    let t2 = t1 + Duration::hours(48);
    let set = app.data_as(&admin, SET, json!({ "at": rfc3339(t2) })).await;
    assert_eq!(time(&set["setTestClock"]), t2);
    assert_eq!(
        time(&app.data_as(&admin, "{ testClock }", json!({})).await["testClock"]),
        t2
    );
    let after_set = data(
        app.log_activity(
            &admin,
            json!({ "dealId": deal_id, "kind": "NOTE", "text": "Two days on" }),
        )
        .await,
    );
    assert_eq!(
        text(&after_set["logActivity"]["occurredAt"])
            .parse::<chrono::DateTime<Utc>>()
            .unwrap(),
        t2
    );

    // With time frozen, many events share a timestamp; paging still visits each once, in entry order.
    let timeline = "query($id: ID!, $after: String) { deal(id: $id) { timeline(first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { __typename ... on Activity { id text } ... on StageTransition { id toStage } } } } } }";
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = app
            .data_as(&admin, timeline, json!({ "id": deal_id, "after": after }))
            .await;
        let connection = &page["deal"]["timeline"];
        let node = &connection["edges"][0]["node"];
        seen.push(
            node["text"]
                .as_str()
                .or(node["toStage"].as_str())
                .map(str::to_string)
                .unwrap(),
        );
        if connection["pageInfo"]["hasNextPage"] == false {
            break;
        }
        assert!(seen.len() < 10, "paging does not end: {seen:?}");
        after = Some(text(&connection["pageInfo"]["endCursor"]));
    }
    assert_eq!(
        seen,
        [
            "LEAD",
            "Intro call",
            "Next day",
            "QUALIFICATION",
            "Two days on"
        ]
    );

    let mut created = Vec::new();
    for n in 0..3 {
        let deal = app
            .create_deal(
                &admin,
                &text(&data(app.deal(&admin, &deal_id).await)["deal"]["customer"]["id"]),
                &format!("Same instant {n}"),
            )
            .await;
        created.push(text(&deal["id"]));
    }
    let mut listed = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = app
            .data_as(&admin, "query($after: String) { deals(first: 1, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }", json!({ "after": after }))
            .await;
        listed.push(text(&page["deals"]["edges"][0]["node"]["id"]));
        if page["deals"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        assert!(listed.len() < 10, "paging does not end: {listed:?}");
        after = Some(text(&page["deals"]["pageInfo"]["endCursor"]));
    }
    created.reverse();
    created.push(deal_id.clone());
    assert_eq!(
        listed, created,
        "newest first, ties broken by entry order, each once"
    );
}

#[tokio::test]
async fn the_test_clock_is_off_unless_enabled() {
    let app = spawn_app().await;
    let admin = app.sign_up("Real Time Ltd").await;
    assert_error(
        &app.gql_as(&admin, "{ testClock }", json!({})).await,
        "TEST_CLOCK_DISABLED",
        &[],
    );
    assert_error(
        &app.gql_as(&admin, ADVANCE, json!({ "hours": 1.0 })).await,
        "TEST_CLOCK_DISABLED",
        &[],
    );
    let future = rfc3339(Utc::now() + Duration::days(1));
    assert_error(
        &app.gql_as(&admin, SET, json!({ "at": future })).await,
        "TEST_CLOCK_DISABLED",
        &[],
    );
}
