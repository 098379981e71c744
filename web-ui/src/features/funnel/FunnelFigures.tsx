import { Card, Tag } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useStages } from '../../lib/useStages';
import { GroupedBars, PairBars } from './charts';
import { countRows, formatCount, formatHours, formatRate, medianText, type Comparison, type Figures } from './figures';

const COMPARISON_COLOR: Record<Comparison, string> = { better: 'success', worse: 'danger', even: 'default', none: 'default' };

/** The five figures of one person's funnel health beside the team median, plus overdue follow-ups. */
export function FunnelFigures({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  const { stageName } = useStages();
  const legend: [string, string] = [t('funnel.mine'), t('funnel.median')];
  const counts = countRows(figures);
  const count = (key: (typeof counts)[number]['key']) => counts.find((row) => row.key === key)!;
  const countCard = (key: (typeof counts)[number]['key'], number: string) => {
    const row = count(key);
    return (
      <div className="figure-card" data-testid={`figure-${key}`}>
        <div className="figure-title">
          {number && <span className="figure-number">{number}</span>}
          {t(`funnel.figure.${key}`)}
        </div>
        <div className="figure-values">
          <span className="figure-value" data-testid="figure-value">{row.valueText}</span>
          <span className="figure-median" data-testid="figure-median">{row.medianText}</span>
        </div>
        {row.comparison !== 'none' && (
          <Tag color={COMPARISON_COLOR[row.comparison]} fill="outline" className="figure-tag">
            {t(`funnel.comparison.${row.comparison}`)}
          </Tag>
        )}
        <PairBars value={row.value} median={row.median} labels={legend} format={(value) => formatCount(value)} />
      </div>
    );
  };
  const dwellWithExits = figures.stageDwell;
  return (
    <div className="funnel-figures">
      <Card
        className="figure-wide"
        title={
          <span>
            <span className="figure-number">1</span>
            {t('funnel.figure.stageDwell')}
          </span>
        }
        data-testid="figure-stageDwell"
      >
        <GroupedBars
          categories={dwellWithExits.map((row) => stageName(row.stage))}
          mine={dwellWithExits.map((row) => row.averageHours ?? null)}
          medians={dwellWithExits.map((row) => row.teamMedianHours ?? null)}
          legend={legend}
          format={(value) => formatHours(value)}
          noneLabel={t('funnel.none')}
        />
        <div className="muted figure-note">
          {t('funnel.exits', { count: dwellWithExits.reduce((sum, row) => sum + row.exits, 0) })}
        </div>
      </Card>
      <div className="figure-grid">
        {countCard('forwardSkips', '2')}
        {countCard('backwardMoves', '3')}
        {countCard('stuckDeals', '4')}
        {countCard('overdueFollowUps', '')}
      </div>
      <Card
        className="figure-wide"
        title={
          <span>
            <span className="figure-number">5</span>
            {t('funnel.figure.conversion')}
          </span>
        }
        data-testid="figure-conversion"
      >
        <GroupedBars
          categories={figures.conversion.map((row) => `${stageName(row.fromStage)}→${stageName(row.toStage)}`)}
          mine={figures.conversion.map((row) => row.rate ?? null)}
          medians={figures.conversion.map((row) => row.teamMedianRate ?? null)}
          legend={legend}
          max={1}
          format={(value) => formatRate(value)}
          noneLabel={t('funnel.none')}
        />
        <ul className="conversion-rows">
          {figures.conversion.map((row) => (
            <li key={`${row.fromStage}-${row.toStage}`}>
              <span>
                {stageName(row.fromStage)} → {stageName(row.toStage)}
              </span>
              <span className="muted">
                {t('funnel.advancedOf', { advanced: row.advanced, entered: row.entered })} · {formatRate(row.rate)} ·{' '}
                {medianText(row.teamMedianRate === null || row.teamMedianRate === undefined ? null : formatRate(row.teamMedianRate))}
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
