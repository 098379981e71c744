import { Button, Tag, Toast } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AlertItemFragment } from './documents.generated';
import { submitMutation, useOutboxEntries } from '../../lib/deviceOutbox';
import { formatDateTime } from '../../lib/format';
import { errorText } from '../../lib/formErrors';
import { useSession } from '../../lib/hooks';
import { useStages } from '../../lib/useStages';
import { alertText } from './alertText';
import { AcknowledgeAlertDocument } from './documents.generated';

const KIND_COLOR: Record<string, string> = {
  STAGE_STUCK: 'warning',
  FOLLOW_UP_OVERDUE: 'danger',
  PING_PONG: 'warning',
  NEWCOMER_STUCK: 'primary',
  SLA_WARNING: 'warning',
  SLA_BREACHED: 'danger',
  COLLECTION_WARNING: 'danger',
};

/**
 * Acknowledging goes through the device outbox like every write; the ids of
 * acknowledgements still waiting to sync are returned so lists can say so.
 */
export function useAcknowledgeAlert() {
  const { t } = useTranslation();
  const session = useSession();
  const entries = useOutboxEntries();
  const pending = useMemo(
    () =>
      new Set(
        entries
          .filter((entry) => entry.operation === 'acknowledgeAlert' && entry.state !== 'rejected')
          .map((entry) => String(entry.variables.id)),
      ),
    [entries],
  );
  const acknowledge = useCallback(
    async (alert: AlertItemFragment, text: string) => {
      if (!session) return;
      const result = await submitMutation(AcknowledgeAlertDocument, {
        variables: { id: alert.id },
        draft: { id: alert.id },
        draftKey: `alert-ack:${alert.id}`,
        route: '/alerts',
        label: t('alerts.ackLabel', { text }),
        userId: session.user.id,
      });
      if (result.status === 'done') Toast.show({ icon: 'success', content: t('alerts.acknowledged') });
      else if (result.status === 'queued') Toast.show({ content: t('outbox.queuedToast') });
      else Toast.show({ icon: 'fail', content: errorText(result.error) });
    },
    [session, t],
  );
  return { acknowledge, pending };
}

/** One alert: kind, sentence, subject (a deal opens its page), time, and "acknowledge". */
export function AlertCard({
  alert,
  pending,
  onAcknowledge,
  showRecipients = false,
}: {
  alert: AlertItemFragment;
  pending: boolean;
  onAcknowledge: (alert: AlertItemFragment, text: string) => void;
  showRecipients?: boolean;
}) {
  const { t } = useTranslation();
  const { stageName } = useStages();
  const text = alertText(alert, t, stageName);
  const subject = alert.subject;
  const toDeal = subject?.__typename === 'Deal' ? `/deals/${subject.id}` : subject?.__typename === 'Ticket' ? `/tickets/${subject.id}` : null;
  const head = (
    <>
      <div className="alert-card-head">
        <Tag color={KIND_COLOR[alert.kind] ?? 'default'} fill="outline">
          {t(`alertKind.${alert.kind}`)}
        </Tag>
        {alert.status !== 'OPEN' && <Tag color={alert.status === 'RESOLVED' ? 'success' : 'default'}>{t(`alertStatus.${alert.status}`)}</Tag>}
        {alert.escalatedAt && <Tag color="danger">{t('alerts.escalated')}</Tag>}
        <span className="alert-card-time">{formatDateTime(alert.createdAt)}</span>
      </div>
      <div className="alert-card-text" data-testid="alert-text">
        {text}
      </div>
    </>
  );
  let action = null;
  if (alert.status === 'OPEN' && pending) {
    action = (
      <Tag color="primary" fill="outline" data-testid="alert-pending">
        {t('alerts.pending')}
      </Tag>
    );
  } else if (alert.status === 'OPEN') {
    action = (
      <Button size="small" color="primary" fill="outline" data-testid="alert-acknowledge" onClick={() => onAcknowledge(alert, text)}>
        {t('alerts.acknowledge')}
      </Button>
    );
  }
  return (
    <div className={`alert-card alert-${alert.status.toLowerCase()}`} data-testid="alert-card" data-alert-id={alert.id} data-kind={alert.kind}>
      {toDeal ? (
        <Link to={toDeal} className="alert-card-main">
          {head}
        </Link>
      ) : (
        <div className="alert-card-main">{head}</div>
      )}
      {showRecipients && alert.recipients.length > 0 && (
        <div className="alert-card-to">{t('alerts.to', { names: alert.recipients.map((user) => user.name).join(t('alerts.listSeparator')) })}</div>
      )}
      {(subject || action) && (
        <div className="alert-card-foot">
          {subject?.__typename === 'Deal' && (
            // The sentence already names the deal: this line says whose it is and opens it.
            <Link to={`/deals/${subject.id}`} className="alert-card-subject" data-testid="alert-subject-link">
              {subject.customer?.name ?? subject.title}
              <RightOutline className="alert-card-arrow" />
            </Link>
          )}
          {subject?.__typename === 'User' && <span className="alert-card-subject person">{subject.name}</span>}
          {subject?.__typename === 'Ticket' && (
            // A ticket alert opens the ticket; its deal, when there is one, is one more tap from there.
            <Link to={`/tickets/${subject.id}`} className="alert-card-subject" data-testid="alert-subject-link">
              {subject.number}
              {subject.deal ? ` · ${subject.deal.title}` : ''}
              <RightOutline className="alert-card-arrow" />
            </Link>
          )}
          {!subject && <span />}
          {action}
        </div>
      )}
    </div>
  );
}
