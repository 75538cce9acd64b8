import * as echarts from 'echarts';
import { TSM_GROUPS, TSM_GROUP_LABELS } from '@rollbook/metrics';
import type { TsmPack } from './tsm-pack.js';

const GOV_BLUE = '#1d70b8';
const COLOURS = ['#d4351c', '#f47738', '#ffdd00'];

/** Renders an ECharts option to an SVG string on the server (no DOM). */
function svg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'Roboto' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Pupils on the pack per section, as a bar chart. */
export function groupsChartSvg(pack: TsmPack): string {
  const data = TSM_GROUPS.map((g, i) => ({ value: pack.pupils.filter((p) => p.group === g).length, itemStyle: { color: COLOURS[i] } }));
  return svg(
    {
      title: { text: 'Pupils on the pack', left: 0, textStyle: { fontSize: 13 } },
      grid: { left: 190, right: 30, top: 30, bottom: 20 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'category', inverse: true, data: TSM_GROUPS.map((g) => TSM_GROUP_LABELS[g]) },
      series: [{ type: 'bar', data, label: { show: true, position: 'right' } }],
    },
    500,
    160,
  );
}

const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

/** Overall and persistent absence of the school against similar schools, the LA and England (those with figures). */
export function comparisonChartSvg(pack: TsmPack): string {
  const rows = pack.comparisons.filter((c) => c.overallAbsencePerc !== null || c.persistentPerc !== null);
  return svg(
    {
      title: { text: 'Absence this term, %', left: 0, textStyle: { fontSize: 13 } },
      legend: { top: 0, right: 0, textStyle: { fontSize: 10 } },
      grid: { left: 150, right: 40, top: 30, bottom: 20 },
      xAxis: { type: 'value', min: 0 },
      yAxis: { type: 'category', inverse: true, data: rows.map((c) => c.label) },
      series: [
        { name: 'Overall absence', type: 'bar', color: GOV_BLUE, data: rows.map((c) => round1(c.overallAbsencePerc)), label: { show: true, position: 'right', fontSize: 9 } },
        { name: 'Persistently absent pupils', type: 'bar', color: '#f47738', data: rows.map((c) => round1(c.persistentPerc)), label: { show: true, position: 'right', fontSize: 9 } },
      ],
    },
    500,
    50 + 40 * Math.max(1, rows.length),
  );
}
