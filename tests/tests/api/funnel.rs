//! The funnel health report (E6) through the test clock: a small team works
//! deals hour by hour, and the report shows each rep's figures beside the
//! team median, exactly.

use chrono::{DateTime, Duration, Utc};
use dealdesk_e2e::{assert_error, check_subset, data, rfc3339, time, SalesOrg, Session, TestApp, TestOptions, spawn_app_with};
use serde_json::{json, Value};

const ADVANCE: &str = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
const REPORT: &str = "query($userId: ID!, $from: DateTime!, $to: DateTime!) { funnelHealth(userId: $userId, from: $from, to: $to) { \
    userId from to asOf team { id } \
    stageDwell { stage averageHours teamMedianHours exits } \
    forwardSkips { value teamMedian } backwardMoves { value teamMedian } \
    stuckDeals { value teamMedian } overdueFollowUps { value teamMedian } \
    conversion { fromStage toStage entered advanced rate teamMedianRate } } }";

async fn advance(app: &TestApp, session: &Session, hours: f64) {
    data(app.gql_as(session, ADVANCE, json!({ "hours": hours })).await);
}

async fn now(app: &TestApp, session: &Session) -> DateTime<Utc> {
    time(&app.data_as(session, "{ testClock }", json!({})).await["testClock"])
}

/// Creates a deal (in LEAD) owned by `rep`.
async fn deal(app: &TestApp, rep: &Session, name: &str) -> String {
    app.customer_with_deal(rep, name).await.1
}

/// Moves a deal into an open stage, with the next follow-up `follow_up_in` from now.
async fn move_to(app: &TestApp, rep: &Session, deal: &str, stage: &str, follow_up_in: Duration) {
    let follow_up = now(app, rep).await + follow_up_in;
    data(app.move_stage(rep, json!({ "dealId": deal, "stage": stage, "coreNeed": "库存数据不准", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": rfc3339(follow_up) })).await);
}

/// The report as `session` sees it, or the raw response when it fails.
async fn report_raw(app: &TestApp, session: &Session, user: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    app.gql_as(session, REPORT, json!({ "userId": user, "from": rfc3339(from), "to": rfc3339(to) })).await
}

async fn report(app: &TestApp, session: &Session, user: &Session, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    data(report_raw(app, session, &user.user_id, from, to).await)["funnelHealth"].clone()
}

/// Asserts `actual` has every field of `expected` (see [`check_subset`]).
fn check(actual: &Value, expected: &Value) {
    check_subset(actual, expected, "funnelHealth");
}

/// Rep A and rep B work their deals over 63 hours (times are hours after the start):
///
/// | t  | rep A                                         | rep B                         |
/// |----|-----------------------------------------------|-------------------------------|
/// | 0  | creates A1, A2                                | creates B1, B2, B3            |
/// | 10 | A1 LEAD→QUALIFICATION                         | B1 LEAD→QUALIFICATION         |
/// | 14 | A2 LEAD→DEMO (2 skips, follow-up due t=40)    | B2 LEAD→QUALIFICATION (due 30)|
/// | 20 | A1 QUALIFICATION→NEEDS_CONFIRMED              |                               |
/// | 21 |                                               | B3 LEAD→LOST                  |
/// | 32 | A1 NEEDS_CONFIRMED→QUALIFICATION (backward, due 40) | B1 QUALIFICATION→NEEDS_CONFIRMED |
/// | 63 | A2 has sat in DEMO 49 h (threshold 48): stuck | nothing stuck                 |
async fn worked_team(app: &TestApp, org: &SalesOrg) -> DateTime<Utc> {
    let (a, b) = (&org.rep_a, &org.rep_b);
    let far = Duration::days(30);
    let start = now(app, a).await;
    let a1 = deal(app, a, "Ningbo Ports").await;
    let a2 = deal(app, a, "Ningbo Cold Chain").await;
    let b1 = deal(app, b, "Wuxi Semiconductors").await;
    let b2 = deal(app, b, "Wuxi Textiles").await;
    let b3 = deal(app, b, "Wuxi Bearings").await;

    advance(app, a, 10.0).await;
    move_to(app, a, &a1, "QUALIFICATION", far).await;
    move_to(app, b, &b1, "QUALIFICATION", far).await;
    advance(app, a, 4.0).await;
    move_to(app, a, &a2, "DEMO", Duration::hours(26)).await;
    move_to(app, b, &b2, "QUALIFICATION", Duration::hours(16)).await;
    advance(app, a, 6.0).await;
    move_to(app, a, &a1, "NEEDS_CONFIRMED", far).await;
    advance(app, a, 1.0).await;
    data(app.move_stage(b, json!({ "dealId": b3, "stage": "LOST", "lostReason": "预算取消" })).await);
    advance(app, a, 11.0).await;
    move_to(app, a, &a1, "QUALIFICATION", Duration::hours(8)).await;
    move_to(app, b, &b1, "NEEDS_CONFIRMED", far).await;
    advance(app, a, 31.0).await;
    start
}

/// Rep A's report over the whole story.
fn rep_a_expected() -> Value {
    json!({
        "stageDwell": [
            // A: LEAD 10 h and 14 h; B: 10, 14 and 21 h (mean 15).
            { "stage": "LEAD", "averageHours": 12.0, "teamMedianHours": 13.5, "exits": 2 },
            // A: 10 h; B: 22 h.
            { "stage": "QUALIFICATION", "averageHours": 10.0, "teamMedianHours": 16.0, "exits": 1 },
            // Only A left NEEDS_CONFIRMED (after 12 h).
            { "stage": "NEEDS_CONFIRMED", "averageHours": 12.0, "teamMedianHours": 12.0, "exits": 1 },
            { "stage": "DEMO", "averageHours": null, "teamMedianHours": null, "exits": 0 },
            { "stage": "QUOTE", "averageHours": null, "teamMedianHours": null, "exits": 0 },
            { "stage": "NEGOTIATION", "averageHours": null, "teamMedianHours": null, "exits": 0 },
        ],
        "forwardSkips": { "value": 2, "teamMedian": 1.0 },
        "backwardMoves": { "value": 1, "teamMedian": 0.5 },
        "stuckDeals": { "value": 1, "teamMedian": 0.5 },
        // A1 and A2 were due at t=40; B2 at t=30.
        "overdueFollowUps": { "value": 2, "teamMedian": 1.5 },
        "conversion": [
            // B: B1 and B2 moved on, B3 was lost (LOST is not progress).
            { "fromStage": "LEAD", "toStage": "QUALIFICATION", "entered": 2, "advanced": 2, "rate": 1.0, "teamMedianRate": (1.0 + 2.0 / 3.0) / 2.0 },
            // A1 entered twice but counts once; B: B1 moved on, B2 did not.
            { "fromStage": "QUALIFICATION", "toStage": "NEEDS_CONFIRMED", "entered": 1, "advanced": 1, "rate": 1.0, "teamMedianRate": 0.75 },
            // A1 went back, not on.
            { "fromStage": "NEEDS_CONFIRMED", "toStage": "DEMO", "entered": 1, "advanced": 0, "rate": 0.0, "teamMedianRate": 0.0 },
            { "fromStage": "DEMO", "toStage": "QUOTE", "entered": 1, "advanced": 0, "rate": 0.0, "teamMedianRate": 0.0 },
            { "fromStage": "QUOTE", "toStage": "NEGOTIATION", "entered": 0, "advanced": 0, "rate": null, "teamMedianRate": null },
            { "fromStage": "NEGOTIATION", "toStage": "WON", "entered": 0, "advanced": 0, "rate": null, "teamMedianRate": null },
        ],
    })
}

#[tokio::test]
async fn a_reps_figures_stand_beside_the_team_median() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Ningbo Harbour").await;
    let start = worked_team(&app, &org).await;
    let (from, to) = (start - Duration::hours(1), start + Duration::hours(100));

    let mine = report(&app, &org.rep_a, &org.rep_a, from, to).await;
    check(&mine, &rep_a_expected());
    assert_eq!(mine["userId"], org.rep_a.user_id.as_str());
    assert_eq!(time(&mine["asOf"]), start + Duration::hours(63));
    let mut team: Vec<String> = mine["team"].as_array().expect("team").iter().map(|user| dealdesk_e2e::text(&user["id"])).collect();
    team.sort();
    let mut reps = vec![org.rep_a.user_id.clone(), org.rep_b.user_id.clone()];
    reps.sort();
    assert_eq!(team, reps, "the manager is not one of the reps compared");

    // The manager and the admin see the same report.
    check(&report(&app, &org.manager, &org.rep_a, from, to).await, &rep_a_expected());
    check(&report(&app, &org.admin, &org.rep_a, from, to).await, &rep_a_expected());

    // Rep B's side of the same story.
    check(
        &report(&app, &org.rep_b, &org.rep_b, from, to).await,
        &json!({
            "stageDwell": [
                { "stage": "LEAD", "averageHours": 15.0, "teamMedianHours": 13.5, "exits": 3 },
                { "stage": "QUALIFICATION", "averageHours": 22.0, "teamMedianHours": 16.0, "exits": 1 },
                { "stage": "NEEDS_CONFIRMED", "averageHours": null, "teamMedianHours": 12.0, "exits": 0 },
                { "stage": "DEMO", "averageHours": null, "teamMedianHours": null, "exits": 0 },
                { "stage": "QUOTE", "averageHours": null, "teamMedianHours": null, "exits": 0 },
                { "stage": "NEGOTIATION", "averageHours": null, "teamMedianHours": null, "exits": 0 },
            ],
            "forwardSkips": { "value": 0, "teamMedian": 1.0 },
            "backwardMoves": { "value": 0, "teamMedian": 0.5 },
            "stuckDeals": { "value": 0, "teamMedian": 0.5 },
            "overdueFollowUps": { "value": 1, "teamMedian": 1.5 },
            "conversion": [
                { "fromStage": "LEAD", "toStage": "QUALIFICATION", "entered": 3, "advanced": 2, "rate": 2.0 / 3.0 },
                { "fromStage": "QUALIFICATION", "toStage": "NEEDS_CONFIRMED", "entered": 2, "advanced": 1, "rate": 0.5 },
                { "fromStage": "NEEDS_CONFIRMED", "toStage": "DEMO", "entered": 1, "advanced": 0, "rate": 0.0 },
                { "fromStage": "DEMO", "toStage": "QUOTE", "entered": 0, "advanced": 0, "rate": null, "teamMedianRate": 0.0 },
                { "fromStage": "QUOTE", "toStage": "NEGOTIATION", "entered": 0, "rate": null },
                { "fromStage": "NEGOTIATION", "toStage": "WON", "entered": 0, "rate": null },
            ],
        }),
    );
}

#[tokio::test]
async fn the_period_bounds_history_but_not_the_current_state() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Suzhou Gardens").await;
    let start = worked_team(&app, &org).await;

    // From t=12 on, A's only LEAD exit is A2's (14 h); A1's first entries are outside.
    let later = report(&app, &org.rep_a, &org.rep_a, start + Duration::hours(12), start + Duration::hours(100)).await;
    check(
        &later,
        &json!({
            "stageDwell": [
                { "stage": "LEAD", "averageHours": 14.0, "exits": 1 },
                { "stage": "QUALIFICATION", "averageHours": 10.0, "exits": 1 },
                { "stage": "NEEDS_CONFIRMED", "averageHours": 12.0, "exits": 1 },
                { "stage": "DEMO", "averageHours": null }, { "stage": "QUOTE" }, { "stage": "NEGOTIATION" },
            ],
            "forwardSkips": { "value": 2 },
            "backwardMoves": { "value": 1 },
            "stuckDeals": { "value": 1, "teamMedian": 0.5 },
            "overdueFollowUps": { "value": 2, "teamMedian": 1.5 },
            "conversion": [
                { "fromStage": "LEAD", "entered": 0, "rate": null },
                // A1 re-entered QUALIFICATION at t=32 and has not moved on since.
                { "fromStage": "QUALIFICATION", "entered": 1, "advanced": 0, "rate": 0.0 },
                { "fromStage": "NEEDS_CONFIRMED", "entered": 1, "advanced": 0 },
                { "fromStage": "DEMO", "entered": 1, "advanced": 0 },
                { "fromStage": "QUOTE", "entered": 0 }, { "fromStage": "NEGOTIATION", "entered": 0 },
            ],
        }),
    );

    // Up to t=20 (exclusive): the backward move and A1's later exits are outside,
    // and conversions look only as far as the period's end.
    let early = report(&app, &org.rep_a, &org.rep_a, start - Duration::hours(1), start + Duration::hours(20)).await;
    check(
        &early,
        &json!({
            "stageDwell": [
                { "stage": "LEAD", "averageHours": 12.0, "exits": 2 },
                { "stage": "QUALIFICATION", "averageHours": null, "exits": 0 },
                { "stage": "NEEDS_CONFIRMED", "averageHours": null, "exits": 0 },
                { "stage": "DEMO" }, { "stage": "QUOTE" }, { "stage": "NEGOTIATION" },
            ],
            "forwardSkips": { "value": 2 },
            "backwardMoves": { "value": 0, "teamMedian": 0.0 },
            "conversion": [
                { "fromStage": "LEAD", "entered": 2, "advanced": 2 },
                { "fromStage": "QUALIFICATION", "entered": 1, "advanced": 0, "rate": 0.0 },
                { "fromStage": "NEEDS_CONFIRMED", "entered": 0 },
                { "fromStage": "DEMO", "entered": 1, "advanced": 0 },
                { "fromStage": "QUOTE" }, { "fromStage": "NEGOTIATION" },
            ],
        }),
    );
}

#[tokio::test]
async fn history_stays_with_the_rep_who_owned_the_deal_at_the_time() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Xiamen Bay").await;
    let start = worked_team(&app, &org).await;
    let (from, to) = (start - Duration::hours(1), start + Duration::hours(100));

    // The manager hands A2 (stuck in DEMO, follow-up overdue) to rep B.
    let deals = app.deal_ids(&org.rep_a, json!({ "stage": "DEMO" })).await.0;
    assert_eq!(deals.len(), 1);
    let reassign = "mutation($input: ReassignDealInput!) { reassignDeal(input: $input) { id owner { id } } }";
    data(app.gql_as(&org.manager, reassign, json!({ "input": { "dealId": deals[0], "ownerId": org.rep_b.user_id } })).await);

    // A keeps the moves made while owning A2; what is stuck or overdue now is B's.
    let a = report(&app, &org.rep_a, &org.rep_a, from, to).await;
    check(
        &a,
        &json!({
            "stageDwell": [{ "stage": "LEAD", "averageHours": 12.0, "exits": 2 }, {}, {}, {}, {}, {}],
            "forwardSkips": { "value": 2 },
            "stuckDeals": { "value": 0, "teamMedian": 0.5 },
            "overdueFollowUps": { "value": 1, "teamMedian": 1.5 },
            "conversion": [{}, {}, {}, { "fromStage": "DEMO", "entered": 1 }, {}, {}],
        }),
    );
    let b = report(&app, &org.rep_b, &org.rep_b, from, to).await;
    check(
        &b,
        &json!({
            "forwardSkips": { "value": 0 },
            "stuckDeals": { "value": 1 },
            "overdueFollowUps": { "value": 2 },
            "conversion": [{}, {}, {}, { "fromStage": "DEMO", "entered": 0, "rate": null }, {}, {}],
        }),
    );
}

#[tokio::test]
async fn only_the_rep_their_managers_and_admins_may_ask() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Hangzhou Silk").await;
    let start = now(&app, &org.rep_a).await;
    let (from, to) = (start - Duration::days(7), start);

    assert_error(&report_raw(&app, &org.rep_a, &org.rep_b.user_id, from, to).await, "FORBIDDEN", &[]);
    let marketing = app.create_user(&org.admin, "MARKETING", None, None).await;
    assert_error(&report_raw(&app, &marketing, &org.rep_a.user_id, from, to).await, "FORBIDDEN", &[]);
    // A manager of another team may not look at this one.
    let other_manager = app.create_user(&org.admin, "MANAGER", None, None).await;
    assert_error(&report_raw(&app, &other_manager, &org.rep_a.user_id, from, to).await, "FORBIDDEN", &[]);

    // The rep, their manager and the admin may; an empty period is all zeros.
    for session in [&org.rep_a, &org.manager, &org.admin] {
        let empty = report(&app, session, &org.rep_a, from, to).await;
        check(&empty, &json!({ "forwardSkips": { "value": 0, "teamMedian": 0.0 }, "stuckDeals": { "value": 0, "teamMedian": 0.0 } }));
    }
    data(report_raw(&app, &org.manager, &org.manager.user_id, from, to).await);

    // Another org's user, or no user at all, is not found (for its own admin too).
    let other = app.sales_org("Hangzhou Tea").await;
    assert_error(&report_raw(&app, &org.admin, &other.rep_a.user_id, from, to).await, "NOT_FOUND", &[]);
    assert_error(&report_raw(&app, &other.admin, &org.rep_a.user_id, from, to).await, "NOT_FOUND", &[]);
    assert_error(&report_raw(&app, &org.admin, "not-an-id", from, to).await, "NOT_FOUND", &[]);

    // The period must run forwards and span at most 366 days.
    assert_error(&report_raw(&app, &org.rep_a, &org.rep_a.user_id, to, to).await, "BAD_INPUT", &["to"]);
    assert_error(&report_raw(&app, &org.rep_a, &org.rep_a.user_id, to, from).await, "BAD_INPUT", &["to"]);
    assert_error(&report_raw(&app, &org.rep_a, &org.rep_a.user_id, to - Duration::days(367), to).await, "BAD_INPUT", &["from"]);
    data(report_raw(&app, &org.rep_a, &org.rep_a.user_id, to - Duration::days(366), to).await);
}
