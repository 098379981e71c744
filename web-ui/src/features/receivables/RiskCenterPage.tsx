import { Button, ErrorBlock, SpinLoading, Tag, TextArea, Toast } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Page } from '../../components/Page';
import { outbox, submitMutation, useOnSynced } from '../../lib/deviceOutbox';
import type { ApiError } from '../../lib/errors';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { ErrorNotice, RiskReasonText, TierBadge } from './components';
import { FlagLitigationDocument, RiskCenterDocument } from './documents.generated';
import './i18n';

/** Customers tiered RED or YELLOW, worst first, with the prescribed actions. */
export default function RiskCenterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const readsReport = session?.user.role === 'FINANCE' || session?.user.role === 'MANAGER' || session?.user.role === 'ADMIN';
  const [result, reexecute] = useKeptQuery({ query: RiskCenterDocument, variables: {} });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const entries = result.data?.riskCenter ?? [];
  return (
    <Page
      title={t('risk.center')}
      wide
      right={
        readsReport ? (
          <Button size="mini" fill="none" color="primary" onClick={() => navigate('/finance/collection-report')} data-testid="open-collection-report">
            {t('report.short')}
          </Button>
        ) : undefined
      }
    >
      {!result.data && result.fetching && <SpinLoading className="center" />}
      {result.data && entries.length === 0 && <ErrorBlock status="empty" title={t('risk.none')} description="" />}
      <div className="card-grid" data-testid="risk-center">
        {entries.map((entry, index) => (
          <div key={entry.customer?.id ?? index} className={`rcv-card tier-${entry.tier.toLowerCase()}`} data-testid="risk-entry" data-tier={entry.tier}>
            <div className="rcv-card-head">
              {entry.customer ? <Link to={`/customers/${entry.customer.id}`} className="link rcv-customer">{entry.customer.name}</Link> : <span>—</span>}
              <TierBadge tier={entry.tier} />
            </div>
            <div className="risk-flags">
              {entry.litigation && <Tag color="danger" fill="outline">{t('risk.litigation')}</Tag>}
              {entry.servicesSuspended && <Tag color="danger" fill="outline">{t('risk.suspended')}</Tag>}
              {entry.customer?.overdueAmount && Number(entry.customer.overdueAmount.amount) > 0 && <span className="muted">{t('risk.overdue', { amount: formatMoney(entry.customer.overdueAmount) })}</span>}
            </div>
            {entry.reasons.length > 0 && (
              <ul className="check-reasons">
                {entry.reasons.map((reason) => (
                  <li key={reason}>
                    <RiskReasonText reason={reason} />
                  </li>
                ))}
              </ul>
            )}
            <div className="muted small">{t('risk.updated', { at: formatDateTime(entry.updatedAt) })}</div>
            {entry.customer && !entry.litigation && <LitigationButton customerId={entry.customer.id} onDone={refresh} />}
          </div>
        ))}
      </div>
    </Page>
  );
}

function LitigationButton({ customerId, onDone }: { customerId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const role = session?.user.role;
  if (role !== 'LEGAL' && role !== 'FINANCE' && role !== 'ADMIN') return null;
  const send = async () => {
    if (!session) return;
    setError(null);
    const result = await submitMutation(FlagLitigationDocument, {
      variables: { customerId, note: note.trim() },
      draft: { note },
      draftKey: `litigation:${customerId}`,
      route: '/risk',
      label: t('risk.flag'),
      userId: session.user.id,
    });
    if (result.status === 'rejected') {
      setError(result.error);
      void outbox.discard(result.entry.id);
      return;
    }
    Toast.show({ content: result.status === 'done' ? t('common.saved') : t('outbox.queuedToast') });
    setOpen(false);
    onDone();
  };
  if (!open) {
    return (
      <Button size="mini" fill="outline" color="danger" onClick={() => setOpen(true)}>
        {t('risk.flag')}
      </Button>
    );
  }
  return (
    <div>
      <ErrorNotice error={error} />
      <TextArea value={note} onChange={setNote} rows={2} placeholder={t('risk.note')} />
      <Button size="mini" color="danger" disabled={!note.trim()} onClick={() => void send()}>
        {t('risk.flag')}
      </Button>
    </div>
  );
}
