/**
 * Chart options built from a chart's {@link DataTable}, so the chart, its table alternative and
 * its downloads always show the same figures. Pure functions: no DOM.
 */
import type { EChartsOption } from 'echarts';
import type { DataTable } from '../benchmarks.js';

const FONT = { fontFamily: 'arial, sans-serif', fontSize: 14, color: '#0b0c0c' };
/** GOV.UK colours: blue, orange, turquoise, purple. */
const COLOURS = ['#1d70b8', '#f47738', '#28a197', '#4c2c92'];

export interface TableChartOptions {
  /** The column holding the category (bar or point label). */
  category: number;
  /** The columns drawn as series. */
  values: number[];
  /** Horizontal bars (categories down the side), for long names. */
  horizontal?: boolean;
  animate?: boolean;
  /** Axis name, e.g. `%`. */
  unit?: string;
}

function numeric(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function base(table: DataTable, o: TableChartOptions): EChartsOption {
  return {
    animation: o.animate ?? true,
    color: COLOURS,
    textStyle: FONT,
    aria: { enabled: true, label: { description: `${table.title}. The figures are in the table below the chart.` } },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${v}${o.unit ?? ''}` : 'No data') },
    legend: o.values.length > 1 ? { top: 0, textStyle: FONT } : undefined,
  };
}

/** Bars: one series per value column, one group per row. */
export function tableBarOption(table: DataTable, o: TableChartOptions): EChartsOption {
  const categories = table.rows.map((r) => String(r[o.category] ?? ''));
  const categoryAxis = { type: 'category' as const, data: categories, inverse: o.horizontal ?? false, axisLabel: { ...FONT, width: 220, overflow: 'truncate' as const } };
  const valueAxis = { type: 'value' as const, name: o.unit, axisLabel: FONT };
  return {
    ...base(table, o),
    grid: { left: 8, right: 24, top: o.values.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
    xAxis: o.horizontal ? valueAxis : categoryAxis,
    yAxis: o.horizontal ? categoryAxis : valueAxis,
    series: o.values.map((col) => ({ type: 'bar' as const, name: table.columns[col], data: table.rows.map((r) => numeric(r[col])) })),
  };
}

/** Lines: one series per value column along the rows (terms, weeks). */
export function tableLineOption(table: DataTable, o: TableChartOptions): EChartsOption {
  return {
    ...base(table, o),
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: table.rows.map((r) => String(r[o.category] ?? '')), axisLabel: FONT },
    yAxis: { type: 'value', name: o.unit, axisLabel: FONT },
    series: o.values.map((col) => ({ type: 'line' as const, name: table.columns[col], connectNulls: false, data: table.rows.map((r) => numeric(r[col])) })),
  };
}

/** A heat map: rows down the side, value columns across, colour by value. */
export function tableHeatmapOption(table: DataTable, o: TableChartOptions): EChartsOption {
  const values = table.rows.flatMap((r) => o.values.map((c) => numeric(r[c]))).filter((v): v is number => v !== null);
  const data = table.rows.flatMap((r, y) => o.values.map((c, x) => [x, y, numeric(r[c]) ?? '-']));
  return {
    animation: o.animate ?? true,
    textStyle: FONT,
    aria: { enabled: true, label: { description: `${table.title}. The figures are in the table below the chart.` } },
    tooltip: { position: 'top' },
    grid: { left: 8, right: 24, top: 16, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: o.values.map((c) => table.columns[c]!), axisLabel: FONT },
    yAxis: { type: 'category', data: table.rows.map((r) => String(r[o.category] ?? '')), inverse: true, axisLabel: FONT },
    visualMap: { min: values.length ? Math.min(...values) : 0, max: values.length ? Math.max(...values) : 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#f3f2f1', '#1d70b8'] }, textStyle: FONT },
    series: [{ type: 'heatmap', data, label: { show: true, ...FONT, formatter: (p) => { const v = (p.value as unknown[])[2]; return typeof v === 'number' ? `${v.toFixed(1)}%` : ''; } } }],
  };
}
