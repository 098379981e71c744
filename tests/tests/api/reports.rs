//! The weekly funnel health report (E6): Friday 17:00 in the org's time
//! zone, once per person, even with two server processes on one database.

use std::time::Duration as StdDuration;

use chrono::Duration;
use dealdesk_domain::{next_weekly, Weekly};
use dealdesk_e2e::receiver::{Receiver, SmtpSink};
use dealdesk_e2e::{data, rfc3339, spawn_app_with, time, TestOptions};
use serde_json::json;

#[tokio::test]
async fn every_person_gets_one_weekly_report_at_friday_five_pm_even_with_two_servers() {
    let sink = SmtpSink::start().await;
    let robot = Receiver::start(vec![], r#"{"errcode":0,"errmsg":"ok"}"#).await;
    let app = spawn_app_with(TestOptions { test_clock: true, smtp_url: Some(sink.url.clone()), ..TestOptions::default() }).await;
    let sibling = app.spawn_sibling().await;
    let org = app.sales_org("Shanghai Weekly").await;
    let admin_add = "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }";
    data(app.gql_as(&org.admin, admin_add, json!({ "input": { "kind": "DINGTALK", "target": format!("{}/robot/send?access_token=weekly-token-1", robot.url), "events": ["report.weekly"] } })).await);

    // Some history to report: rep A jumps LEAD → DEMO (two skipped stages).
    let now = time(&app.data_as(&org.rep_a, "{ testClock }", json!({})).await["testClock"]);
    let (_, deal) = app.customer_with_deal(&org.rep_a, "上海周报科技").await;
    data(app.move_stage(&org.rep_a, json!({ "dealId": deal, "stage": "DEMO", "coreNeed": "周报", "decisionRole": "USER", "nextFollowUpAt": rfc3339(now + Duration::days(30)) })).await);

    let shanghai: chrono_tz::Tz = "Asia/Shanghai".parse().expect("zone");
    let friday = next_weekly(now, shanghai, Weekly::weekly_report());
    assert_eq!(friday.with_timezone(&shanghai).format("%a %H:%M").to_string(), "Fri 17:00");

    // A minute before: nothing.
    let set = "mutation($at: DateTime!) { setTestClock(at: $at) }";
    data(app.gql_as(&org.admin, set, json!({ "at": rfc3339(friday - Duration::minutes(1)) })).await);
    tokio::time::sleep(StdDuration::from_millis(500)).await;
    let weekly = |mails: Vec<String>| mails.into_iter().filter(|mail| mail.contains("X-Dealdesk-Event: report.weekly")).collect::<Vec<_>>();
    assert!(weekly(sink.wait_for(0, StdDuration::from_secs(1)).await).is_empty());
    // Other reports (the monthly one, when the 1st passes) may arrive too; only weekly ones are counted.
    let weekly_arrived = |count: usize| {
        let sink = sink.clone();
        async move {
            let deadline = tokio::time::Instant::now() + StdDuration::from_secs(20);
            loop {
                let mails = weekly(sink.wait_for(0, StdDuration::from_secs(1)).await);
                if mails.len() >= count || tokio::time::Instant::now() > deadline {
                    return mails;
                }
                tokio::time::sleep(StdDuration::from_millis(100)).await;
            }
        }
    };

    // Friday 17:00 passes, through the other process this time.
    data(sibling.gql_as(&org.admin, set, json!({ "at": rfc3339(friday + Duration::minutes(1)) })).await);
    let mails = weekly_arrived(3).await;
    let robot_calls = robot.wait_for(1, StdDuration::from_secs(20)).await;

    // Both processes keep running their loops for a while: still exactly one each.
    data(app.gql_as(&org.admin, "mutation { advanceTestClock(hours: 1) }", json!({})).await);
    tokio::time::sleep(StdDuration::from_secs(2)).await;
    let mails_after = weekly_arrived(3).await;
    assert_eq!(mails_after.len(), 3, "one report each for two reps and their manager");
    for email in [&org.rep_a.email, &org.rep_b.email, &org.manager.email] {
        let count = mails.iter().filter(|mail| mail.contains(&format!("To: {email}"))).count();
        assert_eq!(count, 1, "{email} got {count} reports");
    }
    assert_eq!(robot.requests().len(), 1, "the team summary reaches the group once");
    let markdown = robot_calls[0].json()["markdown"]["text"].as_str().expect("markdown").to_string();
    assert!(markdown.contains("团队漏斗健康度周报") && markdown.contains("跨阶段跳转：2"), "{markdown}");

    // The next Friday brings the next report, not before.
    let next = next_weekly(friday + Duration::minutes(1), shanghai, Weekly::weekly_report());
    assert_eq!(next - friday, Duration::days(7));
}
