import { describe, expect, it } from 'vitest';
import { addMonths, canApply, contractActions, evenPlan, fromCents, instalmentSum, reasonKey, riskReasonKey, statementMonths, toCents } from './logic';

describe('amounts in cents', () => {
  it('parses decimals with up to two places', () => {
    expect(toCents('1200.5')).toBe(120050);
    expect(toCents('680000')).toBe(68000000);
    expect(toCents('0.1')).toBe(10);
    expect(toCents('1,000.01')).toBe(100001);
    expect(toCents('1.234')).toBeNull();
    expect(toCents('-5')).toBeNull();
    expect(toCents('')).toBeNull();
    expect(fromCents(120050)).toBe('1200.50');
    expect(fromCents(-5)).toBe('-0.05');
  });
});

describe('instalmentSum', () => {
  it('matches when the rows add up exactly (no float drift)', () => {
    const rows = [
      { dueDate: '2026-01-01', amount: '0.1' },
      { dueDate: '2026-02-01', amount: '0.2' },
    ];
    const sum = instalmentSum('0.3', rows);
    expect(sum.sumCents).toBe(30);
    expect(sum.remainingCents).toBe(0);
    expect(sum.matches).toBe(true);
  });

  it('reports what is left or too much', () => {
    expect(instalmentSum('1000', [{ dueDate: '2026-01-01', amount: '400' }]).remainingCents).toBe(60000);
    const over = instalmentSum('1000', [
      { dueDate: '2026-01-01', amount: '600' },
      { dueDate: '2026-02-01', amount: '500' },
    ]);
    expect(over.remainingCents).toBe(-10000);
    expect(over.matches).toBe(false);
  });

  it('flags bad amounts and missing dates and refuses the plan', () => {
    const sum = instalmentSum('1000', [
      { dueDate: '', amount: '1000' },
      { dueDate: '2026-02-01', amount: 'abc' },
      { dueDate: '2026-03-01', amount: '0' },
    ]);
    expect(sum.badAmounts).toEqual([1, 2]);
    expect(sum.missingDates).toEqual([0]);
    expect(sum.remainingCents).toBe(0);
    expect(sum.matches).toBe(false);
  });

  it('refuses an empty plan or a bad contract amount', () => {
    expect(instalmentSum('1000', []).matches).toBe(false);
    expect(instalmentSum('x', [{ dueDate: '2026-01-01', amount: '1' }]).totalCents).toBeNull();
    expect(instalmentSum('0', [{ dueDate: '2026-01-01', amount: '0' }]).matches).toBe(false);
  });

  it('splits evenly with the rounding on the last row, which then matches', () => {
    const plan = evenPlan('100', 3, '2026-01-31');
    expect(plan.map((row) => row.amount)).toEqual(['33.33', '33.33', '33.34']);
    expect(plan.map((row) => row.dueDate)).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(instalmentSum('100', plan).matches).toBe(true);
  });
});

describe('dates and reasons', () => {
  it('adds months and lists the three statement months', () => {
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('', 1)).toBe('');
    expect(statementMonths(new Date(2026, 0, 10))).toEqual(['2025-12', '2025-11', '2025-10']);
  });

  it('words the check reasons it knows', () => {
    expect(reasonKey('no bank statement or credit proof for 2026-10')).toEqual({ key: 'contract.reason.statementMissing', values: { month: '2026-10' } });
    expect(reasonKey('the registry status is unknown: a LEGAL user must confirm it')?.key).toBe('contract.reason.registryUnknown');
    expect(reasonKey('something new')).toBeNull();
    expect(riskReasonKey('2 receivable(s) overdue, the longest by 16 days')).toEqual({ key: 'risk.reason.overdue', values: { count: '2', days: '16' } });
  });

  it('words every reason the tier rules give (crates/domain receivables.rs risk_tier)', () => {
    const money = (value: { amount: string; currency: string }) => `[${value.currency} ${value.amount}]`;
    const cases: [string, string, Record<string, string>][] = [
      ['litigation or arbitration is flagged', 'risk.reason.litigation', {}],
      ['cumulative overdue days 17 in the last 365 days exceed 15', 'risk.reason.cumulative', { days: '17', window: '365', limit: '15' }],
      ['overdue amount 500.00 CNY is 1.66 % of the total contract amount 30000.00 CNY', 'risk.reason.overdueShare', { amount: '[CNY 500.00]', share: '1.66', total: '[CNY 30000.00]' }],
      ['overdue amount 3000.00 CNY is 10.00 % of the total contract amount 30000.00 CNY, at least 10.00 %', 'risk.reason.overdueShareRed', { amount: '[CNY 3000.00]', share: '10.00', total: '[CNY 30000.00]', limit: '10.00' }],
      ['on-time rate 0.00 % over the last 6 months is below 95.00 %', 'risk.reason.onTimeLow', { rate: '0.00', months: '6', limit: '95.00' }],
      ['on-time rate 100.00 % over the last 6 months', 'risk.reason.onTime', { rate: '100.00', months: '6' }],
      ['no receivable fell due in the last 6 months', 'risk.reason.noneDue', { months: '6' }],
      ['nothing is overdue', 'risk.reason.nothingOverdue', {}],
    ];
    for (const [reason, key, values] of cases) expect(riskReasonKey(reason, money), reason).toEqual({ key, values });
    expect(riskReasonKey('overdue amount 5 CNY is a lot')).toBeNull();
  });

  it('offers the steps the role may take', () => {
    expect(contractActions({ status: 'DRAFT' }, 'REP')).toEqual(['check', 'submit']);
    expect(contractActions({ status: 'SUBMITTED' }, 'FINANCE')).toEqual(['check', 'approve', 'reject']);
    expect(contractActions({ status: 'DRAFT' }, 'LEGAL')).toEqual(['check', 'legal']);
    expect(contractActions({ status: 'DRAFT', legalConfirmedAt: '2026-01-01T00:00:00Z' }, 'LEGAL')).toEqual(['check']);
    expect(contractActions({ status: 'APPROVED' }, 'FINANCE')).toEqual([]);
  });

  it('allows "apply" only after a clean dry run', () => {
    expect(canApply(null)).toBe(false);
    expect(canApply({ dryRun: true, rows: 3, applied: 0, errors: [] })).toBe(true);
    expect(canApply({ dryRun: true, rows: 3, applied: 0, errors: [{ line: 2, code: 'AMOUNT_INVALID', field: 'amount', value: 'x', message: 'bad', outstanding: null }] })).toBe(false);
    expect(canApply({ dryRun: false, rows: 3, applied: 3, errors: [] })).toBe(false);
  });
});
