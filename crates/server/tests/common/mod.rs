//! Helpers of the tests that run real `dealdesk serve` processes.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A free local port (bound, then released for the server to take).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// Starts `dealdesk serve` on `port` against `database`, jobs every 0.2 s,
/// with `extra` environment variables.
pub fn serve(database: &str, port: u16, extra: &[(&str, &str)]) -> Child {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dealdesk"));
    command
        .arg("serve")
        .env("DATABASE_URL", database)
        .env("DEALDESK_BIND", format!("127.0.0.1:{port}"))
        .env("DEALDESK_JWT_SECRET", "process-test-secret-0123456789abcdef0123")
        .env("DEALDESK_JOB_PERIOD_SECS", "0.2")
        .env("DEALDESK_WEB_DIR", "/nonexistent")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (key, value) in extra {
        command.env(key, value);
    }
    command.spawn().expect("start dealdesk serve")
}

/// Waits until the server on `port` answers `/readyz`.
pub async fn wait_ready(client: &reqwest::Client, port: u16) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if client.get(format!("http://127.0.0.1:{port}/readyz")).send().await.is_ok_and(|response| response.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server on port {port} never became ready");
}

/// One GraphQL request that must succeed; returns its `data`.
pub async fn gql(client: &reqwest::Client, port: u16, token: Option<&str>, query: &str, variables: Value) -> Value {
    let mut request = client.post(format!("http://127.0.0.1:{port}/graphql")).json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let body: Value = request.send().await.expect("request").json().await.expect("json");
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body["data"].clone()
}
