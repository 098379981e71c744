//! `make bench`: generates an org of the chosen size on a fresh PostgreSQL
//! database, then measures, each figure beside its comparison in the same
//! run (the machine is shared and noisy, so ratios are what travel):
//!
//! 1. the API over HTTP (wrk) beside the equivalent hand-written SQL through
//!    pgbench at the same concurrency — the database's own ceiling;
//! 2. the list query beside PostGraphile serving the same tables (in 1 and
//!    2 the two sides run alternately for `--rounds` rounds, after a
//!    discarded warm-up of the reads, and the round with the median ratio
//!    is reported);
//! 3. the funnel, heatmap and funnel health for a team and the whole org
//!    beside hand-written SQL computing the same figures (checked equal);
//! 4. the jobs over the whole org (time and peak RSS), outbox dispatch to a
//!    loopback receiver;
//! 5. footprint: RSS idle and under load, cold start to ready;
//! 6. two servers on one database: throughput beside one, every job run
//!    once, no outbox message delivered twice;
//! 7. on SQLite, for a small and a medium org: the same operations beside
//!    hand-written SQL on the same engine.
//!
//! It prints a Markdown report and writes it to `BENCHMARKS.md`. Timings
//! never fail the run; broken correctness checks do.

mod load;
mod peer;
mod procs;
mod receiver;
mod report;
mod sqlite;
mod workload;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::Parser;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement};

use crate::load::LoadResult;
use crate::report::Report;

/// Dealdesk's benchmarks (see BENCHMARKS.md).
#[derive(Parser, Debug, Clone)]
#[command(name = "dealdesk-bench")]
pub struct Args {
    /// Org size to generate: small, medium or large.
    #[arg(long, default_value = "medium")]
    pub size: String,
    /// Generator seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Seconds per load run.
    #[arg(long, default_value_t = 10)]
    pub seconds: u64,
    /// PostgreSQL server (a database is created on it and dropped after).
    #[arg(long, env = "BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1/postgres")]
    pub pg_url: String,
    /// The `dealdesk` binary to measure (a release build).
    #[arg(long, default_value = "target/release/dealdesk")]
    pub dealdesk: PathBuf,
    /// Where the report goes.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: PathBuf,
    /// Scratch directory (PostGraphile's npm install, wrk scripts, logs).
    #[arg(long, default_value = "target/bench")]
    pub workdir: PathBuf,
    /// Skip PostGraphile (no npm registry).
    #[arg(long)]
    pub skip_peer: bool,
    /// Keep the generated database afterwards.
    #[arg(long)]
    pub keep_db: bool,
    /// Measure the existing database `dealdesk_bench_<size>` instead of generating one (it is kept).
    #[arg(long)]
    pub existing_db: bool,
    /// First TCP port to use (servers take the next ones).
    #[arg(long, default_value_t = 18080)]
    pub port: u16,
    /// Deliveries enqueued for the outbox throughput run.
    #[arg(long, default_value_t = 20_000)]
    pub outbox_messages: usize,
    /// Stop after the jobs (generator, jobs and outbox only: a quick look at the scans).
    #[arg(long)]
    pub only_jobs: bool,
    /// Only the request path: the API beside its ceiling and PostGraphile, and the footprint (no jobs, analytics or two servers).
    #[arg(long, conflicts_with = "only_jobs")]
    pub only_api: bool,
    /// Rounds of each API-beside-ceiling and API-beside-peer comparison:
    /// the two sides run alternately, and the round with the median ratio
    /// is reported (the machine's load drifts between runs).
    #[arg(long, default_value_t = 3)]
    pub rounds: usize,
    /// Org sizes also measured on SQLite (comma-separated; `none` for none).
    #[arg(long, default_value = "small,medium")]
    pub sqlite_sizes: String,
}

/// The concurrency levels of every load run.
pub const CONCURRENCY: [u32; 2] = [16, 64];

/// A database created for the run (dropped unless `--keep-db`).
pub struct BenchDb {
    pub url: String,
    pub name: String,
    pub db: DatabaseConnection,
}

async fn create_database(admin_url: &str, name: &str) -> anyhow::Result<BenchDb> {
    let admin = Database::connect(admin_url).await.context("connecting to PostgreSQL (set BENCH_PG_URL)")?;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
    let url = bench_url(admin_url, name);
    let db = Database::connect(&url).await?;
    Ok(BenchDb { url, name: name.to_string(), db })
}

/// The URL every client of the run — the servers, pgbench, PostGraphile
/// and this process — opens database `name` on `admin_url`'s server with:
/// over TCP without TLS (`sslmode=disable`), so that all of them talk to
/// PostgreSQL the same way. PostGraphile's client (node-postgres) uses no
/// TLS unless told to, while sqlx's and libpq's default (`prefer`) would
/// encrypt the server's and pgbench's traffic alone — about a tenth of the
/// list query's throughput on a loopback connection.
fn bench_url(admin_url: &str, name: &str) -> String {
    let server = admin_url.split('?').next().unwrap_or(admin_url);
    let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
    format!("{base}/{name}?sslmode=disable")
}

async fn drop_database(admin_url: &str, name: &str) -> anyhow::Result<()> {
    let admin = Database::connect(admin_url).await?;
    admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    Ok(())
}

/// Runs a `dealdesk` subcommand to completion, returning its stdout and wall time.
async fn dealdesk(args: &Args, database_url: &str, command: &[&str]) -> anyhow::Result<(String, Duration)> {
    let started = Instant::now();
    let output = tokio::process::Command::new(&args.dealdesk)
        .args(command)
        .env("DATABASE_URL", database_url)
        .env("DEALDESK_JWT_SECRET", "bench-secret-0123456789abcdef0123456789abcdef")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .with_context(|| format!("running {} {}", args.dealdesk.display(), command.join(" ")))?;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    if !output.status.success() {
        bail!("dealdesk {} failed: {stdout}{}", command.join(" "), String::from_utf8_lossy(&output.stderr));
    }
    Ok((stdout, started.elapsed()))
}

pub async fn scalar_i64(db: &DatabaseConnection, sql: &str) -> anyhow::Result<i64> {
    let row = db.query_one(Statement::from_string(db.get_database_backend(), sql.to_string())).await?.context("no row")?;
    Ok(row.try_get_by_index::<i64>(0)?)
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let mut args = Args::parse();
    // pgbench and PostGraphile run inside it: their paths must not depend on the working directory.
    args.workdir = std::path::absolute(&args.workdir)?;
    if !["small", "medium", "large"].contains(&args.size.as_str()) {
        bail!("--size must be small, medium or large (got {:?})", args.size);
    }
    let sqlite_sizes: Vec<&str> = args.sqlite_sizes.split(',').map(str::trim).filter(|size| !size.is_empty() && *size != "none").collect();
    if let Some(size) = sqlite_sizes.iter().find(|size| !["small", "medium"].contains(*size)) {
        bail!("--sqlite-sizes takes small and medium (large orgs are PostgreSQL only), got {size:?}");
    }
    if !args.dealdesk.exists() {
        bail!("{} not found: build it with `cargo build --release -p dealdesk-server`", args.dealdesk.display());
    }
    std::fs::create_dir_all(&args.workdir)?;
    let mut report = Report::new(&args).await?;

    // Generate the org.
    let name = format!("dealdesk_bench_{}", args.size);
    let bench = if args.existing_db {
        let url = bench_url(&args.pg_url, &name);
        let db = Database::connect(&url).await.with_context(|| format!("--existing-db: cannot open {url}"))?;
        BenchDb { url, name: name.clone(), db }
    } else {
        let bench = create_database(&args.pg_url, &name).await?;
        dealdesk(&args, &bench.url, &["migrate"]).await?;
        eprintln!("generating a {} org (seed {}) …", args.size, args.seed);
        let seed = args.seed.to_string();
        // The history ends now (to the hour), so the server's clock and the jobs see it as current.
        let as_of = chrono::Utc::now().format("%Y-%m-%dT%H:00:00Z").to_string();
        let (seed_output, seed_time) = dealdesk(&args, &bench.url, &["seed", "--org-size", &args.size, "--seed", &seed, "--as-of", &as_of]).await?;
        report.generator(&bench.db, &seed_output, seed_time).await?;
        bench
    };

    let mut result = run(&args, &bench, &mut report).await;
    if result.is_ok() && !sqlite_sizes.is_empty() && !args.only_jobs && !args.only_api {
        let mut passes = Vec::new();
        for size in &sqlite_sizes {
            match sqlite::run(&args, size, args.port + 40).await {
                Ok(pass) => passes.push(pass),
                Err(error) => {
                    result = Err(error.context(format!("SQLite pass ({size})")));
                    break;
                }
            }
        }
        report.sqlite(&passes);
    }
    let written = report.write(&args.out);
    if !args.keep_db && !args.existing_db {
        drop_database(&args.pg_url, &name).await?;
    }
    result?;
    written?;
    eprintln!("wrote {}", args.out.display());
    Ok(())
}

async fn run(args: &Args, bench: &BenchDb, report: &mut Report) -> anyhow::Result<()> {
    let work = workload::Workload::prepare(bench).await?;

    // Jobs first, on the fresh data, before any server's own job loop runs them.
    if args.only_api {
        report.note("Jobs and outbox skipped (--only-api).");
    } else {
        eprintln!("jobs …");
        report.jobs(workload::jobs(bench).await?);
        eprintln!("outbox …");
        report.outbox(workload::outbox(bench, work.org, args.port + 30, args.outbox_messages).await?);
    }
    if args.only_jobs {
        report.note("Stopped after the jobs (--only-jobs).");
        return Ok(());
    }

    // Footprint: cold start to ready on the migrated database, idle RSS.
    let mut starts = Vec::new();
    for attempt in 0..3 {
        let (server, ready) = procs::start_server(&args.dealdesk, &bench.url, args.port, &args.workdir.join(format!("start-{attempt}.log")), &[]).await?;
        starts.push(ready);
        server.stop().await;
    }
    let (server, _) = procs::start_server(&args.dealdesk, &bench.url, args.port, &args.workdir.join("server.log"), &[]).await?;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (idle_rss, _) = server.rss_mib()?;
    server.reset_peak()?;

    // API beside the database's ceiling.
    // Access tokens last 15 minutes and the comparisons take longer: each
    // load run and section signs in afresh.
    let token = work.login(&server.base_url).await?;
    let seconds = Duration::from_secs(args.seconds);
    let mut api_list: Vec<(u32, LoadResult)> = Vec::new();
    // A discarded warm-up of both sides of the read comparisons: the
    // database was just generated, and whichever side ran first would read
    // cold pages the other then finds in memory.
    for op in [workload::Op::List, workload::Op::Detail] {
        load::wrk(&args.workdir, &format!("warm-{}", op.key()), &format!("{}/graphql", server.base_url), &work.api_script(op), Some(&token), 16, seconds).await?;
        load::pgbench(&args.workdir, op.key(), &bench.url, &work.sql_script(op), 16, seconds).await?;
    }
    for op in workload::Op::ALL {
        for connections in CONCURRENCY {
            eprintln!("{} at {connections} connections …", op.label());
            // The move script toggles each deal from QUALIFICATION: every
            // round starts there.
            let mut rounds = Vec::new();
            for _ in 0..args.rounds.max(1) {
                if op == workload::Op::Move {
                    work.reset_movable(&bench.db).await?;
                }
                let token = work.login(&server.base_url).await?;
                let api = load::wrk(&args.workdir, &format!("api-{}", op.key()), &format!("{}/graphql", server.base_url), &work.api_script(op), Some(&token), connections, seconds).await?;
                let sql = load::pgbench(&args.workdir, op.key(), &bench.url, &work.sql_script(op), connections, seconds).await?;
                rounds.push((api, sql));
            }
            let (api, sql) = load::median_round(rounds);
            if op == workload::Op::List {
                api_list.push((connections, api));
            }
            report.api_vs_sql(op, connections, api, sql);
        }
    }
    let (_, load_peak) = server.rss_mib()?;
    report.footprint(&starts, idle_rss, load_peak);

    // API beside PostGraphile.
    if args.skip_peer {
        report.note("PostGraphile comparison skipped (--skip-peer).");
    } else {
        eprintln!("PostGraphile …");
        match peer::PostGraphile::start(&args.workdir, &bench.url, args.port + 10).await {
            Ok(postgraphile) => {
                for connections in CONCURRENCY {
                    let mut rounds = Vec::new();
                    for _ in 0..args.rounds.max(1) {
                        let token = work.login(&server.base_url).await?;
                        let ours = load::wrk(&args.workdir, "api-list-peer", &format!("{}/graphql", server.base_url), &work.api_script(workload::Op::List), Some(&token), connections, seconds).await?;
                        let theirs = load::wrk(&args.workdir, "postgraphile-list", &format!("{}/graphql", postgraphile.running.base_url), &work.postgraphile_script(), None, connections, seconds).await?;
                        rounds.push((ours, theirs));
                    }
                    let (ours, theirs) = load::median_round(rounds);
                    report.peer(connections, ours, theirs, &postgraphile.version);
                }
                postgraphile.running.stop().await;
            }
            Err(error) => report.note(&format!("PostGraphile could not be started: {error:#}")),
        }
    }

    if args.only_api {
        server.stop().await;
        report.note("Stopped after the API and PostGraphile (--only-api).");
        return Ok(());
    }

    // Analytics over the whole org.
    eprintln!("analytics …");
    let token = work.login(&server.base_url).await?;
    let manager_token = work.login_manager(&server.base_url).await?;
    let analytics = workload::analytics(bench, &work, &server.base_url, &token, &manager_token).await?;
    report.analytics(&analytics);
    server.stop().await;
    let unequal: Vec<&str> = analytics.iter().filter(|figure| figure.equal.is_err()).map(|figure| figure.name).collect();

    // Two servers on one database.
    eprintln!("two servers …");
    let two = workload::two_servers(args, bench, &work, api_list.last().map(|(_, result)| *result)).await?;
    let broken = two.duplicate_job_runs > 0 || two.duplicate_deliveries > 0;
    report.two_servers(two);
    if broken {
        bail!("two servers on one database: a job ran twice or a message was delivered twice (see the report)");
    }
    if !unequal.is_empty() {
        bail!("analytics: the API's figures differ from the hand-written SQL's for {} (see the report)", unequal.join(", "));
    }
    Ok(())
}
