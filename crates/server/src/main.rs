//! The `dealdesk` command: `serve`, `migrate`, `seed demo`, `schema`.

use anyhow::Context;
use clap::{Parser, Subcommand};
use dealdesk_server::{build_app, db, prepare, start, Config};
use tracing_subscriber::EnvFilter;

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
    /// Create the demo organization on an empty database.
    Seed,
    /// Print the GraphQL schema (SDL) published as schema.graphql.
    Schema,
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
    let config = Config::from_env()?;
    match cli.command {
        Command::Schema => unreachable!("handled above"),
        Command::Migrate => {
            let db = db::connect(&config.database_url).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::Seed => {
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
