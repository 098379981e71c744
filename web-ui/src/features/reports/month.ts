/** Months and figures of the monthly collection report (tested in month.test.ts). */
import i18n from '../../i18n';

/** `YYYY-MM`, the way the API names a month. */
export function isMonth(text: string | null | undefined): text is string {
  return !!text && /^\d{4}-(0[1-9]|1[0-2])$/.test(text);
}

/** The month `delta` months from `month` (`2026-01`, -1 → `2025-12`). */
export function shiftMonth(month: string, delta: number): string {
  const [year, monthNumber] = month.split('-').map(Number);
  const index = year * 12 + (monthNumber - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month before the one `now` is in (the device's calendar): the latest month that has ended. */
export function previousMonth(now = new Date()): string {
  return shiftMonth(`${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`, -1);
}

/** "2026年10月" / "October 2026". */
export function monthLabel(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}

/** A share the API gives in percent (56.25) as "56.3%"; none as a dash. */
export function formatSharePercent(percent: number | null | undefined): string {
  if (percent === null || percent === undefined) return '—';
  return `${Math.round(percent * 10) / 10}%`;
}

/** Average days to one decimal ("32.5"); none as a dash. */
export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  return String(Math.round(days * 10) / 10);
}

/** Actual − agreed days: how late (positive) or early (negative) an industry paid on average; null when either is missing. */
export function daysLate(agreed: number | null | undefined, actual: number | null | undefined): number | null {
  if (agreed === null || agreed === undefined || actual === null || actual === undefined) return null;
  return Math.round((actual - agreed) * 10) / 10;
}
