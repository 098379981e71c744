//! A deal list selects only the columns its GraphQL selection reads
//! (`types::deal_selection` and the column maps beside the `Deal`, `User`
//! and `Customer` resolvers). A field whose column a map forgot would read
//! its type's default instead of the stored value, so every field of a
//! deal, and of the owner and customer a list joins, is asked for alone in
//! lists of a generated org and compared with `deal(id)`, which reads whole
//! records.

use chrono::{DateTime, Utc};
use dealdesk_e2e::{data, spawn_app_with, Session, TestApp, TestOptions};
use serde_json::{json, Value};

/// Pages that between them hold deals in every kind of state: new ones,
/// lost ones (a reason), won ones (contracts), and ones mid-pipeline.
const PAGES: [&str; 4] = [
    r#"{}"#,
    r#"{ "stage": "LOST" }"#,
    r#"{ "stage": "WON" }"#,
    r#"{ "stage": "NEGOTIATION" }"#,
];

/// Deals per page.
const PAGE: usize = 10;

/// The base type of an introspected field type: (kind, name).
fn base_type(field_type: &Value) -> (String, String) {
    let mut at = field_type;
    while at["name"].is_null() {
        at = &at["ofType"];
    }
    (at["kind"].as_str().expect("a kind").to_string(), at["name"].as_str().expect("a name").to_string())
}

/// A type's fields that can be asked for without arguments, with their base type.
async fn fields_of(app: &TestApp, session: &Session, type_name: &str) -> Vec<(String, String, String)> {
    const OF_TYPE: &str = "kind name ofType { kind name ofType { kind name ofType { kind name } } }";
    let query = format!("query($name: String!) {{ __type(name: $name) {{ fields {{ name args {{ type {{ kind }} }} type {{ {OF_TYPE} }} }} }} }}");
    let response = data(app.gql_as(session, &query, json!({ "name": type_name })).await);
    let fields = response["__type"]["fields"].as_array().unwrap_or_else(|| panic!("no type {type_name}: {response}"));
    fields
        .iter()
        .filter(|field| field["args"].as_array().expect("arguments").iter().all(|arg| arg["type"]["kind"] != "NON_NULL"))
        .map(|field| {
            let (kind, name) = base_type(&field["type"]);
            (field["name"].as_str().expect("a field name").to_string(), kind, name)
        })
        .collect()
}

/// What to select under a field of type (`kind`, `name`): nothing for a
/// leaf; an object's leaf fields (a connection's count and node types); a
/// union's type name.
async fn sub_selection(app: &TestApp, session: &Session, kind: &str, name: &str) -> String {
    match kind {
        "SCALAR" | "ENUM" => String::new(),
        "UNION" | "INTERFACE" => "{ __typename }".to_string(),
        _ => {
            let fields = fields_of(app, session, name).await;
            if fields.iter().any(|(field, _, _)| field == "edges") {
                return "{ totalCount edges { node { __typename } } }".to_string();
            }
            let leaves: Vec<&str> =
                fields.iter().filter(|(_, kind, _)| kind == "SCALAR" || kind == "ENUM").map(|(field, _, _)| field.as_str()).collect();
            format!("{{ __typename {} }}", leaves.join(" "))
        }
    }
}

/// Whether a value read from a column shows it was read: not null, not
/// empty, not the default of a column left unread.
fn shows_a_value(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(_) | Value::Number(_) => true,
        Value::String(text) => !text.is_empty() && !text.starts_with("00000000-0000-0000") && DateTime::parse_from_rfc3339(text).map_or(true, |at| at.with_timezone(&Utc).timestamp() != 0),
        Value::Array(items) => !items.is_empty(),
        Value::Object(fields) => fields.iter().any(|(name, value)| name != "__typename" && shows_a_value(value)),
    }
}

/// Asks for `selection` of each deal in the pages' lists and by `deal(id)`;
/// asserts they are equal and returns how many of the listed values show
/// a stored value.
async fn compare(app: &TestApp, admin: &Session, selection: &str) -> usize {
    let mut shown = 0;
    for filter in PAGES {
        let filter: Value = serde_json::from_str(filter).expect("a filter");
        let list = format!("query($filter: DealFilterInput) {{ deals(first: {PAGE}, filter: $filter) {{ edges {{ node {{ listedId: id {selection} }} }} }} }}");
        let listed = data(app.gql_as(admin, &list, json!({ "filter": filter })).await);
        let nodes: Vec<&Value> = listed["deals"]["edges"].as_array().expect("edges").iter().map(|edge| &edge["node"]).collect();
        assert!(!nodes.is_empty(), "no deals for {filter}");
        let aliases: Vec<String> = (0..nodes.len()).map(|at| format!("d{at}: deal(id: \"{}\") {{ listedId: id {selection} }}", nodes[at]["listedId"].as_str().expect("an id"))).collect();
        let whole = data(app.gql_as(admin, &format!("{{ {} }}", aliases.join(" ")), json!(null)).await);
        for (at, node) in nodes.iter().enumerate() {
            assert_eq!(*node, &whole[format!("d{at}")], "`{selection}` of a listed deal differs from the whole deal's ({filter})");
            let mut fields = node.as_object().expect("a deal").clone();
            fields.remove("listedId");
            shown += usize::from(shows_a_value(&Value::Object(fields)));
        }
    }
    shown
}

#[tokio::test]
async fn every_field_of_a_listed_deal_reads_what_the_whole_record_holds() {
    // A clock that stands still: `dwellHours` is counted up to now.
    let app = spawn_app_with(TestOptions::test_clock()).await;
    let db = dealdesk_server::db::connect(app.database_url()).await.unwrap();
    let options = dealdesk_seed::GenerateOptions {
        size: dealdesk_seed::OrgSize::Small,
        orgs: 1,
        seed: 11,
        as_of: DateTime::parse_from_rfc3339(dealdesk_seed::DEFAULT_AS_OF).unwrap().with_timezone(&Utc),
    };
    let summary = dealdesk_seed::seed(&db, &options).await.unwrap();
    db.close().await.unwrap();
    let admin_email = summary.logins.iter().find(|login| login.role.as_str() == "ADMIN").map(|login| login.email.clone()).unwrap();
    let admin = app.login_ok_with(&admin_email, dealdesk_seed::PASSWORD).await;

    // Fields the generated data leaves empty on every deal of the pages:
    // a customer's tier changes (few customers have any), read by the
    // customer's key, which a join always reads.
    let never_shown = ["customer.riskHistory"];
    let mut compared = Vec::new();
    for (field, kind, type_name) in fields_of(&app, &admin, "Deal").await {
        let under = sub_selection(&app, &admin, &kind, &type_name).await;
        let selections = match field.as_str() {
            // The joined records: each of their fields alone.
            "owner" | "customer" => {
                let mut each = Vec::new();
                for (inner, inner_kind, inner_type) in fields_of(&app, &admin, &type_name).await {
                    let inner_under = sub_selection(&app, &admin, &inner_kind, &inner_type).await;
                    each.push((format!("{field}.{inner}"), format!("{field} {{ {inner} {inner_under} }}")));
                }
                each
            }
            _ => vec![(field.clone(), format!("{field} {under}"))],
        };
        for (name, selection) in selections {
            let shown = compare(&app, &admin, &selection).await;
            if !never_shown.contains(&name.as_str()) {
                assert!(shown > 0, "no listed deal shows `{selection}`: the comparison would not notice a column left unread");
            }
            compared.push(name);
        }
    }
    // The screens' fields are among those compared.
    for name in ["title", "stage", "amount", "createdAt", "owner.name", "customer.name", "customer.industry", "timeline"] {
        assert!(compared.iter().any(|compared| compared == name), "{name} not compared: {compared:?}");
    }
    // Several fields at once, through a fragment and aliases, read the same as alone.
    let shown = compare(
        &app,
        &admin,
        "...on Deal { title amount { amount currency } } who: owner { name email } owner { role team { name } } customer { name industry region }",
    )
    .await;
    assert_eq!(shown, PAGES.len() * PAGE);
}
