/**
 * The collaboration health charts: first-response times and the three rates
 * per group. ECharts from `echarts/core`, loaded only with this page (and
 * lazily within it).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";
const PALETTE = ['#1677ff', '#91caff', '#52c41a', '#faad14', '#e5484d'];

export interface Series {
  name: string;
  values: (number | null)[];
}

/** Grouped horizontal bars: one row per group, one bar per series. */
export default function GroupedBarChart({
  categories,
  series,
  format,
  max,
  testId,
}: {
  categories: string[];
  series: Series[];
  format: (value: number) => string;
  max?: number;
  testId?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const height = 40 + categories.length * (series.length * 13 + 18);
  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => instance.resize());
    observer?.observe(element.current);
    return () => {
      observer?.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(
      {
        textStyle: { fontFamily: FONT },
        animation: false,
        color: PALETTE,
        legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11, color: '#4b5563' } },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: number) => format(value) },
        grid: { left: 4, right: 52, top: 28, bottom: 4, containLabel: true },
        xAxis: { type: 'value', show: false, min: 0, ...(max !== undefined ? { max } : {}) },
        yAxis: { type: 'category', inverse: true, data: categories, axisLine: { show: false }, axisTick: { show: false }, axisLabel: { fontSize: 11, color: '#374151', width: 84, overflow: 'truncate' } },
        series: series.map((one) => ({
          name: one.name,
          type: 'bar',
          barWidth: 9,
          barGap: '30%',
          itemStyle: { borderRadius: 3 },
          // No value (nothing decided, nothing delivered): no bar and no label; the table says "—".
          data: one.values.map((value) => (value === null ? { value: 0, label: { show: false } } : value)),
          label: {
            show: true,
            position: 'right',
            fontSize: 10,
            color: '#374151',
            formatter: (params: { value: number }) => format(params.value),
          },
        })),
      },
      true,
    );
    chart.current?.resize();
  }, [categories, series, format, max]);
  return <div ref={element} className="mini-chart" style={{ height }} data-testid={testId} />;
}
