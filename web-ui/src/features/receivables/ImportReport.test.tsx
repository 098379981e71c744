import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { ImportReport } from './ImportReport';

describe('ImportReport', () => {
  afterEach(cleanup);
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('lists every bad row with its line number, column and message', () => {
    render(
      <ImportReport
        report={{
          dryRun: true,
          rows: 100,
          applied: 0,
          errors: [
            { line: 42, field: 'amount', message: 'more than is outstanding' },
            { line: 77, field: 'paidAt', message: 'not a date' },
          ],
        }}
      />,
    );
    expect(screen.getByTestId('import-summary').textContent).toBe('100 rows, 2 with errors');
    const rows = screen.getAllByTestId('import-error');
    expect(rows.map((row) => row.getAttribute('data-line'))).toEqual(['42', '77']);
    expect(within(rows[0]).getByText('Amount')).toBeTruthy();
    expect(within(rows[1]).getByText('not a date')).toBeTruthy();
    expect(screen.getByText(/nothing is recorded/)).toBeTruthy();
  });

  it('shows a clean dry run without an error table, and an applied import', () => {
    const { rerender } = render(<ImportReport report={{ dryRun: true, rows: 3, applied: 0, errors: [] }} />);
    expect(screen.queryByTestId('import-errors')).toBeNull();
    expect(screen.getByText('Dry run')).toBeTruthy();
    rerender(<ImportReport report={{ dryRun: false, rows: 3, applied: 3, errors: [] }} />);
    expect(screen.getByTestId('import-summary').textContent).toBe('3 rows, 3 payments recorded');
  });
});
