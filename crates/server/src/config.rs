//! Configuration from the environment (`DEALDESK_*`, `DATABASE_URL`).

use anyhow::{bail, Context};

/// Everything the server reads from its environment.
#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Address to listen on.
    pub bind: String,
    /// Signs access tokens; redacted in `Debug`.
    pub jwt_secret: dealdesk_app::auth::Secret,
    /// Whether the secret was generated for this process (demo only).
    pub jwt_secret_generated: bool,
    /// Demo mode: a demo org on an empty database; weak secrets allowed.
    pub demo: bool,
    /// Whether `signUp` may create new organizations.
    pub allow_signup: bool,
    /// Whether the business clock is a test clock.
    pub test_clock: bool,
    /// Whether every GraphQL response carries the number of SQL statements
    /// it ran (`X-SQL-Statements`), for tests and benchmarks; off in production.
    pub statement_counts: bool,
    /// Clients older than this get `CLIENT_TOO_OLD`.
    pub min_client_version: Option<semver::Version>,
    /// Where the built web app lives (served at `/`).
    pub web_dir: std::path::PathBuf,
    /// How often the job loop looks for due jobs (wall time).
    pub job_period: std::time::Duration,
    /// SMTP server, sender address and per-send timeout of the notification channels.
    pub notify: dealdesk_notification::SenderConfig,
    /// Attempts after which a delivery is dead-lettered.
    pub max_delivery_attempts: i32,
    /// Where contract documents are stored (default: `files/` next to the SQLite file).
    pub files_dir: std::path::PathBuf,
    /// The business-registry provider (API.md protocol); `None` means offline.
    pub registry_url: Option<String>,
    /// Its bearer key; redacted in `Debug`.
    pub registry_key: Option<dealdesk_app::auth::Secret>,
    /// How long a registry lookup may take.
    pub registry_timeout: std::time::Duration,
    /// R5: industry mean days late when the org has no data for an industry (`DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE`, default 0).
    pub default_industry_days_late: rust_decimal::Decimal,
}

/// `files/` beside the SQLite database file, or in the working directory.
fn default_files_dir(database_url: &str) -> std::path::PathBuf {
    let path = database_url.strip_prefix("sqlite://").or_else(|| database_url.strip_prefix("sqlite:")).map(|rest| rest.split('?').next().unwrap_or(rest));
    match path.map(std::path::Path::new).and_then(std::path::Path::parent) {
        Some(parent) if !parent.as_os_str().is_empty() => parent.join("files"),
        _ => std::path::PathBuf::from("files"),
    }
}

/// The smallest secret we accept outside demo mode.
pub const MIN_SECRET_BYTES: usize = 32;

/// The database used when `DATABASE_URL` is not set: `./dealdesk.db`.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://dealdesk.db?mode=rwc";

fn flag(value: Option<String>, name: &str, default: bool) -> anyhow::Result<bool> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => bail!("{name} must be true or false, not {other:?}"),
    }
}

/// Parses a client version leniently: `1`, `1.4` and `1.4.2` are all accepted.
pub fn parse_version(text: &str) -> Option<semver::Version> {
    let text = text.trim().trim_start_matches('v');
    let core = text.split(['-', '+']).next().unwrap_or(text);
    let padded = match core.matches('.').count() {
        0 => format!("{text}.0.0"),
        1 => format!("{core}.0{}", &text[core.len()..]),
        _ => text.to_string(),
    };
    semver::Version::parse(&padded).ok()
}

impl Config {
    /// Reads the configuration; refuses a missing or weak JWT secret unless in demo mode.
    pub fn from_env() -> anyhow::Result<Config> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup` (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
        let demo = flag(lookup("DEALDESK_DEMO"), "DEALDESK_DEMO", false)?;
        let (jwt_secret, generated) = match lookup("DEALDESK_JWT_SECRET").filter(|secret| !secret.is_empty()) {
            Some(secret) if secret.len() >= MIN_SECRET_BYTES || demo => (secret, false),
            Some(_) => bail!("DEALDESK_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes (e.g. `openssl rand -hex 32`); set DEALDESK_DEMO=1 to run a demo with a weak one"),
            None if demo => (random_secret(), true),
            None => bail!("DEALDESK_JWT_SECRET is required (at least {MIN_SECRET_BYTES} bytes, e.g. `openssl rand -hex 32`); set DEALDESK_DEMO=1 for a demo"),
        };
        let min_client_version = match lookup("DEALDESK_MIN_CLIENT_VERSION").filter(|value| !value.trim().is_empty()) {
            Some(text) => Some(parse_version(&text).with_context(|| format!("DEALDESK_MIN_CLIENT_VERSION {text:?} is not a version like 1.4.0"))?),
            None => None,
        };
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.into());
        Ok(Config {
            files_dir: lookup("DEALDESK_FILES_DIR").filter(|dir| !dir.trim().is_empty()).map_or_else(|| default_files_dir(&database_url), Into::into),
            registry_url: lookup("DEALDESK_REGISTRY_URL").filter(|url| !url.trim().is_empty()),
            registry_key: lookup("DEALDESK_REGISTRY_KEY").filter(|key| !key.is_empty()).map(dealdesk_app::auth::Secret::new),
            registry_timeout: match lookup("DEALDESK_REGISTRY_TIMEOUT_SECS").filter(|value| !value.trim().is_empty()) {
                Some(text) => std::time::Duration::from_secs_f64(
                    text.trim().parse::<f64>().ok().filter(|seconds| *seconds > 0.0 && *seconds <= 120.0).with_context(|| format!("DEALDESK_REGISTRY_TIMEOUT_SECS must be between 0 and 120 seconds, not {text:?}"))?,
                ),
                None => std::time::Duration::from_secs(10),
            },
            default_industry_days_late: match lookup("DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE").filter(|value| !value.trim().is_empty()) {
                Some(text) => text
                    .trim()
                    .parse::<rust_decimal::Decimal>()
                    .ok()
                    .filter(|days| (rust_decimal::Decimal::from(-30)..=rust_decimal::Decimal::from(365)).contains(days))
                    .with_context(|| format!("DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE must be a number of days between -30 and 365, not {text:?}"))?,
                None => rust_decimal::Decimal::ZERO,
            },
            database_url,
            bind: lookup("DEALDESK_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            jwt_secret: dealdesk_app::auth::Secret::new(jwt_secret),
            jwt_secret_generated: generated,
            demo,
            allow_signup: flag(lookup("DEALDESK_ALLOW_SIGNUP"), "DEALDESK_ALLOW_SIGNUP", true)?,
            test_clock: flag(lookup("DEALDESK_TEST_CLOCK"), "DEALDESK_TEST_CLOCK", false)?,
            statement_counts: flag(lookup("DEALDESK_STATEMENT_COUNTS"), "DEALDESK_STATEMENT_COUNTS", false)?,
            min_client_version,
            web_dir: lookup("DEALDESK_WEB_DIR").unwrap_or_else(|| "web-ui/dist".into()).into(),
            job_period: match lookup("DEALDESK_JOB_PERIOD_SECS").filter(|value| !value.trim().is_empty()) {
                Some(text) => std::time::Duration::from_secs_f64(
                    text.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|seconds| *seconds > 0.0 && *seconds <= 3600.0)
                        .with_context(|| format!("DEALDESK_JOB_PERIOD_SECS must be a number of seconds between 0 and 3600, not {text:?}"))?,
                ),
                None => std::time::Duration::from_secs(5),
            },
            max_delivery_attempts: match lookup("DEALDESK_DELIVERY_MAX_ATTEMPTS").filter(|value| !value.trim().is_empty()) {
                Some(text) => text
                    .trim()
                    .parse::<i32>()
                    .ok()
                    .filter(|attempts| (1..=50).contains(attempts))
                    .with_context(|| format!("DEALDESK_DELIVERY_MAX_ATTEMPTS must be between 1 and 50, not {text:?}"))?,
                None => dealdesk_domain::MAX_DELIVERY_ATTEMPTS,
            },
            notify: {
                let mut notify = dealdesk_notification::SenderConfig::new(
                    lookup("DEALDESK_SMTP_URL").filter(|url| !url.trim().is_empty()),
                    lookup("DEALDESK_MAIL_FROM").filter(|from| !from.trim().is_empty()).unwrap_or_else(|| "Dealdesk <dealdesk@localhost>".into()),
                );
                if let Some(text) = lookup("DEALDESK_CHANNEL_TIMEOUT_SECS").filter(|value| !value.trim().is_empty()) {
                    notify.timeout = std::time::Duration::from_secs_f64(
                        text.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|seconds| *seconds > 0.0 && *seconds <= 120.0)
                            .with_context(|| format!("DEALDESK_CHANNEL_TIMEOUT_SECS must be between 0 and 120 seconds, not {text:?}"))?,
                    );
                }
                notify
            },
        })
    }
}

fn random_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> anyhow::Result<Config> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn refuses_missing_or_weak_secret_outside_demo() {
        assert!(config(&[]).is_err());
        assert!(config(&[("DEALDESK_JWT_SECRET", "short")]).is_err());
        assert!(config(&[("DEALDESK_JWT_SECRET", &"x".repeat(32))]).is_ok());
    }

    #[test]
    fn demo_allows_weak_or_missing_secret() {
        let generated = config(&[("DEALDESK_DEMO", "1")]).unwrap();
        assert!(generated.jwt_secret_generated);
        assert!(generated.jwt_secret.expose().len() >= MIN_SECRET_BYTES);
        assert!(config(&[("DEALDESK_DEMO", "1"), ("DEALDESK_JWT_SECRET", "weak")]).is_ok());
    }

    #[test]
    fn defaults_and_flags() {
        let config = config(&[("DEALDESK_JWT_SECRET", &"x".repeat(40)), ("DEALDESK_TEST_CLOCK", "1")]).unwrap();
        assert_eq!(config.database_url, "sqlite://dealdesk.db?mode=rwc");
        assert_eq!(config.bind, "127.0.0.1:8080");
        assert!(config.test_clock);
        assert!(config.allow_signup);
    }

    #[test]
    fn the_default_industry_days_late_is_a_bounded_number() {
        let secret = "x".repeat(40);
        assert_eq!(config(&[("DEALDESK_JWT_SECRET", &secret)]).unwrap().default_industry_days_late, rust_decimal::Decimal::ZERO);
        let set = config(&[("DEALDESK_JWT_SECRET", &secret), ("DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE", "4.5")]).unwrap();
        assert_eq!(set.default_industry_days_late, rust_decimal::Decimal::new(45, 1));
        assert!(config(&[("DEALDESK_JWT_SECRET", &secret), ("DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE", "soon")]).is_err());
        assert!(config(&[("DEALDESK_JWT_SECRET", &secret), ("DEALDESK_DEFAULT_INDUSTRY_DAYS_LATE", "400")]).is_err());
    }

    #[test]
    fn versions_are_read_leniently() {
        assert_eq!(parse_version("1.4"), Some(semver::Version::new(1, 4, 0)));
        assert_eq!(parse_version("v2"), Some(semver::Version::new(2, 0, 0)));
        assert_eq!(parse_version("1.2.3"), Some(semver::Version::new(1, 2, 3)));
        assert!(parse_version("banana").is_none());
    }
}
