/** The pipeline as a funnel of deals per open stage: loaded lazily with its chart library. */
import { SpinLoading } from 'antd-mobile';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { Page } from '../../components/Page';
import { useStages } from '../../lib/useStages';
import { StageCountDocument } from '../deals/documents.generated';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

export default function PipelinePage() {
  const { t } = useTranslation();
  const client = useClient();
  const { stages } = useStages();
  const [counts, setCounts] = useState<{ name: string; count: number }[] | null>(null);
  const element = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const open = stages.filter((stage) => stage.kind === 'OPEN');
    if (open.length === 0) return;
    let alive = true;
    void Promise.all(
      open.map(async (stage) => {
        const result = await client.query(StageCountDocument, { stage: stage.key }).toPromise();
        return { name: stage.name, count: result.data?.deals.totalCount ?? 0 };
      }),
    ).then((rows) => alive && setCounts(rows));
    return () => {
      alive = false;
    };
  }, [client, stages]);

  useEffect(() => {
    if (!counts || !element.current) return;
    const chart = echarts.init(element.current);
    chart.setOption({
      tooltip: {},
      grid: { left: 90, right: 30, top: 10, bottom: 30 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: counts.map((row) => row.name) },
      series: [{ type: 'bar', data: counts.map((row) => row.count), itemStyle: { color: '#1677ff' }, label: { show: true, position: 'right' } }],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [counts]);

  return (
    <Page title={t('pipeline.title')}>
      {!counts && <SpinLoading />}
      {counts && <div className="muted padded">{t('pipeline.total', { count: counts.reduce((sum, row) => sum + row.count, 0) })}</div>}
      <div ref={element} className="chart" data-testid="pipeline-chart" />
    </Page>
  );
}
