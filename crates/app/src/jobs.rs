//! Jobs without a leader: every server process runs the same loop; a job
//! run is claimed through the database with a lease, so N processes run
//! each due job once, and a crashed holder's lease simply expires.
//!
//! Schedules are in business time (the test clock moves them); leases are
//! in wall time (a crash is a real-world event). With the test clock on,
//! its time is shared through the database so every process agrees.

use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use dealdesk_persistence::jobs as repo;

use crate::error::{AppError, AppResult};
use crate::App;

/// How long a claim holds before another process may take the job over.
pub const LEASE_SECONDS: i64 = 300;

/// The periodic jobs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// E1.
    StuckScan,
    /// E2.
    FollowUpScan,
    /// E3.
    PingPongScan,
    /// E4.
    NewcomerScan,
    /// E6: Friday 17:00 reports (the job checks every org's local time).
    WeeklyReport,
    /// C2: SLA warnings and breaches.
    SlaScan,
    /// R4: tiers of customers whose receivables passed their due date.
    TierRecompute,
    /// C5: the monthly collaboration report, the 1st at 09:00 (the job checks every org's local time).
    MonthlyCollaborationReport,
    /// R5: COLLECTION_WARNING 15 days before due dates.
    CollectionWarning,
    /// R7: the monthly industry collection report, the 1st at 09:00 (the job checks every org's local time).
    MonthlyCollectionReport,
}

impl Job {
    /// Every job, in the order a due batch runs.
    pub const ALL: [Job; 10] = [
        Job::TierRecompute,
        Job::SlaScan,
        Job::StuckScan,
        Job::FollowUpScan,
        Job::PingPongScan,
        Job::NewcomerScan,
        Job::WeeklyReport,
        Job::MonthlyCollaborationReport,
        Job::CollectionWarning,
        Job::MonthlyCollectionReport,
    ];

    /// The schedule's name.
    pub fn name(self) -> &'static str {
        match self {
            Job::StuckScan => "stuck_scan",
            Job::FollowUpScan => "follow_up_scan",
            Job::PingPongScan => "ping_pong_scan",
            Job::NewcomerScan => "newcomer_scan",
            Job::WeeklyReport => "weekly_report",
            Job::SlaScan => "sla_scan",
            Job::TierRecompute => "tier_recompute",
            Job::MonthlyCollaborationReport => "monthly_collaboration_report",
            Job::CollectionWarning => "collection_warning",
            Job::MonthlyCollectionReport => "monthly_collection_report",
        }
    }

    /// Business time between runs.
    pub fn interval(self) -> Duration {
        match self {
            Job::StuckScan | Job::FollowUpScan => Duration::minutes(15),
            Job::WeeklyReport | Job::MonthlyCollaborationReport | Job::MonthlyCollectionReport => Duration::hours(1),
            // Hand-offs have a 15-minute SLA: look every minute.
            Job::SlaScan => Duration::minutes(1),
            Job::TierRecompute => Duration::hours(1),
            Job::CollectionWarning => Duration::hours(1),
            Job::PingPongScan | Job::NewcomerScan => Duration::hours(1),
        }
    }
}

/// What one run did.
#[derive(Clone, Debug)]
pub struct JobOutcome {
    pub job: Job,
    pub items: i32,
    pub error: Option<String>,
    /// How long the job itself ran (wall time).
    pub took: std::time::Duration,
}

impl App {
    async fn run_job(&self, job: Job, now: DateTime<Utc>) -> AppResult<i32> {
        match job {
            Job::StuckScan => self.run_stuck_scan(now).await,
            Job::FollowUpScan => self.run_follow_up_scan(now).await,
            Job::PingPongScan => self.run_ping_pong_scan(now).await,
            Job::NewcomerScan => self.run_newcomer_scan(now).await,
            Job::WeeklyReport => self.run_weekly_reports(now).await,
            Job::SlaScan => self.run_sla_scan(now).await,
            Job::TierRecompute => self.run_tier_recompute(now).await,
            Job::MonthlyCollaborationReport => self.run_monthly_collaboration_reports(now).await,
            Job::CollectionWarning => self.run_collection_warnings(now).await,
            Job::MonthlyCollectionReport => self.run_monthly_collection_reports(now).await,
        }
    }

    /// Runs every job that is due now and not held by another process.
    #[tracing::instrument(skip_all, fields(instance = %self.instance))]
    pub async fn run_due_jobs(&self) -> AppResult<Vec<JobOutcome>> {
        let mut outcomes = Vec::new();
        for job in Job::ALL {
            let now = self.now();
            repo::ensure_schedule(&self.db, job.name(), now).await?;
            let wall = Utc::now();
            let lease_until = wall + Duration::seconds(LEASE_SECONDS);
            let Some(scheduled_for) = repo::claim(&self.db, job.name(), &self.instance, now, wall, lease_until).await? else {
                continue;
            };
            let run = repo::start_run(&self.db, job.name(), &self.instance, scheduled_for, now).await?;
            let started = std::time::Instant::now();
            let result = self.run_job(job, now).await;
            let took = started.elapsed();
            let (items, error) = match &result {
                Ok(items) => (*items, None),
                Err(error) => (0, Some(error.to_string())),
            };
            if let Some(error) = &error {
                tracing::error!(job = job.name(), error = %error, "job failed");
            }
            repo::end_run(&self.db, run, self.now(), items, error.clone()).await?;
            let next = match job {
                // Reports are due at a precise local moment: wake up then, not a quarter-hour late.
                Job::WeeklyReport => self.next_weekly_report_at(now).await?.min(now + job.interval()),
                Job::MonthlyCollaborationReport | Job::MonthlyCollectionReport => self.next_monthly_report_at(now).await?.min(now + job.interval()),
                _ => now + job.interval(),
            };
            repo::finish(&self.db, job.name(), &self.instance, next).await?;
            outcomes.push(JobOutcome { job, items, error, took });
        }
        Ok(outcomes)
    }

    /// Runs due jobs until none is due, waiting for runs another process
    /// holds (bounded): what the test clock does after moving time.
    pub async fn run_jobs_until_settled(&self) -> AppResult<()> {
        let names: Vec<&str> = Job::ALL.iter().map(|job| job.name()).collect();
        let deadline = Utc::now() + Duration::seconds(LEASE_SECONDS);
        loop {
            self.run_due_jobs().await?;
            if !repo::any_due(&self.db, &names, self.now()).await? {
                return Ok(());
            }
            if Utc::now() > deadline {
                return Err(AppError::Internal("jobs held by another process did not finish".into()));
            }
            tokio::time::sleep(StdDuration::from_millis(50)).await;
        }
    }

    /// With the test clock on: adopts a later time another process set.
    pub async fn sync_test_clock(&self) -> AppResult<()> {
        if !self.clock.is_test() {
            return Ok(());
        }
        match repo::read_test_clock(&self.db).await? {
            Some(shared) if shared > self.now() => {
                self.clock.set(shared)?;
            }
            Some(_) => {}
            None => repo::write_test_clock(&self.db, self.now()).await?,
        }
        Ok(())
    }

    /// The test clock's time (shared by all processes).
    pub async fn test_clock_now(&self) -> AppResult<DateTime<Utc>> {
        self.clock.read_test()?;
        self.sync_test_clock().await?;
        Ok(self.now())
    }

    /// Moves the test clock forward and runs the jobs that became due.
    pub async fn advance_test_clock(&self, hours: f64) -> AppResult<DateTime<Utc>> {
        self.clock.read_test()?;
        self.sync_test_clock().await?;
        let at = self.clock.advance_hours(hours)?;
        repo::write_test_clock(&self.db, at).await?;
        self.run_jobs_until_settled().await?;
        Ok(at)
    }

    /// Sets the test clock to a later instant and runs the jobs that became due.
    pub async fn set_test_clock(&self, at: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
        self.clock.read_test()?;
        self.sync_test_clock().await?;
        let at = self.clock.set(at)?;
        repo::write_test_clock(&self.db, at).await?;
        self.run_jobs_until_settled().await?;
        Ok(at)
    }

    /// The background loop of a server process: every `period`, adopt the
    /// shared test time and run due jobs. Never returns.
    pub async fn run_job_loop(&self, period: StdDuration) {
        let mut ticker = tokio::time::interval(period);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Err(error) = self.sync_test_clock().await {
                tracing::warn!(error = %error, "could not read the shared test clock");
            }
            if let Err(error) = self.run_due_jobs().await {
                tracing::warn!(error = %error, "job loop iteration failed");
            }
            // Drain the outbox: full batches mean more is waiting.
            loop {
                match self.dispatch_outbox().await {
                    Ok(sent) if sent as u64 >= crate::notify::DISPATCH_BATCH => continue,
                    Ok(_) => break,
                    Err(error) => {
                        tracing::warn!(error = %error, "outbox dispatch failed");
                        break;
                    }
                }
            }
        }
    }
}
