//! Child processes the bench starts (`dealdesk serve`, PostGraphile) and
//! what it reads of them: readiness and resident memory.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use tokio::process::{Child, Command};

/// A running child process, killed when dropped.
pub struct Running {
    pub name: String,
    pub child: Child,
    pub base_url: String,
}

impl Running {
    pub fn pid(&self) -> anyhow::Result<u32> {
        self.child.id().with_context(|| format!("{} has exited", self.name))
    }

    /// Current and peak resident set size in MiB (Linux `VmRSS`, `VmHWM`).
    pub fn rss_mib(&self) -> anyhow::Result<(f64, f64)> {
        rss_mib(&format!("/proc/{}/status", self.pid()?))
    }

    /// Resets the peak RSS counter (`VmHWM`) to the current RSS.
    pub fn reset_peak(&self) -> anyhow::Result<()> {
        std::fs::write(format!("/proc/{}/clear_refs", self.pid()?), "5").context("resetting the peak RSS")
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

/// Current and peak resident set size in MiB from a `/proc/<pid>/status` file.
pub fn rss_mib(status_file: &str) -> anyhow::Result<(f64, f64)> {
    let status = std::fs::read_to_string(status_file)?;
    let read = |key: &str| {
        status
            .lines()
            .find(|line| line.starts_with(key))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<f64>().ok())
            .map(|kib| kib / 1024.0)
            .with_context(|| format!("no {key} in {status_file}"))
    };
    Ok((read("VmRSS:")?, read("VmHWM:")?))
}

/// Starts `dealdesk serve` on `port` against `database_url` and waits until
/// `/readyz` answers 200; returns it with the time from spawn to ready.
pub async fn start_server(binary: &Path, database_url: &str, port: u16, log: &Path, extra_env: &[(&str, &str)]) -> anyhow::Result<(Running, Duration)> {
    let log_file = std::fs::File::create(log)?;
    let mut command = Command::new(binary);
    command
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("DEALDESK_BIND", format!("127.0.0.1:{port}"))
        .env("DEALDESK_JWT_SECRET", "bench-secret-0123456789abcdef0123456789abcdef")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone()?)
        .stderr(log_file)
        .kill_on_drop(true);
    for (key, value) in extra_env {
        command.env(key, value);
    }
    let started = Instant::now();
    let child = command.spawn().with_context(|| format!("starting {}", binary.display()))?;
    let base_url = format!("http://127.0.0.1:{port}");
    let mut running = Running { name: format!("dealdesk serve :{port}"), child, base_url };
    let ready = wait_ready(&mut running, "/readyz", Duration::from_secs(120)).await;
    match ready {
        Ok(()) => Ok((running, started.elapsed())),
        Err(error) => {
            let tail = std::fs::read_to_string(log).unwrap_or_default();
            running.stop().await;
            Err(error.context(format!("server log:\n{}", tail.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n"))))
        }
    }
}

/// Polls `path` every 5 ms until it answers 2xx (or the process exits).
pub async fn wait_ready(running: &mut Running, path: &str, limit: Duration) -> anyhow::Result<()> {
    let client = reqwest::Client::builder().timeout(Duration::from_secs(2)).build()?;
    let url = format!("{}{path}", running.base_url);
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = running.child.try_wait()? {
            bail!("{} exited with {status} before it was ready", running.name);
        }
        if let Ok(response) = client.get(&url).send().await {
            if response.status().is_success() {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!("{} was not ready within {limit:?}", running.name);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Spawns a process whose readiness is a GET on `ready_path` (any 2xx).
pub async fn start_process(name: &str, mut command: Command, base_url: String, ready_path: &str, log: &Path) -> anyhow::Result<Running> {
    let log_file = std::fs::File::create(log)?;
    command.stdin(Stdio::null()).stdout(log_file.try_clone()?).stderr(log_file).kill_on_drop(true);
    let child = command.spawn().with_context(|| format!("starting {name}"))?;
    let mut running = Running { name: name.to_string(), child, base_url };
    if let Err(error) = wait_ready(&mut running, ready_path, Duration::from_secs(120)).await {
        let tail = std::fs::read_to_string(log).unwrap_or_default();
        running.stop().await;
        return Err(error.context(format!("{name} log:\n{tail}")));
    }
    Ok(running)
}
