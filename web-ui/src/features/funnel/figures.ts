/**
 * The funnel health figures (E6) as people read them: the period asked
 * about, each figure beside the team median, and whether it is better or
 * worse than the team.
 */
import type { FunnelFiguresFragment } from './documents.generated';
import i18n from '../../i18n';
import { formatDwell } from '../../lib/format';

export type Figures = FunnelFiguresFragment;

export const PERIODS = ['week', '7d', '30d'] as const;
export type Period = (typeof PERIODS)[number];

export function parsePeriod(value: string | null | undefined): Period {
  return PERIODS.includes(value as Period) ? (value as Period) : 'week';
}

/**
 * `[from, to)` for a period ending now: this week starts Monday 00:00 local
 * time; the others are rolling. `to` is rounded up to the next minute so a
 * screen asks the same question while it stays open.
 */
export function periodRange(period: Period, now = new Date()): { from: string; to: string } {
  const to = new Date(now);
  to.setSeconds(0, 0);
  to.setMinutes(to.getMinutes() + 1);
  const from = new Date(now);
  if (period === 'week') {
    from.setHours(0, 0, 0, 0);
    const sinceMonday = (from.getDay() + 6) % 7;
    from.setDate(from.getDate() - sinceMonday);
  } else {
    from.setTime(to.getTime() - (period === '7d' ? 7 : 30) * 24 * 3600_000);
  }
  return { from: from.toISOString(), to: to.toISOString() };
}

/** A count or a median of counts: whole numbers plain, halves with one decimal, none as a dash. */
export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1);
}

/** A rate between 0 and 1 as a whole percentage. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || Number.isNaN(rate)) return '—';
  return `${Math.round(rate * 100)}%`;
}

/** Hours of dwell as "3天4小时" / "3d 4h"; none as a dash. */
export function formatHours(hours: number | null | undefined): string {
  if (hours === null || hours === undefined || Number.isNaN(hours)) return '—';
  if (hours === 0) return i18n.t('time.hours', { hours: 0 });
  return formatDwell(hours);
}

/** "团队中位数 1.5" / "Team median 1.5"; without a team to compare with, says so. */
export function medianText(formatted: string | null): string {
  return formatted === null || formatted === '—' ? i18n.t('funnel.noMedian') : i18n.t('funnel.teamMedian', { value: formatted });
}

export type Comparison = 'better' | 'worse' | 'even' | 'none';

/**
 * How the person's value stands against the team median. Within 10 % of the
 * median (or equal counts) is "even"; no median or no value is "none".
 */
export function compareToMedian(value: number | null | undefined, median: number | null | undefined, lowerIsBetter: boolean): Comparison {
  if (value === null || value === undefined || median === null || median === undefined) return 'none';
  const margin = Math.max(Math.abs(median) * 0.1, 1e-9);
  if (Math.abs(value - median) <= margin) return 'even';
  const lower = value < median;
  return lower === lowerIsBetter ? 'better' : 'worse';
}

/** The four counted figures, in the report's order, then overdue follow-ups. */
export const COUNT_FIGURES = ['forwardSkips', 'backwardMoves', 'stuckDeals', 'overdueFollowUps'] as const;
export type CountFigure = (typeof COUNT_FIGURES)[number];

export interface CountRow {
  key: CountFigure;
  value: number;
  median: number | null;
  valueText: string;
  medianText: string;
  comparison: Comparison;
}

/** Every counted figure with its display text (fewer is better for all of them). */
export function countRows(figures: Figures): CountRow[] {
  return COUNT_FIGURES.map((key) => {
    const { value, teamMedian } = figures[key];
    const median = teamMedian ?? null;
    return {
      key,
      value,
      median,
      valueText: formatCount(value),
      medianText: medianText(median === null ? null : formatCount(median)),
      comparison: compareToMedian(value, median, true),
    };
  });
}

/** Overall conversion over all stage pairs: advanced / entered (null when nothing entered). */
export function overallConversion(figures: Figures): number | null {
  const entered = figures.conversion.reduce((sum, row) => sum + row.entered, 0);
  const advanced = figures.conversion.reduce((sum, row) => sum + row.advanced, 0);
  return entered === 0 ? null : advanced / entered;
}

/** Mean dwell over all exits of the period, weighted by exits (null without exits). */
export function overallDwell(figures: Figures): number | null {
  let exits = 0;
  let hours = 0;
  for (const row of figures.stageDwell) {
    if (row.averageHours === null || row.averageHours === undefined || row.exits === 0) continue;
    exits += row.exits;
    hours += row.averageHours * row.exits;
  }
  return exits === 0 ? null : hours / exits;
}
