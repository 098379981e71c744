import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { Dialog, unstableSetRender } from 'antd-mobile';
import { createRoot } from 'react-dom/client';
import { MemoryRouter } from 'react-router';
import { Provider, type Client } from 'urql';
import { fromValue } from 'wonka';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n';
import { outbox } from '../../lib/deviceOutbox';
import { setSession } from '../../lib/session';
import type { RiskThresholdsFieldsFragment } from './documents.generated';
import RiskThresholdsPage from './RiskThresholdsPage';

// The confirmation is antd-mobile's imperative Dialog: render it through React 19's root API, as main.tsx does.
unstableSetRender((node, container) => {
  const root = createRoot(container);
  root.render(node);
  return async () => root.unmount();
});

const THRESHOLDS: RiskThresholdsFieldsFragment = {
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

/** A client that answers every query from memory: the thresholds, and two RED customers. */
function mockClient(): Client {
  return {
    executeQuery: ({ query }: { query: { definitions: { name?: { value: string } }[] } }) => {
      const name = query.definitions.find((definition) => definition.name)?.name?.value;
      const data = name === 'RedCustomers' ? { riskCenter: [{ customer: { id: 'c1' } }, { customer: { id: 'c2' } }] } : { riskThresholds: THRESHOLDS };
      return fromValue({ data, stale: false, hasNext: false });
    },
    executeMutation: () => fromValue({}),
    executeSubscription: () => fromValue({}),
  } as unknown as Client;
}

function signIn(role: string) {
  setSession({
    accessToken: 'token',
    accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    localExpiresAt: Date.now() + 3_600_000,
    refreshToken: 'refresh',
    user: { id: `user-${role}`, name: '管理员', email: 'admin@example.cn', role, orgName: '示例' },
  });
}

function renderPage() {
  return render(
    <Provider value={mockClient()}>
      <MemoryRouter initialEntries={['/settings/risk-thresholds']}>
        <RiskThresholdsPage />
      </MemoryRouter>
    </Provider>,
  );
}

const input = (field: string) => document.querySelector<HTMLInputElement>(`[data-testid="threshold-${field}"] input`)!;
const errorNextTo = (field: string) => document.querySelector(`[data-testid="threshold-${field}"] .adm-form-item-feedback-error`)?.textContent ?? null;

beforeEach(async () => {
  await i18n.changeLanguage('zh-CN');
});
afterEach(async () => {
  cleanup();
  Dialog.clear();
  await waitFor(() => expect(document.querySelector('[data-testid="thresholds-confirm"]')).toBeNull());
  vi.unstubAllGlobals();
  setSession(null);
  // A refused submission stays in the outbox as the form's draft: start each test without one.
  for (const entry of await outbox.list()) await outbox.discard(entry.id);
});
afterAll(async () => {
  await i18n.changeLanguage('zh-CN');
});

describe('risk thresholds page', () => {
  it('shows the current values, that they are the defaults, and the rules in words', async () => {
    signIn('ADMIN');
    renderPage();
    await screen.findByTestId('thresholds-default');
    expect(input('redCumulativeOverdueDays').value).toBe('15');
    expect(input('redOverdueSharePercent').value).toBe('10');
    expect(screen.getByTestId('thresholds-rules').textContent).toContain('近 365 天累计逾期超过 15 天，或逾期金额达到合同总额的 10%');
    expect(screen.getByTestId('thresholds-recomputed').textContent).toBe('等级已按当前阈值重算');
    expect(screen.getByTestId('thresholds-save')).toBeTruthy();
  });

  it('is read-only for everyone but admins', async () => {
    signIn('FINANCE');
    renderPage();
    await screen.findByTestId('thresholds-admin-only');
    expect(input('windowMonths').disabled).toBe(true);
    expect(screen.queryByTestId('thresholds-save')).toBeNull();
  });

  it('asks before saving, then puts the server field errors next to their inputs', async () => {
    signIn('ADMIN');
    const fetchMock = vi.fn(async () =>
      new Response(
        JSON.stringify({
          data: null,
          errors: [
            {
              message: 'invalid input: redOverdueSharePercent: must be greater than 0 and at most 100; windowMonths: must be between 1 and 120',
              extensions: { code: 'BAD_INPUT', fields: ['input.redOverdueSharePercent', 'input.windowMonths'] },
            },
          ],
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      ),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await screen.findByTestId('thresholds-save');
    fireEvent.change(input('redOverdueSharePercent'), { target: { value: '150' } });
    fireEvent.change(input('windowMonths'), { target: { value: '0' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('thresholds-save'));
    });
    // The confirmation names both changes and says tiers are recomputed; nothing is sent before it.
    const confirm = await screen.findByTestId('thresholds-confirm');
    expect(confirm.textContent).toContain('红：逾期额占比达 10 → 150 %');
    expect(confirm.textContent).toContain('按时率统计近 6 → 0 个月');
    expect(confirm.textContent).toContain('重算所有客户的风险等级');
    expect(fetchMock).not.toHaveBeenCalled();
    await act(async () => {
      fireEvent.click(screen.getByText('保存并重算'));
    });
    await waitFor(() => expect(errorNextTo('redOverdueSharePercent')).toBe('须大于 0 且不超过 100'));
    expect(errorNextTo('windowMonths')).toBe('须在 1 到 120 之间');
    expect(errorNextTo('redCumulativeOverdueDays')).toBeNull();
    expect(screen.getByTestId('form-error').textContent).toContain('有些内容需要修改');
    const sent = JSON.parse((fetchMock.mock.calls[0] as unknown as [string, RequestInit])[1].body as string) as { variables: unknown };
    expect(sent.variables).toEqual({ input: { redOverdueSharePercent: '150', windowMonths: 0 } });
  });

  it('refuses days that are not whole numbers without asking the server', async () => {
    signIn('ADMIN');
    const fetchMock = vi.fn();
    vi.stubGlobal('fetch', fetchMock);
    renderPage();
    await screen.findByTestId('thresholds-save');
    fireEvent.change(input('cumulativeWindowDays'), { target: { value: '30.5' } });
    await act(async () => {
      fireEvent.click(screen.getByTestId('thresholds-save'));
    });
    await waitFor(() => expect(errorNextTo('cumulativeWindowDays')).toBe('请填写整数'));
    expect(screen.queryByTestId('thresholds-confirm')).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
