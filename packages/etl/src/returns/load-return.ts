import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  academicYearOf,
  codesValidIn,
  sessionAggregatesSql,
  summerHalfTerm2Start,
  termOf,
  academicYearStartYear,
  DFE_MAX_AGE,
  TREATMENT_BOUNDARIES,
  DFE_MIN_AGE,
  type Term,
} from '@rollbook/metrics';
import { listValue } from '@duckdb/node-api';
import type { Duck } from '../duckdb.js';
import { stageCsv } from '../csv.js';
import { writeParquetAtomic } from '../lake/atomic.js';
import { partitionPath, type DataLayout, type ReturnPartition } from '../layout.js';
import type { Problem } from '../problems.js';
import { sqlFile } from '../sql.js';
import { isValidUpn } from '../demo/upn.js';
import { AMENDMENT_COLUMNS, SUSPENSION_COLUMNS, MARK_COLUMNS, NC_YEARS, ENROL_STATUSES, PUPIL_COLUMNS, SEN_NEEDS, SEN_PROVISIONS } from './columns.js';
import type { ReturnFiles } from './source.js';

const listParam = (items: readonly string[]) => listValue([...items]);

/** How many examples of each problem code a report lists (the count is always given). */
const EXAMPLES_PER_CODE = 20;

export interface ReturnReport {
  source: string;
  status: 'loaded' | 'rejected';
  partition: ReturnPartition | null;
  pupils: number;
  marks: number;
  problems: Problem[];
}

interface CheckRow {
  code: string;
  line: number;
  col: string;
  value: string | null;
  message: string;
  total: number;
}

function checkProblems(file: string, rows: CheckRow[]): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    problems.push({
      severity: r.code === 'MARK_BEFORE_ADMISSION' ? 'warning' : 'error',
      code: r.code,
      file,
      line: r.line,
      column: r.col,
      message: r.value === null ? r.message : `${r.message} (found "${r.value}")`,
    });
    if (!seen.has(r.code) && r.total > EXAMPLES_PER_CODE) {
      seen.add(r.code);
      problems.push({ severity: 'warning', code: 'MORE_OF_THE_SAME', file, line: null, column: r.col, message: `${r.total} rows in all have ${r.code}; the first ${EXAMPLES_PER_CODE} are listed.` });
    }
  }
  return problems;
}

/** The optional files of a return (FORMATS.md §2), checked and kept in the lake beside the marks. */
const OPTIONAL_FILES = [
  { key: 'amendments', name: 'amendments.csv', table: 'rb_amendments', columns: AMENDMENT_COLUMNS, check: 'returns/check_amendments.sql', lake: 'returns/amendments_lake.sql' },
  { key: 'suspensions', name: 'suspensions.csv', table: 'rb_suspensions', columns: SUSPENSION_COLUMNS, check: 'returns/check_suspensions.sql', lake: 'returns/suspensions_lake.sql' },
] as const;

const hasErrors = (problems: Problem[]) => problems.some((p) => p.severity === 'error');

/**
 * Validates one termly return and, if it has no errors, writes its school × term partition of the
 * lake and of the marts, replacing any earlier return for that partition. Never writes a partial
 * return: every check runs before the first file is written.
 */
export async function loadReturn(duck: Duck, layout: DataLayout, files: ReturnFiles): Promise<ReturnReport> {
  const problems: Problem[] = [...files.problems];
  const report: ReturnReport = { source: files.source, status: 'rejected', partition: null, pupils: 0, marks: 0, problems };
  for (const [key, name] of [['pupils', 'pupils.csv'], ['marks', 'marks.csv']] as const) {
    if (!files[key]) problems.push({ severity: 'error', code: 'RETURN_FILE_MISSING', file: name, line: null, column: null, message: `A return must contain ${name}.` });
  }
  if (!files.pupils || !files.marks || hasErrors(problems)) return report;

  try {
    const pupils = await stageCsv(duck, files.pupils, 'rb_pupils', PUPIL_COLUMNS, 'pupils.csv');
    const marks = await stageCsv(duck, files.marks, 'rb_marks', MARK_COLUMNS, 'marks.csv');
    problems.push(...pupils.problems, ...marks.problems);
    if (hasErrors(problems)) return report;
    report.pupils = pupils.rows;
    report.marks = marks.rows;

    // The school of the return is the one its pupils name; every row must agree.
    const [first] = await duck.all<{ urn: string | null }>('SELECT urn FROM rb_pupils ORDER BY line LIMIT 1');
    const urnText = first?.urn ?? '';
    if (!/^\d{6,7}$/.test(urnText)) {
      problems.push({ severity: 'error', code: 'PUPIL_URN_INVALID', file: 'pupils.csv', line: 2, column: 'urn', message: `expected a 6 or 7 digit URN (found "${urnText}")` });
      return report;
    }
    const urn = Number(urnText);
    await duck.run(sqlFile('returns/pupils_typed.sql'));
    problems.push(
      ...checkProblems(
        'pupils.csv',
        await duck.all<CheckRow>(sqlFile('returns/check_pupils.sql'), {
          urn: urnText,
          nc_years: listParam(NC_YEARS),
          enrol_statuses: listParam(ENROL_STATUSES),
          sen_provisions: listParam(SEN_PROVISIONS),
          sen_needs: listParam(SEN_NEEDS),
          per_code: EXAMPLES_PER_CODE,
        }),
      ),
    );
    const upns = await duck.all<{ line: number; upn: string | null }>('SELECT line, upn FROM rb_pupils ORDER BY line');
    let badUpns = 0;
    for (const { line, upn } of upns) {
      if (upn !== null && isValidUpn(upn.toUpperCase())) continue;
      if (++badUpns <= EXAMPLES_PER_CODE) {
        problems.push({ severity: 'error', code: 'PUPIL_UPN_INVALID', file: 'pupils.csv', line, column: 'upn', message: `not a valid UPN: 13 characters with a correct check letter (found "${upn ?? ''}")` });
      }
    }

    // Which academic year and term: from the mark dates, with the census boundaries.
    const [span] = await duck.all<{ first: string | null; last: string | null }>(
      `SELECT strftime(min(d), '%Y-%m-%d') AS first, strftime(max(d), '%Y-%m-%d') AS last
       FROM (SELECT try_strptime(date, '%Y-%m-%d')::DATE AS d FROM rb_marks)`,
    );
    if (!span?.first || !span.last) {
      problems.push({ severity: 'error', code: 'MARKS_NO_DATES', file: 'marks.csv', line: null, column: 'date', message: 'no valid dates in marks.csv' });
      return report;
    }
    const academicYear = academicYearOf(span.first);
    const term: Term = termOf(span.first);
    if (academicYearOf(span.last) !== academicYear || termOf(span.last) !== term) {
      problems.push({
        severity: 'error', code: 'RETURN_SPANS_TERMS', file: 'marks.csv', line: null, column: 'date',
        message: `marks run from ${span.first} (${term} ${academicYear}) to ${span.last} (${termOf(span.last)} ${academicYearOf(span.last)}); a return covers one term`,
      });
    }
    const codes = codesValidIn(academicYear).map((c) => c.code);
    problems.push(
      ...checkProblems('marks.csv', await duck.all<CheckRow>(sqlFile('returns/check_marks.sql'), { urn: urnText, codes: listParam(codes), per_code: EXAMPLES_PER_CODE })),
    );
    for (const extra of OPTIONAL_FILES) {
      const file = files[extra.key];
      if (!file) continue;
      const staged = await stageCsv(duck, file, extra.table, extra.columns, extra.name);
      problems.push(...staged.problems.filter((p) => p.code !== 'FILE_NO_ROWS'));
      if (hasErrors(staged.problems) || staged.rows === 0) continue;
      problems.push(
        ...checkProblems(
          extra.name,
          await duck.all<CheckRow>(sqlFile(extra.check), {
            urn: urnText,
            per_code: EXAMPLES_PER_CODE,
            ...(extra.key === 'amendments' ? { codes: listParam(codes) } : {}),
          }),
        ),
      );
    }

    const laCode = await schoolLaCode(duck, layout, urn);
    if (laCode === null) {
      problems.push({ severity: 'error', code: 'SCHOOL_UNKNOWN', file: 'pupils.csv', line: 2, column: 'urn', message: `URN ${urn} is not in the loaded school list; load the school list (GIAS or DfE school-level file) first` });
    }
    if (hasErrors(problems) || laCode === null) return report;

    const partition: ReturnPartition = { laCode, academicYear, term, urn };
    await duck.run(`CREATE OR REPLACE TEMP TABLE rb_marks_typed AS ${sqlFile('returns/marks_typed.sql')}`, { urn });
    const mart = sqlFile('returns/fct_enrolment_term.sql', {
      session_aggregates: sessionAggregatesSql({ mark: 'mark', date: 'first_date', weight: 'n' }),
      boundary_keys: TREATMENT_BOUNDARIES.map((b, i) => `date >= DATE '${b}' AS b${i}`).join(', '),
    });
    const part = partitionPath(partition);
    // Order matters for readers: the mart (what the API reads) is replaced last.
    await writeParquetAtomic(duck, sqlFile('returns/pupils_lake.sql'), undefined, path.join(layout.lake, 'pupils', part, 'part-0.parquet'), layout.tmp);
    await writeParquetAtomic(duck, 'SELECT * FROM rb_marks_typed', undefined, path.join(layout.lake, 'marks', part, 'part-0.parquet'), layout.tmp);
    // A return replaces the earlier one entirely: optional files it lacks are removed too.
    for (const extra of OPTIONAL_FILES) {
      const target = path.join(layout.lake, extra.key, part, 'part-0.parquet');
      const rows = files[extra.key] ? (await duck.all<{ n: number }>(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${extra.table}`))[0].n : 0;
      if (rows > 0) await writeParquetAtomic(duck, sqlFile(extra.lake), { urn }, target, layout.tmp);
      else rmSync(target, { force: true });
    }
    await writeParquetAtomic(
      duck,
      mart,
      {
        la: laCode,
        ay: academicYear,
        term,
        urn,
        aug31: `${academicYearStartYear(academicYear)}-08-31`,
        ht2: summerHalfTerm2Start(academicYear),
        min_age: DFE_MIN_AGE,
        max_age: DFE_MAX_AGE,
      },
      path.join(layout.marts, 'fct_enrolment_term', part, 'part-0.parquet'),
      layout.tmp,
    );
    report.partition = partition;
    report.status = 'loaded';
    return report;
  } finally {
    for (const table of ['rb_pupils', 'rb_marks', 'rb_pupils_typed', 'rb_marks_typed', ...OPTIONAL_FILES.map((f) => f.table)]) {
      await duck.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}

async function schoolLaCode(duck: Duck, layout: DataLayout, urn: number): Promise<string | null> {
  const file = path.join(layout.marts, 'dim_school', 'part-0.parquet');
  if (!existsSync(file)) return null;
  const rows = await duck.all<{ la_code: string }>('SELECT la_code FROM read_parquet($file) WHERE urn = $urn', { file, urn });
  return rows[0]?.la_code ?? null;
}
