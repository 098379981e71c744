//! A deal's path through the pipeline: how long it dwells in each stage
//! (log-normal, long right tails), where it goes next (forward, sometimes
//! skipping a stage; sometimes back; lost at any stage; won only out of
//! negotiation) and where it stands at the as-of moment.

use crate::rng::Rng;
use crate::time::{working_moment, Instant, DAY, MINUTE};

/// Stage indexes into `org::STAGE_KEYS`.
pub const LEAD: usize = 0;
/// 初筛.
pub const QUALIFICATION: usize = 1;
/// 需求确认.
pub const NEEDS_CONFIRMED: usize = 2;
/// 方案演示.
pub const DEMO: usize = 3;
/// 报价.
pub const QUOTE: usize = 4;
/// 谈判.
pub const NEGOTIATION: usize = 5;
/// 签约.
pub const WON: usize = 6;
/// 输单.
pub const LOST: usize = 7;

/// Median days a deal spends in each open stage before it moves.
pub const MEDIAN_DWELL_DAYS: [f64; 6] = [2.5, 4.0, 6.0, 5.0, 7.0, 10.0];
/// Shape of the dwell distributions.
pub const DWELL_SIGMA: f64 = 0.9;
/// Chance of being lost when leaving each open stage before negotiation.
const LOSE: [f64; 5] = [0.20, 0.15, 0.10, 0.10, 0.10];
/// Chance of going back when leaving a stage after the lead stage.
const BACK: f64 = 0.07;
/// Out of negotiation: won, lost, else back.
const NEGOTIATION_WON: f64 = 0.62;
const NEGOTIATION_LOST: f64 = 0.28;
/// A deal goes back at most this often.
const MAX_BACKWARD: u32 = 2;

/// A deal entering a stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The stage (index into `org::STAGE_KEYS`).
    pub stage: usize,
    /// When.
    pub at: Instant,
}

/// Whether a stage index is one of the outcomes.
pub fn is_closed(stage: usize) -> bool {
    stage >= WON
}

/// The entries of a deal created at `created`, up to `as_of`: the first is
/// the lead stage at creation; the last is either an outcome or the stage
/// the deal is still in at `as_of`. Moves happen in office hours.
pub fn simulate_path(rng: &mut Rng, created: Instant, as_of: Instant) -> Vec<Entry> {
    let mut path = vec![Entry { stage: LEAD, at: created }];
    let mut backward = 0;
    while let Some(&Entry { stage: current, at: entered }) = path.last() {
        if is_closed(current) || path.len() >= 16 {
            break;
        }
        let dwell = rng.log_normal(MEDIAN_DWELL_DAYS[current] * DAY as f64, DWELL_SIGMA) as i64;
        let leave = working_moment(entered + dwell.max(30 * MINUTE), rng);
        if leave >= as_of {
            break;
        }
        let roll = rng.unit();
        let back = |rng: &mut Rng| {
            let steps = if current > QUALIFICATION && rng.chance(0.2) { 2 } else { 1 };
            current.saturating_sub(steps)
        };
        let next = if current == NEGOTIATION {
            if roll < NEGOTIATION_WON {
                WON
            } else if roll < NEGOTIATION_WON + NEGOTIATION_LOST || backward >= MAX_BACKWARD {
                LOST
            } else {
                backward += 1;
                back(rng)
            }
        } else if roll < LOSE[current] {
            LOST
        } else if current > LEAD && backward < MAX_BACKWARD && roll < LOSE[current] + BACK {
            backward += 1;
            back(rng)
        } else {
            let skip = if rng.chance(0.08) {
                1
            } else if rng.chance(0.02) {
                2
            } else {
                0
            };
            (current + 1 + skip).min(NEGOTIATION)
        };
        path.push(Entry { stage: next, at: leave });
    }
    path
}

/// Open stages strictly between two positions on a forward move (what the
/// application records as `forward_skips`), and whether a move goes back.
pub fn move_metrics(from: usize, to: usize) -> (i32, bool) {
    if is_closed(to) {
        (0, false)
    } else if to > from {
        ((to - from - 1) as i32, false)
    } else {
        (0, to < from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AS_OF: Instant = 1_800_000_000;

    #[test]
    fn paths_start_in_lead_move_forward_in_time_and_win_only_out_of_negotiation() {
        let mut rng = Rng::from_seed(4);
        let mut won = 0;
        let mut lost = 0;
        let mut open = 0;
        let mut skips = 0;
        let mut returns = 0;
        for index in 0..20_000 {
            let created = AS_OF - 400 * DAY + index * 1_700;
            let path = simulate_path(&mut rng, created, AS_OF);
            assert_eq!(path[0], Entry { stage: LEAD, at: created });
            for pair in path.windows(2) {
                assert!(pair[1].at > pair[0].at, "{path:?}");
                assert!(pair[1].at < AS_OF);
                assert_ne!(pair[0].stage, pair[1].stage);
                assert!(!is_closed(pair[0].stage));
                if pair[1].stage == WON {
                    assert_eq!(pair[0].stage, NEGOTIATION);
                }
                let (skipped, back) = move_metrics(pair[0].stage, pair[1].stage);
                skips += skipped;
                returns += i32::from(back);
            }
            match path.last().map(|entry| entry.stage) {
                Some(WON) => won += 1,
                Some(LOST) => lost += 1,
                _ => open += 1,
            }
        }
        // Most old deals are closed, some won, some skipped or returned.
        assert!(won > 2_000 && lost > won && open > 0, "won {won} lost {lost} open {open}");
        assert!(skips > 500 && returns > 500, "skips {skips} returns {returns}");
    }

    #[test]
    fn move_metrics_count_skipped_open_stages_and_returns() {
        assert_eq!(move_metrics(LEAD, QUALIFICATION), (0, false));
        assert_eq!(move_metrics(QUALIFICATION, DEMO), (1, false));
        assert_eq!(move_metrics(DEMO, QUALIFICATION), (0, true));
        assert_eq!(move_metrics(NEGOTIATION, WON), (0, false));
        assert_eq!(move_metrics(LEAD, LOST), (0, false));
    }
}
