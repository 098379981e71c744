//! PostGraphile, the peer: installed from npm into the scratch directory at
//! bench time (never committed) and pointed at the same PostgreSQL tables.
//! The schema has no foreign keys (tenant tables are distributed by org),
//! so a smart-tags file declares the two relations the list query follows.

use std::path::Path;

use anyhow::{bail, Context};
use tokio::process::Command;

use crate::procs::{start_process, Running};

/// The PostGraphile major version the comparison uses.
const PACKAGE: &str = "postgraphile@4";

const TAGS: &str = r#"{
  version: 1,
  config: {
    class: {
      deals: {
        tags: {
          foreignKey: [
            "(owner_id) references users (id)|@fieldName owner|@foreignFieldName ownedDeals",
            "(customer_id) references customers (id)|@fieldName customer|@foreignFieldName customerDeals",
          ],
        },
      },
    },
  },
}
"#;

pub struct PostGraphile {
    pub running: Running,
    pub version: String,
}

impl PostGraphile {
    /// Installs (once) and starts PostGraphile on `port` with two cluster
    /// workers (the server under test uses one worker per core: two here).
    pub async fn start(workdir: &Path, database_url: &str, port: u16) -> anyhow::Result<PostGraphile> {
        let dir = workdir.join("postgraphile");
        std::fs::create_dir_all(&dir)?;
        let binary = dir.join("node_modules/.bin/postgraphile");
        if !binary.exists() {
            if !dir.join("package.json").exists() {
                std::fs::write(dir.join("package.json"), "{\"name\":\"dealdesk-bench-peer\",\"private\":true}\n")?;
            }
            let status = Command::new("npm").current_dir(&dir).args(["install", "--no-audit", "--no-fund", PACKAGE]).status().await.context("running npm")?;
            if !status.success() {
                bail!("npm install {PACKAGE} failed");
            }
        }
        std::fs::write(dir.join("postgraphile.tags.json5"), TAGS)?;
        let version = Command::new(&binary).arg("--version").output().await.map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string()).unwrap_or_default();
        let mut command = Command::new(&binary);
        command
            .current_dir(&dir)
            .env("NODE_ENV", "production")
            .args(["--connection", database_url, "--schema", "public", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(["--cluster-workers", "2", "--disable-query-log", "--max-pool-size", "16", "--no-setof-functions-contain-nulls"]);
        let running = start_process("PostGraphile", command, format!("http://127.0.0.1:{port}"), "/graphiql", &dir.join("postgraphile.log")).await?;
        Ok(PostGraphile { running, version: format!("PostGraphile {version}") })
    }
}
