import { cleanup, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { ImportErrorCode } from '../../gql/graphql';
import { ImportReport } from './ImportReport';
import type { ImportRowError } from './logic';

function rowError(line: number, code: string, field: string, value: string, message: string, outstanding: ImportRowError['outstanding'] = null): ImportRowError {
  return { line, code: code as ImportErrorCode, field, value, message, outstanding };
}

const errors = [
  rowError(42, 'AMOUNT_OVER_OUTSTANDING', 'amount', '5000', 'must not exceed the outstanding 4000.50 CNY', { amount: '4000.50', currency: 'CNY' }),
  rowError(43, 'CURRENCY_MISMATCH', 'currency', 'USD', "must be in CNY, the receivable's currency", { amount: '10000.00', currency: 'CNY' }),
  rowError(77, 'PAID_AT_INVALID', 'paidAt', '31/01/2025', 'must be a date like 2025-01-31, not "31/01/2025"'),
  rowError(78, 'RECEIVABLE_NOT_FOUND', 'receivableId', 'not-an-id', 'no receivable "not-an-id" in this organization'),
  // A code a newer server may send, the catch-all, and a code whose wording needs a missing amount: the server's words.
  rowError(80, 'SOMETHING_NEW', 'amount', '1', 'the server words a rule this app does not know'),
  rowError(81, 'OTHER', 'amount', '1', 'a rule without its own code'),
  rowError(82, 'AMOUNT_OVER_OUTSTANDING', 'amount', '9', 'must not exceed the outstanding 1.00 CNY'),
];

const messages = () => screen.getAllByTestId('import-error-message').map((cell) => cell.textContent);

describe('ImportReport', () => {
  afterEach(cleanup);
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });
  afterAll(async () => {
    await i18n.changeLanguage('zh-CN');
  });

  it('lists every bad row with its line number, column and message in the chosen language', () => {
    render(<ImportReport report={{ dryRun: true, rows: 100, applied: 0, errors }} />);
    expect(screen.getByTestId('import-summary').textContent).toBe('100 rows, 7 with errors');
    const rows = screen.getAllByTestId('import-error');
    expect(rows.map((row) => row.getAttribute('data-line'))).toEqual(['42', '43', '77', '78', '80', '81', '82']);
    expect(within(rows[0]).getByText('Amount')).toBeTruthy();
    expect(within(rows[1]).getByText('Currency')).toBeTruthy();
    expect(messages()).toEqual([
      '5000 is more than the CN¥4,000.50 outstanding (earlier rows of this file counted)',
      "Use CNY, the receivable's currency, not USD",
      '“31/01/2025” is not a date: write it like 2025-01-31',
      'No receivable “not-an-id” in this organization',
      'the server words a rule this app does not know',
      'a rule without its own code',
      'must not exceed the outstanding 1.00 CNY',
    ]);
    expect(screen.getByText(/nothing is recorded/)).toBeTruthy();
  });

  it('words the same rows in Chinese', async () => {
    await i18n.changeLanguage('zh-CN');
    render(<ImportReport report={{ dryRun: true, rows: 100, applied: 0, errors: errors.slice(0, 4) }} />);
    expect(messages()).toEqual([
      '金额 5000 超过未回金额 ¥4,000.50（已计入本文件前面各行）',
      '币种应为该应收的 CNY，不是 USD',
      '“31/01/2025”不是可识别的日期，请写成 2025-01-31 或 2025年1月31日',
      '本组织没有应收“not-an-id”',
    ]);
    expect(within(screen.getAllByTestId('import-error')[2]).getByText('回款日期')).toBeTruthy();
    cleanup();
    await i18n.changeLanguage('en');
  });

  it('shows a clean dry run without an error table, and an applied import', () => {
    const { rerender } = render(<ImportReport report={{ dryRun: true, rows: 3, applied: 0, errors: [] }} />);
    expect(screen.queryByTestId('import-errors')).toBeNull();
    expect(screen.getByText('Dry run')).toBeTruthy();
    rerender(<ImportReport report={{ dryRun: false, rows: 3, applied: 3, errors: [] }} />);
    expect(screen.getByTestId('import-summary').textContent).toBe('3 rows, 3 payments recorded');
  });
});
