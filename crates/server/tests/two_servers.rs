//! DESIGN "Scale path": two `dealdesk serve` processes on one database, over
//! a generated small org (`dealdesk seed --org-size small`). Reads are split
//! across both while the shared test clock is advanced through both at
//! once, so both job loops race for every due job. Afterwards every job run
//! is recorded once per schedule slot and every webhook message reached the
//! receiver exactly once. Runs on SQLite, and on PostgreSQL when
//! `DATABASE_URL` is a PostgreSQL URL (as `.ci/run` does).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};
use serde_json::json;

mod common;
mod scratch;
use common::{free_port, gql, serve, wait_ready};
use scratch::Scratch;

/// Answers 200 to every request and counts each `X-Dealdesk-Id`.
fn receiver() -> (u16, Arc<Mutex<HashMap<String, u32>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind receiver");
    let port = listener.local_addr().expect("address").port();
    let seen: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let counts = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let counts = counts.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut writer = stream;
                loop {
                    let (mut id, mut length, mut line, mut started) = (String::new(), 0usize, String::new(), false);
                    while reader.read_line(&mut line).unwrap_or(0) > 0 {
                        started = true;
                        let header = line.trim_end().to_string();
                        line.clear();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            match name.trim().to_ascii_lowercase().as_str() {
                                "x-dealdesk-id" => id = value.trim().to_string(),
                                "content-length" => length = value.trim().parse().unwrap_or(0),
                                _ => {}
                            }
                        }
                    }
                    if !started {
                        return;
                    }
                    let mut body = vec![0u8; length];
                    if reader.read_exact(&mut body).is_err() {
                        return;
                    }
                    *counts.lock().expect("lock").entry(id).or_default() += 1;
                    if writer.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, seen)
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row = db.query_one(Statement::from_string(db.get_database_backend(), sql.to_string())).await.expect("query").expect("a row");
    row.try_get_by_index::<i64>(0).expect("a count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_database_run_each_job_once_and_send_each_message_once() {
    let scratch = Scratch::new("two_servers").await;
    let database = scratch.url.clone();

    // A generated small org whose history ends at the current hour.
    let as_of = chrono::Utc::now().format("%Y-%m-%dT%H:00:00Z").to_string();
    let seeded = Command::new(env!("CARGO_BIN_EXE_dealdesk"))
        .args(["seed", "--org-size", "small", "--seed", "7", "--as-of", &as_of])
        .env("DATABASE_URL", &database)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run dealdesk seed");
    let stdout = String::from_utf8_lossy(&seeded.stdout).to_string();
    assert!(seeded.status.success(), "seed failed: {stdout}{}", String::from_utf8_lossy(&seeded.stderr));
    let admin = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("ADMIN").map(|rest| rest.split_whitespace().next().unwrap_or_default().to_string()))
        .expect("the seed prints an ADMIN login");

    let (hook_port, received) = receiver();
    let (port_one, port_two) = (free_port(), free_port());
    let mut one = serve(&database, port_one, &[("DEALDESK_TEST_CLOCK", "1")]);
    let mut two = serve(&database, port_two, &[("DEALDESK_TEST_CLOCK", "1")]);
    let client = reqwest::Client::builder().timeout(Duration::from_secs(300)).build().expect("client");
    wait_ready(&client, port_one).await;
    wait_ready(&client, port_two).await;

    let login = gql(&client, port_one, None, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", json!({ "e": admin, "p": dealdesk_seed::PASSWORD })).await;
    let token = login["login"]["accessToken"].as_str().expect("token").to_string();
    gql(
        &client,
        port_two,
        Some(&token),
        "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }",
        json!({ "input": { "kind": "WEBHOOK", "target": format!("http://127.0.0.1:{hook_port}/hook"), "events": ["alert.*"] } }),
    )
    .await;

    // Both servers advance the shared clock at the same moment, hour by hour,
    // while both serve reads.
    let list = "query { deals(first: 50) { edges { node { id owner { name } customer { name } } } } }";
    for _ in 0..24 {
        let advance = "mutation { advanceTestClock(hours: 1) }";
        let (a, b, c, d) = tokio::join!(
            gql(&client, port_one, Some(&token), advance, json!({})),
            gql(&client, port_two, Some(&token), advance, json!({})),
            gql(&client, port_one, Some(&token), list, json!({})),
            gql(&client, port_two, Some(&token), list, json!({})),
        );
        for page in [c, d] {
            assert!(page["deals"]["edges"].as_array().is_some_and(|edges| !edges.is_empty()), "both servers read the generated deals");
        }
        drop((a, b));
    }

    let db = Database::connect(&database).await.expect("connect");
    let deadline = Instant::now() + Duration::from_secs(120);
    while count(&db, "SELECT count(*) FROM outbox WHERE status = 'PENDING'").await > 0 {
        assert!(Instant::now() < deadline, "the outbox did not drain");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let runs = count(&db, "SELECT count(*) FROM job_runs").await;
    let twice = count(&db, "SELECT count(*) FROM (SELECT job, scheduled_for FROM job_runs GROUP BY job, scheduled_for HAVING count(*) > 1) AS twice").await;
    let sent = count(&db, "SELECT count(*) FROM outbox WHERE status = 'SENT'").await;
    let holders = count(&db, "SELECT count(DISTINCT holder) FROM job_runs").await;
    let _ = one.kill();
    let _ = two.kill();
    let _ = one.wait();
    let _ = two.wait();

    let seen = received.lock().expect("lock").clone();
    let duplicated: Vec<(&String, &u32)> = seen.iter().filter(|(_, times)| **times > 1).collect();
    assert!(runs > 24, "jobs ran through the day ({runs} runs)");
    assert_eq!(twice, 0, "a schedule slot ran more than once");
    assert_eq!(holders, 2, "both processes ran jobs");
    assert!(sent > 0, "the scans raised alerts that went to the webhook");
    assert_eq!(seen.len() as i64, sent, "every sent message reached the receiver");
    assert!(duplicated.is_empty(), "messages delivered twice: {duplicated:?}");

    drop(db);
    scratch.remove().await;
}
