//! Pipeline metrics derived from recorded stage transitions (never typed in by users).

use chrono::{DateTime, Duration, Utc};

use crate::StageKey;

/// One recorded stage move of a deal, as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransitionRecord {
    /// Stage left; `None` for the deal's creation.
    pub from: Option<StageKey>,
    /// Stage entered.
    pub to: StageKey,
    /// When the move happened.
    pub at: DateTime<Utc>,
    /// Open stages jumped over (see [`crate::TransitionPlan`]).
    pub forward_skips: u32,
    /// Whether the move went back to an earlier open stage.
    pub backward: bool,
}

/// Total time a deal spent in one stage, over all its visits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageDwell {
    /// The stage.
    pub stage: StageKey,
    /// Sum of all stays.
    pub total: Duration,
    /// How many times the deal entered the stage.
    pub visits: u32,
}

/// Time spent in each stage, in order of first entry; the current stage counts up to `now`. Records must be sorted by `at`.
///
/// Time before the first record is unknown and not counted. If `now` is
/// earlier than the last record, the current stay counts as zero.
pub fn stage_dwells(records: &[TransitionRecord], now: DateTime<Utc>) -> Vec<StageDwell> {
    let mut dwells: Vec<StageDwell> = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let until = records.get(i + 1).map_or(now, |next| next.at);
        let stay = (until - record.at).max(Duration::zero());
        match dwells.iter_mut().find(|d| d.stage == record.to) {
            Some(d) => {
                d.total += stay;
                d.visits += 1;
            }
            None => dwells.push(StageDwell {
                stage: record.to.clone(),
                total: stay,
                visits: 1,
            }),
        }
    }
    dwells
}

/// How irregular a deal's path through the pipeline was.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PathStats {
    /// Total open stages skipped over by forward moves.
    pub forward_skips: u32,
    /// Number of moves back to an earlier stage.
    pub backward_moves: u32,
}

/// Sums the path metrics over a deal's transitions.
pub fn path_stats(records: &[TransitionRecord]) -> PathStats {
    records
        .iter()
        .fold(PathStats::default(), |acc, r| PathStats {
            forward_skips: acc.forward_skips.saturating_add(r.forward_skips),
            backward_moves: acc.backward_moves.saturating_add(u32::from(r.backward)),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
    }

    fn rec(
        from: Option<&str>,
        to: &str,
        hours: i64,
        skips: u32,
        backward: bool,
    ) -> TransitionRecord {
        TransitionRecord {
            from: from.map(|s| StageKey::parse(s).unwrap()),
            to: StageKey::parse(to).unwrap(),
            at: t0() + Duration::hours(hours),
            forward_skips: skips,
            backward,
        }
    }

    fn history() -> Vec<TransitionRecord> {
        vec![
            rec(None, "LEAD", 0, 0, false),
            rec(Some("LEAD"), "DEMO", 10, 2, false),
            rec(Some("DEMO"), "LEAD", 15, 0, true),
            rec(Some("LEAD"), "DEMO", 20, 2, false),
        ]
    }

    #[test]
    fn dwells_accumulate_revisits() {
        let dwells = stage_dwells(&history(), t0() + Duration::hours(30));
        assert_eq!(
            dwells,
            vec![
                StageDwell {
                    stage: StageKey::lead(),
                    total: Duration::hours(15),
                    visits: 2
                },
                StageDwell {
                    stage: StageKey::parse("DEMO").unwrap(),
                    total: Duration::hours(15),
                    visits: 2
                },
            ]
        );
    }

    #[test]
    fn now_before_last_record_counts_zero() {
        let dwells = stage_dwells(&history(), t0());
        assert_eq!(dwells[1].total, Duration::hours(5));
    }

    #[test]
    fn empty_history() {
        assert!(stage_dwells(&[], t0()).is_empty());
        assert_eq!(path_stats(&[]), PathStats::default());
    }

    #[test]
    fn path_stats_sum() {
        assert_eq!(
            path_stats(&history()),
            PathStats {
                forward_skips: 4,
                backward_moves: 1
            }
        );
    }

    proptest! {
        #[test]
        fn dwell_totals_cover_whole_history(
            steps in proptest::collection::vec((0usize..4, 0i64..100_000), 1..20),
            tail in 0i64..100_000,
        ) {
            let keys = ["LEAD", "DEMO", "QUOTE", "WON"];
            let mut at = t0();
            let mut records = Vec::new();
            for (k, gap) in steps {
                at += Duration::seconds(gap);
                records.push(TransitionRecord {
                    from: None,
                    to: StageKey::parse(keys[k]).unwrap(),
                    at,
                    forward_skips: 0,
                    backward: false,
                });
            }
            let now = at + Duration::seconds(tail);
            let total: Duration = stage_dwells(&records, now).iter().map(|d| d.total).sum();
            prop_assert_eq!(total, now - records[0].at);
            let visits: u32 = stage_dwells(&records, now).iter().map(|d| d.visits).sum();
            prop_assert_eq!(visits as usize, records.len());
        }
    }
}
