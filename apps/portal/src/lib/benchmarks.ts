/**
 * Benchmarks as the portal shows them (issue 6, docs/benchmarks.md): the API's queries, their
 * types, and every chart's table — the one source for the table alternative, the CSV and the
 * XLSX download, and the chart itself.
 */
import type { CsvValue } from './csv.js';

export const LA_BENCHMARKS_QUERY = `query ($academicYear: String) {
  laBenchmarks(academicYear: $academicYear) { laCode laName academicYear publishedAvailable
    published { phase measure label value snAverage snRank snRankOutOf regionValue englandValue gapToEnglandPp gapToEnglandDays neighbours { laCode laName value } } }
  whereToHelpFirst(academicYear: $academicYear) { rank urn name score persistentAbsenceRate severeAbsenceRate persistentAbsenceChangePp persistentAbsentees severeAbsentees reasons }
  laTrends(academicYear: $academicYear) { academicYear previousYear termly { period weekStart thisYear lastYear } weekly { period weekStart thisYear lastYear } }
  laCohorts(academicYear: $academicYear) { dimension cohort suppressed enrolments overallAbsenceRate persistentAbsenceRate severeAbsenceRate gapPp }
}`;

/** The LA's own figures from its returns beside the published comparators (reads the marks: its own page). */
export const RETURNS_COMPARATORS_QUERY = `query ($academicYear: String) {
  laBenchmarks(academicYear: $academicYear) { laCode laName academicYear publishedAvailable
    fromReturns { phase measure label value snAverage snRank snRankOutOf regionValue englandValue gapToEnglandPp gapToEnglandDays neighbours { laCode laName value } } }
}`;

export interface ReturnsComparatorsData {
  laBenchmarks: { laCode: string; laName: string | null; academicYear: string; publishedAvailable: boolean; fromReturns: ComparatorFigure[] };
}

export const SCHOOL_PAGE_QUERY = `query ($urn: Int!, $academicYear: String, $national: Boolean) {
  schoolBenchmarks(urn: $urn, academicYear: $academicYear, national: $national) { urn name academicYear
    absenceBands { band enrolments }
    similarSchools { urn name phase pupils fsmPct senPct ealPct within smallGroup
      overallAbsence { percentile quartile rank groupSize } persistentAbsence { percentile quartile rank groupSize }
      comparators { urn name rank distance overallAbsenceRate persistentAbsenceRate } }
    cohorts { dimension cohort suppressed enrolments overallAbsenceRate persistentAbsenceRate severeAbsenceRate gapPp }
    reasons { code description authorised sessions rate }
    weekdaySession { weekday session absenceRate }
    trends { academicYear previousYear termly { period weekStart thisYear lastYear } weekly { period weekStart thisYear lastYear } } }
}`;

export interface NeighbourFigure { laCode: string; laName: string; value: number | null }
export interface ComparatorFigure {
  phase: string; measure: string; label: string; value: number | null; snAverage: number | null;
  snRank: number | null; snRankOutOf: number | null; regionValue: number | null; englandValue: number | null;
  gapToEnglandPp: number | null; gapToEnglandDays: number | null; neighbours: NeighbourFigure[];
}
export interface HelpFirstSchool {
  rank: number; urn: number; name: string; score: number; persistentAbsenceRate: number | null;
  severeAbsenceRate: number | null; persistentAbsenceChangePp: number | null;
  persistentAbsentees: number | null; severeAbsentees: number | null; reasons: string[];
}
export interface TrendPoint { period: string; weekStart: string | null; thisYear: number | null; lastYear: number | null }
export interface Trends { academicYear: string; previousYear: string; termly: TrendPoint[]; weekly: TrendPoint[] }
export interface CohortFigure {
  dimension: string; cohort: string; suppressed: boolean; enrolments: number | null; overallAbsenceRate: number | null;
  persistentAbsenceRate: number | null; severeAbsenceRate: number | null; gapPp: number | null;
}
export interface GroupPosition { percentile: number; quartile: number; rank: number; groupSize: number }
export interface SimilarSchools {
  urn: number; name: string; phase: string; pupils: number | null; fsmPct: number | null; senPct: number | null; ealPct: number | null;
  within: string; smallGroup: boolean; overallAbsence: GroupPosition | null; persistentAbsence: GroupPosition | null;
  comparators: { urn: number; name: string; rank: number; distance: number; overallAbsenceRate: number | null; persistentAbsenceRate: number | null }[];
}
export interface SchoolPage {
  urn: number; name: string | null; academicYear: string;
  absenceBands: { band: string; enrolments: number | null }[];
  similarSchools: SimilarSchools | null;
  cohorts: CohortFigure[];
  reasons: { code: string; description: string; authorised: boolean; sessions: number; rate: number }[];
  weekdaySession: { weekday: number; session: string; absenceRate: number | null }[];
  trends: Trends;
}
export interface LaBenchmarksData {
  laBenchmarks: { laCode: string; laName: string | null; academicYear: string; publishedAvailable: boolean; published: ComparatorFigure[] };
  whereToHelpFirst: HelpFirstSchool[];
  laTrends: Trends;
  laCohorts: CohortFigure[];
}

/** A chart's figures: its table alternative, CSV and XLSX download are all this. */
export interface DataTable {
  id: string;
  title: string;
  columns: string[];
  rows: CsvValue[][];
}

/** The measures shown in the comparators table, in this order (as the DfE files name them). */
export const HEADLINE_MEASURES = ['attendance_perc', 'overall_absence_perc', 'authorised_absence_perc', 'unauthorised_absence_perc', 'pa_perc', 'sa_perc', 'illness_perc', 'unauth_hol_perc', 'unauth_oth_perc'] as const;
export const NEIGHBOUR_PHASES = ['Primary', 'Secondary'] as const;
export const COHORT_DIMENSIONS: Record<string, string> = {
  all: 'All pupils', fsm: 'Free school meals', sen: 'Special educational needs', social_care: "Children's social care",
  sex: 'Sex', ethnicity: 'Ethnicity', year_group: 'Year group',
};
export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'];

const round = (v: number | null | undefined, digits = 2): number | null =>
  v === null || v === undefined || !Number.isFinite(v) ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** Overall absence of the LA, each neighbour (closest first), their average, the region and England, by phase. */
export function neighboursTable(data: LaBenchmarksData): DataTable {
  const b = data.laBenchmarks;
  const rows = NEIGHBOUR_PHASES.map((phase) => b.published.find((r) => r.measure === 'overall_absence_perc' && r.phase === phase));
  const first = rows.find((r) => r !== undefined);
  const areas: { name: string; pick: (r: ComparatorFigure) => number | null }[] = [
    { name: b.laName ?? b.laCode, pick: (r) => r.value },
    ...(first?.neighbours ?? []).map((n, i) => ({ name: n.laName, pick: (r: ComparatorFigure) => r.neighbours[i]?.value ?? null })),
    { name: 'Statistical neighbour average', pick: (r) => r.snAverage },
    { name: 'Region', pick: (r) => r.regionValue },
    { name: 'England', pick: (r) => r.englandValue },
  ];
  return {
    id: 'neighbours',
    title: `Overall absence: ${b.laName ?? b.laCode} and its statistical neighbours, ${b.academicYear}`,
    columns: ['Area', ...NEIGHBOUR_PHASES.map((p) => `${p} overall absence %`)],
    rows: areas.map((a) => [a.name, ...rows.map((r) => (r ? round(a.pick(r)) : null))]),
  };
}

/** Every headline measure and phase: value, neighbours' average, rank, region, England and the gap. */
export function comparatorsTable(data: LaBenchmarksData): DataTable {
  const b = data.laBenchmarks;
  const order = (m: string) => HEADLINE_MEASURES.indexOf(m as (typeof HEADLINE_MEASURES)[number]);
  const rows = b.published
    .filter((r) => order(r.measure) >= 0)
    .sort((x, y) => x.phase.localeCompare(y.phase) || order(x.measure) - order(y.measure));
  return {
    id: 'comparators',
    title: `${b.laName ?? b.laCode} against its comparators, ${b.academicYear} (DfE published statistics)`,
    columns: ['Phase', 'Measure', 'Rate %', 'Neighbour average %', 'Rank (1 = best of 11)', 'Ranked', 'Region %', 'England %', 'Gap to England (points)', 'Gap to England (days per pupil)'],
    rows: rows.map((r) => [r.phase, r.label, round(r.value), round(r.snAverage), r.snRank, r.snRankOutOf, round(r.regionValue), round(r.englandValue), round(r.gapToEnglandPp), round(r.gapToEnglandDays, 1)]),
  };
}

/** The same as {@link comparatorsTable}, the LA's value worked out from its own returns (DfE scope). */
export function returnsComparatorsTable(data: ReturnsComparatorsData): DataTable {
  const b = data.laBenchmarks;
  const t = comparatorsTable({ laBenchmarks: { ...b, published: b.fromReturns } } as unknown as LaBenchmarksData);
  return { ...t, id: 'returns-comparators', title: `${b.laName ?? b.laCode} from its own returns against its comparators, ${b.academicYear}` };
}

export function helpFirstTable(data: LaBenchmarksData): DataTable {
  return {
    id: 'help-first',
    title: `Where to help first, ${data.laTrends.academicYear}`,
    columns: ['Rank', 'School', 'URN', 'Score', 'Persistent absence %', 'Severe absence %', 'Change in persistent absence (points)', 'Persistently absent pupils', 'Severely absent pupils', 'Reasons'],
    rows: data.whereToHelpFirst.map((s) => [s.rank, s.name, s.urn, round(s.score, 3), round(s.persistentAbsenceRate), round(s.severeAbsenceRate), round(s.persistentAbsenceChangePp), s.persistentAbsentees, s.severeAbsentees, s.reasons.join(' ')]),
  };
}

export function trendTable(id: string, trends: Trends, kind: 'termly' | 'weekly', who: string): DataTable {
  const points = trends[kind];
  return {
    id,
    title: `${who}: overall absence ${kind === 'termly' ? 'by term' : 'by school week'}, ${trends.academicYear} against ${trends.previousYear}`,
    columns: kind === 'termly'
      ? ['Term', `${trends.academicYear} %`, `${trends.previousYear} %`]
      : ['Week', 'Week starting', `${trends.academicYear} %`, `${trends.previousYear} %`],
    rows: points.map((p) => (kind === 'termly'
      ? [p.period[0]!.toUpperCase() + p.period.slice(1), round(p.thisYear), round(p.lastYear)]
      : [p.period, p.weekStart, round(p.thisYear), round(p.lastYear)])),
  };
}

export function cohortsTable(id: string, cohorts: CohortFigure[], who: string, year: string): DataTable {
  return {
    id,
    title: `${who}: absence by pupil group, ${year}`,
    columns: ['Group', 'Pupils', 'Enrolments', 'Overall absence %', 'Gap to all pupils (points)', 'Persistent absence %', 'Severe absence %'],
    rows: cohorts.map((c) => [COHORT_DIMENSIONS[c.dimension] ?? c.dimension, c.cohort, c.enrolments, round(c.overallAbsenceRate), round(c.gapPp), round(c.persistentAbsenceRate), round(c.severeAbsenceRate)]),
  };
}

export function laTables(data: LaBenchmarksData): DataTable[] {
  const who = data.laBenchmarks.laName ?? data.laBenchmarks.laCode;
  return [
    neighboursTable(data),
    comparatorsTable(data),
    helpFirstTable(data),
    trendTable('la-termly', data.laTrends, 'termly', who),
    trendTable('la-weekly', data.laTrends, 'weekly', who),
    cohortsTable('la-cohorts', data.laCohorts, who, data.laTrends.academicYear),
  ];
}

export function schoolTables(page: SchoolPage): DataTable[] {
  const who = page.name ?? `URN ${page.urn}`;
  const similar = page.similarSchools;
  return [
    {
      id: 'absence-bands',
      title: `${who}: pupils by overall absence, ${page.academicYear}`,
      columns: ['Overall absence', 'Enrolments'],
      rows: page.absenceBands.map((b) => [b.band, b.enrolments]),
    },
    {
      id: 'similar-schools',
      title: `${who}: similar schools, ${page.academicYear}`,
      columns: ['Rank (1 = most similar)', 'School', 'URN', 'Distance', 'Overall absence %', 'Persistent absence %'],
      rows: (similar?.comparators ?? []).map((c) => [c.rank, c.name, c.urn, round(c.distance, 3), round(c.overallAbsenceRate), round(c.persistentAbsenceRate)]),
    },
    cohortsTable('school-cohorts', page.cohorts, who, page.academicYear),
    {
      id: 'reasons',
      title: `${who}: absence by reason, ${page.academicYear}`,
      columns: ['Code', 'Reason', 'Authorised', 'Sessions', '% of possible sessions'],
      rows: page.reasons.map((r) => [r.code, r.description, r.authorised ? 'Yes' : 'No', r.sessions, round(r.rate)]),
    },
    {
      id: 'weekday-session',
      title: `${who}: absence by weekday and session, ${page.academicYear}`,
      columns: ['Weekday', 'AM absence %', 'PM absence %'],
      rows: WEEKDAYS.map((day, i) => [day, ...['AM', 'PM'].map((s) => round(page.weekdaySession.find((c) => c.weekday === i + 1 && c.session === s)?.absenceRate ?? null))]),
    },
    trendTable('school-termly', page.trends, 'termly', who),
    trendTable('school-weekly', page.trends, 'weekly', who),
  ];
}

/** `neighbours` → `rollbook-neighbours-2024-25.csv`. */
export function tableFilename(table: DataTable, year: string, ext: 'csv' | 'xlsx', urn?: number): string {
  return `rollbook-${urn ? `${urn}-` : ''}${table.id}-${year.replace('/', '-')}.${ext}`;
}
