//! The org-wide funnel (B1) and bottleneck heatmap (B2) through the test
//! clock: two teams work six deals hour by hour, and every figure is checked
//! exactly — per role, per filter, per period, per dimension.

use chrono::{DateTime, Duration, Utc};
use dealdesk_e2e::{assert_error, check_subset, data, rfc3339, spawn_app_with, text, SalesOrg, Session, TestApp, TestOptions};
use serde_json::{json, Value};

const FUNNEL: &str = "query($filter: FunnelFilterInput, $from: DateTime!, $to: DateTime!, $currency: String) { \
    funnel(filter: $filter, from: $from, to: $to, currency: $currency) { from to currency \
    stages { stage name kind entered amount { amount currency } pricedDeals nextStage advanced conversionRate exits medianDwellHours } } }";

const HEATMAP: &str = "query($dimension: HeatmapDimension!, $metric: HeatmapMetric!, $from: DateTime!, $to: DateTime!, $filter: FunnelFilterInput, $minSample: Int) { \
    heatmap(dimension: $dimension, metric: $metric, from: $from, to: $to, filter: $filter, minSample: $minSample) { \
    dimension metric from to minSample stages rows { value cells { stage value sample rank worst } } } }";

const ADVANCE: &str = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";

/// The open stages: the heatmap's columns.
const OPEN: [&str; 6] = ["LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION"];

async fn advance(app: &TestApp, session: &Session, hours: f64) {
    data(app.gql_as(session, ADVANCE, json!({ "hours": hours })).await);
}

async fn now(app: &TestApp, session: &Session) -> DateTime<Utc> {
    dealdesk_e2e::time(&app.data_as(session, "{ testClock }", json!({})).await["testClock"])
}

/// A customer of `session` with the given industry and region; returns its id.
async fn customer(app: &TestApp, session: &Session, name: &str, industry: Option<&str>, region: Option<&str>) -> String {
    let created = app
        .data_as(
            session,
            "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }",
            json!({ "input": { "name": name, "industry": industry, "region": region } }),
        )
        .await;
    text(&created["createCustomer"]["id"])
}

/// A deal (in LEAD) of `session` for `customer`; returns its id.
async fn deal(app: &TestApp, session: &Session, customer: &str, title: &str, product_line: Option<&str>, amount: Option<(&str, &str)>) -> String {
    let amount = amount.map(|(amount, currency)| json!({ "amount": amount, "currency": currency }));
    let created = app
        .data_as(
            session,
            "mutation($input: CreateDealInput!) { createDeal(input: $input) { id } }",
            json!({ "input": { "title": title, "customerId": customer, "productLine": product_line, "amount": amount } }),
        )
        .await;
    text(&created["createDeal"]["id"])
}

/// Moves a deal into an open stage (with every gate field), or to LOST.
async fn move_to(app: &TestApp, session: &Session, deal: &str, stage: &str) {
    let input = if stage == "LOST" {
        json!({ "dealId": deal, "stage": stage, "lostReason": "预算取消" })
    } else {
        let follow_up = now(app, session).await + Duration::days(30);
        json!({ "dealId": deal, "stage": stage, "coreNeed": "库存数据不准", "decisionRole": "DECISION_MAKER", "nextFollowUpAt": rfc3339(follow_up) })
    };
    data(app.move_stage(session, input).await);
}

/// The org the story plays in: the sales org's team (manager, reps A and
/// B) plus a second team whose rep C the first manager does not manage.
struct Story {
    org: SalesOrg,
    rep_c: Session,
    start: DateTime<Utc>,
}

/// Six deals over 40 hours (times are hours after the start):
///
/// | deal | owner | industry / region   | product | amount     |
/// |------|-------|---------------------|---------|------------|
/// | A1   | A     | Education / East    | CRM     | 100000 CNY |
/// | A2   | A     | Education / East    | ERP     | 50000 CNY  |
/// | A3   | A     | Retail / North      | CRM     | 20000 USD  |
/// | B1   | B     | (none) / North      | CRM     | —          |
/// | B2   | B     | Education / South   | (none)  | 30000 CNY  |
/// | C1   | C     | Education / East    | CRM     | 70000 CNY  |
///
/// | t  | moves                                                       |
/// |----|-------------------------------------------------------------|
/// | 0  | all six created (enter LEAD)                                |
/// | 10 | A1 → QUALIFICATION, B1 → QUALIFICATION                      |
/// | 14 | A2 → DEMO (skipping two stages)                             |
/// | 16 | B2 → QUALIFICATION                                          |
/// | 20 | A1 → NEEDS_CONFIRMED, C1 → QUALIFICATION                    |
/// | 21 | A3 → LOST                                                   |
/// | 32 | A1 → QUALIFICATION (back), B1 → NEEDS_CONFIRMED             |
/// | 40 | A2 → QUOTE                                                  |
async fn story(app: &TestApp) -> Story {
    let org = app.sales_org("Hefei Lakes").await;
    let west_manager = app.create_user(&org.admin, "MANAGER", None, None).await;
    let west = app.create_team(&org.admin, "Hefei West", Some(&west_manager.user_id)).await;
    let rep_c = app.create_user(&org.admin, "REP", Some(&west), Some(&west_manager.user_id)).await;
    let (a, b, c) = (&org.rep_a, &org.rep_b, &rep_c);

    let school = customer(app, a, "Hefei No. 1 School", Some("Education"), Some("East")).await;
    let shop = customer(app, a, "Bengbu Mart", Some("Retail"), Some("North")).await;
    let mill = customer(app, b, "Huainan Mill", None, Some("North")).await;
    let college = customer(app, b, "Anqing College", Some("Education"), Some("South")).await;
    let academy = customer(app, c, "Wuhu Academy", Some("Education"), Some("East")).await;

    let start = now(app, a).await;
    let a1 = deal(app, a, &school, "A1", Some("CRM"), Some(("100000", "CNY"))).await;
    let a2 = deal(app, a, &school, "A2", Some("ERP"), Some(("50000", "CNY"))).await;
    let a3 = deal(app, a, &shop, "A3", Some("CRM"), Some(("20000", "USD"))).await;
    let b1 = deal(app, b, &mill, "B1", Some("CRM"), None).await;
    let b2 = deal(app, b, &college, "B2", None, Some(("30000", "CNY"))).await;
    let c1 = deal(app, c, &academy, "C1", Some("CRM"), Some(("70000", "CNY"))).await;

    advance(app, a, 10.0).await;
    move_to(app, a, &a1, "QUALIFICATION").await;
    move_to(app, b, &b1, "QUALIFICATION").await;
    advance(app, a, 4.0).await;
    move_to(app, a, &a2, "DEMO").await;
    advance(app, a, 2.0).await;
    move_to(app, b, &b2, "QUALIFICATION").await;
    advance(app, a, 4.0).await;
    move_to(app, a, &a1, "NEEDS_CONFIRMED").await;
    move_to(app, c, &c1, "QUALIFICATION").await;
    advance(app, a, 1.0).await;
    move_to(app, a, &a3, "LOST").await;
    advance(app, a, 11.0).await;
    move_to(app, a, &a1, "QUALIFICATION").await;
    move_to(app, b, &b1, "NEEDS_CONFIRMED").await;
    advance(app, a, 8.0).await;
    move_to(app, a, &a2, "QUOTE").await;
    Story { org, rep_c, start }
}

async fn funnel_raw(app: &TestApp, session: &Session, filter: Value, from: DateTime<Utc>, to: DateTime<Utc>, currency: Option<&str>) -> Value {
    app.gql_as(session, FUNNEL, json!({ "filter": filter, "from": rfc3339(from), "to": rfc3339(to), "currency": currency })).await
}

async fn funnel(app: &TestApp, session: &Session, filter: Value, from: DateTime<Utc>, to: DateTime<Utc>) -> Value {
    data(funnel_raw(app, session, filter, from, to, None).await)["funnel"].clone()
}

/// One funnel stage as expected: `(entered, CNY amount, priced deals)`,
/// `(advanced, conversion rate)` and `(exits, median dwell hours)`.
fn stage(key: &str, entered: (i64, &str, i64), conversion: (i64, Option<f64>), dwell: (i64, Option<f64>)) -> Value {
    let next = match key {
        "LEAD" => json!("QUALIFICATION"),
        "QUALIFICATION" => json!("NEEDS_CONFIRMED"),
        "NEEDS_CONFIRMED" => json!("DEMO"),
        "DEMO" => json!("QUOTE"),
        "QUOTE" => json!("NEGOTIATION"),
        "NEGOTIATION" => json!("WON"),
        _ => Value::Null,
    };
    json!({
        "stage": key,
        "entered": entered.0,
        "amount": { "amount": entered.1, "currency": "CNY" },
        "pricedDeals": entered.2,
        "nextStage": next,
        "advanced": conversion.0,
        "conversionRate": conversion.1,
        "exits": dwell.0,
        "medianDwellHours": dwell.1,
    })
}

/// Nothing entered or left the stage.
fn quiet(key: &str) -> Value {
    stage(key, (0, "0.00", 0), (0, None), (0, None))
}

/// The funnel's stages, checked in pipeline order.
fn check_stages(actual: &Value, expected: &[Value]) {
    check_subset(actual, &json!({ "stages": expected }), "funnel");
}

/// One heatmap row: `(value, sample, rank, worst)` per open stage.
fn row(value: Option<&str>, cells: [(Option<f64>, i64, Option<u32>, bool); 6]) -> Value {
    let cells: Vec<Value> = OPEN
        .iter()
        .zip(cells)
        .map(|(stage, (value, sample, rank, worst))| json!({ "stage": stage, "value": value, "sample": sample, "rank": rank, "worst": worst }))
        .collect();
    json!({ "value": value, "cells": cells })
}

const NONE: (Option<f64>, i64, Option<u32>, bool) = (None, 0, None, false);

async fn heatmap(app: &TestApp, session: &Session, dimension: &str, metric: &str, story: &Story, filter: Value, min_sample: Option<i32>) -> Value {
    let (from, to) = whole(story);
    let response = app
        .gql_as(
            session,
            HEATMAP,
            json!({ "dimension": dimension, "metric": metric, "from": rfc3339(from), "to": rfc3339(to), "filter": filter, "minSample": min_sample }),
        )
        .await;
    let heatmap = data(response)["heatmap"].clone();
    assert_eq!(heatmap["stages"], json!(OPEN), "the columns are the open stages in order");
    assert_eq!(heatmap["dimension"], dimension);
    assert_eq!(heatmap["metric"], metric);
    heatmap
}

/// The whole story with an hour's margin before and plenty after.
fn whole(story: &Story) -> (DateTime<Utc>, DateTime<Utc>) {
    (story.start - Duration::hours(1), story.start + Duration::hours(100))
}

#[tokio::test]
async fn the_funnel_counts_amounts_conversion_and_median_dwell_per_stage() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let story = story(&app).await;
    let (from, to) = whole(&story);
    let org = &story.org;

    // The admin sees the org.
    let all = funnel(&app, &org.admin, json!(null), from, to).await;
    assert_eq!(all["currency"], "CNY");
    assert_eq!(dealdesk_e2e::time(&all["from"]), from);
    assert_eq!(dealdesk_e2e::time(&all["to"]), to);
    check_subset(&all, &json!({ "stages": [{ "name": "线索", "kind": "OPEN" }, {}, {}, {}, {}, {}, { "kind": "WON" }, { "kind": "LOST" }] }), "funnel");
    check_stages(
        &all,
        &[
            // All six entered; A3 (USD) and B1 (no amount) are not in the CNY sum.
            // A3 was lost, the rest moved on (A2 by skipping). Stays: 10, 10, 14, 16, 20, 21 h.
            stage("LEAD", (6, "250000.00", 4), (5, Some(5.0 / 6.0)), (6, Some(15.0))),
            // A1 entered twice and counts once; A1 (t=20) and B1 (t=32) moved on.
            // Stays ended: A1 10 h, B1 22 h.
            stage("QUALIFICATION", (4, "200000.00", 3), (2, Some(0.5)), (2, Some(16.0))),
            // A1 went back, B1 is still there; A1 stayed 12 h.
            stage("NEEDS_CONFIRMED", (2, "100000.00", 1), (0, Some(0.0)), (1, Some(12.0))),
            stage("DEMO", (1, "50000.00", 1), (1, Some(1.0)), (1, Some(26.0))),
            // A2 has not left QUOTE: no stay has ended there.
            stage("QUOTE", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
            quiet("NEGOTIATION"),
            quiet("WON"),
            stage("LOST", (1, "0.00", 0), (0, None), (0, None)),
        ],
    );

    // Amounts in another currency: only A3.
    let dollars = data(funnel_raw(&app, &org.admin, json!(null), from, to, Some("USD")).await)["funnel"].clone();
    assert_eq!(dollars["currency"], "USD");
    assert_eq!(dollars["stages"][0]["amount"], json!({ "amount": "20000.00", "currency": "USD" }));
    assert_eq!(dollars["stages"][0]["pricedDeals"], 1);
    assert_eq!(dollars["stages"][7]["amount"], json!({ "amount": "20000.00", "currency": "USD" }));
    assert_eq!(dollars["stages"][1]["pricedDeals"], 0);

    // The manager sees their team (A and B), not rep C; so does the admin
    // asking for the team.
    let team = [
        // Stays: 10, 10, 14, 16, 21 h.
        stage("LEAD", (5, "180000.00", 3), (4, Some(0.8)), (5, Some(14.0))),
        stage("QUALIFICATION", (3, "130000.00", 2), (2, Some(2.0 / 3.0)), (2, Some(16.0))),
        stage("NEEDS_CONFIRMED", (2, "100000.00", 1), (0, Some(0.0)), (1, Some(12.0))),
        stage("DEMO", (1, "50000.00", 1), (1, Some(1.0)), (1, Some(26.0))),
        stage("QUOTE", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
        quiet("NEGOTIATION"),
        quiet("WON"),
        stage("LOST", (1, "0.00", 0), (0, None), (0, None)),
    ];
    check_stages(&funnel(&app, &org.manager, json!(null), from, to).await, &team);
    check_stages(&funnel(&app, &org.admin, json!({ "teamId": org.team_id }), from, to).await, &team);

    // Rep A sees only their own deals, whatever they ask for.
    let rep_a = [
        // Stays: 10, 14, 21 h.
        stage("LEAD", (3, "150000.00", 2), (2, Some(2.0 / 3.0)), (3, Some(14.0))),
        stage("QUALIFICATION", (1, "100000.00", 1), (1, Some(1.0)), (1, Some(10.0))),
        stage("NEEDS_CONFIRMED", (1, "100000.00", 1), (0, Some(0.0)), (1, Some(12.0))),
        stage("DEMO", (1, "50000.00", 1), (1, Some(1.0)), (1, Some(26.0))),
        stage("QUOTE", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
        quiet("NEGOTIATION"),
        quiet("WON"),
        stage("LOST", (1, "0.00", 0), (0, None), (0, None)),
    ];
    check_stages(&funnel(&app, &org.rep_a, json!(null), from, to).await, &rep_a);
    check_stages(&funnel(&app, &org.rep_a, json!({ "teamId": org.team_id }), from, to).await, &rep_a);
    check_stages(&funnel(&app, &org.admin, json!({ "ownerId": org.rep_a.user_id }), from, to).await, &rep_a);
    check_stages(&funnel(&app, &org.manager, json!({ "ownerId": org.rep_a.user_id }), from, to).await, &rep_a);
    let nothing: Vec<Value> = ["LEAD", "QUALIFICATION", "NEEDS_CONFIRMED", "DEMO", "QUOTE", "NEGOTIATION", "WON", "LOST"].map(quiet).to_vec();
    check_stages(&funnel(&app, &org.rep_a, json!({ "ownerId": org.rep_b.user_id }), from, to).await, &nothing);
    // The manager does not manage rep C.
    check_stages(&funnel(&app, &org.manager, json!({ "ownerId": story.rep_c.user_id }), from, to).await, &nothing);
}

#[tokio::test]
async fn filters_narrow_the_funnel_to_industry_region_and_product_line() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let story = story(&app).await;
    let (from, to) = whole(&story);
    let admin = &story.org.admin;

    // Education: A1, A2, B2, C1. Stays in LEAD: 10, 14, 16, 20 h.
    check_stages(
        &funnel(&app, admin, json!({ "industry": "Education" }), from, to).await,
        &[
            stage("LEAD", (4, "250000.00", 4), (4, Some(1.0)), (4, Some(15.0))),
            stage("QUALIFICATION", (3, "200000.00", 3), (1, Some(1.0 / 3.0)), (1, Some(10.0))),
            stage("NEEDS_CONFIRMED", (1, "100000.00", 1), (0, Some(0.0)), (1, Some(12.0))),
            stage("DEMO", (1, "50000.00", 1), (1, Some(1.0)), (1, Some(26.0))),
            stage("QUOTE", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
            quiet("NEGOTIATION"),
            quiet("WON"),
            quiet("LOST"),
        ],
    );
    // North: A3 and B1 (whose customer has no industry). Stays in LEAD: 10, 21 h.
    check_stages(
        &funnel(&app, admin, json!({ "region": "North" }), from, to).await,
        &[
            stage("LEAD", (2, "0.00", 0), (1, Some(0.5)), (2, Some(15.5))),
            stage("QUALIFICATION", (1, "0.00", 0), (1, Some(1.0)), (1, Some(22.0))),
            stage("NEEDS_CONFIRMED", (1, "0.00", 0), (0, Some(0.0)), (0, None)),
            quiet("DEMO"),
            quiet("QUOTE"),
            quiet("NEGOTIATION"),
            quiet("WON"),
            stage("LOST", (1, "0.00", 0), (0, None), (0, None)),
        ],
    );
    // CRM: A1, A3, B1, C1. Stays in LEAD: 10, 10, 20, 21 h.
    let crm = funnel(&app, admin, json!({ "productLine": "CRM" }), from, to).await;
    check_subset(&crm, &json!({ "stages": [{ "entered": 4, "amount": { "amount": "170000.00" }, "pricedDeals": 2, "advanced": 3, "conversionRate": 0.75, "exits": 4, "medianDwellHours": 15.0 }, {}, {}, {}, {}, {}, {}, {}] }), "funnel");
    // Every given filter must match: Education, East and CRM are A1 and C1.
    let narrow = funnel(&app, admin, json!({ "industry": "Education", "region": "East", "productLine": "CRM", "teamId": null }), from, to).await;
    check_subset(&narrow, &json!({ "stages": [{ "entered": 2, "amount": { "amount": "170000.00" }, "advanced": 2, "conversionRate": 1.0, "exits": 2, "medianDwellHours": 15.0 }, {}, {}, {}, {}, {}, {}, {}] }), "funnel");
    let narrower = funnel(&app, admin, json!({ "industry": "Education", "region": "East", "productLine": "CRM", "teamId": story.org.team_id }), from, to).await;
    check_subset(&narrower, &json!({ "stages": [{ "entered": 1, "amount": { "amount": "100000.00" }, "exits": 1, "medianDwellHours": 10.0 }, {}, {}, {}, {}, {}, {}, {}] }), "funnel");
    let nobody = funnel(&app, admin, json!({ "industry": "Mining" }), from, to).await;
    assert!(nobody["stages"].as_array().expect("stages").iter().all(|stage| stage["entered"] == 0 && stage["exits"] == 0));
}

#[tokio::test]
async fn the_period_bounds_entries_exits_and_how_far_conversion_looks() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let story = story(&app).await;
    let admin = &story.org.admin;
    let at = |hours: i64| story.start + Duration::hours(hours);

    // From t=12: nothing was created; A1 and B1 entered QUALIFICATION before.
    // Stays ending count however long ago they began (A1's QUALIFICATION stay began at t=10).
    check_stages(
        &funnel(&app, admin, json!(null), at(12), at(100)).await,
        &[
            // LEAD stays that ended: A2 14, B2 16, C1 20, A3 21 h.
            stage("LEAD", (0, "0.00", 0), (0, None), (4, Some(18.0))),
            // A1 (t=32), B2 and C1 entered and none moved on.
            stage("QUALIFICATION", (3, "200000.00", 3), (0, Some(0.0)), (2, Some(16.0))),
            stage("NEEDS_CONFIRMED", (2, "100000.00", 1), (0, Some(0.0)), (1, Some(12.0))),
            stage("DEMO", (1, "50000.00", 1), (1, Some(1.0)), (1, Some(26.0))),
            stage("QUOTE", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
            quiet("NEGOTIATION"),
            quiet("WON"),
            stage("LOST", (1, "0.00", 0), (0, None), (0, None)),
        ],
    );

    // Up to t=20 (exclusive): the moves at t=20 are outside, so conversion
    // looks no further than t=20 either.
    check_stages(
        &funnel(&app, admin, json!(null), at(-1), at(20)).await,
        &[
            // A1, B1, A2 and B2 moved on before t=20; C1 only at t=20. Stays: 10, 10, 14, 16 h.
            stage("LEAD", (6, "250000.00", 4), (4, Some(4.0 / 6.0)), (4, Some(12.0))),
            // A1, B1, B2 entered; A1 reached NEEDS_CONFIRMED only at t=20.
            stage("QUALIFICATION", (3, "130000.00", 2), (0, Some(0.0)), (0, None)),
            quiet("NEEDS_CONFIRMED"),
            stage("DEMO", (1, "50000.00", 1), (0, Some(0.0)), (0, None)),
            quiet("QUOTE"),
            quiet("NEGOTIATION"),
            quiet("WON"),
            quiet("LOST"),
        ],
    );

    // A period before anything happened is all zeros.
    let before = funnel(&app, admin, json!(null), at(-48), at(-1)).await;
    assert!(before["stages"].as_array().expect("stages").iter().all(|stage| stage["entered"] == 0 && stage["exits"] == 0 && stage["medianDwellHours"].is_null()));
}

/// Moves recorded at the same instant (the test clock stands still) keep
/// the order they were made in: whether a deal moved on from a stage is
/// read by time, then by record, as the hand-written SQL of the benchmark
/// reads it with a window.
#[tokio::test]
async fn moves_at_the_same_instant_count_in_the_order_they_were_made() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let org = app.sales_org("Tongling Works").await;
    let rep = &org.rep_a;
    let client = customer(&app, rep, "Tongling Copper", Some("Manufacturing"), Some("East")).await;
    let start = now(&app, rep).await;

    // Forward past QUALIFICATION, then back into it: QUALIFICATION is entered
    // after the move beyond it, so it did not move on; LEAD did.
    let ahead = deal(&app, rep, &client, "Ahead then back", None, None).await;
    move_to(&app, rep, &ahead, "DEMO").await;
    move_to(&app, rep, &ahead, "QUALIFICATION").await;
    // Into QUALIFICATION and back to LEAD: LEAD is entered twice and counts
    // once, and its first entry moved on.
    let back = deal(&app, rep, &client, "Forward then back", None, None).await;
    move_to(&app, rep, &back, "QUALIFICATION").await;
    move_to(&app, rep, &back, "LEAD").await;
    advance(&app, rep, 1.0).await;

    let expected = [
        stage("LEAD", (2, "0.00", 0), (2, Some(1.0)), (2, Some(0.0))),
        stage("QUALIFICATION", (2, "0.00", 0), (0, Some(0.0)), (1, Some(0.0))),
        quiet("NEEDS_CONFIRMED"),
        stage("DEMO", (1, "0.00", 0), (0, Some(0.0)), (1, Some(0.0))),
        quiet("QUOTE"),
        quiet("NEGOTIATION"),
        quiet("WON"),
        quiet("LOST"),
    ];
    let (from, to) = (start - Duration::hours(1), start + Duration::hours(2));
    // The whole org (its transitions folded before the deals are joined) and
    // the rep's own deals (joined first): the same figures.
    check_stages(&funnel(&app, &org.admin, json!(null), from, to).await, &expected);
    check_stages(&funnel(&app, rep, json!(null), from, to).await, &expected);
}

#[tokio::test]
async fn the_heatmap_ranks_each_stage_and_marks_the_worst_cell() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let story = story(&app).await;
    let org = &story.org;

    // Conversion by industry. Education: A1, A2, B2, C1; Retail: A3; none: B1.
    let by_industry = heatmap(&app, &org.admin, "INDUSTRY", "CONVERSION", &story, json!(null), Some(1)).await;
    assert_eq!(by_industry["minSample"], 1);
    check_subset(
        &by_industry,
        &json!({ "rows": [
            row(Some("Education"), [(Some(1.0), 4, Some(2), false), (Some(1.0 / 3.0), 3, Some(1), true), (Some(0.0), 1, Some(1), false), (Some(1.0), 1, Some(1), false), (Some(0.0), 1, Some(1), false), NONE]),
            row(Some("Retail"), [(Some(0.0), 1, Some(1), true), NONE, NONE, NONE, NONE, NONE]),
            row(None, [(Some(1.0), 1, Some(2), false), (Some(1.0), 1, Some(2), false), (Some(0.0), 1, Some(1), false), NONE, NONE, NONE]),
        ] }),
        "heatmap",
    );

    // By default a cell needs 5 observations to be ranked; with 3, only Education's first two.
    let unranked = heatmap(&app, &org.admin, "INDUSTRY", "CONVERSION", &story, json!(null), None).await;
    assert_eq!(unranked["minSample"], 5);
    for cell in unranked["rows"].as_array().expect("rows").iter().flat_map(|row| row["cells"].as_array().expect("cells")) {
        assert!(cell["rank"].is_null() && cell["worst"] == false, "{cell}");
    }
    let three = heatmap(&app, &org.admin, "INDUSTRY", "CONVERSION", &story, json!(null), Some(3)).await;
    check_subset(
        &three,
        &json!({ "rows": [
            row(Some("Education"), [(Some(1.0), 4, Some(1), false), (Some(1.0 / 3.0), 3, Some(1), false), (Some(0.0), 1, None, false), (Some(1.0), 1, None, false), (Some(0.0), 1, None, false), NONE]),
            row(Some("Retail"), [(Some(0.0), 1, None, false), NONE, NONE, NONE, NONE, NONE]),
            row(None, [(Some(1.0), 1, None, false), (Some(1.0), 1, None, false), (Some(0.0), 1, None, false), NONE, NONE, NONE]),
        ] }),
        "heatmap",
    );

    // Median dwell by region: the longest stays are the worst.
    let by_region = heatmap(&app, &org.admin, "REGION", "DWELL", &story, json!(null), Some(1)).await;
    check_subset(
        &by_region,
        &json!({ "rows": [
            // East: LEAD stays 10 (A1), 14 (A2), 20 (C1) h; A1's QUALIFICATION 10 h and NEEDS_CONFIRMED 12 h; A2's DEMO 26 h.
            row(Some("East"), [(Some(14.0), 3, Some(3), false), (Some(10.0), 1, Some(2), false), (Some(12.0), 1, Some(1), false), (Some(26.0), 1, Some(1), false), NONE, NONE]),
            // North: LEAD stays 10 (B1) and 21 (A3) h; B1's QUALIFICATION 22 h.
            row(Some("North"), [(Some(15.5), 2, Some(2), false), (Some(22.0), 1, Some(1), true), NONE, NONE, NONE, NONE]),
            row(Some("South"), [(Some(16.0), 1, Some(1), true), NONE, NONE, NONE, NONE, NONE]),
        ] }),
        "heatmap",
    );

    // Conversion by product line as the manager (the team: no C1).
    let by_product = heatmap(&app, &org.manager, "PRODUCT_LINE", "CONVERSION", &story, json!(null), Some(1)).await;
    check_subset(
        &by_product,
        &json!({ "rows": [
            row(Some("CRM"), [(Some(2.0 / 3.0), 3, Some(1), true), (Some(1.0), 2, Some(2), false), (Some(0.0), 2, Some(1), false), NONE, NONE, NONE]),
            row(Some("ERP"), [(Some(1.0), 1, Some(2), false), NONE, NONE, (Some(1.0), 1, Some(1), false), (Some(0.0), 1, Some(1), false), NONE]),
            row(None, [(Some(1.0), 1, Some(2), false), (Some(0.0), 1, Some(1), true), NONE, NONE, NONE, NONE]),
        ] }),
        "heatmap",
    );

    // Rep A's own deals only; the filter narrows the same way as the funnel's.
    let mine = heatmap(&app, &org.rep_a, "INDUSTRY", "DWELL", &story, json!(null), Some(1)).await;
    check_subset(
        &mine,
        &json!({ "rows": [
            row(Some("Education"), [(Some(12.0), 2, Some(2), false), (Some(10.0), 1, Some(1), false), (Some(12.0), 1, Some(1), false), (Some(26.0), 1, Some(1), false), NONE, NONE]),
            row(Some("Retail"), [(Some(21.0), 1, Some(1), true), NONE, NONE, NONE, NONE, NONE]),
        ] }),
        "heatmap",
    );
    let crm = heatmap(&app, &org.admin, "REGION", "DWELL", &story, json!({ "productLine": "CRM" }), Some(1)).await;
    let regions: Vec<Value> = crm["rows"].as_array().expect("rows").iter().map(|row| row["value"].clone()).collect();
    assert_eq!(regions, vec![json!("East"), json!("North")], "B2 and A2 are not CRM deals");
    check_subset(&crm["rows"][0], &row(Some("East"), [(Some(15.0), 2, Some(2), false), (Some(10.0), 1, Some(2), false), (Some(12.0), 1, Some(1), false), NONE, NONE, NONE]), "heatmap.rows[0]");
}

#[tokio::test]
async fn another_org_never_shows_and_bad_input_is_named() {
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let story = story(&app).await;
    let (from, to) = whole(&story);
    let org = &story.org;

    // Another org works a deal over the same hours.
    let other = app.sales_org("Nanjing Rivers").await;
    let customer = customer(&app, &other.rep_a, "Nanjing Port", Some("Education"), Some("East")).await;
    let theirs = deal(&app, &other.rep_a, &customer, "Theirs", Some("CRM"), Some(("999", "CNY"))).await;
    advance(&app, &other.rep_a, 1.0).await;
    move_to(&app, &other.rep_a, &theirs, "QUALIFICATION").await;

    let ours = funnel(&app, &org.admin, json!(null), from, to).await;
    check_subset(&ours, &json!({ "stages": [{ "entered": 6, "amount": { "amount": "250000.00" } }, { "entered": 4 }, {}, {}, {}, {}, {}, {}] }), "funnel");
    let theirs_seen = funnel(&app, &other.admin, json!(null), from, to).await;
    check_subset(&theirs_seen, &json!({ "stages": [{ "entered": 1, "amount": { "amount": "999.00" }, "advanced": 1, "exits": 1, "medianDwellHours": 1.0 }, { "entered": 1 }, { "entered": 0 }, {}, {}, {}, {}, {}] }), "funnel");
    // Filtering by another org's team or rep finds nothing.
    for filter in [json!({ "teamId": other.team_id }), json!({ "ownerId": other.rep_a.user_id })] {
        let found = funnel(&app, &org.admin, filter, from, to).await;
        assert!(found["stages"].as_array().expect("stages").iter().all(|stage| stage["entered"] == 0 && stage["exits"] == 0), "{found}");
    }
    let theirs_map = heatmap(&app, &other.admin, "INDUSTRY", "CONVERSION", &story, json!(null), Some(1)).await;
    assert_eq!(theirs_map["rows"].as_array().expect("rows").len(), 1);
    check_subset(&theirs_map["rows"][0], &json!({ "value": "Education", "cells": [{ "value": 1.0, "sample": 1 }, { "value": 0.0, "sample": 1 }, {}, {}, {}, {}] }), "heatmap.rows[0]");

    // Bad input is named; nobody signed in is refused.
    assert_error(&funnel_raw(&app, &org.admin, json!(null), to, to, None).await, "BAD_INPUT", &["to"]);
    assert_error(&funnel_raw(&app, &org.admin, json!(null), to, from, None).await, "BAD_INPUT", &["to"]);
    assert_error(&funnel_raw(&app, &org.admin, json!(null), to - Duration::days(367), to, None).await, "BAD_INPUT", &["from"]);
    assert_error(&funnel_raw(&app, &org.admin, json!(null), from, to, Some("RMB1")).await, "BAD_INPUT", &["currency"]);
    assert_error(&funnel_raw(&app, &org.admin, json!({ "teamId": "not-an-id" }), from, to, None).await, "BAD_INPUT", &["teamId"]);
    let zero = app
        .gql_as(&org.admin, HEATMAP, json!({ "dimension": "REGION", "metric": "DWELL", "from": rfc3339(from), "to": rfc3339(to), "minSample": 0 }))
        .await;
    assert_error(&zero, "BAD_INPUT", &["minSample"]);
    let anonymous = app.gql(FUNNEL, json!({ "from": rfc3339(from), "to": rfc3339(to) }), None).await;
    assert_error(&anonymous, "UNAUTHENTICATED", &[]);
}
