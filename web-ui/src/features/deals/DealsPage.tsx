import { Button, CapsuleTabs, ErrorBlock, InfiniteScroll, SearchBar, Segmented, Selector } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { DealCard } from '../../components/DealCard';
import { Page } from '../../components/Page';
import type { DealFilterInput } from '../../gql/graphql';
import { useOnSynced } from '../../lib/deviceOutbox';
import { useSession } from '../../lib/hooks';
import { usePagedDeals } from '../../lib/usePagedDeals';
import { useStages } from '../../lib/useStages';
import { DealsBoard } from './DealsBoard';

/** Deals as a searchable, filterable list, or as a board by stage. */
export default function DealsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = params.get('view') === 'board' ? 'board' : 'list';
  return (
    <Page
      title={t('deals.title')}
      back={false}
      right={
        <Button size="small" fill="none" onClick={() => navigate('/deals/new')} aria-label={t('deals.new')} data-testid="new-deal">
          <AddOutline fontSize={22} />
        </Button>
      }
    >
      <div className="deals-toolbar">
        <Segmented
          block
          value={view}
          onChange={(value) => setParams(value === 'board' ? { view: 'board' } : {}, { replace: true })}
          options={[
            { label: t('deals.list'), value: 'list' },
            { label: t('deals.board'), value: 'board' },
          ]}
        />
      </div>
      {view === 'list' ? <DealsList /> : <DealsBoard />}
    </Page>
  );
}

function DealsList() {
  const { t } = useTranslation();
  const session = useSession();
  const { stages } = useStages();
  const [search, setSearch] = useState('');
  const [stage, setStage] = useState<string>('');
  const [flags, setFlags] = useState<string[]>(['open']);
  const filter: DealFilterInput = {
    search: search || undefined,
    stage: stage || undefined,
    open: flags.includes('open') ? true : undefined,
    stuck: flags.includes('stuck') ? true : undefined,
    followUpDueBefore: flags.includes('due') ? new Date().toISOString() : undefined,
    ownerId: flags.includes('mine') ? session?.user.id : undefined,
  };
  const { deals, totalCount, hasMore, error, loadMore, reload } = usePagedDeals(filter);
  useOnSynced(reload);
  return (
    <div data-testid="deals-list">
      <div className="padded">
        <SearchBar placeholder={t('deals.search')} onSearch={setSearch} onClear={() => setSearch('')} />
      </div>
      <CapsuleTabs activeKey={stage || 'all'} onChange={(key) => setStage(key === 'all' ? '' : key)}>
        <CapsuleTabs.Tab title={t('deals.allStages')} key="all" />
        {stages.map((item) => (
          <CapsuleTabs.Tab title={item.name} key={item.key} />
        ))}
      </CapsuleTabs>
      <div className="padded">
        <Selector
          multiple
          value={flags}
          onChange={setFlags}
          options={[
            { label: t('deals.filterOpen'), value: 'open' },
            { label: t('deals.filterMine'), value: 'mine' },
            { label: t('deals.filterStuck'), value: 'stuck' },
            { label: t('deals.filterDue'), value: 'due' },
          ]}
        />
      </div>
      {totalCount !== null && <div className="muted padded">{t('deals.count', { count: totalCount })}</div>}
      {error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={error} />}
      <div className="card-list">
        {deals.map((deal) => (
          <DealCard key={deal.id} deal={deal} />
        ))}
      </div>
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
        {hasMore ? t('common.loading') : deals.length > 0 ? t('deals.end') : t('deals.none')}
      </InfiniteScroll>
    </div>
  );
}
