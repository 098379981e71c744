import { CapsuleTabs, ErrorBlock, PullToRefresh, SpinLoading } from 'antd-mobile';
import { useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { Page } from '../../components/Page';
import { formatDate, formatDateTime } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { FunnelHealthDocument } from './documents.generated';
import { FunnelFigures } from './FunnelFigures';
import { parsePeriod, periodRange, PERIODS, type Period } from './figures';

/** The period picker shared by the funnel page and the team view (kept in the URL). */
export function usePeriod(): [Period, (period: Period) => void, { from: string; to: string }] {
  const [params, setParams] = useSearchParams();
  const period = parsePeriod(params.get('period'));
  const range = useMemo(() => periodRange(period), [period]);
  const setPeriod = useCallback((next: Period) => setParams(next === 'week' ? {} : { period: next }, { replace: true }), [setParams]);
  return [period, setPeriod, range];
}

export function PeriodTabs({ period, onChange }: { period: Period; onChange: (period: Period) => void }) {
  const { t } = useTranslation();
  return (
    <div data-testid="period-picker">
      <CapsuleTabs activeKey={period} onChange={(key) => onChange(key as Period)}>
        {PERIODS.map((key) => (
          <CapsuleTabs.Tab key={key} title={t(`funnel.period.${key}`)} />
        ))}
      </CapsuleTabs>
    </div>
  );
}

/** A person's funnel health (E6): mine by default, a rep's when a manager opens it from the team view. */
export default function FunnelPage() {
  const { t } = useTranslation();
  const session = useSession();
  const { userId: param } = useParams();
  const userId = param ?? session?.user.id ?? '';
  const [period, setPeriod, range] = usePeriod();
  const [result, reexecute] = useKeptQuery({ query: FunnelHealthDocument, variables: { userId, ...range }, pause: !userId });
  const figures = result.data?.funnelHealth;
  const someoneElse = param && param !== session?.user.id;
  return (
    <Page title={someoneElse && figures?.user ? t('funnel.titleOf', { name: figures.user.name }) : t('funnel.title')}>
      <PeriodTabs period={period} onChange={setPeriod} />
      <PullToRefresh onRefresh={async () => reexecute({ requestPolicy: 'network-only' })}>
        {!figures && result.fetching && <SpinLoading className="center" />}
        {!figures && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {figures && (
          <div data-testid="funnel-page">
            <div className="muted padded funnel-range">
              {t('funnel.range', { from: formatDate(figures.from), to: formatDateTime(figures.to) })}
              {figures.team.length > 0 ? ` · ${t('funnel.teamOf', { count: figures.team.length })}` : ` · ${t('funnel.noTeam')}`}
            </div>
            <FunnelFigures figures={figures} />
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}
