import { Button, ErrorBlock, List, SpinLoading } from 'antd-mobile';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { Page, Section } from '../../components/Page';
import { Timeline } from '../../components/Timeline';
import { useOnSynced } from '../../lib/deviceOutbox';
import { formatDate, formatDateTime, formatDwell, formatMoney, isOverdue } from '../../lib/format';
import { useStages } from '../../lib/useStages';
import { DealTicketsSection } from '../tickets/DealTicketsSection';
import { DealContractsSection } from '../receivables/sections';
import { DealDocument } from './documents.generated';
import { StageProgress } from './StageProgress';

export default function DealPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useKeptQuery({ query: DealDocument, variables: { id } });
  const { stages, stageName } = useStages();
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);
  useOnSynced(refresh);

  const deal = result.data?.deal;
  if (!deal) {
    return (
      <Page title={t('deal.title')}>
        {result.fetching ? <SpinLoading /> : <ErrorBlock status="empty" title={t('deal.notFound')} description={result.error?.message ?? ''} />}
      </Page>
    );
  }
  const logUrl = `/log?deal=${deal.id}&customer=${deal.customer?.id ?? ''}&customerName=${encodeURIComponent(deal.customer?.name ?? '')}&dealTitle=${encodeURIComponent(deal.title)}`;
  return (
    <Page title={deal.title}>
      <div className="deal-header" data-testid="deal-header">
        <div className="deal-header-customer">
          {deal.customer && <Link to={`/customers/${deal.customer.id}`}>{deal.customer.name}</Link>}
        </div>
        <div className="deal-header-stage" data-testid="deal-stage">
          {t('deal.currentStage', { stage: deal.stageDetails?.name ?? deal.stage, time: formatDwell(deal.dwellHours) })}
        </div>
      </div>
      <StageProgress stages={stages} current={deal.stage} dwells={deal.stageDwells} />
      <div className="action-row">
        <Button color="primary" onClick={() => navigate(`/deals/${deal.id}/move`)} data-testid="move-stage">
          {t('deal.moveStage')}
        </Button>
        <Button onClick={() => navigate(logUrl)} data-testid="log-activity">
          {t('deal.logActivity')}
        </Button>
        <Button onClick={() => navigate(`/deals/${deal.id}/tickets/new`)} data-testid="raise-ticket">
          {t('tickets.raise')}
        </Button>
      </div>
      <Section title={t('deal.facts')}>
        <List>
          <List.Item extra={formatMoney(deal.amount)}>{t('deal.amount')}</List.Item>
          <List.Item extra={deal.owner?.name ?? '—'}>{t('deal.owner')}</List.Item>
          <List.Item extra={<span className={isOverdue(deal.nextFollowUpAt) ? 'overdue' : ''}>{formatDateTime(deal.nextFollowUpAt)}</span>}>
            {t('deal.nextFollowUp')}
          </List.Item>
          <List.Item extra={deal.coreNeed ?? '—'}>{t('gate.coreNeed')}</List.Item>
          <List.Item extra={deal.decisionRole ? t(`decisionRole.${deal.decisionRole}`) : '—'}>{t('gate.decisionRole')}</List.Item>
          <List.Item extra={deal.contact?.name ?? '—'}>{t('deal.contact')}</List.Item>
          <List.Item extra={deal.productLine ?? '—'}>{t('deal.productLine')}</List.Item>
          <List.Item extra={formatDate(deal.expectedCloseDate)}>{t('deal.expectedClose')}</List.Item>
          <List.Item extra={`${deal.forwardSkips} / ${deal.backwardMoves}`}>{t('deal.skipsAndReturns')}</List.Item>
        </List>
      </Section>
      <DealContractsSection dealId={deal.id} />
      <DealTicketsSection dealId={deal.id} />
      <Section title={t('deal.timeline', { count: deal.timeline.totalCount })}>
        <Timeline events={deal.timeline.nodes} stageName={stageName} />
      </Section>
    </Page>
  );
}
