//! Calendar schedules in an org's time zone (E6: every Friday 17:00).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

/// A weekly moment in local time, e.g. Friday 17:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weekly {
    /// The day of the week.
    pub weekday: Weekday,
    /// The local time of day.
    pub time: NaiveTime,
}

impl Weekly {
    /// The weekly funnel health report: Friday 17:00.
    pub fn weekly_report() -> Weekly {
        Weekly {
            weekday: Weekday::Fri,
            time: NaiveTime::from_hms_opt(17, 0, 0).unwrap_or(NaiveTime::MIN),
        }
    }
}

/// The instant `date` at local `time` in `tz`. A time skipped by a DST jump
/// resolves to the first valid minute after it; a repeated one to its first occurrence.
pub fn local_instant(tz: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut candidate = date.and_time(time);
    for _ in 0..(24 * 60) {
        if let Some(at) = tz.from_local_datetime(&candidate).earliest() {
            return at.with_timezone(&Utc);
        }
        candidate += Duration::minutes(1);
    }
    // Unreachable for real zones (no gap lasts a day); fall back to UTC.
    Utc.from_utc_datetime(&date.and_time(time))
}

/// The latest occurrence of `weekly` at or before `now`, in `tz`.
pub fn previous_weekly(now: DateTime<Utc>, tz: Tz, weekly: Weekly) -> DateTime<Utc> {
    let today = now.with_timezone(&tz).date_naive();
    let back = (7 + today.weekday().num_days_from_monday() - weekly.weekday.num_days_from_monday()) % 7;
    let mut date = today - Duration::days(i64::from(back));
    loop {
        let at = local_instant(tz, date, weekly.time);
        if at <= now {
            return at;
        }
        date -= Duration::days(7);
    }
}

/// The first occurrence of `weekly` strictly after `now`, in `tz`.
pub fn next_weekly(now: DateTime<Utc>, tz: Tz, weekly: Weekly) -> DateTime<Utc> {
    let mut date = previous_weekly(now, tz, weekly).with_timezone(&tz).date_naive();
    loop {
        date += Duration::days(7);
        let at = local_instant(tz, date, weekly.time);
        if at > now {
            return at;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
    }

    #[test]
    fn friday_five_pm_in_shanghai_is_nine_am_utc() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        // Friday 2026-11-27 10:00 Shanghai: the previous report was the Friday before.
        let now = utc(2026, 11, 27, 2, 0);
        assert_eq!(previous_weekly(now, tz, Weekly::weekly_report()), utc(2026, 11, 20, 9, 0));
        assert_eq!(next_weekly(now, tz, Weekly::weekly_report()), utc(2026, 11, 27, 9, 0));
        // Exactly at 17:00 it counts as passed.
        assert_eq!(previous_weekly(utc(2026, 11, 27, 9, 0), tz, Weekly::weekly_report()), utc(2026, 11, 27, 9, 0));
    }

    #[test]
    fn follows_daylight_saving_time() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // 17:00 in Berlin is 16:00 UTC in winter and 15:00 UTC in summer.
        assert_eq!(next_weekly(utc(2026, 3, 23, 0, 0), tz, Weekly::weekly_report()), utc(2026, 3, 27, 16, 0));
        assert_eq!(next_weekly(utc(2026, 3, 28, 0, 0), tz, Weekly::weekly_report()), utc(2026, 4, 3, 15, 0));
        // A time skipped by the spring jump resolves to the first valid minute after it.
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(local_instant(tz, sunday, NaiveTime::from_hms_opt(2, 30, 0).unwrap()), utc(2026, 3, 29, 1, 0));
    }

    proptest! {
        #[test]
        fn previous_and_next_bracket_now(minutes in 0i64..(60 * 24 * 800)) {
            let tz: Tz = "America/New_York".parse().unwrap();
            let now = utc(2025, 1, 1, 0, 0) + Duration::minutes(minutes);
            let previous = previous_weekly(now, tz, Weekly::weekly_report());
            let next = next_weekly(now, tz, Weekly::weekly_report());
            prop_assert!(previous <= now && now < next);
            prop_assert!(next - previous <= Duration::hours(7 * 24 + 1) && next - previous >= Duration::hours(7 * 24 - 1));
            prop_assert_eq!(previous.with_timezone(&tz).weekday(), Weekday::Fri);
        }
    }
}
