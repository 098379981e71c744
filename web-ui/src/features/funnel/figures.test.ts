import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { compareToMedian, countRows, formatCount, formatHours, formatRate, medianText, overallConversion, overallDwell, parsePeriod, periodRange, type Figures } from './figures';
import { teamMembers } from './team';

afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

const figures: Figures = {
  userId: 'u1',
  from: '2025-03-03T00:00:00Z',
  to: '2025-03-10T00:00:00Z',
  asOf: '2025-03-10T00:00:00Z',
  user: { id: 'u1', name: '李娜' },
  team: [],
  stageDwell: [
    { stage: 'LEAD', averageHours: 10, teamMedianHours: 12, exits: 3 },
    { stage: 'DEMO', averageHours: 50, teamMedianHours: null, exits: 1 },
    { stage: 'NEGOTIATION', averageHours: null, teamMedianHours: 30, exits: 0 },
  ],
  forwardSkips: { value: 2, teamMedian: 0.5 },
  backwardMoves: { value: 0, teamMedian: 1 },
  stuckDeals: { value: 3, teamMedian: 3 },
  overdueFollowUps: { value: 1, teamMedian: null },
  conversion: [
    { fromStage: 'LEAD', toStage: 'QUALIFICATION', entered: 4, advanced: 3, rate: 0.75, teamMedianRate: 0.5 },
    { fromStage: 'QUALIFICATION', toStage: 'DEMO', entered: 0, advanced: 0, rate: null, teamMedianRate: 0.4 },
    { fromStage: 'DEMO', toStage: 'WON', entered: 2, advanced: 0, rate: 0, teamMedianRate: null },
  ],
};

describe('funnel figure formatting', () => {
  it('shows counts and medians of counts as whole numbers or one decimal, none as a dash', () => {
    expect(formatCount(2)).toBe('2');
    expect(formatCount(0)).toBe('0');
    expect(formatCount(1.5)).toBe('1.5');
    expect(formatCount(2.04)).toBe('2');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(undefined)).toBe('—');
  });

  it('shows rates as whole percentages', () => {
    expect(formatRate(0.75)).toBe('75%');
    expect(formatRate(2 / 3)).toBe('67%');
    expect(formatRate(0)).toBe('0%');
    expect(formatRate(1)).toBe('100%');
    expect(formatRate(null)).toBe('—');
  });

  it('shows dwell hours in the chosen language', async () => {
    await i18n.changeLanguage('zh-CN');
    expect(formatHours(50)).toBe('2天2小时');
    expect(formatHours(5.5)).toBe('5小时');
    expect(formatHours(0)).toBe('0小时');
    expect(formatHours(null)).toBe('—');
    await i18n.changeLanguage('en');
    expect(formatHours(50)).toBe('2d 2h');
  });

  it('puts the team median beside each count, saying so when there is none', async () => {
    await i18n.changeLanguage('zh-CN');
    const rows = countRows(figures);
    expect(rows.map((row) => [row.key, row.valueText, row.medianText, row.comparison])).toEqual([
      ['forwardSkips', '2', '团队中位数 0.5', 'worse'],
      ['backwardMoves', '0', '团队中位数 1', 'better'],
      ['stuckDeals', '3', '团队中位数 3', 'even'],
      ['overdueFollowUps', '1', '团队中位数 —', 'none'],
    ]);
    await i18n.changeLanguage('en');
    expect(medianText('1.5')).toBe('Team median 1.5');
    expect(medianText(null)).toBe('Team median —');
  });

  it('compares with the median in the direction that is better', () => {
    expect(compareToMedian(10, 12, true)).toBe('better');
    expect(compareToMedian(0.75, 0.5, false)).toBe('better');
    expect(compareToMedian(0.3, 0.5, false)).toBe('worse');
    expect(compareToMedian(0.52, 0.5, false)).toBe('even');
    expect(compareToMedian(0, 0, true)).toBe('even');
    expect(compareToMedian(null, 3, true)).toBe('none');
    expect(compareToMedian(3, null, true)).toBe('none');
  });

  it('sums conversion and weighs dwell by exits for the team view', () => {
    expect(overallConversion(figures)).toBeCloseTo(3 / 6);
    expect(overallDwell(figures)).toBeCloseTo((10 * 3 + 50) / 4);
    expect(overallConversion({ ...figures, conversion: [] })).toBeNull();
    expect(overallDwell({ ...figures, stageDwell: [] })).toBeNull();
  });
});

describe('funnel periods', () => {
  it('starts this week on Monday at local midnight and ends at the next minute', () => {
    const now = new Date(2025, 2, 13, 15, 42, 10); // a Thursday
    const { from, to } = periodRange('week', now);
    expect(new Date(from)).toEqual(new Date(2025, 2, 10, 0, 0, 0));
    expect(new Date(to)).toEqual(new Date(2025, 2, 13, 15, 43, 0));
    const sunday = periodRange('week', new Date(2025, 2, 16, 9, 0, 0));
    expect(new Date(sunday.from)).toEqual(new Date(2025, 2, 10, 0, 0, 0));
  });

  it('rolls back 7 or 30 days', () => {
    const now = new Date(2025, 2, 13, 15, 42, 10);
    const seven = periodRange('7d', now);
    expect(Date.parse(seven.to) - Date.parse(seven.from)).toBe(7 * 24 * 3600_000);
    const thirty = periodRange('30d', now);
    expect(Date.parse(thirty.to) - Date.parse(thirty.from)).toBe(30 * 24 * 3600_000);
  });

  it('reads the period from the URL, this week by default', () => {
    expect(parsePeriod('30d')).toBe('30d');
    expect(parsePeriod('7d')).toBe('7d');
    expect(parsePeriod(null)).toBe('week');
    expect(parsePeriod('year')).toBe('week');
  });
});

describe('team members', () => {
  const people = {
    users: [
      { id: 'm', name: '王经理', role: 'MANAGER' as const, active: true, team: null, manager: null },
      { id: 'r2', name: '张伟', role: 'REP' as const, active: true, team: { id: 't1' }, manager: null },
      { id: 'r1', name: '李娜', role: 'REP' as const, active: true, team: null, manager: { id: 'm' } },
      { id: 'r3', name: '刘洋', role: 'REP' as const, active: false, team: { id: 't1' }, manager: { id: 'm' } },
      { id: 'x', name: '其他', role: 'REP' as const, active: true, team: { id: 't2' }, manager: { id: 'other' } },
    ],
    teams: [
      { id: 't1', name: '一组', manager: { id: 'm' } },
      { id: 't2', name: '二组', manager: { id: 'other' } },
    ],
  };

  it("lists the active people of the manager's teams and direct reports", () => {
    expect(teamMembers(people, { id: 'm', role: 'MANAGER' }).map((user) => user.id).sort()).toEqual(['r1', 'r2']);
  });

  it('lists every active rep to an admin', () => {
    expect(teamMembers(people, { id: 'a', role: 'ADMIN' }).map((user) => user.id).sort()).toEqual(['r1', 'r2', 'x']);
  });
});
