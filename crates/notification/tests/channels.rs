//! Sends real requests to receivers started by the tests on 127.0.0.1:0: a
//! tiny HTTP server that records what arrives and answers as scripted, and a
//! tiny SMTP sink that records the DATA.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use chrono::{DateTime, TimeZone, Utc};
use dealdesk_notification::{ChannelKind, ChannelTarget, Message, Outcome, Sender, SenderConfig};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use uuid::Uuid;

const DINGTALK_OK: &str = r#"{"errcode":0,"errmsg":"ok"}"#;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 1, 9, 30, 15)
        .single()
        .expect("valid time")
}

fn message() -> Message {
    Message {
        id: Uuid::parse_str("0190a8f2-6c1e-7c3a-9d1b-2f4e5a6b7c8d").expect("valid uuid"),
        event: "alert.raised".into(),
        occurred_at: Utc
            .with_ymd_and_hms(2024, 3, 1, 9, 0, 0)
            .single()
            .expect("valid time"),
        org_id: Uuid::parse_str("0190a8f2-0000-7000-8000-000000000001").expect("valid uuid"),
        title: "Deal stuck in DEMO".into(),
        markdown: "### Deal stuck in DEMO\n- **ACME** for 49 h".into(),
        text: "Deal ACME has been in DEMO for 49 hours.".into(),
        html: Some("<p>Deal <b>ACME</b> has been in DEMO for 49 hours.</p>".into()),
        data: serde_json::json!({ "rule": "STUCK_DEAL", "dealId": "d-1" }),
    }
}

fn sender_with_timeout(timeout: Duration) -> Sender {
    let mut config = SenderConfig::new(None, "");
    config.timeout = timeout;
    Sender::new(config).expect("sender builds")
}

fn sender() -> Sender {
    sender_with_timeout(Duration::from_secs(5))
}

fn target(kind: ChannelKind, target: &str, secret: Option<&str>) -> ChannelTarget {
    ChannelTarget::parse(kind, target, secret).expect("valid target")
}

fn hmac_sha256(key: &str, message: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("hmac takes any key");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

// ---------------------------------------------------------------------------
// A scripted HTTP receiver.

/// What the receiver does with the next request.
#[derive(Clone)]
enum Reply {
    Answer {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: String,
    },
    /// Reads the request and never answers.
    Hang,
    /// Answers 500 with the request line (URL and query) as the body, to
    /// prove error texts do not leak what the receiver echoes.
    EchoRequestLine,
}

fn answer(status: u16, body: &str) -> Reply {
    Reply::Answer {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

/// One request as it arrived.
#[derive(Debug, Clone)]
struct Received {
    method: String,
    target: String,
    headers: HashMap<String, String>,
    body: String,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
            .unwrap_or_default()
    }

    fn query(&self) -> HashMap<String, String> {
        let url =
            url::Url::parse(&format!("http://receiver{}", self.target)).expect("request target");
        url.query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("json body")
    }
}

struct HttpReceiver {
    base: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl HttpReceiver {
    async fn start(replies: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(VecDeque::from(replies)));
        let log = Arc::clone(&received);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let log = Arc::clone(&log);
                let replies = Arc::clone(&replies);
                tokio::spawn(async move {
                    let _ = serve_http(stream, log, replies).await;
                });
            }
        });
        Self { base, received }
    }

    fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.base)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().expect("log lock").clone()
    }

    fn only(&self) -> Received {
        let received = self.received();
        assert_eq!(
            received.len(),
            1,
            "expected exactly one request, got {received:#?}"
        );
        received.into_iter().next().expect("one request")
    }
}

async fn serve_http(
    stream: TcpStream,
    log: Arc<Mutex<Vec<Received>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).await?;
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await?;
    let mut parts = request_line.split_whitespace();
    let received = Received {
        method: parts.next().unwrap_or_default().to_owned(),
        target: parts.next().unwrap_or_default().to_owned(),
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    log.lock().expect("log lock").push(received);
    let reply = replies
        .lock()
        .expect("reply lock")
        .pop_front()
        .unwrap_or_else(|| answer(200, DINGTALK_OK));
    let (status, extra, body) = match reply {
        Reply::Hang => {
            tokio::time::sleep(Duration::from_secs(60)).await;
            return Ok(());
        }
        Reply::EchoRequestLine => (500, Vec::new(), request_line.trim().to_owned()),
        Reply::Answer {
            status,
            headers,
            body,
        } => (status, headers, body),
    };
    let mut response = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in extra {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    response.push_str(&body);
    let stream = reader.get_mut();
    stream.write_all(response.as_bytes()).await?;
    stream.shutdown().await
}

// ---------------------------------------------------------------------------
// DingTalk

#[tokio::test]
async fn dingtalk_signed_markdown_arrives_with_a_verifiable_signature() {
    let receiver = HttpReceiver::start(vec![answer(200, DINGTALK_OK)]).await;
    let secret = "SECb9d1f1c2e3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d";
    let target = target(
        ChannelKind::DingTalk,
        &receiver.url("/robot/send?access_token=tok123"),
        Some(secret),
    );

    let outcome = sender().send(&target, &message(), now()).await;

    assert!(outcome.is_delivered(), "{outcome:?}");
    let request = receiver.only();
    assert_eq!(request.method, "POST");
    assert!(
        request.target.starts_with("/robot/send?"),
        "{}",
        request.target
    );
    assert!(request
        .header("content-type")
        .starts_with("application/json"));
    let query = request.query();
    assert_eq!(
        query.get("access_token").map(String::as_str),
        Some("tok123")
    );
    let timestamp = query.get("timestamp").expect("timestamp parameter");
    assert_eq!(timestamp, &now().timestamp_millis().to_string());
    // Verify as DingTalk does: base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    let expected = base64::engine::general_purpose::STANDARD
        .encode(hmac_sha256(secret, &format!("{timestamp}\n{secret}")));
    assert_eq!(query.get("sign"), Some(&expected));
    assert!(
        request.target.contains("&sign="),
        "sign is a query parameter"
    );
    let encoded: String = url::form_urlencoded::byte_serialize(expected.as_bytes()).collect();
    assert!(
        request.target.ends_with(&format!("&sign={encoded}")),
        "sign must be url-encoded: {}",
        request.target
    );
    assert_eq!(
        request.json(),
        serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "title": "Deal stuck in DEMO", "text": "### Deal stuck in DEMO\n- **ACME** for 49 h" }
        })
    );
}

#[tokio::test]
async fn dingtalk_without_a_secret_is_not_signed() {
    let receiver = HttpReceiver::start(vec![answer(200, DINGTALK_OK)]).await;
    let target = target(
        ChannelKind::DingTalk,
        &receiver.url("/robot/send?access_token=t"),
        None,
    );
    assert!(sender()
        .send(&target, &message(), now())
        .await
        .is_delivered());
    let query = receiver.only().query();
    assert!(
        !query.contains_key("sign") && !query.contains_key("timestamp"),
        "{query:?}"
    );
}

#[tokio::test]
async fn dingtalk_refusals_inside_http_200_are_read_from_the_errcode() {
    let receiver = HttpReceiver::start(vec![
        answer(200, r#"{"errcode":310000,"errmsg":"sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"}"#),
        answer(200, r#"{"errcode":130101,"errmsg":"send too fast"}"#),
    ])
    .await;
    let target = target(
        ChannelKind::DingTalk,
        &receiver.url("/robot/send?access_token=t"),
        Some("SEC00000"),
    );

    let bad_signature = sender().send(&target, &message(), now()).await;
    match &bad_signature {
        Outcome::Failed { error } => assert!(
            error.contains("310000") && error.contains("sign not match"),
            "{error}"
        ),
        other => panic!("errcode 310000 must fail, got {other:?}"),
    }
    let too_fast = sender().send(&target, &message(), now()).await;
    assert!(
        too_fast.is_retry(),
        "errcode 130101 must be retried, got {too_fast:?}"
    );
}

#[tokio::test]
async fn errors_never_contain_the_secret_or_the_signature() {
    let receiver = HttpReceiver::start(vec![Reply::EchoRequestLine]).await;
    let secret = "SEC-never-log-me";
    let target = target(
        ChannelKind::DingTalk,
        &receiver.url("/robot/send?access_token=token-8f3a9c"),
        Some(secret),
    );

    let outcome = sender().send(&target, &message(), now()).await;

    let sign = receiver
        .only()
        .query()
        .get("sign")
        .cloned()
        .expect("signed");
    let error = outcome.error().expect("500 is an error").to_owned();
    assert!(outcome.is_retry(), "{outcome:?}");
    assert!(error.contains("500"), "{error}");
    let encoded: String = url::form_urlencoded::byte_serialize(sign.as_bytes()).collect();
    assert!(
        error.contains("[redacted]"),
        "the receiver echoed the url: {error}"
    );
    for leaked in [secret, sign.as_str(), encoded.as_str(), "token-8f3a9c"] {
        assert!(!error.contains(leaked), "error leaks {leaked:?}: {error}");
    }
}

// ---------------------------------------------------------------------------
// WeCom

#[tokio::test]
async fn wecom_markdown_arrives() {
    let receiver = HttpReceiver::start(vec![
        answer(200, r#"{"errcode":0,"errmsg":"ok"}"#),
        answer(200, r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
        answer(200, r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#),
    ])
    .await;
    let target = target(
        ChannelKind::WeCom,
        &receiver.url("/cgi-bin/webhook/send?key=k-1"),
        None,
    );

    let outcome = sender().send(&target, &message(), now()).await;
    assert!(outcome.is_delivered(), "{outcome:?}");
    let request = receiver.only();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/cgi-bin/webhook/send?key=k-1");
    assert_eq!(
        request.json(),
        serde_json::json!({
            "msgtype": "markdown",
            "markdown": { "content": "### Deal stuck in DEMO\n- **ACME** for 49 h" }
        })
    );

    assert!(
        sender().send(&target, &message(), now()).await.is_retry(),
        "45009 is a rate limit"
    );
    let invalid = sender().send(&target, &message(), now()).await;
    assert!(
        matches!(&invalid, Outcome::Failed { error } if error.contains("93000")),
        "{invalid:?}"
    );
}

// ---------------------------------------------------------------------------
// Webhooks

#[tokio::test]
async fn webhook_body_and_headers_arrive_signed() {
    let receiver = HttpReceiver::start(vec![answer(204, "")]).await;
    let secret = "whsec_3f9c2a";
    let target = target(
        ChannelKind::Webhook,
        &receiver.url("/hooks/dealdesk"),
        Some(secret),
    );
    let message = message();

    let outcome = sender().send(&target, &message, now()).await;

    assert_eq!(
        outcome,
        Outcome::Delivered {
            detail: "webhook answered http 204".into()
        }
    );
    let request = receiver.only();
    assert_eq!(request.method, "POST");
    assert_eq!(request.target, "/hooks/dealdesk");
    assert_eq!(request.header("content-type"), "application/json");
    assert_eq!(request.header("idempotency-key"), message.id.to_string());
    assert_eq!(request.header("x-dealdesk-id"), message.id.to_string());
    assert_eq!(request.header("x-dealdesk-event"), "alert.raised");
    let timestamp = request.header("x-dealdesk-timestamp");
    assert_eq!(timestamp, now().timestamp().to_string());
    // Verify as a receiver would: HMAC over the raw bytes received.
    let expected: String = hmac_sha256(secret, &format!("{timestamp}.{}", request.body))
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    assert_eq!(
        request.header("x-dealdesk-signature"),
        format!("sha256={expected}")
    );
    assert_eq!(
        request.json(),
        serde_json::json!({
            "id": "0190a8f2-6c1e-7c3a-9d1b-2f4e5a6b7c8d",
            "event": "alert.raised",
            "occurredAt": "2024-03-01T09:00:00Z",
            "orgId": "0190a8f2-0000-7000-8000-000000000001",
            "data": { "rule": "STUCK_DEAL", "dealId": "d-1" }
        })
    );
}

#[tokio::test]
async fn unsigned_webhooks_carry_no_signature() {
    let receiver = HttpReceiver::start(vec![answer(200, "")]).await;
    let target = target(ChannelKind::Webhook, &receiver.url("/hook"), None);
    assert!(sender()
        .send(&target, &message(), now())
        .await
        .is_delivered());
    assert_eq!(receiver.only().header("x-dealdesk-signature"), "");
}

#[tokio::test]
async fn http_statuses_decide_retry_or_failure() {
    let receiver = HttpReceiver::start(vec![
        answer(500, "boom"),
        Reply::Answer {
            status: 429,
            headers: vec![("Retry-After", "7".into())],
            body: String::new(),
        },
        answer(400, r#"{"error":"bad payload"}"#),
        answer(503, ""),
        answer(404, ""),
    ])
    .await;
    let target = target(
        ChannelKind::Webhook,
        &receiver.url("/hook"),
        Some("webhook-key-1"),
    );
    let sender = sender();

    let server_error = sender.send(&target, &message(), now()).await;
    assert_eq!(
        server_error,
        Outcome::Retry {
            error: "webhook answered http 500: boom".into(),
            retry_after: None
        }
    );
    let too_many = sender.send(&target, &message(), now()).await;
    assert_eq!(
        too_many,
        Outcome::Retry {
            error: "webhook answered http 429".into(),
            retry_after: Some(Duration::from_secs(7))
        }
    );
    let bad_request = sender.send(&target, &message(), now()).await;
    assert_eq!(
        bad_request,
        Outcome::Failed {
            error: r#"webhook answered http 400: {"error":"bad payload"}"#.into()
        }
    );
    assert!(
        sender.send(&target, &message(), now()).await.is_retry(),
        "503 is retried"
    );
    assert!(
        matches!(
            sender.send(&target, &message(), now()).await,
            Outcome::Failed { .. }
        ),
        "404 fails"
    );
    assert_eq!(receiver.received().len(), 5);
}

#[tokio::test]
async fn a_receiver_that_never_answers_is_retried_after_the_timeout() {
    let receiver = HttpReceiver::start(vec![Reply::Hang]).await;
    let target = target(ChannelKind::Webhook, &receiver.url("/hook"), None);
    let sender = sender_with_timeout(Duration::from_millis(300));

    let started = Instant::now();
    let outcome = sender.send(&target, &message(), now()).await;
    let waited = started.elapsed();

    match &outcome {
        Outcome::Retry {
            error,
            retry_after: None,
        } => assert!(error.contains("timed out"), "{error}"),
        other => panic!("a hung receiver must be retried, got {other:?}"),
    }
    assert!(
        waited >= Duration::from_millis(300),
        "gave up too early: {waited:?}"
    );
    assert!(
        waited < Duration::from_secs(3),
        "the timeout was not applied: {waited:?}"
    );
    assert_eq!(
        receiver.received().len(),
        1,
        "the request did reach the receiver"
    );
}

#[tokio::test]
async fn an_unreachable_receiver_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local addr");
    drop(listener);
    let target = target(
        ChannelKind::DingTalk,
        &format!("http://{address}/robot/send?access_token=t"),
        Some("SEC-unreachable"),
    );

    let outcome = sender().send(&target, &message(), now()).await;

    match &outcome {
        Outcome::Retry { error, .. } => {
            assert!(
                error.starts_with("dingtalk could not be reached"),
                "{error}"
            );
            assert!(
                !error.contains("access_token"),
                "the url is not in the error: {error}"
            );
        }
        other => panic!("connection refused must be retried, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Email through a local SMTP sink.

/// How the sink answers `RCPT TO`.
#[derive(Clone, Copy)]
enum RcptReply {
    Accept,
    Defer,
    Reject,
}

struct SmtpSink {
    url: String,
    data: Arc<Mutex<Vec<String>>>,
    recipients: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    async fn start(rcpt: RcptReply) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("local addr"));
        let data = Arc::new(Mutex::new(Vec::new()));
        let recipients = Arc::new(Mutex::new(Vec::new()));
        let (data_log, recipient_log) = (Arc::clone(&data), Arc::clone(&recipients));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (data_log, recipient_log) = (Arc::clone(&data_log), Arc::clone(&recipient_log));
                tokio::spawn(async move {
                    let _ = serve_smtp(stream, rcpt, data_log, recipient_log).await;
                });
            }
        });
        Self {
            url,
            data,
            recipients,
        }
    }

    fn sender(&self) -> Sender {
        let mut config = SenderConfig::new(
            Some(self.url.clone()),
            "Dealdesk <noreply@dealdesk.example>",
        );
        config.timeout = Duration::from_secs(5);
        Sender::new(config).expect("sender with smtp builds")
    }
}

async fn serve_smtp(
    stream: TcpStream,
    rcpt: RcptReply,
    data_log: Arc<Mutex<Vec<String>>>,
    recipient_log: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    reader
        .get_mut()
        .write_all(b"220 sink.test ESMTP ready\r\n")
        .await?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or_default().to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink.test\r\n",
            "MAIL" => b"250 sender ok\r\n",
            "RCPT" => {
                recipient_log
                    .lock()
                    .expect("lock")
                    .push(line.trim_end().to_owned());
                match rcpt {
                    RcptReply::Accept => b"250 recipient ok\r\n",
                    RcptReply::Defer => b"451 4.7.1 greylisted, try again later\r\n",
                    RcptReply::Reject => b"550 5.1.1 no such user\r\n",
                }
            }
            "DATA" => {
                reader
                    .get_mut()
                    .write_all(b"354 end data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let mut data = String::new();
                loop {
                    let mut data_line = String::new();
                    if reader.read_line(&mut data_line).await? == 0 {
                        return Ok(());
                    }
                    if data_line == ".\r\n" {
                        break;
                    }
                    data.push_str(&data_line);
                }
                data_log.lock().expect("lock").push(data);
                b"250 2.0.0 queued as 42\r\n"
            }
            "QUIT" => {
                reader.get_mut().write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => b"250 ok\r\n",
        };
        reader.get_mut().write_all(reply).await?;
    }
}

#[tokio::test]
async fn email_arrives_with_subject_and_both_parts() {
    let sink = SmtpSink::start(RcptReply::Accept).await;
    let target = target(
        ChannelKind::Email,
        "rep@acme.example, manager@acme.example",
        None,
    );
    let message = message();

    let outcome = sink.sender().send(&target, &message, now()).await;

    match &outcome {
        Outcome::Delivered { detail } => assert!(detail.starts_with("smtp 250"), "{detail}"),
        other => panic!("email must be delivered, got {other:?}"),
    }
    let recipients = sink.recipients.lock().expect("lock").clone();
    assert_eq!(
        recipients,
        vec![
            "RCPT TO:<rep@acme.example>",
            "RCPT TO:<manager@acme.example>"
        ]
    );
    let data = sink.data.lock().expect("lock").clone();
    assert_eq!(data.len(), 1, "one DATA: {data:?}");
    let email = &data[0];
    assert!(email.contains("Subject: Deal stuck in DEMO\r\n"), "{email}");
    assert!(
        email.contains("From: Dealdesk <noreply@dealdesk.example>"),
        "{email}"
    );
    assert!(
        email.contains(&format!("Message-ID: <{}@dealdesk>", message.id)),
        "{email}"
    );
    assert!(
        email.contains(&format!("X-Dealdesk-Id: {}", message.id)),
        "{email}"
    );
    assert!(email.contains("multipart/alternative"), "{email}");
    assert!(email.contains("Content-Type: text/plain"), "{email}");
    assert!(email.contains("Content-Type: text/html"), "{email}");
    assert!(
        email.contains("Deal ACME has been in DEMO for 49 hours."),
        "{email}"
    );
    assert!(
        email.contains("<p>Deal <b>ACME</b> has been in DEMO for 49 hours.</p>"),
        "{email}"
    );
}

#[tokio::test]
async fn smtp_4xx_is_retried_and_5xx_fails() {
    let target = target(ChannelKind::Email, "rep@acme.example", None);

    let deferring = SmtpSink::start(RcptReply::Defer).await;
    let deferred = deferring.sender().send(&target, &message(), now()).await;
    assert!(
        matches!(&deferred, Outcome::Retry { error, .. } if error.contains("451")),
        "{deferred:?}"
    );

    let rejecting = SmtpSink::start(RcptReply::Reject).await;
    let rejected = rejecting.sender().send(&target, &message(), now()).await;
    assert!(
        matches!(&rejected, Outcome::Failed { error } if error.contains("550")),
        "{rejected:?}"
    );
    assert!(
        rejecting.data.lock().expect("lock").is_empty(),
        "nothing was accepted"
    );
}

#[tokio::test]
async fn email_without_smtp_fails_with_a_hint() {
    let target = target(ChannelKind::Email, "rep@acme.example", None);
    let outcome = sender().send(&target, &message(), now()).await;
    assert_eq!(
        outcome,
        Outcome::Failed {
            error: "email is not configured: set DEALDESK_SMTP_URL".into()
        }
    );
}

#[tokio::test]
async fn an_unreachable_smtp_relay_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("local addr");
    drop(listener);
    let mut config = SenderConfig::new(
        Some(format!("smtp://{address}")),
        "noreply@dealdesk.example",
    );
    config.timeout = Duration::from_secs(2);
    let sender = Sender::new(config).expect("sender builds");
    let target = target(ChannelKind::Email, "rep@acme.example", None);
    let outcome = sender.send(&target, &message(), now()).await;
    assert!(outcome.is_retry(), "{outcome:?}");
}
