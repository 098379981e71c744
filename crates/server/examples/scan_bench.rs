//! Cost of the alert scans over a large org: `make bench-scans`.
//!
//! Creates a fresh PostgreSQL database (`BENCH_PG_URL`, default the local
//! server), loads N open deals (1 % of them stuck) with set-based SQL, then
//! times the stuck, follow-up and newcomer scans and reads this process's
//! peak RSS around each. Then loads N / 200 customers (5,000 for 1 M deals),
//! each with an approved contract whose first instalment is 5 days overdue
//! (5 % of the contract: YELLOW), and times the tier recompute job twice:
//! the first run moves every customer to YELLOW (a tier change, an alert and
//! an overdue-analysis ticket each), the second finds nothing to change (the
//! hourly steady state). Prints a Markdown table. `BENCH_KEEP_DB=1` keeps
//! the database afterwards (its URL is printed), e.g. to run `EXPLAIN`.
//!
//! ```sh
//! cargo run --release -p dealdesk-server --example scan_bench -- 1000000
//! ```

use std::time::Instant;

use anyhow::Context;
use chrono::{Duration, Utc};
use dealdesk_app::orgs::{NewUser, SignUp};
use dealdesk_app::{Actor, Principal};
use dealdesk_domain::{OrgId, Role, UserId};
use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};

/// Peak resident set size of this process, in MiB (Linux `VmHWM`).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// Resets the peak RSS counter so each scan's peak is its own.
fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let deals: i64 = std::env::args().nth(1).map(|n| n.parse()).transpose()?.unwrap_or(1_000_000);
    let admin_url = std::env::var("BENCH_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1/postgres".into());
    let name = format!("dealdesk_bench_{}", std::process::id());
    let admin = Database::connect(&admin_url).await.context("connect to PostgreSQL")?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let url = format!("{}/{name}", admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(base, _)| base));
    let result = run(&url, deals).await;
    // `BENCH_KEEP_DB=1` leaves the loaded database behind (e.g. for EXPLAIN).
    if std::env::var("BENCH_KEEP_DB").is_ok_and(|keep| keep == "1") {
        println!("\nkept the database: {url}");
    } else {
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    }
    result
}

async fn run(url: &str, deals: i64) -> anyhow::Result<()> {
    let config = dealdesk_server::Config::from_lookup(|key| match key {
        "DATABASE_URL" => Some(url.to_string()),
        "DEALDESK_JWT_SECRET" => Some("bench-secret-0123456789abcdef0123456789".into()),
        _ => None,
    })?;
    let app = dealdesk_server::build_app(&config).await?;
    let db = app.db.clone();
    let admin = app
        .sign_up(SignUp { org_name: "Bench".into(), name: "Admin".into(), email: "admin@bench.test".into(), password: "bench-password".into(), time_zone: None })
        .await?
        .user;
    let principal = Principal { org_id: OrgId::from_uuid(admin.org_id), actor: Actor::User(UserId::from_uuid(admin.id)), role: Role::Admin };
    let mut reps = Vec::new();
    for index in 0..20 {
        let rep = app
            .create_user(&principal, NewUser { email: format!("rep{index}@bench.test"), name: format!("Rep {index}"), password: "bench-password".into(), role: Role::Rep, team_id: None, manager_id: None, joined_at: None })
            .await?;
        reps.push(format!("'{}'::uuid", rep.id));
    }
    let customer = app.create_customer(&principal, dealdesk_app::customers::NewCustomer { name: "Bench Customer".into(), ..Default::default() }).await?;

    let load = Instant::now();
    let sql = format!(
        "INSERT INTO deals (id, org_id, title, customer_id, owner_id, created_by, stage, next_follow_up_at, entered_stage_at, created_at, updated_at)
         SELECT gen_random_uuid(), '{org}'::uuid, 'Deal ' || i, '{customer}'::uuid, (ARRAY[{reps}])[1 + i % 20], '{admin}'::uuid,
                (ARRAY['LEAD','QUALIFICATION','NEEDS_CONFIRMED','DEMO','QUOTE','NEGOTIATION'])[1 + i % 6],
                now() + interval '10 days',
                CASE WHEN i % 100 = 0 THEN now() - interval '100 hours' ELSE now() - interval '1 hour' END,
                now(), now()
         FROM generate_series(1, {deals}) AS i",
        org = admin.org_id,
        customer = customer.id,
        reps = reps.join(","),
        admin = admin.id,
    );
    db.execute(Statement::from_string(DbBackend::Postgres, sql)).await?;
    db.execute_unprepared("ANALYZE").await?;
    let load_seconds = load.elapsed().as_secs_f64();

    println!("| scan over {deals} open deals (1 % stuck) | items | time | peak RSS |");
    println!("|---|---:|---:|---:|");
    println!("| load (set-based INSERT, not a scan) | {deals} | {load_seconds:.1} s | — |");
    let now = Utc::now() + Duration::minutes(1);
    let scans: [(&str, u8); 4] = [("stuck scan, first (raises alerts)", 0), ("stuck scan, rescan", 0), ("follow-up scan", 1), ("newcomer scan", 2)];
    for (label, kind) in scans {
        reset_peak_rss();
        let started = Instant::now();
        let items = match kind {
            0 => app.run_stuck_scan(now).await?,
            1 => app.run_follow_up_scan(now).await?,
            _ => app.run_newcomer_scan(now).await?,
        };
        println!("| {label} | {items} | {:.2} s | {:.0} MiB |", started.elapsed().as_secs_f64(), peak_rss_mib());
    }

    let customers = (deals / 200).max(1);
    let load = Instant::now();
    let tier_data = [
        format!(
            "INSERT INTO customers (id, org_id, name, normalized_name, owner_id, created_by, created_at, updated_at)
             SELECT gen_random_uuid(), '{org}'::uuid, 'Tier customer ' || i, 'tier customer ' || i, (ARRAY[{reps}])[1 + i % 20], '{admin}'::uuid, now(), now()
             FROM generate_series(1, {customers}) AS i",
            org = admin.org_id,
            reps = reps.join(","),
            admin = admin.id,
        ),
        format!(
            "INSERT INTO contracts (id, org_id, deal_id, customer_id, amount_cents, currency, payment_terms_days, instalments, status,
                                    legal_review_required, check_passed, check_reasons, created_by, created_at, updated_at)
             SELECT gen_random_uuid(), c.org_id, gen_random_uuid(), c.id, 10000000, 'CNY', 30, '[]'::jsonb, 'APPROVED', false, true, '[]'::jsonb, '{admin}'::uuid, now(), now()
             FROM customers c WHERE c.org_id = '{org}'::uuid AND c.name LIKE 'Tier customer %'",
            org = admin.org_id,
            admin = admin.id,
        ),
        "INSERT INTO receivables (id, org_id, contract_id, customer_id, deal_id, owner_id, seq, due_date, amount_cents, currency, paid_cents, created_at)
         SELECT gen_random_uuid(), k.org_id, k.id, k.customer_id, k.deal_id, c.owner_id, s,
                CASE s WHEN 1 THEN current_date - 5 ELSE current_date + 60 END, CASE s WHEN 1 THEN 500000 ELSE 9500000 END, 'CNY', 0, now()
         FROM contracts k JOIN customers c ON c.id = k.customer_id CROSS JOIN generate_series(1, 2) AS s"
            .to_string(),
    ];
    for sql in tier_data {
        db.execute(Statement::from_string(DbBackend::Postgres, sql)).await?;
    }
    db.execute_unprepared("ANALYZE").await?;
    println!("| load {customers} customers with an overdue instalment (set-based) | {customers} | {:.1} s | — |", load.elapsed().as_secs_f64());
    for label in ["tier recompute, first (BLUE → YELLOW)", "tier recompute, again (no change)"] {
        reset_peak_rss();
        let started = Instant::now();
        let changed = app.run_tier_recompute(now).await?;
        println!("| {label} | {changed} | {:.2} s | {:.0} MiB |", started.elapsed().as_secs_f64(), peak_rss_mib());
    }
    Ok(())
}
