import { describe, expect, it } from 'vitest';
import { comparatorsTable, neighboursTable, schoolTables, tableFilename, type ComparatorFigure, type LaBenchmarksData, type SchoolPage } from './benchmarks.js';
import { tableBarOption, tableHeatmapOption } from './charts/table-charts.js';

const figure = (phase: string, measure: string, value: number | null, neighbours: (number | null)[]): ComparatorFigure => ({
  phase, measure, label: measure, value, snAverage: 5.5, snRank: 3, snRankOutOf: 10, regionValue: 6, englandValue: 6.5,
  gapToEnglandPp: value === null ? null : value - 6.5, gapToEnglandDays: null,
  neighbours: neighbours.map((v, i) => ({ laCode: String(300 + i), laName: `Neighbour ${i + 1}`, value: v })),
});

const data: LaBenchmarksData = {
  laBenchmarks: {
    laCode: '332', laName: 'Dudley', academicYear: '2024/25', publishedAvailable: true,
    published: [
      figure('Secondary', 'pa_perc', 25.123, [20, 30]),
      figure('Primary', 'overall_absence_perc', 5.456, [4.1, null]),
      figure('Secondary', 'overall_absence_perc', 8.2, [7, 9]),
      figure('Primary', 'late_sessions', 1, [1, 1]),
    ],
  },
  whereToHelpFirst: [],
  laTrends: { academicYear: '2024/25', previousYear: '2023/24', termly: [], weekly: [] },
  laCohorts: [],
};

describe('benchmark tables', () => {
  it('puts the LA, each neighbour in order, their average, the region and England in one row each', () => {
    const t = neighboursTable(data);
    expect(t.columns).toEqual(['Area', 'Primary overall absence %', 'Secondary overall absence %']);
    expect(t.rows).toEqual([
      ['Dudley', 5.46, 8.2],
      ['Neighbour 1', 4.1, 7],
      ['Neighbour 2', null, 9],
      ['Statistical neighbour average', 5.5, 5.5],
      ['Region', 6, 6],
      ['England', 6.5, 6.5],
    ]);
  });

  it('lists only headline measures, by phase then in the headline order', () => {
    const t = comparatorsTable(data);
    expect(t.rows.map((r) => [r[0], r[1]])).toEqual([
      ['Primary', 'overall_absence_perc'],
      ['Secondary', 'overall_absence_perc'],
      ['Secondary', 'pa_perc'],
    ]);
    expect(t.rows[2]![8]).toBe(18.62);
  });

  it('lays the weekday × session figures out as a week, and charts exactly the table', () => {
    const page: SchoolPage = {
      urn: 103812, name: 'A School', academicYear: '2024/25', absenceBands: [], similarSchools: null, cohorts: [], reasons: [],
      weekdaySession: [{ weekday: 1, session: 'AM', absenceRate: 5 }, { weekday: 1, session: 'PM', absenceRate: 7.255 }, { weekday: 5, session: 'PM', absenceRate: 9 }],
      trends: { academicYear: '2024/25', previousYear: '2023/24', termly: [], weekly: [] },
    };
    const t = schoolTables(page).find((x) => x.id === 'weekday-session')!;
    expect(t.rows).toEqual([['Monday', 5, 7.26], ['Tuesday', null, null], ['Wednesday', null, null], ['Thursday', null, null], ['Friday', null, 9]]);
    const heat = tableHeatmapOption(t, { category: 0, values: [1, 2] }) as { series: { data: unknown[] }[]; visualMap: { min: number; max: number } };
    expect(heat.series[0]!.data.slice(0, 4)).toEqual([[0, 0, 5], [1, 0, 7.26], [0, 1, '-'], [1, 1, '-']]);
    expect([heat.visualMap.min, heat.visualMap.max]).toEqual([5, 9]);
    const bars = tableBarOption(t, { category: 0, values: [1, 2] }) as { series: { name: string; data: unknown[] }[] };
    expect(bars.series.map((s) => s.name)).toEqual(['AM absence %', 'PM absence %']);
    expect(bars.series[1]!.data).toEqual([7.26, null, null, null, 9]);
    expect(tableFilename(t, '2024/25', 'xlsx', 103812)).toBe('rollbook-103812-weekday-session-2024-25.xlsx');
  });
});
