//! The `dealdesk` server: configuration, HTTP wiring, start-up.
//!
//! Only this crate knows actix-web and the environment.
//!
//! - [`config`]: `DEALDESK_*` settings.
//! - [`db`]: connecting (SQLite or PostgreSQL) and migrating.
//! - [`http`]: GraphQL over HTTP and the health probes.
//! - [`web`]: the built web app at `/`.

pub mod config;
pub mod db;
pub mod http;
pub mod web;

use std::net::TcpListener;

use actix_web::{web as actix, App as ActixApp, HttpServer};
use anyhow::Context;
use dealdesk_app::{App, AppClock, AppConfig};

pub use config::Config;

/// Connects, migrates and builds the use cases for `config`.
pub async fn build_app(config: &Config) -> anyhow::Result<App> {
    let clock = if config.test_clock {
        AppClock::test(chrono::Utc::now())
    } else {
        AppClock::system()
    };
    build_app_with_clock(config, clock).await
}

/// [`build_app`] on a clock of the caller's (the benchmarks stop it at a
/// fixed instant without running the jobs that `setTestClock` would).
pub async fn build_app_with_clock(config: &Config, clock: AppClock) -> anyhow::Result<App> {
    let mut db = db::connect(&config.database_url).await?;
    if config.statement_counts {
        dealdesk_persistence::statements::install(&mut db);
    }
    db::migrate(&db).await?;
    let app = App::new(
        db,
        clock,
        AppConfig {
            jwt_secret: config.jwt_secret.clone(),
            allow_signup: config.allow_signup,
            notify: config.notify.clone(),
            max_delivery_attempts: config.max_delivery_attempts,
            files_dir: config.files_dir.clone(),
            registry_url: config.registry_url.clone(),
            registry_key: config.registry_key.clone(),
            registry_timeout: config.registry_timeout,
            default_industry_days_late: config.default_industry_days_late,
        },
    )?;
    // With the test clock on, every process shares the time stored in the database.
    app.sync_test_clock().await?;
    Ok(app)
}

/// Builds the app and, in demo mode on an empty database, creates the demo
/// organization; returns its logins when it did.
pub async fn prepare(config: &Config) -> anyhow::Result<(App, Option<Vec<dealdesk_app::seed::DemoLogin>>)> {
    let app = build_app(config).await?;
    let logins = if config.demo {
        app.seed_demo_if_empty().await.context("seeding the demo organization failed")?
    } else {
        None
    };
    Ok((app, logins))
}

/// A server listening on a socket, and the handle that stops it.
pub struct Running {
    /// The address actually bound (port 0 becomes a real port).
    pub address: std::net::SocketAddr,
    /// Stops the server.
    pub handle: actix_web::dev::ServerHandle,
    /// Completes when the server stops.
    pub server: actix_web::dev::Server,
}

/// Binds `config.bind`, starts serving `app` and the job loop; does not
/// block. Must be called inside an actix (tokio) runtime.
pub fn start(config: &Config, app: App) -> anyhow::Result<Running> {
    let jobs = app.clone();
    let period = config.job_period;
    actix_web::rt::spawn(async move { jobs.run_job_loop(period).await });
    let listener = TcpListener::bind(&config.bind).with_context(|| format!("cannot listen on {}", config.bind))?;
    let address = listener.local_addr()?;
    let state = actix::Data::new(http::ServerState {
        schema: dealdesk_graphql::build_schema(app.clone()),
        app,
        min_client_version: config.min_client_version.clone(),
        statement_counts: config.statement_counts,
        documents: http::Documents::new(),
    });
    let web_dir = config.web_dir.clone();
    let server = HttpServer::new(move || {
        ActixApp::new()
            .app_data(state.clone())
            .app_data(actix::PayloadConfig::new(25 * 1024 * 1024))
            .wrap(tracing_actix())
            .route("/graphql", actix::post().to(http::graphql))
            .route("/graphql", actix::get().to(http::graphql))
            .route("/healthz", actix::get().to(http::healthz))
            .route("/files/{id}", actix::get().to(http::download))
            .route("/readyz", actix::get().to(http::readyz))
            .configure(|cfg| web::configure(cfg, &web_dir))
    })
    .workers(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(8))
    .shutdown_timeout(10)
    .listen(listener)?
    .run();
    Ok(Running {
        address,
        handle: server.handle(),
        server,
    })
}

fn tracing_actix() -> actix_web::middleware::Logger {
    actix_web::middleware::Logger::new("%a \"%r\" %s %b %Dms").log_target("dealdesk::http")
}
