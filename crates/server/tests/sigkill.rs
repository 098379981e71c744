//! S6: a server killed with SIGKILL in the middle of sending a notification
//! loses nothing. Another process picks the message up once the dead one's
//! lease expires and delivers it with the same idempotency key.

use std::io::{BufRead, BufReader as StdBufReader, Read, Write};
use std::net::{TcpListener as StdListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

mod common;
use common::{free_port, gql, serve, wait_ready};

/// A receiver whose first request never gets an answer; later ones get 200.
/// Records every request's `Idempotency-Key`.
fn hanging_receiver() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind receiver");
    let port = listener.local_addr().expect("address").port();
    let keys = Arc::new(Mutex::new(Vec::new()));
    let seen = keys.clone();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for stream in listener.incoming().flatten() {
            let mut reader = StdBufReader::new(stream.try_clone().expect("clone"));
            let mut key = String::new();
            let mut length = 0usize;
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 {
                let trimmed = line.trim_end().to_string();
                line.clear();
                if trimmed.is_empty() {
                    break;
                }
                if let Some((name, value)) = trimmed.split_once(':') {
                    match name.trim().to_ascii_lowercase().as_str() {
                        "idempotency-key" => key = value.trim().to_string(),
                        "content-length" => length = value.trim().parse().unwrap_or(0),
                        _ => {}
                    }
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let first = {
                let mut keys = seen.lock().expect("keys");
                keys.push(key);
                keys.len() == 1
            };
            if first {
                held.push(stream); // never answered: the sender is mid-dispatch
            } else {
                let mut stream = stream;
                let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
            }
        }
    });
    (port, keys)
}

#[tokio::test]
async fn a_message_in_flight_when_the_server_is_killed_is_delivered_by_the_next_one() {
    let dir = std::env::temp_dir().join(format!("dealdesk-sigkill-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let database = format!("sqlite://{}?mode=rwc", dir.join("dealdesk.db").display());
    let client = reqwest::Client::new();
    let (receiver_port, keys) = hanging_receiver();

    let port_a = free_port();
    let mut first = serve(&database, port_a, &[("DEALDESK_CHANNEL_TIMEOUT_SECS", "1")]);
    wait_ready(&client, port_a).await;
    let signed_up = gql(&client, port_a, None, "mutation { signUp(input: { orgName: \"Crash Test\", name: \"Admin\", email: \"admin@crash.test\", password: \"correct-horse-battery\" }) { accessToken } }", json!({})).await;
    let token = signed_up["signUp"]["accessToken"].as_str().expect("token").to_string();
    let channel = gql(&client, port_a, Some(&token), "mutation($input: AddChannelInput!) { addChannel(input: $input) { id } }", json!({ "input": { "kind": "WEBHOOK", "target": format!("http://127.0.0.1:{receiver_port}/hook") } })).await;
    gql(&client, port_a, Some(&token), "mutation($id: ID!) { testChannel(id: $id) { id } }", json!({ "id": channel["addChannel"]["id"] })).await;

    // The first process is now waiting on the receiver: kill it there.
    let deadline = Instant::now() + Duration::from_secs(20);
    while keys.lock().expect("keys").is_empty() {
        assert!(Instant::now() < deadline, "the first process never sent the message");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    first.kill().expect("SIGKILL");
    let _ = first.wait();

    // A new process on the same database delivers it once the lease expires.
    let port_b = free_port();
    let mut second = serve(&database, port_b, &[("DEALDESK_CHANNEL_TIMEOUT_SECS", "1")]);
    wait_ready(&client, port_b).await;
    let login = gql(&client, port_b, None, "mutation { login(email: \"admin@crash.test\", password: \"correct-horse-battery\") { accessToken } }", json!({})).await;
    let token = login["login"]["accessToken"].as_str().expect("token").to_string();
    let deadline = Instant::now() + Duration::from_secs(40);
    let delivery = loop {
        let log = gql(&client, port_b, Some(&token), "{ deliveries { edges { node { id status attempts } } } }", json!({})).await;
        let delivery = log["deliveries"]["edges"][0]["node"].clone();
        if delivery["status"] == "SENT" {
            break delivery;
        }
        assert!(Instant::now() < deadline, "the message was not delivered after the crash: {log}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    second.kill().expect("stop");
    let _ = second.wait();
    let _ = std::fs::remove_dir_all(&dir);

    let keys = keys.lock().expect("keys").clone();
    assert_eq!(keys.len(), 2, "sent by the killed process, then once more: {keys:?}");
    assert_eq!(keys[0], keys[1], "the same idempotency key both times");
    assert_eq!(delivery["id"].as_str(), Some(keys[0].as_str()));
    assert_eq!(delivery["attempts"], 1, "the killed attempt left no record; the delivered one did");
}
