//! Counting the SQL statements one unit of work runs (a GraphQL request),
//! so tests can prove a query does a constant number of round trips
//! whatever the size of the data (no N+1).
//!
//! [`install`] puts a metric callback on the connection; it adds one to the
//! counter of the task it runs in, if that task is inside [`count`]. Work a
//! request hands to other tasks (dataloader batches) is counted when it is
//! spawned through [`carry`]. Statements run outside any [`count`] (the job
//! loop, other requests) are not counted anywhere. The server installs the
//! callback only when `DEALDESK_STATEMENT_COUNTS` is on, so production pays
//! nothing.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sea_orm::DatabaseConnection;

tokio::task_local! {
    static COUNTER: Arc<AtomicU64>;
}

/// Counts, from now on, every statement run through `db` (and its clones
/// made afterwards) inside [`count`]; `RUST_LOG=dealdesk::sql=trace` also
/// logs each counted statement.
pub fn install(db: &mut DatabaseConnection) {
    db.set_metric_callback(|info| {
        if COUNTER.try_with(|counter| counter.fetch_add(1, Ordering::Relaxed)).is_ok() {
            tracing::trace!(target: "dealdesk::sql", sql = %info.statement.sql, elapsed_us = info.elapsed.as_micros() as u64, "counted statement");
        }
    });
}

/// Runs `work` and returns its output with the number of statements it ran
/// (including those of tasks it spawned through [`carry`]).
pub async fn count<F: Future>(work: F) -> (F::Output, u64) {
    let counter = Arc::new(AtomicU64::new(0));
    let output = COUNTER.scope(counter.clone(), work).await;
    (output, counter.load(Ordering::Relaxed))
}

/// Makes `work`, about to be spawned on another task, count towards the
/// current [`count`] (if any).
pub fn carry<F: Future>(work: F) -> impl Future<Output = F::Output> {
    let counter = COUNTER.try_with(Arc::clone).ok();
    async move {
        match counter {
            Some(counter) => COUNTER.scope(counter, work).await,
            None => work.await,
        }
    }
}
