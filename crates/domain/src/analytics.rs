//! Org-wide pipeline analytics (B1 funnel, B2 bottleneck heatmap): the pure
//! parts — what the heatmap is grouped by and measures, how a median is
//! picked out of an ordered list, and which cells are the worst.
//!
//! The figures are aggregated by the database (`persistence::analytics`);
//! what is left here is arithmetic that must behave the same whichever
//! engine produced the inputs. The period rule, the conversion pairs and the
//! conversion rate are funnel health's (`crate::funnel`), so the two reports
//! define those figures once.
//!
//! **Median.** The median of `n` ordered values is the value at 1-based rank
//! `(n + 1) / 2` when `n` is odd and the mean of the values at ranks `n / 2`
//! and `n / 2 + 1` when it is even — [`crate::median`]'s rule, and what
//! PostgreSQL's `percentile_cont(0.5)` computes. In SQL without ordered-set
//! aggregates (SQLite) the middle rows are exactly those whose rank `r`
//! satisfies `2r ∈ {n, n + 1, n + 2}` ([`is_median_rank`]), evaluated over
//! `ROW_NUMBER()` and `COUNT(*)` windows.

/// What the heatmap's rows are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatmapDimension {
    /// The deal's customer's industry.
    Industry,
    /// The deal's customer's region.
    Region,
    /// The deal's product line.
    ProductLine,
}

/// What the heatmap's cells measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HeatmapMetric {
    /// Stage-to-stage conversion: a share between 0 and 1; lower is worse.
    Conversion,
    /// Median dwell in the stage, in hours; longer is worse.
    Dwell,
}

impl HeatmapMetric {
    /// Whether `a` is strictly worse than `b` for this metric.
    pub fn is_worse(self, a: f64, b: f64) -> bool {
        match self {
            HeatmapMetric::Conversion => a < b,
            HeatmapMetric::Dwell => a > b,
        }
    }
}

/// The default least number of observations (deals entering a stage, or
/// stays ending in it) a heatmap cell needs to be ranked at all, so one
/// unlucky deal does not paint a row red.
pub const DEFAULT_MIN_SAMPLE: i64 = 5;

/// Whether the 1-based `rank` is one of the middle ranks of `count` ordered
/// values (one for an odd count, two for an even one); see the module docs.
pub fn is_median_rank(rank: u64, count: u64) -> bool {
    let twice = rank.saturating_mul(2);
    count > 0 && rank >= 1 && rank <= count && (twice == count || twice == count + 1 || twice == count + 2)
}

/// A heatmap cell as ranking sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellInput {
    /// The measured value; `None` when there was nothing to measure.
    pub value: Option<f64>,
    /// How many observations the value is taken over.
    pub sample: i64,
}

/// A cell's standing within its column (stage).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellRank {
    /// 1 for the worst ranked cell of the column, 2 for the next, …; equal
    /// values share a rank and the next rank skips (1, 1, 3).  `None` for a
    /// cell without a value or with fewer than the minimum observations.
    pub rank: Option<u32>,
    /// Whether the cell is a bottleneck to stand out: the worst value of a
    /// column in which at least two cells are ranked and not all are equal.
    pub worst: bool,
}

/// Ranks the cells of one column (one stage across the heatmap's rows) from
/// worst to best for `metric`. Only cells with a finite value over at least
/// `min_sample` observations take part.
pub fn rank_column(cells: &[CellInput], metric: HeatmapMetric, min_sample: i64) -> Vec<CellRank> {
    let ranked: Vec<Option<f64>> = cells
        .iter()
        .map(|cell| cell.value.filter(|value| value.is_finite() && cell.sample >= min_sample.max(1)))
        .collect();
    let values: Vec<f64> = ranked.iter().flatten().copied().collect();
    let best = values.iter().copied().reduce(|a, b| if metric.is_worse(a, b) { b } else { a });
    let worst = values.iter().copied().reduce(|a, b| if metric.is_worse(b, a) { b } else { a });
    let distinct = matches!((best, worst), (Some(best), Some(worst)) if metric.is_worse(worst, best));
    ranked
        .iter()
        .map(|value| match value {
            None => CellRank { rank: None, worst: false },
            Some(value) => {
                let above = values.iter().filter(|other| metric.is_worse(**other, *value)).count();
                let rank = u32::try_from(above + 1).unwrap_or(u32::MAX);
                CellRank {
                    rank: Some(rank),
                    worst: distinct && rank == 1,
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn cell(value: f64, sample: i64) -> CellInput {
        CellInput { value: Some(value), sample }
    }

    const EMPTY: CellInput = CellInput { value: None, sample: 0 };

    fn ranks(cells: &[CellInput], metric: HeatmapMetric, min_sample: i64) -> Vec<(Option<u32>, bool)> {
        rank_column(cells, metric, min_sample).into_iter().map(|rank| (rank.rank, rank.worst)).collect()
    }

    #[test]
    fn median_ranks() {
        assert!(!is_median_rank(1, 0));
        assert!(is_median_rank(1, 1));
        assert_eq!((1..=2).filter(|rank| is_median_rank(*rank, 2)).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!((1..=3).filter(|rank| is_median_rank(*rank, 3)).collect::<Vec<_>>(), vec![2]);
        assert_eq!((1..=4).filter(|rank| is_median_rank(*rank, 4)).collect::<Vec<_>>(), vec![2, 3]);
        assert_eq!((1..=7).filter(|rank| is_median_rank(*rank, 7)).collect::<Vec<_>>(), vec![4]);
        assert!(!is_median_rank(0, 2));
        assert!(!is_median_rank(3, 2));
    }

    #[test]
    fn lowest_conversion_is_worst() {
        let cells = [cell(0.5, 10), cell(0.2, 10), EMPTY, cell(0.9, 10)];
        assert_eq!(
            ranks(&cells, HeatmapMetric::Conversion, 5),
            vec![(Some(2), false), (Some(1), true), (None, false), (Some(3), false)]
        );
    }

    #[test]
    fn longest_dwell_is_worst() {
        let cells = [cell(12.0, 6), cell(48.0, 6), cell(30.0, 6)];
        assert_eq!(ranks(&cells, HeatmapMetric::Dwell, 5), vec![(Some(3), false), (Some(1), true), (Some(2), false)]);
    }

    #[test]
    fn small_samples_are_not_ranked() {
        let cells = [cell(0.0, 1), cell(0.4, 5), cell(0.6, 8)];
        assert_eq!(ranks(&cells, HeatmapMetric::Conversion, 5), vec![(None, false), (Some(1), true), (Some(2), false)]);
        assert_eq!(ranks(&cells, HeatmapMetric::Conversion, 1)[0], (Some(1), true));
        // A minimum below one still needs one observation.
        assert_eq!(ranks(&[cell(0.0, 0), cell(1.0, 3)], HeatmapMetric::Conversion, 0)[0], (None, false));
    }

    #[test]
    fn ties_share_a_rank() {
        let cells = [cell(0.25, 9), cell(0.5, 9), cell(0.25, 9)];
        assert_eq!(ranks(&cells, HeatmapMetric::Conversion, 1), vec![(Some(1), true), (Some(3), false), (Some(1), true)]);
    }

    #[test]
    fn a_lone_or_uniform_column_has_no_worst_cell() {
        assert_eq!(ranks(&[cell(0.1, 9), EMPTY], HeatmapMetric::Conversion, 1), vec![(Some(1), false), (None, false)]);
        assert_eq!(ranks(&[cell(3.0, 9), cell(3.0, 9)], HeatmapMetric::Dwell, 1), vec![(Some(1), false), (Some(1), false)]);
        assert!(rank_column(&[], HeatmapMetric::Dwell, 1).is_empty());
    }

    #[test]
    fn non_finite_values_are_not_ranked() {
        assert_eq!(ranks(&[cell(f64::NAN, 9), cell(1.0, 9), cell(2.0, 9)], HeatmapMetric::Dwell, 1), vec![(None, false), (Some(2), false), (Some(1), true)]);
    }

    proptest! {
        #[test]
        fn median_ranks_pick_the_median(values in prop::collection::vec(-1e6f64..1e6, 1..30)) {
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let count = sorted.len() as u64;
            let middle: Vec<f64> = sorted.iter().enumerate().filter(|(i, _)| is_median_rank(*i as u64 + 1, count)).map(|(_, value)| *value).collect();
            prop_assert!(middle.len() == 1 || middle.len() == 2);
            let mean = middle.iter().sum::<f64>() / middle.len() as f64;
            let mut copy = values.clone();
            let expected = crate::median(&mut copy).unwrap();
            prop_assert!((mean - expected).abs() <= 1e-9 * expected.abs().max(1.0));
        }

        #[test]
        fn the_worst_cell_is_never_better_than_another(values in prop::collection::vec(prop::option::of(0.0f64..1.0), 0..12), samples in prop::collection::vec(0i64..10, 12)) {
            let cells: Vec<CellInput> = values.iter().zip(&samples).map(|(value, sample)| CellInput { value: *value, sample: *sample }).collect();
            for metric in [HeatmapMetric::Conversion, HeatmapMetric::Dwell] {
                let result = rank_column(&cells, metric, 3);
                prop_assert_eq!(result.len(), cells.len());
                for (i, rank) in result.iter().enumerate() {
                    prop_assert_eq!(rank.rank.is_some(), cells[i].value.is_some() && cells[i].sample >= 3);
                    if rank.worst {
                        prop_assert_eq!(rank.rank, Some(1));
                        let worst = cells[i].value.unwrap();
                        for (j, other) in result.iter().enumerate() {
                            if other.rank.is_some() {
                                prop_assert!(!metric.is_worse(cells[j].value.unwrap(), worst));
                            }
                        }
                    }
                }
            }
        }
    }
}
