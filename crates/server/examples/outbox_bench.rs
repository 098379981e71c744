//! Outbox dispatch throughput: `make bench-outbox`.
//!
//! Creates a fresh PostgreSQL database (`BENCH_PG_URL`, default the local
//! server), queues N webhook deliveries (default 20,000) with set-based SQL,
//! starts a loopback HTTP receiver (actix-web, one worker, answers 200 `{}`
//! and records each `Idempotency-Key`), then lets P dispatcher processes
//! (separate `App`s with their own pools and instance ids; default 1, second
//! argument) drain the outbox and reports deliveries per second. Checks that
//! every message arrived exactly once (as many distinct keys as requests)
//! and that every row ended SENT. Prints a Markdown table.
//!
//! ```sh
//! cargo run --release -p dealdesk-server --example outbox_bench -- 20000 1
//! ```

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{bail, Context};
use dealdesk_app::notify::NewChannel;
use dealdesk_app::orgs::SignUp;
use dealdesk_app::{Actor, App, Principal};
use dealdesk_domain::{OrgId, Role, UserId};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// The keys the receiver saw, in arrival order.
type Seen = Arc<Mutex<Vec<String>>>;

/// Starts the loopback receiver on its own thread; returns its port.
fn start_receiver(seen: Seen) -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                let seen = seen.clone();
                actix_web::App::new().default_service(actix_web::web::to(move |request: actix_web::HttpRequest, _body: actix_web::web::Bytes| {
                    let seen = seen.clone();
                    async move {
                        let key = request.headers().get("idempotency-key").and_then(|value| value.to_str().ok()).unwrap_or_default().to_string();
                        if let Ok(mut seen) = seen.lock() {
                            seen.push(key);
                        }
                        actix_web::HttpResponse::Ok().content_type("application/json").body("{}")
                    }
                }))
            })
            .workers(1)
            .listen(listener);
            match server {
                Ok(server) => {
                    if let Err(error) = server.run().await {
                        eprintln!("receiver stopped: {error}");
                    }
                }
                Err(error) => eprintln!("receiver did not start: {error}"),
            }
        });
    });
    Ok(port)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let messages: i64 = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(20_000);
    let processes: usize = std::env::args().nth(2).map(|n| n.parse()).transpose()?.unwrap_or(1);
    let admin_url = std::env::var("BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1/postgres".into());
    let name = format!("dealdesk_outbox_bench_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.context("connect to PostgreSQL")?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let url = format!("{}/{name}", admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base));
    let result = run(&url, messages, processes.max(1)).await;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    result
}

async fn process(url: &str) -> anyhow::Result<App> {
    let config = dealdesk_server::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.to_string()),
        "DEALDESK_JWT_SECRET" => Some("bench-secret-0123456789abcdef0123456789".into()),
        _ => None,
    })?;
    dealdesk_server::build_app(&config).await
}

async fn run(url: &str, messages: i64, processes: usize) -> anyhow::Result<()> {
    let seen: Seen = Arc::default();
    let port = start_receiver(seen.clone())?;
    let app = process(url).await?;
    let admin = app
        .sign_up(SignUp { org_name: "Bench".into(), name: "Admin".into(), email: "admin@bench.test".into(), password: "bench-password".into(), time_zone: None })
        .await?
        .user;
    let principal = Principal { org_id: OrgId::from_uuid(admin.org_id), actor: Actor::User(UserId::from_uuid(admin.id)), role: Role::Admin };
    let channel = app
        .add_channel(&principal, NewChannel { kind: dealdesk_notification::ChannelKind::Webhook, name: None, target: format!("http://127.0.0.1:{port}/hook"), secret: Some("bench-webhook-secret".into()), events: None })
        .await?;

    let load = Instant::now();
    let sql = format!(
        "INSERT INTO outbox (id, org_id, channel_id, event, payload, status, attempts, next_attempt_at, created_at)
         SELECT gen_random_uuid(), '{org}'::uuid, '{channel}'::uuid, 'bench.event',
                jsonb_build_object('event', 'bench.event', 'occurredAt', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                                   'orgId', '{org}', 'title', 'Bench ' || i, 'markdown', '#### Bench ' || i, 'text', 'Bench ' || i,
                                   'data', jsonb_build_object('n', i)),
                'PENDING', 0, now() - interval '1 second', now()
         FROM generate_series(1, {messages}) AS i",
        org = admin.org_id,
        channel = channel.id,
    );
    app.db.execute(Statement::from_string(DbBackend::Postgres, sql)).await?;
    app.db.execute_unprepared("ANALYZE outbox").await?;
    let load_seconds = load.elapsed().as_secs_f64();

    let mut dispatchers = vec![app.clone()];
    for _ in 1..processes {
        dispatchers.push(process(url).await?);
    }
    let started = Instant::now();
    let drains = dispatchers.into_iter().map(|dispatcher| {
        tokio::spawn(async move {
            let mut passes = 0u32;
            let mut idle = 0u32;
            // Drain like the job loop does; stop after a few empty passes in a row.
            while idle < 3 {
                passes += 1;
                if dispatcher.dispatch_outbox().await? == 0 {
                    idle += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                } else {
                    idle = 0;
                }
            }
            anyhow::Ok(passes)
        })
    });
    let mut passes = Vec::new();
    for drain in drains.collect::<Vec<_>>() {
        passes.push(drain.await??);
    }
    let elapsed = started.elapsed().as_secs_f64();

    let pending = app.db.query_one(Statement::from_string(DbBackend::Postgres, "SELECT COUNT(*) FROM outbox WHERE status <> 'SENT'".to_string())).await?.context("a count")?;
    let not_sent: i64 = pending.try_get_by_index(0)?;
    let keys = seen.lock().map_err(|_| anyhow::anyhow!("receiver lock poisoned"))?.clone();
    let distinct: HashSet<&String> = keys.iter().collect();
    println!("| outbox dispatch, {processes} process(es) | messages | time | deliveries/s |");
    println!("|---|---:|---:|---:|");
    println!("| queue (set-based INSERT, not timed) | {messages} | {load_seconds:.1} s | — |");
    println!("| drain to a loopback webhook ({passes:?} passes) | {} | {elapsed:.2} s | {:.0} |", keys.len(), keys.len() as f64 / elapsed);
    if not_sent != 0 || keys.len() as i64 != messages || distinct.len() != keys.len() {
        bail!("not exactly once: {} requests, {} distinct keys, {not_sent} rows not SENT, {messages} queued", keys.len(), distinct.len());
    }
    Ok(())
}
