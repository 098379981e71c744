import { CapsuleTabs, ErrorBlock, PullToRefresh, SpinLoading } from 'antd-mobile';
import { lazy, Suspense, useCallback, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Page, Section } from '../../components/Page';
import type { CollabRowFragment } from './documents.generated';
import { formatDate, formatDateTime } from '../../lib/format';
import { useKeptQuery } from '../../lib/useKeptQuery';
import { parsePeriod, periodRange, PERIODS, type Period } from '../funnel/figures';
import { formatPercent, formatResponse, formatScore, groupName } from './collabFigures';
import { CollaborationHealthDocument } from './documents.generated';

const GroupedBarChart = lazy(() => import('./CollabCharts'));

/** Collaboration health (C5) for managers and admins: per department and per ticket kind, with charts. */
export default function CollabHealthPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const period = parsePeriod(params.get('period') ?? '30d');
  const range = useMemo(() => periodRange(period), [period]);
  const [result, reexecute] = useKeptQuery({ query: CollaborationHealthDocument, variables: range });
  const setPeriod = useCallback((next: Period) => setParams(next === '30d' ? {} : { period: next }, { replace: true }), [setParams]);
  const data = result.data;
  return (
    <Page title={t('collab.title')} wide>
      <div data-testid="period-picker">
        <CapsuleTabs activeKey={period} onChange={(key) => setPeriod(key as Period)}>
          {PERIODS.map((key) => (
            <CapsuleTabs.Tab key={key} title={t(`funnel.period.${key}`)} />
          ))}
        </CapsuleTabs>
      </div>
      <PullToRefresh onRefresh={async () => reexecute({ requestPolicy: 'network-only' })}>
        <div className="muted padded">{t('collab.range', { from: formatDate(range.from), to: formatDateTime(range.to) })}</div>
        {!data && result.fetching && <SpinLoading className="center" />}
        {!data && result.error && <ErrorBlock status="disconnected" title={t('errors.loadFailed')} description={result.error.message} />}
        {data && (
          <div className="collab-page" data-testid="collab-health">
            <CollabGroup title={t('collab.byDepartment')} rows={data.byDepartment} by="department" testId="collab-department" />
            <CollabGroup title={t('collab.byKind')} rows={data.byKind} by="kind" testId="collab-kind" />
          </div>
        )}
      </PullToRefresh>
    </Page>
  );
}

function CollabGroup({ title, rows, by, testId }: { title: string; rows: CollabRowFragment[]; by: 'department' | 'kind'; testId: string }) {
  const { t } = useTranslation();
  const categories = useMemo(() => rows.map((row) => groupName(row.group, by, t)), [rows, by, t]);
  const responseSeries = useMemo(
    () => [
      { name: t('collab.avgResponse'), values: rows.map((row) => row.averageFirstResponseMinutes ?? null) },
      { name: t('collab.p90Response'), values: rows.map((row) => row.p90FirstResponseMinutes ?? null) },
    ],
    [rows, t],
  );
  const rateSeries = useMemo(
    () => [
      { name: t('collab.slaAttainment'), values: rows.map((row) => row.slaAttainment ?? null) },
      { name: t('collab.reworkRate'), values: rows.map((row) => row.reworkRate ?? null) },
      { name: t('collab.firstPass'), values: rows.map((row) => row.firstPassAcceptanceRate ?? null) },
    ],
    [rows, t],
  );
  const responseFormat = useCallback((value: number) => formatResponse(value, t), [t]);
  return (
    <Section title={title} testId={testId}>
      {rows.length === 0 ? (
        <div className="muted padded">{t('collab.empty')}</div>
      ) : (
        <>
          <div className="collab-charts">
            <div className="collab-chart-card">
              <div className="figure-title">{t('collab.firstResponseChart')}</div>
              <Suspense fallback={<SpinLoading />}>
                <GroupedBarChart categories={categories} series={responseSeries} format={responseFormat} testId={`${testId}-response-chart`} />
              </Suspense>
            </div>
            <div className="collab-chart-card">
              <div className="figure-title">{t('collab.ratesChart')}</div>
              <Suspense fallback={<SpinLoading />}>
                <GroupedBarChart categories={categories} series={rateSeries} format={formatPercent} max={1} testId={`${testId}-rates-chart`} />
              </Suspense>
            </div>
          </div>
          <div className="collab-table-wrap">
            <table className="collab-table" data-testid={`${testId}-table`}>
              <thead>
                <tr>
                  <th>{by === 'department' ? t('collab.department') : t('collab.kind')}</th>
                  <th>{t('collab.tickets')}</th>
                  <th>{t('collab.avgResponse')}</th>
                  <th>{t('collab.p90Response')}</th>
                  <th>{t('collab.slaAttainment')}</th>
                  <th>{t('collab.overdueNow')}</th>
                  <th>{t('collab.reworkRate')}</th>
                  <th>{t('collab.firstPass')}</th>
                  <th>{t('collab.satisfaction')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, index) => (
                  <tr key={row.group} data-testid="collab-row" data-group={row.group}>
                    <th>{categories[index]}</th>
                    <td>
                      {row.tickets}
                      <div className="collab-sub">{t('collab.responded', { count: row.respondedTickets })}</div>
                    </td>
                    <td>{formatResponse(row.averageFirstResponseMinutes, t)}</td>
                    <td>{formatResponse(row.p90FirstResponseMinutes, t)}</td>
                    <td>
                      {formatPercent(row.slaAttainment)}
                      <div className="collab-sub">
                        {row.slaMetTickets}/{row.slaDecidedTickets}
                      </div>
                    </td>
                    <td className={row.overdueNow > 0 ? 'overdue' : ''} data-testid="collab-overdue">
                      {row.overdueNow}
                    </td>
                    <td data-testid="collab-rework">
                      {formatPercent(row.reworkRate)}
                      <div className="collab-sub">
                        {row.reworkedTickets}/{row.deliveredTickets}
                      </div>
                    </td>
                    <td>
                      {formatPercent(row.firstPassAcceptanceRate)}
                      <div className="collab-sub">{t('collab.accepted', { count: row.acceptedTickets })}</div>
                    </td>
                    <td>
                      {formatScore(row.averageSatisfaction)}
                      <div className="collab-sub">{t('collab.rated', { count: row.ratedTickets })}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Section>
  );
}
