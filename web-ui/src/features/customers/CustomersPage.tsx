import { Button, InfiniteScroll, List, SearchBar } from 'antd-mobile';
import { AddOutline } from 'antd-mobile-icons';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient } from 'urql';
import { Page } from '../../components/Page';
import type { CustomerSearchQuery as CustomerSearchResult } from './documents.generated';
import { useOnSynced } from '../../lib/deviceOutbox';
import { CustomerSearchDocument } from './documents.generated';

type CustomerRow = CustomerSearchResult['customers']['nodes'][number];

export default function CustomersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<CustomerRow[]>([]);
  const [hasMore, setHasMore] = useState(true);
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);

  const reset = useCallback(() => {
    generation.current += 1;
    cursor.current = null;
    setRows([]);
    setHasMore(true);
  }, []);
  useEffect(reset, [search, reset]);
  useOnSynced(reset);

  const loadMore = async () => {
    const mine = generation.current;
    const result = await client
      .query(CustomerSearchDocument, { search: search || null, first: 20, after: cursor.current }, { requestPolicy: 'network-only' })
      .toPromise();
    if (mine !== generation.current) return;
    const page = result.data?.customers;
    if (!page) {
      setHasMore(false);
      return;
    }
    cursor.current = page.pageInfo.endCursor ?? null;
    setRows((previous) => [...previous, ...page.nodes]);
    setHasMore(page.pageInfo.hasNextPage);
  };

  return (
    <Page
      title={t('customers.title')}
      back={false}
      right={
        <Button size="small" fill="none" onClick={() => navigate('/customers/new')} aria-label={t('customers.new')} data-testid="new-customer">
          <AddOutline fontSize={22} />
        </Button>
      }
    >
      <div className="padded">
        <SearchBar placeholder={t('customers.search')} onSearch={setSearch} onClear={() => setSearch('')} />
      </div>
      <List>
        {rows.map((customer) => (
          <List.Item
            key={customer.id}
            onClick={() => navigate(`/customers/${customer.id}`)}
            description={[customer.industry, customer.region, customer.creditCode].filter(Boolean).join(' · ')}
          >
            {customer.name}
          </List.Item>
        ))}
      </List>
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
        {hasMore ? t('common.loading') : rows.length === 0 ? t('customers.none') : ''}
      </InfiniteScroll>
    </Page>
  );
}
