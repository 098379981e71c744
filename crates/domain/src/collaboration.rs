//! Collaboration health (C5): the pure arithmetic behind the per-department
//! (or per-kind) figures. The database counts and averages; the percentile
//! rank and the rates are defined here so both engines agree with one rule.
//!
//! **Percentile: nearest rank.** The p-th percentile of `n` ordered values is
//! the value at 1-based rank `ceil(p × n)` (at least 1), computed in `f64`
//! exactly as PostgreSQL's `percentile_disc` does; it is always one of the
//! values, never an interpolation. PostgreSQL evaluates it with
//! `percentile_disc(p) WITHIN GROUP (ORDER BY …)`; SQLite, which has no
//! ordered-set aggregates, with `ORDER BY … LIMIT 1 OFFSET rank − 1`.

/// The percentile reported for first-response times (p90).
pub const FIRST_RESPONSE_PERCENTILE: f64 = 0.9;

/// How collaboration health rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CollaborationGroupBy {
    /// By the department whose queue the ticket went to (TECH, DELIVERY, SALES, …).
    Department,
    /// By ticket kind (HANDOFF, TECH_ASSESSMENT, DELIVERY_CONFIRMATION, REQUIREMENT).
    Kind,
}

/// The 1-based nearest rank of the `percentile` (0 < p ≤ 1) among `count`
/// ordered values: `ceil(p × count)`, at least 1; `None` when there are none.
pub fn nearest_rank(percentile: f64, count: u64) -> Option<u64> {
    if count == 0 {
        return None;
    }
    let rank = (percentile * count as f64).ceil();
    // The clamp keeps out-of-range percentiles (and NaN, which casts to 0) inside the values.
    Some((rank as u64).clamp(1, count))
}

/// The nearest-rank `percentile` of `values` (in any order); `None` when empty.
/// The reference definition the SQL queries implement.
pub fn nearest_rank_percentile(values: &[i64], percentile: f64) -> Option<i64> {
    let rank = nearest_rank(percentile, values.len() as u64)?;
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    usize::try_from(rank - 1).ok().and_then(|index| sorted.get(index).copied())
}

/// `part / whole` as a share between 0 and 1; `None` when `whole` is zero
/// (no ticket to measure is not the same as 0 %).
pub fn share(part: i64, whole: i64) -> Option<f64> {
    if whole <= 0 {
        return None;
    }
    Some(part.clamp(0, whole) as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nearest_rank_is_the_ceiling_of_p_times_n() {
        assert_eq!(nearest_rank(0.9, 0), None);
        assert_eq!(nearest_rank(0.9, 1), Some(1));
        assert_eq!(nearest_rank(0.9, 3), Some(3));
        assert_eq!(nearest_rank(0.9, 10), Some(9));
        assert_eq!(nearest_rank(0.9, 11), Some(10));
        assert_eq!(nearest_rank(0.9, 20), Some(18));
        assert_eq!(nearest_rank(0.5, 4), Some(2));
        assert_eq!(nearest_rank(0.0, 4), Some(1));
        assert_eq!(nearest_rank(1.0, 4), Some(4));
    }

    #[test]
    fn p90_picks_a_value_never_interpolates() {
        assert_eq!(nearest_rank_percentile(&[], 0.9), None);
        assert_eq!(nearest_rank_percentile(&[150, 10, 60], 0.9), Some(150));
        assert_eq!(nearest_rank_percentile(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9), Some(9));
        assert_eq!(nearest_rank_percentile(&[30, 240], 0.9), Some(240));
        assert_eq!(nearest_rank_percentile(&[7], 0.9), Some(7));
    }

    #[test]
    fn shares_need_something_to_measure() {
        assert_eq!(share(0, 0), None);
        assert_eq!(share(1, 2), Some(0.5));
        assert_eq!(share(2, 3), Some(2.0 / 3.0));
        assert_eq!(share(3, 3), Some(1.0));
    }

    proptest! {
        #[test]
        fn percentile_lies_between_min_and_max(values in prop::collection::vec(-10_000i64..10_000, 1..200), percentile in 0.0f64..=1.0) {
            let value = nearest_rank_percentile(&values, percentile).expect("non-empty");
            let min = *values.iter().min().expect("non-empty");
            let max = *values.iter().max().expect("non-empty");
            prop_assert!(min <= value && value <= max);
            prop_assert!(values.contains(&value));
        }

        #[test]
        fn at_least_p_of_the_values_are_at_or_below_it_and_fewer_below(values in prop::collection::vec(0i64..1_000, 1..200)) {
            // The nearest-rank definition: the smallest value v such that at
            // least 90 % of the values are ≤ v.
            let value = nearest_rank_percentile(&values, FIRST_RESPONSE_PERCENTILE).expect("non-empty");
            let n = values.len() as f64;
            let at_or_below = values.iter().filter(|other| **other <= value).count() as f64;
            let below = values.iter().filter(|other| **other < value).count() as f64;
            prop_assert!(at_or_below >= FIRST_RESPONSE_PERCENTILE * n);
            prop_assert!(below < FIRST_RESPONSE_PERCENTILE * n);
        }

        #[test]
        fn float_rank_equals_the_exact_integer_ceiling(count in 1u64..10_000_000) {
            // What PostgreSQL computes in double precision equals ceil(9n / 10) exactly.
            prop_assert_eq!(nearest_rank(FIRST_RESPONSE_PERCENTILE, count), Some((9 * count).div_ceil(10)));
        }

        #[test]
        fn percentile_is_monotone_in_p(values in prop::collection::vec(0i64..1_000, 1..100), low in 0.0f64..=1.0, high in 0.0f64..=1.0) {
            let (low, high) = if low <= high { (low, high) } else { (high, low) };
            prop_assert!(nearest_rank_percentile(&values, low) <= nearest_rank_percentile(&values, high));
        }

        #[test]
        fn shares_stay_between_zero_and_one(part in 0i64..1_000, whole in 1i64..1_000) {
            let value = share(part, whole).expect("whole > 0");
            prop_assert!((0.0..=1.0).contains(&value));
        }
    }
}
