//! GraphQL over HTTP: media types, GET, non-GraphQL bodies, health probes,
//! query limits, idempotent retries and the client-version gate.

use dealdesk_e2e::{
    assert_error, credit_code, data, spawn_app, spawn_app_with, text, TestOptions, CREATE_CUSTOMER,
};
use serde_json::{json, Value};

/// `{ me { manager { manager … { id } } } }` with `levels` managers.
fn nested_query(levels: usize) -> String {
    format!(
        "{{ me {{ {} id {} }} }}",
        "manager { ".repeat(levels),
        "}".repeat(levels)
    )
}

#[tokio::test]
async fn speaks_graphql_over_http() {
    let app = spawn_app().await;
    let admin = app.sign_up("Transport Ltd").await;
    let authorization = admin.bearer();
    let body = json!({ "query": "{ stages { key } }" }).to_string();

    // The media type the client asks for.
    let plain = app
        .post_raw(
            body.clone(),
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert_eq!(plain.status, 200);
    assert!(
        plain.content_type().starts_with("application/json"),
        "got {}",
        plain.content_type()
    );
    assert_eq!(plain.json()["data"]["stages"].as_array().unwrap().len(), 8);

    let spec = app
        .post_raw(
            body.clone(),
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/graphql-response+json"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert_eq!(spec.status, 200);
    assert!(
        spec.content_type()
            .starts_with("application/graphql-response+json"),
        "got {}",
        spec.content_type()
    );
    assert_eq!(spec.json()["data"]["stages"].as_array().unwrap().len(), 8);

    let unacceptable = app
        .post_raw(
            body.clone(),
            &[
                ("Content-Type", "application/json"),
                ("Accept", "text/html"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert_eq!(unacceptable.status, 406);

    // GET for queries.
    let get = app
        .get_graphql(
            "{stages{key}}",
            &[
                ("Authorization", &authorization),
                ("Accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(get.status, 200, "{}", get.body);
    let keys: Vec<String> = get.json()["data"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stage| text(&stage["key"]))
        .collect();
    assert_eq!(keys[0], "LEAD");
    assert_eq!(keys.len(), 8);

    // …but never for mutations.
    let mutation = app
        .get_graphql(
            r#"mutation { createCustomer(input: { name: "Via GET" }) { id } }"#,
            &[("Authorization", &authorization)],
        )
        .await;
    assert_eq!(mutation.status, 405, "{}", mutation.body);
    assert_eq!(
        app.customer_count(&admin).await,
        0,
        "a GET mutation must not write"
    );

    // Bodies that are not GraphQL requests at all.
    let not_graphql = app
        .post_raw(
            r#"{"foo":1}"#,
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert!(
        (400..500).contains(&not_graphql.status),
        "{{\"foo\":1}} got {} {}",
        not_graphql.status,
        not_graphql.body
    );
    let text_body = app
        .post_raw(
            "hello, server",
            &[
                ("Content-Type", "text/plain"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert!(
        (400..500).contains(&text_body.status),
        "text/plain got {} {}",
        text_body.status,
        text_body.body
    );
    let broken_json = app
        .post_raw(
            r#"{"query": "{ stages { key } }""#,
            &[
                ("Content-Type", "application/json"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert!(
        (400..500).contains(&broken_json.status),
        "broken JSON got {} {}",
        broken_json.status,
        broken_json.body
    );

    // Health probes.
    assert_eq!(app.get_raw("/healthz", &[]).await.status, 200);
    assert_eq!(app.get_raw("/readyz", &[]).await.status, 200);

    // Depth limit: a reasonable nesting works, a deep one is refused before it runs.
    let shallow = app.gql_as(&admin, &nested_query(4), json!({})).await;
    data(shallow);
    let deep = app.gql_as(&admin, &nested_query(15), json!({})).await;
    let errors = deep["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("a too-deep query must fail: {deep}"));
    assert!(!errors.is_empty());
    assert!(
        deep.get("data").is_none_or(Value::is_null),
        "a too-deep query must not run: {deep}"
    );
    assert!(
        text(&errors[0]["message"]).to_lowercase().contains("deep"),
        "{deep}"
    );
    let deep_spec = app
        .post_raw(
            json!({ "query": nested_query(15) }).to_string(),
            &[
                ("Content-Type", "application/json"),
                ("Accept", "application/graphql-response+json"),
                ("Authorization", &authorization),
            ],
        )
        .await;
    assert!(
        (400..500).contains(&deep_spec.status),
        "graphql-response+json must use 4xx for an invalid query, got {}",
        deep_spec.status
    );
}

#[tokio::test]
async fn an_idempotent_retry_returns_the_first_response() {
    let app = spawn_app().await;
    let admin = app.sign_up("Retry Ltd").await;
    let key = uuid::Uuid::new_v4().to_string();
    let code = credit_code(7);

    let first = app
        .create_customer_raw(
            &admin,
            "Fuzhou Tea",
            Some(&code),
            &[("Idempotency-Key", &key)],
        )
        .await;
    let created = data(first.clone());
    assert_eq!(created["createCustomer"]["creditCode"], code.as_str());
    let second = app
        .create_customer_raw(
            &admin,
            "Fuzhou Tea",
            Some(&code),
            &[("Idempotency-Key", &key)],
        )
        .await;
    assert_eq!(
        second, first,
        "the retry must return the stored first response"
    );
    assert_eq!(app.customer_count(&admin).await, 1);

    // The same key for a different request.
    let other = app
        .create_customer_raw(&admin, "Xiamen Coffee", None, &[("Idempotency-Key", &key)])
        .await;
    assert_error(&other, "CONFLICT", &["Idempotency-Key"]);
    assert_eq!(app.customer_count(&admin).await, 1);

    // Without the key, the same request is applied again (and here refused as a duplicate).
    let again = app
        .create_customer_raw(&admin, "Fuzhou Tea", Some(&code), &[])
        .await;
    assert_error(&again, "CONFLICT", &["creditCode"]);
    // A new key is a new request.
    let new_key = uuid::Uuid::new_v4().to_string();
    data(
        app.create_customer_raw(
            &admin,
            "Xiamen Coffee",
            None,
            &[("Idempotency-Key", &new_key)],
        )
        .await,
    );
    assert_eq!(app.customer_count(&admin).await, 2);

    // A failed mutation wrote nothing, so its key may be retried and then applies once.
    let failed_key = uuid::Uuid::new_v4().to_string();
    let bad = app
        .create_customer_raw(
            &admin,
            "Bad Code Co",
            Some("91350100M000100"),
            &[("Idempotency-Key", &failed_key)],
        )
        .await;
    assert_error(&bad, "BAD_INPUT", &["creditCode"]);
    assert_error(
        &app.create_customer_raw(
            &admin,
            "Bad Code Co",
            Some("91350100M000100"),
            &[("Idempotency-Key", &failed_key)],
        )
        .await,
        "BAD_INPUT",
        &["creditCode"],
    );
    assert_eq!(app.customer_count(&admin).await, 2);

    // A document whose first mutation succeeded and second failed must not apply the first twice.
    let two = "mutation($good: CreateCustomerInput!, $bad: CreateCustomerInput!) {
        good: createCustomer(input: $good) { id } bad: createCustomer(input: $bad) { id } }";
    let variables = json!({ "good": { "name": "Ningde Batteries" }, "bad": { "name": "Bad", "creditCode": "123" } });
    let authorization = admin.bearer();
    let partial_key = uuid::Uuid::new_v4().to_string();
    let headers = [
        ("Authorization", authorization.as_str()),
        ("Idempotency-Key", partial_key.as_str()),
    ];
    let first = app.gql_with(two, variables.clone(), &headers).await;
    assert_error(&first, "BAD_INPUT", &["creditCode"]);
    assert_eq!(
        app.customer_count(&admin).await,
        3,
        "the first mutation of the document applied"
    );
    let retry = app.gql_with(two, variables, &headers).await;
    assert_eq!(retry, first, "the retry returns the first result");
    assert_eq!(
        app.customer_count(&admin).await,
        3,
        "and does not apply the first mutation again"
    );
}

#[tokio::test]
async fn clients_below_the_minimum_version_are_refused_and_nothing_is_written() {
    let app = spawn_app_with(TestOptions::min_client_version("1.2.0")).await;
    let admin = app.sign_up("Versions Ltd").await;
    let authorization = admin.bearer();
    let send = |name: &'static str, version: Option<&'static str>| {
        let authorization = authorization.clone();
        let app = &app;
        async move {
            let mut headers = vec![("Authorization", authorization.as_str())];
            if let Some(version) = version {
                headers.push(("X-Client-Version", version));
            }
            app.gql_with(
                CREATE_CUSTOMER,
                json!({ "input": { "name": name } }),
                &headers,
            )
            .await
        }
    };

    let old = send("Too old", Some("1.1.9")).await;
    assert_error(&old, "CLIENT_TOO_OLD", &[]);
    assert_eq!(
        app.customer_count(&admin).await,
        0,
        "an old client must write nothing"
    );

    data(send("Exactly the minimum", Some("1.2.0")).await);
    data(send("Newer (semver, not text)", Some("1.10.0")).await);
    data(send("No header (integration)", None).await);
    assert_eq!(app.customer_count(&admin).await, 3);
}
