import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { DealCard } from '../../components/DealCard';
import { Page, Section } from '../../components/Page';
import { Timeline } from '../../components/Timeline';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useStages } from '../../lib/useStages';
import { CustomerDocument } from './documents.generated';
import { CustomerRiskSection } from '../receivables/sections';

export default function CustomerPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useKeptQuery({ query: CustomerDocument, variables: { id } });
  const { stageName } = useStages();
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);
  const customer = result.data?.customer;
  if (!customer) {
    return (
      <Page title={t('customers.customer')}>
        {result.fetching ? <SpinLoading /> : <ErrorBlock status="empty" title={t('customers.notFound')} description={result.error?.message ?? ''} />}
      </Page>
    );
  }
  const name = encodeURIComponent(customer.name);
  return (
    <Page title={customer.name}>
      <div className="deal-header" data-testid="customer-header">
        <div className="deal-header-customer">{customer.name}</div>
        <div className="muted">{[customer.industry, customer.region, customer.size].filter(Boolean).join(' · ')}</div>
        {customer.creditCode && <div className="muted">{t('customers.creditCode')}: {customer.creditCode}</div>}
        <div className="muted">{t('deal.owner')}: {customer.owner?.name ?? '—'}</div>
      </div>
      <div className="action-row">
        <Button color="primary" onClick={() => navigate(`/log?customer=${customer.id}&customerName=${name}`)} data-testid="customer-log">
          {t('deal.logActivity')}
        </Button>
        <Button onClick={() => navigate(`/deals/new?customer=${customer.id}&customerName=${name}`)} data-testid="customer-new-deal">
          {t('deals.new')}
        </Button>
      </div>
      <CustomerRiskSection customerId={customer.id} />
      <Section
        title={t('contacts.title', { count: customer.contacts.length })}
        extra={
          <Button size="mini" fill="none" color="primary" onClick={() => navigate(`/customers/${customer.id}/contacts/new`)} data-testid="new-contact">
            {t('contacts.add')}
          </Button>
        }
      >
        <List>
          {customer.contacts.map((contact) => (
            <List.Item
              key={contact.id}
              description={[contact.title, contact.decisionRole ? t(`decisionRole.${contact.decisionRole}`) : null, contact.phone, contact.email]
                .filter(Boolean)
                .join(' · ')}
            >
              {contact.name}
            </List.Item>
          ))}
        </List>
        {customer.contacts.length === 0 && <div className="muted padded">{t('contacts.none')}</div>}
      </Section>
      <Section title={t('customers.deals', { count: customer.deals.totalCount })}>
        <div className="card-list">
          {customer.deals.nodes.map((deal) => (
            <DealCard key={deal.id} deal={deal} />
          ))}
        </div>
      </Section>
      <Section title={t('deal.timeline', { count: customer.timeline.totalCount })}>
        <Timeline events={customer.timeline.nodes} stageName={stageName} />
      </Section>
    </Page>
  );
}
