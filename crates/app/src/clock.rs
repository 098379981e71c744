//! Business time. Production reads the system clock; with
//! `DEALDESK_TEST_CLOCK=1` a manual clock that only moves forward when told.

use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, Utc};
use dealdesk_domain::{Clock, ManualClock, SystemClock};

use crate::error::{AppError, AppResult};

/// The clock use cases read, and the test clock behind it when enabled.
#[derive(Clone)]
pub struct AppClock {
    source: Arc<dyn Clock>,
    test: Option<Arc<ManualClock>>,
}

impl AppClock {
    /// Real time; the test-clock operations answer `TEST_CLOCK_DISABLED`.
    pub fn system() -> Self {
        Self {
            source: Arc::new(SystemClock),
            test: None,
        }
    }

    /// A test clock frozen at `at` until advanced.
    pub fn test(at: DateTime<Utc>) -> Self {
        let manual = Arc::new(ManualClock::new(truncate(at)));
        Self {
            source: manual.clone(),
            test: Some(manual),
        }
    }

    /// Whether this is a test clock.
    pub fn is_test(&self) -> bool {
        self.test.is_some()
    }

    /// Now, at microsecond precision.
    pub fn now(&self) -> DateTime<Utc> {
        truncate(self.source.now())
    }

    /// Moves the test clock forward by `hours` (> 0).
    pub fn advance_hours(&self, hours: f64) -> AppResult<DateTime<Utc>> {
        let test = self.test.as_ref().ok_or(AppError::TestClockDisabled)?;
        if !hours.is_finite() || hours <= 0.0 || hours > 24.0 * 366.0 * 10.0 {
            return Err(AppError::bad_input("hours", "must be a positive number of hours up to ten years"));
        }
        let micros = (hours * 3_600_000_000.0).round() as i64;
        test.advance(Duration::microseconds(micros))?;
        Ok(self.now())
    }

    /// Sets the test clock to a later instant.
    pub fn set(&self, at: DateTime<Utc>) -> AppResult<DateTime<Utc>> {
        let test = self.test.as_ref().ok_or(AppError::TestClockDisabled)?;
        test.set_forward(truncate(at))?;
        Ok(self.now())
    }

    /// Reads the test clock.
    pub fn read_test(&self) -> AppResult<DateTime<Utc>> {
        if self.test.is_none() {
            return Err(AppError::TestClockDisabled);
        }
        Ok(self.now())
    }
}

fn truncate(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(Duration::microseconds(1)).unwrap_or(at)
}
