/** Pure helpers of the contract and receivables screens (tested in logic.test.ts). */
import type { ImportPaymentsMutation } from './documents.generated';

/** "1200.5" → 120050 cents; null when it is not a decimal with at most two places. */
export function toCents(value: string | null | undefined): number | null {
  const text = (value ?? '').trim().replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 120050 → "1200.50". */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface InstalmentRow {
  dueDate: string;
  amount: string;
}

export interface InstalmentSum {
  /** Sum of the rows' valid amounts, in cents. */
  sumCents: number;
  /** Contract amount in cents (null when not a valid amount). */
  totalCents: number | null;
  /** Contract amount minus the sum: what is left to plan (negative: too much). */
  remainingCents: number | null;
  /** Indexes of rows whose amount is not a valid positive decimal. */
  badAmounts: number[];
  /** Indexes of rows without a due date. */
  missingDates: number[];
  /** Whether the plan can be sent: every row valid and the sum equals the amount. */
  matches: boolean;
}

/** The running sum of an instalment plan against the contract amount. */
export function instalmentSum(total: string, rows: readonly InstalmentRow[]): InstalmentSum {
  const totalCents = toCents(total);
  let sumCents = 0;
  const badAmounts: number[] = [];
  const missingDates: number[] = [];
  rows.forEach((row, index) => {
    const cents = toCents(row.amount);
    if (cents === null || cents === 0) badAmounts.push(index);
    else sumCents += cents;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.dueDate)) missingDates.push(index);
  });
  const remainingCents = totalCents === null ? null : totalCents - sumCents;
  const matches = totalCents !== null && totalCents > 0 && rows.length > 0 && badAmounts.length === 0 && missingDates.length === 0 && remainingCents === 0;
  return { sumCents, totalCents, remainingCents, badAmounts, missingDates, matches };
}

/** Splits an amount into `count` rows a month apart from `firstDue`; the last row takes the rounding. */
export function evenPlan(total: string, count: number, firstDue: string): InstalmentRow[] {
  const cents = toCents(total);
  if (cents === null || count < 1) return [];
  const each = Math.floor(cents / count);
  return Array.from({ length: count }, (_, index) => ({
    dueDate: addMonths(firstDue, index),
    amount: fromCents(index === count - 1 ? cents - each * (count - 1) : each),
  }));
}

/** `YYYY-MM-DD` plus whole months (clamped to the month's last day); '' stays ''. */
export function addMonths(date: string, months: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return '';
  const year = Number(match[1]);
  const month = Number(match[2]) - 1 + months;
  const target = new Date(Date.UTC(year, month, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(Number(match[3]), last));
  return target.toISOString().slice(0, 10);
}

/** The three months before `today`'s month, newest first, as `YYYY-MM` (what the check asks statements for). */
export function statementMonths(today: Date): string[] {
  return [1, 2, 3].map((back) => {
    const date = new Date(Date.UTC(today.getFullYear(), today.getMonth() - back, 1));
    return date.toISOString().slice(0, 7);
  });
}

/** A payment-check reason as an i18n key with its values; unknown wording is shown as sent. */
export function reasonKey(reason: string): { key: string; values: Record<string, string> } | null {
  let match = /^no bank statement or credit proof for (\d{4}-\d{2})$/.exec(reason);
  if (match) return { key: 'contract.reason.statementMissing', values: { month: match[1] } };
  if (/no unified social credit code/.test(reason)) return { key: 'contract.reason.noCreditCode', values: {} };
  match = /^registry check failed: (.*)$/.exec(reason);
  if (match) return { key: 'contract.reason.registryFailed', values: { error: match[1] } };
  if (/registry status is unknown/.test(reason)) return { key: 'contract.reason.registryUnknown', values: {} };
  match = /^the registry reports the company as (\w+)$/.exec(reason);
  if (match) return { key: 'contract.reason.registryStatus', values: { status: match[1] } };
  if (/payment terms need legal review/.test(reason)) return { key: 'contract.reason.legalReview', values: {} };
  return null;
}

export type ContractAction = 'check' | 'submit' | 'approve' | 'reject' | 'legal';

/** The steps a viewer with `role` may take on a contract in `status` (the server has the last word). */
export function contractActions(
  contract: { status: string; legalConfirmedAt?: string | null },
  role: string,
): ContractAction[] {
  const actions: ContractAction[] = [];
  const open = contract.status === 'DRAFT' || contract.status === 'REJECTED';
  const isRep = role === 'REP' || role === 'MANAGER' || role === 'ADMIN';
  if (open || contract.status === 'SUBMITTED') actions.push('check');
  if (open && isRep) actions.push('submit');
  if (contract.status === 'SUBMITTED' && (role === 'MANAGER' || role === 'FINANCE' || role === 'ADMIN')) actions.push('approve', 'reject');
  if (role === 'LEGAL' && !contract.legalConfirmedAt && contract.status !== 'APPROVED') actions.push('legal');
  return actions;
}

/** What `importPayments` answers: the counts and every bad row. */
export type ImportReport = ImportPaymentsMutation['importPayments'];

/** One bad row of an import. */
export type ImportRowError = ImportReport['errors'][number];

/** Whether a dry-run report allows the "apply" step: rows to record and no bad one. */
export function canApply(report: ImportReport | null): boolean {
  return !!report && report.dryRun && report.rows > 0 && report.errors.length === 0;
}

/** Money as the tier rules write it ("500.00 CNY"). */
type MoneyText = { amount: string; currency: string };

/**
 * A risk-tier reason (the domain's `risk_tier` wording) as an i18n key with
 * its values, amounts through `money`; unknown wording is shown as sent.
 */
export function riskReasonKey(
  reason: string,
  money: (value: MoneyText) => string = (value) => `${value.amount} ${value.currency}`,
): { key: string; values: Record<string, string> } | null {
  if (reason === 'litigation or arbitration is flagged') return { key: 'risk.reason.litigation', values: {} };
  if (reason === 'nothing is overdue') return { key: 'risk.reason.nothingOverdue', values: {} };
  let match = /^(\d+) receivable\(s\) overdue, the longest by (\d+) days$/.exec(reason);
  if (match) return { key: 'risk.reason.overdue', values: { count: match[1], days: match[2] } };
  match = /^cumulative overdue days (\d+) in the last (\d+) days exceed (\d+)$/.exec(reason);
  if (match) return { key: 'risk.reason.cumulative', values: { days: match[1], window: match[2], limit: match[3] } };
  match = /^overdue amount (-?[\d.]+) ([A-Z]{3}) is ([\d.]+) % of the total contract amount (-?[\d.]+) ([A-Z]{3})(?:, at least ([\d.]+) %)?$/.exec(reason);
  if (match) {
    const values = { amount: money({ amount: match[1], currency: match[2] }), share: match[3], total: money({ amount: match[4], currency: match[5] }) };
    return match[6] ? { key: 'risk.reason.overdueShareRed', values: { ...values, limit: match[6] } } : { key: 'risk.reason.overdueShare', values };
  }
  match = /^on-time rate ([\d.]+) % over the last (\d+) months( is below ([\d.]+) %)?$/.exec(reason);
  if (match) return match[3] ? { key: 'risk.reason.onTimeLow', values: { rate: match[1], months: match[2], limit: match[4] } } : { key: 'risk.reason.onTime', values: { rate: match[1], months: match[2] } };
  match = /^no receivable fell due in the last (\d+) months$/.exec(reason);
  if (match) return { key: 'risk.reason.noneDue', values: { months: match[1] } };
  return null;
}
