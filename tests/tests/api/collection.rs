//! Collection forecast, warnings and metrics (R5, R6): predictions shrink a
//! customer's history toward its industry's mean, the warning arrives 15
//! days before a due date once, and metrics come per rep and team.

use chrono::{Duration, NaiveDate};
use dealdesk_e2e::receiver::Receiver;
use dealdesk_e2e::{assert_error, credit_code, data, rfc3339, shanghai_day, shanghai_time, spawn_app_with, text, time, Session, TestApp, TestOptions, CREATE_CUSTOMER};
use serde_json::{json, Value};

pub(crate) const REGISTRY_OK: &str = r#"{"creditCode":"x","name":"x","status":"OPERATING","updatedAt":"2026-11-01T00:00:00Z"}"#;

pub(crate) async fn today(app: &TestApp, session: &Session) -> NaiveDate {
    shanghai_day(time(&app.data_as(session, "{ testClock }", json!({})).await["testClock"]))
}

pub(crate) fn ymd(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

pub(crate) async fn customer(app: &TestApp, rep: &Session, name: &str, code: u32, industry: &str) -> String {
    let created = app.data_as(rep, CREATE_CUSTOMER, json!({ "input": { "name": name, "creditCode": credit_code(code), "industry": industry, "region": "Jiangsu" } })).await;
    text(&created["createCustomer"]["id"])
}

/// An approved contract of `rep` for `customer` with `instalments` (due day,
/// amount); returns the receivable ids in instalment order.
pub(crate) async fn approved_contract(app: &TestApp, rep: &Session, finance: &Session, customer: &str, instalments: &[(NaiveDate, i64)]) -> Vec<String> {
    approved_contract_signed(app, rep, finance, customer, None, instalments).await
}

/// [`approved_contract`], signed on `signed` when given.
pub(crate) async fn approved_contract_signed(app: &TestApp, rep: &Session, finance: &Session, customer: &str, signed: Option<NaiveDate>, instalments: &[(NaiveDate, i64)]) -> Vec<String> {
    let deal = text(&app.create_deal(rep, customer, "回款预测").await["id"]);
    let now = time(&app.data_as(rep, "{ testClock }", json!({})).await["testClock"]);
    data(app.move_stage(rep, json!({ "dealId": deal, "stage": "NEGOTIATION", "coreNeed": "回款", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": rfc3339(now + Duration::days(90)) })).await);
    let total: i64 = instalments.iter().map(|(_, amount)| amount).sum();
    let plan: Vec<Value> = instalments.iter().map(|(due, amount)| json!({ "dueDate": ymd(*due), "amount": { "amount": amount.to_string(), "currency": "CNY" } })).collect();
    let contract = text(
        &app.data_as(rep, "mutation($input: CreateContractInput!) { createContract(input: $input) { id } }", json!({ "input": { "dealId": deal, "amount": { "amount": total.to_string(), "currency": "CNY" }, "paymentTermsDays": 30, "signedAt": signed.map(ymd), "instalments": plan } }))
            .await["createContract"]["id"],
    );
    let first_of_month = chrono::Datelike::with_day(&shanghai_day(now), 1).expect("first of month");
    for back in 1..=3u32 {
        let month = first_of_month.checked_sub_months(chrono::Months::new(back)).expect("month").format("%Y-%m").to_string();
        let operations = json!({
            "query": "mutation($contractId: ID!, $periodMonth: String, $file: Upload!) { attachDocument(contractId: $contractId, kind: BANK_STATEMENT, periodMonth: $periodMonth, file: $file) { id } }",
            "variables": { "contractId": contract, "periodMonth": month, "file": null }
        });
        let form = reqwest::multipart::Form::new()
            .text("operations", operations.to_string())
            .text("map", json!({ "0": ["variables.file"] }).to_string())
            .part("0", reqwest::multipart::Part::bytes(format!("%PDF-1.4 {month}").into_bytes()).file_name(format!("{month}.pdf")));
        let response: Value = app.client.post(app.url("/graphql")).bearer_auth(&rep.token).multipart(form).send().await.expect("upload").json().await.expect("json");
        data(response);
    }
    let check = app.data_as(rep, "mutation($id: ID!) { runPaymentCheck(contractId: $id) { passed reasons } }", json!({ "id": contract })).await;
    assert_eq!(check["runPaymentCheck"]["passed"], true, "{check}");
    data(app.gql_as(rep, "mutation($id: ID!) { submitContract(id: $id) { id } }", json!({ "id": contract })).await);
    let approved = app.data_as(finance, "mutation($id: ID!) { approveContract(id: $id) { status receivables { id } } }", json!({ "id": contract })).await;
    assert_eq!(approved["approveContract"]["status"], "APPROVED");
    approved["approveContract"]["receivables"].as_array().expect("receivables").iter().map(|row| text(&row["id"])).collect()
}

pub(crate) async fn pay(app: &TestApp, finance: &Session, receivable: &str, amount: i64, on: NaiveDate) {
    data(
        app.gql_as(finance, "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }", json!({ "input": { "receivableId": receivable, "amount": { "amount": amount.to_string(), "currency": "CNY" }, "paidAt": ymd(on) } }))
            .await,
    );
}

const FORECAST: &str = "query($filter: CollectionForecastFilter) { collectionForecast(filter: $filter) { receivable { id dueDate amount { amount } outstanding { amount } } customer { id name industry } owner { id } predictedPaymentDate likelyLate expectedDaysLate warningDate customerPaidReceivables industryMeanDaysLate industryMeanFromData } }";

async fn forecast(app: &TestApp, session: &Session, filter: Value) -> Vec<Value> {
    app.data_as(session, FORECAST, json!({ "filter": filter })).await["collectionForecast"].as_array().expect("rows").clone()
}

fn row<'a>(rows: &'a [Value], receivable: &str) -> &'a Value {
    rows.iter().find(|row| row["receivable"]["id"] == receivable).unwrap_or_else(|| panic!("{receivable} not in {rows:?}"))
}

const ALERTS: &str = "{ alerts(filter: { kind: COLLECTION_WARNING }) { totalCount edges { node { title details subjectType subjectId recipients { id } } } } }";

async fn warnings(app: &TestApp, session: &Session) -> Value {
    app.data_as(session, ALERTS, json!({})).await["alerts"].clone()
}

const METRICS: &str = "query($groupBy: CollectionGroupBy!, $from: DateTime!, $to: DateTime!) { collectionMetrics(groupBy: $groupBy, from: $from, to: $to) { group name firstInstalmentOnTimeRate firstInstalments overdueSharePercent dso receivablesCount outstanding { amount } overdue { amount } signed { amount } } }";

#[tokio::test]
async fn forecasts_shrink_toward_the_industry_warnings_come_once_and_metrics_per_rep_and_team() {
    let registry = Receiver::start(vec![], REGISTRY_OK).await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org("Collection Co").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let start = today(&app, &org.rep_a).await;
    let day = |offset: i64| start + Duration::days(offset);

    // A pays 10 days late (three times); C paid 5 days early once; N is new; E is in another industry.
    let a = customer(&app, &org.rep_a, "苏州按时慢付有限公司", 21, "Manufacturing").await;
    let c = customer(&app, &org.rep_b, "无锡提前付款有限公司", 22, "Manufacturing").await;
    let n = customer(&app, &org.rep_a, "常州新客户有限公司", 23, "Manufacturing").await;
    let e = customer(&app, &org.rep_b, "南京教育科技有限公司", 24, "Education").await;
    let a_rows = approved_contract(&app, &org.rep_a, &finance, &a, &[(day(-60), 10_000), (day(-50), 10_000), (day(-40), 10_000), (day(20), 10_000), (day(40), 10_000)]).await;
    let c_rows = approved_contract(&app, &org.rep_b, &finance, &c, &[(day(-30), 10_000), (day(25), 10_000)]).await;
    let n_rows = approved_contract(&app, &org.rep_a, &finance, &n, &[(day(20), 10_000)]).await;
    let e_rows = approved_contract(&app, &org.rep_b, &finance, &e, &[(day(-5), 5_000), (day(30), 10_000)]).await;
    for (index, due) in [(0, -60), (1, -50), (2, -40)] {
        pay(&app, &finance, &a_rows[index], 10_000, day(due + 10)).await;
    }
    pay(&app, &finance, &c_rows[0], 10_000, day(-35)).await;

    // Manufacturing mean: (10 + 10 + 10 − 5) ÷ 4 = 6.25 days late.
    // A: (30 + 3 × 6.25) ÷ (3 + 3) = 8.125 → due + 8. C (one payment) and N (none): 6.25 → due + 6.
    // E: no paid Education receivable in the org → the default 0 → on the due date.
    let all = forecast(&app, &finance, json!(null)).await;
    assert_eq!(all.len(), 6, "every open receivable of the org: {all:?}");
    let order: Vec<String> = all.iter().map(|row| text(&row["receivable"]["dueDate"])).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "earliest due first");
    let a20 = row(&all, &a_rows[3]);
    assert_eq!(a20["receivable"]["dueDate"], ymd(day(20)));
    assert_eq!(a20["predictedPaymentDate"], ymd(day(28)), "{a20}");
    assert_eq!(a20["expectedDaysLate"], 8.13);
    assert_eq!(a20["likelyLate"], true);
    assert_eq!(a20["warningDate"], ymd(day(5)));
    assert_eq!(a20["customerPaidReceivables"], 3);
    assert_eq!(a20["industryMeanDaysLate"], 6.25);
    assert_eq!(a20["customer"]["industry"], "Manufacturing");
    assert_eq!(a20["owner"]["id"], org.rep_a.user_id.as_str());
    assert_eq!(row(&all, &a_rows[4])["predictedPaymentDate"], ymd(day(48)));
    let n20 = row(&all, &n_rows[0]);
    assert_eq!(n20["predictedPaymentDate"], ymd(day(26)), "a new customer gets the industry mean: {n20}");
    assert_eq!(n20["customerPaidReceivables"], 0);
    assert_eq!(n20["industryMeanFromData"], true);
    assert_eq!(row(&all, &c_rows[1])["predictedPaymentDate"], ymd(day(31)), "fewer than 3 payments: the industry mean");
    let e30 = row(&all, &e_rows[1]);
    assert_eq!(e30["predictedPaymentDate"], ymd(day(30)));
    assert_eq!(e30["likelyLate"], false);
    assert_eq!(e30["industryMeanFromData"], false);
    assert_eq!(row(&all, &e_rows[0])["predictedPaymentDate"], ymd(day(-5)));

    // Filters and scope.
    let late = forecast(&app, &finance, json!({ "likelyLate": true })).await;
    assert_eq!(late.len(), 4, "{late:?}");
    assert!(late.iter().all(|row| row["likelyLate"] == true));
    assert_eq!(forecast(&app, &finance, json!({ "likelyLate": false })).await.len(), 2);
    assert_eq!(forecast(&app, &finance, json!({ "customerId": a })).await.len(), 2);
    assert_eq!(forecast(&app, &finance, json!({ "ownerId": org.rep_b.user_id })).await.len(), 3);
    let mine = forecast(&app, &org.rep_a, json!(null)).await;
    assert_eq!(mine.len(), 3, "a rep sees their own deals' receivables");
    assert!(mine.iter().all(|row| row["owner"]["id"] == org.rep_a.user_id.as_str()));
    assert_eq!(forecast(&app, &org.manager, json!(null)).await.len(), 6, "the manager sees the team");
    assert!(forecast(&app, &org.rep_b, json!({ "customerId": a })).await.is_empty());

    // Metrics over the last 90 days, as of today.
    let now = time(&app.data_as(&finance, "{ testClock }", json!({})).await["testClock"]);
    let period = |group_by: &str| json!({ "groupBy": group_by, "from": rfc3339(now - Duration::days(90)), "to": rfc3339(now + Duration::days(1)) });
    let reps = app.data_as(&finance, METRICS, period("REP")).await["collectionMetrics"].as_array().expect("rows").clone();
    assert_eq!(reps.len(), 2, "{reps:?}");
    let rep_a = reps.iter().find(|row| row["group"] == org.rep_a.user_id.as_str()).expect("rep a");
    // A's first instalment was 10 days late; 30 000 outstanding, none overdue; 60 000 signed: 30 000 ÷ 60 000 × 90 = 45.
    assert_eq!(rep_a["firstInstalments"], 1);
    assert_eq!(rep_a["firstInstalmentOnTimeRate"], 0.0);
    assert_eq!(rep_a["overdueSharePercent"], 0.0);
    assert_eq!(rep_a["dso"], 45.0);
    assert_eq!(rep_a["receivablesCount"], 3);
    assert_eq!(rep_a["outstanding"]["amount"], "30000.00");
    assert_eq!(rep_a["signed"]["amount"], "60000.00");
    let rep_b = reps.iter().find(|row| row["group"] == org.rep_b.user_id.as_str()).expect("rep b");
    // C's first instalment early, E's 5 days overdue: 50 %; 5 000 overdue of 25 000 = 20 %; 25 000 ÷ 35 000 × 90 = 64.29.
    assert_eq!(rep_b["firstInstalments"], 2);
    assert_eq!(rep_b["firstInstalmentOnTimeRate"], 50.0);
    assert_eq!(rep_b["overdueSharePercent"], 20.0);
    assert_eq!(rep_b["dso"], 64.29);
    assert_eq!(rep_b["receivablesCount"], 3);
    assert_eq!(rep_b["overdue"]["amount"], "5000.00");
    let teams = app.data_as(&org.manager, METRICS, period("TEAM")).await["collectionMetrics"].as_array().expect("rows").clone();
    assert_eq!(teams.len(), 1, "{teams:?}");
    assert_eq!(teams[0]["group"], org.team_id.as_str());
    assert_eq!(teams[0]["name"], "Collection Co East");
    assert_eq!(teams[0]["firstInstalmentOnTimeRate"], 33.33);
    assert_eq!(teams[0]["overdueSharePercent"], 9.09);
    assert_eq!(teams[0]["dso"], 52.11);
    assert_eq!(teams[0]["receivablesCount"], 6);
    assert_error(&app.gql_as(&org.rep_a, METRICS, period("REP")).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&finance, METRICS, json!({ "groupBy": "REP", "from": rfc3339(now), "to": rfc3339(now - Duration::days(1)) })).await, "BAD_INPUT", &["to"]);

    // The warning: nothing 16 days ahead, then once on the 15th day before due, to the owner and finance.
    let advance = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
    data(app.gql_as(&org.admin, advance, json!({ "hours": 24.0 * 4.0 })).await);
    assert_eq!(warnings(&app, &finance).await["totalCount"], 0);
    data(app.gql_as(&org.admin, advance, json!({ "hours": 24.0 })).await);
    let seen = warnings(&app, &finance).await;
    assert_eq!(seen["totalCount"], 2, "A's and N's instalments due in 15 days: {seen}");
    data(app.gql_as(&org.admin, advance, json!({ "hours": 24.0 })).await);
    assert_eq!(warnings(&app, &finance).await["totalCount"], 2, "once per receivable");
    let owner_view = warnings(&app, &org.rep_a).await;
    assert_eq!(owner_view["totalCount"], 2);
    assert_eq!(warnings(&app, &org.rep_b).await["totalCount"], 0);
    let edges = owner_view["edges"].as_array().expect("edges");
    let warning = edges.iter().map(|edge| &edge["node"]).find(|node| node["subjectId"] == a_rows[3].as_str()).expect("A's warning");
    assert_eq!(warning["subjectType"], "RECEIVABLE");
    assert!(text(&warning["title"]).contains("可能逾期"), "{warning}");
    assert_eq!(warning["details"]["dueDate"], ymd(day(20)));
    assert_eq!(warning["details"]["amount"], "10000.00");
    assert_eq!(warning["details"]["predictedPaymentDate"], ymd(day(28)));
    assert_eq!(warning["details"]["likelyLate"], true);
    let mut recipients: Vec<String> = warning["recipients"].as_array().expect("recipients").iter().map(|user| text(&user["id"])).collect();
    recipients.sort();
    let mut expected = vec![org.rep_a.user_id.clone(), finance.user_id.clone()];
    expected.sort();
    assert_eq!(recipients, expected);

    // The alert points at its receivable; paying it in full resolves the warning.
    let subject = app.data_as(&finance, "{ alerts(filter: { kind: COLLECTION_WARNING, status: OPEN }) { edges { node { subjectId subject { __typename ... on Receivable { id outstanding { amount } } } } } } }", json!({})).await;
    let node = subject["alerts"]["edges"].as_array().expect("edges").iter().map(|edge| &edge["node"]).find(|node| node["subjectId"] == a_rows[3].as_str()).expect("A's open warning").clone();
    assert_eq!(node["subject"]["__typename"], "Receivable");
    let outstanding = text(&node["subject"]["outstanding"]["amount"]);
    let paid_at = shanghai_day(time(&app.data_as(&finance, "{ testClock }", json!({})).await["testClock"])).format("%Y-%m-%d").to_string();
    data(app.gql_as(&finance, "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { fullyPaidOn } }", json!({ "input": { "receivableId": a_rows[3], "amount": { "amount": outstanding, "currency": "CNY" }, "paidAt": paid_at } })).await);
    let open = app.data_as(&finance, "{ alerts(filter: { kind: COLLECTION_WARNING, status: OPEN }) { edges { node { subjectId } } } }", json!({})).await;
    assert!(open["alerts"]["edges"].as_array().expect("edges").iter().all(|edge| edge["node"]["subjectId"] != a_rows[3].as_str()), "{open}");
}

/// Due and payment dates are days of the org's time zone (Asia/Shanghai by
/// default), not UTC's: at 07:30 in Shanghai it is still the day before in
/// UTC, yet a receivable is a day later past due, that day may be a
/// payment's date, and the tier counts it.
#[tokio::test]
async fn due_and_payment_dates_are_days_of_the_orgs_time_zone() {
    let registry = Receiver::start(vec![], REGISTRY_OK).await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::default() }).await;
    let org = app.sales_org("Shanghai Days").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let legal = app.create_user(&org.admin, "LEGAL", None, None).await;
    let set_clock = "mutation($at: DateTime!) { setTestClock(at: $at) }";

    // Noon in Shanghai tomorrow, so setting the contract up stays on one day.
    let start = today(&app, &org.rep_a).await + Duration::days(1);
    data(app.gql_as(&org.admin, set_clock, json!({ "at": rfc3339(shanghai_time(start, 12, 0)) })).await);
    let customer = customer(&app, &org.rep_a, "上海时区科技有限公司", 71, "软件").await;
    let due = start + Duration::days(10);
    // The first instalment is 10 000 of 120 000 (under the 10 % overdue share that alone makes RED).
    let rows = approved_contract(&app, &org.rep_a, &finance, &customer, &[(due, 10_000), (due + Duration::days(60), 50_000), (due + Duration::days(90), 60_000)]).await;

    // 07:30 in Shanghai on the 16th day past due: in UTC still the 15th.
    let morning = shanghai_time(due + Duration::days(16), 7, 30);
    assert_eq!(morning.date_naive(), due + Duration::days(15));
    data(app.gql_as(&org.admin, set_clock, json!({ "at": rfc3339(morning) })).await);
    let read = "query($id: ID!) { customer(id: $id) { riskTier receivables { id daysOverdue } } }";
    let seen = app.data_as(&finance, read, json!({ "id": customer })).await["customer"].clone();
    assert_eq!(seen["receivables"][0]["daysOverdue"], 16, "{seen}");
    assert_eq!(seen["riskTier"], "RED", "16 days overdue is more than 15 (15 would be YELLOW): {seen}");
    // The tier change reaches the owner, FINANCE and LEGAL, each shown the customer; the other rep sees none.
    let changes = "{ alerts(filter: { kind: RISK_TIER_CHANGED }) { nodes { subjectId subject { __typename ... on Customer { id name } } } } }";
    for person in [&org.rep_a, &finance, &legal] {
        let nodes = app.data_as(person, changes, json!({})).await["alerts"]["nodes"].as_array().cloned().unwrap_or_default();
        assert!(!nodes.is_empty(), "{} got no tier change", person.email);
        for node in nodes {
            assert_eq!(node["subject"]["__typename"], "Customer", "{}: {node}", person.email);
            assert_eq!(node["subject"]["id"], customer.as_str(), "{}: {node}", person.email);
        }
    }
    let other = app.data_as(&org.rep_b, changes, json!({})).await;
    assert_eq!(other["alerts"]["nodes"], json!([]), "{other}");

    // The day in Shanghai may be a payment's date; the next one may not.
    let record = "mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { fullyPaidOn } }";
    let payment = |on: NaiveDate| json!({ "input": { "receivableId": rows[0], "amount": { "amount": "10000", "currency": "CNY" }, "paidAt": ymd(on) } });
    assert_error(&app.gql_as(&finance, record, payment(due + Duration::days(17))).await, "BAD_INPUT", &["paidAt"]);
    let paid = data(app.gql_as(&finance, record, payment(due + Duration::days(16))).await);
    assert_eq!(paid["recordPayment"]["fullyPaidOn"], ymd(due + Duration::days(16)), "{paid}");
}
