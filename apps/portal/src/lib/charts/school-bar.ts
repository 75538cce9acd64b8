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
  /** Width of the school-name labels in pixels (see {@link labelWidthFor}); default 260. */
  labelWidth?: number;
}

/** Pixels per bar: enough for a readable school name beside each bar with ~100 schools. */
export const BAR_ROW_HEIGHT = 26;
const FONT_SIZE = 14;
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

/** School-name label width for a chart `containerWidth` pixels wide: at most 40% of it, 80–260 px. */
export function labelWidthFor(containerWidth: number): number {
  if (!(containerWidth > 0)) return 260;
  return Math.round(Math.min(260, Math.max(80, containerWidth * 0.4)));
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
    textStyle: { fontFamily: FONT, color: TEXT, fontSize: FONT_SIZE },
    grid: {
      left: 8,
      right: 56,
      top: 28,
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
      axisLabel: { formatter: '{value}%', color: SECONDARY_TEXT, fontSize: FONT_SIZE, hideOverlap: true },
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
        fontSize: FONT_SIZE,
        width: input.labelWidth ?? 260,
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
          fontSize: FONT_SIZE,
          // Keeps the reference line from running through the figures.
          backgroundColor: '#ffffff',
          padding: [1, 3],
          lineHeight: 18,
          formatter: (p: { value?: unknown }) => formatPercent(typeof p.value === 'number' ? p.value : null),
        },
        data: sorted.map((school) => ({ value: school.value, name: school.name, urn: school.urn })),
        ...(laRate === null
          ? {}
          : {
              markLine: {
                symbol: 'none',
                silent: true,
                // Behind the bars and their labels: it shows between bars and past short ones.
                z: 1,
                lineStyle: { color: TEXT, type: 'dashed', width: 2 },
                label: { formatter: `LA ${formatPercent(laRate)}`, color: TEXT, fontWeight: 'bold', position: 'start', distance: 6 },
                data: [{ xAxis: laRate }],
              },
            }),
      },
    ],
  };
}
