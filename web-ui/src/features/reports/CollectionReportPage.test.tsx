import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { CombinedError, Provider, type Client } from 'urql';
import { fromValue, merge, never } from 'wonka';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { setSession } from '../../lib/session';
import type { CollectionReportQuery, IndustryCollectionFieldsFragment } from './documents.generated';
import CollectionReportPage from './CollectionReportPage';

// ECharts draws on a canvas jsdom does not have: the chart is the collaboration page's, tested in the browser.
vi.mock('../collab/CollabCharts', () => ({ default: ({ testId }: { testId?: string }) => <div data-testid={testId} /> }));

const cny = (amount: string) => ({ amount, currency: 'CNY' });

const MANUFACTURING: IndustryCollectionFieldsFragment = {
  industry: '制造业',
  paidReceivables: 2,
  averageAgreedDays: 30.5,
  averageActualDays: 36,
  outstanding: cny('250000.00'),
  overdue: cny('140000.00'),
  overdueSharePercent: 56,
  previousOutstanding: cny('300000.00'),
  previousOverdue: cny('120000.00'),
  previousOverdueSharePercent: 40,
  overdueShareRising: true,
};
const NO_INDUSTRY: IndustryCollectionFieldsFragment = {
  industry: null,
  paidReceivables: 0,
  averageAgreedDays: null,
  averageActualDays: null,
  outstanding: cny('160000.00'),
  overdue: cny('10000.00'),
  overdueSharePercent: 6.25,
  previousOutstanding: cny('200000.00'),
  previousOverdue: cny('50000.00'),
  previousOverdueSharePercent: 25,
  overdueShareRising: false,
};

const REPORT: CollectionReportQuery['collectionReport'] = {
  month: '2026-09',
  monthEnd: '2026-09-30',
  previousMonthEnd: '2026-08-31',
  currency: 'CNY',
  orgWide: true,
  topOverdueCustomers: [
    { customer: { id: 'c1', name: '苏州甲制造有限公司', industry: '制造业' }, overdueAmount: cny('90000.00'), overdueDays: 43, overdueReceivables: 1 },
    { customer: { id: 'c2', name: '无锡乙制造有限公司', industry: '制造业' }, overdueAmount: cny('50000.00'), overdueDays: 20, overdueReceivables: 2 },
  ],
  industries: [MANUFACTURING, NO_INDUSTRY],
  risingIndustries: [MANUFACTURING],
};

function renderPage(url: string, answer: (month: string) => { data?: unknown; error?: unknown }) {
  const asked: string[] = [];
  const client = {
    executeQuery: ({ variables }: { variables: { month: string } }) => {
      asked.push(variables.month);
      // A live source, as the real client's: it stays open after its answer.
      return merge([fromValue({ ...answer(variables.month), stale: false, hasNext: false }), never]);
    },
  } as unknown as Client;
  render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[url]}>
        <CollectionReportPage />
      </MemoryRouter>
    </Provider>,
  );
  return asked;
}

function signIn(role: string) {
  setSession({
    accessToken: 'token',
    accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    localExpiresAt: Date.now() + 3_600_000,
    refreshToken: 'refresh',
    user: { id: `user-${role}`, name: '孙会计', email: 'finance@example.cn', role, orgName: '示例' },
  });
}

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(() => {
  cleanup();
  setSession(null);
  vi.useRealTimers();
});

describe('monthly collection report page', () => {
  it('asks for the previous month by default', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 27, 10, 0));
    signIn('FINANCE');
    const asked = renderPage('/finance/collection-report', () => ({ data: { collectionReport: { ...REPORT, month: '2026-10' } } }));
    expect(asked).toEqual(['2026-10']);
    expect(screen.getByTestId('month-label').textContent).toBe('2026年10月');
    // Months that have not ended are not offered.
    expect((screen.getByTestId('month-next') as HTMLButtonElement).disabled).toBe(true);
  });

  it('lists the most overdue customers with links, and highlights the industries whose overdue share rose', () => {
    signIn('FINANCE');
    renderPage('/finance/collection-report?month=2026-09', () => ({ data: { collectionReport: REPORT } }));
    const rows = screen.getAllByTestId('top-overdue-row');
    expect(rows).toHaveLength(2);
    const first = within(rows[0]);
    expect(first.getByTestId('top-overdue-customer').getAttribute('href')).toBe('/customers/c1');
    expect(first.getByTestId('top-overdue-customer').textContent).toBe('苏州甲制造有限公司');
    expect(first.getByTestId('top-overdue-amount').textContent).toMatch(/90,000/);
    expect(first.getByTestId('top-overdue-days').textContent).toBe('逾期 43 天');
    expect(screen.getByTestId('report-scope').textContent).toContain('全组织');

    const rising = screen.getAllByTestId('rising-industry');
    expect(rising.map((chip) => chip.textContent)).toEqual(['制造业40% → 56%']);
    const industries = screen.getAllByTestId('industry-row');
    expect(industries.map((row) => row.getAttribute('data-rising'))).toEqual(['true', 'false']);
    const manufacturing = within(industries[0]);
    expect(manufacturing.getByTestId('industry-rising').textContent).toBe('逾期占比上升');
    expect(manufacturing.getByTestId('industry-days').textContent).toBe('约定 30.5 天 · 实际 36 天 · 平均晚 5.5 天 · 结清 2 笔');
    expect(manufacturing.getByTestId('industry-share').textContent).toBe('逾期占比 40% → 56%');
    const none = within(industries[1]);
    expect(industries[1].textContent).toContain('未填行业');
    expect(none.getByTestId('industry-days').textContent).toBe('本月没有结清的应收');
    expect(none.getByTestId('industry-share').textContent).toBe('逾期占比 25% → 6.3%');
    expect(screen.getByTestId('report-days-chart')).toBeTruthy();
  });

  it('keeps a linked later month reachable after stepping back from it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 10, 27, 10, 0));
    signIn('FINANCE');
    const asked = renderPage('/finance/collection-report?month=2027-01', (month) => ({ data: { collectionReport: { ...REPORT, month } } }));
    expect((screen.getByTestId('month-next') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => {
      fireEvent.click(screen.getByTestId('month-previous'));
    });
    expect(screen.getByTestId('month-label').textContent).toBe('2026年12月');
    expect((screen.getByTestId('month-next') as HTMLButtonElement).disabled).toBe(false);
    await act(async () => {
      fireEvent.click(screen.getByTestId('month-next'));
    });
    expect(asked).toEqual(['2027-01', '2026-12', '2027-01']);
  });

  it('says so when the month has not ended, and keeps the picker', () => {
    signIn('ADMIN');
    renderPage('/finance/collection-report?month=2099-01', () => ({
      error: new CombinedError({ graphQLErrors: [{ message: 'invalid input: month: must be a month that has ended', extensions: { code: 'BAD_INPUT', fields: ['month'] } }] }),
    }));
    expect(screen.getByTestId('report-error').textContent).toBe('这个月还没结束，请选择已结束的月份');
    expect(screen.getByTestId('month-label').textContent).toBe('2099年1月');
  });

  it('is not asked for by people who may not read it', () => {
    signIn('REP');
    const asked = renderPage('/finance/collection-report', () => ({ data: { collectionReport: REPORT } }));
    expect(asked).toEqual([]);
    expect(screen.getByText('只有财务、经理和管理员可以查看')).toBeTruthy();
  });
});
