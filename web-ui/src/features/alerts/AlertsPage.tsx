import { Button, CapsuleTabs, ErrorBlock, PullToRefresh, SpinLoading } from 'antd-mobile';
import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { AlertCard, useAcknowledgeAlert } from './AlertCard';
import { AlertsDocument } from './documents.generated';

const PAGE_SIZE = 20;

/** Alerts addressed to me, newest first: open ones or all, each with its subject and "acknowledge". */
export default function AlertsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter = params.get('filter') === 'all' ? 'all' : 'open';
  const [shown, setShown] = useState(PAGE_SIZE);
  const [result, reexecute] = useKeptQuery({
    query: AlertsDocument,
    variables: { filter: filter === 'open' ? { status: 'OPEN' as const } : {}, first: shown },
  });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const { acknowledge, pending } = useAcknowledgeAlert();
  // While a longer page loads, keep showing the shorter one of the same filter.
  const last = useRef<{ filter: string; alerts: NonNullable<typeof result.data>['alerts'] } | null>(null);
  if (result.data) last.current = { filter, alerts: result.data.alerts };
  const alerts = result.data?.alerts ?? (last.current?.filter === filter ? last.current.alerts : undefined);

  return (
    <Page title={t('alerts.title')}>
      <CapsuleTabs
        activeKey={filter}
        onChange={(key) => {
          setShown(PAGE_SIZE);
          setParams(key === 'all' ? { filter: 'all' } : {}, { replace: true });
        }}
      >
        <CapsuleTabs.Tab title={t('alerts.filterOpen')} key="open" />
        <CapsuleTabs.Tab title={t('alerts.filterAll')} key="all" />
      </CapsuleTabs>
      <PullToRefresh onRefresh={async () => refresh()}>
        {!alerts && result.fetching && <SpinLoading className="center" />}
        {!alerts && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {alerts && (
          <div data-testid="alerts-list">
            <div className="muted padded">{t('alerts.count', { count: alerts.totalCount })}</div>
            {alerts.nodes.length === 0 ? (
              <ErrorBlock status="empty" title={filter === 'open' ? t('alerts.noneOpen') : t('alerts.none')} description="" />
            ) : (
              <div className="card-list">
                {alerts.nodes.map((alert) => (
                  <AlertCard key={alert.id} alert={alert} pending={pending.has(alert.id)} onAcknowledge={acknowledge} showRecipients />
                ))}
              </div>
            )}
            {alerts.pageInfo.hasNextPage && (
              <div className="padded">
                <Button block fill="outline" loading={result.fetching} onClick={() => setShown((count) => count + PAGE_SIZE)}>
                  {t('alerts.more')}
                </Button>
              </div>
            )}
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}
