import { Card, ErrorBlock, PullToRefresh, SpinLoading, Tag } from 'antd-mobile';
import { RightOutline } from 'antd-mobile-icons';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Page } from '../../components/Page';
import { formatDwell } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { PeopleDocument, RepSummaryDocument } from './documents.generated';
import { countRows, formatCount, formatHours, formatRate, overallConversion, overallDwell, type Comparison } from './figures';
import { PeriodTabs, usePeriod } from './FunnelPage';
import { teamMembers } from './team';

/** Stuck deals listed per rep; the rest are counted. */
const STUCK_SHOWN = 5;
const COMPARISON_CLASS: Record<Comparison, string> = { better: 'better', worse: 'worse', even: '', none: '' };

/** A manager's team: each rep's figures for the period and their stuck deals; a tap opens the rep's funnel page. */
export default function TeamPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [period, setPeriod, range] = usePeriod();
  const [result, reexecute] = useKeptQuery({ query: PeopleDocument });
  const [refreshKey, setRefreshKey] = useState(0);
  const members = result.data && session ? teamMembers(result.data, session.user) : null;
  return (
    <Page title={t('team.title')}>
      <PeriodTabs period={period} onChange={setPeriod} />
      <PullToRefresh
        onRefresh={async () => {
          reexecute({ requestPolicy: 'network-only' });
          setRefreshKey((key) => key + 1);
        }}
      >
        {!members && result.fetching && <SpinLoading className="center" />}
        {!members && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {members && members.length === 0 && <ErrorBlock status="empty" title={t('team.empty')} description="" />}
        {members && members.length > 0 && (
          <div className="team-list" data-testid="team-list">
            {members.map((member) => (
              <RepCard key={member.id} userId={member.id} name={member.name} range={range} period={period} refreshKey={refreshKey} />
            ))}
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}

function RepCard({ userId, name, range, period, refreshKey }: { userId: string; name: string; range: { from: string; to: string }; period: string; refreshKey: number }) {
  const { t } = useTranslation();
  const [result, reexecute] = useKeptQuery({ query: RepSummaryDocument, variables: { userId, ...range } });
  const firstKey = useRef(refreshKey);
  useEffect(() => {
    if (refreshKey !== firstKey.current) reexecute({ requestPolicy: 'network-only' });
  }, [refreshKey, reexecute]);
  const figures = result.data?.funnelHealth;
  const stuck = result.data?.stuck;
  const link = `/funnel/${userId}${period === 'week' ? '' : `?period=${period}`}`;
  return (
    <Card
      className="rep-card"
      data-testid="team-rep"
      data-user-id={userId}
      title={
        <Link to={link} className="rep-card-name" data-testid="team-rep-link">
          {name}
          <RightOutline className="rep-card-arrow" />
        </Link>
      }
    >
      {!figures && result.fetching && <SpinLoading />}
      {!figures && result.error && <div className="muted">{t('errors.loadFailed')}</div>}
      {figures && (
        <Link to={link} className="rep-figures" data-testid="team-rep-figures">
          {countRows(figures).map((row) => (
            <div key={row.key} className={`rep-figure ${COMPARISON_CLASS[row.comparison]}`}>
              <div className="rep-figure-value">{row.valueText}</div>
              <div className="rep-figure-label">{t(`team.short.${row.key}`)}</div>
              <div className="rep-figure-median">{row.median === null ? '—' : t('team.medianShort', { value: formatCount(row.median) })}</div>
            </div>
          ))}
          <div className="rep-figure">
            <div className="rep-figure-value">{formatRate(overallConversion(figures))}</div>
            <div className="rep-figure-label">{t('team.short.conversion')}</div>
          </div>
          <div className="rep-figure">
            <div className="rep-figure-value small">{formatHours(overallDwell(figures))}</div>
            <div className="rep-figure-label">{t('team.short.dwell')}</div>
          </div>
        </Link>
      )}
      {stuck && (
        <div className="rep-stuck" data-testid="team-rep-stuck">
          <div className="rep-stuck-head">
            {t('team.stuckDeals')} <Tag color={stuck.totalCount > 0 ? 'warning' : 'default'}>{stuck.totalCount}</Tag>
          </div>
          {stuck.nodes.length === 0 ? (
            <div className="muted">{t('team.noStuck')}</div>
          ) : (
            <ul className="rep-stuck-list">
              {stuck.nodes.slice(0, STUCK_SHOWN).map((deal) => (
                <li key={deal.id}>
                  <Link to={`/deals/${deal.id}`} className="rep-stuck-deal" data-testid="team-stuck-deal">
                    <span className="rep-stuck-title">{deal.title}</span>
                    <span className="rep-stuck-meta">
                      {deal.stageDetails?.name ?? deal.stage} · {formatDwell(deal.dwellHours)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
          {stuck.totalCount > STUCK_SHOWN && <div className="muted rep-stuck-more">{t('team.moreStuck', { count: stuck.totalCount - STUCK_SHOWN })}</div>}
        </div>
      )}
    </Card>
  );
}
