import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBDateValue } from '@duckdb/node-api';
import { XMLParser } from 'fast-xml-parser';
import type { Duck } from '../duckdb.js';
import { sqlIdent } from '../duckdb.js';
import { normaliseColumnName, readCsvHeader, stageCsv, type ColumnSpec } from '../csv.js';
import { writeParquetAtomic } from '../lake/atomic.js';
import type { DataLayout } from '../layout.js';
import { InputRejectedError, type Problem } from '../problems.js';
import type { FileReader, ReaderContext, ReaderResult } from '../readers/reader.js';
import { sqlFile } from '../sql.js';
import { isValidUpn } from '../demo/upn.js';

/** A children's social care table kept in `lake/social-care/<table>/la=<la>/part-0.parquet`. */
type SocialCareTable = 'caseloads' | 'ssda903-header' | 'ssda903-episodes' | 'ssda903-sw-episodes' | 'cin';

export function socialCarePath(layout: DataLayout, table: SocialCareTable, laCode: string): string {
  return path.join(layout.lake, 'social-care', table, `la=${laCode}`, 'part-0.parquet');
}

/** The LAs whose returns are in the warehouse (the `la=` partitions of the enrolment mart). */
export function homeLas(layout: DataLayout): string[] {
  const dir = path.join(layout.marts, 'fct_enrolment_term');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((d) => d.startsWith('la='))
    .map((d) => d.slice(3))
    .sort();
}

/** Which LA a file without an LA code of its own belongs to (docs/warehouse.md). */
function laFor(layout: DataLayout, context: ReaderContext, file: string): string {
  if (context.laCode) return context.laCode.padStart(3, '0');
  const las = homeLas(layout);
  if (las.length === 1) return las[0];
  throw new InputRejectedError(path.basename(file), [
    {
      severity: 'error',
      code: 'SOCIAL_CARE_LA_UNKNOWN',
      file: path.basename(file),
      line: null,
      column: null,
      message:
        las.length === 0
          ? 'This file does not say which LA it belongs to, and no returns are loaded yet: load the returns first, or say which LA with --la <code>.'
          : `This file does not say which LA it belongs to, and the warehouse holds several (${las.join(', ')}): say which with --la <code>.`,
    },
  ]);
}

const columns = (required: string[], optional: string[] = []): ColumnSpec[] => [
  ...required.map((name) => ({ name, required: true })),
  ...optional.map((name) => ({ name, required: false })),
];

interface CsvTable {
  table: SocialCareTable;
  label: string;
  /** Header names (lower case) that identify the file. */
  signature: string[];
  columns: ColumnSpec[];
  sql: string;
  /** Date columns and their format, checked row by row. */
  dates: { column: string; formats: string[] }[];
  key: string;
  upn?: string;
}

const DMY = ['%d/%m/%Y'];
const CSV_TABLES: CsvTable[] = [
  {
    table: 'caseloads',
    label: 'a social work caseload list',
    signature: ['worker_id', 'la_child_id', 'start_date'],
    columns: columns(['worker_id', 'worker_name', 'worker_email', 'team', 'la_child_id', 'upn', 'start_date', 'end_date']),
    sql: 'social-care/caseloads.sql',
    dates: [
      { column: 'start_date', formats: ['%Y-%m-%d', '%d/%m/%Y'] },
      { column: 'end_date', formats: ['%Y-%m-%d', '%d/%m/%Y'] },
    ],
    key: 'la_child_id',
    upn: 'upn',
  },
  {
    table: 'ssda903-header',
    label: 'an SSDA903 header table (looked-after children)',
    signature: ['child', 'sex', 'dob', 'upn'],
    columns: columns(['child', 'sex', 'dob', 'ethnic', 'upn'], ['mother', 'mc_dob']),
    sql: 'social-care/ssda903_header.sql',
    dates: [{ column: 'dob', formats: DMY }],
    key: 'child',
    upn: 'upn',
  },
  {
    table: 'ssda903-episodes',
    label: 'an SSDA903 episodes table (looked-after children)',
    signature: ['child', 'decom', 'rne'],
    columns: columns(['child', 'decom', 'rne', 'ls', 'cin', 'place', 'place_provider', 'dec', 'rec', 'reason_place_change', 'home_post', 'pl_post', 'urn']),
    sql: 'social-care/ssda903_episodes.sql',
    dates: [
      { column: 'decom', formats: DMY },
      { column: 'dec', formats: DMY },
    ],
    key: 'child',
  },
  {
    table: 'ssda903-sw-episodes',
    label: 'an SSDA903 social worker episodes table',
    signature: ['child', 'sw_id', 'sw_decom'],
    columns: columns(['child', 'dob', 'sw_id', 'sw_decom', 'sw_dec'], ['sw_reason']),
    sql: 'social-care/ssda903_sw_episodes.sql',
    dates: [
      { column: 'dob', formats: DMY },
      { column: 'sw_decom', formats: DMY },
      { column: 'sw_dec', formats: DMY },
    ],
    key: 'child',
  },
];

interface CheckRow {
  code: string;
  line: number;
  col: string;
  value: string | null;
  message: string;
}

async function loadCsvTable(spec: CsvTable, duck: Duck, layout: DataLayout, file: string, context: ReaderContext): Promise<ReaderResult> {
  const display = path.basename(file);
  const la = laFor(layout, context, file);
  const staged = await stageCsv(duck, file, 'rb_sc', spec.columns, display);
  const problems: Problem[] = [...staged.problems];
  if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
  try {
    const checks = spec.dates
      .map((d) => {
        const parsed = d.formats.map((f) => `try_strptime(${sqlIdent(d.column)}, '${f}')`).join(', ');
        const expected = d.formats.map((f) => f.replace('%d', 'DD').replace('%m', 'MM').replace('%Y', 'YYYY')).join(' or ');
        return `SELECT 'SOCIAL_CARE_DATE_INVALID' AS code, line, '${d.column}' AS col, ${sqlIdent(d.column)} AS value, 'expected a date ${expected}' AS message FROM rb_sc WHERE ${sqlIdent(d.column)} IS NOT NULL AND coalesce(${parsed}) IS NULL`;
      })
      .join(' UNION ALL ');
    for (const r of await duck.all<CheckRow>(sqlFile('social-care/check_dates.sql', { checks }))) {
      problems.push({ severity: 'error', code: r.code, file: display, line: r.line, column: r.col, message: `${r.message} (found "${r.value}")` });
    }
    for (const r of await duck.all<{ line: number }>(`SELECT line FROM rb_sc WHERE ${sqlIdent(spec.key)} IS NULL ORDER BY line LIMIT 20`)) {
      problems.push({ severity: 'error', code: 'SOCIAL_CARE_CHILD_MISSING', file: display, line: r.line, column: spec.key, message: 'the LA child identifier is empty' });
    }
    if (spec.upn) {
      // A child whose UPN is missing or wrong cannot be linked to school data: reported, kept.
      const upns = await duck.all<{ line: number; upn: string | null }>(`SELECT line, ${sqlIdent(spec.upn)} AS upn FROM rb_sc ORDER BY line`);
      const bad = upns.filter((r) => r.upn === null || !isValidUpn(r.upn.toUpperCase()));
      for (const r of bad.slice(0, 20)) {
        problems.push({ severity: 'warning', code: 'SOCIAL_CARE_UPN_UNLINKABLE', file: display, line: r.line, column: spec.upn, message: `no valid UPN (found "${r.upn ?? ''}"): the child is kept but cannot be matched to school records` });
      }
      if (bad.length > 20) problems.push({ severity: 'warning', code: 'MORE_OF_THE_SAME', file: display, line: null, column: spec.upn, message: `${bad.length} rows in all have no valid UPN.` });
    }
    if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
    await writeParquetAtomic(duck, sqlFile(spec.sql), undefined, socialCarePath(layout, spec.table, la), layout.tmp);
  } finally {
    await duck.run('DROP TABLE IF EXISTS rb_sc');
  }
  const statuses = await rebuildChildStatus(duck, layout, la);
  return { summary: `${staged.rows.toLocaleString('en-GB')} rows for LA ${la}; ${statuses.toLocaleString('en-GB')} child status periods`, rows: staged.rows, problems };
}

function csvReader(spec: CsvTable): FileReader {
  return {
    kind: spec.table,
    label: spec.label,
    order: 200,
    detect(file) {
      const lower = file.toLowerCase();
      if (!lower.endsWith('.csv')) return null;
      try {
        const header = new Set((readCsvHeader(file) ?? []).map(normaliseColumnName));
        return spec.signature.every((c) => header.has(c)) ? 'csv' : null;
      } catch {
        return null;
      }
    },
    load: (duck, layout, file, context) => loadCsvTable(spec, duck, layout, file, context),
  };
}

// ---------------------------------------------------------------------------------------------
// Children in Need census (XML)

interface CinRow {
  la_child_id: string;
  upn: string | null;
  dob: string | null;
  referral_date: string | null;
  closure_date: string | null;
  referral_nfa: boolean | null;
  cin_plan_start: string | null;
  cin_plan_end: string | null;
  cpp_start: string | null;
  cpp_end: string | null;
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v).trim());
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a CIN census XML into rows (one per CIN episode × plan); problems for bad dates. */
export function parseCinCensus(xml: string, display: string): { la: string | null; rows: CinRow[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: true, processEntities: false });
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml, true) as Record<string, unknown>;
  } catch (error) {
    const e = error as { message: string; line?: number };
    throw new InputRejectedError(display, [{ severity: 'error', code: 'XML_MALFORMED', file: display, line: e.line ?? null, column: null, message: e.message }]);
  }
  const message = doc.Message as Record<string, any> | undefined;
  if (!message?.Children) {
    throw new InputRejectedError(display, [{ severity: 'error', code: 'CIN_NOT_A_CENSUS', file: display, line: null, column: null, message: 'expected a CIN census <Message> with <Children>' }]);
  }
  const la = text(message.Header?.Source?.LEA);
  const rows: CinRow[] = [];
  const date = (value: unknown, where: string, childId: string): string | null => {
    const t = text(value);
    if (t === null) return null;
    if (ISO_DATE.test(t) && !Number.isNaN(Date.parse(t))) return t;
    problems.push({ severity: 'error', code: 'CIN_DATE_INVALID', file: display, line: null, column: where, message: `child ${childId}: expected a date YYYY-MM-DD (found "${t}")` });
    return null;
  };
  asArray(message.Children.Child as unknown[]).forEach((c, i) => {
    const child = c as Record<string, any>;
    const ids = (child.ChildIdentifiers ?? {}) as Record<string, unknown>;
    const id = text(ids.LAchildID);
    if (id === null) {
      problems.push({ severity: 'error', code: 'CIN_CHILD_ID_MISSING', file: display, line: null, column: 'LAchildID', message: `child ${i + 1} has no LAchildID` });
      return;
    }
    const upn = text(ids.UPN)?.toUpperCase() ?? null;
    if (upn === null || !isValidUpn(upn)) {
      problems.push({ severity: 'warning', code: 'SOCIAL_CARE_UPN_UNLINKABLE', file: display, line: null, column: 'UPN', message: `child ${id}: no valid UPN (found "${upn ?? ''}"): kept, but cannot be matched to school records` });
    }
    const dob = date(ids.PersonBirthDate, 'PersonBirthDate', id);
    for (const d of asArray(child.CINdetails as unknown[])) {
      const details = d as Record<string, any>;
      const nfa = text(details.ReferralNFA);
      const base = {
        la_child_id: id,
        upn,
        dob,
        referral_date: date(details.CINreferralDate, 'CINreferralDate', id),
        closure_date: date(details.CINclosureDate, 'CINclosureDate', id),
        referral_nfa: nfa === null ? null : nfa === '1' || nfa.toLowerCase() === 'true',
        cin_plan_start: null,
        cin_plan_end: null,
        cpp_start: null,
        cpp_end: null,
      } satisfies CinRow;
      const plans: CinRow[] = [
        ...asArray(details.CINPlanDates as unknown[]).map((p) => ({ ...base, cin_plan_start: date((p as any).CINPlanStartDate, 'CINPlanStartDate', id), cin_plan_end: date((p as any).CINPlanEndDate, 'CINPlanEndDate', id) })),
        ...asArray(details.ChildProtectionPlans as unknown[]).map((p) => ({ ...base, cpp_start: date((p as any).CPPstartDate, 'CPPstartDate', id), cpp_end: date((p as any).CPPendDate, 'CPPendDate', id) })),
      ];
      rows.push(...(plans.length > 0 ? plans : [base]));
    }
  });
  return { la, rows, problems };
}

async function loadCin(duck: Duck, layout: DataLayout, file: string, context: ReaderContext): Promise<ReaderResult> {
  const display = path.basename(file);
  const { la: fileLa, rows, problems } = parseCinCensus(readFileSync(file, 'utf8'), display);
  if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
  const la = fileLa ? fileLa.padStart(3, '0') : laFor(layout, context, file);
  if (context.laCode && context.laCode.padStart(3, '0') !== la) {
    throw new InputRejectedError(display, [{ severity: 'error', code: 'CIN_LA_MISMATCH', file: display, line: null, column: 'LEA', message: `the census is for LA ${la}, not ${context.laCode}` }]);
  }
  await duck.run(`CREATE OR REPLACE TABLE rb_cin (la_child_id VARCHAR, upn VARCHAR, dob DATE, referral_date DATE, closure_date DATE,
    referral_nfa BOOLEAN, cin_plan_start DATE, cin_plan_end DATE, cpp_start DATE, cpp_end DATE)`);
  try {
    const appender = await duck.connection.createAppender('rb_cin');
    try {
      for (const r of rows) {
        for (const key of ['la_child_id', 'upn'] as const) (r[key] === null ? appender.appendNull() : appender.appendVarchar(r[key]!));
        for (const key of ['dob', 'referral_date', 'closure_date'] as const) appendDate(appender, r[key]);
        r.referral_nfa === null ? appender.appendNull() : appender.appendBoolean(r.referral_nfa);
        for (const key of ['cin_plan_start', 'cin_plan_end', 'cpp_start', 'cpp_end'] as const) appendDate(appender, r[key]);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await writeParquetAtomic(duck, 'SELECT * FROM rb_cin', undefined, socialCarePath(layout, 'cin', la), layout.tmp);
  } finally {
    await duck.run('DROP TABLE IF EXISTS rb_cin');
  }
  const statuses = await rebuildChildStatus(duck, layout, la);
  const children = new Set(rows.map((r) => r.la_child_id)).size;
  return { summary: `${children.toLocaleString('en-GB')} children for LA ${la}; ${statuses.toLocaleString('en-GB')} child status periods`, rows: rows.length, problems };
}

const DAY_MS = 86_400_000;
function appendDate(appender: { appendNull(): void; appendDate(v: import('@duckdb/node-api').DuckDBDateValue): void }, iso: string | null): void {
  if (iso === null) appender.appendNull();
  else appender.appendDate(new DuckDBDateValue(Date.parse(`${iso}T00:00:00Z`) / DAY_MS));
}

export const cinCensusReader: FileReader = {
  kind: 'cin',
  label: 'a Children in Need census (XML)',
  order: 200,
  detect(file) {
    if (!file.toLowerCase().endsWith('.xml')) return null;
    try {
      const head = readFileSync(file, { encoding: 'utf8' }).slice(0, 4096);
      return /<Message[\s>]/.test(head) && /<Collection>\s*CIN\s*<\/Collection>/.test(head) ? 'xml' : null;
    } catch {
      return null;
    }
  },
  load: loadCin,
};

export const socialCareReaders: FileReader[] = [...CSV_TABLES.map(csvReader), cinCensusReader];

// ---------------------------------------------------------------------------------------------

/** Rebuilds `marts/fct_child_status` for one LA from whatever social care sources it has. */
export async function rebuildChildStatus(duck: Duck, layout: DataLayout, la: string): Promise<number> {
  const sources = {
    src_header: { table: 'ssda903-header' as const, empty: 'SELECT NULL::VARCHAR AS la_child_id, NULL::VARCHAR AS upn WHERE false' },
    src_episodes: { table: 'ssda903-episodes' as const, empty: 'SELECT NULL::VARCHAR AS la_child_id, NULL::DATE AS decom, NULL::DATE AS dec WHERE false' },
    src_cin: {
      table: 'cin' as const,
      empty: 'SELECT NULL::VARCHAR AS la_child_id, NULL::VARCHAR AS upn, NULL::DATE AS referral_date, NULL::DATE AS closure_date, NULL::BOOLEAN AS referral_nfa, NULL::DATE AS cpp_start, NULL::DATE AS cpp_end WHERE false',
    },
  };
  for (const [view, s] of Object.entries(sources)) {
    const file = socialCarePath(layout, s.table, la);
    // Paths come from our own layout; DuckDB cannot take a parameter in a view definition.
    await duck.run(`CREATE OR REPLACE TEMP VIEW ${view} AS ${existsSync(file) ? `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')` : s.empty}`);
  }
  const target = path.join(layout.marts, 'fct_child_status', `la=${la}`, 'part-0.parquet');
  await writeParquetAtomic(duck, sqlFile('social-care/fct_child_status.sql'), { la }, target, layout.tmp);
  const [{ n }] = await duck.all<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM read_parquet($f)', { f: target });
  for (const view of Object.keys(sources)) await duck.run(`DROP VIEW IF EXISTS ${view}`);
  return n;
}
