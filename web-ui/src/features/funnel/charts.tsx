/**
 * Small ECharts charts for the funnel health page: the person's value beside
 * the team median. Tree-shaken from `echarts/core`, so the chart code loads
 * only with the pages that draw charts.
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export const MINE_COLOR = '#1677ff';
export const MEDIAN_COLOR = '#b8c0cc';
const FONT = "'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, sans-serif";

function useChart(option: echarts.EChartsCoreOption, height: number) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
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
    chart.current?.setOption({ textStyle: { fontFamily: FONT }, animation: false, ...option }, true);
  }, [option]);
  useEffect(() => {
    chart.current?.resize();
  }, [height]);
  return element;
}

/**
 * Two thin bars, "me" and "team median", for one counted figure. A missing
 * median draws no second bar.
 */
export function PairBars({ value, median, labels, format, testId }: { value: number | null; median: number | null; labels: [string, string]; format: (value: number) => string; testId?: string }) {
  const option = {
    grid: { left: 4, right: 36, top: 2, bottom: 2, containLabel: true },
    xAxis: { type: 'value', show: false, min: 0, max: (extent: { max: number }) => Math.max(1, extent.max) },
    yAxis: { type: 'category', inverse: true, data: labels, axisLine: { show: false }, axisTick: { show: false }, axisLabel: { fontSize: 11, color: '#6b7280' } },
    series: [
      {
        type: 'bar',
        barWidth: 10,
        data: [
          { value: value ?? 0, itemStyle: { color: MINE_COLOR } },
          median === null ? { value: 0, itemStyle: { color: 'transparent' }, label: { formatter: '—' } } : { value: median, itemStyle: { color: MEDIAN_COLOR } },
        ],
        label: { show: true, position: 'right', fontSize: 11, color: '#374151', formatter: (params: { value: number }) => format(params.value) },
        itemStyle: { borderRadius: 3 },
      },
    ],
  };
  const element = useChart(option, 56);
  return <div ref={element} className="mini-chart" style={{ height: 56 }} data-testid={testId} />;
}

/**
 * Grouped horizontal bars per category (a stage, a stage pair): the person's
 * value and the team median side by side, with a legend.
 */
export function GroupedBars({
  categories,
  mine,
  medians,
  legend,
  format,
  max,
  noneLabel,
  testId,
}: {
  categories: string[];
  mine: (number | null)[];
  medians: (number | null)[];
  legend: [string, string];
  format: (value: number | null) => string;
  max?: number;
  noneLabel: string;
  testId?: string;
}) {
  const height = 44 + categories.length * 40;
  const series = (name: string, values: (number | null)[], color: string) => ({
    name,
    type: 'bar',
    barWidth: 9,
    barGap: '20%',
    itemStyle: { color, borderRadius: 3 },
    // No value (nothing left the stage, nothing entered): a zero-length bar labelled as such.
    data: values.map((value) => (value === null ? { value: 0, missing: true } : value)),
    label: {
      show: true,
      position: 'right',
      fontSize: 10,
      color: '#374151',
      formatter: (params: { value: number; data: unknown }) => (typeof params.data === 'object' ? noneLabel : format(params.value)),
    },
  });
  const option = {
    legend: { top: 0, left: 0, itemWidth: 10, itemHeight: 10, textStyle: { fontSize: 11, color: '#4b5563' } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (value: number) => format(value) },
    grid: { left: 4, right: 56, top: 26, bottom: 4, containLabel: true },
    xAxis: { type: 'value', show: false, min: 0, ...(max !== undefined ? { max } : {}) },
    yAxis: { type: 'category', inverse: true, data: categories, axisLine: { show: false }, axisTick: { show: false }, axisLabel: { fontSize: 11, color: '#374151', width: 92, overflow: 'truncate' } },
    series: [series(legend[0], mine, MINE_COLOR), series(legend[1], medians, MEDIAN_COLOR)],
  };
  const element = useChart(option, height);
  return <div ref={element} className="mini-chart" style={{ height }} data-testid={testId} />;
}
