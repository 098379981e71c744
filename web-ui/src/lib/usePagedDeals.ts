import { useCallback, useEffect, useRef, useState } from 'react';
import { useClient } from 'urql';
import { DealsPageDocument } from '../features/deals/documents.generated';
import type { DealCardFragment } from '../features/deals/documents.generated';
import type { DealFilterInput } from '../gql/graphql';

const PAGE_SIZE = 20;

/** Deals matching a filter, a page at a time over the Relay connection (`first`/`after`). */
export function usePagedDeals(filter: DealFilterInput) {
  const client = useClient();
  const [deals, setDeals] = useState<DealCardFragment[]>([]);
  const [totalCount, setTotalCount] = useState<number | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const cursor = useRef<string | null>(null);
  const generation = useRef(0);
  const filterKey = JSON.stringify(filter);

  useEffect(() => {
    generation.current += 1;
    cursor.current = null;
    setDeals([]);
    setTotalCount(null);
    setHasMore(true);
    setError(null);
  }, [filterKey]);

  const loadMore = useCallback(async () => {
    const mine = generation.current;
    const result = await client
      .query(DealsPageDocument, { filter: JSON.parse(filterKey) as DealFilterInput, first: PAGE_SIZE, after: cursor.current }, { requestPolicy: 'network-only' })
      .toPromise();
    if (mine !== generation.current) return;
    const page = result.data?.deals;
    if (!page) {
      setError(result.error?.message ?? 'error');
      setHasMore(false);
      return;
    }
    cursor.current = page.pageInfo.endCursor ?? null;
    setDeals((previous) => [...previous, ...page.edges.map((edge) => edge.node)]);
    setTotalCount(page.totalCount);
    setHasMore(page.pageInfo.hasNextPage);
  }, [client, filterKey]);

  const reload = useCallback(() => {
    generation.current += 1;
    cursor.current = null;
    setDeals([]);
    setHasMore(true);
  }, []);

  return { deals, totalCount, hasMore, error, loadMore, reload };
}
