import { toCsv } from './csv.js';
import { roundTo } from './format.js';
import { academicYearSlug, scopeParam, type MetricScope, type SchoolSummary } from './la-overview.js';

/** A per-school chart on the LA overview; its table and CSV come from the same definition. */
export interface SchoolRateChart {
  /** URL segment and file-name stem, e.g. `attendance-by-school`. */
  id: string;
  title: string;
  /** The measure's name in tooltips and table headers. */
  measure: string;
  description: string;
  field: 'attendanceRate' | 'persistentAbsenceRate';
  /** CSV column for the rate, in the DfE tidy-file naming (FORMATS.md §4–5). */
  csvColumn: string;
  /** Schools needing attention first: lowest attendance, highest persistent absence. */
  order: 'ascending' | 'descending';
}

export const SCHOOL_RATE_CHARTS = [
  {
    id: 'attendance-by-school',
    title: 'Attendance rate by school',
    measure: 'Attendance',
    description: 'Sessions attended (including approved educational activity) as a percentage of possible sessions. Lowest first.',
    field: 'attendanceRate',
    csvColumn: 'attendance_perc',
    order: 'ascending',
  },
  {
    id: 'persistent-absence-by-school',
    title: 'Persistent absence rate by school',
    measure: 'Persistent absence',
    description: 'Enrolments missing 10% or more of their own possible sessions, as a percentage of enrolments. Highest first.',
    field: 'persistentAbsenceRate',
    csvColumn: 'pa_perc',
    order: 'descending',
  },
] as const satisfies readonly SchoolRateChart[];

export function findSchoolRateChart(id: string): SchoolRateChart | undefined {
  return SCHOOL_RATE_CHARTS.find((chart) => chart.id === id);
}

export interface SchoolRateRow {
  urn: number;
  name: string;
  phase: string;
  /** Null when withheld (fewer than 5 pupils the user may not see). */
  enrolments: number | null;
  value: number | null;
}

/** The table's rows in the chart's order; schools without a rate last, by name. */
export function schoolRateRows(schools: readonly SchoolSummary[], chart: SchoolRateChart): SchoolRateRow[] {
  const sign = chart.order === 'ascending' ? 1 : -1;
  return schools
    .map((s) => ({ urn: s.urn, name: s.name, phase: s.phase, enrolments: s.enrolments, value: s[chart.field] }))
    .sort((a, b) => {
      if (a.value === null || b.value === null) {
        if (a.value !== b.value) return a.value === null ? 1 : -1;
      } else if (a.value !== b.value) {
        return sign * (a.value - b.value);
      }
      return a.name.localeCompare(b.name, 'en-GB') || a.urn - b.urn;
    });
}

/** The CSV of a chart's table: one row per school, rate to two decimal places, empty when none. */
export function schoolRatesCsv(schools: readonly SchoolSummary[], chart: SchoolRateChart): string {
  return toCsv(
    ['urn', 'school_name', 'phase', 'enrolments', chart.csvColumn],
    schoolRateRows(schools, chart).map((row) => [
      row.urn,
      row.name,
      row.phase,
      row.enrolments,
      row.value === null ? null : roundTo(row.value, 2),
    ]),
  );
}

/** e.g. `attendance-by-school-2024-25-dfe.csv` */
export function schoolRatesFilename(chart: SchoolRateChart, academicYear: string, scope: MetricScope): string {
  return `${chart.id}-${academicYearSlug(academicYear)}-${scopeParam(scope)}.csv`;
}
