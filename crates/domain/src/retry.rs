//! Delivery retries: exponential back-off with jitter and a bound.

use chrono::Duration;

/// Attempts after which a message is dead-lettered.
pub const MAX_DELIVERY_ATTEMPTS: i32 = 8;

/// The delay before the next attempt, after `attempts` failed ones (≥ 1):
/// 2 s doubling per attempt, capped at one hour, spread by ±20 % with
/// `jitter` in [0, 1), and never sooner than a receiver's `retry_after`.
pub fn retry_delay(attempts: i32, jitter: f64, retry_after: Option<Duration>) -> Duration {
    let exponent = attempts.clamp(1, 30) - 1;
    let base_ms = (2_000_i64.saturating_mul(1_i64 << exponent.min(20))).min(3_600_000);
    let factor = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    let delay = Duration::milliseconds((base_ms as f64 * factor) as i64);
    match retry_after {
        Some(wait) if wait > delay => wait.min(Duration::hours(24)),
        _ => delay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn doubles_from_two_seconds_up_to_an_hour() {
        assert_eq!(retry_delay(1, 0.5, None), Duration::seconds(2));
        assert_eq!(retry_delay(2, 0.5, None), Duration::seconds(4));
        assert_eq!(retry_delay(5, 0.5, None), Duration::seconds(32));
        assert_eq!(retry_delay(40, 0.5, None), Duration::hours(1));
    }

    #[test]
    fn honours_retry_after() {
        assert_eq!(retry_delay(1, 0.5, Some(Duration::seconds(7))), Duration::seconds(7));
        assert_eq!(retry_delay(5, 0.5, Some(Duration::seconds(7))), Duration::seconds(32));
    }

    proptest! {
        #[test]
        fn jitter_stays_within_twenty_percent(attempts in 1i32..12, jitter in 0.0f64..1.0) {
            let centre = retry_delay(attempts, 0.5, None).num_milliseconds() as f64;
            let delay = retry_delay(attempts, jitter, None).num_milliseconds() as f64;
            prop_assert!(delay >= centre * 0.8 - 1.0 && delay <= centre * 1.2 + 1.0);
        }

        #[test]
        fn never_shrinks_as_attempts_grow(attempts in 1i32..30) {
            prop_assert!(retry_delay(attempts + 1, 0.5, None) >= retry_delay(attempts, 0.5, None));
        }
    }
}
