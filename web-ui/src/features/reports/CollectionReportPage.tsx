import type { TFunction } from 'i18next';
import { Button, ErrorBlock, NoticeBar, PullToRefresh, SpinLoading, Tag } from 'antd-mobile';
import { LeftOutline, RightOutline } from 'antd-mobile-icons';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Page, Section } from '../../components/Page';
import { apiErrorFrom } from '../../lib/errors';
import { formatDate, formatMoney } from '../../lib/format';
import { useSession } from '../../lib/hooks';
import { useKeptQuery } from '../../lib/useKeptQuery';
import type { CollectionReportQuery, IndustryCollectionFieldsFragment } from './documents.generated';
import { CollectionReportDocument } from './documents.generated';
import { daysLate, formatDays, formatSharePercent, isMonth, monthLabel, previousMonth, shiftMonth } from './month';
import '../receivables/i18n';

// The same lazily loaded ECharts bars as the collaboration health page.
const GroupedBarChart = lazy(() => import('../collab/CollabCharts'));

/** Who may read the report (the API refuses everyone else). */
const REPORT_ROLES = new Set(['FINANCE', 'MANAGER', 'ADMIN']);

type Report = CollectionReportQuery['collectionReport'];

/**
 * R7, the monthly industry collection report (行业回款健康报告) of any
 * ended month, the previous one by default: the most overdue customers,
 * agreed vs actual payment days per industry, and the industries whose
 * overdue share rose.
 */
export default function CollectionReportPage() {
  const { t } = useTranslation();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const latest = previousMonth();
  const requested = params.get('month');
  const month = isMonth(requested) ? requested : latest;
  const allowed = !!session && REPORT_ROLES.has(session.user.role);
  const [result, reexecute] = useKeptQuery({ query: CollectionReportDocument, variables: { month }, pause: !allowed });
  const setMonth = useCallback((next: string) => setParams(next === latest ? {} : { month: next }, { replace: true }), [setParams, latest]);
  const report = result.data?.collectionReport;
  // A refusal (a month that has not ended, a bad month) is worded by the API; show it with the picker still there.
  const error = !report && result.error ? apiErrorFrom(result.error.graphQLErrors[0] ?? { message: result.error.message, extensions: { code: 'NETWORK' } }) : null;

  return (
    <Page title={t('report.title')} wide>
      {!allowed ? (
        <ErrorBlock status="empty" title={t('report.notAllowed')} description="" />
      ) : (
        <>
          <MonthPicker month={month} latest={latest} onChange={setMonth} />
          <PullToRefresh onRefresh={async () => reexecute({ requestPolicy: 'network-only' })}>
            {!report && result.fetching && <SpinLoading className="center" />}
            {error && (
              <NoticeBar
                color="error"
                wrap
                data-testid="report-error"
                content={error.code === 'BAD_INPUT' && /ended/.test(error.message) ? t('report.notEnded') : error.code === 'NETWORK' ? t('errors.loadFailed') : `${t('errors.loadFailed')} · ${error.message}`}
              />
            )}
            {report && <ReportBody report={report} />}
          </PullToRefresh>
        </>
      )}
    </Page>
  );
}

/** ‹ 2026年10月 › with a month input: months after the latest ended one are not offered. */
function MonthPicker({ month, latest, onChange }: { month: string; latest: string; onChange: (month: string) => void }) {
  const { t } = useTranslation();
  // A link may name a later month than this device's calendar (the server's clock decides what has
  // ended): that month stays reachable after stepping back from it.
  const [linked, setLinked] = useState(month);
  useEffect(() => {
    if (month > linked) setLinked(month);
  }, [month, linked]);
  const max = [latest, linked, month].sort()[2];
  return (
    <div className="month-picker" data-testid="month-picker">
      <Button size="small" fill="none" aria-label={t('report.previousMonth')} onClick={() => onChange(shiftMonth(month, -1))} data-testid="month-previous">
        <LeftOutline />
      </Button>
      <label className="month-picker-label">
        <span className="month-picker-text" data-testid="month-label">
          {monthLabel(month)}
        </span>
        <input
          className="month-picker-input"
          type="month"
          value={month}
          max={max}
          aria-label={t('report.pickMonth')}
          data-testid="month-input"
          onClick={(event) => {
            // Open the browser's month picker on a tap anywhere on the label, where supported.
            try {
              event.currentTarget.showPicker?.();
            } catch {
              // Not allowed here (e.g. no user gesture): the input still takes typing.
            }
          }}
          onChange={(event) => {
            if (isMonth(event.target.value) && event.target.value <= max) onChange(event.target.value);
          }}
        />
      </label>
      <Button size="small" fill="none" aria-label={t('report.nextMonth')} disabled={month >= max} onClick={() => onChange(shiftMonth(month, 1))} data-testid="month-next">
        <RightOutline />
      </Button>
    </div>
  );
}

function ReportBody({ report }: { report: Report }) {
  const { t } = useTranslation();
  return (
    <div className="report-page" data-testid="collection-report" data-month={report.month}>
      <div className="muted padded" data-testid="report-scope">
        {t('report.asOf', { date: formatDate(report.monthEnd), currency: report.currency })} · {report.orgWide ? t('report.orgWide') : t('report.team')}
      </div>
      <RisingIndustries rows={report.risingIndustries} />
      <TopOverdue report={report} />
      <Industries rows={report.industries} />
    </div>
  );
}

/** An industry's name; customers without one form their own group. */
function industryName(industry: string | null | undefined, t: TFunction): string {
  return industry ?? t('report.noIndustry');
}

function RisingIndustries({ rows }: { rows: IndustryCollectionFieldsFragment[] }) {
  const { t } = useTranslation();
  return (
    <Section title={t('report.risingTitle')} testId="report-rising">
      {rows.length === 0 ? (
        <div className="muted padded">{t('report.risingNone')}</div>
      ) : (
        <div className="rising-list">
          {rows.map((row) => (
            <div key={row.industry ?? ''} className="rising-chip" data-testid="rising-industry" data-industry={row.industry ?? ''}>
              <strong>{industryName(row.industry, t)}</strong>
              <span>
                {formatSharePercent(row.previousOverdueSharePercent ?? 0)} → <b className="overdue">{formatSharePercent(row.overdueSharePercent)}</b>
              </span>
            </div>
          ))}
        </div>
      )}
    </Section>
  );
}

function TopOverdue({ report }: { report: Report }) {
  const { t } = useTranslation();
  const rows = report.topOverdueCustomers;
  return (
    <Section title={t('report.topTitle', { count: rows.length })} testId="report-top">
      {rows.length === 0 ? (
        <div className="muted padded">{t('report.topNone')}</div>
      ) : (
        <ol className="card-grid top-overdue" data-testid="top-overdue">
          {rows.map((row, index) => (
            <li key={row.customer?.id ?? index} className="rcv-card top-overdue-row" data-testid="top-overdue-row" data-customer-id={row.customer?.id ?? ''}>
              <div className="rcv-card-head">
                <span className="rank">{index + 1}</span>
                {row.customer ? (
                  <Link to={`/customers/${row.customer.id}`} className="link rcv-customer" data-testid="top-overdue-customer">
                    {row.customer.name}
                  </Link>
                ) : (
                  <span>{t('report.customerGone')}</span>
                )}
              </div>
              <div className="top-overdue-facts">
                <strong className="overdue" data-testid="top-overdue-amount">
                  {formatMoney(row.overdueAmount)}
                </strong>
                <Tag color="danger" fill="outline" data-testid="top-overdue-days">
                  {t('rcv.daysOverdue', { count: row.overdueDays })}
                </Tag>
                <span className="muted">{t('report.receivables', { count: row.overdueReceivables })}</span>
                {row.customer?.industry && <span className="muted">{row.customer.industry}</span>}
              </div>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

function Industries({ rows }: { rows: IndustryCollectionFieldsFragment[] }) {
  const { t } = useTranslation();
  const paid = useMemo(() => rows.filter((row) => row.paidReceivables > 0), [rows]);
  const categories = useMemo(() => paid.map((row) => industryName(row.industry, t)), [paid, t]);
  const series = useMemo(
    () => [
      { name: t('report.agreedDays'), values: paid.map((row) => row.averageAgreedDays ?? null) },
      { name: t('report.actualDays'), values: paid.map((row) => row.averageActualDays ?? null) },
    ],
    [paid, t],
  );
  const formatChartDays = useCallback((value: number) => t('report.days', { days: formatDays(value) }), [t]);
  return (
    <Section title={t('report.industriesTitle')} testId="report-industries">
      {rows.length === 0 ? (
        <div className="muted padded">{t('report.industriesNone')}</div>
      ) : (
        <>
          {paid.length > 0 ? (
            <div className="report-chart">
              <div className="collab-chart-card">
                <div className="figure-title">{t('report.daysChart')}</div>
                <Suspense fallback={<SpinLoading />}>
                  <GroupedBarChart categories={categories} series={series} format={formatChartDays} testId="report-days-chart" />
                </Suspense>
              </div>
            </div>
          ) : (
            <div className="muted padded">{t('report.nonePaid')}</div>
          )}
          <div className="card-grid industry-cards">
            {rows.map((row) => {
              const late = daysLate(row.averageAgreedDays, row.averageActualDays);
              return (
                <div
                  key={row.industry ?? ''}
                  className={`rcv-card industry-card${row.overdueShareRising ? ' is-rising' : ''}`}
                  data-testid="industry-row"
                  data-industry={row.industry ?? ''}
                  data-rising={row.overdueShareRising ? 'true' : 'false'}
                >
                  <div className="rcv-card-head">
                    <strong>{industryName(row.industry, t)}</strong>
                    {row.overdueShareRising && (
                      <Tag color="danger" data-testid="industry-rising">
                        {t('report.rising')}
                      </Tag>
                    )}
                  </div>
                  <div className="industry-days" data-testid="industry-days">
                    {row.paidReceivables > 0 ? (
                      <>
                        {t('report.agreedVsActual', { agreed: formatDays(row.averageAgreedDays), actual: formatDays(row.averageActualDays) })}
                        {late !== null && <span className={late > 0 ? 'overdue' : 'muted'}> · {late > 0 ? t('report.late', { days: formatDays(late) }) : late < 0 ? t('report.early', { days: formatDays(-late) }) : t('report.onTime')}</span>}
                        <span className="muted"> · {t('report.paidCount', { count: row.paidReceivables })}</span>
                      </>
                    ) : (
                      <span className="muted">{t('report.noPaidHere')}</span>
                    )}
                  </div>
                  <div className="industry-share" data-testid="industry-share">
                    {t('report.share')} {formatSharePercent(row.previousOverdueSharePercent ?? 0)} → <b className={row.overdueShareRising ? 'overdue' : undefined}>{formatSharePercent(row.overdueSharePercent)}</b>
                  </div>
                  <div className="muted small">{t('report.overdueOfOutstanding', { overdue: formatMoney(row.overdue), outstanding: formatMoney(row.outstanding) })}</div>
                </div>
              );
            })}
          </div>
        </>
      )}
    </Section>
  );
}
