import { Button, List, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Section } from '../../components/Page';
import { formatDateTime, formatMoney } from '../../lib/format';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { ReceivableLine, RiskReasonText, TierBadge } from './components';
import { CustomerRiskDocument, DealContractsDocument } from './documents.generated';
import './i18n';

/** The deal's contracts, and "new contract" while it is in NEGOTIATION. */
export function DealContractsSection({ dealId }: { dealId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result] = useKeptQuery({ query: DealContractsDocument, variables: { id: dealId }, requestPolicy: 'cache-and-network' });
  const deal = result.data?.deal;
  if (!deal) return null;
  return (
    <Section
      title={t('contract.list', { count: deal.contracts.length })}
      testId="deal-contracts"
      extra={
        deal.stage === 'NEGOTIATION' ? (
          <Button size="mini" fill="none" color="primary" onClick={() => navigate(`/deals/${dealId}/contracts/new`)} data-testid="new-contract">
            {t('contract.new')}
          </Button>
        ) : undefined
      }
    >
      <List>
        {deal.contracts.map((contract) => (
          <List.Item key={contract.id} onClick={() => navigate(`/contracts/${contract.id}`)} extra={<Tag>{t(`contract.status.${contract.status}`, { defaultValue: contract.status })}</Tag>} data-testid="deal-contract">
            {formatMoney(contract.amount)}
          </List.Item>
        ))}
      </List>
    </Section>
  );
}

/** Tier badge with its history, on-time rate and the customer's receivables. */
export function CustomerRiskSection({ customerId }: { customerId: string }) {
  const { t } = useTranslation();
  const [result] = useKeptQuery({ query: CustomerRiskDocument, variables: { id: customerId } });
  const customer = result.data?.customer;
  if (!customer) return null;
  return (
    <Section title={t('risk.credit')} testId="customer-risk" extra={<TierBadge tier={customer.riskTier} />}>
      <div className="padded muted">
        {t('risk.onTime', { rate: customer.onTimeRate == null ? '—' : `${customer.onTimeRate.toFixed(0)}%` })} · {t('risk.overdue', { amount: formatMoney(customer.overdueAmount) })}
      </div>
      {customer.riskHistory.length > 0 && (
        <ol className="timeline" data-testid="risk-history">
          {[...customer.riskHistory].reverse().map((change, index) => (
            <li key={index} className="timeline-item">
              <div className="timeline-head">
                <span>
                  <TierBadge tier={change.from} testId="risk-from" /> → <TierBadge tier={change.to} testId="risk-to" />
                </span>
                <span>{formatDateTime(change.at)}</span>
              </div>
              {change.reasons.map((reason) => (
                <div key={reason} className="timeline-text">
                  <RiskReasonText reason={reason} />
                </div>
              ))}
            </li>
          ))}
        </ol>
      )}
      <div className="card-list" data-testid="customer-receivables">
        {customer.receivables.map((receivable) => (
          <Link key={receivable.id} to={`/contracts/${receivable.contractId}`} className="plain-link">
            <ReceivableLine receivable={receivable} />
          </Link>
        ))}
        {customer.receivables.length === 0 && <div className="muted">{t('rcv.none')}</div>}
      </div>
    </Section>
  );
}
