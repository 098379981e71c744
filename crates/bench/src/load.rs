//! Load generators: wrk for HTTP (GraphQL) and pgbench for the database's
//! own ceiling. Both run as separate processes on the same machine and
//! report requests per second and latency percentiles.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::process::Command;

/// What one load run measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadResult {
    pub requests: u64,
    pub seconds: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Requests answered with a non-2xx status or a GraphQL `errors` entry
    /// (wrk), or failed transactions (pgbench).
    pub errors: u64,
}

impl LoadResult {
    pub fn rps(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// Of rounds of two loads run alternately, the one whose ratio of
/// throughputs (first ÷ second) is the median (the lower middle one for an
/// even count), so one disturbed run does not decide the figure.
pub fn median_round(mut rounds: Vec<(LoadResult, LoadResult)>) -> (LoadResult, LoadResult) {
    let ratio = |(first, second): &(LoadResult, LoadResult)| if second.rps() > 0.0 { first.rps() / second.rps() } else { 0.0 };
    rounds.sort_by(|a, b| ratio(a).total_cmp(&ratio(b)));
    let middle = rounds.len().saturating_sub(1) / 2;
    rounds.get(middle).copied().unwrap_or_default()
}

/// One GraphQL request body a wrk thread sends, with an optional variant
/// used by the write workloads (see [`WrkScript::Toggle`]).
#[derive(Clone, Debug)]
pub enum WrkScript {
    /// Sends these JSON bodies round-robin, each thread from its own offset.
    Bodies(Vec<String>),
    /// Moves each deal back and forth between two stages: each thread owns
    /// the deals whose index modulo the thread count is its own, so no two
    /// requests race on one deal. Bodies are built from `template` with
    /// `{DEAL}` and `{STAGE}` replaced; a deal's stage is the one the server
    /// last answered with (the mutation must select `id` then `stage`).
    Toggle { deals: Vec<String>, stages: [String; 2], template: String },
}

fn lua_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Lua script: request generation, error counting and a machine-readable
/// summary line (`BENCH_RESULT …`) printed by `done`.
fn lua(script: &WrkScript, path: &str, token: Option<&str>) -> String {
    let mut lua = String::new();
    let auth = token.map_or(String::new(), |token| format!(", [\"Authorization\"] = {}", lua_string(&format!("Bearer {token}"))));
    let _ = writeln!(lua, "local headers = {{ [\"Content-Type\"] = \"application/json\"{auth} }}");
    let _ = writeln!(lua, "local path = {}", lua_string(path));
    lua.push_str(
        r#"local threads = {}
local counter = 0
errors = 0
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function answered(body) end
function response(status, hdrs, body)
  if status < 200 or status > 299 or string.find(body, '"errors"', 1, true) then
    errors = errors + 1
    if errors <= 3 then io.stderr:write("bench request failed (" .. status .. "): " .. string.sub(body, 1, 300) .. "\n") end
  else
    answered(body)
  end
end
function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + thread:get("errors") end
  local e = summary.errors
  failed = failed + e.connect + e.read + e.write + e.timeout
  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), failed))
end
"#,
    );
    match script {
        WrkScript::Bodies(bodies) => {
            lua.push_str("local bodies = {\n");
            for body in bodies {
                let _ = writeln!(lua, "  {},", lua_string(body));
            }
            lua.push_str(
                r#"}
function init(args)
  counter = (id or 0) * 7919
end
function request()
  counter = counter % #bodies + 1
  return wrk.format("POST", path, headers, bodies[counter])
end
"#,
            );
        }
        WrkScript::Toggle { deals, stages, template } => {
            lua.push_str("local all_deals = {\n");
            for deal in deals {
                let _ = writeln!(lua, "  {},", lua_string(deal));
            }
            let _ = writeln!(lua, "}}\nlocal stages = {{ {}, {} }}\nlocal template = {}", lua_string(&stages[0]), lua_string(&stages[1]), lua_string(template));
            lua.push_str(
                r#"local mine = {}
local state = {}
function init(args)
  local me = id or 0
  local count = tonumber(args[1]) or 1
  for i, deal in ipairs(all_deals) do
    if (i - 1) % count == me then table.insert(mine, deal); state[deal] = 1 end
  end
end
-- A deal's stage changes only when the server says it moved: wrk calls
-- request() once more than it sends (to check the script), so flipping the
-- state there would put one deal out of step.
function request()
  counter = counter % #mine + 1
  local deal = mine[counter]
  local body = string.gsub(string.gsub(template, "{DEAL}", deal), "{STAGE}", stages[3 - state[deal]])
  return wrk.format("POST", path, headers, body)
end
function answered(body)
  local deal, stage = string.match(body, '"id":"([^"]+)","stage":"([^"]+)"')
  if deal and state[deal] then
    if stage == stages[1] then state[deal] = 1 else state[deal] = 2 end
  end
end
"#,
            );
        }
    }
    lua
}

/// Runs wrk with `connections` connections for `duration` against `base_url`.
pub async fn wrk(workdir: &Path, name: &str, base_url: &str, script: &WrkScript, token: Option<&str>, connections: u32, duration: Duration) -> anyhow::Result<LoadResult> {
    let (origin, path) = split_url(base_url)?;
    let file = workdir.join(format!("{name}.lua"));
    std::fs::write(&file, lua(script, &path, token))?;
    let threads = connections.clamp(1, 2);
    let output = Command::new("wrk")
        .arg(format!("-t{threads}"))
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs().max(1)))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&file)
        .arg(&origin)
        .arg("--")
        .arg(threads.to_string())
        .stdin(Stdio::null())
        .output()
        .await
        .context("running wrk (install it with `apt-get install wrk`)")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed: {}{}", stdout, String::from_utf8_lossy(&output.stderr));
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stderr.trim().is_empty() {
        eprintln!("wrk {name}: {}", stderr.trim());
    }
    parse_wrk(&stdout).with_context(|| format!("reading wrk's output: {stdout}"))
}

fn split_url(url: &str) -> anyhow::Result<(String, String)> {
    let scheme_end = url.find("://").context("URL without scheme")? + 3;
    match url[scheme_end..].find('/') {
        Some(slash) => Ok((url[..scheme_end + slash].to_string(), url[scheme_end + slash..].to_string())),
        None => Ok((url.to_string(), "/".to_string())),
    }
}

fn field(line: &str, key: &str) -> anyhow::Result<u64> {
    line.split_whitespace()
        .find_map(|part| part.strip_prefix(key).and_then(|rest| rest.strip_prefix('=')))
        .with_context(|| format!("no {key} in {line}"))?
        .parse()
        .with_context(|| format!("{key} is not a number"))
}

fn parse_wrk(stdout: &str) -> anyhow::Result<LoadResult> {
    let line = stdout.lines().find(|line| line.starts_with("BENCH_RESULT")).context("no BENCH_RESULT line")?;
    Ok(LoadResult {
        requests: field(line, "requests")?,
        seconds: field(line, "duration_us")? as f64 / 1e6,
        p50_ms: field(line, "p50_us")? as f64 / 1e3,
        p99_ms: field(line, "p99_us")? as f64 / 1e3,
        errors: field(line, "errors")?,
    })
}

/// Runs a pgbench custom script (`-M prepared`, per-transaction log for
/// percentiles) against `url`.
pub async fn pgbench(workdir: &Path, name: &str, url: &str, script: &str, connections: u32, duration: Duration) -> anyhow::Result<LoadResult> {
    let dir = workdir.join(format!("pgbench-{name}-{connections}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("script.sql");
    std::fs::write(&file, script)?;
    let threads = connections.clamp(1, 2);
    let output = Command::new("pgbench")
        .current_dir(&dir)
        .arg("-n")
        .arg("-M")
        .arg("prepared")
        .arg(format!("-c{connections}"))
        .arg(format!("-j{threads}"))
        .arg(format!("-T{}", duration.as_secs().max(1)))
        .arg("-l")
        .arg("-f")
        .arg(&file)
        .arg(url)
        .stdin(Stdio::null())
        .output()
        .await
        .context("running pgbench (it comes with PostgreSQL's client package)")?;
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    if !output.status.success() {
        bail!("pgbench failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
    }
    let mut latencies_us = Vec::new();
    for entry in std::fs::read_dir(&dir)? {
        let path = entry?.path();
        if path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with("pgbench_log")) {
            for line in std::fs::read_to_string(&path)?.lines() {
                // client_id transaction_no time script_no time_epoch time_us
                if let Some(latency) = line.split_whitespace().nth(2).and_then(|value| value.parse::<u64>().ok()) {
                    latencies_us.push(latency);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    let processed = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("number of transactions actually processed:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .with_context(|| format!("reading pgbench's output: {stdout}"))?;
    let failed = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("number of failed transactions:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<u64>().ok())
        .unwrap_or(0);
    let tps = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("tps = "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .with_context(|| format!("no tps in pgbench's output: {stdout}"))?;
    latencies_us.sort_unstable();
    Ok(LoadResult {
        requests: processed,
        seconds: if tps > 0.0 { processed as f64 / tps } else { 0.0 },
        p50_ms: percentile(&latencies_us, 50.0) / 1e3,
        p99_ms: percentile(&latencies_us, 99.0) / 1e3,
        errors: failed,
    })
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1] as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_summary_line() {
        let out = "Running 10s test\nBENCH_RESULT requests=1200 duration_us=10000000 p50_us=1500 p99_us=9000 errors=2\n";
        let result = parse_wrk(out).expect("parsed");
        assert_eq!(result.requests, 1200);
        assert!((result.rps() - 120.0).abs() < 1e-9);
        assert!((result.p50_ms - 1.5).abs() < 1e-9);
        assert!((result.p99_ms - 9.0).abs() < 1e-9);
        assert_eq!(result.errors, 2);
        assert!(parse_wrk("no summary").is_err());
    }

    #[test]
    fn the_round_with_the_median_ratio_is_reported() {
        let load = |requests| LoadResult { requests, seconds: 1.0, ..LoadResult::default() };
        // Ratios 0.5, 2.0 and 1.0: the 1.0 round.
        let rounds = vec![(load(50), load(100)), (load(400), load(200)), (load(300), load(300))];
        let (first, second) = median_round(rounds);
        assert_eq!((first.requests, second.requests), (300, 300));
        assert_eq!(median_round(vec![(load(10), load(20))]).0.requests, 10);
        assert_eq!(median_round(Vec::new()).0.requests, 0);
    }

    #[test]
    fn nearest_rank() {
        let values: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&values, 50.0), 50.0);
        assert_eq!(percentile(&values, 99.0), 99.0);
        assert_eq!(percentile(&[7], 99.0), 7.0);
        assert!(percentile(&[], 50.0).is_nan());
    }

    #[test]
    fn splits_urls() {
        assert_eq!(split_url("http://127.0.0.1:1/graphql").expect("split"), ("http://127.0.0.1:1".to_string(), "/graphql".to_string()));
        assert_eq!(split_url("http://h").expect("split"), ("http://h".to_string(), "/".to_string()));
    }

    #[test]
    fn lua_strings_escape_json() {
        assert_eq!(lua_string(r#"{"a":"b\n"}"#), r#""{\"a\":\"b\\n\"}""#);
    }
}
