import { Button, ErrorBlock, PullToRefresh, SpinLoading } from 'antd-mobile';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { RightOutline } from 'antd-mobile-icons';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { DealCard } from '../../components/DealCard';
import { Page, Section } from '../../components/Page';
import type { DealCardFragment } from '../deals/documents.generated';
import { useOnSynced } from '../../lib/deviceOutbox';
import { endOfToday } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { TodayDocument } from './documents.generated';
import { todaySections } from './sections';

/**
 * The rep's day: follow-ups due or overdue, deals stuck in their stage, the
 * open pipeline, and the sections registered in `todaySections` (my open
 * alerts; tickets when the API has them).
 */
export default function TodayPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const session = useSession();
  const dueBefore = useMemo(() => endOfToday(), []);
  const [result, reexecute] = useKeptQuery({
    query: TodayDocument,
    variables: { me: session?.user.id ?? '', dueBefore },
    pause: !session,
  });
  const [refreshKey, setRefreshKey] = useState(0);
  const refresh = useCallback(() => {
    reexecute({ requestPolicy: 'network-only' });
    setRefreshKey((key) => key + 1);
  }, [reexecute]);
  useOnSynced(refresh);
  const data = result.data;

  const logButton = (deal: DealCardFragment) => (
    <Button
      size="small"
      color="primary"
      fill="outline"
      onClick={() =>
        navigate(
          `/log?deal=${deal.id}&customer=${deal.customer?.id ?? ''}&customerName=${encodeURIComponent(deal.customer?.name ?? '')}&dealTitle=${encodeURIComponent(deal.title)}`,
        )
      }
    >
      {t('today.log')}
    </Button>
  );

  return (
    <Page title={t('today.title')} back={false}>
      <PullToRefresh onRefresh={async () => refresh()}>
        <div className="today-greeting">{t('today.greeting', { name: session?.user.name ?? '' })}</div>
        <div className="today-links">
          <Link to="/funnel" className="today-link" data-testid="today-funnel">
            {t('today.funnel')}
            <RightOutline />
          </Link>
          {(session?.user.role === 'MANAGER' || session?.user.role === 'ADMIN') && (
            <Link to="/team" className="today-link" data-testid="today-team">
              {t('today.team')}
              <RightOutline />
            </Link>
          )}
          {(session?.user.role === 'MANAGER' || session?.user.role === 'ADMIN') && (
            <Link to="/collab-health" className="today-link" data-testid="today-collab">
              {t('collab.title')}
              <RightOutline />
            </Link>
          )}
        </div>
        {!data && result.fetching && <SpinLoading className="center" />}
        {!data && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {data && (
          <>
            <Section title={t('today.due', { count: data.due.totalCount })} testId="today-due">
              {data.due.nodes.length === 0 ? (
                <div className="muted padded">{t('today.nothingDue')}</div>
              ) : (
                <div className="card-list">
                  {data.due.nodes.map((deal) => (
                    <DealCard key={deal.id} deal={deal} action={logButton(deal)} />
                  ))}
                </div>
              )}
            </Section>
            {todaySections.map(({ key, Component }) => (
              <Component key={key} refreshKey={refreshKey} />
            ))}
            <Section title={t('today.stuck', { count: data.stuck.totalCount })} testId="today-stuck">
              {data.stuck.nodes.length === 0 ? (
                <div className="muted padded">{t('today.nothingStuck')}</div>
              ) : (
                <div className="card-list">
                  {data.stuck.nodes.map((deal) => (
                    <DealCard
                      key={deal.id}
                      deal={deal}
                      action={
                        <Button size="small" color="primary" fill="outline" onClick={() => navigate(`/deals/${deal.id}/move`)}>
                          {t('deal.moveStage')}
                        </Button>
                      }
                    />
                  ))}
                </div>
              )}
            </Section>
            <Section
              title={t('today.open', { count: data.open.totalCount })}
              extra={
                <Button size="mini" fill="none" onClick={() => navigate('/deals')}>
                  {t('today.allDeals')}
                </Button>
              }
              testId="today-open"
            >
              <div className="card-list">
                {data.open.nodes.map((deal) => (
                  <DealCard key={deal.id} deal={deal} action={logButton(deal)} />
                ))}
              </div>
            </Section>
          </>
        )}
      </PullToRefresh>
    </Page>
  );
}
