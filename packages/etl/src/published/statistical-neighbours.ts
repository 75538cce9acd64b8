import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { listValue } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { STATISTICAL_NEIGHBOURS } from '@rollbook/metrics';
import { normaliseColumnName, readCsvHeader, stageCsv, type ColumnSpec } from '../csv.js';
import type { Duck } from '../duckdb.js';
import { writeParquetAtomic } from '../lake/atomic.js';
import type { DataLayout } from '../layout.js';
import { InputRejectedError, type Problem } from '../problems.js';
import type { FileReader } from '../readers/reader.js';
import { sqlFile } from '../sql.js';
import { listZipEntries, readZipEntryStart } from './zip-probe.js';

/**
 * The DfE children's services statistical neighbours (methodology §6.1, S19): the long CSV
 * (`la_number, la_name, region, rank, sn_la_number, sn_la_name, closeness`) or DfE's workbook
 * (`sn_may_2025.xlsx`, sheet "LA SN Groups", header on row 3: `LA num, LA Name, LA number, GOInd,
 * GOReg, SN1, SNP, … SN10, SNP`).
 */
export type NeighbourVariant = 'long-csv' | 'dfe-workbook';

export const SN_WORKBOOK_SHEET = 'LA SN Groups';
export const CLOSENESS_BANDS: readonly string[] = ['Extremely close', 'Very close', 'Close', 'Somewhat close', 'Not close'];
export const NEIGHBOURS_LAKE = path.join('reference', 'statistical-neighbours');
export const NEIGHBOURS_MART = 'ref_statistical_neighbour';

const LONG_COLUMNS: ColumnSpec[] = ['la_number', 'la_name', 'region', 'rank', 'sn_la_number', 'sn_la_name', 'closeness'].map((name) => ({
  name,
  required: name !== 'closeness' && name !== 'region',
}));

export function detectNeighbours(file: string): NeighbourVariant | null {
  const lower = file.toLowerCase();
  try {
    if (lower.endsWith('.csv')) {
      const names = new Set((readCsvHeader(file) ?? []).map(normaliseColumnName));
      return names.has('la_number') && names.has('sn_la_number') && names.has('rank') ? 'long-csv' : null;
    }
    if (lower.endsWith('.xlsx')) {
      // An .xlsx is a zip; its workbook part names the sheets.
      const entries = listZipEntries(file);
      const workbook = entries?.find((e) => e.name === 'xl/workbook.xml');
      const xml = workbook ? readZipEntryStart(file, workbook, 256 * 1024)?.toString('utf8') : undefined;
      return xml?.includes(`name="${SN_WORKBOOK_SHEET}"`) ? 'dfe-workbook' : null;
    }
  } catch {
    return null;
  }
  return null;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value);
}

const csvField = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * The workbook's "LA SN Groups" sheet turned into the long CSV, so both go through one checked
 * path. Row numbers of the sheet are kept in a `sheet_row` column for problem reports.
 */
async function workbookToLongCsv(file: string, target: string): Promise<Problem[]> {
  const display = path.basename(file);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet(SN_WORKBOOK_SHEET);
  if (!sheet) return [{ severity: 'error', code: 'SN_SHEET_MISSING', file: display, line: null, column: null, message: `The workbook has no sheet "${SN_WORKBOOK_SHEET}".` }];
  let headerRow = 0;
  let headers: string[] = [];
  sheet.eachRow((row, n) => {
    if (headerRow) return;
    const values = (row.values as ExcelJS.CellValue[]).map(cellText);
    if (values.some((v) => v.trim() === 'LA num') && values.some((v) => v.trim() === 'SN1')) {
      headerRow = n;
      headers = values.map((v) => v.trim());
    }
  });
  if (!headerRow) return [{ severity: 'error', code: 'SN_HEADER_MISSING', file: display, line: null, column: null, message: 'No header row with "LA num" and "SN1" in the sheet.' }];
  const at = (name: string, from = 0) => headers.indexOf(name, from);
  const laCol = at('LA num');
  const nameCol = at('LA Name');
  const regionCol = at('GOReg');
  const names = new Map<string, string>();
  const rows: string[][] = [];
  sheet.eachRow((row, n) => {
    if (n <= headerRow) return;
    const v = (row.values as ExcelJS.CellValue[]).map(cellText);
    const la = v[laCol]?.trim();
    if (!la) return;
    names.set(la.padStart(3, '0'), v[nameCol]?.trim() ?? '');
    for (let k = 1; k <= STATISTICAL_NEIGHBOURS; k++) {
      const snCol = at(`SN${k}`);
      const sn = snCol >= 0 ? v[snCol]?.trim() ?? '' : '';
      const closeness = snCol >= 0 ? v[snCol + 1]?.trim() ?? '' : '';
      rows.push([String(n), la, v[nameCol] ?? '', regionCol >= 0 ? v[regionCol] ?? '' : '', String(k), sn, '', closeness]);
    }
  });
  const lines = ['sheet_row,la_number,la_name,region,rank,sn_la_number,sn_la_name,closeness'];
  for (const r of rows) {
    r[6] = names.get(r[5].padStart(3, '0')) ?? '';
    lines.push(r.map(csvField).join(','));
  }
  writeFileSync(target, lines.join('\n') + '\n');
  return [];
}

export interface NeighboursLoadResult {
  variant: NeighbourVariant;
  las: number;
  rows: number;
  problems: Problem[];
}

/** Loads the statistical-neighbour list into the lake and `marts/ref_statistical_neighbour`, replacing the previous list. */
export async function loadNeighbours(duck: Duck, layout: DataLayout, file: string): Promise<NeighboursLoadResult> {
  const display = path.basename(file);
  const variant = detectNeighbours(file);
  if (!variant) throw new InputRejectedError(display, [{ severity: 'error', code: 'SN_UNRECOGNISED', file: display, line: 1, column: null, message: 'Not a DfE statistical-neighbour list (long CSV or the LA SN Groups workbook).' }]);
  let csv = file;
  let temp: string | null = null;
  try {
    if (variant === 'dfe-workbook') {
      mkdirSync(layout.tmp, { recursive: true });
      temp = path.join(layout.tmp, `${randomUUID()}-sn.csv`);
      const problems = await workbookToLongCsv(file, temp);
      if (problems.length) throw new InputRejectedError(display, problems);
      csv = temp;
    }
    const columns = variant === 'dfe-workbook' ? [{ name: 'sheet_row', required: true }, ...LONG_COLUMNS] : LONG_COLUMNS;
    const staged = await stageCsv(duck, csv, 'rb_sn', columns, display);
    const problems = staged.problems;
    if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
    await duck.run(`CREATE OR REPLACE TEMP TABLE rb_sn_typed AS ${sqlFile('published/statistical_neighbours_lake.sql')}`);
    // In the workbook, a problem is reported at its sheet row.
    if (variant === 'dfe-workbook') await duck.run('UPDATE rb_sn_typed SET line = s.sheet_row::INTEGER FROM rb_sn AS s WHERE s.line = rb_sn_typed.line');
    const found = await duck.all<{ line: number; column_name: string; code: string; message: string }>(sqlFile('published/check_statistical_neighbours.sql'), {
      neighbours: STATISTICAL_NEIGHBOURS,
      bands: listValue([...CLOSENESS_BANDS]),
    });
    for (const f of found) problems.push({ severity: 'error', code: f.code, file: display, line: f.line, column: f.column_name, message: f.message });
    if (problems.some((p) => p.severity === 'error')) throw new InputRejectedError(display, problems);
    await writeParquetAtomic(duck, 'SELECT $source AS source_file, * FROM rb_sn_typed ORDER BY la_code, rank', { source: display }, path.join(layout.lake, NEIGHBOURS_LAKE, 'part-0.parquet'), layout.tmp);
    await writeParquetAtomic(
      duck,
      'SELECT la_code, la_name, region, rank, sn_la_code, sn_la_name, closeness, $source AS source_file FROM rb_sn_typed ORDER BY la_code, rank',
      { source: display },
      path.join(layout.marts, NEIGHBOURS_MART, 'part-0.parquet'),
      layout.tmp,
    );
    const [{ las, rows }] = await duck.all<{ las: number; rows: number }>('SELECT CAST(count(DISTINCT la_code) AS INTEGER) AS las, CAST(count(*) AS INTEGER) AS rows FROM rb_sn_typed');
    return { variant, las, rows, problems };
  } finally {
    if (temp) rmSync(temp, { force: true });
    await duck.run('DROP TABLE IF EXISTS rb_sn; DROP TABLE IF EXISTS rb_sn_typed');
  }
}

/** FORMATS.md §4: the DfE statistical-neighbour list. */
export const statisticalNeighboursReader: FileReader = {
  kind: 'statistical-neighbours',
  label: 'a statistical-neighbour list',
  order: 15,
  detect: detectNeighbours,
  async load(duck, layout, file) {
    const r = await loadNeighbours(duck, layout, file);
    return { summary: `${r.rows.toLocaleString('en-GB')} neighbours of ${r.las} LAs`, rows: r.rows, problems: r.problems };
  },
};
