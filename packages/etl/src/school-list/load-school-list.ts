import path from 'node:path';
import type { Duck } from '../duckdb.js';
import { normaliseColumnName, readCsvHeader, stageCsv, type ColumnSpec } from '../csv.js';
import { writeParquetAtomic } from '../lake/atomic.js';
import type { DataLayout } from '../layout.js';
import { InputRejectedError, type Problem } from '../problems.js';
import { sqlFile } from '../sql.js';
import type { FileReader } from '../readers/reader.js';

export type SchoolListKind = 'gias' | 'dfe-school-level';

const DFE_COLUMNS: ColumnSpec[] = [
  ['urn', true], ['laestab', true], ['school_name', true], ['old_la_code', true], ['la_name', true],
  ['region_name', false], ['phase_type_grouping', true], ['type_of_establishment', false],
  ['postcode', false], ['headcount', false], ['fsm_eligible_pct', false], ['eal_pct', false],
].map(([name, required]) => ({ name: name as string, required: required as boolean }));

const GIAS_COLUMNS: ColumnSpec[] = [
  ['urn', true], ['la (code)', true], ['la (name)', true], ['establishmentnumber', true],
  ['establishmentname', true], ['typeofestablishment (name)', true], ['phaseofeducation (name)', true],
  ['statutorylowage', false], ['statutoryhighage', false], ['numberofpupils', false], ['percentagefsm', false],
  ['establishmentstatus (name)', false], ['gor (name)', false], ['postcode', false],
].map(([name, required]) => ({ name: name as string, required: required as boolean }));

/** Recognises a school list by its header (FORMATS.md §1), or returns null. */
export function detectSchoolList(file: string): SchoolListKind | null {
  let header: string[] | null;
  try {
    header = readCsvHeader(file);
  } catch {
    return null;
  }
  if (!header) return null;
  const names = new Set(header.map(normaliseColumnName));
  if (names.has('urn') && names.has('establishmentname') && names.has('la (code)')) return 'gias';
  if (names.has('urn') && names.has('laestab') && names.has('phase_type_grouping')) return 'dfe-school-level';
  return null;
}

export interface SchoolListResult {
  kind: SchoolListKind;
  schools: number;
  las: number;
  problems: Problem[];
}

/** Loads a school list into `marts/dim_school` (replacing the previous list, atomically). */
export async function loadSchoolList(duck: Duck, layout: DataLayout, file: string): Promise<SchoolListResult> {
  const kind = detectSchoolList(file);
  const display = path.basename(file);
  if (!kind) {
    throw new InputRejectedError(display, [
      { severity: 'error', code: 'SCHOOL_LIST_UNRECOGNISED', file: display, line: 1, column: null, message: 'Not a GIAS extract nor a DfE school-level file: the header does not have their columns.' },
    ]);
  }
  const staged = await stageCsv(duck, file, 'rb_schools', kind === 'gias' ? GIAS_COLUMNS : DFE_COLUMNS, display);
  const problems = staged.problems;
  if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
  const select = sqlFile(kind === 'gias' ? 'school-list/dim_school_gias.sql' : 'school-list/dim_school_dfe.sql');
  await duck.run(`CREATE OR REPLACE TEMP TABLE rb_dim_school AS ${select}`);
  const dupes = await duck.all<{ urn: number }>(`SELECT urn FROM rb_dim_school GROUP BY urn HAVING count(*) > 1 LIMIT 5`);
  for (const d of dupes) {
    problems.push({ severity: 'error', code: 'SCHOOL_URN_DUPLICATE', file: display, line: null, column: 'urn', message: `URN ${d.urn} appears more than once.` });
  }
  if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
  await writeParquetAtomic(duck, 'SELECT * FROM rb_dim_school ORDER BY urn', undefined, path.join(layout.marts, 'dim_school', 'part-0.parquet'), layout.tmp);
  const [{ schools, las }] = await duck.all<{ schools: number; las: number }>(
    'SELECT CAST(count(*) AS INTEGER) AS schools, CAST(count(DISTINCT la_code) AS INTEGER) AS las FROM rb_dim_school',
  );
  await duck.run('DROP TABLE IF EXISTS rb_schools; DROP TABLE IF EXISTS rb_dim_school');
  return { kind, schools, las, problems };
}

/** FORMATS.md §1: a GIAS extract or the DfE school-level census file. */
export const schoolListReader: FileReader = {
  kind: 'school-list',
  label: 'a school list',
  order: 10,
  detect: (file) => {
    const lower = file.toLowerCase();
    return lower.endsWith('.csv') || lower.endsWith('.csv.gz') ? detectSchoolList(file) : null;
  },
  async load(duck, layout, file) {
    const r = await loadSchoolList(duck, layout, file);
    return { summary: `${r.schools.toLocaleString('en-GB')} schools in ${r.las} LAs`, rows: r.schools, problems: r.problems };
  },
};
