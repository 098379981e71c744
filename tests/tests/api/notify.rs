//! Notification channels and the outbox (I1–I4, S6): alerts reach DingTalk,
//! WeCom, webhooks and email; failures are retried with the same
//! idempotency key; hopeless deliveries are dead-lettered and re-drivable.

use std::time::Duration as StdDuration;

use chrono::Duration;
use dealdesk_e2e::receiver::{Receiver, SmtpSink};
use dealdesk_e2e::{assert_error, data, rfc3339, spawn_app, spawn_app_with, text, time, Session, TestApp, TestOptions};
use serde_json::{json, Value};

const ADD: &str = "mutation($input: AddChannelInput!) { addChannel(input: $input) { id kind name target hasSecret events } }";
const DELIVERIES: &str = "query($filter: DeliveryFilterInput) { deliveries(filter: $filter, first: 50) { totalCount edges { node { id channelId event status attempts lastError attemptLog { attempt outcome detail } } } } }";

async fn add_channel(app: &TestApp, admin: &Session, input: Value) -> Value {
    app.data_as(admin, ADD, json!({ "input": input })).await["addChannel"].clone()
}

async fn deliveries(app: &TestApp, admin: &Session) -> Vec<Value> {
    let response = app.data_as(admin, DELIVERIES, json!({})).await;
    response["deliveries"]["edges"].as_array().expect("edges").iter().map(|edge| edge["node"].clone()).collect()
}

/// Waits until every delivery has left PENDING.
async fn settled(app: &TestApp, admin: &Session, expected: usize) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(30);
    loop {
        let all = deliveries(app, admin).await;
        if all.len() >= expected && all.iter().all(|delivery| delivery["status"] != "PENDING") {
            return all;
        }
        assert!(tokio::time::Instant::now() < deadline, "deliveries did not settle: {all:?}");
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
}

fn query_param(target: &str, name: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| pair.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Ok(value) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(value);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8(out).expect("utf-8")
}

#[tokio::test]
async fn a_stuck_deal_reaches_every_channel_and_retries_keep_the_idempotency_key() {
    let sink = SmtpSink::start().await;
    let dingtalk = Receiver::start(vec![], r#"{"errcode":0,"errmsg":"ok"}"#).await;
    let wecom = Receiver::start(vec![], r#"{"errcode":0,"errmsg":"ok"}"#).await;
    let webhook = Receiver::start(vec![(500, "down".into()), (503, "still down".into())], "{}").await;
    let app = spawn_app_with(TestOptions { test_clock: true, smtp_url: Some(sink.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org("Suzhou Optics").await;

    let robot = add_channel(&app, &org.admin, json!({ "kind": "DINGTALK", "target": format!("{}/robot/send?access_token=tok-secret-123456", dingtalk.url), "secret": "SECdingtalk-robot-secret", "events": ["alert.STAGE_STUCK"], "name": "华东销售群" })).await;
    assert_eq!(robot["hasSecret"], true);
    assert!(!text(&robot["target"]).contains("tok-secret"), "the robot token is never returned: {robot}");
    add_channel(&app, &org.admin, json!({ "kind": "WECOM", "target": format!("{}/cgi-bin/webhook/send?key=wecom-key-123456", wecom.url) })).await;
    add_channel(&app, &org.admin, json!({ "kind": "WEBHOOK", "target": format!("{}/hooks/dealdesk", webhook.url), "secret": "whsec-0123456789" })).await;
    let email = add_channel(&app, &org.admin, json!({ "kind": "EMAIL", "target": "boss@example.com", "name": "经理邮箱" })).await;
    // Email is personal: the manager asks for stuck-deal alerts there.
    data(app.gql_as(&org.manager, "mutation($input: NotificationPreferenceInput!) { setNotificationPreference(input: $input) { channelId kinds } }", json!({ "input": { "channelId": email["id"], "kinds": ["STAGE_STUCK"] } })).await);

    let (_, deal) = app.customer_with_deal(&org.rep_a, "苏州光学").await;
    let now = time(&app.data_as(&org.rep_a, "{ testClock }", json!({})).await["testClock"]);
    data(app.move_stage(&org.rep_a, json!({ "dealId": deal, "stage": "DEMO", "coreNeed": "良率分析", "decisionRole": "CHAMPION", "nextFollowUpAt": rfc3339(now + Duration::days(30)) })).await);
    data(app.gql_as(&org.rep_a, "mutation { advanceTestClock(hours: 49) }", json!({})).await);

    // DingTalk: signed markdown.
    let robot_calls = dingtalk.wait_for(1, StdDuration::from_secs(20)).await;
    let call = &robot_calls[0];
    let timestamp: i64 = query_param(&call.target, "timestamp").expect("timestamp").parse().expect("ms");
    let sign = percent_decode(&query_param(&call.target, "sign").expect("sign"));
    assert_eq!(sign, dealdesk_notification::dingtalk_sign("SECdingtalk-robot-secret", timestamp));
    assert_eq!(query_param(&call.target, "access_token").as_deref(), Some("tok-secret-123456"));
    let body = call.json();
    assert_eq!(body["msgtype"], "markdown");
    assert!(text(&body["markdown"]["text"]).contains("苏州光学"), "{body}");

    // WeCom: markdown content.
    let wecom_calls = wecom.wait_for(1, StdDuration::from_secs(20)).await;
    assert!(text(&wecom_calls[0].json()["markdown"]["content"]).contains("苏州光学"));

    // Webhook: two failures, then delivered; one idempotency key throughout.
    let hooks = webhook.wait_for(3, StdDuration::from_secs(30)).await;
    let keys: Vec<&str> = hooks.iter().map(|hook| hook.header("idempotency-key").expect("idempotency key")).collect();
    assert!(keys.iter().all(|key| *key == keys[0]), "{keys:?}");
    let hook = &hooks[2];
    let payload = hook.json();
    assert_eq!(payload["id"], keys[0]);
    assert_eq!(payload["event"], "alert.raised");
    assert_eq!(payload["data"]["kind"], "STAGE_STUCK");
    assert_eq!(payload["data"]["subjectId"], deal.as_str());
    let stamp: i64 = hook.header("x-dealdesk-timestamp").expect("timestamp").parse().expect("seconds");
    assert_eq!(hook.header("x-dealdesk-signature").expect("signature"), dealdesk_notification::webhook_signature("whsec-0123456789", stamp, &hook.body));

    // Email through SMTP.
    let mails = sink.wait_for(1, StdDuration::from_secs(20)).await;
    assert!(mails[0].contains("boss@example.com") && mails[0].contains("X-Dealdesk-Event: alert.raised"), "{}", mails[0]);

    // The delivery log shows every attempt; nothing was sent twice.
    let log = settled(&app, &org.admin, 4).await;
    assert_eq!(log.len(), 4, "{log:?}");
    assert!(log.iter().all(|delivery| delivery["status"] == "SENT"), "{log:?}");
    let retried = log.iter().find(|delivery| delivery["attempts"] == 3).expect("the webhook delivery");
    let outcomes: Vec<&str> = retried["attemptLog"].as_array().expect("log").iter().map(|attempt| attempt["outcome"].as_str().expect("outcome")).collect();
    assert_eq!(outcomes, ["RETRY", "RETRY", "DELIVERED"]);
    assert_eq!(dingtalk.requests().len(), 1);
    assert_eq!(wecom.requests().len(), 1);
    assert_eq!(webhook.requests().len(), 3);
    assert_eq!(sink.wait_for(1, StdDuration::from_secs(1)).await.len(), 1);
}

#[tokio::test]
async fn a_refused_delivery_is_dead_lettered_and_an_admin_can_redrive_it() {
    let webhook = Receiver::start(vec![(400, "bad".into())], "{}").await;
    let app = spawn_app().await;
    let admin = app.sign_up("Dead Letters Ltd").await;
    let channel = add_channel(&app, &admin, json!({ "kind": "WEBHOOK", "target": format!("{}/in", webhook.url) })).await;
    let test = app.data_as(&admin, "mutation($id: ID!) { testChannel(id: $id) { id status } }", json!({ "id": channel["id"] })).await;
    let id = text(&test["testChannel"]["id"]);

    let log = settled(&app, &admin, 1).await;
    assert_eq!(log[0]["status"], "DEAD", "a 4xx is not retried: {log:?}");
    assert_eq!(log[0]["attempts"], 1);
    assert!(text(&log[0]["lastError"]).contains("400"), "{log:?}");

    let redrive = "mutation($id: ID!) { redriveDelivery(id: $id) { status } }";
    assert_eq!(app.data_as(&admin, redrive, json!({ "id": id })).await["redriveDelivery"]["status"], "PENDING");
    let log = settled(&app, &admin, 1).await;
    assert_eq!(log[0]["status"], "SENT");
    assert_eq!(webhook.requests().len(), 2);
    assert_error(&app.gql_as(&admin, redrive, json!({ "id": id })).await, "INVALID_TRANSITION", &[]);
}

#[tokio::test]
async fn channels_are_validated_admin_only_and_removable() {
    let app = spawn_app().await;
    let org = app.sales_org("Validation Co").await;
    assert_error(&app.gql_as(&org.admin, ADD, json!({ "input": { "kind": "WEBHOOK", "target": "ftp://example.com/x" } })).await, "BAD_INPUT", &["target"]);
    assert_error(&app.gql_as(&org.admin, ADD, json!({ "input": { "kind": "EMAIL", "target": "not-an-address" } })).await, "BAD_INPUT", &["target"]);
    assert_error(&app.gql_as(&org.admin, ADD, json!({ "input": { "kind": "WEBHOOK", "target": "https://example.com/hook", "events": ["alert.NOPE"] } })).await, "BAD_INPUT", &["events"]);
    assert_error(&app.gql_as(&org.rep_a, ADD, json!({ "input": { "kind": "WEBHOOK", "target": "https://example.com/hook" } })).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&org.rep_a, DELIVERIES, json!({})).await, "FORBIDDEN", &[]);

    let channel = add_channel(&app, &org.admin, json!({ "kind": "WEBHOOK", "target": "https://example.com/hook", "secret": "whsec-abcdefgh" })).await;
    let listed = app.data_as(&org.admin, "{ channels { id target hasSecret } }", json!({})).await;
    assert_eq!(listed["channels"].as_array().expect("channels").len(), 1);
    assert!(!listed.to_string().contains("whsec-abcdefgh"), "secrets are never returned");
    let remove = "mutation($id: ID!) { removeChannel(id: $id) }";
    assert_eq!(app.data_as(&org.admin, remove, json!({ "id": channel["id"] })).await["removeChannel"], true);
    assert!(app.data_as(&org.admin, "{ channels { id } }", json!({})).await["channels"].as_array().expect("channels").is_empty());
    assert_error(&app.gql_as(&org.admin, remove, json!({ "id": channel["id"] })).await, "NOT_FOUND", &[]);
}

#[tokio::test]
async fn a_receiver_that_keeps_failing_is_dead_lettered_after_the_bound() {
    let webhook = Receiver::start(vec![(503, "a".into()), (503, "b".into()), (503, "c".into()), (503, "d".into())], "{}").await;
    let app = spawn_app_with(TestOptions { max_delivery_attempts: Some(3), ..TestOptions::default() }).await;
    let admin = app.sign_up("Bounded Retries").await;
    let channel = add_channel(&app, &admin, json!({ "kind": "WEBHOOK", "target": format!("{}/in", webhook.url) })).await;
    data(app.gql_as(&admin, "mutation($id: ID!) { testChannel(id: $id) { id } }", json!({ "id": channel["id"] })).await);

    // Three attempts (2 s and 4 s apart), then dead-lettered, with every attempt on record.
    let log = settled(&app, &admin, 1).await;
    assert_eq!(log[0]["status"], "DEAD", "{log:?}");
    assert_eq!(log[0]["attempts"], 3);
    let outcomes: Vec<&str> = log[0]["attemptLog"].as_array().expect("log").iter().map(|attempt| attempt["outcome"].as_str().expect("outcome")).collect();
    assert_eq!(outcomes, ["RETRY", "RETRY", "RETRY"]);
    assert!(text(&log[0]["lastError"]).contains("gave up after 3 attempts"), "{log:?}");
    assert_eq!(webhook.requests().len(), 3, "not retried forever");
}
