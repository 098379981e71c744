//! A database of its own for one test (PostgreSQL when `DATABASE_URL`
//! names a server, as `.ci/run` sets it; SQLite otherwise).

use sea_orm::{ConnectionTrait, Database};

/// A database of its own for one test: a fresh PostgreSQL database when
/// `DATABASE_URL` names a server, a SQLite file otherwise; files beside it.
pub struct Scratch {
    pub dir: std::path::PathBuf,
    pub url: String,
    postgres: Option<(sea_orm::DatabaseConnection, String)>,
}

impl Scratch {
    /// A new empty database; `label` goes into its name.
    pub async fn new(label: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("dealdesk-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let (url, postgres) = match std::env::var("DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let name = format!("dealdesk_{label}_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await.expect("connect to PostgreSQL");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create database");
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let url = format!("{}/{name}", base.rsplit_once('/').map_or(base, |(server, _)| server));
                (url, Some((admin, name)))
            }
            _ => (format!("sqlite://{}?mode=rwc", dir.join("dealdesk.db").display()), None),
        };
        Scratch { dir, url, postgres }
    }

    /// The server configuration of a process on this database.
    #[allow(dead_code)] // not every test builds an in-process app
    pub fn config(&self) -> dealdesk_server::Config {
        dealdesk_server::Config::from_lookup(|key| match key {
            "DATABASE_URL" => Some(self.url.clone()),
            "DEALDESK_JWT_SECRET" => Some("scratch-test-secret-0123456789abcdef0123".into()),
            "DEALDESK_FILES_DIR" => Some(self.dir.join("files").display().to_string()),
            _ => None,
        })
        .expect("config")
    }

    /// Drops the database (PostgreSQL) and the files.
    pub async fn remove(self) {
        if let Some((admin, name)) = self.postgres {
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.expect("drop database");
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
