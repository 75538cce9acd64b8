import type { EChartsOption } from 'echarts';
import { formatCount, formatPercent } from '../format.js';

/** One bar: a school and its rate (a percentage 0–100, or null when it has no possible sessions). */
export interface SchoolRate {
  urn: number;
  name: string;
  value: number | null;
}

export interface SchoolBarInput {
  /** Series name, shown in the tooltip, e.g. `Attendance`. */
  measure: string;
  schools: readonly SchoolRate[];
  /** `ascending` puts the lowest rate at the top (attendance); `descending` the highest (absence). */
  order: 'ascending' | 'descending';
  /** The LA's own rate, drawn as a reference line. */
  laRate?: number | null;
  /** Honour `prefers-reduced-motion`. */
  animate?: boolean;
}

/** Pixels per bar: enough for a readable school name beside each bar with ~100 schools. */
export const BAR_ROW_HEIGHT = 22;
const CHART_PADDING = 64;

const TEXT = '#0b0c0c';
const SECONDARY_TEXT = '#484949';
const BAR = '#1d70b8';
const FONT = 'arial, sans-serif';

/** The schools with a rate, in the chart's order (top first); ties by name, then URN. */
export function sortSchoolRates(schools: readonly SchoolRate[], order: SchoolBarInput['order']): SchoolRate[] {
  const sign = order === 'ascending' ? 1 : -1;
  return schools
    .filter((school): school is SchoolRate & { value: number } => school.value !== null && Number.isFinite(school.value))
    .sort((a, b) => sign * (a.value - b.value) || a.name.localeCompare(b.name, 'en-GB') || a.urn - b.urn);
}

/** Height in pixels for a chart of `count` bars. */
export function schoolBarHeight(count: number): number {
  return Math.max(count, 1) * BAR_ROW_HEIGHT + CHART_PADDING;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A horizontal bar chart of one rate by school, sorted so the schools that most need attention are
 * at the top. Categories are URNs (two schools may share a name); labels and tooltips show names.
 * Schools without a rate are left out of the chart (the table alternative lists them).
 */
export function buildSchoolBarOption(input: SchoolBarInput): EChartsOption {
  const sorted = sortSchoolRates(input.schools, input.order);
  const names = new Map(sorted.map((school) => [String(school.urn), school.name]));
  const laRate = input.laRate ?? null;
  return {
    animation: input.animate ?? true,
    aria: {
      enabled: true,
      label: {
        description:
          `Bar chart of ${input.measure.toLowerCase()} rate for ${formatCount(sorted.length)} schools, ` +
          `${input.order === 'ascending' ? 'lowest' : 'highest'} first. The same figures are in the table below the chart.`,
      },
    },
    textStyle: { fontFamily: FONT, color: TEXT },
    grid: {
      left: 8,
      right: 56,
      top: 8,
      bottom: 32,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      textStyle: { fontFamily: FONT, color: TEXT },
      formatter: (params: unknown) => {
        const [first] = (Array.isArray(params) ? params : [params]) as { axisValue?: string; value?: number }[];
        if (!first?.axisValue) return '';
        const name = names.get(first.axisValue) ?? first.axisValue;
        return `<strong>${escapeHtml(name)}</strong><br>URN ${escapeHtml(first.axisValue)}<br>` +
          `${escapeHtml(input.measure)}: ${formatPercent(first.value ?? null)}`;
      },
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 100,
      axisLabel: { formatter: '{value}%', color: SECONDARY_TEXT },
      splitLine: { lineStyle: { color: '#cecece' } },
    },
    yAxis: {
      type: 'category',
      inverse: true,
      data: sorted.map((school) => String(school.urn)),
      axisTick: { show: false },
      axisLabel: {
        interval: 0,
        color: TEXT,
        width: 260,
        overflow: 'truncate',
        formatter: (urn: string) => names.get(urn) ?? urn,
      },
    },
    series: [
      {
        type: 'bar',
        name: input.measure,
        barCategoryGap: '25%',
        itemStyle: { color: BAR },
        label: {
          show: true,
          position: 'right',
          color: TEXT,
          formatter: (p: { value?: unknown }) => formatPercent(typeof p.value === 'number' ? p.value : null),
        },
        data: sorted.map((school) => ({ value: school.value, name: school.name, urn: school.urn })),
        ...(laRate === null
          ? {}
          : {
              markLine: {
                symbol: 'none',
                silent: true,
                lineStyle: { color: TEXT, type: 'dashed', width: 2 },
                label: { formatter: `LA ${formatPercent(laRate)}`, color: TEXT, position: 'end' },
                data: [{ xAxis: laRate }],
              },
            }),
      },
    ],
  };
}
