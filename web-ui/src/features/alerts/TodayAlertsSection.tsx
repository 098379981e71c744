import { Badge, Button } from 'antd-mobile';
import { useCallback, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Section } from '../../components/Page';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { AlertCard, useAcknowledgeAlert } from './AlertCard';
import { AlertsDocument } from './documents.generated';

const SHOWN = 5;

/**
 * Today: my open alerts with a count, each one tap from its deal or from
 * "acknowledge". Today reloads it (pull to refresh, a write synced) through `refreshKey`.
 */
export function TodayAlertsSection({ refreshKey }: { refreshKey: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useKeptQuery({ query: AlertsDocument, variables: { filter: { status: 'OPEN' as const }, first: SHOWN } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstKey.current) refresh();
  }, [refreshKey, refresh]);
  const { acknowledge, pending } = useAcknowledgeAlert();
  const alerts = result.data?.alerts;
  if (!alerts) return null;
  const open = alerts.nodes.filter((alert) => alert.status === 'OPEN');
  return (
    <Section
      title={
        <span className="title-with-badge">
          {t('today.alerts')}
          <Badge content={alerts.totalCount > 0 ? String(alerts.totalCount) : null} data-testid="today-alerts-count" />
        </span>
      }
      extra={
        <Button size="mini" fill="none" onClick={() => navigate('/alerts')} data-testid="today-all-alerts">
          {t('today.allAlerts')}
        </Button>
      }
      testId="today-alerts"
    >
      {open.length === 0 ? (
        <div className="muted padded">{t('today.nothingAlerts')}</div>
      ) : (
        <div className="card-list">
          {open.map((alert) => (
            <AlertCard key={alert.id} alert={alert} pending={pending.has(alert.id)} onAcknowledge={acknowledge} />
          ))}
        </div>
      )}
    </Section>
  );
}
