//! The monthly industry collection report (R7, 行业回款健康报告): on the 1st
//! at 09:00 in the org's time zone FINANCE, managers and admins get the
//! previous month's top overdue customers, agreed vs actual payment days per
//! industry and the industries whose overdue share rose — once each, across
//! processes; reps get nothing. `collectionReport(month)` shows the figures.

use std::time::Duration as StdDuration;

use chrono::{Datelike, NaiveDate};
use dealdesk_domain::month_start;
use dealdesk_e2e::receiver::{Receiver, SmtpSink};
use dealdesk_e2e::{assert_error, data, rfc3339, shanghai_time, spawn_app_with, text, time, Session, TestApp, TestOptions};
use serde_json::{json, Value};

use crate::collection::{approved_contract_signed, customer, pay, REGISTRY_OK};

const REPORT: &str = "query($month: String!, $top: Int) { collectionReport(month: $month, top: $top) { month monthEnd previousMonthEnd currency orgWide
  topOverdueCustomers { customer { id name } overdueAmount { amount currency } overdueDays overdueReceivables }
  industries { industry paidReceivables averageAgreedDays averageActualDays outstanding { amount } overdue { amount } overdueSharePercent previousOutstanding { amount } previousOverdue { amount } previousOverdueSharePercent overdueShareRising }
  risingIndustries { industry } } }";

const SET_CLOCK: &str = "mutation($at: DateTime!) { setTestClock(at: $at) }";

fn month_label(first: NaiveDate) -> String {
    first.format("%Y-%m").to_string()
}

async fn report(app: &TestApp, session: &Session, month: &str, top: Option<i64>) -> Value {
    app.data_as(session, REPORT, json!({ "month": month, "top": top })).await["collectionReport"].clone()
}

/// The monthly collection report emails received so far, per recipient address.
fn collection_mails(mails: &[String], email: &str) -> usize {
    mails.iter().filter(|mail| mail.contains("X-Dealdesk-Event: report.monthly_collection") && mail.contains(&format!("To: {email}"))).count()
}

/// Waits until each of `people` has `count` collection report emails.
async fn wait_for_mails(sink: &SmtpSink, people: &[&Session], count: usize) {
    let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
    loop {
        let mails = sink.wait_for(0, StdDuration::from_secs(1)).await;
        if people.iter().all(|person| collection_mails(&mails, &person.email) >= count) {
            return;
        }
        assert!(tokio::time::Instant::now() < deadline, "expected {count} collection reports for each of {:?}", people.iter().map(|person| &person.email).collect::<Vec<_>>());
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    }
}

fn names(rows: &Value) -> Vec<String> {
    rows.as_array().expect("rows").iter().map(|row| text(&row["customer"]["name"])).collect()
}

#[tokio::test]
async fn finance_managers_and_admins_get_one_monthly_collection_report_with_the_months_figures() {
    let registry = Receiver::start(vec![], REGISTRY_OK).await;
    let sink = SmtpSink::start().await;
    let hooks = Receiver::start(vec![], "{}").await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), smtp_url: Some(sink.url.clone()), ..TestOptions::default() }).await;

    // Time moves first (through an org of its own), so the org under test starts on the 2nd of month M.
    let keeper = app.sign_up("Clock Keeper").await;
    let now = time(&app.data_as(&keeper, "{ testClock }", json!({})).await["testClock"]);
    let shanghai_today = now.with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let m1 = month_start(shanghai_today, 1);
    let n1 = month_start(m1, 1);
    let next1 = month_start(m1, 2);
    let (me, ne) = (n1.pred_opt().expect("day"), next1.pred_opt().expect("day"));
    let days_in_m = i64::from(me.day());
    let far = month_start(m1, 4);
    let day = |first: NaiveDate, n: u32| first.with_day(n).expect("day");
    data(app.gql_as(&keeper, SET_CLOCK, json!({ "at": rfc3339(shanghai_time(day(m1, 2), 10, 0)) })).await);

    let org = app.sales_org("Collection Report Co").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let lone_manager = app.create_user(&org.admin, "MANAGER", None, None).await;
    data(app.gql_as(&org.admin, "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }", json!({ "input": { "kind": "WEBHOOK", "target": format!("{}/collection", hooks.url), "events": ["report.monthly_collection"] } })).await);

    // Manufacturing contracts are signed on the 1st of M; education ones carry no signing date (approved on the 2nd).
    let signed = Some(m1);
    let ma = customer(&app, &org.rep_a, "苏州甲制造有限公司", 51, "制造业").await;
    let mb = customer(&app, &org.rep_b, "无锡乙制造有限公司", 52, "制造业").await;
    let mc = customer(&app, &org.rep_a, "常州丙制造有限公司", 53, "制造业").await;
    let md = customer(&app, &org.rep_b, "南通丁制造有限公司", 54, "制造业").await;
    let ea = customer(&app, &org.rep_a, "南京甲教育科技有限公司", 55, "教育").await;
    let eb = customer(&app, &org.rep_b, "扬州乙教育科技有限公司", 56, "教育").await;
    approved_contract_signed(&app, &org.rep_a, &finance, &ma, signed, &[(day(m1, 10), 90_000), (far, 10_000)]).await;
    approved_contract_signed(&app, &org.rep_b, &finance, &mb, signed, &[(day(n1, 10), 50_000), (far, 50_000)]).await;
    let mc_rows = approved_contract_signed(&app, &org.rep_a, &finance, &mc, signed, &[(day(n1, 10), 20_000), (far, 20_000)]).await;
    let md_rows = approved_contract_signed(&app, &org.rep_b, &finance, &md, signed, &[(day(m1, 20), 30_000), (far, 30_000)]).await;
    let ea_rows = approved_contract_signed(&app, &org.rep_a, &finance, &ea, None, &[(day(m1, 15), 40_000), (far, 60_000)]).await;
    approved_contract_signed(&app, &org.rep_b, &finance, &eb, None, &[(day(m1, 25), 10_000), (far, 90_000)]).await;

    // The last day of N: month M's report went out on the 1st; payments dated in N arrive.
    data(app.gql_as(&keeper, SET_CLOCK, json!({ "at": rfc3339(shanghai_time(ne, 12, 0)) })).await);
    let recipients = [&finance, &org.manager, &lone_manager, &org.admin];
    wait_for_mails(&sink, &recipients, 1).await;
    pay(&app, &finance, &mc_rows[0], 20_000, day(n1, 8)).await;
    pay(&app, &finance, &md_rows[0], 30_000, day(n1, 5)).await;
    pay(&app, &finance, &ea_rows[0], 40_000, day(n1, 5)).await;

    // 09:00 on the 1st of the next month passes, through another process; both keep running.
    let sibling = app.spawn_sibling().await;
    data(sibling.gql_as(&keeper, SET_CLOCK, json!({ "at": rfc3339(shanghai_time(next1, 9, 1)) })).await);
    wait_for_mails(&sink, &recipients, 2).await;
    hooks.wait_for(2, StdDuration::from_secs(20)).await;
    data(app.gql_as(&keeper, "mutation { advanceTestClock(hours: 1) }", json!({})).await);
    tokio::time::sleep(StdDuration::from_secs(2)).await;
    let mails = sink.wait_for(0, StdDuration::from_secs(1)).await;
    for person in recipients {
        assert_eq!(collection_mails(&mails, &person.email), 2, "{} gets one report per month", person.email);
    }
    for rep in [&org.rep_a, &org.rep_b] {
        assert_eq!(collection_mails(&mails, &rep.email), 0, "reps get no collection report");
    }
    let bodies: Vec<Value> = hooks.requests().iter().map(|request| request.json()).collect();
    let months: Vec<String> = bodies.iter().map(|body| text(&body["data"]["month"])).collect();
    assert_eq!(months, [month_label(m1), month_label(n1)], "the group channel gets each month's report once");

    // Month N, as FINANCE sees it (and as the group channel got it).
    let n = report(&app, &finance, &month_label(n1), None).await;
    assert_eq!(n["monthEnd"], ne.format("%Y-%m-%d").to_string());
    assert_eq!(n["previousMonthEnd"], me.format("%Y-%m-%d").to_string());
    assert_eq!(n["currency"], "CNY");
    assert_eq!(n["orgWide"], true);
    // Top overdue at the end of N: A's 90 000 since the 10th of M, B's 50 000 since the 10th of N, Yangzhou's 10 000 since the 25th of M.
    let top = &n["topOverdueCustomers"];
    assert_eq!(names(top), ["苏州甲制造有限公司", "无锡乙制造有限公司", "扬州乙教育科技有限公司"]);
    assert_eq!(top[0]["overdueAmount"], json!({ "amount": "90000.00", "currency": "CNY" }));
    assert_eq!(top[0]["overdueDays"], (ne - day(m1, 10)).num_days());
    assert_eq!(top[0]["overdueReceivables"], 1);
    assert_eq!(top[1]["overdueAmount"]["amount"], "50000.00");
    assert_eq!(top[1]["overdueDays"], (ne - day(n1, 10)).num_days());
    assert_eq!(top[2]["overdueAmount"]["amount"], "10000.00");
    assert_eq!(top[2]["overdueDays"], (ne - day(m1, 25)).num_days());
    // Manufacturing: C paid 2 days early (agreed |M|+9, actual |M|+7 days from the 1st of M), D paid 15 days late (agreed 19, actual |M|+4).
    // Overdue share: 120 000 of 300 000 at the end of M (40 %), 140 000 of 250 000 at the end of N (56 %): rising.
    let industries = n["industries"].as_array().expect("industries");
    assert_eq!(industries.len(), 2, "{industries:?}");
    let manufacturing = &industries[0];
    assert_eq!(manufacturing["industry"], "制造业");
    assert_eq!(manufacturing["paidReceivables"], 2);
    assert_eq!(manufacturing["averageAgreedDays"].as_f64(), Some((days_in_m + 9 + 19) as f64 / 2.0));
    assert_eq!(manufacturing["averageActualDays"].as_f64(), Some((2 * days_in_m + 7 + 4) as f64 / 2.0));
    assert_eq!(manufacturing["outstanding"]["amount"], "250000.00");
    assert_eq!(manufacturing["overdue"]["amount"], "140000.00");
    assert_eq!(manufacturing["overdueSharePercent"], 56.0);
    assert_eq!(manufacturing["previousOutstanding"]["amount"], "300000.00");
    assert_eq!(manufacturing["previousOverdue"]["amount"], "120000.00");
    assert_eq!(manufacturing["previousOverdueSharePercent"], 40.0);
    assert_eq!(manufacturing["overdueShareRising"], true);
    // Education: Nanjing's first instalment, due 13 days after the approval on the 2nd of M, paid on the 5th of N.
    // Overdue share: 50 000 of 200 000 (25 %), then 10 000 of 160 000 (6.25 %): falling.
    let education = &industries[1];
    assert_eq!(education["industry"], "教育");
    assert_eq!(education["paidReceivables"], 1);
    assert_eq!(education["averageAgreedDays"], 13.0);
    assert_eq!(education["averageActualDays"].as_f64(), Some((days_in_m + 3) as f64));
    assert_eq!(education["overdueSharePercent"], 6.25);
    assert_eq!(education["previousOverdueSharePercent"], 25.0);
    assert_eq!(education["overdueShareRising"], false);
    assert_eq!(n["risingIndustries"], json!([{ "industry": "制造业" }]));

    // The emailed and posted report carries the same figures.
    let posted = bodies.iter().find(|body| body["data"]["month"] == month_label(n1).as_str()).expect("month N posted");
    assert_eq!(posted["event"], "report.monthly_collection");
    let posted_top: Vec<String> = posted["data"]["topOverdueCustomers"].as_array().expect("top").iter().map(|row| text(&row["customerName"])).collect();
    assert_eq!(posted_top, names(top));
    assert_eq!(posted["data"]["topOverdueCustomers"][0]["overdueAmount"], "90000.00");
    assert_eq!(posted["data"]["risingIndustries"], json!(["制造业"]));
    assert_eq!(posted["data"]["scope"], "ORG");
    assert_eq!(posted["data"]["industries"][0]["overdueSharePercent"], 56.0);

    // Month M: nothing was outstanding at the end of the month before (the contracts came in M), so both shares rose from 0 %.
    let m = report(&app, &org.admin, &month_label(m1), None).await;
    assert_eq!(names(&m["topOverdueCustomers"]), ["苏州甲制造有限公司", "南京甲教育科技有限公司", "南通丁制造有限公司", "扬州乙教育科技有限公司"]);
    let m_industries = m["industries"].as_array().expect("industries");
    assert_eq!(m_industries[0]["overdueSharePercent"], 40.0);
    assert_eq!(m_industries[0]["previousOverdueSharePercent"], Value::Null);
    assert_eq!(m_industries[0]["paidReceivables"], 0);
    assert_eq!(m_industries[0]["averageAgreedDays"], Value::Null);
    assert_eq!(m_industries[1]["overdueSharePercent"], 25.0);
    assert_eq!(m["risingIndustries"].as_array().map(Vec::len), Some(2));

    // `top` limits the list; managers see their people only; reps and bad months are refused.
    assert_eq!(names(&report(&app, &finance, &month_label(n1), Some(2)).await["topOverdueCustomers"]), ["苏州甲制造有限公司", "无锡乙制造有限公司"]);
    let team = report(&app, &org.manager, &month_label(n1), None).await;
    assert_eq!(team["orgWide"], false);
    assert_eq!(names(&team["topOverdueCustomers"]), names(top), "the team's manager sees both reps' customers");
    let lone = report(&app, &lone_manager, &month_label(n1), None).await;
    assert_eq!(lone["topOverdueCustomers"], json!([]));
    assert_eq!(lone["industries"], json!([]));
    let variables = json!({ "month": month_label(n1) });
    assert_error(&app.gql_as(&org.rep_a, REPORT, variables.clone()).await, "FORBIDDEN", &[]);
    assert_error(&app.gql_as(&finance, REPORT, json!({ "month": "2026-13" })).await, "BAD_INPUT", &["month"]);
    assert_error(&app.gql_as(&finance, REPORT, json!({ "month": month_label(next1) })).await, "BAD_INPUT", &["month"]);
    assert_error(&app.gql_as(&finance, REPORT, json!({ "month": month_label(n1), "top": 0 })).await, "BAD_INPUT", &["top"]);
    // Another org sees none of it.
    let elsewhere = report(&app, &keeper, &month_label(n1), None).await;
    assert_eq!(elsewhere["topOverdueCustomers"], json!([]));
    assert_eq!(elsewhere["industries"], json!([]));
}
