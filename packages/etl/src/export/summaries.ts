import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  DFE_REASON_COLUMNS,
  MEASURE_COLUMNS,
  REASON_COLUMNS,
  SCOPE_LABELS,
  TERMS,
  absenceBandSql,
  academicYearEnd,
  academicYearOf,
  academicYearStart,
  daysMissedSql,
  dfeReasonAggregatesSql,
  dfeScopeSql,
  isIsoDate,
  persistentSql,
  quoteIdent,
  ratePctSql,
  sessionAggregatesSql,
  severeSql,
  statutoryTriggersSql,
  summerHalfTerm2StartSql,
  TREATMENT_BOUNDARIES,
  termDates,
  type MetricScope,
} from '@rollbook/metrics';
import type { Duck } from '../duckdb.js';
import { sqlString } from '../duckdb.js';
import type { DataLayout } from '../layout.js';
import { sqlFile } from '../sql.js';

/** The exports of FORMATS.md §5. */
export type SummaryKind = 'pupil-summary' | 'school-summary' | 'la-summary';
export const SUMMARY_KINDS: readonly SummaryKind[] = ['pupil-summary', 'school-summary', 'la-summary'];

/** Why an export could not be made; `code` is stable for scripts. */
export type ExportErrorCode = 'DATE_INVALID' | 'RANGE_INVALID' | 'OUT_INVALID' | 'NO_DATA' | 'URN_UNKNOWN';

export class ExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

export interface SummaryOptions {
  layout: DataLayout;
  /** First and last day of the period, `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
  /** One school only. */
  urn?: number;
  scope: MetricScope;
}

export interface SummaryResult {
  file: string;
  rows: number;
  columns: string[];
  scope: MetricScope;
  /** How the figures are scoped, in words, for the user. */
  scopeLabel: string;
  timePeriod: string;
  timeIdentifier: string;
}

const PUPIL_COLUMNS = [
  'urn', 'upn', 'nc_year', ...MEASURE_COLUMNS, 'attendance_perc', 'overall_absence_perc', 'authorised_absence_perc',
  'unauthorised_absence_perc', 'persistent_absentee', 'severe_absentee', 'absence_band', 'days_missed', 'penalty_threshold_met',
  ...REASON_COLUMNS,
];
const GEOGRAPHY = ['time_period', 'time_identifier', 'geographic_level', 'region_name', 'new_la_code', 'la_name', 'old_la_code', 'school_type'];
const SCHOOL_ID = ['school_urn', 'school_laestab', 'school_name'];
const TIDY_MEASURES = [
  'enrolments', 'possible_sessions', 'overall_attendance', 'present_sessions', 'approved_educational_activity', 'overall_absence',
  'authorised_absence', 'unauthorised_absence', 'late_sessions', ...DFE_REASON_COLUMNS, 'attendance_perc', 'overall_absence_perc',
  'authorised_absence_perc', 'unauthorised_absence_perc', 'pa_perc', 'sa_perc',
];

/** The columns of each export, in order (FORMATS.md §5; tidy format §4). */
export function summaryColumns(kind: SummaryKind): string[] {
  if (kind === 'pupil-summary') return [...PUPIL_COLUMNS];
  if (kind === 'school-summary') return [...GEOGRAPHY, ...SCHOOL_ID, ...TIDY_MEASURES];
  return [...GEOGRAPHY, ...TIDY_MEASURES];
}

/**
 * The DfE `time_period` and `time_identifier` of a period: `202425` and `Academic year` for a
 * whole academic year (1 August – 31 July), `Autumn term` etc. for a census term, otherwise
 * `From YYYY-MM-DD to YYYY-MM-DD`; a period over two academic years is `202324-202425`.
 */
export function timePeriodOf(from: string, to: string): { timePeriod: string; timeIdentifier: string } {
  const code = (ay: string) => ay.replace('/', '').replace(/^(\d{4})(\d{2})$/, '$1$2');
  const a = academicYearOf(from);
  const b = academicYearOf(to);
  const timePeriod = a === b ? code(a) : `${code(a)}-${code(b)}`;
  if (a === b && from === academicYearStart(a) && to === academicYearEnd(a)) return { timePeriod, timeIdentifier: 'Academic year' };
  for (const term of TERMS) {
    const d = termDates(a, term);
    if (a === b && from === d.start && to === d.end) return { timePeriod, timeIdentifier: `${term[0]!.toUpperCase()}${term.slice(1)} term` };
  }
  return { timePeriod, timeIdentifier: `From ${from} to ${to}` };
}

function hasParquet(dir: string): boolean {
  if (!existsSync(dir)) return false;
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (entry.endsWith('.parquet') || (statSync(p).isDirectory() && hasParquet(p))) return true;
  }
  return false;
}

function lakeGlob(layout: DataLayout, table: string): string {
  return sqlString(path.join(layout.lake, table, '**', '*.parquet'));
}
const marksGlob = (layout: DataLayout) => lakeGlob(layout, 'marks');

function checkOptions(opts: SummaryOptions, out: string): void {
  for (const [name, value] of [['--from', opts.from], ['--to', opts.to]] as const) {
    if (!isIsoDate(value)) throw new ExportError('DATE_INVALID', `${name} must be a date written YYYY-MM-DD (found "${value}")`);
  }
  if (opts.from > opts.to) throw new ExportError('RANGE_INVALID', `--from ${opts.from} is after --to ${opts.to}`);
  if (opts.urn !== undefined && !(Number.isInteger(opts.urn) && opts.urn > 0)) {
    throw new ExportError('URN_UNKNOWN', `--urn must be a school's URN, 6 or 7 digits (found "${opts.urn}")`);
  }
  if (!/\.(csv|parquet)$/i.test(out)) throw new ExportError('OUT_INVALID', `--out must name a .csv or .parquet file (found "${out}")`);
}

/**
 * Stages the marks, enrolments and triggers of a period in `duck` (temp tables `rb_x_*`).
 * @throws ExportError when there is nothing to export.
 */
async function stage(duck: Duck, opts: SummaryOptions): Promise<void> {
  const marksDir = path.join(opts.layout.lake, 'marks');
  if (!hasParquet(marksDir)) throw new ExportError('NO_DATA', `No returns are loaded in ${opts.layout.root}: run "rollbook load" first`);
  const glob = (table: string) => lakeGlob(opts.layout, table);
  const urn = opts.urn ?? null;
  if (urn !== null) {
    const [known] = await duck.all<{ n: number }>(
      `SELECT CAST(count(*) AS INTEGER) AS n FROM read_parquet(${glob('marks')}, hive_partitioning = true, hive_types = {'urn': INTEGER}) WHERE urn = $urn`,
      { urn },
    );
    if (!known || known.n === 0) throw new ExportError('URN_UNKNOWN', `No returns are loaded for URN ${urn}`);
  }
  await duck.run(
    sqlFile('export/marks.sql', {
      marks_glob: glob('marks'),
      pupils_glob: glob('pupils'),
      ht2_start: summerHalfTerm2StartSql('"date"'),
      boundary_keys: TREATMENT_BOUNDARIES.map((b, i) => `"date" >= DATE '${b}' AS b${i}`).join(', '),
      // Every row of a group lies on one side of the summer HT2 start, in one academic year.
      in_dfe_scope: dfeScopeSql({ dob: 'dob', date: 'first_date', boarder: 'boarder', firstMark: 'first_mark' }),
    }),
    { from: opts.from, to: opts.to, urn },
  );
  const [inPeriod] = await duck.all<{ n: number }>('SELECT CAST(coalesce(sum(n) FILTER (WHERE in_period), 0) AS BIGINT) AS n FROM rb_x_counted');
  if (!inPeriod || inPeriod.n === 0) {
    throw new ExportError('NO_DATA', `No marks between ${opts.from} and ${opts.to}${urn !== null ? ` for URN ${urn}` : ''}`);
  }
  await duck.run(
    sqlFile('export/enrolments.sql', { session_aggregates: sessionAggregatesSql({ mark: 'mark', date: 'first_date', weight: 'n' }) }),
    { scope: opts.scope },
  );
}

function pupilSummarySql(): string {
  const c = (name: string) => `e.${quoteIdent(name)}`;
  return sqlFile('export/pupil_summary.sql', {
    attendance_perc: ratePctSql(`${c('present_sessions')} + ${c('approved_educational_activity')}`, c('possible_sessions')),
    overall_absence_perc: ratePctSql(c('overall_absence'), c('possible_sessions')),
    authorised_absence_perc: ratePctSql(c('authorised_absence'), c('possible_sessions')),
    unauthorised_absence_perc: ratePctSql(c('unauthorised_absence'), c('possible_sessions')),
    persistent: persistentSql(c('overall_absence'), c('possible_sessions')),
    severe: severeSql(c('overall_absence'), c('possible_sessions')),
    absence_band: absenceBandSql(c('overall_absence'), c('possible_sessions')),
    days_missed: daysMissedSql(c('overall_absence')),
    reason_columns: REASON_COLUMNS.map(c).join(', '),
  });
}

function tidySummarySql(kind: 'school-summary' | 'la-summary', layout: DataLayout): string {
  const q = quoteIdent;
  const sums = [...MEASURE_COLUMNS, ...DFE_REASON_COLUMNS].map((col) => `CAST(sum(${q(col)}) AS BIGINT) AS ${q(col)}`).join(',\n    ');
  const school = kind === 'school-summary';
  const group = school
    ? 'urn, laestab, school_name, la_code, la_name, region_name, phase'
    : `la_code, la_name, region_name, CASE WHEN grouping(phase) = 1 THEN 'Total' ELSE phase END AS phase`;
  const grouping = school
    ? 'GROUP BY urn, laestab, school_name, la_code, la_name, region_name, phase'
    : 'GROUP BY GROUPING SETS ((la_code, la_name, region_name, phase), (la_code, la_name, region_name))';
  const output = [
    `region_name, CAST(NULL AS VARCHAR) AS new_la_code, la_name, la_code AS old_la_code, phase AS school_type`,
    ...(school ? ['urn AS school_urn, laestab AS school_laestab, school_name'] : []),
    'enrolments, possible_sessions',
    `present_sessions + approved_educational_activity AS overall_attendance`,
    'present_sessions, approved_educational_activity, overall_absence, authorised_absence, unauthorised_absence, late_sessions',
    DFE_REASON_COLUMNS.map(q).join(', '),
    `${ratePctSql('present_sessions + approved_educational_activity', 'possible_sessions')} AS attendance_perc`,
    `${ratePctSql('overall_absence', 'possible_sessions')} AS overall_absence_perc`,
    `${ratePctSql('authorised_absence', 'possible_sessions')} AS authorised_absence_perc`,
    `${ratePctSql('unauthorised_absence', 'possible_sessions')} AS unauthorised_absence_perc`,
    `${ratePctSql('pa_enrolments', 'enrolments')} AS pa_perc`,
    `${ratePctSql('sa_enrolments', 'enrolments')} AS sa_perc`,
  ];
  return sqlFile('export/tidy_summary.sql', {
    dim_school: sqlString(path.join(layout.marts, 'dim_school', 'part-0.parquet')),
    persistent: persistentSql('e.overall_absence', 'e.possible_sessions'),
    severe: severeSql('e.overall_absence', 'e.possible_sessions'),
    group_columns: group,
    grouping,
    sum_columns: sums,
    output_columns: output.join(',\n  '),
    order: school ? 'la_code, urn' : `la_code, phase = 'Total', phase`,
    token_reason_columns: REASON_COLUMNS.map(q).join(', '),
  });
}

/**
 * Computes one export of FORMATS.md §5 from the lake for any period, with DuckDB and the SQL of
 * `@rollbook/metrics`, and writes it to `out` (`.csv` with a header, or `.parquet`) atomically.
 * @throws ExportError for bad dates or file names, an unknown URN, or a period with no marks.
 */
export async function writeSummary(duck: Duck, kind: SummaryKind, opts: SummaryOptions, out: string): Promise<SummaryResult> {
  checkOptions(opts, out);
  try {
    await stage(duck, opts);
    let select: string;
    if (kind === 'pupil-summary') {
      // The penalty-notice window reads every mark up to the end of the period, one row per session.
      const marks = `(SELECT urn, upn, "date", mark FROM read_parquet(${marksGlob(opts.layout)}, hive_partitioning = true, hive_types = {'urn': INTEGER})
        WHERE "date" <= CAST($to AS DATE) AND ($urn IS NULL OR urn = $urn))`;
      await duck.run(
        `CREATE OR REPLACE TEMP TABLE rb_x_triggers AS ${statutoryTriggersSql({ source: marks, keys: ['urn', 'upn'], from: '$from', only: ['penaltyNotice'] })}`,
        { from: opts.from, to: opts.to, urn: opts.urn ?? null },
      );
      select = pupilSummarySql();
    } else {
      await duck.run(sqlFile('export/dfe_reasons.sql', { dfe_reason_aggregates: dfeReasonAggregatesSql({ mark: 'm.mark', date: 'm.first_date', weight: 'm.n' }) }), {
        scope: opts.scope,
      });
      select = tidySummarySql(kind, opts.layout);
    }
    const { timePeriod, timeIdentifier } = timePeriodOf(opts.from, opts.to);
    const params =
      kind === 'pupil-summary'
        ? undefined
        : { time_period: timePeriod, time_identifier: timeIdentifier, geographic_level: kind === 'la-summary' ? 'Local authority' : 'School' };
    const target = path.resolve(out);
    mkdirSync(path.dirname(target), { recursive: true });
    const parquet = /\.parquet$/i.test(target);
    const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${randomUUID()}.tmp`);
    let rows = 0;
    try {
      const [copied] = await duck.all<{ Count: number }>(
        `COPY (${select}) TO ${sqlString(tmp)} (FORMAT ${parquet ? 'parquet' : 'csv'}${parquet ? '' : ', HEADER true'})`,
        params,
      );
      rows = copied?.Count ?? 0;
      renameSync(tmp, target);
    } finally {
      rmSync(tmp, { force: true });
    }
    return { file: target, rows, columns: summaryColumns(kind), scope: opts.scope, scopeLabel: SCOPE_LABELS[opts.scope], timePeriod, timeIdentifier };
  } finally {
    for (const t of ['rb_x_counted', 'rb_x_enrolments', 'rb_x_triggers', 'rb_x_dfe_reasons']) await duck.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
