//! Sign-in, throttling, refresh-token rotation, and uniqueness rules.

use dealdesk_e2e::{assert_error, credit_code, data, spawn_app, text, PASSWORD};
use serde_json::json;

const REFRESH: &str = "mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken refreshToken user { id } } }";
const ME: &str = "{ me { id email role } }";

#[tokio::test]
async fn login_is_checked_throttled_and_refresh_tokens_rotate() {
    let app = spawn_app().await;
    let admin = app.sign_up("Auth Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;

    // Anonymous and bogus credentials.
    assert_error(&app.gql(ME, json!({}), None).await, "UNAUTHENTICATED", &[]);
    assert_error(
        &app.gql(ME, json!({}), Some("not-a-jwt")).await,
        "UNAUTHENTICATED",
        &[],
    );
    let me = app.data_as(&rep, ME, json!({})).await;
    assert_eq!(me["me"]["id"], rep.user_id.as_str());
    assert_eq!(me["me"]["role"], "REP");

    // Wrong password, five times; then even the right one is throttled.
    for attempt in 1..=5 {
        let wrong = app.login(&rep.email, "wrong-password-123").await;
        assert_error(&wrong, "UNAUTHENTICATED", &[]);
        assert!(
            wrong["data"].is_null() || wrong["data"]["login"].is_null(),
            "attempt {attempt}: {wrong}"
        );
    }
    let throttled = app.login(&rep.email, PASSWORD).await;
    assert_error(&throttled, "RATE_LIMITED", &[]);
    // Other accounts are not affected.
    let admin_again = data(app.login(&admin.email.to_uppercase(), PASSWORD).await);
    assert_eq!(admin_again["login"]["user"]["id"], admin.user_id.as_str());
    // An unknown account is refused the same way as a wrong password.
    assert_error(
        &app.login("nobody@example.com", PASSWORD).await,
        "UNAUTHENTICATED",
        &[],
    );

    // Refresh tokens work once and rotate.
    let rotated = data(
        app.gql(REFRESH, json!({ "token": admin.refresh_token }), None)
            .await,
    );
    let new_access = text(&rotated["refreshToken"]["accessToken"]);
    let new_refresh = text(&rotated["refreshToken"]["refreshToken"]);
    assert_ne!(new_refresh, admin.refresh_token);
    assert_eq!(
        rotated["refreshToken"]["user"]["id"],
        admin.user_id.as_str()
    );
    let me = data(app.gql(ME, json!({}), Some(&new_access)).await);
    assert_eq!(me["me"]["id"], admin.user_id.as_str());
    // Reusing the spent token fails, and revokes the token rotated from it.
    assert_error(
        &app.gql(REFRESH, json!({ "token": admin.refresh_token }), None)
            .await,
        "UNAUTHENTICATED",
        &[],
    );
    assert_error(
        &app.gql(REFRESH, json!({ "token": new_refresh }), None)
            .await,
        "UNAUTHENTICATED",
        &[],
    );
    assert_error(
        &app.gql(REFRESH, json!({ "token": "rt_garbage" }), None)
            .await,
        "UNAUTHENTICATED",
        &[],
    );
}

#[tokio::test]
async fn emails_and_credit_codes_are_validated_and_unique() {
    let app = spawn_app().await;
    let admin = app.sign_up("Unique Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;

    // A second account with the same email, in any letter case.
    let create_user = "mutation($input: CreateUserInput!) { createUser(input: $input) { id } }";
    let duplicate = app
        .gql_as(
            &admin,
            create_user,
            json!({ "input": { "email": rep.email.to_uppercase(), "name": "Copy", "password": PASSWORD, "role": "REP" } }),
        )
        .await;
    assert_error(&duplicate, "CONFLICT", &["email"]);
    // Only admins create users.
    let forbidden = app
        .gql_as(&rep, create_user, json!({ "input": { "email": "new@example.com", "name": "New", "password": PASSWORD, "role": "ADMIN" } }))
        .await;
    assert_error(&forbidden, "FORBIDDEN", &[]);

    // Credit codes: the check digit is verified.
    let code = credit_code(31);
    let mut bad = code.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let refused = app
        .create_customer_raw(&rep, "Bad Code Co", Some(&bad), &[])
        .await;
    assert_error(&refused, "BAD_INPUT", &["creditCode"]);
    let refused = app
        .create_customer_raw(&rep, "Short Code Co", Some("91350100M000100"), &[])
        .await;
    assert_error(&refused, "BAD_INPUT", &["creditCode"]);
    assert_eq!(app.customer_count(&rep).await, 0);

    // Unique within the org (whoever owns the first), free in another org.
    data(
        app.create_customer_raw(&rep, "Good Code Co", Some(&code), &[])
            .await,
    );
    let duplicate = app
        .create_customer_raw(&admin, "Same Code Co", Some(&code.to_lowercase()), &[])
        .await;
    assert_error(&duplicate, "CONFLICT", &["creditCode"]);
    let other_org = app.sign_up("Other Ltd").await;
    let elsewhere = data(
        app.create_customer_raw(&other_org, "Good Code Co", Some(&code), &[])
            .await,
    );
    assert_eq!(elsewhere["createCustomer"]["creditCode"], code.as_str());
    assert_eq!(app.customer_count(&admin).await, 1);
}

/// A token stands only while its user is active: every request reads the
/// user's standing (role and active flag), not only the token.
#[tokio::test]
async fn a_token_stops_working_when_its_user_is_deactivated() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_app().await;
    let admin = app.sign_up("Standing Ltd").await;
    let rep = app.create_user(&admin, "REP", None, None).await;
    let db = dealdesk_server::db::connect(app.database_url()).await.unwrap();
    let backend = db.get_database_backend();
    let set = |sql: &'static str| {
        let (db, id) = (&db, uuid::Uuid::parse_str(&rep.user_id).unwrap());
        async move { db.execute(Statement::from_sql_and_values(backend, sql, [id.into()])).await.unwrap() }
    };

    assert_eq!(app.data_as(&rep, ME, json!({})).await["me"]["role"], "REP");
    set("UPDATE users SET role = 'MANAGER' WHERE id = $1").await;
    assert_eq!(app.data_as(&rep, ME, json!({})).await["me"]["role"], "MANAGER");
    set("UPDATE users SET active = false WHERE id = $1").await;
    assert_error(&app.gql_as(&rep, ME, json!({})).await, "UNAUTHENTICATED", &[]);
    set("UPDATE users SET active = true WHERE id = $1").await;
    assert_eq!(app.data_as(&rep, ME, json!({})).await["me"]["id"], rep.user_id.as_str());
    db.close().await.unwrap();
}
