//! The source of "now", so domain and app code stay deterministic under test.

use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Duration, Utc};

use crate::FieldError;

/// The source of "now" for app code; tests and the test clock substitute their own.
pub trait Clock: Send + Sync + 'static {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The real wall clock; the one sanctioned place that reads `Utc::now()`.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to, for tests and the server's test mode;
/// it never moves backwards, so recorded history stays consistent.
#[derive(Debug)]
pub struct ManualClock {
    at: Mutex<DateTime<Utc>>,
}

impl ManualClock {
    /// Starts the clock at `at`.
    pub fn new(at: DateTime<Utc>) -> Self {
        Self { at: Mutex::new(at) }
    }

    fn lock(&self) -> MutexGuard<'_, DateTime<Utc>> {
        // A poisoned lock still holds a valid instant; keep using it.
        self.at
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Moves the clock to `at`, which must not be earlier than the current time.
    pub fn set_forward(&self, at: DateTime<Utc>) -> Result<(), FieldError> {
        let mut current = self.lock();
        if at < *current {
            return Err(FieldError::new("at", "clock cannot move backwards"));
        }
        *current = at;
        Ok(())
    }

    /// Alias of [`ManualClock::set_forward`]: the clock refuses to move backwards.
    pub fn set(&self, at: DateTime<Utc>) -> Result<(), FieldError> {
        self.set_forward(at)
    }

    /// Moves the clock forward by a positive duration; returns the new time.
    pub fn advance(&self, by: Duration) -> Result<DateTime<Utc>, FieldError> {
        if by <= Duration::zero() {
            return Err(FieldError::new("hours", "must be positive"));
        }
        let mut current = self.lock();
        let next = current
            .checked_add_signed(by)
            .ok_or_else(|| FieldError::new("hours", "is too large"))?;
        *current = next;
        Ok(next)
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    #[test]
    fn manual_clock_moves_forward_only() {
        let clock = ManualClock::new(t0());
        assert_eq!(clock.now(), t0());
        assert_eq!(
            clock.advance(Duration::hours(2)),
            Ok(t0() + Duration::hours(2))
        );
        assert_eq!(clock.set_forward(t0()).unwrap_err().field, "at");
        assert!(clock.set(t0() + Duration::hours(2)).is_ok());
        assert!(clock.set_forward(t0() + Duration::days(1)).is_ok());
        assert_eq!(clock.now(), t0() + Duration::days(1));
    }

    #[test]
    fn advance_rejects_non_positive() {
        let clock = ManualClock::new(t0());
        assert_eq!(clock.advance(Duration::zero()).unwrap_err().field, "hours");
        assert_eq!(
            clock.advance(Duration::hours(-1)).unwrap_err().field,
            "hours"
        );
        assert_eq!(clock.now(), t0());
    }

    #[test]
    fn usable_as_trait_object() {
        let clocks: Vec<Box<dyn Clock>> =
            vec![Box::new(SystemClock), Box::new(ManualClock::new(t0()))];
        assert!(clocks[0].now() > t0());
        assert_eq!(clocks[1].now(), t0());
    }
}
