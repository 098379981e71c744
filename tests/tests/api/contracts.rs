//! Receivables and credit risk (R1–R4): the payment-capability check gates
//! approval, approval opens WON and creates receivables, and overdue
//! receivables move the customer through the tiers with their actions.

use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDate};
use dealdesk_e2e::receiver::Receiver;
use dealdesk_e2e::{assert_error, credit_code, data, rfc3339, shanghai_day, spawn_app_with, text, time, Session, TestApp, TestOptions};
use serde_json::{json, Value};

const CONTRACT_FIELDS: &str = "id status amount { amount currency } instalments { dueDate amount { amount } } paymentCheck { passed reasons } registryStatus documents { kind periodMonth sha256 downloadUrl } receivables { id dueDate amount { amount } }";

pub(crate) async fn today(app: &TestApp, session: &Session) -> NaiveDate {
    shanghai_day(time(&app.data_as(session, "{ testClock }", json!({})).await["testClock"]))
}

/// A deal of `rep` for `customer`, moved to NEGOTIATION through the gates.
pub(crate) async fn deal_in_negotiation(app: &TestApp, rep: &Session, customer: &str, title: &str) -> String {
    let deal = text(&app.create_deal(rep, customer, title).await["id"]);
    let now = time(&app.data_as(rep, "{ testClock }", json!({})).await["testClock"]);
    data(app.move_stage(rep, json!({ "dealId": deal, "stage": "NEGOTIATION", "coreNeed": "财务系统替换", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": rfc3339(now + Duration::days(60)) })).await);
    deal
}

/// Twelve monthly instalments of 10 000 CNY, the first due in 10 days.
pub(crate) fn plan(first_due: NaiveDate) -> Vec<Value> {
    (0..12).map(|month| json!({ "dueDate": (first_due + Duration::days(30 * month)).format("%Y-%m-%d").to_string(), "amount": { "amount": "10000.00", "currency": "CNY" } })).collect()
}

pub(crate) async fn contract_call(app: &TestApp, session: &Session, mutation: &str, id: &str) -> Value {
    app.gql_as(session, &format!("mutation($id: ID!) {{ {mutation}(id: $id) {{ {CONTRACT_FIELDS} }} }}"), json!({ "id": id })).await
}

/// Uploads a file through the GraphQL multipart request spec.
pub(crate) async fn upload(app: &TestApp, session: &Session, contract: &str, kind: &str, month: Option<&str>, name: &str, bytes: Vec<u8>) -> Value {
    let operations = json!({
        "query": "mutation($contractId: ID!, $kind: DocumentKindValue!, $periodMonth: String, $file: Upload!) { attachDocument(contractId: $contractId, kind: $kind, periodMonth: $periodMonth, file: $file) { id kind periodMonth sha256 downloadUrl } }",
        "variables": { "contractId": contract, "kind": kind, "periodMonth": month, "file": null }
    });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.file"] }).to_string())
        .part("0", reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()));
    app.client
        .post(app.url("/graphql"))
        .bearer_auth(&session.token)
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_contract_passes_the_check_is_approved_wins_the_deal_and_overdue_instalments_tier_the_customer() {
    let registry = Receiver::start(vec![], r#"{"creditCode":"x","name":"x","status":"OPERATING","updatedAt":"2026-11-01T00:00:00Z"}"#).await;
    let hooks = Receiver::start(vec![], "{}").await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org("Receivables Co").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let legal = app.create_user(&org.admin, "LEGAL", None, None).await;
    data(app.gql_as(&org.admin, "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }", json!({ "input": { "kind": "WEBHOOK", "target": format!("{}/risk", hooks.url), "events": ["customer.risk_red"] } })).await);
    let customer = text(&app.create_customer(&org.rep_a, "常州回款测试有限公司", Some(&credit_code(7))).await["id"]);
    let deal = deal_in_negotiation(&app, &org.rep_a, &customer, "财务共享中心").await;
    let start = today(&app, &org.rep_a).await;
    let first_due = start + Duration::days(10);

    // The plan must add up; the contract amount is 120 000.
    let create = "mutation($input: CreateContractInput!) { createContract(input: $input) { id status } }";
    let mut short = plan(first_due);
    short.pop();
    assert_error(&app.gql_as(&org.rep_a, create, json!({ "input": { "dealId": deal, "amount": { "amount": "120000", "currency": "CNY" }, "paymentTermsDays": 30, "instalments": short } })).await, "BAD_INPUT", &["instalments"]);
    let contract = text(&app.data_as(&org.rep_a, create, json!({ "input": { "dealId": deal, "amount": { "amount": "120000", "currency": "CNY" }, "paymentTermsDays": 30, "instalments": plan(first_due) } })).await["createContract"]["id"]);

    // WON stays closed until approval; approval needs a passed check.
    let won = json!({ "dealId": deal, "stage": "WON", "coreNeed": "签约", "decisionRole": "DECISION_MAKER" });
    assert_error(&app.move_stage(&org.rep_a, won.clone()).await, "INVALID_TRANSITION", &[]);
    data(contract_call(&app, &org.rep_a, "submitContract", &contract).await);
    assert_error(&contract_call(&app, &finance, "approveContract", &contract).await, "PAYMENT_CHECK_REQUIRED", &[]);
    let check = "mutation($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }";
    let refused = app.data_as(&org.rep_a, check, json!({ "id": contract })).await["runPaymentCheck"].clone();
    assert_eq!(refused["passed"], false);
    assert_eq!(refused["reasons"].as_array().expect("reasons").len(), 3, "one reason per missing month: {refused}");
    assert_error(&contract_call(&app, &finance, "approveContract", &contract).await, "PAYMENT_CHECK_REQUIRED", &[]);

    // Statements for the last three months (a program is not a statement).
    let bad = upload(&app, &org.rep_a, &contract, "BANK_STATEMENT", Some("2026-10"), "statement.exe", b"MZ\x90\x00 not a pdf".to_vec()).await;
    assert_error(&bad, "BAD_INPUT", &["file"]);
    let first_of_month = start.with_day_one();
    for back in 1..=3u32 {
        let month = first_of_month.checked_sub_months(chrono::Months::new(back)).expect("month").format("%Y-%m").to_string();
        let uploaded = data(upload(&app, &org.rep_a, &contract, "BANK_STATEMENT", Some(&month), &format!("statement-{month}.pdf"), format!("%PDF-1.4 statement {month}").into_bytes()).await);
        assert_eq!(uploaded["attachDocument"]["sha256"].as_str().map(str::len), Some(64));
    }
    // Documents download only for people who may see the contract.
    let documents = app.data_as(&org.rep_a, &format!("query($id: ID!) {{ contract(id: $id) {{ {CONTRACT_FIELDS} }} }}"), json!({ "id": contract })).await;
    let url = text(&documents["contract"]["documents"][0]["downloadUrl"]);
    let allowed = app.client.get(app.url(&url)).bearer_auth(&org.rep_a.token).send().await.expect("download");
    assert_eq!(allowed.status().as_u16(), 200);
    assert!(allowed.bytes().await.expect("bytes").starts_with(b"%PDF"));
    assert_eq!(app.client.get(app.url(&url)).bearer_auth(&org.rep_b.token).send().await.expect("download").status().as_u16(), 404);

    let passed = app.data_as(&org.rep_a, check, json!({ "id": contract })).await["runPaymentCheck"].clone();
    assert_eq!(passed["passed"], true, "{passed}");
    assert_eq!(registry.requests().len(), 2, "the registry was asked each time");
    assert_error(&contract_call(&app, &org.rep_a, "approveContract", &contract).await, "FORBIDDEN", &[]);
    let approved = data(contract_call(&app, &finance, "approveContract", &contract).await)["approveContract"].clone();
    assert_eq!(approved["status"], "APPROVED");
    assert_eq!(approved["receivables"].as_array().expect("receivables").len(), 12);
    let stage = data(app.move_stage(&org.rep_a, won).await)["moveDealStage"]["stage"].clone();
    assert_eq!(stage, "WON");

    // Four days overdue: YELLOW; new contracts for the customer are frozen.
    let advance = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
    data(app.gql_as(&org.admin, advance, json!({ "hours": 24.0 * 14.0 + 1.0 })).await);
    let tier = "query($id: ID!) { customer(id: $id) { riskTier overdueAmount { amount } riskHistory { from to reasons } } }";
    let yellow = app.data_as(&org.rep_a, tier, json!({ "id": customer })).await["customer"].clone();
    assert_eq!(yellow["riskTier"], "YELLOW", "{yellow}");
    assert_eq!(yellow["overdueAmount"]["amount"], "10000.00");
    // The owner has 48 h to file the overdue-cause analysis; the alert carries legal's playbook.
    let queue = app.data_as(&org.rep_a, "{ tickets(filter: { scope: MY_QUEUE, kind: OVERDUE_ANALYSIS }) { edges { node { id number status } } } }", json!({})).await;
    let analysis = queue["tickets"]["edges"][0]["node"].clone();
    assert_eq!(analysis["number"], "OA-000001", "{queue}");
    let submitted = app.data_as(&org.rep_a, "mutation($id: ID!) { submitOverdueAnalysis(ticketId: $id, analysis: \"客户资金周转紧张，承诺下周付款\") { status } }", json!({ "id": analysis["id"] })).await;
    assert_eq!(submitted["submitOverdueAnalysis"]["status"], "DELIVERED");
    let playbook = app.data_as(&org.rep_a, "{ alerts(filter: { kind: RISK_TIER_CHANGED }) { edges { node { details } } } }", json!({})).await;
    assert!(playbook["alerts"]["edges"][0]["node"]["details"]["playbook"].as_str().is_some_and(|text| text.contains("协商话术")), "{playbook}");
    let second_deal = deal_in_negotiation(&app, &org.rep_a, &customer, "二期").await;
    assert_error(&app.gql_as(&org.rep_a, create, json!({ "input": { "dealId": second_deal, "amount": { "amount": "120000", "currency": "CNY" }, "paymentTermsDays": 30, "instalments": plan(today(&app, &org.rep_a).await + Duration::days(10)) } })).await, "CUSTOMER_RISK_FROZEN", &[]);

    // Sixteen days: RED, in the risk center, and the integration hears of it.
    data(app.gql_as(&org.admin, advance, json!({ "hours": 24.0 * 12.0 })).await);
    assert_eq!(app.data_as(&org.rep_a, tier, json!({ "id": customer })).await["customer"]["riskTier"], "RED");
    let center = app.data_as(&finance, "{ riskCenter { tier servicesSuspended customer { id } reasons } }", json!({})).await;
    assert_eq!(center["riskCenter"][0]["customer"]["id"], customer.as_str());
    assert_eq!(center["riskCenter"][0]["servicesSuspended"], true);
    let legal_queue = app.data_as(&legal, "{ tickets(filter: { scope: MY_QUEUE, kind: LEGAL_CASE }) { totalCount } }", json!({})).await;
    assert_eq!(legal_queue["tickets"]["totalCount"], 1, "legal takes over");
    let hooks_seen = hooks.wait_for(1, StdDuration::from_secs(20)).await;
    assert_eq!(hooks_seen[0].json()["event"], "customer.risk_red");
    // Finance and legal open the customers of contracts (links from their screens); not others.
    for person in [&finance, &legal] {
        assert_eq!(app.data_as(person, tier, json!({ "id": customer })).await["customer"]["riskTier"], "RED");
    }
    let no_contract = text(&app.create_customer(&org.rep_a, "无合同客户有限公司", Some(&credit_code(8))).await["id"]);
    assert_error(&app.gql_as(&finance, tier, json!({ "id": no_contract })).await, "NOT_FOUND", &[]);
    let alerts = app.data_as(&finance, "{ alerts(filter: { kind: RISK_TIER_CHANGED }) { totalCount } }", json!({})).await;
    assert_eq!(alerts["alerts"]["totalCount"], 2, "BLUE→YELLOW and YELLOW→RED");

    // Payment in full: the tier is recomputed (nothing overdue; 16 cumulative late days keep it RED for a year, as R4 says).
    let receivable = text(&approved["receivables"][0]["id"]);
    let pay = "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { outstanding { amount } fullyPaidOn } }";
    let paid_at = today(&app, &finance).await.format("%Y-%m-%d").to_string();
    assert_error(&app.gql_as(&org.rep_a, pay, json!({ "input": { "receivableId": receivable, "amount": { "amount": "10000", "currency": "CNY" }, "paidAt": paid_at } })).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&finance, pay, json!({ "input": { "receivableId": receivable, "amount": { "amount": "10000.01", "currency": "CNY" }, "paidAt": paid_at } })).await, "BAD_INPUT", &["amount"]);
    data(app.gql_as(&finance, pay, json!({ "input": { "receivableId": receivable, "amount": { "amount": "4000", "currency": "CNY" }, "paidAt": paid_at } })).await);
    let paid = data(app.gql_as(&finance, pay, json!({ "input": { "receivableId": receivable, "amount": { "amount": "6000", "currency": "CNY" }, "paidAt": paid_at } })).await)["recordPayment"].clone();
    assert_eq!(paid["outstanding"]["amount"], "0.00");
    let after = app.data_as(&org.rep_a, tier, json!({ "id": customer })).await["customer"].clone();
    assert_eq!(after["overdueAmount"]["amount"], "0.00", "{after}");
    assert_eq!(after["riskTier"], "RED");
}

#[tokio::test]
async fn a_registry_that_does_not_answer_never_passes_the_check() {
    // A provider that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(url), ..TestOptions::default() }).await;
    let org = app.sales_org("Slow Registry").await;
    let customer = text(&app.create_customer(&org.rep_a, "无锡慢响应有限公司", Some(&credit_code(8))).await["id"]);
    let deal = deal_in_negotiation(&app, &org.rep_a, &customer, "慢").await;
    let first_due = today(&app, &org.rep_a).await + Duration::days(10);
    let contract = text(&app.data_as(&org.rep_a, "mutation($input: CreateContractInput!) { createContract(input: $input) { id } }", json!({ "input": { "dealId": deal, "amount": { "amount": "120000", "currency": "CNY" }, "paymentTermsDays": 30, "instalments": plan(first_due) } })).await["createContract"]["id"]);
    let result = app.data_as(&org.rep_a, "mutation($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }", json!({ "id": contract })).await["runPaymentCheck"].clone();
    assert_eq!(result["passed"], false);
    let reasons = result["reasons"].to_string();
    assert!(reasons.contains("did not answer in time"), "{reasons}");
}

trait FirstDay {
    fn with_day_one(self) -> NaiveDate;
}

impl FirstDay for NaiveDate {
    fn with_day_one(self) -> NaiveDate {
        chrono::Datelike::with_day(&self, 1).expect("first of month")
    }
}
