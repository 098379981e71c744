import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { daysLate, formatDays, formatSharePercent, isMonth, monthLabel, previousMonth, shiftMonth } from './month';

afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('report months', () => {
  it('knows a month as the API names it', () => {
    expect(isMonth('2026-10')).toBe(true);
    expect(isMonth('2026-13')).toBe(false);
    expect(isMonth('2026-1')).toBe(false);
    expect(isMonth('')).toBe(false);
    expect(isMonth(null)).toBe(false);
  });

  it('steps months across years', () => {
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2025-12', 1)).toBe('2026-01');
    expect(shiftMonth('2026-10', -13)).toBe('2025-09');
    expect(shiftMonth('2026-10', 0)).toBe('2026-10');
  });

  it('defaults to the month before the current one', () => {
    expect(previousMonth(new Date(2026, 10, 27, 21, 0))).toBe('2026-10');
    expect(previousMonth(new Date(2027, 0, 1, 0, 5))).toBe('2026-12');
  });

  it('names a month in the chosen language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(monthLabel('2026-10')).toBe('2026年10月');
    await i18n.changeLanguage('en');
    expect(monthLabel('2026-10')).toBe('October 2026');
  });

  it('shows shares and days to one decimal, and a dash for none', () => {
    expect(formatSharePercent(56.25)).toBe('56.3%');
    expect(formatSharePercent(40)).toBe('40%');
    expect(formatSharePercent(null)).toBe('—');
    expect(formatDays(32.45)).toBe('32.5');
    expect(formatDays(undefined)).toBe('—');
    expect(daysLate(19, 35)).toBe(16);
    expect(daysLate(30, 28.5)).toBe(-1.5);
    expect(daysLate(null, 3)).toBeNull();
  });
});
