//! No N+1: the screens' queries run a constant number of SQL statements,
//! however many deals, owners, customers and timeline entries they show
//! (counted by the server with `DEALDESK_STATEMENT_COUNTS=1`).

use chrono::{Duration, Utc};
use dealdesk_e2e::*;
use serde_json::{json, Value};

/// The deal list as the brief and the web app's list both ask for it.
const DEAL_LIST: &str = "query($filter: DealFilterInput) {
  deals(first: 50, filter: $filter) {
    totalCount
    edges { cursor node { id title owner { name } customer { name industry } } }
  }
}";

/// The web app's deals page (`DealsPageQuery` with the `DealCard` fragment),
/// plus each deal's path (its transitions and the figures derived from them).
const DEALS_PAGE: &str = "query($filter: DealFilterInput) {
  deals(filter: $filter, first: 50, orderBy: { field: UPDATED_AT, direction: DESC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      id title stage stageDetails { key name kind } customer { id name } owner { id name }
      amount { amount currency } nextFollowUpAt dwellHours lastActivityAt
      transitions { id fromStage toStage at } stageDwells { stage hours } forwardSkips backwardMoves
    } }
  }
}";

/// The web app's deal page (`DealQuery`), with a first-20 timeline.
const DEAL_PAGE: &str = "query($id: ID!) {
  deal(id: $id) {
    id title stage stageDetails { key name kind } owner { id name } amount { amount currency }
    nextFollowUpAt dwellHours lastActivityAt productLine expectedCloseDate source coreNeed decisionRole
    contact { id name title } enteredStageAt createdAt
    customer { id name industry contacts { id name title decisionRole } }
    stageDwells { stage hours visits }
    forwardSkips backwardMoves
    timeline(first: 20) {
      totalCount
      nodes {
        __typename
        ... on Activity { id kind text occurredAt nextFollowUpAt dealId author { name } contact { name } }
        ... on StageTransition { id fromStage toStage at backward forwardSkips coreNeed decisionRole nextFollowUpAt lostReason by { name } }
        ... on DealReassignment { id at fromOwner { name } toOwner { name } by { name } }
      }
    }
  }
}";

/// The web app's customer search (each customer with its contacts).
const CUSTOMER_SEARCH: &str = "query {
  customers(first: 50) { totalCount nodes { id name creditCode industry region contacts { id name title decisionRole } } }
}";

/// At most this many statements for any of the list or detail screens
/// above: authentication, the caller's scope, the page and its count, and
/// one batch per kind of related record.
const MAX_STATEMENTS: u64 = 12;

/// A sales org with five reps under one manager.
struct Org {
    sales: SalesOrg,
    reps: Vec<Session>,
}

async fn org(app: &TestApp) -> Org {
    let sales = app.sales_org("Statements").await;
    let mut reps = vec![sales.rep_a.clone(), sales.rep_b.clone()];
    for _ in 0..3 {
        reps.push(app.create_user(&sales.admin, "REP", Some(&sales.team_id), Some(&sales.manager.user_id)).await);
    }
    Org { sales, reps }
}

/// Deals `from..to`, each for its own customer (with a contact), owners round-robin.
async fn add_deals(app: &TestApp, org: &Org, from: usize, to: usize) {
    for index in from..to {
        let owner = &org.reps[index % org.reps.len()];
        let customer = app.create_customer(owner, &format!("Customer {index} {}", short_id()), None).await;
        let customer_id = text(&customer["id"]);
        app.create_contact(owner, &customer_id, &format!("Contact {index}")).await;
        app.create_deal(owner, &customer_id, &format!("Deal {index}")).await;
    }
}

fn node_count(data: &Value, field: &str) -> usize {
    data[field]["edges"]
        .as_array()
        .or_else(|| data[field]["nodes"].as_array())
        .unwrap_or_else(|| panic!("{field} has no edges or nodes: {data}"))
        .len()
}

/// Runs `query` as `session`, checks every listed node came with its
/// nested records, and returns the statement count.
async fn statements_of(app: &TestApp, session: &Session, query: &str, variables: Value, field: &str, expected_nodes: usize) -> u64 {
    let (data, statements) = app.counted_as(session, query, variables).await;
    assert_eq!(node_count(&data, field), expected_nodes, "unexpected page: {data}");
    let nodes: Vec<Value> = match data[field]["edges"].as_array() {
        Some(edges) => edges.iter().map(|edge| edge["node"].clone()).collect(),
        None => data[field]["nodes"].as_array().cloned().unwrap_or_default(),
    };
    for node in nodes {
        for nested in ["owner", "customer"] {
            if let Some(value) = node.get(nested) {
                assert!(value.get("name").is_some_and(Value::is_string), "{nested} missing in {node}");
            }
        }
        if let Some(contacts) = node.get("contacts") {
            assert_eq!(contacts.as_array().map(Vec::len), Some(1), "contacts missing in {node}");
        }
    }
    assert!(statements > 0, "no statement was counted for {query}");
    statements
}

#[tokio::test]
async fn lists_run_the_same_statements_for_5_and_50_deals() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    let manager = &org.sales.manager;
    let rep_a = &org.sales.rep_a;
    let filtered = json!({ "filter": { "ownerId": rep_a.user_id, "stage": "LEAD" } });
    let everyone = json!({ "filter": null });

    add_deals(&app, &org, 0, 5).await;
    let small = [
        statements_of(&app, manager, DEAL_LIST, filtered.clone(), "deals", 1).await,
        statements_of(&app, manager, DEAL_LIST, everyone.clone(), "deals", 5).await,
        statements_of(&app, manager, DEALS_PAGE, everyone.clone(), "deals", 5).await,
        statements_of(&app, rep_a, DEALS_PAGE, everyone.clone(), "deals", 1).await,
        statements_of(&app, &org.sales.admin, CUSTOMER_SEARCH, json!({}), "customers", 5).await,
    ];

    add_deals(&app, &org, 5, 50).await;
    let large = [
        statements_of(&app, manager, DEAL_LIST, filtered, "deals", 10).await,
        statements_of(&app, manager, DEAL_LIST, everyone.clone(), "deals", 50).await,
        statements_of(&app, manager, DEALS_PAGE, everyone.clone(), "deals", 50).await,
        statements_of(&app, rep_a, DEALS_PAGE, everyone, "deals", 10).await,
        statements_of(&app, &org.sales.admin, CUSTOMER_SEARCH, json!({}), "customers", 50).await,
    ];

    eprintln!("lists: 5 deals {small:?}, 50 deals {large:?}");
    assert_eq!(small, large, "statement counts grew with the data (5 deals: {small:?}, 50 deals: {large:?})");
    for count in large {
        assert!(count <= MAX_STATEMENTS, "{count} statements for one list (at most {MAX_STATEMENTS}): {large:?}");
    }
}

/// The bench's list query: the page without `totalCount`.
const DEAL_LIST_WITHOUT_TOTAL: &str = "query($filter: DealFilterInput) {
  deals(first: 50, filter: $filter) { edges { cursor node { id title owner { name } customer { name industry } } } }
}";

#[tokio::test]
async fn a_list_counts_its_total_only_when_asked() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    add_deals(&app, &org, 0, 12).await;
    let manager = &org.sales.manager;
    let everyone = json!({ "filter": null });

    let (with_total, counted) = app.counted_as(manager, DEAL_LIST, everyone.clone()).await;
    let (without_total, uncounted) = app.counted_as(manager, DEAL_LIST_WITHOUT_TOTAL, everyone.clone()).await;
    assert_eq!(with_total["deals"]["totalCount"], 12, "{with_total}");
    assert_eq!(with_total["deals"]["edges"], without_total["deals"]["edges"], "the same page either way");
    assert_eq!(uncounted + 1, counted, "the COUNT(*) is the one statement saved ({counted} with totalCount, {uncounted} without)");

    // Asked for through a fragment, it is counted too.
    let fragment = "query($filter: DealFilterInput) { deals(first: 5, filter: $filter) { ...Total edges { node { id } } } } fragment Total on DealConnection { totalCount }";
    let (data, _) = app.counted_as(manager, fragment, everyone).await;
    assert_eq!(data["deals"]["totalCount"], 12, "{data}");
}

/// The bench's list query with the owner's and customer's ids, to check
/// each deal came with its own.
const DEAL_LIST_JOINED: &str = "query($filter: DealFilterInput) {
  deals(first: 50, filter: $filter) { edges { node { id title owner { id name } customer { id name industry } } } }
}";

#[tokio::test]
async fn a_list_fetches_the_owners_and_customers_it_shows_in_its_own_statement() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    add_deals(&app, &org, 0, 12).await;
    let admin = &org.sales.admin;
    let everyone = json!({ "filter": null });

    // The admin sees the whole org (no scope statement): authentication and the page.
    let (data, joined) = app.counted_as(admin, DEAL_LIST_JOINED, everyone.clone()).await;
    assert_eq!(joined, 2, "authentication and one statement for the deals, owners and customers ({joined})");
    let edges = data["deals"]["edges"].as_array().cloned().unwrap_or_default();
    assert_eq!(edges.len(), 12, "{data}");
    for edge in &edges {
        let node = &edge["node"];
        let index: usize = text(&node["title"]).trim_start_matches("Deal ").parse().expect("a generated title");
        assert_eq!(node["owner"]["id"], json!(org.reps[index % org.reps.len()].user_id), "{node}");
        assert!(node["owner"]["name"].is_string(), "{node}");
        assert!(text(&node["customer"]["name"]).starts_with(&format!("Customer {index} ")), "{node}");
    }

    // Without the owner and customer the page is the same one statement;
    // a manager's list adds the statement that finds the team.
    let bare = "query { deals(first: 50) { edges { node { id title } } } }";
    let (_, alone) = app.counted_as(admin, bare, json!({})).await;
    assert_eq!(alone, 2, "authentication and the page ({alone})");
    let (managed, with_scope) = app.counted_as(&org.sales.manager, DEAL_LIST_JOINED, everyone).await;
    assert_eq!(with_scope, 3, "authentication, the manager's team and the page ({with_scope})");
    assert_eq!(managed["deals"]["edges"], data["deals"]["edges"], "the manager sees the same deals of the team");

    // Through `nodes` and a fragment, the owner and customer are joined too.
    let fragment = "query { deals(first: 50) { nodes { ...Card } } } fragment Card on Deal { id owner { name } customer { name } }";
    let (data, counted) = app.counted_as(admin, fragment, json!({})).await;
    assert_eq!(data["deals"]["nodes"].as_array().map(Vec::len), Some(12), "{data}");
    assert_eq!(counted, 2, "the fragment's owner and customer came with the page ({counted})");
}

#[tokio::test]
async fn the_deal_page_runs_the_same_statements_for_1_and_20_timeline_entries() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    let SalesOrg { admin, manager, rep_a, rep_b, .. } = &org.sales;
    let customer = app.create_customer(rep_a, &format!("Timeline Co {}", short_id()), None).await;
    let customer_id = text(&customer["id"]);
    let contacts = [
        app.create_contact(rep_a, &customer_id, "Wang").await,
        app.create_contact(rep_a, &customer_id, "Li").await,
    ];
    let deal_id = text(&app.create_deal(rep_a, &customer_id, "Timeline deal").await["id"]);
    let variables = json!({ "id": deal_id });
    let page = |data: &Value| data["deal"]["timeline"]["nodes"].as_array().map_or(0, Vec::len);

    // One of each kind first: an activity with a contact, a stage move and a
    // reassignment, so both readings touch the same kinds of records.
    let follow_up = rfc3339(Utc::now() + Duration::days(3));
    let move_to = |stage: &str| json!({ "dealId": deal_id, "stage": stage, "coreNeed": "Faster quotes", "decisionRole": "DECISION_MAKER", "contactId": contacts[0], "nextFollowUpAt": follow_up });
    let reassign = "mutation($input: ReassignDealInput!) { reassignDeal(input: $input) { id } }";
    data(app.log_activity(rep_a, json!({ "dealId": deal_id, "kind": "CALL", "text": "first call", "contactId": contacts[1] })).await);
    data(app.move_stage(manager, move_to("QUALIFICATION")).await);
    app.data_as(manager, reassign, json!({ "input": { "dealId": deal_id, "ownerId": rep_b.user_id } })).await;
    let (before, small) = app.counted_as(manager, DEAL_PAGE, variables.clone()).await;
    assert_eq!(page(&before), 4, "creation, call, move, reassignment: {before}");

    // Then many: reassignments there and back, activities by three authors,
    // moves by the rep and the manager (one backward).
    for owner in [rep_a, rep_b, rep_a] {
        app.data_as(manager, reassign, json!({ "input": { "dealId": deal_id, "ownerId": owner.user_id } })).await;
    }
    let authors = [rep_a, manager, admin];
    for index in 0..8 {
        let logged = app
            .log_activity(authors[index % 3], json!({ "dealId": deal_id, "kind": "CALL", "text": format!("call {index}"), "contactId": contacts[index % 2] }))
            .await;
        data(logged);
    }
    for (mover, stage) in [(manager, "NEEDS_CONFIRMED"), (rep_a, "DEMO"), (manager, "NEEDS_CONFIRMED")] {
        data(app.move_stage(mover, move_to(stage)).await);
    }
    for index in 0..6 {
        data(app.log_activity(rep_a, json!({ "dealId": deal_id, "kind": "VISIT", "text": format!("visit {index}") })).await);
    }

    let (after, large) = app.counted_as(manager, DEAL_PAGE, variables).await;
    let deal = &after["deal"];
    assert_eq!(page(&after), 20, "the timeline's first page: {after}");
    assert_eq!(deal["timeline"]["totalCount"], 24, "1 creation + 15 activities + 4 moves + 4 reassignments: {after}");
    let kinds: std::collections::BTreeSet<&str> = deal["timeline"]["nodes"].as_array().into_iter().flatten().filter_map(|node| node["__typename"].as_str()).collect();
    assert_eq!(kinds.len(), 3, "activities, transitions and reassignments on the first page: {kinds:?}");
    for node in deal["timeline"]["nodes"].as_array().into_iter().flatten() {
        let person = match node["__typename"].as_str() {
            Some("Activity") => &node["author"],
            Some("StageTransition") => &node["by"],
            _ => &node["toOwner"],
        };
        assert!(person["name"].is_string(), "a timeline entry without its person: {node}");
    }
    assert_eq!(deal["stageDwells"].as_array().map(Vec::len), Some(4), "{after}");
    assert_eq!(deal["backwardMoves"], 1, "{after}");
    assert_eq!(deal["customer"]["contacts"].as_array().map(Vec::len), Some(2), "{after}");

    eprintln!("deal page: {small} statements with 4 timeline entries, {large} with 24");
    assert_eq!(small, large, "the deal page's statements grew with its timeline ({small} then {large})");
    // Authentication 1, the manager's scope 1, the deal 1; stage, owner,
    // contact, customer, history and the customer's contacts 1 each; the
    // timeline's count 1 and page 1 (its three sources each in one
    // statement), its people and contacts 2.
    assert!(large <= 13, "{large} statements for the deal page");
}

/// The bench's detail query: the deal, its owner and customer, and the
/// first 20 timeline entries without their total.
const DEAL_DETAIL: &str = "query($id: ID!) {
  deal(id: $id) {
    id title owner { id name } customer { id name industry }
    timeline(first: 20) { edges { node { __typename
      ... on Activity { id text author { name } }
      ... on StageTransition { id toStage by { name } }
      ... on DealReassignment { id toOwner { name } } } } }
  }
}";

#[tokio::test]
async fn the_deal_detail_joins_its_owner_and_customer_and_counts_its_timeline_only_when_asked() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    let SalesOrg { admin, rep_a, .. } = &org.sales;
    let customer = app.create_customer(rep_a, &format!("Detail Co {}", short_id()), None).await;
    let deal_id = text(&app.create_deal(rep_a, &text(&customer["id"]), "Detail deal").await["id"]);
    for index in 0..3 {
        data(app.log_activity(rep_a, json!({ "dealId": deal_id, "kind": "CALL", "text": format!("call {index}") })).await);
    }
    let variables = json!({ "id": deal_id });

    let (detail, statements) = app.counted_as(admin, DEAL_DETAIL, variables.clone()).await;
    let deal = &detail["deal"];
    assert_eq!(deal["owner"]["id"], json!(rep_a.user_id), "{detail}");
    assert_eq!(deal["customer"]["id"], customer["id"], "{detail}");
    assert_eq!(deal["timeline"]["edges"].as_array().map(Vec::len), Some(4), "creation and three calls: {detail}");
    // Authentication; the deal with its owner and customer; the timeline's
    // three sources in one statement (no count); the people they name.
    assert_eq!(statements, 4, "{statements} statements for the deal detail");

    let with_total = DEAL_DETAIL.replace("timeline(first: 20) {", "timeline(first: 20) { totalCount");
    let (counted, more) = app.counted_as(admin, &with_total, variables).await;
    assert_eq!(counted["deal"]["timeline"]["totalCount"], 4, "{counted}");
    assert_eq!(more, statements + 1, "the timeline's sources are counted, in one statement, when totalCount is asked for ({more})");
}

/// The web app's tickets list (`TicketsQuery` with the `TicketCard` fragment).
const TICKETS_PAGE: &str = "query {
  tickets(first: 50) {
    totalCount
    nodes {
      id number kind requirementType status color dueAt remainingMinutes slaMinutes calendarTime title department
      reworkCount assignee { id name } requester { id name } deal { id title } createdAt closedAt
    }
  }
}";

/// The web app's alerts list (`AlertsQuery` with the `AlertItem` fragment),
/// for stuck deals (new reps with stuck deals also get coaching alerts).
const ALERTS_PAGE: &str = "query {
  alerts(first: 50, filter: { kind: STAGE_STUCK }) {
    totalCount
    nodes {
      id kind status title details subjectType subjectId
      subject {
        __typename
        ... on Deal { id title customer { id name } }
        ... on User { id name }
        ... on Ticket { id number title color deal { id title } }
      }
      recipients { id name }
      createdAt acknowledgedAt resolvedAt escalatedAt
    }
  }
}";

/// Each rep of `org` raises tickets `from..to` about their own deals.
async fn add_tickets(app: &TestApp, org: &Org, from: usize, to: usize) {
    for index in from..to {
        let rep = &org.reps[index % org.reps.len()];
        let (_, deal_id) = app.customer_with_deal(rep, &format!("Ticket Co {index} {}", short_id())).await;
        app.data_as(
            rep,
            "mutation($input: CreateTicketInput!) { createTicket(input: $input) { id } }",
            json!({ "input": { "kind": "TECH_ASSESSMENT", "dealId": deal_id, "title": format!("Assess {index}") } }),
        )
        .await;
    }
}

fn check_tickets(data: &Value) {
    for ticket in data["tickets"]["nodes"].as_array().into_iter().flatten() {
        assert!(ticket["deal"]["title"].is_string() && ticket["requester"]["name"].is_string() && ticket["color"].is_string(), "{ticket}");
    }
}

#[tokio::test]
async fn the_tickets_list_runs_the_same_statements_for_3_and_30_tickets() {
    let app = spawn_app_with(TestOptions::statement_counts()).await;
    let org = org(&app).await;
    let manager = &org.sales.manager;

    add_tickets(&app, &org, 0, 3).await;
    let (small_page, small) = app.counted_as(manager, TICKETS_PAGE, json!({})).await;
    assert_eq!(node_count(&small_page, "tickets"), 3, "{small_page}");
    check_tickets(&small_page);

    add_tickets(&app, &org, 3, 30).await;
    let (large_page, large) = app.counted_as(manager, TICKETS_PAGE, json!({})).await;
    assert_eq!(node_count(&large_page, "tickets"), 30, "{large_page}");
    check_tickets(&large_page);

    eprintln!("tickets list: {small} statements for 3 tickets, {large} for 30");
    assert_eq!(small, large, "the tickets list's statements grew with the tickets ({small} then {large})");
    assert!(large <= MAX_STATEMENTS, "{large} statements for the tickets list");
}

#[tokio::test]
async fn the_alerts_list_runs_the_same_statements_for_3_and_30_alerts() {
    let app = spawn_app_with(TestOptions { test_clock: true, ..TestOptions::statement_counts() }).await;
    let org = org(&app).await;
    let manager = &org.sales.manager;
    let advance = "mutation($hours: Float!) { advanceTestClock(hours: $hours) }";
    let alerts_of = |data: &Value| -> Vec<Value> {
        let nodes = data["alerts"]["nodes"].as_array().cloned().unwrap_or_default();
        for alert in &nodes {
            assert_eq!(alert["kind"], "STAGE_STUCK", "{alert}");
            assert!(alert["subject"]["customer"]["name"].is_string() && alert["recipients"][0]["name"].is_string(), "{alert}");
        }
        nodes
    };

    // Deals left in LEAD past its 72 h threshold raise one stuck alert each,
    // to the owner and the manager.
    add_deals(&app, &org, 0, 3).await;
    app.data_as(&org.sales.admin, advance, json!({ "hours": 100.0 })).await;
    let (small_page, small) = app.counted_as(manager, ALERTS_PAGE, json!({})).await;
    assert_eq!(alerts_of(&small_page).len(), 3, "{small_page}");

    add_deals(&app, &org, 3, 30).await;
    app.data_as(&org.sales.admin, advance, json!({ "hours": 100.0 })).await;
    let (large_page, large) = app.counted_as(manager, ALERTS_PAGE, json!({})).await;
    assert_eq!(alerts_of(&large_page).len(), 30, "{large_page}");

    eprintln!("alerts list: {small} statements for 3 alerts, {large} for 30");
    assert_eq!(small, large, "the alerts list's statements grew with the alerts ({small} then {large})");
    assert!(large <= MAX_STATEMENTS, "{large} statements for the alerts list");
}

/// Collection warnings as FINANCE and the owning rep read them, each with
/// the receivable it is about.
const WARNINGS_PAGE: &str = "query {
  alerts(first: 50, filter: { kind: COLLECTION_WARNING }) {
    nodes { id kind title subjectId subject { __typename ... on Receivable { id dueDate outstanding { amount } } } }
  }
}";

#[tokio::test]
async fn collection_warnings_read_their_receivables_in_one_batch() {
    use crate::collection::{approved_contract, customer, today, REGISTRY_OK};
    let registry = dealdesk_e2e::receiver::Receiver::start(vec![], REGISTRY_OK).await;
    let app = spawn_app_with(TestOptions { test_clock: true, registry_url: Some(registry.url.clone()), ..TestOptions::statement_counts() }).await;
    let org = app.sales_org("Warnings").await;
    let finance = app.create_user(&org.admin, "FINANCE", None, None).await;
    let advance = "mutation { advanceTestClock(hours: 1) }";
    let warned = |data: &Value| -> usize {
        let nodes = data["alerts"]["nodes"].as_array().cloned().unwrap_or_default();
        for alert in &nodes {
            assert_eq!(alert["subject"]["__typename"], "Receivable", "{alert}");
            assert_eq!(alert["subject"]["id"], alert["subjectId"], "{alert}");
        }
        nodes.len()
    };
    // `count` instalments on consecutive days from the 5th day on (due dates must rise).
    let instalments = |count: i64, start: chrono::NaiveDate| -> Vec<(chrono::NaiveDate, i64)> { (0..count).map(|day| (start + Duration::days(5 + day), 1_000)).collect() };

    // Instalments due within 15 days are warned about on the next hourly run, to FINANCE and the owner.
    let start = today(&app, &org.rep_a).await;
    let first = customer(&app, &org.rep_a, "预警一号有限公司", 81, "制造业").await;
    approved_contract(&app, &org.rep_a, &finance, &first, &instalments(3, start)).await;
    app.data_as(&org.admin, advance, json!({})).await;
    let (small_page, finance_small) = app.counted_as(&finance, WARNINGS_PAGE, json!({})).await;
    assert_eq!(warned(&small_page), 3, "{small_page}");
    let (rep_page, rep_small) = app.counted_as(&org.rep_a, WARNINGS_PAGE, json!({})).await;
    assert_eq!(warned(&rep_page), 3, "the owner sees the receivables too: {rep_page}");

    let second = customer(&app, &org.rep_a, "预警二号有限公司", 82, "制造业").await;
    for _ in 0..3 {
        approved_contract(&app, &org.rep_a, &finance, &second, &instalments(9, start)).await;
    }
    app.data_as(&org.admin, advance, json!({})).await;
    let (large_page, finance_large) = app.counted_as(&finance, WARNINGS_PAGE, json!({})).await;
    assert_eq!(warned(&large_page), 30, "{large_page}");
    let (rep_page, rep_large) = app.counted_as(&org.rep_a, WARNINGS_PAGE, json!({})).await;
    assert_eq!(warned(&rep_page), 30, "{rep_page}");

    eprintln!("collection warnings: FINANCE {finance_small} then {finance_large} statements, the rep {rep_small} then {rep_large}");
    assert_eq!(finance_small, finance_large, "FINANCE's warnings grew with the receivables ({finance_small} then {finance_large})");
    assert_eq!(rep_small, rep_large, "the rep's warnings grew with the receivables ({rep_small} then {rep_large})");
    assert!(finance_large <= MAX_STATEMENTS && rep_large <= MAX_STATEMENTS, "{finance_large} / {rep_large} statements");

    // Another rep of the org is not shown the receivables (nor addressed by the warnings).
    let (other, _) = app.counted_as(&org.rep_b, WARNINGS_PAGE, json!({})).await;
    assert_eq!(warned(&other), 0, "{other}");
}
