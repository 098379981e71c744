import { Button, Checkbox, ErrorBlock, SpinLoading, Tag } from 'antd-mobile';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Page } from '../../components/Page';
import { useOnSynced } from '../../lib/deviceOutbox';
import { formatDate, formatMoney } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { PaymentButton, ReceivableLine, TierBadge } from './components';
import { CollectionForecastDocument } from './documents.generated';
import './i18n';

/**
 * Open receivables with their collection forecast. `forecast` is the
 * collection forecast list (likely-late marks and filter); otherwise finance's
 * list with the overdue filter and payment entry.
 */
export default function ReceivablesPage({ forecast = false }: { forecast?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const filter = forecast && onlyFlagged ? { likelyLate: true } : undefined;
  const [result, reexecute] = useKeptQuery({ query: CollectionForecastDocument, variables: { filter, first: 200 } });
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const canPay = session?.user.role === 'FINANCE' || session?.user.role === 'ADMIN';
  const rows = (result.data?.collectionForecast ?? []).filter((row) => forecast || !onlyFlagged || row.receivable.daysOverdue > 0);
  const title = forecast ? t('rcv.forecast') : t('rcv.finance');
  return (
    <Page
      title={title}
      wide
      right={
        !forecast && canPay ? (
          <Button size="mini" fill="none" color="primary" onClick={() => navigate('/finance/import')} data-testid="open-import">
            {t('imp.title')}
          </Button>
        ) : undefined
      }
    >
      <div className="padded filter-row">
        <Checkbox checked={onlyFlagged} onChange={setOnlyFlagged} data-testid={forecast ? 'filter-late' : 'filter-overdue'}>
          {forecast ? t('rcv.onlyLikelyLate') : t('rcv.onlyOverdue')}
        </Checkbox>
        <span className="muted">{t('rcv.count', { count: rows.length })}</span>
      </div>
      {!result.data && result.fetching && <SpinLoading className="center" />}
      {result.data && rows.length === 0 && <ErrorBlock status="empty" title={t('rcv.none')} description="" />}
      <div className="card-grid" data-testid={forecast ? 'forecast-list' : 'receivables-list'}>
        {rows.map((row) => (
          <div key={row.receivable.id} className="rcv-card" data-testid={forecast ? 'forecast-row' : 'receivable-row'} data-late={row.likelyLate ? 'true' : 'false'}>
            <div className="rcv-card-head">
              {row.customer ? (
                <Link to={`/customers/${row.customer.id}`} className="link rcv-customer">
                  {row.customer.name}
                </Link>
              ) : (
                <span>—</span>
              )}
              {row.customer && <TierBadge tier={row.customer.riskTier} />}
              {row.likelyLate && (
                <Tag color="warning" fill="outline" data-testid="likely-late">
                  {t('rcv.likelyLate')}
                </Tag>
              )}
            </div>
            <ReceivableLine receivable={row.receivable} extra={!forecast && canPay ? <PaymentButton receivable={row.receivable} onDone={refresh} /> : undefined} />
            <div className="muted rcv-forecast">
              {t('rcv.predicted', { date: formatDate(row.predictedPaymentDate), days: row.expectedDaysLate.toFixed(1) })}
              {forecast && <> · {t('rcv.warning', { date: formatDate(row.warningDate) })}</>}
              {row.owner && <> · {row.owner.name}</>}
            </div>
            <Link to={`/contracts/${row.receivable.contractId}`} className="link small">
              {t('rcv.openContract')} · {formatMoney(row.receivable.amount)}
            </Link>
          </div>
        ))}
      </div>
    </Page>
  );
}
