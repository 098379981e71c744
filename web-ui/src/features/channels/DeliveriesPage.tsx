import { Button, CapsuleTabs, ErrorBlock, PullToRefresh, SpinLoading, Tag, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import type { DeliveryItemFragment } from './documents.generated';
import type { DeliveryStatus } from '../../gql/graphql';
import { submitMutation, useOnSynced } from '../../lib/deviceOutbox';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { eventLabel } from './channelForm';
import { ChannelsDocument, DeliveriesDocument, RedriveDeliveryDocument } from './documents.generated';

const STATUSES: DeliveryStatus[] = ['PENDING', 'SENT', 'DEAD'];
const STATUS_COLOR: Record<DeliveryStatus, string> = { PENDING: 'warning', SENT: 'success', DEAD: 'danger' };
const PAGE_SIZE = 30;
/** While something waits to be sent, the log looks again this often. */
const POLL_MS = 2000;

/** Admin: the delivery log, newest first, by status (and channel); every attempt with its outcome; dead ones re-drivable. */
export default function DeliveriesPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = STATUSES.includes(statusParam as DeliveryStatus) ? (statusParam as DeliveryStatus) : null;
  const channelId = params.get('channel');
  const [shown, setShown] = useState(PAGE_SIZE);
  const filter = { ...(status ? { status } : {}), ...(channelId ? { channelId } : {}) };
  const [result, reexecute] = useKeptQuery({ query: DeliveriesDocument, variables: { filter, first: shown } });
  const [channelsResult] = useKeptQuery({ query: ChannelsDocument });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  // While another status or channel loads, do not show the previous filter's list as if it were this one.
  const asked = result.operation?.variables as { filter?: unknown } | undefined;
  const sameFilter = !asked || JSON.stringify(asked.filter ?? {}) === JSON.stringify(filter);
  const deliveries = sameFilter ? result.data?.deliveries : undefined;
  const waiting = deliveries?.nodes.some((delivery) => delivery.status === 'PENDING') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, refresh]);
  const channelName = (id: string | null | undefined) =>
    id ? (channelsResult.data?.channels.find((channel) => channel.id === id)?.name ?? t('deliveries.removedChannel')) : t('deliveries.directEmail');

  const setFilter = (next: { status?: string | null; channel?: string | null }) => {
    const values: Record<string, string> = {};
    const nextStatus = next.status === undefined ? status : next.status;
    const nextChannel = next.channel === undefined ? channelId : next.channel;
    if (nextStatus) values.status = nextStatus;
    if (nextChannel) values.channel = nextChannel;
    setShown(PAGE_SIZE);
    setParams(values, { replace: true });
  };

  return (
    <Page title={t('deliveries.title')}>
      <div className="deliveries-filter" data-testid="deliveries-filter">
        <CapsuleTabs activeKey={status ?? 'all'} onChange={(key) => setFilter({ status: key === 'all' ? null : key })}>
          <CapsuleTabs.Tab key="all" title={t('deliveries.all')} />
          {STATUSES.map((value) => (
            <CapsuleTabs.Tab key={value} title={t(`deliveryStatus.${value}`)} />
          ))}
        </CapsuleTabs>
      </div>
      {channelId && (
        <div className="padded filter-chip">
          <Tag color="primary" fill="outline">
            {t('deliveries.channel', { name: channelName(channelId) })}
          </Tag>
          <Button size="mini" fill="none" onClick={() => setFilter({ channel: null })} data-testid="deliveries-clear-channel">
            {t('deliveries.allChannels')}
          </Button>
        </div>
      )}
      <PullToRefresh onRefresh={async () => refresh()}>
        {!deliveries && result.fetching && <SpinLoading className="center" />}
        {!deliveries && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {deliveries && (
          <div data-testid="deliveries-list">
            <div className="muted padded">{t('deliveries.count', { count: deliveries.totalCount })}</div>
            {deliveries.nodes.length === 0 ? (
              <ErrorBlock status="empty" title={t('deliveries.none')} description="" />
            ) : (
              <div className="card-list single">
                {deliveries.nodes.map((delivery) => (
                  <DeliveryCard key={delivery.id} delivery={delivery} channel={channelName(delivery.channelId)} onRedriven={refresh} />
                ))}
              </div>
            )}
            {deliveries.nodes.length < deliveries.totalCount ? (
              <div className="padded">
                <Button block fill="outline" loading={result.fetching} onClick={() => setShown((count) => count + PAGE_SIZE)}>
                  {t('alerts.more')}
                </Button>
              </div>
            ) : null}
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}

function DeliveryCard({ delivery, channel, onRedriven }: { delivery: DeliveryItemFragment; channel: string; onRedriven: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState(delivery.status !== 'SENT');

  async function redrive() {
    if (!session) return;
    setBusy(true);
    const result = await submitMutation(RedriveDeliveryDocument, {
      variables: { id: delivery.id },
      draft: { id: delivery.id },
      draftKey: `delivery-redrive:${delivery.id}`,
      route: '/settings/deliveries',
      label: t('deliveries.redriveLabel', { title: delivery.title ?? delivery.event }),
      userId: session.user.id,
    });
    setBusy(false);
    if (result.status === 'done') {
      Toast.show({ icon: 'success', content: t('deliveries.redriven') });
      onRedriven();
    } else if (result.status === 'queued') Toast.show({ content: t('outbox.queuedToast') });
    else Toast.show({ icon: 'fail', content: errorText(result.error) });
  }

  return (
    <div className={`delivery-card delivery-${delivery.status.toLowerCase()}`} data-testid="delivery-card" data-delivery-id={delivery.id} data-status={delivery.status}>
      <div className="delivery-card-head">
        <Tag color={STATUS_COLOR[delivery.status]} data-testid="delivery-status">
          {t(`deliveryStatus.${delivery.status}`)}
        </Tag>
        <span className="delivery-card-title">{delivery.title ?? eventLabel(delivery.event)}</span>
      </div>
      <div className="delivery-card-meta">
        <span>{channel}</span>
        <span>{eventLabel(delivery.event)}</span>
        <span>{t('deliveries.attempts', { count: delivery.attempts })}</span>
      </div>
      <div className="delivery-card-meta">
        <span>{t('deliveries.created', { time: formatDateTime(delivery.createdAt) })}</span>
        {delivery.sentAt && <span>{t('deliveries.sent', { time: formatDateTime(delivery.sentAt) })}</span>}
        {delivery.status === 'PENDING' && delivery.nextAttemptAt && <span>{t('deliveries.next', { time: formatDateTime(delivery.nextAttemptAt) })}</span>}
      </div>
      {delivery.lastError && delivery.status !== 'SENT' && (
        <div className="delivery-card-error" data-testid="delivery-error">
          {delivery.lastError}
        </div>
      )}
      {delivery.attemptLog.length > 0 && (
        <>
          <button type="button" className="link delivery-toggle" onClick={() => setOpen((value) => !value)} data-testid="delivery-toggle">
            {open ? t('deliveries.hideAttempts') : t('deliveries.showAttempts', { count: delivery.attemptLog.length })}
          </button>
          {open && (
            <ol className="attempt-log" data-testid="attempt-log">
              {delivery.attemptLog.map((attempt) => (
                <li key={attempt.attempt} className={`attempt attempt-${attempt.outcome.toLowerCase()}`}>
                  <span className="attempt-head">
                    #{attempt.attempt} {t(`deliveryOutcome.${attempt.outcome}`, { defaultValue: attempt.outcome })}
                    <span className="attempt-time">{formatDateTime(attempt.at)}</span>
                  </span>
                  {attempt.detail && <span className="attempt-detail">{attempt.detail}</span>}
                </li>
              ))}
            </ol>
          )}
        </>
      )}
      {delivery.status === 'DEAD' && (
        <div className="delivery-card-actions">
          <Button size="small" color="primary" fill="outline" loading={busy} onClick={() => void redrive()} data-testid="delivery-redrive">
            {t('deliveries.redrive')}
          </Button>
          {delivery.channelId && (
            <Link to="/settings/channels" className="link">
              {t('channels.title')}
            </Link>
          )}
        </div>
      )}
    </div>
  );
}
