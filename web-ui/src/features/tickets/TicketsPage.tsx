import { Badge, CapsuleTabs, ErrorBlock, PullToRefresh, SpinLoading, Switch, Tabs } from 'antd-mobile';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import type { SlaColorValue, TicketScopeValue } from '../../gql/graphql';
import type { TicketCardFragment } from './documents.generated';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { useMediaQuery, usePolling } from '../../lib/usePolling';
import { TicketsDocument } from './documents.generated';
import { TicketCard } from './TicketCard';
import { byUrgency, COLORS } from './ticketLogic';
import { TICKET_REFRESH_MS } from './ticketRefresh';

const SCOPES: Record<string, TicketScopeValue> = { queue: 'MY_QUEUE', requests: 'MY_REQUESTS', all: 'ALL' };

/**
 * "My queue", "my requests" and everything visible, as a three-colour board:
 * green / yellow / red columns on a desktop, colour tabs with counts on a
 * phone. Countdowns come from the server and refresh every 30 s.
 */
export default function TicketsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const scopeKey = params.get('scope') && SCOPES[params.get('scope')!] ? params.get('scope')! : 'queue';
  const [showClosed, setShowClosed] = useState(false);
  const [colorTab, setColorTab] = useState<string>('all');
  const wide = useMediaQuery('(min-width: 900px)');
  const [result, reexecute] = useKeptQuery({ query: TicketsDocument, variables: { filter: { scope: SCOPES[scopeKey] }, first: 100 } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  usePolling(refresh, TICKET_REFRESH_MS);
  useOnSynced(refresh);
  const all = result.data?.tickets.nodes;
  const shown = useMemo(() => byUrgency((all ?? []).filter((ticket) => showClosed || ticket.status !== 'ACCEPTED')), [all, showClosed]);
  const byColor = (color: SlaColorValue) => shown.filter((ticket) => ticket.color === color);
  const closedCount = (all ?? []).filter((ticket) => ticket.status === 'ACCEPTED').length;
  const show = scopeKey === 'queue' ? 'requester' : scopeKey === 'requests' ? 'assignee' : 'both';
  const list = (tickets: TicketCardFragment[]) =>
    tickets.length === 0 ? (
      <div className="muted padded">{t('tickets.empty')}</div>
    ) : (
      <div className="ticket-list">
        {tickets.map((ticket) => (
          <TicketCard key={ticket.id} ticket={ticket} show={show} />
        ))}
      </div>
    );
  return (
    <Page title={t('tickets.title')} back={false} wide>
      <div data-testid="tickets-scope">
        <CapsuleTabs activeKey={scopeKey} onChange={(key) => setParams(key === 'queue' ? {} : { scope: key }, { replace: true })}>
          <CapsuleTabs.Tab key="queue" title={t('tickets.scope.queue')} />
          <CapsuleTabs.Tab key="requests" title={t('tickets.scope.requests')} />
          <CapsuleTabs.Tab key="all" title={t('tickets.scope.all')} />
        </CapsuleTabs>
      </div>
      <div className="tickets-toolbar">
        <span className="muted">{t('tickets.refreshNote')}</span>
        <label className="tickets-closed-toggle">
          <Switch checked={showClosed} onChange={setShowClosed} data-testid="tickets-show-closed" />
          <span>{t('tickets.showClosed', { count: closedCount })}</span>
        </label>
      </div>
      <PullToRefresh onRefresh={async () => refresh()}>
        {!all && result.fetching && <SpinLoading className="center" />}
        {!all && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {all && wide && (
          <div className="ticket-board" data-testid="tickets-board">
            {COLORS.map((color) => (
              <div key={color} className={`ticket-column column-${color.toLowerCase()}`} data-testid={`tickets-column-${color}`}>
                <div className="ticket-column-head">
                  <span className={`color-dot dot-${color.toLowerCase()}`} />
                  {t(`tickets.column.${color}`)}
                  <span className="ticket-column-count">{byColor(color).length}</span>
                </div>
                {list(byColor(color))}
              </div>
            ))}
          </div>
        )}
        {all && !wide && (
          <div data-testid="tickets-board">
            <Tabs activeKey={colorTab} onChange={setColorTab} className="ticket-color-tabs">
              <Tabs.Tab key="all" title={<span className="tab-with-badge">{t('tickets.allColors')}<Badge content={String(shown.length)} color="#8a94a6" /></span>} />
              {COLORS.map((color) => (
                <Tabs.Tab
                  key={color}
                  title={
                    <span className="tab-with-badge" data-testid={`tickets-tab-${color}`}>
                      {t(`tickets.color.${color}`)}
                      <Badge content={String(byColor(color).length)} color={BADGE[color]} />
                    </span>
                  }
                />
              ))}
            </Tabs>
            {list(colorTab === 'all' ? shown : byColor(colorTab as SlaColorValue))}
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}

const BADGE: Record<SlaColorValue, string> = { GREEN: '#52c41a', YELLOW: '#faad14', RED: '#e5484d' };
