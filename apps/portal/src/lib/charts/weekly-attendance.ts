import type { EChartsOption } from 'echarts';
import { formatDate, formatPercent } from '../format.js';

export interface WeekPoint {
  weekStart: string;
  attendanceRate: number | null;
}

/**
 * A child's attendance week by week (a line, 0–100 %), with the 90 % line marked: the trend a
 * social worker talks through. Weeks with no possible sessions are gaps, not zeros.
 */
export function weeklyAttendanceOption(weeks: readonly WeekPoint[], options: { animate?: boolean } = {}): EChartsOption {
  return {
    animation: options.animate ?? false,
    aria: { enabled: true, decal: { show: false } },
    grid: { left: 48, right: 16, top: 16, bottom: 40 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => formatPercent(typeof v === 'number' ? v : null),
    },
    xAxis: {
      type: 'category',
      data: weeks.map((w) => w.weekStart),
      axisLabel: { formatter: (v: string) => formatDate(v) },
    },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
    series: [
      {
        type: 'line',
        name: 'Attendance',
        data: weeks.map((w) => (w.attendanceRate === null ? null : Math.round(w.attendanceRate * 10) / 10)),
        connectNulls: false,
        lineStyle: { color: '#1d70b8', width: 3 },
        itemStyle: { color: '#1d70b8' },
        markLine: { symbol: 'none', silent: true, lineStyle: { color: '#d4351c', type: 'dashed' }, label: { formatter: '90 %' }, data: [{ yAxis: 90 }] },
      },
    ],
  };
}
