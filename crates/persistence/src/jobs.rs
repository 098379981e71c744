//! Leaderless job scheduling: schedules claimed with a lease, run records,
//! and the shared test clock. Not tenant data: jobs span orgs.

use chrono::{DateTime, Utc};
use sea_orm::prelude::Uuid;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::entities::{job_runs, job_schedules, test_clock};

/// Creates a job's schedule row, due at `first_run_at`, unless it exists.
pub async fn ensure_schedule<C: ConnectionTrait>(conn: &C, name: &str, first_run_at: DateTime<Utc>) -> Result<(), DbErr> {
    job_schedules::Entity::insert(
        job_schedules::Model {
            name: name.to_string(),
            next_run_at: first_run_at,
            lease_holder: None,
            lease_until: None,
        }
        .into_active_model(),
    )
    .on_conflict(OnConflict::column(job_schedules::Column::Name).do_nothing().to_owned())
    .exec_without_returning(conn)
    .await
    .map(|_| ())
}

/// Claims a due job for `holder` until `lease_until` (wall time). Only one
/// claimant wins: the update matches only an unleased (or expired) due row.
/// Returns the time the run was scheduled for when claimed.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    wall_now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let Some(schedule) = job_schedules::Entity::find_by_id(name.to_string()).one(conn).await? else {
        return Ok(None);
    };
    if schedule.next_run_at > now {
        return Ok(None);
    }
    let result = job_schedules::Entity::update_many()
        .col_expr(job_schedules::Column::LeaseHolder, Expr::value(holder))
        .col_expr(job_schedules::Column::LeaseUntil, Expr::value(lease_until))
        .filter(job_schedules::Column::Name.eq(name))
        .filter(job_schedules::Column::NextRunAt.eq(schedule.next_run_at))
        .filter(
            Condition::any()
                .add(job_schedules::Column::LeaseUntil.is_null())
                .add(job_schedules::Column::LeaseUntil.lt(wall_now)),
        )
        .exec(conn)
        .await?;
    Ok((result.rows_affected == 1).then_some(schedule.next_run_at))
}

/// Releases a lease and sets the next due time (only by the holder).
pub async fn finish<C: ConnectionTrait>(conn: &C, name: &str, holder: &str, next_run_at: DateTime<Utc>) -> Result<(), DbErr> {
    job_schedules::Entity::update_many()
        .col_expr(job_schedules::Column::NextRunAt, Expr::value(next_run_at))
        .col_expr(job_schedules::Column::LeaseHolder, Expr::value(Option::<String>::None))
        .col_expr(job_schedules::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(job_schedules::Column::Name.eq(name))
        .filter(job_schedules::Column::LeaseHolder.eq(holder))
        .exec(conn)
        .await
        .map(|_| ())
}

/// Whether any job is due at `now` (leased or not).
pub async fn any_due<C: ConnectionTrait>(conn: &C, names: &[&str], now: DateTime<Utc>) -> Result<bool, DbErr> {
    Ok(job_schedules::Entity::find()
        .filter(job_schedules::Column::Name.is_in(names.iter().copied()))
        .filter(job_schedules::Column::NextRunAt.lte(now))
        .one(conn)
        .await?
        .is_some())
}

/// Records the start of a run.
pub async fn start_run<C: ConnectionTrait>(conn: &C, job: &str, holder: &str, scheduled_for: DateTime<Utc>, started_at: DateTime<Utc>) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    job_runs::Entity::insert(
        job_runs::Model {
            id,
            job: job.to_string(),
            holder: holder.to_string(),
            scheduled_for,
            started_at,
            finished_at: None,
            items: 0,
            error: None,
        }
        .into_active_model(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Records the end of a run.
pub async fn end_run<C: ConnectionTrait>(conn: &C, id: Uuid, finished_at: DateTime<Utc>, items: i32, error: Option<String>) -> Result<(), DbErr> {
    job_runs::ActiveModel {
        id: Set(id),
        finished_at: Set(Some(finished_at)),
        items: Set(items),
        error: Set(error),
        ..Default::default()
    }
    .update(conn)
    .await
    .map(|_| ())
}

/// Every run of a job, oldest first.
pub async fn runs_of<C: ConnectionTrait>(conn: &C, job: &str) -> Result<Vec<job_runs::Model>, DbErr> {
    use sea_orm::QueryOrder;
    job_runs::Entity::find()
        .filter(job_runs::Column::Job.eq(job))
        .order_by_asc(job_runs::Column::StartedAt)
        .all(conn)
        .await
}

/// The shared test clock, if set.
pub async fn read_test_clock<C: ConnectionTrait>(conn: &C) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(test_clock::Entity::find_by_id(1).one(conn).await?.map(|row| row.now))
}

/// Moves the shared test clock to `at` if that is later (never backwards).
pub async fn write_test_clock<C: ConnectionTrait>(conn: &C, at: DateTime<Utc>) -> Result<(), DbErr> {
    test_clock::Entity::insert(test_clock::Model { id: 1, now: at }.into_active_model())
        .on_conflict(OnConflict::column(test_clock::Column::Id).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await?;
    test_clock::Entity::update_many()
        .col_expr(test_clock::Column::Now, Expr::value(at))
        .filter(test_clock::Column::Id.eq(1))
        .filter(test_clock::Column::Now.lt(at))
        .exec(conn)
        .await
        .map(|_| ())
}
