//! Calendar schedules in an org's time zone (E6: every Friday 17:00; C5:
//! the 1st of every month at 09:00).

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

/// The monthly collaboration report's moment: the 1st at 09:00 (C5).
pub const MONTHLY_REPORT_DAY: u32 = 1;

/// The local time of day of the monthly collaboration report.
pub fn monthly_report_time() -> NaiveTime {
    NaiveTime::from_hms_opt(9, 0, 0).unwrap_or(NaiveTime::MIN)
}

/// The first day of the month `months` after (or, negative, before) the month of `date`.
pub fn month_start(date: NaiveDate, months: i32) -> NaiveDate {
    let index = date.year() * 12 + date.month0() as i32 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1).unwrap_or(date)
}

/// Day `day` of the month starting at `first`, clamped to the month's last
/// day (so "the 31st" is February's 28th or 29th).
fn day_of_month(first: NaiveDate, day: u32) -> NaiveDate {
    let last = month_start(first, 1).pred_opt().unwrap_or(first);
    first.with_day(day.clamp(1, last.day())).unwrap_or(last)
}

/// The latest occurrence of day `day` of a month at local `time` at or
/// before `now`, in `tz` (a day past a month's end means its last day; a
/// time skipped by a DST jump, the first valid minute after it).
pub fn previous_monthly(now: DateTime<Utc>, tz: Tz, day: u32, time: NaiveTime) -> DateTime<Utc> {
    let this_month = month_start(now.with_timezone(&tz).date_naive(), 0);
    let mut months = 0;
    loop {
        let at = local_instant(tz, day_of_month(month_start(this_month, months), day), time);
        if at <= now {
            return at;
        }
        months -= 1;
    }
}

/// The first occurrence of day `day` of a month at local `time` strictly after `now`, in `tz`.
pub fn next_monthly(now: DateTime<Utc>, tz: Tz, day: u32, time: NaiveTime) -> DateTime<Utc> {
    let previous = month_start(previous_monthly(now, tz, day, time).with_timezone(&tz).date_naive(), 0);
    let mut months = 1;
    loop {
        let at = local_instant(tz, day_of_month(month_start(previous, months), day), time);
        if at > now {
            return at;
        }
        months += 1;
    }
}

/// The calendar month before the one containing `at` (local time in `tz`),
/// as `[first day 00:00, next month's first day 00:00)` in UTC: the period a
/// monthly report made at `at` covers.
pub fn previous_month_period(at: DateTime<Utc>, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let this_month = month_start(at.with_timezone(&tz).date_naive(), 0);
    (local_instant(tz, month_start(this_month, -1), NaiveTime::MIN), local_instant(tz, this_month, NaiveTime::MIN))
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

    #[test]
    fn first_of_the_month_at_nine_in_shanghai() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let nine = monthly_report_time();
        // 2026-03-15 10:00 Shanghai: the last report was 1 March 09:00 (01:00 UTC), the next 1 April.
        let now = utc(2026, 3, 15, 2, 0);
        assert_eq!(previous_monthly(now, tz, 1, nine), utc(2026, 3, 1, 1, 0));
        assert_eq!(next_monthly(now, tz, 1, nine), utc(2026, 4, 1, 1, 0));
        // Exactly at 09:00 it counts as passed; a minute before, it is still to come.
        assert_eq!(previous_monthly(utc(2026, 4, 1, 1, 0), tz, 1, nine), utc(2026, 4, 1, 1, 0));
        assert_eq!(next_monthly(utc(2026, 4, 1, 0, 59), tz, 1, nine), utc(2026, 4, 1, 1, 0));
        // Across the year's end.
        assert_eq!(next_monthly(utc(2026, 12, 5, 0, 0), tz, 1, nine), utc(2027, 1, 1, 1, 0));
        assert_eq!(previous_monthly(utc(2027, 1, 1, 0, 0), tz, 1, nine), utc(2026, 12, 1, 1, 0));
        // The period reported on 1 April is March, midnight to midnight local time.
        assert_eq!(previous_month_period(utc(2026, 4, 1, 1, 0), tz), (utc(2026, 2, 28, 16, 0), utc(2026, 3, 31, 16, 0)));
        // Local midnight on the 1st is still the previous day in UTC: it belongs to the new month.
        assert_eq!(previous_month_period(utc(2026, 3, 31, 16, 0), tz), (utc(2026, 2, 28, 16, 0), utc(2026, 3, 31, 16, 0)));
    }

    #[test]
    fn monthly_follows_daylight_saving_time() {
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        let nine = monthly_report_time();
        // 09:00 in Berlin is 08:00 UTC in winter (1 March) and 07:00 UTC in summer (1 April).
        assert_eq!(next_monthly(utc(2026, 2, 10, 0, 0), tz, 1, nine), utc(2026, 3, 1, 8, 0));
        assert_eq!(next_monthly(utc(2026, 3, 1, 8, 0), tz, 1, nine), utc(2026, 4, 1, 7, 0));
        assert_eq!(next_monthly(utc(2026, 10, 2, 0, 0), tz, 1, nine), utc(2026, 11, 1, 8, 0));
        // March (which contains the spring jump) is 31 days less one hour long.
        let (from, to) = previous_month_period(utc(2026, 4, 1, 7, 0), tz);
        assert_eq!((from, to), (utc(2026, 2, 28, 23, 0), utc(2026, 3, 31, 22, 0)));
        assert_eq!(to - from, Duration::days(31) - Duration::hours(1));
        // A time inside the gap resolves to the first valid minute after it: the 29th of March at 02:30 → 03:00.
        let two_thirty = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(next_monthly(utc(2026, 3, 20, 0, 0), tz, 29, two_thirty), utc(2026, 3, 29, 1, 0));
    }

    #[test]
    fn days_past_a_months_end_clamp_to_its_last_day() {
        let tz: Tz = "UTC".parse().unwrap();
        let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap();
        assert_eq!(next_monthly(utc(2026, 2, 1, 0, 0), tz, 31, noon), utc(2026, 2, 28, 12, 0));
        assert_eq!(next_monthly(utc(2028, 2, 1, 0, 0), tz, 31, noon), utc(2028, 2, 29, 12, 0));
        assert_eq!(next_monthly(utc(2026, 2, 28, 12, 0), tz, 31, noon), utc(2026, 3, 31, 12, 0));
        assert_eq!(month_start(NaiveDate::from_ymd_opt(2026, 1, 15).unwrap(), -1), NaiveDate::from_ymd_opt(2025, 12, 1).unwrap());
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

        #[test]
        fn previous_and_next_monthly_bracket_now(minutes in 0i64..(60 * 24 * 800)) {
            let tz: Tz = "America/New_York".parse().unwrap();
            let nine = monthly_report_time();
            let now = utc(2025, 1, 1, 0, 0) + Duration::minutes(minutes);
            let previous = previous_monthly(now, tz, 1, nine);
            let next = next_monthly(now, tz, 1, nine);
            prop_assert!(previous <= now && now < next);
            let local = previous.with_timezone(&tz);
            prop_assert_eq!((local.day(), local.format("%H:%M").to_string()), (1, "09:00".to_string()));
            prop_assert!(next - previous >= Duration::days(28) - Duration::hours(1) && next - previous <= Duration::days(31) + Duration::hours(1));
            // The period reported at `previous` ends where it begins to count: local midnight on the 1st.
            let (from, to) = previous_month_period(previous, tz);
            prop_assert!(from < to && to <= previous);
            prop_assert_eq!(to.with_timezone(&tz).format("%d %H:%M").to_string(), "01 00:00");
            prop_assert_eq!(from.with_timezone(&tz).format("%d %H:%M").to_string(), "01 00:00");
        }
    }
}
