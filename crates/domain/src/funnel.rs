//! Funnel health (E6): the pure parts of a rep's report — the period rule,
//! which stage pairs a conversion is measured over, rates, and the team
//! median every figure is compared with.
//!
//! The figures themselves are aggregated by the database (the app layer asks
//! `persistence::funnel` for them per owner); what is left here is arithmetic
//! that must behave the same whichever engine produced the inputs.

use chrono::{DateTime, Duration, Utc};

use crate::error::FieldError;
use crate::{StageDef, StageKey, StageKind};

/// The longest period a report may cover, in days (a leap year).
pub const MAX_PERIOD_DAYS: i64 = 366;

/// A pair of stages whose conversion is reported: of the deals that entered
/// `from`, how many later reached `to` or any stage after it (except LOST).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConversionPair {
    /// The stage deals entered during the period.
    pub from: StageKey,
    /// The next stage in the pipeline (by position).
    pub to: StageKey,
}

/// Checks a report period `[from, to)`: `from` must be before `to` (named
/// `to`), and the span may not exceed [`MAX_PERIOD_DAYS`] (named `from`).
pub fn check_period(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(), FieldError> {
    if from >= to {
        return Err(FieldError::new("to", "must be after from"));
    }
    if to - from > Duration::days(MAX_PERIOD_DAYS) {
        return Err(FieldError::new("from", format!("the period may span at most {MAX_PERIOD_DAYS} days")));
    }
    Ok(())
}

/// The stage pairs a funnel report measures: each open stage with the next
/// open stage by position, then the last open stage with the first WON
/// stage. Outcome stages other than that are never a pair's start.
pub fn conversion_pairs(stages: &[StageDef]) -> Vec<ConversionPair> {
    let mut open: Vec<&StageDef> = stages.iter().filter(|stage| stage.kind == StageKind::Open).collect();
    open.sort_by_key(|stage| stage.position);
    let mut pairs: Vec<ConversionPair> = open
        .windows(2)
        .map(|window| ConversionPair {
            from: window[0].key.clone(),
            to: window[1].key.clone(),
        })
        .collect();
    let won = stages
        .iter()
        .filter(|stage| stage.kind == StageKind::Won)
        .min_by_key(|stage| stage.position);
    if let (Some(last), Some(won)) = (open.last(), won) {
        pairs.push(ConversionPair {
            from: last.key.clone(),
            to: won.key.clone(),
        });
    }
    pairs
}

/// The share of `entered` deals that `advanced`, between 0 and 1; `None`
/// when nothing entered (a rate of nothing is unknown, not zero).
pub fn conversion_rate(entered: u64, advanced: u64) -> Option<f64> {
    if entered == 0 {
        return None;
    }
    // Counts of deals stay far below 2^53, so the conversion is exact.
    Some(advanced.min(entered) as f64 / entered as f64)
}

/// The median of `values`, or `None` when there are none. NaNs are ignored.
///
/// Sorts `values` in place. For an even count it is the midpoint of the two
/// middle values, so it always lies between the smallest and the largest.
pub fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    // `total_cmp` puts negative NaNs first and positive NaNs last.
    let start = values.iter().position(|value| !value.is_nan())?;
    let end = values.iter().rposition(|value| !value.is_nan())? + 1;
    let numbers = &values[start..end];
    let middle = numbers.len() / 2;
    if numbers.len() % 2 == 1 {
        return Some(numbers[middle]);
    }
    let (lower, upper) = (numbers[middle - 1], numbers[middle]);
    // Halving first cannot overflow; the clamp absorbs rounding at the extremes.
    Some((lower / 2.0 + upper / 2.0).clamp(lower, upper))
}

/// The median over a team of the members' values that are known: `None`
/// stands for a member with nothing to measure (no exits from a stage, no
/// deal entering it), who is left out rather than counted as zero.
pub fn team_median(values: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let mut known: Vec<f64> = values.into_iter().flatten().collect();
    median(&mut known)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, 0, 0, 0).unwrap()
    }

    #[test]
    fn median_of_nothing_is_unknown() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [f64::NAN]), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0]), Some(3.0));
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut [48.0, 24.0]), Some(36.0));
        assert_eq!(median(&mut [0.0, 0.0, 7.0]), Some(0.0));
    }

    #[test]
    fn median_ignores_nans() {
        assert_eq!(median(&mut [f64::NAN, 2.0, -f64::NAN, 4.0, 9.0]), Some(4.0));
    }

    #[test]
    fn median_of_huge_values_does_not_overflow() {
        assert_eq!(median(&mut [f64::MAX, f64::MAX]), Some(f64::MAX));
        assert_eq!(median(&mut [-f64::MAX, f64::MAX]), Some(0.0));
    }

    #[test]
    fn team_median_leaves_out_unknown_values() {
        assert_eq!(team_median([Some(1.0), None, Some(3.0)]), Some(2.0));
        assert_eq!(team_median([None, None]), None);
        assert_eq!(team_median([Some(0.0), Some(0.0), Some(5.0)]), Some(0.0));
    }

    #[test]
    fn rates() {
        assert_eq!(conversion_rate(0, 0), None);
        assert_eq!(conversion_rate(4, 1), Some(0.25));
        assert_eq!(conversion_rate(2, 2), Some(1.0));
        assert_eq!(conversion_rate(2, 3), Some(1.0), "never above one");
    }

    #[test]
    fn periods() {
        assert!(check_period(at(1), at(8)).is_ok());
        assert_eq!(check_period(at(8), at(8)).map_err(|error| error.field), Err("to".to_string()));
        assert_eq!(check_period(at(9), at(8)).map_err(|error| error.field), Err("to".to_string()));
        let start = at(1);
        assert!(check_period(start, start + Duration::days(366)).is_ok());
        assert_eq!(
            check_period(start, start + Duration::days(366) + Duration::seconds(1)).map_err(|error| error.field),
            Err("from".to_string())
        );
    }

    #[test]
    fn default_pipeline_pairs() {
        let pairs: Vec<(String, String)> = conversion_pairs(&crate::default_stages())
            .into_iter()
            .map(|pair| (pair.from.as_str().to_string(), pair.to.as_str().to_string()))
            .collect();
        let expected = [
            ("LEAD", "QUALIFICATION"),
            ("QUALIFICATION", "NEEDS_CONFIRMED"),
            ("NEEDS_CONFIRMED", "DEMO"),
            ("DEMO", "QUOTE"),
            ("QUOTE", "NEGOTIATION"),
            ("NEGOTIATION", "WON"),
        ];
        assert_eq!(pairs, expected.map(|(from, to)| (from.to_string(), to.to_string())));
    }

    #[test]
    fn pairs_follow_positions_not_list_order() {
        let mut stages = crate::default_stages();
        stages.reverse();
        assert_eq!(conversion_pairs(&stages).first().map(|pair| pair.from.as_str().to_string()), Some("LEAD".to_string()));
        assert!(conversion_pairs(&[]).is_empty());
    }

    proptest! {
        #[test]
        fn median_lies_between_min_and_max(mut values in prop::collection::vec(prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO, 1..40)) {
            let min = values.iter().copied().fold(f64::INFINITY, f64::min);
            let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let middle = median(&mut values).unwrap();
            prop_assert!(min <= middle && middle <= max, "{min} <= {middle} <= {max}");
        }

        #[test]
        fn median_of_an_odd_count_is_an_element(mut values in prop::collection::vec(-1e9f64..1e9, 0..20), extra in -1e9f64..1e9) {
            values.push(extra);
            if values.len() % 2 == 0 {
                values.push(extra);
            }
            let original = values.clone();
            let middle = median(&mut values).unwrap();
            prop_assert!(original.contains(&middle));
        }

        #[test]
        fn median_splits_the_values_in_half(mut values in prop::collection::vec(-1e9f64..1e9, 1..40)) {
            let middle = median(&mut values).unwrap();
            let below = values.iter().filter(|value| **value < middle).count();
            let above = values.iter().filter(|value| **value > middle).count();
            prop_assert!(below <= values.len() / 2 && above <= values.len() / 2);
        }

        #[test]
        fn median_ignores_order(mut values in prop::collection::vec(-1e9f64..1e9, 0..30)) {
            let mut reversed: Vec<f64> = values.iter().rev().copied().collect();
            prop_assert_eq!(median(&mut values), median(&mut reversed));
        }

        #[test]
        fn rates_stay_within_zero_and_one(entered in 0u64..10_000, advanced in 0u64..10_000) {
            match conversion_rate(entered, advanced) {
                None => prop_assert_eq!(entered, 0),
                Some(rate) => prop_assert!((0.0..=1.0).contains(&rate)),
            }
        }
    }
}
