/** Pure helpers of the risk-tier thresholds screen (tested in riskThresholds.test.ts). */
import type { UpdateRiskThresholdsInput } from '../../gql/graphql';
import i18n from '../receivables/i18n';
import type { ApiError } from '../../lib/errors';
import type { RiskThresholdsFieldsFragment } from './documents.generated';

/** The thresholds' inputs, in the order the form shows them. */
export const THRESHOLD_FIELDS = ['redCumulativeOverdueDays', 'redOverdueSharePercent', 'onTimeRatePercent', 'windowMonths', 'cumulativeWindowDays'] as const;
export type ThresholdField = (typeof THRESHOLD_FIELDS)[number];

/** Whole numbers (days, months); the other two are percentages sent as decimal strings. */
const WHOLE_NUMBER_FIELDS: readonly ThresholdField[] = ['redCumulativeOverdueDays', 'windowMonths', 'cumulativeWindowDays'];

/** The form's values: every input is text, as typed. */
export type ThresholdValues = Record<ThresholdField, string>;

/**
 * SPEC R4's defaults, shown beside each input so an admin can go back to
 * them (the API says only whether the org still uses them: `isDefault`).
 */
export const DEFAULT_THRESHOLDS: ThresholdValues = {
  redCumulativeOverdueDays: '15',
  redOverdueSharePercent: '10',
  onTimeRatePercent: '95',
  windowMonths: '6',
  cumulativeWindowDays: '365',
};

/** "10.00" → "10", "7.50" → "7.5": percentages as a person would type them. */
export function plainPercent(value: string): string {
  const number = Number(value);
  return Number.isFinite(number) && value.trim() !== '' ? String(number) : value;
}

/** The API's thresholds as form values. */
export function thresholdsToValues(thresholds: RiskThresholdsFieldsFragment): ThresholdValues {
  return {
    redCumulativeOverdueDays: String(thresholds.redCumulativeOverdueDays),
    redOverdueSharePercent: plainPercent(thresholds.redOverdueSharePercent),
    onTimeRatePercent: plainPercent(thresholds.onTimeRatePercent),
    windowMonths: String(thresholds.windowMonths),
    cumulativeWindowDays: String(thresholds.cumulativeWindowDays),
  };
}

/** One field the person changed: what it was and what it becomes. */
export interface ThresholdChange {
  field: ThresholdField;
  from: string;
  to: string;
}

/**
 * Form values → `updateRiskThresholds` input with only the changed fields
 * (the API keeps the others), the changes in words' order, and the inputs
 * that are not whole numbers where the API wants one (they cannot be sent:
 * the API would refuse the request before naming the field).
 */
export function thresholdInput(values: Partial<ThresholdValues>, current: ThresholdValues): { input: UpdateRiskThresholdsInput; changes: ThresholdChange[]; notWhole: ThresholdField[] } {
  const input: UpdateRiskThresholdsInput = {};
  const changes: ThresholdChange[] = [];
  const notWhole: ThresholdField[] = [];
  for (const field of THRESHOLD_FIELDS) {
    const text = (values[field] ?? '').trim();
    if (WHOLE_NUMBER_FIELDS.includes(field)) {
      if (!/^-?\d{1,9}$/.test(text)) {
        notWhole.push(field);
        continue;
      }
      const number = Number(text);
      if (String(number) === current[field]) continue;
      (input as Record<string, number>)[field] = number;
      changes.push({ field, from: current[field], to: String(number) });
    } else {
      // "10" and "10.0" are the same percentage; anything unreadable goes to the API, which names it.
      if (text !== '' && Number(text) === Number(current[field])) continue;
      (input as Record<string, string>)[field] = text;
      changes.push({ field, from: current[field], to: text });
    }
  }
  return { input, changes, notWhole };
}

/**
 * The server words threshold errors in English (`must be between 1 and
 * 120`, …); say them in the chosen language, or keep the server's words for
 * anything unforeseen.
 */
export function thresholdFieldReason(field: string, error: ApiError): string | undefined {
  const message = error.fieldMessages[field];
  if (!message) return undefined;
  const t = i18n.t.bind(i18n);
  let match: RegExpExecArray | null;
  if (/greater than 0 and at most 100/.test(message)) return t('thresholds.reason.percentRange');
  if ((match = /between (\d+) and (\d+)/.exec(message))) return t('thresholds.reason.range', { min: Number(match[1]), max: Number(match[2]) });
  if ((match = /at most (\d+) decimal places/.exec(message))) return t('thresholds.reason.decimals', { count: Number(match[1]) });
  if (/decimal number of percent/.test(message)) return t('thresholds.reason.percent');
  if (/must not be negative/.test(message)) return t('thresholds.reason.negative');
  return undefined;
}
