//! The Markdown report: machine, generator, then one table per section with
//! each figure beside its comparison and the ratio.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement};

use crate::load::LoadResult;
use crate::sqlite::SqlitePass;
use crate::workload::{row, version_of, AnalyticsFigure, JobFigures, Op, OutboxFigure, TwoServers};
use crate::{scalar_i64, Args};

/// The tables `dealdesk seed` fills, counted in the report.
pub const GENERATED_TABLES: [&str; 10] = ["orgs", "users", "customers", "deals", "deal_transitions", "activities", "tickets", "contracts", "receivables", "payments"];

pub struct Report {
    header: String,
    sections: Vec<String>,
    api: String,
    peer: String,
    notes: Vec<String>,
}

fn ratio(ours: f64, theirs: f64) -> String {
    if theirs > 0.0 && ours.is_finite() && theirs.is_finite() {
        format!("{:.2}×", ours / theirs)
    } else {
        "—".into()
    }
}

/// One load run beside its ceiling: operation, connections, the API's
/// req/s and p50 / p99, the SQL's, their ratio and both error counts.
fn api_vs_sql_cells(op: Op, connections: u32, api: &LoadResult, sql: &LoadResult) -> Vec<String> {
    vec![
        op.label().into(),
        connections.to_string(),
        format!("{:.0}", api.rps()),
        format!("{:.1} / {:.1}", api.p50_ms, api.p99_ms),
        format!("{:.0}", sql.rps()),
        format!("{:.2} / {:.2}", sql.p50_ms, sql.p99_ms),
        ratio(api.rps(), sql.rps()),
        format!("{} / {}", api.errors, sql.errors),
    ]
}

fn machine() -> (String, String, String) {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find(|line| line.starts_with("MemTotal:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or("unknown".into(), |kib| format!("{:.1} GiB", kib / 1024.0 / 1024.0));
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo.lines().find(|line| line.starts_with("model name")).and_then(|line| line.split(':').nth(1)).unwrap_or("unknown").trim().to_string();
    (cores.to_string(), memory, model)
}

impl Report {
    pub async fn new(args: &Args) -> anyhow::Result<Report> {
        let (cores, memory, model) = machine();
        let admin: DatabaseConnection = Database::connect(&args.pg_url).await?;
        let postgres: String = admin
            .query_one(Statement::from_string(DbBackend::Postgres, "SELECT version()".to_string()))
            .await?
            .and_then(|row| row.try_get_by_index::<String>(0).ok())
            .unwrap_or_default();
        let dealdesk = version_of(&args.dealdesk.to_string_lossy(), "--version").await;
        let mut header = String::new();
        let _ = writeln!(header, "# Benchmarks\n");
        let _ = writeln!(
            header,
            "Written by `make bench` (crates/bench) on {}. Every figure is measured in the same run as its comparison and shown as a ratio, because the machine is shared and noisy; the load generators run on the same machine as the server and the database, so absolute figures are lower bounds. Timings never fail the run.\n",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC")
        );
        let _ = writeln!(header, "| machine | |\n|---|---|");
        row(&mut header, &["cores".into(), cores]);
        row(&mut header, &["memory".into(), memory]);
        row(&mut header, &["CPU".into(), model]);
        row(&mut header, &["server".into(), format!("{dealdesk} (release build)")]);
        row(&mut header, &["database".into(), postgres.split(" on ").next().unwrap_or_default().to_string()]);
        row(&mut header, &["database connections".into(), "every client — the servers, pgbench, PostGraphile — over loopback TCP without TLS (`sslmode=disable`)".into()]);
        row(&mut header, &["load generators".into(), format!("{}; {}", version_of("wrk", "-v").await, version_of("pgbench", "-V").await)]);
        row(&mut header, &["rustc".into(), version_of("rustc", "-V").await]);
        row(&mut header, &["node".into(), version_of("node", "-v").await]);
        row(&mut header, &["run".into(), format!(
                "org size {}, seed {}, {} s per load run; sections 1 and 2: after a discarded warm-up of the list and detail reads, {} alternating rounds of each comparison, the round with the median ratio shown",
                args.size, args.seed, args.seconds, args.rounds
            )]);
        header.push('\n');
        let mut api = String::new();
        let _ = writeln!(api, "## 1. API beside the database's own limit\n");
        let _ = writeln!(
            api,
            "The API over HTTP (wrk, one GraphQL request per call, signed in as the org's admin), alternating with the same rows read or written by the equivalent hand-written SQL through pgbench (`-M prepared`) at the same concurrency. The SQL is one round trip per statement, without authentication, scoping, GraphQL or JSON — the ceiling.\n"
        );
        let _ = writeln!(api, "| operation | conns | API req/s | API p50 / p99 ms | SQL tx/s | SQL p50 / p99 ms | API ÷ SQL | errors |\n|---|---:|---:|---:|---:|---:|---:|---:|");
        let mut peer = String::new();
        let _ = writeln!(peer, "## 2. API beside a peer (PostGraphile)\n");
        let _ = writeln!(
            peer,
            "The list query with the same nested fields served by PostGraphile (installed from npm into a scratch folder at bench time; two cluster workers like the server's two workers) on the same tables, same concurrency, measured alternately (see the run row above).\n"
        );
        let _ = writeln!(peer, "| conns | Dealdesk req/s | PostGraphile req/s | ratio | Dealdesk p99 ms | PostGraphile p99 ms | errors (ours / theirs) |\n|---:|---:|---:|---:|---:|---:|---:|");
        Ok(Report { header, sections: Vec::new(), api, peer, notes: Vec::new() })
    }

    pub async fn generator(&mut self, db: &DatabaseConnection, output: &str, took: Duration) -> anyhow::Result<()> {
        let mut section = String::new();
        let _ = writeln!(section, "## Data\n");
        let mut total = 0i64;
        let _ = writeln!(section, "| table | rows |\n|---|---:|");
        for table in GENERATED_TABLES {
            let count = scalar_i64(db, &format!("SELECT count(*) FROM {table}")).await.unwrap_or(0);
            total += count;
            row(&mut section, &[format!("`{table}`"), count.to_string()]);
        }
        let seconds = took.as_secs_f64();
        let _ = writeln!(
            section,
            "\nGenerated and loaded by `dealdesk seed` in {seconds:.1} s (whole command: generation, load, ANALYZE): {} rows/s over the tables above.\n",
            if seconds > 0.0 { format!("{:.0}", total as f64 / seconds) } else { "—".into() }
        );
        let summary: Vec<&str> = output.lines().filter(|line| !line.trim().is_empty()).collect();
        if !summary.is_empty() {
            let _ = writeln!(section, "```text\n{}\n```\n", summary.join("\n"));
        }
        self.sections.push(section);
        Ok(())
    }

    pub fn api_vs_sql(&mut self, op: Op, connections: u32, api: LoadResult, sql: LoadResult) {
        row(&mut self.api, &api_vs_sql_cells(op, connections, &api, &sql));
    }

    pub fn peer(&mut self, connections: u32, ours: LoadResult, theirs: LoadResult, version: &str) {
        if !self.notes.iter().any(|note| note.contains(version)) {
            self.notes.push(format!("Peer: {version}."));
        }
        row(
            &mut self.peer,
            &[
                connections.to_string(),
                format!("{:.0}", ours.rps()),
                format!("{:.0}", theirs.rps()),
                ratio(ours.rps(), theirs.rps()),
                format!("{:.1}", ours.p99_ms),
                format!("{:.1}", theirs.p99_ms),
                format!("{} / {}", ours.errors, theirs.errors),
            ],
        );
    }

    pub fn note(&mut self, text: &str) {
        self.notes.push(text.to_string());
    }

    pub fn jobs(&mut self, figures: JobFigures) {
        let mut section = String::new();
        let _ = writeln!(section, "## 4. Jobs\n");
        let _ = writeln!(
            section,
            "Each job run once over the whole database ({} open deals) by the job runner's own code in the bench process; peak RSS is that process's high-water mark (VmHWM, reset before each run).\n",
            figures.open_deals
        );
        let _ = writeln!(section, "| job | items | time s | peak RSS MiB |\n|---|---:|---:|---:|");
        for run in &figures.runs {
            let peak = run.peak_mib.map_or_else(|| "".to_string(), |mib| format!("{mib:.0}"));
            row(&mut section, &[run.name.clone(), run.items.to_string(), format!("{:.2}", run.seconds), peak]);
        }
        self.sections.push(section);
    }

    pub fn outbox(&mut self, figure: OutboxFigure) {
        let mut section = String::new();
        let _ = writeln!(section, "### Outbox dispatch\n");
        let _ = writeln!(section, "| messages | received | received twice | time s | deliveries/s |\n|---:|---:|---:|---:|---:|");
        row(
            &mut section,
            &[
                figure.messages.to_string(),
                figure.received.to_string(),
                figure.duplicates.to_string(),
                format!("{:.2}", figure.seconds),
                format!("{:.0}", figure.messages as f64 / figure.seconds.max(1e-9)),
            ],
        );
        let _ = writeln!(section, "\nWebhook deliveries queued in the outbox, drained by the dispatcher to a loopback receiver (the bench's own HTTP server).\n");
        self.sections.push(section);
    }

    pub fn footprint(&mut self, starts: &[Duration], idle_mib: f64, load_peak_mib: f64) {
        let mut section = String::new();
        let _ = writeln!(section, "## 5. Footprint\n");
        let mut ms: Vec<f64> = starts.iter().map(|start| start.as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let _ = writeln!(section, "| figure | value |\n|---|---:|");
        row(&mut section, &["cold start to ready (`/readyz` 200) on a migrated database, median of 3".into(), format!("{:.0} ms", ms.get(ms.len() / 2).copied().unwrap_or(f64::NAN))]);
        row(&mut section, &["server RSS idle (3 s after ready)".into(), format!("{idle_mib:.0} MiB")]);
        row(&mut section, &["server peak RSS under the load of section 1".into(), format!("{load_peak_mib:.0} MiB")]);
        self.sections.push(section);
    }

    pub fn analytics(&mut self, figures: &[AnalyticsFigure]) {
        let mut section = String::new();
        let _ = writeln!(section, "## 3. Analytics\n");
        let _ = writeln!(
            section,
            "Over the last 92 days of the generated history; median of {} runs after a warm-up. The API is timed over HTTP; the hand-written SQL (`crates/bench/src/hand_analytics.rs`) computes the same figures in PostgreSQL with the app's session settings, and every count, amount, rate and median is compared.\n",
            crate::workload::ANALYTICS_RUNS
        );
        let _ = writeln!(section, "| query | scope | API median ms | hand-written SQL median ms | API / SQL | figures equal |\n|---|---|---:|---:|---:|---|");
        for figure in figures {
            row(
                &mut section,
                &[
                    figure.name.to_string(),
                    figure.scope.to_string(),
                    format!("{:.1}", figure.api_ms),
                    format!("{:.1}", figure.sql_ms),
                    ratio(figure.api_ms, figure.sql_ms),
                    match &figure.equal {
                        Ok(()) => "yes".into(),
                        Err(difference) => format!("**NO**: {difference}"),
                    },
                ],
            );
        }
        self.sections.push(section);
    }

    pub fn sqlite(&mut self, passes: &[SqlitePass]) {
        let mut section = String::new();
        let _ = writeln!(section, "## 7. SQLite (small and medium orgs)\n");
        let _ = writeln!(
            section,
            "Each org generated by `dealdesk seed` into a fresh SQLite file; the server on it, loaded by wrk as in section 1. SQLite has no pgbench: the ceiling is the same rows read and written by hand-written SQL from this process, through a pool configured like the server's (one connection; SQLite has one writer), with as many concurrent callers as wrk has connections.\n"
        );
        for pass in passes {
            let seconds = pass.generated_in.as_secs_f64();
            let _ = writeln!(
                section,
                "- **{}**: {} deals, {} rows generated and loaded in {seconds:.1} s ({:.0} rows/s).",
                pass.size,
                pass.deals,
                pass.rows,
                if seconds > 0.0 { pass.rows as f64 / seconds } else { 0.0 }
            );
        }
        let _ = writeln!(
            section,
            "\n| org | operation | conns | API req/s | API p50 / p99 ms | SQL req/s | SQL p50 / p99 ms | API / SQL | errors (API / SQL) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|"
        );
        for pass in passes {
            for (op, connections, api, sql) in &pass.runs {
                let mut cells = vec![pass.size.clone()];
                cells.extend(api_vs_sql_cells(*op, *connections, api, sql));
                row(&mut section, &cells);
            }
        }
        self.sections.push(section);
    }

    pub fn two_servers(&mut self, two: TwoServers) {
        let mut section = String::new();
        let _ = writeln!(section, "## 6. Two servers, one database\n");
        let both = two.first.rps() + two.second.rps();
        let _ = writeln!(section, "| figure | value |\n|---|---:|");
        if let Some(single) = two.single {
            row(&mut section, &["list query, one server, 64 connections (section 1)".into(), format!("{:.0} req/s", single.rps())]);
            row(&mut section, &["list query, two servers, 32 connections each".into(), format!("{both:.0} req/s ({})", ratio(both, single.rps()))]);
        } else {
            row(&mut section, &["list query, two servers, 32 connections each".into(), format!("{both:.0} req/s")]);
        }
        row(&mut section, &["p99 on each server".into(), format!("{:.1} / {:.1} ms", two.first.p99_ms, two.second.p99_ms)]);
        row(&mut section, &["test-clock advances of 1 h during the load (jobs run by whichever server)".into(), two.clock_advances.to_string()]);
        row(&mut section, &["job runs recorded / runs of one schedule slot more than once".into(), format!("{} / {}", two.job_runs, two.duplicate_job_runs)]);
        row(&mut section, &["webhook messages received / received twice / left pending".into(), format!("{} / {} / {}", two.deliveries, two.duplicate_deliveries, two.pending_after)]);
        self.sections.push(section);
    }

    /// Prints the report and writes it to `path`.
    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        let mut text = self.header.clone();
        let mut ordered: Vec<&String> = Vec::new();
        // Data first, then the sections in their numbered order.
        let order = ["## Data", "## 1.", "## 2.", "## 3.", "## 4.", "### Outbox", "## 5.", "## 6.", "## 7."];
        let mut all: Vec<&String> = self.sections.iter().collect();
        all.push(&self.api);
        all.push(&self.peer);
        for prefix in order {
            ordered.extend(all.iter().filter(|section| section.starts_with(prefix)).copied());
        }
        for section in ordered {
            text.push_str(section);
            text.push('\n');
        }
        if !self.notes.is_empty() {
            text.push_str("## Notes\n\n");
            for note in &self.notes {
                let _ = writeln!(text, "- {note}");
            }
        }
        println!("{text}");
        std::fs::write(path, text)?;
        Ok(())
    }
}
