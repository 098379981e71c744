import { afterAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { apiErrorFrom } from '../../lib/errors';
import type { RiskThresholdsFieldsFragment } from './documents.generated';
import { DEFAULT_THRESHOLDS, plainPercent, thresholdFieldReason, thresholdInput, thresholdsToValues } from './riskThresholds';

afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

const API_DEFAULTS: RiskThresholdsFieldsFragment = {
  redCumulativeOverdueDays: 15,
  redOverdueSharePercent: '10.00',
  onTimeRatePercent: '95.00',
  windowMonths: 6,
  cumulativeWindowDays: 365,
  isDefault: true,
  tiersRecomputed: true,
  updatedAt: null,
  updatedBy: null,
};

describe('risk thresholds form', () => {
  it('shows percentages as typed, and the defaults match the API', () => {
    expect(plainPercent('10.00')).toBe('10');
    expect(plainPercent('7.50')).toBe('7.5');
    expect(plainPercent('abc')).toBe('abc');
    expect(thresholdsToValues(API_DEFAULTS)).toEqual(DEFAULT_THRESHOLDS);
  });

  it('sends only what changed, numbers as numbers and percentages as text', () => {
    const current = thresholdsToValues(API_DEFAULTS);
    expect(thresholdInput({ ...current }, current)).toEqual({ input: {}, changes: [], notWhole: [] });
    // "10.0" is the same percentage as "10"; spaces do not count.
    expect(thresholdInput({ ...current, redOverdueSharePercent: '10.0', windowMonths: ' 6 ' }, current).changes).toEqual([]);
    expect(thresholdInput({ ...current, redCumulativeOverdueDays: '30', onTimeRatePercent: '90.5' }, current)).toEqual({
      input: { redCumulativeOverdueDays: 30, onTimeRatePercent: '90.5' },
      changes: [
        { field: 'redCumulativeOverdueDays', from: '15', to: '30' },
        { field: 'onTimeRatePercent', from: '95', to: '90.5' },
      ],
      notWhole: [],
    });
    // Out-of-range values go to the server, which names them; percentages it cannot read too.
    expect(thresholdInput({ ...current, redOverdueSharePercent: '150', windowMonths: '-1' }, current).input).toEqual({ redOverdueSharePercent: '150', windowMonths: -1 });
    expect(thresholdInput({ ...current, onTimeRatePercent: 'abc' }, current).input).toEqual({ onTimeRatePercent: 'abc' });
    // Days and months must be whole numbers before anything is sent.
    expect(thresholdInput({ ...current, windowMonths: '6.5', cumulativeWindowDays: '' }, current).notWhole).toEqual(['windowMonths', 'cumulativeWindowDays']);
  });

  for (const [language, expected] of [
    ['zh-CN', ['须大于 0 且不超过 100', '须在 1 到 120 之间', '最多 2 位小数', '请填写百分数，如 10 或 9.5', '不能为负数']],
    ['en', ['Must be more than 0 and at most 100', 'Must be between 1 and 120', 'At most 2 decimal places', 'Enter a percentage such as 10 or 9.5', 'Must not be negative']],
  ] as const) {
    it(`words the server's reasons (${language})`, async () => {
      await i18n.changeLanguage(language);
      const reason = (field: string, message: string) =>
        thresholdFieldReason(field, apiErrorFrom({ message: `invalid input: ${field}: ${message}`, extensions: { code: 'BAD_INPUT', fields: [`input.${field}`] } }));
      expect([
        reason('redOverdueSharePercent', 'must be greater than 0 and at most 100'),
        reason('windowMonths', 'must be between 1 and 120'),
        reason('onTimeRatePercent', 'must have at most 2 decimal places'),
        reason('onTimeRatePercent', 'must be a decimal number of percent such as 10 or 9.5'),
        reason('redCumulativeOverdueDays', 'must not be negative'),
      ]).toEqual(expected);
      expect(reason('windowMonths', 'something new')).toBeUndefined();
    });
  }
});
