//! Local peers for notification tests: an HTTP receiver that answers a
//! script of statuses and records every request, and an SMTP sink.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request the receiver saw.
#[derive(Clone, Debug)]
pub struct Received {
    /// Request line target: path and query.
    pub target: String,
    /// Lower-cased header names with their values.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// An HTTP receiver on 127.0.0.1 answering scripted statuses (then 200).
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts a receiver whose first answers are `script` (status, body); later ones are 200 with `ok_body`.
    pub async fn start(script: Vec<(u16, String)>, ok_body: &str) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind receiver");
        let url = format!("http://{}", listener.local_addr().expect("receiver address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let ok_body = ok_body.to_string();
        let seen = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let seen = seen.clone();
                let script = script.clone();
                let ok_body = ok_body.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let target = line.split_whitespace().nth(1).unwrap_or("").to_string();
                        let mut headers = Vec::new();
                        loop {
                            let mut header = String::new();
                            if reader.read_line(&mut header).await.unwrap_or(0) == 0 {
                                return;
                            }
                            let header = header.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            if let Some((name, value)) = header.split_once(':') {
                                headers.push((name.trim().to_lowercase(), value.trim().to_string()));
                            }
                        }
                        let length = headers.iter().find(|(name, _)| name == "content-length").and_then(|(_, value)| value.parse::<usize>().ok()).unwrap_or(0);
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).await.is_err() {
                            return;
                        }
                        seen.lock().expect("receiver log").push(Received { target, headers, body: String::from_utf8_lossy(&body).into_owned() });
                        let (status, answer) = script.lock().expect("receiver script").pop_front().unwrap_or((200, ok_body.clone()));
                        let response = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{answer}", answer.len());
                        if reader.get_mut().write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        Receiver { url, requests }
    }

    /// Everything received so far.
    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().expect("receiver log").clone()
    }

    /// Waits until at least `count` requests arrived (or panics after `timeout`).
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<Received> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let requests = self.requests();
            if requests.len() >= count {
                return requests;
            }
            assert!(tokio::time::Instant::now() < deadline, "expected {count} requests, got {}: {requests:?}", requests.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// A minimal SMTP server that accepts every message and keeps its DATA.
#[derive(Clone)]
pub struct SmtpSink {
    /// `smtp://127.0.0.1:<port>`.
    pub url: String,
    messages: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    /// Starts the sink.
    pub async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp sink");
        let url = format!("smtp://{}", listener.local_addr().expect("sink address"));
        let messages = Arc::new(Mutex::new(Vec::new()));
        let kept = messages.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let kept = kept.clone();
                tokio::spawn(async move {
                    let mut reader = BufReader::new(stream);
                    if reader.get_mut().write_all(b"220 sink ESMTP\r\n").await.is_err() {
                        return;
                    }
                    let mut in_data = false;
                    let mut data = String::new();
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let reply: &[u8] = if in_data {
                            if line == ".\r\n" {
                                in_data = false;
                                kept.lock().expect("sink log").push(std::mem::take(&mut data));
                                b"250 queued\r\n"
                            } else {
                                data.push_str(&line);
                                continue;
                            }
                        } else {
                            let command = line.to_ascii_uppercase();
                            if command.starts_with("EHLO") || command.starts_with("HELO") {
                                b"250 sink\r\n"
                            } else if command.starts_with("DATA") {
                                in_data = true;
                                b"354 go ahead\r\n"
                            } else if command.starts_with("QUIT") {
                                let _ = reader.get_mut().write_all(b"221 bye\r\n").await;
                                return;
                            } else {
                                b"250 ok\r\n"
                            }
                        };
                        if reader.get_mut().write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        SmtpSink { url, messages }
    }

    /// Waits for `count` messages (or panics after `timeout`).
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages.lock().expect("sink log").clone();
            if messages.len() >= count {
                return messages;
            }
            assert!(tokio::time::Instant::now() < deadline, "expected {count} emails, got {}", messages.len());
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
