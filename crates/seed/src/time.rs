//! Time in the generator: instants are whole seconds since the Unix epoch
//! (cheap to add and compare), turned into `DateTime<Utc>` when a row is
//! written. Generated organizations work in Asia/Shanghai (UTC+8, no DST).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::rng::Rng;

/// Seconds since the Unix epoch.
pub type Instant = i64;

/// One minute, hour and day in seconds.
pub const MINUTE: i64 = 60;
/// One hour in seconds.
pub const HOUR: i64 = 3_600;
/// One day in seconds.
pub const DAY: i64 = 86_400;

/// Shanghai's offset from UTC.
const LOCAL_OFFSET: i64 = 8 * HOUR;
/// Local working window used for people's actions: 08:30–20:00.
const WINDOW_START: i64 = 8 * HOUR + 30 * MINUTE;
const WINDOW_END: i64 = 20 * HOUR;

/// The instant as a timestamp column value.
pub fn at(instant: Instant) -> DateTime<Utc> {
    DateTime::from_timestamp(instant, 0).unwrap_or(DateTime::UNIX_EPOCH)
}

/// The local (Shanghai) calendar date of an instant.
pub fn local_date(instant: Instant) -> NaiveDate {
    at(instant + LOCAL_OFFSET).date_naive()
}

/// The instant a local date starts (00:00 Shanghai).
pub fn local_midnight(date: NaiveDate) -> Instant {
    date.and_hms_opt(0, 0, 0).map_or(0, |start| start.and_utc().timestamp()) - LOCAL_OFFSET
}

/// Days since 1970-01-01 (a Thursday) in local time, and the local second of the day.
fn local_parts(instant: Instant) -> (i64, i64) {
    let local = instant + LOCAL_OFFSET;
    (local.div_euclid(DAY), local.rem_euclid(DAY))
}

fn is_weekend(day: i64) -> bool {
    // Day 0 was a Thursday: 2 = Saturday, 3 = Sunday.
    matches!(day.rem_euclid(7), 2 | 3)
}

/// Moves an instant forward, if needed, into a weekday between 08:30 and
/// 20:00 local time, where people log calls and move deals; an instant
/// already inside such a window stays. Never moves backward.
pub fn working_moment(instant: Instant, rng: &mut Rng) -> Instant {
    let (mut day, second) = local_parts(instant);
    if !is_weekend(day) && (WINDOW_START..WINDOW_END).contains(&second) {
        return instant;
    }
    if second >= WINDOW_END || is_weekend(day) {
        day += 1;
    }
    while is_weekend(day) {
        day += 1;
    }
    let start = day * DAY + WINDOW_START - LOCAL_OFFSET;
    let moved = start + rng.range(0, 3 * HOUR);
    moved.max(instant)
}

/// A time-ordered UUID (version 7 layout, like `Uuid::now_v7`) for a row
/// created at `instant`, with its random bits from `rng`.
pub fn uuid_at(instant: Instant, rng: &mut Rng) -> Uuid {
    let millis = (instant.max(0) as u128) * 1_000 + u128::from(rng.below(1_000));
    let random = rng.next_u64();
    let random_a = u128::from(rng.below(1 << 12));
    let value = (millis << 80) | (0x7 << 76) | (random_a << 64) | (0b10 << 62) | u128::from(random >> 2);
    Uuid::from_u128(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Timelike, Weekday};

    fn local(instant: Instant) -> DateTime<Utc> {
        at(instant + LOCAL_OFFSET)
    }

    #[test]
    fn working_moments_fall_on_weekdays_in_office_hours_and_never_move_back() {
        let mut rng = Rng::from_seed(1);
        let start = at(0).with_year(2026).map_or(0, |t| t.timestamp());
        for step in 0..5_000 {
            let instant = start + step * 7_919;
            let moved = working_moment(instant, &mut rng);
            assert!(moved >= instant);
            let local = local(moved);
            assert!(!matches!(local.weekday(), Weekday::Sat | Weekday::Sun), "{local}");
            let minutes = local.hour() * 60 + local.minute();
            assert!((8 * 60 + 30..20 * 60).contains(&minutes) || moved == instant, "{local}");
        }
    }

    #[test]
    fn local_dates_follow_shanghai() {
        // 2026-11-26 16:30 UTC is 2026-11-27 00:30 in Shanghai.
        let instant = DateTime::parse_from_rfc3339("2026-11-26T16:30:00Z").map(|t| t.timestamp()).unwrap();
        assert_eq!(local_date(instant), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(local_midnight(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()), instant - 30 * MINUTE);
    }

    #[test]
    fn uuids_are_version_7_and_ordered_by_time() {
        let mut rng = Rng::from_seed(2);
        let early = uuid_at(1_000_000, &mut rng);
        let late = uuid_at(1_000_002, &mut rng);
        assert_eq!(early.get_version_num(), 7);
        assert_eq!(early.get_variant(), uuid::Variant::RFC4122);
        assert!(early < late);
        let (seconds, _) = late.get_timestamp().map(|t| t.to_unix()).unwrap();
        assert_eq!(seconds, 1_000_002);
    }
}
