//! The `dealdesk` command: `serve`, `migrate`, `seed` (the demo org, or
//! generated orgs with `--org-size`), `schema`.

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use dealdesk_seed::{GenerateOptions, OrgSize, Summary};
use dealdesk_server::{build_app, db, prepare, start, Config};
use tracing_subscriber::EnvFilter;

/// mimalloc instead of glibc's allocator: a request allocates and frees
/// many small objects across worker threads, and glibc's malloc and free
/// took about a quarter of the server's CPU under the list load (`perf`;
/// see BENCHMARKS.md and ARCHITECTURE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Dealdesk: a sales management server (GraphQL API, web app, jobs).
#[derive(Parser)]
#[command(name = "dealdesk", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate, then serve the API, the web app and the jobs.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create the demo organization on an empty database; with --org-size,
    /// generate organizations for benchmarks instead (deterministic per seed).
    Seed(SeedArgs),
    /// Print the GraphQL schema (SDL) published as schema.graphql.
    Schema,
}

/// `dealdesk seed` options; without `--org-size` it creates the demo org.
#[derive(Args)]
struct SeedArgs {
    /// Generate organizations of this size (small: 50 reps / 5 k deals;
    /// medium: 300 reps / 100 k deals; large: 2,000 reps / 1 M deals, PostgreSQL only).
    #[arg(long, value_enum)]
    org_size: Option<SizeArg>,
    /// How many organizations of that size.
    #[arg(long, requires = "org_size", default_value_t = 1)]
    orgs: u32,
    /// The generator's seed: the same seed (and --as-of) gives identical rows.
    #[arg(long, requires = "org_size", default_value_t = 1)]
    seed: u64,
    /// When the generated history ends, RFC 3339 (the data's "now").
    #[arg(long, requires = "org_size", default_value = dealdesk_seed::DEFAULT_AS_OF)]
    as_of: String,
}

/// `--org-size` values.
#[derive(Clone, Copy, ValueEnum)]
enum SizeArg {
    Small,
    Medium,
    Large,
}

impl From<SizeArg> for OrgSize {
    fn from(size: SizeArg) -> OrgSize {
        match size {
            SizeArg::Small => OrgSize::Small,
            SizeArg::Medium => OrgSize::Medium,
            SizeArg::Large => OrgSize::Large,
        }
    }
}

/// `1234567` as `1,234,567`.
fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn print_summary(options: &GenerateOptions, summary: &Summary) {
    let engine = match summary.engine {
        dealdesk_seed::Engine::Postgres => "PostgreSQL (COPY)",
        dealdesk_seed::Engine::Sqlite => "SQLite (batched INSERTs)",
        dealdesk_seed::Engine::Discard => "nowhere",
    };
    println!("\nGenerated {} {} organization(s), seed {}, history up to {} — loaded into {engine}:", options.orgs, options.size.as_str(), options.seed, options.as_of.to_rfc3339());
    println!("  {:<20} {:>12}", "table", "rows");
    for (table, rows) in &summary.tables {
        println!("  {table:<20} {:>12}", grouped(*rows));
    }
    println!("  {:<20} {:>12}", "total", grouped(summary.total_rows()));
    let indexes = match summary.rebuilt {
        Some(rebuilt) => format!("then {} indexes built in {:.1} s", rebuilt.indexes, rebuilt.seconds),
        None => "indexes in place".to_string(),
    };
    println!(
        "Load: {:.1} s, {} rows/s (generation, writing and commit; {indexes}); ANALYZE: {:.1} s.",
        summary.load_seconds,
        grouped(summary.rows_per_second() as u64),
        summary.analyze_seconds
    );
    let stats = &summary.stats;
    println!(
        "At the as-of moment: {} open deals ({} stuck, {} with an overdue follow-up), {} won, {} lost; {} red and {} yellow customers.",
        grouped(stats.open_deals),
        grouped(stats.stuck_deals),
        grouped(stats.overdue_follow_ups),
        grouped(stats.won_deals),
        grouped(stats.lost_deals),
        grouped(stats.red_customers),
        grouped(stats.yellow_customers)
    );
    println!("Logins (password: {}):", dealdesk_seed::PASSWORD);
    for login in summary.logins.iter().filter(|login| login.org == 1) {
        println!("  {:<10} {:<44} {}", login.role.as_str(), login.email, login.name);
    }
    if options.orgs > 1 {
        println!("  (orgs 2 to {}: the same logins with -o2 … -o{} in the domain)", options.orgs, options.orgs);
    }
    println!();
}

fn init_tracing() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let json = std::env::var("DEALDESK_LOG_FORMAT").is_ok_and(|format| format == "json");
    if json {
        tracing_subscriber::fmt().with_env_filter(filter).json().init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
}

fn print_logins(logins: &[dealdesk_app::seed::DemoLogin]) {
    println!("\nDemo organization created. Sign in with any of these (password: {}):", dealdesk_app::seed::DEMO_PASSWORD);
    for login in logins {
        println!("  {:<10} {:<32} {}", login.role.as_str(), login.email, login.name);
    }
    println!();
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Command::Schema = cli.command {
        print!("{}", dealdesk_graphql::sdl());
        return Ok(());
    }
    init_tracing();
    if let Command::Seed(SeedArgs { org_size: Some(size), orgs, seed, as_of }) = &cli.command {
        let as_of: DateTime<Utc> = DateTime::parse_from_rfc3339(as_of).with_context(|| format!("--as-of {as_of:?} is not an RFC 3339 time like {}", dealdesk_seed::DEFAULT_AS_OF))?.with_timezone(&Utc);
        let options = GenerateOptions { size: (*size).into(), orgs: *orgs, seed: *seed, as_of };
        // Generating needs only the database: no JWT secret or other settings.
        let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| dealdesk_server::config::DEFAULT_DATABASE_URL.into());
        let db = db::connect(&url).await?;
        db::migrate(&db).await?;
        let summary = dealdesk_seed::seed(&db, &options).await.context("generating organizations failed")?;
        print_summary(&options, &summary);
        return Ok(());
    }
    let config = Config::from_env()?;
    match cli.command {
        Command::Schema => unreachable!("handled above"),
        Command::Migrate => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::Seed(_) => {
            let app = build_app(&config).await?;
            match app.seed_demo_if_empty().await.context("seeding the demo organization failed")? {
                Some(logins) => print_logins(&logins),
                None => println!("the database already holds an organization; nothing seeded"),
            }
        }
        Command::Serve => {
            if config.jwt_secret_generated {
                tracing::warn!("DEALDESK_JWT_SECRET is not set: using a random secret, sessions end when the server stops (demo mode)");
            }
            let (app, logins) = prepare(&config).await?;
            if let Some(logins) = logins {
                print_logins(&logins);
            }
            let running = start(&config, app)?;
            tracing::info!(address = %running.address, test_clock = config.test_clock, "dealdesk is serving: GraphQL at /graphql");
            println!("Dealdesk is ready at http://{} (GraphQL: http://{}/graphql)", running.address, running.address);
            running.server.await?;
        }
    }
    Ok(())
}
