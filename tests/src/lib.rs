//! End-to-end test harness: a real `dealdesk` server per test, spoken to over HTTP.
//!
//! [`spawn_app`] creates a fresh database (a SQLite file under a temp dir,
//! or, when `DATABASE_URL` starts with `postgres`, a new PostgreSQL database
//! on that server), migrates it and starts the server on `127.0.0.1:0` on its
//! own thread (its own actix system, as in production). Dropping the
//! [`TestApp`] stops the server and deletes the database.
//!
//! Tests talk to the server only through GraphQL over HTTP: [`TestApp::gql`]
//! and friends, plus typed helpers for the usual set-up (sign-up, users,
//! customers, deals) and [`assert_error`] for the error contract.

pub mod receiver;

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::thread::JoinHandle;

use anyhow::Context;
use dealdesk_server::{prepare, start, Config};
use sea_orm::{ConnectionTrait, Database};
use serde_json::{json, Value};
use uuid::Uuid;

/// The password every user made by the helpers gets.
pub const PASSWORD: &str = "correct-horse-battery-staple";

/// A 32+ byte secret for signing test tokens.
const JWT_SECRET: &str = "e2e-test-secret-0123456789abcdef0123456789abcdef";

/// Per-test server settings.
#[derive(Clone, Debug, Default)]
pub struct TestOptions {
    /// `DEALDESK_TEST_CLOCK=1`.
    pub test_clock: bool,
    /// `DEALDESK_MIN_CLIENT_VERSION`.
    pub min_client_version: Option<String>,
    /// `DEALDESK_DEMO=1`: the demo organization is created on start.
    pub demo: bool,
    /// `DEALDESK_SMTP_URL`.
    pub smtp_url: Option<String>,
    /// `DEALDESK_DELIVERY_MAX_ATTEMPTS`.
    pub max_delivery_attempts: Option<u32>,
    /// `DEALDESK_REGISTRY_URL` (and a 1 s `DEALDESK_REGISTRY_TIMEOUT_SECS`).
    pub registry_url: Option<String>,
    /// `DEALDESK_STATEMENT_COUNTS=1`: responses say how many SQL statements they ran.
    pub statement_counts: bool,
}

impl TestOptions {
    /// With the test clock on.
    pub fn test_clock() -> Self {
        Self {
            test_clock: true,
            ..Self::default()
        }
    }

    /// With SQL statement counts on every GraphQL response ([`TestApp::counted_as`]).
    pub fn statement_counts() -> Self {
        Self {
            statement_counts: true,
            ..Self::default()
        }
    }

    /// With a minimum client version.
    pub fn min_client_version(version: &str) -> Self {
        Self {
            min_client_version: Some(version.to_string()),
            ..Self::default()
        }
    }
}

/// Where a test's database lives, to delete it afterwards.
enum TestDatabase {
    /// A file inside the test's temp dir.
    Sqlite,
    /// A database created on the server behind `admin_url`.
    Postgres { admin_url: String, name: String },
    /// Another test server's database and dir: left alone.
    Borrowed,
}

/// The running server and what to clean up when it stops.
struct ServerGuard {
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
    dir: PathBuf,
    database: TestDatabase,
}

/// A server started for one test.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A client without cookies or default headers.
    pub client: reqwest::Client,
    config: Config,
    guard: Option<ServerGuard>,
}

/// An HTTP response as the transport tests look at it.
#[derive(Debug)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Every response header.
    pub headers: reqwest::header::HeaderMap,
    /// The body as text.
    pub body: String,
}

impl RawResponse {
    /// The `Content-Type` header, or `""`.
    pub fn content_type(&self) -> &str {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|error| panic!("body is not JSON ({error}): {}", self.body))
    }
}

/// A signed-in user.
#[derive(Clone, Debug)]
pub struct Session {
    /// The access token (`Authorization: Bearer …`).
    pub token: String,
    /// The refresh token from the same sign-in.
    pub refresh_token: String,
    /// The user's id.
    pub user_id: String,
    /// The user's org.
    pub org_id: String,
    /// The login email.
    pub email: String,
    /// The role, e.g. `REP`.
    pub role: String,
}

impl Session {
    /// The `Authorization` header value.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }
}

/// An org with an admin, a team of a manager and two reps.
#[derive(Clone, Debug)]
pub struct SalesOrg {
    /// The admin who signed up.
    pub admin: Session,
    /// The team's manager.
    pub manager: Session,
    /// The team.
    pub team_id: String,
    /// A rep in the team.
    pub rep_a: Session,
    /// Another rep in the team.
    pub rep_b: Session,
}

/// Starts a server with default settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

/// Starts a server with `options`.
pub async fn spawn_app_with(options: TestOptions) -> TestApp {
    match try_spawn(options).await {
        Ok(app) => app,
        Err(error) => panic!("the test server did not start: {error:#}"),
    }
}

/// `postgres://…/postgres` with the database name replaced by `name`.
fn with_database(url: &str, name: &str) -> anyhow::Result<String> {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").context("DATABASE_URL has no scheme")? + 3;
    let authority_and_path = &base[scheme_end..];
    let authority = authority_and_path
        .split('/')
        .next()
        .unwrap_or(authority_and_path);
    let mut out = format!("{}{}/{}", &base[..scheme_end], authority, name);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Ok(out)
}

async fn create_postgres_database(admin_url: &str) -> anyhow::Result<(String, TestDatabase)> {
    let name = format!("dealdesk_e2e_{}", Uuid::new_v4().simple());
    let admin = Database::connect(admin_url)
        .await
        .context("cannot connect to DATABASE_URL")?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .with_context(|| format!("cannot create database {name}"))?;
    admin.close().await.ok();
    Ok((
        with_database(admin_url, &name)?,
        TestDatabase::Postgres {
            admin_url: admin_url.to_string(),
            name,
        },
    ))
}

async fn try_spawn(options: TestOptions) -> anyhow::Result<TestApp> {
    let dir = std::env::temp_dir().join(format!("dealdesk-e2e-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(dir.join("web")).context("cannot create the test's temp dir")?;
    let (database_url, database) = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => create_postgres_database(&url).await?,
        _ => (
            format!("sqlite://{}?mode=rwc", dir.join("dealdesk.db").display()),
            TestDatabase::Sqlite,
        ),
    };
    let mut env: HashMap<&str, String> = HashMap::new();
    env.insert("DATABASE_URL", database_url);
    env.insert("DEALDESK_BIND", "127.0.0.1:0".into());
    env.insert("DEALDESK_JWT_SECRET", JWT_SECRET.into());
    env.insert("DEALDESK_WEB_DIR", dir.join("web").display().to_string());
    if options.test_clock {
        env.insert("DEALDESK_TEST_CLOCK", "1".into());
    }
    // The job loop (alert scans, outbox dispatch) runs often so deliveries are quick to observe.
    env.insert("DEALDESK_JOB_PERIOD_SECS", "0.1".into());
    env.insert("DEALDESK_CHANNEL_TIMEOUT_SECS", "2".into());
    if let Some(url) = &options.registry_url {
        env.insert("DEALDESK_REGISTRY_URL", url.clone());
        env.insert("DEALDESK_REGISTRY_TIMEOUT_SECS", "1".into());
    }
    env.insert("DEALDESK_FILES_DIR", dir.join("files").display().to_string());
    if let Some(attempts) = options.max_delivery_attempts {
        env.insert("DEALDESK_DELIVERY_MAX_ATTEMPTS", attempts.to_string());
    }
    if let Some(url) = &options.smtp_url {
        env.insert("DEALDESK_SMTP_URL", url.clone());
    }
    if options.demo {
        env.insert("DEALDESK_DEMO", "1".into());
    }
    if options.statement_counts {
        env.insert("DEALDESK_STATEMENT_COUNTS", "1".into());
    }
    if let Some(version) = &options.min_client_version {
        env.insert("DEALDESK_MIN_CLIENT_VERSION", version.clone());
    }
    let config = Config::from_lookup(|name| env.get(name).cloned())?;

    match launch(config.clone()).await {
        Ok((address, handle, thread)) => {
            let client = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .context("cannot build the HTTP client")?;
            Ok(TestApp {
                address: format!("http://{address}"),
                client,
                config,
                guard: Some(ServerGuard {
                    handle,
                    thread: Some(thread),
                    dir,
                    database,
                }),
            })
        }
        Err(error) => {
            cleanup(&dir, &database);
            Err(error)
        }
    }
}

/// Starts a server for `config` on its own thread and actix system, as in
/// production, so it keeps running whatever the test's runtime does.
async fn launch(config: Config) -> anyhow::Result<(SocketAddr, actix_web::dev::ServerHandle, JoinHandle<()>)> {
    let (started_tx, started_rx) = tokio::sync::oneshot::channel::<
        anyhow::Result<(SocketAddr, actix_web::dev::ServerHandle)>,
    >();
    let thread = std::thread::Builder::new()
        .name("dealdesk-e2e-server".into())
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let started = async {
                    let (app, _logins) = prepare(&config).await?;
                    start(&config, app)
                }
                .await;
                match started {
                    Ok(running) => {
                        let _ = started_tx.send(Ok((running.address, running.handle)));
                        if let Err(error) = running.server.await {
                            eprintln!("test server stopped with an error: {error}");
                        }
                    }
                    Err(error) => {
                        let _ = started_tx.send(Err(error));
                    }
                }
            });
        })
        .context("cannot spawn the server thread")?;
    let started = started_rx
        .await
        .context("the server thread died before starting");
    match started.and_then(|result| result) {
        Ok((address, handle)) => Ok((address, handle, thread)),
        Err(error) => {
            let _ = thread.join();
            Err(error)
        }
    }
}

impl TestApp {
    /// A second server process on the same database (another instance behind a load balancer).
    pub async fn spawn_sibling(&self) -> TestApp {
        let (address, handle, thread) = launch(self.config.clone()).await.expect("the sibling server did not start");
        TestApp {
            address: format!("http://{address}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("HTTP client"),
            config: self.config.clone(),
            guard: Some(ServerGuard {
                handle,
                thread: Some(thread),
                dir: PathBuf::new(),
                database: TestDatabase::Borrowed,
            }),
        }
    }
}

/// Deletes the test's database and temp dir; errors are reported, not raised.
fn cleanup(dir: &PathBuf, database: &TestDatabase) {
    if matches!(database, TestDatabase::Borrowed) {
        return;
    }
    if let TestDatabase::Postgres { admin_url, name } = database {
        let dropped = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map(|runtime| {
                runtime.block_on(async {
                    let admin = Database::connect(admin_url.as_str()).await?;
                    admin
                        .execute_unprepared(&format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        ))
                        .await?;
                    admin.close().await
                })
            });
        match dropped {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("could not drop test database {name}: {error}"),
            Err(error) => eprintln!("could not drop test database {name}: {error}"),
        }
    }
    if let Err(error) = std::fs::remove_dir_all(dir) {
        eprintln!("could not remove {}: {error}", dir.display());
    }
}

/// A fresh, empty database without a server: a SQLite file in a
/// temp dir, or a new PostgreSQL database when `DATABASE_URL` is PostgreSQL.
/// Dropping it deletes the database. For tests of what is written to the
/// database itself (e.g. the data generator's determinism).
pub struct ScratchDatabase {
    /// The database's URL.
    pub url: String,
    dir: PathBuf,
    database: Option<TestDatabase>,
}

impl ScratchDatabase {
    /// Creates the database.
    pub async fn new() -> ScratchDatabase {
        let dir = std::env::temp_dir().join(format!("dealdesk-scratch-{}", Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("cannot create {}: {error}", dir.display()));
        let (url, database) = match std::env::var("DATABASE_URL") {
            Ok(url) if url.starts_with("postgres") => create_postgres_database(&url).await.unwrap_or_else(|error| panic!("{error:#}")),
            _ => (format!("sqlite://{}?mode=rwc", dir.join("dealdesk.db").display()), TestDatabase::Sqlite),
        };
        ScratchDatabase { url, dir, database: Some(database) }
    }
}

impl Drop for ScratchDatabase {
    fn drop(&mut self) {
        let Some(database) = self.database.take() else { return };
        let dir = self.dir.clone();
        // Blocking work runs on a helper thread: this may be inside the test's runtime.
        let _ = std::thread::spawn(move || cleanup(&dir, &database)).join();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        // Blocking work runs on a helper thread: this may be inside the test's runtime.
        let stopper = std::thread::spawn(move || {
            if let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                runtime.block_on(guard.handle.stop(false));
            }
            if let Some(thread) = guard.thread.take() {
                let _ = thread.join();
            }
            cleanup(&guard.dir, &guard.database);
        });
        let _ = stopper.join();
    }
}

/// Headers for a request: `(name, value)`.
pub type Headers<'a> = &'a [(&'a str, &'a str)];

impl TestApp {
    /// The URL of the server's database (to load data into it directly).
    pub fn database_url(&self) -> &str {
        &self.config.database_url
    }

    /// `url` relative to the server, e.g. `/graphql`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends a GraphQL request (POST, `application/json`) with extra headers
    /// and returns the response body, whatever the status.
    pub async fn gql_with(&self, query: &str, variables: Value, headers: Headers<'_>) -> Value {
        let body = json!({ "query": query, "variables": variables });
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|error| panic!("POST /graphql failed: {error}"));
        let status = response.status();
        let text = response
            .text()
            .await
            .unwrap_or_else(|error| panic!("reading the response failed: {error}"));
        serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("response ({status}) is not JSON ({error}): {text}"))
    }

    /// Sends a GraphQL request as the holder of `token` (a bearer access token), or anonymously.
    pub async fn gql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        match token {
            Some(token) => {
                let authorization = format!("Bearer {token}");
                self.gql_with(
                    query,
                    variables,
                    &[("Authorization", authorization.as_str())],
                )
                .await
            }
            None => self.gql_with(query, variables, &[]).await,
        }
    }

    /// [`TestApp::gql`] as `session`.
    pub async fn gql_as(&self, session: &Session, query: &str, variables: Value) -> Value {
        self.gql(query, variables, Some(&session.token)).await
    }

    /// Sends a query as `session`, asserting success; returns `data` and how
    /// many SQL statements the request ran (needs
    /// [`TestOptions::statement_counts`]).
    pub async fn counted_as(&self, session: &Session, query: &str, variables: Value) -> (Value, u64) {
        let body = json!({ "query": query, "variables": variables });
        let response = self
            .post_raw(
                body.to_string(),
                &[
                    ("Content-Type", "application/json"),
                    ("Accept", "application/json"),
                    ("Authorization", session.bearer().as_str()),
                ],
            )
            .await;
        let statements = response
            .headers
            .get("x-sql-statements")
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok())
            .unwrap_or_else(|| panic!("no X-SQL-Statements header (start the server with statement counts): {response:?}"));
        (data(response.json()), statements)
    }

    /// [`TestApp::gql_as`], asserting success and returning `data`.
    pub async fn data_as(&self, session: &Session, query: &str, variables: Value) -> Value {
        data(self.gql_as(session, query, variables).await)
    }

    /// POSTs `body` to `/graphql` as is, with only the given headers.
    pub async fn post_raw(
        &self,
        body: impl Into<reqwest::Body>,
        headers: Headers<'_>,
    ) -> RawResponse {
        let mut request = self.client.post(self.url("/graphql")).body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        raw(request).await
    }

    /// GETs `path_and_query` with the given headers.
    pub async fn get_raw(&self, path_and_query: &str, headers: Headers<'_>) -> RawResponse {
        let mut request = self.client.get(self.url(path_and_query));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        raw(request).await
    }

    /// `GET /graphql?query=…` (URL-encoded) with the given headers.
    pub async fn get_graphql(&self, query: &str, headers: Headers<'_>) -> RawResponse {
        let mut request = self
            .client
            .get(self.url("/graphql"))
            .query(&[("query", query)]);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        raw(request).await
    }

    /// Creates an org; its admin is signed in.
    pub async fn sign_up(&self, org_name: &str) -> Session {
        let email = format!("admin-{}@example.com", short_id());
        let response = self
            .gql(
                "mutation($input: SignUpInput!) { signUp(input: $input) { accessToken refreshToken user { id email role org { id } } } }",
                json!({ "input": { "orgName": org_name, "name": format!("{org_name} Admin"), "email": email, "password": PASSWORD } }),
                None,
            )
            .await;
        session_from(&data(response)["signUp"])
    }

    /// Logs in; returns the raw response.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.gql(
            "mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { id email role org { id } } } }",
            json!({ "email": email, "password": password }),
            None,
        )
        .await
    }

    /// Logs in with [`PASSWORD`], asserting success.
    pub async fn login_ok(&self, email: &str) -> Session {
        self.login_ok_with(email, PASSWORD).await
    }

    /// Logs in with a given password, asserting success.
    pub async fn login_ok_with(&self, email: &str, password: &str) -> Session {
        session_from(&data(self.login(email, password).await)["login"])
    }

    /// Creates a team (as `admin`); returns its id.
    pub async fn create_team(
        &self,
        admin: &Session,
        name: &str,
        manager_id: Option<&str>,
    ) -> String {
        let data = self
            .data_as(
                admin,
                "mutation($input: CreateTeamInput!) { createTeam(input: $input) { id name manager { id } } }",
                json!({ "input": { "name": name, "managerId": manager_id } }),
            )
            .await;
        text(&data["createTeam"]["id"])
    }

    /// Creates a user (as `admin`) and signs them in.
    pub async fn create_user(
        &self,
        admin: &Session,
        role: &str,
        team_id: Option<&str>,
        manager_id: Option<&str>,
    ) -> Session {
        let email = format!("{}-{}@example.com", role.to_lowercase(), short_id());
        let data = self
            .data_as(
                admin,
                "mutation($input: CreateUserInput!) { createUser(input: $input) { id email role team { id } manager { id } } }",
                json!({ "input": {
                    "email": email, "name": format!("{role} {}", short_id()), "password": PASSWORD,
                    "role": role, "teamId": team_id, "managerId": manager_id,
                } }),
            )
            .await;
        let user = &data["createUser"];
        assert_eq!(user["role"], role, "createUser returned {user}");
        assert_eq!(
            user["team"]["id"].as_str(),
            team_id,
            "createUser returned {user}"
        );
        assert_eq!(
            user["manager"]["id"].as_str(),
            manager_id,
            "createUser returned {user}"
        );
        let session = self.login_ok(&email).await;
        assert_eq!(session.user_id, text(&user["id"]));
        session
    }

    /// Signs up an org and builds a team: a manager and two reps managed by them.
    pub async fn sales_org(&self, org_name: &str) -> SalesOrg {
        let admin = self.sign_up(org_name).await;
        let manager = self.create_user(&admin, "MANAGER", None, None).await;
        let team_id = self
            .create_team(&admin, &format!("{org_name} East"), Some(&manager.user_id))
            .await;
        let rep_a = self
            .create_user(&admin, "REP", Some(&team_id), Some(&manager.user_id))
            .await;
        let rep_b = self
            .create_user(&admin, "REP", Some(&team_id), Some(&manager.user_id))
            .await;
        SalesOrg {
            admin,
            manager,
            team_id,
            rep_a,
            rep_b,
        }
    }

    /// Creates a customer as `session`; returns `{ id name creditCode owner { id } }`.
    pub async fn create_customer(
        &self,
        session: &Session,
        name: &str,
        credit_code: Option<&str>,
    ) -> Value {
        let response = self
            .create_customer_raw(session, name, credit_code, &[])
            .await;
        data(response)["createCustomer"].clone()
    }

    /// Sends `createCustomer` as `session` with extra headers; returns the raw response.
    pub async fn create_customer_raw(
        &self,
        session: &Session,
        name: &str,
        credit_code: Option<&str>,
        headers: Headers<'_>,
    ) -> Value {
        let authorization = session.bearer();
        let mut all: Vec<(&str, &str)> = vec![("Authorization", authorization.as_str())];
        all.extend_from_slice(headers);
        self.gql_with(
            CREATE_CUSTOMER,
            json!({ "input": { "name": name, "creditCode": credit_code, "industry": "Manufacturing", "region": "Fujian" } }),
            &all,
        )
        .await
    }

    /// Adds a contact to a customer as `session`; returns its id.
    pub async fn create_contact(&self, session: &Session, customer_id: &str, name: &str) -> String {
        let data = self
            .data_as(
                session,
                "mutation($input: CreateContactInput!) { createContact(input: $input) { id customerId decisionRole } }",
                json!({ "input": { "customerId": customer_id, "name": name, "title": "CTO", "decisionRole": "DECISION_MAKER" } }),
            )
            .await;
        assert_eq!(data["createContact"]["customerId"], customer_id);
        text(&data["createContact"]["id"])
    }

    /// Creates a deal as `session`; returns `{ id title stage owner { id } customer { id } }`.
    pub async fn create_deal(&self, session: &Session, customer_id: &str, title: &str) -> Value {
        let data = self
            .data_as(
                session,
                "mutation($input: CreateDealInput!) { createDeal(input: $input) { id title stage owner { id } customer { id } } }",
                json!({ "input": { "title": title, "customerId": customer_id } }),
            )
            .await;
        data["createDeal"].clone()
    }

    /// A customer and a deal for it, both by `session`; returns `(customer id, deal id)`.
    pub async fn customer_with_deal(&self, session: &Session, name: &str) -> (String, String) {
        let customer = self.create_customer(session, name, None).await;
        let customer_id = text(&customer["id"]);
        let deal = self
            .create_deal(session, &customer_id, &format!("{name} deal"))
            .await;
        (customer_id, text(&deal["id"]))
    }

    /// Sends `moveDealStage` with `input`; returns the raw response (the deal selects [`DEAL_FIELDS`]).
    pub async fn move_stage(&self, session: &Session, input: Value) -> Value {
        self.gql_as(session, &format!("mutation($input: MoveDealStageInput!) {{ moveDealStage(input: $input) {{ {DEAL_FIELDS} }} }}"), json!({ "input": input }))
            .await
    }

    /// Sends `logActivity` with `input`; returns the raw response.
    pub async fn log_activity(&self, session: &Session, input: Value) -> Value {
        self.gql_as(
            session,
            "mutation($input: LogActivityInput!) { logActivity(input: $input) { id kind text occurredAt recordedAt backdateReason nextFollowUpAt dealId customerId author { id } } }",
            json!({ "input": input }),
        )
        .await
    }

    /// Reads a deal (selecting [`DEAL_FIELDS`]); returns the raw response.
    pub async fn deal(&self, session: &Session, id: &str) -> Value {
        self.gql_as(
            session,
            &format!("query($id: ID!) {{ deal(id: $id) {{ {DEAL_FIELDS} }} }}"),
            json!({ "id": id }),
        )
        .await
    }

    /// The ids of the deals `session` can list (first 100), and the total count.
    pub async fn deal_ids(&self, session: &Session, filter: Value) -> (Vec<String>, u64) {
        let data = self
            .data_as(
                session,
                "query($filter: DealFilterInput) { deals(filter: $filter, first: 100) { totalCount edges { cursor node { id } } } }",
                json!({ "filter": filter }),
            )
            .await;
        let ids = data["deals"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("deals has no edges: {data}"))
            .iter()
            .map(|edge| text(&edge["node"]["id"]))
            .collect();
        (
            ids,
            data["deals"]["totalCount"]
                .as_u64()
                .unwrap_or_else(|| panic!("no totalCount: {data}")),
        )
    }

    /// How many customers `session` can see.
    pub async fn customer_count(&self, session: &Session) -> u64 {
        let data = self
            .data_as(session, "{ customers { totalCount } }", json!({}))
            .await;
        data["customers"]["totalCount"]
            .as_u64()
            .unwrap_or_else(|| panic!("no totalCount: {data}"))
    }
}

/// The `createCustomer` mutation the helpers send.
pub const CREATE_CUSTOMER: &str =
    "mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name creditCode industry region createdAt owner { id } } }";

/// The deal fields most tests look at.
pub const DEAL_FIELDS: &str = "id title stage coreNeed decisionRole nextFollowUpAt lostReason enteredStageAt forwardSkips backwardMoves \
     amount { amount currency } owner { id } customer { id } contact { id } \
     transitions { id fromStage toStage forwardSkips backward actorKind at by { id } }";

async fn raw(request: reqwest::RequestBuilder) -> RawResponse {
    let response = request
        .send()
        .await
        .unwrap_or_else(|error| panic!("request failed: {error}"));
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .text()
        .await
        .unwrap_or_else(|error| panic!("reading the response failed: {error}"));
    RawResponse {
        status,
        headers,
        body,
    }
}

fn session_from(payload: &Value) -> Session {
    Session {
        token: text(&payload["accessToken"]),
        refresh_token: text(&payload["refreshToken"]),
        user_id: text(&payload["user"]["id"]),
        org_id: text(&payload["user"]["org"]["id"]),
        email: text(&payload["user"]["email"]),
        role: text(&payload["user"]["role"]),
    }
}

/// Eight random hex characters, for unique names.
pub fn short_id() -> String {
    Uuid::new_v4().simple().to_string()[..8].to_string()
}

/// A string value, or a panic naming what was there instead.
pub fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"))
        .to_string()
}

/// Asserts a response has no errors and returns its `data`.
pub fn data(response: Value) -> Value {
    if let Some(errors) = response.get("errors") {
        panic!("expected success, got errors {errors}\nfull response: {response}");
    }
    let data = response.get("data").cloned().unwrap_or(Value::Null);
    assert!(!data.is_null(), "expected data, got {response}");
    data
}

/// Asserts the response failed with `code` in `errors[0].extensions.code`
/// and exactly the `fields` (as a set) in `extensions.fields` (none when empty).
pub fn assert_error(response: &Value, code: &str, fields: &[&str]) {
    let error = response
        .get("errors")
        .and_then(|errors| errors.get(0))
        .unwrap_or_else(|| panic!("expected error {code} {fields:?}, got {response}"));
    assert_eq!(
        error["extensions"]["code"].as_str(),
        Some(code),
        "expected error code {code}, got {response}"
    );
    let actual: BTreeSet<String> = match &error["extensions"]["fields"] {
        Value::Null => BTreeSet::new(),
        Value::Array(items) => items.iter().map(text).collect(),
        other => panic!("extensions.fields is not a list: {other}"),
    };
    let expected: BTreeSet<String> = fields.iter().map(|field| field.to_string()).collect();
    assert_eq!(
        actual, expected,
        "unexpected extensions.fields in {response}"
    );
}

/// Asserts `actual` has every field of `expected` with the same value
/// (fields `expected` leaves out are not checked; arrays must have the same
/// length); numbers are compared to within 1e-9, since the engines compute
/// figures in floating point. `root` names the value in failure messages.
pub fn check_subset(actual: &Value, expected: &Value, root: &str) {
    fn walk(actual: &Value, expected: &Value, path: &str, whole: &Value) {
        match (actual, expected) {
            (Value::Number(a), Value::Number(e)) => {
                let (a, e) = (a.as_f64().expect("a finite number"), e.as_f64().expect("a finite number"));
                assert!((a - e).abs() < 1e-9, "{path}: expected {e}, got {a}\nin {whole:#}");
            }
            (Value::Object(a), Value::Object(e)) => {
                for (key, value) in e {
                    walk(a.get(key).unwrap_or(&Value::Null), value, &format!("{path}.{key}"), whole);
                }
            }
            (Value::Array(a), Value::Array(e)) => {
                assert_eq!(a.len(), e.len(), "{path}: expected {} items\nin {whole:#}", e.len());
                for (i, (a, e)) in a.iter().zip(e).enumerate() {
                    walk(a, e, &format!("{path}[{i}]"), whole);
                }
            }
            _ => assert_eq!(actual, expected, "{path}\nin {whole:#}"),
        }
    }
    walk(actual, expected, root, actual);
}

/// A valid unified social credit code, different for each `n`.
pub fn credit_code(n: u32) -> String {
    let first17 = format!("91350100MA{:07}", n % 10_000_000);
    let check = dealdesk_domain::CreditCode::check_char(&first17)
        .unwrap_or_else(|| panic!("{first17} is not a valid credit-code prefix"));
    format!("{first17}{check}")
}

/// Parses an RFC 3339 time from a response.
/// The calendar day in Asia/Shanghai (the test orgs' time zone) at `at`:
/// due dates, payment dates and statement months are the org's days.
pub fn shanghai_day(at: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDate {
    at.with_timezone(&chrono_tz::Asia::Shanghai).date_naive()
}

/// `hour`:`minute` on `day` in Asia/Shanghai, as an instant.
pub fn shanghai_time(day: chrono::NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai.from_local_datetime(&day.and_hms_opt(hour, minute, 0).expect("time")).single().expect("instant").with_timezone(&chrono::Utc)
}

pub fn time(value: &Value) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(&text(value))
        .unwrap_or_else(|error| panic!("{value} is not RFC 3339: {error}"))
        .with_timezone(&chrono::Utc)
}

/// Formats a time for a GraphQL variable.
pub fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1/postgres", "x").unwrap(),
            "postgres://postgres@127.0.0.1/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h:5432/db?sslmode=disable", "x").unwrap(),
            "postgres://u:p@h:5432/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://h", "x").unwrap(),
            "postgres://h/x"
        );
    }

    #[test]
    fn credit_codes_are_valid() {
        for n in [0, 1, 42, 9_999_999] {
            assert!(dealdesk_domain::CreditCode::parse(&credit_code(n)).is_ok());
        }
        assert!(dealdesk_domain::CreditCode::parse("91350100M000100Y43").is_ok());
    }
}
